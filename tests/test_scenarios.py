"""Scenario loading, consent matching, the engine on a fake UI, and one run on the demo app."""

from __future__ import annotations

import textwrap
from pathlib import Path

import frida
import pytest

from monitor.demo.build import build_demo
from monitor.demo.command import demo_config
from monitor.errors import ConfigError
from monitor.events import ConsentState
from monitor.rules import Finding, Severity
from monitor.runner import RunOptions, monitor_run
from monitor.scenarios import (
    ConsentMatcher,
    DemoSession,
    Element,
    ScenarioEngine,
    ScenarioError,
    check_expectations,
    load_scenario,
    make_scenario_driver,
)
from monitor.session import Target
from monitor.store import Store
from tests.conftest import needs_java

ROOT = Path(__file__).resolve().parent.parent
HEADER = "appId: com.example.demoapp\n---\n"


def write_flow(tmp_path: Path, body: str, name: str = "flow.yaml", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    return path


# Loader.


def test_unknown_command_named_with_line(tmp_path):
    path = write_flow(tmp_path, "- back\n- travel: somewhere\n- tapOn: OK\n- fly\n")
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert f"'travel' at {path} line 4" in message
    assert f"'fly' at {path} line 6" in message
    assert "privmon runs launchApp" in message
    assert caught.value.exit_code == 2


def test_unknown_command_inside_repeat(tmp_path):
    body = """\
    - repeat:
        times: 2
        commands:
          - back
          - hover: x
    """
    path = write_flow(tmp_path, body)
    with pytest.raises(ConfigError, match=r"'hover' at .* line 7"):
        load_scenario(path)


def test_bad_field_type_points_to_field_line(tmp_path):
    body = """\
    - back
    - extendedWaitUntil:
        visible: "Agree"
        timeout: soon
    """
    path = write_flow(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert f"Invalid extendedWaitUntil at {path} line 6" in message
    assert "field 'timeout'" in message


def test_unknown_field_rejected(tmp_path):
    path = write_flow(tmp_path, "- tapOn:\n    txt: Agree\n")
    with pytest.raises(ConfigError, match=r"line 4: field 'txt' Extra inputs"):
        load_scenario(path)


def test_bad_point_rejected(tmp_path):
    path = write_flow(tmp_path, '- tapOn:\n    point: "10;20"\n')
    with pytest.raises(ConfigError, match=r"line 4: field 'point'.*'x,y'"):
        load_scenario(path)


def test_malformed_yaml_has_line(tmp_path):
    path = write_flow(tmp_path, "- tapOn: [unclosed\n- back\n")
    with pytest.raises(ConfigError, match=r"Invalid YAML in .*flow.yaml line \d+"):
        load_scenario(path)


def test_missing_header_rejected(tmp_path):
    path = write_flow(tmp_path, "- back\n", header="")
    with pytest.raises(ConfigError, match="header with appId"):
        load_scenario(path)


def test_invalid_app_id_rejected(tmp_path):
    path = write_flow(tmp_path, "- back\n", header="appId: com.x; rm -rf /\n---\n")
    with pytest.raises(ConfigError, match="Invalid appId at .* line 1"):
        load_scenario(path)


def test_shorthand_forms(tmp_path):
    body = """\
    - launchApp
    - tapOn: "同意"
    - assertVisible: "Home"
    - privmon.consent: refuse
    - privmon.wait: 2
    """
    scenario = load_scenario(write_flow(tmp_path, body))
    names = [step.name for step in scenario.steps]
    assert names == ["launchApp", "tapOn", "assertVisible", "privmon.consent", "privmon.wait"]
    assert scenario.steps[1].command.text == "同意"
    assert scenario.steps[3].command.decision == "refuse"
    assert [step.line for step in scenario.steps] == [3, 4, 5, 6, 7]


def test_repeat_expands_in_order(tmp_path):
    body = """\
    - repeat:
        times: 3
        commands:
          - stopApp
          - launchApp
    - back
    """
    scenario = load_scenario(write_flow(tmp_path, body))
    names = [step.name for step in scenario.steps]
    assert names == ["stopApp", "launchApp"] * 3 + ["back"]
    assert scenario.steps[2].context == "repeat 2/3"
    assert scenario.steps[2].line == 6


def test_repeat_needs_positive_times(tmp_path):
    path = write_flow(tmp_path, "- repeat:\n    times: 0\n    commands: [back]\n")
    with pytest.raises(ConfigError, match="line 4: field 'times'"):
        load_scenario(path)


def test_run_flow_includes_relative_file(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    write_flow(sub, "- tapOn: Agree\n- back\n", name="consent.yaml")
    path = write_flow(tmp_path, "- launchApp\n- runFlow: sub/consent.yaml\n")
    scenario = load_scenario(path)
    assert [step.name for step in scenario.steps] == ["launchApp", "tapOn", "back"]
    assert scenario.steps[1].file == str(sub / "consent.yaml")
    assert scenario.steps[1].line == 3
    assert scenario.steps[1].context == "runFlow sub/consent.yaml"


def test_run_flow_inline_commands(tmp_path):
    path = write_flow(tmp_path, "- runFlow:\n    commands:\n      - back\n      - scroll\n")
    assert [step.name for step in load_scenario(path).steps] == ["back", "scroll"]


def test_run_flow_error_names_included_file(tmp_path):
    write_flow(tmp_path, "- back\n- jump\n", name="bad.yaml", header="")
    path = write_flow(tmp_path, "- runFlow: bad.yaml\n")
    with pytest.raises(ConfigError, match=r"'jump' at .*bad.yaml line 2"):
        load_scenario(path)


def test_run_flow_cycle_rejected(tmp_path):
    path = write_flow(tmp_path, "- runFlow: flow.yaml\n")
    with pytest.raises(ConfigError, match="nests more than"):
        load_scenario(path)


def test_run_flow_missing_file(tmp_path):
    path = write_flow(tmp_path, "- runFlow: nowhere.yaml\n")
    with pytest.raises(ConfigError, match=r"line 3: file 'nowhere.yaml' not found"):
        load_scenario(path)


def test_expect_no_findings_checked(tmp_path):
    path = write_flow(tmp_path, "- privmon.expectNoFindings: [pre_consent]\n")
    scenario = load_scenario(path)
    assert scenario.steps == []
    findings = [
        Finding("frequency", Severity.LOW, "t", origin="GeoMaps", api="a"),
        Finding("pre_consent", Severity.HIGH, "t", origin="Tracklytics", api="b"),
    ]
    failures = check_expectations(scenario, findings)
    assert len(failures) == 1
    assert "pre_consent found for Tracklytics" in failures[0]


def test_example_scenarios_load():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        assert scenario.app_id == "com.example.demoapp", path
        assert scenario.steps, path


# Consent matching.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("同意", ConsentState.GRANTED),
        ("同 意", ConsentState.GRANTED),
        ("同意并继续 Agree", ConsentState.GRANTED),
        ("我同意", ConsentState.GRANTED),
        ("不同意", ConsentState.REFUSED),
        ("不同意 Disagree", ConsentState.REFUSED),
        ("拒绝", ConsentState.REFUSED),
        ("Agree", ConsentState.GRANTED),
        ("I AGREE", ConsentState.GRANTED),
        ("Ａｇｒｅｅ", ConsentState.GRANTED),
        ("Accept all", ConsentState.GRANTED),
        ("Disagree", ConsentState.REFUSED),
        ("Decline", ConsentState.REFUSED),
        ("Reject all", ConsentState.REFUSED),
        ("OK", None),
        ("User Agreement", None),
        ("用户协议", None),
        ("", None),
    ],
)
def test_consent_matcher(text, expected):
    assert ConsentMatcher().classify(text) == expected


def test_consent_matcher_custom_patterns():
    matcher = ConsentMatcher(agree=("好的",), refuse=("算了",))
    assert matcher.classify("好的") == ConsentState.GRANTED
    assert matcher.classify("算了") == ConsentState.REFUSED
    assert matcher.classify("同意") is None


# Engine on a fake UI.


class FakeUi:
    """A screen model: a privacy dialog that closes on agree or refuse, then a home screen."""

    DIALOG = [
        Element("请阅读《用户协议》 User Agreement", "app:id/policy", (0, 0, 1000, 400)),
        Element("同意并继续 Agree", "app:id/agree", (100, 500, 900, 600)),
        Element("不同意 Disagree", "app:id/refuse", (100, 700, 900, 800)),
    ]
    HOME = [Element("Home", "app:id/title", (0, 0, 1000, 200))]

    def __init__(self, dialog_after_dumps: int = 0) -> None:
        self.clock_ms = 1_000_000
        self.dumps = 0
        self.dialog_after_dumps = dialog_after_dumps
        self.screen: list[Element] = []
        self.actions: list[str] = []
        self.tap_times: list[int] = []

    def dump(self) -> list[Element]:
        self.dumps += 1
        if not self.screen and self.dumps > self.dialog_after_dumps:
            self.screen = list(self.DIALOG)
        return list(self.screen)

    def screen_size(self) -> tuple[int, int]:
        return 1000, 2000

    def tap(self, x: int, y: int) -> int:
        self.clock_ms += 100
        self.actions.append(f"tap {x},{y}")
        self.tap_times.append(self.clock_ms)
        hit = [e for e in self.screen if e.contains(x, y) and e.id.endswith(("agree", "refuse"))]
        if hit:
            self.screen = list(self.HOME)
        return self.clock_ms

    def input_text(self, text: str) -> None:
        self.actions.append(f"text {text}")

    def erase_text(self, characters: int) -> None:
        self.actions.append(f"erase {characters}")

    def press_key(self, key: str) -> None:
        self.actions.append(f"key {key}")

    def back(self) -> None:
        self.actions.append("back")

    def swipe(self, start, end, duration_ms: int) -> None:
        self.actions.append(f"swipe {start} {end}")

    def launch_app(self, app_id: str) -> None:
        self.actions.append(f"launch {app_id}")

    def stop_app(self, app_id: str) -> None:
        self.actions.append(f"stop {app_id}")

    def clear_state(self, app_id: str) -> None:
        self.actions.append(f"clear {app_id}")

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(b"png")
        return path

    def device_time_ms(self) -> int:
        self.clock_ms += 1
        return self.clock_ms


def run_engine(tmp_path: Path, body: str, ui: FakeUi) -> list[tuple[int, ConsentState, str]]:
    consents: list[tuple[int, ConsentState, str]] = []
    scenario = load_scenario(write_flow(tmp_path, body))
    engine = ScenarioEngine(
        scenario,
        ui,
        lambda t, s, src: consents.append((t, s, src)),
        find_timeout_s=1.0,
        screenshot_dir=tmp_path,
    )
    engine.run()
    return consents


def test_engine_agree_tap_records_consent(tmp_path):
    ui = FakeUi(dialog_after_dumps=2)
    body = """\
    - launchApp:
        clearState: true
    - extendedWaitUntil:
        visible: "同意并继续 Agree"
        timeout: 2000
    - tapOn: "同意并继续 Agree"
    - assertVisible: Home
    - assertNotVisible: ".*Agree"
    """
    consents = run_engine(tmp_path, body, ui)
    assert consents == [(ui.tap_times[0], ConsentState.GRANTED, "tap 同意并继续 Agree")]
    launch = ["stop com.example.demoapp", "clear com.example.demoapp", "launch com.example.demoapp"]
    assert ui.actions[:3] == launch
    assert ui.actions[3] == "tap 500,550"


def test_engine_refuse_by_id(tmp_path):
    ui = FakeUi()
    consents = run_engine(tmp_path, "- tapOn:\n    id: refuse\n", ui)
    assert consents == [(ui.tap_times[0], ConsentState.REFUSED, "tap 不同意 Disagree")]


def test_engine_policy_link_is_not_consent(tmp_path):
    ui = FakeUi()
    consents = run_engine(tmp_path, '- tapOn:\n    point: "500,100"\n', ui)
    assert ui.actions == ["tap 500,100"]
    assert consents == []


def test_engine_point_tap_on_button_is_consent(tmp_path):
    ui = FakeUi()
    consents = run_engine(tmp_path, '- tapOn:\n    point: "200,750"\n', ui)
    assert [c[1] for c in consents] == [ConsentState.REFUSED]


def test_engine_missing_element_names_step(tmp_path):
    ui = FakeUi()
    with pytest.raises(ScenarioError) as caught:
        run_engine(tmp_path, "- back\n- tapOn: Continue\n", ui)
    message = str(caught.value)
    assert "step 2 tapOn" in message
    assert "flow.yaml line 4" in message
    assert "text 'Continue' not visible within 1 s" in message


def test_engine_optional_tap_skips(tmp_path):
    ui = FakeUi()
    consents = run_engine(tmp_path, "- tapOn:\n    text: Continue\n    optional: true\n", ui)
    assert consents == []
    assert ui.actions == []


def test_engine_privmon_commands(tmp_path):
    ui = FakeUi()
    body = """\
    - privmon.consent: agree
    - privmon.background:
        seconds: 0.01
    - privmon.wait: 0.01
    - inputText: hello
    - pressKey: Enter
    - swipe:
        direction: DOWN
    - takeScreenshot: shot
    """
    consents = run_engine(tmp_path, body, ui)
    assert [(c[1], c[2]) for c in consents] == [(ConsentState.GRANTED, "scenario privmon.consent")]
    assert ui.actions == [
        "key home",
        "text hello",
        "key Enter",
        "swipe (500, 1600) (500, 400)",
    ]
    assert (tmp_path / "shot.png").read_bytes() == b"png"


def test_engine_repeat_runs_each_round(tmp_path):
    ui = FakeUi()
    body = """\
    - repeat:
        times: 3
        commands:
          - stopApp
          - launchApp:
              stopApp: false
    """
    run_engine(tmp_path, body, ui)
    assert ui.actions == ["stop com.example.demoapp", "launch com.example.demoapp"] * 3


# End to end on the demo app under real Frida.


@pytest.mark.frida
@needs_java
def test_demo_agree_scenario_tags_events(tmp_path):
    store = Store(tmp_path / "run.db")
    build = build_demo()
    # Without the app's consent callbacks the scenario's tap is the only consent source.
    config = demo_config(build.app_package).model_copy(update={"consent_signals": []})
    program = build.java_command(["--interval-ms", "20", "--consent", "wait"])
    bridge = DemoSession()
    scenario = load_scenario(ROOT / "scenarios" / "first-launch-agree.yaml")
    result = monitor_run(
        frida.get_local_device(),
        Target(mode="spawn", program=program),
        config,
        store,
        RunOptions(),
        Severity.LOW,
        driver=make_scenario_driver(scenario, bridge.ui_driver),
        on_output=bridge.on_output,
    )
    run = store.run(result.run_id)
    assert "scenario failed" not in (run["end_reason"] or "")
    changes = store.rows("consent_changes", result.run_id)
    assert [c["state"] for c in changes] == ["granted"]
    assert changes[0]["source"].startswith("tap")
    taps = bridge.demo.events_named("tap")
    assert [t["time_ms"] for t in taps] == [changes[0]["time_ms"]]
    events = list(store.events(result.run_id))
    after = [e for e in events if e["time_ms"] > changes[0]["time_ms"]]
    assert after
    assert {e["consent"] for e in after} == {"granted"}
    assert {e["consent"] for e in events if e["time_ms"] < changes[0]["time_ms"]} == {"before"}


class _SerialOnly:
    serial = "emulator-5554"


def test_ui_backend_adb_selected():
    from monitor.scenarios.drivers import AdbUiDriver, make_ui_driver

    assert isinstance(make_ui_driver(_SerialOnly(), "com.example.app", "adb"), AdbUiDriver)


def test_ui_backend_unknown_rejected():
    from monitor.errors import ConfigError
    from monitor.scenarios.drivers import make_ui_driver

    with pytest.raises(ConfigError, match="unknown UI backend 'appium'"):
        make_ui_driver(_SerialOnly(), "com.example.app", "appium")


def test_ui_backend_uiautomator2_missing_named():
    import importlib.util

    from monitor.errors import ConfigError
    from monitor.scenarios.drivers import make_ui_driver

    if importlib.util.find_spec("uiautomator2") is not None:
        pytest.skip("uiautomator2 is installed here")
    with pytest.raises(ConfigError, match="pip install uiautomator2"):
        make_ui_driver(_SerialOnly(), "com.example.app", "uiautomator2")
