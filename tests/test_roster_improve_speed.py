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


def _fresh_value(master, chosen: dict[tuple[int, str], int]) -> float:
    """The master's value of the plan ``chosen`` on a new LP (no basis, no state shared)."""
    h = to_highs(master)
    for key, cols in _by_week(master).items():
        for col in cols:
            v = float(col == chosen[key])
            h.changeColBounds(col, v, v)
    solve_with_cuts(h, master)
    assert heuristics._optimal(h)
    return float(h.getInfo().objective_function_value)


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
    better when it says so; the LP it leaves is the returned plan's, solved."""
    master = rc.two_queue_master()
    rng = np.random.default_rng(seed)
    by_week = _by_week(master)
    start = {key: int(rng.choice(cols)) for key, cols in by_week.items()}
    h = master.lp
    for key, cols in by_week.items():
        for col in cols:
            h.changeColBounds(col, float(col == start[key]), float(col == start[key]))
    x = solve_with_cuts(h, master)
    before = _fresh_value(master, start)
    x, better = heuristics.improve(master, x, time_budget=2.0, size=3, seed=seed)
    chosen = _chosen(master, x)
    after = _fresh_value(master, chosen)
    assert after <= before + 1e-6
    if better:
        assert after < before - 1e-6
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
    solves = []

    def solve():
        solves.append(1)
        return solve_with_cuts(h, master)

    integral = all(max(x[c] for c in cols) >= 0.99 for cols in by_week.values())
    new = heuristics._round_free(h, by_week, set(by_week), x, solve)
    assert set(new) == set(by_week)
    lp = h.getLp()
    for key, cols in by_week.items():
        assert [lp.col_lower_[c] for c in cols] == [float(c == new[key]) for c in cols]
        assert [lp.col_upper_[c] for c in cols] == [float(c == new[key]) for c in cols]
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
