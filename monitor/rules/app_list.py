"""The installed-app list read, or other apps probed by package name, before consent.

Which apps a user has installed reveals much about them, so this has its own rule id, and
pre_consent leaves these calls to it.
"""

from __future__ import annotations

from monitor.rules.base import (
    APP_LIST_TYPES,
    NOT_AGREED,
    Finding,
    RunData,
    Severity,
    api_name,
    group_by,
    severity_of,
)
from monitor.rules.pre_consent import before_consent_finding


class AppListBeforeConsent:
    id = "app_list_before_consent"
    default_severity = Severity.HIGH

    def evaluate(self, data: RunData) -> list[Finding]:
        def key(event: dict) -> tuple[str, str, str] | None:
            if event["data_type"] not in APP_LIST_TYPES or event["consent"] not in NOT_AGREED:
                return None
            return (event["origin"], api_name(event), event["data_type"])

        return [
            before_consent_finding(self.id, severity_of(self, data), data_type, events)
            for (_, _, data_type), events in group_by(data.events, key).items()
        ]
