"""The same API called by the same origin more often than the policy allows.

Windows slide over each call's device time (never the time the collector received it).
Calls that the agent only counted, in flood buckets, take part with their counts at the
bucket's first call time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from monitor.policy import Threshold
from monitor.rules.base import (
    API_CLASS,
    API_METHOD,
    COLLECTION,
    EVIDENCE_LIMIT,
    ORIGIN,
    PID,
    SEQ,
    TIME_MS,
    Event,
    Finding,
    Rule,
    RunData,
    Severity,
    api_name,
    as_dict,
    severity_of,
)

Call = tuple[int, int, "tuple[int, int] | None", str, int]
"""(time, weight, (pid, seq) or None for a bucket, consent, last time) of one call."""


class _Slot:
    """Calls of one window-long slot of time, kept only as far as deciding them needs."""

    __slots__ = ("index", "count", "counted", "head", "tail", "consents", "first_ms", "last_ms")

    def __init__(self, index: int, tail_size: int) -> None:
        self.index = index
        self.count = 0
        self.counted = 0
        """Calls known only from flood buckets."""
        self.head: list[Call] = []
        """The first calls: every call of a slot at or under the limit."""
        self.tail: deque[Call] = deque(maxlen=tail_size)
        """The last calls, as many as can decide the next slot."""
        self.consents: dict[str, None] = {}
        self.first_ms = 0
        self.last_ms = 0


class Window:
    """Calls of one (origin, API) checked against `limit` as they come, in time order.

    A call is "over" when some window of `limit.window_ms` that contains it has more than
    `limit.max_calls` calls. A call exactly one window after another is outside that
    window, so calls 60 s apart never share a 60 s window.

    Time is cut into slots one window long. Every call of a slot with more calls than the
    limit is over, because the slot itself is such a window. Whether a call of a slot
    within the limit is over depends only on the last max_calls + 1 calls of the slot
    before and the first max_calls + 1 of the slot after, so keeping those decides it
    exactly. Memory per group is therefore bounded by the limit, not by the run's length.
    """

    def __init__(self, limit: Threshold) -> None:
        self.limit = limit
        self.window_ms, self.max_calls = limit.window_ms, limit.max_calls
        self.head_size = self.max_calls + 1 + EVIDENCE_LIMIT
        self.slot: _Slot | None = None
        self.slot_end = 0
        self.done: list[_Slot] = []
        """Completed slots not decided yet: at most the last two."""
        self.previous: _Slot | None = None
        """The slot decided last, whose tail decides the next one."""
        self.peak = 0
        """Most calls seen inside one window: a lower bound of the true peak."""
        self.total = 0
        self.over_calls = 0
        self.over_counted = 0
        """Over calls known only from flood buckets."""
        self.first_over_ms: int | None = None
        self.last_over_ms = 0
        self.evidence: list[tuple[int, int]] = []
        self.consents: dict[str, None] = {}

    def add(
        self, time_ms: int, weight: int, key: tuple[int, int] | None, consent: str, last_ms: int
    ) -> None:
        if time_ms >= self.slot_end:
            self._new_slot(time_ms)
        slot = self.slot
        call = (time_ms, weight, key, consent, last_ms)
        slot.count += weight
        if key is None:
            slot.counted += weight
        if len(slot.head) < self.head_size:
            slot.head.append(call)
        slot.tail.append(call)
        if key is not None and consent not in slot.consents:
            slot.consents[consent] = None
        if last_ms > slot.last_ms:
            slot.last_ms = last_ms

    def close(self) -> None:
        """Decide every call still pending; call once, after the last add."""
        if self.slot is not None:
            self.done.append(self.slot)
            self.slot = None
        while self.done:
            self._decide(self.done[0], self.done[1] if len(self.done) > 1 else None)
            self.done.pop(0)

    def _new_slot(self, time_ms: int) -> None:
        index = time_ms // self.window_ms
        if self.slot is not None:
            self.done.append(self.slot)
        # A done slot can be decided once the slot after it is complete or known empty.
        while self.done and (len(self.done) > 1 or self.done[0].index + 1 < index):
            following = self.done[1] if len(self.done) > 1 else None
            self._decide(self.done[0], following)
            self.done.pop(0)
        self.slot = _Slot(index, self.max_calls + 1)
        self.slot.first_ms = time_ms
        self.slot_end = (index + 1) * self.window_ms

    def _decide(self, slot: _Slot, following: _Slot | None) -> None:
        self.total += slot.count
        previous, self.previous = self.previous, slot
        if slot.count > self.max_calls:
            self.peak = max(self.peak, slot.count)
            self._mark(slot.head, slot.count, slot.counted, slot.consents, slot.last_ms)
            return
        before = list(previous.tail) if previous and previous.index == slot.index - 1 else []
        after = following.head if following and following.index == slot.index + 1 else []
        calls = [*before, *slot.head, *after[: self.max_calls + 1]]
        over, peak = slide(calls, self.window_ms, self.max_calls)
        self.peak = max(self.peak, peak)
        mine = [calls[i] for i in over if len(before) <= i < len(before) + len(slot.head)]
        if mine:
            self._mark(
                mine,
                sum(c[1] for c in mine),
                sum(c[1] for c in mine if c[2] is None),
                {c[3]: None for c in mine if c[2] is not None},
                max(c[4] for c in mine),
            )

    def _mark(
        self,
        calls: list[Call],
        count: int,
        counted: int,
        consents: dict[str, None],
        last_ms: int,
    ) -> None:
        """Count `count` calls as over; `calls` are the first of them, in time order."""
        self.over_calls += count
        self.over_counted += counted
        if self.first_over_ms is None:
            self.first_over_ms = calls[0][0]
        self.last_over_ms = max(self.last_over_ms, last_ms)
        for call in calls:
            if len(self.evidence) >= EVIDENCE_LIMIT:
                break
            if call[2] is not None:
                self.evidence.append(call[2])
        self.consents.update(consents)


def slide(calls: list[Call], window_ms: int, max_calls: int) -> tuple[list[int], int]:
    """Return the indexes of `calls` (in time order) inside a window with more than
    `max_calls` calls, and the most calls in one window."""
    peak, inside, start, next_unmarked = 0, 0, 0, 0
    over: list[int] = []
    for end, call in enumerate(calls):
        inside += call[1]
        while call[0] - calls[start][0] >= window_ms:
            inside -= calls[start][1]
            start += 1
        peak = max(peak, inside)
        if inside > max_calls:
            over.extend(range(max(start, next_unmarked), end + 1))
            next_unmarked = end + 1
    return over, peak


class FrequencyScan:
    """Feeds the calls of `categories` that `accept` lets through (all with None), and the
    run's buckets, to one window per (origin, API), and reports each window that went over
    its limit."""

    consents = None

    def __init__(
        self,
        rule: Rule,
        data: RunData,
        categories: frozenset[str],
        accept: Callable[[Event], bool] | None,
        buckets: list[dict[str, Any]],
    ) -> None:
        self.rule, self.data, self.categories, self.accept = rule, data, categories, accept
        self.buckets = buckets
        self.next_bucket = 0
        self.windows: dict[tuple[str, str, str], Window] = {}
        self.firsts: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        """(category, consent, where the limit was set) of each group's first call."""

    def feed(self, event: Event, consent: str) -> None:
        time_ms = event[TIME_MS]
        # Buckets go after events of the same millisecond, as a stable sort by time would.
        if self.next_bucket < len(self.buckets):
            self._buckets_before(time_ms)
        if self.accept is not None and not self.accept(event):
            return
        window = self.windows.get((event[ORIGIN], event[API_CLASS], event[API_METHOD]))
        if window is None:
            window = self._window(as_dict(event), consent)
        window.add(time_ms, 1, (event[PID], event[SEQ]), consent, time_ms)

    def finish(self) -> list[Finding]:
        self._buckets_before(None)
        findings = []
        for key, window in self.windows.items():
            window.close()
            if window.first_over_ms is not None:
                findings.append(self._finding(key, window))
        return findings

    def _buckets_before(self, time_ms: int | None) -> None:
        buckets = self.buckets
        while self.next_bucket < len(buckets):
            b = buckets[self.next_bucket]
            if time_ms is not None and b["first_ms"] >= time_ms:
                return
            self.next_bucket += 1
            window = self._window(b, b["consent"])
            window.add(b["first_ms"], b["count"], None, b["consent"], b["last_ms"] or b["first_ms"])

    def _window(self, call: dict[str, Any], consent: str) -> Window:
        """Return the window of the call's (origin, API), made on its first call."""
        key = (call["origin"], call["api_class"], call["api_method"])
        window = self.windows.get(key)
        if window is None:
            limit, source = self.data.policy.frequency.threshold(
                key[0], api_name(call), call["category"]
            )
            window = self.windows[key] = Window(limit)
            self.firsts[key] = (call["category"], consent, source)
        return window

    def _finding(self, key: tuple[str, str, str], window: Window) -> Finding:
        origin, api_class, api_method = key
        api = f"{api_class}.{api_method}"
        category, consent, source = self.firsts[key]
        limit = window.limit
        detail = (
            f"limit {limit.describe()} ({source}); at least {window.peak} calls in one "
            f"window; {window.over_calls} of {window.total} calls were inside windows over "
            "the limit"
        )
        if window.over_counted:
            detail += (
                f"; {window.over_counted} of them only counted in flood buckets, "
                "without evidence rows"
            )
        return Finding(
            rule=self.rule.id,
            severity=severity_of(self.rule, self.data),
            title=f"{api} called more than {_times(limit.max_calls)} in {limit.window_s:g} s "
            f"by {origin}",
            category=category,
            origin=origin,
            api=api,
            consent=", ".join(window.consents) if window.consents else consent,
            count=window.over_calls,
            window_ms=limit.window_ms,
            first_ms=window.first_over_ms,
            last_ms=window.last_over_ms,
            evidence=window.evidence,
            detail=detail,
        )


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


class FrequentCollection:
    id = "frequency"
    default_severity = Severity.MEDIUM

    def start(self, data: RunData) -> FrequencyScan:
        buckets = [b for b in data.buckets if b["category"] in COLLECTION]
        return FrequencyScan(self, data, COLLECTION, None, buckets)
