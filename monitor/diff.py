"""Compare the findings of two stored runs: which are new, gone or changed.

Findings match by (rule, origin, api, category). Several findings of one run with the same
key, such as coverage gaps, which have no origin or API, are compared as one group: the
highest severity, the summed call count and the number of findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from rich.console import Console
from rich.table import Table

from monitor.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INCOMPLETE
from monitor.phrasing import count_of
from monitor.reports.terminal import safe_markup
from monitor.rules import Severity
from monitor.store import Store

FindingKey = tuple[str, str, str, str]
"""(rule, origin, api, category)."""

# Statuses of a run whose findings do not cover everything the app did. "running" is a
# run whose collector never finished it, so its findings were never evaluated.
INCOMPLETE_STATUSES = frozenset({"incomplete", "failed", "running"})


class ChangeKind(str, Enum):
    NEW = "new"
    GONE = "gone"
    CHANGED = "changed"


def severity_rank(severity: str) -> int:
    """Rank a stored severity; an unknown value ranks as high so it is never hidden."""
    try:
        return Severity(severity).rank
    except ValueError:
        return Severity.HIGH.rank


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one run that share a key."""

    key: FindingKey
    severity: str
    count: int
    findings: int
    titles: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "count": self.count,
            "findings": self.findings,
            "titles": list(self.titles),
        }


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    key: FindingKey
    old: FindingGroup | None
    new: FindingGroup | None

    @property
    def severity(self) -> str:
        """The severity that matters now: the new one, or the old one for a gone finding."""
        group = self.new or self.old
        assert group is not None
        return group.severity

    @property
    def worsened(self) -> bool:
        """True when the finding is new, or its severity, call count or findings went up."""
        if self.kind is ChangeKind.NEW:
            return True
        if self.old is None or self.new is None:
            return False
        return (
            severity_rank(self.new.severity) > severity_rank(self.old.severity)
            or self.new.count > self.old.count
            or self.new.findings > self.old.findings
        )

    def as_dict(self) -> dict[str, Any]:
        rule, origin, api, category = self.key
        return {
            "change": self.kind.value,
            "rule": rule,
            "origin": origin,
            "api": api,
            "category": category,
            "worsened": self.worsened,
            "old": self.old.as_dict() if self.old else None,
            "new": self.new.as_dict() if self.new else None,
        }


@dataclass(frozen=True)
class RunFindings:
    """One side of a comparison: a stored run and its finding rows."""

    db: str
    run_id: str
    status: str
    end_reason: str | None
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.status not in INCOMPLETE_STATUSES


@dataclass(frozen=True)
class DiffResult:
    old: RunFindings
    new: RunFindings
    changes: list[Change]
    unchanged: int
    fail_on: Severity

    @property
    def failing(self) -> list[Change]:
        """New or worsened findings at or above fail_on."""
        return [
            c
            for c in self.changes
            if c.kind is not ChangeKind.GONE
            and c.worsened
            and severity_rank(c.severity) >= self.fail_on.rank
        ]

    @property
    def exit_code(self) -> int:
        # As for a run: a NEW run that did not see everything is never clean.
        if not self.new.complete:
            return EXIT_INCOMPLETE
        return EXIT_FINDINGS if self.failing else EXIT_CLEAN


def finding_key(row: dict[str, Any]) -> FindingKey:
    return (row["rule"] or "", row["origin"] or "", row["api"] or "", row["category"] or "")


