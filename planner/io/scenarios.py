"""Reading scenario files (TOML): the what-if changes a manager wants to compare.

A scenario file is TOML, one ``[[scenario]]`` table per scenario::

    [[scenario]]
    name = "Two sick on Monday"
    description = "A03 and A11 call in sick"      # optional
    reroster = false                              # optional: re-roster after the changes

    [[scenario.sick]]                             # agents sick on some days
    agents = ["A03", "A11"]
    date = 2026-03-02                             # or dates = [...]; TOML dates or "YYYY-MM-DD"

    [[scenario.remove_agent]]                     # one agent fewer (from a date, or for good)
    agent = "A17"
    from = 2026-03-03                             # optional

    [[scenario.new_hire]]                         # a new agent from a date
    agent = "N01"
    skills = ["Dagpenge", "Kontanthjælp"]         # or "Dagpenge;Kontanthjælp"; first = primary
    from = 2026-03-04
    like = "A05"                                  # optional: on A05's shifts until re-rostered
    weekly_hours = 37                             # optional
    team = "Team 1"                               # optional

    [[scenario.volume]]                           # offered calls times a factor
    factor = 1.15
    queue = "Kontanthjælp"                        # optional (all queues)
    from = 2026-03-02                             # optional
    to = 2026-03-03                               # optional

    [[scenario.extra_calls]]                      # known extra calls, e.g. a letter going out
    calls = 300
    queue = "Sygedagpenge"
    from = 2026-03-03
    to = 2026-03-04                               # optional (one day)

    [[scenario.aht]]                              # handle time times a factor
    factor = 1.10                                 # queue, from, to optional as for volume

    [scenario.goals]                              # new targets; false switches a goal off
    answer_rate = 0.90
    asa_seconds = 120

Changes are applied in that order (staff, volume, extra calls, handle time, goals). Unknown
agents, queues, keys or dates outside the plan raise `planner.errors.InputError` with a
one-line message naming the file and the key (``scenarios.toml: scenario[1].sick[1].agents:
unknown agent 'A99'; ...``). The numbers of each scenario's change tables (factors, calls,
weekly hours, goals) are checked against `planner.io.schemas.ScenariosSchema` before any
change is made of them (``scenario[1].volume[1].factor: found 1e+308; expected a factor from
0 to 100``).

Before any value is read, every key and value of the file is screened for personal data
(`planner.io.pii.check_personal_document`: a CPR number, phone number or e-mail address in a
name, description, agent id or anywhere else is refused, naming the key, never the value); a
file that is not UTF-8 TOML, or nests lists or tables a thousand deep, is refused in one line
too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from centre.parsing import parse_skills
from planner.errors import InputError
from planner.io.pii import check_personal_document, one_line_messages
from planner.io.schemas import SCENARIO_KEYS, ScenariosSchema, check_frame
from staffing import kpi
from staffing.simulation.scenarios import (
    Change,
    ChangeGoals,
    ExtraCalls,
    NewHire,
    RemoveAgent,
    ScaleAht,
    ScaleVolume,
    Scenario,
    SickAgents,
)

__all__ = ["BASE", "load_scenarios", "parse_scenarios"]

#: The label of the unchanged plan in every comparison table (a scenario may not take it).
BASE = "base"

_KINDS: dict[str, dict[str, bool]] = {
    # kind -> {key: required}
    "sick": {"agents": True, "date": False, "dates": False},
    "remove_agent": {"agent": True, "from": False},
    "new_hire": {
        "agent": True,
        "skills": True,
        "from": True,
        "like": False,
        "weekly_hours": False,
        "team": False,
    },
    "volume": {"factor": True, "queue": False, "from": False, "to": False},
    "extra_calls": {"calls": True, "queue": True, "from": True, "to": False},
    "aht": {"factor": True, "queue": False, "from": False, "to": False},
}
_SCENARIO_KEYS = ("name", "description", "reroster", *_KINDS, "goals")
_GOAL_KEYS = ("answer_rate", "fcr", "asa_seconds", "service_level", "threshold", "short_abandon")


def _suggest(key: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, list(options), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"{hint}expected one of {', '.join(options)}"


class _Reader:
    """Checks one scenario file's values, naming the file and the key in every message."""

    def __init__(
        self, label: str, agents: Sequence[str], queues: Sequence[str], dates: Sequence[dt.date]
    ) -> None:
        self.label = label
        self.agents = list(agents)
        self.queues = list(queues)
        self.dates = sorted(dates)

    def fail(self, key: str, message: str) -> InputError:
        return InputError(f"{self.label}: {key}: {message}")

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty text; got {value!r}")
        return value.strip()

    def number(self, value: Any, key: str) -> float:
        """A finite number (its range is the schema's, `ScenariosSchema`)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"expected a number; got {value!r}")
        if not np.isfinite(float(value)):
            raise self.fail(key, f"expected a finite number; got {value!r}")
        return float(value)

    def date(self, value: Any, key: str, *, inside: bool = True) -> dt.date:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise self.fail(key, f"expected a date like 2026-03-02; got {value!r}") from None
        if not isinstance(value, dt.date):
            raise self.fail(key, f"expected a date like 2026-03-02; got {value!r}")
        if inside and self.dates and not self.dates[0] <= value <= self.dates[-1]:
            raise self.fail(
                key,
                f"date {value.isoformat()} is outside the plan "
                f"({self.dates[0].isoformat()} to {self.dates[-1].isoformat()})",
            )
        return value

    def agent(self, value: Any, key: str, *, known: Sequence[str] | None = None) -> str:
        name = self.text(value, key)
        known = self.agents if known is None else known
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.fail(
                key, f"unknown agent {name!r}; expected an agent_id of the agents table{hint}"
            )
        return name

    def queue(self, value: Any, key: str) -> str:
        name = self.text(value, key)
        if name not in self.queues:
            raise self.fail(key, f"unknown queue {name!r}; {_suggest(name, self.queues)}")
        return name

    def table_list(self, value: Any, key: str) -> list[dict[str, Any]]:
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"expected [[{key.split('.')[-1]}]] tables; got {value!r}")
        return value

    def keys(self, table: Mapping[str, Any], key: str, spec: Mapping[str, bool]) -> None:
        for name in table:
            if name not in spec:
                raise self.fail(f"{key}.{name}", f"unknown key; {_suggest(name, list(spec))}")
        for name, required in spec.items():
            if required and name not in table:
                raise self.fail(f"{key}.{name}", "missing; this key is required")


@one_line_messages
def parse_scenarios(
    document: Mapping[str, Any],
    *,
    label: str,
    agents: pd.DataFrame,
    forecast: pd.DataFrame,
) -> list[Scenario]:
    """Scenarios from a parsed TOML document (see the module docstring for the format)."""
    agent_ids = list(agents["agent_id"].astype(str))
    queues = list(dict.fromkeys(forecast["queue"].astype(str)))
    dates = sorted(set(forecast["interval_start"].dt.date))
    r = _Reader(label, agent_ids, queues, dates)
    for top in document:
        if top != "scenario":
            raise r.fail(top, f"unknown key; {_suggest(top, ['scenario'])}")
    if "scenario" not in document:
        raise InputError(f"{label}: no [[scenario]] table; expected at least one scenario")
    out: list[Scenario] = []
    names: set[str] = {BASE}
    for i, table in enumerate(r.table_list(document["scenario"], "scenario"), start=1):
        where = f"scenario[{i}]"
        for key in table:
            if key not in _SCENARIO_KEYS:
                raise r.fail(f"{where}.{key}", f"unknown key; {_suggest(key, _SCENARIO_KEYS)}")
        if "name" not in table:
            raise r.fail(f"{where}.name", "missing; every scenario needs a name")
        name = r.text(table["name"], f"{where}.name")
        if name in names:
            raise r.fail(f"{where}.name", f"the name {name!r} is used twice (or is reserved)")
        names.add(name)
        description = table.get("description", "")
        if not isinstance(description, str):
            raise r.fail(f"{where}.description", f"expected a text; got {description!r}")
        reroster = table.get("reroster", False)
        if not isinstance(reroster, bool):
            raise r.fail(f"{where}.reroster", f"expected true or false; got {reroster!r}")
        items = []
        for kind in _KINDS:
            for j, item in enumerate(r.table_list(table.get(kind, []), f"{where}.{kind}"), 1):
                at = f"{where}.{kind}[{j}]"
                r.keys(item, at, _KINDS[kind])
                items.append((kind, item, at, _numbers(r, kind, item, at)))
        goals = _goal_values(r, table["goals"], f"{where}.goals") if "goals" in table else None
        _check_numbers(r, items, goals, where)
        changes: list[Change] = []
        hires: list[str] = []
        for kind, item, at, numbers in items:
            changes.append(_change(r, kind, item, at, hires, numbers))
        if goals is not None:
            changes.append(_goals(r, goals, f"{where}.goals"))
        try:
            out.append(Scenario(name, changes, reroster=reroster, description=description))
        except ValueError as exc:
            raise r.fail(where, str(exc)) from None
    return out


def _dates_of(r: _Reader, item: Mapping[str, Any], at: str) -> tuple[dt.date, ...]:
    if ("date" in item) == ("dates" in item):
        raise r.fail(f"{at}.date", "give either date or dates (a list)")
    if "date" in item:
        return (r.date(item["date"], f"{at}.date"),)
    values = item["dates"]
    if not isinstance(values, list) or not values:
        raise r.fail(f"{at}.dates", f"expected a list of dates; got {values!r}")
    return tuple(r.date(v, f"{at}.dates") for v in values)


def _numbers(r: _Reader, kind: str, item: Mapping[str, Any], at: str) -> dict[str, float]:
    """The numbers of one change table, by their `ScenariosSchema` column (type-checked)."""
    if kind == "new_hire":
        return {"weekly_hours": r.number(item.get("weekly_hours", 37), f"{at}.weekly_hours")}
    if kind in ("volume", "aht"):
        return {f"{kind}_factor": r.number(item["factor"], f"{at}.factor")}
    if kind == "extra_calls":
        return {"calls": r.number(item["calls"], f"{at}.calls")}
    return {}


def _goal_values(r: _Reader, table: Any, at: str) -> dict[str, float | None]:
    """The goals of a ``[goals]`` table (``None``: switched off with ``false``)."""
    if not isinstance(table, dict):
        raise r.fail(at, f"expected a [goals] table; got {table!r}")
    values: dict[str, float | None] = {}
    for key, value in table.items():
        if key not in _GOAL_KEYS:
            raise r.fail(f"{at}.{key}", f"unknown goal; {_suggest(key, _GOAL_KEYS)}")
        if value is False and key not in ("threshold", "short_abandon"):
            values[key] = None
            continue
        values[key] = r.number(value, f"{at}.{key}")
    return values


def _check_numbers(
    r: _Reader,
    items: Sequence[tuple[str, Mapping[str, Any], str, dict[str, float]]],
    goals: dict[str, float | None] | None,
    where: str,
) -> None:
    """One scenario's numbers against `ScenariosSchema`: one row per change table."""
    keys = [at for _, _, at, _ in items]
    rows: list[Mapping[str, float | None]] = [numbers for _, _, _, numbers in items]
    if goals is not None:
        keys.append(f"{where}.goals")
        rows.append(goals)
    columns = list(ScenariosSchema.to_schema().columns)
    frame = pd.DataFrame(
        [[np.nan if row.get(c) is None else row[c] for c in columns] for row in rows],
        columns=columns,
        dtype=float,
    )
    check_frame(ScenariosSchema, frame, name=r.label, keys=keys, columns=SCENARIO_KEYS)


