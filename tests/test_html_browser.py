"""The HTML report as headless Chromium renders it: key elements, no scripts, no errors."""

import shutil
import subprocess

import pytest

from monitor.config import MonitorConfig
from monitor.reports.html import write_html
from monitor.reports.model import build_report
from monitor.runner import finish_run
from monitor.testing import BASE_MS, make_event, make_store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is needed for this test (Debian: apt-get install chromium)"
)

CONFIG = MonitorConfig(app_id="com.example.demoapp")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def hostile_report():
    events = [
        make_event(
            i * 200,
            category="location",
            data_type="location",
            api="android.location.LocationManager.getLastKnownLocation",
            origin=HOSTILE,
            args=HOSTILE,
        )
        for i in range(5)
    ]
    events.append(make_event(300, origin="io.tracklytics.sdk"))
    store = make_store(events, CONFIG, mode="attach")
    store.add_consent_change(
        {
            "run_id": "run",
            "time_ms": BASE_MS + 500,
            "state": "granted",
            "source": "com.example.demoapp.PrivacyDialog.onAgree",
            "pid": None,
            "seq": None,
        }
    )
    result = finish_run(store, "run", CONFIG)
    return build_report(store, "run", CONFIG, result.verdict)


def render_in_chromium(path, profile):
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def dumped(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    path = folder / "report.html"
    write_html(hostile_report(), path)
    return render_in_chromium(path, folder / "profile")


def test_browser_dom_has_sections(dumped):
    dom, _ = dumped
    for marker in ('id="verdict"', 'id="timeline"', 'id="findings"', 'id="coverage"'):
        assert marker in dom, marker
    assert "Verdict: incomplete" in dom


def test_browser_timeline_marks_consent(dumped):
    dom, _ = dumped
    lanes = dom.count('class="lane"')
    assert lanes == 2
    assert dom.count('class="consent-mark"') == lanes
    assert 'title="consent granted at 2023-11-14T22:13:20.500Z"' in dom


def test_browser_consent_time_iso(dumped):
    dom, _ = dumped
    assert "granted at <time>2023-11-14T22:13:20.500Z</time>" in dom


def test_browser_findings_with_evidence(dumped):
    dom, _ = dumped
    assert "[pre_consent]" in dom
    assert 'class="evidence"' in dom
    assert "500 ms before consent" in dom


def test_browser_coverage_gap_shown(dumped):
    dom, _ = dumped
    assert 'class="gap"' in dom
    assert "attached to a running app" in dom


def test_browser_no_scripts_run(dumped):
    dom, stderr = dumped
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()
    assert "&lt;script&gt;" in dom
    assert "Uncaught" not in stderr
