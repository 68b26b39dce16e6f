"""The outcome of a run, and the exit code that goes with it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from monitor.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INCOMPLETE
from monitor.phrasing import count_of
from monitor.rules import Finding, Severity


@dataclass(frozen=True)
class Verdict:
    status: str
    """"no findings", "findings", "incomplete" (coverage gaps) or "failed"."""
    exit_code: int
    summary: str


def judge(findings: list[Finding], instrumented: bool, fail_on: Severity) -> Verdict:
    """Coverage gaps outrank findings: a run that did not see everything is never clean."""
    if not instrumented:
        return Verdict("failed", EXIT_INCOMPLETE, "instrumentation failed: nothing was monitored")
    gaps = [f for f in findings if f.rule == "coverage"]
    others = [f for f in findings if f.rule != "coverage"]
    if gaps:
        return Verdict(
            "incomplete",
            EXIT_INCOMPLETE,
            f"coverage incomplete ({count_of(len(gaps), 'gap')}); "
            f"{count_of(len(others), 'finding')} in what was seen",
        )
    failing = [f for f in others if f.severity.rank >= fail_on.rank]
    if failing:
        return Verdict(
            "findings",
            EXIT_FINDINGS,
            f"{count_of(len(failing), 'finding')} at or above {fail_on.value}",
        )
    if others:
        return Verdict(
            "findings",
            EXIT_CLEAN,
            f"{count_of(len(others), 'finding')}, all below --fail-on {fail_on.value}",
        )
    return Verdict("no findings", EXIT_CLEAN, "no findings in the calls that were monitored")


def apply_report_only(verdict: Verdict, report_only: bool, policy_name: str) -> Verdict:
    """Turn a findings exit code into 0 under a report-only policy; gaps keep exit 3."""
    if not report_only or verdict.exit_code != EXIT_FINDINGS:
        return verdict
    return replace(
        verdict,
        exit_code=EXIT_CLEAN,
        summary=f"{verdict.summary} (policy {policy_name} is report-only)",
    )
