"""The collector: one consumer thread turns agent messages into stored rows.

Frida delivers messages on its own threads; they only enqueue here. Everything that
touches SQLite, the consent timeline or attribution runs on the consumer thread.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from monitor.attribution import Attributor
from monitor.consent import ConsentPoint, ConsentTimeline
from monitor.events import (
    AGENT_MESSAGE,
    AgentError,
    AgentExit,
    AgentHello,
    AgentReady,
    AgentStopped,
    Category,
    ConsentState,
    EventsAdd,
    HooksStatus,
    HookStatusItem,
    StacksAdd,
)
from monitor.store import Store

log = logging.getLogger(__name__)

MAX_LOGGED_INVALID = 10


@dataclass
class ProcessInfo:
    pid: int
    name: str = ""
    hooks: dict[int, HookStatusItem] = field(default_factory=dict)
    stacks: dict[int, list[str]] = field(default_factory=dict)
    ready_ms: int | None = None


@dataclass
class _HostConsent:
    time_ms: int
    state: ConsentState
    source: str


_STOP = object()


class Collector:
    """Validates, attributes, tags and stores what the agents send during one run."""

    def __init__(self, store: Store, run_id: str, attributor: Attributor) -> None:
        self.store = store
        self.run_id = run_id
        self.attributor = attributor
        self.timeline = ConsentTimeline()
        self.processes: dict[int, ProcessInfo] = {}
        self.counts: Counter[str] = Counter()
        self.invalid_messages = 0
        self.agent_errors = 0
        self.fatal_error: str | None = None
        self.exit_code: int | None = None
        self.ready = threading.Event()
        self.failed = threading.Event()
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._consume, name="privmon-collector", daemon=True)

    # Called from any thread --------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def submit(self, pid: int, message: dict[str, Any]) -> None:
        """Queue one message from Frida's on('message') callback."""
        self._queue.put((pid, message))

    def add_consent(self, time_ms: int, state: ConsentState, source: str) -> None:
        """Queue a consent decision seen outside the agent (a UI tap, a key press)."""
        self._queue.put(_HostConsent(time_ms, state, source))

    def close(self, timeout: float = 30.0) -> None:
        """Process everything queued so far, then stop the consumer thread."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("collector thread did not finish within %.0f s", timeout)

    # Consumer thread ---------------------------------------------------------------------

    def _consume(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            try:
                if isinstance(item, _HostConsent):
                    self._record_consent(item.time_ms, None, None, item.state, item.source)
                else:
                    self._handle(*item)
            except Exception:
                # A storage failure must not pass silently: stop the run as failed.
                log.exception("collector failed on a message")
                self.fatal_error = self.fatal_error or "the collector failed to store data"
                self.failed.set()

    def _handle(self, pid: int, message: dict[str, Any]) -> None:
        if message.get("type") == "error":
            self._script_error(pid, message)
            return
        payload = message.get("payload")
        try:
            parsed = AGENT_MESSAGE.validate_python(payload)
        except ValidationError as e:
            self._reject(pid, payload, e)
            return
        handler = _HANDLERS[type(parsed)]
        handler(self, pid, parsed)

    def _reject(self, pid: int, payload: Any, error: ValidationError) -> None:
        self.invalid_messages += 1
        if self.invalid_messages <= MAX_LOGGED_INVALID:
            kind = payload.get("type") if isinstance(payload, dict) else type(payload).__name__
            log.warning(
                "rejected invalid agent message from pid %d (%s): %s",
                pid,
                kind,
                error.errors()[0]["msg"] if error.errors() else error,
            )

    def _script_error(self, pid: int, message: dict[str, Any]) -> None:
        description = str(message.get("description", "unknown script error"))[:2000]
        fatal = not self.ready.is_set()
        self._agent_error(pid, description, fatal)

    def _agent_error(self, pid: int, text: str, fatal: bool) -> None:
        self.agent_errors += 1
        self.store.add_agent_error(
            {
                "run_id": self.run_id,
                "pid": pid,
                "time_ms": None,
                "fatal": int(fatal),
                "message": text,
            }
        )
        if fatal:
            log.error("agent error in pid %d: %s", pid, text)
            self.fatal_error = self.fatal_error or text
            self.failed.set()
        else:
            log.warning("agent error in pid %d: %s", pid, text)

    def _on_hello(self, pid: int, msg: AgentHello) -> None:
        self.processes[pid] = ProcessInfo(pid=pid, name=msg.process)
        self.store.upsert_process(
            {
                "run_id": self.run_id,
                "pid": pid,
                "name": msg.process,
                "process_start_ms": msg.processStart,
                "arch": msg.arch,
            }
        )

    def _on_hooks(self, pid: int, msg: HooksStatus) -> None:
        process = self._process(pid)
        process.hooks = {item.hookId: item for item in msg.items}
        self.store.add_hook_status(
            {
                "run_id": self.run_id,
                "pid": pid,
                "hook_id": item.hookId,
                "category": item.category.value,
                "class": item.className,
                "method": item.method,
                "state": item.state,
                "overloads": json.dumps(item.overloads),
                "reason": item.reason,
            }
            for item in msg.items
        )

    def _on_ready(self, pid: int, msg: AgentReady) -> None:
        process = self._process(pid)
        process.ready_ms = msg.time
        self.store.upsert_process(
            {"run_id": self.run_id, "pid": pid, "hooks_ready_ms": msg.time, "flavor": msg.flavor}
        )
        self.ready.set()

    def _on_stacks(self, pid: int, msg: StacksAdd) -> None:
        self._process(pid).stacks[msg.id] = list(msg.frames)
        self.store.add_stack(self.run_id, pid, msg.id, list(msg.frames))

    def _on_events(self, pid: int, msg: EventsAdd) -> None:
        process = self._process(pid)
        rows = []
        for event in msg.events:
            row = self._event_row(process, event)
            if row is not None:
                rows.append(row)
        self.store.add_events(rows)

    def _event_row(self, process: ProcessInfo, event: tuple) -> tuple | None:
        (
            seq,
            time_ms,
            thread_id,
            thread,
            hook_id,
            overload,
            category,
            data_type,
            args,
            outcome,
            detail,
            stack_id,
        ) = event
        hook = process.hooks.get(hook_id)
        if hook is None:
            self.invalid_messages += 1
            return None
        signature = hook.overloads[overload] if overload < len(hook.overloads) else ""
        frames = process.stacks.get(stack_id, [])
        origin = self.attributor.origin(frames)
        if category is Category.CONSENT:
            state = ConsentState.GRANTED if data_type == "agree" else ConsentState.REFUSED
            self._record_consent(
                time_ms, process.pid, seq, state, f"{hook.className}.{hook.method}"
            )
        consent = self.timeline.state_at(time_ms, process.pid, seq)
        self.counts[category.value] += 1
        return (
            self.run_id,
            seq,
            time_ms,
            process.pid,
            process.name,
            thread_id,
            thread,
            category.value,
            data_type,
            hook.className,
            hook.method,
            signature,
            args,
            outcome.value,
            detail,
            stack_id,
            origin.name,
            origin.kind,
            origin.frame,
            consent.value,
        )

    def _record_consent(
        self, time_ms: int, pid: int | None, seq: int | None, state: ConsentState, source: str
    ) -> None:
        point = ConsentPoint(time_ms, pid, seq, state, source)
        if not self.timeline.add(point):
            log.debug("consent %s from %s repeats the current state", state.value, source)
            return
        log.info("consent %s at %d (%s)", state.value, time_ms, source)
        self.store.add_consent_change(
            {
                "run_id": self.run_id,
                "time_ms": time_ms,
                "state": state.value,
                "source": source,
                "pid": pid,
                "seq": seq,
            }
        )

    def _on_error(self, pid: int, msg: AgentError) -> None:
        self._agent_error(pid, msg.message, msg.fatal)

    def _on_exit(self, pid: int, msg: AgentExit) -> None:
        self.exit_code = msg.code
        log.info("pid %d called %s(%d)", pid, msg.how, msg.code)

    def _on_stopped(self, pid: int, msg: AgentStopped) -> None:
        log.debug("agent in pid %d stopped recording", pid)

    def _process(self, pid: int) -> ProcessInfo:
        process = self.processes.get(pid)
        if process is None:
            process = ProcessInfo(pid=pid)
            self.processes[pid] = process
        return process


_HANDLERS = {
    AgentHello: Collector._on_hello,
    HooksStatus: Collector._on_hooks,
    AgentReady: Collector._on_ready,
    StacksAdd: Collector._on_stacks,
    EventsAdd: Collector._on_events,
    AgentError: Collector._on_error,
    AgentExit: Collector._on_exit,
    AgentStopped: Collector._on_stopped,
}
