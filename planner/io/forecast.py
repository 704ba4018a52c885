"""Reading a forecast file: ``interval_start, queue, offered, offered_lo, offered_hi, aht_seconds``.

The one reader of the forecast contract (DESIGN.md), for `vagtplan staff`, `vagtplan simulate`
and anything else that takes a forecast from a file. Checks, each an `InputError` naming the
file, row and column:

- no personal data in any column (`planner.io.pii.check_personal_data`, before any message
  could quote a cell);
- the required columns;
- a queue name in every row, one spelling per queue: names that differ only in upper/lower
  case or spaces (``Dagpenge`` and ``dagpenge ``) would be two queues, so they are refused;
  the same name in two Unicode forms (``å`` composed or not) is one queue (`queue_names`);
- tz-aware (or DST-safe naive local) times on one grid of 5, 15, 30 or 60 minutes, in the
  years 1900 to 2199 (`check_interval_grid`);
- counts of calls from 0 to `MAX_CALLS` per interval, handle times > 0 and at most
  `MAX_AHT_SECONDS`, all finite; ``offered_lo <= offered <= offered_hi`` where the interval
  columns are given;
- one row per queue and interval.

`queue_names`, `check_interval_grid` and `undo_csv_escape` are shared with the requirements
reader (`planner.io.requirements`), which reads the same kind of table.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.io.pii import check_personal_data, one_line_messages
from planner.io.tables import TIME_FORMATS, Table, cell_text, load_table, parse_times

__all__ = [
    "FORECAST_COLUMNS",
    "INTERVALS",
    "MAX_AHT_SECONDS",
    "MAX_CALLS",
    "YEARS",
    "check_interval_grid",
    "check_one_spelling",
    "check_years",
    "time_cells",
    "queue_names",
    "read_forecast",
    "undo_csv_escape",
]

FORECAST_COLUMNS = ("interval_start", "queue", "offered", "offered_lo", "offered_hi", "aht_seconds")
_REQUIRED = ("interval_start", "queue", "offered", "aht_seconds")

#: Interval lengths accepted on input (minutes; DESIGN.md).
INTERVALS = (5, 15, 30, 60)
#: Most calls one queue may be offered in one interval: far above any contact centre, low
#: enough that the staffing math stays finite (a typo like 99999999999999999999999 is refused).
MAX_CALLS = 100_000
#: Longest mean handle time accepted (seconds): four hours.
MAX_AHT_SECONDS = 4 * 3600
#: Years a plan's times may fall in.
YEARS = (1900, 2199)

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

    An empty cell is refused. Names that differ only in upper/lower case or in spaces
    (``Dagpenge``, ``dagpenge ``, ``Dag  penge``) would silently be two queues: the first row
    that spells a queue differently from an earlier row is refused, naming both rows. The
    same letters written in two Unicode forms (``å`` as one character or as ``a`` and a
    combining ring) are the same name (NFC).
    """
    raw = [cell_text(v) for v in values]
    names = pd.Series(
        [unicodedata.normalize("NFC", text.strip()) for text in raw],
        index=values.index,
        dtype=object,
    )
    blank = np.flatnonzero((names == "").to_numpy())
    if blank.size:
        pos = int(blank[0])
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found an empty cell; expected a "
            "queue name"
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


def _quoted(times: pd.Series, raw: pd.Series | None, position: int) -> str:
    """The cell at ``position`` as the file has it (or the time read from it), quoted."""
    if raw is not None:
        return repr(cell_text(raw.iloc[position]).strip())
    return repr(times.iloc[position].isoformat())


def check_years(
    times: pd.Series, label: str, rows: np.ndarray, column: str, raw: pd.Series | None = None
) -> None:
    """Refuse a time outside the years `YEARS` (a typo such as 0026 or 9999 for 2026).

    ``raw``: the column as the file has it, quoted in the message.
    """
    years = times.dt.year.to_numpy()
    bad = np.flatnonzero((years < YEARS[0]) | (years > YEARS[1]))
    if bad.size:
        pos = int(bad[0])
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found {_quoted(times, raw, pos)}; "
            f"expected a time in the years {YEARS[0]} to {YEARS[1]}"
        )


