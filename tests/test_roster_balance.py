"""The fairness swaps (`staffing.roster.balance`) against independent references.

The references: a plan's value is the objective of a fresh LP built from the master with the
plan's patterns fixed (no basis or state shared with the swaps); its early and late shifts are
counted from the patterns' days and their options (every agent here has five workable days,
so a rate is a count); the phone coverage is the sum of the agents' phone slots per day.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest
import roster_cases as rc
from hypothesis import given, settings
from hypothesis import strategies as st

import staffing.roster.balance as balance
import staffing.roster.heuristics as heuristics
from staffing.roster.compact import CompactLP
from staffing.roster.instance import build_instance
from staffing.roster.master import (
    Master,
    add_columns,
    build_master,
    column_generation,
    solve_with_cuts,
)
from staffing.roster.patterns import Pattern, price_pattern
from staffing.roster.rules import ShiftRules

WEEK = [rc.monday(i) for i in range(5)]
#: Fairness on (2 answered calls per early or late shift of range), no meetings.
FAIR = ShiftRules(meetings=(), weight_wish=0.0, weight_unfair=2.0)


def _master(staff, rules: ShiftRules) -> Master:
    """Queue Q needing one agent 07:30-16:00 all week; the master after column generation."""
    req = rc.requirements(WEEK, {"Q": 1}, start="07:30", end="16:00")
    m = build_master(build_instance(req, staff, rules))
    column_generation(m, time_budget=5.0, gap=0.0)
    return m


def _biased(m: Master, agent: int, early: float) -> Pattern:
    """The agent's week priced with ``early`` added to the cost of every early option (< 0:
    as many early shifts as it can, > 0: none)."""
    plan = next(p for p in m.inst.weeks if p.agent == agent)
    options = m.week_options(plan)
    costs = [None if o is None else early * o.early.astype(float) for o in options]
    rules = m.inst.rules
    pattern, _ = price_pattern(
        plan,
        options,
        costs,
        max_days=rules.max_days_per_week,
        step=rules.interval_minutes,
        weight_hours=rules.weight_hours_deviation,
    )
    assert pattern is not None
    return pattern


def _unfair_plan(m: Master, biases: list[float]) -> dict[tuple[int, str], int]:
    """One biased pattern per agent (`_biased`), added to the master: the plan."""
    patterns = [_biased(m, a, b) for a, b in enumerate(biases)]
    add_columns(m.lp, m, patterns)
    col = {(p.agent, p.week, p.choice): c for p, c in zip(m.patterns, m.pattern_col, strict=True)}
    return {(p.agent, p.week): col[(p.agent, p.week, p.choice)] for p in patterns}


def _pattern_of(m: Master, col: int) -> Pattern:
    return m.patterns[m.pattern_col.index(col)]


def _counts(m: Master, plan: dict[tuple[int, str], int], label: str) -> dict[int, int]:
    """Each agent's shifts of ``label`` in the plan, from its days' options."""
    out = {}
    for (a, _w), col in plan.items():
        p = _pattern_of(m, col)
        out[a] = sum(int(getattr(m.options[(a, d)], label)[o]) for d, o in p.choice)
    return out


def _phone(m: Master, plan: dict[tuple[int, str], int]) -> dict[int, np.ndarray]:
    """Agents on the phone per day and slot."""
    out: dict[int, np.ndarray] = {}
    for (a, _w), col in plan.items():
        for d, o in _pattern_of(m, col).choice:
            slots = m.options[(a, d)].phone[o].astype(int)
            out[d] = out.get(d, 0) + slots
    return out


def _search_lp(m: Master, plan: dict[tuple[int, str], int]) -> tuple[CompactLP, float]:
    """The master's LP with the plan fixed and solved (as `improve` has it) and its compact
    LP."""
    h = m.lp
    for key, cols in heuristics._cols_by_week(m).items():
        for col in cols:
            value = float(col == plan[key])
            h.changeColBounds(col, value, value)
    solve_with_cuts(h, m)
    return CompactLP(m, h), float(h.getInfo().objective_function_value)


@cache
def _three_alike() -> Master:
    """Three agents with the same skill, the fairness rows on."""
    return _master(rc.agents(*({"skills": "Q"} for _ in range(3))), FAIR)


def test_swaps_narrow_the_early_range_at_no_cost_of_coverage():
    """Agent 0 works every early shift, agents 1 and 2 none (range 5): the swaps leave a range
    of at most 1, the phone coverage slot by slot as it was, every week in its hours' bounds,
    and report the value a fresh LP gives the plan, below the start's."""
    m = _master(rc.agents(*({"skills": "Q"} for _ in range(3))), FAIR)
    plan = _unfair_plan(m, [-1.0, 1.0, 1.0])
    early = _counts(m, plan, "early")
    assert max(early.values()) - min(early.values()) >= 4  # the case is unfair
    start_phone = _phone(m, plan)
    lp, start = _search_lp(m, plan)
    assert start == pytest.approx(rc.fresh_value(m, plan), abs=1e-6)

    chosen = dict(plan)
    swaps = balance.FairSwaps(m, list(plan), np.random.default_rng(0))
    value, kept, _stale = swaps.run(
        lp, lp.solve, chosen, start, heuristics._cols_by_week(m), deadline=math.inf
    )

    assert kept >= 2
    early = _counts(m, chosen, "early")
    assert max(early.values()) - min(early.values()) <= 1
    assert value == pytest.approx(rc.fresh_value(m, chosen), abs=1e-6)  # what it says it is
    assert value < start - 1e-6
    after_phone = _phone(m, chosen)
    for d, slots in start_phone.items():
        assert np.array_equal(after_phone[d], slots)
    for key, col in chosen.items():
        plan_ = next(p for p in m.inst.weeks if (p.agent, p.week) == key)
        assert plan_.lo_minutes <= _pattern_of(m, col).paid_minutes <= plan_.hi_minutes


