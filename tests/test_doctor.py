"""Tests for `privmon doctor`: the check verdicts, and the command against a real adb server."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from monitor.android import RootMethod
from monitor.device import DeviceSelection, FridaServerState
from monitor.device_commands import doctor
from monitor.doctor import (
    CHECK_NAMES,
    MIN_FREE_BYTES,
    CheckResult,
    CheckStatus,
    format_result,
    has_failure,
    judge_free_space,
    judge_root,
    judge_selinux,
    judge_server_installed,
    judge_server_running,
    judge_usap,
    judge_versions,
    run_doctor,
)
from tests.conftest import free_port


@pytest.fixture
def no_adb_env(monkeypatch: pytest.MonkeyPatch) -> int:
    port = free_port()
    monkeypatch.setenv("ANDROID_ADB_SERVER_HOST", "127.0.0.1")
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    monkeypatch.delenv("ANDROID_SERIAL", raising=False)
    return port


@pytest.fixture
def doctor_cli() -> click.Group:
    @click.group()
    def cli() -> None:
        pass

    cli.add_command(doctor)
    return cli


# Verdicts


def test_versions_major_mismatch_fails() -> None:
    result = judge_versions("17.2.11", "16.7.19")
    assert result.status is CheckStatus.FAIL
    assert "major version mismatch" in result.detail
    assert "17.2.11" in result.detail
    assert "16.7.19" in result.detail
    assert "privmon server install" in result.fix


def test_versions_same_major_passes() -> None:
    assert judge_versions("17.2.11", "17.0.1").status is CheckStatus.OK


def test_versions_unknown_server_skipped() -> None:
    assert judge_versions("17.2.11", None).status is CheckStatus.SKIP


def test_usap_enabled_fails_with_setprop_fix() -> None:
    result = judge_usap("true\n")
    assert result.status is CheckStatus.FAIL
    assert "setprop persist.device_config.runtime_native.usap_pool_enabled false" in result.fix


@pytest.mark.parametrize("value", ["false", "", "\n"])
def test_usap_disabled_or_unset_passes(value: str) -> None:
    assert judge_usap(value).status is CheckStatus.OK


def test_free_space_below_minimum_fails() -> None:
    result = judge_free_space(MIN_FREE_BYTES - 1)
    assert result.status is CheckStatus.FAIL
    assert "/data/local/tmp" in result.detail


def test_free_space_enough_passes() -> None:
    assert judge_free_space(4 * 1024**3).status is CheckStatus.OK


def test_root_missing_fails() -> None:
    result = judge_root(None)
    assert result.status is CheckStatus.FAIL
    assert "adb root" in result.fix


def test_root_method_reported() -> None:
    result = judge_root(RootMethod.SU_C)
    assert result.status is CheckStatus.OK
    assert "su -c" in result.detail


@pytest.mark.parametrize(
    ("returncode", "output", "status"),
    [
        (0, "Enforcing\n", CheckStatus.OK),
        (0, "Permissive", CheckStatus.OK),
        (127, "/system/bin/sh: getenforce: not found", CheckStatus.WARN),
    ],
)
def test_selinux_modes(returncode: int, output: str, status: CheckStatus) -> None:
    assert judge_selinux(returncode, output).status is status


def test_server_not_installed_fails() -> None:
    state = FridaServerState(installed=False, version=None)
    installed = judge_server_installed(state)
    assert installed.status is CheckStatus.FAIL
    assert "privmon server install" in installed.fix
    running = judge_server_running(state)
    assert running.status is CheckStatus.FAIL
    assert "privmon server start" in running.fix


def test_server_running_lists_pids() -> None:
    state = FridaServerState(installed=True, version="17.2.11", pids=[5121, 5122])
    assert judge_server_installed(state).detail.endswith("(17.2.11)")
    running = judge_server_running(state)
    assert running.status is CheckStatus.OK
    assert running.detail == "pid 5121, 5122"


def test_format_result_single_line_with_fix() -> None:
    line = format_result(CheckResult("USAP pool", CheckStatus.FAIL, "enabled", "Disable it."))
    assert line == "FAIL  USAP pool: enabled Fix: Disable it."
    assert "\n" not in line


def test_has_failure_ignores_warn_and_skip() -> None:
    results = [
        CheckResult("a", CheckStatus.OK, ""),
        CheckResult("b", CheckStatus.WARN, ""),
        CheckResult("c", CheckStatus.SKIP, ""),
    ]
    assert not has_failure(results)
    assert has_failure([*results, CheckResult("d", CheckStatus.FAIL, "")])


# run_doctor against adb servers


def test_doctor_without_adb_server(no_adb_env: int) -> None:
    results = run_doctor(DeviceSelection())
    assert [result.name for result in results] == list(CHECK_NAMES)
    assert results[0].status is CheckStatus.FAIL
    assert f"127.0.0.1:{no_adb_env}" in results[0].detail
    assert "adb start-server" in results[0].detail
    assert all(result.status is CheckStatus.SKIP for result in results[1:])


def test_doctor_with_server_and_no_device(adb_env: int) -> None:
    results = run_doctor(DeviceSelection())
    assert [result.name for result in results] == list(CHECK_NAMES)
    assert results[0].status is CheckStatus.OK
    assert f"127.0.0.1:{adb_env}" in results[0].detail
    assert results[1].status is CheckStatus.FAIL
    assert "no online Android device" in results[1].detail
    assert all(result.status is CheckStatus.SKIP for result in results[2:])


def test_doctor_command_no_device_exit_code(adb_env: int, doctor_cli: click.Group) -> None:
    result = CliRunner().invoke(doctor_cli, ["doctor"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == len(CHECK_NAMES)
    assert lines[0].startswith("OK    adb server: protocol ")
    assert lines[1].startswith("FAIL  device: no online Android device (attached: none).")
    assert lines[2].startswith("SKIP  root: skipped because no device is usable")


def test_doctor_command_unknown_serial(adb_env: int, doctor_cli: click.Group) -> None:
    result = CliRunner().invoke(doctor_cli, ["doctor", "-D", "unknown-serial"])
    assert result.exit_code == 1
    assert "FAIL  device: device 'unknown-serial' from -D/--device not found" in result.output


def test_doctor_command_no_server(no_adb_env: int, doctor_cli: click.Group) -> None:
    result = CliRunner().invoke(doctor_cli, ["doctor"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(
        f"FAIL  adb server: no adb server is listening at 127.0.0.1:{no_adb_env}"
    )
    assert all(line.startswith("SKIP  ") for line in lines[1:])


def test_doctor_command_exclusive_flags(doctor_cli: click.Group) -> None:
    result = CliRunner().invoke(doctor_cli, ["doctor", "-U", "-D", "emulator-5554"])
    assert result.exit_code == 2
    assert "cannot be combined" in result.output
