"""Report files beyond JSON and HTML, chosen on the command line and written together."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from monitor.reports.csv_report import write_csv
from monitor.reports.junit import write_junit
from monitor.reports.model import Report
from monitor.reports.xlsx import write_xlsx
from monitor.rules import Severity

log = logging.getLogger(__name__)

# click's ctx.meta key under which report_options collects the paths of these files.
CONTEXT_KEY = "privmon.report_files"


def _writers(fail_on: Severity) -> dict[str, Callable[[Report, Path], None]]:
    return {
        "junit": lambda report, path: write_junit(report, fail_on, path),
        "xlsx": write_xlsx,
        "csv": write_csv,
    }


def write_report_files(report: Report, paths: Mapping[str, Path], fail_on: Severity) -> None:
    """Write each requested report; `paths` maps "junit", "xlsx" or "csv" to a file."""
    writers = _writers(fail_on)
    for kind, path in paths.items():
        writers[kind](report, path)
        log.info("wrote the %s report to %s", kind, path)
