"""The single pass over stored events: consent from the final timeline, re-tagging, counts."""

from monitor.config import MonitorConfig
from monitor.rules import evaluate, load_run_data, summarize
from monitor.rules.scan import first_events
from monitor.store import BUCKET_COLUMNS
from monitor.testing import BASE_MS, make_event, make_store, stored_events

CONFIG = MonitorConfig(app_id="com.example.demoapp")


def decide(store, offset_ms, state="granted", pid=None, seq=None):
    store.add_consent_change(
        {
            "run_id": "run",
            "time_ms": BASE_MS + offset_ms,
            "state": state,
            "source": "test",
            "pid": pid,
            "seq": seq,
        }
    )


def tags(store):
    return {e["seq"]: e["consent"] for e in stored_events(store)}


def test_retag_rewrites_only_stale_tags():
    # As the collector stores them: "unknown" before the decision reached it.
    events = [make_event(t, seq=i, consent="unknown") for i, t in enumerate([0, 10, 30, 40])]
    store = make_store(events, CONFIG)
    decide(store, 20)
    data = load_run_data(store, "run", CONFIG)
    evaluate(data)
    assert set(tags(store).values()) == {"unknown"}, "a pass without retag writes nothing"
    evaluate(load_run_data(store, "run", CONFIG), retag=True)
    assert tags(store) == {0: "before", 1: "before", 2: "granted", 3: "granted"}


def test_same_millisecond_decision_ordered_by_sequence():
    events = [make_event(5, seq=s) for s in (9, 10, 11)] + [make_event(5, seq=3, pid=200)]
    store = make_store(events, CONFIG)
    decide(store, 5, pid=100, seq=10)
    evaluate(load_run_data(store, "run", CONFIG), retag=True)
    by_key = {(e["pid"], e["seq"]): e["consent"] for e in stored_events(store)}
    # Only the same process's later calls come after it; the other process is cautious.
    assert by_key == {
        (100, 9): "before",
        (100, 10): "before",
        (100, 11): "granted",
        (200, 3): "before",
    }


def test_summary_counts_every_event_in_bins():
    events = [make_event(t * 1000, category="location") for t in range(0, 600, 7)]
    events += [make_event(t * 1000 + 1) for t in range(0, 600, 11)]
    store = make_store(events, CONFIG)
    decide(store, 300_000)
    summary = summarize(load_run_data(store, "run", CONFIG))
    assert summary.count == len(events)
    assert summary.by_category == {"location": 86, "identifiers": 55}
    assert sum(summary.by_consent.values()) == len(events)
    assert summary.by_consent["granted"] == sum(e["time_ms"] > BASE_MS + 300_000 for e in events)
    assert sum(summary.bins.values()) == len(events)
    assert all((start - BASE_MS) % summary.bin_ms == 0 for start, _, _ in summary.bins)
    assert 100 <= len({start for start, _, _ in summary.bins}) <= 300


def test_first_events_time_ordered():
    events = [make_event(t, seq=100 - t) for t in (30, 10, 20)]
    store = make_store(events, CONFIG)
    decide(store, 15)
    listed = first_events(load_run_data(store, "run", CONFIG), 2)
    assert [(e["time_ms"] - BASE_MS, e["consent"]) for e in listed] == [
        (10, "before"),
        (20, "granted"),
    ]


def test_buckets_retagged_by_first_call():
    store = make_store([make_event(0)], CONFIG)
    row = dict.fromkeys(BUCKET_COLUMNS, "")
    row.update(
        run_id="run",
        pid=100,
        hook_id=1,
        stack_id=0,
        bucket_start_ms=BASE_MS + 100,
        bucket_ms=100,
        count=500,
        first_ms=BASE_MS + 150,
        last_ms=BASE_MS + 199,
        consent="unknown",
        category="sensors",
    )
    store.add_buckets([tuple(row[c] for c in BUCKET_COLUMNS)])
    decide(store, 120)
    evaluate(load_run_data(store, "run", CONFIG), retag=True)
    stored = store.db.execute("SELECT consent FROM buckets").fetchall()
    assert stored == [("granted",)]
