"""Warm re-optimization: the current roster as the optimizer's start (issue 16, point 2).

After a planner's edit with locks (`app_support.plan.locks_frame`: the locked agent-days'
rows) the week is planned again around them. Starting from nothing throws the plan away;
`staffing.roster.solve.solve_roster` with ``warm=roster`` starts from it instead, with the
pieces here:

- `warm_start`: every agent-week of the roster as a pattern column of the master (its shift
  and lunch per day as the day options they are), the meetings where the roster holds them
  and the members who stay on the phone: the column values of the *start plan*. An agent-week
  that is no pattern as it stands (an edit left its hours outside the week's bounds, or a
  shift that is not one of its templates) gets the pattern closest to it: the most days with
  the same shift, then the same start, end and lunch (`price_pattern` with a bonus per
  matching day). The start plan is then complete, so the integer program starts feasible
  and the rounding has the current plan as its incumbent.
- `fix_locked_meetings`: a meeting pinned by a locked block is held there (``v`` fixed at 1,
  not missed), and each locked attendee attends or stays on the phone exactly as the lock
  says, so the re-optimized roster keeps every locked row.
- `movable_weeks`: the agent-weeks with a day that is not locked (the only ones a
  neighbourhood search needs to free).
- `plan_cost`: the objective of column values, evaluated on the plan as the result's is
  (`staffing.roster.readback.objective_parts`): the start plan's cost is the bar the
  re-optimized plan must not exceed.

Pure: tables and the master in, arrays out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from staffing.roster.instance import WeekPlan
from staffing.roster.master import Master, solve_with_cuts
from staffing.roster.patterns import (
    DayOptions,
    Pattern,
    PriceOptions,
    make_pattern,
    price_pattern,
)
from staffing.roster.readback import allocate, objective_parts, phone_matrix, plan_from_values

__all__ = [
    "WarmStart",
    "fix_locked_meetings",
    "fix_plan",
    "movable_weeks",
    "plan_cost",
    "warm_start",
]

#: Bonus (in the pricing's cost) for a day of the closest pattern that keeps the roster's
#: shift exactly, and for keeping its start, end or lunch; large against the wishes and the
#: hours' cost (at most a few units), so the closest pattern keeps as much as it can.
KEEP_DAY, KEEP_START, KEEP_END, KEEP_LUNCH = 20.0, 6.0, 3.0, 1.0

#: A day of the roster: shift (first slot, end slot) and lunch start slot (-1 without).
_Shift = tuple[int, int, int]


@dataclass
class WarmStart:
    """The start plan read from a roster: the master's column values (patterns, meetings,
    stays, missed meetings), the agent-weeks kept as they were, those replaced by the closest
    pattern, and those without any pattern."""

    values: np.ndarray
    kept: int = 0
    repaired: list[tuple[int, str]] = field(default_factory=list)
    missing: list[tuple[int, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether every agent-week has its pattern (the start is a plan)."""
        return not self.missing


