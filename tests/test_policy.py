"""Policy files: presets, extends, validation errors with lines, and how runs store them."""

import subprocess
import sys

import pytest

from monitor.config import MonitorConfig, load_config
from monitor.errors import ConfigError
from monitor.policy import Severity, load_policy, preset_names
from monitor.runner import finish_run
from monitor.testing import make_event, make_store

LOCATION = "android.location.LocationManager.getLastKnownLocation"


def write(tmp_path, text, name="policy.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_presets_load():
    assert preset_names() == ["miit", "report-only", "strict"]
    for name in preset_names():
        assert load_policy(name).name == name


def test_miit_limits():
    frequency = load_policy("miit").frequency
    limit, source = frequency.threshold("GeoMaps", LOCATION, "location")
    assert (limit.max_calls, limit.window_s, source) == (1, 2, "category location")
    limit, _ = frequency.threshold("Umeng", "a.B.c", "identifiers")
    assert (limit.max_calls, limit.window_s) == (3, 60)


def test_report_only_extends_miit():
    policy = load_policy("report-only")
    assert policy.report_only
    assert policy.frequency == load_policy("miit").frequency
    assert policy.severity("pre_consent", Severity.HIGH) == Severity.INFO


def test_extends_merges_mappings(tmp_path):
    path = write(
        tmp_path,
        "extends: miit\n"
        "frequency:\n"
        "  sdks:\n"
        "    GeoMaps: {max_calls: 10, window_s: 2}\n"
        "rules:\n"
        "  frequency: {enabled: false}\n",
        "mine.yaml",
    )
    policy = load_policy(str(path))
    assert policy.name == "mine"
    limit, source = policy.frequency.threshold("GeoMaps", LOCATION, "location")
    assert (limit.max_calls, source) == (10, "SDK GeoMaps")
    # Kept from miit:
    assert policy.frequency.threshold("x", LOCATION, "location")[1] == "category location"
    assert not policy.enabled("frequency")
    assert policy.enabled("pre_consent")


def test_invalid_field_names_line(tmp_path):
    path = write(
        tmp_path,
        "name: mine\nfrequency:\n  categories:\n    location: {max_calls: 0, window_s: 2}\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_policy(str(path))
    message = str(caught.value)
    assert str(path) in message
    assert "line 4: frequency.categories.location.max_calls:" in message


def test_unknown_rule_names_line(tmp_path):
    path = write(tmp_path, "name: mine\nrules:\n  pre_consnet: {severity: high}\n")
    with pytest.raises(ConfigError, match=r"line 3: rules\.pre_consnet"):
        load_policy(str(path))


def test_unknown_field_rejected(tmp_path):
    path = write(tmp_path, "name: mine\n\nthresholds: {}\n")
    with pytest.raises(ConfigError, match=r"line 3: thresholds: Extra inputs"):
        load_policy(str(path))


def test_bad_api_name_rejected(tmp_path):
    path = write(
        tmp_path, "name: mine\nfrequency:\n  apis:\n    getImei: {max_calls: 1, window_s: 1}\n"
    )
    with pytest.raises(ConfigError, match=r"line 3: frequency\.apis: .*'getImei'"):
        load_policy(str(path))


def test_unknown_extends_rejected(tmp_path):
    path = write(tmp_path, "extends: nist\n")
    with pytest.raises(ConfigError, match="line 1: extends: 'nist' is not a preset"):
        load_policy(str(path))


@pytest.mark.parametrize(
    "limit",
    [
        "{max_calls: 3, window_s: 0.0001}",
        "{max_calls: 3, window_s: .inf}",
        "{max_calls: 3, window_s: .nan}",
        "{max_calls: 3, window_s: 1e308}",
        "{max_calls: 99999999999999999999999, window_s: 60}",
    ],
)
def test_out_of_range_threshold_rejected(tmp_path, limit):
    path = write(tmp_path, f"name: mine\nfrequency:\n  default: {limit}\n")
    with pytest.raises(ConfigError, match=r"line 3: frequency\.default\."):
        load_policy(str(path))


def test_policy_not_utf8_rejected(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_policy(str(path))


def test_missing_sdk_file_rejected_before_run(tmp_path):
    config = write(tmp_path, "app_id: x\nsdk_files: [nosuch-sdks.yaml]\n", "privmon.yaml")
    db = tmp_path / "run.db"
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "run", "--config", str(config), "--db", str(db)]
        + ["-f", "/bin/true"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Failed to read SDK list" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_broken_yaml_rejected(tmp_path):
    path = write(tmp_path, "name: [mine\n")
    with pytest.raises(ConfigError, match="Invalid YAML in"):
        load_policy(str(path))


def test_missing_policy_rejected():
    with pytest.raises(ConfigError, match="Policy 'nope' not found"):
        load_policy("nope")


def test_cli_invalid_policy_exits_2(tmp_path):
    path = write(tmp_path, "name: mine\nrules:\n  frequency: {severity: urgent}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "run", "--policy", str(path), "-f", "/bin/true"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "line 3: rules.frequency.severity:" in proc.stderr


def test_config_names_policy_file(tmp_path):
    write(tmp_path, "extends: miit\nreport_only: true\n", "team.yaml")
    config = load_config(write(tmp_path, "app_id: com.x\npolicy: team.yaml\n", "c.yaml"))
    assert config.policy.name == "team"
    assert config.policy.report_only


def test_config_error_names_line(tmp_path):
    path = write(tmp_path, "app_id: com.x\nbatch_size: 0\n", "c.yaml")
    with pytest.raises(ConfigError, match="line 2: batch_size:"):
        load_config(path)


def test_legacy_config_fields_fold_into_policy(tmp_path):
    path = write(
        tmp_path, "frequency: {max_calls: 7, window_s: 30}\nmax_hooks_ready_ms: 500\n", "c.yaml"
    )
    policy = load_config(path).policy
    assert policy.frequency.threshold("a", LOCATION, "location")[0].max_calls == 7
    assert policy.coverage.max_hooks_ready_ms == 500


def test_stored_run_keeps_policy():
    # `privmon report` rebuilds the config from the run row and evaluates with its policy.
    config = MonitorConfig(policy=load_policy("report-only"))
    store = make_store([make_event(0)], config)
    stored = MonitorConfig.model_validate_json(store.run("run")["config"])
    assert stored.policy == config.policy
    result = finish_run(store, "run", stored)
    assert [(f.rule, f.severity) for f in result.findings] == [("pre_consent", Severity.INFO)]
    assert result.verdict.exit_code == 0


def test_old_stored_config_still_loads():
    stored = MonitorConfig.model_validate_json(
        '{"app_id": "com.x", "frequency": {"max_calls": 4, "window_s": 10}, '
        '"max_hooks_ready_ms": 0}'
    )
    assert stored.policy.name == "miit"
    assert stored.policy.frequency.default.max_calls == 4
    assert stored.policy.coverage.max_hooks_ready_ms is None
