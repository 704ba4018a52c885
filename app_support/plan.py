"""Glue between the app's Vagtplan and Scenarier pages and the library.

The pages stay thin: this module makes the plan the pages start from (the next weeks' forecast
and staffing requirements from the default history, the default agents and shift rules),
builds a roster with `staffing.roster.solve.solve_roster`, locks agent-days for re-optimizing
(the hand edits themselves are `app_support.edits`; `move_shift` and `swap_agents` are
re-exported here), recomputes coverage and the predicted KPIs of an edited roster,
and builds what-if scenarios for `planner.scenarios.run_scenarios`.

Coverage of an edited roster (`roster_coverage`): an agent on the phone in an interval counts
for the queues they are skilled in, split at first in proportion to those queues' needs in that
interval, re-balanced by iterative proportional fitting towards the requirements (the
optimizer's own split is only known for the roster it solved; after a hand edit this is the
planner's estimate). Predicted KPIs (`predicted_kpis`) are
Erlang A (`staffing.erlang.erlang_a`, Mandelbaum & Zeltyn 2007) at the staffed agents net of
shrinkage, rounded to whole agents, with each queue's patience from `centre.queues.QUEUES`.
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app_support.edits import move_shift, swap_agents
from centre.timezone import TZ
from forecast.models import DEFAULT_MODEL
from planner.io import default_data
from planner.io import exports as export
from planner.io.history import default_history_path, load_history
from planner.pipeline import (
    DEFAULT_OVER,
    SLA,
    forecast_requirements,
    week_after,
)
from planner.searches import default_workers
from staffing import kpi
from staffing.roster.check import CheckReport, check_roster
from staffing.roster.coverage import required_column, roster_coverage
from staffing.roster.rules import ShiftRules
from staffing.roster.solve import RosterResult, solve_roster
from staffing.simulation.engine import SimulationResult
from staffing.simulation.prediction import kpi_summary, predicted_kpis
from staffing.simulation.scenarios import (
    ChangeGoals,
    NewHire,
    PlanInputs,
    RemoveAgent,
    ScaleAht,
    ScaleVolume,
    Scenario,
    SickAgents,
)
from staffing.simulation.standard import predict_roster

__all__ = [
    "TZ",
    "DATA_DIR",
    "SLA",
    "DefaultPlan",
    "load_default_plan",
    "load_agents",
    "load_rules",
    "week_starts",
    "plan_days",
    "build_roster",
    "required_column",
    "roster_coverage",
    "predicted_kpis",
    "quick_goals_table",
    "kpi_summary",
    "move_shift",
    "swap_agents",
    "locks_frame",
    "shift_table",
    "roster_excel",
    "icalendar_zip",
    "check",
    "violations_table",
    "plan_inputs",
    "roster_forecast",
    "predicted_week",
    "goals_table",
    "make_scenario",
    "describe_scenario",
    "describe_change",
]

DATA_DIR = default_data.DATA_DIR
ROSTER_COLUMNS = ["agent_id", "date", "start", "end", "activity"]


# -- the default plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultPlan:
    """What the pages start from when the session has nothing of its own.

    ``forecast``: the forecast contract for ``days`` days after the history (the default model);
    ``requirements``: `staffing.requirements.staffing_requirements` of it for the SLA;
    ``agents``: ``data/agents.csv``; ``calendar``: the centre's hours learned from the history
    (`forecast.models.infer_calendar`). The shift rules are read apart (`load_rules`).
    """

    forecast: pd.DataFrame
    requirements: pd.DataFrame
    agents: pd.DataFrame
    calendar: Any


def load_agents(path: str | Path | None = None) -> pd.DataFrame:
    """The agents table (DESIGN.md contract), default ``data/agents.csv``; text columns as text."""
    path = Path(path) if path is not None else default_data.AGENTS
    try:
        from planner.io.agents import read_agents  # the project's validating reader
    except ImportError:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["weekly_hours"] = pd.to_numeric(frame["weekly_hours"])
        return frame
    return read_agents(path)


def load_rules(path: str | Path | None = None) -> ShiftRules:
    """Shift rules from ``data/rules.toml`` (default); `ShiftRules()` if there is no file."""
    path = Path(path) if path is not None else default_data.RULES
    if not path.is_file():
        return ShiftRules()
    try:
        from planner.io.rules import read_rules
    except ImportError:
        return ShiftRules.from_mapping(tomllib.loads(path.read_text(encoding="utf-8")))
    return read_rules(path)


def load_default_plan(days: int = 21, model: str = DEFAULT_MODEL) -> DefaultPlan:
    """Forecast ``days`` days after the default history, its requirements and the agents.

    The forecast starts on the Monday after the history ends, with the model ``vagtplan plan``
    uses by default (`forecast.models.DEFAULT_MODEL`), so a week's forecast, requirement and
    predicted KPIs on the pages are the command's. Requirements meet the SLA's
    answer rate and average wait over each ISO week (`planner.pipeline.DEFAULT_OVER`, as
    `vagtplan plan`), with Erlang A (patience per queue from `QUEUES`) and the queues the
    agents serve together staffed as groups.
    """
    loaded = load_history(default_history_path())
    start = week_after(loaded.frame)
    agents = load_agents()
    forecast, requirements, calendar = forecast_requirements(
        loaded, start, days, model=model, over=DEFAULT_OVER, agents=agents
    )
    return DefaultPlan(forecast, requirements, agents, calendar)


def _local_dates(stamps: pd.Series) -> pd.Series:
    return stamps.dt.tz_convert(TZ).dt.date


def week_starts(frame: pd.DataFrame) -> list[dt.date]:
    """The Mondays of the ISO weeks ``frame['interval_start']`` covers, in order."""
    dates = sorted(set(_local_dates(frame["interval_start"])))
    return sorted({d - dt.timedelta(days=d.weekday()) for d in dates})


def plan_days(frame: pd.DataFrame, start: dt.date, days: int = 7) -> pd.DataFrame:
    """The rows of ``frame`` whose local date is in ``[start, start + days)``."""
    if days < 1:
        raise ValueError(f"days must be >= 1; got {days}")
    dates = _local_dates(frame["interval_start"])
    keep = (dates >= start) & (dates < start + dt.timedelta(days=days))
    return frame[keep].reset_index(drop=True)


# -- building ------------------------------------------------------------------------------------


def build_roster(
    requirements: pd.DataFrame,
    agents: pd.DataFrame,
    rules: ShiftRules | None,
    *,
    calendar: Any = None,
    locks: pd.DataFrame | None = None,
    time_limit: float = 30.0,
    progress: Callable[[float, str], None] | None = None,
    warm: pd.DataFrame | None = None,
) -> RosterResult:
    """`staffing.roster.solve.solve_roster`, reporting ``progress(fraction, message)`` by stage.

    ``warm``: the current roster, to re-optimize from it (around ``locks``) instead of
    planning from nothing: quicker, and never worse than it.

    The solver's messages arrive in order: reading, building, solving (with the best plan so
    far while it runs), reading back; each moves the fraction on.
    """
    stages = ("reading", "building", "solving", "reading the plan")
    done = {"fraction": 0.0}

    def say(message: str) -> None:
        if progress is None:
            return
        for i, stage in enumerate(stages):
            if message.startswith(stage):
                done["fraction"] = max(done["fraction"], (i + 1) / (len(stages) + 1))
                break
        else:  # the solver's running report: creep towards the next stage
            done["fraction"] = min(done["fraction"] + 0.02, 0.78)
        progress(done["fraction"], message)

    result = solve_roster(
        requirements,
        agents,
        rules,
        calendar=calendar,
        locks=locks,
        time_limit=time_limit,
        progress=say,
        warm=warm,
        workers=default_workers(),  # a plan from nothing: a second search on the second core
    )
    if progress is not None:
        progress(1.0, result.status)
    return result


# -- hand edits ----------------------------------------------------------------------------------


def locks_frame(roster: pd.DataFrame, locked: Iterable[tuple[str, dt.date]]) -> pd.DataFrame:
    """The roster rows of the locked agent-days (the optimizer keeps those days as they are)."""
    keys = {(str(a), d) for a, d in locked}
    if not keys or roster.empty:
        return roster.iloc[0:0][ROSTER_COLUMNS]
    mask = [(str(a), d) in keys for a, d in zip(roster["agent_id"], roster["date"], strict=True)]
    return roster.loc[mask, ROSTER_COLUMNS].reset_index(drop=True)


def shift_table(roster: pd.DataFrame) -> pd.DataFrame:
    """One row per agent and day: ``agent_id, date, start, end, activity`` of the whole day
    (``absence`` when the day is an absence, else ``shift``)."""
    if roster.empty:
        return pd.DataFrame(columns=ROSTER_COLUMNS)
    g = roster.groupby(["agent_id", "date"], sort=True)
    out = g.agg(start=("start", "min"), end=("end", "max")).reset_index()
    absent = g["activity"].apply(lambda a: bool((a == "absence").all())).to_numpy()
    out["activity"] = np.where(absent, "absence", "shift")
    return out


def roster_excel(
    roster: pd.DataFrame,
    agents: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
) -> bytes:
    """The roster as planners read it (`planner.io.exports.roster_excel`: a row per agent, a column
    per day, shift times in the cells, lunch and meetings marked, coloured; with ``coverage``
    (``interval_start, queue, required, staffed, shortfall``) a coverage sheet)."""
    return export.roster_excel(roster, agents, coverage)


def icalendar_zip(roster: pd.DataFrame, *, stamp: dt.datetime | None = None) -> bytes:
    """A zip archive of one iCalendar file per agent (`planner.io.exports.roster_icalendars`),
    named by `planner.io.exports.ical_file_names` (``<agent_id>.ics`` for a plain id; ids that
    differ only in punctuation or case, ``A.01`` and ``A_01``, get distinct names and never
    overwrite each other); absence-only agents get a file with their absence."""
    buffer = io.BytesIO()
    stamp = stamp or dt.datetime.now(dt.UTC)
    ids = sorted(set(roster["agent_id"].astype(str)))
    names = export.ical_file_names(ids)
    calendars = export.roster_icalendars(roster, ids, stamp=stamp)  # the roster read once
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for agent_id in ids:
            archive.writestr(names[agent_id], calendars[agent_id])
    return buffer.getvalue()


def check(
    roster: pd.DataFrame,
    agents: pd.DataFrame,
    requirements: pd.DataFrame,
    rules: ShiftRules | None,
    *,
    calendar: Any = None,
) -> CheckReport:
    """The independent checker (`staffing.roster.check.check_roster`) on a (hand-edited)
    roster: every shift rule, and coverage recomputed from scratch."""
    return check_roster(roster, agents, requirements, rules, calendar=calendar)


def violations_table(report: CheckReport) -> pd.DataFrame:
    """The checker's findings as rows: ``severity, rule, agent_id, date, message``."""
    rows = [
        (v.severity, v.rule, v.agent_id or "", v.date, v.message)
        for v in (*report.errors, *report.warnings)
    ]
    return pd.DataFrame(rows, columns=["severity", "rule", "agent_id", "date", "message"])


