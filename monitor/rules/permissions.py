"""Runtime permission requests before consent, and requests repeated soon after a "no".

NOTE: the agent records requests but not the user's choice in the permission dialog, so a
second request of the same permission within the window counts whatever the user chose.
"""

from __future__ import annotations

import bisect

from monitor.events import ConsentState
from monitor.rules.base import (
    ARGS,
    NOT_AGREED,
    ORIGIN,
    Event,
    Finding,
    GroupScan,
    RunData,
    Severity,
    api_name,
    as_dict,
    consent_states,
    evidence_of,
    group_by,
    severity_of,
)

REFUSED = ConsentState.REFUSED.value


def requested_permissions(event: dict) -> list[str]:
    """Return the permission names of a request, from its comma-separated summary."""
    return [p for p in event["args"].split(",") if p and p != "null"]


PERMISSIONS = frozenset({"permissions"})


class PermissionBeforeConsent:
    id = "permission_before_consent"
    default_severity = Severity.MEDIUM

    def start(self, data: RunData) -> _BeforeConsentScan:
        return _BeforeConsentScan(self, data)


class _BeforeConsentScan(GroupScan):
    categories = PERMISSIONS
    consents = NOT_AGREED

    def key(self, event: Event, consent: str) -> tuple | None:
        return (event[ORIGIN], event[ARGS])

    def finish(self) -> list[Finding]:
        return [
            Finding(
                rule=self.rule.id,
                severity=self.severity,
                title=f"permissions {permissions} requested before consent by {origin}",
                category="permissions",
                origin=origin,
                api=api_name(calls.first),
                consent=calls.first_consent,
                count=calls.count,
                first_ms=calls.first_ms,
                last_ms=calls.last_ms,
                evidence=calls.evidence,
                detail=permissions,
            )
            for (origin, permissions), calls in self.groups.items()
        ]


class PermissionRepeated:
    """A request within the policy's window after a consent refusal, or of a permission
    that the same origin already requested within that window."""

    id = "permission_repeated"
    default_severity = Severity.MEDIUM

    def start(self, data: RunData) -> _RepeatScan:
        return _RepeatScan(self, data)


class _RepeatScan:
    # Requests are kept whole: the agent records a request only when the app makes one, so
    # there are few of them.
    categories = PERMISSIONS
    consents = None

    def __init__(self, rule: PermissionRepeated, data: RunData) -> None:
        self.rule, self.data = rule, data
        self.requests: list[dict] = []

    def feed(self, event: Event, consent: str) -> None:
        request = as_dict(event)
        request["consent"] = consent
        self.requests.append(request)

    def finish(self) -> list[Finding]:
        window_ms = int(self.data.policy.permissions.repeat_window_s * 1000)
        refusals = [c["time_ms"] for c in self.data.consent_changes if c["state"] == REFUSED]
        findings = self._after_refusal(self.requests, sorted(refusals), window_ms)
        findings += self._repeats(self.requests, window_ms)
        return findings

    def _after_refusal(
        self, requests: list[dict], refusals: list[int], window_ms: int
    ) -> list[Finding]:
        def key(event: dict) -> tuple[str, str] | None:
            if event["consent"] != REFUSED:
                return None
            index = bisect.bisect_right(refusals, event["time_ms"]) - 1
            if index < 0 or event["time_ms"] - refusals[index] >= window_ms:
                return None
            return (event["origin"], api_name(event))

        return [
            self._finding(
                events,
                window_ms,
                f"permissions requested within {window_ms / 1000:g} s after the user "
                f"refused the privacy policy, by {origin}",
                ", ".join(dict.fromkeys(e["args"] for e in events)),
            )
            for (origin, _), events in group_by(requests, key).items()
        ]

    def _repeats(self, requests: list[dict], window_ms: int) -> list[Finding]:
        by_permission = group_by(
            (
                (permission, event)
                for event in requests
                for permission in requested_permissions(event)
            ),
            lambda pair: (pair[1]["origin"], pair[0]),
        )
        findings = []
        for (origin, permission), pairs in by_permission.items():
            events = [event for _, event in pairs]
            repeats = [
                i
                for i in range(1, len(events))
                if events[i]["time_ms"] - events[i - 1]["time_ms"] < window_ms
            ]
            if not repeats:
                continue
            findings.append(
                self._finding(
                    [events[repeats[0] - 1], *(events[i] for i in repeats)],
                    window_ms,
                    f"{permission} requested again within {window_ms / 1000:g} s by {origin}",
                    permission,
                    count=len(repeats),
                )
            )
        return findings

    def _finding(
        self,
        events: list[dict],
        window_ms: int,
        title: str,
        detail: str,
        count: int | None = None,
    ) -> Finding:
        return Finding(
            rule=self.rule.id,
            severity=severity_of(self.rule, self.data),
            title=title,
            category="permissions",
            origin=events[0]["origin"],
            api=api_name(events[0]),
            consent=consent_states(events),
            count=len(events) if count is None else count,
            window_ms=window_ms,
            first_ms=events[0]["time_ms"],
            last_ms=events[-1]["time_ms"],
            evidence=evidence_of(events),
            detail=detail,
        )
