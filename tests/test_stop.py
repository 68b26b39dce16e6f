"""How privmon stops a run: an app dying meanwhile, and an attached busy app left running."""

import shutil
import time
from pathlib import Path

import frida
import pytest

from benchmarks.busy_app import busy_app_command
from benchmarks.stop_while_busy import cpu_seconds, is_alive, wait_until
from monitor.agent import build_agent
from monitor.attribution import Attributor
from monitor.collector import Collector
from monitor.config import MonitorConfig
from monitor.session import CRASHED_WHILE_STOPPING, Session, Target
from monitor.store import Store
from tests.conftest import needs_java

ABORT_AGENT = (Path(__file__).parent / "agents" / "abort_on_stop.js").read_text()


def start_session(tmp_path, program, code, config, output):
    store = Store(tmp_path / "run.db")
    store.create_run({"id": "r", "mode": "spawn", "started_ms": 0, "status": "running"})
    collector = Collector(store, "r", Attributor([], []))
    collector.start()
    device = frida.get_local_device()
    session = Session(
        device,
        Target(mode="spawn", program=program),
        code,
        config,
        collector,
        on_output=lambda fd, data: output.append(data.decode("utf-8", "replace")),
    )
    session.start()
    return session, collector


@pytest.mark.frida
@pytest.mark.parametrize("kill", [False, True], ids=["left-running", "killed"])
def test_crash_during_stop_recorded(tmp_path, kill):
    sleep = shutil.which("sleep")
    assert sleep is not None
    session, collector = start_session(tmp_path, [sleep, "30"], ABORT_AGENT, {}, [])
    try:
        assert collector.ready.wait(10)
        session.stop(kill=kill)
    finally:
        collector.close()
    assert session.end_reason is not None
    assert session.end_reason.startswith(CRASHED_WHILE_STOPPING), session.end_reason


@pytest.mark.frida
@needs_java
def test_attach_stop_leaves_busy_app_running(tmp_path):
    output: list[str] = []
    config = MonitorConfig(app_id="com.example.busy").agent_config()
    program = busy_app_command("busy", "2")
    session, collector = start_session(tmp_path, program, build_agent(), config, output)
    pid = session.pid
    assert pid is not None
    try:
        assert collector.ready.wait(30)
        assert wait_until(lambda: "busy" in "".join(output), 30)
        time.sleep(1.0)  # both threads are now calling through the hooks
        session.stop(kill=False)
        assert session.end_reason == "stopped by privmon"
        cpu_before = cpu_seconds(pid)
        time.sleep(1.0)
        assert is_alive(pid)
        assert cpu_seconds(pid) - cpu_before > 0.2  # the busy threads still run
        session.device.input(pid, b"exit\n")
        assert wait_until(lambda: not is_alive(pid), 10)
    finally:
        collector.close()
        if is_alive(pid):
            try:
                session.device.kill(pid)
            except (frida.ProcessNotFoundError, frida.NotSupportedError):
                pass  # it exited meanwhile
    assert not list(tmp_path.glob(f"hs_err_pid{pid}.log"))
