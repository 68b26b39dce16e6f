from monitor.config import FrequencyLimit, MonitorConfig
from monitor.policy import (
    CoveragePolicy,
    FrequencyPolicy,
    PermissionPolicy,
    RuleSetting,
    Threshold,
    default_policy,
    load_policy,
)
from monitor.rules import Severity, evaluate, load_run_data
from monitor.runner import finish_run
from monitor.session import APP_ENDED_WITHOUT_EXIT
from monitor.store import EVENT_COLUMNS
from monitor.testing import BASE_MS, finding_keys, make_event, make_store

LOCATION = "android.location.LocationManager.getLastKnownLocation"
ANDROID_ID = "android.provider.Settings$Secure.getString"
CONFIG = MonitorConfig(app_id="com.example.demoapp")


def add_decision(store, state, offset_ms):
    store.add_consent_change(
        {
            "run_id": "run",
            "time_ms": BASE_MS + offset_ms,
            "state": state,
            "source": "test",
            "pid": None,
            "seq": None,
        }
    )


def findings_of(events, config=CONFIG, decision=None, **store_args):
    """Evaluate the rules; `decision` is a consent state recorded 1 ms before BASE_MS."""
    store = make_store(events, config, **store_args)
    if decision is not None:
        add_decision(store, decision, -1)
    return evaluate(load_run_data(store, "run", config))


def with_policy(**updates):
    return CONFIG.model_copy(update={"policy": default_policy().model_copy(update=updates)})


def of_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


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


def test_location_burst_one_finding_each():
    found = findings_of(location_calls(12, 833))
    assert len(of_rule(found, "pre_consent")) == 1
    assert len(of_rule(found, "frequency")) == 1
    freq = of_rule(found, "frequency")[0]
    assert freq.window_ms == 2000  # miit: one location read per 2 s
    assert freq.consent == "unknown"  # no decision in the run: counts as before consent
    assert freq.category == "location"
    assert "limit 1 call per 2 s (category location)" in freq.detail


def frequency_config(limit):
    frequency = FrequencyPolicy(categories={"identifiers": limit})
    return with_policy(frequency=frequency)


def test_android_id_threshold():
    events = [make_event(i * 15_000, consent="granted") for i in range(4)]  # 4 in 45 s
    strict = frequency_config(Threshold(max_calls=3, window_s=60))
    loose = frequency_config(Threshold(max_calls=5, window_s=60))
    store = make_store(events, strict)
    flagged = of_rule(evaluate(load_run_data(store, "run", strict)), "frequency")
    assert [(f.count, f.window_ms) for f in flagged] == [(4, 60_000)]
    assert of_rule(evaluate(load_run_data(store, "run", loose)), "frequency") == []


def test_legacy_frequency_field_applies():
    events = [make_event(i * 15_000, consent="granted") for i in range(4)]
    strict = MonitorConfig(frequency=FrequencyLimit(max_calls=3, window_s=60))
    loose = MonitorConfig(frequency=FrequencyLimit(max_calls=5, window_s=60))
    assert len(of_rule(findings_of(events, strict), "frequency")) == 1
    assert of_rule(findings_of(events, loose), "frequency") == []


def test_overload_signatures_count_together():
    # Two overloads of one API by one origin are one API for the frequency limit.
    first, second = make_event(0, consent="granted"), make_event(10, consent="granted")
    first["signature"] = "getImei()"
    second["signature"] = "getImei(int)"
    config = frequency_config(Threshold(max_calls=1, window_s=60))
    found = of_rule(findings_of([first, second], config), "frequency")
    assert [f.count for f in found] == [2]


def test_origins_counted_apart():
    events = [make_event(i * 10, origin=f"sdk{i % 2}", consent="granted") for i in range(4)]
    config = frequency_config(Threshold(max_calls=2, window_s=60))
    assert of_rule(findings_of(events, config), "frequency") == []


def test_sdk_override_beats_category():
    calls = location_calls(3, 500, consent="granted")
    frequency = FrequencyPolicy(
        categories={"location": Threshold(max_calls=1, window_s=2)},
        sdks={"GeoMaps": Threshold(max_calls=5, window_s=2)},
    )
    assert of_rule(findings_of(calls, with_policy(frequency=frequency)), "frequency") == []


