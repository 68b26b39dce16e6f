"""Drive the demo app through its stdin/stdout protocol.

The app prints machine-readable lines as ``@privmon-demo `` followed by one JSON object whose
``event`` key names the event (start, screen, tap, back, decision, check, error, exit). Any
other stdout line is text for people. It reads one command per stdin line: ``dump``,
``tap-text TEXT``, ``tap-id ID``, ``tap-point X Y``, ``back`` and ``wait-exit``.

The driver owns no process. Its owner passes a ``write`` callable that sends bytes to the
app's stdin, and calls :meth:`DemoDriver.feed` with stdout chunks from any thread, then
:meth:`DemoDriver.close` at end of output. This works the same for a plain subprocess and
for a Frida-spawned one.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

logger = logging.getLogger(__name__)

EVENT_PREFIX = "@privmon-demo "
DEFAULT_TIMEOUT_S = 10.0


class ScreenElement(BaseModel):
    """One view on the demo app's screen."""

    model_config = ConfigDict(frozen=True)

    id: str
    """Android-style resource id, such as ``com.example.demoapp:id/agree``."""
    text: str
    bounds: tuple[int, int, int, int]
    """Pixels as (left, top, right, bottom), with right and bottom exclusive."""
    clickable: bool

    def center(self) -> tuple[int, int]:
        left, top, right, bottom = self.bounds
        return (left + right) // 2, (top + bottom) // 2


class Screen(BaseModel):
    """Screen contents that the demo app reported at ``time_ms`` (device time, ms since epoch)."""

    model_config = ConfigDict(frozen=True)

    name: str
    width: int
    height: int
    elements: list[ScreenElement]
    time_ms: int

    def find_id(self, resource_id: str) -> ScreenElement | None:
        return next((e for e in self.elements if e.id == resource_id), None)

    def find_text(self, text: str) -> ScreenElement | None:
        """Return the element whose text equals ``text`` exactly, or None."""
        return next((e for e in self.elements if e.text == text), None)


class Tap(BaseModel):
    """A tap that the app delivered to an element."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    x: int
    y: int
    time_ms: int
    """Device time of the tap, in ms since the epoch."""


@dataclass(frozen=True)
class DemoEvent:
    """One protocol line from the app."""

    index: int
    """Position among all events received, from 0."""
    name: str
    data: dict[str, Any]
    """The whole JSON object, including the ``event`` key."""


class DemoDriverError(RuntimeError):
    """Base class of the driver's errors."""


class DemoCommandError(DemoDriverError):
    """Raised when the app rejects a command or a tap hits no element."""


class DemoOutputClosedError(DemoDriverError):
    """Raised when the app's stdout ends before the awaited event arrives."""


