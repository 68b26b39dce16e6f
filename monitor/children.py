"""Instrumentation of an Android app's secondary processes, such as `:push`, through
Frida's spawn gating.

Local programs are not followed into child processes: with HotSpot, a child forked while
the agent's hooks are in place crashed before exec (SIGSEGV; OpenJDK 17.0.15, Frida
17.26.2), and children launched through jspawnhelper are not reported again after its exec.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import frida

from monitor.collector import Collector

log = logging.getLogger(__name__)

# Starts agent scripts in a process: (frida session, pid) -> script.
ScriptLoader = Callable[[frida.Session, int], frida.Script]


def is_app_process(identifier: str, app_id: str) -> bool:
    """Return whether an Android process name belongs to the app (`pkg` or `pkg:name`)."""
    return identifier == app_id or identifier.startswith(app_id + ":")


class ChildInstrumenter:
    """Attaches to each new process of the app, loads the agent, then resumes it.

    Frida calls back on its own threads, where blocking calls are not allowed, so every
    attach runs on a worker thread. A child that could not be instrumented is logged and
    resumed; the collector never hears from it, so the report lists it as unmonitored.
    """

    def __init__(
        self,
        device: frida.Device,
        load_script: ScriptLoader,
        collector: Collector,
        app_id: str = "",
    ) -> None:
        self.device = device
        self.load_script = load_script
        self.collector = collector
        self.app_id = app_id
        self.sessions: list[frida.Session] = []
        self.scripts: list[frida.Script] = []
        self._lock = threading.Lock()
        self._spawn_gating = False

    def watch_app_spawns(self) -> None:
        """Instrument the app's processes that Android starts later (spawn gating)."""
        self.device.on("spawn-added", self._on_spawn)
        self.device.enable_spawn_gating()
        self._spawn_gating = True

    def close(self) -> None:
        if self._spawn_gating:
            self.device.off("spawn-added", self._on_spawn)
            try:
                self.device.disable_spawn_gating()
            except frida.InvalidOperationError as e:
                log.info("spawn gating already off: %s", e)

    def stop_scripts(self) -> None:
        """Stop recording in every child agent and keep it loaded with inert hooks.

        Unloading a script restores the original methods, which crashed busy apps (see
        monitor.session.leave_app_running), so the scripts are eternalized instead.
        """
        for script in list(self.scripts):
            try:
                script.exports_sync.stop()
                script.eternalize()
            except (frida.InvalidOperationError, frida.TransportError, frida.RPCException) as e:
                log.debug("child agent stop skipped: %s", e)

    def _on_spawn(self, spawn: frida.Spawn) -> None:
        if not is_app_process(spawn.identifier, self.app_id):
            threading.Thread(target=self._resume, args=(spawn.pid,), daemon=True).start()
            return
        log.info("instrumenting app process %s (pid %d)", spawn.identifier, spawn.pid)
        threading.Thread(
            target=self._instrument,
            args=(spawn.pid,),
            daemon=True,
            name=f"privmon-spawn-{spawn.pid}",
        ).start()

    def _instrument(self, pid: int) -> None:
        try:
            session = self.device.attach(pid)
            script = self.load_script(session, pid)
            with self._lock:
                self.sessions.append(session)
                self.scripts.append(script)
        except (
            frida.ProcessNotFoundError,
            frida.InvalidOperationError,
            frida.TransportError,
            frida.RPCException,
            frida.PermissionDeniedError,
        ) as e:
            log.warning("could not instrument app process %d: %s", pid, e)
        finally:
            self._resume(pid)

    def _resume(self, pid: int) -> None:
        try:
            self.device.resume(pid)
        except (frida.ProcessNotFoundError, frida.InvalidOperationError) as e:
            log.debug("resume of %d skipped: %s", pid, e)
