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
agents placed before it, and each meeting the position where its attendees are on shift and
the phone time they take is worth least.

Improvement (`improve`): a large-neighbourhood search on the rounded plan in the time the dive
leaves over: free a few agent-weeks, re-price and re-round them, keep what improves.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from staffing.roster.instance import WeekPlan
from staffing.roster.master import (
    Master,
    add_columns,
    project,
    solve_with_cuts,
    to_highs,
)
from staffing.roster.patterns import Pattern, PriceOptions, price_pattern

__all__ = ["dive", "greedy", "improve", "place_meetings"]


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


#: the share of the dive's budget its first LP may take before the dive rounds in one step
FIRST_LP_SHARE = 0.3


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
    progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Large-neighbourhood search on a rounded plan: free a few agent-weeks, re-price and
    re-round them against the rest, keep the change when the master's value improves.

    Each round frees ``size`` agent-weeks that share a skill (one picked at random, the others
    among its colleagues; while a queue or team floor is left empty, the first is one who can
    fill it: `_floor_agents`), prices new patterns for them twice, then fixes them
    (`_round_free`: those integral in the LP in one step, a fractional one at a time, largest
    LP value first). A round takes 3-4 LP solves (it took 8: one per agent-week fixed, and one
    to put a rejected round back, which is solved now only at the end: the next round solves
    from there).
    Stops after ``time_budget`` seconds, when the master's value is within ``gap``
    (relative) of the lower ``bound``, or after ``patience`` rounds in a row without an
    improvement (None: no such limit). ``movable``: the agent-weeks that may be freed (None:
    all; a re-optimization around locks frees only the agent-weeks that can change). Returns
    the column values of the plan's last LP solved (the patterns chosen at 1) and the number of
    improving rounds.
    """
    started = time.perf_counter()
    deadline = started + time_budget
    inst = m.inst
    h = m.lp
    if h is None:
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

    def solve() -> np.ndarray:
        return solve_with_cuts(h, m, deadline=deadline)

    if not _optimal(h):  # the plan's LP was cut short (a busy machine): measure it first
        x = solve()
        if not _optimal(h):
            return x, 0
    value = float(h.getInfo().objective_function_value)
    better = 0
    idle = 0  # rounds in a row without an improvement
    good_x = x
    stale = False  # the LP's last solve was a rejected neighbourhood's

    def close_enough() -> bool:
        return value - bound <= gap * max(abs(value + m.objective_offset), 1.0)

    while time.perf_counter() < deadline and not close_enough():
        if patience is not None and idle >= patience:
            break
        # a floor left empty (200 answered calls an interval) first: free someone who can fill it
        hot = _floor_agents(m, x)
        pool = [k for k in free_keys if k[0] in hot] if idle < 4 * size else []
        pool = pool or free_keys
        first = pool[int(rng.integers(len(pool)))]
        skills = set(inst.agents[first[0]].skills)
        mates = [k for k in free_keys if k != first and skills & set(inst.agents[k[0]].skills)]
        picked = [first] + [mates[i] for i in rng.permutation(len(mates))[: size - 1]]
        for k in picked:
            for c in by_week[k]:
                h.changeColBounds(c, 0.0, 1.0)
        x = solve()
        for _ in range(2):
            y = project(m, np.asarray(h.getSolution().row_dual, dtype=float))
            if not add_columns(h, m, _price_open(m, y, [plans[k] for k in picked])):
                break
            x = solve()
        by_week = _cols_by_week(m)
        new = _round_free(h, by_week, set(picked), x, solve)
        now = float(h.getInfo().objective_function_value)
        if now < value - 1e-6 and _optimal(h):  # a value cut short by the time limit is no
            value = now  # measure of the plan
            chosen.update(new)
            better += 1
            idle = 0
            good_x = x = _values_of(h, m)
            stale = False
        else:  # put the plan back as it was; its values are those of its last LP (the next
            idle += 1  # round solves from there)
            for k in picked:
                for c in by_week[k]:
                    h.changeColBounds(c, float(c == chosen[k]), float(c == chosen[k]))
            x = np.pad(good_x, (0, max(m.n_cols - len(good_x), 0)))
            stale = True
        if progress is not None:
            progress(
                f"solving: improving the plan, {better} better neighbourhoods, "
                f"master {value + m.objective_offset:.1f}"
            )
    if stale:  # the LP left as the plan's, solved (in what is left of the time)
        x = solve()
        if _optimal(h):
            good_x = x
    # the values of the plan's last LP solved (cut short by the time limit, the last LP is no
    # measure of it), with the plan's patterns as they are
    x = np.pad(good_x, (0, max(m.n_cols - len(good_x), 0)))
    for k in keys:
        x[by_week[k]] = 0.0
        x[chosen[k]] = 1.0
    return x, better


def _values_of(h: highspy.Highs, m: Master) -> np.ndarray:
    """The column values of the LP ``h`` last solved, one per column of ``m``."""
    x = np.asarray(h.getSolution().col_value, dtype=float)
    return np.pad(x[: m.n_cols], (0, max(m.n_cols - len(x), 0)))


def _round_free(
    h: highspy.Highs,
    by_week: dict[tuple[int, str], list[int]],
    free: set[tuple[int, str]],
    x: np.ndarray,
    solve: Callable[[], np.ndarray],
) -> dict[tuple[int, str], int]:
    """Fix the ``free`` agent-weeks of the LP ``h`` (solved: column values ``x``) at one
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
            for c in by_week[key]:
                h.changeColBounds(c, float(c == col), float(c == col))
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
    Each meeting takes the position, among those where every attendee is on shift, whose
    phone time is worth least; the integer program (or the start plan) decides who stays.
    Linear in the agents (one pricing each). Returns the column values (patterns and meetings
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
        self.breaks = np.stack(req["breaks"].to_list())[:, 1:] if n else np.zeros((0, 0))
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
        if pattern is None:
            return
        key = (plan.agent, plan.week)
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

    def place_meetings(self) -> None:
        """Each meeting at the position where every attendee is on shift (their pattern has
        the meeting's attend row) whose phone time is worth least; the column values."""
        m = self.m
        x = np.zeros(m.n_cols)
        for col in self.chosen.values():
            x[col] = 1.0
        positions: dict[int, list[int]] = defaultdict(list)
        for j, kind in enumerate(m.col_kind):
            if kind == "meeting":
                positions[m.col_key[j][0]].append(j)
        rules = m.inst.rules
        n = len(self.value) - 1
        rows_of: dict[int, set[int]] = {}  # a chosen pattern's rows
        skilled_at: dict[tuple[int, int, int], list[int]] = {}  # (kind, day, slot) -> rows
        changed: list[int] = []  # rows whose coverage changed (revalued at the end)

        def skilled_rows(a: int, d: int, j: int) -> list[int]:
            key = (int(m.kind_of[a]), d, j)
            found = skilled_at.get(key)
            if found is None:
                found = skilled_at[key] = self._skilled_grid(a, d, np.asarray([j])).tolist()
            return found

        for mi, cols in sorted(positions.items()):
            occ = m.inst.meetings[mi]
            # placed only where cheaper than missing it
            best, cost = None, rules.weight_missed_meeting
            lost: list[float] | None = None  # per row: the value lost (this meeting's state)
            for c in cols:
                i = m.col_key[c][1]
                d, p = occ.positions[i]
                loss = 0.25 * rules.weight_missed_meeting * occ.absent[i] / max(len(occ.members), 1)
                leaving: dict[int, float] = defaultdict(float)  # row -> skilled attendees
                for a in occ.attendees[i]:
                    row = m.row_of.get(("attend", mi, i, a))
                    mine = self.chosen.get((a, occ.week))
                    if mine is not None and mine not in rows_of:
                        rows_of[mine] = set(m.col_rows[mine].tolist())
                    if row is not None and mine is not None and row in rows_of[mine]:
                        assigned = self.assigned.get((a, d))
                        slots = range(p, p + occ.length)
                        there = [n] * len(slots) if assigned is None else assigned[slots].tolist()
                        for j, r in zip(slots, there):
                            if r < n:
                                if lost is None:
                                    lost = self._values_without(np.arange(n)).tolist()
                                loss += lost[r]
                            for r in skilled_rows(a, d, j):
                                leaving[r] += 1.0
                    elif ("skipv", mi, i, a) in m.row_of:
                        loss += rules.weight_skipped_meeting  # not on shift then: stays
                    else:
                        loss = np.inf
                        break
                # a queue the attendees leave with nobody skilled on the phone
                loss += self.w_empty * sum(
                    1
                    for r, k in leaving.items()
                    if self.in_window[r] and self.skilled_on[r] >= 0.5 > self.skilled_on[r] - k
                )
                if loss < cost:
                    best, cost = c, loss
            if best is None:
                continue
            x[best] = 1.0
            i = m.col_key[best][1]
            d, p = occ.positions[i]
            for a in occ.attendees[i]:
                assigned = self.assigned.get((a, d))
                if assigned is None:
                    continue
                for j in range(p, p + occ.length):
                    r = int(assigned[j])
                    if r < n:
                        assigned[j] = n  # the slot is taken off the phone
                        self.staffed[r] -= 1.0
                        changed.append(r)
                        for r in skilled_rows(a, d, j):
                            self.skilled_on[r] -= 1.0
                            changed.append(r)
        if changed:
            self._revalue(np.unique(np.asarray(changed, dtype=np.int64)))
        self.x = x

    def _skilled_grid(self, a: int, d: int, slots: np.ndarray) -> np.ndarray:
        """The requirement rows at ``slots`` of day ``d`` of agent ``a``'s skills, slot by
        slot."""
        grid = self.rows[d][slots]
        return grid[self.skills[a][self.queue[grid]]]

    def _values_without(self, rows: np.ndarray) -> np.ndarray:
        """The value lost when one agent leaves each requirement row of ``rows``: the slope of
        the shortfall cost one agent further down, plus the floor's weight where the agent is
        the last one skilled on the phone."""
        short = self.required[rows] - self.staffed[rows] + 1.0
        k = (self.breaks[rows] < (short - 1e-9)[:, None]).sum(axis=1)
        k = np.minimum(k, self.slopes.shape[1] - 1)
        value = np.where(short > 1e-9, self.slopes[rows, k], 0.0)
        lonely = self.in_window[rows] & (self.skilled_on[rows] - 1.0 < 0.5)
        return np.where(lonely, value + self.w_empty, value)
