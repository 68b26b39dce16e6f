"""privmon's command line on the demo app, in subprocesses, with real Frida."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.frida_util import spawn_with_agent
from monitor.agent import build_agent
from monitor.config import MonitorConfig
from monitor.demo.build import build_demo
from tests.conftest import needs_java

pytestmark = [pytest.mark.frida, needs_java]

AGENTS = Path(__file__).parent / "agents"
SIGNALS = ["--consent-signal", "com.example.demoapp.PrivacyDialog.onAgree=agree"]


def privmon(*args, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", *args],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def demo_argv(consent="agree"):
    return build_demo().java_command(
        ["--interval-ms", "20", "--consent", consent, "--consent-delay-ms", "100"]
    )


def spawn_args(consent="agree"):
    """-f PROGRAM -- ARGS, as a user passes program arguments."""
    program, *args = demo_argv(consent)
    return ["-f", program, "--", *args]


def waiting_demo_run(db, report_json, **kwargs):
    """Start `privmon run` on the demo app waiting for a consent command that never comes."""
    return privmon(
        "run",
        "--db",
        str(db),
        "--report-json",
        str(report_json),
        "--app-id",
        "com.example.demoapp",
        *spawn_args("wait"),
        stdin=subprocess.PIPE,
        **kwargs,
    )


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def query(db, sql):
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []


def test_run_without_bridge_exits_3(tmp_path):
    db = tmp_path / "run.db"
    proc = privmon(
        "run",
        "--agent",
        str(AGENTS / "no_bridge.js"),
        "--db",
        str(db),
        "--app-id",
        "com.example.demoapp",
        *spawn_args(),
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, out + err
    assert "Java' is not defined" in out
    assert "frida-java-bridge" in out
    assert query(db, "select status from runs") == [("failed",)]


def test_spawn_run_writes_reports(tmp_path):
    db, html, js = tmp_path / "run.db", tmp_path / "r.html", tmp_path / "r.json"
    proc = privmon(
        "run",
        "--db",
        str(db),
        "--report-html",
        str(html),
        "--report-json",
        str(js),
        "--app-id",
        "com.example.demoapp",
        *SIGNALS,
        *spawn_args(),
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, out + err
    report = json.loads(js.read_text())
    assert report["schema_version"] == 2
    assert report["status"] == "findings"
    assert {f["rule"] for f in report["findings"]} == {
        "pre_consent",
        "app_list_before_consent",
        "frequency",
        "app_start_before_consent",
    }
    assert "Verdict: findings" in html.read_text()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stop_signal_ends_with_report(tmp_path, signum):
    db, js = tmp_path / "run.db", tmp_path / "r.json"
    proc = waiting_demo_run(db, js)
    wait_for(
        lambda: (
            query(db, "select count(*) from events where category='location'")
            and query(db, "select count(*) from events where category='location'")[0][0] >= 4
        )
    )
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, out + err
    assert json.loads(js.read_text())["end_reason"] == "stopped"


def test_sigterm_to_process_group_keeps_writer(tmp_path):
    """`timeout` and CI runners signal the whole group: the writer process must outlast it."""
    db, js = tmp_path / "run.db", tmp_path / "r.json"
    proc = waiting_demo_run(db, js, start_new_session=True)
    wait_for(lambda: (query(db, "select count(*) from events") or [(0,)])[0][0] >= 4)
    os.killpg(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert "failed to store" not in out + err
    report = json.loads(js.read_text())
    assert report["event_count"] >= 4
    assert query(db, "select status from runs")[0][0] != "running"


def test_unloaded_agent_leaves_app_unharmed(tmp_path):
    """A killed privmon unloads the agent; the app must not crash at its next class load."""
    config = MonitorConfig(app_id="com.example.demoapp").agent_config()
    app = spawn_with_agent(demo_argv("wait"), build_agent(), config, cwd=tmp_path)
    assert app.ready.wait(30)
    app.session.detach()
    # Let Frida unload its agent from the app, as it does when privmon dies.
    time.sleep(1)
    # SIGTERM runs the JVM's shutdown, which loads and prepares classes.
    os.kill(app.pid, signal.SIGTERM)
    wait_for(lambda: not Path(f"/proc/{app.pid}").exists() or _zombie(app.pid))
    assert list(tmp_path.glob("hs_err_pid*.log")) == []


def _zombie(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except OSError:
        return True


def test_program_whose_main_returns_ends_run(tmp_path):
    """The agent's own thread must not keep HotSpot waiting after main() returns."""
    source = tmp_path / "Plain.java"
    source.write_text(
        "public final class Plain {\n"
        '    public static void main(String[] a) { System.out.println("done"); }\n'
        "}\n"
    )
    subprocess.run(["javac", "-d", str(tmp_path), str(source)], check=True, timeout=120)
    db = tmp_path / "run.db"
    java = build_demo().java
    proc = privmon("run", "--db", str(db), "-f", str(java), "--", "-cp", str(tmp_path), "Plain")
    out, err = proc.communicate(timeout=60)
    assert "done" in out, out + err
    assert proc.returncode == 0, out + err
    assert query(db, "select end_reason from runs") == [("app exited",)]


