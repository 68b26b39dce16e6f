"""An identifier read through another API after the official one returned a placeholder.

When the platform withholds an identifier it returns a placeholder (null, "unknown",
02:00:00:00:00:00 ...), which the agent records as outcome "placeholder". Reading the same
data type through a different API afterwards, by the same origin, and getting a value is a
way around the platform's protection.
"""

from __future__ import annotations

from monitor.rules.base import (
    Finding,
    RunData,
    Severity,
    api_name,
    consent_states,
    evidence_of,
    severity_of,
)


class IdentifierBypass:
    id = "identifier_bypass"
    default_severity = Severity.HIGH

    def evaluate(self, data: RunData) -> list[Finding]:
        # (origin, data type) -> first placeholder event; later events bypass it.
        withheld: dict[tuple[str, str], dict] = {}
        bypasses: dict[tuple[str, str, str], list[dict]] = {}
        for event in data.events:
            if event["category"] != "identifiers":
                continue
            key = (event["origin"], event["data_type"])
            if event["outcome"] == "placeholder":
                withheld.setdefault(key, event)
                continue
            placeholder = withheld.get(key)
            if event["outcome"] != "returned" or placeholder is None:
                continue
            if api_name(event) == api_name(placeholder):
                continue
            bypasses.setdefault((*key, api_name(event)), [placeholder]).append(event)
        return [self._finding(data, events) for events in bypasses.values()]

    def _finding(self, data: RunData, events: list[dict]) -> Finding:
        placeholder, reads = events[0], events[1:]
        return Finding(
            rule=self.id,
            severity=severity_of(self, data),
            title=f"{placeholder['data_type']} read through {api_name(reads[0])} after "
            f"{api_name(placeholder)} returned a placeholder, by {placeholder['origin']}",
            category="identifiers",
            origin=placeholder["origin"],
            api=api_name(reads[0]),
            consent=consent_states(reads),
            count=len(reads),
            first_ms=reads[0]["time_ms"],
            last_ms=reads[-1]["time_ms"],
            evidence=evidence_of(events),
            detail=f"placeholder from {api_name(placeholder)}: {placeholder['detail']}",
        )
