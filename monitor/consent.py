"""Consent timeline: the user's privacy-policy decisions during a run, by device time."""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass

from monitor.events import ConsentState
from monitor.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class ConsentPoint:
    """A decision; `pid`/`seq` are set when it came from the agent's ordered stream."""

    time_ms: int
    pid: int | None
    seq: int | None
    state: ConsentState
    source: str


class ConsentTimeline:
    """Consent decisions of a run, which give the consent state of a call by device time.

    Before any decision the state is `before` when a decision comes later in the run and
    `unknown` when none ever does; a refusal stays in force until an explicit agreement.
    """

    def __init__(self, points: list[ConsentPoint] | None = None) -> None:
        self.points: list[ConsentPoint] = sorted(points or [], key=_order)

    def add(self, point: ConsentPoint) -> bool:
        """Add a decision; returns False for a repeat of the state already in force."""
        if self.state_at(point.time_ms, point.pid, point.seq) == point.state:
            return False
        bisect.insort(self.points, point, key=_order)
        return True

    @property
    def current(self) -> ConsentState:
        return self.points[-1].state if self.points else ConsentState.UNKNOWN

    def state_at(
        self, time_ms: int, pid: int | None = None, seq: int | None = None
    ) -> ConsentState:
        if not self.points:
            return ConsentState.UNKNOWN
        last = self.points[-1]
        # Most calls come after every decision so far, and the scan below would agree.
        if time_ms > last.time_ms:
            return last.state
        state = ConsentState.BEFORE
        for point in self.points:
            if not _is_after(time_ms, pid, seq, point):
                break
            state = point.state
        return state


def _order(point: ConsentPoint) -> tuple[int, int]:
    return (point.time_ms, point.seq if point.seq is not None else -1)


def _is_after(time_ms: int, pid: int | None, seq: int | None, point: ConsentPoint) -> bool:
    if time_ms != point.time_ms:
        return time_ms > point.time_ms
    # Same millisecond: only the agent's own sequence can order the two. A UI decision
    # at the same millisecond is treated as later than the call, the cautious reading.
    return (
        pid is not None
        and pid == point.pid
        and seq is not None
        and point.seq is not None
        and seq > point.seq
    )


def load_timeline(store: Store, run_id: str) -> ConsentTimeline:
    points = [
        ConsentPoint(
            row["time_ms"], row["pid"], row["seq"], ConsentState(row["state"]), row["source"]
        )
        for row in store.rows("consent_changes", run_id, order_by="time_ms")
    ]
    return ConsentTimeline(points)
