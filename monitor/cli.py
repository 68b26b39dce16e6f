"""privmon's command line: a thin click layer over runner, store, rules and reports.

Exit codes: 0 no findings, 1 findings at or above --fail-on, 2 usage or configuration
error, 3 instrumentation failed or coverage incomplete.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import time
from pathlib import Path

import click
import frida
from rich.console import Console

from monitor.clock import adb_clock, local_clock
from monitor.config import ConsentSignal, MonitorConfig, load_config
from monitor.console import (
    apply_policy,
    extra_report_options,
    finish_command,
    monitor_with_status,
    policy_option,
)
from monitor.device import (
    DeviceSelection,
    device_options,
    resolve_adb_device,
    resolve_frida_device,
)
from monitor.device_run import app_processes, run_metadata
from monitor.errors import (
    EXIT_USAGE,
    ConfigError,
    DeviceError,
    PrivmonError,
)
from monitor.paths import FiniteRange, check_parent
from monitor.rules import Severity
from monitor.rules.coverage import CUT_SHORT
from monitor.runner import RunOptions, finish_run
from monitor.scenarios import Scenario, load_scenario
from monitor.scenarios.drivers import make_scenario_driver, make_ui_driver
from monitor.session import Target
from monitor.store import Store

log = logging.getLogger(__name__)

MAX_DURATION_S = 30 * 24 * 3600
"""The longest --duration: a month of monitoring is more than any run needs."""
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
    return extra_report_options(command)


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
    type=FiniteRange(min=0, min_open=True, max=MAX_DURATION_S),
    metavar="SECONDS",
    help="Stop after this many seconds (default: when the app ends or on Ctrl-C).",
)
@click.option(
    "--ready-timeout",
    type=FiniteRange(min=0, min_open=True, max=3600),
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
    "--no-redact",
    is_flag=True,
    help="Store identifiers, coordinates and contact rows as read, not as keyed hashes.",
)
@click.option(
    "--ui-backend",
    type=click.Choice(["auto", "adb", "uiautomator2"]),
    default="auto",
    show_default=True,
    help="How --scenario drives the device: adb input commands, or uiautomator2 "
    "(auto: uiautomator2 when installed).",
)
@click.option(
    "--attach-fallback",
    is_flag=True,
    help="If spawning times out twice, attach to the running app (coverage partial).",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Drive the app's UI over adb with this Maestro flow.",
)
@policy_option
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
    no_redact: bool,
    attach_fallback: bool,
    ui_backend: str,
) -> None:
    """Monitor an app: spawn it with -f (hooks ready before its first line) or attach."""
    target = _target(program, attach_name, attach_pid, program_args)
    config = load_config(config_path) if config_path else MonitorConfig()
    config = _apply_overrides(config, app_id, signals, target)
    config = apply_policy(config)
    if no_redact:
        config = config.model_copy(update={"redact": False})
    scenario = load_scenario(scenario_path) if scenario_path else None
    device = _device(selection, target)
    driver = _scenario_driver(scenario, selection, target, ui_backend) if scenario else None
    android = _adb_for_app(device, selection, config.app_id)
    options = RunOptions(
        ready_timeout_s=ready_timeout,
        duration_s=duration,
        agent_code=agent_path.read_text("utf-8") if agent_path else None,
        attach_fallback=attach_fallback,
    )
    if android is not None:
        options.metadata = run_metadata(android, config.app_id)
        options.list_app_processes = lambda: app_processes(android, config.app_id)
    key_clock = None
    if scenario is None and sys.stdin.isatty():
        key_clock = adb_clock(android) if android is not None else local_clock
        click.echo(
            "Press a when the user agrees to the privacy policy, r when they refuse.", err=True
        )
    store = Store(db or Path(time.strftime("privmon-%Y%m%d-%H%M%S.db")))
    result = monitor_with_status(
        device,
        target,
        config,
        store,
        options,
        Severity(fail_on),
        driver=driver,
        key_clock=key_clock,
    )
    finish_command(store, result, config, report_json, report_html, scenario)


def _adb_for_app(device: frida.Device, selection: DeviceSelection, app_id: str):
    """Return the adb device of an Android run, or None for local and adb-less runs."""
    if device.type == "local" or not app_id:
        return None
    try:
        return resolve_adb_device(selection)
    except DeviceError as e:
        log.warning("no adb access to %s, so app metadata is not recorded: %s", device.name, e)
        return None


def _scenario_driver(scenario: Scenario, selection: DeviceSelection, target: Target, backend: str):
    """Return a driver that runs `scenario` on the Android device over adb."""
    if target.mode == "spawn" and "/" in target.program[0]:
        raise click.UsageError(
            "--scenario drives Android apps over adb; for the demo app use `privmon demo "
            "--scenario FILE`"
        )
    adb_device = resolve_adb_device(selection)
    ui_driver = make_ui_driver(adb_device, scenario.app_id, backend)
    return make_scenario_driver(scenario, lambda session: ui_driver)


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


@main.command()
@click.argument("db", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--run", "run_id", help="Run id (default: the latest run in DB).")
@report_options
@policy_option
def report(
    db: Path, run_id: str | None, report_json: Path | None, report_html: Path | None, fail_on: str
) -> None:
    """Rebuild the findings and reports of a stored run, even one cut short."""
    store = open_existing_store(db)
    try:
        run_row = store.run(run_id)
    except LookupError as e:
        raise ConfigError(str(e)) from e
    config = apply_policy(MonitorConfig.model_validate_json(run_row["config"] or "{}"))
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


@main.command()
@click.argument("old_db", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("new_db", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--old-run", help="Run id in OLD_DB (default: its latest run).")
@click.option("--new-run", help="Run id in NEW_DB (default: its latest run).")
@click.option(
    "--fail-on",
    type=SEVERITIES,
    default="low",
    show_default=True,
    help="Exit 1 when a new or worsened finding has at least this severity.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
def diff(
    old_db: Path,
    new_db: Path,
    old_run: str | None,
    new_run: str | None,
    fail_on: str,
    as_json: bool,
) -> None:
    """Compare the findings of two stored runs: new, gone and changed.

    Exits 1 on new or worsened findings at or above --fail-on, 3 when the new run is
    incomplete or failed.
    """
    import json

    from monitor.diff import compare, diff_json, load_run_findings, print_diff

    sides = []
    for path, run_id in ((old_db, old_run), (new_db, new_run)):
        store = open_existing_store(path)
        try:
            sides.append(load_run_findings(store, run_id))
        except LookupError as e:
            raise ConfigError(str(e)) from e
        finally:
            store.close()
    result = compare(sides[0], sides[1], Severity(fail_on))
    if as_json:
        click.echo(json.dumps(diff_json(result), indent=2))
    else:
        print_diff(result, Console())
    sys.exit(result.exit_code)


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
