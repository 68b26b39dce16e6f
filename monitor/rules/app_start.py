"""Self-start and associated start before consent: services, bindings and broadcasts the
app fires on its own, and any start that targets another app's package."""

from __future__ import annotations

import re
from collections import defaultdict

from monitor.rules.base import NOT_AGREED, Finding, RunData, Severity, api_name, evidence_of

BACKGROUND_STARTS = {"service_start", "service_bind", "broadcast"}
_TARGET = re.compile(r"(?:cmp=([\w.$]+)/|pkg=([\w.$]+))")


def target_package(args: str) -> str | None:
    """Return the package an intent summary names, from its component or package."""
    match = _TARGET.search(args)
    if match is None:
        return None
    return match.group(1) or match.group(2)


class StartBeforeConsent:
    id = "app_start_before_consent"

    def evaluate(self, data: RunData) -> list[Finding]:
        own = set(data.config.own_packages())
        groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for event in data.events:
            if event["category"] != "app_start" or event["consent"] not in NOT_AGREED:
                continue
            target = target_package(event["args"])
            other = target is not None and target not in own
            if other or event["data_type"] in BACKGROUND_STARTS:
                groups[(event["origin"], api_name(event), target or "")].append(event)
        findings = []
        for (origin, api, target), events in groups.items():
            other = bool(target) and target not in own
            kind = "associated start of " + target if other else "self-start"
            findings.append(
                Finding(
                    rule=self.id,
                    severity=Severity.HIGH if other else Severity.MEDIUM,
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
