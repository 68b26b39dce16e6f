"""App-side cost of one hooked call, with privmon and two baseline hooks in the same JVM.

benchmarks/hook_cost.py gives each agent its own JVM, and the speed of hooked calls varies
from JVM to JVM, so its ratios swing from run to run. Here one JVM runs all three hooks
side by side. SameJvmTiming (benchmarks/java) calls four methods with the shape
of the demo's TelephonyManager.getLine1Number stand-in (public `()` calling hidden `(int)`):

- privmon: the stand-in itself, hooked by privmon's full agent;
- bare: bench.BareTarget, whose overloads are replaced by ones that count the call and call
  the original;
- send: bench.SendTarget, whose overloads each send one message per call with the stack as
  text (Throwable.getStackTrace), as common Frida monitors do. A call of the public overload
  runs both replacements, so it sends two messages, as in hook_cost.py;
- none: bench.PlainTarget, not hooked.

privmon and the second agent (benchmarks/agents/same-jvm-baselines.ts) run as two scripts
in one Frida session. After the warm-up calls, each round times a block of calls of every
method, in an order that rotates by one place per round. Each block starts on a new
wall-clock second, so privmon's calls stay below its flood limit and it sends every timed
call as an event with its stack. The host checks from the agents' messages that each hook
ran for every call before it prints a figure.

    .venv/bin/python -m benchmarks.hook_cost_same_jvm [--jvms 3]
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import frida

from benchmarks.busy_app import study_command
from benchmarks.frida_util import compile_agent
from monitor.agent import build_agent
from monitor.config import MonitorConfig

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("java") / "SameJvmTiming.java"
MAIN_CLASS = "bench.SameJvmTiming"
METHODS = ("privmon", "bare", "send", "none")
PRIVMON_CLASS = "android.telephony.TelephonyManager"
PRIVMON_METHOD = "getLine1Number"
# Both the public overload and the hidden (int) one it calls are hooked by the baselines.
OVERLOADS_PER_CALL = 2
TIMEOUT_S = 300
EXIT_INSTRUMENTATION = 3


class MeasurementError(RuntimeError):
    """Raised when a JVM's output or the agents' messages do not show every call hooked."""


def timing_command(warmup: int, rounds: int, calls: int) -> list[str]:
    """Return the java argv that runs SameJvmTiming, compiling it when it changed."""
    return study_command(
        SOURCE, "same-jvm-timing", MAIN_CLASS, str(warmup), str(rounds), str(calls)
    )


@dataclass
class TwoAgentApp:
    """A JVM spawned under Frida with privmon and the baselines agent in one session."""

    device: frida.Device
    pid: int
    # Kept referenced: in a run where nothing referenced the Session, "detached" did not
    # fire (frida 17.26.2), and the run waited for TIMEOUT_S.
    session: frida.Session
    scripts: list[frida.Script] = field(default_factory=list)
    output: list[str] = field(default_factory=list)
    privmon_messages: list[dict] = field(default_factory=list)
    baseline_messages: list[dict] = field(default_factory=list)
    # The send hook's per-call messages are only counted: there are tens of thousands.
    send_hook_messages: int = 0
    detached: threading.Event = field(default_factory=threading.Event)
    detach_reason: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.output)

    def on_baseline_message(self, message: dict, data: object) -> None:
        payload = message.get("payload")
        if isinstance(payload, dict) and payload.get("type") == "call":
            self.send_hook_messages += 1
        else:
            self.baseline_messages.append(message)


def spawn_with_two_agents(
    argv: list[str], privmon_code: str, config: dict, baselines_code: str
) -> TwoAgentApp:
    """Spawn argv suspended, load privmon and then the baselines agent, init both, resume."""
    device = frida.get_local_device()
    pid = device.spawn(argv, stdio="pipe")
    session = device.attach(pid)
    app = TwoAgentApp(device, pid, session)

    def on_output(out_pid: int, fd: int, data: bytes) -> None:
        if out_pid == pid and data:
            app.output.append(data.decode("utf-8", "replace"))

    def on_detached(reason: str, crash: object) -> None:
        app.detach_reason.append(f"{reason} {crash or ''}".strip())
        app.detached.set()

    device.on("output", on_output)
    session.on("detached", on_detached)
    privmon = session.create_script(privmon_code)
    privmon.on("message", lambda message, data: app.privmon_messages.append(message))
    app.scripts.append(privmon)
    privmon.load()
    privmon.exports_sync.init(config)
    baselines = session.create_script(baselines_code)
    baselines.on("message", app.on_baseline_message)
    app.scripts.append(baselines)
    baselines.load()
    baselines.exports_sync.init()
    device.resume(pid)
    return app


@dataclass
class JvmResult:
    """Median ns per call of each method in one JVM, and the counts that show the hooks ran."""

    medians: dict[str, float]
    privmon_events: int
    privmon_counted: int
    bare_runs: int
    send_messages: int

    @property
    def privmon_over_bare(self) -> float:
        return self.medians["privmon"] / self.medians["bare"]

    @property
    def send_over_privmon(self) -> float:
        return self.medians["send"] / self.medians["privmon"]


def parse_rounds(out: str, rounds: int) -> dict[str, float]:
    """Return the median over the rounds of each method's ns/call, from the app's output."""
    found: dict[tuple[int, str], int] = {}
    for match in re.finditer(r"^round (\d+) (\w+) (\d+)$", out, re.MULTILINE):
        found[(int(match[1]), match[2])] = int(match[3])
    medians = {}
    for name in METHODS:
        values = []
        for round_index in range(rounds):
            if (round_index, name) not in found:
                raise MeasurementError(
                    f"line 'round {round_index} {name} NS' missing in the app's output: {out!r}"
                )
            values.append(found[(round_index, name)])
        medians[name] = statistics.median(values)
    return medians


def payloads(messages: list[dict], kind: str) -> list[dict]:
    return [
        m["payload"]
        for m in messages
        if isinstance(m.get("payload"), dict) and m["payload"].get("type") == kind
    ]


def check_no_errors(app: TwoAgentApp) -> None:
    for agent, messages in (
        ("privmon", app.privmon_messages),
        ("baselines", app.baseline_messages),
    ):
        for message in messages:
            payload = message.get("payload")
            if message.get("type") == "error" or (
                isinstance(payload, dict) and payload.get("type") == "agent:error"
            ):
                raise MeasurementError(f"the {agent} agent reported an error: {message}")


def privmon_hook_id(messages: list[dict]) -> int:
    """Return privmon's hook id for the stand-in's getLine1Number, checking it is installed."""
    for status in reversed(payloads(messages, "hooks:status")):
        for item in status["items"]:
            if item["className"] == PRIVMON_CLASS and item["method"] == PRIVMON_METHOD:
                if item["state"] != "installed":
                    raise MeasurementError(
                        f"privmon's {PRIVMON_METHOD} hook is not installed: {item}"
                    )
                return int(item["hookId"])
    raise MeasurementError(f"privmon sent no hooks:status item for {PRIVMON_METHOD}")


def privmon_counts(messages: list[dict]) -> tuple[int, int]:
    """Return (events sent, calls counted in buckets) of privmon's getLine1Number hook."""
    hook_id = privmon_hook_id(messages)
    events = sum(
        1
        for batch in payloads(messages, "events:add")
        for event in batch["events"]
        if event[4] == hook_id
    )
    counted = sum(
        bucket[6]
        for batch in payloads(messages, "buckets:add")
        for bucket in batch["buckets"]
        if bucket[0] == hook_id
    )
    return events, counted


