"""Personal data collected while the app was in the background.

Background time ranges come from lifecycle events. The agent records each
Instrumentation.callActivityOnResume ("activity_resume") and callActivityOnStop
("activity_stop"), with the activity's class as the argument summary. The app is in the
background from the moment its last resumed activity stops until an activity resumes
again. Explicit "background" and "foreground" lifecycle events, as a scenario or another
agent may record, are read the same way. Time before the first activity resumes counts as
neither.
"""

from __future__ import annotations

from monitor.rules.base import (
    API_CLASS,
    API_METHOD,
    ARGS,
    COLLECTION,
    DATA_TYPE,
    ORIGIN,
    Event,
    Finding,
    GroupScan,
    RunData,
    Severity,
    api_name,
)
from monitor.rules.scan import events_between


class BackgroundCollection:
    id = "background_collection"
    default_severity = Severity.MEDIUM

    def start(self, data: RunData) -> _Scan:
        return _Scan(self, data)


class _Scan(GroupScan):
    """Scan that reads lifecycle events in the pass. At the end it reads the collection calls
    made inside the background ranges they mark, usually a small part of a run."""

    categories = frozenset({"lifecycle"})

    def __init__(self, rule: BackgroundCollection, data: RunData) -> None:
        super().__init__(rule, data)
        self.resumed: set[str] = set()
        self.ranges: list[tuple[Event, Event | None]] = []
        """(event that started it, event that ended it or None) per background range."""

    def feed(self, event: Event, consent: str) -> None:
        kind, activity = event[DATA_TYPE], event[ARGS]
        if kind == "activity_resume":
            self.resumed.add(activity)
        elif kind == "activity_stop":
            self.resumed.discard(activity)
        in_background = bool(self.ranges) and self.ranges[-1][1] is None
        if kind in ("background", "activity_stop") and not self.resumed and not in_background:
            self.ranges.append((event, None))
        elif kind in ("foreground", "activity_resume") and in_background:
            self.ranges[-1] = (self.ranges[-1][0], event)

    def key(self, event: Event, consent: str) -> tuple:
        return (event[ORIGIN], event[API_CLASS], event[API_METHOD])

    def finish(self) -> list[Finding]:
        for start, end in self.ranges:
            for event, consent in events_between(self.data, start, end, COLLECTION):
                super().feed(event, consent)
        return [
            Finding(
                rule=self.rule.id,
                severity=self.severity,
                title=f"{calls.first['data_type']} collected in the background by {origin}",
                category=calls.first["category"],
                origin=origin,
                api=api_name(calls.first),
                consent=calls.consent_states,
                count=calls.count,
                first_ms=calls.first_ms,
                last_ms=calls.last_ms,
                evidence=calls.evidence,
                detail=f"{len(self.ranges)} background ranges in the run",
            )
            for (origin, _, _), calls in self.groups.items()
        ]
