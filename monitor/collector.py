"""The collector: one consumer thread turns agent messages into stored rows.

Frida delivers messages on its own threads; they only enqueue here. Everything that
touches SQLite, the consent timeline or attribution runs on the consumer thread.

The consumer hands every write to a writer (monitor/writer.py), which applies them in
order in a child process. A collector killed mid-run loses the messages still in its queue
and the batch it was working on; the child stores everything it was sent.
"""

from __future__ import annotations

import bisect
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
    BucketsAdd,
    Canaries,
    Category,
    ConsentState,
    EventsAdd,
    HooksStatus,
    HookStatusItem,
    StacksAdd,
)
from monitor.redact import Redactor, clean_text, clean_value
from monitor.store import Store
from monitor.writer import InlineWriter, ProcessWriter, writer_for

log = logging.getLogger(__name__)

MAX_LOGGED_INVALID = 10


class SeqSet:
    """The sequence numbers seen from one process, kept as sorted disjoint intervals.

    The agent numbers calls when they start and sends them when they return, so nested
    calls arrive slightly out of order and flooding hooks leave gaps. Intervals keep the
    memory in proportion to the gaps, not the events.
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, seq: int) -> bool:
        """Add `seq` and return True, or return False when it was already seen."""
        ends = self._ends
        if ends and seq == ends[-1] + 1:
            ends[-1] = seq
            return True
        if not ends or seq > ends[-1]:
            self._starts.append(seq)
            ends.append(seq)
            return True
        return self._insert(seq)

    def _insert(self, seq: int) -> bool:
        starts, ends = self._starts, self._ends
        i = bisect.bisect_right(starts, seq) - 1
        if i >= 0 and seq <= ends[i]:
            return False
        joins_left = i >= 0 and ends[i] == seq - 1
        joins_right = i + 1 < len(starts) and starts[i + 1] == seq + 1
        if joins_left and joins_right:
            ends[i] = ends[i + 1]
            del starts[i + 1], ends[i + 1]
        elif joins_left:
            ends[i] = seq
        elif joins_right:
            starts[i + 1] = seq
        else:
            starts.insert(i + 1, seq)
            ends.insert(i + 1, seq)
        return True

    @property
    def intervals(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends, strict=True))


@dataclass
class ProcessInfo:
    pid: int
    name: str = ""
    hooks: dict[int, HookStatusItem] = field(default_factory=dict)
    stacks: dict[int, list[str]] = field(default_factory=dict)
    ready_ms: int | None = None
    seqs: SeqSet = field(default_factory=SeqSet)
    call_sites: dict[tuple[int, int, int, str, str], int] = field(default_factory=dict)
    """Stored site ids per (hook id, overload, stack id, category, data type); cleared
    when hooks or stacks change."""


@dataclass
class _HostConsent:
    time_ms: int
    state: ConsentState
    source: str


_STOP = object()
WRITER_SYNC_TIMEOUT = 60.0
"""Seconds a sync waits for the writer to apply what was sent before it."""


def _last_decision(timeline: ConsentTimeline) -> tuple[float, str]:
    """Return the time of the latest consent decision and the state value of any call
    after it. Before the first decision, every call is "unknown" so far."""
    if not timeline.points:
        return float("-inf"), ConsentState.UNKNOWN._value_
    last = timeline.points[-1]
    return last.time_ms, last.state._value_


class Collector:
    """Validates, attributes, tags and stores what the agents send during one run."""

    def __init__(
        self,
        store: Store,
        run_id: str,
        attributor: Attributor,
        redact: bool | None = None,
        writer: InlineWriter | ProcessWriter | None = None,
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.attributor = attributor
        self.timeline = ConsentTimeline()
        self.processes: dict[int, ProcessInfo] = {}
        self.counts: Counter[str] = Counter()
        self.invalid_messages = 0
        self.rejected: Counter[str] = Counter()
        """Rejected agent messages and events by reason; their sum is invalid_messages."""
        self.redactor = _redactor(store, run_id, redact)
        self.agent_errors = 0
        self._broken_hooks: dict[int, dict[int, str]] = {}
        """Per pid, hooks whose canary did not fire, with the reason stored for them."""
        self.fatal_error: str | None = None
        self.exit: AgentExit | None = None
        """The app's exit message, if one arrived."""
        self.ready = threading.Event()
        self.failed = threading.Event()
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._consume, name="privmon-collector", daemon=True)
        self._writer = writer or writer_for(store)
        self._close_timeout = 30.0
        self._sites = store.sites(run_id)

    # Called from any thread --------------------------------------------------------------

    def start(self) -> None:
        try:
            self._writer.start()
        except OSError as e:
            # Slower, but every event is still stored.
            log.warning("cannot start the writer process (%s); storing on this process", e)
            self._writer = InlineWriter(self.store)
        self._thread.start()

    def submit(self, pid: int, message: dict[str, Any]) -> None:
        """Queue one message from Frida's on('message') callback."""
        self._queue.put((pid, message))

    def add_consent(self, time_ms: int, state: ConsentState, source: str) -> None:
        """Queue a consent decision seen outside the agent (a UI tap, a key press)."""
        self._queue.put(_HostConsent(time_ms, state, source))

    def sync(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is processed and committed; False on timeout."""
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Process and store everything queued so far, then stop the consumer thread."""
        self._close_timeout = timeout
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("collector thread did not finish within %.0f s", timeout)

    # Consumer thread ---------------------------------------------------------------------

    def _consume(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                self._store_rejections()
                self._writer.close(self._close_timeout)
                self._check_writer()
                return
            if isinstance(item, threading.Event):
                if self._writer.sync(WRITER_SYNC_TIMEOUT):
                    item.set()
                self._check_writer()
                continue
            try:
                if isinstance(item, _HostConsent):
                    self._record_consent(item.time_ms, None, None, item.state, item.source)
                else:
                    self._handle(*item)
            except Exception:
                log.exception("collector failed on a message")
                self._storage_failed()
            if self._writer.failure is not None:
                self._check_writer()

    def _check_writer(self) -> None:
        if self._writer.failure is not None and not self.failed.is_set():
            log.error("storing agent data failed: %s", self._writer.failure)
            self._storage_failed()

    def _storage_failed(self) -> None:
        # A storage failure must not pass silently: stop the run as failed.
        self.fatal_error = self.fatal_error or "the collector failed to store data"
        self.failed.set()

    def _handle(self, pid: int, message: Any) -> None:
        if not isinstance(message, dict):
            self._count_rejected(pid, "not a JSON object", type(message).__name__)
            return
        if message.get("type") == "error":
            self._script_error(pid, message)
            return
        payload = message.get("payload")
        try:
            parsed = AGENT_MESSAGE.validate_python(payload)
        except ValidationError as e:
            if not any(error["type"] == "string_unicode" for error in e.errors()):
                self._reject(pid, payload, e)
                return
            # Lone UTF-16 surrogates from app strings: store U+FFFD, not drop the batch.
            payload = clean_value(payload)
            try:
                parsed = AGENT_MESSAGE.validate_python(payload)
            except ValidationError as again:
                self._reject(pid, payload, again)
                return
        handler = _HANDLERS[type(parsed)]
        handler(self, pid, parsed)

    def _reject(self, pid: int, payload: Any, error: ValidationError) -> None:
        kind = payload.get("type") if isinstance(payload, dict) else type(payload).__name__
        errors = error.errors()
        reason = _REJECT_REASONS.get(errors[0]["type"], "invalid value") if errors else "invalid"
        self._count_rejected(pid, reason, f"{kind}: {errors[0]['msg'] if errors else error}")

    def _count_rejected(self, pid: int, reason: str, detail: str) -> None:
        self.invalid_messages += 1
        self.rejected[reason] += 1
        if self.invalid_messages <= MAX_LOGGED_INVALID:
            log.warning("rejected agent message from pid %d (%s): %s", pid, reason, detail[:200])

    def _store_rejections(self) -> None:
        if not self.rejected:
            return
        try:
            self._writer.call("add_rejections", self.run_id, dict(self.rejected))
        except Exception:
            log.exception("failed to store the counts of rejected agent messages")

    def _script_error(self, pid: int, message: dict[str, Any]) -> None:
        description = str(message.get("description", "unknown script error"))[:2000]
        fatal = not self.ready.is_set()
        self._agent_error(pid, description, fatal)

    def _agent_error(self, pid: int, text: str, fatal: bool) -> None:
        text = clean_text(text)
        self.agent_errors += 1
        self._writer.call(
            "add_agent_error",
            {
                "run_id": self.run_id,
                "pid": pid,
                "time_ms": None,
                "fatal": int(fatal),
                "message": text,
            },
        )
        if fatal:
            log.error("agent error in pid %d: %s", pid, text)
            self.fatal_error = self.fatal_error or text
            self.failed.set()
        else:
            log.warning("agent error in pid %d: %s", pid, text)

    def _on_hello(self, pid: int, msg: AgentHello) -> None:
        self.processes[pid] = ProcessInfo(pid=pid, name=clean_text(msg.process))
        self._writer.call(
            "upsert_process",
            {
                "run_id": self.run_id,
                "pid": pid,
                "name": clean_text(msg.process),
                "process_start_ms": msg.processStart,
                "arch": msg.arch,
            },
        )

    def _on_hooks(self, pid: int, msg: HooksStatus) -> None:
        process = self._process(pid)
        # The agent re-sends the list when a hook's state changes (late class loaders).
        process.hooks.update({item.hookId: item for item in msg.items})
        process.call_sites.clear()
        self._writer.call(
            "add_hook_status",
            [
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
            ],
        )
        for hook_id, reason in self._broken_hooks.get(pid, {}).items():
            self._writer.call("mark_hook_broken", self.run_id, pid, hook_id, reason)

    def _on_canaries(self, pid: int, msg: Canaries) -> None:
        """Store canary results; a hook its canary did not reach counts as failed."""
        self._writer.call(
            "add_canaries",
            [
                {
                    "run_id": self.run_id,
                    "pid": pid,
                    "category": item.category.value,
                    "class": item.className,
                    "method": item.method,
                    "hook_id": item.hookId,
                    "result": item.result,
                    "detail": item.detail,
                    "time_ms": msg.time,
                }
                for item in msg.items
            ],
        )
        for item in msg.items:
            if item.result != "silent" or item.hookId is None:
                continue
            reason = (
                f"installed, but the agent's own call ({item.detail}) did not reach it: "
                f"{item.category.value} calls may go unseen"
            )
            log.error("pid %d: canary of %s.%s did not fire", pid, item.className, item.method)
            self._broken_hooks.setdefault(pid, {})[item.hookId] = reason
            self._writer.call("mark_hook_broken", self.run_id, pid, item.hookId, reason)

    def _on_ready(self, pid: int, msg: AgentReady) -> None:
        process = self._process(pid)
        process.ready_ms = msg.time
        self._writer.call(
            "upsert_process",
            {"run_id": self.run_id, "pid": pid, "hooks_ready_ms": msg.time, "flavor": msg.flavor},
        )
        self.ready.set()

    def _on_stacks(self, pid: int, msg: StacksAdd) -> None:
        frames = [clean_text(frame) for frame in msg.frames]
        process = self._process(pid)
        process.stacks[msg.id] = frames
        process.call_sites.clear()
        self._writer.call("add_stack", self.run_id, pid, msg.id, frames)

    def _on_events(self, pid: int, msg: EventsAdd) -> None:
        # The hottest loop of the collector, so attribute lookups are hoisted and the common
        # cases (a known site, a cached redaction, a call after every consent decision) are
        # handled inline. Each shortcut gives what the full path would.
        process = self._process(pid)
        run_id, sites, seqs, timeline = self.run_id, process.call_sites, process.seqs, self.timeline
        redactor = self.redactor
        redacted = redactor.cache if redactor is not None else {}
        last_ms, last_state = _last_decision(timeline)
        rows = []
        categories: list[str] = []
        for event in msg.events:
            (seq, time_ms, thread_id, thread, hook_id, overload) = event[:6]
            (category, data_type, args, outcome, detail, stack_id) = event[6:]
            # _value_ is the plain attribute behind Enum.value, a slow property lookup.
            category_value, outcome_value = category._value_, outcome._value_
            key = (hook_id, overload, stack_id, category_value, data_type)
            site_id = sites.get(key)
            if site_id is None and (site_id := self._call_site(process, key)) is None:
                continue
            if not seqs.add(seq):
                self._count_rejected(pid, "duplicate seq", f"event {seq} sent again")
                continue
            # No clean_text here: pydantic rejects lone surrogates (string_unicode), and
            # _handle cleans such a payload before validating it again.
            if redactor is not None:
                values = (category_value, data_type, outcome_value, args, detail)
                args, detail = redacted.get(values) or redactor.event(*values)
            if category is Category.CONSENT:
                self._agent_consent(process, hook_id, seq, time_ms, data_type)
                last_ms, last_state = _last_decision(timeline)
            if time_ms > last_ms:
                consent = last_state
            else:
                consent = timeline.state_at(time_ms, pid, seq)._value_
            categories.append(category_value)
            rows.append(
                (
                    run_id,
                    seq,
                    time_ms,
                    pid,
                    thread_id,
                    thread,
                    site_id,
                    args,
                    outcome_value,
                    detail,
                    stack_id,
                    consent,
                )
            )
        if rows:
            self.counts.update(categories)
            self._writer.add_event_rows(rows)

    def _agent_consent(
        self, process: ProcessInfo, hook_id: int, seq: int, time_ms: int, data_type: str
    ) -> None:
        state = ConsentState.GRANTED if data_type == "agree" else ConsentState.REFUSED
        hook = process.hooks[hook_id]
        self._record_consent(time_ms, process.pid, seq, state, f"{hook.className}.{hook.method}")

    def _call_site(self, process: ProcessInfo, key: tuple[int, int, int, str, str]) -> int | None:
        """Return the stored site id of an event, or None for an unknown hook."""
        hook_id, overload, stack_id, category, data_type = key
        hook = process.hooks.get(hook_id)
        if hook is None:
            self._count_rejected(process.pid, "unknown hook id", f"event for hook {hook_id}")
            return None
        signature = hook.overloads[overload] if overload < len(hook.overloads) else ""
        origin = self.attributor.origin(process.stacks.get(stack_id, []))
        site = (
            process.name,
            category,
            data_type,
            hook.className,
            hook.method,
            signature,
            origin.name,
            origin.kind,
            origin.frame,
        )
        site_id = self._sites.get(site)
        if site_id is None:
            site_id = self._sites[site] = len(self._sites) + 1
            self._writer.call("add_site", self.run_id, site_id, site)
        # Stack 0 is "no stack captured". An event may name another stack before its
        # stacks:add arrives, and caching that unknown origin would outlive the stack's arrival.
        if stack_id == 0 or stack_id in process.stacks:
            process.call_sites[key] = site_id
        return site_id

    def _record_consent(
        self, time_ms: int, pid: int | None, seq: int | None, state: ConsentState, source: str
    ) -> None:
        point = ConsentPoint(time_ms, pid, seq, state, source)
        if not self.timeline.add(point):
            log.debug("consent %s from %s repeats the current state", state.value, source)
            return
        log.info("consent %s at %d (%s)", state.value, time_ms, source)
        self._writer.call(
            "add_consent_change",
            {
                "run_id": self.run_id,
                "time_ms": time_ms,
                "state": state.value,
                "source": source,
                "pid": pid,
                "seq": seq,
            },
        )

    def _on_error(self, pid: int, msg: AgentError) -> None:
        self._agent_error(pid, msg.message, msg.fatal)

    def _on_exit(self, pid: int, msg: AgentExit) -> None:
        self.exit = msg
        log.info("pid %d ended by %s (exit code %s)", pid, msg.how, msg.code)

    def _on_buckets(self, pid: int, msg: BucketsAdd) -> None:
        process = self._process(pid)
        rows = []
        for (
            hook_id,
            overload,
            category,
            data_type,
            stack_id,
            start,
            count,
            first,
            last,
        ) in msg.buckets:
            hook = process.hooks.get(hook_id)
            if hook is None:
                self._count_rejected(pid, "unknown hook id", f"bucket for hook {hook_id}")
                continue
            signature = hook.overloads[overload] if overload < len(hook.overloads) else ""
            origin = self.attributor.origin(process.stacks.get(stack_id, []))
            consent = self.timeline.state_at(first, pid, None)
            self.counts[category.value] += count
            rows.append(
                (
                    self.run_id,
                    pid,
                    hook_id,
                    hook.className,
                    hook.method,
                    signature,
                    category.value,
                    clean_text(data_type),
                    stack_id,
                    origin.name,
                    origin.kind,
                    start,
                    msg.bucketMs,
                    count,
                    first,
                    last,
                    consent.value,
                )
            )
        if rows:
            self._writer.call("add_buckets", rows)

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
    BucketsAdd: Collector._on_buckets,
    Canaries: Collector._on_canaries,
}

# Reasons for rejecting an agent message, from the type of pydantic's first error.
_REJECT_REASONS = {
    "union_tag_invalid": "unknown message type",
    "union_tag_not_found": "missing message type",
    "model_type": "not a JSON object",
    "model_attributes_type": "not a JSON object",
    "missing": "missing field",
    "string_too_long": "oversized value",
    "too_long": "oversized list",
    "too_short": "missing field",
    "int_type": "wrong type",
    "int_parsing": "wrong type",
    "int_from_float": "wrong type",
    "string_type": "wrong type",
    "bool_type": "wrong type",
    "bool_parsing": "wrong type",
    "list_type": "wrong type",
    "tuple_type": "wrong type",
    "enum": "invalid value",
    "literal_error": "invalid value",
    "greater_than_equal": "value out of range",
    "less_than_equal": "value out of range",
}


def _redactor(store: Store, run_id: str, redact: bool | None) -> Redactor | None:
    """Return the run's redactor, or None with redaction off.

    With `redact` None, the setting comes from the run's stored configuration, which is
    how `--no-redact` reaches the collector; redaction is on when nothing says otherwise.
    """
    if redact is None:
        redact = _stored_redact_setting(store, run_id)
    return Redactor(store.redaction_key()) if redact else None


def _stored_redact_setting(store: Store, run_id: str) -> bool:
    try:
        config = json.loads(store.run(run_id).get("config") or "{}")
    except (LookupError, ValueError):
        return True
    return config.get("redact", True) is not False
