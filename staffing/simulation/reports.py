"""Weekly and monthly service reports against the SLA goals (pure tables; export in `planner`).

The agreement (document 002, section 5) has the centre report *weekly to the local units* on
their performance and *monthly to management* on the service goals: answer rate (92 %) and
first-contact resolution (65 %), plus the average-wait goal of 150 s (003). A `Report` holds the
tables such a report shows, computed with `staffing.kpi` from counts per queue and interval of
any source (history, the mean of a simulation, Erlang expected counts):

- ``summary``: the period per queue, the centre first (`staffing.kpi.ALL_QUEUES`), judged
  against the goals (``meets_*`` columns);
- ``breakdown``: the centre and each queue per day of the week (weekly report) or per ISO week
  touching the month (monthly report; a week is cut at the month's edges so the weeks add up to
  the month);
- ``trend``: the centre in this and the previous periods (the last ``history_periods`` weeks
  or months that have data), for the chart against the goals;
- ``misses``: the queue-days (weekly) or queue-weeks (monthly) that miss a goal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from staffing import kpi

__all__ = ["Report", "weekly_report", "monthly_report", "available_periods", "REPORT_COLUMNS"]

#: Columns of the report tables, in order (after the key columns).
REPORT_COLUMNS: tuple[str, ...] = (
    "offered",
    "answered",
    "abandoned",
    "abandoned_short",
    "transferred",
    "answer_rate",
    "fcr",
    "asa_seconds",
    "service_level",
    "abandon_rate",
)


@dataclass(frozen=True)
class Report:
    """One weekly or monthly report: the tables and what they were judged against."""

    kind: str
    period: str
    title: str
    goals: kpi.SlaGoals
    summary: pd.DataFrame
    breakdown: pd.DataFrame
    trend: pd.DataFrame
    misses: pd.DataFrame
    source: str = "actual"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def breakdown_key(self) -> str:
        """The column of ``breakdown`` that names its periods (``date`` or ``week``)."""
        return "date" if self.kind == "week" else "week"

    @property
    def trend_key(self) -> str:
        """The column of ``trend`` that names its periods (``week`` or ``month``)."""
        return self.kind


def _with_periods(counts: pd.DataFrame) -> pd.DataFrame:
    frame = kpi.prepare_counts(counts)
    frame["week"] = kpi.iso_week(frame["interval_start"])
    frame["month"] = frame["interval_start"].dt.strftime("%Y-%m")
    return frame


def available_periods(counts: pd.DataFrame, kind: str) -> list[str]:
    """The ISO weeks (``kind="week"``) or months (``"month"``) that have data, oldest first."""
    if kind not in ("week", "month"):
        raise ValueError(f"kind must be 'week' or 'month'; got {kind!r}")
    frame = _with_periods(counts)
    return sorted(frame[kind].unique().tolist())


def _judge(table: pd.DataFrame, goals: kpi.SlaGoals) -> pd.DataFrame:
    return kpi.evaluate(table, goals)


def _keep(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    flags = [c for c in table.columns if c.startswith("meets_")]
    return table[[*keys, *REPORT_COLUMNS, *flags]].reset_index(drop=True)


def _misses(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    table = table[(table["queue"] != kpi.ALL_QUEUES) & ~table["meets_sla"]]
    flags = [c for c in table.columns if c.startswith("meets_") and c != "meets_sla"]
    missed = table[flags].apply(
        lambda row: ";".join(c.removeprefix("meets_") for c in flags if not row[c]), axis=1
    )
    out = _keep(table, keys)
    out["missed"] = missed.to_numpy() if len(table) else pd.Series(dtype=str)
    return out


def _report(
    counts: pd.DataFrame,
    goals: kpi.SlaGoals | None,
    *,
    kind: str,
    period: str | None,
    history_periods: int,
    source: str,
) -> Report:
    goals = goals or kpi.SlaGoals()
    if history_periods < 1:
        raise ValueError(f"history_periods must be >= 1; got {history_periods}")
    frame = _with_periods(counts)
    periods = sorted(frame[kind].unique().tolist())
    if not periods:
        raise ValueError("the counts are empty: nothing to report")
    if period is None:
        period = periods[-1]
    if period not in periods:
        raise ValueError(
            f"{kind} {period!r} has no data; periods with data: {periods[0]} to {periods[-1]}"
        )
    inside = frame[frame[kind] == period]
    summary = _judge(kpi.kpis(inside, by="total", total=True), goals)
    sub = "day" if kind == "week" else "week"
    breakdown = _judge(kpi.kpis(inside, by=sub, total=True), goals)
    sub_key = "date" if kind == "week" else "week"
    recent = periods[: periods.index(period) + 1][-history_periods:]
    trend = _judge(
        kpi.kpis(frame[frame[kind].isin(recent)], by=kind, total=True, queues=False), goals
    )
    notes = []
    if kind == "week":
        days = sorted(inside["interval_start"].dt.date.unique())
        title = f"Weekly service report, week {period}"
        notes.append(f"{len(days)} days with calls: {days[0]} to {days[-1]}")
    else:
        title = f"Monthly service report, {period}"
        notes.append("weeks are cut at the month's edges, so they add up to the month")
    goal_text = ", ".join(
        f"{m} {'>=' if sense == '>=' else '<='} {v:g}" for m, (v, sense) in goals.targets().items()
    )
    notes.append(f"goals: {goal_text}; source: {source}")
    if summary["service_level"].isna().all():
        notes.append("service level needs answered_within in the counts; not in this source")
    return Report(
        kind=kind,
        period=period,
        title=title,
        goals=goals,
        summary=_keep(summary, ["queue"]),
        breakdown=_keep(breakdown, ["queue", sub_key]),
        trend=_keep(trend, [kind]),
        misses=_misses(breakdown, ["queue", sub_key]),
        source=source,
        notes=tuple(notes),
    )


def weekly_report(
    counts: pd.DataFrame,
    goals: kpi.SlaGoals | None = None,
    *,
    week: str | None = None,
    history_periods: int = 8,
    source: str = "actual",
) -> Report:
    """The weekly report for the local units: ISO ``week`` (``"2026-W10"``; default the last).

    ``counts``: counts per queue and interval (history contract, simulation mean, Erlang
    expected counts). ``trend`` covers the last ``history_periods`` weeks with data.
    """
    return _report(
        counts, goals, kind="week", period=week, history_periods=history_periods, source=source
    )


def monthly_report(
    counts: pd.DataFrame,
    goals: kpi.SlaGoals | None = None,
    *,
    month: str | None = None,
    history_periods: int = 12,
    source: str = "actual",
) -> Report:
    """The monthly report for management: ``month`` (``"2026-03"``; default the last)."""
    return _report(
        counts, goals, kind="month", period=month, history_periods=history_periods, source=source
    )
