"""Personal data collected after the user refused the privacy policy."""

from __future__ import annotations

from monitor.events import ConsentState
from monitor.rules.base import (
    COLLECTION,
    Finding,
    RunData,
    Severity,
    api_name,
    evidence_of,
    group_by,
    severity_of,
)

REFUSED = ConsentState.REFUSED.value


class CollectionAfterRefusal:
    id = "after_refusal"
    default_severity = Severity.HIGH

    def evaluate(self, data: RunData) -> list[Finding]:
        def key(event: dict) -> tuple[str, str, str] | None:
            if event["category"] not in COLLECTION or event["consent"] != REFUSED:
                return None
            return (event["origin"], api_name(event), event["data_type"])

        return [
            Finding(
                rule=self.id,
                severity=severity_of(self, data),
                title=f"{data_type} collected after the user refused, by {origin}",
                category=events[0]["category"],
                origin=origin,
                api=api,
                consent=REFUSED,
                count=len(events),
                first_ms=events[0]["time_ms"],
                last_ms=events[-1]["time_ms"],
                evidence=evidence_of(events),
            )
            for (origin, api, data_type), events in group_by(data.events, key).items()
        ]
