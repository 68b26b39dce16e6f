"""Terminal summary: counts, findings and the verdict, drawn with rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from monitor.reports.model import Report

_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


def print_summary(report: Report, console: Console) -> None:
    console.print(
        f"[bold]privmon[/] run {escape(report.run_id)}: {escape(report.target)} ({report.mode})"
    )
    console.print(
        f"ended: {escape(report.end_reason or 'unknown')}; {report.event_count} events recorded"
    )
    _print_counts(report, console)
    _print_consent(report, console)
    if report.findings:
        _print_findings(report, console)
    style = {"no findings": "green", "findings": "red"}.get(report.status, "bold red")
    console.print(f"[{style}]Verdict: {escape(report.status)}[/] ({escape(report.verdict)})")


def _print_counts(report: Report, console: Console) -> None:
    table = Table(title="Events by category", show_edge=False)
    table.add_column("category")
    table.add_column("events", justify="right")
    for category, count in sorted(report.events_by_category.items()):
        table.add_row(escape(category), str(count))
    console.print(table)


def _print_consent(report: Report, console: Console) -> None:
    if not report.consent_changes:
        console.print("consent: no decision observed (every call counts as before consent)")
        return
    for change in report.consent_changes:
        console.print(
            f"consent: {escape(change.state)} at {change.time_ms} ({escape(change.source)})"
        )


def _print_findings(report: Report, console: Console) -> None:
    table = Table(title="Findings", show_edge=False)
    for column in ("severity", "rule", "finding", "count"):
        table.add_column(column)
    for finding in report.findings:
        style = _STYLE.get(finding.severity, "")
        table.add_row(
            f"[{style}]{finding.severity}[/]",
            escape(finding.rule),
            escape(finding.title),
            str(finding.count or ""),
        )
    console.print(table)