def test_killed_collector_keeps_rows(tmp_path):
    db = tmp_path / "run.db"
    proc = privmon(
        "run",
        "--db",
        str(db),
        "--app-id",
        "com.example.demoapp",
        *spawn_args("wait"),
        stdin=subprocess.PIPE,
    )
    stored = wait_for(
        lambda: (
            (query(db, "select count(*) from events") or [(0,)])[0][0] >= 7
            and query(db, "select count(*) from events")[0][0]
        )
    )
    app_pid = query(db, "select pid from processes")[0][0]
    proc.kill()
    proc.communicate(timeout=30)
    os.kill(app_pid, signal.SIGKILL)
    assert query(db, "select count(*) from events")[0][0] >= stored
    report = privmon("report", str(db))
    out, err = report.communicate(timeout=60)
    assert report.returncode == 3, out + err
    assert "cut short" in out


def test_attach_marks_run_partial(tmp_path):
    db, js = tmp_path / "run.db", tmp_path / "r.json"
    app = subprocess.Popen(
        demo_argv("wait"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        wait_for(lambda: "privacy_dialog" in app.stdout.readline())
        proc = privmon(
            "run",
            "--db",
            str(db),
            "--report-json",
            str(js),
            "--app-id",
            "com.example.demoapp",
            *SIGNALS,
            "-p",
            str(app.pid),
        )
        wait_for(
            lambda: query(
                db, "select hooks_ready_ms from processes where hooks_ready_ms is not null"
            )
        )
        app.stdin.write("tap-id com.example.demoapp:id/agree\n")
        app.stdin.flush()
        out, err = proc.communicate(timeout=60)
    finally:
        app.kill()
    assert proc.returncode == 3, out + err
    report = json.loads(js.read_text())
    assert report["status"] == "incomplete"
    assert any(f["rule"] == "coverage" and "attached" in f["title"] for f in report["findings"])
    assert report["events_by_category"].get("location", 0) >= 1


def test_unknown_pid_is_one_line_error(tmp_path):
    proc = privmon("run", "--db", str(tmp_path / "r.db"), "-p", "999999")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert "process 999999 not found" in out + err


def test_missing_program_is_one_line_error(tmp_path):
    proc = privmon("run", "--db", str(tmp_path / "r.db"), "-f", "/nonexistent/app")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert "program not found: /nonexistent/app" in out + err


def test_two_targets_is_usage_error(tmp_path):
    proc = privmon("run", "-p", "1", "-n", "x")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "exactly one of" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo", "--consent-delay", "nan"], "'nan' is not a number"),
        (["demo", "--consent-delay", "1e308"], "is not in the range"),
        (["demo", "--interval-ms", "99999999999"], "is not in the range"),
        (["run", "--duration", "inf", "-f", "/bin/true"], "is not in the range"),
    ],
)
def test_out_of_range_option_is_usage_error(tmp_path, args, message):
    proc = privmon(*args, cwd=tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, out + err
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_report_rejects_foreign_files(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    foreign = tmp_path / "other.db"
    sqlite3.connect(foreign).execute("create table t (x)").connection.close()
    for path in (text, foreign):
        proc = privmon("report", str(path))
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 2, out + err
        assert f"Invalid database {path}" in err
    assert query(foreign, "select name from sqlite_master") == [("t",)]


def test_missing_report_folder_rejected_first(tmp_path):
    proc = privmon("demo", "--report-html", str(tmp_path / "no" / "r.html"))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "does not exist" in err


def test_negative_interval_rejected(tmp_path):
    proc = privmon("demo", "--interval-ms", "-5", cwd=tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "-5" in err


def test_demo_scenario_agree(tmp_path):
    flow = Path(__file__).parents[1] / "scenarios" / "first-launch-agree.yaml"
    db = tmp_path / "run.db"
    proc = privmon(
        "demo",
        "--scenario",
        str(flow),
        "--interval-ms",
        "20",
        "--db",
        str(db),
        "--report-json",
        str(tmp_path / "r.json"),
        "--report-html",
        str(tmp_path / "r.html"),
    )
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 1, out + err
    assert query(db, "select state, source from consent_changes")[0][0] == "granted"


def test_failed_scenario_step_keeps_data(tmp_path):
    flow = Path(__file__).parent / "scenarios" / "missing-button.yaml"
    db = tmp_path / "run.db"
    proc = privmon(
        "demo",
        "--scenario",
        str(flow),
        "--interval-ms",
        "20",
        "--db",
        str(db),
        "--report-json",
        str(tmp_path / "r.json"),
        "--report-html",
        str(tmp_path / "r.html"),
    )
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 3, out + err
    [(end_reason,)] = query(db, "select end_reason from runs")
    assert end_reason.startswith("scenario failed: step 2 extendedWaitUntil")
    assert "missing-button.yaml line 7" in end_reason
    # The app reached its privacy dialog, so the calls before it were stored.
    assert query(db, "select count(*) from events where category = 'location'")[0][0] == 4


def test_report_rejudged_under_other_policy(tmp_path):
    db = tmp_path / "run.db"
    proc = privmon("run", "--db", str(db), "--app-id", "com.example.demoapp", *spawn_args())
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, out + err
    again = privmon("report", str(db), "--policy", "report-only")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, out + err
    unknown = privmon("report", str(db), "--policy", "no-such-policy")
    out, err = unknown.communicate(timeout=60)
    assert unknown.returncode == 2
    assert "Policy 'no-such-policy' not found" in err


def test_invalid_scenario_keeps_previous_database(tmp_path):
    flow = tmp_path / "bad.yaml"
    flow.write_text("appId: x\n---\n- frobnicate: 1\n")
    db = tmp_path / "keep.db"
    db.write_bytes(b"previous run")
    proc = privmon("demo", "--db", str(db), "--scenario", str(flow), cwd=tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, out + err
    assert "frobnicate" in err
    assert db.read_bytes() == b"previous run"


def test_signal_argument_the_method_lacks_fails_hook(tmp_path):
    """onAgree() has no argument 0: the signal's hook fails instead of recording refusals."""
    db = tmp_path / "run.db"
    signal_arg = "com.example.demoapp.PrivacyDialog.onAgree=arg0"
    proc = privmon(
        "run",
        "--db",
        str(db),
        "--consent-signal",
        signal_arg,
        "--app-id",
        "com.example.demoapp",
        *spawn_args("agree"),
    )
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, out + err
    state, reason = query(db, "select state, reason from hook_status where method = 'onAgree'")[0]
    assert state == "failed"
    assert "has a boolean argument 0" in reason
    assert query(db, "select count(*) from consent_changes") == [(0,)]


def test_signal_index_too_large_rejected(tmp_path):
    signal_arg = "com.example.demoapp.PrivacyDialog.onAgree=arg99999999999999999999"
    proc = privmon("run", "--consent-signal", signal_arg, *spawn_args("agree"), cwd=tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, out + err
    assert "Invalid --consent-signal" in err
