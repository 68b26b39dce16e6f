"""Select an Android device and run commands on it through adbutils and frida.

The flags follow frida-tools: -U/--usb, -D/--device SERIAL or -H/--host HOST[:PORT], at most
one. Without a flag the device is ANDROID_SERIAL, else the only online device.

adbutils (checked on 2.12) reads the adb server address when an AdbClient is created:
ANDROID_ADB_SERVER_HOST (default 127.0.0.1) and ANDROID_ADB_SERVER_PORT (default 5037). It has
no ADBUTILS_ADB_HOST or ADBUTILS_ADB_PORT variable. ADBUTILS_ADB_PATH only selects the adb
binary, which is otherwise the one on PATH, then a copy inside the adbutils wheel.
`connect_adb` builds a new client on each call, so changes to those variables apply without a
re-import. It also checks that a server listens before adbutils uses it, because adbutils runs
`adb start-server` by itself when a connection fails, and privmon does not start servers as a
side effect.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import shlex
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click
import frida
from adbutils import AdbClient, AdbDevice, AdbDeviceInfo, AdbError, AdbTimeout

from monitor.android import (
    FRIDA_SERVER_PATH,
    ProcessRecord,
    RootMethod,
    UiNode,
    build_root_argv,
    is_frida_server,
    parse_dumpsys_package,
    parse_frida_version,
    parse_getprop,
    parse_pm_path,
    parse_ps,
    parse_sha256sum,
    parse_ui_dump,
    parse_uid,
    validate_device_path,
    validate_package_name,
)
from monitor.errors import DeviceError

log = logging.getLogger(__name__)

ONLINE = "device"
_CONNECT_TIMEOUT_S = 2.0
_SHELL_TIMEOUT_S = 30.0
# su from Magisk waits for the user to grant access, so a probe gives up after this long.
_SU_PROBE_TIMEOUT_S = 15.0

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class DeviceSelection:
    """Device chosen on the command line, with at most one of the three fields set."""

    usb: bool = False
    serial: str | None = None
    host: str | None = None

    def __post_init__(self) -> None:
        chosen = [
            flag
            for flag, is_set in (
                ("-U/--usb", self.usb),
                ("-D/--device", self.serial is not None),
                ("-H/--host", self.host is not None),
            )
            if is_set
        ]
        if len(chosen) > 1:
            raise ValueError(f"options {' and '.join(chosen)} cannot be combined: pass only one")
        if self.serial is not None and not self.serial.strip():
            raise ValueError("-D/--device needs a device serial, such as emulator-5554")
        if self.host is not None:
            split_host(self.host)

    def describe(self) -> str:
        if self.usb:
            return "the USB device"
        if self.serial is not None:
            return f"device {self.serial}"
        if self.host is not None:
            return f"host {self.host}"
        return "the default device"


def split_host(value: str) -> tuple[str, int | None]:
    """Split HOST[:PORT] (IPv6 as [ADDR]:PORT) into host and port, raising ValueError if invalid."""
    match = re.fullmatch(r"\[(?P<v6>[^\]]+)\](?::(?P<v6port>\d+))?", value)
    if match:
        host, port_text = match["v6"], match["v6port"]
    elif value.count(":") == 1:
        host, port_text = value.split(":")
    else:
        # A bare IPv6 address contains several colons and cannot carry a port.
        host, port_text = value, None
    if not host or any(char.isspace() for char in host):
        raise ValueError(f"invalid host {value!r}: use HOST or HOST:PORT, such as 127.0.0.1:27042")
    if port_text is None:
        return host, None
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"invalid port in {value!r}: use a number from 1 to 65535")
    return host, int(port_text)


def device_options(command: F) -> F:
    """Add -U/--usb, -D/--device and -H/--host to a click command.

    The command receives a `selection: DeviceSelection` keyword argument. Passing more than
    one of the flags is a usage error (exit code 2).
    """

    @click.option("-U", "--usb", is_flag=True, help="Use the USB device, as frida -U does.")
    @click.option(
        "-D", "--device", "serial", metavar="SERIAL", help="Use the device with this adb serial."
    )
    @click.option(
        "-H",
        "--host",
        metavar="HOST[:PORT]",
        help="Use the frida-server at HOST (default port 27042). adb commands then use the "
        "default device.",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, usb: bool, serial: str | None, host: str | None, **kwargs: Any) -> Any:
        try:
            selection = DeviceSelection(usb=usb, serial=serial, host=host)
        except ValueError as error:
            raise click.UsageError(str(error)) from error
        return command(*args, selection=selection, **kwargs)

    return wrapper  # type: ignore[return-value]


def connect_adb() -> AdbClient:
    """Return an adbutils client for the configured adb server, raising DeviceError if none
    is listening there."""
    client = AdbClient()
    try:
        with socket.create_connection((client.host, client.port), timeout=_CONNECT_TIMEOUT_S):
            pass
    except OSError as error:
        raise DeviceError(
            f"no adb server is listening at {client.host}:{client.port} "
            f"({error.strerror or error}). Start one with `adb start-server`, or set "
            "ANDROID_ADB_SERVER_PORT to the port of a running server."
        ) from error
    return client


def adb_server_version(client: AdbClient) -> int:
    """Return the adb server's protocol version (41 for adb 1.0.41)."""
    try:
        return client.server_version()
    except (AdbError, OSError, ValueError) as error:
        raise DeviceError(
            f"the program at {client.host}:{client.port} did not respond as an adb server "
            f"({error}). Point ANDROID_ADB_SERVER_PORT at an adb server, or restart adb with "
            "`adb kill-server` and `adb start-server`."
        ) from error


