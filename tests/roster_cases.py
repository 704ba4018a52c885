"""Small roster instances for the roster tests (helpers, not tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd

from staffing.roster.rules import MeetingRule, ShiftRules

TZ = "Europe/Copenhagen"
AGENT_COLUMNS = [
    "agent_id",
    "team",
    "skills",
    "weekly_hours",
    "earliest_start",
    "latest_end",
    "unavailable",
    "preferences",
]

#: Rules without meetings, fairness or wishes: only the shift, hours and coverage rules.
PLAIN = ShiftRules(meetings=(), weight_unfair=0.0, weight_wish=0.0)
#: One team meeting of an hour, starting on the half hour from 13:30 to 15:00: in the
#: afternoon, where most members are on shift and free (lunches start at most 4.5 h after the
#: shift, which starts by 08:45); a member whose lunch or shift end overlaps it stays.
TEAM_MEETING = MeetingRule("Teammøde", attendees="team", minutes=60, earliest=dt.time(13, 30))
#: `PLAIN`'s rules with `TEAM_MEETING` and no meeting blackout.
MEETING_RULES = ShiftRules(
    meetings=(TEAM_MEETING,),
    meeting_blackout=(),
    weight_unfair=0.0,
    weight_wish=0.0,
)


def requirements(
    days: Sequence[str],
    needs: dict[str, float | Sequence[float] | Callable[[int, int], float]],
    *,
    start: str = "08:00",
    end: str = "15:00",
    step: int = 15,
    offered: dict[str, float] | None = None,
    aht: float = 300.0,
) -> pd.DataFrame:
    """``interval_start, queue, agents`` for ``days`` between ``start`` and ``end``.

    ``needs[q]`` is a number, a list (one value per interval of a day) or ``f(day, slot)``.
    ``offered[q]`` adds ``offered`` (calls per interval) and ``aht_seconds`` columns.
    """
    rows = []
    h0, m0 = (int(x) for x in start.split(":"))
    h1, m1 = (int(x) for x in end.split(":"))
    n = ((h1 * 60 + m1) - (h0 * 60 + m0)) // step
    for d, day in enumerate(days):
        date = dt.date.fromisoformat(day)
        for q, need in needs.items():
            for j in range(n):
                minute = h0 * 60 + m0 + j * step
                stamp = pd.Timestamp(dt.datetime.combine(date, dt.time(minute // 60, minute % 60)))
                if callable(need):
                    value = need(d, j)
                elif isinstance(need, int | float):
                    value = need
                else:
                    value = need[j]
                row = {"interval_start": stamp.tz_localize(TZ), "queue": q, "agents": value}
                if offered is not None:
                    row["offered"] = offered[q]
                    row["aht_seconds"] = aht
                rows.append(row)
    return pd.DataFrame(rows)


def agents(*rows: dict) -> pd.DataFrame:
    """An agents table from dicts (missing columns empty; ``weekly_hours`` default 37)."""
    out = []
    for i, row in enumerate(rows, start=1):
        full = {c: "" for c in AGENT_COLUMNS}
        full.update({"agent_id": f"A{i}", "team": "T", "weekly_hours": 37.0})
        full.update(row)
        out.append(full)
    return pd.DataFrame(out, columns=AGENT_COLUMNS)


def monday(offset_days: int = 0) -> str:
    """A Monday in March 2026 (no holidays near), plus ``offset_days``."""
    return (dt.date(2026, 3, 2) + dt.timedelta(days=offset_days)).isoformat()


def small_week() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two days, two queues (Dagpenge needs 2, A-Kasse 1, 07:30-16:00) and three agents, the
    third away on the second day: small enough that every pattern is enumerated (the program
    is exact)."""
    days = [monday(i) for i in range(2)]
    req = requirements(days, {"Dagpenge": 2, "A-Kasse": 1}, start="07:30", end="16:00")
    staff = agents(
        {"skills": "Dagpenge;A-Kasse"},
        {"skills": "Dagpenge"},
        {"skills": "Dagpenge;A-Kasse", "unavailable": days[1]},
    )
    return req, staff


def two_queue_master():
    """A week of two queues (Q peaks mid-morning, R needs one) and six agents, some skilled in
    both, under `PLAIN`: the master after column generation (5 s, 1 % gap)."""
    from staffing.roster.instance import build_instance
    from staffing.roster.master import build_master, column_generation

    week = [monday(i) for i in range(5)]
    needs = [1] * 4 + [3] * 14 + [2] * 16
    req = requirements(week, {"Q": needs, "R": 1}, start="07:30", end="16:00")
    staff = agents(*({"skills": s} for s in ("Q", "Q;R", "R", "Q", "Q;R", "Q")))
    master = build_master(build_instance(req, staff, PLAIN))
    column_generation(master, time_budget=5.0, gap=0.01)
    return master


def fresh_value(master, chosen: dict[tuple[int, str], int]) -> float:
    """The master's value of the plan ``chosen`` (pattern column per agent-week) on a new LP
    of the master (no basis, no state shared), every violated row added."""
    from staffing.roster.heuristics import _cols_by_week, _optimal
    from staffing.roster.master import solve_with_cuts, to_highs

    h = to_highs(master)
    for key, cols in _cols_by_week(master).items():
        for col in cols:
            v = float(col == chosen[key])
            h.changeColBounds(col, v, v)
    solve_with_cuts(h, master)
    assert _optimal(h)
    return float(h.getInfo().objective_function_value)
