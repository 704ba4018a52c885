"""Reading the agents table (the people a roster plans).

Every problem raises `planner.errors.InputError` with one line naming the file, the row (as a
spreadsheet counts: the header is row 1) and the column, what was found and what was expected.

Agents (DESIGN.md): ``agent_id, team, skills, weekly_hours`` and optional ``earliest_start,
latest_end, unavailable, preferences``. Other columns are refused (the planner needs no phone
numbers, addresses or other personal data; an unknown column is most often a typo, so the
message suggests the closest known name). ``skills`` and ``unavailable`` are ``;``-separated;
``unavailable`` holds ISO dates (booked holidays); ``preferences`` the forms of
`staffing.agents.PREFERENCE_FORMS`.

Personal data: the header cells first, then, once the columns are known to be the contract's
and before any cell is read, every column (``agent_id``, ``team``, ``skills``,
``preferences`` ...) is screened with `planner.io.pii`: a CPR number in any written form, a
phone number or an e-mail address is refused with a message naming the row, the column and the
kind of data, never the value. An agent id may be a pseudonym (``A01``), the employee's
initials (``JH``) or name (``Jens H.``): a roster is about people, and the planner plans
colleagues by name. It may not be a CPR number, phone number or e-mail address: those identify
a person outside the roster and are never needed to plan it. No other message of this reader
quotes a value that looks like personal data either (`planner.io.pii.redact`).

Also refused: agent ids that differ only in upper/lower case or spaces (``A01`` and ``a01``
would be two agents); then what `planner.io.schemas.AgentsSchema` says of the types and ranges:
an id, skills and contract hours in (0, 60] in every row, each agent once, ``earliest_start`` /
``latest_end`` clock times from 00:00 to 24:00 on whole minutes of the 5-minute grid (not
``08:07``), the latest end after the earliest start. In an Excel workbook, an
``earliest_start`` or ``latest_end`` column of bare numbers from 0 to 1 is Excel's fractions of
a day, time cells that lost their format (``0.3333`` is ``08:00``,
`planner.io.tables.day_fraction_clock`); in a CSV file such numbers are refused. A CSV text
cell our exports escaped against formulas (``'=...``) reads back as the original text
(`planner.io.forecast.undo_csv_escape`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from centre.parsing import parse_skills
from planner.errors import InputError
from planner.io.forecast import check_one_spelling, undo_csv_escape
from planner.io.pii import (
    PERSONAL_DATA_REASON,
    check_personal_data,
    describe_kind,
    one_line_messages,
    personal_kind,
    redact,
)
from planner.io.schemas import AgentsSchema, check_frame
from planner.io.tables import Table, day_fraction_clock, load_table, parse_numbers
from staffing.agents import parse_preferences

__all__ = [
    "AGENT_REQUIRED",
    "AGENT_OPTIONAL",
    "read_agents",
    "validate_agents",
]

AGENT_REQUIRED = ("agent_id", "team", "skills", "weekly_hours")
AGENT_OPTIONAL = ("earliest_start", "latest_end", "unavailable", "preferences")


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


#: A clock time as typed: ``08:00``, ``8.00``, ``08:00:00`` (two digits of minutes, so that
#: ``8.5`` or a day fraction ``0.3333`` is not read as 08:05 or 00:33).
_CLOCK_SHAPE = re.compile(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?")


def _check_columns(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A copy with stripped column names; refuses unknown and missing columns and no rows.

    A header cell that holds personal data is refused first, so that the unknown-column
    message, which quotes the header, never repeats it.
    """
    check_personal_data(frame.iloc[:0], name=name, by_name=False)
    columns = [str(c).strip() for c in frame.columns]
    frame = frame.copy()
    frame.columns = columns
    known = AGENT_REQUIRED + AGENT_OPTIONAL
    for column in columns:
        if column not in known:
            raise InputError(
                f"{name}: unknown column '{column}'{_suggest(column, known)}; expected "
                f"{', '.join(AGENT_REQUIRED)} and optionally {', '.join(AGENT_OPTIONAL)} "
                "(the planner needs no contact details or other personal data)"
            )
    missing = [c for c in AGENT_REQUIRED if c not in columns]
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(missing)}")
    if frame.empty:
        raise InputError(f"{name}: no agents; expected one row per agent")
    return frame


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text, empty for missing cells (and for a missing column)."""
    if column not in frame:
        return pd.Series([""] * len(frame), index=frame.index)
    return (
        frame[column]
        .map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
        .str.strip()
    )


@dataclass(frozen=True)
class _Where:
    """The file and spreadsheet row a message names."""

    name: str
    row: int

    def error(self, column: str, message: str) -> InputError:
        """An InputError naming the file, row and column, then ``message``.

        Anything in ``message`` that looks like personal data is taken out (`redact`): the
        message may quote a cell.
        """
        return InputError(f"{self.name}: row {self.row}, column '{column}': {redact(message)}")

    def fail(self, column: str, found: str, expected: str) -> InputError:
        """An InputError saying what was found in the cell and what was expected."""
        return self.error(column, f"found {_shown(found)}; expected {expected}")


def _shown(found: str) -> str:
    """A cell's text as a message quotes it; a value that looks personal is described, not
    quoted (a planner needs no personal data, so no message should repeat it)."""
    kind = personal_kind(found)
    if kind is None:
        return repr(found)
    return f"what looks like {describe_kind(kind)} (value not shown; {PERSONAL_DATA_REASON})"


def _clock_minutes(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Clock cells as minutes after midnight (seconds as fractions; an empty cell NaN), and
    the cells that are no clock time (``8.00am``, a day fraction ``0.3333`` in a CSV file).

    The range (00:00 to 24:00) and the grid are the schema's (`AgentsSchema`).
    """
    minutes = np.full(len(texts), np.nan)
    unreadable = np.zeros(len(texts), dtype=bool)
    for pos, text in enumerate(texts):
        if not text:
            continue
        if not _CLOCK_SHAPE.fullmatch(text):
            unreadable[pos] = True
            continue
        hours, mins, *secs = (int(part) for part in re.split(r"[:.]", text))
        seconds = secs[0] if secs else 0
        if mins >= 60 or seconds >= 60:
            unreadable[pos] = True
            continue
        minutes[pos] = hours * 60 + mins + seconds / 60
    return minutes, unreadable


