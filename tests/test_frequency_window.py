"""The frequency rule's one-pass window against a plain sliding window over every call."""

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.policy import Threshold
from monitor.rules.base import EVIDENCE_LIMIT
from monitor.rules.frequency import Window, slide


def reference(calls, window_ms, max_calls):
    """Slide one window over every call at once: the over calls and the exact peak."""
    over, peak = slide(calls, window_ms, max_calls)
    return [calls[i] for i in over], peak


@st.composite
def runs(draw):
    window_ms = draw(st.sampled_from([1, 7, 100, 1000]))
    max_calls = draw(st.integers(1, 6))
    gaps = draw(st.lists(st.integers(0, 3 * window_ms), min_size=1, max_size=120))
    calls, time_ms = [], 10**12 + draw(st.integers(0, window_ms))
    for seq, gap in enumerate(gaps):
        time_ms += gap
        bucket = draw(st.integers(0, 9)) == 0
        weight = draw(st.integers(1, 12)) if bucket else 1
        key = None if bucket else (7, seq)
        consent = draw(st.sampled_from(["before", "granted"]))
        calls.append((time_ms, weight, key, consent, time_ms + (5 if bucket else 0)))
    return calls, window_ms, max_calls


@settings(max_examples=400, deadline=None)
@given(runs())
def test_window_matches_full_slide(run):
    calls, window_ms, max_calls = run
    window = Window(Threshold(max_calls=max_calls, window_s=window_ms / 1000))
    for call in calls:
        window.add(*call)
    window.close()
    over, peak = reference(calls, window_ms, max_calls)
    assert window.total == sum(c[1] for c in calls)
    assert window.over_calls == sum(c[1] for c in over)
    assert window.over_counted == sum(c[1] for c in over if c[2] is None)
    keyed = [c for c in over if c[2] is not None]
    assert window.evidence == [c[2] for c in keyed][:EVIDENCE_LIMIT]
    assert set(window.consents) == {c[3] for c in keyed}
    if over:
        assert window.first_over_ms == over[0][0]
        assert window.last_over_ms == max(c[4] for c in over)
        assert window.peak > max_calls
        assert window.peak <= peak
    else:
        assert window.first_over_ms is None
        assert window.peak <= max_calls


def test_flood_memory_bounded_by_limit():
    window = Window(Threshold(max_calls=3, window_s=1))
    for i in range(50_000):
        window.add(i, 1, (1, i), "granted", i)
        stored = sum(len(s.head) + len(s.tail) for s in [*window.done, window.slot])
        assert stored <= 2 * (3 + 1 + EVIDENCE_LIMIT) + 2 * (3 + 1)
    window.close()
    assert window.over_calls == 50_000


def test_slide_window_excludes_one_window_later():
    calls = [(t, 1, (1, t), "granted", t) for t in (0, 60_000, 120_000)]
    assert slide(calls, 60_000, 1) == ([], 1)
    closer = [(t, 1, (1, t), "granted", t) for t in (0, 59_999, 120_000)]
    assert slide(closer, 60_000, 1) == ([0, 1], 2)
