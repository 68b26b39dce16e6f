"""privmon's command line: a thin click layer over runner, store, rules and reports.

Exit codes: 0 no findings, 1 findings at or above --fail-on, 2 usage or configuration
error, 3 instrumentation failed or coverage incomplete.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
import sys
import threading
import time
from pathlib import Path

import click
import frida
from rich.console import Console

from monitor.config import ConsentSignal, MonitorConfig, load_config
from monitor.device import (
    DeviceSelection,
    device_options,
    resolve_adb_device,
    resolve_frida_device,
)
from monitor.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, ConfigError, PrivmonError
from monitor.live import StatusLine
from monitor.paths import check_parent
from monitor.reports.html import write_html
from monitor.reports.json_report import write_json
from monitor.reports.model import build_report
from monitor.reports.terminal import print_summary
from monitor.rules import Severity
from monitor.rules.coverage import CUT_SHORT
from monitor.runner import RunOptions, RunResult, finish_run, monitor_run
from monitor.scenarios import Scenario, check_expectations, load_scenario
from monitor.scenarios.drivers import AdbUiDriver, make_scenario_driver
from monitor.session import Target
from monitor.store import Store

log = logging.getLogger(__name__)

SEVERITIES = click.Choice([s.value for s in Severity])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Log more: -v for progress, -vv for debug.")
@click.version_option(package_name="privmon")
def main(verbose: int) -> None:
    """Runtime privacy-compliance monitor for Android apps."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def report_options(command):
    command = click.option(
        "--report-json",
        type=click.Path(path_type=Path, dir_okay=False),
        callback=check_parent,
        help="Write the JSON report to this file.",
    )(command)
    command = click.option(
        "--report-html",
        type=click.Path(path_type=Path, dir_okay=False),
        callback=check_parent,
        help="Write the HTML report to this file.",
    )(command)
    command = click.option(
        "--fail-on",
        type=SEVERITIES,
        default="low",
        show_default=True,
        help="Exit 1 when a finding has at least this severity.",
    )(command)
    return command


@main.command(context_settings={"allow_interspersed_args": False})
@click.option(
    "-f",
    "--file",
    "program",
    metavar="TARGET",
    help="Spawn TARGET: an Android package name, or a program path on this machine.",
)
@click.option(
    "-n",
    "--attach-name",
    "attach_name",
    metavar="NAME",
    help="Attach to the running process NAME (coverage is partial).",
)
@click.option(
    "-p",
    "--attach-pid",
    "attach_pid",
    type=int,
    metavar="PID",
    help="Attach to the running process PID (coverage is partial).",
)
@click.argument("program_args", nargs=-1, type=click.UNPROCESSED)
@device_options
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Run configuration (YAML).",
)
@click.option("--app-id", help="Package name of the app's own code (default: the spawned package).")
@click.option(
    "--consent-signal",
    "signals",
    multiple=True,
    metavar="CLASS.METHOD=DECISION",
    help="A method whose call records consent; DECISION is agree, refuse or argN "
    "(boolean argument N). Repeatable.",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=check_parent,
    help="SQLite file for this run (default: privmon-<time>.db here).",
)
@click.option(
    "--duration",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop after this many seconds (default: when the app ends or on Ctrl-C).",
)
@click.option(
    "--ready-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Fail when the agent is not ready within this time.",
)
@click.option(
    "--agent",
    "agent_path",
    type=click.Path(path_type=Path, exists=True),
    hidden=True,
    help="Load this compiled agent instead of building hooks/.",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Drive the app's UI over adb with this Maestro flow.",
)
@report_options
def run(
    program: str | None,
    attach_name: str | None,
    attach_pid: int | None,
    program_args: tuple[str, ...],
    selection: DeviceSelection,
    config_path: Path | None,
    app_id: str | None,
    signals: tuple[str, ...],
    db: Path | None,
    duration: float | None,
    ready_timeout: float,
    agent_path: Path | None,
    report_json: Path | None,
    report_html: Path | None,
    fail_on: str,
    scenario_path: Path | None,
) -> None:
    """Monitor an app: spawn it with -f (hooks ready before its first line) or attach."""
    target = _target(program, attach_name, attach_pid, program_args)
    config = load_config(config_path) if config_path else MonitorConfig()
    config = _apply_overrides(config, app_id, signals, target)
    scenario = load_scenario(scenario_path) if scenario_path else None
    device = _device(selection, target)
    driver = _scenario_driver(scenario, selection, target) if scenario else None
    options = RunOptions(
        ready_timeout_s=ready_timeout,
        duration_s=duration,
        agent_code=agent_path.read_text("utf-8") if agent_path else None,
    )
    store = Store(db or Path(time.strftime("privmon-%Y%m%d-%H%M%S.db")))
    result = monitor_with_status(
        device, target, config, store, options, Severity(fail_on), driver=driver
    )
    finish_command(store, result, config, report_json, report_html, scenario)


def _scenario_driver(scenario: Scenario, selection: DeviceSelection, target: Target):
    """Return a driver that runs `scenario` on the Android device over adb."""
    if target.mode == "spawn" and "/" in target.program[0]:
        raise click.UsageError(
            "--scenario drives Android apps over adb; for the demo app use `privmon demo "
            "--scenario FILE`"
        )
    adb_device = resolve_adb_device(selection)
    return make_scenario_driver(scenario, lambda session: AdbUiDriver(adb_device, scenario.app_id))