def time_cells(values: pd.Series, label: str, rows: np.ndarray, column: str) -> pd.Series:
    """A time column ready for `planner.io.tables.parse_times`: date-time columns as they are,
    other cells as their text (`cell_text`: an Excel number is its text); an empty cell is
    refused here, naming its row."""
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
        values.dtype
    ):
        blank = values.isna().to_numpy()
        texts = values
    else:
        texts = pd.Series([cell_text(v).strip() for v in values], index=values.index, dtype=object)
        blank = (texts == "").to_numpy()
    if blank.any():
        pos = int(np.flatnonzero(blank)[0])
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found an empty cell; expected "
            f"{TIME_FORMATS}"
        )
    return texts


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
    quoted in messages.
    """
    check_years(times, label, rows, column, raw)
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


def _shown(value: object) -> str:
    """A cell as a message quotes it: ``an empty cell`` for a blank one."""
    text = cell_text(value).strip()
    return "an empty cell" if text == "" else repr(text)


def _numbers(frame: pd.DataFrame, rows: np.ndarray, label: str, column: str) -> np.ndarray:
    """A numeric column (decimal comma allowed); `InputError` at the first cell that is not a
    finite number."""
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw.dtype):
        values = pd.Series(np.nan, index=raw.index)
    elif pd.api.types.is_numeric_dtype(raw.dtype):
        values = raw.astype(float)
    else:
        text = pd.Series([cell_text(v).strip() for v in raw], index=raw.index, dtype=object)
        values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        values = values.astype(float)
    bad = values.isna() | ~np.isfinite(values)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found {_shown(raw.iloc[pos])}; "
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
            f"{label}: row {rows[pos]}, columns 'offered_lo', 'offered', 'offered_hi': found "
            f"{lo[pos]:g}, {mid[pos]:g}, {hi[pos]:g}; expected offered_lo <= offered <= "
            "offered_hi (an 80 % interval around the forecast)"
        )


def _check_range(values: np.ndarray, rows: np.ndarray, label: str, column: str) -> None:
    """Counts of calls in [0, MAX_CALLS]; handle times in (0, MAX_AHT_SECONDS]."""
    if column == "aht_seconds":
        checks = (
            (values <= 0, "a handle time in seconds > 0"),
            (values > MAX_AHT_SECONDS, f"a handle time of at most {MAX_AHT_SECONDS:,} s (4 hours)"),
        )
    else:
        checks = (
            (values < 0, "a number of calls >= 0"),
            (values > MAX_CALLS, f"at most {MAX_CALLS:,} calls per queue and interval"),
        )
    for bad, want in checks:
        pos = _first_bad(bad)
        if pos is not None:
            raise InputError(
                f"{label}: row {rows[pos]}, column '{column}': found {values[pos]:g}; "
                f"expected {want}"
            )


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
    cells = time_cells(frame["interval_start"], label, rows, "interval_start")
    times = parse_times(cells, label=label, column="interval_start", groups=queue, rows=rows)
    check_interval_grid(times, queue, label, rows, raw=frame["interval_start"])
    out = pd.DataFrame({"interval_start": pd.DatetimeIndex(times.to_numpy()), "queue": queue})
    out = out.reset_index(drop=True)
    for col in ("offered", "offered_lo", "offered_hi", "aht_seconds"):
        if col not in frame.columns:
            continue
        values = _numbers(frame, rows, label, col)
        _check_range(values, rows, label, col)
        out[col] = values
    if "offered_lo" in out and "offered_hi" in out:
        _check_interval(out, rows, label)
    pos = _first_bad(out.duplicated(["queue", "interval_start"]).to_numpy())
    if pos is not None:
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
