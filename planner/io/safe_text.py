"""User text made safe for the files it is written into: CSV cells, calendar text, file names.

Agent ids, team and queue names come from the planner's files and reach exports unchanged; some
of them may be crafted (a tester's agent named ``=HYPERLINK("https://...","Se din vagt")``) or
merely odd (``A.01`` beside ``A_01``, an id with a line break). Each export makes them safe for
its own format:

- CSV (`defuse_formula`, `defuse_text_columns`): a spreadsheet opening a CSV file runs a cell
  that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula. As the
  OWASP "CSV Injection" page advises, such a text cell gets a leading single quote (``'=...``),
  which spreadsheets show as text. A carriage return inside a text cell also becomes a line
  feed: pandas quotes a cell with a line feed, but not one with a lone carriage return, which
  readers take for the end of the row. Only text cells are touched: numbers (``-4``), times
  and dates keep their form, so that the file still reads back as the contract.
- iCalendar (`calendar_text`): control characters (a line break in an id) are replaced, since
  they may not stand in a calendar's text values and some properties are written unescaped.
- File names (`unique_file_stems`): one name per id, made of letters, digits, ``-`` and ``_``
  only, unique even when ids differ only in punctuation or case (``A.01``, ``A_01``, ``a_01``
  would all become ``A_01`` and overwrite each other's file, also on case-insensitive file
  systems): ids that share a name each get a short stable hash of the id.

Excel needs no text changed: `planner.io.exports` writes strings as strings (xlsxwriter with
``strings_to_formulas`` and ``strings_to_urls`` off), never as formulas or links.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "defuse_formula",
    "csv_text",
    "defuse_text_columns",
    "calendar_text",
    "short_hash",
    "unique_file_stems",
]

#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE_IN_NAME = re.compile(r"[^\w\-]", re.UNICODE)
#: Names Windows reserves for devices, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
_MAX_STEM = 60


def defuse_formula(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula.

    >>> defuse_formula('=HYPERLINK("https://x","Se din vagt")')
    '\\'=HYPERLINK("https://x","Se din vagt")'
    >>> defuse_formula("Dagpenge")
    'Dagpenge'
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_text(text: str) -> str:
    """A text cell made safe for CSV: `defuse_formula`, then line breaks as line feeds.

    >>> csv_text("\\r=1+1")
    "'\\n=1+1"
    """
    return defuse_formula(text).replace("\r\n", "\n").replace("\r", "\n")


def _is_text_column(values: pd.Series) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values.dtype)


def defuse_text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are safe to write as CSV and open in a spreadsheet
    (`csv_text`).

    Only ``str`` cells of text columns change; numbers, booleans, dates and times (also when
    held in a text column as such objects) are written as they are.
    """
    out = frame.copy()
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if not _is_text_column(values):
            continue
        defused = values.map(lambda v: csv_text(v) if isinstance(v, str) else v)
        out.isetitem(position, defused.astype(values.dtype))
    return out


def calendar_text(text: str) -> str:
    """``text`` with control characters (line breaks, tabs ...) replaced by spaces, for
    iCalendar text values.

    >>> calendar_text("A\\n01")
    'A 01'
    """
    return _CONTROL.sub(" ", str(text))


def short_hash(text: str) -> str:
    """Eight hex digits of the SHA-256 of ``text``: the same id always gets the same one."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _stem(text: str) -> str:
    """A file name stem for ``text``: letters, digits, ``-`` and ``_``; never empty, never
    starting with ``-`` (read as an option by command-line tools) nor a reserved device name.
    """
    name = _UNSAFE_IN_NAME.sub("_", unicodedata.normalize("NFC", str(text)))
    name = name.lstrip("-")[:_MAX_STEM] or "agent"
    return name + "_" if name.casefold() in _RESERVED else name


def unique_file_stems(ids: Iterable[str]) -> dict[str, str]:
    """A safe, unique file name stem per distinct id (see the module docstring).

    An id keeps its plain stem (``A1`` -> ``A1``, ``Jens H.`` -> ``Jens_H_``) unless another id
    has the same stem, ignoring case; then each of them gets ``-`` and a short hash of the id
    (``A.01`` -> ``A_01-<hash>``, ``A_01`` -> ``A_01-<hash>``), the same in every export.

    >>> unique_file_stems(["A1", "A2"])
    {'A1': 'A1', 'A2': 'A2'}
    """
    distinct = list(dict.fromkeys(str(i) for i in ids))
    stems = {i: _stem(i) for i in distinct}
    groups: dict[str, list[str]] = {}
    for i, stem in stems.items():
        groups.setdefault(stem.casefold(), []).append(i)
    out: dict[str, str] = {}
    for members in groups.values():
        for i in members:
            out[i] = stems[i] if len(members) == 1 else f"{stems[i]}-{short_hash(i)}"
    return _number_leftover_clashes(out)


def _number_leftover_clashes(stems: dict[str, str]) -> dict[str, str]:
    """Add ``-2``, ``-3`` ... to a stem still taken (an id that is literally another id's
    stem with its hash: possible, never seen)."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for i, stem in stems.items():
        name, n = stem, 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name.casefold())
        out[i] = name
    return out