def list_devices(client: AdbClient) -> list[AdbDeviceInfo]:
    """List every device attached to the adb server, offline and unauthorized ones included."""
    try:
        return client.list(extended=True)
    except (AdbError, OSError) as error:
        raise DeviceError(
            f"listing devices on the adb server at {client.host}:{client.port} failed: {error}. "
            "Restart adb with `adb kill-server` and `adb start-server`."
        ) from error


def format_device_list(infos: Sequence[AdbDeviceInfo]) -> str:
    """Format devices as ``serial (state), ...``, or ``none``."""
    if not infos:
        return "none"
    return ", ".join(f"{info.serial} ({info.state})" for info in infos)


def select_serial(
    infos: Sequence[AdbDeviceInfo],
    selection: DeviceSelection,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Choose the adb serial for `selection` among `infos`, raising DeviceError if none fits.

    -D wins. -U and -H use the only online device, and so does no flag when ANDROID_SERIAL is
    unset. The chosen device must be online.
    """
    environ = os.environ if environ is None else environ
    env_serial = environ.get("ANDROID_SERIAL", "").strip()
    if selection.serial is not None:
        return _require_online(infos, selection.serial, "-D/--device")
    if env_serial and not selection.usb:
        return _require_online(infos, env_serial, "ANDROID_SERIAL")
    online = [info for info in infos if info.state == ONLINE]
    if len(online) == 1:
        return online[0].serial
    attached = format_device_list(infos)
    if not online:
        raise DeviceError(
            f"no online Android device (attached: {attached}). Connect a device with USB "
            "debugging enabled or start an emulator, then check it with `adb devices`."
        )
    raise DeviceError(
        f"{len(online)} devices are online (attached: {attached}). Choose one with "
        "-D SERIAL or the ANDROID_SERIAL variable."
    )


def _require_online(infos: Sequence[AdbDeviceInfo], serial: str, source: str) -> str:
    info = next((info for info in infos if info.serial == serial), None)
    if info is None:
        raise DeviceError(
            f"device {serial!r} from {source} not found (attached: {format_device_list(infos)}). "
            "Check the serial with `privmon devices`."
        )
    if info.state == ONLINE:
        return serial
    raise DeviceError(f"device {serial} is {info.state}. {_state_fix(info.state)}")


def _state_fix(state: str) -> str:
    if state == "unauthorized":
        return "Unlock it and accept the 'Allow USB debugging' prompt, then retry."
    if state == "offline":
        return "Reconnect it, or restart adb with `adb kill-server` and `adb start-server`."
    return "Boot it into Android with USB debugging enabled, then retry."


def resolve_adb_device(selection: DeviceSelection, client: AdbClient | None = None) -> AdbDevice:
    """Return the adbutils device for `selection`, raising DeviceError with a fix if none."""
    client = client or connect_adb()
    serial = select_serial(list_devices(client), selection)
    return client.device(serial)


def resolve_frida_device(
    selection: DeviceSelection, timeout: float = 5.0, probe: bool = True
) -> frida.Device:
    """Return the frida device for `selection`, raising DeviceError with a fix if unusable.

    -U calls frida.get_usb_device, -D frida.get_device(serial) and -H adds a remote device.
    Without a flag the adb rule picks the serial. With `probe`, a query_system_parameters
    request checks that frida-server responds.
    """
    target = selection.describe()
    try:
        device = _get_frida_device(selection, timeout)
        if probe:
            _probe_server(device, target)
    except frida.InvalidArgumentError as error:
        raise DeviceError(
            f"frida could not find {target} ({error}). "
            "Check that it is listed by `privmon devices`."
        ) from error
    except frida.TimedOutError as error:
        raise DeviceError(
            f"frida timed out after {timeout:g} s waiting for {target}. Check the connection "
            "with `adb devices`, then retry."
        ) from error
    except frida.ServerNotRunningError as error:
        raise DeviceError(
            f"frida-server does not respond for {target} ({error}). Start it with "
            "`privmon server start`, and with -H check the host and port."
        ) from error
    except frida.ProtocolError as error:
        raise DeviceError(
            f"frida {frida.__version__} cannot talk to the frida-server of {target} ({error}), "
            "which usually means that the major versions differ. Install a matching server "
            "with `privmon server install`."
        ) from error
    except frida.TransportError as error:
        raise DeviceError(
            f"the connection to {target} failed ({error}). Check that frida-server runs and "
            "that the host and port are reachable."
        ) from error
    return device


def _probe_server(device: frida.Device, target: str) -> None:
    access = device.query_system_parameters().get("access")
    # Without frida-server, frida 17 builds the parameters of a USB device from `getprop`
    # over adb and reports access "jailed". frida-server itself reports "full".
    if device.type == "usb" and access != "full":
        raise DeviceError(
            f"frida reaches {target}, but no frida-server responds on port 27042 (access is "
            f"{access!r}). Start it with `privmon server start`."
        )


def _get_frida_device(selection: DeviceSelection, timeout: float) -> frida.Device:
    if selection.usb:
        return frida.get_usb_device(timeout)
    if selection.host is not None:
        return frida.get_device_manager().add_remote_device(selection.host)
    if selection.serial is not None:
        return frida.get_device(selection.serial, timeout)
    serial = select_serial(list_devices(connect_adb()), selection)
    return frida.get_device(serial, timeout)


@dataclass(frozen=True)
class ShellResult:
    """Exit status and output of one device shell command."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_shell(
    device: AdbDevice, argv: Sequence[str], timeout: float = _SHELL_TIMEOUT_S
) -> ShellResult:
    """Run `argv` in the device shell. adbutils quotes each element, so no argument is
    interpreted by the shell."""
    command = shlex.join(argv)
    try:
        result = device.shell2(list(argv), timeout=timeout, v2=True)
    except AdbTimeout as error:
        raise DeviceError(
            f"`{command}` timed out after {timeout:g} s on {device.serial}. Check that the "
            "device is responsive with `adb shell true`."
        ) from error
    except (AdbError, OSError) as error:
        raise DeviceError(
            f"`{command}` failed on {device.serial}: {error}. Check the connection with "
            "`adb devices`."
        ) from error
    # Without shell protocol v2 (Android 6 and older) adbutils returns stdout and stderr
    # merged in `output` and leaves both fields empty.
    stdout = result.stdout if (result.stdout or result.stderr) else result.output
    return ShellResult(tuple(argv), result.returncode, stdout, result.stderr)


