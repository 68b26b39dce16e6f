"""Builders of hand-made runs for tests: events and stores without Frida."""

from __future__ import annotations

import itertools
from typing import Any

from monitor.config import MonitorConfig
from monitor.store import EVENT_COLUMNS, Store

BASE_MS = 1_700_000_000_000
_seq = itertools.count(1)


def make_event(
    offset_ms: int,
    *,
    category: str = "identifiers",
    data_type: str = "android_id",
    api: str = "android.provider.Settings$Secure.getString",
    origin: str = "io.tracklytics.sdk",
    origin_kind: str = "sdk",
    consent: str = "unknown",
    args: str = "",
    pid: int = 100,
    seq: int | None = None,
    run_id: str = "run",
) -> dict[str, Any]:
    """Return one event row as the collector stores it, `offset_ms` after BASE_MS."""
    api_class, _, api_method = api.rpartition(".")
    return {
        "run_id": run_id,
        "seq": seq if seq is not None else next(_seq),
        "time_ms": BASE_MS + offset_ms,
        "pid": pid,
        "process": "app",
        "thread_id": 1,
        "thread": "main",
        "category": category,
        "data_type": data_type,
        "api_class": api_class,
        "api_method": api_method,
        "signature": f"{api_method}()",
        "args": args,
        "outcome": "returned",
        "detail": "",
        "stack_id": 0,
        "origin": origin,
        "origin_kind": origin_kind,
        "origin_frame": "",
        "consent": consent,
    }


def make_store(
    events: list[dict[str, Any]],
    config: MonitorConfig | None = None,
    run_id: str = "run",
    mode: str = "spawn",
    ready: bool = True,
    path: str = ":memory:",
) -> Store:
    """Return a store holding one finished run with `events` and one instrumented process."""
    store = Store(path)
    store.create_run(
        {
            "id": run_id,
            "target": "test",
            "mode": mode,
            "device": "test",
            "app_id": "com.example.demoapp",
            "versions": "{}",
            "started_ms": BASE_MS,
            "ended_ms": BASE_MS + 100_000,
            "end_reason": "app exited",
            "status": "running",
            "config": (config or MonitorConfig()).model_dump_json(),
        }
    )
    store.upsert_process(
        {
            "run_id": run_id,
            "pid": 100,
            "name": "app",
            "process_start_ms": BASE_MS - 500,
            "hooks_ready_ms": BASE_MS - 400 if ready else None,
        }
    )
    store.add_events([tuple(e[c] for c in EVENT_COLUMNS) for e in events])
    return store


def stored_events(store: Store, run_id: str = "run") -> list[dict[str, Any]]:
    return list(store.events(run_id))


def finding_keys(findings: list) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.origin, f.api) for f in findings)
