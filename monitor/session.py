"""One Frida session: spawn or attach, load the agent, and watch the target until it ends."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import frida

from monitor.children import ChildInstrumenter
from monitor.collector import Collector
from monitor.errors import InstrumentationError

log = logging.getLogger(__name__)

OutputHandler = Callable[[int, bytes], None]


@dataclass
class Target:
    """The process to instrument, chosen as frida-tools' -f, -n and -p choose it."""

    mode: Literal["spawn", "attach"]
    program: list[str] = field(default_factory=list)
    """Spawn: an Android package name, or a local program path and its arguments."""
    name: str | None = None
    pid: int | None = None

    def describe(self) -> str:
        if self.mode == "spawn":
            return " ".join(self.program)
        return self.name if self.name is not None else f"pid {self.pid}"


class Session:
    """Instruments one process and reports how it ended."""

    def __init__(
        self,
        device: frida.Device,
        target: Target,
        agent_code: str,
        agent_config: dict,
        collector: Collector,
        on_output: OutputHandler | None = None,
        attach_fallback: bool = False,
    ) -> None:
        self.attach_fallback = attach_fallback
        """After a spawn timed out twice, attach to the app if it runs (coverage partial)."""
        self.device = device
        self.target = target
        self.agent_code = agent_code
        self.agent_config = agent_config
        self.collector = collector
        self.on_output = on_output
        self.pid: int | None = None
        self.end_reason: str | None = None
        self.ended = threading.Event()
        self._session: frida.Session | None = None
        self._script: frida.Script | None = None
        self.children: ChildInstrumenter | None = None
        self._stopping = False
        self._killed = False
        self._died_while_stopping = False

    def start(self) -> int:
        """Spawn or attach, load the agent and (for a spawn) resume the process."""
        if self.target.mode == "spawn":
            self.pid = self._spawn()
        else:
            self.pid = self._resolve_pid()
        try:
            self._session = self.device.attach(self.pid)
        except frida.ProcessNotFoundError as e:
            raise InstrumentationError(f"Failed to attach: process {self.pid} not found") from e
        except frida.PermissionDeniedError as e:
            raise InstrumentationError(
                f"Failed to attach to pid {self.pid}: permission denied "
                "(run as the same user, or as root; check ptrace_scope)"
            ) from e
        self._session.on("detached", self._on_detached)
        pid = self.pid
        self._script = self._load_agent(self._session, pid)
        self._watch_other_processes()
        if self.target.mode == "spawn":
            self.device.resume(pid)
        log.info("instrumenting pid %d (%s)", pid, self.target.mode)
        return pid

    def _load_agent(self, session: frida.Session, pid: int) -> frida.Script:
        """Load the agent into one process and start it with the run's configuration."""
        script = session.create_script(self.agent_code, name="privmon")
        script.on("message", lambda message, data: self.collector.submit(pid, message))
        script.load()
        try:
            script.exports_sync.init(self.agent_config)
        except frida.RPCException as e:
            raise InstrumentationError(
                f"Failed to instrument: the agent did not start ({e})"
            ) from e
        return script

    def _watch_other_processes(self) -> None:
        """Instrument the Android app's secondary processes when they start."""
        app_id = self.agent_config.get("appId", "")
        if self.device.type == "local" or not app_id:
            return
        self.children = ChildInstrumenter(self.device, self._load_agent, self.collector, app_id)
        self.children.watch_app_spawns()

    def _spawn(self) -> int:
        """Spawn the target, retrying once on a timeout, then falling back to attach.

        A fallback changes `self.target` to attach mode, which the run records as partial.
        """
        program = self.target.program
        for attempt in (1, 2):
            try:
                return self._spawn_once(program)
            except frida.TimedOutError as e:
                log.warning("spawn of %s timed out (attempt %d of 2): %s", program[0], attempt, e)
        if not self.attach_fallback:
            raise InstrumentationError(
                f"Failed to spawn {program[0]}: timed out twice (pass --attach-fallback to "
                "attach to the app instead, with partial coverage)"
            )
        log.warning("attaching to %s after the spawn timed out", program[0])
        self.target = Target(mode="attach", name=program[0])
        return self._resolve_pid()

    def _spawn_once(self, program: list[str]) -> int:
        try:
            if self.on_output is not None:
                self.device.on("output", self._on_output)
                return self.device.spawn(program, stdio="pipe")
            return self.device.spawn(program)
        except frida.ExecutableNotFoundError as e:
            raise InstrumentationError(f"Failed to spawn: program not found: {program[0]}") from e
        except frida.NotSupportedError as e:
            raise InstrumentationError(f"Failed to spawn {program[0]}: {e}") from e

    def _resolve_pid(self) -> int:
        if self.target.pid is not None:
            return self.target.pid
        try:
            return self.device.get_process(self.target.name).pid
        except frida.ProcessNotFoundError as e:
            raise InstrumentationError(
                f"Failed to attach: no process named {self.target.name!r} "
                "(list them with `frida-ps`)"
            ) from e

    def _on_output(self, pid: int, fd: int, data: bytes) -> None:
        if pid == self.pid and self.on_output is not None and data:
            self.on_output(fd, data)

    def _on_detached(self, reason: str, crash: object) -> None:
        self.end_reason = _describe_detach(reason, crash)
        # Once stop() began, an end that is neither privmon's detach nor its kill happened
        # while privmon was stopping the app.
        if self._stopping and not self._killed and reason != "application-requested":
            self._died_while_stopping = True
        log.info("session ended: %s", self.end_reason)
        self.ended.set()

    def write_stdin(self, data: bytes) -> None:
        if self.pid is not None:
            self.device.input(self.pid, data)

    def stop(self, kill: bool) -> None:
        """Stop recording, flush the agent, then kill the process or leave it running.

        A process left running keeps the agent loaded with inert hooks (see
        leave_app_running), because restoring the originals crashed or hung a busy HotSpot
        app in benchmarks/stop_while_busy.py. A process that ends while this runs,
        before privmon kills it or detaches, is recorded as CRASHED_WHILE_STOPPING when it
        ended abnormally, never as the app's own crash.
        """
        ended_before_stop = self.ended.is_set()
        self._stopping = True
        self._stop_children()
        if kill and self._script is not None and not self.ended.is_set():
            try:
                self._script.exports_sync.stop()
            except (frida.InvalidOperationError, frida.TransportError, frida.RPCException) as e:
                log.info("agent stop skipped: %s", e)
        if kill and self.pid is not None and not self.ended.is_set():
            self._killed = True
            try:
                self.device.kill(self.pid)
            except (frida.ProcessNotFoundError, frida.NotSupportedError) as e:
                # Gone before privmon's kill. A local process that ended a moment ago gives
                # NotSupportedError ("failed to open file /proc/PID/auxv").
                log.info("kill of pid %d failed, it had ended: %s", self.pid, e)
                self._died_while_stopping = True
            self.ended.wait(5)
        if self._session is not None and self._script is not None and not self.ended.is_set():
            leave_app_running(self._session, self._script)
        if self.on_output is not None:
            self.device.off("output", self._on_output)
        self._explain_end(ended_before_stop, self._died_while_stopping)

    def _explain_end(self, ended_before_stop: bool, died_while_stopping: bool) -> None:
        """Tell a process that ended without System.exit from one that exited normally."""
        if not (ended_before_stop or died_while_stopping) or self.end_reason is None:
            return
        if self.end_reason == "app exited":
            # Messages sent before the process ended are queued ahead of this marker.
            self.collector.sync()
            # Only a ready agent sees System.exit, so without one a normal exit stays one.
            if self.collector.exit is None and self.collector.ready.is_set():
                self.end_reason = APP_ENDED_WITHOUT_EXIT
        abnormal = self.end_reason.startswith((APP_CRASHED, APP_ENDED_WITHOUT_EXIT))
        if died_while_stopping and abnormal:
            self.end_reason = f"{CRASHED_WHILE_STOPPING}: {self.end_reason}"
        log.info("session ended: %s", self.end_reason)

    def _stop_children(self) -> None:
        if self.children is not None:
            self.children.close()
            self.children.stop_scripts()


