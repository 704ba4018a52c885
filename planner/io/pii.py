"""Refuse personal data at the door: CPR numbers, phone numbers and e-mail addresses.

The planner works on counts per queue and interval and on a roster of the centre's own staff;
it needs no personal data beyond that and must not store any (DOMAIN.md: calls are tied to
citizens by CPR number in the case systems, not here). A reader runs this one screen over
every column of its table, text and number columns alike: `planner.io.history` for history,
`planner.io.agents` for the agents file (``agent_id``, ``team``, ``skills``, ``preferences``
...), and the forecast, requirements and roster readers. `check_personal_data` is the one call
another table reader needs; `check_personal_document` is the same screen for a parsed TOML file
(`planner.io.scenarios`, `planner.io.events`): every key and every text or number value, judged
alone (`personal_kind`), named by its key (``scenario[1].sick[1].agents[2]``).

Names or initials of employees stay allowed, as agent ids or elsewhere: a roster is about
people, and a planner plans colleagues by name or initials ("JH", "Jens H."). What is refused is
what identifies a person outside the roster and is never needed to plan it: a CPR number, a
phone number, an e-mail address.

A table is refused when a column looks personal

- by its name: ``cpr``, ``personnummer``, ``telefon``, ``tlf``, ``phone``, ``mobil``,
  ``caller_id``, ``msisdn``, ``a_nummer``, ``email``, ``e-mail``, ``mail`` ... (tokens of the
  name, case-insensitive);
- by its header cell: a header that itself holds such a value (a file whose header row is
  missing, so that its first data row became the header); or
- by its content:

  - a CPR number in any of its written forms: six digits that are a real birth date, then
    nothing or one separator (``-``, ``/``, a space or ``.``) and four digits: ``010190-1234``,
    ``010190/1234``, ``010190 1234``, ``010190.1234``, ``0101901234`` (the date is checked with
    ``stdnum.dk.cpr``; the modulus-11 check was dropped in 2007, so it is not required). Nine
    bare digits in a column are also read with a leading zero put back (a spreadsheet that
    stored ``0101901234`` as a number shows ``101901234``);
  - a phone number found by ``phonenumbers.PhoneNumberMatcher(text, "DK")``: Danish eight
    digits (``20 30 40 50``, ``2030 4050``, ``20304050``) or ``+45 ...`` / ``0045 ...``;
  - an e-mail address (``name@domain.tld``).

To give no false hits on counts, seconds, call ids, timestamps and dates, content is judged per
column:

- ISO, Danish and ``dd/mm/yyyy`` date-times and clock times are removed from the text first,
  eight digits that form a date ``YYYYMMDD`` are not read as a phone number, and digits that
  follow or precede a decimal mark are not part of a CPR number or a phone number
  (``13.004974291721688`` is a number, not a call to +49);
- a *written* number (``010190-1234``, ``+45 20 30 40 50``, ``20 30 40 50``), a number inside
  free text, and an e-mail address flag the column at once: one cell is enough;
- a bare CPR number (ten digits, or nine with the zero put back) flags the column at once too,
  unless most of the column's cells are long numbers (eight digits or more): such a column
  holds ids or epoch seconds, and flags as below;
- other bare digit strings (``20304050``, or CPR-like numbers among long ids) flag the column
  only when at least half of its non-empty cells are such numbers and the column is not a
  sequence rising by small steps (call ids and epoch timestamps rise with time; callers' phone
  and CPR numbers do not, and even sorted they rise by large steps).

Messages name the file, row and column and the kind of data, and never echo the value itself;
`redact` takes such values out of any other message that might quote a cell.
"""

from __future__ import annotations

import functools
import json
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

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
    "email_addresses_in",
    "personal_kind",
    "redact",
    "find_personal_data",
    "personal_data_problems",
    "check_personal_data",
    "personal_document_problems",
    "check_personal_document",
    "key_name",
    "one_line",
    "one_line_messages",
    "describe_kind",
    "PERSONAL_DATA_REASON",
    "CPR",
    "PHONE",
    "EMAIL",
]

PERSONAL_DATA_REASON = "the planner needs no personal data and must not store any"

P = ParamSpec("P")
R = TypeVar("R")

#: The kinds of personal data the screen finds (the words its messages use).
CPR = "CPR numbers"
PHONE = "phone numbers"
EMAIL = "e-mail addresses"

