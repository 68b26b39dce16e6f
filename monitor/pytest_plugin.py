"""pytest plugin: monitor the app under test while a test runs and assert on the findings.

Fixtures:
- `privmon_monitor(target, config, driver=None, on_output=None)` starts a monitor on any
  target and returns a `PrivmonMonitor`. Every monitor stops when the test ends.
- `privmon` and `privmon_session` monitor `--privmon-target` for one test or the whole session.

`demo_target()` builds the bundled demo app as a target, so a test can drive its UI.
"""

from __future__ import annotations

import logging
import re
import shlex
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import frida
import pytest

from monitor.clock import DeviceClock, adb_clock, local_clock
from monitor.collector import Collector
from monitor.config import MonitorConfig, load_config
from monitor.demo.driver import DemoDriver
from monitor.device import DeviceSelection, resolve_adb_device, resolve_frida_device
from monitor.events import ConsentState
from monitor.phrasing import count_of
from monitor.reports.text import iso_utc
from monitor.rules import Finding, evaluate, load_run_data
from monitor.rules.scan import events_by_key
from monitor.runner import Driver, RunOptions, RunResult, monitor_run
from monitor.session import OutputHandler, Session, Target
from monitor.store import Store

log = logging.getLogger(__name__)

_DECISIONS = {"agree": ConsentState.GRANTED, "refuse": ConsentState.REFUSED}
# Extra wait beyond the agent's ready timeout before start() gives up on the run thread.
_START_MARGIN_S = 5.0
_STOP_TIMEOUT_S = 30.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("privmon", "privacy-compliance monitoring with privmon")
    group.addoption(
        "--privmon-target",
        metavar="TARGET",
        help="App that the privmon fixtures spawn: an Android package name, or a program path "
        "and its arguments (split like a POSIX shell command line).",
    )
    group.addoption(
        "--privmon-device",
        metavar="SERIAL",
        help="adb serial of the device (default: this machine for a program path, otherwise "
        "ANDROID_SERIAL or the only online device).",
    )
    group.addoption(
        "--privmon-config",
        metavar="FILE",
        type=Path,
        help="privmon run configuration (YAML) for the privmon fixtures.",
    )
    group.addoption(
        "--privmon-db-dir",
        metavar="DIR",
        type=Path,
        help="Folder for the SQLite file of each monitored test (default: pytest's tmp folder).",
    )


