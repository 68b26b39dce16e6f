"""Collector and store paths built for throughput: seq de-duplication, the writer process,
call sites stored once, indexes built at run end and the migrations that got there."""

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from monitor.attribution import Attributor, SdkInfo
from monitor.collector import Collector, SeqSet
from monitor.redact import EVENT_CACHE_MAX_CHARS, Redactor
from monitor.store import (
    EVENT_COLUMNS,
    EVENT_INDEXES,
    EVENT_KEY_INDEX,
    ROWS_PER_INSERT,
    Store,
    m001_initial,
    m002_buckets_and_redaction_key,
    m003_canaries_and_uninstrumented,
)
from monitor.writer import ProcessWriter

NOW = int(time.time() * 1000)
PID = 31
HOOK = {
    "hookId": 0,
    "category": "identifiers",
    "className": "android.telephony.TelephonyManager",
    "method": "getDeviceId",
    "state": "installed",
    "overloads": ["getDeviceId()"],
}
SDK = SdkInfo(name="Tracklytics", prefixes=["com.tracklytics"])


def event(seq, detail="x", stack_id=0):
    return [
        seq,
        NOW + seq,
        1,
        "main",
        0,
        0,
        "identifiers",
        "serial",
        "",
        "returned",
        detail,
        stack_id,
    ]


def started_collector(store, redact=False):
    store.create_run({"id": "r", "started_ms": NOW, "status": "running"})
    collector = Collector(store, "r", Attributor(["com.example.app"], [SDK]), redact=redact)
    collector.start()
    send(collector, {"type": "agent:hello", "v": 1, "pid": PID, "process": "app", "time": NOW})
    send(collector, {"type": "hooks:status", "items": [HOOK]})
    return collector


def send(collector, payload):
    collector.submit(PID, {"type": "send", "payload": payload})


def row(seq, detail="x"):
    values = dict.fromkeys(EVENT_COLUMNS, "")
    values.update(run_id="r", seq=seq, time_ms=NOW + seq, pid=PID, thread_id=1, stack_id=0)
    values["detail"] = detail
    return tuple(values[column] for column in EVENT_COLUMNS)


def index_names(store):
    return {index.name for index in store.db["event_rows"].indexes}


def test_seqset_in_order_and_gaps():
    seqs = SeqSet()
    assert all(seqs.add(seq) for seq in (1, 2, 3, 7, 8))
    assert seqs.intervals == [(1, 3), (7, 8)]
    assert not seqs.add(2)
    assert not seqs.add(8)


def test_seqset_out_of_order_merges():
    seqs = SeqSet()
    for seq in (5, 3, 1, 4, 2, 9):
        assert seqs.add(seq), seq
    assert seqs.intervals == [(1, 5), (9, 9)]
    assert not seqs.add(3)
    assert seqs.add(8)
    assert seqs.intervals == [(1, 5), (8, 9)]


def test_duplicate_seq_rejected(tmp_path):
    store = Store(tmp_path / "run.db")
    collector = started_collector(store)
    send(collector, {"type": "events:add", "events": [event(1), event(2), event(2, "again")]})
    send(collector, {"type": "events:add", "events": [event(1, "replayed"), event(3)]})
    collector.close()
    stored = store.db.execute("SELECT seq, detail FROM events ORDER BY seq").fetchall()
    assert stored == [(1, "x"), (2, "x"), (3, "x")]
    assert collector.rejected == {"duplicate seq": 2}
    assert collector.invalid_messages == 2


def test_sync_commits_rows(tmp_path):
    store = Store(tmp_path / "run.db")
    collector = started_collector(store)
    for first in range(1, 61, 20):
        send(
            collector,
            {"type": "events:add", "events": [event(s) for s in range(first, first + 20)]},
        )
    assert collector.sync()
    # A second connection reads only committed rows.
    reader = sqlite3.connect(tmp_path / "run.db")
    assert reader.execute("SELECT count(*) FROM events").fetchone() == (60,)
    reader.close()
    collector.close()


def test_storage_failure_fails_run(tmp_path):
    store = Store(tmp_path / "run.db")
    collector = started_collector(store)
    assert collector.sync()
    store.db.execute("DROP TABLE event_rows")
    send(collector, {"type": "events:add", "events": [event(1)]})
    collector.close()
    assert collector.failed.is_set()
    assert collector.fatal_error == "the collector failed to store data"


def committed_count(path):
    reader = sqlite3.connect(path)
    try:
        return reader.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        reader.close()


def test_writer_applies_writes_in_order(tmp_path):
    store = Store(tmp_path / "run.db")
    store.create_run({"id": "r", "started_ms": NOW})
    writer = ProcessWriter(store.path)
    writer.start()
    writer.call("add_site", "r", 1, SITE)
    writer.add_event_rows([narrow_row(1), narrow_row(2)])
    writer.call("add_rejections", "r", {"duplicate seq": 1})
    assert writer.sync(30)
    assert committed_count(tmp_path / "run.db") == 2
    assert store.db.execute("SELECT count FROM rejected_messages").fetchall() == [(1,)]
    writer.close(30)
    assert writer.failure is None


