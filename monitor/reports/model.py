"""The report of one stored run: everything every report format renders, built once."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pydantic import BaseModel

from monitor.config import MonitorConfig
from monitor.rules import RunData, load_run_data
from monitor.store import Store
from monitor.verdict import Verdict

REPORT_SCHEMA_VERSION = 1


class EvidenceEvent(BaseModel):
    pid: int
    seq: int
    time_ms: int
    since_consent_ms: int | None
    """Device time relative to the first consent decision; negative means before it."""
    thread: str
    api: str
    signature: str
    args: str
    outcome: str
    detail: str
    consent: str
    origin: str
    stack: list[str]


class ReportFinding(BaseModel):
    rule: str
    severity: str
    title: str
    category: str
    origin: str
    api: str
    consent: str
    count: int
    window_ms: int
    first_ms: int | None
    last_ms: int | None
    detail: str
    evidence: list[EvidenceEvent]


class ReportProcess(BaseModel):
    pid: int
    name: str
    process_start_ms: int | None
    hooks_ready_ms: int | None
    blind_window_ms: int | None


class ReportHook(BaseModel):
    category: str
    api: str
    state: str
    overloads: list[str]
    reason: str | None


class ReportConsent(BaseModel):
    time_ms: int
    state: str
    source: str


class Report(BaseModel):
    schema_version: int = REPORT_SCHEMA_VERSION
    run_id: str
    target: str
    mode: str
    device: str
    app_id: str
    versions: dict[str, Any]
    started_ms: int | None
    ended_ms: int | None
    end_reason: str | None
    status: str
    exit_code: int
    verdict: str
    event_count: int
    events_by_category: dict[str, int]
    events_by_consent: dict[str, int]
    consent_changes: list[ReportConsent]
    processes: list[ReportProcess]
    hooks: list[ReportHook]
    findings: list[ReportFinding]
    timeline: list[dict[str, Any]]
    """Every event as (time_ms, category, api, origin, consent) for the HTML timeline."""


def build_report(store: Store, run_id: str, config: MonitorConfig, verdict: Verdict) -> Report:
    data = load_run_data(store, run_id, config)
    stacks = store.stacks(run_id)
    consents = store.rows("consent_changes", run_id, order_by="time_ms")
    consent_ms = consents[0]["time_ms"] if consents else None
    by_key = {(e["pid"], e["seq"]): e for e in data.events}
    findings = [
        _finding(row, by_key, stacks, consent_ms)
        for row in store.rows("findings", run_id, order_by="rowid")
    ]
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
        event_count=len(data.events),
        events_by_category=dict(Counter(e["category"] for e in data.events)),
        events_by_consent=dict(Counter(e["consent"] for e in data.events)),
        consent_changes=[
            ReportConsent(time_ms=c["time_ms"], state=c["state"], source=c["source"])
            for c in consents
        ],
        processes=[_process(p) for p in data.processes],
        hooks=[_hook(h) for h in data.hooks],
        findings=findings,
        timeline=_timeline(data),
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


def _timeline(data: RunData) -> list[dict[str, Any]]:
    return [
        {
            "time_ms": e["time_ms"],
            "category": e["category"],
            "api": f"{e['api_class']}.{e['api_method']}",
            "origin": e["origin"],
            "consent": e["consent"],
        }
        for e in data.events
    ]
