"""Parse Android command output and validate values that go into device shell commands.

Everything here is pure: functions take the text a device printed and return Python values,
so the tests cover them without a device.
"""

from __future__ import annotations

import enum
import re
import shlex
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

FRIDA_SERVER_PATH = "/data/local/tmp/frida-server"
FRIDA_SERVER_NAME = "frida-server"
DEFAULT_FRIDA_PORT = 27042

# Android accepts ASCII letters, digits and underscores in each segment, and a segment must
# start with a letter. One segment is allowed because the framework package is "android".
_PACKAGE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*")
_PACKAGE_NAME_MAX = 255

ABI_TO_FRIDA_ARCH = {
    "arm64-v8a": "arm64",
    "armeabi-v7a": "arm",
    "x86": "x86",
    "x86_64": "x86_64",
}


def validate_package_name(name: str) -> str:
    """Return `name` unchanged, or raise ValueError unless it is a valid Android package name.

    Every package name must pass here before it goes into a shell command, so a name such as
    ``com.x; rm -rf /`` or ``$(id)`` never reaches the device shell.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("package name is empty: pass a name such as com.example.app")
    if len(name) > _PACKAGE_NAME_MAX:
        raise ValueError(f"package name is longer than {_PACKAGE_NAME_MAX} characters")
    if not _PACKAGE_NAME.fullmatch(name):
        raise ValueError(
            f"invalid package name {name!r}: use dot-separated segments of ASCII letters, "
            "digits and underscores, each starting with a letter, such as com.example.app"
        )
    return name


def validate_device_path(path: str) -> str:
    """Return `path` unchanged, or raise ValueError unless it is an absolute path without tricks.

    Rejected: relative paths, ".." segments, and control characters such as NUL or newline,
    which could end a shell line or a line of parsed output.
    """
    if not path.startswith("/"):
        raise ValueError(f"invalid device path {path!r}: it must be absolute")
    if any(unicodedata.category(char) == "Cc" for char in path):
        raise ValueError(f"invalid device path {path!r}: it contains a control character")
    if ".." in path.split("/"):
        raise ValueError(f"invalid device path {path!r}: it contains a '..' segment")
    return path


def abi_to_frida_arch(abi: str) -> str:
    """Map an Android ABI (``ro.product.cpu.abi``) to the arch in frida-server asset names."""
    arch = ABI_TO_FRIDA_ARCH.get(abi.strip())
    if arch is None:
        known = ", ".join(ABI_TO_FRIDA_ARCH)
        raise ValueError(f"unsupported Android ABI {abi!r}: frida-server exists for {known}")
    return arch


# getprop prints "[key]: [value]". A value can span lines, so the value ends at the first
# "]" that closes a line.
_GETPROP_ENTRY = re.compile(r"^\[(?P<key>[^\]\n]+)\]: \[(?P<value>.*?)\]$", re.M | re.S)


def parse_getprop(text: str) -> dict[str, str]:
    """Parse the output of ``getprop`` without arguments into a dict."""
    return {match["key"]: match["value"] for match in _GETPROP_ENTRY.finditer(text)}


@dataclass(frozen=True)
class ProcessRecord:
    """One row of ``ps`` output."""

    pid: int
    name: str
    ppid: int | None = None
    user: str | None = None


def parse_ps(text: str) -> list[ProcessRecord]:
    """Parse ``ps`` output from toolbox (Android 7 and older) or toybox (Android 8 and newer).

    Columns are located by the header, so ``ps -A`` and ``ps -A -o PID,PPID,USER,NAME`` both
    work. NAME must be the last column, and it may contain spaces.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    columns = lines[0].split()
    if "PID" not in columns or columns[-1] not in ("NAME", "CMD", "ARGS"):
        raise ValueError(f"unrecognized ps header: {lines[0]!r}")
    # Old toolbox prints a state letter after PC that has no header of its own.
    if "PC" in columns and "S" not in columns:
        columns.insert(columns.index("PC") + 1, "S")
    records = []
    for line in lines[1:]:
        record = _parse_ps_row(line, columns)
        if record is not None:
            records.append(record)
    return records


