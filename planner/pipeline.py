"""The whole pipeline for one week: history -> forecast -> requirements -> roster -> simulation.

`plan_week` is what ``vagtplan plan`` runs (and what a notebook can call): it fits the forecast
model on the history, forecasts the week, computes the agents needed per queue and interval for
the centre's SLA (Erlang A with each queue's caller patience from `centre.queues.QUEUES`),
plans the roster (`staffing.roster.solve_roster`), checks it with the independent checker
(`staffing.roster.check_roster`) and simulates it against the forecast
(`staffing.simulation.simulate`) for the KPI table. `write_plan` writes everything to a folder and
never overwrites a file that is already there unless asked to.

Choices where the issue is silent (documented in docs/notes/pipeline.md):

- the default week is the first ISO week after the history ends (for the embedded data,
  which ends on Friday 20 November 2026, that is 2026-W48);
- the forecast covers the seven days of the ISO week (closed days get no rows);
- the requirements meet the SLA's answer rate (92 %) and average wait (150 s);
- the roster uses the opening hours and queue windows learned from the history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from centre.queues import queue_patience
from centre.timezone import TZ
from forecast.models import DEFAULT_MODEL, infer_calendar, make_model
from planner.errors import InputError
from planner.io.exports import write_roster_csv, write_roster_excel
from planner.io.report_export import report_text
from planner.io.tables import write_csv
from planner.searches import best_of_text, gap_text
from staffing import kpi
from staffing.agents import Agents, prepare_agents
from staffing.patience import DEFAULT_PATIENCE_SECONDS
from staffing.period import OVER, period_requirements, skill_groups
from staffing.requirements import staffing_requirements
from staffing.roster.capacity import CapacityFinding, capacity_findings
from staffing.roster.check import CheckReport, check_roster
from staffing.roster.diagnose import format_diagnostics
from staffing.roster.instance import iso_week
from staffing.roster.rules import ShiftRules
from staffing.roster.solve import RosterResult, solve_roster
from staffing.simulation.engine import SimulationResult
from staffing.simulation.reports import weekly_report
from staffing.simulation.standard import (
    STANDARD,
    PredictionSettings,
    SlaChance,
    predict_roster,
    sla_chance,
)

__all__ = [
    "SLA",
    "PLAN_FILES",
    "PlanRun",
    "parse_week",
    "week_after",
    "queue_patience",
    "DEFAULT_OVER",
    "sla_requirements",
    "forecast_requirements",
    "plan_week",
    "check_plan_folder",
    "write_plan",
]

#: The centre's SLA (DOMAIN.md): answer rate 92 % (document 002), average wait 150 s (003),
#: first-contact resolution 65 % (002); the one definition is `staffing.kpi.SlaGoals`.
SLA = kpi.SlaGoals()
#: What `write_plan` writes, in this order.
PLAN_FILES = (
    "forecast.csv",
    "requirements.csv",
    "roster.csv",
    "roster.xlsx",
    "coverage.csv",
    "kpi.csv",
    "report.txt",
)
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanRun:
    """Everything `plan_week` made for one week."""

    week: str
    start: dt.date
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    roster: RosterResult
    check: CheckReport
    simulation: SimulationResult
    kpi: pd.DataFrame
    #: the chance that the week meets the SLA, with forecast uncertainty (None: not asked for)
    chance: SlaChance | None = None
    #: what the team cannot cover whatever the roster (`staffing.roster.capacity`)
    capacity: tuple[CapacityFinding, ...] = ()

    def report(self) -> str:
        """A short text report: the week's predicted service against the goals first (the
        simulation, `staffing.simulation.standard`), then the plan behind it: forecast,
        requirement, roster, check, and the roster's findings."""
        result = self.roster
        gap = gap_text(result)
        best_of = best_of_text(result)
        week = self.simulation.kpi_table(by="total", total=True)
        centre = week[week["queue"] == kpi.ALL_QUEUES].iloc[0]
        lines = [
            f"vagtplan for {self.week} (from {self.start:%Y-%m-%d})",
            "",
            f"predicted ({self.simulation.replications} simulated weeks, seed "
            f"{self.simulation.seed}): answer rate {centre.answer_rate:.1%} "
            f"[{centre.answer_rate_lo:.1%}, {centre.answer_rate_hi:.1%}], average wait "
            f"{centre.asa_seconds:.0f} s, abandoned {centre.abandon_rate:.1%}, first-contact "
            f"resolution {centre.fcr:.1%}",
        ]
        if self.chance is not None:
            lines.append(
                "chance of meeting the SLA's answer rate and average wait for the week, with "
                f"the forecast's uncertainty: {self.chance.text()}"
            )
        lines += [
            "",
            f"forecast: {self.forecast['offered'].sum():,.0f} calls in "
            f"{self.forecast['queue'].nunique()} queues",
            f"requirement (SLA over the week): {self.requirements['agents'].sum() / 4:,.0f} "
            f"agent-hours on the phone; the roster plans {self.phone_hours():,.0f} on the phone "
            f"and {self.off_phone_hours():,.0f} of off-phone work",
            "capacity: "
            + (
                "the team can cover the week's hours, heads and skills"
                if not self.capacity
                else "; ".join(f.message for f in self.capacity)
            ),
            f"roster: {result.status}, gap {gap}, solver {result.solver}, "
            + (f"{best_of}, " if best_of else "")
            + f"{result.seconds:.0f} s; under-coverage {result.shortfall_hours:.1f} agent-hours",
            f"check: {self.check.summary()}",
            "",
            self.sla_report(),
            "",
            format_diagnostics(result.diagnostics),
        ]
        return "\n".join(lines).rstrip() + "\n"

    def phone_hours(self) -> float:
        """Agent-hours the roster plans on the phone."""
        return _hours(self.roster.roster, "phone")

    def off_phone_hours(self) -> float:
        """Agent-hours the roster plans for off-phone work."""
        return _hours(self.roster.roster, "off_phone")

    def sla_report(self, language: str = "en") -> str:
        """The week's SLA goals, met or not, centre first, from the simulation's mean counts:
        the same table as the Rapport page (`planner.io.report_export.report_text`)."""
        report = weekly_report(self.simulation.mean_counts(), SLA, source="simulated")
        return report_text(report, language, sections=("goals",)).rstrip()


