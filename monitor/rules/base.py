"""The input of a rule (one stored run) and its output (findings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from monitor.config import MonitorConfig
from monitor.events import COLLECTION_CATEGORIES, ConsentState
from monitor.policy import Policy, Severity

EVIDENCE_LIMIT = 20
COLLECTION = frozenset(c.value for c in COLLECTION_CATEGORIES)
# Data types that app_list_before_consent reports instead of pre_consent.
APP_LIST_TYPES = frozenset({"app_list", "package_probe"})
# Unknown counts as "not yet agreed": a run that never saw consent cannot excuse a call.
NOT_AGREED = frozenset({ConsentState.UNKNOWN.value, ConsentState.BEFORE.value})
K = TypeVar("K")


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
        import json

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
class RunData:
    """One stored run, loaded once and shared by every rule."""

    run: dict[str, Any]
    events: list[dict[str, Any]]
    """Ordered by device time; consent tags already final."""
    processes: list[dict[str, Any]]
    hooks: list[dict[str, Any]]
    agent_errors: list[dict[str, Any]]
    config: MonitorConfig
    consent_changes: list[dict[str, Any]] = field(default_factory=list)
    """Consent decisions ordered by device time."""
    buckets: list[dict[str, Any]] = field(default_factory=list)
    """Calls of flooding hooks that the agent counted per time bucket instead of sending."""

    @property
    def policy(self) -> Policy:
        return self.config.policy


class Rule(Protocol):
    id: str
    default_severity: Severity

    def evaluate(self, data: RunData) -> list[Finding]: ...


def api_name(event: dict[str, Any]) -> str:
    return f"{event['api_class']}.{event['api_method']}"


def evidence_of(events: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(e["pid"], e["seq"]) for e in events[:EVIDENCE_LIMIT]]


def group_by(
    events: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], K | None]
) -> dict[K, list[dict[str, Any]]]:
    """Group events by `key` in order; events whose key is None are left out."""
    groups: dict[K, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        value = key(event)
        if value is not None:
            groups[value].append(event)
    return groups


def consent_states(events: list[dict[str, Any]]) -> str:
    """Return the distinct consent states of `events` in order of first appearance."""
    return ", ".join(dict.fromkeys(e["consent"] for e in events))


def severity_of(rule: Rule, data: RunData) -> Severity:
    return data.policy.severity(rule.id, rule.default_severity)
