"""What a rule sees (one stored run) and what it produces (findings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from monitor.config import MonitorConfig
from monitor.events import COLLECTION_CATEGORIES, ConsentState

EVIDENCE_LIMIT = 20
COLLECTION = frozenset(c.value for c in COLLECTION_CATEGORIES)
# Unknown counts as "not yet agreed": a run that never saw consent cannot excuse a call.
NOT_AGREED = frozenset({ConsentState.UNKNOWN.value, ConsentState.BEFORE.value})


class Severity(str, Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


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


class Rule(Protocol):
    id: str

    def evaluate(self, data: RunData) -> list[Finding]: ...


def api_name(event: dict[str, Any]) -> str:
    return f"{event['api_class']}.{event['api_method']}"


def evidence_of(events: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(e["pid"], e["seq"]) for e in events[:EVIDENCE_LIMIT]]
