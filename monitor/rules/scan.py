"""The single pass over a run's stored events that feeds every rule and the summary.

Events are read in device-time order straight from SQLite, never all at once. The consent
state of each call is computed from the final consent timeline as the pass goes, which
also finds the stored tags that decisions arriving late made stale.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from monitor.consent import ConsentTimeline
from monitor.events import ConsentState
from monitor.rules.base import (
    CATEGORY,
    PID,
    SCAN_COLUMNS,
    SEQ,
    STORED_CONSENT,
    TIME_MS,
    Event,
    EventSummary,
    RunData,
    Scan,
)
from monitor.store import Store

log = logging.getLogger(__name__)

TIMELINE_BINS = 300
"""About this many bins across a run's time span in the report's timeline."""
_NICE_BIN_MS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000)
_RETAG_CHUNK = 10_000
_NEVER = 2**63


def run_pass(data: RunData, scans: Sequence[Scan], retag: bool) -> EventSummary:
    """Feed every stored event of the run to `scans` in device-time order.

    Returns the run's event summary. With `retag`, stored consent tags that differ from
    the final timeline are rewritten, so the database reads the same as the reports.
    """
    store, run_id = data.store, data.run_id
    clock = _Clock(_empty_summary(store, run_id), data.timeline)
    routes: dict[tuple[str, str], _Route] = {}
    stale: list[tuple[str, int, int]] = []
    consent, boundary = clock.state, clock.boundary
    # The hot loop of the pass: keep per-event work to a few lookups.
    for event in _cursor(store, run_id):
        time_ms = event[TIME_MS]
        if time_ms >= boundary:
            boundary = clock.advance(time_ms, routes.values())
            consent = clock.state_of(time_ms, event[PID], event[SEQ])
        if consent != event[STORED_CONSENT]:
            stale.append((consent, event[PID], event[SEQ]))
        route = routes.get((event[CATEGORY], consent))
        if route is None:
            route = routes[(event[CATEGORY], consent)] = _Route(event[CATEGORY], consent, scans)
        route.count += 1
        for feed in route.feeds:
            feed(event, consent)
    summary = clock.close(routes.values())
    if retag:
        _retag(store, run_id, stale)
        _retag_buckets(store, data)
    return summary


class _Route:
    """Feeds of the scans that select one (category, consent state), and a running count."""

    __slots__ = ("category", "consent", "feeds", "count")

    def __init__(self, category: str, consent: str, scans: Sequence[Scan]) -> None:
        self.category, self.consent, self.count = category, consent, 0
        self.feeds: list[Callable[[Event, str], None]] = [
            s.feed
            for s in scans
            if (s.categories is None or category in s.categories)
            and (s.consents is None or consent in s.consents)
        ]


class _Clock:
    """Position of a pass in time: the consent state in force and the timeline bin.

    Both change only at known times, so the pass calls `advance` only when it reaches one.
    """

    def __init__(self, summary: EventSummary, timeline: ConsentTimeline) -> None:
        self.summary, self.timeline = summary, timeline
        self.points = timeline.points
        self.next_point = 0
        self.state = (ConsentState.BEFORE if self.points else ConsentState.UNKNOWN).value
        self.bin_start = summary.first_ms or 0
        self.bin_end = self.bin_start + summary.bin_ms
        self.boundary = min(self.bin_end, self._point_ms())

    def advance(self, time_ms: int, routes: Iterable[_Route]) -> int:
        """Move to `time_ms`; returns the next time at which anything changes."""
        if time_ms >= self.bin_end:
            self._flush(routes)
            bin_ms = self.summary.bin_ms
            self.bin_start += (time_ms - self.bin_start) // bin_ms * bin_ms
            self.bin_end = self.bin_start + bin_ms
        points = self.points
        while self.next_point < len(points) and points[self.next_point].time_ms < time_ms:
            self.state = points[self.next_point].state.value
            self.next_point += 1
        # At a decision's own millisecond, every call goes through state_of.
        return min(self.bin_end, self._point_ms())

    def state_of(self, time_ms: int, pid: int, seq: int) -> str:
        if self._point_ms() == time_ms:
            # A decision in the same millisecond: only the sequence can order the two.
            return self.timeline.state_at(time_ms, pid, seq).value
        return self.state

    def close(self, routes: Iterable[_Route]) -> EventSummary:
        self._flush(routes)
        summary = self.summary
        for (_, category, consent), n in summary.bins.items():
            summary.by_category[category] = summary.by_category.get(category, 0) + n
            summary.by_consent[consent] = summary.by_consent.get(consent, 0) + n
        summary.count = sum(summary.by_category.values())
        return summary

    def _point_ms(self) -> int:
        points = self.points
        return points[self.next_point].time_ms if self.next_point < len(points) else _NEVER

    def _flush(self, routes: Iterable[_Route]) -> None:
        bins = self.summary.bins
        for route in routes:
            if route.count:
                key = (self.bin_start, route.category, route.consent)
                bins[key] = bins.get(key, 0) + route.count
                route.count = 0


def load_buckets(store: Store, run_id: str, timeline: ConsentTimeline) -> list[dict]:
    """Return the run's flood buckets by first call, each with its consent state."""
    # Databases written before flood buckets existed have no such table.
    if "buckets" not in store.db.table_names():
        return []
    cursor = store.db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    rows = cursor.execute(
        "SELECT rowid, * FROM buckets WHERE run_id = ? ORDER BY first_ms", [run_id]
    )
    buckets = []
    for row in rows:
        bucket = dict(row)
        state = timeline.state_at(bucket["first_ms"], bucket["pid"], None).value
        bucket["stored_consent"], bucket["consent"] = bucket["consent"], state
        buckets.append(bucket)
    return buckets


