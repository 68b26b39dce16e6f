"""Tests for obtaining and checking frida-server binaries, with fake ELF files and an
injected downloader. No test makes a network request."""

from __future__ import annotations

import hashlib
import lzma
import struct
import urllib.error
from pathlib import Path

import click
import pytest
from adbutils._proto import ShellReturn
from click.testing import CliRunner

from monitor.android import FRIDA_SERVER_PATH, RootMethod
from monitor.device import DeviceError
from monitor.device_commands import server
from monitor.server import (
    ELF_CLASSES,
    ELF_MACHINES,
    ServerBinary,
    ServerBinaryError,
    build_server_argv,
    cached_asset_path,
    check_elf,
    install_server,
    prepare_server_binary,
    release_url,
    start_server,
    stop_server,
)

VERSION = "17.2.11"


def fake_elf(arch: str, payload: bytes = b"frida-server test payload") -> bytes:
    """Build a minimal ELF header for `arch` followed by `payload`. It is not runnable."""
    ident = b"\x7fELF" + bytes([ELF_CLASSES[arch], 1, 1]) + bytes(9)
    header = ident + struct.pack("<HHI", 3, ELF_MACHINES[arch], 1)
    return header + bytes(64 - len(header)) + payload


def xz(data: bytes) -> bytes:
    return lzma.compress(data, format=lzma.FORMAT_XZ)


def no_download(url: str) -> bytes:
    raise AssertionError(f"unexpected download of {url}")


def offline(url: str) -> bytes:
    raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")


# --binary


def test_binary_plain_elf(tmp_path: Path) -> None:
    data = fake_elf("arm64")
    path = tmp_path / "frida-server"
    path.write_bytes(data)
    result = prepare_server_binary(
        "arm64", binary=path, cache_root=tmp_path, downloader=no_download
    )
    assert result.data == data
    assert result.source == str(path)
    assert result.source_sha256 == hashlib.sha256(data).hexdigest()
    assert not result.verified


def test_binary_xz_is_decompressed(tmp_path: Path) -> None:
    data = fake_elf("x86_64")
    path = tmp_path / f"frida-server-{VERSION}-android-x86_64.xz"
    path.write_bytes(xz(data))
    result = prepare_server_binary("x86_64", binary=path, cache_root=tmp_path)
    assert result.data == data
    assert result.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_binary_checksum_match_is_verified(tmp_path: Path) -> None:
    path = tmp_path / "server.xz"
    path.write_bytes(xz(fake_elf("arm")))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = prepare_server_binary(
        "arm", binary=path, expected_sha256=digest.upper(), cache_root=tmp_path
    )
    assert result.verified


def test_binary_checksum_mismatch_fails(tmp_path: Path) -> None:
    path = tmp_path / "server.xz"
    path.write_bytes(xz(fake_elf("arm64")))
    wrong = "0" * 64
    with pytest.raises(ServerBinaryError, match=f"SHA-256 mismatch for {path}: expected {wrong}"):
        prepare_server_binary("arm64", binary=path, expected_sha256=wrong, cache_root=tmp_path)


def test_binary_checksum_must_be_hex(tmp_path: Path) -> None:
    path = tmp_path / "server"
    path.write_bytes(fake_elf("arm64"))
    with pytest.raises(ServerBinaryError, match="invalid --sha256 value"):
        prepare_server_binary("arm64", binary=path, expected_sha256="abc", cache_root=tmp_path)


def test_binary_wrong_arch_fails(tmp_path: Path) -> None:
    path = tmp_path / "server"
    path.write_bytes(fake_elf("arm64"))
    with pytest.raises(
        ServerBinaryError, match="built for arm64, but the device needs android-x86"
    ):
        prepare_server_binary("x86", binary=path, cache_root=tmp_path)


def test_binary_not_elf_fails(tmp_path: Path) -> None:
    path = tmp_path / "server"
    path.write_bytes(b"#!/bin/sh\necho not frida\n")
    with pytest.raises(ServerBinaryError, match="is not an ELF executable"):
        prepare_server_binary("arm64", binary=path, cache_root=tmp_path)


def test_binary_named_xz_but_plain_fails(tmp_path: Path) -> None:
    path = tmp_path / "server.xz"
    path.write_bytes(fake_elf("arm64"))
    with pytest.raises(ServerBinaryError, match="is named .xz but is not xz data"):
        prepare_server_binary("arm64", binary=path, cache_root=tmp_path)