def _read_roster(
    master: Master, roster: pd.DataFrame
) -> tuple[dict[tuple[int, int], _Shift | None], set[tuple[int, int, int, int, str]]]:
    """The roster's shift per (agent, day) (None: a shift off the day's grid) and its meeting
    and training blocks ``(agent, day, first slot, slots, activity)``. Rows of unknown agents
    or days, and absence rows, are left out."""
    inst = master.inst
    shifts: dict[tuple[int, int], _Shift | None] = {}
    blocks: set[tuple[int, int, int, int, str]] = set()
    if roster is None or roster.empty:
        return shifts, blocks
    agent_of = {a.agent_id: a.index for a in inst.agents}
    day_of = {day.date: day for day in inst.days}
    tz = inst.days[0].tz if inst.days else "UTC"
    frame = roster[roster["activity"] != "absence"]
    if frame.empty:
        return shifts, blocks
    starts = pd.to_datetime(frame["start"])
    ends = pd.to_datetime(frame["end"])
    if starts.dt.tz is not None:
        starts, ends = starts.dt.tz_convert(tz), ends.dt.tz_convert(tz)
    ids = frame["agent_id"].astype(str).str.strip().to_numpy()
    acts = frame["activity"].astype(str).to_numpy()
    runs: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
    for agent_id, start, end, act in zip(ids, starts, ends, acts, strict=True):
        a, day = agent_of.get(agent_id), day_of.get(start.date())
        if a is None or day is None:
            continue
        first = start.hour * 60 + start.minute - day.grid_start
        last = (end - start).total_seconds() / 60 + first
        if first % day.step or last % day.step:
            shifts[(a, day.index)] = None
            continue
        runs[(a, day.index)].append((int(first // day.step), int(last // day.step), act))
    for key, items in runs.items():
        if key in shifts:  # a block off the grid
            continue
        lunch = min((s for s, _e, act in items if act == "lunch"), default=-1)
        shifts[key] = (min(s for s, _e, _a in items), max(e for _s, e, _a in items), lunch)
        for s, e, act in items:
            if act in ("meeting", "training"):
                blocks.add((key[0], key[1], s, e - s, act))
    return shifts, blocks


def _day_option(master: Master, a: int, d: int, shift: _Shift | None) -> int | None:
    """The option of agent ``a`` on day ``d`` with the roster's shift and lunch, if any."""
    opts = master.options.get((a, d))
    if opts is None or shift is None or not len(opts):
        return None
    tpls = master.inst.templates[(a, d)]
    start = np.asarray([t.start for t in tpls])[opts.template]
    end = np.asarray([t.end for t in tpls])[opts.template]
    hit = np.flatnonzero((start == shift[0]) & (end == shift[1]) & (opts.lunch == shift[2]))
    return int(hit[0]) if len(hit) else None


def _price_kw(master: Master) -> PriceOptions:
    rules = master.inst.rules
    return {
        "max_days": rules.max_days_per_week,
        "step": rules.interval_minutes,
        "weight_hours": rules.weight_hours_deviation,
    }


def _closest(
    master: Master, plan: WeekPlan, options: list[DayOptions | None], shifts: dict
) -> Pattern | None:
    """The pattern of the agent-week closest to the roster's days (a bonus per day that keeps
    its shift, start, end or lunch), within the week's hours; None when it has none."""
    tpls_of = master.inst.templates
    costs: list[np.ndarray | None] = []
    for d, opts in zip(plan.days, options, strict=True):
        if opts is None:
            costs.append(None)
            continue
        cost = opts.wish.astype(float).copy()
        shift = shifts.get((plan.agent, d))
        if shift is not None:
            tpls = tpls_of[(plan.agent, d)]
            start = np.asarray([t.start for t in tpls])[opts.template]
            end = np.asarray([t.end for t in tpls])[opts.template]
            same_start, same_end = start == shift[0], end == shift[1]
            cost -= KEEP_DAY * (same_start & same_end & (opts.lunch == shift[2]))
            cost -= KEEP_START * same_start + KEEP_END * same_end
            cost -= KEEP_LUNCH * (opts.lunch == shift[2])
        costs.append(cost)
    pattern, _value = price_pattern(plan, options, costs, **_price_kw(master))
    return pattern


def _week_pattern(master: Master, plan: WeekPlan, shifts: dict) -> tuple[Pattern | None, bool]:
    """The roster's pattern of one agent-week and whether it is the roster's as it stands
    (else the closest pattern, or None)."""
    rules = master.inst.rules
    options = master.week_options(plan)
    picks: list[tuple[int, int]] = []
    as_is = True
    for d, opts in zip(plan.days, options, strict=True):
        key = (plan.agent, d)
        if key not in shifts:
            as_is &= opts is None or not opts.forced
            continue
        o = _day_option(master, plan.agent, d, shifts[key])
        if o is None:
            as_is = False
            continue
        picks.append((d, o))
    if as_is and len(picks) <= rules.max_days_per_week:
        pattern = make_pattern(plan, options, picks, rules.weight_hours_deviation)
        if plan.lo_minutes - 1e-6 <= pattern.paid_minutes <= plan.hi_minutes + 1e-6:
            return pattern, True
    return _closest(master, plan, options, shifts), False


def _column_of(master: Master) -> dict[tuple, int]:
    """Each pattern's column by (agent, week, choice)."""
    return {
        (p.agent, p.week, p.choice): master.pattern_col[n] for n, p in enumerate(master.patterns)
    }


def warm_start(master: Master, roster: pd.DataFrame) -> WarmStart:
    """Add the roster's agent-weeks to ``master`` as pattern columns and return the start
    plan's column values (see the module docstring). Call before the master's LP is built
    (`staffing.roster.master.column_generation` then starts with these columns)."""
    inst = master.inst
    shifts, blocks = _read_roster(master, roster)
    start = WarmStart(values=np.zeros(0))
    chosen: dict[tuple[int, str], int] = {}
    option_of: dict[tuple[int, int], int] = {}  # (agent, day) -> option worked
    for plan in inst.weeks:
        key = (plan.agent, plan.week)
        pattern, as_is = _week_pattern(master, plan, shifts)
        if pattern is None:
            start.missing.append(key)
            continue
        if as_is:
            start.kept += 1
        else:
            start.repaired.append(key)
        col = master.add_pattern(pattern)
        if col is None:  # the same pattern is there already
            col = _column_of(master)[(pattern.agent, pattern.week, pattern.choice)]
        chosen[key] = col
        for d, o in pattern.choice:
            option_of[(plan.agent, d)] = o
    values = np.zeros(master.n_cols)
    values[list(chosen.values())] = 1.0
    _place_meetings(master, values, blocks, option_of)
    start.values = values
    return start


def _meeting_columns(master: Master) -> tuple[dict, dict, dict]:
    """The master's ``v`` columns by (meeting, position), ``stay`` columns by (meeting,
    position, agent) and ``miss`` columns by meeting."""
    v: dict[tuple[int, int], int] = {}
    stay: dict[tuple[int, int, int], int] = {}
    miss: dict[int, int] = {}
    for j, kind in enumerate(master.col_kind):
        if kind == "meeting":
            v[master.col_key[j]] = j
        elif kind == "skip":
            stay[master.col_key[j]] = j
        elif kind == "miss":
            miss[master.col_key[j][0]] = j
    return v, stay, miss


def _place_meetings(
    master: Master,
    values: np.ndarray,
    blocks: set[tuple[int, int, int, int, str]],
    option_of: dict[tuple[int, int], int],
) -> None:
    """Each meeting at the position where most of its attendees have its block in the roster
    (missed when none has): attendees with the block and free then attend, the others stay
    on the phone (the position is left when one of them can do neither)."""
    inst = master.inst
    v_col, stay_col, miss_col = _meeting_columns(master)
    for mi, occ in enumerate(inst.meetings):
        ranked = []
        for i, (d, p) in enumerate(occ.positions):
            there = sum(
                (a, d, p, occ.length, occ.rule.activity) in blocks for a in occ.attendees[i]
            )
            if there:
                ranked.append((-there, i))
        placed = False
        for _n, i in sorted(ranked):
            d, p = occ.positions[i]
            stays = []
            for a in occ.attendees[i]:
                o = option_of.get((a, d))
                opts = master.options.get((a, d))
                free = (
                    o is not None
                    and opts is not None
                    and bool(opts.phone[o, p : p + occ.length].all())
                )
                if free and (a, d, p, occ.length, occ.rule.activity) in blocks:
                    continue
                if (mi, i, a) in stay_col:
                    stays.append(stay_col[(mi, i, a)])
                elif opts is not None:  # must attend and cannot: not this position
                    break
            else:
                values[v_col[(mi, i)]] = 1.0
                values[stays] = 1.0
                placed = True
                break
        if not placed and mi in miss_col:
            values[miss_col[mi]] = 1.0
    _keep_fixed(master, values)


def _keep_fixed(master: Master, values: np.ndarray) -> None:
    """Columns the locks fix (`fix_locked_meetings`) at their fixed value in ``values``."""
    for j in range(min(len(values), master.n_cols)):
        if (
            master.col_kind[j] in ("meeting", "skip", "miss")
            and master.col_lo[j] == master.col_hi[j]
        ):
            values[j] = master.col_lo[j]


def fix_locked_meetings(master: Master) -> int:
    """Hold every meeting pinned by a locked block where it was locked, with each locked
    attendee attending or staying on the phone as the lock says (column bounds of ``v``,
    ``miss`` and ``stay``); returns how many columns were fixed. Call before the master's
    LP and the integer program are built."""
    inst = master.inst
    v_col, stay_col, miss_col = _meeting_columns(master)
    fixed = 0

    def fix(j: int, value: float) -> None:
        nonlocal fixed
        master.col_lo[j] = master.col_hi[j] = value
        fixed += 1

    for mi, occ in enumerate(inst.meetings):
        if not occ.pinned:
            continue
        for i, (d, p) in enumerate(occ.positions):
            locked = [a for a in occ.attendees[i] if (a, d) in inst.locks]
            if not locked:
                continue
            fix(v_col[(mi, i)], 1.0)
            if mi in miss_col:
                fix(miss_col[mi], 0.0)
            block = (occ.rule.activity, p, occ.length)
            for a in locked:
                if (mi, i, a) in stay_col:
                    fix(stay_col[(mi, i, a)], 0.0 if block in inst.locks[(a, d)].blocks else 1.0)
    master.cache.pop("static", None)
    return fixed


def movable_weeks(master: Master) -> set[tuple[int, str]]:
    """The agent-weeks with a day that can still change: a day with options that is not
    locked."""
    inst = master.inst
    return {
        (plan.agent, plan.week)
        for plan in inst.weeks
        if any(
            (plan.agent, d) in master.options and (plan.agent, d) not in inst.locks
            for d in plan.days
        )
    }


def plan_cost(master: Master, values: np.ndarray) -> float:
    """The objective of the plan in the column values ``values`` (before any off-phone time
    is released, which the objective counts as phone time anyway)."""
    values = np.pad(np.asarray(values, dtype=float), (0, max(master.n_cols - len(values), 0)))
    plan = plan_from_values(master, values)
    phone = phone_matrix(master.inst, plan)
    coverage, shortfall = allocate(master.inst, plan, phone=phone)
    return float(sum(objective_parts(master, plan, coverage, shortfall, phone=phone).values()))


def fix_plan(master: Master, values: np.ndarray, *, deadline: float = math.inf) -> np.ndarray:
    """Fix every pattern column of the master's LP at its value in the plan ``values`` and
    solve it (meetings and stays stay free): the state `staffing.roster.heuristics.improve`
    starts from. Returns the LP's column values."""
    h = master.lp
    if h is None:
        return values
    for col in master.pattern_col:
        v = 1.0 if col < len(values) and values[col] > 0.5 else 0.0
        h.changeColBounds(col, v, v)
    return solve_with_cuts(h, master, deadline=deadline)
