"""The agents table in the app: editing, absence, import and export (the Medarbejdere page).

The page edits the agents contract (DESIGN.md: ``agent_id, team, skills, weekly_hours`` and
optional ``earliest_start, latest_end, unavailable, preferences``) in a table editor. These
pure functions turn the contract's text form into the editor's typed columns and back, and
every table leaving the editor goes through the same reader check as a file
(`planner.io.agents.validate_agents`: personal data, ids, skills, hours, clock times, dates),
so an edited table is accepted exactly when the same table saved as a CSV would be.

Absence (holidays, leave, sickness) is the contract's ``unavailable`` list of dates: the
optimizer gives no shift on them and the roster shows them as absence.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from planner.io.agents import AGENT_OPTIONAL, AGENT_REQUIRED, validate_agents
from planner.io.exports import EXCEL_OPTIONS

__all__ = [
    "AGENTS_KEY",
    "in_use",
    "COLUMNS",
    "EDITOR_NAME",
    "AgentChanges",
    "to_editor",
    "from_editor",
    "add_absence",
    "remove_absence",
    "absence_days",
    "absence_of",
    "changes",
    "agents_excel",
]

#: Session key of the agents table the app plans with (set by the Medarbejdere page).
AGENTS_KEY = "agents:in_use"

#: The contract's columns in file order.
COLUMNS: tuple[str, ...] = AGENT_REQUIRED + AGENT_OPTIONAL
#: How messages name the editor's table (rows are counted from 1 like the editor shows them).
EDITOR_NAME = "the agents table"


class _Session(Protocol):
    def get(self, key: str, /) -> Any: ...


def in_use(session: _Session, default: pd.DataFrame) -> pd.DataFrame:
    """The agents table the app plans with: the one edited on the Medarbejdere page, else
    ``default`` (``data/agents.csv``). ``session`` is Streamlit's session state.

    >>> default = pd.DataFrame({"agent_id": ["A01"]})
    >>> in_use({}, default) is default
    True
    """
    chosen = session.get(AGENTS_KEY)
    return chosen["frame"] if chosen is not None else default


def _split(text: object) -> list[str]:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    return [part.strip() for part in str(text).split(";") if part.strip()]


def to_editor(agents: pd.DataFrame) -> pd.DataFrame:
    """The contract's text table as the editor's typed columns.

    ``skills`` becomes a list of queue names and ``weekly_hours`` a float; the clock times
    (``08:00``; ``24:00`` is allowed as a latest end, which a time picker cannot hold),
    ``unavailable`` and ``preferences`` stay text.

    >>> frame = pd.DataFrame({"agent_id": ["A01"], "team": ["T"], "skills": ["Dagpenge;A-Kasse"],
    ...                       "weekly_hours": ["37"], "earliest_start": ["08:00"]})
    >>> row = to_editor(frame).iloc[0]
    >>> row["skills"], float(row["weekly_hours"]), row["earliest_start"], row["latest_end"]
    (['Dagpenge', 'A-Kasse'], 37.0, '08:00', '')
    """
    out = pd.DataFrame(index=range(len(agents)))
    for column in COLUMNS:
        values = agents[column] if column in agents else pd.Series([""] * len(agents))
        values = values.reset_index(drop=True)
        if column == "skills":
            out[column] = [_split(v) for v in values]
        elif column == "weekly_hours":
            out[column] = pd.to_numeric(values, errors="coerce").astype(float)
        else:
            out[column] = ["" if pd.isna(v) else str(v) for v in values]
    return out


def _text_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple | np.ndarray):
        return ";".join(str(v).strip() for v in value if str(v).strip())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def from_editor(edited: pd.DataFrame, *, queues: Iterable[str] | None = None) -> pd.DataFrame:
    """The editor's table back in the contract's form, checked like a file.

    Rows left wholly blank (an added row never filled in) are dropped; every other row is
    checked by `planner.io.agents.validate_agents`, which raises `planner.errors.InputError`
    naming the row as the editor counts it (from 1), the column, what was found and what was
    expected. ``queues``: the queues being planned (a skill that looks like a typo of one is
    refused).
    """
    text = pd.DataFrame(
        {column: [_text_cell(v) for v in edited.get(column, [])] for column in COLUMNS},
        columns=list(COLUMNS),
    )
    if len(text) == 0 and len(edited):
        text = pd.DataFrame("", index=range(len(edited)), columns=list(COLUMNS))
    filled = (text != "").any(axis=1).to_numpy()
    rows = np.arange(len(text))[filled] + 1
    return validate_agents(
        text[filled].reset_index(drop=True), name=EDITOR_NAME, rows=rows, queues=queues
    )


def absence_days(first: dt.date, last: dt.date, *, weekdays_only: bool = True) -> list[dt.date]:
    """The days from ``first`` to ``last`` (inclusive, either order); weekdays only by default.

    >>> [d.isoformat() for d in absence_days(dt.date(2026, 12, 4), dt.date(2026, 12, 8))]
    ['2026-12-04', '2026-12-07', '2026-12-08']
    """
    if last < first:
        first, last = last, first
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5] if weekdays_only else days


def _with_dates(agents: pd.DataFrame, agent_id: str, change) -> pd.DataFrame:
    ids = agents["agent_id"].astype(str)
    if not (ids == agent_id).any():
        raise ValueError(f"no agent {agent_id!r} in the agents table")
    out = agents.copy()
    if "unavailable" not in out:
        out["unavailable"] = ""
    pos = int(np.flatnonzero(ids.to_numpy() == agent_id)[0])
    current = {dt.date.fromisoformat(d) for d in _split(out["unavailable"].iloc[pos])}
    dates = sorted(change(current))
    out.iloc[pos, out.columns.get_loc("unavailable")] = ";".join(d.isoformat() for d in dates)
    return out


def add_absence(agents: pd.DataFrame, agent_id: str, days: Iterable[dt.date]) -> pd.DataFrame:
    """The agents table with ``days`` added to one agent's ``unavailable`` dates (sorted, once).

    >>> frame = pd.DataFrame({"agent_id": ["A01"], "unavailable": ["2026-12-09"]})
    >>> add_absence(frame, "A01", [dt.date(2026, 12, 8), dt.date(2026, 12, 9)])["unavailable"][0]
    '2026-12-08;2026-12-09'
    """
    new = set(days)
    return _with_dates(agents, agent_id, lambda current: current | new)


def remove_absence(agents: pd.DataFrame, agent_id: str, days: Iterable[dt.date]) -> pd.DataFrame:
    """The agents table with ``days`` taken off one agent's ``unavailable`` dates."""
    gone = set(days)
    return _with_dates(agents, agent_id, lambda current: current - gone)


