"""Run configuration: the app under test, its consent signals and the compliance policy."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from monitor.errors import ConfigError
from monitor.paths import read_input_text
from monitor.policy import (
    CoveragePolicy,
    FrequencyPolicy,
    Policy,
    Threshold,
    default_policy,
    describe_errors,
    load_policy,
    preset_names,
    read_yaml,
)


class ConsentSignal(BaseModel):
    """A method whose call means the user decided on the privacy policy."""

    model_config = ConfigDict(extra="forbid")

    class_name: str = Field(pattern=r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
    method: str = Field(pattern=r"^[A-Za-z_$][\w$]*$")
    decision: Literal["agree", "refuse", "argument"]
    # A Java method has at most 255 parameters.
    arg_index: int | None = Field(default=None, ge=0, le=254)
    """With decision "argument": the boolean argument that carries the decision."""

    def to_agent(self) -> dict:
        item = {"className": self.class_name, "method": self.method, "decision": self.decision}
        if self.arg_index is not None:
            item["argIndex"] = self.arg_index
        return item


class FrequencyLimit(BaseModel):
    """One call limit for every API, as older configs set it. Policies set limits per
    category, SDK and API."""

    model_config = ConfigDict(extra="forbid")

    max_calls: int = Field(default=3, ge=1)
    """Calls of one API by one origin allowed inside the window; one more is a finding."""
    window_s: float = Field(default=60.0, gt=0)


class FloodLimit(BaseModel):
    """When the agent counts a hook's calls per time bucket instead of sending each one."""

    model_config = ConfigDict(extra="forbid")

    calls_per_s: int = Field(default=500, ge=1)
    """Calls of one hook in one second after which its further calls are only counted."""
    bucket_ms: int = Field(default=100, ge=1, le=60_000)
    stack_sample: int = Field(default=64, ge=1)
    """While counting, capture the stack of one call in this many per hook and thread."""


class MonitorConfig(BaseModel):
    """Settings of one monitoring run, loaded from YAML with --config."""

    model_config = ConfigDict(extra="forbid")

    app_id: str = ""
    """Package name of the app; calls from its code are attributed to the app."""
    app_packages: list[str] = Field(default_factory=list)
    """More Java packages of the app's own code (besides app_id)."""
    consent_signals: list[ConsentSignal] = Field(default_factory=list)
    policy: Policy = Field(default_factory=default_policy)
    """Rules, severities and thresholds. In YAML, a preset name or a policy file path."""
    frequency: FrequencyLimit | None = Field(default=None, exclude=True)
    """Older form of policy.frequency: replaces every limit of the policy with this one."""
    sdk_files: list[Path] = Field(default_factory=list)
    max_hooks_ready_ms: int | None = Field(default=None, ge=0, exclude=True)
    """Older form of policy.coverage.max_hooks_ready_ms, where 0 means no limit."""
    batch_size: int = Field(default=200, ge=1, le=10_000)
    flush_interval_ms: int = Field(default=50, ge=1, le=10_000)
    stack_depth: int = Field(default=16, ge=1, le=128)
    redact: bool = True
    """Store identifiers, coordinates and contact rows as keyed hashes (see monitor/redact.py)."""
    flood: FloodLimit = Field(default_factory=FloodLimit)

    @field_validator("policy", mode="before")
    @classmethod
    def _load_named_policy(cls, value: object) -> object:
        return load_policy(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _fold_legacy_fields(self) -> MonitorConfig:
        """Move the older `frequency` and `max_hooks_ready_ms` fields into the policy."""
        if self.frequency is not None:
            limit = Threshold(max_calls=self.frequency.max_calls, window_s=self.frequency.window_s)
            frequency = FrequencyPolicy(default=limit)
            self.policy = self.policy.model_copy(update={"frequency": frequency})
            self.frequency = None
        if self.max_hooks_ready_ms:
            coverage = CoveragePolicy(max_hooks_ready_ms=self.max_hooks_ready_ms)
            self.policy = self.policy.model_copy(update={"coverage": coverage})
        self.max_hooks_ready_ms = None
        return self

    def own_packages(self) -> list[str]:
        return [p for p in [self.app_id, *self.app_packages] if p]

    def agent_config(self) -> dict:
        return {
            "appId": self.app_id,
            "consentSignals": [signal.to_agent() for signal in self.consent_signals],
            "batchSize": self.batch_size,
            "flushIntervalMs": self.flush_interval_ms,
            "stackDepth": self.stack_depth,
            "floodCallsPerSecond": self.flood.calls_per_s,
            "floodBucketMs": self.flood.bucket_ms,
            "floodStackSample": self.flood.stack_sample,
        }


def load_config(path: Path) -> MonitorConfig:
    source = read_input_text(path, "config")
    raw, root = read_yaml(source, str(path))
    raw = raw or {}
    base = path.parent
    policy = raw.get("policy") if isinstance(raw, dict) else None
    if isinstance(policy, str) and policy not in preset_names() and not Path(policy).is_absolute():
        # A policy file named in a config is relative to the config's folder.
        raw["policy"] = str(base / policy)
    try:
        config = MonitorConfig.model_validate(raw)
    except ValidationError as e:
        raise ConfigError(f"Invalid config {path}:\n{describe_errors(e, root)}") from e
    config.sdk_files = [p if p.is_absolute() else base / p for p in config.sdk_files]
    return config