def group_findings(rows: list[dict[str, Any]]) -> dict[FindingKey, FindingGroup]:
    """Group finding rows by key; a group has the highest severity and the summed count."""
    grouped: dict[FindingKey, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(finding_key(row), []).append(row)
    return {key: _group(key, members) for key, members in grouped.items()}


def _group(key: FindingKey, rows: list[dict[str, Any]]) -> FindingGroup:
    severity = max((row["severity"] for row in rows), key=severity_rank)
    return FindingGroup(
        key=key,
        severity=severity,
        count=sum(row["count"] or 0 for row in rows),
        findings=len(rows),
        titles=tuple(sorted(row["title"] or "" for row in rows)),
    )


def diff_findings(
    old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]]
) -> tuple[list[Change], int]:
    """Return the changes from old to new findings, and how many groups stayed the same.

    A group changed when its severity, call count or number of findings differs.
    """
    old, new = group_findings(old_rows), group_findings(new_rows)
    changes: list[Change] = []
    unchanged = 0
    for key in old.keys() | new.keys():
        before, after = old.get(key), new.get(key)
        if before is None:
            changes.append(Change(ChangeKind.NEW, key, None, after))
        elif after is None:
            changes.append(Change(ChangeKind.GONE, key, before, None))
        elif (before.severity, before.count, before.findings) != (
            after.severity,
            after.count,
            after.findings,
        ):
            changes.append(Change(ChangeKind.CHANGED, key, before, after))
        else:
            unchanged += 1
    order = {ChangeKind.NEW: 0, ChangeKind.CHANGED: 1, ChangeKind.GONE: 2}
    changes.sort(key=lambda c: (order[c.kind], -severity_rank(c.severity), c.key))
    return changes, unchanged


def compare(old: RunFindings, new: RunFindings, fail_on: Severity) -> DiffResult:
    changes, unchanged = diff_findings(old.findings, new.findings)
    return DiffResult(old, new, changes, unchanged, fail_on)


def load_run_findings(store: Store, run_id: str | None) -> RunFindings:
    """Read one run (the latest when `run_id` is None) and its stored findings.

    Raises LookupError when the run is not in the database.
    """
    run = store.run(run_id)
    return RunFindings(
        db=str(store.path),
        run_id=run["id"],
        status=run["status"] or "running",
        end_reason=run["end_reason"],
        findings=store.rows("findings", run["id"], order_by="rowid"),
    )


def diff_json(result: DiffResult) -> dict[str, Any]:
    return {
        "old": _side_json(result.old),
        "new": _side_json(result.new),
        "fail_on": result.fail_on.value,
        "exit_code": result.exit_code,
        "unchanged": result.unchanged,
        "changes": [change.as_dict() for change in result.changes],
    }


def _side_json(side: RunFindings) -> dict[str, Any]:
    return {
        "db": side.db,
        "run_id": side.run_id,
        "status": side.status,
        "complete": side.complete,
        "findings": len(side.findings),
    }


def print_diff(result: DiffResult, console: Console) -> None:
    for label, side in (("old", result.old), ("new", result.new)):
        console.print(
            f"{label}: run {safe_markup(side.run_id)} in {safe_markup(side.db)} "
            f"({safe_markup(side.status)}, {count_of(len(side.findings), 'finding')})"
        )
    if result.changes:
        console.print(_table(result.changes))
    counts = {kind: sum(c.kind is kind for c in result.changes) for kind in ChangeKind}
    console.print(
        f"{counts[ChangeKind.NEW]} new, {counts[ChangeKind.CHANGED]} changed, "
        f"{counts[ChangeKind.GONE]} gone, {result.unchanged} unchanged"
    )
    if not result.new.complete:
        console.print(
            f"[bold red]The new run is {safe_markup(result.new.status)}:[/] its findings do "
            "not cover everything the app did (rebuild a run that never finished with "
            "`privmon report`)"
        )
    elif result.failing:
        console.print(
            f"[red]{count_of(len(result.failing), 'new or worsened finding')} at or above "
            f"{result.fail_on.value}[/]"
        )
    else:
        console.print(f"No new or worsened findings at or above {result.fail_on.value}")


def _table(changes: list[Change]) -> Table:
    table = Table(title="Changed findings", show_edge=False)
    for column in ("change", "severity", "rule", "origin", "api", "category", "old", "new"):
        table.add_column(column)
    for change in changes:
        rule, origin, api, category = change.key
        table.add_row(
            change.kind.value
            + (" (worse)" if change.kind is ChangeKind.CHANGED and change.worsened else ""),
            safe_markup(change.severity),
            safe_markup(rule),
            safe_markup(origin or "-"),
            safe_markup(api or "-"),
            safe_markup(category or "-"),
            _cell(change.old),
            _cell(change.new),
        )
    return table


def _cell(group: FindingGroup | None) -> str:
    if group is None:
        return "-"
    calls, findings = count_of(group.count, "call"), count_of(group.findings, "finding")
    return f"{safe_markup(group.severity)}, {calls}, {findings}"
