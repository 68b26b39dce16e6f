"""Self-start and associated start: services, bindings, broadcasts, alarms and jobs the app
fires on its own, and any start that targets another app's package. Reported when they
happen before consent (app_start_before_consent) or more often than the policy's limit
for the app_start category (app_start_frequency), whatever the consent state.

Starts of the app's own activities are user navigation and are not counted.
"""

from __future__ import annotations

import re

from monitor.rules.base import (
    NOT_AGREED,
    Finding,
    RunData,
    Severity,
    api_name,
    evidence_of,
    group_by,
    severity_of,
)
from monitor.rules.frequency import frequency_findings

# Data types of starts that run without the user looking at the app. "alarm" and "job"
# are accepted for hooks that the catalog does not have yet.
BACKGROUND_STARTS = {"service_start", "service_bind", "broadcast", "alarm", "job"}
_TARGET = re.compile(r"(?:cmp=([\w.$]+)/|pkg=([\w.$]+))")


def target_package(args: str) -> str | None:
    """Return the package an intent summary names, from its component or package."""
    match = _TARGET.search(args)
    if match is None:
        return None
    return match.group(1) or match.group(2)


def is_counted_start(event: dict, own: set[str]) -> bool:
    if event["category"] != "app_start":
        return False
    target = target_package(event["args"])
    return (target is not None and target not in own) or event["data_type"] in BACKGROUND_STARTS


class StartBeforeConsent:
    id = "app_start_before_consent"
    default_severity = Severity.HIGH

    def evaluate(self, data: RunData) -> list[Finding]:
        own = set(data.config.own_packages())

        def key(event: dict) -> tuple[str, str, str] | None:
            if event["consent"] not in NOT_AGREED or not is_counted_start(event, own):
                return None
            return (event["origin"], api_name(event), target_package(event["args"]) or "")

        findings = []
        for (origin, api, target), events in group_by(data.events, key).items():
            other = bool(target) and target not in own
            kind = "associated start of " + target if other else "self-start"
            findings.append(
                Finding(
                    rule=self.id,
                    severity=severity_of(self, data),
                    title=f"{kind} before consent by {origin}",
                    category="app_start",
                    origin=origin,
                    api=api,
                    consent=events[0]["consent"],
                    count=len(events),
                    first_ms=events[0]["time_ms"],
                    last_ms=events[-1]["time_ms"],
                    evidence=evidence_of(events),
                    detail=events[0]["args"],
                )
            )
        return findings


class FrequentStart:
    id = "app_start_frequency"
    default_severity = Severity.MEDIUM

    def evaluate(self, data: RunData) -> list[Finding]:
        own = set(data.config.own_packages())
        events = [e for e in data.events if is_counted_start(e, own)]
        return frequency_findings(self, data, events, [])
