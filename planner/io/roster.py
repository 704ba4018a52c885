"""Reading a roster file: one row per agent and activity block.

Columns ``agent_id, date, start, end, activity`` (DESIGN.md). ``start``/``end`` are ISO 8601
with offset, naive local date-times (DST-safe), or clock times beside the date
(``date=2026-11-30, start=08:00, end=16:00``: Europe/Copenhagen local time on that date;
``24:00`` is the end of the day; seconds are dropped); Excel date-time, date and time cells are
read as a planner typed them (`planner.io.tables.excel_cells`). Activities are
`centre.contracts.ACTIVITIES` (``phone`` is time on the phone, ``off_phone`` working time on
other tasks).

Checked at the door, each an `InputError` naming the file, row and column, what was found and
what was expected: no personal data in any column (`planner.io.pii.check_personal_data`: an
agent id may be a pseudonym, initials or a name, never a CPR number, phone number or e-mail
address), the columns, one spelling per agent (ids that differ only in upper/lower case,
``A01`` and ``a01``, would be two agents), dates and times that can be read; then the
contract's types and ranges (`planner.io.schemas.RosterSchema`): an agent id, a date, a start,
an end and a known activity in every row, dates and times in the years 1900 to 2199, times on
whole minutes, end after start and at most a day (25 hours on the autumn's long night) later,
a ``date`` that is the local date of the block's start; and last no agent in two blocks at
once (the same block twice included).

A CSV text cell that our exports escaped against formulas (``'=...``,
`planner.io.safe_text.csv_text`) reads back as the original text
(`planner.io.forecast.undo_csv_escape`), so that an exported ``roster.csv`` round-trips.

What a simulation needs besides (phone rows at all, phone time inside the forecast's intervals)
is checked by `require_phone_time` and `check_covers_forecast`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from centre.contracts import ROSTER_COLUMNS
from centre.parsing import parse_clock
from centre.timezone import INTERVAL_MINUTES, TZ
from planner.errors import InputError
from planner.io.forecast import check_one_spelling, undo_csv_escape
from planner.io.pii import check_personal_data, one_line_messages
from planner.io.schemas import RosterSchema, check_frame
from planner.io.tables import (
    TIME_FORMATS,
    cell_text,
    day_fraction_clock,
    load_table,
    localize_naive,
    parse_times,
)

__all__ = [
    "RosterTable",
    "check_covers_forecast",
    "load_roster",
    "read_roster",
    "require_phone_time",
]

#: A clock time alone (``08:00``, ``8.00``, ``08:00:00``), as typed beside the date column.
_CLOCK_SHAPE = re.compile(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?")


@dataclass(frozen=True)
class RosterTable:
    """A roster read from a file, with what its messages need.

    Attributes
    ----------
    frame: the roster contract: ``agent_id`` (text), ``date`` (`datetime.date`), ``start``,
        ``end`` (tz-aware Europe/Copenhagen), ``activity`` (lower case).
    name: the file name used in messages.
    rows: the spreadsheet row of each row of ``frame`` (the header is row 1).
    """

    frame: pd.DataFrame
    name: str
    rows: np.ndarray


def _first(bad: pd.Series | np.ndarray) -> int | None:
    """Position of the first True, or None."""
    hits = np.flatnonzero(np.asarray(bad, dtype=bool))
    return int(hits[0]) if hits.size else None


def _at(label: str, row: int, column: str) -> str:
    """The start of a message: file, row and column."""
    return f"{label}: row {row}, column '{column}'"


def _check_columns(frame: pd.DataFrame, label: str) -> None:
    """Every contract column is present."""
    missing = [c for c in ROSTER_COLUMNS if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise InputError(
            f"{label}: missing column '{missing[0]}'; expected columns "
            f"{', '.join(ROSTER_COLUMNS)} (found {found})"
        )


def _agent_ids(values: pd.Series, label: str, rows: np.ndarray) -> pd.Series:
    """The agent ids as text (an Excel number 101 is ``"101"``; an empty cell ``None``);
    refuses an id spelled as an earlier one in other upper/lower case
    (`planner.io.forecast.check_one_spelling`)."""
    ids = pd.Series(
        [cell_text(v).strip() or None for v in values], index=values.index, dtype=object
    )
    check_one_spelling(ids, label, rows, "agent_id", what="agent")
    return ids


def _dates(values: pd.Series, label: str, rows: np.ndarray) -> pd.Series:
    """The ``date`` column as `datetime.date` (ISO text, or Excel date cells; an empty cell
    ``None``); refuses a cell that is no date."""
    text = pd.Series([cell_text(v).strip() for v in values], index=values.index, dtype=object)
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    pos = _first(parsed.isna() & (text != ""))
    if pos is not None:
        raise InputError(
            f"{_at(label, rows[pos], 'date')}: found {_cell(values.iloc[pos])}; "
            "expected a date like 2026-03-02"
        )
    return pd.Series(
        [None if pd.isna(t) else t.date() for t in parsed], index=values.index, dtype=object
    )


def _cell(value: object) -> str:
    """A cell as a message quotes it (``an empty cell`` for a blank one)."""
    text = cell_text(value).strip()
    return repr(text) if text else "an empty cell"


def _activities(values: pd.Series) -> pd.Series:
    """The activities in lower case (the schema knows which there are)."""
    return pd.Series(
        [cell_text(v).strip().lower() for v in values], index=values.index, dtype=object
    )


@dataclass(frozen=True)
class _Where:
    """A column of the file and the spreadsheet rows of the values at hand."""

    label: str
    column: str
    rows: np.ndarray

    def at(self, position: int) -> str:
        """File, row and column of the value at ``position``."""
        return _at(self.label, int(self.rows[position]), self.column)


def _time_cell(value: object) -> str:
    """A start or end cell as text: an Excel number from 0 to 1 is a fraction of a day."""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        if 0 <= value <= 1:
            return day_fraction_clock(float(value))
    return cell_text(value).strip()


def _clock_times(texts: pd.Series, dates: pd.Series, agents: pd.Series, where: _Where) -> pd.Series:
    """Clock times beside the date as tz-aware local times (``24:00``: the next midnight)."""
    minutes = []
    for pos, text in enumerate(texts):
        try:
            minutes.append(parse_clock(text))
        except ValueError:
            raise InputError(
                f"{where.at(pos)}: found {text!r}; expected a clock time from 00:00 to 24:00 "
                f"beside the date, or {TIME_FORMATS}"
            ) from None
    midnight = pd.to_datetime(pd.Series(list(dates), index=texts.index, dtype=object))
    naive = midnight + pd.to_timedelta(pd.Series(minutes, index=texts.index), unit="min")
    return localize_naive(naive, tz=TZ, groups=agents)


def _block_times(
    values: pd.Series, dates: pd.Series, agents: pd.Series, where: _Where
) -> pd.Series:
    """A ``start`` or ``end`` column as tz-aware Europe/Copenhagen times.

    Full date-times are read by `parse_times` (offsets, naive local times, Danish day-first
    forms); clock times are taken on the row's date. A naive time in the autumn's repeated hour
    is summer time at its first occurrence per agent, standard time at the next.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
        values.dtype
    ):
        return parse_times(values, tz=TZ, groups=agents)
    texts = pd.Series([_time_cell(v) for v in values], index=values.index, dtype=object)
    clock = texts.str.fullmatch(_CLOCK_SHAPE).to_numpy(dtype=bool)
    full = ~clock & (texts != "").to_numpy(dtype=bool)  # an empty cell stays NaT
    parts = []
    if full.any():
        parts.append(
            parse_times(
                texts[full],
                tz=TZ,
                label=where.label,
                column=where.column,
                groups=agents[full],
                rows=where.rows[full],
            )
        )
    if clock.any():
        inner = _Where(where.label, where.column, where.rows[clock])
        parts.append(_clock_times(texts[clock], dates[clock], agents[clock], inner))
    if not parts:
        return pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[us, {TZ}]")
    return pd.concat(parts).reindex(values.index)


