"""Primal heuristics on the master problem: from the LP to a plan.

This module owns the heuristics `staffing.roster.solve.solve_roster` runs after column
generation (`staffing.roster.master`):

Rounding (`dive`): fix meetings, then agent-weeks whose LP pattern is (nearly) integral,
re-solve and re-price the rest, repeat; the integer program then places the meetings and the
breaks in coverage around the rounded shifts.

Repair (`_repair_floors`): the last rounding step fixes many agent-weeks at once and can leave
a queue with nobody skilled on the phone, or a team with nobody on the phone in its phone hours
(the team floor); patterns are swapped so that fewer queues and teams are empty.

Construction (`greedy`): when the time limit leaves no time to solve the LP of a large centre,
each agent-week in turn takes its best pattern against the value of phone time given the
agents placed before it, and each meeting the position where the phone time its attendees
take is worth least, counting the member who stays on the phone during a team meeting in the
team's phone hours (the start plan keeps one there), or none when missing it is cheaper.

Improvement (`improve`): a large-neighbourhood search on the rounded plan in the time the dive
leaves over: free a few agent-weeks, re-price and re-round them, keep what improves. Which
agent-weeks: those who can fill a floor left empty first, and in half the other rounds a whole
end of the range of early or late shift rates (the unfairness is the weight times that range,
so only freeing all of one end narrows it); one more agent-week every `GROW_EVERY` rounds
without an improvement. Its LPs run on `staffing.roster.compact.CompactLP`, the master's LP
less the pattern columns fixed at 0 (a third of the time a run).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from staffing.roster.balance import FairSwaps
from staffing.roster.compact import CompactLP
from staffing.roster.instance import MeetingOccurrence, WeekPlan
from staffing.roster.master import (
    Master,
    add_columns,
    fair_rates,
    project,
    solve_with_cuts,
    to_highs,
)
from staffing.roster.patterns import Pattern, PriceOptions, price_pattern

__all__ = ["dive", "greedy", "improve", "place_meetings"]

#: `_Greedy.leave_table` keeps the cost of up to this many leavers less one per requirement
#: row: the attendees of a meeting counted on one queue interval are few (at most 8, mostly 1
#: or 2, on the 300- and 2,000-agent centres of benchmarks/roster.py, teams of at most 11);
#: more are computed when asked.
LEAVE_TABLE_WIDTH = 12
#: `improve`: the share of rounds (at random, while no floor is left empty) that free a whole
#: end of the range of early or late shift rates (`_Fairness.extremes`). The 10-s plans of
#: 2026-W48 and W50 differed from the 120-s plans in unfairness only (18 against 12 and 14
#: against 10 answered calls' worth); three runs each at 10 s (answered calls lost): none
#: 71.4 x3 and 70.3 x3, 0.3: 73.6 x3 and 68.3-74.3, 0.5: 65.4-67.4 and 62.3-68.3, 0.8: 71.7 x3
#: and 62.4 x3. Freeing one agent at each end (not the whole end) gave 78.5 x3 and 68.3-70.3,
#: freeing both ends whole 72.1-74.1 and 68.3-68.4.
FAIRNESS_SHARE = 0.5
#: `improve`: a search that has gone this many rounds without an improvement frees one more
#: agent-week a round (up to `GROW_MAX`; back to ``size`` when a round improves). With the
#: cheaper LPs of `staffing.roster.compact` a 10-s search runs 60-200 rounds (it ran 20-60),
#: and without growing it stalled in one plan whatever its seed (2026-W48 67.6 in four seeds
#: out of four). Five weeks at 10 s (answered calls lost; W48, W49, W50, W52, sample week):
#: size 4 67.6, 70.2, 70.6, 54.1, 144.0 without growing, 67.6, 69.1, 68.3, 54.1, 143.7
#: growing every 10 rounds; size 3 growing 65.4, 68.9, 67.3, 47.9, 147.2 (seeds 0-2 alike
#: but W50 76.1 once); size 6 growing 71.4, 68.8, 78.7, 47.9, 146.7.
GROW_EVERY = 10
GROW_MAX = 12
#: `improve` tries the fairness swaps (`staffing.roster.balance`) once this many rounds in a
#: row found no improvement, once per improvement of the plan. At once (0): four seeds each at
#: 10 s on five weeks, answered calls lost summed over the weeks (mean of the two pairs of
#: searches side by side; swaps kept when they keep the value): after 4 rounds 380.1, after 8
#: 382.0, at once 373.4; without the swaps 391.2 (docs/notes/roster.md).
BALANCE_AFTER = 0


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
    attend rows of the meetings kept; the pattern fixed for each agent-week so far and the
    column values of the last LP solved to optimality."""

    m: Master
    h: highspy.Highs
    plans: dict[tuple[int, str], WeekPlan]
    free: set[tuple[int, str]]
    needs: dict[int, set[int]]
    started: float
    time_budget: float
    fixed_col: dict[tuple[int, str], int] = field(default_factory=dict)
    good_x: np.ndarray | None = None
    #: the first LP was not solved in its share of the budget: the LP is too slow to dive,
    #: the plan is rounded in one step from column generation's last LP (`_first_solve`)
    rush: bool = False

    @property
    def deadline(self) -> float:
        """When the dive's time is up (`time.perf_counter`)."""
        return self.started + self.time_budget

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

    def solve(self, deadline: float | None = None) -> np.ndarray:
        """Solve the LP with its violated rows in the time the dive has left (until
        ``deadline`` when given); the column values (those of the last optimal solve when this
        one was cut short)."""
        x = solve_with_cuts(
            self.h, self.m, deadline=self.deadline if deadline is None else deadline
        )
        if _optimal(self.h) or self.good_x is None:
            self.good_x = x
            return x
        return np.pad(self.good_x, (0, max(self.m.n_cols - len(self.good_x), 0)))

    def first_solve(self) -> np.ndarray:
        """The first LP (column generation's, grown by its last columns and rows), in at most
        `FIRST_LP_SHARE` of the budget. Cut short, it says that every LP of the dive would be
        (each re-solve after a rounding step is about as hard: a 300-agent centre's took 20-28
        s against a budget of 14-20 s at 60 s, and the dive rounded its last simplex iterate,
        not a solution); then the values of column generation's last optimal LP are rounded in
        one step (`rush`) and the time left goes to the neighbourhood search. Not even tried
        when column generation's last LP took longer than that share (the LP only grew since).
        """
        share = FIRST_LP_SHARE * self.time_budget
        cg_x = self.m.lp_x
        if cg_x is None or self.m.lp_seconds <= share:
            x = self.solve(self.started + share)
            if _optimal(self.h) or cg_x is None:
                return x
        self.rush = True
        self.good_x = np.pad(cg_x, (0, max(self.m.n_cols - len(cg_x), 0)))
        return self.good_x