def absence_of(agents: pd.DataFrame, agent_id: str) -> list[dt.date]:
    """One agent's ``unavailable`` dates, sorted.

    >>> absence_of(pd.DataFrame({"agent_id": ["A"], "unavailable": ["2026-12-09;2026-12-08"]}), "A")
    [datetime.date(2026, 12, 8), datetime.date(2026, 12, 9)]
    """
    if "unavailable" not in agents:
        return []
    hits = agents.loc[agents["agent_id"].astype(str) == agent_id, "unavailable"]
    return sorted({dt.date.fromisoformat(d) for text in hits for d in _split(text)})


@dataclass(frozen=True)
class AgentChanges:
    """What changed between two agents tables: ids added, removed, and changed by column."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: dict[str, tuple[str, ...]]

    @property
    def count(self) -> int:
        """How many agents differ (added, removed or changed)."""
        return len(self.added) + len(self.removed) + len(self.changed)


def changes(before: pd.DataFrame, after: pd.DataFrame) -> AgentChanges:
    """Agents added, removed, and for each kept agent the columns whose value changed.

    Compares the contract's text form, so ``37`` and ``37.0`` hours are the same.

    >>> a = pd.DataFrame({"agent_id": ["A", "B"], "team": ["T", "T"], "skills": ["x", "x"],
    ...                   "weekly_hours": [37.0, 30.0]})
    >>> b = pd.DataFrame({"agent_id": ["B", "C"], "team": ["U", "T"], "skills": ["x", "x"],
    ...                   "weekly_hours": [30.0, 37.0]})
    >>> changes(a, b)
    AgentChanges(added=('C',), removed=('A',), changed={'B': ('team',)})
    """

    def rows(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
        return {
            str(row["agent_id"]): {c: _text_cell(row.get(c)) for c in COLUMNS if c != "agent_id"}
            for _, row in frame.iterrows()
        }

    old, new = rows(before), rows(after)
    changed = {
        agent: tuple(c for c in new[agent] if new[agent][c] != old[agent].get(c, ""))
        for agent in new
        if agent in old and new[agent] != old[agent]
    }
    return AgentChanges(
        added=tuple(a for a in new if a not in old),
        removed=tuple(a for a in old if a not in new),
        changed={a: c for a, c in changed.items() if c},
    )


def agents_excel(agents: pd.DataFrame) -> bytes:
    """The agents table as an .xlsx workbook that `planner.io.agents.read_agents` reads back.

    Every cell is written as text except ``weekly_hours`` (a number), with the workbook options
    that keep data from becoming formulas or links (`planner.io.exports.EXCEL_OPTIONS`).
    """
    frame = pd.DataFrame({c: [_text_cell(v) for v in agents.get(c, [])] for c in COLUMNS})
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer, engine="xlsxwriter", engine_kwargs={"options": EXCEL_OPTIONS}
    ) as writer:
        sheet = writer.book.add_worksheet("agents")
        text = writer.book.add_format({"num_format": "@"})
        for col, name in enumerate(COLUMNS):
            sheet.write_string(0, col, name)
            sheet.set_column(col, col, 14 if name != "unavailable" else 40, text)
        for row, values in enumerate(frame.itertuples(index=False), start=1):
            for col, (name, value) in enumerate(zip(COLUMNS, values)):
                if name == "weekly_hours" and value != "":
                    sheet.write_number(row, col, float(value))
                elif value != "":
                    sheet.write_string(row, col, value)
    return buffer.getvalue()