def _change(
    r: _Reader,
    kind: str,
    item: Mapping[str, Any],
    at: str,
    hires: list[str],
    numbers: Mapping[str, float],
) -> Change:
    if kind == "sick":
        names = item["agents"]
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not names:
            raise r.fail(f"{at}.agents", f"expected a list of agent ids; got {names!r}")
        agents = tuple(r.agent(a, f"{at}.agents") for a in names)
        return SickAgents(agents, _dates_of(r, item, at))
    if kind == "remove_agent":
        agent = r.agent(item["agent"], f"{at}.agent")
        since = r.date(item["from"], f"{at}.from") if "from" in item else None
        return RemoveAgent(agent, since)
    if kind == "new_hire":
        agent = r.text(item["agent"], f"{at}.agent")
        if agent in r.agents or agent in hires:
            raise r.fail(f"{at}.agent", f"agent {agent!r} already exists; pick a new agent_id")
        hires.append(agent)
        raw = item["skills"]
        if not isinstance(raw, str | list) or (
            isinstance(raw, list) and not all(isinstance(q, str) for q in raw)
        ):
            raise r.fail(f"{at}.skills", f"expected a list of queue names; got {raw!r}")
        skills = tuple(r.queue(q, f"{at}.skills") for q in parse_skills(raw))
        if not skills:
            raise r.fail(f"{at}.skills", "expected at least one queue")
        like = r.agent(item["like"], f"{at}.like") if "like" in item else None
        hours = numbers["weekly_hours"]
        team = r.text(item.get("team", "new"), f"{at}.team")
        since = r.date(item["from"], f"{at}.from")
        return NewHire(agent, skills, since, like=like, weekly_hours=hours, team=team)
    queue = r.queue(item["queue"], f"{at}.queue") if "queue" in item else None
    # A range may reach past the plan (+15 % for the whole month) but must overlap it.
    start = r.date(item["from"], f"{at}.from", inside=False) if "from" in item else None
    end = r.date(item["to"], f"{at}.to", inside=False) if "to" in item else None
    if kind == "extra_calls" and end is None:
        end = start
    if start is not None and end is not None and end < start:
        raise r.fail(f"{at}.to", f"{end.isoformat()} is before from = {start.isoformat()}")
    if r.dates and not any(
        (start is None or d >= start) and (end is None or d <= end) for d in r.dates
    ):
        raise r.fail(
            f"{at}.from",
            f"the range {start or '...'} to {end or '...'} has no day of the plan "
            f"({r.dates[0].isoformat()} to {r.dates[-1].isoformat()})",
        )
    if kind == "volume":
        return ScaleVolume(numbers["volume_factor"], queue, start, end)
    if kind == "aht":
        return ScaleAht(numbers["aht_factor"], queue, start, end)
    calls = numbers["calls"]
    assert queue is not None and start is not None
    return ExtraCalls(calls, queue, start, end)