def test_binary_corrupt_xz_fails(tmp_path: Path) -> None:
    path = tmp_path / "server.xz"
    path.write_bytes(xz(fake_elf("arm64"))[:40])
    with pytest.raises(ServerBinaryError, match="is not a valid .xz file"):
        prepare_server_binary("arm64", binary=path, cache_root=tmp_path)


def test_binary_missing_file_fails(tmp_path: Path) -> None:
    with pytest.raises(ServerBinaryError, match="cannot read --binary"):
        prepare_server_binary("arm64", binary=tmp_path / "absent", cache_root=tmp_path)


# Cache folder


def test_cache_path_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVMON_CACHE_DIR", str(tmp_path))
    expected = tmp_path / "frida-server" / VERSION / f"frida-server-{VERSION}-android-arm64.xz"
    assert cached_asset_path(VERSION, "arm64") == expected


def test_cache_path_rejects_bad_version(tmp_path: Path) -> None:
    with pytest.raises(ServerBinaryError, match="invalid frida version"):
        cached_asset_path("../../etc", "arm64", tmp_path)


def test_cache_lookup_skips_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVMON_CACHE_DIR", str(tmp_path))
    data = fake_elf("arm64")
    cached = cached_asset_path(VERSION, "arm64")
    cached.parent.mkdir(parents=True)
    cached.write_bytes(xz(data))
    result = prepare_server_binary("arm64", version=VERSION, downloader=no_download)
    assert result.data == data
    assert result.source == str(cached)


def test_cache_of_other_version_not_used(tmp_path: Path) -> None:
    other = cached_asset_path("16.7.19", "arm64", tmp_path)
    other.parent.mkdir(parents=True)
    other.write_bytes(xz(fake_elf("arm64")))
    with pytest.raises(ServerBinaryError, match="in the cache"):
        prepare_server_binary("arm64", version=VERSION, cache_root=tmp_path, downloader=None)


# Downloads through an injected downloader


def test_offline_message_names_cache_path(tmp_path: Path) -> None:
    cached = cached_asset_path(VERSION, "arm64", tmp_path)
    with pytest.raises(ServerBinaryError) as raised:
        prepare_server_binary("arm64", version=VERSION, cache_root=tmp_path, downloader=offline)
    message = str(raised.value)
    assert "downloading it failed" in message
    assert "Temporary failure in name resolution" in message
    assert release_url(VERSION, "arm64") in message
    assert f"put it at {cached}" in message
    assert "--binary PATH" in message
    assert "\n" not in message


def test_no_download_message_names_cache_path(tmp_path: Path) -> None:
    cached = cached_asset_path(VERSION, "x86", tmp_path)
    with pytest.raises(ServerBinaryError, match=f"put it at {cached}"):
        prepare_server_binary("x86", version=VERSION, cache_root=tmp_path, downloader=None)


def test_download_verified_then_cached(tmp_path: Path) -> None:
    asset = xz(fake_elf("arm64"))
    requested: list[str] = []

    def downloader(url: str) -> bytes:
        requested.append(url)
        return asset

    digest = hashlib.sha256(asset).hexdigest()
    result = prepare_server_binary(
        "arm64", version=VERSION, expected_sha256=digest, cache_root=tmp_path, downloader=downloader
    )
    assert requested == [
        f"https://github.com/frida/frida/releases/download/{VERSION}/"
        f"frida-server-{VERSION}-android-arm64.xz"
    ]
    assert result.verified
    assert cached_asset_path(VERSION, "arm64", tmp_path).read_bytes() == asset
    again = prepare_server_binary(
        "arm64", version=VERSION, cache_root=tmp_path, downloader=no_download
    )
    assert again.data == result.data


def test_download_checksum_mismatch_not_cached(tmp_path: Path) -> None:
    asset = xz(fake_elf("arm64"))
    with pytest.raises(ServerBinaryError, match="SHA-256 mismatch"):
        prepare_server_binary(
            "arm64",
            version=VERSION,
            expected_sha256="f" * 64,
            cache_root=tmp_path,
            downloader=lambda url: asset,
        )
    assert not cached_asset_path(VERSION, "arm64", tmp_path).exists()


