"""JUnit XML, spreadsheet, CSV, terminal and schema-doc outputs of hand-built and demo runs."""

import csv
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from monitor.config import MonitorConfig
from monitor.reports import model
from monitor.reports.csv_report import write_csv
from monitor.reports.junit import render_junit
from monitor.reports.model import Report, build_report
from monitor.reports.schema_doc import END, START, schema_markdown
from monitor.reports.terminal import print_summary
from monitor.reports.xlsx import write_xlsx
from monitor.rules import RULES, Severity
from monitor.runner import finish_run
from monitor.testing import BASE_MS, make_event, make_store
from tests.conftest import needs_java

CONFIG = MonitorConfig(app_id="com.example.demoapp")
FORMULA = '=HYPERLINK("http://example.invalid","open")'
ESCAPES = "\x1b]0;pwned\x07\x1b[2J[bold]x[/bold]\x00"
DOC = Path(__file__).parent.parent / "docs" / "report-json.md"


def location_event(offset_ms, origin, args="gps"):
    return make_event(
        offset_ms,
        category="location",
        data_type="location",
        api="android.location.LocationManager.getLastKnownLocation",
        origin=origin,
        args=args,
    )


def hostile_store(path=":memory:", mode="spawn", ready=True, consent_at=None):
    """A run whose app strings are formulas and terminal escapes; 5 calls by one origin."""
    events = [location_event(i * 100, FORMULA, args=ESCAPES + "@SUM(1)") for i in range(5)]
    store = make_store(events, CONFIG, mode=mode, ready=ready, path=str(path))
    if consent_at is not None:
        store.add_consent_change(
            {
                "run_id": "run",
                "time_ms": BASE_MS + consent_at,
                "state": "granted",
                "source": "com.example.demoapp.PrivacyDialog.onAgree",
                "pid": None,
                "seq": None,
            }
        )
    return store


def report_of(store, fail_on=Severity.LOW) -> Report:
    result = finish_run(store, "run", CONFIG, fail_on)
    return build_report(store, "run", CONFIG, result.verdict)


def cases(xml_text):
    root = ET.fromstring(xml_text)
    suite = root.find("testsuite")
    assert suite is not None
    return suite, {case.get("name"): case for case in suite.findall("testcase")}


# JUnit XML ---------------------------------------------------------------------------


def test_junit_case_per_rule():
    suite, by_name = cases(render_junit(report_of(hostile_store()), Severity.LOW))
    assert list(by_name) == [rule.id for rule in RULES]
    for rule_id, case in by_name.items():
        assert case.get("classname") == f"privmon.{rule_id}"
    assert suite.get("tests") == str(len(RULES))


def test_junit_failure_carries_evidence():
    xml_text = render_junit(report_of(hostile_store(consent_at=10_000)), Severity.LOW)
    suite, by_name = cases(xml_text)
    failure = by_name["pre_consent"].find("failure")
    assert failure is not None
    text = failure.text or ""
    assert "android.location.LocationManager.getLastKnownLocation" in text
    assert FORMULA in text
    assert "consent: before" in text
    assert "10000 ms before consent" in text
    assert "args: \\x1b]0;pwned\\x07" in text
    assert suite.get("failures") == "2"
    assert by_name["frequency"].find("failure") is not None
    assert by_name["coverage"].find("failure") is None


def test_junit_removes_forbidden_characters():
    xml_text = render_junit(report_of(hostile_store()), Severity.LOW)
    assert re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml_text) is None
    ET.fromstring(xml_text)


def test_junit_below_fail_on_passes_with_note():
    _, by_name = cases(render_junit(report_of(hostile_store(), Severity.HIGH), Severity.HIGH))
    frequency = by_name["frequency"]
    assert frequency.find("failure") is None
    note = frequency.find("system-out")
    assert note is not None
    assert note.text == "1 finding below --fail-on high"
    assert by_name["pre_consent"].find("failure") is not None


def test_junit_failed_run_is_error():
    report = report_of(hostile_store(ready=False))
    assert report.status == "failed"
    suite, by_name = cases(render_junit(report, Severity.LOW))
    assert suite.get("errors") == str(len(RULES))
    for case in by_name.values():
        error = case.find("error")
        assert error is not None
        assert error.get("message") == "instrumentation failed: nothing was monitored"
        assert case.find("system-out") is None


def test_junit_coverage_gap_fails():
    report = report_of(hostile_store(mode="attach"))
    _, by_name = cases(render_junit(report, Severity.LOW))
    failure = by_name["coverage"].find("failure")
    assert failure is not None
    assert "attached to a running app" in failure.get("message", "")


@needs_java
@pytest.mark.frida
def test_junit_demo_names_tracklytics(demo_agree):
    store, result, _, config = demo_agree
    report = build_report(store, result.run_id, config, result.verdict)
    suite, by_name = cases(render_junit(report, Severity.LOW))
    failure = by_name["pre_consent"].find("failure")
    assert failure is not None
    assert "Tracklytics" in failure.get("message", "")
    assert "io.tracklytics.sdk" in (failure.text or "")
    assert "ms before consent" in (failure.text or "")
    assert by_name["coverage"].find("failure") is None
    assert by_name["app_start_before_consent"].find("failure") is not None


# Spreadsheet -------------------------------------------------------------------------


