"""Scale: rules and every report format over 100k to 1M stored events.

Each size runs in its own Python process: it inserts synthetic events straight into a fresh
database (not timed), times building the indexes that the collector leaves for the end of a
run, then times finish_run (consent re-tagging, rules, findings) and building and writing
every report format (terminal, JSON, HTML, JUnit XML, xlsx, CSV). Peak RSS is measured
from the end of the fill (Linux: /proc/self/clear_refs resets the high-water mark).

    .venv/bin/python -m benchmarks.scale [--sizes 100000,250000,500000,1000000]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from benchmarks.synthetic import APP_CLASS, HOOKS, SDK_CLASS
from monitor.config import MonitorConfig
from monitor.reports.files import write_report_files
from monitor.reports.html import write_html
from monitor.reports.json_report import write_json
from monitor.reports.model import build_report
from monitor.reports.terminal import print_summary
from monitor.rules import Severity
from monitor.runner import finish_run
from monitor.store import Store

RUN = "scale"
PID = 4242
ORIGINS = [
    ("com.example.demoapp", "app", APP_CLASS + ".onCreate", 1),
    ("com.tracklytics", "sdk", SDK_CLASS + ".collect", 2),
]


def fill(store: Store, total: int) -> None:
    """Insert a run with `total` events spread over 10 minutes, consent after 1 minute."""
    start = int(time.time() * 1000) - 600_000
    store.create_run(
        {
            "id": RUN,
            "target": "scale",
            "mode": "spawn",
            "started_ms": start,
            "ended_ms": start + 600_000,
            "end_reason": "app exited",
            "status": "running",
            "config": "{}",
        }
    )
    store.upsert_process(
        {
            "run_id": RUN,
            "pid": PID,
            "name": "scale",
            "process_start_ms": start,
            "hooks_ready_ms": start + 10,
        }
    )
    store.add_hook_status(
        {
            "run_id": RUN,
            "pid": PID,
            "hook_id": i,
            "category": c,
            "class": k,
            "method": m,
            "state": "installed",
            "overloads": "[]",
            "reason": None,
        }
        for i, (c, k, m, _, _) in enumerate(HOOKS)
    )
    for origin in ORIGINS:
        store.add_stack(RUN, PID, origin[3], [origin[2], "java.lang.Thread.run"])
    store.add_consent_change(
        {
            "run_id": RUN,
            "time_ms": start + 60_000,
            "state": "granted",
            "source": "scale",
            "pid": None,
            "seq": None,
        }
    )
    rng = random.Random(1)
    rows = []
    for seq in range(1, total + 1):
        category, klass, method, data_type, value = HOOKS[rng.randrange(len(HOOKS))]
        origin, kind, frame, stack_id = ORIGINS[seq % 2]
        time_ms = start + seq * 600_000 // total
        rows.append(
            (
                RUN,
                seq,
                time_ms,
                PID,
                "scale",
                1,
                "main",
                category,
                data_type,
                klass,
                method,
                f"{method}()",
                "",
                "returned",
                value,
                stack_id,
                origin,
                kind,
                frame,
                # As the collector tags calls: no decision yet, then the agreement.
                "unknown" if time_ms <= start + 60_000 else "granted",
            )
        )
        if len(rows) == 50_000:
            store.add_events(rows)
            rows = []
    store.add_events(rows)


def measure(total: int) -> dict[str, float]:
    """Fill a database with `total` events, then time rules and reports in this process."""
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store(folder / "scale.db")
        fill(store, total)
        config = MonitorConfig(app_id="com.example.demoapp")
        _reset_peak_rss()
        started = time.perf_counter()
        store.ensure_indexes()
        indexed = time.perf_counter()
        result = finish_run(store, RUN, config)
        rules_done = time.perf_counter()
        report = build_report(store, RUN, config, result.verdict, result.data)
        write_json(report, folder / "r.json")
        write_html(report, folder / "r.html")
        files = {kind: folder / f"r.{kind}" for kind in ("junit", "xlsx", "csv")}
        write_report_files(report, files, Severity.LOW)
        print_summary(report, Console(file=io.StringIO(), width=120))
        done = time.perf_counter()
    return {
        "events": total,
        "index_s": indexed - started,
        "rules_s": rules_done - indexed,
        "reports_s": done - rules_done,
        "total_s": done - indexed,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _reset_peak_rss() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,250000,500000,1000000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results = []
    for size in map(int, args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.scale", "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    base = results[0]
    print(
        f"{'events':>10} {'indexes s':>10} {'rules s':>8} {'reports s':>10} "
        f"{'rules+reports s':>16} {'peak RSS MB':>12} {'time / first':>13}"
    )
    for r in results:
        print(
            f"{r['events']:>10,} {r['index_s']:>10.2f} {r['rules_s']:>8.2f} "
            f"{r['reports_s']:>10.2f} {r['total_s']:>16.2f} {r['peak_rss_mb']:>12.0f} "
            f"{r['total_s'] / base['total_s']:>12.1f}x"
        )


if __name__ == "__main__":
    main()
