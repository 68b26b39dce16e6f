"""Check that the adb server, the device and frida-server are ready, with a fix for each failure.

`run_doctor` returns one CheckResult per check in a fixed order. When the adb server or the
device check fails, every later check is reported as skipped, because each of them needs a
device shell.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

import frida
from adbutils import AdbDevice

from monitor.android import (
    FRIDA_SERVER_PATH,
    RootMethod,
    major_version,
    parse_df_available,
)
from monitor.device import (
    DeviceError,
    DeviceSelection,
    FridaServerState,
    adb_server_version,
    connect_adb,
    detect_root,
    frida_server_state,
    list_devices,
    run_checked,
    run_shell,
    select_serial,
)

log = logging.getLogger(__name__)

USAP_PROPERTY = "persist.device_config.runtime_native.usap_pool_enabled"
# NOTE: an estimate: room for an uncompressed frida-server (tens of MB) with margin for the
# agent's temporary files.
MIN_FREE_BYTES = 100 * 1024 * 1024

CHECK_NAMES = (
    "adb server",
    "device",
    "root",
    "SELinux",
    "frida-server installed",
    "frida-server running",
    "frida versions",
    "USAP pool",
    "free space",
)


class CheckStatus(str, enum.Enum):
    """Outcome of one check. Only FAIL makes `privmon doctor` exit non-zero."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one doctor check, with the fix to apply when it did not pass."""

    name: str
    status: CheckStatus
    detail: str
    fix: str = ""


def format_result(result: CheckResult) -> str:
    """Format a result as one line: status, name, detail, then the fix if any."""
    line = f"{result.status.value.upper():<4}  {result.name}: {result.detail}"
    return f"{line} Fix: {result.fix}" if result.fix else line


def has_failure(results: list[CheckResult]) -> bool:
    return any(result.status is CheckStatus.FAIL for result in results)


def judge_root(method: RootMethod | None) -> CheckResult:
    if method is None:
        return CheckResult(
            "root",
            CheckStatus.FAIL,
            "no root access: adbd is not root and su is missing or was denied",
            "Run `adb root` on an emulator image without Google Play, or root the device "
            "with Magisk and grant su to the shell.",
        )
    return CheckResult("root", CheckStatus.OK, f"available through {method.value}")


def judge_selinux(returncode: int, output: str) -> CheckResult:
    mode = output.strip()
    if returncode != 0 or mode not in ("Enforcing", "Permissive", "Disabled"):
        return CheckResult(
            "SELinux", CheckStatus.WARN, f"unknown mode (getenforce printed {mode[:80]!r})"
        )
    return CheckResult("SELinux", CheckStatus.OK, mode)


def judge_server_installed(state: FridaServerState) -> CheckResult:
    name = "frida-server installed"
    if not state.installed:
        return CheckResult(
            name,
            CheckStatus.FAIL,
            f"{FRIDA_SERVER_PATH} not found",
            "Install it with `privmon server install`.",
        )
    version = state.version or "unknown version"
    return CheckResult(name, CheckStatus.OK, f"{FRIDA_SERVER_PATH} ({version})")


def judge_server_running(state: FridaServerState) -> CheckResult:
    name = "frida-server running"
    if not state.running:
        return CheckResult(
            name,
            CheckStatus.FAIL,
            "no frida-server process",
            "Start it with `privmon server start`.",
        )
    return CheckResult(name, CheckStatus.OK, f"pid {', '.join(map(str, state.pids))}")


def judge_versions(client_version: str, server_version: str | None) -> CheckResult:
    name = "frida versions"
    if server_version is None:
        return CheckResult(name, CheckStatus.SKIP, "skipped because the server version is unknown")
    if major_version(client_version) != major_version(server_version):
        return CheckResult(
            name,
            CheckStatus.FAIL,
            f"major version mismatch: frida {client_version} on the host, frida-server "
            f"{server_version} on the device",
            "Stop the server with `privmon server stop`, then run `privmon server install`.",
        )
    return CheckResult(
        name, CheckStatus.OK, f"frida {client_version}, frida-server {server_version}"
    )