def check_hooks_ran(
    app: TwoAgentApp, medians: dict[str, float], calls_per_method: int, timed_calls: int
) -> JvmResult:
    """Check that every call of each hooked method went through its hook; add the counts."""
    check_no_errors(app)
    events, counted = check_privmon_ran(app, calls_per_method, timed_calls)
    bare_runs = check_baselines_ran(app, calls_per_method)
    return JvmResult(medians, events, counted, bare_runs, app.send_hook_messages)


def check_privmon_ran(app: TwoAgentApp, calls_per_method: int, timed_calls: int) -> tuple[int, int]:
    """Return privmon's (events sent, calls counted) after checking they cover every call."""
    events, counted = privmon_counts(app.privmon_messages)
    if events + counted != calls_per_method:
        raise MeasurementError(
            f"privmon sent {events} events and counted {counted} calls of {PRIVMON_METHOD}, "
            f"expected {calls_per_method} in all"
        )
    # NOTE: a check by count only. Each timed block is alone in its second, so only warm-up
    # calls should pass the flood limit, but events are not matched to blocks by time.
    if events < timed_calls:
        raise MeasurementError(
            f"privmon sent {events} events, fewer than the {timed_calls} timed calls: "
            "some timed calls were only counted, past the flood limit"
        )
    return events, counted


