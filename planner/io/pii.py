"""Refuse personal data at the door: CPR numbers and phone numbers in input tables.

The planner works on counts per queue and interval; it needs no personal data and must not
store any (DOMAIN.md: calls are tied to citizens by CPR number in the case systems, not here).
A table is refused when a column looks personal

- by its name: ``cpr``, ``personnummer``, ``telefon``, ``tlf``, ``phone``, ``mobil``,
  ``caller_id``, ``msisdn``, ``a_nummer`` ... (tokens of the name, case-insensitive); or
- by its content: a CPR number (``DDMMYY-SSSS`` or ten digits whose first six are a valid date,
  checked with ``stdnum.dk.cpr``), or a phone number found by
  ``phonenumbers.PhoneNumberMatcher(text, "DK")``.

To give no false hits on call ids, timestamps and counts, content is judged per column:

- ISO and Danish date-times are removed from the text first, and eight digits that form a
  date ``YYYYMMDD`` are not read as a phone number;
- a *written* number (``010190-1234``, ``+45 20 12 34 56``, ``20 12 34 56``) or a number inside
  free text flags the column at once;
- bare digit strings (``20123456``, ``0101901234``) flag the column only when at least half of
  its non-empty cells are such numbers and the column is not a sequence rising by small steps
  (call ids and epoch timestamps rise with time; callers' phone and CPR numbers do not, and
  even sorted they rise by large steps).

Messages never echo the personal value itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import phonenumbers
from stdnum.dk import cpr

from planner.errors import InputError

__all__ = [
    "PersonalDataFinding",
    "column_name_reason",
    "cpr_numbers_in",
    "phone_numbers_in",
    "find_personal_data",
    "personal_data_problems",
    "check_personal_data",
    "PERSONAL_DATA_REASON",
]

PERSONAL_DATA_REASON = "the planner needs no personal data and must not store any"

_CPR_NAMES = {
    "cpr",
    "cprnr",
    "cprnummer",
    "personnummer",
    "personnr",
    "ssn",
    "social_security",
    "socialsecurity",
}
_PHONE_NAMES = {
    "phone",
    "phonenumber",
    "telephone",
    "telefon",
    "telefonnr",
    "telefonnummer",
    "tlf",
    "tlfnr",
    "mobil",
    "mobilnr",
    "mobile",
    "msisdn",
    "ani",
    "cli",
    "callerid",
    "caller_id",
    "caller_number",
    "calling_number",
    "a_nummer",
    "anummer",
    "nummer_a",
}

_SPLIT = re.compile(r"[^0-9a-zæøå]+")
_STRIP_TIMES = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\d{1,2}[-.]\d{1,2}[-.]\d{4}(?:[ T]\d{1,2}[:.]\d{2}(?::\d{2})?)?"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
)
_CANDIDATE = re.compile(r"\d(?:[ \-]?\d){7,}")
_CPR_TOKEN = re.compile(r"(?<![\d\-])(\d{6})(-?)(\d{4})(?![\d\-])")
_HAS_LETTERS = re.compile(r"[^\W\d_]")
_BARE_DIGITS = re.compile(r"^\+?\d+$")


@dataclass(frozen=True)
class PersonalDataFinding:
    """A column that looks personal.

    Attributes
    ----------
    column: the column's name.
    kind: ``"CPR numbers"`` or ``"phone numbers"``.
    by: ``"name"`` or ``"content"``.
    position: 0-based position of the first row that holds such a value (``None`` by name).
    count: number of rows holding such values (0 by name).
    """

    column: str
    kind: str
    by: str
    position: int | None = None
    count: int = 0


#: Words that may stand beside a personal keyword in a column name ("borger_cpr", "tlf_nr").
_QUALIFIERS = {
    "nr", "no", "num", "number", "nummer", "id", "kunde", "borger", "borgers", "caller",
    "customer", "citizen", "citizens", "opkalder", "opkalders", "kalder", "til", "fra",
    "from", "to", "a", "b", "s", "e164",
}  # fmt: skip


def column_name_reason(name: str) -> str | None:
    """``"CPR numbers"`` or ``"phone numbers"`` when the column's name says so, else ``None``.

    The name matches when, taken whole (separators removed) or as its tokens, it is a personal
    keyword possibly qualified by number words (``tlf_nr``, ``borger_cpr``, ``caller_id``);
    ``phone_time`` or ``telefontid`` do not match.
    """
    text = str(name).strip().casefold()
    parts = [p for p in _SPLIT.split(text) if p]
    if not parts:
        return None
    joined = "_".join(parts)
    for kind, names in (("CPR numbers", _CPR_NAMES), ("phone numbers", _PHONE_NAMES)):
        if joined in names or joined.replace("_", "") in names:
            return kind
        keys = [p for p in parts if p in names]
        if keys and all(p in names or p in _QUALIFIERS for p in parts):
            return kind
    return None


def _is_compact_date(digits: str) -> bool:
    if len(digits) != 8 or not digits.startswith(("19", "20")):
        return False
    try:
        pd.Timestamp(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")
    except ValueError:
        return False
    return True


def cpr_numbers_in(text: str) -> list[tuple[str, bool]]:
    """Valid CPR numbers in ``text`` as (number, written_with_dash).

    A CPR number is ``DDMMYY-SSSS`` or ten digits whose birth date (with the century from the
    7th digit) is a real date not in the future (``stdnum.dk.cpr.is_valid``; the modulus-11
    check was dropped in 2007, so it is not required).
    """
    found = []
    for match in _CPR_TOKEN.finditer(_STRIP_TIMES.sub(" ", str(text))):
        number = match.group(1) + match.group(3)
        if cpr.is_valid(number):
            found.append((match.group(0), bool(match.group(2))))
    return found


def phone_numbers_in(text: str) -> list[tuple[str, bool]]:
    """Phone numbers in ``text`` (Danish by default) as (raw text, written_as_phone_number).

    ``written_as_phone_number`` is true for a number with a ``+``/``00`` prefix or grouped
    with spaces or dashes; false for a bare run of digits. Eight digits that form a date
    ``YYYYMMDD`` are skipped.
    """
    cleaned = _STRIP_TIMES.sub(" ", str(text))
    if not _CANDIDATE.search(cleaned):
        return []
    found = []
    for match in phonenumbers.PhoneNumberMatcher(cleaned, "DK"):
        raw = match.raw_string
        digits = re.sub(r"\D", "", raw)
        if _is_compact_date(digits):
            continue
        written = raw.strip().startswith(("+", "00")) or bool(re.search(r"\d[ \-]\d", raw))
        found.append((raw, written))
    return found


def _cell_text(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _factor_text(values: pd.Series) -> tuple[np.ndarray, pd.Series] | None:
    """(codes per row, distinct values as stripped text); ``None`` for time or bool columns."""
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        return None
    if pd.api.types.is_bool_dtype(dtype):
        return None
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if isinstance(uniques, pd.Index):
        uniques = uniques.to_numpy()
    text = [_cell_text(v) for v in uniques] + [""]
    codes = np.where(codes < 0, len(text) - 1, codes)
    return codes, pd.Series(text, dtype=object)


def _rising(numbers: np.ndarray) -> bool:
    """Ids or epoch seconds: at least 90 % of steps rise, by a median of at most 10,000.

    (Sorted CPR or phone numbers rise too, but by large steps: birth dates and numbers spread
    over the whole range.)
    """
    if len(numbers) < 3:
        return False
    steps = np.diff(numbers)
    rising = steps > 0
    return bool(rising.mean() >= 0.9 and np.median(steps[rising]) <= 10_000)


def _scan_column(
    values: pd.Series, factored: tuple[np.ndarray, pd.Series] | None = None
) -> tuple[str, int, int] | None:
    """(kind, first position, count) when the column's content looks personal."""
    if factored is None:
        factored = _factor_text(values)
    if factored is None or not len(values):
        return None
    codes, uniq = factored
    candidate = np.zeros(len(uniq), dtype=bool)
    maybe = np.flatnonzero((uniq.str.len() >= 8).to_numpy(dtype=bool))
    if len(maybe):
        # vectorised in Arrow (RE2): the regexes have no look-arounds
        part = uniq.iloc[maybe].astype("string[pyarrow]")
        digits = part.str.count(r"\d").to_numpy(dtype=np.int64)
        stripped = part.str.replace(_STRIP_TIMES.pattern, " ", regex=True)
        hit = stripped.str.contains(_CANDIDATE.pattern, regex=True).to_numpy(dtype=bool)
        candidate[maybe] = (digits >= 8) & hit
    if not candidate.any():
        return None
    nonblank = (uniq != "").to_numpy()[codes]
    n_rows = int(nonblank.sum())
    bare = uniq.str.fullmatch(_BARE_DIGITS).to_numpy(dtype=bool)
    letters = uniq.str.contains(_HAS_LETTERS).to_numpy(dtype=bool)
    for kind, finder in (("CPR numbers", cpr_numbers_in), ("phone numbers", phone_numbers_in)):
        strong = np.zeros(len(uniq), dtype=bool)
        weak = np.zeros(len(uniq), dtype=bool)
        for i in np.flatnonzero(candidate):
            hits = finder(uniq.iloc[i])
            if not hits:
                continue
            if any(written for _, written in hits) or letters[i]:
                strong[i] = True
            else:
                weak[i] = True
        row_strong = strong[codes]
        if row_strong.any():
            return kind, int(np.flatnonzero(row_strong)[0]), int(row_strong.sum())
        row_weak = weak[codes]
        if n_rows and row_weak.sum() >= 0.5 * n_rows:
            if bare[codes][nonblank].all():
                as_number = pd.to_numeric(uniq.str.lstrip("+"), errors="coerce").to_numpy()
                if _rising(as_number[codes][nonblank].astype(float)):
                    continue
            return kind, int(np.flatnonzero(row_weak)[0]), int(row_weak.sum())
    return None


