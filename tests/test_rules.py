from monitor.config import FrequencyLimit, MonitorConfig
from monitor.consent import load_timeline
from monitor.rules import Severity, evaluate, load_run_data
from monitor.runner import finish_run
from monitor.testing import BASE_MS, finding_keys, make_event, make_store

LOCATION = "android.location.LocationManager.getLastKnownLocation"
ANDROID_ID = "android.provider.Settings$Secure.getString"
CONFIG = MonitorConfig(app_id="com.example.demoapp")


def findings_of(events, config=CONFIG, decision=None, **store_args):
    """Evaluate the rules; `decision` is a consent state recorded 1 ms before BASE_MS."""
    store = make_store(events, config, **store_args)
    if decision is not None:
        store.add_consent_change(
            {
                "run_id": "run",
                "time_ms": BASE_MS - 1,
                "state": decision,
                "source": "test",
                "pid": None,
                "seq": None,
            }
        )
    load_timeline(store, "run").apply_to_store(store, "run")
    return evaluate(load_run_data(store, "run", config))


def location_calls(count, spacing_ms, start_ms=0, consent="before"):
    return [
        make_event(
            start_ms + i * spacing_ms,
            category="location",
            data_type="location",
            api=LOCATION,
            origin="GeoMaps",
            consent=consent,
        )
        for i in range(count)
    ]


def test_location_burst_before_consent():
    # 12 calls in 10 s before consent: one pre-consent and one frequency finding.
    found = findings_of(location_calls(12, 833))
    assert finding_keys(found) == [
        ("frequency", "GeoMaps", LOCATION),
        ("pre_consent", "GeoMaps", LOCATION),
    ]
    pre = next(f for f in found if f.rule == "pre_consent")
    freq = next(f for f in found if f.rule == "frequency")
    assert pre.count == 12
    assert freq.count == 12
    assert len(freq.evidence) == 12


def test_android_id_threshold():
    events = [make_event(i * 15_000, consent="granted") for i in range(4)]  # 4 in 45 s
    strict = MonitorConfig(frequency=FrequencyLimit(max_calls=3, window_s=60))
    loose = MonitorConfig(frequency=FrequencyLimit(max_calls=5, window_s=60))
    store = make_store(events, strict)
    assert [
        f.rule for f in evaluate(load_run_data(store, "run", strict)) if f.rule == "frequency"
    ] == ["frequency"]
    assert [
        f.rule for f in evaluate(load_run_data(store, "run", loose)) if f.rule == "frequency"
    ] == []


def test_three_calls_at_limit_not_flagged():
    events = [make_event(i * 1000, consent="granted") for i in range(3)]
    assert [f for f in findings_of(events) if f.rule == "frequency"] == []


def test_window_boundary_excluded():
    # Calls exactly one window apart are never in the same window.
    events = [make_event(i * 60_000, consent="granted") for i in range(6)]
    assert [f for f in findings_of(events) if f.rule == "frequency"] == []


def test_after_consent_not_pre_consent():
    store = make_store([make_event(1000, seq=5)], CONFIG)
    store.add_consent_change(
        {
            "run_id": "run",
            "time_ms": BASE_MS,
            "state": "granted",
            "source": "tap",
            "pid": None,
            "seq": None,
        }
    )
    result = finish_run(store, "run", CONFIG)
    assert [f.rule for f in result.findings] == []
    assert result.verdict.exit_code == 0


def test_self_start_other_package():
    event = make_event(
        0,
        category="app_start",
        data_type="service_start",
        api="android.app.ContextImpl.startService",
        args="cmp=com.partner.push/com.partner.push.Wake",
        origin="com.example.demoapp",
        origin_kind="app",
    )
    found = findings_of([event])
    assert [(f.rule, f.severity) for f in found] == [("app_start_before_consent", Severity.HIGH)]
    assert "com.partner.push" in found[0].title


def test_own_activity_start_not_flagged():
    event = make_event(
        0,
        category="app_start",
        data_type="activity_start",
        api="android.app.ContextImpl.startActivity",
        args="cmp=com.example.demoapp/com.example.demoapp.Main",
        origin="com.example.demoapp",
        origin_kind="app",
    )
    assert findings_of([event]) == []


def test_attach_mode_is_incomplete():
    result = finish_run(make_store([], CONFIG, mode="attach"), "run", CONFIG)
    assert [f.rule for f in result.findings] == ["coverage"]
    assert result.verdict.exit_code == 3
    assert result.verdict.status == "incomplete"


def test_hooks_never_ready_fails():
    result = finish_run(make_store([], CONFIG, ready=False), "run", CONFIG)
    assert result.verdict.status == "failed"
    assert result.verdict.exit_code == 3


def test_failed_hook_blocks_clean_verdict():
    store = make_store([], CONFIG)
    store.add_hook_status(
        [
            {
                "run_id": "run",
                "pid": 100,
                "hook_id": 0,
                "category": "location",
                "class": "X",
                "method": "y",
                "state": "failed",
                "overloads": "[]",
                "reason": "boom",
            }
        ]
    )
    result = finish_run(store, "run", CONFIG)
    assert result.verdict.exit_code == 3
    assert "1 hooks failed" in result.findings[0].title


def test_fail_on_high_ignores_medium():
    events = location_calls(5, 1000, consent="granted")
    store = make_store(events, CONFIG)
    store.add_consent_change(
        {
            "run_id": "run",
            "time_ms": BASE_MS - 1,
            "state": "granted",
            "source": "tap",
            "pid": None,
            "seq": None,
        }
    )
    result = finish_run(store, "run", CONFIG, fail_on=Severity.HIGH)
    assert [f.rule for f in result.findings] == ["frequency"]
    assert result.verdict.exit_code == 0
    assert result.verdict.status == "findings"


def test_collection_after_refusal():
    found = findings_of([make_event(0)], decision="refused")
    assert [(f.rule, f.consent) for f in found] == [("after_refusal", "refused")]


def test_permission_before_consent():
    event = make_event(
        0,
        category="permissions",
        data_type="permission_request",
        api="android.app.Activity.requestPermissions",
        args="android.permission.ACCESS_FINE_LOCATION",
        origin="com.example.demoapp",
        origin_kind="app",
        consent="before",
    )
    found = findings_of([event])
    assert [f.rule for f in found] == ["permission_before_consent"]
    assert found[0].detail == "android.permission.ACCESS_FINE_LOCATION"


def test_permission_after_consent_not_flagged():
    event = make_event(
        0,
        category="permissions",
        data_type="permission_request",
        api="android.app.Activity.requestPermissions",
    )
    assert findings_of([event], decision="granted") == []
