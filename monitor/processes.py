"""Child processes of a locally spawned program that no agent reached.

The agent runs only in the process Frida spawned (and in those spawn gating hands over),
so a helper process the program starts is not monitored. At the end of a local run the
collector's caller lists the descendants of the root pid from /proc and stores them, so the
report can name what was not instrumented instead of implying it was.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessEntry:
    pid: int
    ppid: int
    name: str
    cmdline: str


def _read_entry(proc_dir: Path) -> ProcessEntry | None:
    try:
        stat = (proc_dir / "stat").read_text("utf-8", errors="replace")
        raw_cmdline = (proc_dir / "cmdline").read_bytes()
    except OSError:
        return None  # the process ended while /proc was read
    # The command name is in parentheses and may itself contain spaces or parentheses.
    name = stat[stat.find("(") + 1 : stat.rfind(")")]
    fields = stat[stat.rfind(")") + 2 :].split()
    if len(fields) < 2:
        return None
    cmdline = raw_cmdline.replace(b"\0", b" ").decode("utf-8", errors="replace").strip()
    return ProcessEntry(int(proc_dir.name), int(fields[1]), name, cmdline)


def process_table(proc: Path = PROC) -> list[ProcessEntry]:
    """List every process visible in /proc."""
    entries = []
    for proc_dir in proc.iterdir():
        if proc_dir.name.isdigit():
            entry = _read_entry(proc_dir)
            if entry is not None:
                entries.append(entry)
    return entries


def uninstrumented_children(
    root_pid: int, instrumented: Collection[int], proc: Path = PROC
) -> list[ProcessEntry]:
    """List live descendants of `root_pid` whose pid is not in `instrumented`, parents first.

    Call it before the root process is killed: orphans are re-parented to init and are no
    longer found as descendants.
    """
    children: dict[int, list[ProcessEntry]] = {}
    for entry in process_table(proc):
        children.setdefault(entry.ppid, []).append(entry)
    found: list[ProcessEntry] = []
    queue = [root_pid]
    while queue:
        for child in sorted(children.get(queue.pop(0), []), key=lambda e: e.pid):
            queue.append(child.pid)
            if child.pid not in instrumented:
                found.append(child)
    if found:
        log.warning("%d child processes were not instrumented", len(found))
    return found


def store_uninstrumented(store, run_id: str, entries: list[ProcessEntry]) -> None:
    """Store the entries in the `uninstrumented_processes` table of `store`."""
    store.add_uninstrumented(
        {"run_id": run_id, "pid": e.pid, "ppid": e.ppid, "name": e.name, "cmdline": e.cmdline}
        for e in entries
    )