#: the share of the dive's budget its first LP may take before the dive rounds in one step:
#: a dive solves 20-50 LPs (settling, then two or three a step), so an LP slower than a tenth
#: of the budget leaves the dive unfinished, and it then rounds its last LP in one step, which
#: did worse than rounding column generation's LP at once and searching: 2026-W49 at 10 s
#: (first LP 0.8-0.9 s of a 2.7-s budget) 85.0, 103.3 and 74.5 answered calls lost with 0.3,
#: 72.7 in three runs of three with 0.1 (the 120-s plan: 75.0); weeks whose LP is quick
#: (2026-W48, W50, W52: 0.1-0.3 s) dive as before (docs/notes/roster.md)
FIRST_LP_SHARE = 0.1


def _optimal(h: highspy.Highs) -> bool:
    """Whether the LP's last solve reached optimality (not cut short by its time limit)."""
    return h.getModelStatus() == highspy.HighsModelStatus.kOptimal


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

    Every LP gets what is left of ``time_budget`` (HiGHS's time limit); once it is spent, the
    agent-weeks still free are fixed in one step at their best pattern in the last LP solved
    (floors repaired) and the values returned are those of that LP with the patterns fixed.
    When the first LP is not solved in `FIRST_LP_SHARE` of the budget (a large centre), the
    values of column generation's last optimal LP are rounded so in one step at once.
    """
    started = time.perf_counter()
    h = m.lp if m.lp is not None else to_highs(m)
    state = _Dive(m, h, {}, set(), defaultdict(set), started, time_budget)
    x = state.first_solve()
    state.needs = _keep_best_meetings(h, m, x)
    plans = {(p.agent, p.week): p for p in m.inst.weeks}
    state.plans, state.free = plans, set(plans)
    if not state.rush:
        _settle(state)
    while True:
        if not state.rush:
            x = _reprice_free(state)
        if len(state.free) <= leave_free:
            return _with_fixed(state, x), set(plans) - state.free
        _fix_step(state, x, leave_free)
        if progress is not None:
            progress(
                f"solving: rounding, {len(plans) - len(state.free)} of {len(plans)} agent-weeks "
                "fixed"
            )


def _with_fixed(state: _Dive, x: np.ndarray) -> np.ndarray:
    """``x`` with every fixed agent-week's patterns at exactly their fixed values (1 for the
    pattern kept, 0 for the others), whatever the last LP gave."""
    x = np.pad(np.asarray(x, dtype=float), (0, max(state.m.n_cols - len(x), 0)))
    by_week = _cols_by_week(state.m)
    for key, col in state.fixed_col.items():
        x[by_week[key]] = 0.0
        x[col] = 1.0
    return x


def _meeting_positions(m: Master) -> dict[int, list[int]]:
    """Per meeting (its index in ``m.inst.meetings``), the columns of its positions."""
    positions: dict[int, list[int]] = defaultdict(list)
    for j, kind in enumerate(m.col_kind):
        if kind == "meeting":
            positions[m.col_key[j][0]].append(j)
    return positions


def _keep_best_meetings(h: highspy.Highs, m: Master, x: np.ndarray) -> dict[int, set[int]]:
    """Fix every meeting position but the best (largest LP value in ``x``) at 0; returns, per
    agent, the attend rows of the positions kept."""
    needs: dict[int, set[int]] = defaultdict(set)  # agent -> attend rows of kept meetings
    for cols in _meeting_positions(m).values():
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
        state.solve()
        if state.elapsed() > 0.5 * state.time_budget:
            break
        y = project(state.m, np.asarray(state.h.getSolution().row_dual, dtype=float))
        if not state.price_free(y):
            break
    else:
        state.solve()


def _reprice_free(state: _Dive) -> np.ndarray:
    """Re-price the free agent-weeks around what is fixed (twice at most); returns the column
    values of the last LP."""
    for _ in range(2):
        x = state.solve()
        y = project(state.m, np.asarray(state.h.getSolution().row_dual, dtype=float))
        if not state.free or state.elapsed() > state.time_budget:
            break
        if not state.price_free(y):
            break
    else:
        x = state.solve()
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
    late = state.rush or state.elapsed() > state.time_budget
    if not sure or late:
        ranked = sorted(free, key=lambda key: -x[best[key]])
        step = len(free) - leave_free if late else max(1, len(free) // 4)
        sure = ranked[: max(1, step)]
    if late or len(sure) == len(free):
        # the last step rounds many agent-weeks at once: keep someone on every queue and team
        chosen = {  # the agent-weeks fixed before: the pattern fixed at 1
            key: state.fixed_col.get(key) or max(by_week[key], key=lambda c: x[c])
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
        state.fixed_col[key] = keep
        free.discard(key)


def _floor_agents(m: Master, x: np.ndarray) -> set[int]:
    """The agents who could fill a floor the plan ``x`` leaves empty: the skilled agents of a
    queue with nobody on the phone inside its window, the members of a team with nobody on
    the phone in its phone hours (the floors' slack columns at 1)."""
    out: set[int] = set()
    for i, col in m.empty_col.items():
        if col < len(x) and x[col] > 0.5:
            out |= m.skilled.get(m.req_queue[i], set())
    for (team, _d, _j), col in m.team_empty.items():
        if col < len(x) and x[col] > 0.5:
            out |= m.team_members.get(team, set())
    return out


def improve(
    m: Master,
    x: np.ndarray,
    *,
    time_budget: float,
    size: int = 4,
    seed: int = 0,
    bound: float = -np.inf,
    gap: float = 0.0,
    patience: int | None = None,
    movable: set[tuple[int, str]] | None = None,
    move_meetings: bool = False,
    progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Large-neighbourhood search on a rounded plan: free a few agent-weeks, re-price and
    re-round them against the rest, keep the change when the master's value improves.

    Each round frees ``size`` agent-weeks (one more for every `GROW_EVERY` rounds in a row
    without an improvement, up to `GROW_MAX`) that share a skill (one picked at random, the others
    among its colleagues; while a queue or team floor is left empty, the first is one who can
    fill it: `_floor_agents`; otherwise, in a `FAIRNESS_SHARE` of the rounds, the agents at
    one end of the range of early or late shift rates and one at the other:
    `_Fairness.extremes`), prices new patterns for them twice, then fixes them
    (`_round_free`: those integral in the LP in one step, a fractional one at a time, largest
    LP value first). A round takes 3-4 LP solves (it took 8: one per agent-week fixed, and one
    to put a rejected round back, which is solved now only at the end: the next round solves
    from there).
    Stops after ``time_budget`` seconds, when the master's value is within ``gap``
    (relative) of the lower ``bound``, or after ``patience`` rounds in a row without an
    improvement (None: no such limit). ``movable``: the agent-weeks that may be freed (None:
    all; a re-optimization around locks frees only the agent-weeks that can change).
    ``move_meetings``: at the start and after every improvement the meetings that keep one
    position (the dive's rounding, `_keep_best_meetings`) are moved to where the LP with the
    plan's patterns puts them, when that lowers the master's value (`_Meetings.move`): the
    rounding chose them from the fractional LP, before the patterns around them were fixed.
    At the start and after every improvement (`BALANCE_AFTER` rounds without one), the
    fairness swaps (`staffing.roster.balance.FairSwaps`): a neighbourhood seldom frees every
    agent at one end of the range of early or late shifts, and only that lowers the value.
    Returns the column values of the plan's last LP solved (the patterns chosen at 1) and the
    number of improving rounds (meeting moves included). The LPs run on `CompactLP` (the
    pattern columns fixed at 0 left out); the master's LP is brought up to date at the end (the
    columns and rows added, the plan's bounds, the meetings' positions), not solved.
    """
    started = time.perf_counter()
    deadline = started + time_budget
    inst = m.inst
    h_full = m.lp
    if h_full is None:
        return x, 0
    rng = np.random.default_rng(seed)
    plans = {(p.agent, p.week): p for p in inst.weeks}
    x = np.pad(x, (0, max(m.n_cols - len(x), 0)))  # columns added after x was read are at 0
    by_week = _cols_by_week(m)
    keys = sorted(k for k, cols in by_week.items() if len(cols) > 0)
    free_keys = keys if movable is None else [k for k in keys if k in movable]
    if len(keys) < 2 or not free_keys:
        return x, 0
    chosen = {k: max(by_week[k], key=lambda c: x[c]) for k in keys}
    fair = _Fairness(m, free_keys)

    if not _optimal(h_full):  # the plan's LP was cut short (a busy machine): measure it first
        x = solve_with_cuts(h_full, m, deadline=deadline)
        if not _optimal(h_full):
            return x, 0
    value = float(h_full.getInfo().objective_function_value)
    # the LP without the patterns fixed at 0: each run costs time in proportion to the matrix
    lp = CompactLP(m, h_full)

    def solve() -> np.ndarray:
        return lp.solve(deadline=deadline)

    better = 0
    idle = 0  # rounds in a row without an improvement
    good_x = x
    stale = False  # the LP's last solve was a rejected neighbourhood's
    meetings = _Meetings.of(m, h_full) if move_meetings else None
    swaps = FairSwaps(m, free_keys, rng)

    def close_enough() -> bool:
        return value - bound <= gap * max(abs(value + m.objective_offset), 1.0)

    while time.perf_counter() < deadline and not close_enough():
        if patience is not None and idle >= patience:
            break
        if meetings is not None and meetings.tried_at != better:
            # the plan changed (or the search starts): its meetings where its LP with the
            # patterns as they are puts them
            meetings.tried_at = better
            moved = meetings.move(lp, solve, value)
            if moved is not None:
                value, better, idle, stale = moved, better + 1, 0, False
                good_x = x = lp.values()
                meetings.tried_at = better
                continue
            stale = True
        if swaps.on and idle >= BALANCE_AFTER and swaps.due(better):
            # the fairness swaps, which no neighbourhood makes (balance.py)
            value, kept, swap_stale = swaps.run(lp, solve, chosen, value, by_week, deadline)
            if kept:
                better += 1
                idle = 0
                if not swap_stale:
                    good_x = x = lp.values()
                stale = swap_stale
            else:
                stale = stale or swap_stale
            swaps.tried(better, kept)
            continue
        # a floor left empty (200 answered calls an interval) first: free someone who can fill it
        hot = _floor_agents(m, x)
        pool = [k for k in free_keys if k[0] in hot] if idle < 4 * size else []
        # no floor to fill: every other round (at random) frees the agents at the highest rate
        # of early or late shifts or those at the lowest (the fewer), and one at the other
        # end: the range the unfairness costs narrows only when all of one end move
        # a search that stalls widens its neighbourhoods (back to ``size`` when one improves)
        width = min(size + idle // GROW_EVERY, max(GROW_MAX, size))
        ends = fair.extremes(chosen, width, rng) if not pool and fair.on else None
        pool = pool or free_keys
        if ends is not None and rng.random() < FAIRNESS_SHARE:
            first, others = ends[0], ends[1:]
        else:
            first, others = pool[int(rng.integers(len(pool)))], []
        skills = set(inst.agents[first[0]].skills)
        mates = [
            k
            for k in free_keys
            if k != first and k not in others and skills & set(inst.agents[k[0]].skills)
        ]
        picked = [first, *others]
        picked += [mates[i] for i in rng.permutation(len(mates))[: max(width - len(picked), 0)]]
        for k in picked:
            lp.set_bounds(by_week[k], 0.0, 1.0)
        x = solve()
        for _ in range(2):
            y = project(m, lp.row_dual())
            if not lp.add_patterns(_price_open(m, y, [plans[k] for k in picked])):
                break
            x = solve()
        by_week = _cols_by_week(m)
        new = _round_free(lp, by_week, set(picked), x, solve)
        now = lp.objective()
        if now < value - 1e-6 and lp.optimal():  # a value cut short by the time limit is no
            value = now  # measure of the plan
            chosen.update(new)
            better += 1
            idle = 0
            good_x = x = lp.values()
            stale = False
        else:  # put the plan back as it was; its values are those of its last LP (the next
            idle += 1  # round solves from there)
            for k in picked:
                lp.fix(by_week[k], chosen[k])
            x = np.pad(good_x, (0, max(m.n_cols - len(good_x), 0)))
            stale = True
        lp.prune(set(chosen.values()))
        if progress is not None:
            progress(
                f"solving: improving the plan, {better} better neighbourhoods, "
                f"master {value + m.objective_offset:.1f}"
            )
    if stale:  # the LP left as the plan's, solved (in what is left of the time)
        x = solve()
        if lp.optimal():
            good_x = x
    # the values of the plan's last LP solved (cut short by the time limit, the last LP is no
    # measure of it), with the plan's patterns as they are
    x = np.pad(good_x, (0, max(m.n_cols - len(good_x), 0)))
    for k in keys:
        x[by_week[k]] = 0.0
        x[chosen[k]] = 1.0
    lp.sync(h_full, chosen)  # the master's own LP: the columns and rows added, the plan's bounds
    if meetings is not None:
        meetings.apply(h_full)
    return x, better


@dataclass
class _Meetings:
    """The meetings' positions during `improve`: per meeting its position columns and the one
    the plan keeps (the others fixed at 0), for the meetings with one position kept."""

    m: Master
    positions: dict[int, list[int]]
    kept: dict[int, int]
    tried_at: int = -1  # the count of improvements when a move was last tried

    @staticmethod
    def of(m: Master, h: highspy.Highs) -> _Meetings:
        """The meetings of the LP ``h`` that keep one position (`_keep_best_meetings`)."""
        upper = np.asarray(h.getLp().col_upper_, dtype=float)
        positions = _meeting_positions(m)
        kept = {}
        for mi, cols in positions.items():
            open_ = [c for c in cols if upper[c] > 0.5]
            if len(open_) == 1 and len(cols) > 1:
                kept[mi] = open_[0]
        return _Meetings(m, {mi: positions[mi] for mi in kept}, kept)

    def _bound(self, lp: CompactLP, kept: dict[int, int]) -> None:
        """Every position of the meetings at 0 but the one kept (its own bounds)."""
        m = self.m
        for mi, cols in self.positions.items():
            lp.set_bounds([c for c in cols if c != kept[mi]], 0.0, 0.0)
            lp.set_bounds([kept[mi]], m.col_lo[kept[mi]], m.col_hi[kept[mi]])

    def move(self, lp: CompactLP, solve: Callable[[], np.ndarray], value: float) -> float | None:
        """Free every meeting's positions, solve, keep each meeting's best position and solve
        again: the new value when it is lower than ``value`` (the LP left there), else None
        (the positions put back; the LP not solved)."""
        if not self.positions:
            return None
        m = self.m
        for cols in self.positions.values():
            for c in cols:
                lp.set_bounds([c], m.col_lo[c], m.col_hi[c])
        x = solve()
        best = {mi: max(cols, key=lambda c: x[c]) for mi, cols in self.positions.items()}
        if best == self.kept:
            self._bound(lp, self.kept)
            return None
        self._bound(lp, best)
        solve()
        now = lp.objective()
        if lp.optimal() and now < value - 1e-6:
            self.kept = best
            return now
        self._bound(lp, self.kept)
        return None

    def apply(self, h: highspy.Highs) -> None:
        """Bound the positions in the master's LP ``h`` as kept."""
        m = self.m
        for mi, cols in self.positions.items():
            for c in cols:
                on = c == self.kept[mi]
                h.changeColBounds(c, m.col_lo[c] if on else 0.0, m.col_hi[c] if on else 0.0)


class _Fairness:
    """The fairness rows' view of a plan for `improve` (`staffing.roster.master.fair_rates`:
    the objective's ``unfairness`` is the weight times the highest rate of early or late
    shifts less the lowest)."""

    def __init__(self, m: Master, free_keys: list[tuple[int, str]]) -> None:
        self.m = m
        self.on = m.inst.rules.weight_unfair > 0 and bool(m.fair_agents)
        self.weeks: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for k in free_keys:
            self.weeks[k[0]].append(k)

    def extremes(
        self, chosen: dict[tuple[int, str], int], size: int, rng: np.random.Generator
    ) -> list[tuple[int, str]] | None:
        """Free agent-weeks that can narrow the range of early (or late) shift rates in the
        plan ``chosen`` (pattern column per agent-week), a kind whose range is not zero picked
        at random: every agent at the end with fewer agents (the highest rate or the lowest;
        up to ``size`` - 1 of them, at random) and one at the other end. None when the rates
        are equal or those agents cannot be freed."""
        m = self.m
        plan = (m.pattern_at(col) for col in chosen.values())
        pairs = []
        for rates in fair_rates(m, plan).values():
            top, bottom = max(rates.values()), min(rates.values())
            if top - bottom < 1e-9:
                continue
            high = [a for a, v in rates.items() if v >= top - 1e-9]
            low = [a for a, v in rates.items() if v <= bottom + 1e-9]
            few, many = (high, low) if len(high) <= len(low) else (low, high)
            few = [a for a in few if self.weeks.get(a)]
            many = [a for a in many if self.weeks.get(a)]
            if few and many:
                pairs.append((few, many))
        if not pairs:
            return None
        few, many = pairs[int(rng.integers(len(pairs)))]
        ends = [few[i] for i in rng.permutation(len(few))[: max(size - 1, 1)]]
        ends.append(many[int(rng.integers(len(many)))])
        return [self.weeks[a][0] for a in ends]


def _round_free(
    lp: CompactLP,
    by_week: dict[tuple[int, str], list[int]],
    free: set[tuple[int, str]],
    x: np.ndarray,
    solve: Callable[[], np.ndarray],
) -> dict[tuple[int, str], int]:
    """Fix the ``free`` agent-weeks of the LP ``lp`` (solved: column values ``x``) at one
    pattern each and solve it again; returns the pattern column fixed for each.

    Every free agent-week whose best pattern is integral (value >= 0.99) is fixed at it in one
    step (the LP with them fixed has the same solution, so no solve in between); while some
    are fractional, the one closest to integral is fixed and the LP re-solved. The LP is
    solved after the last step: its value is the plan's."""
    new: dict[tuple[int, str], int] = {}
    while free:
        best = {k: max(by_week[k], key=lambda c: x[c]) for k in free}
        step = [k for k in free if x[best[k]] >= 0.99]
        if not step:
            step = [max(sorted(free), key=lambda k: x[best[k]])]
        for key in step:
            col = best[key]
            lp.fix(by_week[key], col)
            new[key] = col
            free.discard(key)
        x = solve()
    return new


def greedy(
    m: Master,
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, set[tuple[int, str]]]:
    """A plan without the LP: one pattern per agent-week, chosen in turn, and the meetings.

    Each agent-week (the agents with fewest skills first) is priced (`price_pattern`) at the
    value of one more agent on the phone per interval: the slope of the queue's shortfall
    cost at its coverage so far (the best queue of the agent's skills), plus the floors'
    weights where the queue has nobody skilled on the phone or the agent's team nobody on the
    phone in its phone hours; its phone time then counts for the queue it is worth most to.
    Each meeting takes the position whose phone time is worth least, with the member who
    stays on the phone during a team meeting in the team's phone hours
    (`_Greedy.place_meetings`), or is missed when that is cheaper. Linear in the agents (one
    pricing each). Returns the column values (patterns, meetings and the members who stay,
    at 0/1) and every agent-week as fixed.
    """
    state = _Greedy(m)
    weeks = sorted(m.inst.weeks, key=lambda p: (len(m.inst.agents[p.agent].skills), p.agent))
    for n, plan in enumerate(weeks):
        state.place(plan)
        if progress is not None and n % 500 == 499:
            progress(f"solving: constructing a plan, {n + 1} of {len(weeks)} agent-weeks")
    state.place_meetings()
    return state.x, {(p.agent, p.week) for p in weeks}


def place_meetings(m: Master, x: np.ndarray) -> np.ndarray:
    """The plan in ``x`` (each agent-week's largest pattern) with its meetings placed as
    `greedy` places them: for a rounded plan that the integer program had no time for (the
    LP's meeting values, often below one half, would leave them out)."""
    state = _Greedy(m)
    x = np.pad(np.asarray(x, dtype=float), (0, max(m.n_cols - len(x), 0)))
    for key, cols in state.by_week.items():
        if cols:
            state.count(key, max(cols, key=lambda c: x[c]))
    state.place_meetings()
    return state.x


class _Greedy:
    """The state of `greedy`: coverage so far per requirement row and the value of one more
    agent on it, who is on the phone, and the patterns chosen."""

    def __init__(self, m: Master) -> None:
        self.m = m
        inst = m.inst
        rules = inst.rules
        req = inst.requirement
        n = len(req)
        self.required = m.required.astype(float)
        self.staffed = np.zeros(n)
        self.skilled_on = np.zeros(n)
        # the shortfall cost's segments per row: from ``breaks_lower`` to ``breaks``
        segments = np.stack(req["breaks"].to_list()) if n else np.zeros((0, 1))
        self.breaks = segments[:, 1:]
        self.breaks_lower = segments[:, :-1]
        self.slopes = np.stack(req["slopes"].to_list()) if n else np.zeros((0, 1))
        self.in_window = req["in_window"].to_numpy(dtype=bool)
        queue_no = {q: k for k, q in enumerate(inst.queues)}
        self.queue = np.asarray([queue_no[q] for q in m.req_queue] + [-1], dtype=np.int64)
        # per day: the requirement rows of each slot, padded with n (a row worth nothing)
        self.rows: dict[int, np.ndarray] = {}
        at: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (d, j) in enumerate(zip(m.req_day, m.req_slot)):
            at[(d, j)].append(i)
        width = max((len(v) for v in at.values()), default=1)
        for day in inst.days:
            grid = np.full((day.n_slots, width), n, dtype=np.int64)
            for j in range(day.n_slots):
                rows = at.get((day.index, j), [])
                grid[j, : len(rows)] = rows
            self.rows[day.index] = grid
        self.value = np.zeros(n + 1)
        self.value[n] = -np.inf
        self.w_over = rules.weight_over
        self.w_empty = rules.weight_empty_queue
        self.w_team = rules.weight_team_floor
        self._revalue(np.arange(n))
        teams = sorted(inst.teams)
        self.team_of = {a: t for t, team in enumerate(teams) for a in inst.teams[team]}
        self.team_on = {day.index: np.zeros((day.n_slots, len(teams))) for day in inst.days}
        self.team_hours = {day.index: np.zeros(day.n_slots, dtype=bool) for day in inst.days}
        for d, slots in inst.team_slots.items():
            self.team_hours[d][[j for j in slots if j < len(self.team_hours[d])]] = True
        self.skills = [
            np.asarray([q in set(a.skills) for q in inst.queues] + [False]) for a in inst.agents
        ]
        self.kw: PriceOptions = {
            "max_days": rules.max_days_per_week,
            "step": rules.interval_minutes,
            "weight_hours": rules.weight_hours_deviation,
        }
        self.by_week = _cols_by_week(m)
        self.chosen: dict[tuple[int, str], int] = {}
        #: (agent, day) -> per slot the requirement row the agent's phone time counts for
        #: (the row count ``n``: none)
        self.assigned: dict[tuple[int, int], np.ndarray] = {}
        #: (agent, day, slot) taken off the phone by a meeting placed
        self.in_meeting: set[tuple[int, int, int]] = set()
        #: a chosen pattern column -> its rows (whether it frees the agent for a meeting)
        self.pattern_rows: dict[int, set[int]] = {}
        #: (kind of agent, day, slots) -> the requirement rows of the kind's skills there
        self.skilled_at: dict[tuple[int, int, tuple[int, ...]], list[int]] = {}
        #: per requirement row, the cost of 0, 1, ... of the agents counted on it going off
        #: the phone (`_leave_costs` at its coverage); made when meetings are placed
        self.leave_table: list[list[float]] | None = None
        self.x = np.zeros(0)

    def _revalue(self, rows: np.ndarray) -> None:
        """The value of one more agent on the requirement ``rows``: the slope of the shortfall
        cost at their coverage, plus the floor's weight where nobody skilled is on."""
        short = self.required[rows] - self.staffed[rows]
        k = (self.breaks[rows] < short[:, None] - 1e-9).sum(axis=1)
        k = np.minimum(k, self.slopes.shape[1] - 1)
        value = np.where(short > 1e-9, self.slopes[rows, k], 0.0)
        value += self.w_empty * (self.in_window[rows] & (self.skilled_on[rows] < 0.5))
        self.value[rows] = value

    def _slot_values(self, a: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per slot of day ``d``: the value of agent ``a`` on the phone, the row it would
        count for (the row count ``n`` for none) and which rows it is skilled for."""
        grid = self.rows[d]
        skilled = self.skills[a][self.queue[grid]]
        values = np.where(skilled, self.value[grid], -np.inf)
        best = values.argmax(axis=1)
        slots = np.arange(len(grid))
        row = np.where(skilled[slots, best], grid[slots, best], len(self.value) - 1)
        value = np.maximum(values[slots, best], 0.0)
        team = self.team_of.get(a)
        if team is not None:
            value = value + self.w_team * (self.team_hours[d] & (self.team_on[d][:, team] < 0.5))
        return value, row, skilled

    def place(self, plan: WeekPlan) -> None:
        """Give the agent-week its best pattern at the current values and count it."""
        m = self.m
        a = plan.agent
        costs: list[np.ndarray | None] = []
        options = m.week_options(plan)
        found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for d, opts in zip(plan.days, options):
            if opts is None:
                costs.append(None)
                continue
            value, row, skilled = self._slot_values(a, d)
            found[d] = (row, skilled)
            costs.append(opts.wish + opts.phone @ (self.w_over - value))
        pattern, _ = price_pattern(plan, options, costs, **self.kw)
        key = (plan.agent, plan.week)
        if pattern is None:
            # no day to work (away all week): the week's column in the master, if any, is
            # its plan (its pick row asks for one; without it the LP with the greedy plan
            # fixed was infeasible: 18 of the 300-agent centre's agent-weeks)
            if self.by_week.get(key):
                self.count(key, self.by_week[key][0])
            return
        col = m.add_pattern(pattern)
        if col is None:  # already a column
            col = next(
                c
                for c in self.by_week.get(key, [])
                if m.patterns[m.col_key[c][0]].choice == pattern.choice
            )
        else:
            self.by_week.setdefault(key, []).append(col)
        self.count(key, col, found)

    def count(
        self,
        key: tuple[int, str],
        col: int,
        found: dict[int, tuple[np.ndarray, np.ndarray]] | None = None,
    ) -> None:
        """Make pattern column ``col`` the agent-week ``key``'s, and count its phone time.

        ``found``: per day the rows and skills `_slot_values` gave for this agent just before.
        Counting a day changes the values of no other day's rows (each row is one day's), so
        the days' rows are counted and revalued together at the end."""
        m = self.m
        a = key[0]
        pattern = m.patterns[m.col_key[col][0]]
        self.chosen[key] = col
        n = len(self.value) - 1
        team = self.team_of.get(a)
        staffed: list[np.ndarray] = []
        near: list[np.ndarray] = []
        for d, o in pattern.choice:
            on = np.flatnonzero(m.options[(a, d)].phone[o])
            if found is not None and d in found:
                row, skilled = found[d]
            else:
                _value, row, skilled = self._slot_values(a, d)
            rows = row[on]
            counted = rows < n
            staffed.append(rows[counted])
            assigned = self.assigned.get((a, d))
            if assigned is None:
                assigned = self.assigned[(a, d)] = np.full(len(row), n, dtype=np.int64)
            assigned[on[counted]] = rows[counted]
            near.append(self.rows[d][on][skilled[on]])
            if team is not None:
                self.team_on[d][on, team] += 1.0
        if near:
            np.add.at(self.staffed, np.concatenate(staffed), 1.0)
            rows = np.concatenate(near)
            np.add.at(self.skilled_on, rows, 1.0)
            self._revalue(np.unique(rows))

    # ------------------------------------------------------------------ meetings
    def place_meetings(self) -> None:
        """Each meeting at its cheapest position, or missed where every position costs more
        than missing it (``weight_missed_meeting``); the column values in ``self.x``.

        A position is priced as the start plan (`staffing.roster.solve._start_values`) will
        hold it (`_price_position`): who goes off the phone and, during a team meeting in the
        team's phone hours, which member stays on it. The start plan keeps one member there
        (`staffing.roster.solve._stay_for_team_floor`, the member whose ``stay`` column has the
        largest value): the greedy picks the member whose staying saves most and sets their
        ``stay`` column, so that the start plan keeps that one. Meetings are placed one after
        the other, each against the coverage the ones before left.
        """
        m = self.m
        x = np.zeros(m.n_cols)
        for col in self.chosen.values():
            x[col] = 1.0
        columns = _MeetingColumns.of(m)
        changed: list[int] = []  # rows whose coverage changed (revalued at the end)
        for mi, cols in sorted(columns.positions.items()):
            best = self._best_position(mi, cols, columns)
            if best is None:
                continue
            x[best.col] = 1.0
            if best.stay_col is not None:
                x[best.stay_col] = 1.0
            taken = self._take_off_phone(best)
            self._refresh_leave_table(np.unique(np.asarray(taken, dtype=np.int64)))
            changed.extend(taken)
        if changed:
            self._revalue(np.unique(np.asarray(changed, dtype=np.int64)))
        self.x = x

    def _best_position(
        self, mi: int, cols: list[int], columns: _MeetingColumns
    ) -> _PositionPrice | None:
        """The cheapest position of meeting ``mi`` (its ``v`` columns ``cols``) when it costs
        less than missing the meeting, else None; the position a lock holds whatever it costs
        (the start plan keeps it there)."""
        pinned = [c for c in cols if columns.held.get(c, 0.0) > 0.5]
        if pinned:
            price = self._price_position(mi, pinned[0], columns)
            return price or _PositionPrice(pinned[0], math.inf, -1, (), None)
        best: _PositionPrice | None = None
        cost = self.m.inst.rules.weight_missed_meeting  # placed only where cheaper
        for c in cols:
            if self.m.col_hi[c] < 0.5:
                continue  # a position the bounds rule out
            price = self._price_position(mi, c, columns)
            if price is not None and price.cost < cost:
                best, cost = price, price.cost
        return best

    def _price_position(self, mi: int, c: int, columns: _MeetingColumns) -> _PositionPrice | None:
        """What placing meeting ``mi`` at its position column ``c`` costs, as the start plan
        will hold it; None where an attendee can neither attend nor stay on the phone.

        The objective's terms: the absent members' share of the missed meeting's weight
        (``weight_missed_meeting / 4`` per member on holiday, over the team's size, as the
        master prices the position), ``weight_skipped_meeting`` for each member who stays
        because their shift does not free them then (or a lock keeps them on the phone), and
        what the phone loses when the others attend (`_leaving_loss`). During a team meeting
        in the team's phone hours (`_keeps_one_on_phone`) one attending member stays instead:
        the one whose staying saves most, for ``weight_skipped_meeting`` more.
        """
        m = self.m
        rules = m.inst.rules
        occ = m.inst.meetings[mi]
        i = m.col_key[c][1]
        d, p = occ.positions[i]
        cost = 0.25 * rules.weight_missed_meeting * occ.absent[i] / max(len(occ.members), 1)
        leaving: list[_Attendee] = []
        for a in occ.attendees[i]:
            stay_col = columns.stays.get((mi, i, a))
            held = None if stay_col is None else columns.held.get(stay_col)
            free = self._is_free(a, occ.week, m.row_of.get(("attend", mi, i, a)))
            if held is not None and held > 0.5:
                cost += rules.weight_skipped_meeting  # a lock keeps them on the phone
            elif free or held is not None:  # on shift then, or a lock makes them attend
                may_stay = stay_col if free and held is None else None
                leaving.append(self._attendee(a, occ.week, d, range(p, p + occ.length), may_stay))
            elif stay_col is not None:
                cost += rules.weight_skipped_meeting  # not on shift then: stays
            else:
                return None
        loss, savings = self._leaving_loss(d, leaving)
        cost += loss
        stay_col = None
        if savings and self._keeps_one_on_phone(occ, i):
            saving, stay_col = max(savings, key=lambda found: found[0])
            cost += rules.weight_skipped_meeting - saving
            leaving = [t for t in leaving if t.stay_col != stay_col]
        return _PositionPrice(c, cost, d, tuple(leaving), stay_col)

    def _is_free(self, a: int, week: str, attend_row: int | None) -> bool:
        """Whether agent ``a``'s chosen pattern of ``week`` frees them for the meeting
        position of ``attend_row`` (on the phone throughout it: the pattern has the row)."""
        mine = self.chosen.get((a, week))
        if attend_row is None or mine is None:
            return False
        rows = self.pattern_rows.get(mine)
        if rows is None:
            rows = self.pattern_rows[mine] = set(self.m.col_rows[mine].tolist())
        return attend_row in rows

    def _attendee(self, a: int, week: str, d: int, slots: range, stay_col: int | None) -> _Attendee:
        """Attendee ``a`` of a meeting at ``slots`` of day ``d``: the slots they are on the
        phone then (of their chosen pattern, less meetings placed before), the row their
        phone time counts for at each and the rows of their skills there."""
        n = len(self.value) - 1
        on = [j for j in self._phone_slots(a, week, d, slots) if (a, d, j) not in self.in_meeting]
        assigned = self.assigned.get((a, d))
        counted = [n if assigned is None else int(assigned[j]) for j in on]
        return _Attendee(
            a, on, counted, self._skilled_rows(a, d, on), self.team_of.get(a), stay_col
        )

    def _skilled_rows(self, a: int, d: int, slots: list[int]) -> list[int]:
        """The requirement rows at ``slots`` of day ``d`` of agent ``a``'s skills; agents of
        one kind (the same skills) share them (kept: many meetings ask for the same slots)."""
        key = (int(self.m.kind_of[a]), d, tuple(slots))
        found = self.skilled_at.get(key)
        if found is None:
            grid = self._skilled_grid(a, d, np.asarray(slots, dtype=np.int64))
            found = self.skilled_at[key] = grid.tolist()
        return found

    def _phone_slots(self, a: int, week: str, d: int, slots: range) -> list[int]:
        """Which of ``slots`` of day ``d`` agent ``a``'s chosen pattern of ``week`` has on
        the phone."""
        mine = self.chosen.get((a, week))
        if mine is None:
            return []
        pattern = self.m.patterns[self.m.col_key[mine][0]]
        for day, o in pattern.choice:
            if day == d:
                phone = self.m.options[(a, d)].phone[o]
                return [j for j in slots if phone[j]]
        return []

    def _keeps_one_on_phone(self, occ: MeetingOccurrence, i: int) -> bool:
        """Whether the start plan keeps one member on the phone during position ``i`` of
        ``occ``: a team meeting that overlaps the team's phone hours (the team floor), as
        `staffing.roster.solve._stay_for_team_floor` decides."""
        d, p = occ.positions[i]
        return occ.rule.attendees == "team" and any(
            (occ.team, d, j) in self.m.team_empty for j in range(p, p + occ.length)
        )

    def _leaving_loss(
        self, d: int, leaving: list[_Attendee]
    ) -> tuple[float, list[tuple[float, int]]]:
        """What the phone loses when ``leaving`` go off it on day ``d``, and per attendee who
        may stay instead (their ``stay`` column set) what their staying saves.

        The loss: the shortfall and surplus costs of the agents counted on each requirement
        row (`_leave_costs`, all of a row's leavers at once), ``weight_empty_queue`` for each
        queue interval in its window that they leave with nobody skilled on the phone, and
        ``weight_team_floor`` for each team interval of the phone hours they leave with no
        member on it. A member who stays keeps their own rows' phone time (the cost of one
        leaver fewer there), every queue interval of their skills and their team's intervals.
        """
        counted: dict[int, int] = defaultdict(int)
        skilled: dict[int, int] = defaultdict(int)
        teams: dict[tuple[int, int], int] = defaultdict(int)
        n = len(self.value) - 1
        hours = self.team_hours[d]
        for t in leaving:
            for r in t.counted:
                if r < n:
                    counted[r] += 1
            for r in t.skilled:
                skilled[r] += 1
            if t.team is not None:
                for j in t.slots:
                    if hours[j]:
                        teams[(t.team, j)] += 1
        costs = self._costs_of_leaving(counted)
        empty_rows = {
            r
            for r, k_r in skilled.items()
            if self.in_window[r] and self.skilled_on[r] >= 0.5 > self.skilled_on[r] - k_r
        }
        on = self.team_on[d]
        empty_teams = {(t, j) for (t, j), k_t in teams.items() if on[j, t] >= 0.5 > on[j, t] - k_t}
        loss = sum(all_leave for all_leave, _ in costs.values())
        loss += self.w_empty * len(empty_rows) + self.w_team * len(empty_teams)
        savings: list[tuple[float, int]] = []
        for t in leaving:
            if t.stay_col is None:
                continue
            saving = sum(costs[r][0] - costs[r][1] for r in t.counted if r < n)
            saving += self.w_empty * len(empty_rows.intersection(t.skilled))
            saving += self.w_team * sum(1 for j in t.slots if (t.team, j) in empty_teams)
            savings.append((saving, t.stay_col))
        return loss, savings

    def _costs_of_leaving(self, counted: dict[int, int]) -> dict[int, tuple[float, float]]:
        """Per requirement row of ``counted`` (row -> leavers counted on it): the cost of its
        leavers going off the phone, and of one fewer (`_leave_costs`: from `leave_table`
        for the usual few leavers, computed for more)."""
        if self.leave_table is None:
            self.leave_table = [[] for _ in range(len(self.value) - 1)]
            self._refresh_leave_table(np.arange(len(self.leave_table)))
        assert self.leave_table is not None
        out: dict[int, tuple[float, float]] = {}
        many: list[int] = []
        for r, k in counted.items():
            if k < LEAVE_TABLE_WIDTH:
                costs = self.leave_table[r]
                out[r] = (costs[k], costs[k - 1])
            else:
                many.append(r)
        if many:
            k_many = np.asarray([counted[r] for r in many], dtype=float)
            found = self._leave_costs(np.asarray(many), np.stack([k_many, k_many - 1.0], axis=1))
            for r, (all_leave, one_fewer) in zip(many, found.tolist()):
                out[r] = (all_leave, one_fewer)
        return out

    def _refresh_leave_table(self, rows: np.ndarray) -> None:
        """`leave_table` of requirement ``rows`` at their coverage now."""
        if self.leave_table is None or not len(rows):
            return
        leavers = np.broadcast_to(
            np.arange(LEAVE_TABLE_WIDTH, dtype=float), (len(rows), LEAVE_TABLE_WIDTH)
        )
        for r, costs in zip(rows.tolist(), self._leave_costs(rows, leavers).tolist()):
            self.leave_table[r] = costs

    def _leave_costs(self, rows: np.ndarray, leaving: np.ndarray) -> np.ndarray:
        """The cost of ``leaving[r, c]`` of the agents counted on requirement row ``rows[r]``
        going off the phone (each column a case): the shortfall cost it adds (the convex
        piecewise-linear cost of `staffing.roster.instance.shortfall_weights`, at the row's
        coverage so far) less the ``weight_over`` of the phone time that was above the
        requirement (the objective charges it on phone time that covers no requirement)."""
        staffed = self.staffed[rows][:, None]
        required = self.required[rows][:, None]
        after = np.maximum(staffed - leaving, 0.0)
        short = self._shortfall_cost(
            rows, np.concatenate([required - staffed, required - after], 1)
        )
        added = short[:, 1:] - short[:, :1]
        covered = np.minimum(staffed, required) - np.minimum(after, required)
        return added - self.w_over * (staffed - after - covered)

    def _shortfall_cost(self, rows: np.ndarray, short: np.ndarray) -> np.ndarray:
        """The shortfall cost of requirement ``rows[r]`` with ``short[r, c]`` agents short:
        the sum over the segments of slope times the part of the shortfall on the segment."""
        lower = self.breaks_lower[rows][:, None, :]
        width = self.breaks[rows][:, None, :] - lower
        on_segment = np.minimum(np.maximum(short[:, :, None] - lower, 0.0), width)
        return (self.slopes[rows][:, None, :] * on_segment).sum(axis=2)

    def _take_off_phone(self, placed: _PositionPrice) -> list[int]:
        """Count the attendees of the placed position off the phone during it (coverage,
        skilled agents and team members on the phone); the rows whose coverage changed."""
        n = len(self.value) - 1
        d = placed.day
        changed: list[int] = []
        for t in placed.leaving:
            assigned = self.assigned.get((t.agent, d))
            for j, r in zip(t.slots, t.counted):
                self.in_meeting.add((t.agent, d, j))
                if r < n and assigned is not None:
                    assigned[j] = n  # the slot is taken off the phone
                    self.staffed[r] -= 1.0
                    changed.append(r)
            for r in t.skilled:
                self.skilled_on[r] -= 1.0
                changed.append(r)
            if t.team is not None and t.slots:
                self.team_on[d][t.slots, t.team] -= 1.0
        return changed

    def _skilled_grid(self, a: int, d: int, slots: np.ndarray) -> np.ndarray:
        """The requirement rows at ``slots`` of day ``d`` of agent ``a``'s skills, slot by
        slot."""
        grid = self.rows[d][slots]
        return grid[self.skills[a][self.queue[grid]]]


@dataclass(frozen=True)
class _Attendee:
    """An attendee of a meeting position who is on the phone during it: what the phone loses
    when they attend."""

    agent: int
    #: the meeting's slots the attendee is on the phone, and per slot the requirement row
    #: their phone time counts for (the row count ``n``: none)
    slots: list[int]
    counted: list[int]
    #: the requirement rows of the queues of their skills at those slots
    skilled: list[int]
    #: their team's number (`_Greedy.team_of`); None without a team of the team floor
    team: int | None
    #: their ``stay`` column when they may be the member who stays on the phone instead
    stay_col: int | None


@dataclass(frozen=True)
class _PositionPrice:
    """A meeting position as `_Greedy._price_position` prices it."""

    #: the position's ``v`` column and its cost (see `_Greedy._price_position`)
    col: int
    cost: float
    day: int
    #: the attendees who go off the phone
    leaving: tuple[_Attendee, ...]
    #: the ``stay`` column of the member who stays on the phone instead (None: all attend)
    stay_col: int | None


@dataclass(frozen=True)
class _MeetingColumns:
    """The master's meeting columns as `_Greedy.place_meetings` looks them up."""

    #: meeting -> its ``v`` columns (one per candidate position)
    positions: dict[int, list[int]]
    #: (meeting, position, agent) -> the member's ``stay`` column
    stays: dict[tuple[int, int, int], int]
    #: ``v`` and ``stay`` columns a lock holds (equal bounds,
    #: `staffing.roster.warm.fix_locked_meetings`) -> their value
    held: dict[int, float]

    @classmethod
    def of(cls, m: Master) -> _MeetingColumns:
        """The meeting, ``stay`` and held columns of ``m``."""
        positions: dict[int, list[int]] = defaultdict(list)
        stays: dict[tuple[int, int, int], int] = {}
        held: dict[int, float] = {}
        for j, kind in enumerate(m.col_kind):
            if kind == "meeting":
                positions[m.col_key[j][0]].append(j)
            elif kind == "skip":
                stays[m.col_key[j]] = j
            else:
                continue
            if m.col_lo[j] == m.col_hi[j]:
                held[j] = m.col_lo[j]
        return cls(dict(positions), stays, held)