def run_checked(device: AdbDevice, argv: Sequence[str], timeout: float = _SHELL_TIMEOUT_S) -> str:
    """Run `argv` in the device shell and return stdout, raising DeviceError on a non-zero exit."""
    result = run_shell(device, argv, timeout)
    if not result.ok:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise DeviceError(
            f"`{shlex.join(argv)}` exited with status {result.returncode} on {device.serial}"
            + (f": {detail[0]}" if detail else "")
        )
    return result.stdout


def detect_root(device: AdbDevice) -> RootMethod | None:
    """Return how the device runs commands as root, or None if it cannot.

    Tried in order: adbd as root, then ``su -c`` (Magisk, SuperSU), then ``su 0`` (AOSP su).
    """
    for method in RootMethod:
        argv = build_root_argv(method, ["id", "-u"])
        try:
            result = run_shell(device, argv, timeout=_SU_PROBE_TIMEOUT_S)
        except DeviceError as error:
            log.warning("root probe %s failed on %s: %s", method.value, device.serial, error)
            continue
        if result.ok and parse_uid(result.stdout) == 0:
            return method
    return None


def run_as_root(
    device: AdbDevice, method: RootMethod, argv: Sequence[str], timeout: float = _SHELL_TIMEOUT_S
) -> ShellResult:
    """Run `argv` as root with `method`."""
    return run_shell(device, build_root_argv(method, argv), timeout)