def _parse_ps_row(line: str, columns: list[str]) -> ProcessRecord | None:
    fields = line.split(None, len(columns) - 1)
    if len(fields) != len(columns):
        return None
    row = dict(zip(columns, fields, strict=True))
    if not row["PID"].isdigit():
        return None
    ppid = row.get("PPID")
    return ProcessRecord(
        pid=int(row["PID"]),
        name=fields[-1].strip(),
        ppid=int(ppid) if ppid is not None and ppid.isdigit() else None,
        user=row.get("USER"),
    )


def parse_uid(text: str) -> int | None:
    """Return the uid from ``id`` output (``uid=0(root) gid=0(root) ...``) or ``id -u``."""
    match = re.search(r"uid=(\d+)", text)
    if match:
        return int(match.group(1))
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() else None


@dataclass(frozen=True)
class PackageVersion:
    """Version fields of an installed package, from ``dumpsys package``."""

    version_name: str | None
    version_code: int | None


def parse_dumpsys_package(text: str, package: str) -> PackageVersion | None:
    """Return the version of `package` from ``dumpsys package PKG``, or None if not installed.

    Only the first ``Package [PKG]`` block counts. An updated system app has a second block
    under "Hidden system packages" with the version from the system image.
    """
    validate_package_name(package)
    header = re.search(rf"^\s*Package \[{re.escape(package)}\] \(", text, re.M)
    if header is None:
        return None
    block = _indented_block(text[header.end() :])
    name_match = re.search(r"^\s*versionName=(.*)$", block, re.M)
    code_match = re.search(r"\bversionCode=(\d+)", block)
    version_name = name_match.group(1).strip() if name_match else None
    # Java prints a missing versionName as "null".
    if version_name in ("", "null"):
        version_name = None
    version_code = int(code_match.group(1)) if code_match else None
    return PackageVersion(version_name=version_name, version_code=version_code)


def _indented_block(text: str) -> str:
    """Return the body of a dumpsys block: the lines after the header line up to the first
    line indented by less than four spaces."""
    lines = text.splitlines()
    body = []
    for line in lines[1:]:
        if line.strip() and not line.startswith("    "):
            break
        body.append(line)
    return "\n".join(body)


def parse_pm_path(text: str) -> list[str]:
    """Parse ``pm path PKG`` output (``package:/data/app/.../base.apk`` lines) into APK paths."""
    paths = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("package:"):
            paths.append(validate_device_path(line.removeprefix("package:")))
    return paths


def parse_sha256sum(text: str) -> str:
    """Return the hex digest from ``sha256sum FILE`` output."""
    match = re.match(r"\s*([0-9a-fA-F]{64})\b", text)
    if match is None:
        raise ValueError(f"unexpected sha256sum output: {text.strip()[:200]!r}")
    return match.group(1).lower()


@dataclass(frozen=True)
class FileStat:
    """Permission bits and size of a device file, from ``stat -c '%a %s'``."""

    mode: int
    size: int

    @property
    def world_writable(self) -> bool:
        return bool(self.mode & 0o002)

    @property
    def executable(self) -> bool:
        return bool(self.mode & 0o111)


def parse_stat(text: str) -> FileStat:
    """Parse the output of ``stat -c '%a %s' FILE``: octal permission bits and size in bytes."""
    fields = text.split()
    if len(fields) != 2 or not all(field.isdigit() for field in fields):
        raise ValueError(f"unexpected stat output: {text.strip()[:200]!r}")
    return FileStat(mode=int(fields[0], 8), size=int(fields[1]))


