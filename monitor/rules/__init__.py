"""Compliance rules. To add a rule, write a class with `id`, `default_severity` and
`start(RunData)` in a module here (its scan gets the run's events one at a time, see
monitor.rules.base), list it in RULES and add its id to monitor.policy.RuleId so that
policies can configure it."""

from __future__ import annotations

from monitor.config import MonitorConfig
from monitor.consent import ConsentTimeline, load_timeline
from monitor.rules.after_refusal import CollectionAfterRefusal
from monitor.rules.app_list import AppListBeforeConsent
from monitor.rules.app_start import FrequentStart, StartBeforeConsent
from monitor.rules.background import BackgroundCollection
from monitor.rules.base import EventSummary, Finding, Rule, RunData, Severity
from monitor.rules.coverage import Coverage
from monitor.rules.frequency import FrequentCollection
from monitor.rules.identifier_bypass import IdentifierBypass
from monitor.rules.permissions import PermissionBeforeConsent, PermissionRepeated
from monitor.rules.pre_consent import PreConsentCollection
from monitor.rules.scan import load_buckets, run_pass
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

__all__ = [
    "EventSummary",
    "Finding",
    "RULES",
    "Rule",
    "RunData",
    "Severity",
    "evaluate",
    "load_run_data",
    "summarize",
]


def load_run_data(
    store: Store, run_id: str, config: MonitorConfig, timeline: ConsentTimeline | None = None
) -> RunData:
    """Load a run's small tables; the events stay in the database until a pass reads them.

    `timeline` defaults to the run's stored consent decisions.
    """
    timeline = timeline or load_timeline(store, run_id)
    return RunData(
        store=store,
        run_id=run_id,
        run=store.run(run_id),
        processes=store.rows("processes", run_id),
        hooks=store.rows("hook_status", run_id),
        agent_errors=store.rows("agent_errors", run_id),
        config=config,
        timeline=timeline,
        consent_changes=store.rows("consent_changes", run_id, order_by="time_ms"),
        buckets=load_buckets(store, run_id, timeline),
    )


def evaluate(data: RunData, retag: bool = False) -> list[Finding]:
    """Run every rule the policy enables (coverage always runs) in one pass over the events.

    Also sets `data.summary`. With `retag`, stale stored consent tags are rewritten.
    """
    rules = [r for r in RULES if r.id == "coverage" or data.policy.enabled(r.id)]
    scans = [rule.start(data) for rule in rules]
    data.summary = run_pass(data, scans, retag)
    findings: list[Finding] = []
    for scan in scans:
        findings.extend(scan.finish())
    return findings


def summarize(data: RunData) -> EventSummary:
    """Return the run's event summary, reading the events unless a pass already did."""
    if data.summary is None:
        data.summary = run_pass(data, [], retag=False)
    return data.summary
