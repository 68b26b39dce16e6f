"""HTML report: one self-contained file without scripts.

Jinja2 escapes every value from the app, and `_finalize` turns control characters into
visible escapes before that.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from monitor.reports.model import Report
from monitor.reports.text import iso_utc, since_consent, visible


def _finalize(value: Any) -> Any:
    return visible(value, keep_lines=True) if isinstance(value, str) else value


_ENV = Environment(
    loader=PackageLoader("monitor.reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    finalize=_finalize,
)
_ENV.filters["iso_utc"] = iso_utc
_ENV.filters["since_consent"] = since_consent


def render_html(report: Report) -> str:
    return _ENV.get_template("report.html.j2").render(
        report=report,
        lanes=_lanes(report),
        span=_span(report),
        gaps=[f for f in report.findings if f.rule == "coverage"],
    )


def write_html(report: Report, path: Path) -> None:
    path.write_text(render_html(report), "utf-8")


def _span(report: Report) -> tuple[int, int]:
    times = [e["time_ms"] for e in report.timeline]
    times += [c.time_ms for c in report.consent_changes]
    if not times:
        return (0, 1)
    return (min(times), max(max(times), min(times) + 1))


def _lanes(report: Report) -> dict[str, list[dict]]:
    lanes: dict[str, list[dict]] = defaultdict(list)
    for event in report.timeline:
        lanes[event["category"]].append(event)
    return dict(sorted(lanes.items()))