def test_writer_failure_drops_later_writes(tmp_path):
    store = Store(tmp_path / "run.db")
    writer = ProcessWriter(store.path)
    writer.start()
    writer.call("no_such_method")
    writer.add_event_rows([narrow_row(1)])
    assert writer.sync(30)
    assert "no_such_method" in writer.failure
    writer.close(30)
    assert committed_count(tmp_path / "run.db") == 0


def test_writer_outlives_killed_collector(tmp_path):
    """SIGKILL the process that sent the rows: its writer still stores all of them."""
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_collector_store import SITE, narrow_row
from monitor.store import Store
from monitor.writer import ProcessWriter
store = Store({str(tmp_path / "run.db")!r})
writer = ProcessWriter(store.path)
writer.start()
writer.call("add_site", "r", 1, SITE)
for batch in range(50):
    writer.add_event_rows([narrow_row(batch * 200 + i) for i in range(1, 201)])
print(writer._process.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    child = int(done.stdout.split()[0])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Path(f"/proc/{child}").exists():
        time.sleep(0.05)
    assert committed_count(tmp_path / "run.db") == 10_000


SITE = ("app", "identifiers", "serial", "C", "m", "m()", "app", "app", "")


def narrow_row(seq, detail="x"):
    return ("r", seq, NOW + seq, PID, 1, "main", 1, "", "returned", detail, 0, "unknown")


def test_multi_row_insert_keeps_rows(tmp_path):
    store = Store(tmp_path / "run.db")
    total = ROWS_PER_INSERT * 2 + 7
    store.add_events([row(seq, f"d{seq}") for seq in range(1, total + 1)])
    stored = store.db.execute("SELECT seq, detail FROM events ORDER BY rowid").fetchall()
    assert stored == [(seq, f"d{seq}") for seq in range(1, total + 1)]
    store.ensure_indexes()
    store.add_events([row(seq, "again") for seq in range(1, total + 1)])
    assert committed_count(tmp_path / "run.db") == total
    assert store.db.execute("SELECT DISTINCT detail FROM events").fetchall() == [("again",)]


def test_origin_updates_after_late_stack(tmp_path):
    store = Store(tmp_path / "run.db")
    collector = started_collector(store)
    send(collector, {"type": "events:add", "events": [event(1, stack_id=5)]})
    frames = ["com.tracklytics.Tracker.collect", "com.example.app.Main.onCreate"]
    send(collector, {"type": "stacks:add", "id": 5, "frames": frames})
    send(collector, {"type": "events:add", "events": [event(2, stack_id=5)]})
    collector.close()
    origins = store.db.execute("SELECT origin, origin_kind FROM events ORDER BY seq").fetchall()
    assert origins == [("unknown", "unknown"), ("Tracklytics", "sdk")]


def test_hook_update_changes_signature(tmp_path):
    store = Store(tmp_path / "run.db")
    collector = started_collector(store)
    send(collector, {"type": "events:add", "events": [event(1)]})
    renamed = {**HOOK, "overloads": ["getDeviceId(int)"]}
    send(collector, {"type": "hooks:status", "items": [renamed]})
    send(collector, {"type": "events:add", "events": [event(2)]})
    collector.close()
    signatures = [r[0] for r in store.db.execute("SELECT signature FROM events ORDER BY seq")]
    assert signatures == ["getDeviceId()", "getDeviceId(int)"]


def test_streaming_table_has_no_indexes(tmp_path):
    store = Store(tmp_path / "run.db")
    assert index_names(store) == set()
    assert store.db["event_rows"].pks == ["rowid"]


def test_ensure_indexes_creates_all(tmp_path):
    store = Store(tmp_path / "run.db")
    store.add_events([row(1), row(2)])
    store.ensure_indexes()
    assert index_names(store) == {EVENT_KEY_INDEX, *EVENT_INDEXES}
    store.ensure_indexes()
    assert index_names(store) == {EVENT_KEY_INDEX, *EVENT_INDEXES}
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM events WHERE run_id = 'r' AND time_ms > 5"
    ).fetchall()
    assert "idx_event_rows_run_id_time_ms_pid_seq" in str(plan)
    # The rules read a run through the view in this order: the index must give it.
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM events WHERE run_id = 'r' ORDER BY time_ms, pid, seq"
    ).fetchall()
    assert "TEMP B-TREE" not in str(plan)


