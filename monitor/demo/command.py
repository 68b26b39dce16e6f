"""`privmon demo`: monitor the bundled JVM demo app through a first launch, no device needed."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click
import frida

from monitor.collector import Collector
from monitor.config import ConsentSignal, MonitorConfig
from monitor.console import (
    apply_policy,
    extra_report_options,
    finish_command,
    monitor_with_status,
    policy_option,
)
from monitor.demo.build import build_demo
from monitor.demo.driver import DemoDriver
from monitor.paths import FiniteRange, check_parent
from monitor.runner import RunOptions, RunResult, monitor_run
from monitor.scenarios import Scenario, load_scenario
from monitor.scenarios.drivers import DemoSession, make_scenario_driver
from monitor.session import Session, Target
from monitor.store import Store

log = logging.getLogger(__name__)

DEMO_SDKS = Path(__file__).with_name("demo-sdks.yaml")


def demo_config(app_package: str) -> MonitorConfig:
    """Return the demo app's configuration: its consent callbacks and two fictitious SDKs."""
    return MonitorConfig(
        app_id=app_package,
        consent_signals=[
            ConsentSignal(
                class_name=f"{app_package}.PrivacyDialog", method="onAgree", decision="agree"
            ),
            ConsentSignal(
                class_name=f"{app_package}.PrivacyDialog", method="onRefuse", decision="refuse"
            ),
        ],
        sdk_files=[DEMO_SDKS],
    )


def make_driver(driver: DemoDriver, decision: str, delay_s: float):
    """Tap the privacy dialog's agree or refuse button `delay_s` after it appears."""

    def drive(session: Session, collector: Collector) -> None:
        screen = driver.wait_for_screen("privacy_dialog", timeout=60)
        time.sleep(delay_s)
        button = screen.find_id(f"com.example.demoapp:id/{decision}")
        tap = driver.tap_id(button.id)
        log.info("tapped %s at device time %d", button.text, tap.time_ms)

    return drive


def run_demo(
    store: Store,
    consent: str = "agree",
    consent_delay_s: float = 3.0,
    interval_ms: int = 800,
    fail_on: str = "low",
    agent_code: str | None = None,
    monitor=None,
    scenario: Scenario | None = None,
) -> tuple[RunResult, DemoDriver, MonitorConfig]:
    """Build, spawn and monitor the demo app.

    Without a scenario, the driver taps `consent` in the privacy dialog. With one, the
    scenario's steps drive the app, and its taps on agree or refuse buttons record consent.
    """
    from monitor.rules import Severity

    build = build_demo()
    config = apply_policy(demo_config(build.app_package))
    program = build.java_command(["--interval-ms", str(interval_ms), "--consent", "wait"])
    target = Target(mode="spawn", program=program)
    bridge = DemoSession()
    if scenario is not None:
        drive = make_scenario_driver(scenario, bridge.ui_driver)
    else:
        tap = make_driver(bridge.demo, consent, consent_delay_s)

        def drive(session: Session, collector: Collector) -> None:
            bridge.ui_driver(session)
            tap(session, collector)

    options = RunOptions(agent_code=agent_code)
    run = monitor or monitor_run
    result = run(
        frida.get_local_device(),
        target,
        config,
        store,
        options,
        Severity(fail_on),
        driver=drive,
        on_output=bridge.on_output,
    )
    return result, bridge.demo, config


@click.command()
@click.option(
    "--consent",
    type=click.Choice(["agree", "refuse"]),
    default="agree",
    show_default=True,
    help="Which button the demo taps in the privacy dialog.",
)
@click.option(
    "--consent-delay",
    type=FiniteRange(min=0, max=3600),
    default=3.0,
    show_default=True,
    metavar="SECONDS",
    help="How long the dialog stays open before the tap.",
)
@click.option(
    "--interval-ms",
    type=click.IntRange(min=0, max=60_000),
    default=800,
    show_default=True,
    help="Spacing of the maps SDK's location polls, in milliseconds.",
)
@click.option(
    "--db",
    callback=check_parent,
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("privmon-demo.db"),
    show_default=True,
    help="SQLite file for the run (replaced if it exists).",
)
@click.option(
    "--report-json",
    callback=check_parent,
    type=click.Path(path_type=Path),
    default=Path("privmon-demo.json"),
    show_default=True,
    help="Write the JSON report to this file.",
)
@click.option(
    "--report-html",
    callback=check_parent,
    type=click.Path(path_type=Path),
    default=Path("privmon-demo.html"),
    show_default=True,
    help="Write the HTML report to this file.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["info", "low", "medium", "high"]),
    default="low",
    show_default=True,
    help="Exit 1 when a finding has at least this severity.",
)
@extra_report_options
@policy_option
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Drive the demo with this Maestro flow instead of --consent.",
)
def demo(
    consent: str,
    consent_delay: float,
    interval_ms: int,
    db: Path,
    report_json: Path,
    report_html: Path,
    fail_on: str,
    scenario_path: Path | None,
) -> None:
    """Monitor the bundled demo app through a first launch with a privacy dialog.

    The demo's analytics and maps SDKs collect before consent on purpose, so the run ends
    with findings and exit code 1.
    """
    # Check the scenario first: an invalid one must not cost the previous database.
    scenario = load_scenario(scenario_path) if scenario_path else None
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    store = Store(db)
    result, _, config = run_demo(
        store,
        consent,
        consent_delay,
        interval_ms,
        fail_on,
        monitor=monitor_with_status,
        scenario=scenario,
    )
    finish_command(store, result, config, report_json, report_html, scenario)
