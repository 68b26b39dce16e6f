"""Helpers shared by the Frida benchmarks: compile a study agent, spawn a JVM under Frida."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import frida

from monitor.paths import hooks_dir

AGENTS = Path(__file__).with_name("agents")


def compile_agent(name: str) -> str:
    """Compile benchmarks/agents/NAME.ts with frida-java-bridge from hooks/node_modules."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(AGENTS / f"{name}.ts", root / "agent.ts")
        # privmon's own wait for the JVM: a spawned HotSpot loads libjvm.so after main().
        shutil.copy(hooks_dir() / "src" / "lib" / "jvm.ts", root / "jvm.ts")
        shutil.copy(hooks_dir() / "tsconfig.json", root / "tsconfig.json")
        shutil.copy(hooks_dir() / "package.json", root / "package.json")
        os.symlink(hooks_dir() / "node_modules", root / "node_modules")
        return frida.Compiler().build("agent.ts", project_root=str(root))


@dataclass
class SpawnedApp:
    """A JVM program spawned under Frida with one agent loaded, and its stdout."""

    device: frida.Device
    pid: int
    session: frida.Session
    script: frida.Script
    output: list[str] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    detached: threading.Event = field(default_factory=threading.Event)
    detach_reason: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    def text(self) -> str:
        return "".join(self.output)


def spawn_with_agent(
    argv: list[str], code: str, config: dict | None = None, cwd: Path | None = None
) -> SpawnedApp:
    """Spawn argv suspended, load `code`, call its init(config) and resume."""
    device = frida.get_local_device()
    pid = device.spawn(argv, stdio="pipe", cwd=str(cwd) if cwd else None)
    session = device.attach(pid)
    script = session.create_script(code)
    app = SpawnedApp(device, pid, session, script)

    def on_output(out_pid: int, fd: int, data: bytes) -> None:
        if out_pid == pid and data:
            app.output.append(data.decode("utf-8", "replace"))

    def on_message(message: dict, data: object) -> None:
        payload = message.get("payload")
        if isinstance(payload, dict) and payload.get("type") == "agent:ready":
            app.ready.set()
        app.messages.append(message)

    def on_detached(reason: str, crash: object) -> None:
        app.detach_reason.append(f"{reason} {crash or ''}".strip())
        app.detached.set()

    device.on("output", on_output)
    session.on("detached", on_detached)
    script.on("message", on_message)
    script.load()
    script.exports_sync.init(config or {})
    device.resume(pid)
    return app
