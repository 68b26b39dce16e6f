import io

from rich.console import Console

from monitor.attribution import Attributor
from monitor.collector import Collector
from monitor.consent import ConsentPoint
from monitor.events import ConsentState
from monitor.live import StatusLine
from monitor.store import Store


def test_status_line_counts_and_consent():
    collector = Collector(Store(":memory:"), "run", Attributor([], []))
    collector.counts.update({"location": 3, "identifiers": 1})
    collector.timeline.add(ConsentPoint(1, None, None, ConsentState.GRANTED, "test"))
    status = StatusLine(Console(file=io.StringIO()))
    status.collector = collector
    text = status.text()
    assert "identifiers=1 location=3" in text
    assert "consent: granted" in text


def test_status_line_before_start():
    status = StatusLine(Console(file=io.StringIO()))
    assert status.text().endswith("starting")


def test_consent_keys_from_terminal():
    import os
    import pty
    import time

    from monitor.live import ConsentKeys

    collector = Collector(Store(":memory:"), "run", Attributor([], []))
    collector.start()
    master, slave = pty.openpty()
    keys = ConsentKeys(collector, lambda: 1_800_000_000_000, slave)
    keys.start()
    try:
        os.write(master, b"x")
        os.write(master, b"a")
        deadline = time.monotonic() + 5
        while collector.timeline.current is not ConsentState.GRANTED:
            assert time.monotonic() < deadline, "the key press was not recorded"
            time.sleep(0.05)
    finally:
        keys.close()
        collector.close()
        os.close(master)
        os.close(slave)
    points = collector.timeline.points
    assert [(p.time_ms, p.state, p.source) for p in points] == [
        (1_800_000_000_000, ConsentState.GRANTED, "key")
    ]
