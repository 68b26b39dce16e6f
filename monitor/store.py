"""SQLite storage of runs, events and findings (sqlite-utils, WAL mode).

One database file per run by default. During a run, the collector's writer process
(monitor/writer.py) commits each event batch as it takes it; what a killed collector can
lose is described there. The tables are plain, so `datasette privmon.db` browses a run
as-is.

Events are stored narrow: `event_rows` contains what changes from call to call, and
`call_sites` holds, once per run, what a call shares with every call of the same hook
from the same origin (process, category, data type, API, signature, origin). The `events`
view joins the two back into one row per call; read events there.

While events stream in, `event_rows` has no index at all, which makes SQLite inserts 2x
to 3x faster. `Store.ensure_indexes` builds the unique (run_id, pid, seq) index and the
secondary indexes when a run ends or a stored run is reported. A database that already
contains an indexed run keeps its indexes, so later runs in it stream at the slower rate.
"""

from __future__ import annotations

import json
import logging
import operator
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
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


ROW_COLUMNS = (
    "run_id",
    "seq",
    "time_ms",
    "pid",
    "thread_id",
    "thread",
    "site_id",
    "args",
    "outcome",
    "detail",
    "stack_id",
    "consent",
)
"""The columns of `event_rows`, what changes from one call to the next."""
SITE_COLUMNS = (
    "process",
    "category",
    "data_type",
    "api_class",
    "api_method",
    "signature",
    "origin",
    "origin_kind",
    "origin_frame",
)
"""The columns of `call_sites` besides (run_id, site_id): what calls of one site share."""
_SITE_OF_EVENT = operator.itemgetter(*(EVENT_COLUMNS.index(c) for c in SITE_COLUMNS))
_ROW_OF_EVENT = [EVENT_COLUMNS.index(c) if c != "site_id" else None for c in ROW_COLUMNS]

# 80 rows of 12 columns stay under 999 parameters, the limit of SQLite before 3.32.
ROWS_PER_INSERT = 80
_ROW_VALUES = f"({','.join('?' * len(ROW_COLUMNS))})"
_INSERT_ROW = f"INSERT OR REPLACE INTO event_rows ({','.join(ROW_COLUMNS)}) VALUES {_ROW_VALUES}"
_INSERT_ROWS = (
    f"INSERT OR REPLACE INTO event_rows ({','.join(ROW_COLUMNS)}) "
    f"VALUES {','.join([_ROW_VALUES] * ROWS_PER_INSERT)}"
)
_INSERT_SITE = (
    f"INSERT INTO call_sites (run_id, site_id, {','.join(SITE_COLUMNS)}) "
    f"VALUES ({','.join('?' * (len(SITE_COLUMNS) + 2))})"
)
EVENT_KEY_INDEX = "idx_event_rows_run_id_pid_seq"
# The rules read a run in (time_ms, pid, seq) order, which this index gives without a sort.
EVENT_INDEXES = {"idx_event_rows_run_id_time_ms_pid_seq": "run_id, time_ms, pid, seq"}


