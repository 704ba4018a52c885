"""Load and validate call history (the DESIGN.md history contract), checked once at the door.

`load_history` reads a file (CSV, .xlsx, .parquet; see `planner.io.tables`) and returns a
`LoadedHistory`: ``.frame`` in the contract (tz-aware ``interval_start``, ``queue``, integer
counts, float seconds; sorted by queue and time; anomaly days left out) and ``.summary`` (what
was read: queues, span, interval, rows, calls, filled intervals, gaps, anomalies, warnings).
`validate_history_frame` does the same for a DataFrame the app already holds.

Every problem is one line naming the file, row, column, what was found and what was expected;
many problems of one kind are reported once, with the first row and the count. Rows are counted
as in a spreadsheet: the header is row 1, the first data row is row 2. All problems found are
raised together as a `HistoryError` (an `InputError`) whose ``problems`` holds the lines.

The cells' types and ranges, and the counts of a row against each other, are the history's
schema (`planner.io.schemas.HistorySchema`, checked in step 4 of `_validate`); this module
reads the cells into the typed frame it checks, and keeps what a schema cannot say: the
header's spellings, personal data, one spelling per queue, the clock (DST, the interval and
its grid, one row per queue and interval in absolute time) and the calendar.

Rules (and the choices made where the issue left room):

- Columns: ``interval_start``, ``queue``, ``offered`` required; ``answered``, ``abandoned``,
  ``abandoned_short``, ``transferred``, ``aht_seconds``, ``asa_seconds``,
  ``abandon_wait_seconds`` optional (the mean wait of the abandoned calls, which the centre's
  platform exports with them, DOMAIN.md; it makes the patience estimate exact,
  `staffing.patience`). Headers are
  matched ignoring case, spaces, ``-``, ``_`` and ``.``, and a few common spellings are accepted
  (`COLUMN_ALIASES`, e.g. ``Kø``, ``Tilbudte``, ``Calls offered``, ``AHT``); the summary says
  which were renamed. Any other column is refused with the closest contract name (difflib).
- Personal data is refused first, whatever else is wrong with the file (`planner.io.pii`): a
  column named or holding CPR numbers, phone numbers or e-mail addresses, in every column
  and down to a single cell (one CPR number in one queue cell refuses the file). The message
  names the row, column and kind of data, never the value; a cell that a later message
  quotes is redacted (`planner.io.pii.redact`) should it look personal on its own.
- Counts are whole numbers >= 0 (``12.0`` is read as 12); the decimal mark is found per file
  (``,`` in Danish exports, then ``.`` may group thousands: ``1.234,5``). Seconds may be blank
  (no calls answered, no mean); ``aht_seconds`` must be > 0 where calls were answered, and a
  0 where none were is read as blank.
- answered + abandoned <= offered; abandoned_short <= abandoned; transferred <= answered (a
  missing column on the right-hand side is replaced by ``offered``).
- Times: ISO 8601 with offset, or naive local time in ``tz`` (also ``dd-mm-yyyy HH:MM``). For
  naive times, the autumn's repeated hour is read in file order per queue (first pass summer
  time, second pass standard time), so no interval is merged or dropped; rows at clock times
  the spring change skips do not exist in ``tz``: they are left out with a warning that counts
  their calls (a 24-hour export that lists them holds 0 or a handful of calls there).
- Intervals: 5, 15, 30 or 60 minutes, inferred when not given (the longest length that at least
  90 % of the rows sit on and 90 % of the steps between a queue's rows are multiples of),
  every start on that grid; one row per queue and interval.
- Missing intervals: inside the calendar's opening hours (of that queue) on a day with data for
  that queue, a missing interval is a zero (``fill_missing``; the summary counts them). An open
  day inside the span with no row for a queue is a *gap*: reported, never filled.
- Rows outside the calendar's hours or on its closing days are kept and reported as warnings
  (a 24-hour centre loaded with the Danish calendar, or a fault that kept the line open).
- Anomaly days (dates or ranges) are left out of ``.frame`` and listed in the summary.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from centre.timezone import TZ
from forecast.calendar import CentreCalendar
from planner.errors import InputError
from planner.io import default_data
from planner.io.pii import personal_data_problems, redact
from planner.io.tables import _ISO_OFFSET, Table, _danish_to_iso, load_table

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "HISTORY_COLUMNS",
    "COUNT_COLUMNS",
    "SECONDS_COLUMNS",
    "COLUMN_ALIASES",
    "INTERVALS",
    "HistoryError",
    "HistorySummary",
    "LoadedHistory",
    "load_history",
    "validate_history_frame",
    "parse_anomalies",
    "read_anomalies",
    "default_history_path",
]

REQUIRED_COLUMNS = ("interval_start", "queue", "offered")
OPTIONAL_COLUMNS = (
    "answered",
    "abandoned",
    "abandoned_short",
    "transferred",
    "aht_seconds",
    "asa_seconds",
    "abandon_wait_seconds",
)
HISTORY_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
COUNT_COLUMNS = ("offered", "answered", "abandoned", "abandoned_short", "transferred")
SECONDS_COLUMNS = ("aht_seconds", "asa_seconds", "abandon_wait_seconds")
INTERVALS = (5, 15, 30, 60)

#: Other header spellings accepted for each contract column (compared ignoring case, spaces,
#: ``-``, ``_`` and ``.``). Only names that cannot mean anything else are listed.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "interval_start": (
        "interval", "interval start time", "start", "start time", "period start", "timestamp",
        "datetime", "date time", "ds", "tidspunkt", "starttidspunkt", "interval start tid",
        "intervalstart", "periode start", "periodestart",
    ),
    "queue": ("kø", "koe", "queue name", "kønavn", "kø navn", "queue id", "skill"),
    "offered": (
        "calls offered", "offered calls", "calls", "tilbudte", "tilbudt", "tilbudte kald",
        "tilbudte opkald", "antal tilbudte", "indgående", "indgående kald",
    ),
    "answered": (
        "calls answered", "answered calls", "besvarede", "besvaret", "besvarede kald",
        "besvarede opkald", "antal besvarede",
    ),
    "abandoned": (
        "calls abandoned", "abandoned calls", "lagt på", "lagt paa", "afbrudte", "opgivne",
        "opgivet", "tabte", "tabte kald",
    ),
    "abandoned_short": (
        "short abandoned", "abandoned short", "abandoned 40s", "abandoned within 40s",
        "abandoned within 40 s", "lagt på inden 40 sek", "lagt på under 40 sek",
        "korte opgivne",
    ),
    "transferred": (
        "calls transferred", "transfers", "viderestillede", "viderestillet", "omstillede",
        "omstillet",
    ),
    "aht_seconds": (
        "aht", "aht s", "aht sec", "aht secs", "handle time", "average handle time",
        "behandlingstid", "gns behandlingstid", "gennemsnitlig behandlingstid",
    ),
    "asa_seconds": (
        "asa", "asa s", "asa sec", "asa secs", "average speed of answer", "ventetid",
        "gns ventetid", "gennemsnitlig ventetid",
    ),
    "abandon_wait_seconds": (
        "abandon wait", "average abandon time", "avg abandon time", "abandon time",
        "ventetid lagt på", "ventetid afbrudte", "gns ventetid lagt på",
    ),
}  # fmt: skip

_EXPECTED_COLUMNS = "expected interval_start, queue, offered and optionally " + ", ".join(
    OPTIONAL_COLUMNS
)


def default_history_path() -> Path:
    """Path of the embedded default history (``data/history.csv`` in the project)."""
    return default_data.HISTORY


class HistoryError(InputError):
    """Bad history input. ``problems`` holds every problem found, one line each.

    ``str(error)`` is the first problem, plus how many more there are.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        message = self.problems[0]
        if len(self.problems) > 1:
            message += (
                f" (and {len(self.problems) - 1} more problems; "
                "`vagtplan validate FILE` lists them all)"
            )
        super().__init__(message)


