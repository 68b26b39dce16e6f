"""A monitoring run from start to verdict: store, collector, session, rules."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass

import frida

from monitor.agent import build_agent
from monitor.attribution import Attributor, load_sdks
from monitor.collector import Collector
from monitor.config import MonitorConfig
from monitor.device_run import record_unmonitored
from monitor.errors import InstrumentationError, PrivmonError
from monitor.events import PROTOCOL_VERSION
from monitor.processes import ProcessEntry, store_uninstrumented, uninstrumented_children
from monitor.rules import Finding, RunData, Severity, evaluate, load_run_data
from monitor.session import CRASHED_WHILE_STOPPING, OutputHandler, Session, Target
from monitor.store import Store
from monitor.verdict import Verdict, apply_report_only, judge

log = logging.getLogger(__name__)

# end_reason prefix of a run whose scenario or driver failed; the run is then partial.
SCENARIO_FAILED = "scenario failed"

# Runs alongside the session: drives the app's UI (a scenario, the demo driver).
Driver = Callable[[Session, Collector], None]


@dataclass
class RunOptions:
    ready_timeout_s: float = 30.0
    duration_s: float | None = None
    kill_on_stop: bool = True
    """Kill a spawned app when the run stops before the app ends (Ctrl-C, --duration)."""
    agent_code: str | None = None
    """Agent JavaScript to load instead of the bundle built from hooks/ (for tests)."""
    attach_fallback: bool = False
    """Attach to the running app when spawning it timed out twice (coverage partial)."""
    metadata: dict | None = None
    """Device and app facts stored with the run's versions (see monitor.device_run)."""
    list_app_processes: Callable[[], list[tuple[int, str]]] | None = None
    """Lists the app's processes at the end, so those never instrumented are reported."""


@dataclass
class RunResult:
    run_id: str
    findings: list[Finding]
    verdict: Verdict
    data: RunData | None = None
    """The run as the rules saw it, so that reports need not load the events again."""


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]


def monitor_run(
    device: frida.Device,
    target: Target,
    config: MonitorConfig,
    store: Store,
    options: RunOptions,
    fail_on: Severity = Severity.LOW,
    driver: Driver | None = None,
    on_output: OutputHandler | None = None,
    stop: threading.Event | None = None,
    on_start: Callable[[Collector], None] | None = None,
) -> RunResult:
    """Monitor `target` until it ends, `stop` is set or the duration passes."""
    # Invalid SDK lists end the command before anything is stored.
    attributor = Attributor(config.own_packages(), load_sdks(config.sdk_files))
    run_id = new_run_id()
    store.create_run(
        {
            "id": run_id,
            "target": target.describe(),
            "mode": target.mode,
            "device": f"{device.name} ({device.type})",
            "app_id": config.app_id,
            "versions": json.dumps(
                {
                    "frida": frida.__version__,
                    "protocol": PROTOCOL_VERSION,
                    **(options.metadata or {}),
                }
            ),
            "started_ms": int(time.time() * 1000),
            "status": "running",
            "config": config.model_dump_json(),
        }
    )
    collector = Collector(store, run_id, attributor)
    collector.start()
    if on_start is not None:
        on_start(collector)
    session: Session | None = None
    children: LocalChildren | None = None
    end_reason = "stopped"
    try:
        code = options.agent_code or build_agent()
        session = Session(
            device,
            target,
            code,
            config.agent_config(),
            collector,
            on_output,
            attach_fallback=options.attach_fallback,
        )
        session.start()
        if session.target.mode != target.mode:
            store.update_run(
                run_id,
                mode=session.target.mode,
                target=f"{target.describe()} (attached after spawn timed out)",
            )
        if device.type == "local" and session.pid is not None:
            children = LocalChildren(session.pid)
        end_reason = _watch(
            session, collector, options, driver, stop or threading.Event(), children
        )
    except InstrumentationError as e:
        # The agent's own error, if it sent one, names the cause better; it is read below,
        # once the collector has drained its queue.
        end_reason = str(e)
    except frida.InvalidOperationError as e:
        end_reason = f"Failed to instrument: {e}"
    finally:
        if children is not None:
            children.sample(set(collector.processes))
        if session is not None:
            session.stop(kill=options.kill_on_stop and target.mode == "spawn")
            ended = session.end_reason or ""
            if ended and (end_reason == "app ended" or ended.startswith(CRASHED_WHILE_STOPPING)):
                end_reason = ended
        collector.close()
    if options.list_app_processes is not None:
        _record_app_processes(store, run_id, options.list_app_processes)
    if children is not None:
        children.store(store, run_id, set(collector.processes))
    if session is not None and session.ended.is_set() and not collector.ready.is_set():
        collector.fatal_error = collector.fatal_error or (
            f"the app ended ({end_reason}) before the agent was ready: is it a Java or Android app?"
        )
    if collector.fatal_error and collector.fatal_error not in end_reason:
        end_reason = f"Failed to instrument: {explain_agent_error(collector.fatal_error)}"
    store.update_run(
        run_id,
        ended_ms=int(time.time() * 1000),
        end_reason=end_reason,
        invalid_messages=collector.invalid_messages,
        agent_errors=collector.agent_errors,
    )
    return finish_run(store, run_id, config, fail_on)


