"""Terminal summary: counts, findings and the verdict, drawn with rich.

Every string from the app or the database goes through `_safe`: rich markup is escaped and
control characters become visible escapes, so an app cannot send ANSI sequences to the
terminal.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from monitor.reports.model import Report
from monitor.reports.text import iso_utc, visible

_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


def safe_markup(text: str) -> str:
    """Return `text` ready for rich markup: control characters visible, markup escaped."""
    return escape(visible(text))


_safe = safe_markup


def print_summary(report: Report, console: Console) -> None:
    console.print(
        f"[bold]privmon[/] run {_safe(report.run_id)}: {_safe(report.target)} "
        f"({_safe(report.mode)})"
    )
    recorded = f"{report.event_count} events recorded"
    if report.counted_calls:
        recorded += f", {report.counted_calls} more calls only counted in flood buckets"
    console.print(f"ended: {_safe(report.end_reason or 'unknown')}; {recorded}")
    _print_counts(report, console)
    _print_consent(report, console)
    if report.findings:
        _print_findings(report, console)
    style = {"no findings": "green", "findings": "red"}.get(report.status, "bold red")
    console.print(f"[{style}]Verdict: {_safe(report.status)}[/] ({_safe(report.verdict)})")


def _print_counts(report: Report, console: Console) -> None:
    table = Table(title="Events by category", show_edge=False)
    table.add_column("category")
    table.add_column("events", justify="right")
    for category, count in sorted(report.events_by_category.items()):
        table.add_row(_safe(category), str(count))
    console.print(table)


def _print_consent(report: Report, console: Console) -> None:
    if not report.consent_changes:
        console.print("consent: no decision observed (every call counts as before consent)")
        return
    for change in report.consent_changes:
        console.print(
            f"consent: {_safe(change.state)} at {iso_utc(change.time_ms)} "
            f"({change.time_ms}) by {_safe(change.source)}"
        )


def _print_findings(report: Report, console: Console) -> None:
    table = Table(title="Findings", show_edge=False)
    for column in ("severity", "rule", "finding", "count"):
        table.add_column(column)
    for finding in report.findings:
        style = _STYLE.get(finding.severity, "")
        severity = _safe(finding.severity)
        table.add_row(
            f"[{style}]{severity}[/]" if style else severity,
            _safe(finding.rule),
            _safe(finding.title),
            str(finding.count or ""),
        )
    console.print(table)