def test_ensure_indexes_keeps_last_duplicate(tmp_path):
    store = Store(tmp_path / "run.db")
    store.add_events([row(1, "first"), row(2), row(1, "second")])
    store.ensure_indexes()
    stored = store.db.execute("SELECT seq, detail FROM events ORDER BY seq").fetchall()
    assert stored == [(1, "second"), (2, "x")]


def test_replace_after_indexes_exist(tmp_path):
    store = Store(tmp_path / "run.db")
    store.add_events([row(1, "first")])
    store.ensure_indexes()
    store.add_events([row(1, "second")])
    assert store.db.execute("SELECT detail FROM events").fetchall() == [("second",)]


def test_migrations_narrow_old_database(tmp_path):
    path = tmp_path / "old.db"
    old_schema = Migrations("privmon")
    for migration in (
        m001_initial,
        m002_buckets_and_redaction_key,
        m003_canaries_and_uninstrumented,
    ):
        old_schema()(migration)
    old = sqlite_utils.Database(path)
    old_schema.apply(old)
    assert old["events"].pks == ["run_id", "pid", "seq"]
    other_site = dict(zip(EVENT_COLUMNS, row(3), strict=True)) | {"api_method": "getImei"}
    old.conn.executemany(
        f"INSERT INTO events ({','.join(EVENT_COLUMNS)}) VALUES ({','.join('?' * 20)})",
        [row(1), row(2), tuple(other_site.values())],
    )
    old.conn.commit()
    old.close()
    store = Store(path)
    assert store.db["event_rows"].pks == ["rowid"]
    assert index_names(store) == set()
    stored = store.db.execute("SELECT seq, api_method FROM events ORDER BY seq").fetchall()
    assert stored == [(1, ""), (2, ""), (3, "getImei")]
    assert store.db["call_sites"].count == 2
    store.ensure_indexes()
    assert index_names(store) == {EVENT_KEY_INDEX, *EVENT_INDEXES}
    # New events of the migrated run reuse its sites and number new ones after them.
    store.add_events([row(4), tuple((other_site | {"seq": 5, "api_method": "getMeid"}).values())])
    assert store.db["call_sites"].count == 3
    assert [r[0] for r in store.db.execute("SELECT site_id FROM event_rows ORDER BY seq")] == [
        1,
        1,
        2,
        1,
        3,
    ]


def test_call_sites_stored_once(tmp_path):
    store = started_collector(Store(tmp_path / "run.db"))
    send(store, {"type": "events:add", "events": [event(s) for s in range(1, 30)]})
    frames = ["com.tracklytics.Tracker.collect", "com.example.app.Main.onCreate"]
    send(store, {"type": "stacks:add", "id": 5, "frames": frames})
    send(store, {"type": "events:add", "events": [event(30, stack_id=5), event(31, stack_id=5)]})
    store.close()
    db = store.store.db
    assert db["call_sites"].count == 2
    assert db.execute("SELECT count(*) FROM events").fetchone() == (31,)
    stored = db.execute("SELECT origin, count(*) FROM events GROUP BY origin ORDER BY 1")
    assert stored.fetchall() == [("Tracklytics", 2), ("unknown", 29)]


def test_redactor_event_cache_same_result():
    location = "Location[gps 39.904200,116.407400 hAcc=5.0]"
    cached = Redactor(b"k" * 32)
    first = cached.event("location", "location", "returned", "gps", location)
    assert cached.event("location", "location", "returned", "gps", location) == first
    assert Redactor(b"k" * 32).event("location", "location", "returned", "gps", location) == first
    assert "39.9042" not in first[1]


def test_redactor_long_value_redacted():
    long_detail = "tel +86 138-0013-8000 " + "x" * EVENT_CACHE_MAX_CHARS
    redactor = Redactor(b"k" * 32)
    for _ in range(2):
        _, detail = redactor.event("media", "file", "returned", "", long_detail)
        assert "138-0013" not in detail


def test_digit_only_token_not_rescanned():
    redactor = Redactor(b"k" * 32)
    # Find a coordinate whose token is all decimal digits, which looks like a phone number.
    value = next(
        f"39.{n:06d}"
        for n in range(100_000)
        if redactor.token("coordinate", f"39.{n:06d}")[len("[coordinate:") : -1].isdigit()
    )
    _, detail = redactor.event("location", "location", "returned", "", f"gps {value},116.4074")
    assert detail.startswith(f"gps {redactor.token('coordinate', value)},")
    assert "phone_number" not in detail


def test_collector_inline_without_writer(tmp_path, monkeypatch):
    monkeypatch.setattr("monitor.writer.sys.executable", str(tmp_path / "no-such-python"))
    store = Store(tmp_path / "run.db")
    collector = started_collector(store)
    send(collector, {"type": "events:add", "events": [event(1), event(2)]})
    collector.close()
    assert not collector.failed.is_set()
    assert committed_count(tmp_path / "run.db") == 2
