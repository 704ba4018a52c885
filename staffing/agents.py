"""The agents of a centre as one typed structure, read once and shared.

`prepare_agents` turns the agents contract (``agent_id, team, skills, weekly_hours`` and the
optional ``earliest_start, latest_end, unavailable, preferences``) into a tuple of
`AgentSpec`. The roster optimizer (`staffing.roster.instance`), the diagnosis of short weeks
(`staffing.roster.diagnose`) and the simulation (`staffing.simulation.engine`) all take either
the table or the prepared tuple, so a pipeline reads the agents once at the door
(`planner.pipeline.plan_week`) and hands the same structure to each. The independent roster
checker keeps its own reading on purpose (`staffing.roster.check`).

Skills, clock times and dates are parsed by the one definition in `centre.parsing`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import pandas as pd

from centre.parsing import WEEKDAYS, is_blank, parse_clock, parse_skills, split_list

__all__ = [
    "AgentSpec",
    "Agents",
    "PREFERENCE_FORMS",
    "Preference",
    "agent_skills",
    "parse_preferences",
    "prepare_agents",
]

#: The preference forms an agent's ``preferences`` cell may hold (``;``-separated).
PREFERENCE_FORMS = (
    "early",
    "late",
    "no_early",
    "no_late",
    "<day>_early",
    "<day>_late",
    "no_<day>_early",
    "no_<day>_late",
    "<day>_off",
)


@dataclass(frozen=True)
class Preference:
    """One wish of an agent, honoured by the optimizer where it costs little.

    ``kind`` is ``"early"`` (wants early shifts), ``"late"``, ``"no_early"`` (wants none),
    ``"no_late"`` or ``"day_off"``; ``weekday`` limits it to one weekday (0 = Monday) or is
    ``None`` for every day. ``no_friday_late`` is ``Preference("no_late", 4)``.
    """

    kind: str
    weekday: int | None = None

    @property
    def token(self) -> str:
        """The preference written back in the agents file's form."""
        names = {v: k for k, v in WEEKDAYS.items() if len(k) > 3}
        if self.weekday is None:  # a day off always names its weekday
            return self.kind
        if self.kind == "day_off":
            return f"{names[self.weekday]}_off"
        if self.kind.startswith("no_"):
            return f"no_{names[self.weekday]}_{self.kind[3:]}"
        return f"{names[self.weekday]}_{self.kind}"


def parse_preferences(text: Any) -> tuple[Preference, ...]:
    """Parse a ``preferences`` cell: tokens separated by ``;`` (see `PREFERENCE_FORMS`).

    ``<day>`` is a weekday name (``mon`` ... ``sun`` or ``monday`` ... ``sunday``). Empty cells
    give no preferences. Unknown tokens raise ValueError naming the token and the valid forms.

    >>> parse_preferences("early; no_friday_late")
    (Preference(kind='early', weekday=None), Preference(kind='no_late', weekday=4))
    """
    if text is None or (isinstance(text, float) and text != text):
        return ()
    out: list[Preference] = []
    for raw in str(text).replace(",", ";").split(";"):
        token = raw.strip().lower().replace("-", "_").replace(" ", "_")
        if not token:
            continue
        pref = _parse_preference(token)
        if pref is None:
            raise ValueError(
                f"unknown preference {raw.strip()!r}; expected one of "
                f"{', '.join(PREFERENCE_FORMS)} (<day> = mon ... sun)"
            )
        if pref not in out:
            out.append(pref)
    return tuple(out)


def _parse_preference(token: str) -> Preference | None:
    if token in ("early", "late", "no_early", "no_late"):
        return Preference(token)
    negated = token.startswith("no_")
    body = token[3:] if negated else token
    day, _, what = body.rpartition("_")
    if day in WEEKDAYS and what in ("early", "late"):
        return Preference(("no_" if negated else "") + what, WEEKDAYS[day])
    if not negated and day in WEEKDAYS and what == "off":
        return Preference("day_off", WEEKDAYS[day])
    if negated and body in WEEKDAYS:
        return Preference("day_off", WEEKDAYS[body])
    return None


@dataclass(frozen=True)
class AgentSpec:
    """One agent as the planner sees it (times in minutes after midnight)."""

    index: int
    agent_id: str
    team: str
    skills: tuple[str, ...]
    weekly_hours: float
    earliest: int | None
    latest: int | None
    unavailable: frozenset[dt.date]
    preferences: tuple[Preference, ...]


#: The agents table or its prepared form; every consumer accepts both.
Agents: TypeAlias = pd.DataFrame | Sequence[AgentSpec]


def _fmt_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clock_minutes(value: Any, what: str) -> int | None:
    if is_blank(value):
        return None
    try:
        return parse_clock(value)
    except ValueError as exc:
        if "between" in str(exc):
            raise ValueError(f"{what} must be between 00:00 and 24:00; got {value!r}") from None
        raise ValueError(f"{what} must be a clock time like '08:00'; got {value!r}") from None