def _local(stamp: pd.Timestamp) -> str:
    """A time as a planner reads it: ``2026-12-01 08:00``."""
    return stamp.tz_convert(TZ).strftime("%Y-%m-%d %H:%M")


def _span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A block's time as ``2026-12-01 08:00-16:00`` (the end's date only when it differs)."""
    same_day = start.tz_convert(TZ).date() == end.tz_convert(TZ).date()
    return (
        f"{_local(start)}-{end.tz_convert(TZ):%H:%M}"
        if same_day
        else f"{_local(start)}-{_local(end)}"
    )


def _overlap_message(out: pd.DataFrame, label: str, rows: np.ndarray, a: int, b: int) -> str:
    """The message for the agent's blocks at positions ``a`` (earlier row) and ``b``."""
    first, second = out.iloc[a], out.iloc[b]
    where = f"{label}: rows {rows[a]} and {rows[b]}, columns 'start' and 'end'"
    agent = f"agent '{first['agent_id']}'"
    if first["start"] == second["start"] and first["end"] == second["end"]:
        same = f"{first['activity']} {_span(first['start'], first['end'])}"
        if first["activity"] == second["activity"]:
            return f"{where}: {agent} has the same block twice ({same}); expected each block once"
        return (
            f"{where}: {agent} has two blocks at the same time ({same} as "
            f"{first['activity']} and as {second['activity']}); expected one block at a time"
        )
    return (
        f"{where}: {agent} has overlapping blocks: found {first['activity']} "
        f"{_span(first['start'], first['end'])} (row {rows[a]}) and {second['activity']} "
        f"{_span(second['start'], second['end'])} (row {rows[b]}); expected one block at a time"
    )