# ---------------------------------------------------------------------------------- summary
@dataclass(frozen=True)
class HistorySummary:
    """What was read from a history file.

    Attributes
    ----------
    name: file name used in messages.
    source: how the file was read (kind, encoding, separator, decimal mark).
    time_format: ``"ISO 8601 with offset"``, ``"naive local time"`` or ``"datetime values"``.
    tz: time zone of ``interval_start``.
    queues: queue names, in order of first appearance.
    start, end: first and last interval start in ``.frame`` (``None`` when empty).
    days: local dates with data.
    interval_minutes: interval length; ``interval_inferred`` says whether it was inferred.
    rows_read: data rows in the input (blank rows not counted).
    rows: rows in ``.frame`` (after leaving out anomaly days, adding filled intervals).
    calls: total offered calls in ``.frame``.
    filled: intervals added as zero calls (``filled_by_queue`` per queue); when
        ``fill_missing`` is off, the intervals that *would* have been filled.
    fill_missing: whether missing intervals were added.
    gaps: ``{queue: [dates]}``: open days in the span with no row for the queue.
    anomalies: ``{date: (reason, rows, calls)}`` left out.
    columns: contract columns present (in contract order).
    renamed: ``{header in file: contract name}`` for headers read under another spelling.
    warnings: one line each.
    per_queue: one row per queue: rows, calls, first, last, days, filled, gap_days.
    """

    name: str
    source: str
    time_format: str
    tz: str
    queues: list[str]
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    days: int
    interval_minutes: int
    interval_inferred: bool
    rows_read: int
    rows: int
    calls: int
    filled: int
    filled_by_queue: dict[str, int]
    fill_missing: bool
    gaps: dict[str, list[dt.date]]
    anomalies: dict[dt.date, tuple[str, int, int]]
    columns: list[str]
    renamed: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    per_queue: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def gap_days(self) -> int:
        """Number of (queue, day) gaps."""
        return sum(len(v) for v in self.gaps.values())

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain Python values (dates as ISO strings), e.g. for JSON."""
        return {
            "name": self.name,
            "source": self.source,
            "time_format": self.time_format,
            "tz": self.tz,
            "queues": list(self.queues),
            "start": self.start.isoformat() if self.start is not None else None,
            "end": self.end.isoformat() if self.end is not None else None,
            "days": self.days,
            "interval_minutes": self.interval_minutes,
            "interval_inferred": self.interval_inferred,
            "rows_read": self.rows_read,
            "rows": self.rows,
            "calls": self.calls,
            "filled": self.filled,
            "filled_by_queue": dict(self.filled_by_queue),
            "fill_missing": self.fill_missing,
            "gaps": {q: [d.isoformat() for d in ds] for q, ds in self.gaps.items()},
            "anomalies": {
                d.isoformat(): {"reason": r, "rows": n, "calls": c}
                for d, (r, n, c) in self.anomalies.items()
            },
            "columns": list(self.columns),
            "renamed": dict(self.renamed),
            "warnings": list(self.warnings),
        }

    def to_text(self) -> str:
        """A readable multi-line summary (what `vagtplan validate` prints)."""
        lines = [f"{self.name}: {len(self.queues)} queues read ({self.source}; {self.time_format})"]
        if self.start is not None and self.end is not None:
            lines.append(
                f"  span       {_fmt_time(self.start)} .. {_fmt_time(self.end)} ({self.tz}), "
                f"{self.days} days with data"
            )
        how = "inferred" if self.interval_inferred else "given"
        lines.append(f"  interval   {self.interval_minutes} minutes ({how})")
        lines.append(
            f"  rows       {self.rows_read:,} read, {self.rows:,} loaded; "
            f"{self.calls:,} calls offered"
        )
        lines.append(f"  columns    {', '.join(self.columns)}")
        if self.renamed:
            renamed = ", ".join(f"'{k}' as {v}" for k, v in self.renamed.items())
            lines.append(f"  renamed    {renamed}")
        if self.fill_missing:
            lines.append(
                f"  filled     {self.filled:,} missing intervals inside opening hours of days "
                "with data counted as 0 calls"
            )
        else:
            lines.append(
                f"  missing    {self.filled:,} intervals inside opening hours of days with data "
                "have no row (not filled)"
            )
        if self.gap_days:
            parts = [f"{q} {_fmt_dates(ds)}" for q, ds in self.gaps.items() if ds]
            lines.append(
                f"  gaps       {self.gap_days} open queue-days with no data (not filled): "
                + "; ".join(parts)
            )
        else:
            lines.append("  gaps       none")
        if self.anomalies:
            rows = sum(n for _, n, _ in self.anomalies.values())
            calls = sum(c for _, _, c in self.anomalies.values())
            lines.append(
                f"  anomalies  {_plural(len(self.anomalies), 'day')} left out "
                f"({_plural(rows, 'row')}, {_plural(calls, 'call')}): "
                f"{_fmt_dates(sorted(self.anomalies))}"
            )
        else:
            lines.append("  anomalies  none marked")
        for warning in self.warnings:
            lines.append(f"  warning    {warning}")
        if len(self.per_queue):
            lines.append("  per queue:")
            table = self.per_queue.copy()
            table["first"] = table["first"].map(_fmt_time)
            table["last"] = table["last"].map(_fmt_time)
            text = table.to_string(index=False)
            lines.extend("    " + line for line in text.splitlines())
        return "\n".join(lines)


@dataclass(frozen=True)
class LoadedHistory:
    """A validated history: ``frame`` in the contract and ``summary`` of what was read."""

    frame: pd.DataFrame
    summary: HistorySummary


# ---------------------------------------------------------------------------------- helpers
def _fmt_time(ts: pd.Timestamp | None) -> str:
    if ts is None or pd.isna(ts):
        return ""
    text = ts.strftime("%Y-%m-%d %H:%M%z")
    return text[:-2] + ":" + text[-2:] if ts.tzinfo is not None else text


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


def _fmt_dates(dates: Iterable[dt.date], limit: int = 6) -> str:
    """Dates as compact ranges: ``2024-03-01..2024-03-05, 2024-04-02`` (first ``limit`` runs)."""
    dates = sorted(dates)
    runs: list[tuple[dt.date, dt.date]] = []
    for d in dates:
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    parts = [a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}" for a, b in runs]
    more = f" and {len(parts) - limit} more runs" if len(parts) > limit else ""
    return ", ".join(parts[:limit]) + more


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-zæøå]+", "", unicodedata.normalize("NFC", str(name)).casefold())


_ALIAS_KEYS: dict[str, str] = {}
for _canon in HISTORY_COLUMNS:
    _ALIAS_KEYS[_key(_canon)] = _canon
    for _alias in COLUMN_ALIASES.get(_canon, ()):
        _ALIAS_KEYS[_key(_alias)] = _canon


def _suggest(name: str) -> str | None:
    key = _key(name)
    if not key:
        return None
    close = difflib.get_close_matches(key, list(_ALIAS_KEYS), n=1, cutoff=0.75)
    return _ALIAS_KEYS[close[0]] if close else None


def _check_tz(tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(str(tz))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"tz must be an IANA time zone like Europe/Copenhagen; got {tz!r}"
        ) from None
    return str(tz)


class _Problems:
    """Collects problem lines; row problems are grouped by kind (first row + count)."""

    def __init__(self, name: str, rows: np.ndarray):
        self.name = name
        self.rows = rows
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(f"{self.name}: {line}")

    def rows_problem(
        self,
        mask: np.ndarray,
        column: str,
        found: Any,
        expected: str,
        *,
        where: str | None = None,
    ) -> None:
        """One line for the rows in ``mask``: the first row, and how many more.

        ``found`` is a text or a callable position -> text; ``where`` replaces
        ``column 'NAME'`` (e.g. ``columns 'a' + 'b'``). What it quotes of a cell is redacted
        where it looks like personal data on its own (a bare eight-digit number the column
        screen let pass as a count, say).
        """
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        first = int(positions[0])
        found_text = redact(found(first) if callable(found) else str(found))
        more = len(positions) - 1
        tail = f" (and {more} more {'row' if more == 1 else 'rows'} like this)" if more else ""
        col = where or f"column '{column}'"
        self.lines.append(
            f"{self.name}: row {int(self.rows[first])}, {col}: found {found_text}; "
            f"expected {expected}{tail}"
        )

    def raise_if_any(self) -> None:
        if self.lines:
            raise HistoryError(self.lines)


class _Text:
    """A column as stripped text, factorized: ``codes`` per row into ``uniques`` (objects).

    Factorizing first keeps the string work to the distinct values (a few hundred counts,
    one time stamp per interval), which is what makes loading fast.
    """

    def __init__(self, values: pd.Series):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if isinstance(uniques, pd.Index):
            uniques = uniques.to_numpy()
        text = [_cell_text(v) for v in uniques]
        text.append("")  # the NA sentinel -1 points here
        self.uniques = np.array(text, dtype=object)
        self.codes = np.where(codes < 0, len(text) - 1, codes)
        self.blank_u = self.uniques == ""

    def __getitem__(self, position: int) -> str:
        return str(self.uniques[self.codes[position]])

    def quoted(self, position: int) -> str:
        """The cell at ``position`` in single quotes, as a problem line shows what was found."""
        return f"'{self[position]}'"

    @property
    def blank(self) -> np.ndarray:
        return self.blank_u[self.codes]

    def unique_series(self) -> pd.Series:
        return pd.Series(self.uniques, dtype=object)

    def take(self, keep: np.ndarray) -> _Text:
        out = object.__new__(_Text)
        out.uniques, out.blank_u, out.codes = self.uniques, self.blank_u, self.codes[keep]
        return out


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).replace("\u00a0", " ").strip()


# ---------------------------------------------------------------------------------- columns
def _map_columns(frame: pd.DataFrame, problems: _Problems) -> dict[str, str]:
    """``{column in frame: contract name}``; problems for unknown, doubled or missing ones."""
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for col in frame.columns:
        canon = _ALIAS_KEYS.get(_key(col))
        if canon is None:
            unknown.append(str(col))
            continue
        if canon in mapping.values():
            other = next(k for k, v in mapping.items() if v == canon)
            problems.add(f"columns '{other}' and '{col}' both mean '{canon}'; expected one of them")
            continue
        mapping[str(col)] = canon
    if len(frame.columns) == 1 and not mapping:
        header = str(frame.columns[0])
        shown = header if len(header) <= 40 else header[:37] + "..."
        problems.add(
            f"does not look like a table: found a single column '{shown}' with no ',' ';' or "
            f"tab separators; {_EXPECTED_COLUMNS} in a header row"
        )
        return mapping
    suggestions = {col: _suggest(col) for col in unknown}
    suggested = sum(1 for g in suggestions.values() if g is not None)
    if not mapping and suggested < len(unknown) / 2:
        shown = ", ".join(f"'{c}'" for c in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        problems.add(
            f"does not look like a history table: none of its columns ({shown}{more}) is a "
            f"history column; {_EXPECTED_COLUMNS}"
        )
        return mapping
    explained: set[str] = set()
    lines = []
    unexplained = None  # the first wrong name with no suggestion
    for col in unknown:
        guess = suggestions[col]
        if guess is not None and guess not in mapping.values():
            explained.add(guess)
            lines.append(
                f"column '{col}' is not a history column; did you mean '{guess}'? "
                f"({_EXPECTED_COLUMNS})"
            )
        else:
            unexplained = len(lines) if unexplained is None else unexplained
            lines.append(f"column '{col}' is not a history column; {_EXPECTED_COLUMNS}")
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping.values() and c not in explained]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        what = f"column {names} is" if len(missing) == 1 else f"columns {names} are"
        found = ", ".join(str(c) for c in frame.columns)
        tail = f"required {what} missing (found columns: {found}); {_EXPECTED_COLUMNS}"
        if unexplained is not None:  # a wrong name and a missing column: one mistake, one line
            col = unknown[unexplained]
            lines[unexplained] = f"column '{col}' is not a history column, and {tail}"
        else:
            lines.append(tail)
    for line in lines:
        problems.add(line)
    return mapping


# ---------------------------------------------------------------------------------- numbers
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$")
_COMMA_NUMBER = re.compile(r"^[+-]?[\d.]*\d,\d+$")


def _is_text(values: pd.Series) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values.dtype)


def _decimal_mark(texts: list[_Text]) -> str:
    for text in texts:
        if text.unique_series().str.match(_COMMA_NUMBER).any():
            return ","
    return "."


def _parse_numbers(
    values: pd.Series, text: _Text, decimal: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(numbers as float, blank mask, unreadable mask); wrong-mark values are unreadable."""
    if not _is_text(values):
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        blank = np.isnan(numbers)
        return numbers, blank, np.zeros(len(values), dtype=bool)
    codes = text.codes
    uniq = text.unique_series().str.replace(" ", "", regex=False)
    blank_u = text.blank_u
    if decimal == ",":
        grouped = uniq.str.match(_THOUSANDS_DOT)
        wrong = uniq.str.contains(".", regex=False) & ~grouped
        cleaned = uniq.where(~grouped, uniq.str.replace(".", "", regex=False))
        cleaned = cleaned.str.replace(",", ".", regex=False).where(~wrong, "x")
    else:
        cleaned = uniq.where(~uniq.str.contains(",", regex=False), "x")
    numbers_u = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
    unreadable_u = np.isnan(numbers_u) & ~blank_u
    return numbers_u[codes], blank_u[codes], unreadable_u[codes]


