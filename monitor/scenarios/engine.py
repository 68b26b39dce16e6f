"""Run a Scenario's steps against a UI driver and report consent taps to the collector."""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from monitor.events import ConsentState
from monitor.rules import Finding
from monitor.scenarios import model
from monitor.scenarios.model import Scenario, Selector, Step, parse_point

log = logging.getLogger(__name__)

DEFAULT_AGREE_PATTERNS = ("同意", "同意并继续", "我同意", "Agree", "Accept", "I agree")
# Checked before the agree patterns, because "不同意" contains "同意".
DEFAULT_REFUSE_PATTERNS = ("不同意", "拒绝", "Disagree", "Decline", "Reject")

# How long tapOn and assertVisible wait for their element, like Maestro's implicit wait.
DEFAULT_FIND_TIMEOUT_S = 7.0
POLL_INTERVAL_S = 0.25

ConsentCallback = Callable[[int, ConsentState, str], None]


@dataclass(frozen=True)
class Element:
    """A view on screen, from whichever backend dumped it."""

    text: str
    id: str
    bounds: tuple[int, int, int, int]
    """Pixels as (left, top, right, bottom)."""

    @property
    def center(self) -> tuple[int, int]:
        left, top, right, bottom = self.bounds
        return (left + right) // 2, (top + bottom) // 2

    def contains(self, x: int, y: int) -> bool:
        left, top, right, bottom = self.bounds
        return left <= x < right and top <= y < bottom


class UiDriver(Protocol):
    """A device or app UI that a scenario drives. Times are device time in ms since epoch."""

    def dump(self) -> list[Element]: ...
    def screen_size(self) -> tuple[int, int]: ...
    def tap(self, x: int, y: int) -> int: ...
    def input_text(self, text: str) -> None: ...
    def erase_text(self, characters: int) -> None: ...
    def press_key(self, key: str) -> None: ...
    def back(self) -> None: ...
    def swipe(self, start: tuple[int, int], end: tuple[int, int], duration_ms: int) -> None: ...
    def launch_app(self, app_id: str) -> None: ...
    def stop_app(self, app_id: str) -> None: ...
    def clear_state(self, app_id: str) -> None: ...
    def screenshot(self, path: Path) -> Path: ...
    def device_time_ms(self) -> int: ...


class ScenarioError(RuntimeError):
    """A step failed; the message names the step, its file and line."""


@dataclass(frozen=True)
class StepResult:
    step: Step
    time_ms: int
    """Device time when the step started."""
    detail: str


