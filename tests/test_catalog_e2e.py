"""The whole hook catalog on the demo app under real Frida: one event per app call, late
class loaders, canaries, lifecycle moments and a deliberately broken hook."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import frida
import pytest

from monitor.attribution import Attributor
from monitor.collector import Collector
from monitor.config import MonitorConfig
from monitor.demo.build import build_demo
from monitor.demo.command import demo_config
from monitor.processes import uninstrumented_children
from monitor.runner import RunOptions, finish_run, monitor_run
from monitor.scenarios.drivers import DemoSession
from monitor.session import Target
from monitor.store import Store
from tests.conftest import needs_java

APP = "com.example.demoapp"
TM = "android.telephony.TelephonyManager"
APM = "android.app.ApplicationPackageManager"
CI = "android.app.ContextImpl"
LATE_SDK = "com.umeng.commonsdk.UMConfigure"

# One row per call that CatalogTour (and the provider) make: (api, data type, outcome).
TOUR_EVENTS = Counter(
    {
        (f"{TM}.getDeviceId", "imei", "exception"): 1,
        (f"{TM}.getMeid", "meid", "exception"): 1,
        (f"{TM}.getSubscriberId", "imsi", "exception"): 1,
        (f"{TM}.getSimSerialNumber", "iccid", "exception"): 1,
        (f"{TM}.getLine1Number", "phone_number", "returned"): 1,
        ("android.telephony.SubscriptionInfo.getIccId", "iccid", "placeholder"): 1,
        ("android.os.Build.getSerial", "serial", "exception"): 1,
        ("android.bluetooth.BluetoothAdapter.getAddress", "bluetooth_mac", "placeholder"): 1,
        ("java.net.NetworkInterface.getHardwareAddress", "mac", "placeholder"): 1,
        ("android.os.SystemProperties.get", "serial", "returned"): 2,
        ("android.location.LocationManager.getCurrentLocation", "location_single", "returned"): 1,
        (f"{TM}.getCellLocation", "cell_location", "returned"): 1,
        (f"{TM}.getAllCellInfo", "cell_info", "returned"): 1,
        (f"{TM}.requestCellInfoUpdate", "cell_info", "returned"): 1,
        ("android.net.wifi.WifiManager.getConnectionInfo", "wifi_info", "returned"): 1,
        ("android.net.wifi.WifiInfo.getMacAddress", "mac", "placeholder"): 1,
        ("android.net.wifi.WifiManager.getScanResults", "wifi_scan", "returned"): 1,
        ("android.net.wifi.WifiManager.startScan", "wifi_scan", "returned"): 1,
        ("android.content.ContentResolver.query", "call_log", "returned"): 1,
        ("android.content.ContentResolver.query", "sms", "returned"): 1,
        ("android.content.ContentResolver.query", "calendar", "returned"): 1,
        ("android.content.ContentResolver.query", "media", "returned"): 1,
        ("android.content.ContentProviderClient.query", "contacts", "returned"): 1,
        ("android.accounts.AccountManager.getAccounts", "accounts", "returned"): 1,
        ("android.accounts.AccountManager.getAccountsByType", "accounts", "returned"): 1,
        # The tour goes to the background, reads android_id there and comes back.
        ("android.app.Instrumentation.callActivityOnStop", "activity_stop", "returned"): 1,
        ("android.provider.Settings$Secure.getString", "android_id", "returned"): 1,
        ("android.app.Instrumentation.callActivityOnResume", "activity_resume", "returned"): 1,
        (f"{APM}.getInstalledApplications", "app_list", "returned"): 1,
        (f"{APM}.queryIntentActivities", "app_query", "returned"): 1,
        (f"{APM}.getApplicationInfo", "package_probe", "returned"): 1,
        ("android.app.ActivityManager.getRunningAppProcesses", "running_processes", "returned"): 1,
        ("android.app.ActivityManager.getRunningTasks", "running_tasks", "returned"): 1,
        ("android.content.ClipboardManager.getPrimaryClip", "clipboard_read", "returned"): 1,
        ("android.content.ClipboardManager.getText", "clipboard_read", "returned"): 1,
        (
            "android.content.ClipboardManager.getPrimaryClipDescription",
            "clipboard_probe",
            "returned",
        ): 1,
        ("android.content.ClipboardManager.hasPrimaryClip", "clipboard_probe", "returned"): 1,
        ("android.hardware.camera2.CameraManager.openCamera", "camera_open", "exception"): 1,
        ("android.hardware.Camera.open", "camera_open", "exception"): 1,
        ("android.media.AudioRecord.startRecording", "audio_record", "returned"): 1,
        ("android.media.MediaRecorder.setAudioSource", "audio_source", "returned"): 1,
        ("android.media.MediaRecorder.start", "media_record", "returned"): 1,
        ("android.hardware.SensorManager.registerListener", "sensor", "returned"): 1,
        ("android.app.Activity.startActivity", "activity_start", "returned"): 1,
        (f"{CI}.sendOrderedBroadcast", "broadcast", "returned"): 1,
        (f"{CI}.registerReceiver", "receiver", "returned"): 1,
        ("android.app.PendingIntent.getBroadcast", "pending_intent", "returned"): 1,
        ("android.app.AlarmManager.set", "alarm", "returned"): 1,
        ("android.app.AlarmManager.setExact", "alarm", "returned"): 1,
        ("android.app.AlarmManager.setAlarmClock", "alarm", "returned"): 1,
        ("android.app.JobSchedulerImpl.schedule", "job", "returned"): 1,
        ("android.app.JobSchedulerImpl.enqueue", "job", "returned"): 1,
        ("android.content.ContentResolver.requestSync", "sync_request", "returned"): 1,
    }
)

pytestmark = [pytest.mark.frida, needs_java]


def _run(tmp_path_factory, name: str, config: MonitorConfig, app_args: list[str]):
    store = Store(tmp_path_factory.mktemp(name) / "run.db")
    build = build_demo()
    program = build.java_command(["--interval-ms", "20", *app_args])
    bridge = DemoSession()
    result = monitor_run(
        frida.get_local_device(),
        Target(mode="spawn", program=program),
        config,
        store,
        RunOptions(),
        driver=lambda session, collector: bridge.ui_driver(session),
        on_output=bridge.on_output,
    )
    return store, result, bridge.demo


@pytest.fixture(scope="module")
def catalog_run(tmp_path_factory):
    args = ["--consent", "agree", "--consent-delay-ms", "300", "--catalog"]
    return _run(tmp_path_factory, "catalog", demo_config(APP), args)


class _BrokenHookConfig(MonitorConfig):
    """Adds a test-only catalog row whose overload does not exist (extraHooks)."""

    def agent_config(self) -> dict:
        config = super().agent_config()
        config["extraHooks"] = [
            {
                "category": "identifiers",
                "className": TM,
                "method": "getImei",
                "overloads": [["java.lang.String", "boolean"]],
                "dataType": "imei",
                "summary": "none",
            }
        ]
        return config


def _tour_events(store, run_id):
    """Events of the app's own calls after consent, by (api, data type, outcome)."""
    return Counter(
        (f"{e['api_class']}.{e['api_method']}", e["data_type"], e["outcome"])
        for e in store.events(run_id)
        if e["consent"] == "granted" and e["origin"] == APP
    )


