"""Study: let go of a busy HotSpot app along each way of stopping, and count crashes and hangs.

Each trial starts BusyApp with threads calling TelephonyManager.getLine1Number (which
privmon hooks) without pause and waits until the JIT has compiled the calling loop. It then
attaches and loads an agent as an attach run does, and waits HOT_S while the threads run
through the hooks. When hooked calls are still arriving, it lets go in one of these ways:

- unload: the agent's stop(), then unload the script, which makes frida-java-bridge restore
  the original methods while other threads are running them, then detach;
- detach: the agent's stop(), then detach, which unloads the script the same way (privmon's
  attach-run path before it eternalized the script);
- release: agents/release-probe.ts, a bare replacement whose stop() restores the original
  while the script stays loaded; then wait DRAIN_S for calls in flight, then detach;
- privmon: monitor.session.leave_app_running, privmon's path for a run it does not kill.
  The agent's stop() makes every hook inert, the script is eternalized and privmon
  detaches. Nothing is restored, and the app keeps running the inert hooks until it exits.

A trial is "hung" when letting go has not returned within --timeout seconds. It is
"crashed" when within --observe seconds after letting go the JVM is gone, a zombie, or
wrote a fatal-error report, and "stalled" when it lives but used under STALL_CPU_S of CPU
in that window (the busy threads normally keep one core busy). An app still running
then gets "exit" on stdin and calls System.exit with its threads still busy: "exit hung"
when it has not ended EXIT_TIMEOUT_S later, "exit crashed" when it wrote a fatal-error
report. Paths alternate trial by trial.

    .venv/bin/python -m benchmarks.stop_while_busy [--trials 20] [--timeout 30]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import frida

from benchmarks.busy_app import busy_app_command
from benchmarks.frida_util import SpawnedApp, compile_agent
from monitor.agent import build_agent
from monitor.config import MonitorConfig
from monitor.session import leave_app_running

HOT_S = 2.0
DRAIN_S = 0.5
STALL_CPU_S = 0.2
EXIT_TIMEOUT_S = 10.0
START_TIMEOUT_S = 30.0
PATHS = ("unload", "detach", "release", "privmon")
# Tier 4 (C2) compilation of the busy loop, as -XX:+PrintCompilation prints it.
COMPILED_LOOP = "4       BusyApp::call"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

log = logging.getLogger(__name__)


def is_alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def cpu_seconds(pid: int) -> float:
    """Return the user plus system CPU time of `pid`, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def start_busy(threads: int, cwd: Path) -> tuple[frida.Device, int, list[str], object]:
    """Spawn BusyApp without an agent and return its device, pid, output and output handler."""
    device = frida.get_local_device()
    program = busy_app_command("busy", str(threads))
    # SafepointTimeout names the threads that keep a safepoint from starting, after 5 s.
    flags = ["-XX:+PrintCompilation", "-XX:+SafepointTimeout", "-XX:SafepointTimeoutDelay=5000"]
    argv = [program[0], *flags, *program[1:]]
    pid = device.spawn(argv, stdio="pipe", cwd=str(cwd))
    output: list[str] = []

    def on_output(out_pid: int, fd: int, data: bytes) -> None:
        if out_pid == pid and data:
            output.append(data.decode("utf-8", "replace"))

    device.on("output", on_output)
    device.resume(pid)
    return device, pid, output, on_output


def attach_agent(device: frida.Device, pid: int, code: str, config: dict) -> SpawnedApp:
    """Attach to the running app and start the agent, as an attach run does."""
    session = device.attach(pid)
    script = session.create_script(code)
    app = SpawnedApp(device, pid, session, script)

    def on_message(message: dict, data: object) -> None:
        payload = message.get("payload")
        if isinstance(payload, dict) and payload.get("type") == "agent:ready":
            app.ready.set()
        app.messages.append({"time": time.monotonic(), **message})

    script.on("message", on_message)
    script.load()
    script.exports_sync.init(config)
    return app


def let_go(app: SpawnedApp, path: str) -> float:
    """Let go of the app along `path`; return the seconds it took."""
    started = time.monotonic()
    if path == "privmon":
        leave_app_running(app.session, app.script)
        return time.monotonic() - started
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


def hooked_calls_arriving(app: SpawnedApp, path: str) -> bool:
    """Return whether the app was calling through the hooks in the last half second.

    privmon's agent shows it by recent messages, the release probe by its call count.
    """
    if path == "release":
        return app.script.exports_sync.calls() > 0
    recent = time.monotonic() - 0.5
    return any(m["time"] >= recent for m in app.messages if m.get("type") == "send")


