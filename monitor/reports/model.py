"""The report of one stored run: everything every report format renders, built once."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from monitor.config import MonitorConfig
from monitor.rules import RunData, load_run_data, summarize
from monitor.rules.scan import events_by_key, first_events
from monitor.store import Store
from monitor.verdict import Verdict

REPORT_SCHEMA_VERSION = 2
EVENTS_LISTED = 5_000
"""Events a report lists one by one; counts and the timeline cover every event."""


class _Model(BaseModel):
    # Field docstrings become descriptions in the JSON schema, which docs/report-json.md lists.
    model_config = ConfigDict(use_attribute_docstrings=True)


class EvidenceEvent(_Model):
    """One stored call behind a finding."""

    pid: int
    """Process id on the device."""
    seq: int
    """Sequence number of the call within its process."""
    time_ms: int
    """Device time of the call, epoch milliseconds."""
    since_consent_ms: int | None
    """Device time relative to the first consent decision; negative means before it."""
    thread: str
    """Name of the calling thread."""
    api: str
    """Hooked method as CLASS.METHOD."""
    signature: str
    """The overload that was called."""
    args: str
    """Arguments as the agent recorded them."""
    outcome: str
    """"returned" or "exception"."""
    detail: str
    """Return value or exception class as the agent recorded it."""
    consent: str
    """Consent state at the call: before, granted, refused or unknown."""
    origin: str
    """App or SDK the call is attributed to by its stack."""
    stack: list[str]
    """Java stack frames, innermost first."""


class ReportFinding(_Model):
    """One finding of one rule."""

    rule: str
    """Rule id, as in monitor.rules.RULES."""
    severity: str
    """info, low, medium or high."""
    title: str
    """One-line description."""
    category: str
    """Data category of the calls (identifiers, location ...); empty for coverage gaps."""
    origin: str
    """App or SDK the calls are attributed to."""
    api: str
    """Hooked method as CLASS.METHOD."""
    consent: str
    """Consent state of the calls."""
    count: int
    """Number of calls behind the finding."""
    window_ms: int
    """Time window of a frequency finding in milliseconds; 0 for other rules."""
    first_ms: int | None
    """Device time of the first call, epoch milliseconds."""
    last_ms: int | None
    """Device time of the last call, epoch milliseconds."""
    detail: str
    """Extra explanation, such as the limit a frequency finding exceeded."""
    evidence: list[EvidenceEvent]
    """Up to 20 of the calls behind the finding."""


class ReportProcess(_Model):
    """One instrumented process."""

    pid: int
    """Process id on the device."""
    name: str
    """Process name."""
    process_start_ms: int | None
    """Device time the process started, epoch milliseconds."""
    hooks_ready_ms: int | None
    """Device time the hooks were ready; null when they never were."""
    blind_window_ms: int | None
    """Milliseconds between process start and hooks ready, in which calls were not seen."""


class ReportHook(_Model):
    """Installation state of one hooked method."""

    category: str
    """Data category the hook belongs to."""
    api: str
    """Hooked method as CLASS.METHOD."""
    state: str
    """installed, pending, missing or failed."""
    overloads: list[str]
    """Overloads that were hooked."""
    reason: str | None
    """Reason the hook is missing or failed."""


class ReportConsent(_Model):
    """One consent decision."""

    time_ms: int
    """Device time of the decision, epoch milliseconds."""
    state: str
    """granted or refused."""
    source: str
    """Consent signal or scenario step that recorded the decision."""


class TimelineBin(_Model):
    """Calls of one category in one consent state within one bin of the run's timeline."""

    start_ms: int
    """Device time the bin starts, epoch milliseconds; it lasts timeline_bin_ms."""
    category: str
    """Data category of the calls."""
    consent: str
    """Consent state of the calls."""
    count: int
    """Number of calls."""


class ReportEvent(_Model):
    """One stored call, as the report lists it."""

    pid: int
    """Process id on the device."""
    seq: int
    """Sequence number of the call within its process."""
    time_ms: int
    """Device time of the call, epoch milliseconds."""
    category: str
    """Data category of the call."""
    api: str
    """Hooked method as CLASS.METHOD."""
    origin: str
    """App or SDK the call is attributed to by its stack."""
    consent: str
    """Consent state at the call."""