def test_download_wrong_arch_not_cached(tmp_path: Path) -> None:
    asset = xz(fake_elf("arm"))
    with pytest.raises(ServerBinaryError, match="built for arm,"):
        prepare_server_binary(
            "arm64", version=VERSION, cache_root=tmp_path, downloader=lambda url: asset
        )
    assert not cached_asset_path(VERSION, "arm64", tmp_path).exists()


# ELF check and frida-server command line


@pytest.mark.parametrize("arch", sorted(ELF_MACHINES))
def test_elf_check_accepts_matching_arch(arch: str) -> None:
    check_elf(fake_elf(arch), arch, "test")


def test_elf_check_rejects_32_bit_for_64_bit() -> None:
    with pytest.raises(
        ServerBinaryError, match="built for x86, but the device needs android-x86_64"
    ):
        check_elf(fake_elf("x86"), "x86_64", "test")


def test_server_argv_default_port() -> None:
    assert build_server_argv() == [FRIDA_SERVER_PATH, "-D"]


def test_server_argv_other_port_stays_on_loopback() -> None:
    argv = build_server_argv(27043)
    assert argv == [FRIDA_SERVER_PATH, "-D", "-l", "127.0.0.1:27043"]
    assert not any("0.0.0.0" in arg for arg in argv)


@pytest.mark.parametrize("port", [0, 65536, -1])
def test_server_argv_rejects_bad_port(port: int) -> None:
    with pytest.raises(ValueError, match="invalid port"):
        build_server_argv(port)


# The click group, on input errors that need no device


@pytest.fixture
def server_cli() -> click.Group:
    @click.group()
    def cli() -> None:
        pass

    cli.add_command(server)
    return cli


def test_server_start_port_out_of_range(server_cli: click.Group) -> None:
    result = CliRunner().invoke(server_cli, ["server", "start", "--port", "0"])
    assert result.exit_code == 2
    assert "--port" in result.output


