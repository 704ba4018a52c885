"""Diagnosis of a roster in a planner's words: where the week is short, and why.

`explain_coverage` reads a plan (roster rows), its coverage per queue and interval and the
agents, finds the runs of intervals where a queue is short (or has nobody on the phone, against
the phone policy) and says what keeps the skilled agents away at the worst interval of each
run, e.g.::

    Tuesday 3 Mar 10:00-12:00 Dagpenge short 3 agents (needs 9, has 6): 6 of 9 skilled agents
    are on holiday, 1 has the day off

The reasons are counted for every agent with the queue's skill, in this order: on holiday
(an ``unavailable`` date or an ``absence`` row), cannot work then (earliest start / latest end),
day off (the weekly hours or the days-per-week limit are used on other days), working other
hours that day, at lunch, in a meeting or training, and on the phone but shared with other
queues that are short at the same time.

`explain_team_floor` does the same for the runs where a team has nobody on the phone in its
phone hours (the team floor, `ShiftRules.team_floor`), counting the team's members::

    Tuesday 3 Mar 07:30-16:00 team Sygdom has nobody on the phone (phone policy: at least one
    member of every team in phone hours): 3 of 3 members are on holiday

Other diagnostics (an agent whose contract cannot be met, a queue nobody is skilled for, a
meeting that found no place) are made where they are found, in `staffing.roster.instance` and
`staffing.roster.solve`; all share the `Diagnostic` record.

Every diagnostic carries its ``message`` in English (what the CLI prints) and the same content
as structured ``facts`` (numbers, reason counts by code, queue lists, ids), from which the app
writes it in Danish or English (`app_support.diagnosis`). The reason codes of ``facts["reasons"]``
are `REASONS`, in the order the message names them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from staffing.agents import Agents, prepare_agents

__all__ = [
    "REASONS",
    "Diagnostic",
    "explain_coverage",
    "explain_team_floor",
    "format_diagnostics",
    "reason_facts",
]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Where a skilled agent (or a team member) is at the interval a run is read at, in the order
#: the messages name them: on holiday, cannot work then (earliest start / latest end), day off,
#: working other hours that day, at lunch, in a meeting or training, on off-phone work, on the
#: phone (for other queues).
REASONS = ("holiday", "outside", "off", "other_hours", "lunch", "meeting", "off_phone", "phone")


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a plan, with a message meant for a planner.

    ``kind``: ``short`` (a queue short of its requirement), ``empty_queue`` (nobody on a queue
    inside its window), ``team_floor`` (a team, ``team``, with nobody on the phone in its
    phone hours), ``impossible_agent``, ``queue_without_agents``, ``agent_without_queue``,
    ``meeting_stay``, ``missed_meeting``, ``calendar``, ``solver`` or ``summary``.
    ``severity``: ``info``, ``warning`` or ``error``.

    ``message`` is the finding in English, as the CLI prints it; ``facts`` holds the same
    content as plain values for other renderings (the app's Danish, `app_support.diagnosis`):
    per kind, e.g. ``needs``, ``has``, ``skilled`` and ``reasons`` (counts by a code of
    `REASONS`) of a short run, or ``note`` (which note) and ``time_limit`` of a ``solver``
    finding. A copy is kept; it is not part of the hash.
    """

    kind: str
    severity: str
    message: str
    queue: str | None = None
    agent_id: str | None = None
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    shortfall: float = 0.0
    team: str | None = None
    facts: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "facts", dict(self.facts))

    def __str__(self) -> str:
        return self.message


