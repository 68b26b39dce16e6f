"""Attribution of a call to the app, a known third-party SDK or unknown code, by its stack."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from monitor.errors import ConfigError
from monitor.paths import read_input_text

# Frames of the platform, language runtimes and support libraries: never an origin.
FRAMEWORK_PREFIXES = (
    "android.",
    "androidx.",
    "com.android.",
    "dalvik.",
    "java.",
    "javax.",
    "jdk.",
    "kotlin.",
    "kotlinx.",
    "sun.",
    "libcore.",
    "org.apache.harmony.",
    "com.sun.",
)
# Reflection and proxies pass a call on; the caller behind them is the origin.
REFLECTION_MARKERS = (
    "$Proxy",
    "java.lang.reflect.",
    "jdk.internal.reflect.",
    "sun.reflect.",
    "java.lang.invoke.",
    "$$Lambda",
)


class SdkInfo(BaseModel):
    """A third-party SDK recognised by its package prefixes."""

    name: str
    vendor: str = ""
    purpose: str = ""
    prefixes: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Origin:
    kind: Literal["app", "sdk", "unknown"]
    name: str
    """SDK name, app package, or "unknown"."""
    frame: str
    """The stack frame the origin was taken from, "" when none qualified."""


UNKNOWN = Origin("unknown", "unknown", "")


def load_sdks(extra_files: list[Path] | None = None) -> list[SdkInfo]:
    text = resources.files("monitor.data").joinpath("sdks.yaml").read_text("utf-8")
    sdks = _parse_sdks(text, "built-in SDK list")
    for path in extra_files or []:
        sdks.extend(_parse_sdks(read_input_text(path, "SDK list"), str(path)))
    return sdks


def _parse_sdks(text: str, source: str) -> list[SdkInfo]:
    try:
        raw = yaml.safe_load(text) or []
        if not isinstance(raw, list):
            raise ConfigError(f"Invalid SDK list in {source}: expected a list of SDKs")
        return [SdkInfo.model_validate(item) for item in raw]
    except yaml.YAMLError as e:
        raise ConfigError(f"Invalid YAML in {source}: {e}") from e
    except ValidationError as e:
        raise ConfigError(f"Invalid SDK list in {source}: {e}") from e


class Attributor:
    """Maps stacks (innermost frame first, "package.Class.method") to origins."""

    def __init__(self, app_packages: list[str], sdks: list[SdkInfo]) -> None:
        self.app_packages = [p for p in app_packages if p]
        # Longest prefix first, so com.google.android.gms.ads wins over com.google.android.gms.
        pairs = [(prefix, sdk.name) for sdk in sdks for prefix in sdk.prefixes]
        self.sdk_prefixes = sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)
        self._cache: dict[tuple[str, ...], Origin] = {}

    def origin(self, frames: list[str]) -> Origin:
        key = tuple(frames)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._compute(frames)
            self._cache[key] = cached
        return cached

    def _compute(self, frames: list[str]) -> Origin:
        for frame in frames:
            class_name = frame.rsplit(".", 1)[0] if "." in frame else frame
            if _is_framework(class_name) or _is_reflection(frame):
                continue
            return self._classify(class_name, frame)
        return UNKNOWN

    def _classify(self, class_name: str, frame: str) -> Origin:
        for prefix, name in self.sdk_prefixes:
            if _in_package(class_name, prefix):
                return Origin("sdk", name, frame)
        for package in self.app_packages:
            if _in_package(class_name, package):
                return Origin("app", package, frame)
        # Obfuscated or unlisted code is never assumed to be the app itself.
        return Origin("unknown", "unknown", frame)


def _in_package(class_name: str, prefix: str) -> bool:
    return class_name == prefix or class_name.startswith(prefix + ".")


def _is_framework(class_name: str) -> bool:
    return class_name.startswith(FRAMEWORK_PREFIXES)


def _is_reflection(frame: str) -> bool:
    return any(marker in frame for marker in REFLECTION_MARKERS)
