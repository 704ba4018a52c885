"""The master's LP without the pattern columns fixed at 0, for the neighbourhood search.

During `staffing.roster.heuristics.improve` every agent-week but the few freed in a round
keeps one pattern: the others are fixed at 0 and change nothing in the LP's solution, but
their coefficients stay in HiGHS's matrix, and each of HiGHS's runs costs time in proportion
to the matrix, even one with nothing to do. Measured on 2026-W49 after 3 s of column
generation (3,491 rows, 6,448 columns): a re-run with nothing changed took 14-17 ms with the
349,018 entries of every column, 3.8 ms with the 84,263 left once the 454 pattern columns at
0 were deleted; the search's LPs took 25-28 ms each, 25-31 simplex iterations.

`CompactLP` holds the master's rows in the master's order and a subset of its columns:
every column but the patterns, the pattern chosen for each agent-week, and the patterns of
the agent-weeks freed in a round (added when freed, `set_bounds`; deleted again once fixed at
0, `prune`). Its solution is read back in the master's columns (`values`, the columns not in
it at 0): the same optimum as the master's LP with those columns fixed at 0. Rows found
violated are added to the master and to it (`solve`); `sync` brings the master's own LP up to
date (new columns and rows, the plan's bounds) when the search ends.
"""

from __future__ import annotations

import math
import time

import highspy
import numpy as np

from staffing.roster.master import (
    Master,
    _add_rows,
    _csc,
    quiet_highs,
    run_lp,
    separate_pools,
)
from staffing.roster.patterns import Pattern

__all__ = ["PRUNE_AT", "CompactLP"]

#: `CompactLP.prune` deletes the pattern columns fixed at 0 once at least this many are in the
#: LP (deleting costs about as much as a run, so not after every round).
PRUNE_AT = 64


