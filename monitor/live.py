"""The status line shown while a run goes on: elapsed time, events per category, consent."""

from __future__ import annotations

import threading
import time

from rich.console import Console
from rich.live import Live

from monitor.collector import Collector

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
        counts = " ".join(f"{k}={v}" for k, v in sorted(self.collector.counts.items())) or "-"
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
