"""Staffing over the SLA's period: the fewest agent-intervals that meet the goals over a day,
an ISO week or a month, instead of in every 15-minute interval.

The SLA is measured over a period (document 002 reports weekly and monthly): the answer rate
answered / (offered - abandoned within 40 s) and the average wait of answered calls, each a
ratio of the period's *summed* counts (`staffing.kpi`). `period_requirements` finds, for each
queue (or group of queues served by the same cross-trained agents, below) and each period,

    min  sum_i n_i   over whole numbers n_i >= floor_i
    s.t. sum_i answered_i(n_i) / sum_i (c_i - short_i(n_i)) >= goal_answer_rate
         sum_i wait_i(n_i) / sum_i answered_i(n_i)          <= goal_asa
         [sum_i within_i(n_i) / sum_i c_i                    >= goal_service_level]

where ``i`` runs over the period's open intervals of the queue, ``c_i`` are the forecast's
calls and ``answered_i(n)``, ``short_i(n)`` (abandoned within ``short_abandon`` s),
``wait_i(n)`` (total wait of the answered calls) and ``within_i(n)`` (answered within the
threshold) are Erlang A's expected counts with ``n`` agents (`staffing.erlang.erlang_a`; Erlang C
without patience). ``floor_i`` is the phone policy (one agent in every open interval of a queue;
a group: one per open member queue), the occupancy cap if one is given, and, under Erlang C,
stability (more agents than Erlangs). ``over="interval"`` is today's requirement
(`staffing.requirements.staffing_requirements`): every interval meets the goals on its own.
Every such solution meets the period goals too (a ratio of sums lies between the smallest and
the largest of the intervals' ratios), so a period's requirement never exceeds the interval one.

Method. Each ratio goal is linear in the counts once multiplied out, so each goal ``k`` is one
separable constraint ``G_k(n) = sum_i phi_ki(n_i) >= 0`` with

    answer rate:    phi(n) = answered(n) + g short(n) - g c      (answered calls above the goal)
    average wait:   phi(n) = w answered(n) - wait(n)              (wait-seconds below the goal)
    service level:  phi(n) = within(n) - s c

This is exact: no ratio is approximated, and the phone policy's floor enters as ``n_i >=
floor_i``. With one goal, ``min sum n`` subject to one separable constraint whose terms are
concave and non-decreasing in ``n`` is solved exactly by the greedy rule: give the next
agent-interval to the interval with the largest marginal gain ``phi_i(n_i + 1) - phi_i(n_i)``
(for the answer rate: answered calls gained, short abandons weighted by g, per agent-interval)
until the constraint holds. Concavity makes each interval's gains non-increasing, so the greedy
allocation of every budget N maximizes ``G`` among all allocations of N (Fox 1966), and the
first N at which it meets the goal is the minimum. Koole & van der Sluis (2003) rest on the same
property, each interval's term concave in its agents, to show that local search finds the
optimum of a global service-level objective even over shifts (multimodularity); with every
interval staffed freely, as here, their problem is this greedy. The condition used, checked
numerically (``tests/test_period_staffing.py``; docs/notes/staffing_erlang.md): ``answered(n) +
g short(n)`` is concave and non-decreasing in ``n >= 1`` in all 780 cases tried (loads
0.005-150 Erlangs, handle time 200-400 s, patience 30-10,000 s, goal 0.5-0.999). The
average-wait and service-level terms are not: they are concave only above overload (``n > A +
0.41 sqrt(A)`` in the same grid; Erlang C's wherever the queue is stable). Below it, adding an
agent can *raise* the answered calls' total wait (more callers get through, after long waits),
so a wait goal alone could even be met by starving a peak.

So the greedy runs on each interval's *upper concave envelope* (whole agents along its
segments), which is exact for the answer rate alone and gives a **lower bound** otherwise: the
envelope is above the true term, so no allocation with fewer agents can meet the goal. Two
goals at once (answer rate and wait) form a two-constraint knapsack, for which no greedy is
exact in general. For weights ``lam_k >= 0`` every feasible allocation meets the single
separable constraint ``sum_k lam_k G_k(n) / scale_k >= 0`` (the Lagrangian, weighted-sum
relaxation), so the greedy on its envelope gives a lower bound for any weights, and following
the same greedy order until every goal holds on the true terms gives a feasible allocation, an
**upper bound**. We run each goal alone (when the answer-rate goal binds and its greedy answer
already meets the wait, that is the proven optimum), then search the weights (two goals: their
ratio, on a coarse grid, then by golden sections around the best lower bound; more goals, as
in a group: subgradient steps towards the goals missed), then drop agent-intervals from the
best allocation while every goal still holds. Where the bounds still differ, an exact dynamic
programme closes the gap (`_exact`: the Pareto frontier of the two goals' running sums per
number of agents, interval by interval, pruned by the exact best completion of each goal alone
and of the best weighted sum). It is exact for one or two goals whatever the terms' shape,
among allocations of at most ``hi_i`` agents per interval (the interval requirement plus
``2 sqrt(A_i) + 3``, widened while an answer touches it); it gives up beyond 200,000 states
per interval (or 20 times that in all), and the result is then the heuristic's, with the gap
that `PeriodStaffing.bounds` reports (``lower_bound``, ``optimal``); so does a group with more
than two goals (measured figures in docs/notes/staffing_erlang.md). The interval requirement is
always a feasible fallback.

Groups (cross-trained agents). Queues that share agents are staffed as one group, in the two
steps of Bhulai, Koole & Pot (2008): first a staffing level per group and interval, then the
roster covers it with the agents as they are actually skilled (`staffing.roster` counts an
agent for every queue of their skills and keeps each set of queues within what the skilled
agents can give, Hall's condition). The group is one first-come-first-served Erlang A queue
with the members' summed calls, offered-weighted handle time and offered-weighted patience
(`staffing.requirements.pooled_requirements`; the patience and shrinkage weighted by the calls
of the period staffed, so that a period's requirement does not depend on the other periods
forecast with it). Every caller in it meets the same offered wait,
but hangs up by their own queue's patience, so each member queue's answered, short-abandoned
calls and wait follow from the pooled queue in closed form (`_class_probabilities`; with the
members' patience of the calibrated centre, 1,250-2,500 s, pooling them as if all had the mean
would overstate the impatient queue's answer rate by 3-4 points). Each member queue keeps its
own answer-rate and wait goals (so a group has two goals per member; beyond the greedy, the
weight search, a covering greedy and the drop pass, the exact programme runs on the two most
binding goals, a relaxation that proves the optimum when its answer meets the other goals;
`bounds` shows any gap), the group the strictest service level and occupancy cap. The group's
requirement is split over the member queues (each open queue gets one agent, the phone policy;
the rest in proportion to the queues' offered work, largest remainders), so that the
requirements contract stays one row per queue and interval and sums to the group's figure; each
row carries its queue's predicted metrics. `skill_groups` forms the groups from an agents
table: queues join (complete linkage) while every two of them share agents holding at least
``min_shared`` of each one's skilled contract hours. The pooled model assumes that the group's
agents take the group's calls first come, first served (full cross-training within the group);
Wallace & Whitt (2005) found that a little cross-training gives most of that. The check is by
simulation: `requirement_roster` writes agents and a roster that put the requirement on the
phone (one virtual agent per unit of each queue's split, skilled for the whole group, its own
queue first), for `staffing.simulation.simulate` against the same forecast and patience; its
weekly answer rate and wait per queue should meet the goals that `PeriodStaffing.summary`
predicts (with ``routing="longest_waiting"`` the model's routing; ``primary_first`` serves each
agent's own queue first, which the pooled model does not describe).

References:
- G. Koole & E. van der Sluis, "Optimal shift scheduling with a global service level
  constraint", IIE Transactions 35(11), 2003, 1049-1055.
- S. Bhulai, G. Koole & A. Pot, "Simple methods for shift scheduling in multiskill call
  centers", Manufacturing & Service Operations Management 10(3), 2008, 411-420.
- B. Fox, "Discrete optimization via marginal analysis", Management Science 13(3), 1966,
  210-216 (greedy allocation for separable concave objectives).
- R. B. Wallace & W. Whitt, "A staffing algorithm for call centers with skill-based routing",
  MSOM 7(4), 2005, 276-294.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from staffing import erlang, kpi
from staffing.agents import Agents, prepare_agents
from staffing.erlang import _log_p_ratio, _log_pr, _served_wait_factor
from staffing.requirements import (
    DEFAULT_SHORT_ABANDON,
    DEFAULT_SHRINKAGE,
    DEFAULT_THRESHOLD,
    REQUIREMENT_COLUMNS,
    PerQueue,
    _check_forecast,
    _gross,
    _need,
    _pool_list,
    _QueueTargets,
    _resolve,
    _strictest,
    _targets,
    infer_interval_seconds,
    staffing_requirements,
)

__all__ = [
    "OVER",
    "GROUP_COLUMNS",
    "SUMMARY_COLUMNS",
    "BOUND_COLUMNS",
    "PeriodStaffing",
    "period_labels",
    "period_requirements",
    "skill_groups",
    "requirement_roster",
]

#: The periods a requirement can hold its goals over (``interval``: every interval on its own).
OVER = ("interval", "day", "week", "month")

#: Columns of `PeriodStaffing.groups`: one row per group (one-queue groups included) and
#: interval, the group's requirement and predicted metrics (answer rate, wait and abandonment
#: from its queues' expected counts; service level, P(wait) and occupancy of the pooled queue).
GROUP_COLUMNS = [
    "interval_start",
    "period",
    "group",
    "queues",
    "agents",
    "agents_interval",
    "agents_gross",
    "agents_lo",
    "agents_hi",
    "offered",
    "aht_seconds",
    "patience_seconds",
    "traffic_erlangs",
    "service_level",
    "asa_seconds",
    "answer_rate",
    "p_abandon",
    "p_wait",
    "occupancy",
]

#: Columns of `PeriodStaffing.summary`: the predicted measures per period for every queue,
#: every group of two or more queues and the centre (``scope`` = queue, group, centre).
SUMMARY_COLUMNS = [
    "period",
    "scope",
    "name",
    "offered",
    "answered",
    "abandoned_short",
    "answer_rate",
    "asa_seconds",
    "service_level",
    "agent_hours",
    "agent_hours_interval",
    "peak_agents",
]

#: Columns of `PeriodStaffing.bounds`: per group and period, the agent-intervals found, the
#: proven lower bound and the interval requirement's agent-intervals.
BOUND_COLUMNS = [
    "period",
    "group",
    "agent_intervals",
    "lower_bound",
    "interval_agent_intervals",
    "optimal",
]

_METRIC_COLUMNS = (
    "service_level",
    "asa_seconds",
    "answer_rate",
    "p_abandon",
    "p_wait",
    "occupancy",
)
_MAX_EXTENSIONS = 8
_WEIGHT_ROUNDS = 24
_DP_BUDGET = 50_000


@dataclass(frozen=True)
class PeriodStaffing:
    """The result of `period_requirements`.

    Attributes
    ----------
    over: the period the goals hold over (one of `OVER`).
    requirements: the requirements contract (`staffing.requirements.REQUIREMENT_COLUMNS`), one
        row per forecast row; ``agents`` is the queue's share of its group's requirement.
    groups: `GROUP_COLUMNS`, one row per group and interval; ``agents`` sums the member
        queues' ``agents``; ``agents_interval`` is the interval requirement (every interval
        meeting the goals on its own).
    summary: `SUMMARY_COLUMNS`, the predicted answer rate, wait and service level per period for
        each queue, each group of two or more queues and the centre, from summed expected
        counts, with the agent-hours and the peak of agents on the phone at once.
    bounds: `BOUND_COLUMNS`; ``optimal`` where the lower bound equals the agent-intervals.
    interval_seconds: the interval length used.
    """

    over: str
    requirements: pd.DataFrame
    groups: pd.DataFrame
    summary: pd.DataFrame
    bounds: pd.DataFrame
    interval_seconds: float


# --------------------------------------------------------------------------------------------
# Periods and groups
# --------------------------------------------------------------------------------------------
def period_labels(starts: pd.Series | pd.DatetimeIndex, over: str) -> np.ndarray:
    """The period each interval belongs to, as `staffing.kpi` labels it: ``day`` the local date
    (``2026-11-23``), ``week`` the ISO week (``2026-W48``), ``month`` ``2026-11``; ``interval``
    the interval's own start (ISO 8601).

    >>> t = pd.Series(pd.to_datetime(["2026-11-29 10:00", "2026-11-30 10:00"])
    ...               .tz_localize("Europe/Copenhagen"))
    >>> period_labels(t, "week").tolist(), period_labels(t, "month").tolist()
    (['2026-W48', '2026-W49'], ['2026-11', '2026-11'])
    """
    if over not in OVER:
        raise ValueError(f"over must be one of {', '.join(OVER)}; got {over!r}")
    s = pd.Series(pd.DatetimeIndex(starts))
    if over == "interval":
        return np.asarray([t.isoformat() for t in s], dtype=object)
    if over == "day":
        return np.asarray([d.isoformat() for d in s.dt.date], dtype=object)
    if over == "week":
        return kpi.iso_week(s).to_numpy(dtype=object)
    return s.dt.strftime("%Y-%m").to_numpy(dtype=object)


def skill_groups(
    agents: Agents, queues: Iterable[str] | None = None, *, min_shared: float = 0.5
) -> list[list[str]]:
    """Queues served by the same cross-trained agents, as groups to staff together.

    Two queues are *linked* when the agents skilled for both hold at least ``min_shared`` of
    the contract hours (``weekly_hours``) of the agents skilled for each of them. Groups grow by
    complete linkage: starting from one group per queue, the two groups whose weakest link is
    strongest are merged, as long as every pair of queues in the merged group is linked. So no
    group joins two queues that mostly different people answer (single linkage would chain the
    whole centre together through a few agents with many skills).

    ``queues`` (default: every skill of the agents) limits and orders the result; a queue that
    no agent has stays alone. Returns the groups sorted by their first queue, each in the order
    of ``queues``.

    >>> table = pd.DataFrame({"agent_id": ["A", "B", "C", "D"], "team": "T",
    ...     "skills": ["Dagpenge;A-Kasse", "Dagpenge;A-Kasse", "Dagpenge", "Virksomhed"],
    ...     "weekly_hours": 37})
    >>> skill_groups(table)
    [['A-Kasse', 'Dagpenge'], ['Virksomhed']]
    """
    if not 0.0 < float(min_shared) <= 1.0:
        raise ValueError(f"min_shared must be in (0, 1]; got {min_shared}")
    specs = prepare_agents(agents)
    hours: dict[str, dict[str, float]] = {}
    for a in specs:
        for q in a.skills:
            hours.setdefault(q, {})[a.agent_id] = float(a.weekly_hours)
    names = sorted(hours) if queues is None else list(dict.fromkeys(queues))

    def share(q1: str, q2: str) -> float:
        h1, h2 = hours.get(q1, {}), hours.get(q2, {})
        both = set(h1) & set(h2)
        if not both:
            return 0.0
        common = sum(h1[x] for x in both)
        return min(common / sum(h1.values()), common / sum(h2.values()))

    link = {(a, b): share(a, b) for a in names for b in names if a != b}
    groups: list[list[str]] = [[q] for q in names]
    while True:
        best: tuple[float, int, int] | None = None
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                weakest = min(link[(a, b)] for a in groups[i] for b in groups[j])
                if weakest >= min_shared and (best is None or weakest > best[0]):
                    best = (weakest, i, j)
        if best is None:
            break
        _, i, j = best
        groups[i] = groups[i] + groups[j]
        del groups[j]
    order = {q: k for k, q in enumerate(names)}
    out = [sorted(g, key=order.__getitem__) for g in groups]
    return sorted(out, key=lambda g: order[g[0]])


# --------------------------------------------------------------------------------------------
# The allocation: greedy on concave envelopes, Lagrangian weights, lower and upper bounds
# --------------------------------------------------------------------------------------------
@dataclass
class _Tables:
    """phi_k(lo_i + j) for every goal k, interval i and j < length_i (padded with the last)."""

    phi: list[np.ndarray]
    scale: list[float]
    length: np.ndarray


@dataclass
class _Run:
    weights: np.ndarray  # the goals' weights of this run (each goal divided by its scale)
    lower: int  # agents above the floor the relaxation needs (a lower bound)
    upper: int | None  # agents above the floor of the first feasible prefix (None: none)
    alloc: np.ndarray | None  # the feasible prefix's j per interval
    lower_alloc: np.ndarray  # the relaxation's j per interval
    missed: list[int]  # goals missed at the relaxation's allocation
    deficit: np.ndarray  # each goal's shortfall there, over its scale (negative: slack)


def _envelope_increments(values: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Per-step slopes of the upper concave envelope of each row's first ``length`` values
    (rows that are concave already are left as they are); steps past the row's end get -inf."""
    inc = np.diff(values, axis=1)
    cols = np.arange(inc.shape[1])[None, :]
    valid = cols < (length[:, None] - 1)
    inc = np.where(valid, inc, -np.inf)
    scale = np.maximum(np.abs(values).max(axis=1), 1.0)
    rising = np.diff(np.where(valid, inc, np.nan), axis=1) > 1e-12 * scale[:, None]
    for i in np.flatnonzero(rising.any(axis=1)):
        y = values[i, : int(length[i])]
        hull = [0]
        for j in range(1, len(y)):
            while len(hull) >= 2:
                a, b = hull[-2], hull[-1]
                if (y[b] - y[a]) * (j - a) <= (y[j] - y[a]) * (b - a):
                    hull.pop()
                else:
                    break
            hull.append(j)
        for a, b in zip(hull[:-1], hull[1:]):
            inc[i, a:b] = (y[b] - y[a]) / (b - a)
    return inc


