"""Scenario files for managers, and running a plan's scenarios side by side with the base.

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
unknown agent 'A99'; ...``).

`run_scenarios` simulates the base plan and every scenario with the same seed (common random
numbers: differences come from the change, not from noise) and returns the tables a manager
compares: answer rate, wait and abandonment per queue and day side by side, the intervals that
miss the SLA, and the probability of meeting it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.errors import InputError
from staffing import kpi
from staffing.simulation.engine import SimulationResult, parse_skills, simulate
from staffing.simulation.scenarios import (
    Change,
    ChangeGoals,
    ExtraCalls,
    NewHire,
    PlanInputs,
    RemoveAgent,
    Reroster,
    ScaleAht,
    ScaleVolume,
    Scenario,
    SickAgents,
    apply_scenario,
)

__all__ = [
    "BASE",
    "ScenarioComparison",
    "load_scenarios",
    "parse_scenarios",
    "run_scenarios",
    "erlang_requirements",
    "optimizer_reroster",
]

#: The label of the unchanged plan in every comparison table.
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

    def number(self, value: Any, key: str, *, low: float, high: float = np.inf) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"expected a number; got {value!r}")
        if not low <= float(value) <= high:
            raise self.fail(key, f"expected a number in [{low:g}, {high:g}]; got {value}")
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
        changes: list[Change] = []
        hires: list[str] = []
        for kind in _KINDS:
            for j, item in enumerate(r.table_list(table.get(kind, []), f"{where}.{kind}"), 1):
                at = f"{where}.{kind}[{j}]"
                r.keys(item, at, _KINDS[kind])
                changes.append(_change(r, kind, item, at, hires))
        if "goals" in table:
            changes.append(_goals(r, table["goals"], f"{where}.goals"))
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


def _change(r: _Reader, kind: str, item: Mapping[str, Any], at: str, hires: list[str]) -> Change:
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
        if not isinstance(raw, str | list):
            raise r.fail(f"{at}.skills", f"expected a list of queue names; got {raw!r}")
        skills = tuple(r.queue(q, f"{at}.skills") for q in parse_skills(raw))
        if not skills:
            raise r.fail(f"{at}.skills", "expected at least one queue")
        like = r.agent(item["like"], f"{at}.like") if "like" in item else None
        hours = r.number(item.get("weekly_hours", 37), f"{at}.weekly_hours", low=1, high=60)
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
        factor = r.number(item["factor"], f"{at}.factor", low=0.0, high=100.0)
        return ScaleVolume(factor, queue, start, end)
    if kind == "aht":
        factor = r.number(item["factor"], f"{at}.factor", low=0.01, high=100.0)
        return ScaleAht(factor, queue, start, end)
    calls = r.number(item["calls"], f"{at}.calls", low=0.0, high=1e7)
    assert queue is not None and start is not None
    return ExtraCalls(calls, queue, start, end)


def _goals(r: _Reader, table: Any, at: str) -> ChangeGoals:
    if not isinstance(table, dict):
        raise r.fail(at, f"expected a [goals] table; got {table!r}")
    changes: list[tuple[str, float | None]] = []
    for key, value in table.items():
        if key not in _GOAL_KEYS:
            raise r.fail(f"{at}.{key}", f"unknown goal; {_suggest(key, _GOAL_KEYS)}")
        if value is False and key not in ("threshold", "short_abandon"):
            changes.append((key, None))
            continue
        high = 1.0 if key in ("answer_rate", "fcr", "service_level") else 3600.0
        low = 0.0 if key == "short_abandon" else 1e-9
        changes.append((key, r.number(value, f"{at}.{key}", low=low, high=high)))
    try:
        dataclasses.replace(kpi.SlaGoals(), **dict(changes))
    except ValueError as exc:
        raise r.fail(at, str(exc)) from None
    return ChangeGoals(tuple(changes))


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
    try:
        document = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{label}: cannot decode the file as UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{label}: not valid TOML ({exc})") from None
    return parse_scenarios(document, label=label, agents=agents, forecast=forecast)


@dataclass(frozen=True)
class ScenarioComparison:
    """The base plan and its scenarios, simulated with the same random numbers.

    Attributes
    ----------
    scenarios: the scenarios run (the base first, as ``Scenario(BASE)``).
    inputs: the changed inputs per scenario name.
    results: the `SimulationResult` per scenario name.
    """

    scenarios: tuple[Scenario, ...]
    inputs: Mapping[str, PlanInputs]
    results: Mapping[str, SimulationResult]

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def kpi_table(self, by: str = "day", *, total: bool = False) -> pd.DataFrame:
        """Every scenario's simulated KPI table, stacked with a leading ``scenario`` column."""
        frames = []
        for name in self.names:
            table = self.results[name].kpi_table(by=by, total=total)
            table.insert(0, "scenario", name)
            frames.append(table)
        return pd.concat(frames, ignore_index=True)

    def side_by_side(
        self,
        by: str = "day",
        *,
        measures: Sequence[str] = ("answer_rate", "asa_seconds", "abandon_rate"),
        total: bool = True,
    ) -> pd.DataFrame:
        """One row per queue and period; ``<measure> [<scenario>]`` columns, base first."""
        long = self.kpi_table(by=by, total=total)
        keys = ["queue", *kpi.period_columns(by)]
        wide = long.pivot(index=keys, columns="scenario", values=list(measures))
        wide = wide.reindex(columns=pd.MultiIndex.from_product([list(measures), self.names]))
        wide.columns = [f"{m} [{s}]" for m, s in wide.columns]
        wide = wide.reset_index()
        order = [*kpi.period_columns(by), "_all", "queue"]
        wide["_all"] = wide["queue"] != kpi.ALL_QUEUES
        return wide.sort_values(order, kind="stable").drop(columns="_all").reset_index(drop=True)

    def misses(self, *, min_offered: float = 1.0) -> pd.DataFrame:
        """Queue-intervals whose simulated mean misses a service goal, per scenario.

        Judged with each scenario's own goals on the goals staffing can move (answer rate, ASA,
        service level if set), in intervals with at least ``min_offered`` calls on average (an
        interval with a fraction of a call says little). Columns: ``scenario, queue, date,
        interval_start, offered``, the measures with their 95 % bounds, ``missed`` (the goals
        missed, ``;``-separated) and ``clear`` (True when the whole confidence interval of at
        least one missed measure lies on the wrong side of its goal: not a matter of noise).
        """
        measures = ["answer_rate", "asa_seconds", "service_level"]
        columns = [
            "scenario",
            "queue",
            "date",
            "interval_start",
            "offered",
            *[f"{m}{s}" for m in measures for s in ("", "_lo", "_hi")],
            "missed",
            "clear",
        ]
        frames = []
        for name in self.names:
            goals = self.inputs[name].goals
            targets = goals.service_targets()
            if not targets:
                continue
            table = self.results[name].kpi_table(by="interval")
            table = table[table["offered"] >= min_offered]
            judged = kpi.evaluate(table, goals, measures=list(targets))
            judged = judged[~judged["meets_sla"]]
            missed, clear = [], []
            for _, row in judged.iterrows():
                names = [m for m in targets if not row[f"meets_{m}"]]
                missed.append(";".join(names))
                clear.append(
                    any(
                        (row[f"{m}_hi"] < goal) if sense == ">=" else (row[f"{m}_lo"] > goal)
                        for m, (goal, sense) in targets.items()
                        if m in names
                    )
                )
            judged = judged.assign(missed=missed, clear=clear)
            judged.insert(0, "scenario", name)
            frames.append(judged[columns])
        if not frames:
            return pd.DataFrame(columns=columns)
        return pd.concat(frames, ignore_index=True)

    def sla_probability(self, *, queues: bool = False) -> pd.DataFrame:
        """`SimulationResult.sla_probability` per scenario (each with its own goals)."""
        frames = []
        for name in self.names:
            table = self.results[name].sla_probability(self.inputs[name].goals, queues=queues)
            table.insert(0, "scenario", name)
            frames.append(table)
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> pd.DataFrame:
        """One row per scenario: the whole period for the centre, and how often it meets the SLA."""
        misses = self.misses()
        rows = []
        for scenario in self.scenarios:
            result = self.results[scenario.name]
            week = result.kpi_table(by="total", total=True)
            week = week[week["queue"] == kpi.ALL_QUEUES].iloc[0]
            prob = result.sla_probability(self.inputs[scenario.name].goals, queues=False)
            p_week = prob.loc[prob["period"] == "all", "p_meet"].iloc[0]
            rows.append(
                {
                    "scenario": scenario.name,
                    "changes": scenario.describe() if scenario.name != BASE else "the plan",
                    "offered": week["offered"],
                    "answer_rate": week["answer_rate"],
                    "answer_rate_lo": week["answer_rate_lo"],
                    "answer_rate_hi": week["answer_rate_hi"],
                    "asa_seconds": week["asa_seconds"],
                    "abandon_rate": week["abandon_rate"],
                    "fcr": week["fcr"],
                    "p_meet_week": p_week,
                    "intervals_missing_sla": int((misses["scenario"] == scenario.name).sum()),
                    "intervals_clearly_missing": int(
                        ((misses["scenario"] == scenario.name) & misses["clear"]).sum()
                    ),
                }
            )
        return pd.DataFrame(rows)


