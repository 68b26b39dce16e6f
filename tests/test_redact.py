"""Redaction of identifiers and personal values before they are stored."""

import time

from monitor.attribution import Attributor
from monitor.collector import Collector
from monitor.redact import Redactor, clean_text
from monitor.store import Store

KEY = b"k" * 32
NOW = int(time.time() * 1000)
IMEI = "861234567890123"


def test_token_stable_for_one_key():
    redactor = Redactor(KEY)
    first = redactor.token("imei", IMEI)
    assert first == redactor.token("imei", IMEI)
    assert first.startswith("[imei:")
    assert len(first) == len("[imei:]") + 12
    assert IMEI not in first


def test_token_differs_across_keys():
    assert Redactor(KEY).token("imei", IMEI) != Redactor(b"x" * 32).token("imei", IMEI)


def test_identifier_detail_redacted():
    args, detail = Redactor(KEY).event("identifiers", "imei", "returned", "0", IMEI)
    assert args == "0"
    assert detail == Redactor(KEY).token("imei", IMEI)


def test_placeholder_and_exception_kept():
    redactor = Redactor(KEY)
    assert redactor.event("identifiers", "imei", "placeholder", "", "null") == ("", "null")
    exception = ("", "java.lang.SecurityException")
    assert redactor.event("identifiers", "imei", "exception", *exception) == exception


def test_coordinates_redacted():
    location = "Location[gps 39.904200,116.407400 hAcc=5.0]"
    _, detail = Redactor(KEY).event("location", "location", "returned", "gps", location)
    assert "39.9042" not in detail
    assert "116.4074" not in detail
    assert detail.startswith("Location[gps [coordinate:")
    assert "hAcc=5.0" in detail


def test_contact_row_redacted():
    _, detail = Redactor(KEY).event("contacts", "contacts", "returned", "uri", "Zhang San")
    assert "Zhang" not in detail


def test_patterns_in_free_text():
    redactor = Redactor(KEY)
    text = redactor.patterns("tel:+86 138-0013-8000 mac 02:00:00:ab:cd:ef mail a.b@example.com")
    assert "138" not in text
    assert "ab:cd:ef" not in text
    assert "example.com" not in text
    assert redactor.patterns("pid 42 v1.2.3 com.example.app") == "pid 42 v1.2.3 com.example.app"


def test_clean_text_replaces_lone_surrogates():
    assert clean_text("a\ud800b\udfff") == "a\ufffdb\ufffd"
    assert clean_text("ok 😀") == "ok 😀"


def _store_one_imei(tmp_path, redact):
    store = Store(tmp_path / f"run-{redact}.db")
    store.create_run({"id": "r", "started_ms": NOW, "status": "running"})
    collector = Collector(store, "r", Attributor([], []), redact=redact)
    collector.start()
    item = {
        "hookId": 0,
        "category": "identifiers",
        "className": "android.telephony.TelephonyManager",
        "method": "getDeviceId",
        "state": "installed",
        "overloads": ["getDeviceId()"],
    }
    event = [1, NOW, 1, "main", 0, 0, "identifiers", "imei", "", "returned", IMEI, 0]
    for payload in (
        {"type": "hooks:status", "items": [item]},
        {"type": "events:add", "events": [event, [2, *event[1:]]]},
    ):
        collector.submit(7, {"type": "send", "payload": payload})
    collector.close()
    return [row[0] for row in store.db.execute("SELECT detail FROM events ORDER BY seq")]


def test_collector_redacts_by_default(tmp_path):
    details = _store_one_imei(tmp_path, redact=None)
    assert details[0].startswith("[imei:")
    assert details[0] == details[1]


def test_collector_keeps_values_without_redaction(tmp_path):
    assert _store_one_imei(tmp_path, redact=False) == [IMEI, IMEI]


def test_stored_config_turns_redaction_off(tmp_path):
    store = Store(tmp_path / "run.db")
    store.create_run({"id": "r", "started_ms": NOW, "config": '{"redact": false}'})
    assert Collector(store, "r", Attributor([], [])).redactor is None


def test_key_kept_per_database(tmp_path):
    first = Store(tmp_path / "a.db").redaction_key()
    assert Store(tmp_path / "a.db").redaction_key() == first
    assert Store(tmp_path / "b.db").redaction_key() != first
