"""The terminal side of a run: live status line, consent keys, summary, report files and
the exit code. Shared by `privmon run`, `privmon report` and `privmon demo`."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click
import frida
from rich.console import Console

from monitor.clock import DeviceClock
from monitor.collector import Collector
from monitor.config import MonitorConfig
from monitor.errors import EXIT_CLEAN, EXIT_FINDINGS
from monitor.live import ConsentKeys, StatusLine
from monitor.paths import check_parent
from monitor.policy import load_policy
from monitor.reports.files import CONTEXT_KEY, write_report_files
from monitor.reports.html import write_html
from monitor.reports.json_report import write_json
from monitor.reports.model import build_report
from monitor.reports.terminal import print_summary
from monitor.rules import Severity
from monitor.runner import RunOptions, RunResult, monitor_run
from monitor.scenarios import Scenario, check_expectations
from monitor.session import Target
from monitor.store import Store

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""Signals that stop a run cleanly, with its reports."""


def monitor_with_status(
    device: frida.Device,
    target: Target,
    config: MonitorConfig,
    store: Store,
    options: RunOptions,
    fail_on: Severity,
    key_clock: DeviceClock | None = None,
    **kwargs,
) -> RunResult:
    """Run with a live status line; the first Ctrl-C or SIGTERM stops the run cleanly.

    With `key_clock`, the keys a and r on standard input mark consent at that clock's time.
    """
    console = Console(stderr=True)
    status = StatusLine(console)
    keys: list[ConsentKeys] = []

    def on_start(collector: Collector) -> None:
        status.attach(collector)
        if key_clock is not None:
            keys.append(ConsentKeys(collector, key_clock, sys.stdin.fileno()))
            keys[0].start()

    stop = threading.Event()
    # SIGTERM (kill, timeout, a cancelled CI job) stops the run as Ctrl-C does, so the run
    # ends with its reports. A second signal of either kind acts as it did before.
    previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}

    def request_stop(signum: int, frame: object) -> None:
        stop.set()
        _restore(previous)

    for signum in STOP_SIGNALS:
        signal.signal(signum, request_stop)
    try:
        return monitor_run(
            device,
            target,
            config,
            store,
            options,
            fail_on,
            stop=stop,
            on_start=on_start,
            **kwargs,
        )
    finally:
        for key_reader in keys:
            key_reader.close()
        status.close()
        _restore(previous)


def _restore(handlers: dict[signal.Signals, Any]) -> None:
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


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
    report = build_report(store, result.run_id, config, result.verdict, result.data)
    print_summary(report, Console())
    if report_json:
        write_json(report, report_json)
    if report_html:
        write_html(report, report_html)
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get(CONTEXT_KEY):
        fail_on = Severity(ctx.params.get("fail_on") or Severity.LOW.value)
        write_report_files(report, ctx.meta[CONTEXT_KEY], fail_on)
    if result.verdict.status == "failed":
        click.echo(f"Error: {report.end_reason}", err=True)
    click.echo(f"Database: {store.path}", err=True)
    store.close()
    code = result.verdict.exit_code
    unmet = check_expectations(scenario, result.findings) if scenario else []
    for message in unmet:
        click.echo(f"Expectation not met: {message}")
    if unmet and code == EXIT_CLEAN:
        code = EXIT_FINDINGS
    sys.exit(code)


def extra_report_options(command):
    """Add --report-junit, --report-xlsx and --report-csv to a command.

    They are not passed to the command: finish_command reads the paths from click's
    context, so the commands that share these options need no extra parameters.
    """

    def remember(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
        if check_parent(ctx, param, value) is not None:
            ctx.meta.setdefault(CONTEXT_KEY, {})[param.name.removeprefix("report_")] = value

    for kind, description in (
        ("junit", "JUnit XML report (one test case per rule)"),
        ("xlsx", "spreadsheet report (Excel .xlsx)"),
        ("csv", "CSV report of the findings (UTF-8 with BOM)"),
    ):
        command = click.option(
            f"--report-{kind}",
            type=click.Path(path_type=Path, dir_okay=False),
            callback=remember,
            expose_value=False,
            help=f"Write the {description} to this file.",
        )(command)
    return command


POLICY_KEY = "privmon.policy"


def policy_option(command):
    """Add --policy NAME|FILE; apply_policy() puts the chosen policy into a config."""

    def remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value:
            ctx.meta[POLICY_KEY] = load_policy(value)

    return click.option(
        "--policy",
        metavar="NAME|FILE",
        callback=remember,
        expose_value=False,
        help="Compliance policy: a preset (miit, strict, report-only) or a policy YAML file "
        "(default: the policy in run's --config file, or the one stored with a reported "
        "run, else miit).",
    )(command)


def apply_policy(config: MonitorConfig) -> MonitorConfig:
    """Return `config` with the policy chosen by --policy, if one was."""
    ctx = click.get_current_context(silent=True)
    policy = ctx.meta.get(POLICY_KEY) if ctx is not None else None
    return config if policy is None else config.model_copy(update={"policy": policy})
