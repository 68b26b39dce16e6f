"""Compliance rules. To add a rule, write a class with `id` and `evaluate(RunData)` in a
module here and list it in RULES."""

from __future__ import annotations

from monitor.config import MonitorConfig
from monitor.rules.after_refusal import CollectionAfterRefusal
from monitor.rules.app_start import StartBeforeConsent
from monitor.rules.base import Finding, Rule, RunData, Severity
from monitor.rules.coverage import Coverage
from monitor.rules.frequency import FrequentCollection
from monitor.rules.permissions import PermissionBeforeConsent
from monitor.rules.pre_consent import PreConsentCollection
from monitor.store import Store

RULES: list[Rule] = [
    PreConsentCollection(),
    CollectionAfterRefusal(),
    FrequentCollection(),
    StartBeforeConsent(),
    PermissionBeforeConsent(),
    Coverage(),
]

__all__ = ["Finding", "RULES", "Rule", "RunData", "Severity", "evaluate", "load_run_data"]


def load_run_data(store: Store, run_id: str, config: MonitorConfig) -> RunData:
    return RunData(
        run=store.run(run_id),
        events=list(store.events(run_id)),
        processes=store.rows("processes", run_id),
        hooks=store.rows("hook_status", run_id),
        agent_errors=store.rows("agent_errors", run_id),
        config=config,
    )


def evaluate(data: RunData) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule.evaluate(data))
    return findings
