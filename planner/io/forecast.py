"""Reading a forecast file: ``interval_start, queue, offered, offered_lo, offered_hi, aht_seconds``.

The one reader of the forecast contract (DESIGN.md), for `vagtplan staff`, `vagtplan simulate`
and anything else that takes a forecast from a file. Checks, each an `InputError` naming the
file, row and column:

- no personal data in any column (`planner.io.pii.check_personal_data`, before any message
  could quote a cell);
- the required columns;
- one spelling per queue: names that differ only in upper/lower case or spaces (``Dagpenge``
  and ``dagpenge ``) would be two queues, so they are refused; the same name in two Unicode
  forms (``å`` composed or not) is one queue (`queue_names`);
- times that can be read (tz-aware, or DST-safe naive local times; `interval_times`);
- the contract's types and ranges (`planner.io.schemas.ForecastSchema`, checked by
  `planner.io.schemas.check_frame`): a queue and a time in every row, times in the years 1900
  to 2199, counts of calls from 0 to `MAX_CALLS` per interval, handle times > 0 and at most
  `MAX_AHT_SECONDS`, ``offered_lo <= offered <= offered_hi`` where the interval columns are
  given, one row per queue and interval;
- times on one grid of 5, 15, 30 or 60 minutes (`check_interval_grid`: the interval is
  inferred from the data).

`queue_names`, `interval_times`, `check_interval_grid` and `undo_csv_escape` are shared with the
requirements reader (`planner.io.requirements`), which reads the same kind of table.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.io.pii import check_personal_data, one_line_messages
from planner.io.schemas import MAX_AHT_SECONDS, MAX_CALLS, YEARS, ForecastSchema, check_frame
from planner.io.tables import Table, cell_text, load_table, parse_numbers, parse_times

__all__ = [
    "FORECAST_COLUMNS",
    "INTERVALS",
    "MAX_AHT_SECONDS",
    "MAX_CALLS",
    "YEARS",
    "check_interval_grid",
    "check_one_spelling",
    "interval_times",
    "queue_names",
    "read_forecast",
    "undo_csv_escape",
]

FORECAST_COLUMNS = ("interval_start", "queue", "offered", "offered_lo", "offered_hi", "aht_seconds")
_REQUIRED = ("interval_start", "queue", "offered", "aht_seconds")

#: Interval lengths accepted on input (minutes; DESIGN.md).
INTERVALS = (5, 15, 30, 60)
# MAX_CALLS, MAX_AHT_SECONDS and YEARS are the schemas' (`planner.io.schemas`), re-exported.

#: First characters after which our CSV exports put a ``'`` (`planner.io.safe_text.csv_text`:
#: OWASP's list, and the line feed a carriage return became).
_ESCAPED = ("=", "+", "-", "@", "\t", "\r", "\n")


# -- shared by the interval tables (forecast, requirements) and the roster -------------------


def undo_csv_escape(table: Table) -> pd.DataFrame:
    """The table's frame with our CSV escape undone in text cells (CSV files only).

    Our CSV exports put a ``'`` before a text cell a spreadsheet would run as a formula
    (`planner.io.safe_text.csv_text`: ``=``, ``+``, ``-``, ``@``, tab, carriage return); such a
    cell reads back as the original text, so that an exported file round-trips. One ``'`` is
    taken off, only before those characters; Excel and Parquet cells are never escaped.

    (The inverse of `planner.io.safe_text.csv_text`; it belongs beside it.)
    """
    frame = table.frame
    if table.kind != "csv":
        return frame
    out = frame.copy()
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if values.dtype != object and not pd.api.types.is_string_dtype(values.dtype):
            continue
        quoted = values.map(lambda v: isinstance(v, str) and v[:1] == "'" and v[1:2] in _ESCAPED)
        if quoted.any():
            fixed = values.where(~quoted, values[quoted].str.slice(1))
            out.isetitem(position, fixed.astype(values.dtype))
    return out


def _spelling_key(name: str) -> str:
    """What two spellings of one queue share: case and runs of spaces ignored."""
    return " ".join(name.casefold().split())


def queue_names(
    values: pd.Series, label: str, rows: np.ndarray, column: str = "queue"
) -> pd.Series:
    """The queue column as text: stripped, Unicode NFC, one spelling per queue.

    An empty cell is ``None`` (the schema refuses it). Names that differ only in upper/lower
    case or in spaces (``Dagpenge``, ``dagpenge ``, ``Dag  penge``) would silently be two
    queues: the first row that spells a queue differently from an earlier row is refused,
    naming both rows. The same letters written in two Unicode forms (``å`` as one character or
    as ``a`` and a combining ring) are the same name (NFC).
    """
    raw = [cell_text(v) for v in values]
    names = pd.Series(
        [unicodedata.normalize("NFC", text.strip()) or None for text in raw],
        index=values.index,
        dtype=object,
    )
    check_one_spelling(names, label, rows, column, raw=raw)
    return names


def check_one_spelling(
    names: pd.Series,
    label: str,
    rows: np.ndarray,
    column: str,
    *,
    what: str = "queue",
    raw: list[str] | None = None,
) -> None:
    """Refuse a name that differs from an earlier row's only in upper/lower case or spaces.

    ``names`` are stripped already; ``what`` is ``"queue"`` (queue names) or ``"agent"`` (agent
    ids); ``raw`` the cells as the file has them, quoted in the message (a trailing space
    shows). ``Dagpenge`` and ``dagpenge`` would silently be two queues (or two agents).
    """
    codes, uniques = pd.factorize(names)  # uniques in the order they first appear
    first_of: dict[str, int] = {}  # spelling key -> index of its first unique name
    for index, name in enumerate(uniques):
        key = _spelling_key(str(name))
        if key not in first_of:
            first_of[key] = index
            continue
        pos = int(np.flatnonzero(codes == index)[0])
        first = int(np.flatnonzero(codes == first_of[key])[0])
        found = raw[pos] if raw is not None else name
        kind = "queue names" if what == "queue" else f"{what} ids"
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found {found!r} but row {rows[first]} "
            f"has {uniques[first_of[key]]!r}; {kind} that differ only in upper/lower case or "
            f"spaces would be two {what}s: expected one spelling per {what}"
        )


def interval_times(
    values: pd.Series,
    queues: pd.Series,
    label: str,
    rows: np.ndarray,
    column: str = "interval_start",
) -> pd.Series:
    """A column of interval starts as tz-aware Europe/Copenhagen times; an empty cell is NaT
    (the schema refuses it).

    Date-time columns (Excel, Parquet) are taken as they are; other cells as their text
    (`cell_text`: an Excel number is its text), read by `planner.io.tables.parse_times`, which
    refuses a cell it cannot read as a time, naming its row. Naive times are local times; the
    autumn's repeated hour is told apart per queue (``queues``).
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
        values.dtype
    ):
        return parse_times(values, groups=queues)
    texts = pd.Series([cell_text(v).strip() for v in values], index=values.index, dtype=object)
    given = (texts != "").to_numpy()
    times = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, Europe/Copenhagen]")
    if given.any():
        parsed = parse_times(
            texts[given], label=label, column=column, groups=queues[given], rows=rows[given]
        )
        times[given] = parsed.dt.as_unit("us")
    return times