class Store:
    """A privmon database; safe to use from one thread at a time."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        # check_same_thread=False: the store is created on the CLI thread and then used
        # only by the collector's consumer thread.
        conn = sqlite3.connect(str(self.path), check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        self.db.enable_wal()
        # NORMAL with WAL keeps committed batches across a killed process; only a power
        # loss can drop the last commits.
        self.db.execute("PRAGMA synchronous=NORMAL")
        SCHEMA.apply(self.db)
        self._sites: dict[str, dict[tuple[str, ...], int]] = {}
        """Per run, the id of each call site; see `sites`."""

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

    def sites(self, run_id: str) -> dict[tuple[str, ...], int]:
        """Return the run's call site ids by site (SITE_COLUMNS order), loaded on first use.

        The caller that stores a new site adds it to this dict, so ids stay unique in a run.
        """
        sites = self._sites.get(run_id)
        if sites is None:
            rows = self.db.execute(
                f"SELECT site_id, {','.join(SITE_COLUMNS)} FROM call_sites WHERE run_id = ?",
                [run_id],
            )
            sites = self._sites[run_id] = {tuple(row[1:]): row[0] for row in rows}
        return sites

    def add_site(self, run_id: str, site_id: int, site: Sequence[str]) -> None:
        with self.db.conn:
            self.db.conn.execute(_INSERT_SITE, (run_id, site_id, *site))

    def _site_id(self, run_id: str, site: tuple[str, ...]) -> int:
        """Return a site's id, inserting a new site in the open transaction."""
        sites = self.sites(run_id)
        found = sites.get(site)
        if found is None:
            found = sites[site] = len(sites) + 1
            self.db.conn.execute(_INSERT_SITE, (run_id, found, *site))
        return found

    def add_event_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """Insert and commit event rows in ROW_COLUMNS order, in one transaction.

        Their site ids come from `sites`. A row whose (run_id, pid, seq) is already stored
        replaces the stored one once the unique index exists. Before that, `ensure_indexes`
        keeps the last of the duplicates.
        """
        rows = list(rows)
        full = len(rows) - len(rows) % ROWS_PER_INSERT
        # One statement per ROWS_PER_INSERT rows: fewer calls into SQLite per row.
        chunks = (
            tuple(chain.from_iterable(rows[i : i + ROWS_PER_INSERT]))
            for i in range(0, full, ROWS_PER_INSERT)
        )
        with self.db.conn:
            self.db.conn.executemany(_INSERT_ROWS, chunks)
            self.db.conn.executemany(_INSERT_ROW, rows[full:])

    def add_events(self, events: Iterable[Sequence[Any]]) -> None:
        """Insert and commit whole events in EVENT_COLUMNS order, in one transaction."""
        rows = []
        for event in events:
            site_id = self._site_id(event[0], _SITE_OF_EVENT(event))
            rows.append(tuple(site_id if i is None else event[i] for i in _ROW_OF_EVENT))
        self.add_event_rows(rows)

    def ensure_indexes(self) -> None:
        """Create the indexes of `events` that streaming leaves out, if they are missing.

        Rules, reports and consent re-tagging need them, so call this before any of them
        reads a run. With the indexes present it costs one PRAGMA index_list.
        """
        present = {index.name for index in self.db["event_rows"].indexes}
        if EVENT_KEY_INDEX not in present:
            self._create_event_key_index()
        with self.db.conn:
            for name, columns in EVENT_INDEXES.items():
                if name not in present:
                    self.db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON event_rows ({columns})")

    def _create_event_key_index(self) -> None:
        sql = (
            f"CREATE UNIQUE INDEX IF NOT EXISTS {EVENT_KEY_INDEX} ON event_rows (run_id, pid, seq)"
        )
        try:
            with self.db.conn:
                self.db.execute(sql)
            return
        except sqlite3.IntegrityError:
            log.warning(
                "%s: duplicate (run_id, pid, seq) in event_rows, keeping the last row of each",
                self.path,
            )
        with self.db.conn:
            self.db.execute(
                "DELETE FROM event_rows WHERE rowid NOT IN "
                "(SELECT max(rowid) FROM event_rows GROUP BY run_id, pid, seq)"
            )
            self.db.execute(sql)

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

    # Flood buckets and redaction -------------------------------------------------------

    def add_buckets(self, rows: Sequence[Sequence[Any]]) -> None:
        """Insert and commit one batch of bucket rows in BUCKET_COLUMNS order."""
        placeholders = ",".join("?" * len(BUCKET_COLUMNS))
        sql = f"INSERT INTO buckets ({','.join(BUCKET_COLUMNS)}) VALUES ({placeholders})"
        with self.db.conn:
            self.db.conn.executemany(sql, rows)

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


@SCHEMA()
def m004_events_indexed_at_run_end(db: sqlite_utils.Database) -> None:
    # Inserting into a table with a composite primary key and two more indexes costs a
    # b-tree update per index and row. Rebuild `events` as a plain rowid table without
    # indexes, and let Store.ensure_indexes add them, unique key included, at run end.
    for index in db["events"].indexes:
        if not index.name.startswith("sqlite_autoindex"):
            db.execute(f'DROP INDEX "{index.name}"')
    db["events"].transform(pk=None)


@SCHEMA()
def m005_narrow_event_rows(db: sqlite_utils.Database) -> None:
    # Nine of the twenty columns of an event repeat for every call of one hook from one
    # origin. Store them once per run in `call_sites`, and the rest in `event_rows`, which
    # halves SQLite's cost per stored event. The `events` view joins them back.
    site = ", ".join(SITE_COLUMNS)
    db.execute(
        f"CREATE TABLE call_sites (run_id TEXT, site_id INTEGER, {site}, "
        "PRIMARY KEY (run_id, site_id))"
    )
    db.execute(
        "CREATE TABLE event_rows (run_id TEXT, seq INTEGER, time_ms INTEGER, pid INTEGER, "
        "thread_id INTEGER, thread TEXT, site_id INTEGER, args TEXT, outcome TEXT, "
        "detail TEXT, stack_id INTEGER, consent TEXT)"
    )

    db.execute(
        f"INSERT INTO call_sites (run_id, site_id, {site}) "
        f"SELECT run_id, row_number() OVER (PARTITION BY run_id), {site} "
        f"FROM (SELECT DISTINCT run_id, {site} FROM events)"
    )
    same_site = " AND ".join(f"s.{c} IS e.{c}" for c in ("run_id", *SITE_COLUMNS))
    columns = ", ".join(f"e.{c}" if c != "site_id" else "s.site_id" for c in ROW_COLUMNS)
    db.execute(
        f"INSERT INTO event_rows ({', '.join(ROW_COLUMNS)}) "
        f"SELECT {columns} FROM events e JOIN call_sites s ON {same_site} ORDER BY e.rowid"
    )

    db.execute("DROP TABLE events")
    db.execute(
        f"CREATE VIEW events AS SELECT {_view_columns()} "
        # CROSS JOIN keeps event_rows the outer loop, so its indexes give the order.
        "FROM event_rows e CROSS JOIN call_sites s "
        "ON s.run_id = e.run_id AND s.site_id = e.site_id"
    )


def _view_columns() -> str:
    return ", ".join(f"s.{c}" if c in SITE_COLUMNS else f"e.{c}" for c in EVENT_COLUMNS)