def check_baselines_ran(app: TwoAgentApp, calls_per_method: int) -> int:
    """Return how often the bare hook ran after checking both baseline hooks saw every call."""
    reports = payloads(app.baseline_messages, "baselines:calls")
    if len(reports) != 1:
        raise MeasurementError(f"expected one baselines:calls message, got {len(reports)}")
    expected_runs = calls_per_method * OVERLOADS_PER_CALL
    bare_runs, send_runs = reports[0]["bare"], reports[0]["send"]
    if bare_runs != expected_runs or send_runs != expected_runs:
        raise MeasurementError(
            f"the baseline hooks ran {bare_runs} (bare) and {send_runs} (send) times, "
            f"expected {expected_runs} each"
        )
    if app.send_hook_messages != expected_runs:
        raise MeasurementError(
            f"the send hook sent {app.send_hook_messages} messages, expected {expected_runs}"
        )
    return bare_runs


def run_jvm(
    argv: list[str], codes: tuple[str, str], config: dict, args: argparse.Namespace
) -> JvmResult:
    """Run SameJvmTiming once under both agents and return its medians and hook counts."""
    app = spawn_with_two_agents(argv, codes[0], config, codes[1])
    if not app.detached.wait(TIMEOUT_S):
        try:
            app.device.kill(app.pid)
        except frida.ProcessNotFoundError:
            log.warning("the app (pid %d) had already exited", app.pid)
        raise MeasurementError(f"the app did not finish within {TIMEOUT_S} s")
    out = app.text()
    if not payloads(app.privmon_messages, "agent:exit"):
        raise MeasurementError(f"the app ended without System.exit ({app.detach_reason}): {out!r}")
    medians = parse_rounds(out, args.rounds)
    return check_hooks_ran(
        app, medians, args.warmup + args.rounds * args.calls, args.rounds * args.calls
    )


def print_jvm(index: int, result: JvmResult, args: argparse.Namespace) -> None:
    print(f"JVM {index}: median ns/call over {args.rounds} rounds of {args.calls} calls")
    for name in METHODS:
        print(f"  {name:<8} {result.medians[name]:>10,.0f}")
    print(
        f"  privmon / bare: {result.privmon_over_bare:.2f}x   "
        f"send / privmon: {result.send_over_privmon:.2f}x"
    )
    print(
        f"  hooks ran: privmon sent {result.privmon_events:,} events and counted "
        f"{result.privmon_counted:,} calls; bare ran {result.bare_runs:,} times; send sent "
        f"{result.send_messages:,} messages ({OVERLOADS_PER_CALL} overloads per call)"
    )


def summarise(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}x [{min(values):.2f} .. {max(values):.2f}]"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jvms", type=int, default=3, help="fresh JVMs to run, one after another")
    parser.add_argument("--warmup", type=int, default=5000, help="warm-up calls of each method")
    parser.add_argument("--rounds", type=int, default=6, help="timed rounds in each JVM")
    parser.add_argument("--calls", type=int, default=400, help="timed calls per method and round")
    args = parser.parse_args()
    limit = MonitorConfig(app_id="com.example.busy").flood.calls_per_s
    if args.jvms < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--jvms and --rounds must be 1 or more, --warmup 0 or more")
    if not 1 <= args.calls <= limit:
        parser.error(f"--calls must be 1 to {limit}, privmon's flood limit per second")
    return args


def main() -> None:
    args = parse_args()
    logging.basicConfig(level=logging.WARNING)
    config = MonitorConfig(app_id="com.example.busy").agent_config()
    codes = (build_agent(), compile_agent("same-jvm-baselines"))
    argv = timing_command(args.warmup, args.rounds, args.calls)
    results = []
    for index in range(1, args.jvms + 1):
        try:
            results.append(run_jvm(argv, codes, config, args))
        except MeasurementError as e:
            log.error("JVM %d: %s", index, e)
            sys.exit(EXIT_INSTRUMENTATION)
        print_jvm(index, results[-1], args)
    print(f"over {args.jvms} JVMs, median [range]:")
    print(f"  privmon / bare: {summarise([r.privmon_over_bare for r in results])}")
    print(f"  send / privmon: {summarise([r.send_over_privmon for r in results])}")


if __name__ == "__main__":
    main()