def _quoted(times: pd.Series, raw: pd.Series | None, position: int) -> str:
    """The cell at ``position`` as the file has it (or the time read from it), quoted."""
    if raw is not None:
        return repr(cell_text(raw.iloc[position]).strip())
    return repr(times.iloc[position].isoformat())


def check_interval_grid(
    times: pd.Series,
    queues: pd.Series,
    label: str,
    rows: np.ndarray,
    column: str = "interval_start",
    raw: pd.Series | None = None,
) -> int | None:
    """Refuse interval starts off one grid of 5, 15, 30 or 60 minutes; return its length.

    The interval is the most common step between a queue's consecutive interval starts (as
    `planner.io.history` settles it): daily totals (every time midnight, a day apart) and
    other steps (10 minutes) are refused; then every start must be on that grid, counted from
    the hour (``:00, :15, :30, :45``; 60 minutes: on the hour), on whole minutes. A table with
    one row per queue has no step: its starts need only be on the 5-minute grid. Returns the
    interval in minutes (``None`` without a step). ``raw``: the column as the file has it,
    quoted in messages. The times are checked (`planner.io.schemas`) before: every row has
    one, in the years 1900 to 2199.
    """
    local = pd.DatetimeIndex(times)
    minute = np.asarray(local.minute)
    clean = (np.asarray(local.second) == 0) & (np.asarray(local.microsecond) == 0)
    codes = pd.factorize(queues)[0]
    ns = local.as_unit("ns").asi8
    order = np.lexsort((ns, codes))
    same = codes[order][1:] == codes[order][:-1]
    steps = np.diff(ns[order]) / 60e9
    usable = same & (steps > 0)
    interval: int | None = None
    if usable.any():
        values, counts = np.unique(np.round(steps[usable], 6), return_counts=True)
        usual = float(values[np.argmax(counts)])
        at = int(np.flatnonzero(usable & (np.round(steps, 6) == usual))[0])
        a, b = (int(rows[order[at]]), int(rows[order[at + 1]]))
        midnight = (np.asarray(local.hour) == 0) & (minute == 0) & clean
        if usual >= 23 * 60 and midnight.all():
            raise InputError(
                f"{label}: column '{column}': every time is midnight, one row per day and queue "
                f"(rows {a} and {b}); expected one row per queue and interval of 5, 15, 30 or 60 "
                "minutes, not daily totals"
            )
        if usual not in INTERVALS:
            raise InputError(
                f"{label}: column '{column}': the rows of a queue are mostly {usual:g} minutes "
                f"apart (e.g. rows {a} and {b}); expected intervals of 5, 15, 30 or 60 minutes"
            )
        interval = int(usual)
    grid = interval or 5
    off = np.flatnonzero((minute % grid != 0) | ~clean)
    if off.size:
        pos = int(off[0])
        marks = {5: ":00, :05, ..., :55", 60: ":00, on the hour"}.get(
            grid, ", ".join(f":{m:02d}" for m in range(0, 60, grid))
        )
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found {_quoted(times, raw, pos)}; "
            f"expected interval starts on the {grid}-minute grid ({marks}), on whole minutes"
        )
    return interval


