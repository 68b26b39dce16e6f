"""CSV report: one finding per row, UTF-8 with a byte order mark so Excel reads Chinese.

App strings that a spreadsheet would evaluate as a formula get an apostrophe in front.
"""

from __future__ import annotations

import csv
from pathlib import Path

from monitor.reports.model import Report, ReportFinding
from monitor.reports.text import FINDING_COLUMNS, csv_safe, iso_utc, since_consent, visible

HEADERS = (*FINDING_COLUMNS, "首个证据 First evidence", "说明 Detail")


def write_csv(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for finding in report.findings:
            writer.writerow([_cell(value) for value in _row(finding)])


def _cell(value: str | int) -> str | int:
    if isinstance(value, str):
        return csv_safe(visible(value, keep_lines=True))
    return value


def _row(finding: ReportFinding) -> list[str | int]:
    return [
        finding.severity,
        finding.rule,
        finding.title,
        finding.category,
        finding.origin,
        finding.api,
        finding.consent,
        finding.count,
        finding.window_ms,
        iso_utc(finding.first_ms),
        iso_utc(finding.last_ms),
        _first_evidence(finding),
        finding.detail,
    ]


def _first_evidence(finding: ReportFinding) -> str:
    if not finding.evidence:
        return ""
    event = finding.evidence[0]
    return (
        f"{event.api}({event.args}) -> {event.outcome} {event.detail}; "
        f"{since_consent(event.since_consent_ms)}; thread {event.thread}"
    )