def _skills(texts: pd.Series) -> pd.Series:
    """Each agent's skills, each once, ``;``-separated (``None`` when none is listed)."""
    return pd.Series(
        [";".join(parse_skills(text)) or None for text in texts], index=texts.index, dtype=object
    )


def _check_skill_names(skills: pd.Series, queues: set[str], name: str, rows: np.ndarray) -> None:
    """Refuse a skill that is not a planned queue but looks like one (a typo)."""
    for pos, listed in enumerate(skills):
        for skill in str(listed).split(";"):
            if skill in queues:
                continue
            close = difflib.get_close_matches(skill, sorted(queues), n=1, cutoff=0.8)
            if close:
                where = _Where(name, int(rows[pos]))
                raise where.fail("skills", skill, f"a queue name, e.g. '{close[0]}'")


def _unavailable(texts: pd.Series, name: str, rows: np.ndarray) -> list[str]:
    """Each agent's ISO dates (``;``-separated; empty items skipped), sorted, each once."""
    out = []
    for pos, text in enumerate(texts):
        dates = set()
        for item in text.split(";"):
            item = item.strip()
            if not item:
                continue
            try:
                dates.add(dt.date.fromisoformat(item))
            except ValueError:
                where = _Where(name, int(rows[pos]))
                raise where.fail(
                    "unavailable", item, "dates like 2026-07-06 separated by ';'"
                ) from None
        out.append(";".join(d.isoformat() for d in sorted(dates)))
    return out


def _preferences(texts: pd.Series, name: str, rows: np.ndarray) -> list[str]:
    """Each agent's wishes as `staffing.agents.parse_preferences` writes them."""
    out = []
    for pos, text in enumerate(texts):
        try:
            out.append(";".join(p.token for p in parse_preferences(text)))
        except ValueError as exc:
            raise _Where(name, int(rows[pos])).error("preferences", str(exc)) from None
    return out