# ---------------------------------------------------------------------------------- times
def _parse_time_column(
    values: pd.Series, raw: _Text, problems: _Problems, column: str
) -> tuple[pd.Series, str, np.ndarray, np.ndarray]:
    """(parsed times: tz-aware UTC or naive, NaT where blank or unreadable; time format;
    unreadable cells; cells without an offset among times with one, reported here)."""
    n = len(values)
    none = np.zeros(n, dtype=bool)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC"), "datetime values", none, none
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values, "datetime values", none, none
    codes = raw.codes
    uniq = raw.unique_series()
    has_offset = uniq.str.contains(_ISO_OFFSET).to_numpy(dtype=bool)
    blank_u = raw.blank_u
    utc = bool(has_offset.any())
    mixed = none
    if utc and not has_offset[~blank_u].all():
        naive_u = ~has_offset & ~blank_u
        as_naive = pd.to_datetime(uniq.where(naive_u, None), errors="coerce", format="ISO8601")
        mixed = (naive_u & as_naive.notna().to_numpy())[codes]
        problems.rows_problem(
            mixed,
            column,
            lambda p: f"'{raw[p]}' with no UTC offset while other rows have one",
            "all times with an offset or all without",
        )
    parsed = pd.to_datetime(uniq.where(~blank_u, None), errors="coerce", format="ISO8601", utc=utc)
    bad = parsed.isna().to_numpy() & ~blank_u
    if bad.any() and not utc:
        danish = pd.to_datetime(_danish_to_iso(uniq[bad]), errors="coerce", format="ISO8601")
        parsed = parsed.copy()
        parsed[bad] = danish
        bad = parsed.isna().to_numpy() & ~blank_u
    times = pd.Series(pd.DatetimeIndex(parsed).take(codes), index=values.index)
    time_format = "ISO 8601 with offset" if utc else "naive local time"
    return times, time_format, bad[codes] & ~mixed, mixed


# ---------------------------------------------------------------------------------- anomalies
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/|–| to )\s*(\d{4}-\d{2}-\d{2})\s*$")


def _to_date(value: Any) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"anomaly day must be a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD; "
            f"got {value!r}"
        ) from None


def _expand(value: Any) -> list[dt.date]:
    if isinstance(value, tuple) and len(value) == 2:
        start, end = _to_date(value[0]), _to_date(value[1])
    else:
        match = _RANGE.match(str(value)) if isinstance(value, str) else None
        if match is None:
            return [_to_date(value)]
        start, end = _to_date(match.group(1)), _to_date(match.group(2))
    if end < start:
        raise ValueError(f"anomaly range must not end before it starts; got {value!r}")
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def parse_anomalies(
    anomalies: Iterable[Any] | Mapping[Any, str] | str | None,
) -> dict[dt.date, str]:
    """Anomaly days as ``{date: reason}``.

    Accepts dates, ISO strings, ranges ``"2024-03-01..2024-03-31"`` or ``(start, end)``
    tuples, a comma-separated string of those, or a mapping of any of them to a reason.
    """
    if anomalies is None:
        return {}
    out: dict[dt.date, str] = {}
    if isinstance(anomalies, Mapping):
        items = [(k, str(v) if v is not None else "") for k, v in anomalies.items()]
    elif isinstance(anomalies, str):
        items = [(part, "") for part in anomalies.split(",") if part.strip()]
    else:
        items = [(item, "") for item in anomalies]
    for value, reason in items:
        for day in _expand(value):
            out[day] = reason or "marked as anomaly"
    return out


