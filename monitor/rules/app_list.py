"""The installed-app list read, or other apps probed by package name, before consent.

Which apps a user has installed reveals much about them, so this has its own rule id, and
pre_consent leaves these calls to it.
"""

from __future__ import annotations

from monitor.rules.base import APP_LIST_TYPES, RunData, Severity
from monitor.rules.pre_consent import BeforeConsentScan


class AppListBeforeConsent:
    id = "app_list_before_consent"
    default_severity = Severity.HIGH

    def start(self, data: RunData) -> BeforeConsentScan:
        return BeforeConsentScan(self, data, APP_LIST_TYPES.__contains__)
