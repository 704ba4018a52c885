"""Reading and writing the project's tables (CSV, Excel, Parquet) with the time conventions.

Every table file the CLI and the app read goes through `read_table`; every CSV written goes
through `write_csv`. Times inside the code are tz-aware Europe/Copenhagen; files carry ISO 8601
with offset (`2026-03-02T10:15:00+01:00`), or naive local times (localised on read, with the
autumn's repeated hour inferred from order and the spring's missing hour shifted forward).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from planner.errors import InputError

__all__ = ["read_table", "parse_times", "write_csv", "TZ_NAME"]

TZ_NAME = "Europe/Copenhagen"
_ENCODINGS = ("utf-8-sig", "cp1252")


def _decode(raw: bytes, path: Path) -> str:
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path.name}: cannot decode the file as UTF-8 or cp1252 text")


def _sniff_separator(text: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return ";" if first.count(";") > first.count(",") else ","


def read_table(
    path: str | Path, *, name: str | None = None, data: bytes | None = None
) -> pd.DataFrame:
    """Read a CSV (`,`, `;` or tab; UTF-8 with or without BOM, or cp1252), .xlsx or .parquet file.

    All columns are read as text from CSV (``dtype=str``) so that the caller can check and convert
    them with messages that name the row; Excel and Parquet keep their types. ``data`` lets the app
    pass an upload's bytes; ``name`` is then the file name used in messages.
    """
    path = Path(path)
    label = name or path.name
    suffix = Path(label).suffix.lower() or path.suffix.lower()
    try:
        raw = data if data is not None else path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a folder, expected a file") from None
    if not raw.strip():
        raise InputError(f"{label}: the file is empty; expected a table with a header row")
    if suffix in (".xlsx", ".xlsm"):
        try:
            return pd.read_excel(io.BytesIO(raw), engine="openpyxl")
        except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file for the user
            raise InputError(f"{label}: not a readable Excel workbook ({exc})") from None
    if suffix == ".parquet":
        try:
            return pd.read_parquet(io.BytesIO(raw))
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"{label}: not a readable Parquet file ({exc})") from None
    if b"\x00" in raw[:4096]:
        raise InputError(
            f"{label}: looks like a binary file, expected a CSV, .xlsx or .parquet table"
        )
    text = _decode(raw, path)
    sep = _sniff_separator(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise InputError(f"{label}: not a table ({str(exc).strip()})") from None
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{label}: the file is empty; expected a table with a header row"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def parse_times(
    values: pd.Series,
    *,
    tz: str = TZ_NAME,
    label: str = "",
    column: str = "",
    groups: pd.Series | None = None,
) -> pd.Series:
    """Parse a column of times into tz-aware timestamps in ``tz``.

    Values with an offset are converted; naive values are local times in ``tz``: the autumn's
    repeated hour is resolved from the order of the rows (``ambiguous="infer"`` on the sorted
    values; a value seen twice at the same clock time takes the earlier (summer time) first) and
    the spring's missing hour is shifted forward. Unparseable values raise `InputError` naming
    the first bad row (1-based data row, header excluded).
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(tz)
    text = values.astype(str).str.strip()
    has_offset = text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True)
    if has_offset.any() and not has_offset.all():
        pos = int((~has_offset).to_numpy().nonzero()[0][0])
        where = f"{label}: row {pos + 1}, column '{column}'" if label else f"row {pos + 1}"
        raise InputError(
            f"{where}: '{text.iloc[pos]}' has no UTC offset while other rows have one; "
            "expected all times with an offset or all without"
        )
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=bool(has_offset.any()))
    bad = parsed.isna()
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        where = f"{label}: row {pos + 1}, column '{column}'" if label else f"row {pos + 1}"
        raise InputError(
            f"{where}: cannot read '{text.iloc[pos]}' as a time; "
            "expected ISO 8601 like 2026-03-02 10:15 or 2026-03-02T10:15:00+01:00"
        )
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return parsed.dt.tz_convert(tz)
    return localize_naive(parsed, tz=tz, groups=groups)


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
    keys = values.to_frame("t") if groups is None else pd.DataFrame({"t": values, "g": groups})
    first = ~keys.duplicated(keep="first")
    localized_dst = values.dt.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    localized_std = values.dt.tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
    return localized_dst.where(first, localized_std)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as UTF-8 CSV with ISO 8601 times carrying their offset."""
    path = Path(path)
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].map(lambda t: t.isoformat() if pd.notna(t) else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8")
    return path
