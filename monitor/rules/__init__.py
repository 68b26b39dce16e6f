"""Compliance rules. To add a rule, write a class with `id`, `default_severity` and
`evaluate(RunData)` in a module here, list it in RULES and add its id to
monitor.policy.RuleId so that policies can configure it."""

from __future__ import annotations

from monitor.config import MonitorConfig
from monitor.rules.after_refusal import CollectionAfterRefusal
from monitor.rules.app_list import AppListBeforeConsent
from monitor.rules.app_start import FrequentStart, StartBeforeConsent
from monitor.rules.background import BackgroundCollection
from monitor.rules.base import Finding, Rule, RunData, Severity
from monitor.rules.coverage import Coverage
from monitor.rules.frequency import FrequentCollection
from monitor.rules.identifier_bypass import IdentifierBypass
from monitor.rules.permissions import PermissionBeforeConsent, PermissionRepeated
from monitor.rules.pre_consent import PreConsentCollection
from monitor.store import Store

RULES: list[Rule] = [
    PreConsentCollection(),
    AppListBeforeConsent(),
    CollectionAfterRefusal(),
    FrequentCollection(),
    BackgroundCollection(),
    IdentifierBypass(),
    StartBeforeConsent(),
    FrequentStart(),
    PermissionBeforeConsent(),
    PermissionRepeated(),
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
        consent_changes=store.rows("consent_changes", run_id, order_by="time_ms"),
        buckets=_buckets(store, run_id),
    )


def _buckets(store: Store, run_id: str) -> list[dict]:
    # Databases written before flood buckets existed have no such table.
    if "buckets" not in store.db.table_names():
        return []
    return store.rows("buckets", run_id, order_by="first_ms")


def evaluate(data: RunData) -> list[Finding]:
    """Run every rule the policy enables; coverage always runs."""
    findings: list[Finding] = []
    for rule in RULES:
        if rule.id == "coverage" or data.policy.enabled(rule.id):
            findings.extend(rule.evaluate(data))
    return findings