def read_properties(device: AdbDevice) -> dict[str, str]:
    """Return every system property of the device."""
    return parse_getprop(run_checked(device, ["getprop"]))


def list_processes(device: AdbDevice, root: RootMethod | None = None) -> list[ProcessRecord]:
    """List the device's processes, as root when `root` is given so that none is hidden."""
    for argv in (["ps", "-A", "-o", "PID,PPID,USER,NAME"], ["ps"]):
        result = run_as_root(device, root, argv) if root else run_shell(device, argv)
        if not result.ok:
            continue
        try:
            processes = parse_ps(result.stdout)
        except ValueError:
            continue
        # Old toolbox ps reads "-A" as a name filter and prints only the header.
        if processes:
            return processes
    raise DeviceError(
        f"`ps` printed no processes on {device.serial}. Run `adb shell ps -A` to see its output."
    )


@dataclass(frozen=True)
class FridaServerState:
    """frida-server on a device: the binary at FRIDA_SERVER_PATH and running processes."""

    installed: bool
    version: str | None
    pids: list[int] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return bool(self.pids)


def frida_server_pids(device: AdbDevice, root: RootMethod | None = None) -> list[int]:
    """Return the pids of processes whose name starts with frida-server."""
    return [process.pid for process in list_processes(device, root) if is_frida_server(process)]


def frida_server_state(device: AdbDevice, root: RootMethod | None = None) -> FridaServerState:
    """Find frida-server processes and the version of the binary at FRIDA_SERVER_PATH."""
    pids = frida_server_pids(device, root)
    installed = run_shell(device, ["test", "-f", FRIDA_SERVER_PATH]).ok
    version = None
    if installed:
        result = run_shell(device, [FRIDA_SERVER_PATH, "--version"], timeout=15)
        try:
            version = parse_frida_version(result.stdout) if result.ok else None
        except ValueError:
            log.warning("unexpected `frida-server --version` output: %r", result.stdout[:200])
    return FridaServerState(installed=installed, version=version, pids=pids)


@dataclass
class DeviceSummary:
    """One row of `privmon devices`."""

    serial: str
    state: str
    model: str | None = None
    android_version: str | None = None
    sdk: int | None = None
    abi: str | None = None
    rooted: bool | None = None
    root_method: str | None = None
    frida_server_running: bool | None = None
    frida_server_pids: list[int] = field(default_factory=list)
    frida_server_version: str | None = None
    error: str | None = None


