"""Study: let go of a busy HotSpot app by unloading the agent, or by privmon's stop path.

Each trial spawns BusyApp with threads calling the hooked TelephonyManager.getLine1Number
without pause, loads privmon's agent, waits until the hooked method is hot (JIT-compiled),
then lets go in one of two ways:

- unload: stop recording, then unload the script, which makes frida-java-bridge restore
  the original method while other threads are running it;
- detach: what Session.stop does for a run it does not kill (attach mode): stop recording
  through the agent's stop() RPC, then detach. Detaching unloads the script too, so the
  originals are restored by frida-java-bridge's teardown while threads are in the hooks;
- release: restore the originals while the script is still loaded (Recorder.release in
  the agent), wait DRAIN_S for calls in flight to return, then detach. Until the agent's
  stop() RPC calls Recorder.release, this path runs agents/release-probe.ts, a bare
  replacement of the same method with the same release step.

A trial counts as hung when letting go has not returned after LET_GO_TIMEOUT_S, and as a
crash when the JVM is gone, a zombie, or wrote a fatal-error report
within the observation window after letting go. Paths alternate trial by trial.

    /tmp/venv/bin/python -m benchmarks.stop_while_busy [--trials 20] [--threads 2]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import frida

from benchmarks.busy_app import busy_app_command
from benchmarks.frida_util import SpawnedApp, compile_agent, spawn_with_agent
from monitor.agent import build_agent
from monitor.config import MonitorConfig

HOT_S = 2.0
OBSERVE_S = 3.0
DRAIN_S = 0.5
LET_GO_TIMEOUT_S = 120.0
PATHS = ("unload", "detach", "release")


def is_alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def let_go(app: SpawnedApp, path: str) -> float:
    """Let go of the app along `path`; return the seconds it took."""
    started = time.monotonic()
    app.script.exports_sync.stop()
    if path == "unload":
        app.script.unload()
    if path == "release":
        time.sleep(DRAIN_S)
    app.session.detach()
    return time.monotonic() - started


def let_go_within(app: SpawnedApp, path: str, timeout: float) -> float | None:
    """Run let_go on a helper thread; None when it has not returned within `timeout`."""
    result: list[float] = []
    helper = threading.Thread(target=lambda: result.append(let_go(app, path)), daemon=True)
    helper.start()
    helper.join(timeout)
    return result[0] if result else None


def trial(code: str, config: dict, path: str, threads: int, cwd: Path) -> tuple[str, float]:
    """Run one trial; return "ok", "crashed", "hung" or "failed to start", and the time."""
    app = spawn_with_agent(busy_app_command("busy", str(threads)), code, config, cwd=cwd)
    try:
        deadline = time.monotonic() + 30
        while "busy" not in app.text() and time.monotonic() < deadline:
            time.sleep(0.05)
        if "busy" not in app.text():
            return "failed to start", 0.0
        time.sleep(HOT_S)
        seconds = let_go_within(app, path, LET_GO_TIMEOUT_S)
        if seconds is None:
            return "hung", LET_GO_TIMEOUT_S
        time.sleep(OBSERVE_S)
        crashed = not is_alive(app.pid) or any(cwd.glob(f"hs_err_pid{app.pid}.log"))
        return ("crashed" if crashed else "ok"), seconds
    finally:
        try:
            app.device.kill(app.pid)
        except frida.ProcessNotFoundError:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="trials per path")
    parser.add_argument("--threads", type=int, default=2, help="busy threads in the app")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    privmon = build_agent()
    config = MonitorConfig(app_id="com.example.busy").agent_config()
    codes = {"unload": privmon, "detach": privmon, "release": compile_agent("release-probe")}
    results: dict[str, Counter[str]] = {path: Counter() for path in PATHS}
    times: dict[str, list[float]] = {path: [] for path in PATHS}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.trials):
            for path in PATHS:
                outcome, seconds = trial(codes[path], config, path, args.threads, Path(tmp))
                print(f"  {path}: {outcome}, let go in {seconds:.2f} s", flush=True)
                results[path][outcome] += 1
                times[path].append(seconds)
    for path in PATHS:
        counts = results[path]
        print(
            f"{path:<8} {counts['crashed']:>3} crashed, {counts['hung']} hung of"
            f" {sum(counts.values())} trials ({counts['failed to start']} failed to start),"
            f" let go in {statistics.median(times[path]):.2f} s median,"
            f" {max(times[path]):.2f} s max"
        )


if __name__ == "__main__":
    main()
