"""Reading a requirements file (the output of ``vagtplan staff``): agents needed per interval.

Columns ``interval_start, queue, agents`` and optionally ``agents_gross, offered, aht_seconds,
patience_seconds`` and the predicted metrics; every problem is an `InputError` naming the
file, row and column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.io.tables import load_table, parse_times

__all__ = ["read_requirements"]

_REQUIREMENT_NUMBERS = (
    "agents",
    "agents_gross",
    "offered",
    "aht_seconds",
    "patience_seconds",
)


def read_requirements(path: str | Path, *, data: bytes | None = None) -> pd.DataFrame:
    """Read a requirements file: ``interval_start, queue, agents`` and optional numbers.

    Keeps ``agents_gross``, ``offered``, ``aht_seconds`` and ``patience_seconds`` when present
    (the roster uses them; see `staffing.roster.solve`); other columns (predicted metrics) are kept
    as they are.
    """
    table = load_table(path, data=data)
    frame, label = table.frame, table.name
    missing = [c for c in ("interval_start", "queue", "agents") if c not in frame.columns]
    if missing:
        raise InputError(
            f"{label}: missing column(s) {', '.join(missing)}; expected interval_start, queue, "
            "agents (the output of vagtplan staff)"
        )
    out = frame.copy()
    out["queue"] = out["queue"].astype(str).str.strip()
    out["interval_start"] = parse_times(
        frame["interval_start"],
        label=label,
        column="interval_start",
        groups=out["queue"],
        first_row=2,
    )
    for column in _REQUIREMENT_NUMBERS:
        if column not in out.columns:
            continue
        raw = out[column]
        values = pd.to_numeric(raw.astype(str).str.replace(",", ".", regex=False), errors="coerce")
        if column in ("aht_seconds", "patience_seconds", "offered"):
            bad = values < 0
        else:
            bad = values.isna() | (values < 0)
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"{label}: row {table.rows[pos]}, column '{column}': found {raw.iloc[pos]!r}; "
                "expected a number >= 0"
            )
        out[column] = values.astype(float)
    dup = out.duplicated(["interval_start", "queue"])
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(
            f"{label}: row {table.rows[pos]}: a second row for queue '{out['queue'].iloc[pos]}' "
            f"at {out['interval_start'].iloc[pos].isoformat()}; expected one row per queue and "
            "interval"
        )
    return out
