"""One Frida session: spawn or attach, load the agent, and watch the target until it ends."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import frida

from monitor.collector import Collector
from monitor.errors import InstrumentationError

log = logging.getLogger(__name__)

OutputHandler = Callable[[int, bytes], None]


@dataclass
class Target:
    """What to instrument, with frida-tools' meaning of -f, -n and -p."""

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
    ) -> None:
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
        script = self._session.create_script(self.agent_code, name="privmon")
        script.on("message", lambda message, data: self.collector.submit(pid, message))
        script.load()
        self._script = script
        try:
            script.exports_sync.init(self.agent_config)
        except frida.RPCException as e:
            raise InstrumentationError(
                f"Failed to instrument: the agent did not start ({e})"
            ) from e
        if self.target.mode == "spawn":
            self.device.resume(pid)
        log.info("instrumenting pid %d (%s)", pid, self.target.mode)
        return pid

    def _spawn(self) -> int:
        program = self.target.program
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
        log.info("session ended: %s", self.end_reason)
        self.ended.set()

    def write_stdin(self, data: bytes) -> None:
        if self.pid is not None:
            self.device.input(self.pid, data)

    def stop(self, kill: bool) -> None:
        """Stop recording, flush the agent, then let go of the process.

        Hooks stay in place: reverting a hot, JIT-compiled method can crash HotSpot, and
        with recording off every hook only calls its original.
        """
        if self._script is not None and not self.ended.is_set():
            try:
                self._script.exports_sync.stop()
            except (frida.InvalidOperationError, frida.TransportError, frida.RPCException) as e:
                log.info("agent stop skipped: %s", e)
        if kill and self.pid is not None and not self.ended.is_set():
            try:
                self.device.kill(self.pid)
            except frida.ProcessNotFoundError:
                pass
        self.ended.wait(5)
        if self._session is not None and not self.ended.is_set():
            self._session.detach()
        if self.on_output is not None:
            self.device.off("output", self._on_output)


def _describe_detach(reason: str, crash: object) -> str:
    if crash is not None:
        summary = getattr(crash, "summary", None) or str(crash)
        return f"app crashed: {summary}"
    return {
        "process-terminated": "app exited",
        "application-requested": "stopped by privmon",
        "process-replaced": "app process replaced (exec)",
        "connection-terminated": "connection to the device lost",
        "device-lost": "device disconnected",
    }.get(reason, reason)
