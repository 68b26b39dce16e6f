"""Gaps in what the agent saw. A run with a coverage finding is never reported clean, so
the policy can change a gap's severity but cannot disable this rule."""

from __future__ import annotations

from monitor.rules.base import Event, Finding, RunData, Severity, severity_of
from monitor.session import APP_CRASHED, APP_ENDED_WITHOUT_EXIT, CRASHED_WHILE_STOPPING

# end_reason of a run whose collector was stopped (killed) before the app ended.
CUT_SHORT = "collector stopped before the run ended"
# end_reason prefix of a run whose scenario or UI driver failed (set by monitor.runner).
SCENARIO_FAILED = "scenario failed"


class Coverage:
    id = "coverage"
    default_severity = Severity.HIGH

    def start(self, data: RunData) -> _Scan:
        return _Scan(self, data)

    def evaluate(self, data: RunData) -> list[Finding]:
        findings: list[Finding] = []
        run = data.run
        never_ready = all(p.get("hooks_ready_ms") is None for p in data.processes)
        if never_ready:
            findings.append(
                self._gap(
                    "hooks never became ready: nothing was monitored", run.get("end_reason") or ""
                )
            )
        for process in data.processes:
            if process.get("hooks_ready_ms") is None:
                if not never_ready:
                    findings.append(self._unmonitored(process))
                continue
            if run.get("mode") == "attach":
                findings.extend(self._attached(process, data.policy.coverage.max_hooks_ready_ms))
        end_reason = run.get("end_reason") or ""
        if end_reason == CUT_SHORT:
            findings.append(
                self._gap("the run was cut short: the collector stopped before the app ended", "")
            )
        if end_reason.startswith((APP_CRASHED, APP_ENDED_WITHOUT_EXIT, CRASHED_WHILE_STOPPING)):
            findings.append(
                self._gap(
                    "the app ended abnormally: calls it would have made were not seen", end_reason
                )
            )
        if end_reason.startswith(SCENARIO_FAILED):
            findings.append(
                self._gap(
                    "the scenario failed: later steps and their calls did not run", end_reason
                )
            )
        for hook in data.hooks:
            if hook["category"] == "consent" and hook["state"] != "installed":
                findings.append(
                    self._gap(
                        f"consent signal {hook['class']}.{hook['method']} was not hooked "
                        f"({hook['state']}): consent decisions through it were not seen",
                        hook.get("reason") or "",
                    )
                )
        failed = [h for h in data.hooks if h["state"] == "failed"]
        if failed:
            names = ", ".join(f"{h['category']}:{h['class']}.{h['method']}" for h in failed)
            findings.append(self._gap(f"{len(failed)} hooks failed to install", names))
        fatal = [e for e in data.agent_errors if e["fatal"]]
        if fatal:
            findings.append(self._gap("the agent failed", fatal[0]["message"]))
        invalid = run.get("invalid_messages") or 0
        if invalid:
            findings.append(self._gap(f"{invalid} agent messages were invalid and dropped", ""))
        severity = severity_of(self, data)
        for finding in findings:
            finding.severity = severity
        return findings

    def _gap(self, title: str, detail: str) -> Finding:
        return Finding(rule=self.id, severity=self.default_severity, title=title, detail=detail)

    def _unmonitored(self, process: dict) -> Finding:
        return self._gap(
            f"unmonitored process: hooks never became ready in pid {process['pid']}"
            f" ({process.get('name') or 'unnamed'})",
            "calls in this process were not seen",
        )

    def _attached(self, process: dict, max_ready_ms: int | None) -> list[Finding]:
        blind = _blind_window(process)
        gaps = [
            self._gap(
                f"attached to a running app: calls before hooks were ready were not seen"
                f" in pid {process['pid']}",
                f"blind window {blind} ms after process start"
                if blind is not None
                else "process start time unknown",
            )
        ]
        if max_ready_ms is not None and blind is not None and blind > max_ready_ms:
            gaps.append(
                self._gap(
                    f"hooks ready late in pid {process['pid']}: {blind} ms after process start",
                    f"the policy allows {max_ready_ms} ms",
                )
            )
        return gaps


def _blind_window(process: dict) -> int | None:
    start, ready = process.get("process_start_ms"), process.get("hooks_ready_ms")
    if start is None or ready is None:
        return None
    return max(0, ready - start)


class _Scan:
    """Coverage reads the run's processes, hooks and errors, none of its events."""

    categories: frozenset[str] = frozenset()
    consents = None

    def __init__(self, rule: Coverage, data: RunData) -> None:
        self.rule, self.data = rule, data

    def feed(self, event: Event, consent: str) -> None:
        pass

    def finish(self) -> list[Finding]:
        return self.rule.evaluate(self.data)
