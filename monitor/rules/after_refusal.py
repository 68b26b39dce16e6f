"""Personal data collected after the user refused the privacy policy."""

from __future__ import annotations

from monitor.events import ConsentState
from monitor.rules.base import (
    API_CLASS,
    API_METHOD,
    COLLECTION,
    DATA_TYPE,
    ORIGIN,
    Event,
    Finding,
    GroupScan,
    RunData,
    Severity,
    api_name,
)

REFUSED = ConsentState.REFUSED.value


class CollectionAfterRefusal:
    id = "after_refusal"
    default_severity = Severity.HIGH

    def start(self, data: RunData) -> _Scan:
        return _Scan(self, data)


class _Scan(GroupScan):
    categories = COLLECTION
    consents = frozenset({REFUSED})

    def key(self, event: Event, consent: str) -> tuple | None:
        return (event[ORIGIN], event[API_CLASS], event[API_METHOD], event[DATA_TYPE])

    def finish(self) -> list[Finding]:
        return [
            Finding(
                rule=self.rule.id,
                severity=self.severity,
                title=f"{data_type} collected after the user refused, by {origin}",
                category=calls.first["category"],
                origin=origin,
                api=api_name(calls.first),
                consent=REFUSED,
                count=calls.count,
                first_ms=calls.first_ms,
                last_ms=calls.last_ms,
                evidence=calls.evidence,
            )
            for (origin, _, _, data_type), calls in self.groups.items()
        ]