def _run(tables: _Tables, weights: np.ndarray) -> _Run:
    """Greedy on the envelope of ``sum_k weights_k phi_k / scale_k``: the relaxation's bound
    and the first prefix of the same order that meets every goal on the true terms."""
    m = len(tables.length)
    psi = sum(w / s * p for w, s, p in zip(weights, tables.scale, tables.phi))
    assert isinstance(psi, np.ndarray)
    inc = _envelope_increments(psi, tables.length)
    tiny = 1e-13 * max(1.0, float(np.abs(psi).max()))
    rows, cols = np.nonzero(inc > tiny)
    slopes = inc[rows, cols]
    order = np.lexsort((cols, rows, -slopes))  # steepest first; a row's steps in order
    rows, cols = rows[order], cols[order]
    base = float(psi[:, 0].sum())
    total = base + np.cumsum(slopes[order])
    eps = 1e-12 * max(1.0, float(np.abs(psi[:, 0]).sum()))
    if base >= -eps:
        lower = 0
    else:
        hit = np.flatnonzero(total >= -eps)
        lower = int(hit[0]) + 1 if hit.size else len(rows) + 1
    lower_alloc = np.bincount(rows[: min(lower, len(rows))], minlength=m)
    # the true goals along the same order
    ok = np.ones(len(rows) + 1, dtype=bool)
    missed = []
    deficit = np.zeros(len(tables.phi))
    at = min(lower, len(rows))
    for k, (phi, scale) in enumerate(zip(tables.phi, tables.scale)):
        g0 = float(phi[:, 0].sum())
        steps = phi[rows, cols + 1] - phi[rows, cols]
        g = np.concatenate([[g0], g0 + np.cumsum(steps)])
        met = g >= -1e-11 * scale
        ok &= met
        deficit[k] = -g[at] / scale
        if not met[at]:
            missed.append(k)
    ok[: min(lower, len(rows) + 1)] = False
    hits = np.flatnonzero(ok)
    if hits.size:
        upper = int(hits[0])
        alloc = np.bincount(rows[:upper], minlength=m)
        return _Run(weights, lower, upper, alloc, lower_alloc, missed, deficit)
    return _Run(weights, lower, None, None, lower_alloc, missed, deficit)