def test_one_event_per_app_call(catalog_run):
    store, result, _ = catalog_run
    found = _tour_events(store, result.run_id)
    # The demo's own post-consent calls, which test_demo_e2e counts, come on top.
    for key in [
        ("android.location.LocationManager.requestLocationUpdates", "location_updates", "returned"),
        ("android.content.ContentResolver.query", "contacts", "returned"),
        (f"{APM}.getPackageInfo", "package_probe", "returned"),
        ("android.app.Activity.requestPermissions", "permission_request", "returned"),
    ]:
        found.pop(key)
    assert found == TOUR_EVENTS


def test_original_values_returned(catalog_run):
    _, _, driver = catalog_run
    checks = {c["name"]: c for c in driver.events_named("check")}
    assert set(checks) >= {"catalog-values", "provider-before-app", "imei-throws"}
    for name, check in checks.items():
        assert check["ok"], f"{name}: {check}"
    assert [e["code"] for e in driver.events_named("exit")] == [0]


def test_throwing_calls_record_exception_class(catalog_run):
    store, result, _ = catalog_run
    details = {
        e["api_method"]: e["detail"] for e in store.events(result.run_id) if e["origin"] == APP
    }
    assert details["openCamera"] == "java.lang.SecurityException"
    assert details["getSerial"] == "java.lang.SecurityException"
    assert details["open"] == "java.lang.RuntimeException"


