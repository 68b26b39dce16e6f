"""Run configuration: the app under test, its consent signals and the rule thresholds."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.errors import ConfigError


class ConsentSignal(BaseModel):
    """A method whose call means the user decided on the privacy policy."""

    model_config = ConfigDict(extra="forbid")

    class_name: str = Field(pattern=r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
    method: str = Field(pattern=r"^[A-Za-z_$][\w$]*$")
    decision: Literal["agree", "refuse", "argument"]
    arg_index: int | None = Field(default=None, ge=0)
    """With decision "argument": the boolean argument that carries the decision."""

    def to_agent(self) -> dict:
        item = {"className": self.class_name, "method": self.method, "decision": self.decision}
        if self.arg_index is not None:
            item["argIndex"] = self.arg_index
        return item


class FrequencyLimit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_calls: int = Field(default=3, ge=1)
    """Calls of one API by one origin allowed inside the window; one more is a finding."""
    window_s: float = Field(default=60.0, gt=0)


class MonitorConfig(BaseModel):
    """Settings of one monitoring run, loaded from YAML with --config."""

    model_config = ConfigDict(extra="forbid")

    app_id: str = ""
    """Package name of the app; calls from its code are attributed to the app."""
    app_packages: list[str] = Field(default_factory=list)
    """More Java packages of the app's own code (besides app_id)."""
    consent_signals: list[ConsentSignal] = Field(default_factory=list)
    frequency: FrequencyLimit = Field(default_factory=FrequencyLimit)
    sdk_files: list[Path] = Field(default_factory=list)
    max_hooks_ready_ms: int = Field(default=0, ge=0)
    """Attach mode only: a run whose hooks came later than this after process start is
    partial. Spawned runs install hooks before app code, whatever the delay."""
    batch_size: int = Field(default=200, ge=1, le=10_000)
    flush_interval_ms: int = Field(default=50, ge=1, le=10_000)
    stack_depth: int = Field(default=16, ge=1, le=128)

    def own_packages(self) -> list[str]:
        return [p for p in [self.app_id, *self.app_packages] if p]

    def agent_config(self) -> dict:
        return {
            "appId": self.app_id,
            "consentSignals": [signal.to_agent() for signal in self.consent_signals],
            "batchSize": self.batch_size,
            "flushIntervalMs": self.flush_interval_ms,
            "stackDepth": self.stack_depth,
        }


def load_config(path: Path) -> MonitorConfig:
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except OSError as e:
        raise ConfigError(f"Cannot read config {path}: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"Invalid YAML in {path}: {e}") from e
    try:
        config = MonitorConfig.model_validate(raw)
    except ValidationError as e:
        raise ConfigError(f"Invalid config {path}:\n{_describe(e)}") from e
    base = path.parent
    config.sdk_files = [p if p.is_absolute() else base / p for p in config.sdk_files]
    return config


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)
