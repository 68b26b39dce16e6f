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
