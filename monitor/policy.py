"""Compliance policy: which rules run, their severities and their thresholds.

A policy is a YAML file or one of the presets in monitor/data/policies (miit, strict,
report-only). A file may start from a preset with `extends: NAME` and override parts of
it. Mappings are merged key by key, and other values are replaced.
"""

from __future__ import annotations

import functools
import re
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitor.errors import ConfigError
from monitor.events import Category
from monitor.paths import read_input_text
from monitor.phrasing import count_of

DEFAULT_POLICY = "miit"
_API_NAME = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$")


class Severity(str, Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


RuleId = Literal[
    "pre_consent",
    "app_list_before_consent",
    "after_refusal",
    "frequency",
    "background_collection",
    "identifier_bypass",
    "app_start_before_consent",
    "app_start_frequency",
    "permission_before_consent",
    "permission_repeated",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Windows are counted in whole milliseconds, and a window over a year is longer than any
# run. Values outside these bounds are typing errors that break the frequency rule's math.
MIN_WINDOW_S = 0.001
MAX_WINDOW_S = 365 * 24 * 3600
MAX_CALLS_LIMIT = 1_000_000_000


class Threshold(_Strict):
    """At most `max_calls` calls inside any window of `window_s` seconds; one more is a finding."""

    max_calls: int = Field(ge=1, le=MAX_CALLS_LIMIT)
    window_s: float = Field(ge=MIN_WINDOW_S, le=MAX_WINDOW_S)

    @property
    def window_ms(self) -> int:
        return int(self.window_s * 1000)

    def describe(self) -> str:
        return f"{count_of(self.max_calls, 'call')} per {self.window_s:g} s"


class RuleSetting(_Strict):
    enabled: bool = True
    severity: Severity | None = None
    """None keeps the rule's built-in severity."""


class FrequencyPolicy(_Strict):
    """Call limits per (origin, API). The most specific entry wins: API, SDK, category, default."""

    default: Threshold = Threshold(max_calls=3, window_s=60)
    categories: dict[Category, Threshold] = Field(default_factory=dict)
    sdks: dict[str, Threshold] = Field(default_factory=dict)
    """Keyed by origin name: an SDK name from the SDK lists, an app package or "unknown"."""
    apis: dict[str, Threshold] = Field(default_factory=dict)
    """Keyed by "package.Class.method", as findings name APIs."""

    @field_validator("apis")
    @classmethod
    def _check_api_names(cls, apis: dict[str, Threshold]) -> dict[str, Threshold]:
        for name in apis:
            if not _API_NAME.match(name):
                raise ValueError(f"{name!r} is not a Class.method name such as a.b.C.method")
        return apis

    def threshold(self, origin: str, api: str, category: str) -> tuple[Threshold, str]:
        """Return the limit for calls of `api` by `origin` and where it was set."""
        if api in self.apis:
            return self.apis[api], f"API {api}"
        if origin in self.sdks:
            return self.sdks[origin], f"SDK {origin}"
        for key, limit in self.categories.items():
            if key.value == category:
                return limit, f"category {category}"
        return self.default, "default"


class PermissionPolicy(_Strict):
    repeat_window_s: float = Field(default=48 * 3600, ge=MIN_WINDOW_S, le=MAX_WINDOW_S)
    """A permission request this soon after a consent refusal, or after an earlier request
    of the same permission by the same origin, is a finding."""


class CoveragePolicy(_Strict):
    max_hooks_ready_ms: int | None = Field(default=None, ge=0)
    """Attach mode: hooks ready later than this after process start is a coverage gap."""


class Policy(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    report_only: bool = False
    """Cap every finding at info and never fail the run on findings (gaps still exit 3)."""
    rules: dict[RuleId, RuleSetting] = Field(default_factory=dict)
    frequency: FrequencyPolicy = FrequencyPolicy()
    permissions: PermissionPolicy = PermissionPolicy()
    coverage: CoveragePolicy = CoveragePolicy()

    def enabled(self, rule_id: str) -> bool:
        setting = self.rules.get(rule_id)  # type: ignore[call-overload]
        return setting is None or setting.enabled

    def severity(self, rule_id: str, default: Severity) -> Severity:
        if self.report_only:
            return Severity.INFO
        setting = self.rules.get(rule_id)  # type: ignore[call-overload]
        if setting is None or setting.severity is None:
            return default
        return setting.severity


def preset_names() -> list[str]:
    folder = resources.files("monitor.data").joinpath("policies")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_policy(name_or_path: str | Path) -> Policy:
    """Load a preset by name or a policy file by path; errors name the file, line and field."""
    text = str(name_or_path)
    if isinstance(name_or_path, str) and text in preset_names():
        return _load_preset(text)
    path = Path(name_or_path)
    if not path.is_file():
        raise ConfigError(
            f"Policy {text!r} not found: pass a file or one of the presets "
            f"{', '.join(preset_names())}"
        )
    source = read_input_text(path, "policy")
    return _parse(source, str(path), seen=(), default_name=path.stem)


@functools.cache
def _load_preset(name: str) -> Policy:
    source = resources.files("monitor.data").joinpath("policies", f"{name}.yaml")
    return _parse(source.read_text("utf-8"), f"preset {name}", seen=(name,), default_name=name)


def default_policy() -> Policy:
    return _load_preset(DEFAULT_POLICY)


def _parse(source: str, where: str, seen: tuple[str, ...], default_name: str) -> Policy:
    raw, root = read_yaml(source, where)
    if not isinstance(raw, dict):
        raise ConfigError(f"Invalid policy {where}: expected a mapping of policy fields")
    raw.setdefault("name", default_name)
    base = raw.pop("extends", None)
    if base is not None:
        raw = _merge(_base_data(base, where, seen, root), raw)
    try:
        return Policy.model_validate(raw)
    except ValidationError as e:
        raise ConfigError(f"Invalid policy {where}:\n{describe_errors(e, root)}") from e


def _base_data(base: Any, where: str, seen: tuple[str, ...], root: yaml.Node) -> dict:
    line = _line_of(root, ("extends",))
    if not isinstance(base, str) or base not in preset_names():
        raise ConfigError(
            f"Invalid policy {where}, line {line}: extends: {base!r} is not a preset "
            f"({', '.join(preset_names())})"
        )
    if base in seen:
        raise ConfigError(f"Invalid policy {where}, line {line}: extends loops back to {base}")
    return _load_preset(base).model_dump(mode="json", exclude_unset=True)


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_yaml(source: str, where: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML into data and its node tree, whose marks give line numbers."""
    try:
        return yaml.safe_load(source), yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise ConfigError(f"Invalid YAML in {where}: {e}") from e


def describe_errors(error: ValidationError, root: yaml.Node | None) -> str:
    """Return one line per validation error with its YAML line (when known) and field."""
    lines = []
    for item in error.errors():
        loc = tuple(item["loc"])
        field = ".".join(str(part) for part in loc) or "(top level)"
        line = _line_of(root, loc)
        prefix = f"line {line}: " if line is not None else ""
        lines.append(f"  {prefix}{field}: {item['msg']}")
    return "\n".join(lines)


def _line_of(root: yaml.Node | None, loc: tuple) -> int | None:
    """Return the 1-based line of the deepest key or item on `loc` that the YAML contains."""
    if root is None:
        return None
    node, marked = root, root
    for part in loc:
        found = _child(node, part)
        if found is None:
            break
        marked, node = found
    return marked.start_mark.line + 1


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node, yaml.Node] | None:
    """Return (node that marks the line, child node) for one step of a field path."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(part):
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], node.value[part]
    return None
