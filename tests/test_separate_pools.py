"""`staffing.roster.master.separate_pools` adds exactly the rows its loop version added.

The vectorized function must return the same rows in the same order, with the same keys,
names, bounds and column entries, for any solution. The pool rows of a slot are its most
violated sets first (`numpy.argsort` of the violations, whose order among ties depends on
the values bit for bit), and the vectorized version checks the slots with sums in another
order first, so the tests compare everything on solutions with many exact ties (0/1 plans,
small integers), with violations around the tolerance (the LP solution scaled by
1 - 1e-7 k, and tolerances one ulp below a slot's largest violation), all-zero, perturbed,
non-finite and float32 ones, and the coverage bit for bit. The loop version is the oracle
(tests/separate_pools_reference.py, also the baseline of benchmarks/separate_pools.py); the
two versions run on their own copies of the master, on two weeks: two queues, and four
queues open at different hours with teams and meetings."""

from __future__ import annotations

import functools
import pickle
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import roster_cases as rc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from separate_pools_reference import reference_separate_pools

from staffing.roster.instance import build_instance
from staffing.roster.master import (
    Master,
    _covered,
    _phone_by_slot,
    _separation,
    build_master,
    column_generation,
    separate_pools,
)
from staffing.roster.rules import MeetingRule, ShiftRules


@dataclass(frozen=True)
class _Case:
    """A master after column generation (pickled: every use gets fresh copies) and the
    column values of its last LP."""

    frozen: bytes
    x_lp: np.ndarray

    def copy(self) -> Master:
        return pickle.loads(self.frozen)


def _freeze(m: Master) -> _Case:
    x_lp = m.lp_x if m.lp_x is not None else np.zeros(m.n_cols)
    m.lp = None  # a highspy object: not picklable
    return _Case(pickle.dumps(m), np.pad(x_lp, (0, m.n_cols - len(x_lp))))


@functools.cache
def _two_queues() -> _Case:
    """`roster_cases.two_queue_master`: two queues, one pool set per slot, no teams."""
    return _freeze(rc.two_queue_master())


@functools.cache
def _four_queues() -> _Case:
    """Four queues, open at different hours (Q and S all day, R from 08:00, T 09:30-12:00
    and 13:00-14:00: the pool slots have 2, 3 or 4 queues, in turns), ten agents of nine
    kinds in two teams with the team floor, a team meeting and one-at-a-time feedback talks,
    fairness rows."""
    week = [rc.monday(i) for i in range(3)]
    req = pd.concat(
        [
            rc.requirements(
                week, {"Q": [1] * 4 + [3] * 14 + [2] * 16, "S": 1}, start="07:30", end="16:00"
            ),
            rc.requirements(
                week, {"R": lambda d, j: [1, 2, 3, 2][j % 4] + d % 2}, start="08:00", end="16:00"
            ),
            rc.requirements(week, {"T": 1}, start="09:30", end="12:00"),
            rc.requirements(week, {"T": lambda d, j: d % 2}, start="13:00", end="14:00"),
        ],
        ignore_index=True,
    )
    skills = ["Q", "Q;R", "R;S", "Q;S", "S;T", "Q;R;S;T", "R", "Q;T", "R;S;T", "Q"]
    staff = rc.agents(
        *({"skills": s, "team": "T1" if i < 5 else "T2"} for i, s in enumerate(skills))
    )
    rules = ShiftRules(
        meetings=(
            MeetingRule("Teammøde", attendees="team", minutes=60, weekdays=(1,)),
            MeetingRule(
                "Feedback", attendees="each", minutes=30, one_at_a_time_per_team=True, weekdays=(2,)
            ),
        ),
        weight_wish=0.0,
    )
    m = build_master(build_instance(req, staff, rules))
    column_generation(m, time_budget=2.0, gap=0.01)
    return _freeze(m)


CASES = {"two queues": _two_queues, "four queues": _four_queues}