def read_anomalies(
    path: str | Path | None = None, *, name: str | None = None, data: bytes | None = None
) -> dict[dt.date, str]:
    """Anomaly days from a file: a table with a ``date`` column (a date or a range
    ``YYYY-MM-DD..YYYY-MM-DD`` per row) and optional ``end`` and ``reason`` columns, or a
    plain list of dates/ranges, one per line. Raises `InputError` naming the row."""
    table = load_table(path, name=name, data=data)
    frame, label = table.frame, table.name
    keys = {_key(c): c for c in frame.columns}
    date_col = keys.get("date") or keys.get("dato") or keys.get("day")
    if date_col is None:
        if len(frame.columns) != 1:
            raise InputError(
                f"{label}: no 'date' column (found: {', '.join(map(str, frame.columns))}); "
                "expected a 'date' column or one date or range YYYY-MM-DD..YYYY-MM-DD per line"
            )
        col = frame.columns[0]
        values = [str(col)] + [str(v) for v in frame[col]]
        rows = [1] + [int(r) for r in table.rows]
        ends = [None] * len(values)
        reasons = [""] * len(values)
    else:
        values = [str(v) for v in frame[date_col]]
        rows = [int(r) for r in table.rows]
        end_col = keys.get("end") or keys.get("slut") or keys.get("to")
        ends = list(frame[end_col]) if end_col is not None else [None] * len(values)
        reason_col = next(
            (keys[k] for k in ("reason", "note", "comment", "årsag", "aarsag") if k in keys),
            None,
        )
        reasons = [str(v) for v in frame[reason_col]] if reason_col else [""] * len(values)
    out: dict[dt.date, str] = {}
    for value, end, reason, row in zip(values, ends, reasons, rows):
        if not value.strip():
            continue
        try:
            spec: Any = (value, end) if end not in (None, "") and not pd.isna(end) else value
            days = _expand(spec)
        except ValueError:
            raise InputError(
                f"{label}: row {row}: cannot read '{value.strip()}' as an anomaly day; expected "
                "a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD"
            ) from None
        for day in days:
            out[day] = reason.strip() or "marked as anomaly"
    return out


# ---------------------------------------------------------------------------------- loading
def load_history(
    path_or_bytes: str | Path | bytes | BinaryIO,
    *,
    name: str | None = None,
    tz: str | None = None,
    calendar: CentreCalendar | None = None,
    interval_minutes: int | None = None,
    anomalies: Iterable[Any] | Mapping[Any, str] | None = (),
    fill_missing: bool = True,
) -> LoadedHistory:
    """Read and validate a history file (CSV, .xlsx or .parquet) in the history contract.

    Parameters
    ----------
    path_or_bytes: a path, the bytes of an upload (then give ``name``), or a binary file
        object such as Streamlit's ``UploadedFile`` (its ``name`` is used).
    name: file name used in messages (default: the path's or file object's name).
    tz: time zone of naive times and of the result (default: the calendar's, else
        Europe/Copenhagen).
    calendar: opening hours and closing days (default: the Danish centre's `CentreCalendar`
        in ``tz``). Used to fill missing intervals, find gaps and warn about calls outside hours.
    interval_minutes: 5, 15, 30 or 60; inferred from the data when ``None``.
    anomalies: days to leave out (dates, ISO strings, ranges ``"a..b"``, or a mapping
        date -> reason); see `parse_anomalies`.
    fill_missing: count missing intervals inside opening hours of days with data as 0 calls.

    Raises `HistoryError` (an `InputError`) listing every problem, one line each.
    """
    if hasattr(path_or_bytes, "read"):
        name = name or Path(str(getattr(path_or_bytes, "name", "upload"))).name
        path_or_bytes = path_or_bytes.read()
    if isinstance(path_or_bytes, bytes | bytearray | memoryview):
        table = load_table(
            name=name or "upload",
            data=bytes(path_or_bytes),
            keep_blank_rows=True,
            text_dtype=object,
        )
    else:
        table = load_table(path_or_bytes, name=name, keep_blank_rows=True, text_dtype=object)
    return _validate(
        table,
        tz=tz,
        calendar=calendar,
        interval_minutes=interval_minutes,
        anomalies=anomalies,
        fill_missing=fill_missing,
    )


def validate_history_frame(
    frame: pd.DataFrame,
    *,
    name: str = "history",
    tz: str | None = None,
    calendar: CentreCalendar | None = None,
    interval_minutes: int | None = None,
    anomalies: Iterable[Any] | Mapping[Any, str] | None = (),
    fill_missing: bool = True,
) -> LoadedHistory:
    """Validate a DataFrame the app already holds, as `load_history` validates a file.

    Columns may be text (as read from CSV) or typed (tz-aware or naive datetimes, numbers).
    Rows are numbered as in a spreadsheet of the frame: position + 2.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(len(frame), dtype=np.int64) + 2
    table = Table(frame, name, "DataFrame", None, None, rows)
    return _validate(
        table,
        tz=tz,
        calendar=calendar,
        interval_minutes=interval_minutes,
        anomalies=anomalies,
        fill_missing=fill_missing,
    )


def _source_text(table: Table, decimal: str) -> str:
    if table.kind == "csv":
        sep = {",": "','", ";": "';'", "\t": "tab"}.get(table.separator or "", "no")
        enc = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "utf-16": "UTF-16"}.get(
            table.encoding or "", table.encoding or ""
        )
        return f"CSV, {enc}, {sep} separated, decimal '{decimal}'"
    return {"xlsx": "Excel workbook", "parquet": "Parquet file"}.get(table.kind, table.kind)


@dataclass(frozen=True, kw_only=True)
class _Options:
    """The caller's settings, checked and with defaults filled in."""

    tz: str
    calendar: CentreCalendar
    interval_minutes: int | None
    anomaly_days: dict[dt.date, str]
    fill_missing: bool


@dataclass(frozen=True)
class _Rows:
    """The table's data rows that hold at least one value.

    frame: those rows; numbers: their spreadsheet row numbers; texts: every column as
    factorized text, by its name in the file.
    """

    frame: pd.DataFrame
    numbers: np.ndarray
    texts: dict[str, _Text]


@dataclass(frozen=True)
class _Columns:
    """The contract columns found in the header (step 2).

    in_file: ``{contract name: column name in the file}``; renamed: ``{name in file: contract
    name}`` for headers read under another spelling; present: contract columns found, in
    contract order.
    """

    in_file: dict[str, str]
    renamed: dict[str, str]
    present: list[str]


@dataclass(frozen=True)
class _Values:
    """The cells read in step 3 (and checked in step 4), one entry per data row.

    queue: queue names (NFC; ``""`` where empty); queue_text: the queue cells; bad_queue: rows
    with no usable queue; time_text: the ``interval_start`` cells as text; times: parsed
    times (tz-aware UTC or naive, NaT where unreadable); time_format: how the times are
    written; bad_time: rows whose time is not usable; decimal: the file's decimal mark;
    texts, numbers: per numeric contract column present (in contract order) its cells as text
    and its values as floats (NaN where empty or unreadable); unreadable: per contract column,
    the cells that are not of its type; reported: per contract column, the cells whose
    problem step 3 reported itself (a time without an offset among times with one, a number
    with the other decimal mark).
    """

    queue: pd.Series
    queue_text: _Text
    bad_queue: np.ndarray
    time_text: _Text
    times: pd.Series
    time_format: str
    bad_time: np.ndarray
    decimal: str
    texts: dict[str, _Text]
    numbers: dict[str, np.ndarray]
    unreadable: dict[str, np.ndarray]
    reported: dict[str, np.ndarray]


@dataclass(frozen=True, kw_only=True)
class _Clock:
    """The times as settled in step 5.

    utc: every row's time in UTC (NaT where unreadable); nonexistent: rows at clock times the
    spring change skips; once_days: autumn days whose repeated hour appears once per queue;
    interval: the interval length in minutes, ``inferred`` from the data or given;
    checkable: rows with a queue and a time that exists.
    """

    utc: pd.Series
    nonexistent: np.ndarray
    once_days: list[dt.date]
    interval: int
    inferred: bool
    checkable: np.ndarray


@dataclass(frozen=True, kw_only=True)
class _Reading:
    """How the file was read, carried into the summary (see `HistorySummary`).

    queue_order: queue names of the loaded rows in order of first appearance; warnings: the
    warnings so far (`_finish` adds those about opening hours).
    """

    name: str
    source: str
    time_format: str
    interval: int
    inferred: bool
    columns: list[str]
    renamed: dict[str, str]
    queue_order: list[str]
    rows_read: int
    warnings: list[str]