def describe_device(client: AdbClient, info: AdbDeviceInfo) -> DeviceSummary:
    """Collect the facts for one `privmon devices` row. An online device gets its properties,
    root and frida-server state. A failure is stored in `error`, not raised."""
    summary = DeviceSummary(serial=info.serial, state=info.state, model=info.tags.get("model"))
    if info.state != ONLINE:
        return summary
    device = client.device(info.serial)
    try:
        _fill_summary(summary, device)
    except DeviceError as error:
        summary.error = str(error)
    return summary


def _fill_summary(summary: DeviceSummary, device: AdbDevice) -> None:
    props = read_properties(device)
    summary.model = props.get("ro.product.model") or summary.model
    summary.android_version = props.get("ro.build.version.release")
    sdk = props.get("ro.build.version.sdk", "")
    summary.sdk = int(sdk) if sdk.isdigit() else None
    summary.abi = props.get("ro.product.cpu.abi")
    root = detect_root(device)
    summary.rooted = root is not None
    summary.root_method = root.value if root else None
    state = frida_server_state(device, root)
    summary.frida_server_running = state.running
    summary.frida_server_pids = state.pids
    summary.frida_server_version = state.version


def apk_sha256(device: AdbDevice, path: str) -> str:
    """Return the SHA-256 of a device file, computed by ``sha256sum`` on the device, or by
    streaming the file to the host when ``sha256sum`` fails or is missing (old Android)."""
    validate_device_path(path)
    result = run_shell(device, ["sha256sum", path], timeout=120)
    if result.ok:
        return parse_sha256sum(result.stdout)
    log.info(
        "sha256sum failed on %s (%s), hashing %s on the host",
        device.serial,
        (result.stderr or result.stdout).strip()[:200],
        path,
    )
    digest = hashlib.sha256()
    try:
        for chunk in device.sync.iter_content(path):
            digest.update(chunk)
    except (AdbError, OSError) as error:
        raise DeviceError(f"pulling {path} from {device.serial} failed: {error}") from error
    return digest.hexdigest()


def app_metadata(device: AdbDevice, package: str) -> dict[str, Any]:
    """Collect what a run record needs about the app under test and its device.

    Returns the package's versionName and versionCode, its APK paths with their SHA-256, and
    the device's model, manufacturer, Android release, SDK level, ABI and build fingerprint.
    """
    validate_package_name(package)
    version = parse_dumpsys_package(run_checked(device, ["dumpsys", "package", package]), package)
    if version is None:
        raise DeviceError(
            f"package {package} is not installed on {device.serial}. Install it, or check the "
            "name with `adb shell pm list packages`."
        )
    apk_paths = parse_pm_path(run_checked(device, ["pm", "path", package]))
    props = read_properties(device)
    sdk = props.get("ro.build.version.sdk", "")
    return {
        "package": package,
        "version_name": version.version_name,
        "version_code": version.version_code,
        "apk_paths": apk_paths,
        "apk_sha256": {path: apk_sha256(device, path) for path in apk_paths},
        "device": {
            "serial": device.serial,
            "model": props.get("ro.product.model"),
            "manufacturer": props.get("ro.product.manufacturer"),
            "android_release": props.get("ro.build.version.release"),
            "sdk_int": int(sdk) if sdk.isdigit() else None,
            "abi": props.get("ro.product.cpu.abi"),
            "fingerprint": props.get("ro.build.fingerprint"),
        },
    }


def dump_ui(device: AdbDevice) -> list[UiNode]:
    """Dump the current screen with ``uiautomator dump`` and return its nodes."""
    try:
        xml_text = device.dump_hierarchy()
    except (AdbError, OSError) as error:
        raise DeviceError(
            f"`uiautomator dump` failed on {device.serial}: {error}. Unlock the screen, stop "
            "other UI automation tools such as the uiautomator2 server, and retry."
        ) from error
    return parse_ui_dump(xml_text)
