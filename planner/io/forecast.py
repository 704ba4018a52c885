"""Reading a forecast file: ``interval_start, queue, offered, offered_lo, offered_hi, aht_seconds``.

The one reader of the forecast contract (DESIGN.md), for `vagtplan staff`, `vagtplan simulate`
and anything else that takes a forecast from a file. Checks, each an `InputError` naming the
file, row and column: the required columns, tz-aware (or DST-safe naive local) times, a queue
name in every row, counts of calls >= 0, handle times > 0, ``offered_lo <= offered <=
offered_hi`` where the interval columns are given, one row per queue and interval.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.io.tables import load_table, parse_times

__all__ = ["FORECAST_COLUMNS", "read_forecast"]

FORECAST_COLUMNS = ("interval_start", "queue", "offered", "offered_lo", "offered_hi", "aht_seconds")
_REQUIRED = ("interval_start", "queue", "offered", "aht_seconds")


def _numbers(frame: pd.DataFrame, rows: np.ndarray, label: str, column: str) -> np.ndarray:
    """A numeric column (decimal comma allowed); `InputError` at the first cell that is not."""
    raw = frame[column]
    if pd.api.types.is_numeric_dtype(raw.dtype):
        values = raw.astype(float)
    else:
        text = raw.astype(str).str.strip().str.replace(",", ".", regex=False)
        values = pd.to_numeric(text, errors="coerce").astype(float)
    bad = values.isna() | ~np.isfinite(values)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found {str(raw.iloc[pos])!r}; "
            "expected a number"
        )
    return values.to_numpy()


def _first_bad(bad: np.ndarray) -> int | None:
    hits = np.flatnonzero(bad)
    return int(hits[0]) if hits.size else None


def _check_interval(out: pd.DataFrame, rows: np.ndarray, label: str) -> None:
    """``offered_lo <= offered <= offered_hi`` in every row that has the interval."""
    lo, mid, hi = (out[c].to_numpy() for c in ("offered_lo", "offered", "offered_hi"))
    pos = _first_bad((lo > mid + 1e-9) | (hi < mid - 1e-9))
    if pos is not None:
        raise InputError(
            f"{label}: row {rows[pos]}: expected offered_lo <= offered <= offered_hi; "
            f"found {lo[pos]:g}, {mid[pos]:g}, {hi[pos]:g}"
        )


def read_forecast(
    path: str | Path, *, uncertainty: bool = False, data: bytes | None = None
) -> pd.DataFrame:
    """The forecast contract from a file (CSV, Excel, Parquet), checked.

    ``uncertainty``: the 80 % interval columns ``offered_lo, offered_hi`` are required (the
    simulation draws volumes from them). Returns the contract's columns that the file has,
    with tz-aware ``interval_start`` and float numbers.
    """
    table = load_table(path, data=data)
    frame, label, rows = table.frame, table.name, table.rows
    required = _REQUIRED + (("offered_lo", "offered_hi") if uncertainty else ())
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"{label}: no column '{missing[0]}'; expected the forecast columns "
            f"{', '.join(FORECAST_COLUMNS)}"
        )
    if frame.empty:
        raise InputError(f"{label}: the forecast has no rows")
    queue = frame["queue"].astype(str).str.strip()
    pos = _first_bad((queue == "").to_numpy())
    if pos is not None:
        raise InputError(f"{label}: row {rows[pos]}, column 'queue': empty; expected a queue name")
    times = parse_times(
        frame["interval_start"], label=label, column="interval_start", groups=queue, first_row=2
    )
    out = pd.DataFrame({"interval_start": pd.DatetimeIndex(times.to_numpy()), "queue": queue})
    out = out.reset_index(drop=True)
    for col in ("offered", "offered_lo", "offered_hi", "aht_seconds"):
        if col not in frame.columns:
            continue
        values = _numbers(frame, rows, label, col)
        if col == "aht_seconds":
            bad, want = values <= 0, "a handle time in seconds > 0"
        else:
            bad, want = values < 0, "a number of calls >= 0"
        pos = _first_bad(bad)
        if pos is not None:
            raise InputError(
                f"{label}: row {rows[pos]}, column '{col}': found {values[pos]:g}; expected {want}"
            )
        out[col] = values
    if "offered_lo" in out and "offered_hi" in out:
        _check_interval(out, rows, label)
    pos = _first_bad(out.duplicated(["queue", "interval_start"]).to_numpy())
    if pos is not None:
        raise InputError(
            f"{label}: row {rows[pos]}: a second row for queue '{out['queue'].iloc[pos]}' at "
            f"{out['interval_start'].iloc[pos].isoformat()}; expected one row per queue and "
            "interval"
        )
    return out
