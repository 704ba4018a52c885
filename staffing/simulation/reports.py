"""Weekly, monthly and quarterly service reports against the SLA goals (pure tables).

The agreement (document 002, section 5) has the centre report *weekly to the local units*,
*monthly to management* and *quarterly to the follow-up group* on the service goals: answer
rate (92 %, the SLA's formula answered / (offered - abandoned within 40 s)) and first-contact
resolution ("straksafklaring", 65 %), plus the average-wait goal of 150 s (003). A `Report`
holds the tables such a report shows, computed with `staffing.kpi` from counts per queue and
interval of any source (history, the mean of a simulation, Erlang expected counts):

- ``summary``: the period per queue, the centre first (`staffing.kpi.ALL_QUEUES`), judged
  against the goals (``meets_*`` columns);
- ``breakdown``: the centre and each queue per day of the week (weekly report), per ISO week
  touching the month (monthly report; a week is cut at the month's edges so the weeks add up to
  the month) or per month of the quarter (quarterly report);
- ``trend``: the centre in this and the previous periods (the last ``history_periods`` weeks,
  months or quarters that have data), for the chart against the goals;
- ``misses``: the queue-days (weekly), queue-weeks (monthly) or queue-months (quarterly) that
  miss a goal.

Words are not made here: `planner.io.report_export` renders a `Report` as text
(`report_text`), Excel and PDF in Danish or English, with the texts the app uses.

>>> t0 = pd.Timestamp("2026-07-01 10:00", tz="Europe/Copenhagen")
>>> counts = pd.DataFrame({"interval_start": [t0, t0 + pd.DateOffset(months=1)],
...     "queue": "Dagpenge", "offered": [100, 60], "answered": [90, 50],
...     "abandoned": [10, 10], "abandoned_short": [4, 5], "transferred": [30, 10],
...     "asa_seconds": [100.0, 200.0]})
>>> report = quarterly_report(counts)
>>> report.period, report.breakdown_key
('2026-Q3', 'month')
>>> centre = report.summary.iloc[0]
>>> # (90 + 50) / (160 - 9) answered; (140 - 40) / 140 resolved; (9000 + 10000) / 140 s wait
>>> centre.queue, round(float(centre.answer_rate), 4), round(float(centre.fcr), 4)
('Alle køer', 0.9272, 0.7143)
>>> round(float(centre.asa_seconds), 1), bool(centre.meets_sla)
(135.7, True)
>>> report.breakdown[report.breakdown.queue == "Alle køer"]["month"].tolist()
['2026-07', '2026-08']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from staffing import kpi

__all__ = [
    "Report",
    "KINDS",
    "weekly_report",
    "monthly_report",
    "quarterly_report",
    "make_report",
    "available_periods",
    "quarter_label",
    "REPORT_COLUMNS",
]

#: The report periods, shortest first: ISO week, calendar month, calendar quarter.
KINDS: tuple[str, ...] = ("week", "month", "quarter")

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

#: Per kind: the `staffing.kpi.kpis` period of the breakdown and the column naming it.
_BREAKDOWN: dict[str, tuple[str, str]] = {
    "week": ("day", "date"),
    "month": ("week", "week"),
    "quarter": ("month", "month"),
}
#: Trend periods shown by default per kind: two months, a year, two years.
_HISTORY = {"week": 8, "month": 12, "quarter": 8}


@dataclass(frozen=True)
class Report:
    """One weekly, monthly or quarterly report: the tables and what they were judged against.

    ``first_day``/``last_day``/``days``: the days with calls in the period; ``source`` says
    where the counts come from (``actual``, ``simulated``, ``expected`` or free text).
    """

    kind: str
    period: str
    goals: kpi.SlaGoals
    summary: pd.DataFrame
    breakdown: pd.DataFrame
    trend: pd.DataFrame
    misses: pd.DataFrame
    first_day: dt.date
    last_day: dt.date
    days: int
    source: str = "actual"

    @property
    def breakdown_key(self) -> str:
        """The column of ``breakdown`` that names its periods (``date``, ``week``, ``month``)."""
        return _BREAKDOWN[self.kind][1]

    @property
    def trend_key(self) -> str:
        """The column of ``trend`` that names its periods (``week``, ``month``, ``quarter``)."""
        return self.kind

    @property
    def centre(self) -> pd.Series:
        """The summary's centre-wide row (queue `staffing.kpi.ALL_QUEUES`)."""
        return self.summary[self.summary["queue"] == kpi.ALL_QUEUES].iloc[0]

    @property
    def has_service_level(self) -> bool:
        """Whether the counts could give the service level (they hold ``answered_within``)."""
        return not bool(self.summary["service_level"].isna().all())