class PrivmonMonitor:
    """One monitoring run on a background thread, with queries that the test thread may call."""

    def __init__(
        self,
        device: frida.Device,
        target: Target,
        config: MonitorConfig,
        db_path: Path,
        device_clock: DeviceClock,
        options: RunOptions | None = None,
    ) -> None:
        self.device = device
        self.target = target
        self.config = config
        self.db_path = db_path
        self.options = options or RunOptions()
        self.session: Session | None = None
        self.collector: Collector | None = None
        self.result: RunResult | None = None
        self.error: BaseException | None = None
        self._device_clock = device_clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def run_id(self) -> str:
        if self.collector is None:
            raise RuntimeError("the privmon run has not started")
        return self.collector.run_id

    def start(self, driver: Driver | None = None, on_output: OutputHandler | None = None) -> None:
        """Start the run and wait until the agent's hooks are ready."""
        self._thread = threading.Thread(
            target=self._run, args=(driver, on_output), name="privmon-pytest", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self.options.ready_timeout_s + _START_MARGIN_S
        while time.monotonic() < deadline:
            if self.collector is not None and self.collector.ready.wait(0.05):
                log.info("privmon run %s is monitoring %s", self.run_id, self.target.describe())
                return
            if not self._thread.is_alive():
                break
        self.stop()
        raise RuntimeError(f"privmon could not instrument {self.target.describe()}: {self._why()}")

    def stop(self, timeout: float = _STOP_TIMEOUT_S) -> RunResult | None:
        """Stop the run (killing a spawned app) and return its result."""
        self._stop.set()
        return self.wait(timeout)

    def wait(self, timeout: float = _STOP_TIMEOUT_S) -> RunResult | None:
        """Wait until the run ends (the app exits or stop() was called) and return its result."""
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise TimeoutError(f"the privmon run did not end within {timeout:g} s")
        if self.error is not None:
            raise RuntimeError(f"the privmon run failed: {self.error}") from self.error
        return self.result

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def mark_consent(self, decision: str) -> None:
        """Record the user's decision ("agree" or "refuse") at the current device time."""
        if decision not in _DECISIONS:
            raise ValueError(f"invalid consent decision {decision!r}: use 'agree' or 'refuse'")
        if self.collector is None or not self.running:
            raise RuntimeError("mark_consent() needs a running privmon run")
        self.collector.add_consent(self._device_clock(), _DECISIONS[decision], "pytest")

    def findings(self, rule: str | None = None) -> list[Finding]:
        """Evaluate the rules over what was stored so far; `rule` keeps one rule's findings."""
        findings, _ = self._evaluate()
        return [f for f in findings if rule is None or f.rule == rule]

    def assert_no_findings(self, *rules: str) -> None:
        """Raise AssertionError listing each finding of `rules` (default: every rule)."""
        findings, events = self._evaluate()
        failing = [f for f in findings if not rules or f.rule in rules]
        if failing:
            raise AssertionError(format_findings(failing, events, self.db_path))

    def _evaluate(self) -> tuple[list[Finding], dict[tuple[int, int], dict[str, Any]]]:
        # A second connection reads while the collector writes (SQLite WAL). The pass
        # computes consent from the stored decisions and writes nothing.
        store = Store(self.db_path)
        try:
            data = load_run_data(store, self.run_id, self.config)
            findings = evaluate(data)
            keys = [key for finding in findings for key in finding.evidence]
            events = events_by_key(store, self.run_id, keys, data.timeline)
        finally:
            store.close()
        return findings, events

    def _run(self, driver: Driver | None, on_output: OutputHandler | None) -> None:
        def keep_session(session: Session, collector: Collector) -> None:
            self.session = session
            if driver is not None:
                driver(session, collector)

        store = Store(self.db_path)
        try:
            self.result = monitor_run(
                self.device,
                self.target,
                self.config,
                store,
                self.options,
                driver=keep_session,
                on_output=on_output,
                stop=self._stop,
                on_start=self._on_start,
            )
        except Exception as e:  # reported to the test thread by wait() and start()
            log.exception("privmon run on %s failed", self.target.describe())
            self.error = e
        finally:
            store.close()

    def _on_start(self, collector: Collector) -> None:
        self.collector = collector

    def _why(self) -> str:
        if self.error is not None:
            return str(self.error)
        if self.collector is not None and self.collector.fatal_error:
            return self.collector.fatal_error
        if self.result is not None:
            return self.result.verdict.summary
        return "the agent did not report ready"


def format_findings(
    findings: list[Finding], events: dict[tuple[int, int], dict[str, Any]], db_path: Path
) -> str:
    """Describe findings and their evidence events for an assertion message."""
    lines = [f"privmon found {count_of(len(findings), 'finding')} (database {db_path}):"]
    for finding in findings:
        where = f" [{finding.origin} -> {finding.api}]" if finding.api else ""
        lines.append(
            f"- {finding.rule} ({finding.severity.value}): {finding.title}{where}, "
            f"{count_of(finding.count, 'call')}"
        )
        if finding.detail:
            lines.append(f"    detail: {finding.detail}")
        for pid, seq in finding.evidence:
            event = events.get((pid, seq))
            if event is None:
                lines.append(f"    event pid {pid} seq {seq}: not stored")
                continue
            lines.append(
                f"    {event['api_class']}.{event['api_method']} by {event['origin']}, "
                f"consent {event['consent']}, args {event['args']!r}, "
                f"time {iso_utc(event['time_ms'])}, pid {pid} seq {seq}"
            )
    return "\n".join(lines)


# Devices and clocks ----------------------------------------------------------------------


def is_local_program(target: Target) -> bool:
    return target.mode == "spawn" and "/" in target.program[0]


def select_device(target: Target, serial: str | None) -> tuple[frida.Device, DeviceClock]:
    """Return the frida device for `target` and a clock with that device's time in ms."""
    if serial is None and is_local_program(target):
        return frida.get_local_device(), local_clock
    device = resolve_frida_device(DeviceSelection(serial=serial))
    return device, adb_clock(resolve_adb_device(DeviceSelection(serial=serial)))


# The demo app ------------------------------------------------------------------------------


class DemoApp(NamedTuple):
    """The bundled demo app, ready to pass to `privmon_monitor`."""

    target: Target
    config: MonitorConfig
    on_output: OutputHandler
    driver: Driver
    """Pass as the run's driver: it connects `app` to the spawned process's stdin."""
    app: DemoDriver
    """Client for the demo's UI protocol (wait_for_screen, tap_id and so on)."""


def demo_target(interval_ms: int = 800, config: MonitorConfig | None = None) -> DemoApp:
    """Build the demo app and spawn it with `--consent wait`, like `privmon demo` does."""
    from monitor.demo.build import build_demo
    from monitor.demo.command import demo_config

    build = build_demo()
    program = build.java_command(["--interval-ms", str(interval_ms), "--consent", "wait"])
    connected = threading.Event()
    holder: dict[str, Session] = {}

    def write(data: bytes) -> None:
        # Commands sent before the spawn wait here until the session exists.
        if not connected.wait(_STOP_TIMEOUT_S):
            raise RuntimeError("the demo app was not spawned")
        holder["session"].write_stdin(data)

    def connect(session: Session, collector: Collector) -> None:
        holder["session"] = session
        connected.set()

    app = DemoDriver(write)
    return DemoApp(
        target=Target(mode="spawn", program=program),
        config=config or demo_config(build.app_package),
        on_output=_stdout_feeder(app),
        driver=connect,
        app=app,
    )


def _stdout_feeder(app: DemoDriver) -> OutputHandler:
    def feed(fd: int, data: bytes) -> None:
        if fd == 1:
            app.feed(data)
        else:
            log.debug("demo stderr: %s", data.decode("utf-8", "replace").rstrip())

    return feed


# Fixtures ----------------------------------------------------------------------------------

MonitorFactory = Callable[..., PrivmonMonitor]


def _db_path(config: pytest.Config, factory: pytest.TempPathFactory, name: str) -> Path:
    folder = config.getoption("privmon_db_dir") or factory.mktemp("privmon")
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name)[:80]
    return folder / f"{safe}-{uuid.uuid4().hex[:6]}.db"