def find_personal_data(
    frame: pd.DataFrame,
    *,
    skip: tuple[str, ...] = (),
    factored: Mapping[str, tuple[np.ndarray, pd.Series]] | None = None,
) -> list[PersonalDataFinding]:
    """Columns of ``frame`` that look like CPR or phone numbers, by name or by content.

    ``skip`` names columns not to scan by content (e.g. a column already parsed as times).
    ``factored`` may give, per column, the codes per row and the distinct values as stripped
    text (saves the work when the caller has them already).
    """
    findings: list[PersonalDataFinding] = []
    for col in frame.columns:
        reason = column_name_reason(str(col))
        if reason is not None:
            findings.append(PersonalDataFinding(str(col), reason, "name"))
            continue
        if col in skip:
            continue
        hit = _scan_column(frame[col], (factored or {}).get(col))
        if hit is not None:
            kind, position, count = hit
            findings.append(PersonalDataFinding(str(col), kind, "content", position, count))
    return findings


_ARTICLE = {"CPR numbers": "a CPR number", "phone numbers": "a phone number"}


def personal_data_problems(
    frame: pd.DataFrame,
    *,
    name: str = "data",
    rows: np.ndarray | None = None,
    skip: tuple[str, ...] = (),
    factored: Mapping[str, tuple[np.ndarray, pd.Series]] | None = None,
) -> list[str]:
    """One message line per column of ``frame`` that looks like CPR or phone numbers.

    Each line names the file, the column (and, for content, the first row as given by
    ``rows``: spreadsheet row numbers, default position + 2, with the count of further rows)
    and says why; it never echoes the value.
    """
    findings = find_personal_data(frame, skip=skip, factored=factored)
    lines: list[str] = []
    for f in findings:
        if f.by == "name":
            lines.append(
                f"{name}: column '{f.column}' looks like {f.kind} (by its name); "
                f"{PERSONAL_DATA_REASON}: remove the column and load the file again"
            )
        else:
            position = int(f.position or 0)
            row = int(rows[position]) if rows is not None else position + 2
            more = f"; {f.count - 1} more rows like it" if f.count > 1 else ""
            lines.append(
                f"{name}: row {row}, column '{f.column}' holds what looks like "
                f"{_ARTICLE[f.kind]} (value not shown{more}); {PERSONAL_DATA_REASON}: "
                "remove it and load the file again"
            )
    return lines


def check_personal_data(
    frame: pd.DataFrame,
    *,
    name: str = "data",
    rows: np.ndarray | None = None,
    skip: tuple[str, ...] = (),
) -> None:
    """Raise `InputError` when a column of ``frame`` looks like CPR or phone numbers.

    The message is the first line of `personal_data_problems`, plus how many other columns
    were found.
    """
    lines = personal_data_problems(frame, name=name, rows=rows, skip=skip)
    if not lines:
        return
    more = f" ({len(lines) - 1} more personal columns)" if len(lines) > 1 else ""
    raise InputError(lines[0] + more)