def test_api_override_beats_sdk():
    calls = location_calls(3, 500, consent="granted")
    frequency = FrequencyPolicy(
        sdks={"GeoMaps": Threshold(max_calls=5, window_s=2)},
        apis={LOCATION: Threshold(max_calls=2, window_s=2)},
    )
    found = of_rule(findings_of(calls, with_policy(frequency=frequency)), "frequency")
    assert [f.detail.split(";")[0] for f in found] == [f"limit 2 calls per 2 s (API {LOCATION})"]


def test_frequency_uses_device_time():
    # Stored out of order (as delivered late): windows follow device time.
    events = [make_event(t, consent="granted") for t in (130_000, 0, 61_000, 1000)]
    config = frequency_config(Threshold(max_calls=1, window_s=60))
    found = of_rule(findings_of(events, config), "frequency")
    assert [(f.count, f.first_ms - BASE_MS, f.last_ms - BASE_MS) for f in found] == [(2, 0, 1000)]


def test_flood_buckets_count_toward_limit():
    config = frequency_config(Threshold(max_calls=3, window_s=60))
    store = make_store([make_event(0, consent="granted")], config)
    store.add_buckets(
        [bucket_row(BASE_MS + 100, count=700)],
    )
    found = of_rule(evaluate(load_run_data(store, "run", config)), "frequency")
    assert [f.count for f in found] == [701]
    assert "700 of them only counted in flood buckets" in found[0].detail
    assert len(found[0].evidence) == 1


def bucket_row(first_ms, count):
    from monitor.store import BUCKET_COLUMNS

    row = {
        "run_id": "run",
        "pid": 100,
        "hook_id": 1,
        "api_class": "android.provider.Settings$Secure",
        "api_method": "getString",
        "signature": "getString()",
        "category": "identifiers",
        "data_type": "android_id",
        "stack_id": 0,
        "origin": "io.tracklytics.sdk",
        "origin_kind": "sdk",
        "bucket_start_ms": first_ms,
        "bucket_ms": 100,
        "count": count,
        "first_ms": first_ms,
        "last_ms": first_ms + 90,
        "consent": "granted",
    }
    return tuple(row[c] for c in BUCKET_COLUMNS)


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


def test_consent_by_device_time_not_delivery():
    # Consent at t=5000 arrives first; a call stamped 4990 arrives later (at 5200).
    store = make_store([], CONFIG)
    add_decision(store, "granted", 5000)
    late = make_event(4990, seq=7)
    store.add_events([tuple(late[c] for c in EVENT_COLUMNS)])
    result = finish_run(store, "run", CONFIG)
    pre = of_rule(result.findings, "pre_consent")
    assert [(f.consent, f.first_ms - BASE_MS) for f in pre] == [("before", 4990)]


def test_refusal_stays_refused():
    store = make_store([make_event(2000), make_event(90_000)], CONFIG)
    add_decision(store, "refused", 1000)
    result = finish_run(store, "run", CONFIG)
    after = of_rule(result.findings, "after_refusal")
    assert [(f.count, f.consent) for f in after] == [(2, "refused")]
    assert of_rule(result.findings, "pre_consent") == []


def test_unknown_consent_never_after():
    found = findings_of([make_event(0), make_event(50_000)])
    assert of_rule(found, "after_refusal") == []
    assert [(f.rule, f.consent, f.count) for f in found] == [("pre_consent", "unknown", 2)]


def app_list_event(offset_ms, data_type="app_list", consent="before"):
    return make_event(
        offset_ms,
        category="installed_apps",
        data_type=data_type,
        api="android.app.ApplicationPackageManager.getInstalledPackages"
        if data_type == "app_list"
        else "android.app.ApplicationPackageManager.getPackageInfo",
        consent=consent,
    )


def test_app_list_has_own_rule():
    found = findings_of([app_list_event(0), app_list_event(10, "package_probe")])
    assert sorted((f.rule, f.title) for f in found) == [
        ("app_list_before_consent", "app_list collected before consent by io.tracklytics.sdk"),
        (
            "app_list_before_consent",
            "package_probe collected before consent by io.tracklytics.sdk",
        ),
    ]


def test_app_list_falls_back_to_pre_consent():
    config = with_policy(rules={"app_list_before_consent": RuleSetting(enabled=False)})
    found = findings_of([app_list_event(0)], config)
    assert [f.rule for f in found] == ["pre_consent"]


def test_disabled_rule_reports_nothing():
    config = with_policy(rules={"pre_consent": RuleSetting(enabled=False)})
    assert findings_of([make_event(0)], config) == []


def test_policy_severity_applies():
    config = with_policy(rules={"pre_consent": RuleSetting(severity=Severity.LOW)})
    assert [f.severity for f in findings_of([make_event(0)], config)] == [Severity.LOW]