def _option_target(config: pytest.Config) -> tuple[Target, MonitorConfig]:
    command = config.getoption("privmon_target")
    if not command:
        raise pytest.UsageError("the privmon fixtures need --privmon-target PACKAGE_OR_PROGRAM")
    target = Target(mode="spawn", program=shlex.split(command))
    config_path = config.getoption("privmon_config")
    run_config = load_config(config_path) if config_path else MonitorConfig()
    if not run_config.app_id and not is_local_program(target):
        run_config = run_config.model_copy(update={"app_id": target.program[0]})
    return target, run_config


def _start(
    config: pytest.Config,
    factory: pytest.TempPathFactory,
    name: str,
    target: Target,
    run_config: MonitorConfig,
    driver: Driver | None,
    on_output: OutputHandler | None,
) -> PrivmonMonitor:
    device, clock = select_device(target, config.getoption("privmon_device"))
    path = _db_path(config, factory, name)
    monitor = PrivmonMonitor(device, target, run_config, path, clock)
    monitor.start(driver, on_output)
    return monitor


@pytest.fixture
def privmon_monitor(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    record_property: Callable[[str, object], None],
) -> Iterator[MonitorFactory]:
    """Factory: `privmon_monitor(target, config, driver=None, on_output=None)` starts a run."""
    monitors: list[PrivmonMonitor] = []

    def start(
        target: Target,
        config: MonitorConfig,
        driver: Driver | None = None,
        on_output: OutputHandler | None = None,
    ) -> PrivmonMonitor:
        name = request.node.name
        monitor = _start(request.config, tmp_path_factory, name, target, config, driver, on_output)
        monitors.append(monitor)
        return monitor

    yield start
    for monitor in monitors:
        record_property("privmon_db", str(monitor.db_path))
        monitor.stop()


@pytest.fixture
def privmon(request: pytest.FixtureRequest, privmon_monitor: MonitorFactory) -> PrivmonMonitor:
    """Monitor `--privmon-target` for the duration of one test."""
    target, run_config = _option_target(request.config)
    return privmon_monitor(target, run_config)


@pytest.fixture(scope="session")
def privmon_session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PrivmonMonitor]:
    """Monitor `--privmon-target` across the whole test session."""
    target, run_config = _option_target(request.config)
    monitor = _start(request.config, tmp_path_factory, "session", target, run_config, None, None)
    yield monitor
    # record_property is per test, so the session's database path goes to the log.
    log.warning("privmon session database: %s", monitor.db_path)
    monitor.stop()