def _hours(roster: pd.DataFrame, activity: str) -> float:
    rows = roster[roster["activity"] == activity] if len(roster) else roster
    if not len(rows):
        return 0.0
    return float((rows["end"] - rows["start"]).dt.total_seconds().sum() / 3600)


def parse_week(text: str) -> dt.date:
    """Monday of an ISO week written ``2026-W49`` (or ``2026W49``); InputError otherwise."""
    match = _WEEK.match(str(text).strip())
    if not match:
        raise InputError(f"--week: expected an ISO week like 2026-W49; got {text!r}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InputError(f"--week: {year} has no week {week}; got {text!r}") from None


def week_after(history: pd.DataFrame) -> dt.date:
    """Monday of the first ISO week after the last day of ``history['interval_start']``."""
    last = history["interval_start"].dt.tz_convert(TZ).max().date()
    return last + dt.timedelta(days=7 - last.weekday())


#: The period `vagtplan plan` and the app staff over: the SLA is measured over a month and
#: reported weekly (002), so the week's goals, not every interval's, are what the roster needs.
DEFAULT_OVER = "week"


def sla_requirements(
    forecast: pd.DataFrame, *, over: str = DEFAULT_OVER, agents: Agents | None = None
) -> pd.DataFrame:
    """Agents needed per queue and interval for the centre's SLA over the period ``over``.

    ``interval``: every interval meets the goals on its own (`staffing_requirements`); ``day``,
    ``week``, ``month``: the goals hold over the period (`staffing.period.period_requirements`),
    with the queues that ``agents`` serve together staffed as groups
    (`staffing.period.skill_groups`). Each queue's patience from `centre.queues`; a queue the
    centre does not know takes `staffing.patience.DEFAULT_PATIENCE_SECONDS`.
    """
    if over not in OVER:
        raise InputError(f"--over: expected one of {', '.join(OVER)}; got {over!r}")
    queues = list(dict.fromkeys(forecast["queue"].astype(str)))
    known = queue_patience()
    patience = {q: known.get(q, DEFAULT_PATIENCE_SECONDS) for q in queues}
    if over == "interval" and agents is None:
        return staffing_requirements(
            forecast, answer_rate=SLA.answer_rate, asa=SLA.asa_seconds, patience=patience
        )
    groups = skill_groups(agents, queues) if agents is not None else None
    result = period_requirements(
        forecast,
        over=over,
        groups=groups,
        answer_rate=SLA.answer_rate,
        asa=SLA.asa_seconds,
        patience=patience,
    )
    return result.requirements


def forecast_requirements(
    loaded: Any,
    start: dt.date,
    days: int,
    *,
    model: str = DEFAULT_MODEL,
    calendar: Any = None,
    over: str = "interval",
    agents: Agents | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """Forecast ``days`` days from ``start`` and the requirements for the SLA over ``over``.

    ``loaded``: a `planner.io.history.LoadedHistory`. Returns (forecast, requirements, calendar);
    the calendar is learned from the history unless given. ``over`` and ``agents``: see
    `sla_requirements`.
    """
    calendar = calendar if calendar is not None else infer_calendar(loaded)
    fitted = make_model(model).fit(loaded, calendar=calendar)
    forecast = fitted.predict(start, days)
    requirements = sla_requirements(forecast, over=over, agents=agents)
    return forecast, requirements, calendar


def plan_week(
    loaded: Any,
    agents: pd.DataFrame,
    rules: ShiftRules | None = None,
    *,
    start: dt.date | None = None,
    model: str = DEFAULT_MODEL,
    solver: str = "highs",
    over: str = DEFAULT_OVER,
    time_limit: float = 120.0,
    workers: int = 1,
    replications: int = STANDARD.replications,
    seed: int = STANDARD.seed,
    risk: bool = True,
    progress: Progress | None = None,
    roster_progress: Progress | None = None,
    simulation_progress: Callable[[int, int], None] | None = None,
) -> PlanRun:
    """Forecast, staff, roster, check and simulate one ISO week (see the module docstring).

    ``loaded``: a `planner.io.history.LoadedHistory`; ``agents``: the agents contract; ``start``:
    the Monday of the week (default `week_after` the history). ``progress`` gets one line per
    stage; ``roster_progress`` the optimizer's messages; ``simulation_progress(done, total)``
    the replications. The week is predicted as everywhere else
    (`staffing.simulation.standard.predict_roster`, `STANDARD` settings with ``replications``
    and ``seed``); ``risk`` adds the chance of meeting the SLA (`sla_chance`, 200 runs with the
    forecast's uncertainty). The agents are read once (`staffing.agents.prepare_agents`) and
    the same structure goes to the optimizer, its diagnosis and the simulation; the independent
    checker reads the table itself. ``workers``: the optimizer's searches side by side
    (`staffing.roster.solve.solve_roster`; the command line passes
    `planner.searches.default_workers`).
    """
    if replications < 1:
        raise InputError(f"--replications must be at least 1; got {replications}")
    say = progress or (lambda _m: None)
    specs = prepare_agents(agents)
    frame = loaded.frame
    start = start if start is not None else week_after(frame)
    if start.weekday() != 0:
        raise ValueError(f"start must be a Monday; got {start} ({start:%A})")
    first = frame["interval_start"].dt.tz_convert(TZ).min().date()
    if start <= first:
        raise InputError(
            f"--week: {iso_week(start)} starts on {start}, before the history's first day "
            f"{first}; plan a week after the history"
        )
    say(f"forecasting {iso_week(start)} with model '{model}'")
    forecast, requirements, calendar = forecast_requirements(
        loaded, start, 7, model=model, over=over, agents=specs
    )
    if forecast.empty:
        raise InputError(f"--week: the centre is closed all of {iso_week(start)}; nothing to plan")
    say(
        f"requirements (SLA over the {over}): {requirements['agents'].sum() / 4:,.0f} "
        "agent-hours on the phone; "
        f"planning the roster ({time_limit:g} s at most)"
    )
    capacity = tuple(capacity_findings(requirements, specs, rules))
    for finding in capacity:
        say(f"warning: {finding.message}")
    result = solve_roster(
        requirements,
        specs,
        rules,
        calendar=calendar,
        solver=solver,
        time_limit=time_limit,
        workers=workers,
        progress=roster_progress,
    )
    if result.status == "no_solution":
        raise RuntimeError(
            "the roster optimizer found no plan in the time limit: "
            + format_diagnostics(result.diagnostics)
        )
    say("checking the roster")
    check = check_roster(result.roster, agents, requirements, rules, calendar=calendar)
    say(f"simulating {replications} replications of the week")
    settings = PredictionSettings(replications=replications, seed=seed)
    simulation = predict_roster(
        result.roster, forecast, specs, goals=SLA, settings=settings, progress=simulation_progress
    )
    chance = None
    if risk:
        say(f"simulating {settings.risk_runs} weeks with the forecast's uncertainty")
        chance = sla_chance(
            result.roster, forecast, specs, goals=SLA, settings=settings, progress=None
        )
    return PlanRun(
        week=iso_week(start),
        start=start,
        forecast=forecast,
        requirements=requirements,
        roster=result,
        check=check,
        simulation=simulation,
        kpi=simulation.kpi_table(by="day"),
        chance=chance,
        capacity=capacity,
    )


def check_plan_folder(out: str | Path, overwrite: bool = False) -> None:
    """InputError when ``out`` is a file, or holds one of `PLAN_FILES` and not ``overwrite``."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: {out} is a file; expected a folder for the plan's files")
    existing = [out / name for name in PLAN_FILES if (out / name).exists()]
    if existing and not overwrite:
        raise InputError(
            f"--out: {existing[0]} already exists (and {len(existing) - 1} more of the plan's "
            "files); choose another folder or pass --overwrite"
        )


def write_plan(
    run: PlanRun, out_dir: str | Path, agents: pd.DataFrame, *, overwrite: bool = False
) -> list[Path]:
    """Write `PLAN_FILES` into ``out_dir`` (created if needed); returns the paths.

    Refuses (InputError, nothing written) when one of the files exists and ``overwrite`` is
    False, so a saved plan is never replaced silently.
    """
    out = Path(out_dir)
    check_plan_folder(out, overwrite)
    paths = [out / name for name in PLAN_FILES]
    out.mkdir(parents=True, exist_ok=True)
    files = dict(zip(PLAN_FILES, paths))
    write_csv(run.forecast, files["forecast.csv"])
    write_csv(run.requirements, files["requirements.csv"])
    write_roster_csv(run.roster.roster, files["roster.csv"])
    write_roster_excel(run.roster.roster, files["roster.xlsx"], agents, run.roster.coverage)
    write_csv(run.roster.coverage, files["coverage.csv"])
    write_csv(run.kpi, files["kpi.csv"])
    files["report.txt"].write_text(run.report(), encoding="utf-8")
    return paths
