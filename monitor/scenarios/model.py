"""Scenario commands: the supported subset of Maestro flows plus privmon's own commands.

Each model validates the argument of one command as it appears in the YAML file. The loader
turns the shorthand forms (``tapOn: "Agree"``, ``back``) into these models, and expands
``repeat`` and ``runFlow`` into a flat list of steps before anything runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_POINT = re.compile(r"\s*(\d+)\s*,\s*(\d+)\s*")


def parse_point(value: str) -> tuple[int, int]:
    """Parse an ``"x,y"`` pixel point, as Maestro writes it."""
    match = _POINT.fullmatch(value)
    if match is None:
        raise ValueError(f"invalid point {value!r}: expected pixels as 'x,y', such as '540,1200'")
    return int(match.group(1)), int(match.group(2))


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Selector(_Command):
    """An element on screen, by text and/or resource id; `index` picks among several matches."""

    text: str | None = None
    id: str | None = None
    index: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _needs_criterion(self) -> Selector:
        if self.text is None and self.id is None:
            raise ValueError("an element needs 'text' or 'id'")
        return self

    def describe(self) -> str:
        parts = []
        if self.text is not None:
            parts.append(f"text {self.text!r}")
        if self.id is not None:
            parts.append(f"id {self.id!r}")
        suffix = f" (index {self.index})" if self.index else ""
        return " and ".join(parts) + suffix


class LaunchApp(_Command):
    app_id: str | None = Field(default=None, alias="appId")
    clear_state: bool = Field(default=False, alias="clearState")
    stop_app: bool = Field(default=True, alias="stopApp")
    """Maestro stops a running app before launching it unless this is false."""


class AppCommand(_Command):
    """stopApp and clearState: the scenario's app unless `appId` names another."""

    app_id: str | None = Field(default=None, alias="appId")


class TapOn(_Command):
    text: str | None = None
    id: str | None = None
    point: str | None = None
    index: int = Field(default=0, ge=0)
    optional: bool = False
    """When true, a missing element skips the step instead of failing the scenario."""

    @field_validator("point")
    @classmethod
    def _valid_point(cls, value: str | None) -> str | None:
        if value is not None:
            parse_point(value)
        return value

    @model_validator(mode="after")
    def _one_target(self) -> TapOn:
        if self.point is None and self.text is None and self.id is None:
            raise ValueError("tapOn needs 'text', 'id' or 'point'")
        if self.point is not None and (self.text is not None or self.id is not None):
            raise ValueError("tapOn takes 'point' or 'text'/'id', not both")
        return self

    def selector(self) -> Selector | None:
        if self.point is not None:
            return None
        return Selector(text=self.text, id=self.id, index=self.index)


class InputText(_Command):
    text: str


class EraseText(_Command):
    characters: int = Field(default=50, ge=1, le=1000, alias="charactersToErase")


class ExtendedWaitUntil(_Command):
    visible: Selector | None = None
    not_visible: Selector | None = Field(default=None, alias="notVisible")
    timeout: int = Field(ge=0, le=3_600_000)
    """Milliseconds."""

    @model_validator(mode="after")
    def _one_condition(self) -> ExtendedWaitUntil:
        if (self.visible is None) == (self.not_visible is None):
            raise ValueError("extendedWaitUntil needs exactly one of 'visible' or 'notVisible'")
        return self


class WaitForAnimationToEnd(_Command):
    timeout: int = Field(default=5000, ge=0, le=600_000)
    """Milliseconds to wait for two identical screen dumps in a row."""


class PressKey(_Command):
    key: str


Direction = Literal["UP", "DOWN", "LEFT", "RIGHT"]


class Swipe(_Command):
    start: str | None = None
    end: str | None = None
    direction: Direction | None = None
    duration: int = Field(default=400, ge=1, le=60_000)
    """Milliseconds."""

    @field_validator("start", "end")
    @classmethod
    def _valid_point(cls, value: str | None) -> str | None:
        if value is not None:
            parse_point(value)
        return value

    @model_validator(mode="after")
    def _points_or_direction(self) -> Swipe:
        has_points = self.start is not None and self.end is not None
        if has_points == (self.direction is not None):
            raise ValueError("swipe needs either 'start' and 'end' or 'direction'")
        return self


class ScrollUntilVisible(_Command):
    element: Selector
    direction: Direction = "DOWN"
    timeout: int = Field(default=20_000, ge=0, le=600_000)
    """Milliseconds."""


class TakeScreenshot(_Command):
    path: str


class PrivmonConsent(_Command):
    decision: Literal["agree", "refuse"]


class PrivmonSeconds(_Command):
    """privmon.background and privmon.wait."""

    seconds: float = Field(gt=0, le=86_400)


class NoArguments(_Command):
    """back, scroll, launch-less commands written as a bare name."""


Command = (
    LaunchApp
    | AppCommand
    | TapOn
    | InputText
    | EraseText
    | Selector
    | ExtendedWaitUntil
    | WaitForAnimationToEnd
    | PressKey
    | Swipe
    | ScrollUntilVisible
    | TakeScreenshot
    | PrivmonConsent
    | PrivmonSeconds
    | NoArguments
)


@dataclass(frozen=True)
class Step:
    """One command to run, after repeat and runFlow expansion."""

    name: str
    """The command's name as written, such as ``tapOn`` or ``privmon.consent``."""
    command: Command
    file: str
    line: int
    """1-based line of the command in `file`."""
    context: str = ""
    """Origin of an expanded step, such as ``repeat 2/3``."""

    def where(self) -> str:
        location = f"{self.file} line {self.line}"
        return f"{location} ({self.context})" if self.context else location


@dataclass
class Scenario:
    """A loaded flow: its header and its steps with repeat and runFlow expanded."""

    app_id: str
    path: str
    name: str | None = None
    tags: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    expect_no_findings: list[str] = field(default_factory=list)
    """Rule ids from privmon.expectNoFindings, checked after the run by check_expectations."""
