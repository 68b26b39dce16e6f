"""Tests for the pure parsers and validators in monitor.android, on sample device output."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from monitor.android import (
    Bounds,
    ProcessRecord,
    RootMethod,
    abi_to_frida_arch,
    build_root_argv,
    find_nodes,
    is_frida_server,
    major_version,
    nearest_clickable,
    parse_bounds,
    parse_df_available,
    parse_dumpsys_package,
    parse_frida_version,
    parse_getprop,
    parse_listening_ports,
    parse_pm_path,
    parse_ps,
    parse_sha256sum,
    parse_stat,
    parse_ui_dump,
    parse_uid,
    validate_device_path,
    validate_package_name,
)

FIXTURES = Path(__file__).parent / "fixtures" / "android"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# Package names and paths


@pytest.mark.parametrize(
    "name", ["com.example.app", "android", "com.tencent.mm", "a.b_c.D1", "org.x.y_z9"]
)
def test_package_name_accepts_valid(name: str) -> None:
    assert validate_package_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "com.x; rm -rf /",
        "$(id)",
        "com.x$(id)",
        "com.x`id`",
        "com.x && id",
        "com.x|sh",
        "com.x\nid",
        "com.x'",
        'com.x"',
        "com.x -f",
        "com..x",
        ".com.x",
        "com.x.",
        "1com.x",
        "com.1x",
        "com/x",
        "com.例子",
        "com.x\x00",
        "",
        "a" * 256,
    ],
)
def test_package_name_rejects_hostile(name: str) -> None:
    with pytest.raises(ValueError):
        validate_package_name(name)


def test_package_name_error_names_value() -> None:
    with pytest.raises(ValueError, match=r"invalid package name 'com\.x; rm -rf /'"):
        validate_package_name("com.x; rm -rf /")


@pytest.mark.parametrize("path", ["/data/local/tmp/frida-server", "/data/app/~~a==/b-c==/base.apk"])
def test_device_path_accepts_absolute(path: str) -> None:
    assert validate_device_path(path) == path


@pytest.mark.parametrize(
    "path", ["relative/file", "/data/../system/bin/sh", "/data/x\n/system", "/data/\x00x", ""]
)
def test_device_path_rejects_tricks(path: str) -> None:
    with pytest.raises(ValueError):
        validate_device_path(path)


# ABI


@pytest.mark.parametrize(
    ("abi", "arch"),
    [("arm64-v8a", "arm64"), ("armeabi-v7a", "arm"), ("x86", "x86"), ("x86_64", "x86_64")],
)
def test_abi_maps_to_frida_arch(abi: str, arch: str) -> None:
    assert abi_to_frida_arch(abi) == arch


def test_abi_mapping_strips_newline() -> None:
    assert abi_to_frida_arch("arm64-v8a\n") == "arm64"


@pytest.mark.parametrize("abi", ["armeabi", "mips", "riscv64", ""])
def test_abi_mapping_rejects_unknown(abi: str) -> None:
    with pytest.raises(ValueError, match="unsupported Android ABI"):
        abi_to_frida_arch(abi)


# getprop


def test_getprop_parses_values() -> None:
    props = parse_getprop(fixture("getprop.txt"))
    assert props["ro.product.cpu.abi"] == "x86_64"
    assert props["ro.build.version.sdk"] == "34"
    assert props["ro.product.model"] == "sdk_gphone64_x86_64"
    assert props["ro.build.fingerprint"].endswith(":userdebug/dev-keys")
    assert props["persist.device_config.runtime_native.usap_pool_enabled"] == "true"


def test_getprop_keeps_empty_and_multiline() -> None:
    props = parse_getprop(fixture("getprop.txt"))
    assert props["ro.boot.serialno"] == ""
    assert props["ro.config.banner"] == "first line\nsecond line"
    assert props["sys.usb.state"] == "adb"
    assert len(props) == 13


def test_getprop_empty_output() -> None:
    assert parse_getprop("") == {}


# ps


def test_ps_toybox_format() -> None:
    processes = parse_ps(fixture("ps_toybox.txt"))
    assert len(processes) == 8
    assert processes[0] == ProcessRecord(pid=1, name="init", ppid=0, user="root")
    assert ProcessRecord(4870, "com.example.shop:push", 612, "u0_a152") in processes
    assert processes[-1].name == "ps"


def test_ps_toolbox_format_with_unlabelled_state() -> None:
    processes = parse_ps(fixture("ps_toolbox.txt"))
    assert len(processes) == 7
    assert processes[0] == ProcessRecord(pid=1, name="/init", ppid=0, user="root")
    shop = next(process for process in processes if process.pid == 2203)
    assert shop.name == "com.example.shop"
    assert shop.ppid == 286
    assert shop.user == "u0_a61"


def test_ps_selected_columns_keep_spaces() -> None:
    processes = parse_ps(fixture("ps_columns.txt"))
    assert [process.pid for process in processes] == [1, 612, 4817, 5121, 5400]
    assert processes[-1].name == "Binder worker thread"
    assert processes[2] == ProcessRecord(4817, "com.example.shop", 612, "u0_a152")


@pytest.mark.parametrize(
    ("name", "pids"),
    [("ps_toybox.txt", [5121]), ("ps_toolbox.txt", [2931]), ("ps_columns.txt", [5121])],
)
def test_frida_server_found_in_each_format(name: str, pids: list[int]) -> None:
    found = [process.pid for process in parse_ps(fixture(name)) if is_frida_server(process)]
    assert found == pids


def test_ps_rejects_unknown_header() -> None:
    with pytest.raises(ValueError, match="unrecognized ps header"):
        parse_ps("ps: unknown option -A\nusage: ps\n")


def test_ps_empty_output() -> None:
    assert parse_ps("") == []


# id, sha256sum, stat, df, /proc/net/tcp, versions


@pytest.mark.parametrize(
    ("text", "uid"),
    [
        ("uid=0(root) gid=0(root) groups=0(root) context=u:r:su:s0", 0),
        ("uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input)", 2000),
        ("0\n", 0),
        ("su: invalid uid/username", None),
    ],
)
def test_uid_parsing(text: str, uid: int | None) -> None:
    assert parse_uid(text) == uid


def test_sha256sum_parsing() -> None:
    digest = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
    assert parse_sha256sum(f"{digest}  /data/app/x/base.apk\n") == digest.lower()


def test_sha256sum_rejects_error_text() -> None:
    with pytest.raises(ValueError, match="unexpected sha256sum output"):
        parse_sha256sum("/system/bin/sh: sha256sum: not found")


def test_stat_parsing() -> None:
    stat = parse_stat("755 52183040\n")
    assert stat.mode == 0o755
    assert stat.size == 52183040
    assert stat.executable
    assert not stat.world_writable


def test_stat_flags_world_writable() -> None:
    stat = parse_stat("777 10")
    assert stat.world_writable


def test_stat_rejects_error_text() -> None:
    with pytest.raises(ValueError, match="unexpected stat output"):
        parse_stat("stat: '/data/local/tmp/frida-server': No such file or directory")


def test_df_toybox_counts_kilobytes() -> None:
    assert parse_df_available(fixture("df_toybox.txt")) == 3935612 * 1024


def test_df_toolbox_human_sizes() -> None:
    assert parse_df_available(fixture("df_toolbox.txt")) == int(643.8 * 1024**2)


def test_df_wrapped_filesystem_name() -> None:
    assert parse_df_available(fixture("df_wrapped.txt")) == 50000 * 1024


def test_df_skips_leading_error_line() -> None:
    text = "df: -k: No such file or directory\n" + fixture("df_toolbox.txt")
    assert parse_df_available(text) == int(643.8 * 1024**2)


def test_df_rejects_error_text() -> None:
    with pytest.raises(ValueError):
        parse_df_available("df: /data/local/tmp: Permission denied")


def test_listening_ports_from_tcp_and_tcp6() -> None:
    assert parse_listening_ports(fixture("proc_net_tcp.txt")) == {27042, 5037, 27043}


def test_frida_version_parsing() -> None:
    assert parse_frida_version("17.2.11\n") == "17.2.11"
    assert major_version("17.2.11") == 17
    assert major_version("16.7.19") == 16


def test_frida_version_rejects_error_text() -> None:
    with pytest.raises(ValueError):
        parse_frida_version("/system/bin/sh: /data/local/tmp/frida-server: not executable")
    with pytest.raises(ValueError):
        major_version("dev")


# dumpsys package and pm path


def test_dumpsys_package_uses_current_block() -> None:
    version = parse_dumpsys_package(fixture("dumpsys_package.txt"), "com.example.shop")
    assert version is not None
    assert version.version_code == 4200317
    assert version.version_name == "4.2.0-rc1 (build 317)"


def test_dumpsys_package_not_installed() -> None:
    output = "Unable to find package: com.example.missing\n"
    assert parse_dumpsys_package(output, "com.example.missing") is None


def test_dumpsys_package_other_package_ignored() -> None:
    assert parse_dumpsys_package(fixture("dumpsys_package.txt"), "com.example") is None


def test_dumpsys_package_null_version_name() -> None:
    text = "Packages:\n  Package [a.b] (1):\n    versionCode=3 minSdk=21\n    versionName=null\n"
    version = parse_dumpsys_package(text, "a.b")
    assert version is not None
    assert version.version_name is None
    assert version.version_code == 3


def test_dumpsys_package_validates_name() -> None:
    with pytest.raises(ValueError):
        parse_dumpsys_package("", "$(id)")


def test_pm_path_lists_split_apks() -> None:
    paths = parse_pm_path(fixture("pm_path.txt"))
    assert len(paths) == 3
    assert paths[0].endswith("/base.apk")
    assert paths[2].endswith("/split_config.xxhdpi.apk")


def test_pm_path_rejects_relative_path() -> None:
    with pytest.raises(ValueError):
        parse_pm_path("package:../../etc/passwd\n")


# Root command building


def test_root_argv_adbd_is_unchanged() -> None:
    assert build_root_argv(RootMethod.ADBD, ["id", "-u"]) == ["id", "-u"]


def test_root_argv_su_uid_appends_argv() -> None:
    assert build_root_argv(RootMethod.SU_UID, ["kill", "42"]) == ["su", "0", "kill", "42"]


def test_root_argv_su_c_keeps_hostile_argument_whole() -> None:
    argv = ["cat", "/data/x; rm -rf /", "$(id)"]
    built = build_root_argv(RootMethod.SU_C, argv)
    assert built[:2] == ["su", "-c"]
    assert len(built) == 3
    assert shlex.split(built[2]) == argv


def test_root_argv_rejects_empty() -> None:
    with pytest.raises(ValueError):
        build_root_argv(RootMethod.SU_C, [])


# uiautomator dumps


def test_ui_dump_zh_flattens_every_node() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_zh.xml"))
    assert len(nodes) == 9
    assert nodes[0].parent is None
    assert nodes[0].depth == 0
    assert all(node.package == "com.example.shop" for node in nodes)


def test_ui_dump_zh_exact_does_not_match_negation() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_zh.xml"))
    assert find_nodes(nodes, text="同意") == []
    agree = find_nodes(nodes, text="同意并继续")
    assert [node.resource_id for node in agree] == ["com.example.shop:id/btn_agree"]
    disagree = find_nodes(nodes, text="不同意")
    assert [node.resource_id for node in disagree] == ["com.example.shop:id/btn_disagree"]


def test_ui_dump_zh_contains_and_regex() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_zh.xml"))
    contains = find_nodes(nodes, text="同意", mode="contains", clickable=True)
    assert [node.text for node in contains] == ["不同意", "同意并继续"]
    starts = find_nodes(nodes, text=r"^同意", mode="regex")
    assert [node.text for node in starts] == ["同意并继续"]


def test_ui_dump_zh_button_center() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_zh.xml"))
    (agree,) = find_nodes(nodes, resource_id="com.example.shop:id/btn_agree")
    assert agree.bounds == Bounds(540, 1560, 990, 1720)
    assert agree.center == (765, 1640)
    assert agree.clickable
    assert agree.class_name == "android.widget.TextView"


def test_ui_dump_zh_full_width_text_normalized() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_zh.xml"))
    found = find_nodes(nodes, text="IMEI、MAC地址", mode="contains")
    assert [node.resource_id for node in found] == ["com.example.shop:id/dialog_message"]


def test_ui_dump_zh_content_desc() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_zh.xml"))
    found = find_nodes(nodes, content_desc="隐私政策链接")
    assert [node.text for node in found] == ["《隐私政策》"]


def test_ui_dump_en_agree_not_disagree() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_en.xml"))
    agree = find_nodes(nodes, text="Agree")
    assert [node.resource_id for node in agree] == ["android:id/button1"]
    assert agree[0].center == (883, 1520)


def test_ui_dump_en_ignore_case() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_en.xml"))
    assert find_nodes(nodes, text="Disagree") == []
    found = find_nodes(nodes, text="Disagree", ignore_case=True)
    assert [node.resource_id for node in found] == ["android:id/button2"]
    by_desc = find_nodes(nodes, content_desc="Disagree")
    assert [node.text for node in by_desc] == ["DISAGREE"]


def test_ui_dump_en_resource_id_modes() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_privacy_en.xml"))
    contains = find_nodes(nodes, resource_id="android:id/button", mode="contains")
    assert [node.resource_id for node in contains] == [
        "android:id/buttonPanel",
        "android:id/button2",
        "android:id/button1",
    ]
    clickable = find_nodes(nodes, resource_id="android:id/button", mode="contains", clickable=True)
    assert len(clickable) == 2
    regex = find_nodes(nodes, resource_id=r"button[12]$", mode="regex")
    assert [node.text for node in regex] == ["DISAGREE", "Agree"]
    assert find_nodes(nodes, resource_id="button1") == []


def test_ui_dump_nested_label_to_clickable_parent() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_nested.xml"))
    (label,) = find_nodes(nodes, text="同意")
    assert label.text == "同 意"
    assert label.depth == 5
    assert not label.clickable
    target = nearest_clickable(nodes, label)
    assert target is not None
    assert target.resource_id == "com.example.video:id/agree_container"
    assert target.center == (540, 2070)


def test_ui_dump_nested_parent_chain() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_nested.xml"))
    (label,) = find_nodes(nodes, resource_id="com.example.video:id/agree_label")
    chain = []
    current = label
    while current.parent is not None:
        current = nodes[current.parent]
        chain.append(current.class_name)
    assert chain == [
        "android.widget.FrameLayout",
        "android.widget.LinearLayout",
        "android.widget.LinearLayout",
        "androidx.constraintlayout.widget.ConstraintLayout",
        "android.widget.FrameLayout",
    ]


def test_ui_dump_nested_disabled_and_missing_bounds() -> None:
    nodes = parse_ui_dump(fixture("uiautomator_nested.xml"))
    (reject,) = find_nodes(nodes, text="暂不使用")
    assert not reject.enabled
    (fullwidth,) = find_nodes(nodes, text="Agree")
    assert fullwidth.bounds is None
    assert fullwidth.center is None
    assert nearest_clickable(nodes, fullwidth) is None


def test_ui_dump_rejects_invalid_xml() -> None:
    with pytest.raises(ValueError, match="invalid uiautomator dump XML"):
        parse_ui_dump("ERROR: could not get idle state.")


def test_find_nodes_needs_criteria() -> None:
    with pytest.raises(ValueError):
        find_nodes([])
    with pytest.raises(ValueError, match="invalid match mode"):
        find_nodes([], text="x", mode="fuzzy")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[0,0][1080,2340]", Bounds(0, 0, 1080, 2340)),
        ("[-10,5][20,15]", Bounds(-10, 5, 20, 15)),
        ("", None),
        ("[0,0][1080]", None),
    ],
)
def test_bounds_parsing(value: str, expected: Bounds | None) -> None:
    assert parse_bounds(value) == expected