# -- the forecast ----------------------------------------------------------------------------


@one_line_messages
def read_forecast(
    path: str | Path, *, uncertainty: bool = False, data: bytes | None = None
) -> pd.DataFrame:
    """The forecast contract from a file (CSV, Excel, Parquet), checked.

    ``uncertainty``: the 80 % interval columns ``offered_lo, offered_hi`` are required (the
    simulation draws volumes from them). Returns the contract's columns that the file has,
    with tz-aware ``interval_start`` and float numbers; other columns are left out.
    """
    table = load_table(path, data=data)
    label, rows = table.name, table.rows
    frame = undo_csv_escape(table)
    check_personal_data(frame, name=label, rows=rows)
    required = _REQUIRED + (("offered_lo", "offered_hi") if uncertainty else ())
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"{label}: no column '{missing[0]}'; expected the forecast columns "
            f"{', '.join(FORECAST_COLUMNS)}"
        )
    if frame.empty:
        raise InputError(
            f"{label}: the forecast has no rows; expected one row per queue and interval"
        )
    queue = queue_names(frame["queue"], label, rows)
    times = interval_times(frame["interval_start"], queue, label, rows)
    out = pd.DataFrame({"interval_start": times, "queue": queue}).reset_index(drop=True)
    cells = {"interval_start": frame["interval_start"], "queue": frame["queue"]}
    unreadable = {}
    for col in FORECAST_COLUMNS[2:]:
        if col in frame.columns:
            out[col], unreadable[col] = parse_numbers(frame[col])
            # a message quotes the number read, or the cell that is no finite number
            typed = out[col].to_numpy()
            raw = frame[col].to_numpy(dtype=object)
            cells[col] = np.where(unreadable[col] | ~np.isfinite(typed), raw, typed)
    check_frame(ForecastSchema, out, name=label, rows=rows, cells=cells, unreadable=unreadable)
    check_interval_grid(times, queue, label, rows, raw=frame["interval_start"])
    return out
