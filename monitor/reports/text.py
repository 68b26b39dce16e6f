"""Text helpers shared by report formats: visible control characters, UTC times, cells."""

from __future__ import annotations

import re
from datetime import datetime, timezone

# C0 controls, DEL, C1 controls, lone surrogates and the two XML 1.0 non-characters.
# Terminals act on C0/C1 (ANSI escapes), XML 1.0 forbids C0 but tab/LF/CR, and lone
# surrogates cannot be encoded as UTF-8.
# Bidirectional controls (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) reorder the text
# around them, so an app's string could make a report line read differently than stored.
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{_BIDI}]")
_CONTROL_KEEP_LINES = re.compile(
    f"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{_BIDI}]"
)

# A spreadsheet evaluates a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: str, keep_lines: bool = False) -> str:
    """Replace control characters with visible escapes such as `\\x1b`.

    With `keep_lines`, tab, line feed and carriage return stay as they are.
    """
    pattern = _CONTROL_KEEP_LINES if keep_lines else _CONTROL
    return pattern.sub(_escape_char, text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def csv_safe(text: str) -> str:
    """Prefix text that a spreadsheet would evaluate as a formula with an apostrophe."""
    return "'" + text if is_formula_like(text) else text


def utc_datetime(ms: int | None) -> datetime | None:
    """Return a naive UTC datetime for device time in epoch ms (spreadsheets have no zones)."""
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).replace(tzinfo=None)


def iso_utc(ms: int | None) -> str:
    """Return device time in epoch ms as ISO 8601 UTC with milliseconds, or "" for None."""
    if ms is None:
        return ""
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def since_consent(ms: int | None) -> str:
    """Describe a time relative to the first consent decision."""
    if ms is None:
        return "no consent decision observed"
    if ms < 0:
        return f"{-ms} ms before consent"
    return f"{ms} ms after consent"


# Column headings of a finding, in Chinese and English, shared by the CSV and xlsx reports.
FINDING_COLUMNS = (
    "严重程度 Severity",
    "规则 Rule",
    "标题 Title",
    "类别 Category",
    "来源 Origin",
    "接口 API",
    "同意状态 Consent",
    "次数 Count",
    "时间窗 Window (ms)",
    "首次时间 First time (UTC)",
    "末次时间 Last time (UTC)",
)
