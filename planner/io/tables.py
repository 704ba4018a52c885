"""Reading and writing the project's tables (CSV, Excel, Parquet) with the time conventions.

Every table file the CLI and the app read goes through `read_table` (or `load_table`, which also
says how the file was read); every CSV written goes through `write_csv`. Times inside the code
are tz-aware Europe/Copenhagen; files carry ISO 8601 with offset (`2026-03-02T10:15:00+01:00`),
or naive local times (localised on read, with the autumn's repeated hour taken from the order
of the rows and the spring's missing hour shifted forward). Danish spreadsheet dates
(``02-03-2026 10:15``, ``02.03.2026 10:15``: day first, four-digit year last) are read too.

The kind of a file is decided from its content, not its name: an Excel workbook or a Parquet
file saved as ``.csv`` is still read as what it is, and a web page, PDF, old ``.xls`` or image
gets a message saying what it is instead of a parser error.

Excel cells are read as a planner typed them, so that a workbook reads like the CSV saved from it
(`excel_cells`): time cells as clock text (``08:00``), date cells as ISO dates (``2026-07-06``),
whole numbers as whole numbers (agent id ``101``, never ``101.0``, even when blank rows made the
column a float column); full date-times and other numbers keep their types.

Row numbers in messages count as a spreadsheet does: the header is row 1, so the first data row
is row 2 (``first_row=2``). `parse_times` keeps its older default (``first_row=1``: data rows
counted from 1) for callers that rely on it.

Limits at the door (`load_table`): a file bigger than `MAX_BYTES` (200 MB) is refused before it
is read, and one with more than `MAX_ROWS` (2,000,000) data rows before it is parsed. The rows
are counted cheaply: a CSV's line breaks in its bytes (an upper bound: blank lines and line
breaks inside quoted cells count too), an Excel sheet's stated dimension (its rows counted
lazily when the dimension is missing or says more), a Parquet file's footer. Ten years of
15-minute history for the ten queues is about 884,000 rows (10 x 34 intervals x 260 days x 10),
the limit more than twice that; a 2,000,000-row history CSV is about 120 MB and reads in about
6 s with 1.2 GB of memory (measured on the development machine), which is about what one
upload should be allowed to cost a shared server.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from centre.timezone import TZ
from planner.errors import InputError

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "TZ_NAME",
    "Table",
    "load_table",
    "read_table",
    "parse_times",
    "localize_naive",
    "write_csv",
    "cell_text",
    "parse_numbers",
    "day_fraction_clock",
    "excel_cells",
]

TZ_NAME = TZ  # kept for callers that import it

#: The most data rows (rows below the header) a table file may have. The largest contract is the
#: history: ten years of 15-minute intervals for the ten queues (10 x 34 x 260 x 10) is 884,000
#: rows; 2,000,000 leaves room for 24-hour queues or more years, and reading that many (about
#: 120 MB of CSV) takes seconds and about a gigabyte of memory. Checked before parsing.
MAX_ROWS = 2_000_000
#: The largest table file read, in bytes (200 MB; 2,000,000 rows of history CSV are ~120 MB).
#: Checked before the file is read.
MAX_BYTES = 200_000_000
_SEPARATORS = (";", "\t", ",")

# Magic numbers of files people save by mistake in place of a table.
_EXPECTED_KINDS = "expected a CSV, .xlsx or .parquet table"
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0",
        "an old Excel .xls (or other Office 97) file",
        "save it as .xlsx or CSV",
    ),
    (b"%PDF", "a PDF document", _EXPECTED_KINDS),
    (b"\x89PNG", "a PNG image", _EXPECTED_KINDS),
    (b"\xff\xd8\xff", "a JPEG image", _EXPECTED_KINDS),
    (b"GIF8", "a GIF image", _EXPECTED_KINDS),
    (b"\x1f\x8b", "a gzip-compressed file", "unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive", "unpack it first"),
    (b"SQLite format 3", "an SQLite database", _EXPECTED_KINDS),
)
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\n|\r))*")


@dataclass(frozen=True)
class Table:
    """A table read from a file, with how it was read.

    Attributes
    ----------
    frame: the table; CSV columns are text (``dtype=str``), Parquet keeps its types, Excel keeps
        numbers and date-times but gives time, date and whole-number cells as `excel_cells` does.
    name: the file name used in messages.
    kind: ``"csv"``, ``"xlsx"`` or ``"parquet"``.
    encoding: text encoding of a CSV (``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"cp1252"``).
    separator: field separator of a CSV (``","``, ``";"`` or ``"\\t"``).
    rows: spreadsheet row number of each row of ``frame`` (the header is row 1).
    """

    frame: pd.DataFrame
    name: str
    kind: str
    encoding: str | None
    separator: str | None
    rows: np.ndarray


def _decode(raw: bytes, label: str) -> tuple[str, str]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{label}: cannot decode the file as UTF-16 text") from None
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            raise InputError(
                f"{label}: starts with a UTF-8 mark but is not UTF-8 text; "
                "expected UTF-8 or cp1252 text"
            ) from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise InputError(
            f"{label}: cannot decode the file as UTF-8 or cp1252 text; {_EXPECTED_KINDS}"
        ) from None


def _what_binary(raw: bytes) -> tuple[str, str] | None:
    for magic, what, advice in _MAGIC:
        if raw.startswith(magic):
            return what, advice
    return None


def _what_markup(text: str) -> str | None:
    head = text.lstrip()[:2048].lower()
    if head.startswith("<!doctype html") or head.startswith("<html") or "<html" in head[:512]:
        return "a web page (HTML)"
    if head.startswith("<?xml"):
        return "an XML document"
    if head.startswith("{\\rtf"):
        return "an RTF document"
    if head.startswith("{") or (head.startswith("[") and not head.startswith("[ ")):
        stripped = text.strip()
        if stripped.endswith(("}", "]")):
            return "JSON"
    return None


def _field_counts(lines: list[str], sep: str) -> list[int]:
    return [len(row) for row in csv.reader(lines, delimiter=sep)]


def _sniff_separator(text: str) -> str | None:
    """The separator that splits the header into most fields and the lines consistently.

    ``None`` when no separator splits the header (a one-column file or prose).
    """
    lines = [line for line in text[:65536].splitlines() if line.strip()][:50]
    if not lines:
        return None
    best: tuple[int, int, str] | None = None
    for sep in _SEPARATORS:
        counts = _field_counts(lines, sep)
        header = counts[0]
        if header < 2:
            continue
        same = sum(c == header for c in counts[1:])
        consistent = len(counts) == 1 or same >= 0.5 * (len(counts) - 1)
        if not consistent:
            continue
        score = (header, same, sep)
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else None


def _blank_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (NA or only spaces); string work on distinct values."""
    if frame.empty:
        return np.zeros(len(frame), dtype=bool)
    blank = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        values = frame[col]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            empty = np.array([str(u).strip() == "" for u in uniques] + [True], dtype=bool)
            cell_blank = empty[np.where(codes < 0, len(empty) - 1, codes)]
        else:
            cell_blank = values.isna().to_numpy(dtype=bool)
        blank &= cell_blank
        if not blank.any():
            break
    return blank