def quarter_label(start: pd.Series) -> pd.Series:
    """Calendar quarters (``2026-Q3``) of tz-aware timestamps, in their local time.

    >>> s = pd.Series(pd.to_datetime(["2026-03-31 23:30", "2026-04-01 00:10"]))
    >>> quarter_label(s.dt.tz_localize("Europe/Copenhagen")).tolist()
    ['2026-Q1', '2026-Q2']
    """
    if start.empty:
        return pd.Series([], index=start.index, dtype=object)
    return start.dt.year.astype(str) + "-Q" + start.dt.quarter.astype(str)


def _with_periods(counts: pd.DataFrame) -> pd.DataFrame:
    frame = kpi.prepare_counts(counts)
    frame["week"] = kpi.iso_week(frame["interval_start"])
    frame["month"] = frame["interval_start"].dt.strftime("%Y-%m")
    frame["quarter"] = quarter_label(frame["interval_start"])
    return frame


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be 'week', 'month' or 'quarter'; got {kind!r}")


def available_periods(counts: pd.DataFrame, kind: str) -> list[str]:
    """The ISO weeks (``kind="week"``), months (``"month"``) or quarters (``"quarter"``, labels
    like ``2026-Q3``) that have data, oldest first."""
    _check_kind(kind)
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


def make_report(
    counts: pd.DataFrame,
    kind: str,
    goals: kpi.SlaGoals | None = None,
    *,
    period: str | None = None,
    history_periods: int | None = None,
    source: str = "actual",
) -> Report:
    """The report of ``kind`` (``week``, ``month`` or ``quarter``) for ``period`` (default the
    last with data); `weekly_report`, `monthly_report` and `quarterly_report` call this.

    ``history_periods``: how many periods the trend covers (default 8 weeks, 12 months or 8
    quarters).
    """
    _check_kind(kind)
    goals = goals or kpi.SlaGoals()
    if history_periods is None:
        history_periods = _HISTORY[kind]
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
    sub, sub_key = _BREAKDOWN[kind]
    breakdown = _judge(kpi.kpis(inside, by=sub, total=True), goals)
    recent = periods[: periods.index(period) + 1][-history_periods:]
    trend = _judge(
        kpi.kpis(
            frame[frame[kind].isin(recent)], by="total", keys=[kind], total=True, queues=False
        ),
        goals,
    )
    days = sorted(inside["interval_start"].dt.date.unique())
    return Report(
        kind=kind,
        period=period,
        goals=goals,
        summary=_keep(summary, ["queue"]),
        breakdown=_keep(breakdown, ["queue", sub_key]),
        trend=_keep(trend, [kind]),
        misses=_misses(breakdown, ["queue", sub_key]),
        first_day=days[0],
        last_day=days[-1],
        days=len(days),
        source=source,
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
    return make_report(
        counts, "week", goals, period=week, history_periods=history_periods, source=source
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
    return make_report(
        counts, "month", goals, period=month, history_periods=history_periods, source=source
    )


def quarterly_report(
    counts: pd.DataFrame,
    goals: kpi.SlaGoals | None = None,
    *,
    quarter: str | None = None,
    history_periods: int = 8,
    source: str = "actual",
) -> Report:
    """The quarterly report for the follow-up group: ``quarter`` (``"2026-Q3"``, calendar
    quarters in local time; default the last). ``breakdown`` holds the quarter's months (they
    add up to the quarter), ``trend`` the last ``history_periods`` quarters with data and
    ``misses`` the queue-months that miss a goal."""
    return make_report(
        counts, "quarter", goals, period=quarter, history_periods=history_periods, source=source
    )
