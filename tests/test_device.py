"""Tests for device selection and the adb layer, against a real adb server on loopback.

The adb server runs on a free 127.0.0.1 port with mDNS, emulator scanning and USB turned off,
so it finds no device and sends nothing off this machine.
"""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path
from typing import Any

import click
import frida
import pytest
from adbutils import AdbDeviceInfo, AdbTimeout
from adbutils._proto import ShellReturn
from adbutils._utils import list2cmdline
from click.testing import CliRunner

from monitor import device as device_module
from monitor.device import (
    DeviceError,
    DeviceSelection,
    app_metadata,
    connect_adb,
    device_options,
    list_devices,
    resolve_adb_device,
    resolve_frida_device,
    run_shell,
    select_serial,
    split_host,
)
from monitor.device_commands import devices
from tests.conftest import free_port


def port_is_closed(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


# DeviceSelection and the click decorator


@pytest.mark.parametrize(
    "kwargs",
    [
        {"usb": True, "serial": "emulator-5554"},
        {"serial": "emulator-5554", "host": "127.0.0.1"},
        {"usb": True, "host": "127.0.0.1"},
        {"usb": True, "serial": "x", "host": "127.0.0.1"},
    ],
)
def test_selection_flags_are_exclusive(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="cannot be combined"):
        DeviceSelection(**kwargs)


def test_selection_rejects_empty_serial() -> None:
    with pytest.raises(ValueError, match="needs a device serial"):
        DeviceSelection(serial=" ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1", None)),
        ("127.0.0.1:27043", ("127.0.0.1", 27043)),
        ("phone.local", ("phone.local", None)),
        ("[::1]:27042", ("::1", 27042)),
        ("::1", ("::1", None)),
    ],
)
def test_split_host_valid(value: str, expected: tuple[str, int | None]) -> None:
    assert split_host(value) == expected


@pytest.mark.parametrize("value", ["", ":27042", "host:0", "host:70000", "host:port", "a b"])
def test_split_host_invalid(value: str) -> None:
    with pytest.raises(ValueError):
        split_host(value)


@pytest.fixture
def selection_cli() -> click.Group:
    @click.group()
    def cli() -> None:
        pass

    @cli.command()
    @device_options
    def show(selection: DeviceSelection) -> None:
        click.echo(repr(selection))

    return cli


def test_device_options_pass_selection(selection_cli: click.Group) -> None:
    result = CliRunner().invoke(selection_cli, ["show", "-D", "emulator-5554"])
    assert result.exit_code == 0
    assert "serial='emulator-5554'" in result.output


def test_device_options_default_is_empty(selection_cli: click.Group) -> None:
    result = CliRunner().invoke(selection_cli, ["show"])
    assert result.exit_code == 0
    assert result.output.strip() == repr(DeviceSelection())


@pytest.mark.parametrize(
    "args",
    [
        ["-U", "-D", "emulator-5554"],
        ["--device", "x", "--host", "127.0.0.1"],
        ["-U", "-H", "127.0.0.1:27042"],
    ],
)
def test_device_options_exclusive_usage_error(selection_cli: click.Group, args: list[str]) -> None:
    result = CliRunner().invoke(selection_cli, ["show", *args])
    assert result.exit_code == 2
    assert "cannot be combined" in result.output


def test_device_options_bad_port_usage_error(selection_cli: click.Group) -> None:
    result = CliRunner().invoke(selection_cli, ["show", "-H", "127.0.0.1:99999"])
    assert result.exit_code == 2
    assert "invalid port" in result.output


# select_serial on device lists


def info(serial: str, state: str = "device") -> AdbDeviceInfo:
    return AdbDeviceInfo(serial=serial, state=state)


def test_select_only_online_device() -> None:
    infos = [info("R58M123", "offline"), info("emulator-5554")]
    assert select_serial(infos, DeviceSelection(), environ={}) == "emulator-5554"


def test_select_android_serial_variable() -> None:
    infos = [info("emulator-5554"), info("emulator-5556")]
    environ = {"ANDROID_SERIAL": "emulator-5556"}
    assert select_serial(infos, DeviceSelection(), environ=environ) == "emulator-5556"


def test_select_flag_beats_variable() -> None:
    infos = [info("emulator-5554"), info("emulator-5556")]
    environ = {"ANDROID_SERIAL": "emulator-5556"}
    selection = DeviceSelection(serial="emulator-5554")
    assert select_serial(infos, selection, environ=environ) == "emulator-5554"


