"""Routing of spawned processes under spawn gating: the app's processes get the agent."""

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from monitor.children import ChildInstrumenter, is_app_process
from monitor.demo.build import build_demo
from tests.conftest import needs_java


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("com.example.app", True),
        ("com.example.app:push", True),
        ("com.example.apps", False),
        ("com.example", False),
        ("other:com.example.app", False),
    ],
)
def test_app_process_names(identifier, expected):
    assert is_app_process(identifier, "com.example.app") is expected


class RecordingDevice:
    """A stand-in for frida.Device that records attach and resume calls."""

    def __init__(self):
        self.attached = []
        self.resumed = []
        self.done = threading.Event()

    def attach(self, pid):
        self.attached.append(pid)
        return f"session-{pid}"

    def resume(self, pid):
        self.resumed.append(pid)
        self.done.set()


class Spawn:
    def __init__(self, pid, identifier):
        self.pid = pid
        self.identifier = identifier


def route(identifier):
    device = RecordingDevice()
    loaded = []
    children = ChildInstrumenter(
        device,
        lambda session, pid: loaded.append((session, pid)) or "script",
        None,
        "com.example.app",
    )
    children._on_spawn(Spawn(42, identifier))
    assert device.done.wait(5)
    return device, loaded, children


def test_app_spawn_gets_agent_then_resumes():
    device, loaded, children = route("com.example.app:push")
    assert device.attached == [42]
    assert loaded == [("session-42", 42)]
    assert device.resumed == [42]
    assert children.scripts == ["script"]


def test_other_spawn_resumed_untouched():
    device, loaded, _ = route("com.android.systemui")
    assert device.attached == []
    assert loaded == []
    assert device.resumed == [42]


APPS = Path(__file__).parent / "apps"


@pytest.mark.frida
@needs_java
def test_local_child_listed_as_unmonitored(tmp_path):
    build = build_demo()
    classes = tmp_path / "classes"
    sources = [str(p) for p in APPS.rglob("*.java")]
    subprocess.run(["javac", "-d", str(classes), *sources], check=True)
    db = tmp_path / "run.db"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor",
            "run",
            "--db",
            str(db),
            "--app-id",
            "com.example.childapp",
            "-f",
            str(build.java),
            "--",
            "-cp",
            str(classes),
            "com.example.childapp.Parent",
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "unmonitored process" in proc.stdout
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select pid, hooks_ready_ms from processes").fetchall()
        listed = conn.execute("select pid, ppid from uninstrumented_processes").fetchall()
    ready = [pid for pid, ready_ms in rows if ready_ms is not None]
    unmonitored = [pid for pid, ready_ms in rows if ready_ms is None]
    assert len(ready) == 1
    assert len(unmonitored) == 1
    assert listed == [(unmonitored[0], ready[0])]
