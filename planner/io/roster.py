"""Reading a roster file: one row per agent and activity block.

Columns ``agent_id, date, start, end, activity`` (DESIGN.md); ``start``/``end`` ISO 8601 with
offset or naive local times (DST-safe); activities ``phone, break, lunch, meeting, training,
absence``. Every problem is an `InputError` naming the file, row and column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from centre.contracts import ACTIVITIES, ROSTER_COLUMNS
from planner.errors import InputError
from planner.io.tables import load_table, parse_times

__all__ = ["read_roster"]


def _first(bad: pd.Series) -> int | None:
    hits = np.flatnonzero(bad.to_numpy())
    return int(hits[0]) if hits.size else None


def read_roster(path: str | Path, *, data: bytes | None = None) -> pd.DataFrame:
    """The roster contract, checked: known activities, tz-aware start < end, ISO dates."""
    table = load_table(path, data=data)
    frame, label, rows = table.frame, table.name, table.rows
    missing = [c for c in ROSTER_COLUMNS if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise InputError(
            f"{label}: missing column '{missing[0]}'; expected columns "
            f"{', '.join(ROSTER_COLUMNS)} (found {found})"
        )
    out = pd.DataFrame({"agent_id": frame["agent_id"].astype(str).str.strip()})
    for col in ("start", "end"):
        out[col] = parse_times(frame[col], label=label, column=col, first_row=2)
    dates = pd.to_datetime(frame["date"].astype(str).str.strip(), errors="coerce", format="ISO8601")
    pos = _first(dates.isna())
    if pos is not None:
        raise InputError(
            f"{label}: row {rows[pos]}, column 'date': found {frame['date'].iloc[pos]!r}; "
            "expected a date like 2026-03-02"
        )
    out.insert(1, "date", dates.dt.date)
    activity = frame["activity"].astype(str).str.strip().str.lower()
    pos = _first(~activity.isin(ACTIVITIES))
    if pos is not None:
        raise InputError(
            f"{label}: row {rows[pos]}, column 'activity': found "
            f"{frame['activity'].iloc[pos]!r}; expected one of {', '.join(ACTIVITIES)}"
        )
    out["activity"] = activity
    pos = _first(out["end"] <= out["start"])
    if pos is not None:
        raise InputError(
            f"{label}: row {rows[pos]}: end {out['end'].iloc[pos].isoformat()} is not "
            f"after start {out['start'].iloc[pos].isoformat()}"
        )
    return out