@dataclass
class _Search:
    """What `_allocate`'s steps have found so far: the best feasible allocation (``alloc``,
    ``upper`` agents above the floor), the best lower bound, which intervals any run pushed to
    the end of its table, and the weights of the run with the best lower bound."""

    at_end: np.ndarray
    alloc: np.ndarray | None = None
    upper: float = math.inf
    lower: int = 0
    weights: list[np.ndarray] = field(default_factory=list)

    def done(self) -> bool:
        """Whether the best allocation is proven optimal."""
        return self.upper <= self.lower

    def take(self, tables: _Tables, run: _Run) -> None:
        """Keep a run's lower bound (and weights) and its allocation if it is the best yet."""
        if run.lower > self.lower or not self.weights:
            self.weights = [run.weights]
        self.lower = max(self.lower, run.lower)
        self.at_end[run.lower_alloc >= tables.length - 1] = True
        if run.upper is not None and run.upper < self.upper:
            self.upper, self.alloc = run.upper, run.alloc
            assert run.alloc is not None
            self.at_end[run.alloc >= tables.length - 1] = True


def _allocate(tables: _Tables) -> tuple[np.ndarray, int, np.ndarray]:
    """The best allocation found (j per interval), the best lower bound (agents above the
    floor) and which intervals any run pushed to the end of its table."""
    m = len(tables.length)
    state = _Search(np.zeros(m, dtype=bool))
    alone = _weight_runs(tables, state)
    _improve(tables, state)
    if state.alloc is None:
        return np.full(m, -1), int(state.lower), state.at_end  # no feasible prefix in the tables
    if not state.done():
        _close_gap(tables, state, alone)
    assert state.alloc is not None
    return state.alloc, int(state.lower), state.at_end


def _weight_runs(tables: _Tables, state: _Search) -> list[int]:
    """The greedy runs: each goal alone, then the weight search (two goals: `_search_two`; more:
    subgradient steps on the log-weights). Returns the lower bound of each goal alone run."""
    k = len(tables.phi)

    def take(run: _Run) -> None:
        state.take(tables, run)

    alone = []
    for g in range(k):  # each goal alone
        run = _run(tables, np.eye(k)[g])
        alone.append(run.lower)
        take(run)
        if state.done():
            break
    if k == 2 and not state.done():
        _search_two(tables, take, state.done)
    elif k > 2:
        u = np.zeros(k)
        step = 2.0
        for _ in range(_WEIGHT_ROUNDS):
            if state.done():
                break
            w = np.exp(u - u.max())
            run = _run(tables, w / w.sum())
            take(run)
            if not run.missed:
                break
            # a subgradient step on the log-weights: towards the goals missed, by how much
            u += step * run.deficit / np.abs(run.deficit).max()
            step *= 0.8
    return alone


def _improve(tables: _Tables, state: _Search) -> None:
    """Drop agent-intervals from the best allocation while every goal holds; with several
    goals, also try the covering greedy (dropped too)."""
    if state.alloc is not None and not state.done():
        state.alloc = _drop(tables, state.alloc)
        state.upper = int(state.alloc.sum())
    if len(tables.phi) > 1 and not state.done():
        covered = _cover(tables)
        if covered is not None:
            covered = _drop(tables, covered)
            state.at_end[covered >= tables.length - 1] = True
            if covered.sum() < state.upper:
                state.alloc, state.upper = covered, int(covered.sum())


def _close_gap(tables: _Tables, state: _Search, alone: list[int]) -> None:
    """The exact programme: on all goals (one or two), else on the two most binding goals, a
    relaxation whose optimum bounds the whole problem and is its optimum if it meets the rest."""
    k = len(tables.phi)
    pair = [0, 1] if k <= 2 else sorted(np.argsort(alone)[-2:].tolist()) if len(alone) == k else []
    if not pair and k > 2:
        return
    sub = (
        tables
        if k <= 2
        else _Tables([tables.phi[g] for g in pair], [tables.scale[g] for g in pair], tables.length)
    )
    weights = state.weights
    if k > 2:
        pair_weights: list[np.ndarray] = []

        def take_bound(run: _Run) -> None:  # the pair's runs bound, but need not be feasible
            if run.lower > state.lower:
                state.lower = run.lower
                pair_weights[:] = [run.weights]

        _search_two(sub, take_bound, state.done)
        if state.done():
            return
        weights = pair_weights
    exact, proven = _exact(sub, int(state.upper), weights)
    if exact is None:
        if proven:
            state.lower = int(state.upper)
        return
    state.lower = max(state.lower, int(exact.sum()))
    if _meets(tables, exact):
        state.alloc = exact


def _meets(tables: _Tables, alloc: np.ndarray) -> bool:
    """Whether an allocation meets every goal."""
    rows = np.arange(len(alloc))
    return all(float(p[rows, alloc].sum()) >= -1e-11 * s for p, s in zip(tables.phi, tables.scale))


