"""Store writes for the collector, applied in call order, in a child process when it can.

Storing an event costs SQLite about 1.2 us of CPU and the collector about 1.5 us more
(validation, attribution, redaction), measured on a 2-core test machine. On one thread
these add up. A second thread cannot overlap them, because both need the GIL most of the
time. A child process with its own connection runs SQLite's share on another core
(benchmarks/collector_throughput.py measures both ways).

The child commits every event batch as it takes it from the pipe. When the collector's
process dies, even by SIGKILL, the child reads the pipe to its end and stores what was
sent before it exits, so a killed collector loses only what it had not yet sent.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from monitor.store import Store

log = logging.getLogger(__name__)

# The messages on the command pipe, all tuples whose first item is one of these.
_ROWS, _CALL, _SYNC, _CLOSE = "rows", "call", "sync", "close"
# The replies on the reply pipe.
_SYNCED, _FAILED, _CLOSED = "synced", "failed", "closed"


class InlineWriter:
    """Applies writes at once, on the calling thread: for in-memory stores, and when the
    writer process cannot start."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.failure: str | None = None
        """Why storing failed; always None here, where a failure raises instead."""

    def start(self) -> None:
        pass

    def add_event_rows(self, rows: list[tuple]) -> None:
        self.store.add_event_rows(rows)

    def call(self, method: str, *args: Any) -> None:
        """Call one Store method by name."""
        getattr(self.store, method)(*args)

    def sync(self, timeout: float) -> bool:
        return True

    def close(self, timeout: float) -> None:
        pass


class ProcessWriter:
    """Sends writes down a pipe to a child process that applies them to its own Store.

    Failures in the child do not raise here: `failure` contains why storing stopped, and
    every later write is dropped by the child.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.failure: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._commands: Connection | None = None
        self._replies: Connection | None = None
        self._syncs = 0
        self._received: set[tuple] = set()
        """Sync and close replies read so far."""

    def start(self) -> None:
        # A fresh interpreter that imports only the store: forking the collector's process
        # would copy Frida's threads mid-use, and multiprocessing would re-import the CLI.
        commands_in, commands_out = os.pipe()
        replies_in, replies_out = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "monitor.writer", str(self.path)]
            + [str(commands_in), str(replies_out)],
            stdin=subprocess.DEVNULL,
            pass_fds=(commands_in, replies_out),
            env=_child_env(),
        )
        os.close(commands_in)
        os.close(replies_out)
        self._commands = Connection(commands_out, readable=False)
        self._replies = Connection(replies_in, writable=False)

    def add_event_rows(self, rows: list[tuple]) -> None:
        self._send((_ROWS, rows))

    def call(self, method: str, *args: Any) -> None:
        """Call one Store method by name in the child, after every earlier write."""
        self._send((_CALL, method, args))

    def sync(self, timeout: float) -> bool:
        """Wait until the child has applied every write sent so far; False on timeout."""
        self._syncs += 1
        self._send((_SYNC, self._syncs))
        return self._wait_for(_SYNCED, self._syncs, timeout)

    def close(self, timeout: float) -> None:
        """Let the child apply everything sent, then end it."""
        if self._process is None or self._commands is None:
            return
        self._send((_CLOSE,))
        if not self._wait_for(_CLOSED, None, timeout):
            log.error("the writer process did not finish within %.0f s", timeout)
        self._commands.close()
        try:
            code = self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            code = self._process.wait()
        if code and self.failure is None:
            self.failure = f"the writer process ended with exit code {code}"

    def _send(self, message: tuple) -> None:
        assert self._commands is not None, "ProcessWriter.start() was not called"
        try:
            self._commands.send(message)
        except (BrokenPipeError, OSError) as e:
            self.failure = self.failure or f"the writer process is gone ({e})"
        self._read_replies(0)

    def _wait_for(self, kind: str, token: int | None, timeout: float) -> bool:
        """Read replies until (kind, token) has arrived or the child ends; False when not."""
        assert self._replies is not None
        while (kind, token) not in self._received:
            try:
                if not self._replies.poll(timeout):
                    return False
                self._note(self._replies.recv())
            except EOFError:
                return False
        self._received.discard((kind, token))
        return True

    def _read_replies(self, timeout: float) -> None:
        assert self._replies is not None
        try:
            while self._replies.poll(timeout):
                self._note(self._replies.recv())
        except EOFError:
            pass

    def _note(self, reply: tuple) -> None:
        if reply[0] == _FAILED:
            self.failure = self.failure or reply[1]
        else:
            # _read_replies may read a reply before _wait_for looks for it.
            self._received.add(reply)


def writer_for(store: Store) -> InlineWriter | ProcessWriter:
    """Return a process writer for a store in a file, an inline one for an in-memory store."""
    if str(store.path) == ":memory:":
        return InlineWriter(store)
    return ProcessWriter(store.path)


def _child_env() -> dict[str, str]:
    """Return the environment of the child, which finds this package where the parent did."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env


def main(argv: list[str]) -> None:
    """Entry point of the child: `python -m monitor.writer DB COMMANDS_FD REPLIES_FD`."""
    path, commands, replies = argv
    _serve(
        path, Connection(int(commands), writable=False), Connection(int(replies), readable=False)
    )


def _serve(path: str, commands: Connection, replies: Connection) -> None:
    """Run the child's loop: apply each write in order until the close message arrives or
    the pipe ends."""
    # Ctrl-C, and SIGTERM from `timeout` or a CI runner, often reach the whole process
    # group. The writer ends only at the collector's close message or when the collector's
    # end of the pipe closes, so that the collector can stop cleanly and nothing it sent is
    # lost (tests/test_collector_store.py and tests/test_cli_runs.py check both).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    store = Store(path)
    failed = False
    try:
        while True:
            try:
                message = commands.recv()
            except EOFError:
                break
            kind = message[0]
            if kind == _CLOSE:
                break
            if kind == _SYNC:
                replies.send((_SYNCED, message[1]))
            elif not failed:
                failed = not _apply(store, message, replies)
    finally:
        store.close()
        try:
            replies.send((_CLOSED, None))
        except OSError:
            pass


def _apply(store: Store, message: tuple, replies: Connection) -> bool:
    """Apply one write; on failure report it and return False."""
    try:
        if message[0] == _ROWS:
            store.add_event_rows(message[1])
        else:
            getattr(store, message[1])(*message[2])
        return True
    except Exception as e:
        log.exception("the writer process failed to store data")
        try:
            replies.send((_FAILED, f"{type(e).__name__}: {e}"))
        except OSError:
            pass
        return False


if __name__ == "__main__":
    main(sys.argv[1:])
