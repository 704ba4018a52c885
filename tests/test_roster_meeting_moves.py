"""The neighbourhood search's meeting moves (`staffing.roster.heuristics._Meetings`, `improve`'s
``move_meetings``) against brute force.

The reference: with a plan's patterns fixed, each position of the team meeting is priced on a
fresh LP built from the master (no basis or state shared with the search), the other positions
fixed at 0. A move must keep a position whose brute-force value is the value it reports, and
only when that is lower than the value it started from; otherwise the positions are put back.
"""

from __future__ import annotations

import numpy as np
import pytest
import roster_cases as rc

import staffing.roster.heuristics as heuristics
from staffing.roster.compact import CompactLP
from staffing.roster.instance import build_instance
from staffing.roster.master import (
    Master,
    build_master,
    column_generation,
    solve_with_cuts,
    to_highs,
)

TUESDAY = rc.monday(1)
RULES = rc.MEETING_RULES  # an hour's team meeting from 13:30 on: several positions


def _master() -> Master:
    """A Tuesday 07:30-16:00, queue Q needing three agents 13:30-14:30 and one otherwise, a
    team of three: a meeting at 13:30 takes the whole team off the phone in the peak. The
    master after column generation."""
    needs = [1.0] * 24 + [3.0] * 4 + [1.0] * 6  # 34 quarter-hours, 13:30-14:30 the peak
    req = rc.requirements([TUESDAY], {"Q": needs}, start="07:30", end="16:00")
    staff = rc.agents(*({"team": "T", "skills": "Q"} for _ in range(3)))
    m = build_master(build_instance(req, staff, RULES))
    column_generation(m, time_budget=5.0, gap=0.0)
    return m


def _plan(m: Master) -> dict[tuple[int, str], int]:
    """Each agent-week's pattern with the largest value in column generation's LP."""
    x = np.asarray(m.lp.getSolution().col_value)
    by_week = heuristics._cols_by_week(m)
    return {key: max(cols, key=lambda c: x[c]) for key, cols in by_week.items() if cols}


def _positions(m: Master) -> list[int]:
    return [j for j, kind in enumerate(m.col_kind) if kind == "meeting"]


def _lp(m: Master, plan: dict[tuple[int, str], int], open_: list[int]):
    """A fresh LP of the master: the plan's patterns fixed, the meeting at the positions
    ``open_`` (the others at 0); solved with every violated row."""
    h = to_highs(m)
    for key, cols in heuristics._cols_by_week(m).items():
        for col in cols:
            value = float(col == plan[key])
            h.changeColBounds(col, value, value)
    for col in _positions(m):
        if col not in open_:
            h.changeColBounds(col, 0.0, 0.0)
    solve_with_cuts(h, m)
    assert heuristics._optimal(h)
    return h


def _brute_force(m: Master, plan: dict[tuple[int, str], int]) -> dict[int, float]:
    """The LP value of the plan with the meeting at each position alone."""
    return {
        col: float(_lp(m, plan, [col]).getInfo().objective_function_value) for col in _positions(m)
    }


def _open_positions(h, m: Master) -> list[int]:
    upper = h.getLp().col_upper_
    return [col for col in _positions(m) if upper[col] > 0.5]


@pytest.fixture(scope="module")
def week():
    m = _master()
    plan = _plan(m)
    values = _brute_force(m, plan)
    return m, plan, values


def _search_lp(m: Master, plan, start: int):
    """The master's LP with the plan fixed and the meeting at ``start``, as the search gets it
    after the rounding; the compact LP on it and the meetings' view."""
    m.lp = _lp(m, plan, [start])  # every row found so far is in a fresh LP
    lp = CompactLP(m, m.lp)
    meetings = heuristics._Meetings.of(m, m.lp)
    return lp, meetings, float(m.lp.getInfo().objective_function_value)


def test_the_case_has_a_better_position_than_the_worst(week):
    m, _plan_, values = week
    assert len(values) >= 3
    assert max(values.values()) > min(values.values()) + 1.0


def test_a_move_from_the_worst_position_keeps_a_better_one_at_its_brute_force_value(week):
    m, plan, values = week
    worst = max(values, key=values.get)
    lp, meetings, start = _search_lp(m, plan, worst)
    assert start == pytest.approx(values[worst], abs=1e-6)
    assert meetings.kept == {m.col_key[worst][0]: worst}
    moved = meetings.move(lp, lp.solve, start)
    assert moved is not None
    kept = meetings.kept[m.col_key[worst][0]]
    assert kept != worst
    assert moved == pytest.approx(values[kept], abs=1e-6)  # what it says is what it is
    assert moved < values[worst] - 1e-6
    assert _open_positions(lp.h, m) == [int(lp.pos[kept])]  # the positions here: lp's own order
    # the master's LP takes the positions kept
    meetings.apply(m.lp)
    assert _open_positions(m.lp, m) == [kept]
    # nothing changed since: a second move finds the same positions and reports nothing
    assert meetings.move(lp, lp.solve, moved) is None
    assert meetings.kept[m.col_key[worst][0]] == kept


def test_a_move_from_the_best_position_puts_it_back(week):
    m, plan, values = week
    best = min(values, key=values.get)
    lp, meetings, start = _search_lp(m, plan, best)
    assert meetings.move(lp, lp.solve, start) is None
    assert meetings.kept == {m.col_key[best][0]: best}
    lp.solve()
    assert lp.objective() == pytest.approx(values[best], abs=1e-6)


@pytest.mark.parametrize("seed", range(2))
def test_improve_with_meeting_moves_is_no_worse_on_a_fresh_lp(week, seed):
    """From the worst position, `improve(move_meetings=True)` returns a plan whose value on a
    fresh LP (its patterns, the meeting where the master's LP keeps it) is below the start's,
    with one position kept."""
    m, plan, values = week
    worst = max(values, key=values.get)
    m.lp = _lp(m, plan, [worst])
    x = np.asarray(m.lp.getSolution().col_value)
    x, better = heuristics.improve(m, x, time_budget=2.0, size=2, seed=seed, move_meetings=True)
    assert better >= 1
    kept = _open_positions(m.lp, m)
    assert len(kept) == 1
    chosen = {
        key: max(cols, key=lambda c: x[c])
        for key, cols in heuristics._cols_by_week(m).items()
        if cols
    }
    after = float(_lp(m, chosen, kept).getInfo().objective_function_value)
    assert after < values[worst] - 1e-6
