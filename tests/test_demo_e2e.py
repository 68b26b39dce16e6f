"""The real agent on the demo app under real Frida: events, findings and app behaviour."""

from collections import Counter

import pytest

from tests.conftest import needs_java

pytestmark = [pytest.mark.frida, needs_java]

APP = "com.example.demoapp"
SECURE = "android.provider.Settings$Secure.getString"
IMEI = "android.telephony.TelephonyManager.getImei"
APP_LIST = "android.app.ApplicationPackageManager.getInstalledPackages"
PROBE = "android.app.ApplicationPackageManager.getPackageInfo"
START = "android.app.ContextImpl.startService"
LAST_LOCATION = "android.location.LocationManager.getLastKnownLocation"
UPDATES = "android.location.LocationManager.requestLocationUpdates"
QUERY = "android.content.ContentResolver.query"
PERMISSIONS = "android.app.Activity.requestPermissions"
AGREE = "com.example.demoapp.PrivacyDialog.onAgree"
REFUSE = "com.example.demoapp.PrivacyDialog.onRefuse"
# Lifecycle moments, recorded as events of category "lifecycle" (not collection).
APP_CREATE = "android.app.Instrumentation.callApplicationOnCreate"
FIRST_ACTIVITY = "android.app.Instrumentation.callActivityOnCreate"
RESUME = "android.app.Instrumentation.callActivityOnResume"


def event_keys(store, run_id):
    """Count events by (api, origin, consent, outcome)."""
    return Counter(
        (f"{e['api_class']}.{e['api_method']}", e["origin"], e["consent"], e["outcome"])
        for e in store.events(run_id)
    )


def test_agree_events_exact(demo_agree):
    store, result, _, _ = demo_agree
    assert event_keys(store, result.run_id) == Counter(
        {
            (SECURE, "Tracklytics", "before", "returned"): 1,
            (IMEI, "Tracklytics", "before", "exception"): 1,
            (APP_LIST, "Tracklytics", "before", "returned"): 1,
            (START, APP, "before", "returned"): 1,
            (APP_CREATE, APP, "before", "returned"): 1,
            (FIRST_ACTIVITY, APP, "before", "returned"): 1,
            (RESUME, APP, "before", "returned"): 1,
            (LAST_LOCATION, "GeoMaps", "before", "returned"): 4,
            (AGREE, APP, "before", "returned"): 1,
            (LAST_LOCATION, "GeoMaps", "granted", "returned"): 8,
            (UPDATES, APP, "granted", "returned"): 2,
            (QUERY, APP, "granted", "returned"): 1,
            (PROBE, APP, "granted", "returned"): 1,
            (PERMISSIONS, APP, "granted", "returned"): 1,
        }
    )


def test_agree_findings_exact(demo_agree):
    _, result, _, _ = demo_agree
    found = sorted((f.rule, f.origin, f.api, f.count) for f in result.findings)
    assert found == [
        ("app_list_before_consent", "Tracklytics", APP_LIST, 1),
        ("app_start_before_consent", APP, START, 1),
        ("frequency", "GeoMaps", LAST_LOCATION, 12),
        ("pre_consent", "GeoMaps", LAST_LOCATION, 4),
        ("pre_consent", "Tracklytics", SECURE, 1),
        ("pre_consent", "Tracklytics", IMEI, 1),
    ]
    assert result.verdict.exit_code == 1


def test_agree_consent_recorded_once(demo_agree):
    store, result, _, _ = demo_agree
    changes = store.rows("consent_changes", result.run_id)
    assert [c["state"] for c in changes] == ["granted"]


def test_app_self_checks_pass(demo_agree):
    _, _, driver, _ = demo_agree
    checks = {c["name"]: c for c in driver.events_named("check")}
    assert set(checks) >= {"settings-nonid", "location-identity", "imei-throws"}
    for name, check in checks.items():
        assert check["ok"], f"{name}: {check}"


def test_app_exits_normally(demo_agree):
    store, result, driver, _ = demo_agree
    assert [e["code"] for e in driver.events_named("exit")] == [0]
    assert store.run(result.run_id)["end_reason"] == "app exited"


def test_throwing_call_records_exception(demo_agree):
    store, result, _, _ = demo_agree
    imei = [e for e in store.events(result.run_id) if e["api_method"] == "getImei"]
    assert len(imei) == 1
    assert imei[0]["detail"] == "java.lang.SecurityException"
    assert imei[0]["signature"] == "getImei()"


def test_location_overloads_distinguished(demo_agree):
    store, result, _, _ = demo_agree
    signatures = sorted(
        e["signature"]
        for e in store.events(result.run_id)
        if e["api_method"] == "requestLocationUpdates"
    )
    assert signatures == [
        "requestLocationUpdates(java.lang.String,long,float,android.location.LocationListener)",
        "requestLocationUpdates(java.lang.String,long,float,android.location.LocationListener,"
        "android.os.Looper)",
    ]


def test_non_id_settings_key_not_recorded(demo_agree):
    store, result, _, _ = demo_agree
    keys = [e["args"] for e in store.events(result.run_id) if e["api_method"] == "getString"]
    assert keys == ["android_id"]


def test_hooks_all_installed(demo_agree):
    store, result, _, _ = demo_agree
    states = Counter(h["state"] for h in store.rows("hook_status", result.run_id))
    assert states["failed"] == 0
    assert states["installed"] >= 20


def test_poller_thread_name_recorded(demo_agree):
    store, result, _, _ = demo_agree
    threads = {
        e["thread"]
        for e in store.events(result.run_id)
        if e["api_method"] == "getLastKnownLocation"
    }
    assert threads == {"geomaps-poller"}


def test_refuse_keeps_refused_state(demo_refuse):
    store, result, _, _ = demo_refuse
    keys = event_keys(store, result.run_id)
    assert keys[(SECURE, "Tracklytics", "refused", "returned")] == 1
    assert keys[(REFUSE, APP, "before", "returned")] == 1
    assert not any(k[2] == "granted" for k in keys)
    changes = store.rows("consent_changes", result.run_id)
    assert [c["state"] for c in changes] == ["refused"]


def test_refuse_findings_include_after_refusal(demo_refuse):
    _, result, _, _ = demo_refuse
    after = [(f.origin, f.api, f.count) for f in result.findings if f.rule == "after_refusal"]
    assert after == [("Tracklytics", SECURE, 1)]