def _target(
    program: str | None, name: str | None, pid: int | None, args: tuple[str, ...]
) -> Target:
    chosen = [x for x in (program, name, pid) if x is not None]
    if len(chosen) != 1:
        raise click.UsageError("pass exactly one of -f TARGET, -n NAME or -p PID")
    if program is not None:
        return Target(mode="spawn", program=[program, *args])
    if args:
        raise click.UsageError("program arguments are only accepted with -f")
    return Target(mode="attach", name=name, pid=pid)


def _apply_overrides(
    config: MonitorConfig, app_id: str | None, signals: tuple[str, ...], target: Target
) -> MonitorConfig:
    updates: dict = {}
    if app_id:
        updates["app_id"] = app_id
    elif not config.app_id and target.mode == "spawn" and "/" not in target.program[0]:
        updates["app_id"] = target.program[0]
    if signals:
        updates["consent_signals"] = [*config.consent_signals, *map(parse_signal, signals)]
    return config.model_copy(update=updates)


def parse_signal(text: str) -> ConsentSignal:
    """Parse CLASS.METHOD=agree|refuse|argN."""
    qualified, _, decision = text.partition("=")
    class_name, _, method = qualified.rpartition(".")
    arg_index = None
    if decision.startswith("arg") and decision[3:].isdigit():
        decision, arg_index = "argument", int(decision[3:])
    try:
        return ConsentSignal(
            class_name=class_name, method=method, decision=decision, arg_index=arg_index
        )
    except ValueError as e:
        raise ConfigError(
            f"Invalid --consent-signal {text!r}: use CLASS.METHOD=agree, =refuse or =argN"
        ) from e


def _device(selection: DeviceSelection, target: Target) -> frida.Device:
    local_program = target.mode == "spawn" and "/" in target.program[0]
    default = selection == DeviceSelection()
    if default and (local_program or target.mode == "attach"):
        return frida.get_local_device()
    return resolve_frida_device(selection)


def monitor_with_status(
    device: frida.Device,
    target: Target,
    config: MonitorConfig,
    store: Store,
    options: RunOptions,
    fail_on: Severity,
    **kwargs,
) -> RunResult:
    """Run with a live status line; the first Ctrl-C stops the run cleanly with a report."""
    console = Console(stderr=True)
    status = StatusLine(console)
    stop = threading.Event()
    previous = signal.getsignal(signal.SIGINT)

    def request_stop(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, request_stop)
    try:
        return monitor_run(
            device,
            target,
            config,
            store,
            options,
            fail_on,
            stop=stop,
            on_start=status.attach,
            **kwargs,
        )
    finally:
        status.close()
        signal.signal(signal.SIGINT, previous)


def finish_command(
    store: Store,
    result: RunResult,
    config: MonitorConfig,
    report_json: Path | None,
    report_html: Path | None,
    scenario: Scenario | None = None,
) -> None:
    """Print the summary, write the reports and exit with the run's exit code.

    A scenario's `privmon.expectNoFindings` that did not hold turns exit 0 into 1.
    """
    report = build_report(store, result.run_id, config, result.verdict)
    print_summary(report, Console())
    if report_json:
        write_json(report, report_json)
    if report_html:
        write_html(report, report_html)
    click.echo(f"Database: {store.path}", err=True)
    store.close()
    code = result.verdict.exit_code
    unmet = check_expectations(scenario, result.findings) if scenario else []
    for message in unmet:
        click.echo(f"Expectation not met: {message}")
    if unmet and code == EXIT_CLEAN:
        code = EXIT_FINDINGS
    sys.exit(code)


@main.command()
@click.argument("db", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--run", "run_id", help="Run id (default: the latest run in DB).")
@report_options
def report(
    db: Path, run_id: str | None, report_json: Path | None, report_html: Path | None, fail_on: str
) -> None:
    """Rebuild the findings and reports of a stored run, even one cut short."""
    store = open_existing_store(db)
    try:
        run_row = store.run(run_id)
    except LookupError as e:
        raise ConfigError(str(e)) from e
    config = MonitorConfig.model_validate_json(run_row["config"] or "{}")
    if run_row["ended_ms"] is None:
        store.update_run(run_row["id"], end_reason=CUT_SHORT)
        log.warning("run %s was cut short: reporting what was stored", run_row["id"])
    result = finish_run(store, run_row["id"], config, Severity(fail_on))
    finish_command(store, result, config, report_json, report_html)


def open_existing_store(path: Path) -> Store:
    """Open a database that privmon wrote, without adding tables to any other file."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as e:
        raise ConfigError(f"Invalid database {path}: {e}") from e
    if "runs" not in tables or "events" not in tables:
        raise ConfigError(f"Invalid database {path}: not a privmon database (no runs table)")
    return Store(path)


def _register_extras() -> None:
    from monitor.demo.command import demo
    from monitor.device_commands import devices, doctor, server

    for command in (demo, devices, doctor, server):
        main.add_command(command)


_register_extras()


def entry() -> None:
    """Console entry point: map privmon errors to one message and their exit code."""
    try:
        code = main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except PrivmonError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(e.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
