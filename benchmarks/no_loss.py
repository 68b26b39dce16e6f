"""No event lost: N hooked calls in a JVM end up as N stored events or bucket counts.

Runs `privmon run` on BusyApp, which calls the hooked TelephonyManager.getLine1Number N
times on one thread and exits; privmon sends the first calls of each second as events and
counts the rest per time bucket (flood counting).

    .venv/bin/python -m benchmarks.no_loss [--calls 100000]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.busy_app import busy_app_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    args = parser.parse_args()
    program, *app_args = busy_app_command("burst", str(args.calls))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "run.db"
        started = time.perf_counter()
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "monitor",
                "run",
                "--db",
                str(db),
                "--app-id",
                "com.example.busy",
                "-f",
                program,
                "--",
                *app_args,
            ],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        elapsed = time.perf_counter() - started
        with sqlite3.connect(db) as conn:
            events = conn.execute(
                "SELECT count(*) FROM events WHERE api_method = 'getLine1Number'"
            ).fetchone()[0]
            buckets, counted = conn.execute(
                "SELECT count(*), coalesce(sum(count), 0) FROM buckets"
            ).fetchone()
            rejected = conn.execute(
                "SELECT coalesce(sum(count), 0) FROM rejected_messages"
            ).fetchone()[0]
    stored = events + counted
    print(
        f"calls made:      {args.calls:>10,}   (app printed {run.stdout.count('done')} done line)"
    )
    print(f"events stored:   {events:>10,}")
    print(f"bucket counts:   {counted:>10,}   in {buckets:,} bucket rows")
    print(f"rejected:        {rejected:>10,}")
    print(f"stored / calls:  {stored / args.calls:>10.4f}   ({elapsed:.1f} s for the whole run)")
    if stored != args.calls:
        raise SystemExit(f"lost {args.calls - stored} calls")


if __name__ == "__main__":
    main()