def test_xlsx_sheets_and_headers(tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(report_of(hostile_store(consent_at=10_000)), path)
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Findings", "Evidence", "Events", "Hooks"]
    headers = [c.value for c in book["Findings"][1]]
    assert "严重程度 Severity" in headers
    assert "首次时间 First time (UTC)" in headers
    for sheet in book.worksheets:
        for cell in sheet[1]:
            assert re.search("[\u4e00-\u9fff]", cell.value), (sheet.title, cell.value)
            assert re.search("[A-Za-z]", cell.value), (sheet.title, cell.value)


def test_xlsx_times_are_utc_datetimes(tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(report_of(hostile_store()), path)
    findings = load_workbook(path)["Findings"]
    column = [c.value for c in findings[1]].index("首次时间 First time (UTC)") + 1
    first = findings.cell(2, column).value
    assert isinstance(first, datetime)
    assert first == datetime(2023, 11, 14, 22, 13, 20)


def test_xlsx_formula_written_as_text(tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(report_of(hostile_store()), path)
    findings = load_workbook(path)["Findings"]
    column = [c.value for c in findings[1]].index("来源 Origin") + 1
    cell = findings.cell(2, column)
    assert cell.value == FORMULA
    assert cell.data_type == "s"
    assert cell.quotePrefix
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode()


def test_xlsx_control_characters_visible(tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(report_of(hostile_store()), path)
    evidence = load_workbook(path)["Evidence"]
    column = [c.value for c in evidence[1]].index("参数 Arguments") + 1
    value = evidence.cell(2, column).value
    assert value.startswith("\\x1b]0;pwned\\x07")
    assert "\x1b" not in value


def test_xlsx_events_cut_with_note(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "EVENTS_LISTED", 3)
    path = tmp_path / "r.xlsx"
    write_xlsx(report_of(hostile_store()), path)
    events = load_workbook(path)["Events"]
    assert events.max_row == 1 + 3 + 1
    note = events.cell(5, 1).value
    assert note.startswith("截断 Cut: 2 more events not shown")
    assert isinstance(events.cell(2, 1).value, datetime)


# CSV -----------------------------------------------------------------------------------


def test_csv_bom_and_rows(tmp_path):
    path = tmp_path / "r.csv"
    report = report_of(hostile_store())
    write_csv(report, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "严重程度 Severity"
    assert len(rows) == 1 + len(report.findings)
    assert {row[1] for row in rows[1:]} == {"pre_consent", "frequency"}


def test_csv_guards_formulas(tmp_path):
    path = tmp_path / "r.csv"
    write_csv(report_of(hostile_store()), path)
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))
    assert rows[0]["来源 Origin"] == "'" + FORMULA
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


# Terminal ------------------------------------------------------------------------------


def test_terminal_hides_escapes():
    store = hostile_store()
    store.update_run("run", target=ESCAPES)
    report = report_of(store)
    buffer = io.StringIO()
    print_summary(report, Console(file=buffer, force_terminal=True, width=300))
    out = buffer.getvalue()
    assert "\x1b]" not in out
    assert "\x07" not in out
    assert "\x1b[2J" not in out
    assert "\x00" not in out
    plain = io.StringIO()
    print_summary(report, Console(file=plain, force_terminal=False, width=300))
    assert "run run: \\x1b]0;pwned\\x07\\x1b[2J[bold]x[/bold]\\x00 (spawn)" in plain.getvalue()


# JSON schema doc -----------------------------------------------------------------------


def schema_fields():
    schema = Report.model_json_schema()
    models = [schema, *schema["$defs"].values()]
    return {name for model in models for name in model["properties"]}


def test_doc_mentions_every_field():
    doc = DOC.read_text("utf-8")
    missing = sorted(name for name in schema_fields() if f"`{name}`" not in doc)
    assert missing == []


def test_doc_tables_match_model():
    doc = DOC.read_text("utf-8")
    section = doc.split(START, 1)[1].split(END, 1)[0]
    assert section.strip() == schema_markdown().strip()


# Command line --------------------------------------------------------------------------


def test_report_command_writes_files(tmp_path):
    db = tmp_path / "run.db"
    hostile_store(db).close()
    out = {kind: tmp_path / f"r.{kind}" for kind in ("xml", "xlsx", "csv")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor",
            "report",
            str(db),
            "--report-junit",
            str(out["xml"]),
            "--report-xlsx",
            str(out["xlsx"]),
            "--report-csv",
            str(out["csv"]),
            "--fail-on",
            "high",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    _, by_name = cases(out["xml"].read_text("utf-8"))
    assert by_name["pre_consent"].find("failure") is not None
    assert by_name["frequency"].find("failure") is None
    assert load_workbook(out["xlsx"]).sheetnames[0] == "Summary"
    assert "pre_consent" in out["csv"].read_text("utf-8-sig")


def test_report_junit_missing_folder(tmp_path):
    db = tmp_path / "run.db"
    hostile_store(db).close()
    target = tmp_path / "missing" / "r.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "report", str(db), "--report-junit", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr


@pytest.mark.parametrize("keep_lines", [False, True])
def test_bidi_controls_made_visible(keep_lines):
    from monitor.reports.text import visible

    escaped = visible("user\u202etxt.exe\u2066x\u2069", keep_lines=keep_lines)
    assert escaped == "user\\u202etxt.exe\\u2066x\\u2069"
