"""privmon diff: matching findings of two runs, exit codes, and the command on real files."""

import json
import sqlite3
import subprocess
import sys

from monitor.config import MonitorConfig
from monitor.diff import ChangeKind, RunFindings, compare, diff_findings, group_findings
from monitor.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INCOMPLETE
from monitor.rules import Severity
from monitor.runner import finish_run
from monitor.testing import make_event, make_store

CONFIG = MonitorConfig(app_id="com.example.demoapp")


def row(rule="pre_consent", severity="high", count=1, origin="Tracklytics", title="t", **kw):
    return {
        "rule": rule,
        "severity": severity,
        "title": title,
        "category": kw.get("category", "identifiers"),
        "origin": origin,
        "api": kw.get("api", "android.provider.Settings$Secure.getString"),
        "count": count,
    }


def side(findings, status="findings"):
    return RunFindings(db="x.db", run_id="r", status=status, end_reason=None, findings=findings)


# Pure functions ------------------------------------------------------------------------


def test_diff_new_gone_changed():
    old = [row(origin="A"), row(origin="B"), row(origin="C", count=2)]
    new = [row(origin="A"), row(origin="C", count=5), row(origin="D")]
    changes, unchanged = diff_findings(old, new)
    kinds = {c.key[1]: c.kind for c in changes}
    assert kinds == {"B": ChangeKind.GONE, "C": ChangeKind.CHANGED, "D": ChangeKind.NEW}
    assert unchanged == 1
    assert [c.kind for c in changes] == [ChangeKind.NEW, ChangeKind.CHANGED, ChangeKind.GONE]


def test_diff_key_includes_category():
    old = [row(category="identifiers")]
    new = [row(category="location")]
    changes, unchanged = diff_findings(old, new)
    assert sorted(c.kind.value for c in changes) == ["gone", "new"]
    assert unchanged == 0


def test_group_merges_same_key():
    rows = [
        row(rule="coverage", severity="high", count=0, origin="", api="", category="", title="a"),
        row(rule="coverage", severity="low", count=0, origin="", api="", category="", title="b"),
    ]
    (group,) = group_findings(rows).values()
    assert group.severity == "high"
    assert group.findings == 2
    assert group.titles == ("a", "b")


def test_changed_severity_down_not_worse():
    changes, _ = diff_findings([row(severity="high")], [row(severity="medium")])
    (change,) = changes
    assert change.kind is ChangeKind.CHANGED
    assert not change.worsened


def test_changed_count_up_is_worse():
    changes, _ = diff_findings([row(count=1)], [row(count=3)])
    assert changes[0].worsened


def test_exit_new_finding_fails():
    result = compare(side([]), side([row(severity="medium")]), Severity.LOW)
    assert result.exit_code == EXIT_FINDINGS


def test_exit_new_finding_below_fail_on():
    result = compare(side([]), side([row(severity="medium")]), Severity.HIGH)
    assert result.exit_code == EXIT_CLEAN


def test_exit_gone_or_better_is_clean():
    old = [row(origin="A"), row(origin="B", severity="high")]
    new = [row(origin="B", severity="low")]
    assert compare(side(old), side(new), Severity.LOW).exit_code == EXIT_CLEAN


def test_exit_worse_count_fails():
    result = compare(side([row(count=1)]), side([row(count=4)]), Severity.HIGH)
    assert result.exit_code == EXIT_FINDINGS


def test_exit_incomplete_new_run():
    for status in ("incomplete", "failed", "running"):
        result = compare(side([]), side([], status=status), Severity.LOW)
        assert result.exit_code == EXIT_INCOMPLETE, status


def test_unknown_severity_ranks_high():
    result = compare(side([]), side([row(severity="critical")]), Severity.HIGH)
    assert result.exit_code == EXIT_FINDINGS


# Command line --------------------------------------------------------------------------


def stored_run(path, calls, mode="spawn"):
    # Identifier reads: the default limit allows 3 calls a minute, so 5 calls are too many.
    events = [make_event(i * 100, origin="io.tracklytics.sdk") for i in range(calls)]
    store = make_store(events, CONFIG, mode=mode, path=str(path))
    finish_run(store, "run", CONFIG)
    store.close()
    return path


def privmon_diff(*args):
    return subprocess.run(
        [sys.executable, "-m", "monitor", "diff", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_diff_json(tmp_path):
    old = stored_run(tmp_path / "old.db", calls=2)
    new = stored_run(tmp_path / "new.db", calls=5)
    proc = privmon_diff(old, new, "--json")
    assert proc.returncode == EXIT_FINDINGS, proc.stderr
    result = json.loads(proc.stdout)
    kinds = {(c["rule"], c["change"]) for c in result["changes"]}
    assert ("frequency", "new") in kinds
    assert ("pre_consent", "changed") in kinds
    changed = next(c for c in result["changes"] if c["rule"] == "pre_consent")
    assert changed["old"]["count"] == 2
    assert changed["new"]["count"] == 5
    assert result["new"]["run_id"] == "run"
    assert result["exit_code"] == EXIT_FINDINGS


def test_cli_diff_table_no_change(tmp_path):
    old = stored_run(tmp_path / "old.db", calls=5)
    new = stored_run(tmp_path / "new.db", calls=5)
    proc = privmon_diff(old, new, "--old-run", "run", "--new-run", "run")
    assert proc.returncode == EXIT_CLEAN, proc.stdout + proc.stderr
    assert "0 new, 0 changed, 0 gone, 2 unchanged" in proc.stdout


def test_cli_diff_gone_is_clean(tmp_path):
    old = stored_run(tmp_path / "old.db", calls=5)
    new = stored_run(tmp_path / "new.db", calls=2)
    proc = privmon_diff(old, new)
    assert proc.returncode == EXIT_CLEAN, proc.stdout + proc.stderr
    assert "gone" in proc.stdout


def test_cli_diff_incomplete_new(tmp_path):
    old = stored_run(tmp_path / "old.db", calls=2)
    new = stored_run(tmp_path / "new.db", calls=2, mode="attach")
    proc = privmon_diff(old, new)
    assert proc.returncode == EXIT_INCOMPLETE, proc.stdout + proc.stderr
    assert "The new run is incomplete" in proc.stdout


def test_cli_diff_rejects_foreign_file(tmp_path):
    old = stored_run(tmp_path / "old.db", calls=2)
    foreign = tmp_path / "other.db"
    sqlite3.connect(foreign).execute("create table t (x)").connection.close()
    proc = privmon_diff(old, foreign)
    assert proc.returncode == 2
    assert f"Invalid database {foreign}" in proc.stderr
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("select name from sqlite_master").fetchall() == [("t",)]


def test_cli_diff_unknown_run(tmp_path):
    old = stored_run(tmp_path / "old.db", calls=2)
    proc = privmon_diff(old, old, "--new-run", "nope")
    assert proc.returncode == 2
    assert "run not found" in proc.stderr
