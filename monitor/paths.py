"""Locations of the agent sources and of privmon's cache folder."""

from __future__ import annotations

import os
from pathlib import Path

import click


def cache_root() -> Path:
    """Return privmon's cache folder without creating it.

    ``$PRIVMON_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/privmon``, else
    ``~/.cache/privmon``. A relative XDG_CACHE_HOME is ignored, as the XDG Base Directory
    Specification requires.
    """
    override = os.environ.get("PRIVMON_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "privmon"


def cache_dir(kind: str) -> Path:
    """Return (and create) the cache folder for one kind of artifact."""
    path = cache_root() / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def hooks_dir() -> Path:
    """Return the agent's source folder: PRIVMON_HOOKS_DIR, else hooks/ of this checkout."""
    override = os.environ.get("PRIVMON_HOOKS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "hooks"


def check_parent(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Reject an output path whose folder does not exist, before any work is done."""
    if value is not None and not value.resolve().parent.is_dir():
        raise click.BadParameter(f"folder {value.parent} does not exist")
    return value
