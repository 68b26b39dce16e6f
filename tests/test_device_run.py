from monitor.device_run import record_unmonitored
from monitor.testing import make_store


def test_unmonitored_process_recorded():
    store = make_store([])
    added = record_unmonitored(
        store, "run", [(100, "com.example.demoapp"), (200, "com.example.demoapp:push")]
    )
    assert added == 1
    rows = {row["pid"]: row for row in store.rows("processes", "run")}
    assert rows[200]["name"] == "com.example.demoapp:push"
    assert rows[200]["hooks_ready_ms"] is None
    assert rows[100]["hooks_ready_ms"] is not None


def test_known_processes_not_added_twice():
    store = make_store([])
    assert record_unmonitored(store, "run", [(100, "com.example.demoapp")]) == 0
    assert len(store.rows("processes", "run")) == 1
