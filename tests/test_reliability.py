"""Faults: hostile agent messages and strings, app killed mid-run, hook floods.

The collector tests feed Collector.submit directly; the others run privmon with real Frida
against JVM programs.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.busy_app import busy_app_command
from monitor.attribution import Attributor
from monitor.collector import Collector
from monitor.config import MonitorConfig
from monitor.reports.html import write_html
from monitor.reports.json_report import write_json
from monitor.reports.model import build_report
from monitor.runner import finish_run
from monitor.session import APP_ENDED_WITHOUT_EXIT
from monitor.store import Store
from tests.conftest import needs_java
from tests.test_cli_runs import demo_argv, query, wait_for

NOW = int(time.time() * 1000)
PID = 77
HOOK = {
    "hookId": 0,
    "category": "identifiers",
    "className": "android.telephony.TelephonyManager",
    "method": "getLine1Number",
    "state": "installed",
    "overloads": ["getLine1Number()"],
}


def event(seq, args="", detail="x"):
    return [seq, NOW + seq, 1, "main", 0, 0, "identifiers", "serial", args, "returned", detail, 0]


def collector_for(path, redact=False):
    store = Store(path)
    store.create_run({"id": "r", "mode": "spawn", "started_ms": NOW, "status": "running"})
    collector = Collector(store, "r", Attributor([], []), redact=redact)
    collector.start()
    for payload in (
        {"type": "agent:hello", "v": 1, "pid": PID, "process": "app", "time": NOW},
        {"type": "hooks:status", "items": [HOOK]},
        {"type": "agent:ready", "time": NOW, "flavor": "jvm"},
    ):
        collector.submit(PID, {"type": "send", "payload": payload})
    return store, collector


HOSTILE = [
    ("unknown message type", {"type": "agent:takeover", "x": 1}),
    ("missing message type", {"events": []}),
    ("not a JSON object", "just a string"),
    ("not a JSON object", None),
    ("missing field", {"type": "stacks:add", "id": 3}),
    ("wrong type", {"type": "stacks:add", "id": "three", "frames": []}),
    ("wrong type", {"type": "events:add", "events": "many"}),
    ("oversized value", {"type": "agent:error", "fatal": False, "message": "x" * 5000}),
    ("oversized list", {"type": "stacks:add", "id": 4, "frames": ["f"] * 600}),
    ("value out of range", {"type": "events:add", "events": [[0, *event(1)[1:]]]}),
    ("oversized list", {"type": "events:add", "events": [[*event(1), "extra"]]}),
    ("missing field", {"type": "events:add", "events": [event(1)[:5]]}),
    ("invalid value", {"type": "events:add", "events": [[*event(1)[:6], "bogus", *event(1)[7:]]]}),
    ("unknown hook id", {"type": "events:add", "events": [[*event(1)[:4], 99, *event(1)[5:]]]}),
    (
        "unknown hook id",
        {
            "type": "buckets:add",
            "bucketMs": 100,
            "buckets": [[99, 0, "identifiers", "serial", 0, NOW, 5, NOW, NOW]],
        },
    ),
]


def test_hostile_payloads_counted_by_reason(tmp_path):
    store, collector = collector_for(tmp_path / "run.db")
    for _, payload in HOSTILE:
        collector.submit(PID, {"type": "send", "payload": payload})
    collector.submit(PID, "not a frida message")
    collector.submit(PID, {"type": "send", "payload": {"type": "events:add", "events": [event(1)]}})
    collector.close()
    expected = {}
    for reason, _ in HOSTILE:
        expected[reason] = expected.get(reason, 0) + 1
    expected["not a JSON object"] += 1
    assert dict(collector.rejected) == expected
    assert collector.invalid_messages == len(HOSTILE) + 1
    assert not collector.failed.is_set()
    assert query(store.path, "select count(*) from events") == [(1,)]
    stored = dict(query(store.path, "select reason, count from rejected_messages"))
    assert stored == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)
message_types = st.sampled_from(
    [
        "agent:hello",
        "hooks:status",
        "agent:ready",
        "stacks:add",
        "events:add",
        "buckets:add",
        "agent:error",
        "agent:exit",
        "agent:stopped",
        "error",
        "other",
    ]
)


@settings(max_examples=300, deadline=None)
@given(kind=message_types, fields=st.dictionaries(st.text(max_size=12), json_values, max_size=6))
def test_fuzzed_messages_never_crash(kind, fields):
    store, collector = collector_for(":memory:")
    collector.submit(PID, {"type": "send", "payload": {**fields, "type": kind}})
    collector.submit(PID, {"type": "send", "payload": {"type": "events:add", "events": [event(1)]}})
    collector.close()
    assert collector.fatal_error is None or kind in ("error", "agent:error")
    assert store.db.execute("select count(*) from events").fetchone() == (1,)


HOSTILE_STRINGS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\x1b[31mred\x1b[0m\x07bell",
    "tab\tnew\nline\rcr\x00nul\x7f",
    "lone \ud800 high and \udc00 low",
    "é漢字😀",
]


def test_hostile_strings_stored_and_escaped(tmp_path):
    store, collector = collector_for(tmp_path / "run.db")
    events = [event(i + 1, args=text, detail=text) for i, text in enumerate(HOSTILE_STRINGS)]
    stack = {"type": "stacks:add", "id": 1, "frames": ["com.evil.<script>\ud800.run"]}
    for payload in (stack, {"type": "events:add", "events": events}):
        collector.submit(PID, {"type": "send", "payload": payload})
    collector.close()
    assert not collector.failed.is_set()
    stored = [row[0] for row in store.db.execute("SELECT args FROM events ORDER BY seq")]
    assert stored[0] == HOSTILE_STRINGS[0]
    assert stored[4] == "lone \ufffd high and \ufffd low"
    assert stored[5] == "é漢字😀"
    store.update_run("r", ended_ms=NOW + 100, end_reason="app exited")
    config = MonitorConfig()
    result = finish_run(store, "r", config)
    report = build_report(store, "r", config, result.verdict)
    html_path, json_path = tmp_path / "r.html", tmp_path / "r.json"
    write_html(report, html_path)
    write_json(report, json_path)
    html = html_path.read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "\x1b[31m" not in html
    text = json_path.read_text("utf-8")
    # JSON keeps the text exactly and escapes control characters; HTML is not its concern.
    assert "\x1b" not in text
    assert "\x00" not in text
    assert HOSTILE_STRINGS[0] in text
    assert json.loads(text)["end_reason"] == "app exited"


def privmon(*args):
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", *args],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.PIPE,
    )


@pytest.mark.frida
@needs_java
def test_flood_burst_counts_exactly(tmp_path):
    calls = 3000
    db, js = tmp_path / "run.db", tmp_path / "r.json"
    program, *args = busy_app_command("burst", str(calls))
    proc = privmon(
        "run",
        "--db",
        str(db),
        "--report-json",
        str(js),
        "--app-id",
        "com.example.busy",
        "-f",
        program,
        "--",
        *args,
    )
    out, err = proc.communicate(timeout=120)
    assert "done 3000" in out, out + err
    assert query(db, "select count(*) from rejected_messages") == [(0,)]
    events = query(db, "select count(*) from events where api_method = 'getLine1Number'")[0][0]
    buckets, counted = query(db, "select count(*), coalesce(sum(count), 0) from buckets")[0]
    assert 0 < events < calls
    assert buckets > 0
    assert events + counted == calls
    report = json.loads(js.read_text())
    assert report["event_count"] + report["counted_calls"] == calls
    assert f"{counted} more calls only counted in flood buckets" in " ".join(out.split())


def _run_demo_and_kill(tmp_path):
    db, report = tmp_path / "run.db", tmp_path / "r.json"
    program, *args = demo_argv("wait")
    proc = privmon(
        "run",
        "--db",
        str(db),
        "--report-json",
        str(report),
        "--app-id",
        "com.example.demoapp",
        "-f",
        program,
        "--",
        *args,
    )
    wait_for(lambda: (query(db, "select count(*) from events") or [(0,)])[0][0] >= 4)
    os.kill(query(db, "select pid from processes")[0][0], signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, json.loads(report.read_text()), out + err


@pytest.mark.frida
@needs_java
def test_app_killed_mid_run_recorded(tmp_path):
    code, report, output = _run_demo_and_kill(tmp_path)
    assert report["end_reason"] == APP_ENDED_WITHOUT_EXIT, output
    assert report["event_count"] >= 4
    assert code == 3, output
    assert report["status"] == "incomplete"