def _record_app_processes(
    store: Store, run_id: str, list_processes: Callable[[], list[tuple[int, str]]]
) -> None:
    try:
        record_unmonitored(store, run_id, list_processes())
    except PrivmonError as e:
        log.warning("could not list the app's processes: %s", e)


# How often a local target's child processes are listed: a child that lives shorter than
# this between two samples can be missed.
CHILD_SAMPLE_INTERVAL_S = 0.5


class LocalChildren:
    """Child processes of a local target that the agent never reached.

    privmon does not instrument a local program's children (see monitor.children), so each
    one seen alive is stored as an unmonitored process of the run.
    """

    def __init__(self, root_pid: int) -> None:
        self.root_pid = root_pid
        self.seen: dict[int, ProcessEntry] = {}

    def sample(self, instrumented: Collection[int]) -> None:
        for entry in uninstrumented_children(self.root_pid, instrumented):
            self.seen.setdefault(entry.pid, entry)

    def store(self, store: Store, run_id: str, instrumented: Collection[int]) -> None:
        entries = [e for pid, e in self.seen.items() if pid not in instrumented]
        if entries:
            store_uninstrumented(store, run_id, entries)
            record_unmonitored(store, run_id, [(e.pid, e.name or e.cmdline) for e in entries])


def explain_agent_error(message: str) -> str:
    """Add the fix to agent errors whose cause is known."""
    if "'Java' is not defined" in message or "Java is not defined" in message:
        return (
            f"{message}: Frida 17 no longer provides Java to scripts; the agent must "
            "import and bundle frida-java-bridge"
        )
    return message


def _watch(
    session: Session,
    collector: Collector,
    options: RunOptions,
    driver: Driver | None,
    stop: threading.Event,
    children: LocalChildren | None = None,
) -> str:
    started = time.monotonic()
    next_sample = started
    driver_errors: list[str] = []
    if driver is not None:
        thread = threading.Thread(
            target=_drive,
            args=(driver, session, collector, driver_errors),
            name="privmon-driver",
            daemon=True,
        )
        thread.start()
    while True:
        if session.ended.wait(0.05):
            return "app ended"
        if children is not None and time.monotonic() >= next_sample:
            # A copy: the consumer thread adds processes while this runs.
            children.sample(set(collector.processes))
            next_sample = time.monotonic() + CHILD_SAMPLE_INTERVAL_S
        if collector.failed.is_set():
            return f"Failed to instrument: {collector.fatal_error}"
        if driver_errors:
            return f"{SCENARIO_FAILED}: {driver_errors[0]}"
        if stop.is_set():
            return "stopped"
        elapsed = time.monotonic() - started
        if not collector.ready.is_set() and elapsed > options.ready_timeout_s:
            collector.fatal_error = (
                f"the agent did not report ready within {options.ready_timeout_s:g} s "
                "(is the target a Java or Android app?)"
            )
            return f"Failed to instrument: {collector.fatal_error}"
        if options.duration_s is not None and elapsed > options.duration_s:
            return f"duration of {options.duration_s:g} s reached"


def _drive(driver: Driver, session: Session, collector: Collector, errors: list[str]) -> None:
    try:
        driver(session, collector)
    except Exception as e:  # any failure of the driver ends the run with its message
        log.error("%s: %s", SCENARIO_FAILED, e)
        errors.append(str(e))


def finish_run(
    store: Store, run_id: str, config: MonitorConfig, fail_on: Severity = Severity.LOW
) -> RunResult:
    """Re-tag consent, evaluate the rules, store the findings and judge the run.

    Also used by `privmon report` on a database whose collector was killed mid-run.
    """
    store.ensure_indexes()
    data = load_run_data(store, run_id, config)
    # Re-tag consent: decisions can reach the collector after the calls they precede.
    findings = evaluate(data, retag=True)
    store.replace_findings(run_id, [f.row(run_id) for f in findings])
    ready = [p["hooks_ready_ms"] for p in data.processes if p.get("hooks_ready_ms") is not None]
    starts = [p["process_start_ms"] for p in data.processes if p.get("process_start_ms")]
    verdict = apply_report_only(
        judge(findings, bool(ready), fail_on), config.policy.report_only, config.policy.name
    )
    store.update_run(
        run_id,
        status=verdict.status,
        hooks_ready_ms=min(ready, default=None),
        process_start_ms=min(starts, default=None),
    )
    return RunResult(run_id, findings, verdict, data)
