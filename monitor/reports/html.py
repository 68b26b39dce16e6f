"""HTML report: one self-contained file without scripts.

Jinja2 escapes every value from the app, and `_finalize` turns control characters into
visible escapes before that.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from monitor.phrasing import count_of
from monitor.reports.model import Report, TimelineBin
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
_ENV.filters["count_of"] = count_of


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
    starts = [b.start_ms for b in report.timeline] + [c.time_ms for c in report.consent_changes]
    ends = [b.start_ms + report.timeline_bin_ms for b in report.timeline]
    ends += [c.time_ms for c in report.consent_changes]
    if not starts:
        return (0, 1)
    return (min(starts), max(max(ends), min(starts) + 1))


def _lanes(report: Report) -> dict[str, tuple[int, list[TimelineBin]]]:
    """Return (calls, bins) per category; a bin per consent state, so colours stay exact."""
    lanes: dict[str, list[TimelineBin]] = defaultdict(list)
    for timeline_bin in report.timeline:
        lanes[timeline_bin.category].append(timeline_bin)
    return {c: (sum(b.count for b in bins), bins) for c, bins in sorted(lanes.items())}