def _validate(
    table: Table,
    *,
    tz: str | None,
    calendar: CentreCalendar | None,
    interval_minutes: int | None,
    anomalies: Iterable[Any] | Mapping[Any, str] | None,
    fill_missing: bool,
) -> LoadedHistory:
    """Check ``table`` against the history contract in seven steps and load it (`_finish`):
    1. personal data, 2. the header, 3. reading the cells, 4. their types and ranges
    (`HistorySchema`), 5. the clock (DST, the interval, its grid, one row per queue and
    interval), 6. warnings, 7. the contract frame."""
    options = _check_options(
        tz=tz,
        calendar=calendar,
        interval_minutes=interval_minutes,
        anomalies=anomalies,
        fill_missing=fill_missing,
    )
    rows = _non_blank_rows(table)
    problems = _Problems(table.name, rows.numbers)
    _refuse_personal_data(rows, table.name)  # 1.
    columns = _read_columns(rows, problems)  # 2.
    values = _read_values(rows, columns, problems)  # 3.
    values = _check_values(values, columns, problems)  # 4.
    clock = _settle_clock(values, columns, options=options, problems=problems)  # 5.
    on_grid = _check_grid(values, clock, columns, tz=options.tz, problems=problems)
    _check_duplicates(values, clock, columns, on_grid=on_grid, tz=options.tz, problems=problems)
    problems.raise_if_any()
    warnings = _value_warnings(values, clock, tz=options.tz)  # 6.
    out = _contract_frame(values, clock, tz=options.tz)  # 7.
    reading = _Reading(
        name=table.name,
        source=_source_text(table, values.decimal),
        time_format=values.time_format,
        interval=clock.interval,
        inferred=clock.inferred,
        columns=columns.present,
        renamed=columns.renamed,
        queue_order=pd.unique(values.queue[clock.checkable]).tolist(),
        rows_read=len(rows.frame),
        warnings=warnings,
    )
    return _finish(out, reading=reading, options=options)


def _check_options(
    *,
    tz: str | None,
    calendar: CentreCalendar | None,
    interval_minutes: int | None,
    anomalies: Iterable[Any] | Mapping[Any, str] | None,
    fill_missing: bool,
) -> _Options:
    """Check the settings (a `ValueError` for a wrong one) and fill in the defaults."""
    if calendar is not None and tz is not None and _check_tz(tz) != calendar.tz:
        raise ValueError(f"tz must match the calendar's time zone {calendar.tz!r}; got {tz!r}")
    tz = _check_tz(tz or (calendar.tz if calendar is not None else TZ))
    if calendar is None:
        calendar = CentreCalendar(tz=tz)
    if interval_minutes is not None and interval_minutes not in INTERVALS:
        raise ValueError(f"interval_minutes must be 5, 15, 30 or 60; got {interval_minutes!r}")
    return _Options(
        tz=tz,
        calendar=calendar,
        interval_minutes=interval_minutes,
        anomaly_days=parse_anomalies(anomalies),
        fill_missing=fill_missing,
    )


def _non_blank_rows(table: Table) -> _Rows:
    """Refuse a table with no columns; read every column as text once; drop rows with no value."""
    frame = table.frame
    if len(frame.columns) == 0:
        raise HistoryError([f"{table.name}: the file is empty; expected a table with a header row"])
    all_texts = {str(c): _Text(frame[c]) for c in frame.columns}
    row_numbers = table.rows
    blank_rows = np.logical_and.reduce([t.blank for t in all_texts.values()])
    if blank_rows.any():
        keep_rows = ~blank_rows
        frame = frame.loc[keep_rows].reset_index(drop=True)
        row_numbers = row_numbers[keep_rows]
        all_texts = {c: t.take(keep_rows) for c, t in all_texts.items()}
    return _Rows(frame, row_numbers, all_texts)


def _refuse_personal_data(rows: _Rows, name: str) -> None:
    """Step 1: refuse a file with CPR numbers, phone numbers or e-mail addresses in any column
    or header, even in a single cell, whatever else is wrong with it."""
    factored = {c: (t.codes, t.unique_series()) for c, t in rows.texts.items()}
    pii = personal_data_problems(rows.frame, name=name, rows=rows.numbers, factored=factored)
    if pii:
        raise HistoryError(pii)


def _read_columns(rows: _Rows, problems: _Problems) -> _Columns:
    """Step 2: map headers to contract columns; refuse unknown or missing ones, or no data rows."""
    mapping = _map_columns(rows.frame, problems)
    problems.raise_if_any()
    if len(rows.frame) == 0:
        raise HistoryError(
            [
                f"{problems.name}: has a header but no data rows; "
                "expected one row per queue and interval"
            ]
        )
    in_file = {v: k for k, v in mapping.items()}
    renamed = {k: v for k, v in mapping.items() if k != v}
    present = [c for c in HISTORY_COLUMNS if c in in_file]
    return _Columns(in_file, renamed, present)


def _read_values(rows: _Rows, columns: _Columns, problems: _Problems) -> _Values:
    """Step 3: read queues, times and numbers; a problem for a second spelling of a queue, a
    time without an offset among times with one, a number with the other decimal mark."""
    in_file = columns.in_file
    queue_raw = rows.texts[in_file["queue"]]
    q_norm = np.array([unicodedata.normalize("NFC", q) for q in queue_raw.uniques], dtype=object)
    queue = pd.Series(q_norm[queue_raw.codes], dtype=object)
    _check_queue_spellings(queue_raw.codes, q_norm, problems, in_file["queue"])

    time_raw = rows.texts[in_file["interval_start"]]
    times, time_format, bad_time, mixed = _parse_time_column(
        rows.frame[in_file["interval_start"]], time_raw, problems, in_file["interval_start"]
    )

    numeric_cols = [c for c in COUNT_COLUMNS + SECONDS_COLUMNS if c in in_file]
    texts = {c: rows.texts[in_file[c]] for c in numeric_cols}
    decimal = _decimal_mark([texts[c] for c in numeric_cols if _is_text(rows.frame[in_file[c]])])
    numbers: dict[str, np.ndarray] = {}
    unreadable = {"interval_start": bad_time}
    reported = {"interval_start": mixed}
    for col in numeric_cols:
        numbers[col], unreadable[col], reported[col] = _read_number_column(
            rows.frame[in_file[col]],
            texts[col],
            column=in_file[col],
            decimal=decimal,
            problems=problems,
        )
    return _Values(
        queue=queue,
        queue_text=queue_raw,
        bad_queue=queue_raw.blank,
        time_text=time_raw,
        times=times,
        time_format=time_format,
        bad_time=bad_time | mixed,
        decimal=decimal,
        texts=texts,
        numbers=numbers,
        unreadable=unreadable,
        reported=reported,
    )


def _check_queue_spellings(
    codes: np.ndarray, names: np.ndarray, problems: _Problems, column: str
) -> None:
    """One spelling per queue: names that differ only in capital letters or spaces
    (``Dagpenge``, ``dagpenge ``) would silently become two queues; the first such name is
    refused, naming the row where the other spelling came first."""
    uniq, first = np.unique(codes, return_index=True)
    seen: dict[str, tuple[str, int]] = {}
    for code, position in sorted(zip(uniq.tolist(), first.tolist()), key=lambda p: p[1]):
        name = str(names[code])
        if not name:
            continue
        key = " ".join(name.casefold().split())
        if key not in seen:
            seen[key] = (name, position)
            continue
        other, where = seen[key]
        problems.add(
            f"row {int(problems.rows[position])}, column '{column}': found '{name}' but row "
            f"{int(problems.rows[where])} has '{other}'; expected one spelling per queue "
            "(names that differ only in capital letters or spaces are one queue)"
        )
        return


