"""The status line shown while a run goes on: elapsed time, events per category, consent."""

from __future__ import annotations

import os
import select
import termios
import threading
import time
import tty

from rich.console import Console
from rich.live import Live

from monitor.clock import DeviceClock
from monitor.collector import Collector
from monitor.events import ConsentState

PLAIN_INTERVAL_S = 5.0


class StatusLine:
    """A rich live line on a terminal; a plain log line every few seconds otherwise."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.collector: Collector | None = None
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="privmon-status", daemon=True)

    def attach(self, collector: Collector) -> None:
        self.collector = collector
        self._started = time.monotonic()
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2)

    def text(self) -> str:
        elapsed = time.monotonic() - self._started
        if self.collector is None:
            return f"{elapsed:5.1f} s  starting"
        # dict() copies in one step; the consumer thread updates the counts meanwhile.
        counts = " ".join(f"{k}={v}" for k, v in sorted(dict(self.collector.counts).items())) or "-"
        consent = self.collector.timeline.current.value
        return f"{elapsed:5.1f} s  events: {counts}  consent: {consent}"

    def _loop(self) -> None:
        if self.console.is_terminal:
            with Live(
                self.text(), console=self.console, refresh_per_second=4, transient=True
            ) as live:
                while not self._stop.wait(0.25):
                    live.update(self.text())
        else:
            while not self._stop.wait(PLAIN_INTERVAL_S):
                self.console.print(self.text(), markup=False, highlight=False)


class ConsentKeys:
    """Reads single keys from a terminal during a run: `a` marks agree, `r` refuse.

    The decision is recorded at the device time of the key press, so a tester can mark the
    moment they tapped the privacy dialog on the phone.
    """

    KEYS = {"a": ConsentState.GRANTED, "r": ConsentState.REFUSED}

    def __init__(self, collector: Collector, clock: DeviceClock, fd: int) -> None:
        self.collector = collector
        self.clock = clock
        self.fd = fd
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="privmon-keys", daemon=True)
        self._saved: list | None = None

    def start(self) -> None:
        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(1)
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def handle(self, key: str) -> ConsentState | None:
        state = self.KEYS.get(key.lower())
        if state is not None:
            self.collector.add_consent(self.clock(), state, "key")
        return state

    def _loop(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                data = os.read(self.fd, 1)
                if not data:
                    return
                self.handle(data.decode("utf-8", "replace"))
