"""SQLite storage of runs, events and findings (sqlite-utils, WAL mode).

One database file per run by default. Batches from the agent are committed as they
arrive, so a collector killed mid-run loses at most the batch it was writing. The
tables are plain, so `datasette privmon.db` browses a run as-is.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

log = logging.getLogger(__name__)

SCHEMA = Migrations("privmon")

EVENT_COLUMNS = (
    "run_id",
    "seq",
    "time_ms",
    "pid",
    "process",
    "thread_id",
    "thread",
    "category",
    "data_type",
    "api_class",
    "api_method",
    "signature",
    "args",
    "outcome",
    "detail",
    "stack_id",
    "origin",
    "origin_kind",
    "origin_frame",
    "consent",
)


@SCHEMA()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {
            "id": str,
            "target": str,
            "mode": str,
            "device": str,
            "app_id": str,
            "versions": str,
            "started_ms": int,
            "ended_ms": int,
            "process_start_ms": int,
            "hooks_ready_ms": int,
            "end_reason": str,
            "status": str,
            "invalid_messages": int,
            "agent_errors": int,
            "config": str,
        },
        pk="id",
    )
    db["processes"].create(
        {
            "run_id": str,
            "pid": int,
            "name": str,
            "process_start_ms": int,
            "hooks_ready_ms": int,
            "flavor": str,
            "arch": str,
        },
        pk=("run_id", "pid"),
    )
    db["events"].create(
        {
            "run_id": str,
            "seq": int,
            "time_ms": int,
            "pid": int,
            "process": str,
            "thread_id": int,
            "thread": str,
            "category": str,
            "data_type": str,
            "api_class": str,
            "api_method": str,
            "signature": str,
            "args": str,
            "outcome": str,
            "detail": str,
            "stack_id": int,
            "origin": str,
            "origin_kind": str,
            "origin_frame": str,
            "consent": str,
        },
        pk=("run_id", "pid", "seq"),
    )
    db["events"].create_index(["run_id", "time_ms"])
    db["events"].create_index(["run_id", "category"])
    db["stacks"].create(
        {"run_id": str, "pid": int, "stack_id": int, "frames": str},
        pk=("run_id", "pid", "stack_id"),
    )
    db["consent_changes"].create(
        {"run_id": str, "time_ms": int, "state": str, "source": str, "pid": int, "seq": int},
    )
    db["hook_status"].create(
        {
            "run_id": str,
            "pid": int,
            "hook_id": int,
            "category": str,
            "class": str,
            "method": str,
            "state": str,
            "overloads": str,
            "reason": str,
        },
        pk=("run_id", "pid", "hook_id"),
    )
    db["findings"].create(
        {
            "run_id": str,
            "rule": str,
            "severity": str,
            "title": str,
            "category": str,
            "origin": str,
            "api": str,
            "consent": str,
            "count": int,
            "window_ms": int,
            "first_ms": int,
            "last_ms": int,
            "evidence": str,
            "detail": str,
        },
    )
    db["agent_errors"].create(
        {"run_id": str, "pid": int, "time_ms": int, "fatal": int, "message": str},
    )


BUCKET_COLUMNS = (
    "run_id",
    "pid",
    "hook_id",
    "api_class",
    "api_method",
    "signature",
    "category",
    "data_type",
    "stack_id",
    "origin",
    "origin_kind",
    "bucket_start_ms",
    "bucket_ms",
    "count",
    "first_ms",
    "last_ms",
    "consent",
)


@SCHEMA()
def m002_buckets_and_redaction_key(db: sqlite_utils.Database) -> None:
    # Calls of a flooding hook, counted per bucket instead of stored one row each.
    db["buckets"].create(
        {
            "run_id": str,
            "pid": int,
            "hook_id": int,
            "api_class": str,
            "api_method": str,
            "signature": str,
            "category": str,
            "data_type": str,
            "stack_id": int,
            "origin": str,
            "origin_kind": str,
            "bucket_start_ms": int,
            "bucket_ms": int,
            "count": int,
            "first_ms": int,
            "last_ms": int,
            "consent": str,
        },
    )
    db["buckets"].create_index(["run_id", "bucket_start_ms"])
    # One random HMAC key per database, so redacted values are comparable within it only.
    db["redaction_key"].create({"id": int, "key": bytes}, pk="id")
    # Agent messages the collector rejected, counted by reason.
    db["rejected_messages"].create(
        {"run_id": str, "reason": str, "count": int}, pk=("run_id", "reason")
    )


class Store:
    """A privmon database; safe to use from one thread at a time."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        # check_same_thread=False: the store is created on the CLI thread and then used
        # only by the collector's consumer thread.
        import sqlite3

        conn = sqlite3.connect(str(self.path), check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        self.db.enable_wal()
        # NORMAL with WAL keeps committed batches across a killed process; only a power
        # loss can drop the last commits.
        self.db.execute("PRAGMA synchronous=NORMAL")
        SCHEMA.apply(self.db)

    def close(self) -> None:
        self.db.close()

    # Runs -----------------------------------------------------------------------------

    def create_run(self, run: dict[str, Any]) -> None:
        with self.db.conn:
            self.db["runs"].insert(run)

    def update_run(self, run_id: str, **fields: Any) -> None:
        with self.db.conn:
            self.db["runs"].update(run_id, fields)

    def run(self, run_id: str | None = None) -> dict[str, Any]:
        """Return one run, or the latest one when `run_id` is None."""
        if run_id is None:
            rows = list(self.db["runs"].rows_where(order_by="started_ms desc", limit=1))
        else:
            rows = list(self.db["runs"].rows_where("id = ?", [run_id]))
        if not rows:
            raise LookupError(f"run not found in {self.path}: {run_id or '(no runs)'}")
        return rows[0]

    def upsert_process(self, row: dict[str, Any]) -> None:
        with self.db.conn:
            self.db["processes"].upsert(row, pk=("run_id", "pid"))

    # Agent data -----------------------------------------------------------------------

    def add_events(self, rows: Sequence[Sequence[Any]]) -> None:
        """Insert and commit one batch of event rows in EVENT_COLUMNS order."""
        placeholders = ",".join("?" * len(EVENT_COLUMNS))
        sql = f"INSERT OR REPLACE INTO events ({','.join(EVENT_COLUMNS)}) VALUES ({placeholders})"
        with self.db.conn:
            self.db.conn.executemany(sql, rows)

    def add_stack(self, run_id: str, pid: int, stack_id: int, frames: list[str]) -> None:
        with self.db.conn:
            self.db["stacks"].upsert(
                {"run_id": run_id, "pid": pid, "stack_id": stack_id, "frames": json.dumps(frames)},
                pk=("run_id", "pid", "stack_id"),
            )

    def add_hook_status(self, rows: Iterable[dict[str, Any]]) -> None:
        with self.db.conn:
            self.db["hook_status"].upsert_all(rows, pk=("run_id", "pid", "hook_id"))

    def add_consent_change(self, row: dict[str, Any]) -> None:
        with self.db.conn:
            self.db["consent_changes"].insert(row)

    def add_agent_error(self, row: dict[str, Any]) -> None:
        with self.db.conn:
            self.db["agent_errors"].insert(row)

    def replace_findings(self, run_id: str, rows: list[dict[str, Any]]) -> None:
        with self.db.conn:
            self.db.execute("DELETE FROM findings WHERE run_id = ?", [run_id])
            if rows:
                self.db["findings"].insert_all(rows)

    # Queries --------------------------------------------------------------------------

    def events(self, run_id: str, where: str = "", params: Sequence[Any] = ()) -> Iterator[dict]:
        clause = f"run_id = ?{' AND ' + where if where else ''}"
        yield from self.db["events"].rows_where(
            clause, [run_id, *params], order_by="time_ms, pid, seq"
        )

    def rows(self, table: str, run_id: str, order_by: str | None = None) -> list[dict]:
        return list(self.db[table].rows_where("run_id = ?", [run_id], order_by=order_by))

    def stacks(self, run_id: str) -> dict[tuple[int, int], list[str]]:
        return {
            (row["pid"], row["stack_id"]): json.loads(row["frames"])
            for row in self.db["stacks"].rows_where("run_id = ?", [run_id])
        }

    def set_consent(
        self, run_id: str, state: str, after: tuple[int, int | None, int | None]
    ) -> int:
        """Set `consent` on every event after a point in time; returns the rows changed.

        `after` is (time_ms, pid, seq) of a consent change. Events at the same millisecond
        count as after it only when they come later in the same process's sequence.
        """
        time_ms, pid, seq = after
        if pid is None or seq is None:
            cursor = self.db.execute(
                "UPDATE events SET consent = ? WHERE run_id = ? AND time_ms > ?",
                [state, run_id, time_ms],
            )
        else:
            cursor = self.db.execute(
                "UPDATE events SET consent = ? WHERE run_id = ? AND "
                "(time_ms > ? OR (time_ms = ? AND pid = ? AND seq > ?))",
                [state, run_id, time_ms, time_ms, pid, seq],
            )
        return cursor.rowcount

    # Flood buckets and redaction -------------------------------------------------------

    def add_buckets(self, rows: Sequence[Sequence[Any]]) -> None:
        """Insert and commit one batch of bucket rows in BUCKET_COLUMNS order."""
        placeholders = ",".join("?" * len(BUCKET_COLUMNS))
        sql = f"INSERT INTO buckets ({','.join(BUCKET_COLUMNS)}) VALUES ({placeholders})"
        with self.db.conn:
            self.db.conn.executemany(sql, rows)

    def set_bucket_consent(
        self, run_id: str, state: str, after: tuple[int, int | None, int | None]
    ) -> int:
        """Set `consent` on every bucket whose first call is after a consent change."""
        cursor = self.db.execute(
            "UPDATE buckets SET consent = ? WHERE run_id = ? AND first_ms > ?",
            [state, run_id, after[0]],
        )
        return cursor.rowcount

    def redaction_key(self) -> bytes:
        """Return this database's HMAC key for redacted values, creating it on first use."""
        row = self.db.execute("SELECT key FROM redaction_key WHERE id = 1").fetchone()
        if row is not None:
            return bytes(row[0])
        key = secrets.token_bytes(32)
        with self.db.conn:
            self.db.execute("INSERT INTO redaction_key (id, key) VALUES (1, ?)", [key])
        return key

    def add_rejections(self, run_id: str, counts: dict[str, int]) -> None:
        """Store how many agent messages were rejected, by reason."""
        rows = [{"run_id": run_id, "reason": r, "count": n} for r, n in counts.items()]
        with self.db.conn:
            self.db["rejected_messages"].upsert_all(rows, pk=("run_id", "reason"))

    # Canaries and processes the agent never reached ------------------------------------

    def add_canaries(self, rows: Iterable[dict[str, Any]]) -> None:
        with self.db.conn:
            self.db["canaries"].upsert_all(rows, pk=("run_id", "pid", "category"))

    def mark_hook_broken(self, run_id: str, pid: int, hook_id: int, reason: str) -> None:
        """Turn an installed hook into a failed one: its canary call did not reach it."""
        with self.db.conn:
            self.db.execute(
                "UPDATE hook_status SET state = 'failed', reason = ? "
                "WHERE run_id = ? AND pid = ? AND hook_id = ?",
                [reason, run_id, pid, hook_id],
            )

    def add_uninstrumented(self, rows: Iterable[dict[str, Any]]) -> None:
        with self.db.conn:
            self.db["uninstrumented_processes"].upsert_all(rows, pk=("run_id", "pid"))


@SCHEMA()
def m003_canaries_and_uninstrumented(db: sqlite_utils.Database) -> None:
    # One row per category and process: did the agent's own call of a hooked method fire
    # the hook ("fired"), not fire it ("silent": coverage broken), or not run ("not_run").
    db["canaries"].create(
        {
            "run_id": str,
            "pid": int,
            "category": str,
            "class": str,
            "method": str,
            "hook_id": int,
            "result": str,
            "detail": str,
            "time_ms": int,
        },
        pk=("run_id", "pid", "category"),
    )
    # Child processes of the monitored program that no agent reached (local runs).
    db["uninstrumented_processes"].create(
        {"run_id": str, "pid": int, "ppid": int, "name": str, "cmdline": str},
        pk=("run_id", "pid"),
    )
