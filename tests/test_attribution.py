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
