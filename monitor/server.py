"""Install, start and stop frida-server on an Android device.

The binary comes from --binary, else the cache folder, else the release asset of the installed
frida version on GitHub. Frida's releases publish no checksum file, so the only integrity check
against tampering is the SHA-256 that the user passes. Without it a download is protected by
HTTPS alone. Every binary must also be an ELF executable for the device's architecture.
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import re
import shlex
import struct
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import frida
from adbutils import AdbDevice, AdbError

from monitor.android import (
    DEFAULT_FRIDA_PORT,
    FRIDA_SERVER_PATH,
    RootMethod,
    parse_frida_version,
    parse_listening_ports,
    parse_sha256sum,
    parse_stat,
)
from monitor.device import (
    DeviceError,
    frida_server_pids,
    frida_server_state,
    run_as_root,
    run_checked,
    run_shell,
)
from monitor.paths import cache_dir

log = logging.getLogger(__name__)

RELEASE_URL = "https://github.com/frida/frida/releases/download/{version}/{name}"
XZ_MAGIC = b"\xfd7zXZ\x00"
ELF_MAGIC = b"\x7fELF"
# e_machine numbers and ELF classes (1 = 32-bit, 2 = 64-bit) from the ELF specification.
ELF_MACHINES = {"arm": 40, "arm64": 183, "x86": 3, "x86_64": 62}
ELF_CLASSES = {"arm": 1, "x86": 1, "arm64": 2, "x86_64": 2}
# frida-server 17 assets are about 20 MB compressed. The cap stops a runaway download.
MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024
_POLL_INTERVAL_S = 0.5

Downloader = Callable[[str], bytes]


class ServerBinaryError(DeviceError):
    """A frida-server binary could not be obtained, or it failed a check."""


def asset_name(version: str, arch: str) -> str:
    """Return the file name of a frida-server release asset."""
    return f"frida-server-{version}-android-{arch}.xz"


def release_url(version: str, arch: str) -> str:
    """Return the GitHub download URL of a frida-server release asset."""
    return RELEASE_URL.format(version=version, name=asset_name(version, arch))


def cached_asset_path(version: str, arch: str, cache_root: Path | None = None) -> Path:
    """Return where the cache keeps an asset: ``<cache>/frida-server/<version>/<asset>``.

    The cache is ``$PRIVMON_CACHE_DIR``, else ``$XDG_CACHE_HOME/privmon``, else
    ``~/.cache/privmon``. `cache_root` replaces ``<cache>/frida-server``.
    """
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise ServerBinaryError(f"invalid frida version {version!r}: use MAJOR.MINOR.PATCH")
    root = cache_root if cache_root is not None else cache_dir("frida-server")
    return root / version / asset_name(version, arch)


def download_url(url: str, timeout: float = 60.0) -> bytes:
    """Download `url` over HTTPS, raising OSError on network failure."""
    log.info("downloading %s", url)
    with urllib.request.urlopen(url, timeout=timeout) as response:
        data = response.read(MAX_DOWNLOAD_BYTES + 1)
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise OSError(f"download exceeds {MAX_DOWNLOAD_BYTES} bytes")
    return data


@dataclass(frozen=True)
class ServerBinary:
    """A frida-server executable ready to push.

    `source_sha256` is the digest of the file as obtained (the .xz asset, or the --binary file
    as given), which is what --sha256 is compared with.
    """

    data: bytes
    source: str
    source_sha256: str
    verified: bool


def prepare_server_binary(
    arch: str,
    *,
    binary: Path | None = None,
    version: str | None = None,
    expected_sha256: str | None = None,
    cache_root: Path | None = None,
    downloader: Downloader | None = download_url,
) -> ServerBinary:
    """Obtain, verify and decompress a frida-server for `arch`.

    Sources in order: `binary`, the cached asset for `version` (default: the installed frida
    version), then a download with `downloader` (None disables downloads). A downloaded asset
    is stored in the cache only after it passed every check.
    """
    version = version or frida.__version__
    cached = cached_asset_path(version, arch, cache_root)
    raw, source, downloaded = _obtain(arch, version, binary, cached, downloader)
    digest = hashlib.sha256(raw).hexdigest()
    verified = _verify_sha256(digest, expected_sha256, source)
    data = decompress_xz(raw, source) if raw.startswith(XZ_MAGIC) else raw
    if source.endswith(".xz") and data is raw:
        raise ServerBinaryError(f"{source} is named .xz but is not xz data. Download it again.")
    check_elf(data, arch, source)
    if downloaded:
        _store(cached, raw)
    return ServerBinary(data=data, source=source, source_sha256=digest, verified=verified)


def _obtain(
    arch: str, version: str, binary: Path | None, cached: Path, downloader: Downloader | None
) -> tuple[bytes, str, bool]:
    if binary is not None:
        try:
            return binary.read_bytes(), str(binary), False
        except OSError as error:
            raise ServerBinaryError(
                f"cannot read --binary {binary}: {error.strerror or error}"
            ) from error
    if cached.is_file():
        log.info("using cached %s", cached)
        return cached.read_bytes(), str(cached), False
    url = release_url(version, arch)
    where = f"Download {url} on a machine with network access and put it at {cached}, or pass "
    where += "--binary PATH."
    if downloader is None:
        raise ServerBinaryError(
            f"no frida-server {version} for android-{arch} in the cache. {where}"
        )
    try:
        return downloader(url), url, True
    except OSError as error:
        raise ServerBinaryError(
            f"no frida-server {version} for android-{arch}: downloading it failed "
            f"({error}). {where}"
        ) from error


def _verify_sha256(digest: str, expected: str | None, source: str) -> bool:
    if expected is None:
        log.warning("no --sha256 given, so %s is unverified (SHA-256 %s)", source, digest)
        return False
    expected = expected.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        raise ServerBinaryError(
            f"invalid --sha256 value {expected!r}: pass 64 hexadecimal characters"
        )
    if digest != expected:
        raise ServerBinaryError(
            f"SHA-256 mismatch for {source}: expected {expected}, got {digest}. Obtain the "
            "file again, or check the --sha256 value."
        )
    return True


def decompress_xz(raw: bytes, source: str) -> bytes:
    """Decompress xz data, raising ServerBinaryError if it is corrupt."""
    try:
        return lzma.decompress(raw, format=lzma.FORMAT_XZ)
    except lzma.LZMAError as error:
        raise ServerBinaryError(
            f"{source} is not a valid .xz file ({error}). Obtain it again."
        ) from error


def check_elf(data: bytes, arch: str, source: str) -> None:
    """Raise ServerBinaryError unless `data` is a little-endian ELF executable for `arch`."""
    if arch not in ELF_MACHINES:
        raise ServerBinaryError(f"unknown frida arch {arch!r}: use {', '.join(ELF_MACHINES)}")
    if len(data) < 20 or not data.startswith(ELF_MAGIC):
        raise ServerBinaryError(
            f"{source} is not an ELF executable. Pass a frida-server file for android-{arch}."
        )
    elf_class, byte_order = data[4], data[5]
    (machine,) = struct.unpack_from("<H", data, 18)
    if byte_order != 1 or elf_class != ELF_CLASSES[arch] or machine != ELF_MACHINES[arch]:
        found = _elf_arch_name(elf_class, machine)
        raise ServerBinaryError(
            f"{source} is built for {found}, but the device needs android-{arch}. Pass "
            f"frida-server-<version>-android-{arch}."
        )


def _elf_arch_name(elf_class: int, machine: int) -> str:
    for arch, number in ELF_MACHINES.items():
        if number == machine and ELF_CLASSES[arch] == elf_class:
            return arch
    return f"ELF machine {machine}, class {elf_class}"


def _store(path: Path, raw: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(raw)
    partial.replace(path)
    log.info("stored %s", path)


@dataclass(frozen=True)
class InstalledServer:
    """frida-server as installed on the device."""

    path: str
    mode: int
    size: int
    version: str | None


def install_server(
    device: AdbDevice, server: ServerBinary, root: RootMethod | None
) -> InstalledServer:
    """Push `server` to FRIDA_SERVER_PATH with mode 0755 and verify the result with ``stat``.

    A running frida-server keeps its file busy, so it must be stopped first.
    """
    state = frida_server_state(device, root)
    if state.running:
        raise DeviceError(
            f"frida-server is running on {device.serial} (pid {_join(state.pids)}), so its "
            "file cannot be replaced. Stop it with `privmon server stop`, then install again."
        )
    try:
        device.sync.push(server.data, FRIDA_SERVER_PATH, mode=0o755, check=True)
    except (AdbError, OSError) as error:
        raise DeviceError(
            f"pushing frida-server to {device.serial}:{FRIDA_SERVER_PATH} failed: {error}"
        ) from error
    # The sync protocol's mode can be changed by the device; chmod makes 0755 certain.
    run_checked(device, ["chmod", "755", FRIDA_SERVER_PATH])
    installed = _verify_installed(device, server)
    log.info("installed %s on %s (mode %o)", FRIDA_SERVER_PATH, device.serial, installed.mode)
    return installed


def _verify_installed(device: AdbDevice, server: ServerBinary) -> InstalledServer:
    stat = parse_stat(run_checked(device, ["stat", "-c", "%a %s", FRIDA_SERVER_PATH]))
    if stat.world_writable or not stat.executable:
        raise DeviceError(
            f"{FRIDA_SERVER_PATH} on {device.serial} has mode {stat.mode:o}, expected 755. "
            f"Run `adb shell chmod 755 {FRIDA_SERVER_PATH}`."
        )
    if stat.size != len(server.data):
        raise DeviceError(
            f"{FRIDA_SERVER_PATH} on {device.serial} has {stat.size} bytes, expected "
            f"{len(server.data)}. Install again."
        )
    _verify_device_digest(device, server.data)
    version_result = run_shell(device, [FRIDA_SERVER_PATH, "--version"], timeout=15)
    version = parse_frida_version(version_result.stdout) if version_result.ok else None
    return InstalledServer(FRIDA_SERVER_PATH, stat.mode, stat.size, version)


def _verify_device_digest(device: AdbDevice, data: bytes) -> None:
    result = run_shell(device, ["sha256sum", FRIDA_SERVER_PATH], timeout=60)
    if not result.ok:
        log.info("no sha256sum on %s, so the pushed file is checked by size only", device.serial)
        return
    expected = hashlib.sha256(data).hexdigest()
    if parse_sha256sum(result.stdout) != expected:
        raise DeviceError(
            f"{FRIDA_SERVER_PATH} on {device.serial} differs from the pushed file. Install again."
        )


def build_server_argv(port: int = DEFAULT_FRIDA_PORT) -> list[str]:
    """Build the frida-server command line: daemonized, and on loopback only.

    frida-server listens on 127.0.0.1:27042 by default. Another port is still bound to
    127.0.0.1, because listening on 0.0.0.0 would expose frida-server to the whole network.
    """
    if not 1 <= port <= 65535:
        raise ValueError(f"invalid port {port}: use a number from 1 to 65535")
    argv = [FRIDA_SERVER_PATH, "-D"]
    if port != DEFAULT_FRIDA_PORT:
        argv += ["-l", f"127.0.0.1:{port}"]
    return argv


@dataclass(frozen=True)
class StartedServer:
    """A frida-server process after `start_server`."""

    pids: list[int]
    port: int
    already_running: bool


def start_server(
    device: AdbDevice,
    root: RootMethod | None,
    port: int = DEFAULT_FRIDA_PORT,
    timeout: float = 10.0,
) -> StartedServer:
    """Start the installed frida-server as root in the background and wait until it listens."""
    argv = build_server_argv(port)
    root = _require_root(device, root, "start")
    state = frida_server_state(device, root)
    if not state.installed:
        raise DeviceError(
            f"frida-server is not installed at {FRIDA_SERVER_PATH} on {device.serial}. "
            "Install it with `privmon server install`."
        )
    if state.running:
        return _check_running(device, root, state.pids, port)
    # Redirecting stdio lets the adb shell return once frida-server has daemonized.
    line = shlex.join(argv) + " </dev/null >/dev/null 2>&1"
    result = run_as_root(device, root, ["sh", "-c", line])
    if not result.ok:
        raise DeviceError(
            f"starting frida-server on {device.serial} failed with status {result.returncode}: "
            f"{(result.stderr or result.stdout).strip()[:200]}"
        )
    pids = _wait_for_listener(device, root, port, timeout)
    log.info("frida-server started on %s (pid %s, port %d)", device.serial, _join(pids), port)
    return StartedServer(pids=pids, port=port, already_running=False)


def _check_running(
    device: AdbDevice, root: RootMethod, pids: list[int], port: int
) -> StartedServer:
    if port not in listening_ports(device, root):
        raise DeviceError(
            f"frida-server already runs on {device.serial} (pid {_join(pids)}), but nothing "
            f"listens on port {port}. Stop it with `privmon server stop` and start it again."
        )
    return StartedServer(pids=pids, port=port, already_running=True)


def _wait_for_listener(device: AdbDevice, root: RootMethod, port: int, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while True:
        pids = frida_server_pids(device, root)
        if pids and port in listening_ports(device, root):
            return pids
        if time.monotonic() >= deadline:
            raise DeviceError(
                f"frida-server did not listen on port {port} of {device.serial} within "
                f"{timeout:g} s. Run it in the foreground to see its error: "
                f"`adb shell su -c {FRIDA_SERVER_PATH}`."
            )
        time.sleep(_POLL_INTERVAL_S)


def listening_ports(device: AdbDevice, root: RootMethod) -> set[int]:
    """Return the device's TCP ports in LISTEN state, read from /proc/net as root."""
    # cat exits non-zero when tcp6 is missing but still prints tcp, so the status is ignored.
    result = run_as_root(device, root, ["cat", "/proc/net/tcp", "/proc/net/tcp6"])
    return parse_listening_ports(result.stdout)


