"""Synthetic agent messages and stored runs shared by the host-side benchmarks."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from typing import Any

APP_CLASS = "com.example.demoapp.MainActivity"
SDK_CLASS = "com.tracklytics.sdk.Tracker"

# (category, class, method, data type, returned value) of the synthetic hooks.
HOOKS = [
    ("identifiers", "android.telephony.TelephonyManager", "getDeviceId", "imei", "861234567890123"),
    (
        "identifiers",
        "android.provider.Settings$Secure",
        "getString",
        "android_id",
        "9774d56d682e549c",
    ),
    (
        "location",
        "android.location.LocationManager",
        "getLastKnownLocation",
        "location",
        "Location[gps 39.904200,116.407400 hAcc=5.0]",
    ),
    (
        "installed_apps",
        "android.app.ApplicationPackageManager",
        "getInstalledPackages",
        "app_list",
        "[com.a, com.b, com.c]",
    ),
    (
        "app_start",
        "android.app.ContextImpl",
        "startActivity",
        "activity",
        "cmp=com.partner.pushhelper/.Main",
    ),
]


def hello(pid: int) -> list[dict[str, Any]]:
    """Return the messages an agent sends before its first event."""
    now = int(time.time() * 1000)
    items = [
        {
            "hookId": i,
            "category": category,
            "className": klass,
            "method": method,
            "state": "installed",
            "overloads": [f"{method}()"],
        }
        for i, (category, klass, method, _, _) in enumerate(HOOKS)
    ]
    return [
        {"type": "agent:hello", "v": 1, "pid": pid, "process": "bench", "time": now},
        {"type": "hooks:status", "items": items},
        {"type": "agent:ready", "time": now, "flavor": "jvm"},
        {
            "type": "stacks:add",
            "id": 1,
            "frames": [f"{APP_CLASS}.onCreate", "java.lang.Thread.run"],
        },
        {
            "type": "stacks:add",
            "id": 2,
            "frames": [f"{SDK_CLASS}.collect", f"{APP_CLASS}.onCreate"],
        },
    ]


def event_batches(
    total: int, batch_size: int, seed: int = 1, distinct: bool = False
) -> Iterator[dict[str, Any]]:
    """Yield `events:add` messages as the agent sends them, `total` events in all.

    Each hook returns the same value every time, as identifiers do on a real device. With
    `distinct`, every returned value differs instead, the worst case for redaction caches.
    """
    rng = random.Random(seed)
    start = int(time.time() * 1000)
    seq = 0
    while seq < total:
        events = []
        for _ in range(min(batch_size, total - seq)):
            seq += 1
            hook_id = rng.randrange(len(HOOKS))
            category, _, _, data_type, value = HOOKS[hook_id]
            if distinct:
                value = _distinct_value(category, value, seq)
            events.append(
                [
                    seq,
                    start + seq // 10,
                    1234,
                    "main",
                    hook_id,
                    0,
                    category,
                    data_type,
                    "gps" if category == "location" else "",
                    "returned",
                    value,
                    1 + seq % 2,
                ]
            )
        yield {"type": "events:add", "events": events}


def _distinct_value(category: str, value: str, seq: int) -> str:
    if category == "location":
        # A device moving north by about 0.1 m per call.
        return f"Location[gps {39.904200 + seq * 1e-6:.6f},116.407400 hAcc=5.0]"
    if category == "identifiers":
        return f"{value[:-6]}{seq % 1_000_000:06d}"
    return f"{value} #{seq}"
