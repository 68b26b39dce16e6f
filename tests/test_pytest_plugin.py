"""The pytest plugin, run by pytester in a subprocess against the demo app under real Frida."""

import shlex

import pytest
import yaml

from monitor.demo.build import build_demo
from monitor.demo.command import DEMO_SDKS
from tests.conftest import needs_java

pytest_plugins = ["pytester"]
pytestmark = [pytest.mark.frida, needs_java]

# Tests that the inner pytest session runs. The demo SDK Tracklytics reads the Android ID,
# IMEI and app list before the privacy dialog appears, so pre_consent must fail.
INNER_TESTS = """
import time

import pytest

from monitor.pytest_plugin import demo_target
from monitor.store import Store

AGREE = "com.example.demoapp:id/agree"


@pytest.fixture
def demo(privmon_monitor):
    app = demo_target(interval_ms=20)
    monitor = privmon_monitor(app.target, app.config, driver=app.driver, on_output=app.on_output)
    app.app.wait_for_screen("privacy_dialog", timeout=30)
    return monitor, app


def test_pre_consent(demo):
    monitor, app = demo
    app.app.tap_id(AGREE)
    monitor.wait(timeout=30)
    monitor.assert_no_findings("pre_consent")


def test_coverage(demo):
    monitor, app = demo
    app.app.tap_id(AGREE)
    monitor.wait(timeout=30)
    monitor.assert_no_findings("coverage")


def test_findings_mid_run(demo):
    monitor, app = demo
    deadline = time.monotonic() + 10
    origins = set()
    while time.monotonic() < deadline and "Tracklytics" not in origins:
        origins = {f.origin for f in monitor.findings("pre_consent")}
        time.sleep(0.1)
    assert "Tracklytics" in origins
    # The app waits for the privacy dialog, so these findings were read mid-run.
    assert monitor.running


def test_mark_consent(privmon_monitor):
    # Without consent signals only mark_consent() records the decision.
    app = demo_target(interval_ms=20)
    config = app.config.model_copy(update={"consent_signals": []})
    monitor = privmon_monitor(app.target, config, driver=app.driver, on_output=app.on_output)
    app.app.wait_for_screen("privacy_dialog", timeout=30)
    monitor.mark_consent("agree")
    app.app.tap_id(AGREE)
    monitor.wait(timeout=30)
    pre = {(f.origin, f.consent) for f in monitor.findings("pre_consent")}
    assert ("Tracklytics", "before") in pre
    assert all(origin != "com.example.demoapp" for origin, _ in pre)
    store = Store(monitor.db_path)
    changes = store.rows("consent_changes", monitor.run_id)
    assert [(c["state"], c["source"]) for c in changes] == [("granted", "pytest")]
    with pytest.raises(ValueError, match="invalid consent decision"):
        monitor.mark_consent("maybe")
"""


# Tests for the fixtures that monitor --privmon-target. The demo decides on its own here.
OPTION_TESTS = """
import time


def wait_for_origin(monitor, origin):
    deadline = time.monotonic() + 10
    origins = set()
    while time.monotonic() < deadline and origin not in origins:
        origins = {f.origin for f in monitor.findings("pre_consent")}
        time.sleep(0.1)
    return origins


def test_function_fixture(privmon):
    assert "Tracklytics" in wait_for_origin(privmon, "Tracklytics")
    assert privmon.config.app_id == "com.example.demoapp"


def test_session_fixture(privmon_session):
    assert "Tracklytics" in wait_for_origin(privmon_session, "Tracklytics")
    assert privmon_session.findings("coverage") == []
"""


def run_inner(pytester, monkeypatch, *args):
    # Load only this plugin, by module name, whether or not its entry point is installed.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    return pytester.runpytest_subprocess(
        "-p", "monitor.pytest_plugin", "-p", "no:cacheprovider", "-rA", *args
    )


def test_option_fixtures_monitor_target(pytester, monkeypatch):
    build = build_demo()
    command = build.java_command(
        ["--interval-ms", "20", "--consent", "agree", "--consent-delay-ms", "300"]
    )
    config = {
        "app_id": build.app_package,
        "consent_signals": [
            {
                "class_name": f"{build.app_package}.PrivacyDialog",
                "method": "onAgree",
                "decision": "agree",
            },
        ],
        "sdk_files": [str(DEMO_SDKS)],
    }
    config_path = pytester.path / "privmon.yaml"
    config_path.write_text(yaml.safe_dump(config))
    pytester.makepyfile(test_options=OPTION_TESTS)
    outcome = run_inner(
        pytester,
        monkeypatch,
        f"--privmon-target={shlex.join(command)}",
        f"--privmon-config={config_path}",
        f"--privmon-db-dir={pytester.path / 'dbs'}",
    )

    outcome.assert_outcomes(passed=2)
    assert len(list((pytester.path / "dbs").glob("*.db"))) == 2


def test_fixture_without_target_errors(pytester, monkeypatch):
    pytester.makepyfile(test_options="def test_it(privmon):\n    pass\n")
    outcome = run_inner(pytester, monkeypatch)

    assert outcome.ret != 0
    assert "--privmon-target" in outcome.stdout.str() + outcome.stderr.str()


def test_plugin_against_demo(pytester, monkeypatch):
    # One inner session for every check: each inner test spawns the demo app under Frida.
    pytester.makepyfile(test_inner=INNER_TESTS)
    outcome = run_inner(
        pytester,
        monkeypatch,
        "-o",
        "junit_family=xunit1",
        "--junitxml=junit.xml",
    )
    output = outcome.stdout.str()

    outcome.assert_outcomes(passed=3, failed=1)
    assert "FAILED test_inner.py::test_pre_consent" in output
    assert "PASSED test_inner.py::test_coverage" in output
    assert "PASSED test_inner.py::test_findings_mid_run" in output
    assert "PASSED test_inner.py::test_mark_consent" in output

    # The failure message lists each finding with its evidence events.
    assert "privmon found 3 findings" in output
    assert "collected before consent by Tracklytics" in output
    assert "Settings$Secure.getString by Tracklytics, consent before, args 'android_id'" in output

    # Teardown attaches each run's database to the test report.
    junit = (pytester.path / "junit.xml").read_text()
    assert junit.count('<property name="privmon_db"') == 4
