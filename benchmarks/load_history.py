"""Time to load and validate two years of 15-minute history for ten queues (goal: under 3 s).

Writes a history file in the contract (ten queues, every open 15-minute interval of the Danish
calendar for two years, all optional columns, ISO 8601 with offset) into a temporary folder, in
two forms: the project's CSV (``,`` and ``.``) and a Danish export (``;``, decimal ``,``,
naive local times, cp1252, zero-call intervals left out). Then prints, for each, the median
time of `planner.io.history.load_history` beside a baseline measured in the same run: a plain
``pd.read_csv`` of the same file (no checks, no time zones). With ``--file PATH`` it also times
that file (e.g. ``data/history.csv``).

Run: ``python benchmarks/load_history.py [--repeat 3] [--file data/history.csv]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from centre.queues import QUEUES
from forecast.calendar import CentreCalendar
from planner.io.history import load_history


def make_history(start: str = "2024-01-01", end: str = "2025-12-31", seed: int = 1) -> pd.DataFrame:
    """Ten queues, every open 15-minute interval of the Danish calendar, plausible counts."""
    rng = np.random.default_rng(seed)
    calendar = CentreCalendar()
    frames = []
    for spec in QUEUES:
        grid = calendar.interval_grid(start, end, spec.name, 15)
        n = len(grid)
        rate = spec.yearly_calls / 250 / 34
        offered = rng.poisson(rate * rng.gamma(20, 1 / 20, n))
        abandoned = rng.binomial(offered, 0.08)
        answered = offered - abandoned
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": grid,
                    "queue": spec.name,
                    "offered": offered,
                    "answered": answered,
                    "abandoned": abandoned,
                    "abandoned_short": rng.binomial(abandoned, 0.4),
                    "transferred": rng.binomial(answered, spec.transfer_share),
                    "aht_seconds": np.where(
                        answered > 0, np.round(rng.gamma(30, spec.aht_seconds / 30, n), 1), np.nan
                    ),
                    "asa_seconds": np.where(
                        answered > 0, np.round(rng.exponential(60, n), 1), np.nan
                    ),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def write_files(frame: pd.DataFrame, folder: Path) -> dict[str, Path]:
    iso = frame.copy()
    iso["interval_start"] = iso["interval_start"].map(lambda t: t.isoformat())
    contract = folder / "history.csv"
    iso.to_csv(contract, index=False)
    danish = frame[frame["offered"] > 0].copy()
    danish["interval_start"] = danish["interval_start"].dt.strftime("%Y-%m-%d %H:%M")
    export = folder / "history_dk.csv"
    danish.to_csv(export, index=False, sep=";", decimal=",", encoding="cp1252")
    return {"contract CSV (ISO with offset)": contract, "Danish export (; , cp1252, naive)": export}


def median_time(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench(label: str, path: Path, repeat: int) -> None:
    sep = ";" if path.read_bytes()[:200].count(b";") > 2 else ","
    encoding = "cp1252" if "dk" in path.name else "utf-8"
    base, raw = median_time(lambda: pd.read_csv(path, sep=sep, encoding=encoding), repeat)
    ours, loaded = median_time(lambda: load_history(path), repeat)
    s = loaded.summary
    print(f"{label}: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {len(raw):,} rows")
    print(f"  baseline pd.read_csv          {base:6.2f} s")
    print(
        f"  planner.io.history.load_history  {ours:6.2f} s  "
        f"({ours / base:.1f}x the baseline; goal < 3 s)"
    )
    print(
        f"  loaded {s.rows:,} rows, {len(s.queues)} queues, {s.interval_minutes}-minute intervals, "
        f"{s.filled:,} filled, {s.gap_days} gap days, {len(s.warnings)} warnings"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--file", type=Path, help="also time this history file")
    args = parser.parse_args(argv)
    frame = make_history()
    print(
        f"two years (2024-2025) of 15-minute history, {frame['queue'].nunique()} queues, "
        f"{len(frame):,} intervals; median of {args.repeat} runs"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in write_files(frame, Path(tmp)).items():
            bench(label, path, args.repeat)
    if args.file is not None:
        bench("given file", args.file, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