class CompactLP:
    """The master's LP ``h_full`` (solved, its bounds the plan's) less the pattern columns
    whose upper bound is 0, with its basis."""

    def __init__(self, m: Master, h_full: highspy.Highs) -> None:
        self.m = m
        self.first_col = m.n_cols  # the master's columns and rows when the search started
        self.first_row = m.n_rows
        self.h = quiet_highs()
        lp = h_full.getLp()
        self.h.passModel(lp)
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("solver", "simplex")
        self.h.setBasis(h_full.getBasis())
        upper = np.asarray(lp.col_upper_, dtype=float)[: m.n_cols]
        self.is_pattern = np.asarray([k == "pattern" for k in m.col_kind], dtype=bool)
        self.active = np.arange(m.n_cols)
        self.pos = np.arange(m.n_cols)  # master column -> its index here, -1 when not here
        self._delete_nonbasic(np.flatnonzero(self.is_pattern & (upper < 0.5)))

    # -- columns -------------------------------------------------------------------------
    def _grow(self) -> None:
        """Extend the per-column arrays to the master's columns added since (patterns:
        `Master.add_pattern`)."""
        n, old = self.m.n_cols, len(self.pos)
        if old < n:
            kinds = self.m.col_kind[old:n]
            self.pos = np.concatenate([self.pos, np.full(n - old, -1)])
            self.is_pattern = np.concatenate(
                [self.is_pattern, np.asarray([k == "pattern" for k in kinds], dtype=bool)]
            )

    def _add(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Add master columns ``cols`` (not here yet) with their current entries."""
        _add_columns(self.h, self.m, cols, lower, upper)
        self.pos[cols] = np.arange(len(self.active), len(self.active) + len(cols))
        self.active = np.concatenate([self.active, cols])

    def _delete(self, cols: np.ndarray) -> None:
        """Delete master columns ``cols`` (here) from the LP."""
        if not len(cols):
            return
        idx = np.sort(self.pos[cols]).astype(np.int32)
        self.h.deleteCols(len(idx), idx)
        keep = np.ones(len(self.active), dtype=bool)
        keep[idx] = False
        self.pos[self.active[~keep]] = -1
        self.active = self.active[keep]
        self.pos[self.active] = np.arange(len(self.active))

    def set_bounds(self, cols: list[int], lower: float, upper: float) -> None:
        """Bound master columns ``cols``; those not here are added first (they were at 0),
        unless the bounds fix them at 0 (their absence does)."""
        self._grow()
        cols_arr = np.asarray(cols, dtype=np.int64)
        here = self.pos[cols_arr] >= 0
        missing = cols_arr[~here]
        if len(missing) and upper > 0:
            n = len(missing)
            self._add(missing, np.full(n, lower), np.full(n, upper))
        present = cols_arr[here]
        if len(present):
            idx = self.pos[present].astype(np.int32)
            self.h.changeColsBounds(
                len(idx), idx, np.full(len(idx), lower), np.full(len(idx), upper)
            )

    def fix(self, cols: list[int], keep: int) -> None:
        """Fix master column ``keep`` at 1 and the others of ``cols`` at 0 (an agent-week's
        patterns: the one it keeps)."""
        self.set_bounds([c for c in cols if c != keep], 0.0, 0.0)
        self.set_bounds([keep], 1.0, 1.0)

    def add_patterns(self, patterns: list[Pattern]) -> int:
        """Add ``patterns`` to the master and their columns here (free: [0, 1] as the master
        has them); returns how many were new."""
        m = self.m
        first = m.n_cols
        for pattern in patterns:
            m.add_pattern(pattern)
        self._grow()
        cols = np.arange(first, m.n_cols)
        if len(cols):
            self._add(cols, np.asarray(m.col_lo[first:]), np.asarray(m.col_hi[first:]))
        return len(cols)

    def prune(self, keep: set[int]) -> int:
        """Delete the pattern columns here that are not in ``keep`` (the plan's: the others
        are fixed at 0 between the search's rounds) and not basic, once `PRUNE_AT` of them
        are here; returns how many were deleted."""
        self._grow()
        here = self.active[self.is_pattern[self.active]]
        idle = here[~np.isin(here, np.fromiter(keep, dtype=np.int64, count=len(keep)))]
        if len(idle) < PRUNE_AT:
            return 0
        return self._delete_nonbasic(idle)

    def _delete_nonbasic(self, cols: np.ndarray) -> int:
        """Delete those of master columns ``cols`` (here, fixed at 0) that are not basic: the
        basis stays valid, so the next run starts from it."""
        if not len(cols):
            return 0
        status = self.h.getBasis().col_status
        basic = np.asarray(
            [status[int(k)] == highspy.HighsBasisStatus.kBasic for k in self.pos[cols]],
            dtype=bool,
        )
        drop = cols[~basic]
        self._delete(drop)
        return len(drop)

    # -- solving ---------------------------------------------------------------------------
    def values(self) -> np.ndarray:
        """The last solution in the master's columns (those not here at 0)."""
        x = np.zeros(self.m.n_cols)
        col_value = np.asarray(self.h.getSolution().col_value, dtype=float)
        x[self.active[: len(col_value)]] = col_value[: len(self.active)]
        return x

    def row_dual(self) -> np.ndarray:
        """The last solution's row duals, in the master's rows."""
        return np.asarray(self.h.getSolution().row_dual, dtype=float)

    def objective(self) -> float:
        """The last solution's objective value."""
        return float(self.h.getInfo().objective_function_value)

    def optimal(self) -> bool:
        """Whether the last run reached optimality."""
        return self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal

    def solve(self, *, deadline: float = math.inf) -> np.ndarray:
        """`staffing.roster.master.solve_with_cuts` here: solve, add the rows the solution
        violates (to the master and here), until none is; past ``deadline`` the LP gets a
        moment only and the rows found are added without solving again."""
        while True:
            run_lp(self.h, deadline - time.perf_counter() if math.isfinite(deadline) else math.inf)
            x = self.values()
            rows = separate_pools(self.m, x)
            if not rows:
                return x
            self._add_rows(rows)
            if time.perf_counter() > deadline:
                return x

    def _add_rows(self, rows: list[int]) -> None:
        """Add master rows ``rows`` with their entries in the columns here."""
        self._grow()
        _add_rows(self.h, self.m, rows, columns=self.pos)

    def sync(self, h_full: highspy.Highs, chosen: dict[tuple[int, str], int]) -> None:
        """Bring the master's LP ``h_full`` up to date: the rows the search added, with their
        entries in the columns it has, then the columns added, with all their entries (a
        pattern added after a row has its entry there in its column, not in the row's list),
        and every pattern column bounded as the plan ``chosen`` has it."""
        m = self.m
        old_cols = self.first_col
        rows = list(range(self.first_row, m.n_rows))
        if rows:  # in the columns it had (the later ones' entries come with them)
            had = np.where(np.arange(m.n_cols) < old_cols, np.arange(m.n_cols), -1)
            _add_rows(h_full, m, rows, columns=had)
        cols = np.arange(old_cols, m.n_cols)
        if len(cols):
            _add_columns(h_full, m, cols, np.asarray(m.col_lo)[cols], np.asarray(m.col_hi)[cols])
        plan = set(chosen.values())
        pattern = np.asarray(m.pattern_col, dtype=np.int32)
        value = np.asarray([1.0 if c in plan else 0.0 for c in m.pattern_col], dtype=float)
        h_full.changeColsBounds(len(pattern), pattern, value, value)


def _add_columns(
    h: highspy.Highs, m: Master, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> None:
    """Add master columns ``cols`` to the LP ``h`` (its rows the master's) with all their
    entries, bounded by ``lower`` and ``upper``."""
    starts, index, values = _csc([m.col_rows[c] for c in cols], [m.col_vals[c] for c in cols])
    status = h.addCols(
        len(cols),
        np.asarray([m.col_cost[c] for c in cols], dtype=float),
        np.asarray(lower, dtype=float),
        np.asarray(upper, dtype=float),
        len(index),
        starts[:-1],
        index,
        values,
    )
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"HiGHS refused the columns: {status}")
