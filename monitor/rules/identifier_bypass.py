"""An identifier read through another API after the official one returned a placeholder.

When the platform withholds an identifier it returns a placeholder (null, "unknown",
02:00:00:00:00:00 ...), which the agent records as outcome "placeholder". Reading the same
data type through a different API afterwards, by the same origin, and getting a value is a
way around the platform's protection.
"""

from __future__ import annotations

from monitor.rules.base import (
    API_CLASS,
    API_METHOD,
    DATA_TYPE,
    EVIDENCE_LIMIT,
    ORIGIN,
    OUTCOME,
    Calls,
    Event,
    Finding,
    GroupScan,
    RunData,
    Severity,
    api_name,
    as_dict,
)
from monitor.rules.scan import events_by_key


class IdentifierBypass:
    id = "identifier_bypass"
    default_severity = Severity.HIGH

    def start(self, data: RunData) -> _Scan:
        return _Scan(self, data)


class _Scan(GroupScan):
    categories = frozenset({"identifiers"})

    def __init__(self, rule: IdentifierBypass, data: RunData) -> None:
        super().__init__(rule, data)
        self.withheld: dict[tuple[str, str], dict] = {}
        """(origin, data type) -> first placeholder event; later reads bypass it."""

    def key(self, event: Event, consent: str) -> tuple | None:
        outcome = event[OUTCOME]
        if outcome == "placeholder":
            self.withheld.setdefault((event[ORIGIN], event[DATA_TYPE]), as_dict(event))
            return None
        if outcome != "returned" or not self.withheld:
            return None
        key = (event[ORIGIN], event[DATA_TYPE])
        placeholder = self.withheld.get(key)
        if placeholder is None:
            return None
        api = f"{event[API_CLASS]}.{event[API_METHOD]}"
        if api == api_name(placeholder):
            return None
        return (*key, api)

    def finish(self) -> list[Finding]:
        keys = [(p["pid"], p["seq"]) for p in self.withheld.values()]
        stored = events_by_key(self.data.store, self.data.run_id, keys, self.data.timeline)
        return [self._finding(key, calls, stored) for key, calls in self.groups.items()]

    def _finding(self, key: tuple, reads: Calls, stored: dict) -> Finding:
        placeholder = self.withheld[key[:2]]
        detail = stored.get((placeholder["pid"], placeholder["seq"]), {}).get("detail")
        first = reads.first
        evidence = [(placeholder["pid"], placeholder["seq"]), *reads.evidence]
        return Finding(
            rule=self.rule.id,
            severity=self.severity,
            title=f"{placeholder['data_type']} read through {api_name(first)} after "
            f"{api_name(placeholder)} returned a placeholder, by {placeholder['origin']}",
            category="identifiers",
            origin=placeholder["origin"],
            api=api_name(first),
            consent=reads.consent_states,
            count=reads.count,
            first_ms=reads.first_ms,
            last_ms=reads.last_ms,
            evidence=evidence[:EVIDENCE_LIMIT],
            detail=f"placeholder from {api_name(placeholder)}: {detail}",
        )
