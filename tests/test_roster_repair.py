"""The rounding's floor repair (`staffing.roster.heuristics._repair_floors`), against brute force.

On a one-day instance every agent-week's patterns are all in the master; a deliberately bad
choice (everyone starts late, so the queue is empty at opening) is repaired by swapping in other
patterns. Checked against a direct count of the empty queue intervals: the repair never leaves
more of them, never empties an interval that had someone, and here leaves none.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
import roster_cases as rc

from staffing.roster.heuristics import _repair_floors
from staffing.roster.instance import build_instance
from staffing.roster.master import build_master, seed_patterns


def _empty_slots(master, chosen) -> set[tuple[int, int, str]]:
    """Queue intervals in their window with no skilled agent on the phone (brute force)."""
    present = defaultdict(set)
    for (agent, _week), col in chosen.items():
        pattern = master.patterns[master.col_key[col][0]]
        for slot in master.phone_slots(pattern):
            present[slot].add(agent)
    out = set()
    for i in master.empty_col:
        slot = (master.req_day[i], master.req_slot[i])
        queue = master.req_queue[i]
        if not master.skilled[queue] & present[slot]:
            out.add((*slot, queue))
    return out


@pytest.fixture(scope="module")
def day_master():
    req = rc.requirements([rc.monday()], {"Q": 1, "R": 1}, start="07:30", end="16:00")
    agents = rc.agents(
        {"skills": "Q"},
        {"skills": "Q;R"},
        {"skills": "R"},
    )
    rules = rc.PLAIN
    inst = build_instance(req, agents, rules)
    master = build_master(inst)
    _, enumerated = seed_patterns(master, enumerate_limit=10_000)
    assert enumerated == len(inst.weeks)  # every pattern of every agent-week is there
    by_week = defaultdict(list)
    for n, col in enumerate(master.pattern_col):
        pattern = master.patterns[n]
        by_week[(pattern.agent, pattern.week)].append(col)
    return master, by_week


def _latest_start(master, cols):
    def start(col):
        pattern = master.patterns[master.col_key[col][0]]
        return min(j for _d, j in master.phone_slots(pattern))

    return max(cols, key=start)


def test_a_late_start_for_everyone_is_repaired(day_master):
    master, by_week = day_master
    chosen = {key: _latest_start(master, cols) for key, cols in by_week.items()}
    before = _empty_slots(master, chosen)
    assert before, "the bad choice leaves both queues empty at opening"
    x = np.zeros(master.n_cols)
    repaired = _repair_floors(master, chosen, by_week, x, movable=set(chosen))
    after = _empty_slots(master, chosen)
    assert repaired > 0
    assert after == set()


@pytest.mark.parametrize("seed", range(5))
def test_repair_never_empties_a_covered_interval(day_master, seed):
    master, by_week = day_master
    rng = np.random.default_rng(seed)
    chosen = {key: int(rng.choice(cols)) for key, cols in by_week.items()}
    before = _empty_slots(master, chosen)
    x = rng.random(master.n_cols)
    movable = {key for key in chosen if rng.random() < 0.7}
    fixed = {key: chosen[key] for key in chosen if key not in movable}
    _repair_floors(master, chosen, by_week, x, movable=movable)
    after = _empty_slots(master, chosen)
    assert after <= before
    assert {key: chosen[key] for key in fixed} == fixed


@pytest.mark.parametrize("start", ["dive", "first pattern"])
def test_improve_never_worsens_the_rounded_plan_and_keeps_one_pattern_each(start):
    """`improve` (LNS on the rounded plan): the master's value never rises, every agent-week
    keeps exactly one pattern at 1, and from a poor rounding (every agent-week on its first
    generated pattern) it finds a better plan."""
    from staffing.roster.heuristics import dive, improve
    from staffing.roster.master import solve_with_cuts

    master = rc.two_queue_master()
    x, fixed = dive(master, time_budget=5.0)
    assert len(fixed) == len(master.inst.weeks)
    if start == "first pattern":
        firsts = {}
        for n, col in enumerate(master.pattern_col):
            firsts.setdefault((master.patterns[n].agent, master.patterns[n].week), col)
        for n, col in enumerate(master.pattern_col):
            first = firsts[(master.patterns[n].agent, master.patterns[n].week)]
            master.lp.changeColBounds(col, float(col == first), float(col == first))
        master.lp.run()
        x = np.asarray(master.lp.getSolution().col_value)
    master.lp.run()  # the rounded plan's LP solved to the end (the dive may stop it short)
    before = master.lp.getInfo().objective_function_value
    x, better = improve(master, x, time_budget=2.0, size=3)
    # the master's LP holds the plan found (the search ran on `CompactLP`): solved, its value
    solve_with_cuts(master.lp, master)
    after = master.lp.getInfo().objective_function_value
    assert after <= before + 1e-6
    assert (better > 0) == (after < before - 1e-6)
    if start == "first pattern":
        assert better > 0
    per_week = defaultdict(list)
    for n, col in enumerate(master.pattern_col):
        pattern = master.patterns[n]
        per_week[(pattern.agent, pattern.week)].append(x[col])
    for values in per_week.values():
        assert sorted(np.round(values, 6))[-1] == 1.0
        assert np.isclose(sum(values), 1.0)


@pytest.mark.parametrize("seed", range(4))
def test_floor_agents_are_the_skilled_agents_of_the_queues_left_empty(seed):
    """`_floor_agents` (where `improve` looks first) reads the floors' slack columns of a plan's
    LP; against the brute-force count of queue intervals with nobody skilled on the phone."""
    from staffing.roster.heuristics import _floor_agents
    from staffing.roster.master import solve_with_cuts, to_highs

    req = rc.requirements([rc.monday()], {"Q": 1, "R": 1, "S": 1}, start="07:30", end="16:00")
    agents = rc.agents({"skills": "Q"}, {"skills": "Q;R"}, {"skills": "R"}, {"skills": "S"})
    master = build_master(build_instance(req, agents, rc.PLAIN))
    seed_patterns(master, enumerate_limit=10_000)
    h = to_highs(master)
    master.lp = h
    rng = np.random.default_rng(seed)
    by_week = defaultdict(list)
    for n, col in enumerate(master.pattern_col):
        pattern = master.patterns[n]
        by_week[(pattern.agent, pattern.week)].append(col)
    chosen = {key: int(rng.choice(cols)) for key, cols in by_week.items()}
    for key, cols in by_week.items():
        for col in cols:
            h.changeColBounds(col, float(col == chosen[key]), float(col == chosen[key]))
    x = solve_with_cuts(h, master)
    empty = _empty_slots(master, chosen)
    expected = set().union(*(master.skilled[q] for _d, _j, q in empty))
    assert empty, "a random plan of one day leaves some queue interval empty"
    assert _floor_agents(master, x) == expected
