"""Tester privacy: identifiers and personal values read by the app are not stored in clear.

The device under test is often a tester's own phone, so by default the collector replaces
the values that identify a person or a device (IMEI, android_id, phone numbers, MAC
addresses, precise coordinates, contact rows) with a keyed hash before they reach the
database. The hash is HMAC-SHA256 with a random key kept in the same database, so repeated
reads of one value show the same token inside a run, while the value itself cannot be
recovered without brute-forcing it with that key. `--no-redact` stores values as read.

This module also holds `clean_text`, which makes agent strings safe to store in SQLite.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from typing import Any

# Data types whose returned value is itself an identifier (see hooks/src/catalog).
IDENTIFIER_TYPES = frozenset(
    {
        "imei",
        "meid",
        "imsi",
        "iccid",
        "phone_number",
        "android_id",
        "serial",
        "mac",
        "advertising_id",
        "oaid",
    }
)
# Categories whose returned value is a row of someone's personal data.
PERSONAL_ROW_CATEGORIES = frozenset({"contacts", "call_log", "sms", "calendar"})
LOCATION_CATEGORY = "location"

TOKEN_HEX = 12
TOKEN_CACHE_SIZE = 4096
EVENT_CACHE_SIZE = 4096
# Longer values are redacted each time rather than cached, to bound the cache's memory.
EVENT_CACHE_MAX_CHARS = 512

# A decimal with at least 3 fractional digits: ~100 m or finer as latitude or longitude.
_COORDINATE = re.compile(r"(?<![\w.])-?\d{1,3}\.\d{3,}(?![\w.])")
_MAC = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![\w:])")
# 7 to 15 digits, optionally after "+" and split by spaces or dashes (E.164 has at most 15).
_PHONE = re.compile(r"(?<![\w.+])\+?\d(?:[ -]?\d){6,14}(?![\w.])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PATTERNS = (("mac", _MAC), ("email", _EMAIL), ("phone_number", _PHONE))
# One scan per text: where two kinds match at the same position, the first group listed
# wins, and a token put in for one match is never scanned again.
_FREE_TEXT = re.compile("|".join(f"(?P<{kind}>{p.pattern})" for kind, p in _PATTERNS))
_LOCATION_TEXT = re.compile(f"(?P<coordinate>{_COORDINATE.pattern})|{_FREE_TEXT.pattern}")

_CANDIDATE = re.compile(r"[0-9@]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Replace lone UTF-16 surrogates, which SQLite cannot encode, with U+FFFD."""
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text)


def clean_value(value: Any) -> Any:
    """Return a JSON value with clean_text applied to every string in it."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_value(v) for k, v in value.items()}
    return value


class Redactor:
    """Replaces personal values in event arguments and details with keyed-hash tokens."""

    def __init__(self, key: bytes) -> None:
        # Copying a keyed HMAC skips the key set-up that hmac.new repeats for each value.
        self._hmac = hmac.new(key, digestmod=hashlib.sha256)
        # Apps read the same identifier over and over, so most tokens come from this cache.
        self.token = functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)(self._token)
        # Whole events repeat too, and a cache hit skips the regular-expression scans.
        self.cache: dict[tuple[str, str, str, str, str], tuple[str, str]] = {}
        """(args, detail) after redaction, per event() arguments; a hit equals event()."""

    def _token(self, kind: str, value: str) -> str:
        """Return "[kind:hash]", the same for equal values under one key."""
        digest = self._hmac.copy()
        digest.update(value.encode("utf-8", "replace"))
        return f"[{kind}:{digest.hexdigest()[:TOKEN_HEX]}]"

    def event(
        self, category: str, data_type: str, outcome: str, args: str, detail: str
    ) -> tuple[str, str]:
        """Return the (args, detail) of one event with personal values replaced."""
        key = (category, data_type, outcome, args, detail)
        redacted = self.cache.get(key)
        if redacted is None:
            redacted = self._redact_event(*key)
            if len(args) + len(detail) <= EVENT_CACHE_MAX_CHARS:
                if len(self.cache) >= EVENT_CACHE_SIZE:
                    self.cache.clear()
                self.cache[key] = redacted
        return redacted

    def _redact_event(
        self, category: str, data_type: str, outcome: str, args: str, detail: str
    ) -> tuple[str, str]:
        if category == LOCATION_CATEGORY:
            return self._coordinates(args), self._coordinates(detail)
        returned = outcome == "returned" and detail not in ("", "null")
        if returned and (data_type in IDENTIFIER_TYPES or category in PERSONAL_ROW_CATEGORIES):
            return self.patterns(args), self.token(data_type, detail)
        return self.patterns(args), self.patterns(detail)

    def patterns(self, text: str) -> str:
        """Replace MAC addresses, e-mail addresses and phone numbers found in free text."""
        if _CANDIDATE.search(text) is None:
            return text
        return _FREE_TEXT.sub(self._replace_match, text)

    def _coordinates(self, text: str) -> str:
        """Replace coordinates, and what `patterns` replaces, found in free text."""
        if _CANDIDATE.search(text) is None:
            return text
        return _LOCATION_TEXT.sub(self._replace_match, text)

    def _replace_match(self, match: re.Match[str]) -> str:
        return self.token(match.lastgroup or "value", match.group())
