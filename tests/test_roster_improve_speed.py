"""The cheaper rounds of the neighbourhood search and the dive's one-step rounding when the LP is
too slow (`staffing.roster.heuristics`: `_round_free`, `improve`, `dive`).

Checked against independent references: the plan `improve` returns is measured again on a
fresh LP built from the master (its patterns fixed, solved to the end with every violated row),
and must be no worse than the start plan measured alike; `_round_free` fixes exactly one
pattern per freed agent-week, the LP's own best when it is integral, with a single solve then;
a dive told that column generation's LP was slow solves no LP and fixes every agent-week at
its best pattern in column generation's values (the repair aside).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
import roster_cases as rc

import staffing.roster.heuristics as heuristics
from staffing.roster.compact import CompactLP
from staffing.roster.instance import build_instance
from staffing.roster.master import (
    build_master,
    seed_patterns,
    solve_with_cuts,
    to_highs,
)


def _by_week(master) -> dict[tuple[int, str], list[int]]:
    out = defaultdict(list)
    for n, col in enumerate(master.pattern_col):
        pattern = master.patterns[n]
        out[(pattern.agent, pattern.week)].append(col)
    return out


def _chosen(master, x) -> dict[tuple[int, str], int]:
    out = {}
    for key, cols in _by_week(master).items():
        values = [x[c] for c in cols]
        assert np.isclose(max(values), 1.0) and np.isclose(sum(values), 1.0)
        out[key] = cols[int(np.argmax(values))]
    return out


@pytest.mark.parametrize("seed", range(3))
def test_improve_measured_on_a_fresh_lp_is_no_worse_than_its_start(seed):
    """From a poor plan (each agent-week on a random generated pattern) `improve` returns one
    pattern per agent-week; measured on a fresh LP its plan is no worse than the start, and
    better when it says so; the master's LP it leaves holds the returned plan (the search
    ran on `staffing.roster.compact.CompactLP`; solved again, the master's LP gives the plan's
    value)."""
    master = rc.two_queue_master()
    rng = np.random.default_rng(seed)
    by_week = _by_week(master)
    start = {key: int(rng.choice(cols)) for key, cols in by_week.items()}
    h = master.lp
    for key, cols in by_week.items():
        for col in cols:
            h.changeColBounds(col, float(col == start[key]), float(col == start[key]))
    x = solve_with_cuts(h, master)
    before = rc.fresh_value(master, start)
    x, better = heuristics.improve(master, x, time_budget=2.0, size=3, seed=seed)
    chosen = _chosen(master, x)
    after = rc.fresh_value(master, chosen)
    assert after <= before + 1e-6
    if better:
        assert after < before - 1e-6
    solve_with_cuts(h, master)
    assert heuristics._optimal(h)
    assert np.isclose(h.getInfo().objective_function_value, after, atol=1e-6)


def test_round_free_fixes_an_integral_lp_in_one_solve():
    """When every freed agent-week has a pattern at 1 in the LP, `_round_free` fixes them all
    at it and solves once (the LP's value is then the plan's); otherwise one solve per step,
    and each freed agent-week ends with exactly one pattern fixed at 1."""
    req = rc.requirements([rc.monday()], {"Q": 1, "R": 1}, start="07:30", end="16:00")
    agents = rc.agents({"skills": "Q"}, {"skills": "Q;R"}, {"skills": "R"})
    master = build_master(build_instance(req, agents, rc.PLAIN))
    seed_patterns(master, enumerate_limit=10_000)
    h = to_highs(master)
    master.lp = h
    by_week = _by_week(master)
    # every agent-week free in the LP
    for cols in by_week.values():
        for col in cols:
            h.changeColBounds(col, 0.0, 1.0)
    x = solve_with_cuts(h, master)
    lp = CompactLP(master, h)  # as `improve` runs it (every pattern free: all of them in it)
    solves = []

    def solve():
        solves.append(1)
        return lp.solve()

    integral = all(max(x[c] for c in cols) >= 0.99 for cols in by_week.values())
    new = heuristics._round_free(lp, by_week, set(by_week), x, solve)
    assert set(new) == set(by_week)
    model = lp.h.getLp()
    for key, cols in by_week.items():
        bounds = [
            (model.col_lower_[lp.pos[c]], model.col_upper_[lp.pos[c]]) if lp.pos[c] >= 0 else (0, 0)
            for c in cols
        ]
        assert bounds == [(float(c == new[key]), float(c == new[key])) for c in cols]
    if integral:
        assert len(solves) == 1
        assert all(new[key] == max(cols, key=lambda c: x[c]) for key, cols in by_week.items())
    else:
        assert 1 <= len(solves) <= len(by_week)


def test_a_dive_on_a_slow_lp_rounds_column_generations_values_without_solving(monkeypatch):
    """Column generation's last LP slower than the dive's first-LP share: the dive solves no
    LP and fixes every agent-week, each at its best pattern in column generation's values
    unless the floor repair moved it; the values returned have one pattern at 1 each."""
    master = rc.two_queue_master()
    assert master.lp_x is not None
    cg_x = np.pad(master.lp_x, (0, master.n_cols - len(master.lp_x)))
    master.lp_seconds = 1e9
    calls = []

    def counting(h, m, **kw):
        calls.append(1)
        return solve_with_cuts(h, m, **kw)

    monkeypatch.setattr(heuristics, "solve_with_cuts", counting)
    x, fixed = heuristics.dive(master, time_budget=5.0)
    assert not calls
    assert fixed == set(_by_week(master))
    chosen = _chosen(master, x)
    best = {key: max(cols, key=lambda c: cg_x[c]) for key, cols in _by_week(master).items()}
    same = sum(chosen[key] == best[key] for key in best)
    assert same >= len(best) // 2  # the repair moves few


@pytest.fixture(scope="module")
def fair_master():
    """The two-queue week with the fairness rule on (early and late shifts spread evenly),
    after column generation: patterns with different numbers of early and late shifts."""
    from staffing.roster.master import column_generation
    from staffing.roster.rules import ShiftRules

    week = [rc.monday(i) for i in range(5)]
    needs = [1] * 4 + [3] * 14 + [2] * 16
    req = rc.requirements(week, {"Q": needs, "R": 1}, start="07:30", end="16:00")
    staff = rc.agents(*({"skills": s} for s in ("Q", "Q;R", "R", "Q", "Q;R", "Q", "Q", "R")))
    rules = ShiftRules(meetings=(), weight_wish=0.0, weight_unfair=2.0)
    master = build_master(build_instance(req, staff, rules))
    column_generation(master, time_budget=5.0, gap=0.01)
    return master


def _rates(master, chosen, label: str) -> dict[int, float]:
    """Each eligible agent's rate of ``label`` shifts in the plan, from the patterns (the
    objective's definition: `staffing.roster.readback.objective_parts`)."""
    pattern_at = {col: master.patterns[n] for n, col in enumerate(master.pattern_col)}
    eligible = [k[2] for k in master.row_of if k[0] == "fair_hi" and k[1] == label]
    count = defaultdict(float)
    for (agent, _week), col in chosen.items():
        count[agent] += getattr(pattern_at[col], label)
    return {a: master.fair_scale[a] * count[a] for a in eligible}


