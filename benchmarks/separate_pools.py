"""Benchmark of `staffing.roster.master.separate_pools`: the vectorized function against the
pre-vectorization version (tests/separate_pools_reference.py, the tests' oracle, as the
baseline), in milliseconds per call, side by side
(prints figures, no assertions).

Run: ``python benchmarks/separate_pools.py`` (about a minute: loading the default plan takes
most of it; ``--seconds`` for the column generation, ``--repeat`` for the timed passes).

The instance is the default centre's payday week (2026-W49, Monday 30 November 2026, from
`app_support.plan.load_default_plan`, the 34 sample agents, data/rules.toml), as
benchmarks/roster_quality.py builds it. Column generation runs for ``--seconds`` seconds;
every solution it separates is recorded (padded with zeros to the final column count), and
a few more are made from the last: random perturbations of it and random 0/1 plans (one
pattern per agent-week, the kind of point the dive separates, which violates many rows). Each
function then gets the same sequence of solutions, ``--repeat`` times, on its own copy of the
master (both add the same rows: the first pass adds them, later passes only check), and the
benchmark prints, per kind of solution, the ms per call of the first pass and of the best
later pass, and whether the two versions returned and added the same rows.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from separate_pools_reference import reference_separate_pools  # noqa: E402  (tests/)

from app_support.plan import load_default_plan, load_rules, plan_days  # noqa: E402
from staffing.roster import master as master_module  # noqa: E402
from staffing.roster.master import (  # noqa: E402
    Master,
    column_generation,
    separate_pools,
)
from staffing.roster.solve import _build, _Run  # noqa: E402

MONDAY = dt.date(2026, 11, 30)  # 2026-W49, the payday week


def build_week(seconds: float) -> tuple[Master, list[np.ndarray]]:
    """The payday week's master after ``seconds`` of column generation, and the solutions
    column generation separated (zero-padded to the final column count)."""
    started = time.perf_counter()
    plan = load_default_plan(days=35)
    requirements = plan_days(plan.requirements, MONDAY, 7)
    print(f"default plan loaded in {time.perf_counter() - started:.0f} s", flush=True)
    run = _Run("highs", 60.0, 0.01, False, None, started=time.perf_counter())
    _, m = _build(run, requirements, plan.agents, load_rules(), None, None)
    seen: list[np.ndarray] = []

    def recording(m_: Master, x: np.ndarray, **kwargs) -> list[int]:
        seen.append(np.array(x, dtype=float))
        return separate_pools(m_, x, **kwargs)

    master_module.separate_pools = recording  # column_generation looks it up in the module
    try:
        log = column_generation(m, time_budget=seconds, gap=0.001)
    finally:
        master_module.separate_pools = separate_pools
    print(
        f"column generation: {log.rounds} rounds, {len(m.patterns)} patterns, "
        f"{m.n_rows} rows, {m.n_cols} columns, {len(m.under_cols)} requirement rows, "
        f"{len(m.pool_slots)} pool slots",
        flush=True,
    )
    return m, [np.pad(x, (0, m.n_cols - len(x))) for x in seen]


def perturbed(last: np.ndarray, n: int, rng: np.random.Generator) -> list[np.ndarray]:
    """``n`` random perturbations of ``last`` (kept >= 0)."""
    return [np.clip(last + rng.normal(0.0, 0.05, len(last)), 0.0, None) for _ in range(n)]


def zero_one(m: Master, last: np.ndarray, n: int, rng: np.random.Generator) -> list[np.ndarray]:
    """``n`` random 0/1 plans: one pattern per agent-week at 1, the other columns at their
    values in ``last`` (as the dive's partly fixed points: many rows violated)."""
    weeks: dict[tuple[int, str], list[int]] = {}
    for p, col in zip(m.patterns, m.pattern_col):
        weeks.setdefault((p.agent, p.week), []).append(col)
    out = []
    for _ in range(n):
        x = last.copy()
        x[m.pattern_col] = 0.0
        for cols in weeks.values():
            x[cols[int(rng.integers(len(cols)))]] = 1.0
        out.append(x)
    return out


def time_calls(fn, m: Master, points: list[np.ndarray], repeat: int) -> tuple[list, list[float]]:
    """Call ``fn(m, x)`` for every point, ``repeat`` passes; the rows of the first pass and
    the seconds per call of each pass."""
    rows: list = []
    passes = []
    for k in range(repeat):
        started = time.perf_counter()
        found = [fn(m, x) for x in points]
        passes.append((time.perf_counter() - started) / len(points))
        if k == 0:
            rows = found
    return rows, passes


def same_rows(old_m: Master, new_m: Master, old_rows: list, new_rows: list) -> bool:
    """Whether the two versions returned and added the same rows with the same entries."""
    return (
        old_rows == new_rows
        and list(old_m.row_of.items()) == list(new_m.row_of.items())
        and old_m.row_names == new_m.row_names
        and old_m.row_lo == new_m.row_lo
        and all(np.array_equal(a, b) for a, b in zip(old_m.col_rows, new_m.col_rows))
        and all(np.array_equal(a, b) for a, b in zip(old_m.col_vals, new_m.col_vals))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="column generation (s)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes")
    parser.add_argument("--extra", type=int, default=5, help="perturbed and 0/1 points each")
    args = parser.parse_args()
    m, lp_points = build_week(args.seconds)
    rng = np.random.default_rng(0)
    sets = {
        "column generation's solutions": lp_points,
        "perturbed last solution": perturbed(lp_points[-1], args.extra, rng),
        "0/1 plans": zero_one(m, lp_points[-1], args.extra, rng),
    }
    m.lp = None  # a highspy object: not copied
    old_m, new_m = copy.deepcopy(m), copy.deepcopy(m)
    print(
        "ms per call; first pass (adds the rows), then the best of the later passes (only "
        "checks: the rows are in the master)"
    )
    print(f"{'':42s} {'baseline':>17s} {'vectorized':>17s}")
    print(f"{'solutions':32s} {'n':>3s} {'rows':>5s}" + f" {'first':>8s} {'later':>8s}" * 2)
    same = True
    for label, points in sets.items():
        old_rows, old_t = time_calls(reference_separate_pools, old_m, points, args.repeat)
        new_rows, new_t = time_calls(separate_pools, new_m, points, args.repeat)
        same &= same_rows(old_m, new_m, old_rows, new_rows)
        added = sum(len(r) for r in old_rows)
        print(
            f"{label:32s} {len(points):3d} {added:5d} "
            f"{1e3 * old_t[0]:8.2f} {1e3 * min(old_t[1:] or old_t):8.2f} "
            f"{1e3 * new_t[0]:8.2f} {1e3 * min(new_t[1:] or new_t):8.2f}"
        )
    print(f"same rows and entries: {same}")


if __name__ == "__main__":
    main()
