"""Personal data collected before the user agreed to the privacy policy.

Installed-app lists and package probes have their own rule, app_list_before_consent. This
rule reports them only when the policy disables that rule, so no call is reported twice.
"""

from __future__ import annotations

from monitor.rules.base import (
    APP_LIST_TYPES,
    COLLECTION,
    NOT_AGREED,
    Finding,
    RunData,
    Severity,
    api_name,
    evidence_of,
    group_by,
    severity_of,
)


class PreConsentCollection:
    id = "pre_consent"
    default_severity = Severity.HIGH

    def evaluate(self, data: RunData) -> list[Finding]:
        skipped = APP_LIST_TYPES if data.policy.enabled("app_list_before_consent") else set()

        def key(event: dict) -> tuple[str, str, str] | None:
            if event["category"] not in COLLECTION or event["consent"] not in NOT_AGREED:
                return None
            if event["data_type"] in skipped:
                return None
            return (event["origin"], api_name(event), event["data_type"])

        return [
            before_consent_finding(self.id, severity_of(self, data), data_type, events)
            for (_, _, data_type), events in group_by(data.events, key).items()
        ]


def before_consent_finding(
    rule_id: str, severity: Severity, data_type: str, events: list[dict]
) -> Finding:
    first = events[0]
    # A call the platform rejected still shows the intent to collect before consent.
    verb = "requested" if all(e["outcome"] == "exception" for e in events) else "collected"
    return Finding(
        rule=rule_id,
        severity=severity,
        title=f"{data_type} {verb} before consent by {first['origin']}",
        category=first["category"],
        origin=first["origin"],
        api=api_name(first),
        consent=first["consent"],
        count=len(events),
        first_ms=first["time_ms"],
        last_ms=events[-1]["time_ms"],
        evidence=evidence_of(events),
    )