def _overlapping_pair(out: pd.DataFrame) -> tuple[int, int] | None:
    """Positions (in file order) of the first two blocks of one agent that overlap in time.

    Blocks that touch (one ends when the next starts) do not overlap. Each block is compared
    with the agent's earlier-starting block that reaches furthest; of the pairs found, the one
    whose later row comes first in the file is named.
    """
    by_agent = out.reset_index(drop=True).sort_values(["agent_id", "start"], kind="stable")
    order = by_agent.index.to_numpy()
    agents = out["agent_id"].to_numpy()[order]
    starts = out["start"].to_numpy()[order]
    ends = out["end"].to_numpy()[order]
    best: tuple[int, int] | None = None
    reach_end, reach_pos = None, -1
    for k, pos in enumerate(order):
        if k == 0 or agents[k] != agents[k - 1]:
            reach_end, reach_pos = ends[k], int(pos)
            continue
        if starts[k] < reach_end:
            pair = (min(reach_pos, int(pos)), max(reach_pos, int(pos)))
            if best is None or (pair[1], pair[0]) < (best[1], best[0]):
                best = pair
        if ends[k] > reach_end:
            reach_end, reach_pos = ends[k], int(pos)
    return best


def _check_overlaps(out: pd.DataFrame, label: str, rows: np.ndarray) -> None:
    """No agent is in two blocks at once (the same block twice included)."""
    pair = _overlapping_pair(out)
    if pair is not None:
        raise InputError(_overlap_message(out, label, rows, *pair))


@one_line_messages
def load_roster(path: str | Path, *, data: bytes | None = None) -> RosterTable:
    """The roster contract from a file (CSV, Excel, Parquet), checked, with its row numbers."""
    table = load_table(path, data=data)
    label, rows = table.name, table.rows
    frame = undo_csv_escape(table)
    check_personal_data(frame, name=label, rows=rows)
    _check_columns(frame, label)
    agents = _agent_ids(frame["agent_id"], label, rows)
    dates = _dates(frame["date"], label, rows)
    out = pd.DataFrame({"agent_id": agents, "date": dates}, index=frame.index)
    for column in ("start", "end"):
        where = _Where(label, column, rows)
        out[column] = _block_times(frame[column], dates, agents, where)
    out["activity"] = _activities(frame["activity"])
    check_frame(RosterSchema, out, name=label, rows=rows, cells=frame)
    _check_overlaps(out, label, rows)
    return RosterTable(out.reset_index(drop=True), label, rows)


def read_roster(path: str | Path, *, data: bytes | None = None) -> pd.DataFrame:
    """The roster contract, checked (see `load_roster`): agent_id, date, start, end, activity."""
    return load_roster(path, data=data).frame


def require_phone_time(table: RosterTable) -> None:
    """Refuse a roster with no rows, or with no ``phone`` rows: there is nothing to simulate."""
    frame = table.frame
    if frame.empty:
        raise InputError(
            f"{table.name}: found no rows; expected one row per agent and activity block "
            f"({', '.join(ROSTER_COLUMNS)})"
        )
    if not (frame["activity"] == "phone").any():
        found = ", ".join(sorted(set(frame["activity"])))
        raise InputError(
            f"{table.name}: column 'activity': found no 'phone' rows ({len(frame)} rows of "
            f"{found}); expected phone blocks, the time agents answer calls"
        )


def _weeks(days: Iterable[dt.date]) -> str:
    """ISO weeks and first..last day: ``2026-W49 (2026-11-30..2026-12-04)``."""
    days = sorted(set(days))
    weeks = list(dict.fromkeys(f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in days))
    named = ", ".join(weeks) if len(weeks) <= 3 else f"{weeks[0]}..{weeks[-1]}"
    return f"{named} ({days[0].isoformat()}..{days[-1].isoformat()})"


def _interval_length(starts: np.ndarray) -> np.timedelta64:
    """The forecast's interval: the smallest step between its interval starts (default 15 min)."""
    steps = np.diff(np.unique(starts))
    steps = steps[steps > np.timedelta64(0, "s")]
    if steps.size == 0:
        return np.timedelta64(INTERVAL_MINUTES, "m")
    return steps.min()


def _phone_in_intervals(phone: pd.DataFrame, starts: np.ndarray) -> bool:
    """True when some phone block overlaps some interval ``[t, t + length)`` of ``starts``."""
    length = _interval_length(starts)
    grid = np.unique(starts)
    block_start = phone["start"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    block_end = phone["end"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    last = np.searchsorted(grid, block_end, side="left") - 1  # the last interval starting < end
    ok = last >= 0
    return bool(np.any(grid[np.where(ok, last, 0)][ok] + length > block_start[ok]))


def check_covers_forecast(
    table: RosterTable, forecast: pd.DataFrame, *, forecast_name: str = "the forecast"
) -> None:
    """Refuse a roster with no phone time inside any of the forecast's intervals.

    Such a roster is for other days than the forecast (another week, most often); simulated,
    it answers no call. The message names the ISO weeks and days each one covers.
    """
    phone = table.frame[table.frame["activity"] == "phone"]
    if phone.empty or forecast.empty:
        return
    times = forecast["interval_start"]
    starts = times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    if _phone_in_intervals(phone, starts):
        return
    roster_days = phone["start"].dt.tz_convert(TZ).dt.date
    forecast_days = times.dt.tz_convert(TZ).dt.date
    raise InputError(
        f"{table.name}: column 'start': found phone blocks in {_weeks(roster_days)}, none inside "
        f"the intervals of {forecast_name}, which covers {_weeks(forecast_days)}; expected a "
        "roster for the forecast's days"
    )