def test_server_install_missing_binary(server_cli: click.Group, tmp_path: Path) -> None:
    result = CliRunner().invoke(server_cli, ["server", "install", "--binary", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_server_install_help_is_honest(server_cli: click.Group) -> None:
    result = CliRunner().invoke(server_cli, ["server", "install", "--help"])
    assert result.exit_code == 0
    assert "publish no checksums" in result.output


# install, start and stop against a scripted device model


class ScriptedDevice:
    """Model of a rooted device (adbd as root) that runs the shell commands privmon sends.

    It keeps files, processes and listening ports, so the orchestration in monitor.server is
    exercised end to end. Passing tests prove nothing about how a real device behaves.
    """

    serial = "scripted-1"

    def __init__(self, honour_chmod: bool = True) -> None:
        self.files: dict[str, bytes] = {}
        self.modes: dict[str, int] = {}
        self.processes: dict[int, str] = {1: "init"}
        self.ports: dict[int, int] = {}
        self.commands: list[list[str]] = []
        self.honour_chmod = honour_chmod
        self.sync = self

    def push(self, data: bytes, path: str, mode: int, check: bool) -> int:
        self.files[path] = data
        self.modes[path] = 0o777  # the model ignores the sync mode, so chmod must fix it
        return len(data)

    def shell2(self, argv: list[str], timeout: float, v2: bool) -> ShellReturn:
        self.commands.append(argv)
        returncode, stdout = self.run(argv)
        return ShellReturn(
            command=" ".join(argv), returncode=returncode, output=stdout, stdout=stdout
        )

    def run(self, argv: list[str]) -> tuple[int, str]:
        command, args = argv[0], argv[1:]
        if argv == ["id", "-u"]:
            return 0, "0\n"
        if command == "ps":
            rows = [f"{pid} 0 root {name}" for pid, name in sorted(self.processes.items())]
            return 0, "PID PPID USER NAME\n" + "\n".join(rows) + "\n"
        if command == "test":
            return (0 if args[1] in self.files else 1), ""
        if command == FRIDA_SERVER_PATH and args == ["--version"]:
            return 0, f"{VERSION}\n"
        if command == "chmod":
            if self.honour_chmod:
                self.modes[args[1]] = int(args[0], 8)
            return 0, ""
        if command == "stat":
            path = args[-1]
            return 0, f"{self.modes[path]:o} {len(self.files[path])}\n"
        if command == "sha256sum":
            return 0, f"{hashlib.sha256(self.files[args[0]]).hexdigest()}  {args[0]}\n"
        if command == "sh" and args[1].startswith(f"{FRIDA_SERVER_PATH} -D"):
            return self.start(args[1])
        if command == "cat":
            return 0, self.proc_net_tcp()
        if command == "kill":
            for pid in (int(arg) for arg in args if arg.isdigit()):
                self.processes.pop(pid, None)
                self.ports.pop(pid, None)
            return 0, ""
        return 127, f"/system/bin/sh: {command}: not found\n"

    def start(self, line: str) -> tuple[int, str]:
        listen = line.split("-l 127.0.0.1:")[1].split()[0] if "-l" in line else "27042"
        self.processes[5121] = "frida-server"
        self.ports[5121] = int(listen)
        return 0, ""

    def proc_net_tcp(self) -> str:
        rows = [
            f"{i}: 0100007F:{port:04X} 00000000:0000 0A"
            for i, port in enumerate(self.ports.values())
        ]
        return "  sl  local_address rem_address   st\n" + "\n".join(rows) + "\n"


def server_binary(arch: str = "x86_64") -> ServerBinary:
    data = fake_elf(arch)
    return ServerBinary(data, "test", hashlib.sha256(data).hexdigest(), verified=False)


def test_install_pushes_and_sets_mode() -> None:
    device = ScriptedDevice()
    binary = server_binary()
    installed = install_server(device, binary, RootMethod.ADBD)  # type: ignore[arg-type]
    assert device.files[FRIDA_SERVER_PATH] == binary.data
    assert installed.mode == 0o755
    assert installed.size == len(binary.data)
    assert installed.version == VERSION
    assert ["chmod", "755", FRIDA_SERVER_PATH] in device.commands


def test_install_rejects_world_writable_result() -> None:
    device = ScriptedDevice(honour_chmod=False)
    with pytest.raises(DeviceError, match="has mode 777, expected 755"):
        install_server(device, server_binary(), RootMethod.ADBD)  # type: ignore[arg-type]


def test_install_refuses_while_running() -> None:
    device = ScriptedDevice()
    device.processes[5121] = "frida-server"
    with pytest.raises(
        DeviceError, match=r"frida-server is running .*pid 5121.*privmon server stop"
    ):
        install_server(device, server_binary(), RootMethod.ADBD)  # type: ignore[arg-type]
    assert FRIDA_SERVER_PATH not in device.files


def test_start_waits_for_listener() -> None:
    device = ScriptedDevice()
    install_server(device, server_binary(), RootMethod.ADBD)  # type: ignore[arg-type]
    started = start_server(device, RootMethod.ADBD, port=27043, timeout=1)  # type: ignore[arg-type]
    assert started.pids == [5121]
    assert started.port == 27043
    assert not started.already_running
    start_line = next(argv for argv in device.commands if argv[0] == "sh")
    assert start_line == [
        "sh",
        "-c",
        f"{FRIDA_SERVER_PATH} -D -l 127.0.0.1:27043 </dev/null >/dev/null 2>&1",
    ]


def test_start_needs_installed_binary() -> None:
    with pytest.raises(DeviceError, match="not installed.*privmon server install"):
        start_server(ScriptedDevice(), RootMethod.ADBD)  # type: ignore[arg-type]


def test_start_needs_root() -> None:
    with pytest.raises(DeviceError, match="has no root access"):
        start_server(ScriptedDevice(), None)  # type: ignore[arg-type]


def test_start_reports_already_running() -> None:
    device = ScriptedDevice()
    install_server(device, server_binary(), RootMethod.ADBD)  # type: ignore[arg-type]
    device.processes[5121] = "frida-server"
    device.ports[5121] = 27042
    started = start_server(device, RootMethod.ADBD)  # type: ignore[arg-type]
    assert started.already_running
    assert started.pids == [5121]


def test_stop_kills_and_reports_pids() -> None:
    device = ScriptedDevice()
    device.processes[5121] = "frida-server"
    assert stop_server(device, RootMethod.ADBD, timeout=1) == [5121]  # type: ignore[arg-type]
    assert 5121 not in device.processes
    assert ["kill", "5121"] in device.commands


def test_stop_when_not_running() -> None:
    device = ScriptedDevice()
    assert stop_server(device, RootMethod.ADBD) == []  # type: ignore[arg-type]
    assert not any(argv[0] == "kill" for argv in device.commands)
