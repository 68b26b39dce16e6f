"""Facts that a run on an Android device records besides the agent's messages.

They are the app's version and APK digest, the frida versions, and the app's processes
that the agent never reached.
"""

from __future__ import annotations

import logging
from typing import Any

import frida
from adbutils import AdbDevice

from monitor.children import is_app_process
from monitor.device import app_metadata, frida_server_state, list_processes
from monitor.errors import DeviceError
from monitor.store import Store

log = logging.getLogger(__name__)


def run_metadata(adb_device: AdbDevice, package: str) -> dict[str, Any]:
    """Return versions and device facts that make two runs of one app comparable."""
    metadata: dict[str, Any] = {"frida_client": frida.__version__}
    try:
        metadata["app"] = app_metadata(adb_device, package)
    except DeviceError as e:
        log.warning("app metadata unavailable: %s", e)
    metadata["frida_server"] = frida_server_state(adb_device).version
    return metadata


def app_processes(adb_device: AdbDevice, app_id: str) -> list[tuple[int, str]]:
    """Return (pid, name) of every running process of the app, `pkg` and `pkg:name`."""
    return [(p.pid, p.name) for p in list_processes(adb_device) if is_app_process(p.name, app_id)]


def record_unmonitored(store: Store, run_id: str, processes: list[tuple[int, str]]) -> int:
    """Add a process row, never ready, for each app process the agent did not report.

    Returns how many were added; the coverage rule reports them as unmonitored.
    """
    known = {row["pid"] for row in store.rows("processes", run_id)}
    added = 0
    for pid, name in processes:
        if pid not in known:
            store.upsert_process({"run_id": run_id, "pid": pid, "name": name})
            added += 1
    if added:
        log.warning("%d app processes were not instrumented", added)
    return added
