"""Builds the Frida agent bundle from hooks/ with frida.Compiler, cached by source hash."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import frida

from monitor.errors import AgentBuildError
from monitor.paths import cache_dir, hooks_dir

log = logging.getLogger(__name__)

ENTRY = "src/index.ts"


def agent_source_hash(root: Path) -> str:
    digest = hashlib.sha256()
    digest.update(frida.__version__.encode())
    files = sorted((root / "src").rglob("*.ts"))
    files += [root / "package-lock.json", root / "tsconfig.json"]
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_agent(root: Path | None = None) -> str:
    """Return the agent bundle's JavaScript, compiling it only when the sources changed."""
    root = root or hooks_dir()
    if not (root / ENTRY).exists():
        raise AgentBuildError(f"Agent sources not found: {root / ENTRY}")
    if not (root / "node_modules" / "frida-java-bridge").exists():
        raise AgentBuildError(
            f"The agent's node modules are missing in {root}: run `npm ci --prefix {root}`"
        )
    bundle = cache_dir("agent") / f"agent-{agent_source_hash(root)}.js"
    if bundle.exists():
        return bundle.read_text("utf-8")
    log.info("compiling agent from %s", root)
    compiler = frida.Compiler()
    diagnostics: list[str] = []
    compiler.on("diagnostics", lambda items: diagnostics.extend(map(str, items)))
    try:
        code = compiler.build(ENTRY, project_root=str(root))
    except frida.InvalidArgumentError as e:
        detail = "\n".join(diagnostics) or str(e)
        raise AgentBuildError(f"Failed to compile the agent: {detail}") from e
    tmp = bundle.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(code, "utf-8")
    tmp.replace(bundle)
    return code