def _goals(r: _Reader, goals: dict[str, float | None], at: str) -> ChangeGoals:
    """The goals (checked by `ScenariosSchema`) as a change; the goals must fit together."""
    changes = list(goals.items())
    fields: dict[str, Any] = dict(goals)  # None switches a goal off
    try:
        dataclasses.replace(kpi.SlaGoals(), **fields)
    except ValueError as exc:
        raise r.fail(at, str(exc)) from None
    return ChangeGoals(tuple(changes))


@one_line_messages
def load_scenarios(
    path: str | Path,
    *,
    agents: pd.DataFrame,
    forecast: pd.DataFrame,
    data: bytes | None = None,
    name: str | None = None,
) -> list[Scenario]:
    """Read a TOML scenario file (or an upload's ``data``) and check it against the plan."""
    label = name or Path(path).name
    if data is None:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError(f"{label}: file not found") from None
        except IsADirectoryError:
            raise InputError(f"{label}: is a folder, expected a TOML file") from None
        except PermissionError:
            raise InputError(f"{label}: no permission to read the file") from None
    try:
        document = tomllib.loads(bytes(data).decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{label}: cannot decode the file as UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{label}: not valid TOML ({exc})") from None
    except RecursionError:  # Python's TOML parser recurses once per level of nesting
        raise InputError(
            f"{label}: lists or tables nested too deeply; a scenario file nests at most a few "
            "levels"
        ) from None
    check_personal_document(document, name=label)
    return parse_scenarios(document, label=label, agents=agents, forecast=forecast)
