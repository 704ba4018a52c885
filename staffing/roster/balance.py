"""Fairness swaps: two agents exchange their shifts of one day, to narrow the spread of early or
late shifts where that lowers the plan's value.

The objective's unfairness is the weight times the highest rate of early (late) shifts less the
lowest (`staffing.roster.master.fair_rates`). It drops only when every agent at one end of the
range moves at once: a neighbourhood of three or four agent-weeks
(`staffing.roster.heuristics.improve`) seldom frees them all, and a move that takes one agent
off the end leaves the objective as it was, so a search that keeps only improvements does not
make it. On the default centre's weeks the plans of a 10-s and a 120-s search differed in this
term alone (2026-W48: unfairness 12 against 6 answered calls, coverage, meetings and hours the
same; docs/notes/roster.md).

A swap gives one shift of a kind (early or late) from a *giver* to a *taker* with a lower rate
of that kind: on a day both work, the giver working a shift of the kind and the taker one that
is not, each takes the option of their own day with the other's phone slots and paid minutes
(`_Options.matching`), so the plan has the same number of agents on the phone in every slot;
the week's hours stay inside each agent's bounds. A swap is taken when

- the LP of the plan with both new patterns fixed costs at most `SWAP_STEP` times the
  unfairness weight more than the plan (the master's objective: coverage by skill, meetings,
  wishes, hours, the fairness range itself), and at most `SWAP_DRIFT` times it more than the
  plan the call started from, since the range narrows only with the last agent off its end,
  and
- the sum over the fairness rows' agents of their squared rates drops (a potential that falls
  with every swap taken and takes finitely many values, so the swaps cannot cycle);

the swaps of one call are kept when together they lower the plan's value, and all undone
otherwise (the search keeps only improvements). Without the step, a swap that takes one agent
off an end at the cost of a wish or of one interval's coverage by skill was never taken; with
the swaps of a call kept when they only keep the value, four seeds at 10 s on five weeks
summed 374.8 answered calls lost against 370.8 (docs/notes/roster.md).

The candidates: every agent at an end of a range, paired with up to `PARTNERS` agents further
in (those with the same skills first: their swaps keep the coverage by skill too), only at an
end of at most `PARTNERS` agents, all free to move (a call that cannot clear an end cannot
narrow the range). The search tries them at its start and after each improvement; after a call
that kept nothing it waits for 1, 2, 4, ... improvements, and a call takes at most
`SWAP_SHARE` of the time left. At 300 agents (`benchmarks/roster_quality.py --weeks
scaled-300 --limits 60`), where every end has dozens of agents, calls of 60 tries (2-3 s
each, after every improvement) kept nothing and left the plan at 718.2 answered calls lost
against 678.9 without the swaps; with the ends and the waiting as they are, 669.2.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from staffing.roster.compact import CompactLP
from staffing.roster.instance import WeekPlan
from staffing.roster.master import Master, fair_rates
from staffing.roster.patterns import DayOptions, Pattern, make_pattern

__all__ = ["Swap", "FairSwaps"]

#: Evaluations (one LP solve each) a call of `FairSwaps.run` tries at most.
MAX_TRIES = 60
#: A swap may cost up to `SWAP_STEP` times the unfairness weight (an interval's coverage by
#: skill, a wish), the swaps of one call together up to `SWAP_DRIFT` times it (module
#: docstring).
SWAP_STEP = 0.25
SWAP_DRIFT = 1.0
#: The share of the search's time left that one call of `FairSwaps.run` takes at most.
SWAP_SHARE = 0.25
#: Agents at the end of a range that `FairSwaps.candidates` moves at most, and partners it
#: pairs with each (a large centre has hundreds at an end).
PARTNERS = 12


@dataclass(frozen=True)
class Swap:
    """One candidate: the giver's and the taker's agent-weeks and their new patterns."""

    giver: tuple[int, str]
    taker: tuple[int, str]
    giver_pattern: Pattern
    taker_pattern: Pattern
    #: the change of the potential (sum of squared rates); negative
    delta: float
    #: whether the two agents have the same skills
    same_skills: bool


@dataclass
class _Options:
    """Per agent and day, each option's index by what it puts on the phone and pays (the
    cheapest in wishes when several do)."""

    m: Master
    cache: dict[tuple[int, int], dict[tuple[bytes, int], int]] = field(default_factory=dict)

    def by_shape(self, agent: int, day: int) -> dict[tuple[bytes, int], int]:
        key = (agent, day)
        if key not in self.cache:
            opts = self.m.options.get(key)
            shapes: dict[tuple[bytes, int], int] = {}
            if opts is not None:
                for o in np.argsort(opts.wish, kind="stable").tolist():
                    shapes.setdefault(_shape(opts, o), int(o))
            self.cache[key] = shapes
        return self.cache[key]

    def matching(self, agent: int, day: int, other: DayOptions, o: int) -> int | None:
        """The option of ``agent`` on ``day`` with the phone slots and paid minutes of
        option ``o`` of ``other`` (another agent's options that day); None when it has none."""
        return self.by_shape(agent, day).get(_shape(other, o))


def _shape(opts: DayOptions, o: int) -> tuple[bytes, int]:
    return (np.packbits(opts.phone[o]).tobytes(), int(opts.paid[o]))


class FairSwaps:
    """The fairness swaps of a search over the agent-weeks ``free_keys`` of ``m``."""

    def __init__(
        self, m: Master, free_keys: list[tuple[int, str]], rng: np.random.Generator
    ) -> None:
        self.m = m
        self.rng = rng
        self.free = set(free_keys)
        self.plans: dict[tuple[int, str], WeekPlan] = {(p.agent, p.week): p for p in m.inst.weeks}
        self.options = _Options(m)
        self.on = m.inst.rules.weight_unfair > 0 and bool(m.fair_agents)
        self.col_of: dict[tuple, int] = {}
        self.indexed = 0  # the master's patterns in ``col_of``
        #: the count of the search's improvements from which the swaps are tried again
        self.next_try = 0
        self.wait = 0  # improvements to wait after a call that kept nothing (doubling)

    def due(self, improvements: int) -> bool:
        """Whether to try the swaps now that the search has made ``improvements``: once per
        improvement, and after a call that kept nothing only once the search has made as many
        more as it waits (1, 2, 4, ...: at 300 agents every call of 60 tries, 2-3 s, kept
        nothing, and the search had 25 s)."""
        return improvements >= self.next_try

    def tried(self, improvements: int, kept: int) -> None:
        """Note a call that kept ``kept`` swaps, the search's improvements (the call's own
        counted) now ``improvements``."""
        self.wait = 0 if kept else max(1, 2 * self.wait)
        self.next_try = improvements + max(self.wait, 1)

    def _index(self) -> None:
        """Bring ``col_of`` (pattern -> its column) up to date with the master's patterns."""
        m = self.m
        for n in range(self.indexed, len(m.pattern_col)):
            p = m.patterns[n]
            self.col_of[(p.agent, p.week, p.choice)] = m.pattern_col[n]
        self.indexed = len(m.pattern_col)

    def candidates(self, chosen: dict[tuple[int, str], int]) -> list[Swap]:
        """The swaps of the plan ``chosen`` (pattern column per agent-week) that lower the
        potential, for each kind of shift whose range is not zero: every agent at each end of
        the range (givers at the top, takers at the bottom), each with `PARTNERS` partners
        further in at most (those with its skills first); none at an end of more than
        `PARTNERS` agents or with one not free to move (a call could not clear it, and the
        range narrows only then). Ordered same skills first, then by the potential's drop (the
        largest first)."""
        self._index()
        m = self.m
        week_of = {k[0]: k for k in chosen if k in self.free}  # agent -> a free agent-week
        plan = {k: m.pattern_at(c) for k, c in chosen.items()}
        rates = fair_rates(m, plan.values())
        out: list[Swap] = []
        seen: set[tuple] = set()
        for label, rate in rates.items():
            top, bottom = max(rate.values()), min(rate.values())
            if top - bottom < 1e-9:
                continue
            high = [a for a in rate if rate[a] >= top - 1e-9]
            low = [a for a in rate if rate[a] <= bottom + 1e-9]
            for end, gives in ((high, True), (low, False)):
                if len(end) > PARTNERS or any(a not in week_of for a in end):
                    continue  # more than a call can move, or one not free to: the range stays
                inner = [b for b in rate if b in week_of and b not in end]
                for a in end:
                    for b in self._some(inner, like=a):
                        giver, taker = (a, b) if gives else (b, a)
                        if rate[taker] >= rate[giver] - 1e-9:
                            continue
                        for swap in self._swaps(label, week_of[giver], week_of[taker], plan, rates):
                            key = (
                                swap.giver,
                                swap.taker,
                                swap.giver_pattern.choice,
                                swap.taker_pattern.choice,
                            )
                            if key not in seen:
                                seen.add(key)
                                out.append(swap)
        return sorted(out, key=lambda s: (not s.same_skills, s.delta))

    def _some(self, agents: list[int], like: int) -> list[int]:
        """At most `PARTNERS` of ``agents``, at random, those with the skills of ``like``
        first."""
        order = [agents[i] for i in self.rng.permutation(len(agents))]
        skills = set(self.m.inst.agents[like].skills)
        order.sort(key=lambda b: set(self.m.inst.agents[b].skills) != skills)
        return order[:PARTNERS]

    def _swaps(
        self,
        label: str,
        giver: tuple[int, str],
        taker: tuple[int, str],
        plan: dict[tuple[int, str], Pattern],
        rates: dict[str, dict[int, float]],
    ) -> list[Swap]:
        """The swaps of one day's shifts by which ``giver`` hands a shift of ``label`` to
        ``taker`` and the potential drops."""
        m = self.m
        g_pat, t_pat = plan[giver], plan[taker]
        g_days, t_days = dict(g_pat.choice), dict(t_pat.choice)
        same = set(m.inst.agents[giver[0]].skills) == set(m.inst.agents[taker[0]].skills)
        weight = m.inst.rules.weight_hours_deviation
        out = []
        for d, g_o in g_days.items():
            t_o = t_days.get(d)
            if t_o is None:
                continue
            g_opts, t_opts = m.options[(giver[0], d)], m.options[(taker[0], d)]
            kind = g_opts.early if label == "early" else g_opts.late
            t_kind = t_opts.early if label == "early" else t_opts.late
            if not kind[g_o] or t_kind[t_o]:
                continue
            g_new = self.options.matching(giver[0], d, t_opts, t_o)
            t_new = self.options.matching(taker[0], d, g_opts, g_o)
            if g_new is None or t_new is None:
                continue
            g_plan, t_plan = self.plans[giver], self.plans[taker]
            g_swapped = _pattern(m, g_plan, g_days, d, g_new, weight)
            t_swapped = _pattern(m, t_plan, t_days, d, t_new, weight)
            if g_swapped is None or t_swapped is None:
                continue
            delta = _potential_change(m, rates, (g_pat, t_pat), (g_swapped, t_swapped))
            if delta < -1e-9:
                out.append(Swap(giver, taker, g_swapped, t_swapped, delta, same))
        return out

    def run(
        self,
        lp: CompactLP,
        solve: Callable[[], np.ndarray],
        chosen: dict[tuple[int, str], int],
        value: float,
        by_week: dict[tuple[int, str], list[int]],
        deadline: float,
    ) -> tuple[float, int, bool]:
        """Try the swaps of the plan ``chosen`` (its LP's value ``value``), taking each that
        passes (module docstring), until none is left, `MAX_TRIES` LPs were solved or
        `SWAP_SHARE` of the time to the search's ``deadline`` (`time.perf_counter`) passed;
        all are undone unless the plan's value dropped. ``chosen`` is updated in place.
        Returns the plan's value, the swaps kept and whether the LP was left unsolved (its
        last solve a rejected swap's)."""
        start_value, start = value, dict(chosen)
        now = time.perf_counter()
        deadline = min(deadline, now + SWAP_SHARE * max(deadline - now, 0.0))
        weight = self.m.inst.rules.weight_unfair
        step, drift = SWAP_STEP * weight, SWAP_DRIFT * weight
        kept = tries = 0
        stale = False
        while tries < MAX_TRIES and time.perf_counter() < deadline:
            found = False
            for swap in self.candidates(chosen):
                if tries >= MAX_TRIES or time.perf_counter() >= deadline:
                    break
                tries += 1
                lp.add_patterns([swap.giver_pattern, swap.taker_pattern])
                self._index()
                new = {
                    swap.giver: self.col_of[_key(swap.giver_pattern)],
                    swap.taker: self.col_of[_key(swap.taker_pattern)],
                }
                for k, col in new.items():
                    if col not in by_week[k]:
                        by_week[k].append(col)
                    lp.fix(by_week[k], col)
                solve()
                now = lp.objective()
                if lp.optimal() and now <= min(value + step, start_value + drift):
                    value = now
                    chosen.update(new)
                    kept += 1
                    stale = False
                    found = True
                    break  # the rates changed: the candidates anew
                for k in new:
                    lp.fix(by_week[k], chosen[k])
                stale = True
            if not found:
                break
        if value > start_value - 1e-6:  # the swaps gained nothing together: all undone
            for k, col in start.items():
                if chosen[k] != col:
                    lp.fix(by_week[k], col)
            chosen.update(start)
            return start_value, 0, True
        return value, kept, stale


def _key(p: Pattern) -> tuple:
    return (p.agent, p.week, p.choice)


def _pattern(
    m: Master, plan: WeekPlan, days: dict[int, int], day: int, option: int, weight: float
) -> Pattern | None:
    """The week ``days`` (option per day worked) with ``option`` on ``day``; None when its
    paid hours leave the agent-week's bounds."""
    picks = [(d, option if d == day else o) for d, o in days.items()]
    picks.sort(key=lambda p: plan.days.index(p[0]))
    pattern = make_pattern(plan, m.week_options(plan), picks, weight)
    if not plan.lo_minutes - 1e-6 <= pattern.paid_minutes <= plan.hi_minutes + 1e-6:
        return None
    return pattern


def _potential_change(
    m: Master,
    rates: dict[str, dict[int, float]],
    old: tuple[Pattern, Pattern],
    new: tuple[Pattern, Pattern],
) -> float:
    """The change of the sum of squared rates when the patterns ``old`` become ``new`` (the
    same two agents)."""
    delta = 0.0
    for label, rate in rates.items():
        for before, after in zip(old, new, strict=True):
            a = before.agent
            if a not in rate:
                continue
            step = m.fair_scale[a] * (getattr(after, label) - getattr(before, label))
            delta += (rate[a] + step) ** 2 - rate[a] ** 2
    return delta