def judge_usap(value: str) -> CheckResult:
    if value.strip().lower() == "true":
        return CheckResult(
            "USAP pool",
            CheckStatus.FAIL,
            f"{USAP_PROPERTY}=true, which breaks spawning apps with frida",
            f"Run `adb shell su -c 'setprop {USAP_PROPERTY} false'`, then reboot if spawning "
            "still fails.",
        )
    return CheckResult(
        "USAP pool", CheckStatus.OK, f"{USAP_PROPERTY} is {value.strip() or 'unset'}"
    )


def judge_free_space(available: int) -> CheckResult:
    detail = f"{available / 1024**2:.0f} MiB available on /data/local/tmp"
    if available < MIN_FREE_BYTES:
        return CheckResult(
            "free space",
            CheckStatus.FAIL,
            f"{detail}, below {MIN_FREE_BYTES // 1024**2} MiB",
            "Delete files under /data/local/tmp or /sdcard.",
        )
    return CheckResult("free space", CheckStatus.OK, detail)


def _skipped(names: tuple[str, ...], reason: str) -> list[CheckResult]:
    return [CheckResult(name, CheckStatus.SKIP, reason) for name in names]


def run_doctor(
    selection: DeviceSelection, client_version: str = frida.__version__
) -> list[CheckResult]:
    """Run every check in CHECK_NAMES order against the device chosen by `selection`."""
    try:
        client = connect_adb()
        version = adb_server_version(client)
    except DeviceError as error:
        failed = CheckResult("adb server", CheckStatus.FAIL, str(error))
        return [failed, *_skipped(CHECK_NAMES[1:], "skipped because no adb server answered")]
    results = [
        CheckResult(
            "adb server", CheckStatus.OK, f"protocol {version} at {client.host}:{client.port}"
        )
    ]
    try:
        serial = select_serial(list_devices(client), selection)
    except DeviceError as error:
        results.append(CheckResult("device", CheckStatus.FAIL, str(error)))
        return results + _skipped(CHECK_NAMES[2:], "skipped because no device is usable")
    results.append(CheckResult("device", CheckStatus.OK, f"{serial} is online and authorized"))
    return results + _device_checks(client.device(serial), client_version)


def _device_checks(device: AdbDevice, client_version: str) -> list[CheckResult]:
    # detect_root logs and skips a failing probe, so it does not raise.
    root = detect_root(device)
    results = [judge_root(root), _run_check("SELinux", lambda: _selinux(device))]
    results += _server_checks(device, root, client_version)
    results.append(_run_check("USAP pool", lambda: _usap(device)))
    results.append(_run_check("free space", lambda: _free_space(device)))
    return results


def _server_checks(
    device: AdbDevice, root: RootMethod | None, client_version: str
) -> list[CheckResult]:
    try:
        state = frida_server_state(device, root)
    except DeviceError as error:
        failed = CheckResult("frida-server installed", CheckStatus.FAIL, str(error))
        reason = "skipped because frida-server could not be inspected"
        return [failed, *_skipped(("frida-server running", "frida versions"), reason)]
    return [
        judge_server_installed(state),
        judge_server_running(state),
        judge_versions(client_version, state.version),
    ]


def _selinux(device: AdbDevice) -> CheckResult:
    result = run_shell(device, ["getenforce"])
    return judge_selinux(result.returncode, result.stdout)


def _usap(device: AdbDevice) -> CheckResult:
    return judge_usap(run_checked(device, ["getprop", USAP_PROPERTY]))


def _free_space(device: AdbDevice) -> CheckResult:
    output = run_checked(device, ["df", "-k", "/data/local/tmp"])
    return judge_free_space(parse_df_available(output))


def _run_check(name: str, check: Callable[[], CheckResult]) -> CheckResult:
    """Run `check`, turning a DeviceError or an unparsable output into a FAIL for `name`."""
    try:
        return check()
    except (DeviceError, ValueError) as error:
        log.warning("doctor check %s failed: %s", name, error)
        return CheckResult(name, CheckStatus.FAIL, str(error))