def leave_app_running(session: frida.Session, script: frida.Script) -> None:
    """Stop recording, keep the agent loaded with inert hooks, and detach.

    The agent's stop() turns every hook into a plain call of the original and sends what
    is pending. Eternalizing the script keeps it and the replaced methods alive after the
    detach, until the process exits, so frida-java-bridge never restores the originals.
    Restoring them while threads are inside the hooks crashed or hung a busy HotSpot app
    in benchmarks/stop_while_busy.py: those threads recurse into the hook until their stack
    overflows (see benchmarks/README.md).
    NOTE: the app keeps paying for the inert hooks (tens of µs a call on HotSpot) until it
    exits, and a later privmon attach to the same process is untested.
    """
    try:
        script.exports_sync.stop()
        script.eternalize()
    except (frida.InvalidOperationError, frida.TransportError, frida.RPCException) as e:
        log.info("agent stop failed, the app has probably ended: %s", e)
    try:
        session.detach()
    except (frida.InvalidOperationError, frida.TransportError) as e:
        log.info("detach failed, the app has probably ended: %s", e)


# end_reason values of a run whose app did not end normally; each makes the run partial.
APP_CRASHED = "app crashed"
"""Prefix: Frida reported a crash, followed by ": " and the crash summary."""
APP_ENDED_WITHOUT_EXIT = "app ended without calling exit (killed or crashed)"
CRASHED_WHILE_STOPPING = "app crashed while privmon was stopping"
"""Prefix: the process ended abnormally after Session.stop began, before privmon's own kill
or detach."""


def _describe_detach(reason: str, crash: object) -> str:
    if crash is not None:
        summary = getattr(crash, "summary", None) or str(crash)
        return f"{APP_CRASHED}: {summary}"
    return {
        "process-terminated": "app exited",
        "application-requested": "stopped by privmon",
        "process-replaced": "app process replaced (exec)",
        "connection-terminated": "connection to the device lost",
        "device-lost": "device disconnected",
    }.get(reason, reason)