@dataclass
class ConsentMatcher:
    """Classify a tapped element's text as an agree or refuse decision, refuse first."""

    agree: Sequence[str] = DEFAULT_AGREE_PATTERNS
    refuse: Sequence[str] = DEFAULT_REFUSE_PATTERNS
    _compiled: list[tuple[ConsentState, re.Pattern[str]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._compiled = [(ConsentState.REFUSED, _pattern(p)) for p in self.refuse]
        self._compiled += [(ConsentState.GRANTED, _pattern(p)) for p in self.agree]

    def classify(self, text: str) -> ConsentState | None:
        normalized = normalize_text(text)
        for state, pattern in self._compiled:
            if pattern.search(normalized):
                return state
        return None


_IDEOGRAPH_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def normalize_text(text: str) -> str:
    """Fold full-width forms (NFKC), collapse whitespace and drop spaces inside Chinese words,
    so that "同 意" and "Ａｇｒｅｅ" match "同意" and "Agree"."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return _IDEOGRAPH_SPACE.sub("", text)


def _pattern(text: str) -> re.Pattern[str]:
    escaped = re.escape(normalize_text(text))
    # Latin patterns match whole words, so "Agree" does not match "User Agreement".
    if text.isascii():
        escaped = rf"(?<!\w){escaped}(?!\w)"
    return re.compile(escaped, re.IGNORECASE)


def element_matches(element: Element, selector: Selector) -> bool:
    """Match Maestro-style: equal text or a full regex match, and equal id or id suffix."""
    if selector.text is not None and not _text_matches(element.text, selector.text):
        return False
    if selector.id is not None and not _id_matches(element.id, selector.id):
        return False
    return True


def _text_matches(value: str, query: str) -> bool:
    if normalize_text(value) == normalize_text(query):
        return True
    try:
        return re.fullmatch(query, value) is not None
    except re.error:
        return False


def _id_matches(value: str, query: str) -> bool:
    # "agree" matches "com.example.demoapp:id/agree", as in Maestro.
    return value == query or value.endswith(f":id/{query}")


def find_elements(elements: Sequence[Element], selector: Selector) -> list[Element]:
    return [element for element in elements if element_matches(element, selector)]


class ScenarioEngine:
    """Run a scenario's steps in order; each failure raises ScenarioError with its location."""

    def __init__(
        self,
        scenario: Scenario,
        driver: UiDriver,
        on_consent: ConsentCallback,
        agree_patterns: Sequence[str] = DEFAULT_AGREE_PATTERNS,
        refuse_patterns: Sequence[str] = DEFAULT_REFUSE_PATTERNS,
        *,
        find_timeout_s: float = DEFAULT_FIND_TIMEOUT_S,
        screenshot_dir: Path = Path("."),
        stop: threading.Event | None = None,
    ) -> None:
        self.scenario = scenario
        self.driver = driver
        self.on_consent = on_consent
        self.matcher = ConsentMatcher(agree_patterns, refuse_patterns)
        self.find_timeout_s = find_timeout_s
        self.screenshot_dir = screenshot_dir
        self.stop = stop or threading.Event()
        self.results: list[StepResult] = []

    def run(self) -> list[StepResult]:
        for number, step in enumerate(self.scenario.steps, start=1):
            if self.stop.is_set():
                raise ScenarioError(f"stopped before step {number} {step.name} at {step.where()}")
            started = self.driver.device_time_ms()
            try:
                detail = self._run_step(step)
            except Exception as error:  # a step's or backend's failure, now with its location
                raise ScenarioError(
                    f"step {number} {step.name} at {step.where()}: {error}"
                ) from error
            log.info(
                "step %d %s at %s, device time %d: %s",
                number,
                step.name,
                step.where(),
                started,
                detail,
            )
            self.results.append(StepResult(step, started, detail))
        return self.results

    def _run_step(self, step: Step) -> str:
        handler = getattr(self, "_" + step.name.replace("privmon.", "privmon_"))
        return handler(step.command)

    # Maestro commands.

    def _launchApp(self, command: model.LaunchApp) -> str:
        app_id = command.app_id or self.scenario.app_id
        if command.stop_app:
            self.driver.stop_app(app_id)
        if command.clear_state:
            self.driver.clear_state(app_id)
        self.driver.launch_app(app_id)
        return f"launched {app_id}"

    def _stopApp(self, command: model.AppCommand) -> str:
        app_id = command.app_id or self.scenario.app_id
        self.driver.stop_app(app_id)
        return f"stopped {app_id}"

    def _clearState(self, command: model.AppCommand) -> str:
        app_id = command.app_id or self.scenario.app_id
        self.driver.clear_state(app_id)
        return f"cleared {app_id}"

    def _tapOn(self, command: model.TapOn) -> str:
        selector = command.selector()
        if selector is None:
            x, y = parse_point(command.point or "")
            element = self._element_at(x, y)
        else:
            element = self._wait_for(selector, optional=command.optional)
            if element is None:
                return f"skipped: optional element {selector.describe()} not found"
            x, y = element.center
        tap_ms = self.driver.tap(x, y)
        text = element.text if element is not None else ""
        self._report_consent(tap_ms, text, x, y)
        return f"tapped {text!r} at ({x}, {y}), device time {tap_ms}"

    def _inputText(self, command: model.InputText) -> str:
        self.driver.input_text(command.text)
        return f"typed {len(command.text)} characters"

    def _eraseText(self, command: model.EraseText) -> str:
        self.driver.erase_text(command.characters)
        return f"erased up to {command.characters} characters"

    def _assertVisible(self, selector: Selector) -> str:
        self._wait_for(selector, optional=False)
        return f"{selector.describe()} is visible"

    def _assertNotVisible(self, selector: Selector) -> str:
        self._wait_until_gone(selector, self.find_timeout_s)
        return f"{selector.describe()} is not visible"

    def _extendedWaitUntil(self, command: model.ExtendedWaitUntil) -> str:
        timeout_s = command.timeout / 1000
        if command.visible is not None:
            self._wait_for(command.visible, optional=False, timeout_s=timeout_s)
            return f"{command.visible.describe()} became visible"
        assert command.not_visible is not None  # the model requires one of the two
        self._wait_until_gone(command.not_visible, timeout_s)
        return f"{command.not_visible.describe()} disappeared"

    def _waitForAnimationToEnd(self, command: model.WaitForAnimationToEnd) -> str:
        deadline = time.monotonic() + command.timeout / 1000
        previous = self.driver.dump()
        while time.monotonic() < deadline:
            self._sleep(POLL_INTERVAL_S)
            current = self.driver.dump()
            if current == previous:
                return "screen is still"
            previous = current
        return "screen still changing at the timeout; continuing, as Maestro does"

    def _back(self, command: model.NoArguments) -> str:
        self.driver.back()
        return "pressed back"

    def _pressKey(self, command: model.PressKey) -> str:
        self.driver.press_key(command.key)
        return f"pressed {command.key}"

    def _swipe(self, command: model.Swipe) -> str:
        if command.direction is not None:
            start, end = self._direction_points(command.direction)
        else:
            start, end = parse_point(command.start or ""), parse_point(command.end or "")
        self.driver.swipe(start, end, command.duration)
        return f"swiped from {start} to {end}"

    def _scroll(self, command: model.NoArguments) -> str:
        start, end = self._direction_points("DOWN")
        self.driver.swipe(start, end, 400)
        return "scrolled down"

    def _scrollUntilVisible(self, command: model.ScrollUntilVisible) -> str:
        deadline = time.monotonic() + command.timeout / 1000
        start, end = self._direction_points(command.direction)
        while True:
            if find_elements(self.driver.dump(), command.element):
                return f"{command.element.describe()} is visible"
            if time.monotonic() >= deadline:
                raise ScenarioError(
                    f"{command.element.describe()} not visible after scrolling for "
                    f"{command.timeout} ms"
                )
            self.driver.swipe(start, end, 400)

    def _takeScreenshot(self, command: model.TakeScreenshot) -> str:
        path = self.screenshot_dir / command.path
        if not path.suffix:
            path = path.with_suffix(".png")
        written = self.driver.screenshot(path)
        return f"saved {written}"

    # privmon commands.

    def _privmon_consent(self, command: model.PrivmonConsent) -> str:
        state = ConsentState.GRANTED if command.decision == "agree" else ConsentState.REFUSED
        time_ms = self.driver.device_time_ms()
        self.on_consent(time_ms, state, "scenario privmon.consent")
        return f"marked consent {state.value} at device time {time_ms}"

    def _privmon_background(self, command: model.PrivmonSeconds) -> str:
        self.driver.press_key("home")
        self._sleep(command.seconds)
        return f"in background for {command.seconds:g} s"

    def _privmon_wait(self, command: model.PrivmonSeconds) -> str:
        self._sleep(command.seconds)
        return f"waited {command.seconds:g} s"

    # Helpers.

    def _report_consent(self, tap_ms: int, text: str, x: int, y: int) -> None:
        state = self.matcher.classify(text) if text else None
        if state is None:
            return
        log.info("tap on %r at (%d, %d) means consent %s", text, x, y, state.value)
        self.on_consent(tap_ms, state, f"tap {text}")

    def _element_at(self, x: int, y: int) -> Element | None:
        """Return the smallest element at (x, y), so a button wins over its dialog."""
        hits = [e for e in self.driver.dump() if e.contains(x, y) and e.text]
        return min(hits, key=lambda e: _area(e.bounds), default=None)

    def _wait_for(
        self, selector: Selector, optional: bool, timeout_s: float | None = None
    ) -> Element | None:
        limit = self.find_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + limit
        while True:
            matches = find_elements(self.driver.dump(), selector)
            if len(matches) > selector.index:
                return matches[selector.index]
            if time.monotonic() >= deadline:
                if optional:
                    return None
                raise ScenarioError(f"{selector.describe()} not visible within {limit:g} s")
            self._sleep(POLL_INTERVAL_S)

    def _wait_until_gone(self, selector: Selector, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while find_elements(self.driver.dump(), selector):
            if time.monotonic() >= deadline:
                raise ScenarioError(f"{selector.describe()} still visible after {timeout_s:g} s")
            self._sleep(POLL_INTERVAL_S)

    def _direction_points(self, direction: str) -> tuple[tuple[int, int], tuple[int, int]]:
        """Return a swipe across the middle 60% of the screen; DOWN scrolls content down,
        so the finger moves up."""
        width, height = self.driver.screen_size()
        cx, cy = width // 2, height // 2
        dx, dy = int(width * 0.3), int(height * 0.3)
        moves = {
            "DOWN": ((cx, cy + dy), (cx, cy - dy)),
            "UP": ((cx, cy - dy), (cx, cy + dy)),
            "RIGHT": ((cx + dx, cy), (cx - dx, cy)),
            "LEFT": ((cx - dx, cy), (cx + dx, cy)),
        }
        return moves[direction]

    def _sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise ScenarioError("stopped while waiting")


def _area(bounds: tuple[int, int, int, int]) -> int:
    left, top, right, bottom = bounds
    return (right - left) * (bottom - top)


def check_expectations(scenario: Scenario, findings: Sequence[Finding]) -> list[str]:
    """Return one message per finding whose rule privmon.expectNoFindings listed."""
    expected = set(scenario.expect_no_findings)
    return [
        f"privmon.expectNoFindings: rule {f.rule} found for {f.origin} ({f.api})"
        for f in findings
        if f.rule in expected
    ]
