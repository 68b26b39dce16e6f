"""Host-side throughput: agent messages to committed SQLite rows, against a naive baseline.

Feeds a real Collector with realistic `events:add` batches as fast as it accepts them,
then compares with one message per event and one INSERT and commit per message, the
shape of a monitor that stores each `send()` as it arrives.

    /tmp/venv/bin/python -m benchmarks.collector_throughput [--events N] [--baseline N]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import event_batches, hello
from monitor.attribution import Attributor
from monitor.collector import Collector
from monitor.events import AGENT_MESSAGE
from monitor.store import EVENT_COLUMNS, Store

PID = 4242


def collector_rate(folder: Path, total: int, batch_size: int, redact: bool) -> float:
    """Return events per second through Collector.submit until all rows are committed."""
    store = Store(folder / f"collector-{redact}.db")
    store.create_run({"id": "bench", "started_ms": 0, "status": "running"})
    collector = Collector(store, "bench", Attributor(["com.example.demoapp"], []), redact=redact)
    collector.start()
    for message in hello(PID):
        collector.submit(PID, {"type": "send", "payload": message})
    batches = [{"type": "send", "payload": m} for m in event_batches(total, batch_size)]
    started = time.perf_counter()
    for message in batches:
        collector.submit(PID, message)
    collector.close(timeout=600)
    elapsed = time.perf_counter() - started
    stored = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
    store.close()
    if stored != total or collector.invalid_messages:
        raise SystemExit(f"stored {stored} of {total} events, {collector.invalid_messages} invalid")
    return total / elapsed


def baseline_rate(folder: Path, total: int) -> float:
    """Return events per second with one message, one validation and one commit per event."""
    store = Store(folder / "baseline.db")
    sql = f"INSERT INTO events ({','.join(EVENT_COLUMNS)}) VALUES ({','.join('?' * 20)})"
    single = [
        {"type": "events:add", "events": batch["events"]} for batch in event_batches(total, 1)
    ]
    started = time.perf_counter()
    for message in single:
        parsed = AGENT_MESSAGE.validate_python(message)
        event = parsed.events[0]
        row = (
            "bench",
            event[0],
            event[1],
            PID,
            "bench",
            event[2],
            event[3],
            event[6].value,
            event[7],
            "C",
            "m",
            "m()",
            event[8],
            event[9].value,
            event[10],
            event[11],
            "app",
            "app",
            "",
            "unknown",
        )
        with store.db.conn:
            store.db.conn.execute(sql, row)
    elapsed = time.perf_counter() - started
    store.close()
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--baseline", type=int, default=20_000, help="events for the baseline")
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = baseline_rate(folder, args.baseline)
        redacted = collector_rate(folder, args.events, args.batch_size, redact=True)
        clear = collector_rate(folder, args.events, args.batch_size, redact=False)
    print(f"baseline, one message and commit per event: {base:>10,.0f} events/s")
    print(
        f"collector, redaction on:                    {redacted:>10,.0f} events/s "
        f"({redacted / base:.1f}x baseline)"
    )
    print(
        f"collector, redaction off (--no-redact):     {clear:>10,.0f} events/s "
        f"({clear / base:.1f}x baseline)"
    )


if __name__ == "__main__":
    main()
