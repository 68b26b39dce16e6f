"""Self-start and associated start: services, bindings, broadcasts, alarms and jobs the app
fires on its own, and any start that targets another app's package. Reported when they
happen before consent (app_start_before_consent) or more often than the policy's limit
for the app_start category (app_start_frequency), whatever the consent state.

Starts of the app's own activities are user navigation and are not counted.
"""

from __future__ import annotations

import re
from functools import lru_cache

from monitor.rules.base import (
    API_CLASS,
    API_METHOD,
    ARGS,
    DATA_TYPE,
    NOT_AGREED,
    ORIGIN,
    Event,
    Finding,
    GroupScan,
    RunData,
    Severity,
)
from monitor.rules.frequency import FrequencyScan

# Data types of starts that run without the user looking at the app. "alarm" and "job"
# are accepted for hooks that the catalog does not have yet.
BACKGROUND_STARTS = {"service_start", "service_bind", "broadcast", "alarm", "job"}
_TARGET = re.compile(r"(?:cmp=([\w.$]+)/|pkg=([\w.$]+))")


@lru_cache(maxsize=4096)
def target_package(args: str) -> str | None:
    """Return the package an intent summary names, from its component or package."""
    match = _TARGET.search(args)
    if match is None:
        return None
    return match.group(1) or match.group(2)


def is_counted_start(event: Event, own: set[str]) -> bool:
    """Return whether an app_start event is a self-start or associated start, not navigation."""
    target = target_package(event[ARGS])
    return (target is not None and target not in own) or event[DATA_TYPE] in BACKGROUND_STARTS


APP_START = frozenset({"app_start"})


class StartBeforeConsent:
    id = "app_start_before_consent"
    default_severity = Severity.HIGH

    def start(self, data: RunData) -> _BeforeConsentScan:
        return _BeforeConsentScan(self, data)


class _BeforeConsentScan(GroupScan):
    categories = APP_START
    consents = NOT_AGREED

    def __init__(self, rule: StartBeforeConsent, data: RunData) -> None:
        super().__init__(rule, data)
        self.own = set(data.config.own_packages())

    def key(self, event: Event, consent: str) -> tuple | None:
        if not is_counted_start(event, self.own):
            return None
        api = f"{event[API_CLASS]}.{event[API_METHOD]}"
        return (event[ORIGIN], api, target_package(event[ARGS]) or "")

    def finish(self) -> list[Finding]:
        findings = []
        for (origin, api, target), calls in self.groups.items():
            other = bool(target) and target not in self.own
            kind = "associated start of " + target if other else "self-start"
            findings.append(
                Finding(
                    rule=self.rule.id,
                    severity=self.severity,
                    title=f"{kind} before consent by {origin}",
                    category="app_start",
                    origin=origin,
                    api=api,
                    consent=calls.first_consent,
                    count=calls.count,
                    first_ms=calls.first_ms,
                    last_ms=calls.last_ms,
                    evidence=calls.evidence,
                    detail=calls.first["args"],
                )
            )
        return findings


class FrequentStart:
    id = "app_start_frequency"
    default_severity = Severity.MEDIUM

    def start(self, data: RunData) -> FrequencyScan:
        own = set(data.config.own_packages())
        return FrequencyScan(self, data, APP_START, lambda e: is_counted_start(e, own), [])