class Report(_Model):
    """The report of one stored run."""

    schema_version: int = REPORT_SCHEMA_VERSION
    """Version of this layout; it changes only when a field changes meaning or goes away."""
    run_id: str
    """Run id in the database."""
    target: str
    """Monitored target: package, program and arguments, or process."""
    mode: str
    """spawn or attach."""
    device: str
    """Frida device name and type."""
    app_id: str
    """Package name of the app's own code."""
    versions: dict[str, Any]
    """Versions of Frida and of the agent protocol."""
    started_ms: int | None
    """Host time the run started, epoch milliseconds."""
    ended_ms: int | None
    """Host time the run ended, epoch milliseconds; null for a run cut short."""
    end_reason: str | None
    """Reason the run ended."""
    status: str
    """"no findings", "findings", "incomplete" (coverage gaps) or "failed"."""
    exit_code: int
    """Exit code of the run: 0, 1 or 3."""
    verdict: str
    """One-line summary of the status."""
    event_count: int
    """Number of stored calls, each stored with its own time and arguments."""
    counted_calls: int = 0
    """Calls the agent only counted, in flood buckets, past its limit of calls of one hook a
    second. They are not in event_count, the events_by_* counts or the timeline."""
    events_by_category: dict[str, int]
    """Calls per data category."""
    events_by_consent: dict[str, int]
    """Calls per consent state."""
    consent_changes: list[ReportConsent]
    """Consent decisions in device time order."""
    processes: list[ReportProcess]
    """Instrumented processes."""
    hooks: list[ReportHook]
    """Every hook and whether it was installed."""
    findings: list[ReportFinding]
    """Findings of every rule, coverage gaps included."""
    timeline_bin_ms: int
    """Width of one timeline bin in milliseconds."""
    timeline: list[TimelineBin]
    """Stored calls per time bin, category and consent state, in time order; covers every
    stored call."""
    events: list[ReportEvent]
    """The first calls of the run in device time order, at most 5,000. The database
    contains every one."""


def build_report(
    store: Store,
    run_id: str,
    config: MonitorConfig,
    verdict: Verdict,
    data: RunData | None = None,
) -> Report:
    """Build the report of a judged run; pass the rules' `data` to skip loading it again."""
    store.ensure_indexes()
    data = data or load_run_data(store, run_id, config)
    summary = summarize(data)
    stacks = store.stacks(run_id)
    consents = data.consent_changes
    consent_ms = consents[0]["time_ms"] if consents else None
    rows = store.rows("findings", run_id, order_by="rowid")
    keys = [tuple(key) for row in rows for key in json.loads(row["evidence"] or "[]")]
    by_key = events_by_key(store, run_id, keys, data.timeline)
    findings = [_finding(row, by_key, stacks, consent_ms) for row in rows]
    run = data.run
    return Report(
        run_id=run_id,
        target=run["target"] or "",
        mode=run["mode"] or "",
        device=run["device"] or "",
        app_id=run["app_id"] or "",
        versions=json.loads(run["versions"] or "{}"),
        started_ms=run["started_ms"],
        ended_ms=run["ended_ms"],
        end_reason=run["end_reason"],
        status=verdict.status,
        exit_code=verdict.exit_code,
        verdict=verdict.summary,
        event_count=summary.count,
        counted_calls=sum(bucket["count"] for bucket in data.buckets),
        events_by_category=summary.by_category,
        events_by_consent=summary.by_consent,
        consent_changes=[
            ReportConsent(time_ms=c["time_ms"], state=c["state"], source=c["source"])
            for c in consents
        ],
        processes=[_process(p) for p in data.processes],
        hooks=[_hook(h) for h in data.hooks],
        findings=findings,
        timeline_bin_ms=summary.bin_ms,
        timeline=[
            TimelineBin(start_ms=start, category=category, consent=consent, count=count)
            for (start, category, consent), count in sorted(summary.bins.items())
        ],
        events=[ReportEvent(**event) for event in first_events(data, EVENTS_LISTED)],
    )


def _finding(row: dict, by_key: dict, stacks: dict, consent_ms: int | None) -> ReportFinding:
    evidence = []
    for pid, seq in json.loads(row["evidence"] or "[]"):
        event = by_key.get((pid, seq))
        if event is not None:
            evidence.append(_evidence(event, stacks, consent_ms))
    fields = {
        k: row[k]
        for k in (
            "rule",
            "severity",
            "title",
            "category",
            "origin",
            "api",
            "consent",
            "count",
            "window_ms",
            "first_ms",
            "last_ms",
        )
    }
    return ReportFinding(**fields, detail=row["detail"] or "", evidence=evidence)


def _evidence(event: dict, stacks: dict, consent_ms: int | None) -> EvidenceEvent:
    since = None if consent_ms is None else event["time_ms"] - consent_ms
    return EvidenceEvent(
        pid=event["pid"],
        seq=event["seq"],
        time_ms=event["time_ms"],
        since_consent_ms=since,
        thread=event["thread"],
        api=f"{event['api_class']}.{event['api_method']}",
        signature=event["signature"],
        args=event["args"],
        outcome=event["outcome"],
        detail=event["detail"],
        consent=event["consent"],
        origin=event["origin"],
        stack=stacks.get((event["pid"], event["stack_id"]), []),
    )


def _process(row: dict) -> ReportProcess:
    start, ready = row.get("process_start_ms"), row.get("hooks_ready_ms")
    blind = None if start is None or ready is None else max(0, ready - start)
    return ReportProcess(
        pid=row["pid"],
        name=row.get("name") or "",
        process_start_ms=start,
        hooks_ready_ms=ready,
        blind_window_ms=blind,
    )


def _hook(row: dict) -> ReportHook:
    return ReportHook(
        category=row["category"],
        api=f"{row['class']}.{row['method']}",
        state=row["state"],
        overloads=json.loads(row["overloads"] or "[]"),
        reason=row["reason"],
    )