def _zero_one_plan(m: Master, base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One pattern per agent-week at 1 (the rest 0), every meeting, stay and slack column
    at 0 or 1 at random, the other columns as in ``base``: integral values, many ties."""
    x = base.copy()
    x[m.pattern_col] = 0.0
    weeks: dict[tuple[int, str], list[int]] = {}
    for p, col in zip(m.patterns, m.pattern_col):
        weeks.setdefault((p.agent, p.week), []).append(col)
    for cols in weeks.values():
        x[cols[int(rng.integers(len(cols)))]] = 1.0
    for j, kind in enumerate(m.col_kind):
        if kind in {"meeting", "skip", "miss", "empty", "team_empty"}:
            x[j] = float(rng.integers(2))
    return x


def _solution(case: _Case, m: Master, kind: str, seed: int) -> np.ndarray:
    """A solution of ``kind`` for the master ``m`` (random ones from ``seed``)."""
    rng = np.random.default_rng(seed)
    x_lp = case.x_lp
    if kind == "lp":
        return x_lp.copy()
    if kind == "zeros":
        return np.zeros(m.n_cols)
    if kind == "ones":
        return np.ones(m.n_cols)
    if kind == "near tol":  # tight pool sets violated by about 1e-7 k: around the tolerance
        return x_lp * (1.0 - 1e-7 * int(rng.integers(1, 30)))
    if kind == "perturbed":
        return x_lp + rng.normal(0.0, 10.0 ** rng.uniform(-9, -1), m.n_cols)
    if kind == "zero-one":
        return _zero_one_plan(m, x_lp, rng)
    if kind == "zero-one on zeros":
        return _zero_one_plan(m, np.zeros(m.n_cols), rng)
    if kind == "integers":  # small integers, mostly 0: ties between many sets
        return (rng.integers(0, 3, m.n_cols) * (rng.random(m.n_cols) < 0.2)).astype(float)
    raise ValueError(kind)


KINDS = [
    "lp",
    "zeros",
    "ones",
    "near tol",
    "perturbed",
    "zero-one",
    "zero-one on zeros",
    "integers",
]


def _assert_same(ref: Master, new: Master, ref_rows: list[int], new_rows: list[int]) -> None:
    """The two masters got the same rows (keys, names, bounds, in order) and entries."""
    assert new_rows == ref_rows
    assert list(new.row_of.items()) == list(ref.row_of.items())
    assert new.row_names == ref.row_names
    assert new.row_lo == ref.row_lo
    assert new.row_hi == ref.row_hi
    assert [len(a) for a in new.col_rows] == [len(b) for b in ref.col_rows]
    assert [a.dtype for a in new.col_rows] == [b.dtype for b in ref.col_rows]
    assert [a.dtype for a in new.col_vals] == [b.dtype for b in ref.col_vals]
    assert np.array_equal(np.concatenate(new.col_rows), np.concatenate(ref.col_rows))
    assert np.array_equal(np.concatenate(new.col_vals), np.concatenate(ref.col_vals))
    assert new.row_entries == ref.row_entries
    assert new.slot_pairs == ref.slot_pairs
    assert not new.pending and not ref.pending


def _run_both(case: _Case, xs: list[np.ndarray], **kwargs) -> Master:
    """Separate ``xs`` one after the other with both versions, each on its own copy of the
    master, and compare after every call; returns the vectorized version's master."""
    ref, new = case.copy(), case.copy()
    for x in xs:
        ref_rows = reference_separate_pools(ref, x.copy(), **kwargs)
        new_rows = separate_pools(new, x.copy(), **kwargs)
        _assert_same(ref, new, ref_rows, new_rows)
    return new


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("kwargs", [{}, {"per_slot": 1, "tol": 1e-3}, {"per_slot": 10, "tol": 0.0}])
def test_a_sequence_of_solutions_adds_the_same_rows(name, kwargs):
    """Many solutions in a row on the same two masters: the rows of one call are skipped by
    the next ones (already in the master) alike."""
    case = CASES[name]()
    m = case.copy()
    xs = [_solution(case, m, kind, seed) for seed in range(2) for kind in KINDS]
    assert _run_both(case, xs, **kwargs).n_rows > case.copy().n_rows


@pytest.mark.parametrize("name", CASES)
def test_the_rows_of_the_lp_solution_are_the_same(name):
    """The LP's own solution (few or no violated rows) on fresh masters, and once more."""
    case = CASES[name]()
    _run_both(case, [case.x_lp, case.x_lp])


@pytest.mark.parametrize("name", CASES)
def test_non_finite_and_float32_solutions(name):
    """NaN and infinite values (every slot checked one by one, as before) and float32 values
    (summed in float32, as before)."""
    case = CASES[name]()
    m = case.copy()
    rng = np.random.default_rng(7)
    with_nan = _solution(case, m, "zero-one", 1)
    with_nan[m.pattern_col[:3]] = np.nan
    with_inf = case.x_lp.copy()
    with_inf[rng.integers(0, m.n_cols, 5)] = np.inf
    in_float32 = _solution(case, m, "perturbed", 2).astype(np.float32)
    with np.errstate(invalid="ignore"):
        _run_both(case, [with_nan])
        _run_both(case, [with_inf])
    _run_both(case, [in_float32, _solution(case, m, "zero-one", 3).astype(np.float32)])


def test_rows_with_eight_or_more_shortfall_segments():
    """``ndarray.sum`` adds 8 or more items pairwise: such rows are summed as before (the
    master is given more segments by hand; only the sums are under test)."""
    case = _four_queues()
    m = case.copy()
    unders = [j for j, kind in enumerate(m.col_kind) if kind == "under"]
    for i in range(0, len(m.under_cols), 7):
        m.under_cols[i] = [*m.under_cols[i], *unders[i : i + 9]]
    m.cache.clear()  # the segments are fixed once `build_master` returns: cached by size only
    wide = _Case(pickle.dumps(m), case.x_lp)
    rng = np.random.default_rng(3)
    xs = [case.x_lp + rng.uniform(0.0, 1e-3, m.n_cols) for _ in range(3)]
    _run_both(wide, [_solution(wide, m, kind, 0) for kind in KINDS] + xs)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(CASES)),
    kinds=st.lists(st.sampled_from([k for k in KINDS if k != "zeros"]), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
    per_slot=st.integers(1, 12),
)
def test_random_solutions_add_the_same_rows(name, kinds, seed, per_slot):
    """A few random solutions in a row, on fresh masters."""
    case = CASES[name]()
    m = case.copy()
    xs = [_solution(case, m, kind, seed + k) for k, kind in enumerate(kinds)]
    _run_both(case, xs, per_slot=per_slot)