_ARTICLE = {CPR: "a CPR number", PHONE: "a phone number", EMAIL: "an e-mail address"}

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
_EMAIL_NAMES = {
    "email",
    "e_mail",
    "mail",
    "emailadresse",
    "mailadresse",
    "e_mailadresse",
    "epost",
    "e_post",
}

_SPLIT = re.compile(r"[^0-9a-zæøå]+")
#: Date-times, dates and clock times (ISO, Danish ``dd-mm-yyyy``, ``dd/mm/yyyy``, ``HH:MM``).
#: No look-arounds: the pattern also runs in Arrow (RE2).
_STRIP_TIMES = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\d{1,2}[-./]\d{1,2}[-./]\d{4}(?:[ T]\d{1,2}[:.]\d{2}(?::\d{2})?)?"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
)
#: Eight or more digits, possibly grouped by ``-``, ``/`` or spaces, or a CPR number written
#: with a dot (``010190.1234``; a dot is not a group separator elsewhere, so that decimals
#: such as ``301.2533333`` are not candidates). RE2-compatible.
_CANDIDATE = re.compile(r"\d(?:[ \-/]?\d){7,}|\d{6}\.\d{4}")
_CPR_TOKEN = re.compile(r"(?<![\d/\-])(?<!\d[.,])(\d{6})([-/. ]?)(\d{4})(?![\d/\-])(?![.,]\d)")
#: A number's decimal mark right before or after a run of digits: the digits are part of
#: a decimal number (``13.004974291721688`` is no call to +49 ...).
_DECIMAL_BEFORE = re.compile(r"\d[.,]$")
_DECIMAL_AFTER = re.compile(r"[.,]\d")
_EMAIL = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}")
_HAS_LETTERS = re.compile(r"[^\W\d_]")
_BARE_DIGITS = re.compile(r"^\+?\d+$")
_LONG_BARE = re.compile(r"^\+?\d{8,}$")


@dataclass(frozen=True)
class PersonalDataFinding:
    """A column that looks personal.

    Attributes
    ----------
    column: the column's name (empty when ``by == "header"``: the header is the personal value).
    kind: `CPR`, `PHONE` or `EMAIL` (``"CPR numbers"``, ``"phone numbers"``,
        ``"e-mail addresses"``).
    by: ``"name"`` (the column's name says so), ``"header"`` (the header cell holds such a
        value) or ``"content"``.
    position: 0-based position of the first row that holds such a value (``None`` otherwise).
    count: number of rows holding such values (0 unless by content).
    column_number: 1-based position of the column in the table.
    """

    column: str
    kind: str
    by: str
    position: int | None = None
    count: int = 0
    column_number: int = 0


#: Words that may stand beside a personal keyword in a column name ("borger_cpr", "tlf_nr").
_QUALIFIERS = {
    "nr", "no", "num", "number", "nummer", "id", "kunde", "borger", "borgers", "caller",
    "customer", "citizen", "citizens", "opkalder", "opkalders", "kalder", "til", "fra",
    "from", "to", "a", "b", "e", "s", "e164", "adresse", "address", "addr",
}  # fmt: skip


def column_name_reason(name: str) -> str | None:
    """`CPR`, `PHONE` or `EMAIL` when the column's name says so, else ``None``.

    The name matches when, taken whole (separators removed) or as its tokens, it is a personal
    keyword possibly qualified by number words (``tlf_nr``, ``borger_cpr``, ``caller_id``,
    ``E-mail adresse``); ``phone_time``, ``telefontid`` or ``mail_sent`` do not match.
    """
    text = str(name).strip().casefold()
    parts = [p for p in _SPLIT.split(text) if p]
    if not parts:
        return None
    joined = "_".join(parts)
    for kind, names in ((CPR, _CPR_NAMES), (PHONE, _PHONE_NAMES), (EMAIL, _EMAIL_NAMES)):
        if joined in names or joined.replace("_", "") in names:
            return kind
        keys = [p for p in parts if p in names]
        if keys and all(p in names or p in _QUALIFIERS for p in parts):
            return kind
    return None


# -- finding values in one text --------------------------------------------------------------


def _blank_times(text: str) -> str:
    """``text`` with date-times, dates and clock times replaced by as many spaces (so that the
    positions of what remains are those of the original)."""
    return _STRIP_TIMES.sub(lambda m: " " * len(m.group(0)), text)


