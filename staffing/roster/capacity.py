"""Say it before it hurts: can the team cover the week's need at all?

Before the optimizer runs, `capacity_findings` compares the requirement with what the agents
can give at most, in the planner's words, so a week that cannot be covered is named before a
roster with shortfalls comes back:

- **hours**: the phone hours the week (and each day) needs against the most the team can be on
  the phone: each available agent's day norm (weekly contract hours / 5, `ShiftRules.
  day_norm_hours`) less the lunch of a shift that long; an agent on holiday (``unavailable``)
  gives nothing that day. Meetings are left out, so this is an upper bound: when it falls
  short, no roster can cover the need.
- **heads**: the most agents needed on the phone at once in an interval against the agents who
  can be there at all (not on holiday, the interval inside their earliest start and latest end);
- **skills**: per queue, the most agents it needs at once against the agents with the skill who
  can be there, and its hours against the skilled agents' hours (which they also owe to their
  other queues, so again an upper bound).

Every finding is a plain sentence with the figures; no finding means the bounds hold (the
roster may still be short where shifts, lunches and meetings do not fit: the optimizer's
diagnosis says where).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from centre.timezone import TZ
from staffing.agents import Agents, AgentSpec, prepare_agents
from staffing.roster.coverage import required_column
from staffing.roster.diagnose import day_label
from staffing.roster.rules import ShiftRules

__all__ = ["CapacityFinding", "capacity_findings"]


@dataclass(frozen=True)
class CapacityFinding:
    """One way the team cannot cover the need: ``kind`` (``hours``, ``day_hours``,
    ``heads``, ``skill_heads``, ``skill_hours``), the sentence, the figures."""

    kind: str
    message: str
    needed: float
    available: float
    queue: str | None = None
    day: dt.date | None = None


def _phone_hours(agent: AgentSpec, rules: ShiftRules) -> float:
    """The most an agent can be on the phone in a working day: the day norm less lunch."""
    norm = rules.day_norm_hours(agent.weekly_hours)
    lunch = rules.lunch_minutes / 60.0 if rules.needs_lunch(int(round(norm * 60))) else 0.0
    return max(norm - lunch, 0.0)


def _present(agent: AgentSpec, day: dt.date, minute: int, step: int) -> bool:
    """Whether the agent can be on the phone in the interval starting at ``minute`` of ``day``."""
    if day in agent.unavailable:
        return False
    if agent.earliest is not None and minute < agent.earliest:
        return False
    return agent.latest is None or minute + step <= agent.latest


def _need_table(requirements: pd.DataFrame, rules: ShiftRules) -> pd.DataFrame:
    column = required_column(requirements, rules)
    starts = requirements["interval_start"]
    if isinstance(starts.dtype, pd.DatetimeTZDtype):
        starts = starts.dt.tz_convert(TZ)
    return pd.DataFrame(
        {
            "queue": requirements["queue"].astype(str).to_numpy(),
            "day": starts.dt.date.to_numpy(),
            "minute": (starts.dt.hour * 60 + starts.dt.minute).to_numpy(),
            "need": requirements[column].to_numpy(dtype=float),
        }
    )


def capacity_findings(
    requirements: pd.DataFrame, agents: Agents, rules: ShiftRules | None = None
) -> list[CapacityFinding]:
    """What the team cannot cover, worst first within each kind (see the module docstring).

    ``requirements``: ``interval_start, queue`` and the covered column (`required_column`);
    ``agents``: the agents contract or prepared agents.
    """
    rules = rules or ShiftRules()
    specs = prepare_agents(agents)
    need = _need_table(requirements, rules)
    if need.empty:
        return []
    step = rules.interval_minutes
    hours_per_row = step / 60.0
    days = sorted(set(need["day"]))
    findings: list[CapacityFinding] = []
    findings += _hours(need, specs, rules, days, hours_per_row)
    findings += _heads(need, specs, step)
    findings += _skills(need, specs, rules, days, step, hours_per_row)
    return findings


def _hours(
    need: pd.DataFrame,
    specs: tuple[AgentSpec, ...],
    rules: ShiftRules,
    days: list[dt.date],
    hours_per_row: float,
) -> list[CapacityFinding]:
    out = []
    per_day = need.groupby("day")["need"].sum() * hours_per_row
    give = {d: sum(_phone_hours(a, rules) for a in specs if d not in a.unavailable) for d in days}
    total_need, total_give = float(per_day.sum()), float(sum(give.values()))
    if total_need > total_give + 1e-6:
        out.append(
            CapacityFinding(
                "hours",
                f"The week needs {total_need:,.0f} agent-hours on the phone; the team can give "
                f"at most {total_give:,.0f} (contract hours less holidays and lunches): "
                f"{total_need - total_give:,.0f} hours short whatever the roster.",
                total_need,
                total_give,
            )
        )
    for day in days:
        wanted, has = float(per_day.get(day, 0.0)), give[day]
        if wanted > has + 1e-6:
            away = sum(1 for a in specs if day in a.unavailable)
            out.append(
                CapacityFinding(
                    "day_hours",
                    f"{day_label(day)} needs {wanted:,.0f} agent-hours on the phone; the "
                    f"{len(specs) - away} agents at work can give at most {has:,.0f} "
                    f"({away} on holiday).",
                    wanted,
                    has,
                    day=day,
                )
            )
    return out


def _presence(
    need: pd.DataFrame, specs: tuple[AgentSpec, ...], step: int
) -> tuple[list[tuple[dt.date, int]], np.ndarray]:
    """The intervals of the requirement, in order, and who can be there: (intervals, agents)."""
    slots = sorted(set(zip(need["day"], need["minute"].astype(int))))
    present = np.array(
        [[_present(a, day, minute, step) for a in specs] for day, minute in slots], dtype=bool
    ).reshape(len(slots), len(specs))
    return slots, present


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _heads(need: pd.DataFrame, specs: tuple[AgentSpec, ...], step: int) -> list[CapacityFinding]:
    slots, present = _presence(need, specs, step)
    at_once = need.groupby(["day", "minute"])["need"].sum()
    wanted = np.array([at_once[(d, m)] for d, m in slots])
    can = present.sum(axis=1)
    gap = wanted - can
    worst = int(np.argmax(gap))
    if gap[worst] <= 1e-6:
        return []
    day, minute = slots[worst]
    return [
        CapacityFinding(
            "heads",
            f"{day_label(day)} {_clock(minute)} needs {wanted[worst]:.0f} agents on the phone at "
            f"once; only {can[worst]} of the {len(specs)} agents can be there (holidays, "
            "earliest start and latest end).",
            float(wanted[worst]),
            float(can[worst]),
            day=day,
        )
    ]


def _skills(
    need: pd.DataFrame,
    specs: tuple[AgentSpec, ...],
    rules: ShiftRules,
    days: list[dt.date],
    step: int,
    hours_per_row: float,
) -> list[CapacityFinding]:
    slots, present = _presence(need, specs, step)
    index = {slot: i for i, slot in enumerate(slots)}
    out = []
    for queue, rows in need.groupby("queue", sort=True):
        skilled = np.array([queue in a.skills for a in specs], dtype=bool)
        where = [index[(d, int(m))] for d, m in zip(rows["day"], rows["minute"])]
        can = present[where][:, skilled].sum(axis=1)
        gap = rows["need"].to_numpy(dtype=float) - can
        worst = int(np.argmax(gap))
        if gap[worst] > 1e-6:
            day, minute = slots[where[worst]]
            out.append(
                CapacityFinding(
                    "skill_heads",
                    f"{queue} needs {rows['need'].iloc[worst]:.0f} agents at once on "
                    f"{day_label(day)} {_clock(minute)}; {can[worst]} of the {int(skilled.sum())} "
                    "agents with the skill can be there.",
                    float(rows["need"].iloc[worst]),
                    float(can[worst]),
                    queue=str(queue),
                    day=day,
                )
            )
        wanted = float(rows["need"].sum()) * hours_per_row
        has = sum(
            _phone_hours(a, rules)
            for a, ok in zip(specs, skilled)
            if ok
            for d in days
            if d not in a.unavailable
        )
        if wanted > has + 1e-6:
            out.append(
                CapacityFinding(
                    "skill_hours",
                    f"{queue} needs {wanted:,.0f} agent-hours this week; the "
                    f"{int(skilled.sum())} agents with the skill can give at most {has:,.0f} in "
                    "all.",
                    wanted,
                    float(has),
                    queue=str(queue),
                )
            )
    return out