class DemoDriver:
    """Client for the demo app protocol: sends commands and collects events, thread-safely.

    Commands wait for their reply event. Taps and back presses run on the app's main thread,
    so they wait until the app's main loop is idle: sent during start-up, they apply to the
    privacy dialog once it shows. After the decision the app stops its main loop, so
    later taps get no reply and time out.
    """

    def __init__(self, write: Callable[[bytes], None], timeout: float = DEFAULT_TIMEOUT_S):
        self._write = write
        self._timeout = timeout
        self._condition = threading.Condition()
        self._command_lock = threading.Lock()
        self._buffer = b""
        self._events: list[DemoEvent] = []
        self._text_lines: list[str] = []
        self._screen: Screen | None = None
        self._closed = False

    # Output side, called by the owner.

    def feed(self, data: bytes) -> None:
        """Add a chunk of the app's stdout. A chunk may end mid-line or contain several lines."""
        with self._condition:
            self._buffer += data
            *lines, self._buffer = self._buffer.split(b"\n")
            for line in lines:
                self._handle_line(line)
            if lines:
                self._condition.notify_all()

    def close(self) -> None:
        """Mark the end of the app's stdout, so that waiting calls fail instead of timing out."""
        with self._condition:
            if self._buffer:
                self._handle_line(self._buffer)
                self._buffer = b""
            self._closed = True
            self._condition.notify_all()

    # State.

    @property
    def events(self) -> list[DemoEvent]:
        with self._condition:
            return list(self._events)

    @property
    def text_lines(self) -> list[str]:
        """Stdout lines that were not protocol events, kept for logs."""
        with self._condition:
            return list(self._text_lines)

    @property
    def screen(self) -> Screen | None:
        """The latest screen the app reported, or None before the first one."""
        with self._condition:
            return self._screen

    @property
    def exit_code(self) -> int | None:
        """The code from the app's exit event, or None before it."""
        with self._condition:
            exits = [e for e in self._events if e.name == "exit"]
        return int(exits[-1].data["code"]) if exits else None

    def events_named(self, name: str) -> list[dict[str, Any]]:
        """Return the JSON objects of the events called ``name`` so far, in order."""
        with self._condition:
            return [dict(e.data) for e in self._events if e.name == name]

    def checks(self) -> dict[str, bool]:
        """Return each self-check's result by name, from the check events so far."""
        with self._condition:
            return {
                str(e.data["name"]): bool(e.data["ok"]) for e in self._events if e.name == "check"
            }

    # Commands.

    def dump(self, timeout: float | None = None) -> Screen:
        """Ask the app for its current screen and return it."""
        event = self._request(
            "dump",
            lambda e: e.name == "screen" and e.data.get("reason") == "dump",
            timeout,
        )
        return _parse_screen(event)

    def tap_text(self, text: str, timeout: float | None = None) -> Tap:
        """Tap the element with this text, else the one element whose text contains it.

        Raises DemoCommandError when no element, or more than one, matches.
        """
        return self._tap(f"tap-text {_single_line(text)}", timeout)

    def tap_id(self, resource_id: str, timeout: float | None = None) -> Tap:
        """Tap the element with this resource id."""
        return self._tap(f"tap-id {_single_line(resource_id)}", timeout)

    def tap_point(self, x: int, y: int, timeout: float | None = None) -> Tap:
        """Tap the topmost element at (x, y), or raise DemoCommandError if none is there."""
        return self._tap(f"tap-point {int(x)} {int(y)}", timeout)

    def back(self, timeout: float | None = None) -> int:
        """Press the back key and return the device time of the press."""
        event = self._request("back", lambda e: e.name == "back", timeout)
        return int(event.data["time_ms"])

    def wait_exit(self, timeout: float | None = None) -> int:
        """Tell the app that no more commands follow, then wait for its exit code.

        With ``--consent wait`` and no decision yet, the app closes the dialog undecided
        and exits. With ``agree`` or ``refuse``, the automatic decision still runs first.
        """
        code = self.exit_code
        if code is not None:
            return code
        with self._command_lock:
            since = self._event_count()
            self._write(b"wait-exit\n")
            event = self._wait(lambda e: e.name == "exit", since, timeout, "exit")
        return int(event.data["code"])

    def wait_for_event(
        self, name: str, timeout: float | None = None, *, since: int = 0
    ) -> DemoEvent:
        """Return the first event called ``name`` whose index is ``since`` or later.

        Raises TimeoutError, or DemoOutputClosedError when stdout ends first.
        """
        return self._wait(lambda e: e.name == name, since, timeout, name)

    def wait_for_screen(self, name: str, timeout: float | None = None) -> Screen:
        """Return the first screen called ``name`` that the app showed or dumped."""
        event = self._wait(
            lambda e: e.name == "screen" and e.data.get("name") == name,
            0,
            timeout,
            f"screen {name}",
        )
        return _parse_screen(event)

    # Internals.

    def _tap(self, command: str, timeout: float | None) -> Tap:
        event = self._request(command, lambda e: e.name == "tap", timeout)
        if not event.data.get("ok"):
            raise DemoCommandError(f"{command} failed: {event.data.get('message')}")
        try:
            return Tap.model_validate(event.data)
        except ValidationError as error:
            raise DemoDriverError(f"invalid tap event {event.data!r}: {error}") from error

    def _request(
        self, command: str, is_reply: Callable[[DemoEvent], bool], timeout: float | None
    ) -> DemoEvent:
        """Send one command and wait for its reply or for an error event naming it."""
        verb = command.split(" ", 1)[0]

        def matches(event: DemoEvent) -> bool:
            return is_reply(event) or (event.name == "error" and event.data.get("command") == verb)

        # One command at a time, so each reply belongs to the command just sent.
        with self._command_lock:
            since = self._event_count()
            self._write(command.encode("utf-8") + b"\n")
            event = self._wait(matches, since, timeout, f"reply to {verb}")
        if event.name == "error":
            raise DemoCommandError(f"{command} failed: {event.data.get('message')}")
        return event

    def _event_count(self) -> int:
        with self._condition:
            return len(self._events)

    def _wait(
        self,
        matches: Callable[[DemoEvent], bool],
        since: int,
        timeout: float | None,
        description: str,
    ) -> DemoEvent:
        limit = self._timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        checked = since
        with self._condition:
            while True:
                for event in self._events[checked:]:
                    if matches(event):
                        return event
                checked = max(checked, len(self._events))
                if self._closed:
                    raise DemoOutputClosedError(
                        f"demo app output ended before the {description} event"
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"timed out after {limit:g} s waiting for the {description} event"
                    )
                self._condition.wait(remaining)

    def _handle_line(self, raw: bytes) -> None:
        """Parse one stdout line. The caller must own the condition's lock."""
        line = raw.decode("utf-8", errors="replace").rstrip("\r")
        if not line.startswith(EVENT_PREFIX):
            logger.debug("demo app: %s", line)
            self._text_lines.append(line)
            return
        event = self._parse_event(line)
        if event is None:
            self._text_lines.append(line)
            return
        self._events.append(event)
        if event.name == "screen":
            self._update_screen(event)

    def _parse_event(self, line: str) -> DemoEvent | None:
        try:
            data = json.loads(line[len(EVENT_PREFIX) :])
        except json.JSONDecodeError as error:
            logger.warning("Ignoring invalid demo app event %r: %s", line, error)
            return None
        if not isinstance(data, dict) or not isinstance(data.get("event"), str):
            logger.warning("Ignoring demo app event without an event name: %r", line)
            return None
        return DemoEvent(index=len(self._events), name=data["event"], data=data)

    def _update_screen(self, event: DemoEvent) -> None:
        try:
            self._screen = _parse_screen(event)
        except DemoDriverError as error:
            logger.warning("%s", error)


def _parse_screen(event: DemoEvent) -> Screen:
    try:
        return Screen.model_validate(event.data)
    except ValidationError as error:
        raise DemoDriverError(f"invalid screen event {event.data!r}: {error}") from error


def _single_line(argument: str) -> str:
    if "\n" in argument or "\r" in argument:
        raise ValueError(f"command argument must be one line, got {argument!r}")
    if not argument.strip():
        raise ValueError("command argument must not be empty")
    return argument
