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
would be two agents), and ``earliest_start`` / ``latest_end`` off whole minutes of the 5-minute
grid (``08:07``). In an Excel workbook, an ``earliest_start`` or ``latest_end`` column of bare
numbers from 0 to 1 is Excel's fractions of a day, time cells that lost their format
(``0.3333`` is ``08:00``, `planner.io.tables.day_fraction_clock`); in a CSV file such numbers
are refused. A CSV text cell our exports escaped against formulas (``'=...``) reads back as the
original text (`planner.io.forecast.undo_csv_escape`).
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

from centre.parsing import parse_clock, parse_skills
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
from planner.io.tables import Table, day_fraction_clock, load_table
from staffing.agents import parse_preferences

__all__ = [
    "AGENT_REQUIRED",
    "AGENT_OPTIONAL",
    "read_agents",
    "validate_agents",
]

AGENT_REQUIRED = ("agent_id", "team", "skills", "weekly_hours")
AGENT_OPTIONAL = ("earliest_start", "latest_end", "unavailable", "preferences")
#: Clock times of the agents file are on whole minutes of this grid.
_GRID_MINUTES = 5


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


#: A clock time as typed: ``08:00``, ``8.00``, ``08:00:00`` (two digits of minutes, so that
#: ``8.5`` or a day fraction ``0.3333`` is not read as 08:05 or 00:33).
_CLOCK_SHAPE = re.compile(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?")


def _clock(text: str) -> int | None:
    """Minutes after midnight of a non-empty clock cell (`centre.parsing.parse_clock`)."""
    if not text.strip():
        return None
    if not _CLOCK_SHAPE.fullmatch(text.strip()):
        raise ValueError(f"clock time must look like 'HH:MM'; got {text!r}")
    return parse_clock(text)


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
class _Cells:
    """One agent row's cells as stripped text, in the order of the contract's columns."""

    agent_id: str
    team: str
    skills: str
    weekly_hours: str
    earliest_start: str
    latest_end: str
    unavailable: str
    preferences: str


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


def _check_agent_id(agent_id: str, seen: dict[str, int], where: _Where) -> None:
    """The id is present and not seen before; records it in ``seen``."""
    if not agent_id:
        raise where.fail("agent_id", agent_id, "an agent id (a pseudonym like A01)")
    if agent_id in seen:
        raise where.error(
            "agent_id",
            f"agent '{agent_id}' appears again (first in row {seen[agent_id]}); "
            "expected one row per agent",
        )
    seen[agent_id] = where.row


def _skills(text: str, queue_set: set[str] | None, where: _Where) -> list[str]:
    """The listed skills; refuses none and a skill that looks like a typo of a planned queue."""
    skill_list = parse_skills(text)
    if not skill_list:
        raise where.fail("skills", text, "queue names separated by ';'")
    if queue_set is not None:
        for skill in skill_list:
            if skill in queue_set:
                continue
            close = difflib.get_close_matches(skill, sorted(queue_set), n=1, cutoff=0.8)
            if close:
                raise where.fail("skills", skill, f"a queue name, e.g. '{close[0]}'")
    return skill_list


def _weekly_hours(text: str, where: _Where) -> float:
    """Contract hours a week, in (0, 60]; a decimal comma is accepted."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise where.fail("weekly_hours", text, "contract hours a week, like 37") from None
    if not 0 < value <= 60 or math.isnan(value):
        raise where.fail("weekly_hours", text, "contract hours a week in (0, 60]")
    return value


def _clocks(early: str, late: str, where: _Where) -> tuple[int | None, int | None]:
    """Earliest start and latest end in minutes after midnight (None if empty), start first;
    on whole minutes of the 5-minute grid."""
    clocks = {}
    for column, raw in (("earliest_start", early), ("latest_end", late)):
        try:
            clocks[column] = _clock(raw)
        except ValueError:
            raise where.fail(column, raw, "a clock time like 08:00, or empty") from None
        minute = clocks[column]
        seconds = raw.replace(".", ":").split(":")[2:]
        if minute is not None and (minute % _GRID_MINUTES or any(s.strip("0") for s in seconds)):
            raise where.fail(
                column, raw, f"a clock time on the {_GRID_MINUTES}-minute grid like 08:00 or 08:05"
            )
    start, end = clocks["earliest_start"], clocks["latest_end"]
    if start is not None and end is not None and start >= end:
        raise where.fail("latest_end", late, f"a time after earliest_start {early}")
    return start, end


def _unavailable(text: str, where: _Where) -> list[dt.date]:
    """The ISO dates of a ``;``-separated list (empty items skipped)."""
    dates = []
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        try:
            dates.append(dt.date.fromisoformat(item))
        except ValueError:
            raise where.fail(
                "unavailable", item, "dates like 2026-07-06 separated by ';'"
            ) from None
    return dates


def _fmt(minutes: int | None) -> str:
    """Minutes after midnight as ``HH:MM``; empty for None."""
    return "" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _agent_row(
    cells: _Cells, seen: dict[str, int], queue_set: set[str] | None, where: _Where
) -> dict[str, object]:
    """Check one agent row and return it in the contract's form."""
    _check_agent_id(cells.agent_id, seen, where)
    skill_list = _skills(cells.skills, queue_set, where)
    value = _weekly_hours(cells.weekly_hours, where)
    early, late = _clocks(cells.earliest_start, cells.latest_end, where)
    dates = _unavailable(cells.unavailable, where)
    try:
        parsed = parse_preferences(cells.preferences)
    except ValueError as exc:
        raise where.error("preferences", str(exc)) from None
    return {
        "agent_id": cells.agent_id,
        "team": cells.team,
        "skills": ";".join(dict.fromkeys(skill_list)),
        "weekly_hours": value,
        "earliest_start": _fmt(early),
        "latest_end": _fmt(late),
        "unavailable": ";".join(d.isoformat() for d in sorted(set(dates))),
        "preferences": ";".join(p.token for p in parsed),
    }


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
    (`planner.io.pii.check_personal_data`; headers before the unknown-column check).

    ``queues``: the queues being planned; a skill that is not one of them but looks like one
    (a typo) is refused, naming the queue meant. Skills of other queues are allowed.
    """
    rows = rows if rows is not None else np.arange(len(frame)) + 2
    frame = _check_columns(frame, name)
    check_personal_data(frame, name=name, rows=rows)
    ids = _text(frame, "agent_id")
    check_one_spelling(ids.where(ids != "", None), name, rows, "agent_id", what="agent")
    queue_set = set(queues) if queues is not None else None
    seen: dict[str, int] = {}
    columns = [_text(frame, column) for column in AGENT_REQUIRED + AGENT_OPTIONAL]
    out_rows = [
        _agent_row(_Cells(*values), seen, queue_set, _Where(name, int(rows[pos])))
        for pos, values in enumerate(zip(*columns))
    ]
    return pd.DataFrame(out_rows, columns=list(AGENT_REQUIRED + AGENT_OPTIONAL))


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
