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

import bisect

from monitor.rules.base import (
    COLLECTION,
    Finding,
    RunData,
    Severity,
    api_name,
    consent_states,
    evidence_of,
    group_by,
    severity_of,
)

# A point in a run: device time, then the agent's sequence number, which orders calls made
# in the same millisecond (within one process).
Point = tuple[int, int]


def _point(event: dict) -> Point:
    return (event["time_ms"], event.get("seq") or 0)


def background_ranges(events: list[dict]) -> list[tuple[Point, Point | None]]:
    """Return (start, end) points of background ranges; end None means open."""
    ranges: list[tuple[Point, Point | None]] = []
    resumed: set[str] = set()
    start: Point | None = None
    for event in events:
        if event["category"] != "lifecycle":
            continue
        kind = event["data_type"]
        if kind == "activity_resume":
            resumed.add(event["args"])
        elif kind == "activity_stop":
            resumed.discard(event["args"])
        if kind in ("background", "activity_stop") and not resumed and start is None:
            start = _point(event)
        elif kind in ("foreground", "activity_resume") and start is not None:
            ranges.append((start, _point(event)))
            start = None
    if start is not None:
        ranges.append((start, None))
    return ranges


def in_ranges(point: Point, ranges: list[tuple[Point, Point | None]], starts: list[Point]) -> bool:
    index = bisect.bisect_right(starts, point) - 1
    if index < 0:
        return False
    end = ranges[index][1]
    return end is None or point < end


class BackgroundCollection:
    id = "background_collection"
    default_severity = Severity.MEDIUM

    def evaluate(self, data: RunData) -> list[Finding]:
        ranges = background_ranges(data.events)
        if not ranges:
            return []
        starts = [start for start, _ in ranges]

        def key(event: dict) -> tuple[str, str] | None:
            if event["category"] not in COLLECTION:
                return None
            if not in_ranges(_point(event), ranges, starts):
                return None
            return (event["origin"], api_name(event))

        return [
            Finding(
                rule=self.id,
                severity=severity_of(self, data),
                title=f"{events[0]['data_type']} collected in the background by {origin}",
                category=events[0]["category"],
                origin=origin,
                api=api,
                consent=consent_states(events),
                count=len(events),
                first_ms=events[0]["time_ms"],
                last_ms=events[-1]["time_ms"],
                evidence=evidence_of(events),
                detail=f"{len(ranges)} background ranges in the run",
            )
            for (origin, api), events in group_by(data.events, key).items()
        ]