# -- scenarios -----------------------------------------------------------------------------------


def roster_forecast(
    session_forecast: Any, default_forecast: pd.DataFrame, days: Iterable[dt.date]
) -> pd.DataFrame:
    """The forecast a roster of ``days`` is judged against: this session's (the Prognose
    page's) when it covers every day, else the default plan's. Both pages that predict a
    roster (Vagtplan, Scenarier) take it from here, so they simulate the same calls."""
    if isinstance(session_forecast, pd.DataFrame) and "interval_start" in session_forecast:
        covered = set(_local_dates(session_forecast["interval_start"]))
        if set(days) <= covered:
            return session_forecast
    return default_forecast


def predicted_week(
    forecast: pd.DataFrame,
    roster: pd.DataFrame,
    agents: pd.DataFrame,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """The one prediction of ``roster`` (`staffing.simulation.standard.predict_roster`,
    `STANDARD` settings, the centre's SLA) against the forecast of its days: the figures
    ``vagtplan plan`` and ``vagtplan simulate`` give for the same roster and forecast."""
    inputs = plan_inputs(forecast, roster, agents)
    return predict_roster(
        inputs.roster, inputs.forecast, inputs.agents, goals=SLA, progress=progress
    )


def goals_table(result: SimulationResult) -> pd.DataFrame:
    """The simulated week against the SLA, the centre first, then each queue: ``queue,
    offered, answer_rate, asa_seconds, abandon_rate, fcr`` and ``meets_<goal>`` per goal set
    (`staffing.kpi.evaluate`)."""
    week = result.kpi_table(by="total", total=True)
    judged = kpi.evaluate(week, SLA)
    keep = ["queue", "offered", "answer_rate", "asa_seconds", "abandon_rate", "fcr"]
    flags = [c for c in judged.columns if c.startswith("meets_")]
    return judged[keep + flags].reset_index(drop=True)


def quick_goals_table(kpis: pd.DataFrame, last: pd.DataFrame | None = None) -> pd.DataFrame:
    """`goals_table`'s columns from Erlang A's per-interval estimate (``predicted_kpis``): the
    quick figures a hand edit gets at once, before the week is simulated again.

    Answer rate, wait and abandonment are call-weighted over the week
    (`staffing.simulation.prediction.kpi_summary`); first-contact resolution does not follow
    from staffing, so it is taken from ``last`` (the last simulated `goals_table` of the
    roster) when given, else left empty (a missing figure meets its goal in
    `staffing.kpi.evaluate`, so say so where the table is shown).
    """
    week = kpi_summary(kpis, total=True).drop(columns="shortfall_intervals")
    if last is not None and "fcr" in last:
        week = week.merge(last[["queue", "fcr"]], on="queue", how="left")
    else:
        week["fcr"] = np.nan
    judged = kpi.evaluate(week, SLA)
    keep = ["queue", "offered", "answer_rate", "asa_seconds", "abandon_rate", "fcr"]
    flags = [c for c in judged.columns if c.startswith("meets_")]
    return judged[keep + flags].reset_index(drop=True)


def plan_inputs(forecast: pd.DataFrame, roster: pd.DataFrame, agents: pd.DataFrame) -> PlanInputs:
    """The base plan of a scenario run: the forecast of the roster's days, roster, agents."""
    days = sorted(set(roster["date"]))
    if not days:
        raise ValueError("the roster is empty: build a roster first")
    dates = _local_dates(forecast["interval_start"])
    fc = forecast[dates.isin(days)].reset_index(drop=True)
    return PlanInputs(forecast=fc, roster=roster, agents=agents)


def make_scenario(
    name: str,
    *,
    sick: tuple[Iterable[str], dt.date] | None = None,
    remove: tuple[str, dt.date | None] | None = None,
    hire: tuple[str, Iterable[str], dt.date, str | None] | None = None,
    volume: tuple[float, str | None, dt.date | None, dt.date | None] | None = None,
    aht: tuple[float, str | None] | None = None,
    answer_rate: float | None = None,
) -> Scenario:
    """A `Scenario` from the page's widgets; parts left as None are not changed.

    ``sick=(agents, day)``; ``remove=(agent, from)``; ``hire=(id, skills, from, like)``;
    ``volume=(percent, queue, from, to)``; ``aht=(percent, queue)``; ``answer_rate`` goal.
    """
    changes: list[Any] = []
    if sick is not None and list(sick[0]):
        changes.append(SickAgents(tuple(sick[0]), (sick[1],)))
    if remove is not None and remove[0]:
        changes.append(RemoveAgent(remove[0], remove[1]))
    if hire is not None and hire[0]:
        changes.append(NewHire(hire[0], tuple(hire[1]), hire[2], like=hire[3] or None))
    if volume is not None and volume[0]:
        pct, queue, start, end = volume
        changes.append(ScaleVolume(1.0 + pct / 100.0, queue or None, start, end))
    if aht is not None and aht[0]:
        changes.append(ScaleAht(1.0 + aht[0] / 100.0, aht[1] or None))
    if answer_rate is not None:
        changes.append(ChangeGoals((("answer_rate", float(answer_rate)),)))
    if not changes:
        raise ValueError(f"scenario {name!r} changes nothing; choose at least one change")
    return Scenario(name, changes)


def describe_scenario(scenario: Scenario, lang: str = "da") -> str:
    """A scenario's changes in one line in ``lang`` (what `Scenario.describe` says in English
    for the CLI): its own description when it has one (the planner's words), else each change
    from its fields; a change of a kind not known here as it describes itself."""
    from app_support.i18n import t

    if scenario.description:
        text = scenario.description
    else:
        parts = [describe_change(change, lang) for change in scenario.changes]
        text = "; ".join(parts) or t("scx.no_change", lang)
    return text + (t("scx.rerostered", lang) if scenario.reroster else "")


def describe_change(change: Any, lang: str = "da") -> str:
    """One scenario change (`staffing.simulation.scenarios`) in words in ``lang``."""
    from app_support.data import cell_text, header
    from app_support.i18n import number, short_date, t
    from staffing.simulation.scenarios import ExtraCalls

    def day(value: Any) -> str:
        return short_date(pd.Timestamp(value).date(), lang) if value is not None else "..."

    def where(queue: str | None, start: Any, end: Any) -> str:
        text = t("scx.on_queue", lang, queue=queue) if queue else ""
        if start is not None or end is not None:
            text += t("scx.span", lang, start=day(start), end=day(end))
        return text

    if isinstance(change, SickAgents):
        key = "scx.sick.one" if len(change.agents) == 1 else "scx.sick.many"
        days = ", ".join(day(d) for d in change.days)
        return t(key, lang, agents=", ".join(change.agents), days=days)
    if isinstance(change, RemoveAgent):
        since = t("scx.since", lang, day=day(change.from_date)) if change.from_date else ""
        return t("scx.remove", lang, agent=change.agent, since=since)
    if isinstance(change, NewHire):
        like = t("scx.like", lang, agent=change.like) if change.like else ""
        skills = ", ".join(change.skills)
        return t(
            "scx.hire",
            lang,
            agent=change.agent,
            skills=skills,
            day=day(change.from_date),
            like=like,
        )
    if isinstance(change, ScaleVolume | ScaleAht):
        key = "scx.volume" if isinstance(change, ScaleVolume) else "scx.aht"
        factor = number(float(change.factor), None, lang)
        return t(key, lang, factor=factor, where=where(change.queue, change.start, change.end))
    if isinstance(change, ExtraCalls):
        span = where(change.queue, change.start, change.end or change.start)
        return t("scx.calls", lang, calls=number(float(change.calls), None, lang), where=span)
    if isinstance(change, ChangeGoals):
        goals = ", ".join(
            f"{header(name, lang)} {cell_text(value, _GOAL_KINDS.get(name, ''), lang)}"
            for name, value in change.changes
        )
        return t("scx.goals", lang, goals=goals)
    return str(change.describe())


#: How a goal's value is shown (`staffing.kpi.SlaGoals` fields).
_GOAL_KINDS = {
    "answer_rate": "share",
    "fcr": "share",
    "service_level": "share",
    "asa_seconds": "count",
    "threshold": "count",
    "short_abandon": "count",
}
