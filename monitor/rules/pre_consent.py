"""Personal data collected before the user agreed to the privacy policy.

Installed-app lists and package probes have their own rule, app_list_before_consent. This
rule reports them only when the policy disables that rule, so no call is reported twice.
"""

from __future__ import annotations

from collections.abc import Callable

from monitor.rules.base import (
    API_CLASS,
    API_METHOD,
    APP_LIST_TYPES,
    COLLECTION,
    DATA_TYPE,
    NOT_AGREED,
    ORIGIN,
    Calls,
    Event,
    Finding,
    GroupScan,
    Rule,
    RunData,
    Severity,
    api_name,
)


class PreConsentCollection:
    id = "pre_consent"
    default_severity = Severity.HIGH

    def start(self, data: RunData) -> BeforeConsentScan:
        skipped = APP_LIST_TYPES if data.policy.enabled("app_list_before_consent") else set()
        return BeforeConsentScan(self, data, lambda data_type: data_type not in skipped)


class BeforeConsentScan(GroupScan):
    """Calls made before consent, grouped by (origin, API, data type)."""

    categories = COLLECTION
    consents = NOT_AGREED

    def __init__(self, rule: Rule, data: RunData, selects: Callable[[str], bool]) -> None:
        super().__init__(rule, data)
        self.selects = selects
        """Whether the scan reports a data type."""

    def key(self, event: Event, consent: str) -> tuple | None:
        if not self.selects(event[DATA_TYPE]):
            return None
        return (event[ORIGIN], event[API_CLASS], event[API_METHOD], event[DATA_TYPE])

    def finish(self) -> list[Finding]:
        return [
            before_consent_finding(self.rule.id, self.severity, key[3], calls)
            for key, calls in self.groups.items()
        ]


def before_consent_finding(
    rule_id: str, severity: Severity, data_type: str, calls: Calls
) -> Finding:
    first = calls.first
    # A call the platform rejected still shows the intent to collect before consent.
    verb = "requested" if calls.failed else "collected"
    return Finding(
        rule=rule_id,
        severity=severity,
        title=f"{data_type} {verb} before consent by {first['origin']}",
        category=first["category"],
        origin=first["origin"],
        api=api_name(first),
        consent=calls.first_consent,
        count=calls.count,
        first_ms=calls.first_ms,
        last_ms=calls.last_ms,
        evidence=calls.evidence,
    )
