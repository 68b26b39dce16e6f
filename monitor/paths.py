"""Locations of the agent sources and of privmon's cache folder."""

from __future__ import annotations

import math
import os
from pathlib import Path

import click

from monitor.errors import ConfigError


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


def read_input_text(path: Path, kind: str) -> str:
    """Return a user's input file (config, policy, scenario) as text.

    Raises ConfigError naming `kind` and the path when the file cannot be read or is not
    UTF-8 text.
    """
    try:
        return path.read_text("utf-8")
    except OSError as e:
        raise ConfigError(f"Failed to read {kind} {path}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(
            f"Failed to read {kind} {path}: not UTF-8 text (byte {e.start} is invalid)"
        ) from e


class FiniteRange(click.FloatRange):
    """A click FloatRange that also rejects NaN, which every range comparison lets through."""

    name = "finite float range"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number