def _drop_blank_unnamed(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Drop columns with no header and no values (trailing separators of spreadsheet exports)."""
    drop = []
    for position, col in enumerate(frame.columns):
        name = str(col).strip()
        if name and not name.startswith("Unnamed:"):
            continue
        values = frame[col]
        if _blank_mask(values.to_frame()).all():
            drop.append(col)
            continue
        raise InputError(
            f"{label}: column {position + 1} has no header but holds values; "
            "expected a name in the header row for every column with data"
        )
    return frame.drop(columns=drop) if drop else frame


def _check_duplicate_headers(header: list[str], label: str) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        key = name.strip()
        if not key:
            continue
        if key in seen:
            raise InputError(
                f"{label}: column '{key}' appears twice in the header (columns {seen[key]} and "
                f"{position}); expected each column once"
            )
        seen[key] = position


def _read_csv_text(text: str, label: str, encoding: str, text_dtype: type) -> Table:
    blank_head = _LEADING_BLANK_LINES.match(text)
    leading = blank_head.group(0).count("\n") if blank_head else 0
    body = text[blank_head.end() :] if blank_head else text
    if not body.strip():
        raise InputError(f"{label}: the file is empty; expected a table with a header row")
    sep = _sniff_separator(body)
    header_line = body[:65536].splitlines()[0]
    header = next(csv.reader([header_line], delimiter=sep or ","))
    _check_duplicate_headers(header, label)
    try:
        frame = pd.read_csv(
            io.StringIO(body),
            sep=sep or "\x1f",  # one column: a separator that cannot occur in text
            dtype=text_dtype,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as exc:
        message = str(exc).strip()
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
        if found:
            expected, line, saw = (int(g) for g in found.groups())
            raise InputError(
                f"{label}: row {line + leading} has {saw} fields but the header has {expected}; "
                f"expected {expected} '{sep}'-separated fields on every row"
            ) from None
        raise InputError(f"{label}: not a table ({message}); {_EXPECTED_KINDS}") from None
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{label}: the file is empty; expected a table with a header row"
        ) from None
    frame.columns = [str(c).strip().strip('"').strip() for c in frame.columns]
    frame = _drop_blank_unnamed(frame, label)
    rows = np.arange(len(frame), dtype=np.int64) + 2 + leading
    return Table(frame, label, "csv", encoding, sep, rows)


# --- limits at the door --------------------------------------------------------------------


def _too_big(label: str, size: int, max_bytes: int) -> InputError:
    return InputError(
        f"{label}: the file is {size:,} bytes ({size / 1e6:.1f} MB), more than the limit of "
        f"{max_bytes:,} bytes ({max_bytes / 1e6:g} MB); expected a smaller file "
        "(split it into periods, or leave out columns that are not needed)"
    )


def _too_many_rows(label: str, rows: int | None, max_rows: int) -> InputError:
    found = f"{rows:,} rows" if rows is not None else f"more than {max_rows:,} rows"
    return InputError(
        f"{label}: the file has {found} below the header, more than the limit of "
        f"{max_rows:,}; expected at most {max_rows:,} rows (split it into periods)"
    )


def _csv_data_rows(raw: bytes) -> int:
    """Rows below the header of CSV bytes, from the line breaks (no decoding, no parsing).

    An upper bound of what the parser finds: blank lines and line breaks inside quoted cells
    count too. UTF-16 is counted in 2-byte code units; a file without any line feed counts its
    carriage returns (old Mac line ends).
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        order = "<u2" if raw.startswith(codecs.BOM_UTF16_LE) else ">u2"
        units = np.frombuffer(raw, dtype=order, count=(len(raw) - 2) // 2, offset=2)
        feeds = int(np.count_nonzero(units == 0x0A))
        breaks = feeds or int(np.count_nonzero(units == 0x0D))
        ends_with_break = units.size > 0 and int(units[-1]) in (0x0A, 0x0D)
    else:
        feeds = raw.count(b"\n")
        breaks = feeds or raw.count(b"\r")
        ends_with_break = raw.endswith((b"\n", b"\r"))
    lines = breaks + (0 if ends_with_break else 1)
    return max(lines - 1, 0)


def _excel_over_limit(raw: bytes, max_rows: int) -> bool:
    """Whether the workbook's first sheet has more than ``max_rows`` rows below the header,
    without building the table.

    The sheet's stated dimension (``<dimension ref="A1:J885001"/>``) gives the last row; when it
    is missing, or says more than ``max_rows``, the rows are counted lazily (openpyxl read-only,
    stopping just past the limit), since some writers state a dimension larger than the data.
    A workbook that cannot be opened is not over the limit here (the reader then says why).
    """
    import openpyxl  # only for Excel uploads

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - the reader reports a damaged workbook itself
        return False
    try:
        if not book.worksheets:
            return False
        sheet = book.worksheets[0]
        if sheet.max_row is not None and sheet.max_row - 1 <= max_rows:
            return False
        for number, _row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number - 1 > max_rows:
                return True
        return False
    finally:
        book.close()


def _parquet_data_rows(raw: bytes) -> int | None:
    """Rows of a Parquet file from its footer (None when the footer cannot be read)."""
    import pyarrow.parquet as pq  # only for Parquet uploads

    try:
        return int(pq.ParquetFile(io.BytesIO(raw)).metadata.num_rows)
    except Exception:  # noqa: BLE001 - the reader reports a damaged file itself
        return None


def _check_rows(label: str, rows: int | None, max_rows: int | None) -> None:
    if max_rows is not None and rows is not None and rows > max_rows:
        raise _too_many_rows(label, rows, max_rows)


def _read_excel(raw: bytes, label: str) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise InputError(
            f"{label}: looks like a damaged zip or Excel file, not a table; {_EXPECTED_KINDS}"
        ) from None
    if "xl/workbook.xml" not in names:
        raise InputError(
            f"{label}: is a zip archive, not an Excel workbook; unpack it first ({_EXPECTED_KINDS})"
        )
    try:
        frame = pd.read_excel(io.BytesIO(raw), engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file for the user
        raise InputError(f"{label}: not a readable Excel workbook ({exc})") from None
    header = [str(c) for c in frame.columns]
    frame.columns = [str(c).strip() for c in frame.columns]
    _check_duplicate_headers([h for h in header if not h.startswith("Unnamed:")], label)
    frame = _drop_blank_unnamed(frame, label)
    rows = np.arange(len(frame), dtype=np.int64) + 2
    return Table(frame, label, "xlsx", None, None, rows)


# --- Excel cells as a planner typed them ---------------------------------------------------

#: Whole numbers up to this size are written without a decimal part (floats are exact below 2**53).
_WHOLE_LIMIT = 1e15
#: The day Excel's serial number 0 stands for: a time cell alone is a date-time on this day.
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_SECONDS_PER_DAY = 24 * 3600


def _clock_from_seconds(seconds: int) -> str:
    """``HH:MM`` (or ``HH:MM:SS`` when the seconds are not zero) of seconds after midnight."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def _rounded_seconds(days: int, seconds: int, microseconds: int) -> int:
    """Whole seconds to the nearest second: Excel keeps times as binary fractions of a day."""
    return days * _SECONDS_PER_DAY + seconds + (1 if microseconds >= 500_000 else 0)


def day_fraction_clock(value: float) -> str:
    """The clock time of an Excel time fraction (0.5 is ``12:00``; 1 is ``24:00``).

    Excel stores a time as a fraction of a day; a time cell without a time format reaches us
    as that bare number. Raises `ValueError` for a number outside [0, 1].

    >>> day_fraction_clock(1 / 3), day_fraction_clock(0.5 + 30 / 86400), day_fraction_clock(1.0)
    ('08:00', '12:00:30', '24:00')
    """
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"an Excel time is a fraction of a day from 0 to 1; got {value!r}")
    return _clock_from_seconds(round(number * _SECONDS_PER_DAY))


def _datetime_text(value: dt.datetime) -> str:
    """A date-time cell: a clock on Excel's day 0, an ISO date at midnight, else ISO 8601."""
    stamp = pd.Timestamp(value).round("s")
    if stamp.tzinfo is not None:
        return stamp.isoformat()
    naive = stamp.to_pydatetime()
    since_epoch = naive - _EXCEL_EPOCH
    if dt.timedelta(0) <= since_epoch <= dt.timedelta(days=1):
        return _clock_from_seconds(int(since_epoch.total_seconds()))
    if naive.time() == dt.time(0, 0):
        return naive.date().isoformat()
    return naive.isoformat(timespec="seconds")


def _number_text(value: float) -> str:
    """A number as a CSV holds it: whole numbers without ``.0``, others in shortest form."""
    if value.is_integer() and abs(value) < _WHOLE_LIMIT:
        return str(int(value))
    return repr(value)


def cell_text(value: object) -> str:
    """The text a CSV saved from a spreadsheet holds for the cell ``value``; ``""`` if blank.

    Whole numbers lose their ``.0`` (``101.0`` is ``"101"``); times are ``HH:MM`` (with
    ``:SS`` when the seconds are not zero; to the nearest second); dates are ISO dates;
    date-times ISO 8601 (``2026-11-30T08:00:00``, with the offset when they carry one); an
    Excel duration (``[h]:mm``, a `datetime.timedelta`) is a clock ``24:00``. Text is kept as
    it is.

    >>> [cell_text(v) for v in (101.0, 32.5, dt.time(8, 0), dt.datetime(2026, 7, 6), None)]
    ['101', '32.5', '08:00', '2026-07-06', '']
    """
    if isinstance(value, str):
        return value
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else _number_text(float(value))
    if isinstance(value, np.datetime64):
        return "" if np.isnat(value) else _datetime_text(pd.Timestamp(value))
    if isinstance(value, dt.datetime):  # pandas.Timestamp included
        return _datetime_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return _clock_from_seconds(
            _rounded_seconds(
                0, value.hour * 3600 + value.minute * 60 + value.second, value.microsecond
            )
        )
    if isinstance(value, dt.timedelta):
        return _clock_from_seconds(_rounded_seconds(value.days, value.seconds, value.microseconds))
    return str(value)


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column of numbers as floats, and the cells that are no number.

    Returns (values, unreadable): an empty cell is NaN and readable; a decimal comma is read
    as a point (``37,5``); a cell that is not a number (``tolv``, ``=1+1``, ``TRUE``, and the
    text ``NaN``, which is no number a planner types) is NaN and marked unreadable. Numbers
    keep their value (``inf`` too: the schema's range refuses it). The text work is done on
    the distinct cells.
    """
    dtype = values.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return values.to_numpy(dtype=float), np.zeros(len(values), dtype=bool)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series([cell_text(v).strip() for v in uniques] + [""], dtype=object)
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    numbers_u = numbers.to_numpy(dtype=float)
    unreadable_u = np.isnan(numbers_u) & (text != "").to_numpy(dtype=bool)
    at = np.where(codes < 0, len(uniques), codes)
    return numbers_u[at], unreadable_u[at]


def _excel_object_cell(value: object, times: bool) -> object:
    """One cell of a mixed column: text and blanks kept, every other value as `cell_text`.

    ``times``: the column holds time cells, so a bare number from 0 to 1 in it is a time whose
    cell lost its time format (Excel's fraction of a day, `day_fraction_clock`).
    """
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, float) and np.isnan(value):
        return value
    is_number = isinstance(value, int | float | np.integer | np.floating)
    if times and is_number and not isinstance(value, bool) and 0 <= value <= 1:
        return day_fraction_clock(float(value))
    return cell_text(value)


def _whole_numbers(values: pd.Series) -> pd.Series:
    """A float column whose numbers are all whole: int64, or Python ints beside NaN blanks."""
    present = values.dropna().to_numpy(dtype=float)
    if present.size == 0 or not np.all(np.isfinite(present)):
        return values
    if not (np.all(present == np.round(present)) and np.all(np.abs(present) < _WHOLE_LIMIT)):
        return values
    if present.size == len(values):
        return values.astype(np.int64)
    cells = [v if np.isnan(v) else int(v) for v in values.to_numpy(dtype=float)]
    return pd.Series(cells, index=values.index, dtype=object, name=values.name)


def _excel_dates(values: pd.Series) -> pd.Series:
    """A date-time column of dates only (all at midnight) as ISO date text; others unchanged."""
    present = values.dropna()
    if present.empty or not (present == present.dt.normalize()).all():
        return values
    cells = [np.nan if pd.isna(v) else cell_text(v) for v in values]
    return pd.Series(cells, index=values.index, dtype=object, name=values.name)


def _excel_column(values: pd.Series) -> pd.Series:
    """One column of a workbook with its cells as the contracts expect (see `excel_cells`)."""
    if pd.api.types.is_float_dtype(values.dtype):
        return _whole_numbers(values)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return _excel_dates(values)
    if values.dtype == object:
        times = any(isinstance(v, dt.time | dt.timedelta) for v in values)
        cells = [_excel_object_cell(v, times) for v in values]
        return pd.Series(cells, index=values.index, dtype=object, name=values.name)
    return values


def excel_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A workbook's table with its cells as a planner typed them and a CSV export holds them.

    pandas hands Excel cells over as Python objects and infers column types from them, which
    is not what the planner sees: a time cell is a `datetime.time`, a date cell a midnight
    date-time, and one blank cell makes a column of ids floats (``101.0``). Here:

    - a column of whole numbers stays numbers without the ``.0`` (int64, or Python ints beside
      blank cells, so that ``str`` gives ``"101"``);
    - a column of date-times that are all at midnight (date cells) becomes ISO date text;
    - in a column of mixed cells (text, times, dates, numbers), every cell that is not text
      becomes its `cell_text`: times ``08:00``, dates ``2026-07-06``, whole numbers ``101``;
      in a column with time cells, a bare number from 0 to 1 is a time that lost its format
      (``0.3333`` is ``08:00``, `day_fraction_clock`);
    - other numbers and date-times with a time of day keep their types (history and forecast
      readers read them as values); blank cells stay missing (NaN).
    """
    out = frame.copy()
    for position in range(out.shape[1]):
        out.isetitem(position, _excel_column(out.iloc[:, position]))
    return out


def _read_parquet(raw: bytes, label: str) -> Table:
    try:
        frame = pd.read_parquet(io.BytesIO(raw))
    except Exception:  # noqa: BLE001 - any parse failure is a bad file for the user
        raise InputError(
            f"{label}: looks like a damaged Parquet file, not a table; {_EXPECTED_KINDS}"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(len(frame), dtype=np.int64) + 2
    return Table(frame.reset_index(drop=True), label, "parquet", None, None, rows)


def load_table(
    path: str | Path | None = None,
    *,
    name: str | None = None,
    data: bytes | None = None,
    keep_blank_rows: bool = False,
    text_dtype: type = str,
    max_rows: int | None = MAX_ROWS,
    max_bytes: int | None = MAX_BYTES,
) -> Table:
    """Read a table file and say how it was read (see `Table`).

    CSV: separator ``,``, ``;`` or tab (chosen from the header and the first lines); UTF-8 with
    or without BOM, UTF-16 with BOM (Excel's "Unicode text") or cp1252; read as text
    (``dtype=str``, empty cells as ``""``). Excel (.xlsx, first sheet) and Parquet keep their
    types, except that time, date and whole-number cells are read as `excel_cells` says (as the
    CSV saved from the workbook holds them). ``data`` passes an upload's bytes (then ``name`` is
    the file name for messages). Rows with no values are dropped unless ``keep_blank_rows``;
    ``Table.rows`` keeps each remaining row's spreadsheet row number either way.
    ``text_dtype=object`` reads CSV cells as Python strings (about twice as fast to read as
    pandas' ``str`` dtype). ``max_bytes`` (default `MAX_BYTES`) refuses a bigger file before it
    is read, ``max_rows`` (default `MAX_ROWS`) one with more rows below the header before it is
    parsed (None: no limit). Raises
    `InputError` for a missing, empty, too big or unreadable file, or a file that is not a table,
    with a one-line message.
    """
    label = name or (Path(path).name if path is not None else "data")
    if data is None:
        if path is None:
            raise ValueError("load_table needs a path or data; got neither")
        try:
            if max_bytes is not None and Path(path).is_file():
                size = Path(path).stat().st_size
                if size > max_bytes:
                    raise _too_big(label, size, max_bytes)
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError(f"{label}: file not found") from None
        except IsADirectoryError:
            raise InputError(f"{label}: is a folder, expected a file") from None
        except PermissionError:
            raise InputError(f"{label}: no permission to read the file") from None
    else:
        if max_bytes is not None and len(data) > max_bytes:
            raise _too_big(label, len(data), max_bytes)
        raw = bytes(data)
    if not raw.strip():
        raise InputError(f"{label}: the file is empty; expected a table with a header row")
    if raw.startswith(b"PK\x03\x04"):
        if max_rows is not None and _excel_over_limit(raw, max_rows):
            # Counted only up to the limit: "more than" is what is known.
            raise _too_many_rows(label, None, max_rows)
        table = _read_excel(raw, label)
    elif raw.startswith(b"PAR1"):
        if max_rows is not None:
            _check_rows(label, _parquet_data_rows(raw), max_rows)
        table = _read_parquet(raw, label)
    else:
        what = _what_binary(raw)
        if what is not None:
            raise InputError(f"{label}: looks like {what[0]}, not a table; {what[1]}")
        if max_rows is not None:
            _check_rows(label, _csv_data_rows(raw), max_rows)
        utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        text, encoding = ("", "") if not utf16 and b"\x00" in raw[:4096] else _decode(raw, label)
        if not text or "\x00" in text[:4096]:
            raise InputError(f"{label}: looks like a binary file, not a table; {_EXPECTED_KINDS}")
        markup = _what_markup(text)
        if markup is not None:
            raise InputError(f"{label}: looks like {markup}, not a table; {_EXPECTED_KINDS}")
        table = _read_csv_text(text, label, encoding, text_dtype)
    if not keep_blank_rows:
        table = _without_blank_rows(table)
    if table.kind == "xlsx":
        table = Table(
            excel_cells(table.frame),
            table.name,
            table.kind,
            table.encoding,
            table.separator,
            table.rows,
        )
    return table


def _without_blank_rows(table: Table) -> Table:
    """The table without its rows of empty cells; ``rows`` keeps the others' numbers."""
    keep = ~_blank_mask(table.frame)
    if keep.all():
        return table
    frame = table.frame.loc[keep].reset_index(drop=True)
    return Table(frame, table.name, table.kind, table.encoding, table.separator, table.rows[keep])


def read_table(
    path: str | Path, *, name: str | None = None, data: bytes | None = None
) -> pd.DataFrame:
    """Read a CSV (`,`, `;` or tab; UTF-8 with or without BOM, or cp1252), .xlsx or .parquet file.

    All columns are read as text from CSV (``dtype=str``) so that the caller can check and convert
    them with messages that name the row; Parquet keeps its types, Excel its numbers and date-times
    (time, date and whole-number cells as `excel_cells` says). ``data`` lets the app
    pass an upload's bytes; ``name`` is then the file name used in messages. Rows with no values
    are dropped (use `load_table` for their spreadsheet row numbers).
    """
    return load_table(path, name=name, data=data).frame


#: The time formats read, as said in messages.
TIME_FORMATS = "a time like 2026-03-02T10:15:00+01:00, 2026-03-02 10:15 or 02-03-2026 10:15"
_ISO_OFFSET = re.compile(r"(?:[+-]\d\d:?\d\d|Z)$")
_DANISH = re.compile(
    r"^(?P<d>\d{1,2})(?P<s>[-.])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)


def _danish_to_iso(text: pd.Series) -> pd.Series:
    """``dd-mm-yyyy HH:MM[:SS]`` and ``dd.mm.yyyy ...`` (day first) as ISO strings; else NA."""
    parts = text.str.extract(_DANISH)
    ok = parts["d"].notna()
    iso = (
        parts["y"]
        + "-"
        + parts["m"].str.zfill(2)
        + "-"
        + parts["d"].str.zfill(2)
        + " "
        + parts["H"].fillna("0").str.zfill(2)
        + ":"
        + parts["M"].fillna("00")
        + ":"
        + parts["S"].fillna("00")
    )
    return iso.where(ok)


def parse_times(
    values: pd.Series,
    *,
    tz: str = TZ_NAME,
    label: str = "",
    column: str = "",
    groups: pd.Series | None = None,
    first_row: int = 1,
    rows: np.ndarray | None = None,
) -> pd.Series:
    """Parse a column of times into tz-aware timestamps in ``tz``.

    Values with an offset are converted; naive values are local times in ``tz``: the autumn's
    repeated hour is resolved from the order of the rows (see `localize_naive`) and the spring's
    missing hour is shifted forward. Accepts ISO 8601 and the Danish day-first forms
    ``dd-mm-yyyy HH:MM`` and ``dd.mm.yyyy HH:MM``. Unparseable values raise `InputError` naming
    the first bad row; ``first_row`` is the number given to the first value (1: data rows
    counted from 1; 2: spreadsheet rows, header = row 1); ``rows`` (e.g. `Table.rows`) gives
    each value's own row number instead, for tables whose blank rows were dropped.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(tz)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return localize_naive(values, tz=tz, groups=groups)
    codes, uniques = pd.factorize(values.astype(str).str.strip())
    text = pd.Series(uniques, dtype=object)

    def where(position: int) -> str:
        row = int(rows[position]) if rows is not None else position + first_row
        return f"{label}: row {row}, column '{column}'" if label else f"row {row}"

    def first_position(unique_mask: np.ndarray) -> int:
        return int(np.flatnonzero(unique_mask[codes])[0])

    has_offset = text.str.contains(_ISO_OFFSET).to_numpy(dtype=bool)
    if has_offset.any() and not has_offset.all():
        pos = first_position(~has_offset)
        raise InputError(
            f"{where(pos)}: '{text.iloc[codes[pos]]}' has no UTC offset while other rows have one; "
            "expected all times with an offset or all without"
        )
    utc = bool(has_offset.any())
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=utc)
    bad = parsed.isna().to_numpy()
    if bad.any() and not utc:
        danish = pd.to_datetime(_danish_to_iso(text[bad]), errors="coerce", format="ISO8601")
        parsed = parsed.copy()
        parsed[bad] = danish
        bad = parsed.isna().to_numpy()
    if bad.any():
        pos = first_position(bad)
        raise InputError(
            f"{where(pos)}: cannot read '{text.iloc[codes[pos]]}' as a time; "
            f"expected {TIME_FORMATS}"
        )
    result = pd.Series(pd.DatetimeIndex(parsed).take(codes), index=values.index)
    if utc:
        return result.dt.tz_convert(tz)
    return localize_naive(result, tz=tz, groups=groups)


def localize_naive(
    naive: pd.Series, *, tz: str = TZ_NAME, groups: pd.Series | None = None
) -> pd.Series:
    """Localise naive local clock times to ``tz`` without losing or merging any row.

    The repeated autumn hour: rows are localised in their file order per distinct clock time;
    the first occurrence of an ambiguous clock time is summer time (DST), a second is standard
    time. The missing spring hour (which a clock never shows) is shifted forward. ``groups``
    (e.g. the queue column) makes the occurrence count per group, so that ten queues sharing a
    clock time are not mistaken for repeats.
    """
    values = pd.Series(pd.DatetimeIndex(naive), index=naive.index)
    localized_dst = values.dt.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    localized_std = values.dt.tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
    differs = (localized_dst != localized_std).to_numpy()
    if not differs.any():
        return localized_dst
    keys = values.to_frame("t") if groups is None else pd.DataFrame({"t": values, "g": groups})
    first = ~keys.duplicated(keep="first")
    return localized_dst.where(first, localized_std)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as UTF-8 CSV with ISO 8601 times carrying their offset.

    Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or
    carriage return) get a leading single quote, as OWASP advises for CSV files
    (`planner.io.safe_text.defuse_text_columns`; numbers, dates and times are untouched); the
    forecast, requirements, agents and roster readers take the quote off again.
    """
    from planner.io.safe_text import defuse_text_columns

    path = Path(path)
    out = defuse_text_columns(frame)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].map(lambda t: t.isoformat() if pd.notna(t) else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8")
    return path
