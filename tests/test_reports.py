import json

from monitor.config import MonitorConfig
from monitor.reports.html import render_html
from monitor.reports.json_report import write_json
from monitor.reports.model import build_report
from monitor.runner import finish_run
from monitor.testing import make_event, make_store

HOSTILE = '<script>alert("x")</script>\x1b[31m&'
CONFIG = MonitorConfig(app_id="com.example.demoapp")


def hostile_run():
    events = [
        make_event(
            i * 100,
            category="location",
            data_type="location",
            api="android.location.LocationManager.getLastKnownLocation",
            origin=HOSTILE,
            args=HOSTILE,
        )
        for i in range(5)
    ]
    store = make_store(events, CONFIG)
    result = finish_run(store, "run", CONFIG)
    return build_report(store, "run", CONFIG, result.verdict)


def test_html_escapes_app_values():
    html = render_html(hostile_run())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_html_shows_findings_and_verdict():
    html = render_html(hostile_run())
    assert 'id="verdict"' in html
    assert "Verdict: findings" in html
    assert "[pre_consent]" in html
    assert "[frequency]" in html


def test_json_report_content(tmp_path):
    path = tmp_path / "r.json"
    write_json(hostile_run(), path)
    report = json.loads(path.read_text())
    assert report["schema_version"] == 2
    assert report["event_count"] == 5
    assert report["events_by_consent"] == {"unknown": 5}
    assert sum(b["count"] for b in report["timeline"]) == 5
    times = [e["time_ms"] for e in report["events"]]
    assert len(times) == 5
    assert times == sorted(times)
    rules = sorted(f["rule"] for f in report["findings"])
    assert rules == ["frequency", "pre_consent"]
    evidence = report["findings"][0]["evidence"]
    assert len(evidence) == 5
    assert evidence[0]["args"] == HOSTILE
    assert evidence[0]["since_consent_ms"] is None


def test_clean_report_never_says_compliant():
    store = make_store([], CONFIG)
    result = finish_run(store, "run", CONFIG)
    html = render_html(build_report(store, "run", CONFIG, result.verdict))
    assert result.verdict.status == "no findings"
    assert "compliant" not in html.lower()
    assert "no findings in the calls that were monitored" in html.lower()


def test_html_consent_time_iso():
    store = make_store([make_event(100)], CONFIG)
    store.add_consent_change(
        {
            "run_id": "run",
            "time_ms": 1_700_000_000_250,
            "state": "granted",
            "source": "com.example.demoapp.PrivacyDialog.onAgree",
            "pid": None,
            "seq": None,
        }
    )
    result = finish_run(store, "run", CONFIG)
    html = render_html(build_report(store, "run", CONFIG, result.verdict))
    assert "granted at <time>2023-11-14T22:13:20.250Z</time>" in html
    assert 'title="consent granted at 2023-11-14T22:13:20.250Z"' in html


def test_html_control_characters_visible():
    html = render_html(hostile_run())
    assert "\x1b" not in html
    assert "\\x1b[31m&amp;" in html


def test_html_lists_coverage_gaps():
    store = make_store([make_event(100)], CONFIG, mode="attach")
    result = finish_run(store, "run", CONFIG)
    html = render_html(build_report(store, "run", CONFIG, result.verdict))
    assert '<p class="gap">' in html
    assert "attached to a running app" in html


def test_html_without_gaps_says_so():
    html = render_html(hostile_run())
    assert '<p class="gap">' not in html
    assert "The coverage rule found no gaps" in html
