"""Reading a requirements file (the output of ``vagtplan staff``): agents needed per interval.

Columns ``interval_start, queue, agents`` and optionally ``agents_gross, offered, aht_seconds,
patience_seconds`` and the predicted metrics; every problem is an `InputError` naming the
file, row and column. Checked as the forecast is (`planner.io.forecast`): no personal data in
any column, one spelling per queue, interval starts on one grid of 5, 15, 30 or 60 minutes in
the years 1900 to 2199, finite numbers in range, one row per queue and interval.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.io.forecast import (
    MAX_AHT_SECONDS,
    MAX_CALLS,
    check_interval_grid,
    queue_names,
    time_cells,
    undo_csv_escape,
)
from planner.io.pii import check_personal_data, one_line_messages
from planner.io.tables import cell_text, load_table, parse_times

__all__ = ["MAX_AGENTS", "read_requirements"]

#: Most agents one queue may need in one interval (``vagtplan staff`` refuses more).
MAX_AGENTS = 10_000_000
#: Longest mean caller patience accepted (seconds): a day.
_MAX_PATIENCE = 24 * 3600

#: column -> (required in every row, largest value, what the message expects)
_REQUIREMENT_NUMBERS: dict[str, tuple[bool, float, str]] = {
    "agents": (True, MAX_AGENTS, f"a number of agents from 0 to {MAX_AGENTS:,}"),
    "agents_gross": (False, MAX_AGENTS, f"a number of agents from 0 to {MAX_AGENTS:,}"),
    "offered": (False, MAX_CALLS, f"a number of calls from 0 to {MAX_CALLS:,}"),
    "aht_seconds": (False, MAX_AHT_SECONDS, f"a handle time from 0 to {MAX_AHT_SECONDS:,} s"),
    "patience_seconds": (False, _MAX_PATIENCE, f"a patience from 0 to {_MAX_PATIENCE:,} s"),
}


def _number_column(raw: pd.Series, column: str, label: str, rows: np.ndarray) -> pd.Series:
    """One numeric column as floats (decimal comma allowed; blank cells NaN where optional)."""
    required, largest, want = _REQUIREMENT_NUMBERS[column]
    texts = pd.Series([cell_text(v).strip() for v in raw], index=raw.index, dtype=object)
    values = pd.to_numeric(texts.str.replace(",", ".", regex=False), errors="coerce")
    values = values.astype(float)
    blank = (texts == "").to_numpy()
    not_number = ~blank & ~np.isfinite(values.to_numpy())
    out_of_range = np.isfinite(values.to_numpy()) & ((values < 0) | (values > largest)).to_numpy()
    bad = not_number | out_of_range | (blank & required)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        found = "an empty cell" if blank[pos] else repr(texts.iloc[pos])
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found {found}; expected {want}"
            + ("" if required else " or an empty cell")
        )
    return values


@one_line_messages
def read_requirements(path: str | Path, *, data: bytes | None = None) -> pd.DataFrame:
    """Read a requirements file: ``interval_start, queue, agents`` and optional numbers.

    Keeps ``agents_gross``, ``offered``, ``aht_seconds`` and ``patience_seconds`` when present
    (the roster uses them; see `staffing.roster.solve`); other columns (predicted metrics) are kept
    as they are.
    """
    table = load_table(path, data=data)
    label, rows = table.name, table.rows
    frame = undo_csv_escape(table)
    check_personal_data(frame, name=label, rows=rows)
    missing = [c for c in ("interval_start", "queue", "agents") if c not in frame.columns]
    if missing:
        raise InputError(
            f"{label}: missing column(s) {', '.join(missing)}; expected interval_start, queue, "
            "agents (the output of vagtplan staff)"
        )
    if frame.empty:
        raise InputError(
            f"{label}: found no rows; expected one row per queue and interval (the output of "
            "vagtplan staff)"
        )
    out = frame.copy()
    out["queue"] = queue_names(frame["queue"], label, rows)
    cells = time_cells(frame["interval_start"], label, rows, "interval_start")
    out["interval_start"] = parse_times(
        cells, label=label, column="interval_start", groups=out["queue"], rows=rows
    )
    check_interval_grid(
        out["interval_start"], out["queue"], label, rows, raw=frame["interval_start"]
    )
    for column in _REQUIREMENT_NUMBERS:
        if column in out.columns:
            out[column] = _number_column(out[column], column, label, rows)
    dup = out.duplicated(["interval_start", "queue"])
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        same = (out["queue"] == out["queue"].iloc[pos]) & (
            out["interval_start"] == out["interval_start"].iloc[pos]
        )
        first = int(np.flatnonzero(same.to_numpy())[0])
        raise InputError(
            f"{label}: row {rows[pos]}, columns 'queue' + 'interval_start': found queue "
            f"'{out['queue'].iloc[pos]}' at {out['interval_start'].iloc[pos].isoformat()} again "
            f"(first in row {rows[first]}); expected one row per queue and interval"
        )
    return out
