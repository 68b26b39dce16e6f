"""Personal data collected while the app was in the background.

Background time ranges come from events of category "lifecycle" with data type
"background" or "foreground": a range starts at a "background" event and ends at the next
"foreground" event or at the end of the run. Time before the first lifecycle event counts
as neither.

NOTE: the agent does not emit lifecycle events yet, so this rule finds nothing in runs
that it recorded. It works on runs whose events include them.
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


def background_ranges(events: list[dict]) -> list[tuple[int, int | None]]:
    """Return (start, end) device times of background ranges; end None means open."""
    ranges: list[tuple[int, int | None]] = []
    start: int | None = None
    for event in events:
        if event["category"] != "lifecycle":
            continue
        if event["data_type"] == "background" and start is None:
            start = event["time_ms"]
        elif event["data_type"] == "foreground" and start is not None:
            ranges.append((start, event["time_ms"]))
            start = None
    if start is not None:
        ranges.append((start, None))
    return ranges


def in_ranges(time_ms: int, ranges: list[tuple[int, int | None]], starts: list[int]) -> bool:
    index = bisect.bisect_right(starts, time_ms) - 1
    if index < 0:
        return False
    end = ranges[index][1]
    return end is None or time_ms < end


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
            if not in_ranges(event["time_ms"], ranges, starts):
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
