"""Benchmark: agents needed for 80 % of calls answered within 20 s, 100,000 intervals.

Run: ``python benchmarks/erlang.py [--intervals N] [--repeats R] [--pyworkforce-subset N]``

Intervals: 1-400 calls per 15 minutes (uniform, seeded), handle time 300 s. Three ways to get
the smallest number of agents per interval, timed in the same run on the same intervals:

1. ours: `staffing.erlang.required_agents` (one exact Erlang B per interval, then Erlang B's
   stable forward recursion, vectorized over all intervals);
2. the plain vectorized reference: Erlang B as ``poisson.pmf(n, A) / poisson.cdf(n, A)``
   (scipy.stats), Erlang C and the service level from it, agents stepped up one at a time from
   floor(A) + 1 for all intervals still short of the target;
3. pyworkforce (PyPI; not a project dependency): ``ErlangC(...).required_positions`` one
   interval at a time. Install it with ``pip install pyworkforce`` to include it.

Prints each time (best of ``--repeats``), intervals per second, the speed-up, and the number of
intervals where the agent counts differ (must be 0). Also prints the time of an Erlang A
requirement (answer rate 92 %, patience 180 s, ASA at most 150 s) on the same intervals, which
no peer here computes (pyworkforce's Erlang A needs Python >= 3.12).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from staffing import erlang  # noqa: E402

AHT = 300.0
INTERVAL = 900.0
TARGET = 0.8
THRESHOLD = 20.0


def reference(calls: np.ndarray) -> np.ndarray:
    """Plain vectorized numpy/scipy: Poisson pmf/cdf Erlang B, agents stepped one at a time."""
    traffic = calls * AHT / INTERVAL
    n = np.floor(traffic) + 1.0
    out = np.zeros(calls.size, dtype=np.int64)
    todo = np.arange(calls.size)
    while todo.size:
        a, k = traffic[todo], n[todo]
        b = stats.poisson.pmf(k, a) / stats.poisson.cdf(k, a)
        c = k * b / (k - a * (1.0 - b))
        sl = 1.0 - c * np.exp(-(k - a) * THRESHOLD / AHT)
        ok = sl >= TARGET
        out[todo[ok]] = k[ok].astype(np.int64)
        todo = todo[~ok]
        n[todo] += 1.0
    return out


def ours(calls: np.ndarray) -> np.ndarray:
    return erlang.required_agents(
        calls, AHT, interval=INTERVAL, service_level=TARGET, threshold=THRESHOLD
    )


def ours_erlang_a(calls: np.ndarray) -> np.ndarray:
    return erlang.required_agents(
        calls, AHT, interval=INTERVAL, answer_rate=0.92, patience=180.0, asa=150.0
    )


def pyworkforce_run(calls: np.ndarray):
    from pyworkforce.queuing import ErlangC

    return np.array(
        [
            ErlangC(
                transactions=float(c), aht=AHT / 60, asa=THRESHOLD / 60, interval=INTERVAL / 60
            ).required_positions(service_level=TARGET)["raw_positions"]
            for c in calls
        ],
        dtype=np.int64,
    )


def best_of(func, calls: np.ndarray, repeats: int):
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = func(calls)
        times.append(time.perf_counter() - t0)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intervals", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--pyworkforce-subset",
        type=int,
        default=None,
        metavar="N",
        help="time pyworkforce on the first N intervals only (default: all)",
    )
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    calls = rng.integers(1, 401, args.intervals).astype(float)
    n = calls.size
    print(
        f"required agents for {TARGET:.0%} answered within {THRESHOLD:g} s: {n:,} intervals, "
        f"1-400 calls per 15 min, handle time {AHT:g} s (seed {args.seed}; best of "
        f"{args.repeats})"
    )

    ours(calls[:1000])  # warm-up (imports, caches)
    t_ours, n_ours = best_of(ours, calls, args.repeats)
    t_ref, n_ref = best_of(reference, calls, args.repeats)
    diff_ref = int((n_ours != n_ref).sum())
    print(f"  ours (staffing.erlang.required_agents) {t_ours:8.3f} s  {n / t_ours:12,.0f} /s")
    print(
        f"  plain numpy/scipy reference            {t_ref:8.3f} s  {n / t_ref:12,.0f} /s"
        f"   ours is {t_ref / t_ours:.1f}x faster; intervals that differ: {diff_ref}"
    )

    try:
        import pyworkforce  # noqa: F401
    except ImportError:
        print("  pyworkforce: not installed; `pip install pyworkforce` to compare with it")
        diff_pw = 0
    else:
        subset = calls if args.pyworkforce_subset is None else calls[: args.pyworkforce_subset]
        m = subset.size
        t_pw, n_pw = best_of(pyworkforce_run, subset, 1)
        diff_pw = int((n_ours[:m] != n_pw).sum())
        scope = "all intervals" if m == n else f"the first {m:,} intervals only"
        print(
            f"  pyworkforce ErlangC.required_positions {t_pw:8.3f} s  {m / t_pw:12,.0f} /s"
            f"   ours is {(t_pw / m) / (t_ours / n):.0f}x faster per interval; timed on "
            f"{scope} (once); intervals that differ: {diff_pw}"
        )

    t_a, n_a = best_of(ours_erlang_a, calls, 1)
    print(
        f"  ours, Erlang A (answer rate 92 %, patience 180 s, ASA <= 150 s) {t_a:8.3f} s  "
        f"{n / t_a:10,.0f} /s  (mean {n_a.mean():.2f} agents vs Erlang C's "
        f"{n_ours.mean():.2f} for 80/20)"
    )
    return 0 if diff_ref == 0 and diff_pw == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
