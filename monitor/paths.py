"""Locations of the agent sources and of privmon's cache folder."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    """Return (and create) a cache folder, honouring PRIVMON_CACHE_DIR and XDG_CACHE_HOME."""
    root = os.environ.get("PRIVMON_CACHE_DIR")
    if root:
        base = Path(root)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "privmon"
    path = base / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def hooks_dir() -> Path:
    """Return the agent's source folder: PRIVMON_HOOKS_DIR, else hooks/ of this checkout."""
    override = os.environ.get("PRIVMON_HOOKS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "hooks"
