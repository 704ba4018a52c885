"""Primal heuristics on the master problem: from the LP to a plan.

This module owns the heuristics `staffing.roster.solve.solve_roster` runs after column
generation (`staffing.roster.master`):

Rounding (`dive`): fix meetings, then agent-weeks whose LP pattern is (nearly) integral,
re-solve and re-price the rest, repeat; the integer program then places the meetings and the
breaks in coverage around the rounded shifts.

Repair (`_repair_floors`): the last rounding step fixes many agent-weeks at once and can leave
a queue with nobody skilled on the phone, or a team with nobody on the phone in its phone hours
(the team floor); patterns are swapped so that fewer queues and teams are empty.

Improvement (`improve`): a large-neighbourhood search on the rounded plan in the time the dive
leaves over: free a few agent-weeks, re-price and re-round them, keep what improves.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np

from staffing.roster.instance import WeekPlan
from staffing.roster.master import Master, add_columns, project, solve_with_cuts, to_highs
from staffing.roster.patterns import Pattern, PriceOptions, price_pattern

__all__ = ["dive", "improve"]


def _price_open(m: Master, y: np.ndarray, weeks: list[WeekPlan]) -> list[Pattern]:
    """Best pattern of each of ``weeks`` at duals ``y`` when its reduced cost is negative."""
    rules = m.inst.rules
    kw: PriceOptions = {
        "max_days": rules.max_days_per_week,
        "step": rules.interval_minutes,
        "weight_hours": rules.weight_hours_deviation,
    }
    out = []
    for plan in weeks:
        pattern, value = price_pattern(plan, m.week_options(plan), m.option_costs(plan, y), **kw)
        pick = m.row_of[("pick", plan.agent, plan.week)]
        if pattern is not None and value - y[pick] < -1e-6:
            out.append(pattern)
    return out


def _cols_by_week(m: Master) -> dict[tuple[int, str], list[int]]:
    """The pattern columns of every agent-week, in the order the patterns were added."""
    out: dict[tuple[int, str], list[int]] = defaultdict(list)
    for n, col in enumerate(m.pattern_col):
        pattern = m.patterns[n]
        out[(pattern.agent, pattern.week)].append(col)
    return out


def _repair_floors(
    m: Master,
    chosen: dict[tuple[int, str], int],
    by_week: dict[tuple[int, str], list[int]],
    x: np.ndarray,
    *,
    movable: set[tuple[int, str]],
) -> int:
    """Swap patterns of ``movable`` agent-weeks so that fewer queues and teams are left empty.

    ``chosen`` maps every agent-week to its pattern column. The floors are the queue intervals
    inside their window (someone skilled must be on the phone) and, with the team floor, the
    team intervals of the phone hours (a member must be on the phone). For each floor with
    nobody on the phone, another generated pattern of one of its agents that is on the phone
    then is swapped in (the one with the largest LP value) unless the swap leaves another floor
    empty. Greedy, one pass (the queues of an interval first, then its teams); returns the
    number of floors repaired.
    """
    agents_at: dict[tuple[int, int], set[int]] = defaultdict(set)
    phone_of: dict[int, set[tuple[int, int]]] = {}

    def phone(col: int) -> set[tuple[int, int]]:
        if col not in phone_of:
            phone_of[col] = set(m.phone_slots(m.patterns[m.col_key[col][0]]))
        return phone_of[col]

    for (a, _w), col in chosen.items():
        for slot in phone(col):
            agents_at[slot].add(a)
    # per interval, the agents of each floor there (a queue's skilled agents, a team's members)
    floors: dict[tuple[int, int], list[set[int]]] = defaultdict(list)
    for i in m.empty_col:
        floors[(m.req_day[i], m.req_slot[i])].append(m.skilled.get(m.req_queue[i], set()))
    for team, d, j in m.team_empty:
        floors[(d, j)].append(m.team_members[team])

    def empty(slot: tuple[int, int], present: set[int]) -> list[set[int]]:
        return [who for who in floors.get(slot, []) if not (who & present)]

    repaired = 0
    for slot in sorted(floors):
        for who in empty(slot, agents_at[slot]):
            if who & agents_at[slot]:
                continue  # repaired by an earlier swap
            options = []
            for key in movable:
                a = key[0]
                if a not in who:
                    continue
                old = chosen[key]
                for col in by_week[key]:
                    if col == old or slot not in phone(col):
                        continue
                    lost = phone(old) - phone(col)
                    if any(empty(s, agents_at[s] - {a}) for s in lost if s in floors):
                        continue
                    options.append((-x[col], col, key))
            if not options:
                continue
            _, col, key = min(options)
            a = key[0]
            for s in phone(chosen[key]):
                agents_at[s].discard(a)
            for s in phone(col):
                agents_at[s].add(a)
            chosen[key] = col
            repaired += 1
    return repaired


@dataclass
class _Dive:
    """The state of a dive: the master's LP, the agent-weeks still free and, per agent, the
    attend rows of the meetings kept."""

    m: Master
    h: highspy.Highs
    plans: dict[tuple[int, str], WeekPlan]
    free: set[tuple[int, str]]
    needs: dict[int, set[int]]
    started: float
    time_budget: float

    def elapsed(self) -> float:
        """Seconds since the dive started."""
        return time.perf_counter() - self.started

    def fits(self, col: int, agent: int) -> bool:
        """The pattern lets the agent attend every kept meeting of theirs."""
        return self.needs[agent] <= set(self.m.col_rows[col].tolist())

    def price_free(self, y: np.ndarray) -> int:
        """Add the patterns with negative reduced cost at ``y`` of the free agent-weeks;
        returns how many were added."""
        weeks = [self.plans[k] for k in sorted(self.free)]
        return add_columns(self.h, self.m, _price_open(self.m, y, weeks))


def dive(
    m: Master,
    *,
    time_budget: float,
    leave_free: int = 0,
    progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, set[tuple[int, str]]]:
    """Round the LP to one pattern per agent-week by diving with pricing.

    First every meeting keeps only its best position (it may still be missed) and the patterns
    are re-priced around it; then, repeatedly, the agent-weeks whose best pattern has LP value
    >= 0.99 (or else the quarter closest to integral) are fixed, and the LP is re-solved and
    re-priced for the agent-weeks still free, so that they get patterns that fit what was
    fixed (Joncour et al. 2010, "Column generation based primal heuristics"). Stops when
    ``leave_free`` agent-weeks are left (the integer program decides those). Returns the column
    values of the last LP and the agent-weeks that were fixed.
    """
    started = time.perf_counter()
    h = m.lp if m.lp is not None else to_highs(m)
    x = solve_with_cuts(h, m)
    needs = _keep_best_meetings(h, m, x)
    plans = {(p.agent, p.week): p for p in m.inst.weeks}
    state = _Dive(m, h, plans, set(plans), needs, started, time_budget)
    _settle(state)
    while True:
        x = _reprice_free(state)
        if len(state.free) <= leave_free:
            return x, set(plans) - state.free
        _fix_step(state, x, leave_free)
        if progress is not None:
            progress(
                f"solving: rounding, {len(plans) - len(state.free)} of {len(plans)} agent-weeks "
                "fixed"
            )


def _keep_best_meetings(h: highspy.Highs, m: Master, x: np.ndarray) -> dict[int, set[int]]:
    """Fix every meeting position but the best (largest LP value in ``x``) at 0; returns, per
    agent, the attend rows of the positions kept."""
    positions: dict[int, list[int]] = defaultdict(list)
    for j, kind in enumerate(m.col_kind):
        if kind == "meeting":
            positions[m.col_key[j][0]].append(j)
    needs: dict[int, set[int]] = defaultdict(set)  # agent -> attend rows of kept meetings
    for cols in positions.values():
        keep = max(cols, key=lambda c: x[c])
        for c in cols:
            if c != keep:
                h.changeColBounds(c, 0.0, 0.0)
        mi, i = m.col_key[keep]
        for a in m.inst.meetings[mi].attendees[i]:
            row = m.row_of.get(("attend", mi, i, a))
            if row is not None:
                needs[a].add(row)
    return needs


def _settle(state: _Dive) -> None:
    """Let the patterns settle around the fixed meetings before rounding them: re-solve and
    re-price the free agent-weeks up to 12 times, in at most half the time budget."""
    for _ in range(12):
        solve_with_cuts(state.h, state.m)
        if state.elapsed() > 0.5 * state.time_budget:
            break
        y = project(state.m, np.asarray(state.h.getSolution().row_dual, dtype=float))
        if not state.price_free(y):
            break
    else:
        solve_with_cuts(state.h, state.m)


def _reprice_free(state: _Dive) -> np.ndarray:
    """Re-price the free agent-weeks around what is fixed (twice at most); returns the column
    values of the last LP."""
    for _ in range(2):
        x = solve_with_cuts(state.h, state.m)
        y = project(state.m, np.asarray(state.h.getSolution().row_dual, dtype=float))
        if not state.free or state.elapsed() > state.time_budget:
            break
        if not state.price_free(y):
            break
    else:
        x = solve_with_cuts(state.h, state.m)
    return x


def _fix_step(state: _Dive, x: np.ndarray, leave_free: int) -> None:
    """Fix one round of free agent-weeks at their best pattern in ``x``.

    The sure ones (LP value >= 0.99), else the quarter closest to integral; once the time
    budget is spent, all but ``leave_free``. When the step fixes every agent-week left, the
    floors are repaired first (`_repair_floors`) so that no queue or team is left empty.
    """
    m, h, free = state.m, state.h, state.free
    by_week = _cols_by_week(m)
    best = {}
    for key in free:
        cols = [c for c in by_week[key] if state.fits(c, key[0])] or by_week[key]
        best[key] = max(cols, key=lambda c: x[c])
    sure = [key for key in free if x[best[key]] >= 0.99]
    late = state.elapsed() > state.time_budget
    if not sure or late:
        ranked = sorted(free, key=lambda key: -x[best[key]])
        step = len(free) - leave_free if late else max(1, len(free) // 4)
        sure = ranked[: max(1, step)]
    if late or len(sure) == len(free):
        # the last step rounds many agent-weeks at once: keep someone on every queue and team
        chosen = {  # the agent-weeks fixed before: the pattern fixed at 1
            key: max(by_week[key], key=lambda c: x[c])
            for key in state.plans
            if key not in free and by_week[key]
        }
        chosen.update(best)
        _repair_floors(m, chosen, by_week, x, movable=set(sure))
        best.update({key: chosen[key] for key in sure})
    for key in sure:
        keep = best[key]
        for c in by_week[key]:
            if c != keep:
                h.changeColBounds(c, 0.0, 0.0)
        h.changeColBounds(keep, 1.0, 1.0)
        free.discard(key)


def improve(
    m: Master,
    x: np.ndarray,
    *,
    time_budget: float,
    size: int = 4,
    seed: int = 0,
    bound: float = -np.inf,
    gap: float = 0.0,
    progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Large-neighbourhood search on a rounded plan: free a few agent-weeks, re-price and
    re-round them against the rest, keep the change when the master's value improves.

    Each round frees ``size`` agent-weeks that share a skill (one picked at random, the others
    among its colleagues), prices new patterns for them twice, then fixes them one at a time
    (largest LP value first). Stops after ``time_budget`` seconds, or when the master's value
    is within ``gap`` (relative) of the lower ``bound``. Returns the column values of the last
    LP and the number of improving rounds.
    """
    started = time.perf_counter()
    inst = m.inst
    h = m.lp
    if h is None:
        return x, 0
    rng = np.random.default_rng(seed)
    plans = {(p.agent, p.week): p for p in inst.weeks}
    x = np.pad(x, (0, max(m.n_cols - len(x), 0)))  # columns added after x was read are at 0
    by_week = _cols_by_week(m)
    keys = sorted(k for k, cols in by_week.items() if len(cols) > 0)
    if len(keys) < 2:
        return x, 0
    chosen = {k: max(by_week[k], key=lambda c: x[c]) for k in keys}
    value = float(h.getInfo().objective_function_value)
    better = 0

    def close_enough() -> bool:
        return value - bound <= gap * max(abs(value + m.objective_offset), 1.0)

    while time.perf_counter() - started < time_budget and not close_enough():
        first = keys[int(rng.integers(len(keys)))]
        skills = set(inst.agents[first[0]].skills)
        mates = [k for k in keys if k != first and skills & set(inst.agents[k[0]].skills)]
        picked = [first] + [mates[i] for i in rng.permutation(len(mates))[: size - 1]]
        for k in picked:
            for c in by_week[k]:
                h.changeColBounds(c, 0.0, 1.0)
        for _ in range(2):
            x = solve_with_cuts(h, m)
            y = project(m, np.asarray(h.getSolution().row_dual, dtype=float))
            if not add_columns(h, m, _price_open(m, y, [plans[k] for k in picked])):
                break
        by_week = _cols_by_week(m)
        free = set(picked)
        new: dict[tuple[int, str], int] = {}
        while free:
            x = solve_with_cuts(h, m)
            key = max(free, key=lambda k: max(x[c] for c in by_week[k]))
            col = max(by_week[key], key=lambda c: x[c])
            for c in by_week[key]:
                h.changeColBounds(c, float(c == col), float(c == col))
            new[key] = col
            free.discard(key)
        x = solve_with_cuts(h, m)
        now = float(h.getInfo().objective_function_value)
        if now < value - 1e-6:
            value = now
            chosen.update(new)
            better += 1
        else:  # put the plan back as it was
            for k in picked:
                for c in by_week[k]:
                    h.changeColBounds(c, float(c == chosen[k]), float(c == chosen[k]))
            x = solve_with_cuts(h, m)
        if progress is not None:
            progress(
                f"solving: improving the plan, {better} better neighbourhoods, "
                f"master {value + m.objective_offset:.1f}"
            )
    return x, better