def events_by_key(
    store: Store, run_id: str, keys: Iterable[tuple[int, int]], timeline: ConsentTimeline
) -> dict[tuple[int, int], dict]:
    """Return the stored events with these (pid, seq) keys, consent from `timeline`."""
    cursor = store.db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    sql = "SELECT * FROM events WHERE run_id = ? AND pid = ? AND seq = ?"
    found = {}
    for pid, seq in dict.fromkeys(keys):
        row = cursor.execute(sql, [run_id, pid, seq]).fetchone()
        if row is not None:
            event = dict(row)
            event["consent"] = timeline.state_at(event["time_ms"], pid, seq).value
            found[(pid, seq)] = event
    return found


def first_events(data: RunData, limit: int) -> list[dict]:
    """Return the run's first `limit` events in device time, consent from the timeline."""
    cursor = data.store.db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    rows = cursor.execute(
        "SELECT pid, seq, time_ms, category, api_class, api_method, origin FROM events "
        "WHERE run_id = ? ORDER BY time_ms, pid, seq LIMIT ?",
        [data.run_id, limit],
    )
    state_at = data.timeline.state_at
    return [
        {
            "pid": row["pid"],
            "seq": row["seq"],
            "time_ms": row["time_ms"],
            "category": row["category"],
            "api": f"{row['api_class']}.{row['api_method']}",
            "origin": row["origin"],
            "consent": state_at(row["time_ms"], row["pid"], row["seq"]).value,
        }
        for row in rows
    ]


def _cursor(
    store: Store, run_id: str, where: str = "", params: Sequence[Any] = ()
) -> Iterator[Event]:
    return store.db.conn.execute(
        f"SELECT {', '.join(SCAN_COLUMNS)} FROM events WHERE run_id = ? {where}"
        "ORDER BY time_ms, pid, seq",
        [run_id, *params],
    )


def events_between(
    data: RunData, after: Event, before: Event | None, categories: Iterable[str]
) -> Iterator[tuple[Event, str]]:
    """Yield (event, consent) for the events of `categories` strictly between two events.

    `before` None means up to the end of the run.
    """
    selected = set(categories)
    start = (after[TIME_MS], after[PID], after[SEQ])
    end = None if before is None else (before[TIME_MS], before[PID], before[SEQ])
    where, params = "AND time_ms >= ? ", [start[0]]
    if end is not None:
        where, params = where + "AND time_ms <= ? ", [*params, end[0]]
    for event in _cursor(data.store, data.run_id, where, params):
        point = (event[TIME_MS], event[PID], event[SEQ])
        if point <= start or (end is not None and point >= end) or event[CATEGORY] not in selected:
            continue
        yield event, data.timeline.state_at(*point).value


def _empty_summary(store: Store, run_id: str) -> EventSummary:
    first, last = store.db.execute(
        "SELECT min(time_ms), max(time_ms) FROM events WHERE run_id = ?", [run_id]
    ).fetchone()
    summary = EventSummary(first_ms=first, last_ms=last)
    if first is not None:
        span = max(1, last - first)
        target_ms = span / TIMELINE_BINS
        summary.bin_ms = next((b for b in _NICE_BIN_MS if b >= target_ms), _NICE_BIN_MS[-1])
        if summary.bin_ms < target_ms:
            summary.bin_ms = int(-(-target_ms // 60_000) * 60_000)
    return summary


def _retag(store: Store, run_id: str, stale: list[tuple[str, int, int]]) -> None:
    if not stale:
        return
    log.debug("re-tagging the consent state of %d stored events", len(stale))
    sql = "UPDATE event_rows SET consent = ? WHERE run_id = ? AND pid = ? AND seq = ?"
    with store.db.conn:
        for i in range(0, len(stale), _RETAG_CHUNK):
            store.db.conn.executemany(
                sql, [(c, run_id, pid, seq) for c, pid, seq in stale[i : i + _RETAG_CHUNK]]
            )


def _retag_buckets(store: Store, data: RunData) -> None:
    buckets = data.buckets
    stale = [(b["consent"], b["rowid"]) for b in buckets if b["consent"] != b["stored_consent"]]
    if stale:
        with store.db.conn:
            store.db.conn.executemany("UPDATE buckets SET consent = ? WHERE rowid = ?", stale)