def run_scenarios(
    base: PlanInputs,
    scenarios: Sequence[Scenario],
    *,
    reroster: Reroster | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    **simulate_kwargs: Any,
) -> ScenarioComparison:
    """Simulate the base plan and each scenario with the same seed, for side-by-side tables.

    ``simulate_kwargs`` go to `staffing.simulation.simulate` (replications, seed, patience, ...);
    each run uses its scenario's goals, their threshold and short-abandon limit included.
    ``progress(name, done, total)`` reports replications. ``reroster`` is the hook for
    scenarios with ``reroster = true`` (see `staffing.simulation.scenarios.apply_scenario`).
    """
    for key in ("goals", "threshold", "short_abandon"):
        if key in simulate_kwargs:
            raise ValueError(f"pass {key} in base.goals, not as a simulate argument")
    runs = [Scenario(BASE), *scenarios]
    names = [s.name for s in runs]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique (and not {BASE!r}); got {names}")
    inputs: dict[str, PlanInputs] = {}
    results: dict[str, SimulationResult] = {}
    for scenario in runs:
        changed = apply_scenario(base, scenario, reroster=reroster)
        inputs[scenario.name] = changed
        callback = None
        if progress is not None:

            def callback(done: int, total: int, _name: str = scenario.name) -> None:
                progress(_name, done, total)

        results[scenario.name] = simulate(
            changed.roster,
            changed.forecast,
            changed.agents,
            goals=changed.goals,
            threshold=changed.goals.threshold,
            short_abandon=changed.goals.short_abandon,
            progress=callback,
            **simulate_kwargs,
        )
    return ScenarioComparison(tuple(runs), inputs, results)