def _loop_covered(m: Master, x: np.ndarray) -> np.ndarray:
    """The requirement less the shortfall in ``x``, row by row as the loop version."""
    covered = m.required.copy()
    for i, segs in enumerate(m.under_cols):
        if segs:
            covered[i] -= float(x[segs].sum())
    return covered


def test_the_coverage_is_summed_bit_for_bit():
    """The vectorized coverage is the loop's to the last bit (violations that differ by a
    rounding can order tied sets differently), with up to 4 segments per row here and 8 to 17
    in rows given more by hand (summed pairwise by numpy)."""
    case = _four_queues()
    m = case.copy()
    unders = [j for j, kind in enumerate(m.col_kind) if kind == "under"]
    for i in range(0, len(m.under_cols), 5):
        m.under_cols[i] = [*m.under_cols[i], *unders[i : i + 4 + i % 14]]
    assert max(len(segs) for segs in m.under_cols) >= 17
    m.cache.clear()  # the segments are fixed once `build_master` returns: cached by size only
    rng = np.random.default_rng(5)
    for _ in range(20):
        x = rng.uniform(-1, 1, m.n_cols) * 10.0 ** rng.integers(-12, 4, m.n_cols)
        x[rng.random(m.n_cols) < 0.1] = -0.0
        assert _covered(m, _separation(m), x).tobytes() == _loop_covered(m, x).tobytes()


def _new_pool_violations(m: Master, x: np.ndarray) -> list[tuple[float, int, int]]:
    """The largest violation of every pool slot whose most violated set has no row yet,
    computed as the loop version does, with the slot's (day, slot)."""
    covered = _loop_covered(m, x)
    phone, index = _phone_by_slot(m, x)
    n_kinds = len(m.kind_skills)
    out = []
    for (d, j), (rows, (members, hits)) in m.pool_slots.items():
        s = index.get((d, j))
        phone_kind = np.zeros(n_kinds)
        if s is not None:
            phone_kind += np.bincount(m.kind_of, weights=phone[s], minlength=n_kinds)
        violation = members @ covered[rows] - hits @ phone_kind
        worst = int(np.argmax(violation))
        key = ("pool", d, j, tuple(int(r) for r in rows[members[worst]]))
        if key not in m.row_of:
            out.append((float(violation[worst]), d, j))
    return out


@pytest.mark.parametrize("name", CASES)
def test_a_violation_one_ulp_above_the_tolerance_is_found(name):
    """With the tolerance one ulp below a slot's largest violation, that slot gets its row:
    the vectorized check sums in another order, and must not round the violation below it
    (without its margin it missed such rows here)."""
    case = CASES[name]()
    m = case.copy()
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(40):
        x = case.x_lp + rng.uniform(-0.1, 0.1, m.n_cols)
        for v, d, j in [found for found in _new_pool_violations(m, x) if found[0] > 0][:5]:
            new = _run_both(case, [x], tol=float(np.nextafter(v, -np.inf)))
            assert any(key[:3] == ("pool", d, j) for key in new.row_of)
            checked += 1
        if checked >= 15:
            break
    assert checked >= 15