@pytest.mark.parametrize("size", [2, 4])
def test_the_fairness_neighbourhood_frees_a_whole_end_of_the_range(fair_master, size):
    """On random plans: `_Fairness.extremes` frees every agent at the end of the early (or
    late) range with fewer agents when they fit, and one at the other end, so that the rates
    of the agents it leaves fixed span strictly less than the plan's range; None only when
    every range is zero."""
    master = fair_master
    by_week = _by_week(master)
    keys = sorted(by_week)
    fairness = heuristics._Fairness(master, keys)
    assert fairness.on and set(master.fair_agents) == {"early", "late"}
    rng = np.random.default_rng(7)
    narrowed = 0
    for _ in range(60):
        chosen = {k: by_week[k][int(rng.integers(len(by_week[k])))] for k in keys}
        rates = {label: _rates(master, chosen, label) for label in ("early", "late")}
        spans = {label: max(r.values()) - min(r.values()) for label, r in rates.items()}
        ends = fairness.extremes(chosen, size, rng)
        if ends is None:
            assert all(span < 1e-9 for span in spans.values())
            continue
        freed = {agent for agent, _week in ends}
        assert len(ends) <= max(size, 2) and len(freed) == len(ends)
        # for one of the kinds (the one picked): the whole smaller end and one agent at the
        # other, so the agents left fixed span less; or, when that end does not fit, as many
        # of it as fit and one at the other end
        whole, part = False, False
        for label, r in rates.items():
            if spans[label] < 1e-9:
                continue
            top, bottom = max(r.values()), min(r.values())
            high = {a for a, v in r.items() if v >= top - 1e-9}
            low = {a for a, v in r.items() if v <= bottom + 1e-9}
            few, many = (high, low) if len(high) <= len(low) else (low, high)
            if few <= freed and len(freed & many) == 1 and len(freed) == len(few) + 1:
                kept = [v for a, v in r.items() if a not in freed]
                assert max(kept) - min(kept) < spans[label] - 1e-9
                whole = True
            fit = max(size - 1, 1)
            if len(few) > fit and len(freed & few) == fit and len(freed & many) == 1:
                part = True
        assert whole or part, "the agents freed are an end of a range that is not zero"
        narrowed += whole
    assert narrowed > 0