def stop_server(device: AdbDevice, root: RootMethod | None, timeout: float = 10.0) -> list[int]:
    """Stop every frida-server process, with SIGKILL for those that outlive SIGTERM.

    Returns the pids that were stopped, empty when none was running.
    """
    pids = frida_server_pids(device, root)
    if not pids:
        return []
    root = _require_root(device, root, "stop")
    for signal_args in ([], ["-9"]):
        run_as_root(device, root, ["kill", *signal_args, *map(str, pids)])
        if not _wait_until_gone(device, root, pids, timeout):
            log.warning("frida-server (pid %s) outlived kill %s", _join(pids), signal_args)
            continue
        log.info("frida-server stopped on %s (pid %s)", device.serial, _join(pids))
        return pids
    raise DeviceError(
        f"frida-server (pid {_join(pids)}) on {device.serial} is still running after SIGKILL. "
        "Reboot the device."
    )


def _wait_until_gone(device: AdbDevice, root: RootMethod, pids: list[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        remaining = set(frida_server_pids(device, root)) & set(pids)
        if not remaining:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_INTERVAL_S)


def _require_root(device: AdbDevice, root: RootMethod | None, action: str) -> RootMethod:
    if root is None:
        raise DeviceError(
            f"cannot {action} frida-server on {device.serial}: it runs as root, and the device "
            "has no root access (adbd is not root and su is missing). Run `adb root` on an "
            "emulator image without Google Play, or root the device with Magisk."
        )
    return root


def _join(pids: list[int]) -> str:
    return ", ".join(map(str, pids))