def test_select_none_online_lists_every_state() -> None:
    infos = [info("R58M123", "unauthorized"), info("emulator-5554", "offline")]
    with pytest.raises(DeviceError) as raised:
        select_serial(infos, DeviceSelection(), environ={})
    message = str(raised.value)
    assert "no online Android device" in message
    assert "R58M123 (unauthorized)" in message
    assert "emulator-5554 (offline)" in message


def test_select_several_online_asks_for_serial() -> None:
    infos = [info("emulator-5554"), info("emulator-5556")]
    with pytest.raises(DeviceError, match="2 devices are online.*-D SERIAL"):
        select_serial(infos, DeviceSelection(), environ={})


def test_select_usb_ignores_android_serial() -> None:
    infos = [info("emulator-5554")]
    environ = {"ANDROID_SERIAL": "gone"}
    assert select_serial(infos, DeviceSelection(usb=True), environ=environ) == "emulator-5554"


def test_select_unauthorized_serial_gives_fix() -> None:
    infos = [info("R58M123", "unauthorized")]
    with pytest.raises(DeviceError, match="R58M123 is unauthorized.*Allow USB debugging"):
        select_serial(infos, DeviceSelection(serial="R58M123"), environ={})


def test_select_offline_serial_gives_fix() -> None:
    infos = [info("emulator-5554", "offline")]
    with pytest.raises(DeviceError, match="offline.*adb kill-server"):
        select_serial(infos, DeviceSelection(serial="emulator-5554"), environ={})


def test_select_missing_variable_serial() -> None:
    with pytest.raises(DeviceError, match="'gone' from ANDROID_SERIAL not found"):
        select_serial(
            [info("emulator-5554")], DeviceSelection(), environ={"ANDROID_SERIAL": "gone"}
        )


# Against the real adb server


def test_adb_server_lists_no_devices(adb_env: int) -> None:
    client = connect_adb()
    assert client.port == adb_env
    assert list_devices(client) == []


def test_adb_no_device_error(adb_env: int) -> None:
    with pytest.raises(DeviceError, match=r"no online Android device \(attached: none\)"):
        resolve_adb_device(DeviceSelection())


def test_adb_unknown_serial_error(adb_env: int) -> None:
    with pytest.raises(DeviceError, match="'unknown-serial' from -D/--device not found"):
        resolve_adb_device(DeviceSelection(serial="unknown-serial"))


