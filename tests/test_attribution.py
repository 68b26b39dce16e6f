import pytest

from monitor.attribution import Attributor, load_sdks

APP = "com.example.demoapp"


def attributor():
    return Attributor([APP], load_sdks())


def test_sdk_frame_wins_over_framework():
    origin = attributor().origin(
        [
            "android.provider.Settings$Secure.getString",
            "com.umeng.commonsdk.UMConfigure.init",
            "com.example.demoapp.MainActivity.onCreate",
        ]
    )
    assert origin.kind == "sdk"
    assert origin.name == "Umeng"
    assert origin.frame == "com.umeng.commonsdk.UMConfigure.init"


def test_app_frame_is_app():
    origin = attributor().origin(["java.lang.Thread.run", "com.example.demoapp.Main.main"])
    assert origin.kind == "app"
    assert origin.name == APP


def test_prefix_matches_package_boundary():
    origin = attributor().origin(["com.umengx.Tracker.run"])
    assert origin.kind == "unknown"


def test_longest_prefix_wins():
    origin = attributor().origin(["com.google.android.gms.ads.AdLoader.load"])
    assert origin.name == "Google Mobile Ads"


def test_obfuscated_stack_is_unknown():
    origin = attributor().origin(
        ["android.location.LocationManager.getLastKnownLocation", "a.b.c.a", "a.a.b"]
    )
    assert origin.kind == "unknown"
    assert origin.name == "unknown"


def test_reflection_frames_skipped():
    origin = attributor().origin(
        [
            "android.telephony.TelephonyManager.getImei",
            "jdk.internal.reflect.NativeMethodAccessorImpl.invoke0",
            "java.lang.reflect.Method.invoke",
            "com.sun.proxy.$Proxy3.read",
            "com.baidu.location.LocationClient.start",
        ]
    )
    assert origin.name == "Baidu Map"


def test_framework_only_stack_is_unknown():
    origin = attributor().origin(["android.app.ActivityThread.main", "java.lang.Thread.run"])
    assert origin.kind == "unknown"


def test_obfuscated_frame_before_app_is_unknown():
    # The innermost non-framework frame decides: obfuscated code is never the app.
    origin = attributor().origin(
        [
            "android.telephony.TelephonyManager.getImei",
            "a.a.b.c",
            "com.example.demoapp.MainActivity.onCreate",
        ]
    )
    assert origin.kind == "unknown"
    assert origin.frame == "a.a.b.c"


def test_fully_obfuscated_stack_is_unknown():
    assert attributor().origin(["a.b.c", "b.a.a", "c.d"]).name == "unknown"


def test_dynamic_proxy_skipped():
    origin = attributor().origin(
        [
            "android.telephony.TelephonyManager.getImei",
            "$Proxy12.getImei",
            "com.example.demoapp.Main.readId",
        ]
    )
    assert origin.kind == "app"


def test_react_native_not_facebook_sdk():
    origin = attributor().origin(["com.facebook.react.modules.core.PermissionsModule.request"])
    assert origin.name == "React Native"
    assert attributor().origin(["com.facebook.appevents.AppEventsLogger.log"]).name == (
        "Facebook SDK"
    )


@pytest.mark.parametrize(
    ("frame", "name"),
    [
        ("com.umeng.analytics.MobclickAgent.onResume", "Umeng"),
        ("com.tencent.bugly.crashreport.CrashReport.init", "Tencent Bugly"),
        ("com.tencent.stat.StatService.trackCustomEvent", "Tencent MTA"),
        ("com.baidu.location.LocationClient.start", "Baidu Map"),
        ("com.amap.api.location.AMapLocationClient.startLocation", "AMap"),
        ("com.igexin.sdk.PushManager.initialize", "Getui"),
        ("cn.jpush.android.api.JPushInterface.init", "JPush"),
        ("com.alibaba.sdk.android.push.CloudPushService.register", "Alibaba Cloud Push"),
        ("com.bytedance.sdk.openadsdk.TTAdSdk.init", "Pangle"),
        ("com.sensorsdata.analytics.android.sdk.SensorsDataAPI.track", "Sensors Data"),
        ("com.huawei.hms.push.HmsMessaging.turnOnPush", "Huawei Push"),
        ("com.xiaomi.mipush.sdk.MiPushClient.registerPush", "Xiaomi Push"),
        ("com.heytap.msp.push.HeytapPushManager.init", "OPPO Push"),
        ("com.vivo.push.PushClient.initialize", "vivo Push"),
        ("com.google.firebase.analytics.FirebaseAnalytics.logEvent", "Firebase"),
        ("com.google.android.gms.ads.MobileAds.initialize", "Google Mobile Ads"),
        ("com.appsflyer.AppsFlyerLib.start", "AppsFlyer"),
        ("com.adjust.sdk.Adjust.onCreate", "Adjust"),
        ("io.sentry.Sentry.init", "Sentry"),
    ],
)
def test_known_sdks_recognised(frame, name):
    assert attributor().origin([frame]).name == name
