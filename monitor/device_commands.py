"""Click commands for the device layer: `devices`, `doctor` and `server install|start|stop`.

Register them on the main group with `register_device_commands(cli)`.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

import click
import frida
from rich.console import Console
from rich.table import Table

from monitor import server as server_module
from monitor.android import DEFAULT_FRIDA_PORT, abi_to_frida_arch, major_version
from monitor.device import (
    DeviceError,
    DeviceSelection,
    DeviceSummary,
    connect_adb,
    describe_device,
    detect_root,
    device_options,
    list_devices,
    resolve_adb_device,
    run_checked,
)
from monitor.doctor import format_result, has_failure, run_doctor
from monitor.errors import PrivmonError

log = logging.getLogger(__name__)


class CommandError(click.ClickException):
    """A PrivmonError shown by click as ``Error: message``, with the error's exit code."""

    def __init__(self, error: PrivmonError | ValueError) -> None:
        super().__init__(str(error))
        self.exit_code = getattr(error, "exit_code", 2)


@click.command("devices")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def devices(as_json: bool) -> None:
    """List attached devices with their Android version, ABI, root and frida-server state."""
    try:
        client = connect_adb()
        infos = list_devices(client)
    except DeviceError as error:
        raise CommandError(error) from error
    summaries = [describe_device(client, info) for info in infos]
    if as_json:
        click.echo(json.dumps([asdict(summary) for summary in summaries], indent=2))
        return
    if not summaries:
        click.echo(f"No device is attached to the adb server at {client.host}:{client.port}.")
        return
    Console().print(_devices_table(summaries))
    for summary in summaries:
        if summary.error:
            click.echo(f"{summary.serial}: {summary.error}", err=True)


def _devices_table(summaries: list[DeviceSummary]) -> Table:
    table = Table("Serial", "State", "Model", "Android", "ABI", "Root", "frida-server")
    for summary in summaries:
        android = summary.android_version or "-"
        if summary.sdk is not None:
            android += f" (API {summary.sdk})"
        table.add_row(
            summary.serial,
            summary.state,
            summary.model or "-",
            android,
            summary.abi or "-",
            _yes_no(summary.rooted, summary.root_method),
            _server_cell(summary),
        )
    return table


def _yes_no(value: bool | None, detail: str | None) -> str:
    if value is None:
        return "-"
    if not value:
        return "no"
    return f"yes ({detail})" if detail else "yes"


def _server_cell(summary: DeviceSummary) -> str:
    if summary.frida_server_running is None:
        return "-"
    version = summary.frida_server_version or "not installed"
    if summary.frida_server_running:
        pids = ", ".join(map(str, summary.frida_server_pids))
        return f"running, pid {pids} ({version})"
    return f"stopped ({version})"


@click.command("doctor")
@device_options
def doctor(selection: DeviceSelection) -> None:
    """Check adb, the device, root and frida-server, and print a fix for each failure.

    Exits with status 1 when any check fails.
    """
    results = run_doctor(selection)
    for result in results:
        click.echo(format_result(result))
    if has_failure(results):
        # SystemExit, unlike click's Exit, keeps the status when click runs with
        # standalone_mode=False, which returns Exit's code instead of exiting.
        sys.exit(1)


@click.group("server")
def server() -> None:
    """Install, start and stop frida-server on the device."""


@server.command("install")
@device_options
@click.option(
    "--binary",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="frida-server file to install, plain or .xz. Default: the cache, then a download.",
)
@click.option(
    "--sha256",
    "expected_sha256",
    metavar="HEX",
    help="Expected SHA-256 of the file as obtained (the .xz asset, or the --binary file as "
    "given). Frida's GitHub releases publish no checksums, so without this option a download "
    "is protected by HTTPS only. Every file is still checked to be an ELF for the device ABI.",
)
@click.option(
    "--frida-version",
    default=frida.__version__,
    show_default=True,
    help="frida-server version to take from the cache or download. Ignored with --binary.",
)
@click.option("--no-download", is_flag=True, help="Use only --binary or the cache.")
def install_command(
    selection: DeviceSelection,
    binary: Path | None,
    expected_sha256: str | None,
    frida_version: str,
    no_download: bool,
) -> None:
    """Install frida-server at /data/local/tmp/frida-server with mode 0755.

    The cache folder is CACHE/frida-server/VERSION/, where CACHE is $PRIVMON_CACHE_DIR, else
    $XDG_CACHE_HOME/privmon, else ~/.cache/privmon.
    """
    try:
        device = resolve_adb_device(selection)
        arch = abi_to_frida_arch(run_checked(device, ["getprop", "ro.product.cpu.abi"]))
        binary_data = server_module.prepare_server_binary(
            arch,
            binary=binary,
            version=frida_version,
            expected_sha256=expected_sha256,
            downloader=None if no_download else server_module.download_url,
        )
        installed = server_module.install_server(device, binary_data, detect_root(device))
    except (PrivmonError, ValueError) as error:
        raise CommandError(error) from error
    check = "matches --sha256" if binary_data.verified else "unverified, pass --sha256 to check"
    click.echo(f"Source: {binary_data.source}")
    click.echo(f"SHA-256: {binary_data.source_sha256} ({check})")
    click.echo(
        f"Installed {installed.path} on {device.serial}: mode {installed.mode:o}, "
        f"{installed.size} bytes, frida-server {installed.version or 'version unknown'}."
    )
    if installed.version and major_version(installed.version) != major_version(frida.__version__):
        click.echo(
            f"Warning: frida {frida.__version__} on this host cannot talk to frida-server "
            f"{installed.version}. Install frida-server {frida.__version__} instead.",
            err=True,
        )


@server.command("start")
@device_options
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_FRIDA_PORT,
    show_default=True,
    help="TCP port on the device's loopback interface.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=10.0,
    show_default=True,
    help="Seconds to wait until frida-server listens.",
)
def start_command(selection: DeviceSelection, port: int, timeout: float) -> None:
    """Start frida-server as root in the background and print its port."""
    try:
        device = resolve_adb_device(selection)
        started = server_module.start_server(device, detect_root(device), port, timeout)
    except PrivmonError as error:
        raise CommandError(error) from error
    pids = ", ".join(map(str, started.pids))
    state = "already runs" if started.already_running else "started"
    click.echo(f"frida-server {state} on {device.serial} (pid {pids}), port {started.port}")
    if port != DEFAULT_FRIDA_PORT:
        # frida's USB transport only reaches port 27042, so another port needs a forward.
        click.echo(
            f"Connect with `adb forward tcp:{port} tcp:{port}` and -H 127.0.0.1:{port}.",
        )


@server.command("stop")
@device_options
def stop_command(selection: DeviceSelection) -> None:
    """Stop every frida-server process on the device."""
    try:
        device = resolve_adb_device(selection)
        pids = server_module.stop_server(device, detect_root(device))
    except PrivmonError as error:
        raise CommandError(error) from error
    if pids:
        click.echo(f"Stopped frida-server on {device.serial} (pid {', '.join(map(str, pids))}).")
    else:
        click.echo(f"frida-server is not running on {device.serial}.")


def register_device_commands(group: click.Group) -> None:
    """Add `devices`, `doctor` and `server` to `group`."""
    for command in (devices, doctor, server):
        group.add_command(command)