def erlang_requirements(
    inputs: PlanInputs, *, patience: float | Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Agents needed on the phone per queue and interval for the plan's goals (Erlang A).

    `staffing.erlang.required_agents` with the goals' answer rate, average wait and (if set)
    service level, the queues' patience (default `centre.queues.QUEUES`), and the phone
    policy's floor of one agent in every interval of a queue's window (the forecast's rows).
    Returns ``interval_start, queue, agents, offered, aht_seconds``: the requirements contract
    the roster optimizer reads.
    """
    from staffing import erlang

    fc = inputs.forecast
    goals = inputs.goals
    queues = fc["queue"].astype(str)
    pat = kpi.per_queue(patience, queues, name="patience", spec_attribute="patience_seconds")
    targets: dict[str, Any] = {}
    if goals.answer_rate is not None and goals.answer_rate < 1.0:
        targets["answer_rate"] = goals.answer_rate
    if goals.asa_seconds is not None:
        targets["asa"] = goals.asa_seconds
    if goals.service_level is not None and goals.service_level < 1.0:
        targets["service_level"] = goals.service_level
        targets["threshold"] = goals.threshold
    if not targets:
        raise ValueError("re-rostering needs an answer-rate, average-wait or service-level goal")
    offered = fc["offered"].to_numpy(dtype=float)
    aht = fc["aht_seconds"].to_numpy(dtype=float)
    aht = np.where(np.isfinite(aht) & (aht > 0), aht, np.nanmean(aht[aht > 0]))
    need = erlang.required_agents(
        offered,
        aht,
        patience=queues.map(pat).to_numpy(dtype=float),
        short_abandon=goals.short_abandon,
        **targets,
    )
    out = fc[["interval_start", "queue"]].reset_index(drop=True)
    out["agents"] = np.maximum(np.asarray(need, dtype=float), 1.0)
    out["offered"] = offered
    out["aht_seconds"] = aht
    return out


def optimizer_reroster(
    requirements: Callable[[PlanInputs], pd.DataFrame] | None = None,
    *,
    rules: Any = None,
    patience: float | Mapping[str, float] | None = None,
    solver: str = "highs",
    time_limit: float = 60.0,
) -> Reroster:
    """A re-roster hook that runs the roster optimizer on a scenario's changed inputs.

    ``requirements(inputs)`` gives the agents needed per queue and interval (default
    `erlang_requirements` with ``patience``); `staffing.roster.solve.solve_roster` then plans the
    agents (sick days and a hire's days before the start are in their ``unavailable`` dates).
    A scenario the optimizer finds no plan for is a ValueError naming why.
    """
    need = requirements or partial(erlang_requirements, patience=patience)

    def reroster(inputs: PlanInputs) -> pd.DataFrame:
        from staffing.roster.solve import solve_roster

        result = solve_roster(
            need(inputs), inputs.agents, rules, solver=solver, time_limit=time_limit
        )
        if result.status == "no_solution" or result.roster.empty:
            reasons = "; ".join(d.message for d in result.diagnostics[:2]) or result.status
            raise ValueError(f"the roster optimizer found no plan: {reasons}")
        return result.roster

    return reroster
