from monitor.config import MonitorConfig
from monitor.consent import ConsentPoint, ConsentTimeline
from monitor.events import ConsentState
from monitor.rules import evaluate, load_run_data
from monitor.testing import BASE_MS, make_event, make_store, stored_events

GRANTED = ConsentState.GRANTED
REFUSED = ConsentState.REFUSED


def retag(store):
    """Re-tag the stored run as finish_run does at the end of a run."""
    evaluate(load_run_data(store, "run", MonitorConfig()), retag=True)


def point(time_ms, state, pid=None, seq=None):
    return ConsentPoint(time_ms, pid, seq, state, "test")


def test_no_decision_is_unknown():
    timeline = ConsentTimeline()
    assert timeline.state_at(5000) is ConsentState.UNKNOWN


def test_before_first_decision_is_before():
    timeline = ConsentTimeline([point(5000, GRANTED)])
    assert timeline.state_at(4999) is ConsentState.BEFORE
    assert timeline.state_at(5001) is GRANTED


def test_late_delivery_uses_device_time():
    # The call at 4990 is delivered after the decision at 5000 was stored.
    store = make_store([make_event(0, seq=1)])
    store.add_consent_change(
        {
            "run_id": "run",
            "time_ms": BASE_MS - 10 + 10,
            "state": "granted",
            "source": "tap",
            "pid": None,
            "seq": None,
        }
    )
    store.add_events([])
    late = make_event(-10, seq=2)  # stamped 10 ms before consent
    from monitor.store import EVENT_COLUMNS

    store.add_events([tuple(late[c] for c in EVENT_COLUMNS)])
    retag(store)
    states = {e["seq"]: e["consent"] for e in stored_events(store)}
    assert states[2] == "before"
    # Same millisecond as a UI decision: the cautious reading is "before".
    assert states[1] == "before"


def test_same_millisecond_ordered_by_agent_sequence():
    timeline = ConsentTimeline([point(5000, GRANTED, pid=7, seq=10)])
    assert timeline.state_at(5000, pid=7, seq=11) is GRANTED
    assert timeline.state_at(5000, pid=7, seq=9) is ConsentState.BEFORE
    assert timeline.state_at(5000, pid=8, seq=11) is ConsentState.BEFORE


def test_refusal_stays_refused():
    timeline = ConsentTimeline([point(1000, REFUSED)])
    assert timeline.state_at(2000) is REFUSED
    assert timeline.state_at(10_000_000) is REFUSED


def test_agreement_after_refusal_grants():
    timeline = ConsentTimeline([point(1000, REFUSED), point(3000, GRANTED)])
    assert timeline.state_at(2000) is REFUSED
    assert timeline.state_at(4000) is GRANTED


def test_repeated_decision_not_added():
    timeline = ConsentTimeline()
    assert timeline.add(point(1000, GRANTED))
    assert not timeline.add(point(1500, GRANTED))
    assert len(timeline.points) == 1


def test_unknown_never_counts_as_after():
    store = make_store([make_event(0), make_event(100_000)])
    retag(store)
    assert {e["consent"] for e in stored_events(store)} == {"unknown"}
