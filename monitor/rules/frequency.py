"""The same API called by the same origin more often than the limit within a window."""

from __future__ import annotations

from collections import defaultdict

from monitor.rules.base import COLLECTION, Finding, RunData, Severity, api_name, evidence_of


class FrequentCollection:
    id = "frequency"

    def evaluate(self, data: RunData) -> list[Finding]:
        limit = data.config.frequency
        window_ms = int(limit.window_s * 1000)
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for event in data.events:
            if event["category"] in COLLECTION:
                groups[(event["origin"], api_name(event))].append(event)
        findings = []
        for (origin, api), events in groups.items():
            start, count = densest_window(events, window_ms)
            if count <= limit.max_calls:
                continue
            burst = events[start : start + count]
            findings.append(
                Finding(
                    rule=self.id,
                    severity=Severity.MEDIUM,
                    title=f"{api} called {count} times in {limit.window_s:g} s by {origin}",
                    category=burst[0]["category"],
                    origin=origin,
                    api=api,
                    consent=burst[0]["consent"],
                    count=count,
                    window_ms=window_ms,
                    first_ms=burst[0]["time_ms"],
                    last_ms=burst[-1]["time_ms"],
                    evidence=evidence_of(burst),
                    detail=f"limit {limit.max_calls} calls per {limit.window_s:g} s; "
                    f"{len(events)} calls in the whole run",
                )
            )
        return findings


def densest_window(events: list[dict], window_ms: int) -> tuple[int, int]:
    """Return (start index, count) of the most calls inside any window of `window_ms`.

    Times are device times of each call; a call exactly `window_ms` after the first is
    outside that window.
    """
    best_start, best_count, start = 0, 0, 0
    for end, event in enumerate(events):
        while event["time_ms"] - events[start]["time_ms"] >= window_ms:
            start += 1
        if end - start + 1 > best_count:
            best_start, best_count = start, end - start + 1
    return best_start, best_count
