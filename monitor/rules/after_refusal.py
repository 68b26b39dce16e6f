"""Personal data collected after the user refused the privacy policy."""

from __future__ import annotations

from collections import defaultdict

from monitor.events import ConsentState
from monitor.rules.base import COLLECTION, Finding, RunData, Severity, api_name, evidence_of


class CollectionAfterRefusal:
    id = "after_refusal"

    def evaluate(self, data: RunData) -> list[Finding]:
        groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for event in data.events:
            if event["category"] in COLLECTION and event["consent"] == ConsentState.REFUSED.value:
                groups[(event["origin"], api_name(event), event["data_type"])].append(event)
        return [
            Finding(
                rule=self.id,
                severity=Severity.HIGH,
                title=f"{data_type} collected after the user refused, by {origin}",
                category=events[0]["category"],
                origin=origin,
                api=api,
                consent=ConsentState.REFUSED.value,
                count=len(events),
                first_ms=events[0]["time_ms"],
                last_ms=events[-1]["time_ms"],
                evidence=evidence_of(events),
            )
            for (origin, api, data_type), events in groups.items()
        ]
