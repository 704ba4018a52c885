"""Reading the agents table (the people a roster plans).

Every problem raises `planner.errors.InputError` with one line naming the file, the row (as a
spreadsheet counts: the header is row 1) and the column, what was found and what was expected.

Agents (DESIGN.md): ``agent_id, team, skills, weekly_hours`` and optional ``earliest_start,
latest_end, unavailable, preferences``. Other columns are refused (the planner needs no names,
phone numbers or other personal data; an unknown column is most often a typo, so the message
suggests the closest known name). ``skills`` and ``unavailable`` are ``;``-separated;
``unavailable`` holds ISO dates (booked holidays); ``preferences`` the forms of
`staffing.agents.PREFERENCE_FORMS`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from centre.parsing import parse_clock, parse_skills
from planner.errors import InputError
from planner.io.tables import load_table
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


def _clock(text: str) -> int | None:
    """Minutes after midnight of a non-empty clock cell (`centre.parsing.parse_clock`)."""
    return parse_clock(text) if text.strip() else None


def validate_agents(
    frame: pd.DataFrame,
    *,
    name: str = "agents",
    rows: np.ndarray | None = None,
    queues: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Check an agents table and return it in the contract's form (text columns, hours float).

    ``queues``: the queues being planned; a skill that is not one of them but looks like one
    (a typo) is refused, naming the queue meant. Skills of other queues are allowed.
    """
    rows = rows if rows is not None else np.arange(len(frame)) + 2
    columns = [str(c).strip() for c in frame.columns]
    frame = frame.copy()
    frame.columns = columns
    known = AGENT_REQUIRED + AGENT_OPTIONAL
    for column in columns:
        if column not in known:
            raise InputError(
                f"{name}: unknown column '{column}'{_suggest(column, known)}; expected "
                f"{', '.join(AGENT_REQUIRED)} and optionally {', '.join(AGENT_OPTIONAL)} "
                "(the planner needs no names or other personal data)"
            )
    missing = [c for c in AGENT_REQUIRED if c not in columns]
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(missing)}")
    if frame.empty:
        raise InputError(f"{name}: no agents; expected one row per agent")

    def text(column: str) -> pd.Series:
        if column not in frame:
            return pd.Series([""] * len(frame), index=frame.index)
        return (
            frame[column]
            .map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
            .str.strip()
        )

    queue_set = set(queues) if queues is not None else None
    out_rows = []
    seen: dict[str, int] = {}
    for pos, (agent_id, team, skills, hours, early, late, unavailable, prefs) in enumerate(
        zip(
            text("agent_id"),
            text("team"),
            text("skills"),
            text("weekly_hours"),
            text("earliest_start"),
            text("latest_end"),
            text("unavailable"),
            text("preferences"),
        )
    ):
        row = int(rows[pos])

        def fail(column: str, found: str, expected: str, row: int = row) -> InputError:
            return InputError(
                f"{name}: row {row}, column '{column}': found {found!r}; expected {expected}"
            )

        if not agent_id:
            raise fail("agent_id", agent_id, "an agent id (a pseudonym like A01)")
        if agent_id in seen:
            raise InputError(
                f"{name}: row {row}, column 'agent_id': agent '{agent_id}' appears again (first "
                f"in row {seen[agent_id]}); expected one row per agent"
            )
        seen[agent_id] = row
        skill_list = parse_skills(skills)
        if not skill_list:
            raise fail("skills", skills, "queue names separated by ';'")
        if queue_set is not None:
            for skill in skill_list:
                if skill in queue_set:
                    continue
                close = difflib.get_close_matches(skill, sorted(queue_set), n=1, cutoff=0.8)
                if close:
                    raise fail("skills", skill, f"a queue name, e.g. '{close[0]}'")
        try:
            value = float(hours.replace(",", "."))
        except ValueError:
            raise fail("weekly_hours", hours, "contract hours a week, like 37") from None
        if not 0 < value <= 60 or math.isnan(value):
            raise fail("weekly_hours", hours, "contract hours a week in (0, 60]")
        clocks = {}
        for column, raw in (("earliest_start", early), ("latest_end", late)):
            try:
                clocks[column] = _clock(raw)
            except ValueError:
                raise fail(column, raw, "a clock time like 08:00, or empty") from None
        if (
            clocks["earliest_start"] is not None
            and clocks["latest_end"] is not None
            and clocks["earliest_start"] >= clocks["latest_end"]
        ):
            raise fail("latest_end", late, f"a time after earliest_start {early}")
        dates = []
        for item in unavailable.split(";"):
            item = item.strip()
            if not item:
                continue
            try:
                dates.append(dt.date.fromisoformat(item))
            except ValueError:
                raise fail("unavailable", item, "dates like 2026-07-06 separated by ';'") from None
        try:
            parsed = parse_preferences(prefs)
        except ValueError as exc:
            raise InputError(f"{name}: row {row}, column 'preferences': {exc}") from None

        def fmt(minutes: int | None) -> str:
            return "" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"

        out_rows.append(
            {
                "agent_id": agent_id,
                "team": team,
                "skills": ";".join(dict.fromkeys(skill_list)),
                "weekly_hours": value,
                "earliest_start": fmt(clocks["earliest_start"]),
                "latest_end": fmt(clocks["latest_end"]),
                "unavailable": ";".join(d.isoformat() for d in sorted(set(dates))),
                "preferences": ";".join(p.token for p in parsed),
            }
        )
    return pd.DataFrame(out_rows, columns=list(AGENT_REQUIRED + AGENT_OPTIONAL))


def read_agents(
    path: str | Path,
    *,
    data: bytes | None = None,
    name: str | None = None,
    queues: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read and check an agents file (CSV, .xlsx or .parquet); see `validate_agents`."""
    table = load_table(path, data=data, name=name)
    return validate_agents(table.frame, name=table.name, rows=table.rows, queues=queues)
