"""The same API called by the same origin more often than the policy allows.

Windows slide over each call's device time (never the time the collector received it).
Calls that the agent only counted, in flood buckets, take part with their counts at the
bucket's first call time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor.policy import Threshold
from monitor.rules.base import (
    COLLECTION,
    Finding,
    Rule,
    RunData,
    Severity,
    api_name,
    consent_states,
    evidence_of,
    group_by,
    severity_of,
)


@dataclass(frozen=True)
class Burst:
    peak: int
    """Most calls inside any one window."""
    over: list[int]
    """Indexes of the calls that lie inside at least one window over the limit."""
    calls: int
    """Calls inside those windows, bucket counts included."""


def find_burst(times: list[int], weights: list[int], limit: Threshold) -> Burst:
    """Slide a window of `limit.window_ms` over calls sorted by time.

    A call exactly one window after another is outside that window, so calls 60 s apart
    never share a 60 s window.
    """
    window_ms = limit.window_ms
    peak, inside, start, next_unmarked = 0, 0, 0, 0
    over: list[int] = []
    for end, time_ms in enumerate(times):
        inside += weights[end]
        while time_ms - times[start] >= window_ms:
            inside -= weights[start]
            start += 1
        peak = max(peak, inside)
        if inside > limit.max_calls:
            first = max(start, next_unmarked)
            over.extend(range(first, end + 1))
            next_unmarked = end + 1
    return Burst(peak=peak, over=over, calls=sum(weights[i] for i in over))


def frequency_findings(
    rule: Rule, data: RunData, events: list[dict[str, Any]], buckets: list[dict[str, Any]]
) -> list[Finding]:
    """Return one finding per (origin, API) whose calls go over the policy's limit."""
    items = [(e["time_ms"], 1, e) for e in events]
    items += [(b["first_ms"], b["count"], b) for b in buckets]
    items.sort(key=lambda item: item[0])
    groups = group_by(items, lambda item: (item[2]["origin"], api_name(item[2])))
    findings = []
    for (origin, api), group in groups.items():
        category = group[0][2]["category"]
        limit, source = data.policy.frequency.threshold(origin, api, category)
        burst = find_burst([t for t, _, _ in group], [w for _, w, _ in group], limit)
        if not burst.over:
            continue
        findings.append(_finding(rule, data, group, burst, limit, source))
    return findings


def _finding(
    rule: Rule,
    data: RunData,
    group: list[tuple[int, int, dict[str, Any]]],
    burst: Burst,
    limit: Threshold,
    source: str,
) -> Finding:
    over = [group[i] for i in burst.over]
    events = [item for _, weight, item in over if "seq" in item]
    first = group[0][2]
    total = sum(weight for _, weight, _ in group)
    counted = sum(weight for _, weight, item in over if "seq" not in item)
    detail = (
        f"limit {limit.describe()} ({source}); peak {burst.peak} calls in one window; "
        f"{burst.calls} of {total} calls were inside windows over the limit"
    )
    if counted:
        detail += f"; {counted} of them only counted in flood buckets, without evidence rows"
    return Finding(
        rule=rule.id,
        severity=severity_of(rule, data),
        title=f"{api_name(first)} called {burst.peak} times in {limit.window_s:g} s "
        f"by {first['origin']}",
        category=first["category"],
        origin=first["origin"],
        api=api_name(first),
        consent=consent_states(events) if events else first["consent"],
        count=burst.calls,
        window_ms=limit.window_ms,
        first_ms=over[0][0],
        last_ms=max(item.get("last_ms") or time_ms for time_ms, _, item in over),
        evidence=evidence_of(events),
        detail=detail,
    )


class FrequentCollection:
    id = "frequency"
    default_severity = Severity.MEDIUM

    def evaluate(self, data: RunData) -> list[Finding]:
        events = [e for e in data.events if e["category"] in COLLECTION]
        buckets = [b for b in data.buckets if b["category"] in COLLECTION]
        return frequency_findings(self, data, events, buckets)