def identifier_event(offset_ms, api, outcome, origin="io.tracklytics.sdk", data_type="imei"):
    event = make_event(offset_ms, data_type=data_type, api=api, origin=origin, consent="granted")
    event["outcome"] = outcome
    return event


IMEI = "android.telephony.TelephonyManager.getImei"
BYPASS = "com.example.hidden.Reader.readImei"


def test_identifier_bypass_after_placeholder():
    events = [
        identifier_event(0, IMEI, "placeholder"),
        identifier_event(100, BYPASS, "returned"),
        identifier_event(200, BYPASS, "returned"),
    ]
    found = of_rule(findings_of(events), "identifier_bypass")
    assert [(f.origin, f.api, f.count, len(f.evidence)) for f in found] == [
        ("io.tracklytics.sdk", BYPASS, 2, 3)
    ]


def test_identifier_bypass_needs_same_origin_and_type():
    events = [
        identifier_event(0, IMEI, "placeholder"),
        identifier_event(100, BYPASS, "returned", origin="other"),
        identifier_event(200, BYPASS, "returned", data_type="meid"),
        identifier_event(300, IMEI, "returned"),  # the same API: not a bypass
        identifier_event(400, BYPASS, "exception"),
    ]
    assert of_rule(findings_of(events), "identifier_bypass") == []


def test_bypass_before_placeholder_not_flagged():
    events = [identifier_event(0, BYPASS, "returned"), identifier_event(100, IMEI, "placeholder")]
    assert of_rule(findings_of(events), "identifier_bypass") == []


def lifecycle(offset_ms, state):
    return make_event(
        offset_ms,
        category="lifecycle",
        data_type=state,
        api="android.app.Activity.onStop",
        origin="com.example.demoapp",
        consent="granted",
    )


def test_background_collection_in_range():
    events = [
        make_event(500),
        lifecycle(1000, "background"),
        make_event(1500),
        make_event(1600),
        lifecycle(2000, "foreground"),
        make_event(2500),
        lifecycle(3000, "background"),
        make_event(3500),
    ]
    found = of_rule(findings_of(events, decision="granted"), "background_collection")
    assert [(f.count, f.first_ms - BASE_MS, f.last_ms - BASE_MS) for f in found] == [
        (3, 1500, 3500)
    ]


def test_no_lifecycle_no_background_findings():
    found = findings_of([make_event(i) for i in range(3)], decision="granted")
    assert of_rule(found, "background_collection") == []


def start_event(offset_ms, data_type="service_start", args="", consent="before"):
    return make_event(
        offset_ms,
        category="app_start",
        data_type=data_type,
        api="android.app.ContextImpl.startService",
        args=args,
        origin="com.example.demoapp",
        origin_kind="app",
        consent=consent,
    )


def test_alarm_and_job_starts_flagged():
    found = findings_of([start_event(0, "alarm"), start_event(10, "job")])
    assert [f.rule for f in found] == ["app_start_before_consent"]
    assert found[0].count == 2


def test_frequent_start_after_consent():
    starts = [start_event(i * 1000, consent="granted") for i in range(5)]
    found = findings_of(starts, decision="granted")
    assert [(f.rule, f.count, f.window_ms) for f in found] == [("app_start_frequency", 5, 60_000)]


def test_own_activity_starts_not_counted():
    args = "cmp=com.example.demoapp/com.example.demoapp.Main"
    starts = [start_event(i * 1000, "activity_start", args, "granted") for i in range(5)]
    assert findings_of(starts, decision="granted") == []


def permission_request(offset_ms, permissions="android.permission.CAMERA", consent="granted"):
    return make_event(
        offset_ms,
        category="permissions",
        data_type="permission_request",
        api="android.app.Activity.requestPermissions",
        args=permissions,
        origin="com.example.demoapp",
        origin_kind="app",
        consent=consent,
    )


def test_permission_repeated_within_window():
    events = [
        permission_request(0, "android.permission.CAMERA,android.permission.RECORD_AUDIO"),
        permission_request(5000),
        permission_request(9000, "android.permission.RECORD_AUDIO"),
    ]
    config = with_policy(permissions=PermissionPolicy(repeat_window_s=30))
    found = of_rule(findings_of(events, config, decision="granted"), "permission_repeated")
    assert sorted((f.detail, f.count, len(f.evidence)) for f in found) == [
        ("android.permission.CAMERA", 1, 2),
        ("android.permission.RECORD_AUDIO", 1, 2),
    ]