def _read_number_column(
    values: pd.Series, raw: _Text, *, column: str, decimal: str, problems: _Problems
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read a count or seconds column (named ``column`` in the file).

    Returns (values as float, NaN where empty or unreadable; unreadable cells; cells with the
    other decimal mark, reported here).
    """
    numbers, _, unreadable = _parse_numbers(values, raw, decimal)
    other_mark = "." if decimal == "," else ","
    has_other = np.array([other_mark in v for v in raw.uniques], dtype=bool)
    wrong_mark = unreadable & has_other[raw.codes]
    example = "4,5" if decimal == "," else "4.5"
    problems.rows_problem(
        wrong_mark,
        column,
        raw.quoted,
        f"numbers with '{decimal}' as decimal mark like the rest of the file (e.g. {example})",
    )
    return numbers, unreadable & ~wrong_mark, wrong_mark


def _check_values(values: _Values, columns: _Columns, problems: _Problems) -> _Values:
    """Step 4: the cells' types and ranges and the counts of each row against each other
    (`planner.io.schemas.HistorySchema`), every failure a problem; rows whose time or queue
    failed are left out of step 5."""
    # imported here: pandera takes 0.2 s to import, and the app's first page needs this
    # module before anyone loads a file
    from planner.io.schemas import HistorySchema, failure_lines, schema_failures

    names = [unicodedata.normalize("NFC", q) or None for q in values.queue_text.uniques]
    queue = pd.array(np.array(names, dtype=object), dtype="str").take(values.queue_text.codes)
    # (a text column typed as text: its type is checked at once, not cell by cell)
    frame = pd.DataFrame({"interval_start": values.times, "queue": queue, **values.numbers})
    cells = {"interval_start": values.time_text, "queue": values.queue_text, **values.texts}
    failures = schema_failures(
        HistorySchema, frame, unreadable=values.unreadable, reported=values.reported
    )
    problems.lines.extend(
        failure_lines(
            failures,
            frame,
            name=problems.name,
            rows=problems.rows,
            cells=cells,
            columns=columns.in_file,
        )
    )
    failed = {"interval_start": values.bad_time.copy(), "queue": values.bad_queue.copy()}
    for f in failures:
        if len(f.columns) == 1 and f.columns[0] in failed:
            failed[f.columns[0]][f.positions] = True
    return dataclasses.replace(values, bad_time=failed["interval_start"], bad_queue=failed["queue"])


def _settle_clock(
    values: _Values, columns: _Columns, *, options: _Options, problems: _Problems
) -> _Clock:
    """Step 5a: localise the times and settle the interval; refuse odd steps and daily totals."""
    tz = options.tz
    good = ~values.bad_time & ~values.bad_queue
    utc, nonexistent, once_days = _localize(values.times, values.queue, tz, good)
    interval, inferred, odd = _interval(
        utc, values.queue, good & ~nonexistent, options.interval_minutes, tz
    )
    column = columns.in_file["interval_start"]
    row_numbers = problems.rows
    if odd is not None:
        step, a, b = odd
        problems.add(
            f"column '{column}': the rows of a queue are mostly {step} minutes "
            f"apart (e.g. rows {int(row_numbers[a])} and {int(row_numbers[b])}); expected "
            "intervals of 5, 15, 30 or 60 minutes"
        )
        problems.raise_if_any()
    if interval is None:
        first = int(np.flatnonzero(good)[0])
        problems.add(
            f"column '{column}': every time is midnight, one row per day and "
            f"queue (row {int(row_numbers[first])}: '{values.time_text[first]}'); expected one "
            "row per queue and interval of 5, 15, 30 or 60 minutes, not daily totals"
        )
        problems.raise_if_any()
    assert interval is not None
    return _Clock(
        utc=utc,
        nonexistent=nonexistent,
        once_days=once_days,
        interval=interval,
        inferred=inferred,
        checkable=good & ~nonexistent,
    )


def _check_grid(
    values: _Values, clock: _Clock, columns: _Columns, *, tz: str, problems: _Problems
) -> np.ndarray:
    """Step 5b: a problem for times off the interval grid; returns the rows on it."""
    interval = clock.interval
    wall = clock.utc.dt.tz_convert(tz)
    minute = wall.dt.minute.to_numpy()
    second = (wall.dt.second.to_numpy() != 0) | (wall.dt.microsecond.to_numpy() != 0)
    off_grid = clock.checkable & ((minute % interval != 0) | second)
    marks = ", ".join(f":{m:02d}" for m in range(0, 60, interval))
    problems.rows_problem(
        off_grid,
        columns.in_file["interval_start"],
        values.time_text.quoted,
        f"interval starts on the {interval}-minute grid ({marks})"
        if interval < 60
        else "interval starts on the hour (60-minute grid, :00)",
    )
    return clock.checkable & ~off_grid


def _check_duplicates(
    values: _Values,
    clock: _Clock,
    columns: _Columns,
    *,
    on_grid: np.ndarray,
    tz: str,
    problems: _Problems,
) -> None:
    """Step 5c: a problem for rows repeating a queue and interval of an earlier row."""
    queue, utc = values.queue, clock.utc
    key = pd.DataFrame({"q": queue.where(on_grid, None), "t": utc.where(on_grid)})
    dup = key.duplicated(keep=False).to_numpy() & on_grid
    if not dup.any():
        return
    repeat = dup & key.duplicated(keep="first").to_numpy()

    def found_dup(p: int) -> str:
        same = (queue == queue.iloc[p]).to_numpy() & (utc == utc.iloc[p]).to_numpy()
        first = int(problems.rows[int(np.flatnonzero(same & on_grid)[0])])
        when = _fmt_time(utc.iloc[p].tz_convert(tz))
        return f"queue '{queue.iloc[p]}' at {when} again (first in row {first})"

    problems.rows_problem(
        repeat,
        columns.in_file["queue"],
        found_dup,
        "one row per queue and interval",
        where=f"columns '{columns.in_file['queue']}' + '{columns.in_file['interval_start']}'",
    )


def _value_warnings(values: _Values, clock: _Clock, *, tz: str) -> list[str]:
    """Step 6: warnings on skipped spring clock times, a single autumn hour, queue names, and
    handle times that look like minutes."""
    warnings: list[str] = []
    nonexistent = clock.nonexistent
    if nonexistent.any():
        calls = int(np.nansum(values.numbers["offered"][nonexistent]))
        days = sorted({t.date() for t in values.times[nonexistent]})
        warnings.append(
            f"{_plural(int(nonexistent.sum()), 'row')} at clock times that do not exist in {tz} "
            f"(the spring change skips them) on {_fmt_dates(days)} left out "
            f"({_plural(calls, 'call')})"
        )
    if clock.once_days:
        warnings.append(
            f"on {_fmt_dates(clock.once_days)} the repeated autumn hour appears once per queue "
            "(the export merged or left out one pass); read as summer time, the other pass is "
            "missing"
        )
    warnings.extend(_queue_name_warnings(values.queue.unique().tolist()))
    numbers = values.numbers
    if "aht_seconds" in numbers:
        ref = "answered" if "answered" in numbers else "offered"
        served = numbers[ref] > 0
        aht = numbers["aht_seconds"]
        if served.any() and np.nanmedian(aht[served]) < 20:
            warnings.append(
                f"median aht_seconds is {np.nanmedian(aht[served]):.1f}: are these minutes? "
                "expected seconds"
            )
    return warnings


def _contract_frame(values: _Values, clock: _Clock, *, tz: str) -> pd.DataFrame:
    """Step 7: the checkable rows as a contract frame (aht 0 with no calls read as blank)."""
    keep = clock.checkable
    out = pd.DataFrame(
        {
            "interval_start": clock.utc[keep].dt.tz_convert(tz).astype(f"datetime64[ns, {tz}]"),
            "queue": values.queue[keep].astype(str),
        }
    )
    for col, numbers in values.numbers.items():
        if col in COUNT_COLUMNS:
            out[col] = numbers[keep].astype(np.int64)
        else:
            out[col] = numbers[keep].astype(float)
    if "aht_seconds" in out:
        ref = "answered" if "answered" in out else "offered"
        out.loc[(out[ref] == 0) & (out["aht_seconds"] == 0), "aht_seconds"] = np.nan
    return out.reset_index(drop=True)


def _localize(
    times: pd.Series | None, queue: pd.Series, tz: str, good: np.ndarray
) -> tuple[pd.Series, np.ndarray, list[dt.date]]:
    """(UTC times, nonexistent-clock-time mask, autumn days whose repeated hour appears once)."""
    assert times is not None
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        return times.dt.tz_convert("UTC"), np.zeros(len(times), dtype=bool), []
    naive = times.where(good)
    dst = naive.dt.tz_localize(tz, ambiguous=True, nonexistent="NaT")
    std = naive.dt.tz_localize(tz, ambiguous=False, nonexistent="NaT")
    nonexistent = (dst.isna() & good).to_numpy()
    ambiguous = (dst != std).to_numpy() & good & ~nonexistent
    if not ambiguous.any():
        return dst.dt.tz_convert("UTC"), nonexistent, []
    keys = pd.DataFrame({"t": naive, "g": queue})
    first = ~keys.duplicated(keep="first").to_numpy()
    local = dst.where(first | ~ambiguous, std)
    counts = keys[ambiguous].value_counts()
    once_days = sorted(
        {t.date() for (t, _), c in counts.items()}
        - {t.date() for (t, _), c in counts.items() if c > 1}
    )
    return local.dt.tz_convert("UTC"), nonexistent, once_days


def _interval(
    local: pd.Series, queue: pd.Series, ok: np.ndarray, given: int | None, tz: str
) -> tuple[int | None, bool, tuple[int, int, int] | None]:
    """(interval length in minutes, inferred?, odd step); ``None`` length for daily data.

    The odd step is (minutes, position, next position) when the most common step between a
    queue's consecutive rows is not 5, 15, 30 or 60 minutes (a 10- or 20-minute export).
    """
    t = local[ok]
    if given is not None:
        return given, False, None
    if not len(t):
        return 15, True, None
    wall = t.dt.tz_convert(tz)
    minute = wall.dt.minute.to_numpy()
    clean_second = (wall.dt.second.to_numpy() == 0) & (wall.dt.microsecond.to_numpy() == 0)
    q_codes = pd.factorize(queue[ok])[0]
    ns_all = pd.DatetimeIndex(t).as_unit("ns").asi8
    order = np.lexsort((ns_all, q_codes))
    ns, q_sorted = ns_all[order], q_codes[order]
    same = q_sorted[1:] == q_sorted[:-1]
    all_steps = np.diff(ns) / 60e9
    usable = same & (all_steps > 0)
    steps = all_steps[usable]
    midnight = (wall.dt.hour.to_numpy() == 0) & (minute == 0) & clean_second
    if midnight.all() and len(steps) and steps.min() >= 23 * 60:
        return None, True, None
    if not len(steps):
        for c in (15, 5):
            if ((minute % c == 0) & clean_second).mean() >= 0.9:
                return c, True, None
        return 15, True, None
    values, counts = np.unique(np.round(steps, 6), return_counts=True)
    usual = float(values[np.argmax(counts)])
    if usual not in INTERVALS and usual < 23 * 60:
        at = int(np.flatnonzero(usable & (np.round(all_steps, 6) == usual))[0])
        positions = np.flatnonzero(ok)[order]
        return 15, True, (int(round(usual)), int(positions[at]), int(positions[at + 1]))
    for c in (60, 30, 15, 5):
        aligned = ((minute % c == 0) & clean_second).mean()
        divides = (np.abs(steps / c - np.round(steps / c)) < 1e-9).mean()
        if aligned >= 0.9 and divides >= 0.9:
            return c, True, None
    return 15, True, None


def _queue_name_warnings(queues: list[str]) -> list[str]:
    from centre.queues import QUEUE_NAMES

    out = []
    for q in queues:
        if not isinstance(q, str) or q in QUEUE_NAMES:
            continue
        if "Ã" in q or "Â" in q:
            out.append(
                f"queue '{q}' looks garbled (UTF-8 text read as another encoding); "
                "expected Danish letters like æ, ø, å"
            )
            continue
        close = difflib.get_close_matches(q, QUEUE_NAMES, n=1, cutoff=0.85)
        if close:
            out.append(f"queue '{q}' is not one of the centre's queues; did you mean '{close[0]}'?")
    return out


# ---------------------------------------------------------------------------------- calendar
@dataclass(frozen=True)
class _OpeningHours:
    """The calendar over the span of the data, as lookup tables.

    first_day: the first day with data (days since 1970-01-01); days: every date from it to the
    last day with data; reasons: each day's closing reason (``None`` when open); sig[q, d]: the
    row of ``masks`` holding the open minutes of queue q on day d (-1, the last row: closed);
    masks: one row of 24 * 60 booleans per distinct set of opening windows.
    """

    first_day: int
    days: list[dt.date]
    reasons: list[str | None]
    sig: np.ndarray
    masks: np.ndarray


def _finish(out: pd.DataFrame, *, reading: _Reading, options: _Options) -> LoadedHistory:
    """Leave out anomaly days, check against the calendar, fill, find gaps, summarise."""
    day_number, minute_of_day = _local_day_and_minute(out)
    anomalies, is_anomaly = _count_anomalies(out, day_number, options.anomaly_days)
    out = out.loc[~is_anomaly].reset_index(drop=True)
    day_number, minute_of_day = day_number[~is_anomaly], minute_of_day[~is_anomaly]

    remaining = set(out["queue"].unique().tolist()) if len(out) else set()
    queues = [q for q in reading.queue_order if q in remaining]
    filled_by_queue = dict.fromkeys(queues, 0)
    gaps: dict[str, list[dt.date]] = {}
    if len(out):
        hours = _opening_hours(
            options.calendar, queues, int(day_number.min()), int(day_number.max())
        )
        qcode = pd.Categorical(out["queue"], categories=queues).codes.astype(np.int64)
        day_idx = day_number - hours.first_day
        in_hours = hours.masks[hours.sig[qcode, day_idx], minute_of_day]
        offered = out["offered"].to_numpy()
        _hours_warnings(
            reading.warnings, out, in_hours, day_idx, hours.days, hours.reasons, offered
        )
        filled_by_queue, gaps, fills = _missing_intervals(
            out, queues, qcode, day_idx, hours, interval=reading.interval, options=options
        )
        if fills:
            out = _append_filled(out, fills, tz=options.tz)
    out = _sorted_by_queue_and_time(out, queues)
    summary = _summarise(
        out,
        reading=reading,
        options=options,
        queues=queues,
        filled_by_queue=filled_by_queue,
        gaps=gaps,
        anomalies=anomalies,
    )
    return LoadedHistory(out, summary)


def _local_day_and_minute(out: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's local date (days since 1970-01-01) and local minute of the day."""
    wall = out["interval_start"].dt.tz_localize(None)
    day_number = wall.dt.normalize().to_numpy().astype("datetime64[D]").astype(np.int64)
    minute_of_day = (wall.dt.hour * 60 + wall.dt.minute).to_numpy()
    return day_number, minute_of_day


def _count_anomalies(
    out: pd.DataFrame, day_number: np.ndarray, anomaly_days: dict[dt.date, str]
) -> tuple[dict[dt.date, tuple[str, int, int]], np.ndarray]:
    """(``{anomaly day: (reason, rows, calls)}``, mask of the rows on anomaly days)."""
    anomaly_ns = np.array(
        sorted(np.datetime64(d, "D").astype(np.int64) for d in anomaly_days), dtype=np.int64
    )
    is_anomaly = np.isin(day_number, anomaly_ns)
    anomalies: dict[dt.date, tuple[str, int, int]] = {}
    if anomaly_days:
        counts = pd.DataFrame(
            {"d": day_number[is_anomaly], "c": out["offered"].to_numpy()[is_anomaly]}
        )
        per_day = counts.groupby("d")["c"].agg(["size", "sum"])
        for d, reason in sorted(anomaly_days.items()):
            key = np.datetime64(d, "D").astype(np.int64)
            rows, calls = (
                (int(per_day.at[key, "size"]), int(per_day.at[key, "sum"]))
                if key in per_day.index
                else (0, 0)
            )
            anomalies[d] = (reason, rows, calls)
    return anomalies, is_anomaly


def _opening_hours(
    calendar: CentreCalendar, queues: list[str], first_day: int, last_day: int
) -> _OpeningHours:
    """The calendar's closing days and each queue's opening windows, first_day..last_day."""
    span_days = [
        dt.date(1970, 1, 1) + dt.timedelta(days=int(d)) for d in range(first_day, last_day + 1)
    ]
    reasons = [calendar.closing_reason(d) for d in span_days]
    # window signatures: sig[q, day] indexes masks (last row: closed)
    masks: list[np.ndarray] = []
    sig_of: dict[tuple[tuple[int, int], ...], int] = {}
    sig = np.full((len(queues), len(span_days)), -1, dtype=np.int64)
    cache: dict[tuple[str, int], int] = {}
    for qi, q in enumerate(queues):
        for di, d in enumerate(span_days):
            if reasons[di] is not None:
                continue
            ck = (q, d.weekday())
            if ck not in cache:
                windows = tuple(calendar.queue_windows(d, q))
                if windows not in sig_of:
                    mask = np.zeros(24 * 60, dtype=bool)
                    for w_from, w_to in windows:
                        mask[w_from : min(w_to, 24 * 60)] = True
                    sig_of[windows] = len(masks)
                    masks.append(mask)
                cache[ck] = sig_of[windows] if windows else -1
            sig[qi, di] = cache[ck]
    masks.append(np.zeros(24 * 60, dtype=bool))
    return _OpeningHours(first_day, span_days, reasons, sig, np.vstack(masks))


def _missing_intervals(
    out: pd.DataFrame,
    queues: list[str],
    qcode: np.ndarray,
    day_idx: np.ndarray,
    hours: _OpeningHours,
    *,
    interval: int,
    options: _Options,
) -> tuple[dict[str, int], dict[str, list[dt.date]], list[pd.DataFrame]]:
    """Find, per queue, open intervals with no row on days with data, and open days with none.

    Returns (missing intervals per queue, ``{queue: gap days}`` (anomaly days are no gaps),
    the missing intervals to add as frames of ``t`` (UTC nanoseconds) and ``queue``; none
    when ``fill_missing`` is off).
    """
    tz, first_day, span_days = options.tz, hours.first_day, hours.days
    # the DST-safe grid of the whole span, in absolute time
    start = pd.Timestamp(span_days[0]).tz_localize(tz)
    end = pd.Timestamp(span_days[-1] + dt.timedelta(days=1)).tz_localize(tz)
    grid = pd.date_range(start, end, freq=f"{interval}min", inclusive="left").as_unit("ns")
    grid_wall = grid.tz_localize(None)
    grid_day = grid_wall.normalize().to_numpy().astype("datetime64[D]").astype(np.int64) - first_day
    grid_minute = (grid_wall.hour * 60 + grid_wall.minute).to_numpy()
    grid_ns = grid.asi8
    has_data = np.zeros((len(queues), len(span_days)), dtype=bool)
    has_data[qcode, day_idx] = True
    anomaly_idx = {
        (np.datetime64(d, "D").astype(np.int64) - first_day) for d in options.anomaly_days
    }
    filled_by_queue: dict[str, int] = {}
    gaps: dict[str, list[dt.date]] = {}
    fills = []
    row_ns = pd.DatetimeIndex(out["interval_start"]).as_unit("ns").asi8
    for qi, q in enumerate(queues):
        expected = has_data[qi, grid_day] & hours.masks[hours.sig[qi, grid_day], grid_minute]
        exp_ns = grid_ns[expected]
        have = row_ns[qcode == qi]
        missing = exp_ns[~np.isin(exp_ns, have)]
        filled_by_queue[q] = int(len(missing))
        if options.fill_missing and len(missing):
            fills.append(pd.DataFrame({"t": missing, "queue": q}))
        open_days = np.flatnonzero((hours.sig[qi] >= 0) & ~has_data[qi])
        gap = [span_days[i] for i in open_days if i not in anomaly_idx]
        if gap:
            gaps[q] = gap
    return filled_by_queue, gaps, fills


def _append_filled(out: pd.DataFrame, fills: list[pd.DataFrame], *, tz: str) -> pd.DataFrame:
    """``out`` with the missing intervals in ``fills`` added as rows of zero calls."""
    add = pd.concat(fills, ignore_index=True)
    extra = pd.DataFrame(
        {
            "interval_start": pd.DatetimeIndex(add["t"].to_numpy(), tz="UTC")
            .tz_convert(tz)
            .astype(f"datetime64[ns, {tz}]"),
            "queue": add["queue"].astype(str).to_numpy(),
        }
    )
    for col in out.columns[2:]:
        extra[col] = 0 if col in COUNT_COLUMNS else np.nan
        extra[col] = extra[col].astype(out[col].dtype)
    return pd.concat([out, extra], ignore_index=True)


def _sorted_by_queue_and_time(out: pd.DataFrame, queues: list[str]) -> pd.DataFrame:
    """``out`` with text queues, sorted by queue (in the order of ``queues``) and time."""
    out["queue"] = out["queue"].astype(str)
    if len(out):
        order = pd.Categorical(out["queue"], categories=queues).codes
        ns = pd.DatetimeIndex(out["interval_start"]).asi8
        out = out.iloc[np.lexsort((ns, order))].reset_index(drop=True)
    return out


def _summarise(
    out: pd.DataFrame,
    *,
    reading: _Reading,
    options: _Options,
    queues: list[str],
    filled_by_queue: dict[str, int],
    gaps: dict[str, list[dt.date]],
    anomalies: dict[dt.date, tuple[str, int, int]],
) -> HistorySummary:
    """The summary of the loaded frame ``out`` and of how it was read."""
    per_queue = _per_queue(out, queues, filled_by_queue if options.fill_missing else {}, gaps)
    local_days = (
        out["interval_start"].dt.tz_localize(None).dt.normalize().nunique() if len(out) else 0
    )
    return HistorySummary(
        name=reading.name,
        source=reading.source,
        time_format=reading.time_format,
        tz=options.tz,
        queues=queues,
        start=out["interval_start"].min() if len(out) else None,
        end=out["interval_start"].max() if len(out) else None,
        days=int(local_days),
        interval_minutes=reading.interval,
        interval_inferred=reading.inferred,
        rows_read=reading.rows_read,
        rows=len(out),
        calls=int(out["offered"].sum()) if len(out) else 0,
        filled=int(sum(filled_by_queue.values())),
        filled_by_queue=filled_by_queue,
        fill_missing=options.fill_missing,
        gaps=gaps,
        anomalies=anomalies,
        columns=reading.columns,
        renamed=reading.renamed,
        warnings=reading.warnings,
        per_queue=per_queue,
    )


def _hours_warnings(
    warnings: list[str],
    out: pd.DataFrame,
    in_hours: np.ndarray,
    day_idx: np.ndarray,
    span_days: list[dt.date],
    reasons: list[str | None],
    offered: np.ndarray,
) -> None:
    outside = ~in_hours
    if not outside.any():
        return
    closed_day = np.array([r is not None for r in reasons])[day_idx]
    on_closed = outside & closed_day
    if on_closed.any():
        per_day = (
            pd.DataFrame({"d": day_idx[on_closed], "c": offered[on_closed]}).groupby("d")["c"].sum()
        )
        busy = per_day[per_day > 0]
        shown = busy.sort_values(ascending=False).head(4) if len(busy) else per_day.head(3)
        examples = ", ".join(
            f"{span_days[d].isoformat()} ({reasons[d]}, {int(c)} calls)"
            for d, c in sorted(shown.items())
        )
        more = f" and {len(busy) - len(shown)} more" if len(busy) > len(shown) else ""
        warnings.append(
            f"{_plural(int(on_closed.sum()), 'row')} "
            f"({_plural(int(offered[on_closed].sum()), 'call')}) fall on "
            f"{_plural(len(per_day), 'day')} the calendar has closed, {len(busy)} with calls: "
            f"{examples}{more}; kept (mark faults as anomalies to leave them out)"
        )
    off_hours = outside & ~closed_day
    if off_hours.any():
        first = int(np.flatnonzero(off_hours)[0])
        example = out.iloc[first]
        warnings.append(
            f"{_plural(int(off_hours.sum()), 'row')} "
            f"({_plural(int(offered[off_hours].sum()), 'call')}) on open "
            f"days lie outside the calendar's opening hours of their queue (first: "
            f"{example['queue']} {_fmt_time(example['interval_start'])}); kept (give a "
            "calendar with the centre's real hours if these are normal)"
        )


def _per_queue(
    out: pd.DataFrame,
    queues: list[str],
    filled: dict[str, int],
    gaps: dict[str, list[dt.date]],
) -> pd.DataFrame:
    if not len(out):
        return pd.DataFrame(
            columns=["queue", "rows", "calls", "first", "last", "days", "filled", "gap_days"]
        )
    days = out["interval_start"].dt.tz_localize(None).dt.normalize()
    grouped = out.assign(_day=days).groupby("queue", sort=False)
    table = pd.DataFrame(
        {
            "rows": grouped.size(),
            "calls": grouped["offered"].sum(),
            "first": grouped["interval_start"].min(),
            "last": grouped["interval_start"].max(),
            "days": grouped["_day"].nunique(),
        }
    ).reindex(queues)
    table["filled"] = [filled.get(q, 0) for q in queues]
    table["gap_days"] = [len(gaps.get(q, [])) for q in queues]
    return table.reset_index(names="queue")
