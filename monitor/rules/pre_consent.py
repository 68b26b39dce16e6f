"""Personal data collected before the user agreed to the privacy policy."""

from __future__ import annotations

from collections import defaultdict

from monitor.rules.base import (
    COLLECTION,
    NOT_AGREED,
    Finding,
    RunData,
    Severity,
    api_name,
    evidence_of,
)


class PreConsentCollection:
    id = "pre_consent"

    def evaluate(self, data: RunData) -> list[Finding]:
        groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for event in data.events:
            if event["category"] in COLLECTION and event["consent"] in NOT_AGREED:
                groups[(event["origin"], api_name(event), event["data_type"])].append(event)
        findings = []
        for (origin, api, data_type), events in groups.items():
            first = events[0]
            findings.append(
                Finding(
                    rule=self.id,
                    severity=Severity.HIGH,
                    title=f"{data_type} collected before consent by {origin}",
                    category=first["category"],
                    origin=origin,
                    api=api,
                    consent=first["consent"],
                    count=len(events),
                    first_ms=first["time_ms"],
                    last_ms=events[-1]["time_ms"],
                    evidence=evidence_of(events),
                )
            )
        return findings