def _fmt(minutes: float) -> str:
    """Minutes after midnight as ``HH:MM``; empty for NaN."""
    if math.isnan(minutes):
        return ""
    whole = int(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"


@one_line_messages
def validate_agents(
    frame: pd.DataFrame,
    *,
    name: str = "agents",
    rows: np.ndarray | None = None,
    queues: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Check an agents table and return it in the contract's form (text columns, hours float).

    Personal data in any column is refused before the cells are read
    (`planner.io.pii.check_personal_data`; headers before the unknown-column check). Then one
    spelling per agent id; the types and ranges of `planner.io.schemas.AgentsSchema` (an id,
    skills and contract hours in every row, each agent once, clock times on the 5-minute grid,
    the latest end after the earliest start); the dates of ``unavailable`` and the wishes of
    ``preferences``.

    ``queues``: the queues being planned; a skill that is not one of them but looks like one
    (a typo) is refused, naming the queue meant. Skills of other queues are allowed.
    """
    rows = rows if rows is not None else np.arange(len(frame)) + 2
    frame = _check_columns(frame, name).reset_index(drop=True)
    check_personal_data(frame, name=name, rows=rows)
    texts = {column: _text(frame, column) for column in AGENT_REQUIRED + AGENT_OPTIONAL}
    ids = texts["agent_id"].where(texts["agent_id"] != "", None)
    check_one_spelling(ids, name, rows, "agent_id", what="agent")
    typed = pd.DataFrame(
        {
            "agent_id": ids,
            "team": texts["team"].where(texts["team"] != "", None),
            "skills": _skills(texts["skills"]),
        }
    )
    unreadable = {}
    typed["weekly_hours"], unreadable["weekly_hours"] = parse_numbers(frame["weekly_hours"])
    for column in ("earliest_start", "latest_end"):
        typed[column], unreadable[column] = _clock_minutes(texts[column])
    cells = {column: texts[column] for column in AGENT_REQUIRED + AGENT_OPTIONAL}
    cells["weekly_hours"] = frame["weekly_hours"]
    check_frame(AgentsSchema, typed, name=name, rows=rows, cells=cells, unreadable=unreadable)
    out = pd.DataFrame(
        {
            "agent_id": texts["agent_id"],
            "team": texts["team"],
            "skills": typed["skills"],
            "weekly_hours": typed["weekly_hours"],
            "earliest_start": [_fmt(m) for m in typed["earliest_start"]],
            "latest_end": [_fmt(m) for m in typed["latest_end"]],
            "unavailable": _unavailable(texts["unavailable"], name, rows),
            "preferences": _preferences(texts["preferences"], name, rows),
        }
    )
    if queues is not None:
        _check_skill_names(out["skills"], set(queues), name, rows)
    return out


@one_line_messages
def read_agents(
    path: str | Path,
    *,
    data: bytes | None = None,
    name: str | None = None,
    queues: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read and check an agents file (CSV, .xlsx or .parquet); see `validate_agents`.

    A workbook's ``earliest_start`` / ``latest_end`` column of bare day fractions is read as
    clock times (`_excel_fractions`); a CSV text cell our exports escaped reads back as typed.
    """
    table = load_table(path, data=data, name=name)
    frame = _excel_fractions(table) if table.kind == "xlsx" else undo_csv_escape(table)
    return validate_agents(frame, name=table.name, rows=table.rows, queues=queues)


def _excel_fractions(table: Table) -> pd.DataFrame:
    """A workbook's clock columns with bare day fractions as clock times (``0.3333``: 08:00).

    Excel keeps a time as a fraction of a day; a column of time cells whose format was lost
    (or typed as numbers) reaches us as numbers from 0 to 1. Only a whole column of such
    numbers (blank cells aside) is taken as times: a column that mixes them with text is read
    as it is, and refused cell by cell.
    """
    frame = table.frame.copy()
    for column in ("earliest_start", "latest_end"):
        if column not in frame.columns:
            continue
        values = frame[column]
        present = [v for v in values if not _blank(v)]
        numeric = all(
            isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
            for v in present
        )
        if not present or not numeric or not all(0 <= float(v) <= 1 for v in present):
            continue
        clocks = ["" if _blank(v) else day_fraction_clock(float(v)) for v in values]
        frame[column] = pd.Series(clocks, index=values.index, dtype=object)
    return frame


def _blank(value: object) -> bool:
    """An empty cell: None, NaN or text of spaces."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return isinstance(value, str) and not value.strip()