def _is_prepared(agents: Any) -> bool:
    return (
        isinstance(agents, Sequence)
        and not isinstance(agents, str)
        and all(isinstance(a, AgentSpec) for a in agents)
    )


def prepare_agents(agents: Agents) -> tuple[AgentSpec, ...]:
    """Agents of the contract (``agent_id, team, skills, weekly_hours`` + optional columns).

    ``skills`` and ``unavailable`` are ``;``-separated text (or lists); ``earliest_start`` and
    ``latest_end`` clock times ``HH:MM`` or empty; ``preferences`` see `parse_preferences`.
    Already prepared agents (a sequence of `AgentSpec`) are returned as they are. Raises
    ValueError naming the agent and the column.

    >>> table = pd.DataFrame({"agent_id": ["A01"], "team": ["T1"],
    ...                       "skills": ["Dagpenge;Kontanthjælp"], "weekly_hours": [37]})
    >>> prepare_agents(table)[0].skills
    ('Dagpenge', 'Kontanthjælp')
    """
    if _is_prepared(agents) and len(agents):
        return tuple(agents)
    if not isinstance(agents, pd.DataFrame):
        raise ValueError(f"agents must be a DataFrame; got {type(agents).__name__}")
    missing = [c for c in ("agent_id", "team", "skills", "weekly_hours") if c not in agents]
    if missing:
        raise ValueError(f"agents is missing column(s) {', '.join(missing)}")
    if agents.empty:
        raise ValueError("agents has no rows; expected at least one agent")
    out: list[AgentSpec] = []
    seen: set[str] = set()
    for i, row in enumerate(agents.to_dict("records")):
        agent_id = str(row["agent_id"]).strip()
        if not agent_id or is_blank(row["agent_id"]):
            raise ValueError(f"agents row {i + 1}: agent_id is empty")
        if agent_id in seen:
            raise ValueError(f"agents: agent_id {agent_id!r} appears more than once")
        seen.add(agent_id)
        out.append(_agent_spec(len(out), agent_id, row))
    return tuple(out)


def _agent_spec(index: int, agent_id: str, row: dict[str, Any]) -> AgentSpec:
    """One row of the agents table as an `AgentSpec`; ValueError naming the agent."""
    who = f"agent {agent_id}"
    try:
        hours = float(row["weekly_hours"])
    except (TypeError, ValueError):
        raise ValueError(
            f"{who}: weekly_hours must be a number; got {row['weekly_hours']!r}"
        ) from None
    if not 0 < hours <= 80 or math.isnan(hours):
        raise ValueError(f"{who}: weekly_hours must be in (0, 80]; got {hours}")
    earliest = _clock_minutes(row.get("earliest_start"), f"{who}: earliest_start")
    latest = _clock_minutes(row.get("latest_end"), f"{who}: latest_end")
    if earliest is not None and latest is not None and earliest >= latest:
        raise ValueError(
            f"{who}: earliest_start {_fmt_minutes(earliest)} must be before latest_end "
            f"{_fmt_minutes(latest)}"
        )
    dates = set()
    for text in split_list(row.get("unavailable")):
        try:
            dates.add(dt.date.fromisoformat(text))
        except ValueError:
            raise ValueError(
                f"{who}: unavailable date {text!r} is not a date like 2026-03-02"
            ) from None
    try:
        prefs = parse_preferences(row.get("preferences"))
    except ValueError as exc:
        raise ValueError(f"{who}: {exc}") from None
    team = "" if is_blank(row["team"]) else str(row["team"]).strip()
    return AgentSpec(
        index=index,
        agent_id=agent_id,
        team=team,
        skills=tuple(parse_skills(row["skills"])),
        weekly_hours=hours,
        earliest=earliest,
        latest=latest,
        unavailable=frozenset(dates),
        preferences=prefs,
    )


def agent_skills(agents: Agents) -> dict[str, tuple[str, ...]]:
    """Each agent's skills in order (first = primary), from the table or prepared agents.

    Needs only ``agent_id`` and ``skills`` (what the simulation uses); ValueError when either
    column is missing or an id is empty or repeated.

    >>> agent_skills(pd.DataFrame({"agent_id": ["A1"], "skills": ["Dagpenge; A-Kasse"]}))
    {'A1': ('Dagpenge', 'A-Kasse')}
    """
    if _is_prepared(agents) and len(agents):
        return {a.agent_id: a.skills for a in agents}
    if not isinstance(agents, pd.DataFrame):
        raise ValueError(f"agents must be a DataFrame; got {type(agents).__name__}")
    missing = [c for c in ("agent_id", "skills") if c not in agents]
    if missing:
        raise ValueError(f"agents is missing column(s) {', '.join(missing)}")
    out: dict[str, tuple[str, ...]] = {}
    for i, (agent_id, skills) in enumerate(zip(agents["agent_id"], agents["skills"])):
        key = "" if is_blank(agent_id) else str(agent_id).strip()
        if not key:
            raise ValueError(f"agents row {i + 1}: agent_id is empty")
        if key in out:
            raise ValueError(f"agents: agent_id {key!r} appears more than once")
        out[key] = tuple(parse_skills(skills))
    return out
