"""App-side cost of one hooked call on HotSpot: bare replacement, per-call send(), privmon.

BusyApp calls TelephonyManager.getLine1Number (the demo's stand-in) in a loop and times
it with System.nanoTime. Each agent runs in a fresh JVM spawned under Frida:

- none: no agent, the method itself;
- bare: a replacement that only calls the original;
- per-call send: a replacement that sends one message per call with the stack as text
  (Throwable.getStackTrace), as common Frida monitors do;
- privmon: the full agent (classification, nesting guard, JVMTI stack id, batching, and
  flood counting past its calls-per-second limit).

Two loops, each after 5,000 warm-up calls: "recorded calls" times rounds of 400 calls, each
round starting on a new second, so they stay below privmon's flood limit (500 calls of a
hook per second) and privmon sends every call as an event with its stack; "hot loop" times
200,000 calls, of which privmon counts all but the first 500 of each second per bucket.

    .venv/bin/python -m benchmarks.hook_cost [--repeat 3]
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics

from benchmarks.busy_app import busy_app_command
from benchmarks.frida_util import compile_agent, spawn_with_agent
from monitor.agent import build_agent
from monitor.config import MonitorConfig

LOOPS = {"recorded calls": ("5000", "400", "5"), "hot loop": ("5000", "200000", "1")}
TIMEOUT_S = 300


def time_one(code: str | None, config: dict, warmup: str, calls: str, rounds: str) -> float:
    """Return the median ns per call over the rounds measured inside one spawned JVM."""
    argv = busy_app_command("time", warmup, calls, rounds)
    if code is None:
        import subprocess

        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    else:
        app = spawn_with_agent(argv, code, config)
        if not app.detached.wait(TIMEOUT_S):
            raise SystemExit(f"the app did not finish within {TIMEOUT_S} s")
        out = app.text()
    values = [float(v) for v in re.findall(r"ns_per_call (\d+)", out)]
    if len(values) != int(rounds):
        raise SystemExit(f"expected {rounds} timings in the app's output: {out!r}")
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="JVMs per agent and loop")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    config = MonitorConfig(app_id="com.example.busy").agent_config()
    agents = {
        "none": None,
        "bare": compile_agent("bare"),
        "per-call send": compile_agent("per-call-send"),
        "privmon": build_agent(),
    }
    for loop, (warmup, calls, rounds) in LOOPS.items():
        medians = {}
        spans = {}
        for name, code in agents.items():
            runs = [time_one(code, config, warmup, calls, rounds) for _ in range(args.repeat)]
            medians[name] = statistics.median(runs)
            spans[name] = f"[{min(runs):,.0f} .. {max(runs):,.0f}]"
        bare, send, privmon = medians["bare"], medians["per-call send"], medians["privmon"]
        print(f"{loop} ({calls} calls, {warmup} warm-up), median and range of {args.repeat} JVMs:")
        for name, value in medians.items():
            print(f"  {name:<14} {value:>10,.0f} ns/call  {spans[name]}")
        print(
            f"  privmon / bare: {privmon / bare:.2f}x   per-call send / privmon: "
            f"{send / privmon:.2f}x"
        )


if __name__ == "__main__":
    main()
