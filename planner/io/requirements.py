"""Reading a requirements file (the output of ``vagtplan staff``): agents needed per interval.

Columns ``interval_start, queue, agents`` and optionally ``agents_gross, offered, aht_seconds,
patience_seconds`` and the predicted metrics; every problem is an `InputError` naming the
file, row and column. Checked as the forecast is (`planner.io.forecast`): no personal data in
any column, one spelling per queue, times that can be read, then the contract's types and
ranges (`planner.io.schemas.RequirementsSchema`: finite numbers in range, the optional ones
may be empty, times in the years 1900 to 2199, one row per queue and interval), and interval
starts on one grid of 5, 15, 30 or 60 minutes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.errors import InputError
from planner.io.forecast import check_interval_grid, interval_times, queue_names, undo_csv_escape
from planner.io.pii import check_personal_data, one_line_messages
from planner.io.schemas import MAX_AGENTS, RequirementsSchema, check_frame
from planner.io.tables import load_table, parse_numbers

__all__ = ["MAX_AGENTS", "read_requirements"]

#: The numeric columns of the contract (`RequirementsSchema`); ``agents`` is required.
_NUMBERS = ("agents", "agents_gross", "offered", "aht_seconds", "patience_seconds")


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
    out["interval_start"] = interval_times(frame["interval_start"], out["queue"], label, rows)
    unreadable = {}
    for column in _NUMBERS:
        if column in out.columns:
            out[column], unreadable[column] = parse_numbers(frame[column])
    contract = [c for c in ("interval_start", "queue", *_NUMBERS) if c in out.columns]
    check_frame(
        RequirementsSchema,
        out[contract],
        name=label,
        rows=rows,
        cells=frame,
        unreadable=unreadable,
    )
    check_interval_grid(
        out["interval_start"], out["queue"], label, rows, raw=frame["interval_start"]
    )
    return out
