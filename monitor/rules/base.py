"""The input of a rule (one stored run, read once in time order) and its output (findings).

A rule does not load the run's events. `start` returns a scan, and a single pass shared
by every rule feeds it the events it selects, one at a time in device-time order. Then
`finish` returns its findings. Memory therefore grows with the number
of findings and groups, not with the number of events.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from monitor.config import MonitorConfig
from monitor.consent import ConsentTimeline
from monitor.events import COLLECTION_CATEGORIES, ConsentState
from monitor.policy import Policy, Severity
from monitor.store import Store

EVIDENCE_LIMIT = 20
COLLECTION = frozenset(c.value for c in COLLECTION_CATEGORIES)
# Data types that app_list_before_consent reports instead of pre_consent.
APP_LIST_TYPES = frozenset({"app_list", "package_probe"})
# Unknown counts as "not yet agreed": a run that never saw consent cannot excuse a call.
NOT_AGREED = frozenset({ConsentState.UNKNOWN.value, ConsentState.BEFORE.value})
K = TypeVar("K")

SCAN_COLUMNS = (
    "pid",
    "seq",
    "time_ms",
    "category",
    "data_type",
    "api_class",
    "api_method",
    "args",
    "outcome",
    "origin",
    "consent",
)
"""The columns of an event as a scan reads it, in this order. Each one costs time in a pass
over a million events, so rare needs (such as `detail`) read the event by key later."""
PID, SEQ, TIME_MS, CATEGORY, DATA_TYPE, API_CLASS, API_METHOD, ARGS, OUTCOME, ORIGIN = range(10)
STORED_CONSENT = 10
"""The consent tag stored with the event, which may predate the final timeline: scans get
the consent state at the call as a separate argument."""

Event = tuple
"""A stored event in SCAN_COLUMNS order. A plain tuple, read by index: a pass reads
every event of a run, and named access would cost more than the rules themselves."""


def as_dict(event: Event) -> dict[str, Any]:
    """Return an event by column name, for the few events a finding keeps."""
    return dict(zip(SCAN_COLUMNS, event, strict=True))


@dataclass
class Finding:
    rule: str
    severity: Severity
    title: str
    category: str = ""
    origin: str = ""
    api: str = ""
    consent: str = ""
    count: int = 0
    window_ms: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    evidence: list[tuple[int, int]] = field(default_factory=list)
    """(pid, seq) of up to EVIDENCE_LIMIT events behind the finding."""
    detail: str = ""

    def row(self, run_id: str) -> dict[str, Any]:
        return {
            "run_id": run_id,
            "rule": self.rule,
            "severity": self.severity.value,
            "title": self.title,
            "category": self.category,
            "origin": self.origin,
            "api": self.api,
            "consent": self.consent,
            "count": self.count,
            "window_ms": self.window_ms,
            "first_ms": self.first_ms,
            "last_ms": self.last_ms,
            "evidence": json.dumps(self.evidence),
            "detail": self.detail,
        }


@dataclass
class EventSummary:
    """Counts of a run's stored events, gathered in the rules' pass for the reports."""

    count: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_consent: dict[str, int] = field(default_factory=dict)
    first_ms: int | None = None
    last_ms: int | None = None
    bin_ms: int = 1000
    """Width of one timeline bin."""
    bins: dict[tuple[int, str, str], int] = field(default_factory=dict)
    """Calls per (bin start, category, consent state)."""


@dataclass
class RunData:
    """One stored run: its small tables, loaded once and shared by every rule."""

    store: Store
    run_id: str
    run: dict[str, Any]
    processes: list[dict[str, Any]]
    hooks: list[dict[str, Any]]
    agent_errors: list[dict[str, Any]]
    config: MonitorConfig
    timeline: ConsentTimeline
    consent_changes: list[dict[str, Any]] = field(default_factory=list)
    """Consent decisions ordered by device time."""
    buckets: list[dict[str, Any]] = field(default_factory=list)
    """Calls of flooding hooks that the agent counted per time bucket instead of sending,
    ordered by their first call, with the consent state at that call."""
    summary: EventSummary | None = None
    """Counts from the pass over the events, once monitor.rules.evaluate or summarize ran."""

    @property
    def policy(self) -> Policy:
        return self.config.policy


class Scan(Protocol):
    """One rule's reader of a pass: fed the events it selects, then asked for findings."""

    categories: frozenset[str] | None
    """Categories of the events to feed, or None for every category."""
    consents: frozenset[str] | None
    """Consent states of the events to feed, or None for every state."""

    def feed(self, event: Event, consent: str) -> None: ...

    def finish(self) -> list[Finding]: ...


class Rule(Protocol):
    id: str
    default_severity: Severity

    def start(self, data: RunData) -> Scan: ...


def api_name(event: dict[str, Any]) -> str:
    return f"{event['api_class']}.{event['api_method']}"


class Calls:
    """Summary of one group's calls for its finding: counts, times and evidence only."""

    __slots__ = ("first", "first_consent", "count", "last_ms", "consents", "evidence", "failed")

    def __init__(self, first: Event, consent: str) -> None:
        self.first = as_dict(first)
        self.first_consent = consent
        self.count = 0
        self.last_ms = first[TIME_MS]
        self.consents: dict[str, None] = {}
        """Consent states in order of first appearance (a dict as an ordered set)."""
        self.evidence: list[tuple[int, int]] = []
        self.failed = True
        """True while every call threw."""

    def add(self, event: Event, consent: str) -> None:
        self.count += 1
        self.last_ms = event[TIME_MS]
        if consent not in self.consents:
            self.consents[consent] = None
        if len(self.evidence) < EVIDENCE_LIMIT:
            self.evidence.append((event[PID], event[SEQ]))
        if self.failed and event[OUTCOME] != "exception":
            self.failed = False

    @property
    def first_ms(self) -> int:
        return self.first["time_ms"]

    @property
    def consent_states(self) -> str:
        return ", ".join(self.consents)


class GroupScan:
    """Scan of one rule that groups the events it is fed by `key` and reports each group."""

    categories: frozenset[str] | None = None
    consents: frozenset[str] | None = None

    def __init__(self, rule: Rule, data: RunData) -> None:
        self.rule, self.data = rule, data
        self.severity = severity_of(rule, data)
        self.groups: dict[Any, Calls] = {}

    def key(self, event: Event, consent: str) -> Any | None:
        """Return the group of `event`, or None to leave it out."""
        raise NotImplementedError

    def feed(self, event: Event, consent: str) -> None:
        key = self.key(event, consent)
        if key is None:
            return
        calls = self.groups.get(key)
        if calls is None:
            calls = self.groups[key] = Calls(event, consent)
        calls.add(event, consent)


# For rules that keep their few events whole (permission requests) ---------------------


def group_by(
    events: Iterable[dict[str, Any]], key: Callable[[Any], K | None]
) -> dict[K, list[Any]]:
    """Group events by `key` in order; events whose key is None are left out."""
    groups: dict[K, list[Any]] = defaultdict(list)
    for event in events:
        value = key(event)
        if value is not None:
            groups[value].append(event)
    return groups


def consent_states(events: list[dict[str, Any]]) -> str:
    """Return the distinct consent states of `events` in order of first appearance."""
    return ", ".join(dict.fromkeys(e["consent"] for e in events))


def evidence_of(events: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(e["pid"], e["seq"]) for e in events[:EVIDENCE_LIMIT]]


def severity_of(rule: Rule, data: RunData) -> Severity:
    return data.policy.severity(rule.id, rule.default_severity)