def test_permission_repeat_outside_window():
    events = [permission_request(0), permission_request(31_000)]
    config = with_policy(permissions=PermissionPolicy(repeat_window_s=30))
    assert findings_of(events, config, decision="granted") == []


def test_permission_soon_after_refusal():
    store = make_store([permission_request(2000), permission_request(50_000, "a.B")], CONFIG)
    add_decision(store, "refused", 1000)
    config = with_policy(permissions=PermissionPolicy(repeat_window_s=10))
    found = of_rule(evaluate(load_run_data(store, "run", config)), "permission_repeated")
    assert [(f.count, f.consent, f.first_ms - BASE_MS) for f in found] == [(1, "refused", 2000)]


def test_report_only_never_fails():
    config = CONFIG.model_copy(update={"policy": load_policy("report-only")})
    for fail_on in Severity:
        store = make_store(location_calls(12, 833), config)
        result = finish_run(store, "run", config, fail_on=fail_on)
        assert {f.severity for f in result.findings} == {Severity.INFO}
        assert result.verdict.exit_code == 0
        assert result.verdict.status == "findings"


def test_report_only_gaps_still_incomplete():
    config = CONFIG.model_copy(update={"policy": load_policy("report-only")})
    result = finish_run(make_store([make_event(0)], config, mode="attach"), "run", config)
    assert result.verdict.exit_code == 3


def test_unmonitored_process_is_gap():
    store = make_store([], CONFIG)
    store.upsert_process(
        {
            "run_id": "run",
            "pid": 101,
            "name": "app:push",
            "process_start_ms": BASE_MS,
            "hooks_ready_ms": None,
        }
    )
    result = finish_run(store, "run", CONFIG)
    assert [f.title for f in result.findings] == [
        "unmonitored process: hooks never became ready in pid 101 (app:push)"
    ]
    assert result.verdict.exit_code == 3


def test_hooks_ready_late_in_attach_mode():
    # make_store's process became ready 100 ms after it started.
    late = CONFIG.model_copy(update={"policy": load_policy("strict")})  # allows 1000 ms
    tight = with_policy(coverage=CoveragePolicy(max_hooks_ready_ms=50))
    titles = [
        f.title for f in finish_run(make_store([], tight, mode="attach"), "run", tight).findings
    ]
    assert "hooks ready late in pid 100: 100 ms after process start" in titles
    titles = [
        f.title for f in finish_run(make_store([], late, mode="attach"), "run", late).findings
    ]
    assert not any(t.startswith("hooks ready late") for t in titles)


def test_failed_scenario_is_gap():
    store = make_store([], CONFIG)
    store.update_run("run", end_reason="scenario failed: step 1 tapOn: text 'Go' not found")
    result = finish_run(store, "run", CONFIG)
    assert [f.rule for f in result.findings] == ["coverage"]
    assert result.verdict.exit_code == 3


def test_app_killed_is_gap():
    store = make_store([], CONFIG)
    store.update_run("run", end_reason=APP_ENDED_WITHOUT_EXIT)
    result = finish_run(store, "run", CONFIG)
    assert [f.title for f in result.findings] == [
        "the app ended abnormally: calls it would have made were not seen"
    ]
    assert result.verdict.exit_code == 3


def test_background_from_activity_stop_and_resume():
    def activity(offset, kind, seq):
        return make_event(
            offset,
            category="lifecycle",
            data_type=kind,
            api=f"android.app.Instrumentation.callActivityOn{kind[9:].title()}",
            args="com.example.demoapp.MainActivity",
            origin="com.example.demoapp",
            origin_kind="app",
            seq=seq,
        )

    events = [
        activity(0, "activity_resume", 1),
        make_event(100, seq=2),  # foreground: not flagged
        activity(200, "activity_stop", 3),
        make_event(200, seq=4),  # same millisecond as the stop, later in sequence
        activity(200, "activity_resume", 5),
        make_event(200, seq=6),  # same millisecond, after the resume: foreground
    ]
    found = of_rule(findings_of(events, decision="granted"), "background_collection")
    assert [(f.count, f.evidence) for f in found] == [(1, [(100, 4)])]


def test_rejected_call_titled_requested():
    event = make_event(0, api="android.telephony.TelephonyManager.getImei", data_type="imei")
    event["outcome"] = "exception"
    found = of_rule(findings_of([event]), "pre_consent")
    assert found[0].title == "imei requested before consent by io.tracklytics.sdk"