_SIZE_SUFFIXES = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_df_available(text: str) -> int:
    """Return the free bytes in the first filesystem row of ``df -k PATH`` output.

    Toybox prints 1K blocks under "Available". Old toolbox df prints sizes such as "4.7G"
    under "Free". Lines before the "Filesystem" header, such as error messages, are skipped.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    while lines and not lines[0].startswith("Filesystem"):
        lines.pop(0)
    if len(lines) < 2:
        raise ValueError(f"unexpected df output: {text.strip()[:200]!r}")
    header = lines[0].split()
    for column in ("Available", "Avail", "Free"):
        if column in header:
            index = header.index(column)
            break
    else:
        raise ValueError(f"df output has no Available or Free column: {lines[0]!r}")
    fields = lines[1].split()
    # A long filesystem name pushes the numbers to the next line.
    if len(fields) < len(header) - 1 and len(lines) > 2:
        fields = [fields[0], *lines[2].split()]
    value = fields[index]
    if value.isdigit():
        return int(value) * (1024 if "1K-blocks" in header else 1)
    return _parse_human_size(value)


def _parse_human_size(value: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?)", value.upper())
    if match is None:
        raise ValueError(f"unexpected size in df output: {value!r}")
    return int(float(match.group(1)) * _SIZE_SUFFIXES[match.group(2)])


_TCP_LISTEN_STATE = "0A"


def parse_listening_ports(text: str) -> set[int]:
    """Return the TCP ports in LISTEN state from ``/proc/net/tcp`` or ``/proc/net/tcp6``."""
    ports = set()
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != _TCP_LISTEN_STATE:
            continue
        _, _, port_hex = fields[1].rpartition(":")
        try:
            ports.add(int(port_hex, 16))
        except ValueError:
            continue
    return ports


def parse_frida_version(text: str) -> str:
    """Return the version from ``frida-server --version`` output, such as ``17.2.11``."""
    match = re.search(r"\b(\d+\.\d+\.\d+)\b", text)
    if match is None:
        raise ValueError(f"unexpected frida-server --version output: {text.strip()[:200]!r}")
    return match.group(1)


def major_version(version: str) -> int:
    """Return the major number of a dotted version string."""
    head = version.strip().split(".", 1)[0]
    if not head.isdigit():
        raise ValueError(f"invalid version {version!r}: expected MAJOR.MINOR.PATCH")
    return int(head)


def is_frida_server(process: ProcessRecord) -> bool:
    """Tell whether a ps row is a frida-server, matched by the basename of its name."""
    return process.name.rsplit("/", 1)[-1].startswith(FRIDA_SERVER_NAME)


class RootMethod(str, enum.Enum):
    """Mechanism a device offers for running commands as root."""

    ADBD = "adbd"  # adbd itself runs as root (`adb root` on userdebug and emulator images)
    SU_C = "su -c"  # Magisk and SuperSU take one command string
    SU_UID = "su 0"  # the AOSP su of userdebug builds takes WHO then argv


def build_root_argv(method: RootMethod, argv: Sequence[str]) -> list[str]:
    """Build the argv that runs `argv` as root with `method`.

    ``su -c`` takes a single string, so the arguments are joined with shell quoting. adbutils
    quotes each element again when it sends the list to the device shell.
    """
    if not argv:
        raise ValueError("argv is empty")
    if method is RootMethod.ADBD:
        return list(argv)
    if method is RootMethod.SU_C:
        return ["su", "-c", shlex.join(argv)]
    return ["su", "0", *argv]


@dataclass(frozen=True)
class Bounds:
    """Screen rectangle of a UI node in pixels, from ``[left,top][right,bottom]``."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def center(self) -> tuple[int, int]:
        return ((self.left + self.right) // 2, (self.top + self.bottom) // 2)


_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")


def parse_bounds(value: str) -> Bounds | None:
    """Parse a uiautomator bounds attribute, or return None if it is missing or malformed."""
    match = _BOUNDS.fullmatch(value.strip())
    if match is None:
        return None
    return Bounds(*(int(group) for group in match.groups()))


@dataclass(frozen=True)
class UiNode:
    """One element of a ``uiautomator dump`` hierarchy.

    `parent` is the index of the parent node in the list that `parse_ui_dump` returns, so a
    caller can walk up from a label to the clickable layout that contains it.
    """

    index: int
    parent: int | None
    depth: int
    text: str
    resource_id: str
    content_desc: str
    class_name: str
    package: str
    clickable: bool
    enabled: bool
    bounds: Bounds | None

    @property
    def center(self) -> tuple[int, int] | None:
        return self.bounds.center if self.bounds else None


def parse_ui_dump(xml_text: str) -> list[UiNode]:
    """Flatten a ``uiautomator dump`` XML document into nodes in document order."""
    try:
        root = ElementTree.fromstring(xml_text)
    except ElementTree.ParseError as error:
        raise ValueError(f"invalid uiautomator dump XML: {error}") from error
    nodes: list[UiNode] = []
    _collect_nodes(root, parent=None, depth=0, nodes=nodes)
    return nodes


def _collect_nodes(
    element: ElementTree.Element, parent: int | None, depth: int, nodes: list[UiNode]
) -> None:
    for child in element:
        if child.tag != "node":
            continue
        index = len(nodes)
        nodes.append(_make_node(child, index, parent, depth))
        _collect_nodes(child, parent=index, depth=depth + 1, nodes=nodes)


def _make_node(element: ElementTree.Element, index: int, parent: int | None, depth: int) -> UiNode:
    attrs = element.attrib
    return UiNode(
        index=index,
        parent=parent,
        depth=depth,
        text=attrs.get("text", ""),
        resource_id=attrs.get("resource-id", ""),
        content_desc=attrs.get("content-desc", ""),
        class_name=attrs.get("class", ""),
        package=attrs.get("package", ""),
        clickable=attrs.get("clickable") == "true",
        enabled=attrs.get("enabled", "true") == "true",
        bounds=parse_bounds(attrs.get("bounds", "")),
    )


MatchMode = Literal["exact", "contains", "regex"]


# Chinese two-character buttons are often spaced out ("同 意", "确 定").
_SPACE_BETWEEN_IDEOGRAPHS = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _normalize(text: str, ignore_case: bool) -> str:
    # NFKC folds the full-width forms that Chinese UIs use ("Ａｇｒｅｅ" becomes "Agree").
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    text = _SPACE_BETWEEN_IDEOGRAPHS.sub("", text)
    return text.casefold() if ignore_case else text


def _matches(value: str, query: str, mode: MatchMode, ignore_case: bool) -> bool:
    if mode == "regex":
        return re.search(query, value, re.IGNORECASE if ignore_case else 0) is not None
    value, query = _normalize(value, ignore_case), _normalize(query, ignore_case)
    if mode == "contains":
        return query in value
    return value == query


def find_nodes(
    nodes: Iterable[UiNode],
    *,
    text: str | None = None,
    resource_id: str | None = None,
    content_desc: str | None = None,
    mode: MatchMode = "exact",
    ignore_case: bool = False,
    clickable: bool | None = None,
) -> list[UiNode]:
    """Return the nodes that match every given criterion, in document order.

    With ``mode="exact"``, text "同意" matches a "同意" or "同 意" button but not "不同意"
    or "同意并继续". Exact and contains compare NFKC-normalized text with runs of whitespace
    collapsed and spaces between Chinese characters removed. Regex searches the raw
    attribute with ``re.search``.
    """
    if mode not in ("exact", "contains", "regex"):
        raise ValueError(f"invalid match mode {mode!r}: use exact, contains or regex")
    criteria = [
        (attribute, query)
        for attribute, query in (
            ("text", text),
            ("resource_id", resource_id),
            ("content_desc", content_desc),
        )
        if query is not None
    ]
    if not criteria and clickable is None:
        raise ValueError("find_nodes needs text, resource_id, content_desc or clickable")
    return [
        node
        for node in nodes
        if (clickable is None or node.clickable == clickable)
        and all(
            _matches(getattr(node, attribute), query, mode, ignore_case)
            for attribute, query in criteria
        )
    ]


def nearest_clickable(nodes: Sequence[UiNode], node: UiNode) -> UiNode | None:
    """Return `node` if it is clickable, else its closest clickable ancestor, else None.

    Dialog buttons are often a clickable layout around a TextView that contains the label.
    """
    current: UiNode | None = node
    while current is not None:
        if current.clickable:
            return current
        current = nodes[current.parent] if current.parent is not None else None
    return None