def _reference_value(master, bounds: dict[int, tuple[float, float]]) -> float:
    """The master's LP built afresh (every column, every row the master has), the pattern
    columns bounded as ``bounds`` says, solved with its violated rows added."""
    h = to_highs(master)
    for col, (lo, hi) in bounds.items():
        h.changeColBounds(col, lo, hi)
    solve_with_cuts(h, master)
    assert heuristics._optimal(h)
    return float(h.getInfo().objective_function_value)


@pytest.mark.parametrize("seed", range(3))
def test_the_compact_lp_solves_as_the_masters_lp(seed, monkeypatch):
    """`CompactLP` (the master's LP less the pattern columns fixed at 0) gives the optimum of
    the whole LP with the same bounds: on a random plan, with two agent-weeks freed and new
    patterns priced for them, and after they are fixed again and the idle columns pruned."""
    monkeypatch.setattr("staffing.roster.compact.PRUNE_AT", 1)
    master = rc.two_queue_master()
    h = master.lp
    by_week = _by_week(master)
    rng = np.random.default_rng(seed)
    plan = {key: int(rng.choice(cols)) for key, cols in by_week.items()}
    for key, cols in by_week.items():
        for col in cols:
            h.changeColBounds(col, float(col == plan[key]), float(col == plan[key]))
    solve_with_cuts(h, master)
    lp = CompactLP(master, h)
    assert int(lp.is_pattern[lp.active].sum()) <= len(by_week) + 20  # the plan's, and basics

    def bounds(free=()):
        out = {}
        for key, cols in _by_week(master).items():
            for col in cols:
                one = float(col == plan[key])
                out[col] = (0.0, 1.0) if key in free else (one, one)
        return out

    keys = sorted(by_week)
    free = [keys[i] for i in rng.choice(len(keys), 2, replace=False)]
    for key in free:
        lp.set_bounds(by_week[key], 0.0, 1.0)
    lp.solve()
    y = heuristics.project(master, lp.row_dual())
    plans = {(p.agent, p.week): p for p in master.inst.weeks}
    lp.add_patterns(heuristics._price_open(master, y, [plans[k] for k in free]))
    x = lp.solve()
    assert lp.optimal()
    assert np.isclose(lp.objective(), _reference_value(master, bounds(free)), atol=1e-6)
    assert len(x) == master.n_cols
    for key in free:
        lp.fix(_by_week(master)[key], plan[key])
    assert lp.prune(set(plan.values())) >= 0
    lp.solve()
    assert np.isclose(lp.objective(), _reference_value(master, bounds()), atol=1e-6)
    # the master's own LP brought up to date holds the plan: solved, the same value
    lp.sync(h, plan)
    solve_with_cuts(h, master)
    assert np.isclose(h.getInfo().objective_function_value, lp.objective(), atol=1e-6)