def _search_two(tables: _Tables, take, done) -> None:
    """Two goals: search the weight ratio ``r = log(w_2 / w_1)`` for the best lower bound (the
    Lagrangian dual), on a coarse grid, then by golden sections around the best point."""

    def run_at(r: float) -> tuple[int, float]:
        w = np.array([1.0, math.exp(r)]) if r <= 0 else np.array([math.exp(-r), 1.0])
        run = _run(tables, w / w.sum())
        take(run)
        return run.lower, -(run.upper if run.upper is not None else math.inf)

    grid = [0.0, -2.0, 2.0, -5.0, 5.0, -10.0, 10.0]
    scores = {}
    for r in grid:
        scores[r] = run_at(r)
        if done():
            return
    best = max(scores, key=lambda r: (scores[r], -abs(r)))
    lo, hi = best - 2.5, best + 2.5
    golden = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = hi - golden * (hi - lo), lo + golden * (hi - lo)
    fa, fb = run_at(a), run_at(b)
    for _ in range(_WEIGHT_ROUNDS // 2):
        if done():
            return
        if fa >= fb:
            hi, b, fb = b, a, fa
            a = hi - golden * (hi - lo)
            fa = run_at(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + golden * (hi - lo)
            fb = run_at(b)


def _cover(tables: _Tables) -> np.ndarray | None:
    """A feasible allocation by the greedy for covering several goals: the next agent-interval
    goes where it closes the most of the goals' remaining shortfalls, each gain counted up to
    its goal's shortfall and divided by it. None if it gets stuck (no step gains)."""
    m = len(tables.length)
    rows = np.arange(m)
    alloc = np.zeros(m, dtype=np.int64)
    value = np.array([float(p[:, 0].sum()) for p in tables.phi])
    tol = np.array([1e-11 * s for s in tables.scale])
    for _ in range(int(tables.length.sum())):
        short = -value
        unmet = short > tol
        if not unmet.any():
            return alloc
        room = alloc < tables.length - 1
        nxt = np.minimum(alloc + 1, tables.length - 1)
        gains = np.stack([p[rows, nxt] - p[rows, alloc] for p in tables.phi])
        useful = np.clip(gains[unmet], 0.0, short[unmet][:, None]) / short[unmet][:, None]
        score = np.where(room, useful.sum(axis=0), -np.inf)
        i = int(np.argmax(score))
        if not score[i] > 0:
            return None
        value += gains[:, i]
        alloc[i] += 1
    return None


def _drop(tables: _Tables, alloc: np.ndarray) -> np.ndarray:
    """Remove agent-intervals one at a time while every goal still holds (the one whose
    removal costs the goals least, relative to their slack, first)."""
    alloc = alloc.copy()
    rows = np.arange(len(alloc))
    value = np.array([float(p[rows, alloc].sum()) for p in tables.phi])
    tol = np.array([1e-11 * s for s in tables.scale])
    while True:
        can = alloc > 0
        if not can.any():
            return alloc
        loss = np.stack([p[rows, alloc] - p[rows, np.maximum(alloc - 1, 0)] for p in tables.phi])
        after = value[:, None] - loss
        ok = can & (after >= -tol[:, None]).all(axis=0)
        if not ok.any():
            return alloc
        slack = np.maximum(value, tol)[:, None]
        cost = np.where(ok, (loss / slack).max(axis=0), np.inf)
        i = int(np.argmin(cost))
        value = after[:, i]
        alloc[i] -= 1


def _suffix_best(phi: np.ndarray, length: np.ndarray, steps: int) -> np.ndarray:
    """``out[i, s]``: the largest ``sum_{i' >= i} phi[i', j_i']`` with ``sum j <= s`` (max-plus
    convolution of the intervals' tables from the last one back); ``out[m] = 0``."""
    m = len(length)
    out = np.full((m + 1, steps + 1), -np.inf)
    out[m] = 0.0
    for i in range(m - 1, -1, -1):
        row = np.full(steps + 1, -np.inf)
        for j in range(min(int(length[i]), steps + 1)):
            cand = out[i + 1, : steps + 1 - j] + phi[i, j]
            row[j:] = np.maximum(row[j:], cand)
        out[i] = np.maximum.accumulate(row)
    return out


def _exact(
    tables: _Tables, upper: int, weights: Sequence[np.ndarray] = (), budget: int = _DP_BUDGET
) -> tuple[np.ndarray | None, bool]:
    """An allocation with fewer than ``upper`` steps meeting every goal, with the fewest steps,
    by dynamic programming over the intervals with the Pareto frontier of the goals' running
    sums per number of steps. Returns ``(allocation, True)``, or ``(None, True)`` when no
    allocation has fewer than ``upper`` steps (``upper`` is optimal), or ``(None, False)`` when
    the frontier grows beyond ``budget`` states (or all layers together beyond 10 times that;
    nothing proven then).

    Exact for one or two goals whatever the shape of the terms (within the tables): a state
    (steps, G_1, G_2) is dropped only when another with the same steps has both sums at least
    as large, or when even the best completion of each goal alone, or of any weighted sum of
    the goals (``weights``, the Lagrangian runs'), needs so many steps that the total would
    reach ``upper`` (`_suffix_best`: the completions' exact best, by max-plus convolution)."""
    m = len(tables.length)
    k = len(tables.phi)
    limit = upper - 1
    if limit < 0:
        return None, True
    eps = [1e-11 * s for s in tables.scale]
    # the goals alone, then the weighted sums: (coefficients on the goals' sums, suffix best)
    checks = [
        (np.eye(k)[g], _suffix_best(tables.phi[g], tables.length, limit), eps[g]) for g in range(k)
    ]
    for w in weights:
        if np.count_nonzero(w) > 1:
            coef = np.asarray(w) / np.asarray(tables.scale)
            psi = sum(c * p for c, p in zip(coef, tables.phi))
            assert isinstance(psi, np.ndarray)
            tol = float(np.dot(np.abs(coef), eps))
            checks.append((coef, _suffix_best(psi, tables.length, limit), tol))
    steps = np.zeros(1, dtype=np.int64)
    sums = np.zeros((1, k))
    history: list[tuple[np.ndarray, np.ndarray]] = []
    work = 0
    for i in range(m):
        width = int(min(tables.length[i], limit + 1))
        j = np.tile(np.arange(width), len(steps))
        parent = np.repeat(np.arange(len(steps)), width)
        new_steps = steps[parent] + j
        new_sums = sums[parent] + np.stack([p[i, j] for p in tables.phi], axis=1)
        need = np.zeros(len(new_steps), dtype=np.int64)
        for coef, suffix, tol in checks:  # steps the rest needs for each relaxation at best
            value = new_sums @ coef
            need = np.maximum(need, np.searchsorted(suffix[i + 1], -value - tol, side="left"))
        keep = new_steps + need <= limit
        new_steps, new_sums, j, parent = new_steps[keep], new_sums[keep], j[keep], parent[keep]
        if k == 2 and len(new_steps):
            order = np.lexsort((-new_sums[:, 1], -new_sums[:, 0], new_steps))
            new_steps, new_sums, j, parent = (
                new_steps[order],
                new_sums[order],
                j[order],
                parent[order],
            )
            second = pd.Series(new_sums[:, 1])
            before = second.groupby(new_steps).cummax().shift(1)
            first = np.r_[True, new_steps[1:] != new_steps[:-1]]
            frontier = first | (new_sums[:, 1] > before.to_numpy())
            new_steps, new_sums, j, parent = (
                new_steps[frontier],
                new_sums[frontier],
                j[frontier],
                parent[frontier],
            )
        elif k == 1 and len(new_steps):
            order = np.lexsort((-new_sums[:, 0], new_steps))
            first = np.r_[True, new_steps[order][1:] != new_steps[order][:-1]]
            pick = order[first]
            new_steps, new_sums, j, parent = new_steps[pick], new_sums[pick], j[pick], parent[pick]
        work += len(new_steps)
        if len(new_steps) > budget or work > 10 * budget:
            return None, False
        if not len(new_steps):
            return None, True  # nothing better than ``upper`` exists
        history.append((parent, j))
        steps, sums = new_steps, new_sums
    met = np.all(sums >= -np.asarray(eps)[None, :], axis=1)
    if not met.any():
        return None, True
    idx = int(np.flatnonzero(met)[np.argmin(steps[met])])
    alloc = np.zeros(m, dtype=np.int64)
    for i in range(m - 1, -1, -1):
        parent, j = history[i]
        alloc[i] = j[idx]
        idx = int(parent[idx])
    return alloc, True


# --------------------------------------------------------------------------------------------
# The model of one group: one pooled Erlang A queue; each member queue's callers by their own
# patience
# --------------------------------------------------------------------------------------------
def _class_probabilities(
    calls: np.ndarray,
    aht: np.ndarray,
    patience: float,
    n: np.ndarray,
    patience_q: float,
    short_abandon: float,
    interval: float,
    p_wait: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per offered call of a member queue whose callers have mean patience ``patience_q``, in
    the group's pooled Erlang A queue (mean patience ``patience``; ``p_wait`` its P(W > 0)):
    ``p_abandon``, ``p_abandon_short`` and ``wait`` (wait-seconds of answered calls per offered
    call).

    Every caller of the shared first-come-first-served queue meets the same offered wait V (the
    time until an agent would take them), whose law in M/M/n+M is an atom at 0 and the density
    ``n mu pi_n exp(-n mu v + y (1 - e^(-theta v)))`` (Mandelbaum & Zeltyn 2007; `erlang_a`);
    a caller with patience rate theta_q is answered with probability ``E[e^(-theta_q V)]``.
    Substituting ``u = y e^(-theta v)`` gives closed forms with ``a_q = a + theta_q / theta``
    (a = n mu / theta, y = lambda / theta; R as in `staffing.erlang`):
    ``E[e^(-theta_q V); V > 0] = P(W > 0) (a / a_q) R(a_q, y) / R(a, y)``;
    ``E[e^(-theta_q V); V > s] / E[e^(-theta_q V); V > 0] = P(a_q, y e^(-theta s)) / P(a_q, y)``;
    the answered delayed callers' wait is ``log(y / G) / theta`` with ``G ~ Gamma(a_q)``. With
    ``theta_q = theta`` these are Erlang A's own formulas (a_q = a + 1), to 1e-13. The law of V
    itself is the pooled queue's with the offered-weighted patience: an approximation when the
    members' patience differs (checked against the simulation, docs/notes/staffing_erlang.md).
    """
    out = {k: np.zeros(len(calls)) for k in ("p_abandon", "p_abandon_short", "wait")}
    busy = (calls * aht / interval >= 1e-250) & (n > 0)
    if not busy.any():
        return out
    c, h, k, pw = calls[busy], aht[busy], n[busy].astype(float), p_wait[busy]
    theta = 1.0 / patience
    a = k * patience / h
    y = c / interval * patience
    a_q = a + patience / patience_q
    base = _log_pr(a, y)
    base_q = _log_pr(a_q, y)
    share = np.exp(np.minimum(np.log(a) - np.log(a_q) + base_q[1] - base[1], 0.0))
    answered_waiting = pw * share
    s = np.full(len(c), theta * short_abandon)
    waited_long = pw * np.exp(_log_p_ratio(a, y, s, base))  # P(V > s)
    answered_long = answered_waiting * np.exp(_log_p_ratio(a_q, y, s, base_q))
    short = np.maximum((pw - waited_long) - (answered_waiting - answered_long), 0.0)
    short += -np.expm1(-short_abandon / patience_q) * waited_long
    out["p_abandon"][busy] = np.clip(pw - answered_waiting, 0.0, 1.0)
    out["p_abandon_short"][busy] = np.clip(short, 0.0, 1.0)
    out["wait"][busy] = answered_waiting * _served_wait_factor(a_q - 1.0, y) * patience
    return out


@dataclass
class _Unit:
    """One group (or one queue alone) for one forecast column: its load per interval (rows: the
    intervals in which any member is open) and its targets."""

    name: str
    members: list[str]
    starts: pd.DatetimeIndex
    calls: np.ndarray  # summed offered calls
    aht: np.ndarray  # offered-weighted handle time (plain mean where no calls)
    t: _QueueTargets  # the group's: strictest goals, offered-weighted patience and shrinkage
    member_calls: np.ndarray  # (intervals x members)
    member_targets: list[_QueueTargets]
    work: np.ndarray  # (intervals x members) offered calls x handle time
    is_open: np.ndarray  # (intervals x members): the member has a forecast row

    @property
    def per_class(self) -> bool:
        """Members' own patience matters (a group under Erlang A)."""
        return len(self.members) > 1 and self.t.patience is not None

    @property
    def floor(self) -> np.ndarray:
        """The phone policy: one agent for each open member queue."""
        return self.is_open.sum(axis=1).astype(np.int64)


def _unit(
    name: str,
    members: list[str],
    rows: pd.DataFrame,
    targets: dict[str, _QueueTargets],
    column: str = "offered",
) -> _Unit:
    """The unit of ``members`` from their forecast rows, for the calls of ``column``."""
    rows = rows.assign(work=rows[column] * rows["aht_seconds"])

    def wide(col: str) -> pd.DataFrame:
        return rows.pivot(index="interval_start", columns="queue", values=col).reindex(
            columns=members
        )

    calls = wide(column).sort_index()
    index = calls.index
    work = wide("work").reindex(index)
    offered = calls.fillna(0.0).sum(axis=1)
    total_work = work.fillna(0.0).sum(axis=1)
    plain = rows.groupby("interval_start")["aht_seconds"].mean().reindex(index)
    aht = (total_work / offered.where(offered > 0)).fillna(plain).to_numpy(dtype=float)
    member_calls = calls.fillna(0.0).to_numpy(dtype=float)
    member_targets = [targets[q] for q in members]
    if len(members) == 1:
        t = member_targets[0]
    else:
        t = _strictest(member_targets, member_calls.sum(axis=0))
    return _Unit(
        name=name,
        members=members,
        starts=pd.DatetimeIndex(index),
        calls=offered.to_numpy(dtype=float),
        aht=np.where(aht > 0, aht, 1.0),
        t=t,
        member_calls=member_calls,
        member_targets=member_targets,
        work=work.fillna(0.0).to_numpy(dtype=float),
        is_open=calls.notna().to_numpy(),
    )


def _member_counts(
    unit: _Unit,
    rows: np.ndarray,
    n: np.ndarray,
    step: float,
    *,
    want_wait: bool = True,
    want_within: bool = True,
) -> tuple[list[dict[str, np.ndarray]], dict[str, np.ndarray]]:
    """Expected counts per member queue at intervals ``rows`` with ``n`` agents (arrays of the
    same length): ``answered, abandoned, abandoned_short, wait, within``, and the pooled
    queue's metrics. Members of a group under Erlang A by their own patience
    (`_class_probabilities`); a queue alone, or a group under Erlang C, by the pooled queue."""
    t = unit.t
    c = unit.calls[rows]
    h = unit.aht[rows]
    patience = math.inf if t.patience is None else float(t.patience)
    wanted = ["p_wait", "p_abandon", "p_abandon_short", "occupancy", "answer_rate"]
    if want_within:
        wanted.append("service_level")
    if want_wait and not unit.per_class:
        wanted.append("asa")
    pooled = erlang.erlang_a(
        c,
        h,
        patience,
        n,
        threshold=t.threshold,
        short_abandon=t.short_abandon,
        interval=step,
        metrics=wanted,
    )
    pooled = {k: np.asarray(v, dtype=float) for k, v in pooled.items()}
    out = []
    for k, tq in enumerate(unit.member_targets):
        cq = unit.member_calls[rows, k]
        if unit.per_class:
            assert tq.patience is not None
            cls = _class_probabilities(
                c,
                h,
                patience,
                n,
                float(tq.patience),
                float(tq.short_abandon),
                step,
                pooled["p_wait"],
            )
            p_ab, p_short, wait = cls["p_abandon"], cls["p_abandon_short"], cls["wait"]
        else:
            p_ab, p_short = pooled["p_abandon"], pooled["p_abandon_short"]
            wait = np.zeros(len(c))
            if want_wait:
                asa = np.where(np.isfinite(pooled["asa"]), pooled["asa"], 0.0)
                wait = (1.0 - p_ab) * asa
        within = cq * pooled["service_level"] if want_within else np.zeros(len(c))
        out.append(
            {
                "answered": cq * (1.0 - p_ab),
                "abandoned": cq * p_ab,
                "abandoned_short": cq * p_short,
                "wait": cq * wait,
                "within": within,
                "p_abandon": p_ab,
                "p_abandon_short": p_short,
                "wait_per_call": wait,
            }
        )
    return out, pooled


# --------------------------------------------------------------------------------------------
# The goals as separable terms; the requirement per period
# --------------------------------------------------------------------------------------------
def _has_goals(unit: _Unit) -> bool:
    wait_or_rate = any(q.answer_rate is not None or q.asa is not None for q in unit.member_targets)
    return wait_or_rate or unit.t.service_level is not None


def _tables(
    unit: _Unit, rows: np.ndarray, lo: np.ndarray, length: np.ndarray, step: float
) -> _Tables:
    """The goals' terms phi_k(n) at intervals ``rows`` for n = lo_i .. lo_i + length_i - 1:
    for each member queue its answer rate and wait goals (its own targets), and the group's
    service level goal."""
    m = len(rows)
    width = int(length.max())
    at = np.repeat(np.arange(m), length)
    offs = np.concatenate([np.arange(k) for k in length])
    want_wait = any(q.asa is not None for q in unit.member_targets)
    want_within = unit.t.service_level is not None
    counts, pooled = _member_counts(
        unit, rows[at], lo[at] + offs, step, want_wait=want_wait, want_within=want_within
    )

    def grid(flat: np.ndarray) -> np.ndarray:
        out = np.empty((m, width))
        out[at, offs] = flat
        last = out[np.arange(m), length - 1]
        pad = np.arange(width)[None, :] >= length[:, None]
        return np.where(pad, last[:, None], out)

    phi, scale = [], []
    for k, tq in enumerate(unit.member_targets):
        cq = unit.member_calls[rows[at], k]
        total = float(unit.member_calls[rows, k].sum()) or 1.0
        mine = counts[k]
        if tq.answer_rate is not None:
            g = float(tq.answer_rate)
            phi.append(grid(mine["answered"] + g * mine["abandoned_short"] - g * cq))
            scale.append(total)
        if tq.asa is not None:
            w = float(tq.asa)
            phi.append(grid(w * mine["answered"] - mine["wait"]))
            scale.append(w * total)
    if want_within:
        s = float(unit.t.service_level)  # type: ignore[arg-type]
        c = unit.calls[rows[at]]
        phi.append(grid(c * pooled["service_level"] - s * c))
        scale.append(float(unit.calls[rows].sum()) or 1.0)
    return _Tables(phi=phi, scale=scale, length=length)


def _lower_limits(unit: _Unit, step: float) -> np.ndarray:
    """Per interval: the floor, the occupancy cap, and (Erlang C) stability."""
    t, calls, aht = unit.t, unit.calls, unit.aht
    lo = unit.floor.copy()
    busy = calls > 0
    if t.max_occupancy is not None and busy.any():
        occ = erlang.required_agents(
            calls[busy], aht[busy], interval=step, max_occupancy=t.max_occupancy
        )
        lo[busy] = np.maximum(lo[busy], np.asarray(occ, dtype=np.int64))
    if t.patience is None:
        stable = np.floor(calls * aht / step).astype(np.int64) + 1
        lo = np.where(busy, np.maximum(lo, stable), lo)
    return lo


def _extra(unit: _Unit, rows: np.ndarray, step: float) -> np.ndarray:
    """Room above the interval requirement in the tables: 2 sqrt(A) + 3 agents."""
    traffic = unit.calls[rows] * unit.aht[rows] / step
    return np.ceil(2.0 * np.sqrt(traffic)).astype(np.int64) + 3


def _interval_need(unit: _Unit, lo: np.ndarray, step: float) -> np.ndarray:
    """Every interval on its own: a queue alone, `staffing.requirements`'s requirement (Erlang
    C or A with every target); a group, the fewest agents (at least ``lo``) with which every
    member queue meets its goals in the interval (`_member_counts`) and the group its service
    level."""
    if not unit.per_class:
        return np.maximum(_need(unit.calls, unit.aht, unit.t, step), lo)
    if not _has_goals(unit):
        return lo.copy()
    rows = np.arange(len(unit.calls))
    start = np.maximum(_need(unit.calls, unit.aht, unit.t, step), lo)  # the pooled queue's
    extra = _extra(unit, rows, step)
    length = start - lo + 1 + extra
    for _ in range(4 * _MAX_EXTENSIONS):
        tables = _tables(unit, rows, lo, length, step)
        ok = np.ones((len(rows), int(length.max())), dtype=bool)
        for phi, scale in zip(tables.phi, tables.scale):
            ok &= phi >= -1e-11 * scale
        ok &= np.arange(ok.shape[1])[None, :] < length[:, None]
        found = ok.any(axis=1)
        if found.all():
            return lo + np.argmax(ok, axis=1)
        length = np.where(found, length, length + 2 * extra)
    raise RuntimeError(f"group {unit.name!r}: no staffing meets the goals in some interval")


def _solve_period(
    unit: _Unit, rows: np.ndarray, lo: np.ndarray, fallback: np.ndarray, step: float
) -> tuple[np.ndarray, int]:
    """The fewest agents at intervals ``rows`` (one period of one group) meeting every goal
    over them, at least ``lo``; ``fallback`` is a feasible allocation (the interval
    requirement). Returns the allocation and the proven lower bound on its sum."""
    if not _has_goals(unit):
        return fallback.copy(), int(fallback.sum())
    extra = _extra(unit, rows, step)
    length = np.maximum(fallback - lo, 0) + 1 + extra
    for _ in range(_MAX_EXTENSIONS):
        tables = _tables(unit, rows, lo, length, step)
        alloc, lower, at_end = _allocate(tables)
        if not at_end.any():
            break
        length = np.where(at_end, length + 2 * extra, length)
    n = lo + alloc
    if (alloc < 0).any() or int(n.sum()) > int(fallback.sum()):
        n = fallback.copy()
    return n.astype(np.int64), min(int(lo.sum()) + lower, int(n.sum()))


def _staff_unit(
    unit: _Unit, step: float, over: str
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, int, int, int]]]:
    """The requirement over ``over``, the interval requirement, and per period (label, agent-
    intervals found, lower bound, interval requirement's agent-intervals)."""
    lo = _lower_limits(unit, step)
    need = _interval_need(unit, lo, step)
    if over == "interval":
        total = int(need.sum())
        return need, need, [("all", total, total, total)]
    labels = period_labels(unit.starts, over)
    n = need.copy()
    stats = []
    for label in dict.fromkeys(labels.tolist()):
        rows = np.flatnonzero(labels == label)
        found, lower = _solve_period(unit, rows, lo[rows], need[rows], step)
        n[rows] = found
        stats.append((str(label), int(found.sum()), lower, int(need[rows].sum())))
    return n, need, stats


# --------------------------------------------------------------------------------------------
# One group: staffing per period, split over the member queues, predictions per queue
# --------------------------------------------------------------------------------------------
def _split(total: np.ndarray, work: np.ndarray, is_open: np.ndarray) -> np.ndarray:
    """Split each interval's group requirement over the member queues: one agent for each open
    queue, the rest in proportion to what each queue's share of the offered work asks beyond
    that one agent (largest remainders; by the work itself, or equally, where that is zero).
    ``work`` and ``is_open`` are (intervals x queues); returns (intervals x queues) integers."""
    out = is_open.astype(np.int64)
    rest = total.astype(np.int64) - out.sum(axis=1)
    if (rest < 0).any():
        raise AssertionError("a group requirement below its number of open queues")
    weight = np.where(is_open, work, 0.0)
    none = weight.sum(axis=1) <= 0
    weight[none] = is_open[none].astype(float)
    weight = weight / np.maximum(weight.sum(axis=1, keepdims=True), 1e-300)
    beyond = np.maximum(total[:, None] * weight - is_open, 0.0)
    room = beyond.sum(axis=1, keepdims=True)
    share = np.where(room > 0, beyond / np.where(room > 0, room, 1.0), weight)
    ideal = share * rest[:, None]
    base = np.floor(ideal).astype(np.int64)
    left = rest - base.sum(axis=1)
    frac = np.where(is_open, ideal - base, -1.0)
    rank = np.argsort(np.argsort(-frac, axis=1, kind="stable"), axis=1, kind="stable")
    return out + base + (rank < left[:, None]).astype(np.int64)


@dataclass
class _GroupResult:
    name: str
    members: list[str]
    frame: pd.DataFrame  # GROUP_COLUMNS
    queues: pd.DataFrame  # per member queue and open interval: agents, metrics, counts
    bounds: list[dict]


_QUEUE_COUNTS = ("answered", "abandoned", "abandoned_short", "answered_within", "wait_seconds")


def _queue_rows(
    unit: _Unit, parts: dict[str, np.ndarray], n: np.ndarray, step: float
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Per member queue and open interval: its agents (``parts``: the splits), its predicted
    metrics and expected counts at the group's ``n``; and the group's metrics per interval."""
    rows = np.arange(len(n))
    counts, pooled = _member_counts(unit, rows, n, step)
    frames = []
    for k, q in enumerate(unit.members):
        sel = unit.is_open[:, k]
        mine = counts[k]
        p_ab, p_short, wait = mine["p_abandon"], mine["p_abandon_short"], mine["wait_per_call"]
        rate = np.where(p_short < 1, (1 - p_ab) / np.where(p_short < 1, 1 - p_short, 1), 0.0)
        asa = np.where(p_ab < 1, wait / np.where(p_ab < 1, 1 - p_ab, 1), np.inf)
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": unit.starts[sel],
                    "queue": q,
                    **{col: v[sel, k] for col, v in parts.items()},
                    "offered": unit.member_calls[sel, k],
                    "service_level": pooled["service_level"][sel],
                    "asa_seconds": asa[sel],
                    "answer_rate": rate[sel],
                    "p_abandon": p_ab[sel],
                    "p_wait": pooled["p_wait"][sel],
                    "occupancy": pooled["occupancy"][sel],
                    "answered": mine["answered"][sel],
                    "abandoned": mine["abandoned"][sel],
                    "abandoned_short": mine["abandoned_short"][sel],
                    "answered_within": mine["within"][sel],
                    "wait_seconds": mine["wait"][sel],
                }
            )
        )
    # the group: the members' expected counts summed (the pooled queue's for one queue)
    answered = np.sum([m["answered"] for m in counts], axis=0)
    short = np.sum([m["abandoned_short"] for m in counts], axis=0)
    wait = np.sum([m["wait"] for m in counts], axis=0)
    c = unit.calls
    group = dict(pooled)
    if unit.per_class:
        group["answer_rate"] = np.where(
            c - short > 0, answered / np.where(c > short, c - short, 1), 1.0
        )
        group["p_abandon"] = np.where(c > 0, (c - answered) / np.where(c > 0, c, 1), 0.0)
        group["asa"] = np.where(answered > 0, wait / np.where(answered > 0, answered, 1), 0.0)
    elif "asa" not in group:
        group["asa"] = np.asarray(
            erlang.erlang_a(
                c,
                unit.aht,
                math.inf if unit.t.patience is None else float(unit.t.patience),
                n,
                interval=step,
                metrics=["asa"],
            )["asa"],
            dtype=float,
        )
    return pd.concat(frames, ignore_index=True), group


def _staff_group(
    name: str,
    members: list[str],
    f: pd.DataFrame,
    targets: dict[str, _QueueTargets],
    step: float,
    over: str,
) -> _GroupResult:
    """Staff one group (or one queue) over the periods and split it over its queues.

    Each period on its own (`_staff_period`): a group's pooled targets (offered-weighted
    patience and shrinkage, `_strictest`) are weighted by the calls of that period, so that a
    week's requirement does not depend on how many weeks are forecast with it (weighted over
    the whole forecast, 2026-W48's Monday 07:30 on Kontanthjælp needed 3 agents when one week
    was forecast and 4 when two were)."""
    rows = f[f["queue"].isin(members)]
    if over == "interval":
        return _staff_period(name, members, rows, targets, step, over)
    labels = period_labels(rows["interval_start"], over)
    parts = [
        _staff_period(name, members, rows[labels == label], targets, step, over)
        for label in sorted(set(labels.tolist()))
    ]
    if len(parts) == 1:
        return parts[0]
    return _GroupResult(
        name,
        members,
        pd.concat([p.frame for p in parts], ignore_index=True),
        pd.concat([p.queues for p in parts], ignore_index=True),
        [bound for p in parts for bound in p.bounds],
    )


def _staff_period(
    name: str,
    members: list[str],
    rows: pd.DataFrame,
    targets: dict[str, _QueueTargets],
    step: float,
    over: str,
) -> _GroupResult:
    """Staff one group (or one queue) from its forecast ``rows`` (one period, or all of them
    for ``interval``) and split it over its queues."""
    unit = _unit(name, members, rows, targets)
    n, n_interval, stats = _staff_unit(unit, step, over)
    lo_hi = {}
    for col, name_col in (("offered_lo", "agents_lo"), ("offered_hi", "agents_hi")):
        if col in rows:
            other = _unit(name, members, rows, targets, col)
            lo_hi[name_col] = _staff_unit(other, step, over)[0]
        else:
            lo_hi[name_col] = n
    parts = {"agents": _split(n, unit.work, unit.is_open)}
    parts.update({col: _split(v, unit.work, unit.is_open) for col, v in lo_hi.items()})
    queue_rows, g = _queue_rows(unit, parts, n, step)
    t = unit.t
    frame = pd.DataFrame(
        {
            "interval_start": unit.starts,
            "period": period_labels(unit.starts, over),
            "group": name,
            "queues": ";".join(members),
            "agents": n,
            "agents_interval": n_interval,
            "agents_gross": _gross(n, float(t.shrinkage)),
            "agents_lo": lo_hi["agents_lo"],
            "agents_hi": lo_hi["agents_hi"],
            "offered": unit.calls,
            "aht_seconds": unit.aht,
            "patience_seconds": math.inf if t.patience is None else float(t.patience),
            "traffic_erlangs": unit.calls * unit.aht / step,
            "service_level": g["service_level"],
            "asa_seconds": g["asa"],
            "answer_rate": g["answer_rate"],
            "p_abandon": g["p_abandon"],
            "p_wait": g["p_wait"],
            "occupancy": g["occupancy"],
        }
    )
    bounds = [
        {
            "period": label,
            "group": name,
            "agent_intervals": found,
            "lower_bound": lower,
            "interval_agent_intervals": interval_total,
            "optimal": found == lower,
        }
        for label, found, lower, interval_total in stats
    ]
    return _GroupResult(name, members, frame, queue_rows, bounds)


def _as_group(queue: str, req: pd.DataFrame, t: _QueueTargets, step: float) -> _GroupResult:
    """A queue staffed alone, interval by interval, as a one-queue group (from its rows of
    `staffing_requirements`)."""
    rows = req[req["queue"] == queue]
    n = rows["agents"].to_numpy(dtype=np.int64)
    calls = rows["offered"].to_numpy(dtype=float)
    aht = rows["aht_seconds"].to_numpy(dtype=float)
    patience = math.inf if t.patience is None else float(t.patience)
    m = erlang.erlang_a(
        calls,
        aht,
        patience,
        n,
        threshold=t.threshold,
        short_abandon=t.short_abandon,
        interval=step,
        metrics=["p_abandon", "p_abandon_short"],
    )
    answered = calls * (1.0 - np.asarray(m["p_abandon"], dtype=float))
    asa = rows["asa_seconds"].to_numpy(dtype=float)
    starts = pd.DatetimeIndex(rows["interval_start"])
    metrics = {c: rows[c].to_numpy() for c in _METRIC_COLUMNS}
    frame = pd.DataFrame(
        {
            "interval_start": starts,
            "period": period_labels(starts, "interval"),
            "group": queue,
            "queues": queue,
            "agents": n,
            "agents_interval": n,
            "agents_gross": rows["agents_gross"].to_numpy(),
            "agents_lo": rows["agents_lo"].to_numpy(),
            "agents_hi": rows["agents_hi"].to_numpy(),
            "offered": calls,
            "aht_seconds": aht,
            "patience_seconds": patience,
            "traffic_erlangs": rows["traffic_erlangs"].to_numpy(),
            **metrics,
        }
    )
    queue_rows = pd.DataFrame(
        {
            "interval_start": starts,
            "queue": queue,
            "agents": n,
            "agents_lo": rows["agents_lo"].to_numpy(),
            "agents_hi": rows["agents_hi"].to_numpy(),
            "offered": calls,
            **metrics,
            "answered": answered,
            "abandoned": calls - answered,
            "abandoned_short": calls * np.asarray(m["p_abandon_short"], dtype=float),
            "answered_within": calls * rows["service_level"].to_numpy(dtype=float),
            "wait_seconds": np.where(answered > 0, answered * np.where(answered > 0, asa, 0), 0.0),
        }
    )
    total = int(n.sum())
    bounds = [
        {
            "period": "all",
            "group": queue,
            "agent_intervals": total,
            "lower_bound": total,
            "interval_agent_intervals": total,
            "optimal": True,
        }
    ]
    return _GroupResult(queue, [queue], frame, queue_rows, bounds)


# --------------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------------
def _group_list(groups, queues: list[str]) -> list[tuple[str, list[str]]]:
    """Named groups covering every queue of the forecast (queues in no group stand alone)."""
    listed = _pool_list(groups, queues) if groups is not None else []
    listed = [(name, [q for q in queues if q in members]) for name, members in listed]
    grouped = {q for _, members in listed for q in members}
    out = [(name, members) for name, members in listed if len(members) > 1]
    out += [(members[0], members) for name, members in listed if len(members) == 1]
    out += [(q, [q]) for q in queues if q not in grouped]
    first = {q: k for k, q in enumerate(queues)}
    return sorted(out, key=lambda item: first[item[1][0]])


def period_requirements(
    forecast: pd.DataFrame,
    *,
    over: str = "week",
    groups: Mapping[str, Iterable[str]] | Iterable[Iterable[str]] | None = None,
    answer_rate: PerQueue = None,
    asa: PerQueue = None,
    service_level: PerQueue = None,
    threshold: PerQueue = DEFAULT_THRESHOLD,
    max_occupancy: PerQueue = None,
    patience: PerQueue = None,
    short_abandon: PerQueue = DEFAULT_SHORT_ABANDON,
    shrinkage: PerQueue = DEFAULT_SHRINKAGE,
    interval: float | None = None,
) -> PeriodStaffing:
    """Agents needed per queue and interval so that the goals hold over each period.

    ``over``: ``interval`` (every interval on its own: exactly
    `staffing.requirements.staffing_requirements` when there are no groups), ``day``, ``week``
    (ISO week) or ``month``. ``groups``: queues served by the same cross-trained agents
    (``{"name": {"Q1", "Q2"}}`` or a list of sets, as `pooled_requirements`; see
    `skill_groups`); queues in no group are staffed alone. Targets and the other arguments as
    in `staffing_requirements` (one value or ``{queue: value}``): ``answer_rate`` and ``asa``
    hold over the period for each queue (in a group too, by the queue's own patience);
    ``service_level`` for each queue alone or group (its strictest); ``max_occupancy`` in
    every interval. Every open interval of a queue gets at least one agent.

    Method, optimality and the groups' model: see the module docstring.

    Examples
    --------
    >>> t = pd.date_range("2026-03-02 09:00", periods=4, freq="15min", tz="Europe/Copenhagen")
    >>> f = pd.DataFrame({"interval_start": t, "queue": "Dagpenge",
    ...                   "offered": [2.0, 30.0, 45.0, 6.0], "aht_seconds": 300.0})
    >>> goals = dict(answer_rate=0.92, patience=300.0)
    >>> period_requirements(f, over="interval", **goals).requirements["agents"].tolist()
    [2, 10, 14, 3]
    >>> day = period_requirements(f, over="day", **goals)  # one agent-interval fewer
    >>> day.requirements["agents"].tolist()
    [1, 10, 15, 2]
    >>> round(float(day.summary.iloc[0]["answer_rate"]), 4), bool(day.bounds["optimal"].all())
    (0.9257, True)
    """
    if over not in OVER:
        raise ValueError(f"over must be one of {', '.join(OVER)}; got {over!r}")
    f = _check_forecast(forecast)
    kw = dict(
        answer_rate=answer_rate,
        asa=asa,
        service_level=service_level,
        threshold=threshold,
        max_occupancy=max_occupancy,
        patience=patience,
        short_abandon=short_abandon,
        shrinkage=shrinkage,
    )
    if f.empty:
        empty = pd.DataFrame(columns=REQUIREMENT_COLUMNS)
        return PeriodStaffing(
            over,
            empty,
            pd.DataFrame(columns=GROUP_COLUMNS),
            pd.DataFrame(columns=SUMMARY_COLUMNS),
            pd.DataFrame(columns=BOUND_COLUMNS),
            float(interval or 900.0),
        )
    f = f.assign(queue=f["queue"].astype(str))
    queues = list(dict.fromkeys(f["queue"]))
    for key, val in kw.items():  # unknown queues in a mapping are an error
        _resolve(key, val, queues, None)
    targets = _targets(queues, **kw)
    step = float(interval) if interval is not None else infer_interval_seconds(f)
    if not step > 0:
        raise ValueError(f"interval must be > 0 seconds; got {interval}")
    group_list = _group_list(groups, queues)
    if over == "interval" and all(len(m) == 1 for _, m in group_list):
        req = staffing_requirements(f, interval=step, **kw)  # today's requirement, exactly
        results = [_as_group(q, req, targets[q], step) for q in queues]
    else:
        results = [_staff_group(n, members, f, targets, step, over) for n, members in group_list]
        req = _requirements(f, results, targets, step)
    groups_frame = pd.concat([r.frame for r in results], ignore_index=True)
    summary = _summary(results, groups_frame, step, over)
    bounds = pd.DataFrame([b for r in results for b in r.bounds], columns=BOUND_COLUMNS)
    return PeriodStaffing(
        over=over,
        requirements=req,
        groups=groups_frame[GROUP_COLUMNS],
        summary=summary,
        bounds=bounds,
        interval_seconds=step,
    )


def _requirements(
    f: pd.DataFrame,
    results: list[_GroupResult],
    targets: dict[str, _QueueTargets],
    step: float,
) -> pd.DataFrame:
    """The requirements contract from the groups' splits and each queue's predicted metrics,
    in the forecast's queue order, sorted by time."""
    parts = []
    for r in results:
        for q in r.members:
            rows = f[f["queue"] == q].sort_values("interval_start")
            at = pd.DatetimeIndex(rows["interval_start"])
            mine = r.queues[r.queues["queue"] == q].set_index("interval_start").reindex(at)
            agents = mine["agents"].to_numpy(dtype=np.int64)
            calls = rows["offered"].astype(float).to_numpy()
            aht = rows["aht_seconds"].astype(float).to_numpy()
            aht = np.where(aht > 0, aht, 1.0)
            parts.append(
                pd.DataFrame(
                    {
                        "interval_start": at,
                        "queue": q,
                        "agents": agents,
                        "agents_gross": _gross(agents, float(targets[q].shrinkage)),
                        "agents_lo": mine["agents_lo"].to_numpy(dtype=np.int64),
                        "agents_hi": mine["agents_hi"].to_numpy(dtype=np.int64),
                        "offered": calls,
                        "aht_seconds": aht,
                        "traffic_erlangs": calls * aht / step,
                        **{c: mine[c].to_numpy(dtype=float) for c in _METRIC_COLUMNS},
                    }
                )
            )
    order = {q: k for k, q in enumerate(dict.fromkeys(f["queue"]))}
    out = pd.concat(parts, ignore_index=True)
    out = out.assign(_order=out["queue"].map(order)).sort_values(
        ["_order", "interval_start"], kind="stable"
    )
    return out.reset_index(drop=True)[REQUIREMENT_COLUMNS]


def _summary(
    results: list[_GroupResult],
    groups_frame: pd.DataFrame,
    step: float,
    over: str,
) -> pd.DataFrame:
    """Expected counts per queue and interval (`_queue_rows`), summed per period by
    `staffing.kpi.kpis`, with agent-hours and peaks.

    ``agent_hours_interval`` is what the interval requirement needs: per group (and centre)
    from the groups' own figures; per queue only for a queue staffed alone (NaN in a group,
    whose interval requirement is not split)."""
    by = "total" if over == "interval" else over
    group_of = {q: r.name for r in results for q in r.members}
    counts = pd.concat([r.queues for r in results], ignore_index=True)
    counts = counts[["interval_start", "queue", "offered", *_QUEUE_COUNTS, "agents"]].copy()
    counts["interval_start"] = pd.DatetimeIndex(counts["interval_start"])
    counts["agents"] = counts["agents"].astype(float)
    counts["period"] = "all" if by == "total" else period_labels(counts["interval_start"], by)
    groups = groups_frame[["interval_start", "group", "agents_interval"]].copy()
    groups["period"] = "all" if by == "total" else period_labels(groups["interval_start"], by)
    hours = step / 3600.0

    def measured(frame: pd.DataFrame, scope: str, name_col: str) -> pd.DataFrame:
        table = kpi.kpis(frame.assign(queue=frame[name_col]), by=by, total=False)
        table["period"] = "all" if by == "total" else table[kpi.period_columns(by)[0]].astype(str)
        table["scope"] = scope
        table["name"] = table["queue"]
        at_once = frame.groupby(["period", name_col, "interval_start"])["agents"].sum()
        extra = pd.DataFrame(
            {
                "agent_hours": at_once.groupby(level=[0, 1]).sum() * hours,
                "peak_agents": at_once.groupby(level=[0, 1]).max(),
            }
        )
        extra.index.names = ["period", "name"]
        return table.merge(extra.reset_index(), on=["period", "name"], how="left")

    interval_hours = groups.groupby(["period", "group"])["agents_interval"].sum() * hours
    centre = measured(counts.assign(centre=kpi.ALL_QUEUES), "centre", "centre")
    centre["agent_hours_interval"] = centre["period"].map(interval_hours.groupby(level=0).sum())
    parts = [centre]
    multi = [r.name for r in results if len(r.members) > 1]
    if multi:
        grouped = counts.assign(group=counts["queue"].map(group_of))
        part = measured(grouped[grouped["group"].isin(multi)], "group", "group")
        parts.append(part)
    parts.append(measured(counts, "queue", "queue"))
    out = pd.concat(parts, ignore_index=True)
    alone = out["scope"].eq("group") | (
        out["scope"].eq("queue") & ~out["name"].map(group_of).isin(multi)
    )
    names = out["name"].where(out["scope"].eq("group"), out["name"].map(group_of))
    looked_up = pd.MultiIndex.from_arrays([out["period"], names])
    values = interval_hours.reindex(looked_up).to_numpy(dtype=float)
    out.loc[alone, "agent_hours_interval"] = values[alone.to_numpy()]
    return out.sort_values("period", kind="stable").reset_index(drop=True)[SUMMARY_COLUMNS]


# --------------------------------------------------------------------------------------------
# A roster that puts the requirement on the phone (for the check by simulation)
# --------------------------------------------------------------------------------------------
def requirement_roster(
    result: PeriodStaffing, *, interval: float | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Agents and roster that have exactly the requirement on the phone, to check it by
    simulation (`staffing.simulation.simulate(roster, forecast, agents)`).

    Per queue, virtual agent ``k`` (id ``"<queue> #k"``) is on the phone in every interval where
    the queue's ``agents`` is more than ``k``; a member of a group is skilled for the whole
    group, its own queue first (primary), so ``routing="longest_waiting"`` simulates the pooled
    first-come-first-served queue the requirement assumes and ``primary_first`` the centre's
    routing. Returns ``(agents, roster)``: ``agent_id, team, skills, weekly_hours`` (team = the
    group) and ``agent_id, date, start, end, activity`` (``phone`` blocks, merged where they
    touch).
    """
    step = float(interval or result.interval_seconds)
    req = result.requirements
    groups = result.groups.drop_duplicates("group")[["group", "queues"]]
    members = {
        q: (row.group, row.queues.split(";"))
        for row in groups.itertuples()
        for q in row.queues.split(";")
    }
    agent_rows, roster_rows = [], []
    for q, rows in req.groupby("queue", sort=False):
        group, mates = members.get(str(q), (str(q), [str(q)]))
        skills = ";".join([str(q)] + [m for m in mates if m != q])
        starts = pd.DatetimeIndex(rows["interval_start"])
        agents = rows["agents"].to_numpy(dtype=np.int64)
        for k in range(int(agents.max()) if len(agents) else 0):
            on = starts[agents > k]
            agent_id = f"{q} #{k + 1}"
            agent_rows.append(
                {
                    "agent_id": agent_id,
                    "team": group,
                    "skills": skills,
                    "weekly_hours": len(on) * step / 3600.0,
                }
            )
            block_start = None
            last_end = None
            for t in on:
                if block_start is None or t != last_end:
                    if block_start is not None:
                        roster_rows.append((agent_id, block_start, last_end))
                    block_start = t
                last_end = t + pd.Timedelta(seconds=step)
            if block_start is not None:
                roster_rows.append((agent_id, block_start, last_end))
    agents_table = pd.DataFrame(agent_rows, columns=["agent_id", "team", "skills", "weekly_hours"])
    roster = pd.DataFrame(roster_rows, columns=["agent_id", "start", "end"])
    roster.insert(1, "date", [t.date() for t in roster["start"]])
    roster["activity"] = "phone"
    return agents_table, roster
