"""Host-side throughput: agent messages to committed SQLite rows, against a naive baseline.

Feeds a real Collector with realistic `events:add` batches as fast as it accepts them,
then compares with one message per event and one INSERT and commit per message, the
shape of a monitor that stores each `send()` as it arrives. The baseline writes to the
`events` table as the first schema version created it (composite primary key and two
secondary indexes, maintained on every insert), and once more through Store.add_events
into the current narrow, index-free tables, so the gain from the schema and the gain from
the collector show apart.
The time Store.ensure_indexes takes after the run is printed on its own line because it
is paid once when a run ends, not per event. The third collector line makes every returned
value distinct, the worst case for the redaction caches; the last one writes to SQLite on
the collector's thread, without the writer process.

    .venv/bin/python -m benchmarks.collector_throughput [--events N] [--baseline N]
        [--repeat N]
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import tempfile
import time
from pathlib import Path

import sqlite_utils

from benchmarks.synthetic import event_batches, hello
from monitor.attribution import Attributor
from monitor.collector import Collector
from monitor.events import AGENT_MESSAGE
from monitor.store import EVENT_COLUMNS, Store, m001_initial
from monitor.writer import InlineWriter

PID = 4242


def collector_rate(
    folder: Path,
    total: int,
    batch_size: int,
    redact: bool,
    distinct: bool = False,
    inline: bool = False,
) -> tuple[float, float]:
    """Return events per second through Collector.submit until all rows are committed,
    and the seconds Store.ensure_indexes takes afterwards.

    With `inline`, the collector's thread writes to SQLite itself instead of handing the
    writes to the writer process.
    """
    path = folder / f"collector-{redact}-{distinct}-{inline}.db"
    store = Store(path)
    store.create_run({"id": "bench", "started_ms": 0, "status": "running"})
    collector = Collector(
        store,
        "bench",
        Attributor(["com.example.demoapp"], []),
        redact=redact,
        writer=InlineWriter(store) if inline else None,
    )
    collector.start()
    for message in hello(PID):
        collector.submit(PID, {"type": "send", "payload": message})
    # A run starts its collector long before the app's calls flood in: keep the writer
    # process's start (about 0.15 s) out of the time measured.
    if not collector.sync(30):
        raise SystemExit("the collector did not take the agent's first messages")
    messages = event_batches(total, batch_size, distinct=distinct)
    batches = [{"type": "send", "payload": m} for m in messages]
    started = time.perf_counter()
    for message in batches:
        collector.submit(PID, message)
    collector.close(timeout=600)
    elapsed = time.perf_counter() - started
    stored = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
    started = time.perf_counter()
    store.ensure_indexes()
    indexing = time.perf_counter() - started
    store.close()
    path.unlink()
    if stored != total or collector.invalid_messages:
        raise SystemExit(f"stored {stored} of {total} events, {collector.invalid_messages} invalid")
    return total / elapsed, indexing


def baseline_rate(folder: Path, total: int, indexed: bool) -> float:
    """Return events per second with one message, one validation and one commit per event.

    With `indexed`, the events table is the first schema version's, indexed on every insert.
    """
    path = folder / f"baseline-{indexed}.db"
    store = None
    conn = sqlite3.connect(path)
    if indexed:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        m001_initial(sqlite_utils.Database(conn))
    else:
        conn.close()
        store = Store(path)
        conn = store.db.conn
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
        if store is None:
            with conn:
                conn.execute(sql, row)
        else:
            # Store.add_events stores the row's call site once and the rest in event_rows.
            store.add_events([row])
    elapsed = time.perf_counter() - started
    conn.close()
    path.unlink()
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--baseline", type=int, default=20_000, help="events for the baseline")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of all four paths")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        for round_number in range(1, args.repeat + 1):
            print_round(round_number, measure_round(Path(tmp), args))


def measure_round(folder: Path, args: argparse.Namespace) -> dict[str, float]:
    """Measure the baselines and both collector paths side by side."""
    indexed = baseline_rate(folder, args.baseline, indexed=True)
    plain = baseline_rate(folder, args.baseline, indexed=False)
    redacted, redacted_indexing = collector_rate(folder, args.events, args.batch_size, True)
    clear, clear_indexing = collector_rate(folder, args.events, args.batch_size, False)
    distinct, _ = collector_rate(folder, args.events, args.batch_size, True, distinct=True)
    inline, _ = collector_rate(folder, args.events, args.batch_size, True, inline=True)
    return {
        "indexed": indexed,
        "plain": plain,
        "redacted": redacted,
        "clear": clear,
        "distinct": distinct,
        "inline": inline,
        "indexing": max(redacted_indexing, clear_indexing),
    }


def print_round(number: int, rates: dict[str, float]) -> None:
    base = rates["indexed"]
    print(f"round {number}")
    print(f"  baseline, first schema (indexed per insert): {base:>10,.0f} events/s")
    print(
        f"  baseline, current narrow tables:            {rates['plain']:>10,.0f} events/s "
        f"({rates['plain'] / base:.1f}x)"
    )
    for label, key in (
        ("redaction on", "redacted"),
        ("redaction off", "clear"),
        ("redaction on, all values distinct", "distinct"),
        ("redaction on, no writer process", "inline"),
    ):
        rate = rates[key]
        print(
            f"  collector, {label + ':':<33}{rate:>10,.0f} events/s "
            f"({rate / base:.1f}x first-schema baseline, "
            f"{rate / rates['plain']:.1f}x current-table baseline)"
        )
    print(f"  ensure_indexes after the run:               {rates['indexing']:>10.2f} s")


if __name__ == "__main__":
    main()
