"""Gaps in what the agent saw. A run with a coverage finding is never reported clean."""

from __future__ import annotations

from monitor.rules.base import Finding, RunData, Severity

# end_reason of a run whose collector was stopped (killed) before the app ended.
CUT_SHORT = "collector stopped before the run ended"


class Coverage:
    id = "coverage"

    def evaluate(self, data: RunData) -> list[Finding]:
        findings: list[Finding] = []
        run = data.run
        if not data.processes or all(p.get("hooks_ready_ms") is None for p in data.processes):
            findings.append(
                self._gap(
                    "hooks never became ready: nothing was monitored", run.get("end_reason") or ""
                )
            )
        for process in data.processes:
            if process.get("hooks_ready_ms") is None:
                continue
            if run.get("mode") == "attach":
                blind = _blind_window(process)
                findings.append(
                    self._gap(
                        f"attached to a running app: calls before hooks were ready were not seen"
                        f" in pid {process['pid']}",
                        f"blind window {blind} ms after process start"
                        if blind is not None
                        else "process start time unknown",
                    )
                )
        if run.get("end_reason") == CUT_SHORT:
            findings.append(
                self._gap("the run was cut short: the collector stopped before the app ended", "")
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
        return findings

    def _gap(self, title: str, detail: str) -> Finding:
        return Finding(rule=self.id, severity=Severity.HIGH, title=title, detail=detail)


def _blind_window(process: dict) -> int | None:
    start, ready = process.get("process_start_ms"), process.get("hooks_ready_ms")
    if start is None or ready is None:
        return None
    return max(0, ready - start)
