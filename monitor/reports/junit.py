"""JUnit XML report: one test case per rule, so CI systems show privmon as a test suite.

A rule's case fails when the rule has findings at or above --fail-on; coverage gaps fail
the `coverage` case. A run whose instrumentation failed gives every case an error element,
because nothing was monitored and no rule can pass.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from monitor.phrasing import count_of
from monitor.reports.model import EvidenceEvent, Report, ReportFinding
from monitor.reports.text import iso_utc, since_consent, visible
from monitor.rules import RULES, Severity

SUITE_NAME = "privmon"
CLASS_PREFIX = "privmon."
STACK_FRAMES = 8
"""Top stack frames shown per evidence event."""
EVIDENCE_SHOWN = 5
"""Evidence events shown per finding; the JSON report contains them all."""


def _clean(text: object) -> str:
    # ElementTree escapes markup but writes forbidden XML 1.0 characters as they are.
    return visible(str(text), keep_lines=True)


def render_junit(report: Report, fail_on: Severity) -> str:
    root = ET.Element("testsuites", name=SUITE_NAME)
    suite = ET.SubElement(root, "testsuite", name=SUITE_NAME)
    _properties(suite, report, fail_on)
    failures = errors = 0
    rule_ids = [rule.id for rule in RULES]
    # Rules stored by another privmon version still get a case, so no finding is dropped.
    rule_ids += sorted({f.rule for f in report.findings} - set(rule_ids))
    for rule_id in rule_ids:
        case = ET.SubElement(
            suite, "testcase", name=_clean(rule_id), classname=_clean(CLASS_PREFIX + rule_id)
        )
        outcome = _judge_case(case, report, rule_id, fail_on)
        failures += outcome == "failure"
        errors += outcome == "error"
    suite.set("tests", str(len(rule_ids)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    if report.started_ms is not None:
        suite.set("timestamp", iso_utc(report.started_ms))
    if report.started_ms is not None and report.ended_ms is not None:
        suite.set("time", f"{max(0, report.ended_ms - report.started_ms) / 1000:.3f}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def write_junit(report: Report, fail_on: Severity, path: Path) -> None:
    path.write_text(render_junit(report, fail_on), "utf-8")


def _properties(suite: ET.Element, report: Report, fail_on: Severity) -> None:
    properties = ET.SubElement(suite, "properties")
    values = {
        "run_id": report.run_id,
        "target": report.target,
        "mode": report.mode,
        "device": report.device,
        "app_id": report.app_id,
        "status": report.status,
        "verdict": report.verdict,
        "fail_on": fail_on.value,
        "event_count": report.event_count,
        "counted_calls": report.counted_calls,
    }
    for name, value in values.items():
        ET.SubElement(properties, "property", name=name, value=_clean(value))


def _judge_case(case: ET.Element, report: Report, rule_id: str, fail_on: Severity) -> str:
    """Add the failure, error or note of one rule's case; return "failure", "error" or "pass"."""
    findings = [f for f in report.findings if f.rule == rule_id]
    failing = [f for f in findings if rule_id == "coverage" or _rank(f.severity) >= fail_on.rank]
    if report.status == "failed":
        error = ET.SubElement(
            case, "error", message=_clean(report.verdict), type="instrumentation_failed"
        )
        error.text = _clean(_findings_text(findings) or report.verdict)
        return "error"
    if failing:
        found = count_of(len(failing), "finding")
        message = f"{found} at or above {fail_on.value}: {failing[0].title}"
        if rule_id == "coverage":
            message = f"{len(failing)} coverage gaps: {failing[0].title}"
        failure = ET.SubElement(case, "failure", message=_clean(message), type=_clean(rule_id))
        failure.text = _clean(_findings_text(failing))
        return "failure"
    below = len(findings)
    note = ET.SubElement(case, "system-out")
    note.text = (
        f"{count_of(below, 'finding')} below --fail-on {fail_on.value}"
        if below
        else "no findings in the calls that were monitored"
    )
    return "pass"


def _rank(severity: str) -> int:
    try:
        return Severity(severity).rank
    except ValueError:
        return Severity.HIGH.rank


def _findings_text(findings: list[ReportFinding]) -> str:
    return "\n\n".join(_finding_text(f) for f in findings)


def _finding_text(finding: ReportFinding) -> str:
    lines = [
        f"[{finding.severity}] {finding.title}",
        f"  api: {finding.api or '-'}",
        f"  origin: {finding.origin or '-'}",
        f"  consent: {finding.consent or '-'}",
        f"  calls: {finding.count}",
    ]
    if finding.first_ms is not None:
        lines.append(f"  first: {iso_utc(finding.first_ms)}  last: {iso_utc(finding.last_ms)}")
    if finding.detail:
        lines.append(f"  detail: {finding.detail}")
    for event in finding.evidence[:EVIDENCE_SHOWN]:
        lines.extend(_evidence_lines(event))
    hidden = len(finding.evidence) - EVIDENCE_SHOWN
    if hidden > 0:
        lines.append(f"  ... {hidden} more evidence events in the JSON report")
    return "\n".join(lines)


def _evidence_lines(event: EvidenceEvent) -> list[str]:
    lines = [
        f"  - call {event.api} (pid {event.pid}, seq {event.seq}, thread {event.thread})",
        f"    time: {iso_utc(event.time_ms)} ({since_consent(event.since_consent_ms)})",
        f"    consent: {event.consent}; origin: {event.origin}",
        f"    args: {event.args}",
        f"    outcome: {event.outcome} {event.detail}".rstrip(),
    ]
    frames = event.stack[:STACK_FRAMES]
    lines.extend(f"      at {frame}" for frame in frames)
    if len(event.stack) > STACK_FRAMES:
        lines.append(f"      ... {len(event.stack) - STACK_FRAMES} more frames")
    return lines