def _wishing_pair() -> tuple[Master, dict[tuple[int, str], int]]:
    """Agent 0 works every early shift, agent 1 (who wishes no early shift on each weekday)
    none, the unfairness weight tiny: every swap costs a wish and gains less."""
    rules = ShiftRules(meetings=(), weight_wish=0.5, weight_unfair=0.01)
    no_early = ";".join(f"no_{d}_early" for d in ("mon", "tue", "wed", "thu", "fri"))
    staff = rc.agents({"skills": "Q"}, {"skills": "Q", "preferences": no_early})
    m = _master(staff, rules)
    return m, _unfair_plan(m, [-1.0, 1.0])


def test_a_swap_that_costs_more_than_it_gains_is_not_kept():
    m, plan = _wishing_pair()
    lp, start = _search_lp(m, plan)
    chosen = dict(plan)
    swaps = balance.FairSwaps(m, list(plan), np.random.default_rng(0))
    assert swaps.candidates(chosen)  # there are swaps to try
    value, kept, _stale = swaps.run(
        lp, lp.solve, chosen, start, heuristics._cols_by_week(m), deadline=math.inf
    )
    assert (value, kept, chosen) == (start, 0, plan)


def test_swaps_that_end_dearer_than_the_start_are_all_undone(monkeypatch):
    """With every swap allowed (step and drift unbounded) the swaps are kept one by one and
    the call ends dearer than it started: the plan goes back to the start, and its LP solved
    again has the start's value."""
    monkeypatch.setattr(balance, "SWAP_STEP", 1e6)
    monkeypatch.setattr(balance, "SWAP_DRIFT", 1e6)
    m, plan = _wishing_pair()
    lp, start = _search_lp(m, plan)
    chosen = dict(plan)
    swaps = balance.FairSwaps(m, list(plan), np.random.default_rng(0))
    value, kept, stale = swaps.run(
        lp, lp.solve, chosen, start, heuristics._cols_by_week(m), deadline=math.inf
    )
    assert (value, kept, stale) == (start, 0, True)
    assert chosen == plan
    lp.solve()
    assert lp.objective() == pytest.approx(start, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(picks=st.lists(st.integers(min_value=0, max_value=10**6), min_size=3, max_size=3))
def test_every_candidate_exchanges_one_days_shifts_and_lowers_the_potential(picks):
    """For plans of patterns drawn from column generation's, every candidate: the two agents'
    other days as they were, the day's phone slots and paid minutes exchanged, one shift of
    the kind passed from the giver to the taker, the hours in bounds, and its ``delta`` the
    change of the sum of squared counts (counted here)."""
    m = _three_alike()
    by_week = heuristics._cols_by_week(m)
    keys = sorted(by_week)
    plan = {k: by_week[k][n % len(by_week[k])] for k, n in zip(keys, picks, strict=True)}
    swaps = balance.FairSwaps(m, keys, np.random.default_rng(picks[0]))
    before = {label: _counts(m, plan, label) for label in ("early", "late")}
    for swap in swaps.candidates(plan):
        old = {k: _pattern_of(m, plan[k]) for k in (swap.giver, swap.taker)}
        new = {swap.giver: swap.giver_pattern, swap.taker: swap.taker_pattern}
        changed = {
            k: {d for d, o in dict(old[k].choice).items() if dict(new[k].choice).get(d) != o}
            for k in old
        }
        assert changed[swap.giver] == changed[swap.taker] and len(changed[swap.giver]) == 1
        (day,) = changed[swap.giver]
        for k, other in ((swap.giver, swap.taker), (swap.taker, swap.giver)):
            assert set(dict(old[k].choice)) == set(dict(new[k].choice))  # the same days
            mine = m.options[(k[0], day)]
            theirs = m.options[(other[0], day)]
            o_new, o_other = dict(new[k].choice)[day], dict(old[other].choice)[day]
            assert np.array_equal(mine.phone[o_new], theirs.phone[o_other])
            assert mine.paid[o_new] == theirs.paid[o_other]
            week = next(p for p in m.inst.weeks if (p.agent, p.week) == k)
            assert week.lo_minutes <= new[k].paid_minutes <= week.hi_minutes
        delta = 0.0
        passed = False
        for label in ("early", "late"):
            counts = dict(before[label])
            for k, p in new.items():
                counts[k[0]] = sum(
                    int(getattr(m.options[(k[0], d)], label)[o]) for d, o in p.choice
                )
            giver, taker = swap.giver[0], swap.taker[0]
            gives = (counts[giver], counts[taker]) == (
                before[label][giver] - 1,
                before[label][taker] + 1,
            )
            passed = passed or gives
            fair = m.fair_agents.get(label, [])
            delta += sum(counts[a] ** 2 - before[label][a] ** 2 for a in fair)
        assert passed
        assert swap.delta == pytest.approx(delta, abs=1e-9)
        assert swap.delta < 0


def test_an_end_larger_than_a_call_can_clear_gets_no_swaps(monkeypatch):
    """Agent 0 alone at the top of the early range, agents 1 and 2 at its bottom: with one
    agent a call may move (and one partner each), agent 0 gives to one partner only (the
    bottom, two agents, gets no swaps of its own)."""
    m = _master(rc.agents(*({"skills": "Q"} for _ in range(3))), FAIR)
    plan = _unfair_plan(m, [-1.0, 1.0, 1.0])
    swaps = balance.FairSwaps(m, list(plan), np.random.default_rng(0))
    early = _counts(m, plan, "early")
    assert early[0] > early[1] == early[2]
    monkeypatch.setattr(balance, "PARTNERS", 1)
    found = swaps.candidates(plan)
    early_moves = [s for s in found if s.giver_pattern.early < _pattern_of(m, plan[s.giver]).early]
    assert early_moves
    assert all(s.giver[0] == 0 for s in early_moves)
    assert len({s.taker for s in early_moves}) == 1
    monkeypatch.setattr(balance, "PARTNERS", 0)
    assert swaps.candidates(plan) == []


def test_after_calls_that_keep_nothing_the_swaps_wait_longer():
    """Due at once; after calls that kept nothing, due again 1, 2, 4 improvements later;
    after one that kept swaps, at the next improvement."""
    swaps = balance.FairSwaps(_three_alike(), [], np.random.default_rng(0))
    assert swaps.due(0)
    swaps.tried(0, 0)
    assert [swaps.due(n) for n in (0, 1)] == [False, True]
    swaps.tried(1, 0)
    assert [swaps.due(n) for n in (2, 3)] == [False, True]
    swaps.tried(3, 0)
    assert [swaps.due(n) for n in (6, 7)] == [False, True]
    swaps.tried(8, 2)
    assert [swaps.due(n) for n in (8, 9)] == [False, True]
