"""Counts in English text: "1 finding", "3 findings"."""

from __future__ import annotations


def count_of(count: int, noun: str) -> str:
    """Return `count` and the noun, plural unless the count is one ("1 call", "2 calls")."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
