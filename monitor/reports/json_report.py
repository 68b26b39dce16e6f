"""JSON report: the Report model as versioned JSON (schema_version)."""

from __future__ import annotations

from pathlib import Path

from monitor.reports.model import Report


def write_json(report: Report, path: Path) -> None:
    path.write_text(report.model_dump_json(indent=2), "utf-8")