def trial(code: str, config: dict, path: str, args: argparse.Namespace, cwd: Path) -> tuple:
    """Run one trial and return its outcome and the seconds that letting go took."""
    device, pid, output, on_output = start_busy(args.threads, cwd)
    try:
        text = lambda: "".join(output)  # noqa: E731
        if not wait_until(lambda: "busy" in text() and COMPILED_LOOP in text(), START_TIMEOUT_S):
            return "failed to start", 0.0
        app = attach_agent(device, pid, code, config)
        if not app.ready.wait(START_TIMEOUT_S):
            return "failed to start", 0.0
        time.sleep(HOT_S)
        if not hooked_calls_arriving(app, path):
            return "not busy", 0.0
        seconds = let_go_within(app, path, args.timeout)
        if seconds is None:
            if args.backtraces is not None:
                save_backtraces(pid, args.backtraces / f"hung-{path}-{pid}.txt")
                (args.backtraces / f"hung-{path}-{pid}.out").write_text(text()[-20000:])
            return "hung", args.timeout
        cpu_before = cpu_seconds(pid)
        time.sleep(args.observe)
        crashed = not is_alive(pid) or any(cwd.glob(f"hs_err_pid{pid}.log"))
        if crashed:
            return "crashed", seconds
        if cpu_seconds(pid) - cpu_before < STALL_CPU_S:
            return "stalled", seconds
        return exit_outcome(device, pid, cwd), seconds
    finally:
        device.off("output", on_output)
        try:
            device.kill(pid)
        except (frida.ProcessNotFoundError, frida.NotSupportedError):
            pass  # it has exited already (NotSupportedError when /proc/PID is gone mid-kill)


def save_backtraces(pid: int, target: Path) -> None:
    """Write every thread's native backtrace of the hung app to `target`, with gdb."""
    gdb = shutil.which("gdb")
    if gdb is None:
        log.warning("gdb not found: no backtraces for hung pid %d", pid)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [gdb, "-p", str(pid), "-batch", "-ex", "thread apply all bt 25"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        log.warning("gdb timed out on pid %d", pid)
        return
    target.write_text(result.stdout + result.stderr)
    print(f"  backtraces of the hung app: {target}", flush=True)


def exit_outcome(device: frida.Device, pid: int, cwd: Path) -> str:
    """Make the app call System.exit while its threads are busy and return how that ended."""
    device.input(pid, b"exit\n")
    if not wait_until(lambda: not is_alive(pid), EXIT_TIMEOUT_S):
        return "exit hung"
    if any(cwd.glob(f"hs_err_pid{pid}.log")):
        return "exit crashed"
    return "ok"


def summary(path: str, outcomes: Counter[str], times: list[float]) -> str:
    timed = times or [0.0]
    return (
        f"{path:<8} {outcomes['crashed']:>2} crashed, {outcomes['hung']:>2} hung,"
        f" {outcomes['stalled']:>2} stalled, {outcomes['exit hung']:>2} exit hung,"
        f" {outcomes['exit crashed']:>2} exit crashed, {outcomes['ok']:>2} ok of"
        f" {sum(outcomes.values())} trials ({outcomes['failed to start']} failed to start,"
        f" {outcomes['not busy']} not busy); let go in {statistics.median(timed):.2f} s"
        f" median, {max(timed):.2f} s max"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="trials per path")
    parser.add_argument("--threads", type=int, default=2, help="busy threads in the app")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before letting go counts as hung"
    )
    parser.add_argument(
        "--observe", type=float, default=3.0, help="seconds the app is watched after letting go"
    )
    parser.add_argument(
        "--backtraces",
        type=Path,
        help="folder for the gdb backtraces and output of an app whose letting go hung",
    )
    parser.add_argument(
        "--paths", default=",".join(PATHS), help=f"comma-separated subset of {','.join(PATHS)}"
    )
    args = parser.parse_args()
    paths = [p for p in args.paths.split(",") if p]
    unknown = set(paths) - set(PATHS)
    if unknown:
        parser.error(f"unknown path(s): {', '.join(sorted(unknown))}")
    logging.basicConfig(level=logging.WARNING)
    privmon = build_agent()
    codes = {"unload": privmon, "detach": privmon, "privmon": privmon}
    if "release" in paths:
        codes["release"] = compile_agent("release-probe")
    config = MonitorConfig(app_id="com.example.busy").agent_config()
    outcomes: dict[str, Counter[str]] = {path: Counter() for path in paths}
    times: dict[str, list[float]] = {path: [] for path in paths}
    for number in range(1, args.trials + 1):
        for path in paths:
            with tempfile.TemporaryDirectory() as tmp:
                outcome, seconds = trial(codes[path], config, path, args, Path(tmp))
            print(f"  trial {number} {path}: {outcome}, let go in {seconds:.2f} s", flush=True)
            outcomes[path][outcome] += 1
            if outcome not in ("failed to start", "not busy"):
                times[path].append(seconds)
    for path in paths:
        print(summary(path, outcomes[path], times[path]))


if __name__ == "__main__":
    main()
