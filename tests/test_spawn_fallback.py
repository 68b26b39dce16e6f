"""Spawn timeouts: one retry, then attach when allowed (real Frida, injected timeouts)."""

import subprocess

import frida
import pytest

from monitor.config import MonitorConfig
from monitor.demo.build import build_demo
from monitor.runner import RunOptions, monitor_run
from monitor.session import Target
from monitor.store import Store
from tests.conftest import needs_java

pytestmark = [pytest.mark.frida, needs_java]

CONFIG = MonitorConfig(app_id="com.example.demoapp")


class TimingOutDevice:
    """The local Frida device, except that the first `failures` spawns time out."""

    def __init__(self, failures, running_pid=None):
        self.real = frida.get_local_device()
        self.failures = failures
        self.spawn_calls = 0
        self.running_pid = running_pid

    def spawn(self, *args, **kwargs):
        self.spawn_calls += 1
        if self.spawn_calls <= self.failures:
            raise frida.TimedOutError("unexpectedly timed out while waiting for the app")
        return self.real.spawn(*args, **kwargs)

    def get_process(self, name):
        return self.real.enumerate_processes(pids=[self.running_pid])[0]

    def __getattr__(self, name):
        return getattr(self.real, name)


def demo_program(consent):
    return build_demo().java_command(
        ["--interval-ms", "20", "--consent", consent, "--consent-delay-ms", "100"]
    )


def run(device, tmp_path, program, driver=None, **options):
    store = Store(tmp_path / "run.db")
    result = monitor_run(
        device,
        Target(mode="spawn", program=program),
        CONFIG,
        store,
        RunOptions(ready_timeout_s=20, **options),
        driver=driver,
    )
    return store, result


def test_spawn_retried_once(tmp_path):
    device = TimingOutDevice(failures=1)
    store, result = run(device, tmp_path, demo_program("agree"))
    assert device.spawn_calls == 2
    assert store.run(result.run_id)["mode"] == "spawn"
    assert result.verdict.exit_code == 1


def test_two_timeouts_fail_without_fallback(tmp_path):
    device = TimingOutDevice(failures=2)
    store, result = run(device, tmp_path, demo_program("agree"))
    assert result.verdict.status == "failed"
    assert "--attach-fallback" in store.run(result.run_id)["end_reason"]


def test_fallback_attaches_with_partial_coverage(tmp_path):
    app = subprocess.Popen(
        demo_program("wait"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert "privmon demo app" in app.stdout.readline()
        device = TimingOutDevice(failures=2, running_pid=app.pid)

        def agree(session, collector):
            assert collector.ready.wait(20)
            app.stdin.write("tap-id com.example.demoapp:id/agree\n")
            app.stdin.flush()

        store, result = run(
            device, tmp_path, demo_program("wait"), driver=agree, attach_fallback=True
        )
    finally:
        app.kill()
    row = store.run(result.run_id)
    assert row["mode"] == "attach"
    assert "attached after spawn timed out" in row["target"]
    assert result.verdict.exit_code == 3
    assert any(f.rule == "coverage" and "attached" in f.title for f in result.findings)