def test_filters_and_summaries(catalog_run):
    store, result, _ = catalog_run
    events = list(store.events(result.run_id))
    properties = sorted(
        e["args"] for e in events if e["api_class"] == "android.os.SystemProperties"
    )
    assert properties == ["ro.boot.serialno", "ro.serialno"]  # the SDK-level key is not an ID
    probes = [e["args"] for e in events if e["api_method"] == "getApplicationInfo"]
    assert probes == ["com.eg.android.AlipayGphone"]  # the app's own package is no probe
    pending = [e["args"] for e in events if e["api_class"] == "android.app.PendingIntent"]
    assert pending == ["cmp=com.partner.pushhelper/com.partner.pushhelper.WakeReceiver"]
    sensors = [e["args"] for e in events if e["api_method"] == "registerListener"]
    assert sensors == ["type=1 BMI160 Accelerometer"]
    receivers = [e["args"] for e in events if e["api_method"] == "registerReceiver"]
    assert receivers == ["act=android.net.conn.CONNECTIVITY_CHANGE"]


def test_provider_reads_before_application_create(catalog_run):
    store, result, _ = catalog_run
    events = list(store.events(result.run_id))
    order = [
        e["data_type"]
        for e in events
        if e["category"] == "lifecycle" or e["api_class"].startswith("android.provider.Settings")
    ]
    assert order[:5] == [
        "provider_create",
        "android_id",
        "application_create",
        "android_id",
        "first_activity",
    ]
    system = [e for e in events if e["api_class"] == "android.provider.Settings$System"]
    # Settings.System → Settings.Secure.getStringForUser is one call, named by its entry.
    assert [(e["api_method"], e["origin"], e["consent"]) for e in system] == [
        ("getString", APP, "before")
    ]


def test_late_class_loader_hook_installed_when_class_appears(catalog_run):
    store, result, _ = catalog_run
    hooks = {(h["class"], h["method"]): h for h in store.rows("hook_status", result.run_id)}
    late = hooks[(LATE_SDK, "submitPolicyGrantResult")]
    assert late["state"] == "installed"
    assert "installed late, on java.net.URLClassLoader" in late["reason"]
    assert late["category"] == "sdk_consent"
    consent = [e for e in store.events(result.run_id) if e["api_class"] == LATE_SDK]
    # The SDK's own frame is innermost, so the call is attributed to the SDK.
    assert [(e["category"], e["data_type"], e["origin"]) for e in consent] == [
        ("consent", "agree", "Umeng")
    ]


def test_absent_classes_reported_missing(catalog_run):
    store, result, _ = catalog_run
    hooks = {(h["class"], h["method"]): h for h in store.rows("hook_status", result.run_id)}
    assert hooks[("androidx.work.impl.WorkManagerImpl", "enqueue")]["state"] == "missing"
    assert (
        hooks[("com.amap.api.location.AMapLocationClient", "updatePrivacyAgree")]["state"]
        == "missing"
    )
    native = hooks[("libc", "__system_property_get")]
    assert native["state"] == "missing"
    assert "only in Android" in native["reason"]
    states = Counter(h["state"] for h in hooks.values())
    assert states["failed"] == 0
    assert states["pending"] == 0
    assert not [f for f in result.findings if f.rule == "coverage"]