def _is_compact_date(digits: str) -> bool:
    if len(digits) != 8 or not digits.startswith(("19", "20")):
        return False
    try:
        pd.Timestamp(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")
    except ValueError:
        return False
    return True


def _cpr_matches(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, written_with_separator) of each valid CPR number in ``text``."""
    found = []
    for match in _CPR_TOKEN.finditer(_blank_times(text)):
        if cpr.is_valid(match.group(1) + match.group(3)):
            found.append((match.start(), match.end(), bool(match.group(2))))
    return found


def _phone_matches(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, written_as_phone_number) of each phone number in ``text``."""
    cleaned = _blank_times(text)
    if not _CANDIDATE.search(cleaned):
        return []
    found = []
    for match in phonenumbers.PhoneNumberMatcher(cleaned, "DK"):
        raw = match.raw_string
        if _is_compact_date(re.sub(r"\D", "", raw)):
            continue
        if _DECIMAL_BEFORE.search(cleaned[: match.start]) or _DECIMAL_AFTER.match(
            cleaned[match.end :]
        ):
            continue  # the digits of a decimal number (13.004974291721688), not a phone
        written = raw.strip().startswith(("+", "00")) or bool(re.search(r"\d[ \-]\d", raw))
        found.append((match.start, match.end, written))
    return found


def cpr_numbers_in(text: str) -> list[tuple[str, bool]]:
    """Valid CPR numbers in ``text`` as (number as written, written_with_separator).

    A CPR number is six digits of a real birth date (the century from the 7th digit, not in the
    future: ``stdnum.dk.cpr.is_valid``), then nothing or one of ``-``, ``/``, space, ``.``, then
    four digits; it is not part of a longer number or a decimal.
    """
    text = str(text)
    return [(text[a:b], written) for a, b, written in _cpr_matches(text)]


def phone_numbers_in(text: str) -> list[tuple[str, bool]]:
    """Phone numbers in ``text`` (Danish by default) as (raw text, written_as_phone_number).

    ``written_as_phone_number`` is true for a number with a ``+``/``00`` prefix or grouped
    with spaces or dashes; false for a bare run of digits. Eight digits that form a date
    ``YYYYMMDD`` are skipped.
    """
    text = str(text)
    return [(text[a:b], written) for a, b, written in _phone_matches(text)]


def email_addresses_in(text: str) -> list[str]:
    """E-mail addresses (``local@domain.tld``) in ``text``."""
    return _EMAIL.findall(str(text)) if "@" in str(text) else []


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _lost_zero_cpr(text: str) -> bool:
    """Nine bare digits that are a CPR number once the leading zero a spreadsheet dropped is
    put back (``101901234`` for ``0101901234``)."""
    return len(text) == 9 and text.isdigit() and cpr.is_valid("0" + text)


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every CPR number, phone number and e-mail address in ``text``."""
    spans = [(a, b, CPR) for a, b, _ in _cpr_matches(text)]
    spans += [(a, b, PHONE) for a, b, _ in _phone_matches(text)]
    spans += [(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)] if "@" in text else []
    return sorted(spans)


def personal_kind(value: object) -> str | None:
    """The kind of personal data one value holds, judged alone, or ``None``.

    Stricter than the column screen, which may let a bare eight-digit number pass in a column
    of counts: alone, any CPR number, any phone number (bare eight digits too) and any e-mail
    address count, and a number (not a text) of nine digits that is a CPR number with its
    leading zero. For values about to be quoted in a message, and for header cells.

    >>> personal_kind("010190/1234"), personal_kind("jens@kk.dk"), personal_kind("Dagpenge")
    ('CPR numbers', 'e-mail addresses', None)
    """
    text = _cell_text(value)
    if _is_number(value) and _lost_zero_cpr(text):
        return CPR
    found = _spans(text)
    if not found:
        return None
    kinds = {kind for _, _, kind in found}
    return next(kind for kind in (CPR, PHONE, EMAIL) if kind in kinds)


def describe_kind(kind: str) -> str:
    """``"a CPR number"``, ``"a phone number"`` or ``"an e-mail address"``."""
    return _ARTICLE[kind]


def redact(text: str) -> str:
    """``text`` with every CPR number, phone number and e-mail address replaced by a note of
    its kind (``[CPR number not shown]``); for messages that quote a cell.

    >>> redact("found '010190-1234'; expected hours")
    "found '[CPR number not shown]'; expected hours"
    """
    text = str(text)
    out: list[str] = []
    end = 0
    for start, stop, kind in _spans(text):
        if start < end:  # overlaps the previous one (a CPR number is also digits of a phone)
            end = max(end, stop)
            continue
        out.append(text[end:start])
        out.append(f"[{_ARTICLE[kind].split(' ', 1)[1]} not shown]")
        end = stop
    out.append(text[end:])
    return "".join(out)


# -- judging a column ------------------------------------------------------------------------


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


def _digit_candidates(uniq: pd.Series) -> np.ndarray:
    """Per distinct value: holds eight or more digits that may form a CPR or phone number."""
    candidate = np.zeros(len(uniq), dtype=bool)
    maybe = np.flatnonzero((uniq.str.len() >= 8).to_numpy(dtype=bool))
    if len(maybe):
        # vectorised in Arrow (RE2): the regexes have no look-arounds
        part = uniq.iloc[maybe].astype("string[pyarrow]")
        digits = part.str.count(r"\d").to_numpy(dtype=np.int64)
        stripped = part.str.replace(_STRIP_TIMES.pattern, " ", regex=True)
        hit = stripped.str.contains(_CANDIDATE.pattern, regex=True).to_numpy(dtype=bool)
        candidate[maybe] = (digits >= 8) & hit
    return candidate


@dataclass(frozen=True)
class _Column:
    """One column's distinct values as text, and what the judge needs to know about them."""

    codes: np.ndarray
    uniq: pd.Series
    digits: np.ndarray  # per distinct value: a digit candidate
    at_sign: np.ndarray  # per distinct value: holds an '@'

    @property
    def nonblank(self) -> np.ndarray:
        return (self.uniq != "").to_numpy()[self.codes]

    def letters(self, i: int) -> bool:
        return bool(_HAS_LETTERS.search(self.uniq.iloc[i]))


def _classify(column: _Column, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct value: (strong, weak) hits of ``kind``.

    Strong: written with a separator or prefix, inside text with letters, or an e-mail
    address; weak: a bare run of digits.
    """
    n = len(column.uniq)
    strong = np.zeros(n, dtype=bool)
    weak = np.zeros(n, dtype=bool)
    if kind == EMAIL:
        for i in np.flatnonzero(column.at_sign):
            strong[i] = bool(email_addresses_in(column.uniq.iloc[i]))
        return strong, weak
    finder = _cpr_matches if kind == CPR else _phone_matches
    for i in np.flatnonzero(column.digits):
        text = column.uniq.iloc[i]
        hits = finder(text)
        if hits:
            if any(written for _, _, written in hits) or column.letters(i):
                strong[i] = True
            else:
                weak[i] = True
        elif kind == CPR and _lost_zero_cpr(text):
            weak[i] = True
    return strong, weak


def _mostly_long_numbers(column: _Column) -> bool:
    """At least half of the non-empty cells are bare numbers of eight digits or more."""
    nonblank = column.nonblank
    n_rows = int(nonblank.sum())
    long_u = column.uniq.str.fullmatch(_LONG_BARE).to_numpy(dtype=bool)
    return bool(n_rows) and long_u[column.codes][nonblank].sum() >= 0.5 * n_rows


def _weak_hits_count(column: _Column, weak_rows: np.ndarray) -> bool:
    """Bare numbers flag a column when they are at least half of its non-empty cells and the
    column is not a sequence of ids or epoch seconds rising by small steps."""
    nonblank = column.nonblank
    n_rows = int(nonblank.sum())
    if not n_rows or weak_rows.sum() < 0.5 * n_rows:
        return False
    bare = column.uniq.str.fullmatch(_BARE_DIGITS).to_numpy(dtype=bool)
    if bare[column.codes][nonblank].all():
        as_number = pd.to_numeric(column.uniq.str.lstrip("+"), errors="coerce").to_numpy()
        if _rising(as_number[column.codes][nonblank].astype(float)):
            return False
    return True


def _judge(column: _Column, kind: str) -> tuple[str, int, int] | None:
    """(kind, first position, count) when the column holds personal data of ``kind``."""
    strong, weak = _classify(column, kind)
    rows = strong[column.codes]
    if not rows.any() and weak.any():
        weak_rows = weak[column.codes]
        lone_cpr_counts = kind == CPR and not _mostly_long_numbers(column)
        if lone_cpr_counts or _weak_hits_count(column, weak_rows):
            rows = weak_rows
    if not rows.any():
        return None
    return kind, int(np.flatnonzero(rows)[0]), int(rows.sum())


def _scan_column(
    values: pd.Series, factored: tuple[np.ndarray, pd.Series] | None = None
) -> tuple[str, int, int] | None:
    """(kind, first position, count) when the column's content looks personal."""
    if factored is None:
        factored = _factor_text(values)
    if factored is None or not len(values):
        return None
    codes, uniq = factored
    digits = _digit_candidates(uniq)
    at_sign = uniq.str.contains("@", regex=False).to_numpy(dtype=bool)
    if not digits.any() and not at_sign.any():
        return None
    column = _Column(codes, uniq, digits, at_sign)
    for kind in (CPR, PHONE, EMAIL):
        hit = _judge(column, kind)
        if hit is not None:
            return hit
    return None


def find_personal_data(
    frame: pd.DataFrame,
    *,
    skip: tuple[str, ...] = (),
    factored: Mapping[str, tuple[np.ndarray, pd.Series]] | None = None,
    by_name: bool = True,
) -> list[PersonalDataFinding]:
    """Columns of ``frame`` that hold CPR numbers, phone numbers or e-mail addresses, by name,
    header cell or content.

    ``skip`` names columns not to scan by content (e.g. a column already parsed as times).
    ``factored`` may give, per column, the codes per row and the distinct values as stripped
    text (saves the work when the caller has them already). ``by_name=False`` leaves out the
    judgement by column name (for a reader that refuses unknown columns by itself first).
    """
    findings: list[PersonalDataFinding] = []
    for number, col in enumerate(frame.columns, start=1):
        reason = column_name_reason(str(col)) if by_name else None
        if reason is not None:
            findings.append(PersonalDataFinding(str(col), reason, "name", column_number=number))
            continue
        header = personal_kind(col)
        if header is not None:
            findings.append(PersonalDataFinding("", header, "header", column_number=number))
            continue
        if col in skip:
            continue
        hit = _scan_column(frame.iloc[:, number - 1], (factored or {}).get(col))
        if hit is not None:
            kind, position, count = hit
            findings.append(PersonalDataFinding(str(col), kind, "content", position, count, number))
    return findings


def _finding_line(f: PersonalDataFinding, name: str, rows: np.ndarray | None) -> str:
    """One message line for a finding: file, row and column, kind, why; never the value."""
    if f.by == "name":
        return (
            f"{name}: column '{f.column}' looks like {f.kind} (by its name); "
            f"{PERSONAL_DATA_REASON}: remove the column and load the file again"
        )
    if f.by == "header":
        return (
            f"{name}: row 1, column {f.column_number} (the header) holds what looks like "
            f"{_ARTICLE[f.kind]} (value not shown); {PERSONAL_DATA_REASON}: remove it, give "
            "the file its header row and load it again"
        )
    position = int(f.position or 0)
    row = int(rows[position]) if rows is not None else position + 2
    more = f"; {f.count - 1} more rows like it" if f.count > 1 else ""
    return (
        f"{name}: row {row}, column '{f.column}' holds what looks like "
        f"{_ARTICLE[f.kind]} (value not shown{more}); {PERSONAL_DATA_REASON}: "
        "remove it and load the file again"
    )


def personal_data_problems(
    frame: pd.DataFrame,
    *,
    name: str = "data",
    rows: np.ndarray | None = None,
    skip: tuple[str, ...] = (),
    factored: Mapping[str, tuple[np.ndarray, pd.Series]] | None = None,
    by_name: bool = True,
) -> list[str]:
    """One message line per column of ``frame`` that looks personal.

    Each line names the file, the column (and, for content, the first row as given by
    ``rows``: spreadsheet row numbers, default position + 2, with the count of further rows),
    the kind of data and why it is refused; it never echoes the value.
    """
    findings = find_personal_data(frame, skip=skip, factored=factored, by_name=by_name)
    return [_finding_line(f, name, rows) for f in findings]


def check_personal_data(
    frame: pd.DataFrame,
    *,
    name: str = "data",
    rows: np.ndarray | None = None,
    skip: tuple[str, ...] = (),
    by_name: bool = True,
) -> None:
    """Raise `InputError` when a column of ``frame`` looks personal.

    The message is the first line of `personal_data_problems`, plus how many other columns
    were found. ``frame.iloc[:0]`` with ``by_name=False`` checks the header cells alone.
    """
    lines = personal_data_problems(frame, name=name, rows=rows, skip=skip, by_name=by_name)
    if not lines:
        return
    more = f" ({len(lines) - 1} more personal columns)" if len(lines) > 1 else ""
    raise InputError(lines[0] + more)


# -- documents (TOML) ------------------------------------------------------------------------


#: Characters `str.splitlines` breaks a line at: a message quoting them would not be one line.
_LINE_BREAKS = {c: repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def one_line(text: str) -> str:
    """``text`` with its line breaks written as escapes (``\\n``), for a one-line message.

    >>> one_line("A\\n01")
    'A\\\\n01'
    """
    return "".join(_LINE_BREAKS.get(c, c) for c in str(text))


def one_line_messages(reader: Callable[P, R]) -> Callable[P, R]:
    """A reader whose `InputError` messages are one line whatever the file holds: a line
    break inside a quoted cell, key or file name is written as an escape (`one_line`)."""

    @functools.wraps(reader)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return reader(*args, **kwargs)
        except InputError as exc:
            message = str(exc)
            if one_line(message) == message:
                raise
            raise InputError(one_line(message)) from None

    return wrapped


def key_name(key: object) -> str:
    """A TOML key as a message shows it: bare (``name``) or quoted as TOML quotes it, on one
    line (``"a b"``, ``"x\\ny"``)."""
    text = str(key)
    if _BARE_KEY.fullmatch(text):
        return text
    return one_line(json.dumps(text, ensure_ascii=False))


def _key_path(parent: str, key: object) -> str:
    """``parent.key`` (``key`` alone at the top level), each key as `key_name` shows it; a
    key that is itself personal data is not shown."""
    shown = "[key not shown]" if personal_kind(key) is not None else key_name(key)
    return f"{parent}.{shown}" if parent else shown


def _document_values(document: object, path: str = "") -> list[tuple[str, object, bool]]:
    """(key path, value, is_key_name) of every key and leaf value of a parsed TOML document.

    Tables give their keys (``is_key_name``; the path is then the table's) and values; arrays
    their items as ``key[1]``, ``key[2]`` ... (counted from 1, as the readers' messages do).
    Walked with a stack, not recursion: a document nested a thousand deep does not overflow.
    """
    out: list[tuple[str, object, bool]] = []
    stack: list[tuple[str, object]] = [(path, document)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, Mapping):
            items = list(value.items())
            for key, inner in reversed(items):
                stack.append((_key_path(where, key), inner))
            out.extend((where, key, True) for key, _ in items)
        elif isinstance(value, list | tuple):
            for i, inner in reversed(list(enumerate(value, start=1))):
                stack.append((f"{where}[{i}]", inner))
        else:
            out.append((where, value, False))
    return out


def personal_document_problems(document: object, *, name: str = "data") -> list[str]:
    """One message line per key or value of a parsed TOML document that looks personal.

    Text values (names, descriptions, agent ids, queue names), numbers (a CPR number typed as
    a number has lost its leading zero: ``agent = 101901234``) and key names are judged alone
    (`personal_kind`: any CPR number, phone number or e-mail address); dates, times and
    booleans are not personal. Each line names the file and the key, the kind of data and why
    it is refused; it never echoes the value (nor, for a key name, the key).
    """
    lines = []
    for where, value, is_key in _document_values(document):
        if isinstance(value, bool) or not isinstance(value, str | numbers.Number):
            continue
        kind = personal_kind(value)
        if kind is None:
            continue
        if is_key:
            place = f"in table '{where}'" if where else "at the top level"
            lines.append(
                f"{name}: a key name {place} holds what looks like {_ARTICLE[kind]} (value "
                f"not shown); {PERSONAL_DATA_REASON}: remove it and load the file again"
            )
        else:
            lines.append(
                f"{name}: key '{where}' holds what looks like {_ARTICLE[kind]} (value not "
                f"shown); {PERSONAL_DATA_REASON}: remove it and load the file again"
            )
    return lines


def check_personal_document(document: object, *, name: str = "data") -> None:
    """Raise `InputError` when a key or value of a parsed TOML document looks personal.

    The message is the first line of `personal_document_problems`, plus how many other keys
    were found.

    >>> check_personal_document({"scenario": [{"name": "Syg", "agents": ["A1"]}]}, name="s.toml")
    >>> try:
    ...     check_personal_document({"scenario": [{"name": "ring 20 30 40 50"}]}, name="s.toml")
    ... except InputError as exc:
    ...     print(exc)
    s.toml: key 'scenario[1].name' holds what looks like a phone number (value not shown); \
the planner needs no personal data and must not store any: remove it and load the file again
    """
    lines = personal_document_problems(document, name=name)
    if not lines:
        return
    more = f" ({len(lines) - 1} more personal values)" if len(lines) > 1 else ""
    raise InputError(lines[0] + more)
