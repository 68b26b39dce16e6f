"""Spreadsheet report (openpyxl): Summary, Findings, Evidence, Events and Hooks sheets.

Header cells carry Chinese and English. Device times are real datetimes in UTC. App strings
are written as text cells with Excel's quote prefix, so a value such as `=HYPERLINK(...)`
is never evaluated as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from monitor.reports.model import Report
from monitor.reports.text import FINDING_COLUMNS, is_formula_like, utc_datetime, visible

CELL_LIMIT = 32_767
"""Characters Excel accepts in one cell."""
STACK_FRAMES = 8
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss.000"

FINDING_HEADERS = ("编号 No.", *FINDING_COLUMNS, "证据数 Evidence events", "说明 Detail")
EVIDENCE_HEADERS = (
    "发现编号 Finding No.",
    "规则 Rule",
    "进程 PID",
    "序号 Seq",
    "时间 Time (UTC)",
    "相对同意 Since consent (ms)",
    "线程 Thread",
    "接口 API",
    "签名 Signature",
    "参数 Arguments",
    "结果 Outcome",
    "返回详情 Outcome detail",
    "同意状态 Consent",
    "来源 Origin",
    "调用栈 Stack (top frames)",
)
if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet as Worksheet

EVENT_HEADERS = (
    "时间 Time (UTC)",
    "类别 Category",
    "接口 API",
    "来源 Origin",
    "同意状态 Consent",
)
HOOK_HEADERS = ("类别 Category", "接口 API", "状态 State", "重载数 Overloads", "原因 Reason")


def build_workbook(report: Report) -> Workbook:
    # Write-only mode streams rows to the file: ten times faster than cell by cell.
    workbook = Workbook(write_only=True)
    _fill_summary(workbook.create_sheet("Summary"), report)
    _fill_findings(workbook.create_sheet("Findings"), report)
    _fill_evidence(workbook.create_sheet("Evidence"), report)
    _fill_events(workbook.create_sheet("Events"), report)
    _fill_hooks(workbook.create_sheet("Hooks"), report)
    return workbook


def write_xlsx(report: Report, path: Path) -> None:
    build_workbook(report).save(path)


class _Rows:
    """Row writer of one write-only worksheet: values become cells of the right type."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet

    def append(self, values: Sequence[Any]) -> None:
        self.sheet.append([self._cell(value) for value in values])

    def _cell(self, value: Any) -> Any:
        """Return a plain value, or a styled cell: text is cleaned and kept as text,
        datetimes get a format."""
        if isinstance(value, datetime):
            cell = WriteOnlyCell(self.sheet, value)
            cell.number_format = DATETIME_FORMAT
            return cell
        if not isinstance(value, str):
            return value
        text = visible(value, keep_lines=True)
        if len(text) > CELL_LIMIT:
            text = text[: CELL_LIMIT - 12] + " [truncated]"
        if not is_formula_like(text):
            return text
        # openpyxl stores a string that starts with "=" as a formula, so the type is set
        # back to text. The quote prefix keeps Excel from parsing the cell when edited.
        cell = WriteOnlyCell(self.sheet, text)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell


def _header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> _Rows:
    """Start a sheet: column widths and frozen panes must precede its first row."""
    _widths(sheet, widths)
    sheet.freeze_panes = "A2"
    cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    sheet.append(cells)
    return _Rows(sheet)


def _fill_summary(sheet: Worksheet, report: Report) -> None:
    table = _header(sheet, ("项目 Item", "值 Value"), (40, 80))
    rows: list[tuple[str, Any]] = [
        ("结论 Verdict", f"{report.status} ({report.verdict})"),
        ("退出码 Exit code", report.exit_code),
        ("运行 Run", report.run_id),
        ("目标 Target", report.target),
        ("模式 Mode", report.mode),
        ("设备 Device", report.device),
        ("应用 App id", report.app_id),
        ("开始 Started (UTC)", utc_datetime(report.started_ms)),
        ("结束 Ended (UTC)", utc_datetime(report.ended_ms)),
        ("结束原因 End reason", report.end_reason or ""),
        ("事件数 Events", report.event_count),
        ("计数调用 Calls only counted in flood buckets", report.counted_calls),
        ("发现数 Findings", len(report.findings)),
    ]
    if not report.consent_changes:
        rows.append(("同意 Consent", "no decision observed: every call counts as before consent"))
    for change in report.consent_changes:
        rows.append((f"同意 Consent {change.state} (UTC)", utc_datetime(change.time_ms)))
        rows.append((f"同意来源 Consent source ({change.state})", change.source))
    for category, count in sorted(report.events_by_category.items()):
        rows.append((f"类别 Category: {category}", count))
    for consent, count in sorted(report.events_by_consent.items()):
        rows.append((f"同意状态 Consent: {consent}", count))
    for process in report.processes:
        blind = process.blind_window_ms
        rows.append(
            (
                f"进程 Process {process.pid} blind window (ms)",
                "hooks never ready" if process.hooks_ready_ms is None else blind,
            )
        )
    for name, value in rows:
        table.append((name, value))


def _fill_findings(sheet: Worksheet, report: Report) -> None:
    table = _header(sheet, FINDING_HEADERS, (8, 12, 22, 50, 14, 22, 50, 12, 8, 10, 24, 24, 10, 40))
    for number, f in enumerate(report.findings, start=1):
        table.append(
            (
                number,
                f.severity,
                f.rule,
                f.title,
                f.category,
                f.origin,
                f.api,
                f.consent,
                f.count,
                f.window_ms,
                utc_datetime(f.first_ms),
                utc_datetime(f.last_ms),
                len(f.evidence),
                f.detail,
            ),
        )


def _fill_evidence(sheet: Worksheet, report: Report) -> None:
    table = _header(
        sheet, EVIDENCE_HEADERS, (8, 22, 8, 8, 24, 12, 16, 50, 40, 30, 10, 30, 10, 22, 60)
    )
    for number, f in enumerate(report.findings, start=1):
        for e in f.evidence:
            table.append(
                (
                    number,
                    f.rule,
                    e.pid,
                    e.seq,
                    utc_datetime(e.time_ms),
                    e.since_consent_ms,
                    e.thread,
                    e.api,
                    e.signature,
                    e.args,
                    e.outcome,
                    e.detail,
                    e.consent,
                    e.origin,
                    "\n".join(e.stack[:STACK_FRAMES]),
                ),
            )


def _fill_events(sheet: Worksheet, report: Report) -> None:
    table = _header(sheet, EVENT_HEADERS, (24, 16, 60, 24, 12))
    for event in report.events:
        table.append(
            (utc_datetime(event.time_ms), event.category, event.api, event.origin, event.consent)
        )
    cut = report.event_count - len(report.events)
    if cut > 0:
        table.append(
            (
                f"截断 Cut: {cut} more events not shown; the first {len(report.events)} are "
                "listed and the database holds all of them",
            ),
        )


def _fill_hooks(sheet: Worksheet, report: Report) -> None:
    table = _header(sheet, HOOK_HEADERS, (16, 60, 12, 10, 40))
    for hook in report.hooks:
        table.append((hook.category, hook.api, hook.state, len(hook.overloads), hook.reason or ""))


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