def test_canaries_fire_and_are_not_app_events(catalog_run):
    store, result, _ = catalog_run
    canaries = {c["category"]: c for c in store.rows("canaries", result.run_id)}
    assert set(canaries) >= {
        "identifiers",
        "location",
        "contacts",
        "app_start",
        "camera",
        "microphone",
        "sensors",
        "clipboard",
        "accounts",
        "permissions",
        "installed_apps",
        "running_apps",
    }
    assert {c["result"] for c in canaries.values()} == {"fired"}
    # The canaries ran with the provider's context, before the provider's code: no event
    # comes from the agent's own calls (a startService(null), a passive location read).
    events = list(store.events(result.run_id))
    assert not [e for e in events if e["api_method"] == "startService" and e["args"] == "null"]
    assert not [e for e in events if e["args"] == "passive"]


def test_broken_hook_fails_the_run(tmp_path_factory):
    args = ["--consent", "agree", "--consent-delay-ms", "0"]
    store, result, _ = _run(tmp_path_factory, "broken", _BrokenHookConfig(app_id=APP), args)
    failed = [h for h in store.rows("hook_status", result.run_id) if h["state"] == "failed"]
    assert [(h["class"], h["method"]) for h in failed] == [(TM, "getImei")]
    assert result.verdict.exit_code == 3


def test_uninstrumented_children_listed():
    helper = [sys.executable, "-c", "import subprocess; subprocess.run(['sleep', '5'])"]
    child = subprocess.Popen(helper)
    found = []
    try:
        deadline = time.monotonic() + 5
        while not [p for p in found if p.name == "sleep"] and time.monotonic() < deadline:
            found = uninstrumented_children(os.getpid(), instrumented={child.pid})
            time.sleep(0.05)
        # The instrumented child is left out; its own child, which no agent reached, is listed.
        assert [(p.name, p.ppid) for p in found] == [("sleep", child.pid)]
    finally:
        for entry in found:
            os.kill(entry.pid, 9)
        child.kill()
        child.wait()


def test_silent_canary_fails_the_run(tmp_path):
    """A canary that did not fire turns its hook into a failed one, and the run incomplete."""
    store = Store(tmp_path / "run.db")
    config = MonitorConfig(app_id=APP)
    run_id = "canary-run"
    store.create_run({"id": run_id, "mode": "spawn", "started_ms": 1_800_000_000_000})
    collector = Collector(store, run_id, Attributor([APP], []))
    collector.start()
    now = 1_800_000_000_000
    hook = {"category": "identifiers", "className": TM, "method": "getImei", "overloads": []}
    messages = [
        {"type": "agent:hello", "v": 1, "pid": 7, "process": APP, "time": now},
        {"type": "hooks:status", "items": [{"hookId": 0, "state": "installed", **hook}]},
        {"type": "agent:ready", "time": now, "flavor": "jvm"},
        {
            "type": "canaries",
            "time": now,
            "items": [{**hook, "hookId": 0, "result": "silent", "detail": "returned"}],
        },
        # A later status update (a late class loader) must not hide the broken hook.
        {"type": "hooks:status", "items": [{"hookId": 0, "state": "installed", **hook}]},
    ]
    for message in messages:
        collector.submit(7, {"type": "send", "payload": message})
    collector.close()
    assert store.rows("canaries", run_id)[0]["result"] == "silent"
    assert store.rows("hook_status", run_id)[0]["state"] == "failed"
    result = finish_run(store, run_id, config)
    assert [f.title for f in result.findings if f.rule == "coverage"] == [
        "1 hooks failed to install"
    ]
    assert result.verdict.exit_code == 3


def test_background_read_is_flagged(catalog_run):
    _, result, _ = catalog_run
    found = [
        (f.origin, f.api, f.count) for f in result.findings if f.rule == "background_collection"
    ]
    assert found == [(APP, "android.provider.Settings$Secure.getString", 1)]