def format_diagnostics(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> str:
    """One line per diagnostic, errors first, as the CLI prints them."""
    order = {"error": 0, "warning": 1, "info": 2}
    lines = [
        f"{d.severity}: {d.message}"
        for d in sorted(diagnostics, key=lambda d: order.get(d.severity, 3))
    ]
    return "\n".join(lines)


def day_label(ts: pd.Timestamp | dt.date) -> str:
    """``Tuesday 3 Mar``: a day as the planner reads it in messages."""
    return f"{_WEEKDAYS[ts.weekday()]} {ts.day} {ts:%b}"


def _runs(frame: pd.DataFrame, flag: pd.Series, step: pd.Timedelta) -> list[pd.DataFrame]:
    """Consecutive flagged intervals of one queue on one day."""
    rows = frame[flag].sort_values("interval_start")
    if rows.empty:
        return []
    starts = rows["interval_start"]
    days = starts.dt.normalize()
    new = (starts.diff() != step) | (days != days.shift())
    run_id = new.cumsum()
    return [group for _, group in rows.groupby(run_id, sort=True)]


def _agent_table(agents: Agents) -> pd.DataFrame:
    specs = prepare_agents(agents)
    return pd.DataFrame(
        {
            "agent_id": [a.agent_id for a in specs],
            "team": [a.team for a in specs],
            "skills": [set(a.skills) for a in specs],
            "unavailable": [a.unavailable for a in specs],
            "earliest": [a.earliest for a in specs],
            "latest": [a.latest for a in specs],
        }
    ).set_index("agent_id")


#: An agent-day's roster rows as ``(start, end, activity)``, in the roster's order.
_DayRows = list[tuple[pd.Timestamp, pd.Timestamp, str]]


def _status_at(
    agent_id: str,
    info: Mapping[str, Any],
    moment: pd.Timestamp,
    day_rows: _DayRows,
) -> str:
    """Where the agent is at ``moment``: ``holiday``, ``outside`` (earliest start / latest
    end), ``off``, ``other_hours``, ``off_phone``, ``meeting``, ``lunch`` or ``phone``
    (``info``: the agent's row of `_agent_table`; plain rows, as this runs per agent and
    interval explained)."""
    date = moment.date()
    if date in info["unavailable"] or any(act == "absence" for _s, _e, act in day_rows):
        return "holiday"
    minute = moment.hour * 60 + moment.minute
    outside = (info["earliest"] is not None and minute < info["earliest"]) or (
        info["latest"] is not None and minute >= info["latest"]
    )
    if not day_rows:
        return "outside" if outside else "off"
    here = [act for start, end, act in day_rows if start <= moment < end]
    if not here:
        return "outside" if outside else "other_hours"
    activity = str(here[0])
    if activity == "off_phone":
        return "off_phone"
    if activity in ("meeting", "training"):
        return "meeting"
    if activity in ("lunch", "break"):
        return "lunch"
    return "phone"


def _reason_text(
    counts: Counter,
    skilled: int,
    shared_with: list[str],
    noun: str = "skilled agents",
    needed_by: list[str] | None = None,
) -> str:
    parts: list[str] = []
    first = True

    def add(n: int, one: str, many: str) -> None:
        nonlocal first
        if n <= 0:
            return
        if first:
            parts.append(f"{n} of {skilled} {noun} {many if n != 1 else one}")
            first = False
        else:
            parts.append(f"{n} {many if n != 1 else one}")

    add(counts["holiday"], "is on holiday", "are on holiday")
    add(
        counts["outside"],
        "cannot work then (earliest start / latest end)",
        "cannot work then (earliest start / latest end)",
    )
    add(
        counts["off"],
        "has the day off (weekly hours used on other days)",
        "have the day off (weekly hours used on other days)",
    )
    add(counts["other_hours"], "works other hours that day", "work other hours that day")
    add(counts["lunch"], "is at lunch", "are at lunch")
    add(counts["meeting"], "is in a meeting", "are in a meeting")
    add(counts["off_phone"], "is on off-phone work", "are on off-phone work")
    if counts["phone"]:
        where = f", shared with {', '.join(shared_with)} (short too)" if shared_with else ""
        if needed_by:
            where += f", needed by {', '.join(needed_by)} (no agent to spare there)"
        add(counts["phone"], f"is on the phone{where}", f"are on the phone{where}")
    return ", ".join(parts)


def reason_facts(
    counts: Counter,
    skilled: int,
    shared_with: list[str] | None = None,
    needed_by: list[str] | None = None,
) -> dict[str, object]:
    """The facts of a run's reasons: ``skilled`` (agents with the skill, or team members),
    ``reasons`` (count per code of `REASONS`, those above 0, in that order), ``shared_with``
    and ``needed_by`` (the other queues of the agents on the phone)."""
    return {
        "skilled": int(skilled),
        "reasons": {code: int(counts[code]) for code in REASONS if counts[code] > 0},
        "shared_with": list(shared_with or []),
        "needed_by": list(needed_by or []),
    }


@dataclass(frozen=True)
class _Plan:
    """What the reasons of a run are read from: the agents, their roster rows, the short cells."""

    table: pd.DataFrame
    by_agent_day: dict[tuple[str, object], _DayRows]
    empty_rows: _DayRows
    short_at: set[tuple[object, pd.Timestamp]]
    step: pd.Timedelta
    #: cells covered without a whole agent to spare: where the time of agents on the phone
    #: went when their own short queue got none of it
    tight_at: set[tuple[object, pd.Timestamp]] = field(default_factory=set)
    #: the rows of ``table`` as dicts by agent id
    info: dict[str, dict[str, Any]] = field(default_factory=dict)


def _roster_by_agent_day(roster: pd.DataFrame) -> dict[tuple[str, object], _DayRows]:
    """The roster rows of each (agent_id, date), as ``(start, end, activity)``."""
    out: dict[tuple[str, object], _DayRows] = defaultdict(list)
    if not len(roster):
        return {}
    for agent_id, start, end, activity in zip(
        roster["agent_id"], roster["start"], roster["end"], roster["activity"], strict=True
    ):
        out[(agent_id, start.date())].append((start, end, activity))
    return dict(out)


def _short_cells(cov: pd.DataFrame, min_shortfall: float) -> set[tuple[object, pd.Timestamp]]:
    """The (queue, interval_start) cells at least ``min_shortfall`` agents short."""
    return {
        (q, t)
        for q, t, s in zip(cov["queue"], cov["interval_start"], cov["shortfall"])
        if s >= min_shortfall - 1e-9
    }


def _tight_cells(cov: pd.DataFrame) -> set[tuple[object, pd.Timestamp]]:
    """The (queue, interval_start) cells with a need and less than one agent to spare."""
    tight = (cov["required"] > 0) & (cov["staffed"] - cov["required"] < 1 - 1e-9)
    return set(zip(cov.loc[tight, "queue"], cov.loc[tight, "interval_start"]))


def _skilled_status(
    plan: _Plan, queue: object, skilled_ids: list[str], moment: pd.Timestamp
) -> tuple[Counter, list[str], list[str]]:
    """Where the skilled agents are at ``moment`` (counts per status), the other short queues
    those on the phone share their time with, and the other queues (not short) that need all
    the time they get."""
    counts: Counter = Counter()
    phone_agents = []
    for agent_id in skilled_ids:
        day_rows = plan.by_agent_day.get((agent_id, moment.date()), plan.empty_rows)
        status = _status_at(agent_id, plan.info[agent_id], moment, day_rows)
        counts[status] += 1
        if status == "phone":
            phone_agents.append(agent_id)
    shared = sorted(
        {
            q
            for a in phone_agents
            for q in plan.info[a]["skills"]
            if q != queue and (q, moment) in plan.short_at
        }
    )
    needed = sorted(
        {
            q
            for a in phone_agents
            for q in plan.info[a]["skills"]
            if q != queue and (q, moment) in plan.tight_at and q not in shared
        }
    )
    return counts, shared, needed


def _run_reason(
    plan: _Plan, queue: object, skilled_ids: list[str], worst: pd.Series
) -> tuple[str, dict[str, object]]:
    """Why a run is short, read at its worst interval ``worst``: the text and its facts
    (`reason_facts`, and ``too_few_skilled``: fewer agents have the skill than are needed)."""
    if not skilled_ids:
        return "no agent has this skill", {**reason_facts(Counter(), 0), "too_few_skilled": True}
    counts, shared, needed = _skilled_status(plan, queue, skilled_ids, worst["interval_start"])
    reason = _reason_text(counts, len(skilled_ids), shared, needed_by=needed)
    too_few = bool(len(skilled_ids) < worst["required"])
    if too_few:
        reason = f"only {len(skilled_ids)} agents have the skill; " + reason
    facts = reason_facts(counts, len(skilled_ids), shared, needed)
    return reason, {**facts, "too_few_skilled": too_few}


def _run_message(
    kind: str, when: str, queue: object, shortfall: float, worst: pd.Series, reason: str
) -> tuple[str, str]:
    """Message and severity of a short run (``short``) or an empty-queue run."""
    need = float(worst["required"])
    has = float(worst["staffed"])
    if kind == "short":
        n = int(round(shortfall)) if shortfall >= 1 else shortfall
        n_text = f"{n}" if isinstance(n, int) else f"{n:.1f}"
        unit = "agent" if n_text == "1" else "agents"
        message = f"{when} {queue} short {n_text} {unit} (needs {need:g}, has {has:.1f}): {reason}"
        return message, "warning"
    message = (
        f"{when} {queue} has nobody on the phone (phone policy: at least one "
        f"agent inside the queue's window): {reason}"
    )
    return message, "error"


def _explain_run(
    plan: _Plan, kind: str, queue: object, skilled_ids: list[str], run: pd.DataFrame
) -> tuple[float, Diagnostic]:
    """The diagnostic of one run of a queue, with its rank (empty-queue runs first, then the
    largest shortfall)."""
    worst = run.loc[run["shortfall"].idxmax()]
    start = run["interval_start"].iloc[0]
    end = run["interval_start"].iloc[-1] + plan.step
    when = f"{day_label(start)} {start:%H:%M}-{end:%H:%M}"
    shortfall = float(run["shortfall"].max())
    reason, facts = _run_reason(plan, queue, skilled_ids, worst)
    message, severity = _run_message(kind, when, queue, shortfall, worst, reason)
    diagnostic = Diagnostic(
        kind=kind,
        severity=severity,
        message=message,
        queue=str(queue),
        start=start,
        end=end,
        shortfall=shortfall,
        facts={"needs": float(worst["required"]), "has": float(worst["staffed"]), **facts},
    )
    return shortfall + (1000 if kind == "empty_queue" else 0), diagnostic


def _summary(
    cov: pd.DataFrame, n_runs: int, interval_minutes: int, max_items: int
) -> Diagnostic | None:
    """The under-coverage of the whole plan in agent-hours (None when there is none)."""
    total = float(cov["shortfall"].sum()) * interval_minutes / 60
    required = float(cov["required"].sum()) * interval_minutes / 60
    if total <= 1e-6:
        return None
    more = f"; {n_runs - max_items} more short runs not listed" if n_runs > max_items else ""
    share = 100 * total / max(required, 1e-9)
    intervals = int((cov["shortfall"] > 1e-6).sum())
    return Diagnostic(
        kind="summary",
        severity="info",
        shortfall=total,
        message=(
            f"Under-coverage {total:.1f} agent-hours of {required:.1f} required "
            f"({share:.1f} %) in {intervals} queue-intervals{more}"
        ),
        facts={
            "hours": total,
            "required_hours": required,
            "percent": share,
            "intervals": intervals,
            "not_listed": max(n_runs - max_items, 0),
        },
    )


def explain_coverage(
    coverage: pd.DataFrame,
    roster: pd.DataFrame,
    agents: Agents,
    *,
    min_shortfall: float = 0.5,
    interval_minutes: int = 15,
    max_items: int = 40,
) -> list[Diagnostic]:
    """Short runs and empty-queue runs of a plan, each with its reasons (see module docstring).

    ``coverage``: ``interval_start, queue, required, staffed, shortfall`` (+ ``in_window``);
    ``roster``: the roster contract; ``agents``: the agents contract. Runs with a peak
    shortfall below ``min_shortfall`` agents are ignored; at most ``max_items`` runs are
    explained (the worst first), the rest are counted in the summary.
    """
    if coverage.empty:
        return []
    step = pd.Timedelta(minutes=interval_minutes)
    table = _agent_table(agents)
    by_agent_day = _roster_by_agent_day(roster)
    cov = coverage.copy()
    if "in_window" not in cov:
        cov["in_window"] = True
    short_flag = cov["shortfall"] >= min_shortfall - 1e-9
    plan = _Plan(
        table,
        by_agent_day,
        [],
        _short_cells(cov, min_shortfall),
        step,
        _tight_cells(cov),
        table.to_dict("index"),
    )
    items: list[tuple[float, Diagnostic]] = []
    for queue, frame in cov.groupby("queue", sort=True):
        skilled_ids = [a for a, s in zip(plan.table.index, plan.table["skills"]) if queue in s]
        present = frame["skilled_on_phone"] if "skilled_on_phone" in frame else frame["staffed"]
        empty_flag = frame["in_window"] & (present < 1 - 1e-6)
        for kind, flag in (("empty_queue", empty_flag), ("short", short_flag.loc[frame.index])):
            for run in _runs(frame, flag, step):
                items.append(_explain_run(plan, kind, queue, skilled_ids, run))
    items.sort(key=lambda item: -item[0])
    out = [d for _, d in items[:max_items]]
    summary = _summary(cov, len(items), interval_minutes, max_items)
    if summary is not None:
        out.append(summary)
    return out


def explain_team_floor(
    gaps: list[tuple[str, pd.Timestamp, pd.Timestamp]],
    roster: pd.DataFrame,
    agents: Agents,
) -> list[Diagnostic]:
    """One ``team_floor`` diagnostic per run where a team has nobody on the phone in its phone
    hours (the team floor), with where its members are at the run's first interval.

    ``gaps``: ``(team, start, end)`` of each run (tz-aware times, end exclusive), as
    `staffing.roster.readback.team_gaps` finds them; ``roster``: the roster contract;
    ``agents``: the agents contract.
    """
    if not gaps:
        return []
    table = _agent_table(agents)
    by_agent_day = _roster_by_agent_day(roster)
    info = table.to_dict("index")
    out = []
    for team, start, end in gaps:
        members = [a for a, t in zip(table.index, table["team"]) if t == team]
        counts: Counter = Counter()
        for agent_id in members:
            day_rows = by_agent_day.get((agent_id, start.date()), [])
            counts[_status_at(agent_id, info[agent_id], start, day_rows)] += 1
        reason = _reason_text(counts, len(members), [], noun="members")
        when = f"{day_label(start)} {start:%H:%M}-{end:%H:%M}"
        out.append(
            Diagnostic(
                kind="team_floor",
                severity="error",
                message=(
                    f"{when} team {team} has nobody on the phone (phone policy: at least one "
                    f"member of every team in phone hours): {reason}"
                ),
                start=start,
                end=end,
                shortfall=1.0,
                team=str(team),
                facts=reason_facts(counts, len(members)),
            )
        )
    return out
