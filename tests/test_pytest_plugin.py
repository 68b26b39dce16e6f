"""The pytest plugin, run by pytester in a subprocess against the demo app under real Frida."""

import pytest

from tests.conftest import needs_java

pytest_plugins = ["pytester"]
pytestmark = [pytest.mark.frida, needs_java]

# Tests that the inner pytest session runs. The demo SDK Tracklytics reads the Android ID,
# IMEI and app list before the privacy dialog appears, so pre_consent must fail.
INNER_TESTS = '''
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
    assert monitor.running
    assert monitor.findings("frequency") == []


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
'''


@pytest.fixture
def outcome(pytester, monkeypatch):
    # Load only this plugin, by module name, whether or not its entry point is installed.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(test_inner=INNER_TESTS)
    return pytester.runpytest_subprocess(
        "-p", "monitor.pytest_plugin", "-p", "no:cacheprovider", "-rA", "--junitxml=junit.xml"
    )


def test_plugin_against_demo(outcome):
    outcome.assert_outcomes(passed=3, failed=1)
    output = outcome.stdout.str()
    assert "FAILED test_inner.py::test_pre_consent" in output
    assert "PASSED test_inner.py::test_coverage" in output
    assert "PASSED test_inner.py::test_findings_mid_run" in output
    assert "PASSED test_inner.py::test_mark_consent" in output