def test_adb_android_serial_not_attached(adb_env: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDROID_SERIAL", "emulator-5580")
    with pytest.raises(DeviceError, match="from ANDROID_SERIAL not found"):
        resolve_adb_device(DeviceSelection())


def test_adb_no_server_error_starts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("ANDROID_ADB_SERVER_HOST", "127.0.0.1")
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    with pytest.raises(DeviceError, match=f"no adb server is listening at 127.0.0.1:{port}"):
        resolve_adb_device(DeviceSelection())
    assert port_is_closed(port)


@pytest.fixture
def device_cli() -> click.Group:
    @click.group()
    def cli() -> None:
        pass

    cli.add_command(devices)
    return cli


def test_devices_command_empty_table(adb_env: int, device_cli: click.Group) -> None:
    result = CliRunner().invoke(device_cli, ["devices"])
    assert result.exit_code == 0
    assert f"No device is attached to the adb server at 127.0.0.1:{adb_env}." in result.output


def test_devices_command_empty_json(adb_env: int, device_cli: click.Group) -> None:
    result = CliRunner().invoke(device_cli, ["devices", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == []


def test_devices_command_no_server(
    monkeypatch: pytest.MonkeyPatch, device_cli: click.Group
) -> None:
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(free_port()))
    result = CliRunner().invoke(device_cli, ["devices"])
    assert result.exit_code == 2
    assert "no adb server is listening" in result.output
    assert "adb start-server" in result.output


# Shell commands: quoting and result handling


def test_adbutils_quoting_blocks_injection(tmp_path: Path) -> None:
    hostile = ["com.x; touch injected", "$(touch injected)", "`touch injected`", "a'b"]
    line = list2cmdline(["printf", "%s\\n", *hostile])
    output = subprocess.run(
        ["/bin/sh", "-c", line], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert output.splitlines() == hostile
    assert not (tmp_path / "injected").exists()


class ForbiddenDevice:
    """A device stand-in that fails the test if any adb call is attempted."""

    serial = "forbidden"

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"device.{name} used before the package name was validated")


@pytest.mark.parametrize("package", ["com.x; rm -rf /", "$(id)", "com.x && reboot"])
def test_app_metadata_rejects_hostile_package(package: str) -> None:
    with pytest.raises(ValueError, match="invalid package name"):
        app_metadata(ForbiddenDevice(), package)  # type: ignore[arg-type]


class ShellStub:
    """Minimal AdbDevice stand-in that returns a fixed shell2 result or raises."""

    serial = "stub"

    def __init__(self, result: ShellReturn | Exception) -> None:
        self.result = result
        self.calls: list[list[str]] = []

    def shell2(self, argv: list[str], timeout: float, v2: bool) -> ShellReturn:
        self.calls.append(argv)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def test_run_shell_v1_output_fallback() -> None:
    stub = ShellStub(ShellReturn(command="getprop", returncode=0, output="[a]: [b]\n"))
    result = run_shell(stub, ["getprop"])  # type: ignore[arg-type]
    assert result.stdout == "[a]: [b]\n"
    assert result.ok
    assert stub.calls == [["getprop"]]


def test_run_shell_keeps_separate_streams() -> None:
    shell_return = ShellReturn(
        command="x", returncode=1, output="outerr", stdout="out", stderr="err"
    )
    result = run_shell(ShellStub(shell_return), ["x"])  # type: ignore[arg-type]
    assert result.stdout == "out"
    assert result.stderr == "err"
    assert not result.ok


def test_run_shell_timeout_becomes_device_error() -> None:
    stub = ShellStub(AdbTimeout("adb read timeout"))
    with pytest.raises(DeviceError, match="`sleep 99` timed out after 5 s on stub"):
        run_shell(stub, ["sleep", "99"], timeout=5)  # type: ignore[arg-type]


# resolve_frida_device error mapping, with frida's lookups replaced


class FridaDeviceStub:
    def __init__(self, device_type: str, access: str) -> None:
        self.type = device_type
        self.access = access

    def query_system_parameters(self) -> dict[str, Any]:
        return {"access": self.access}


def raise_error(error: Exception) -> Any:
    def raiser(*args: Any, **kwargs: Any) -> Any:
        raise error

    return raiser


def test_frida_unknown_device(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frida, "get_device", raise_error(frida.InvalidArgumentError("not found")))
    with pytest.raises(DeviceError, match="frida could not find device unknown-serial"):
        resolve_frida_device(DeviceSelection(serial="unknown-serial"), timeout=0)


def test_frida_usb_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frida, "get_usb_device", raise_error(frida.TimedOutError("timed out")))
    with pytest.raises(DeviceError, match="timed out after 1 s waiting for the USB device"):
        resolve_frida_device(DeviceSelection(usb=True), timeout=1)


def test_frida_usb_without_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frida, "get_usb_device", lambda timeout: FridaDeviceStub("usb", "jailed"))
    with pytest.raises(DeviceError, match="no frida-server responds.*privmon server start"):
        resolve_frida_device(DeviceSelection(usb=True))


def test_frida_usb_with_server(monkeypatch: pytest.MonkeyPatch) -> None:
    stub = FridaDeviceStub("usb", "full")
    monkeypatch.setattr(frida, "get_usb_device", lambda timeout: stub)
    assert resolve_frida_device(DeviceSelection(usb=True)) is stub


def test_frida_remote_protocol_mismatch(monkeypatch: pytest.MonkeyPatch) -> None:
    class Manager:
        def add_remote_device(self, host: str) -> Any:
            raise frida.ProtocolError("unable to communicate with remote frida-server")

    monkeypatch.setattr(frida, "get_device_manager", Manager)
    with pytest.raises(DeviceError, match="major versions differ"):
        resolve_frida_device(DeviceSelection(host="127.0.0.1:27042"))


def test_frida_remote_not_running(monkeypatch: pytest.MonkeyPatch) -> None:
    class Manager:
        def add_remote_device(self, host: str) -> Any:
            raise frida.ServerNotRunningError("unable to connect to remote frida-server")

    monkeypatch.setattr(frida, "get_device_manager", Manager)
    with pytest.raises(DeviceError, match="frida-server does not respond for host 127.0.0.1"):
        resolve_frida_device(DeviceSelection(host="127.0.0.1"))


def test_frida_default_uses_adb_rule(adb_env: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_module.frida, "get_device", raise_error(AssertionError("called")))
    with pytest.raises(DeviceError, match="no online Android device"):
        resolve_frida_device(DeviceSelection())
