"""Runtime permission requests made before the user agreed to the privacy policy."""

from __future__ import annotations

from collections import defaultdict

from monitor.rules.base import NOT_AGREED, Finding, RunData, Severity, api_name, evidence_of


class PermissionBeforeConsent:
    id = "permission_before_consent"

    def evaluate(self, data: RunData) -> list[Finding]:
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for event in data.events:
            if event["category"] == "permissions" and event["consent"] in NOT_AGREED:
                groups[(event["origin"], event["args"])].append(event)
        return [
            Finding(
                rule=self.id,
                severity=Severity.MEDIUM,
                title=f"permissions {permissions} requested before consent by {origin}",
                category="permissions",
                origin=origin,
                api=api_name(events[0]),
                consent=events[0]["consent"],
                count=len(events),
                first_ms=events[0]["time_ms"],
                last_ms=events[-1]["time_ms"],
                evidence=evidence_of(events),
                detail=permissions,
            )
            for (origin, permissions), events in groups.items()
        ]
