"""What-if scenarios: pure transformations of a plan's forecast, roster, agents and goals.

A plan is a `PlanInputs` (forecast, roster, agents, SLA goals). Each change is a small frozen
dataclass whose ``apply`` returns a *new* `PlanInputs` (the input frames are never modified):

- staff: `SickAgents` (agents sick on given days), `RemoveAgent` (one agent fewer, e.g. a
  cross-trained one, from a date or for good), `NewHire` (a new agent from a date, optionally on
  the shifts of a colleague);
- volume: `ScaleVolume` (+15 % on a queue in a date range), `ExtraCalls` (a letter going out:
  a number of extra calls spread over a queue's intervals in proportion to the forecast);
- handle time: `ScaleAht` (+10 %);
- targets: `ChangeGoals`.

A `Scenario` is a name, its changes and whether to re-roster. `apply_scenario` applies the
changes in order and, when the scenario asks for it, calls the re-roster hook (a callable the
planner passes, e.g. requirements plus the roster optimizer) on the changed inputs. Staff
changes keep the agents table consistent with the roster (sick days and days before a hire's
start are added to ``unavailable``) so that a re-roster respects them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from centre.parsing import parse_date, parse_skills
from staffing.kpi import SlaGoals

__all__ = [
    "PlanInputs",
    "Change",
    "SickAgents",
    "RemoveAgent",
    "NewHire",
    "ScaleVolume",
    "ExtraCalls",
    "ScaleAht",
    "ChangeGoals",
    "Scenario",
    "Reroster",
    "apply_scenario",
    "cross_trained_agents",
]


@dataclass(frozen=True)
class PlanInputs:
    """What a simulation needs: forecast, roster and agents (DESIGN.md contracts) and goals."""

    forecast: pd.DataFrame
    roster: pd.DataFrame
    agents: pd.DataFrame
    goals: SlaGoals = field(default_factory=SlaGoals)

    def replace(self, **changes: Any) -> PlanInputs:
        """A copy with some fields replaced."""
        return dataclasses.replace(self, **changes)

    @property
    def dates(self) -> list[dt.date]:
        """The planning days: the local dates of the forecast's intervals."""
        return sorted(set(self.forecast["interval_start"].dt.date))

    @property
    def queues(self) -> list[str]:
        """The forecast's queues in order of appearance."""
        return list(dict.fromkeys(self.forecast["queue"].astype(str)))


def _date(value: dt.date | str | pd.Timestamp, name: str) -> dt.date:
    return parse_date(value, name)


def _known_agent(inputs: PlanInputs, agent: str) -> None:
    known = set(inputs.agents["agent_id"].astype(str))
    if agent not in known:
        raise ValueError(f"unknown agent {agent!r}; not in the agents table")


def _known_queue(inputs: PlanInputs, queue: str | None) -> None:
    if queue is not None and queue not in inputs.queues:
        raise ValueError(
            f"unknown queue {queue!r}; the forecast has {', '.join(inputs.queues) or 'no queue'}"
        )


def _roster_dates(roster: pd.DataFrame) -> pd.Series:
    if "date" in roster.columns:
        return pd.to_datetime(roster["date"]).dt.date
    return roster["start"].dt.date


def _add_unavailable(agents: pd.DataFrame, agent: str, days: Iterable[dt.date]) -> pd.DataFrame:
    out = agents.copy()
    if "unavailable" not in out.columns:
        out["unavailable"] = ""
    mask = out["agent_id"].astype(str) == agent
    for idx in out.index[mask]:
        old = out.at[idx, "unavailable"]
        have = [s.strip() for s in str(old).split(";")] if isinstance(old, str) else []
        have = [s for s in have if s]
        new = sorted(set(have) | {d.isoformat() for d in days})
        out.at[idx, "unavailable"] = ";".join(new)
    return out


def _window(
    frame: pd.DataFrame,
    queue: str | None,
    start: dt.date | str | None,
    end: dt.date | str | None,
) -> np.ndarray:
    """Rows of a forecast for ``queue`` (all if None) on local dates ``start``..``end``."""
    mask = np.ones(len(frame), dtype=bool)
    if queue is not None:
        mask &= (frame["queue"].astype(str) == queue).to_numpy()
    days = frame["interval_start"].dt.date
    if start is not None:
        mask &= (days >= _date(start, "start")).to_numpy()
    if end is not None:
        mask &= (days <= _date(end, "end")).to_numpy()
    if start is not None and end is not None and _date(end, "end") < _date(start, "start"):
        raise ValueError(f"end {end} is before start {start}")
    return mask


class Change:
    """Base of the scenario changes: ``apply(inputs) -> PlanInputs`` and a one-line ``describe``."""

    def apply(self, inputs: PlanInputs) -> PlanInputs:  # pragma: no cover - interface
        raise TypeError(f"{type(self).__name__} must define apply()")

    def describe(self) -> str:  # pragma: no cover - interface
        return type(self).__name__


@dataclass(frozen=True)
class SickAgents(Change):
    """Agents off sick on given days: their roster rows those days become one absence block."""

    agents: tuple[str, ...]
    days: tuple[dt.date, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "agents", tuple(str(a) for a in self.agents))
        object.__setattr__(self, "days", tuple(_date(d, "date") for d in self.days))
        if not self.agents or not self.days:
            raise ValueError("SickAgents needs at least one agent and one date")

    def apply(self, inputs: PlanInputs) -> PlanInputs:
        for agent in self.agents:
            _known_agent(inputs, agent)
        roster = inputs.roster
        days = _roster_dates(roster)
        hit = roster["agent_id"].astype(str).isin(self.agents) & days.isin(self.days)
        absence = (
            roster[hit]
            .assign(_day=days[hit])
            .groupby(["agent_id", "_day"], sort=False)
            .agg(start=("start", "min"), end=("end", "max"))
            .reset_index()
            .rename(columns={"_day": "date"})
        )
        absence["activity"] = "absence"
        if "date" in roster.columns and len(roster) and isinstance(roster["date"].iloc[0], str):
            absence["date"] = absence["date"].map(dt.date.isoformat)
        kept = roster[~hit]
        new_roster = pd.concat([kept, absence[kept.columns.intersection(absence.columns)]])
        new_roster = new_roster.sort_values(["agent_id", "start"], kind="stable")
        agents = inputs.agents
        for agent in self.agents:
            agents = _add_unavailable(agents, agent, self.days)
        return inputs.replace(roster=new_roster.reset_index(drop=True), agents=agents)

    def describe(self) -> str:
        days = ", ".join(d.isoformat() for d in self.days)
        return f"{', '.join(self.agents)} sick on {days}"


@dataclass(frozen=True)
class RemoveAgent(Change):
    """One agent fewer: gone from ``from_date`` on (or entirely when ``from_date`` is None)."""

    agent: str
    from_date: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "agent", str(self.agent))
        if self.from_date is not None:
            object.__setattr__(self, "from_date", _date(self.from_date, "from_date"))

    def apply(self, inputs: PlanInputs) -> PlanInputs:
        _known_agent(inputs, self.agent)
        roster = inputs.roster
        mine = roster["agent_id"].astype(str) == self.agent
        if self.from_date is None:
            agents = inputs.agents[inputs.agents["agent_id"].astype(str) != self.agent]
            return inputs.replace(
                roster=roster[~mine].reset_index(drop=True), agents=agents.reset_index(drop=True)
            )
        gone = mine & (_roster_dates(roster) >= self.from_date)
        later = [d for d in inputs.dates if d >= self.from_date]
        agents = _add_unavailable(inputs.agents, self.agent, later)
        return inputs.replace(roster=roster[~gone].reset_index(drop=True), agents=agents)

    def describe(self) -> str:
        since = f" from {self.from_date.isoformat()}" if self.from_date else ""
        return f"without agent {self.agent}{since}"


@dataclass(frozen=True)
class NewHire(Change):
    """A new agent from ``from_date``; on the shifts of agent ``like`` when given.

    Without ``like`` the hire has no shifts until a re-roster places them.
    """

    agent: str
    skills: tuple[str, ...]
    from_date: dt.date
    like: str | None = None
    weekly_hours: float = 37.0
    team: str = "new"

    def __post_init__(self) -> None:
        object.__setattr__(self, "agent", str(self.agent))
        object.__setattr__(self, "skills", tuple(parse_skills(list(self.skills))))
        object.__setattr__(self, "from_date", _date(self.from_date, "from_date"))
        if not self.skills:
            raise ValueError(f"new hire {self.agent!r} needs at least one skill")
        if not 0 < float(self.weekly_hours) <= 60:
            raise ValueError(f"weekly_hours must be in (0, 60]; got {self.weekly_hours}")

    def apply(self, inputs: PlanInputs) -> PlanInputs:
        if self.agent in set(inputs.agents["agent_id"].astype(str)):
            raise ValueError(f"new agent {self.agent!r} is already in the agents table")
        for queue in self.skills:
            _known_queue(inputs, queue)
        row: dict[str, object] = {c: "" for c in inputs.agents.columns}
        row.update(
            {
                "agent_id": self.agent,
                "team": self.team,
                "skills": ";".join(self.skills),
                "weekly_hours": float(self.weekly_hours),
            }
        )
        if self.like is not None:
            _known_agent(inputs, self.like)
            template = inputs.agents[inputs.agents["agent_id"].astype(str) == self.like].iloc[0]
            for col in ("earliest_start", "latest_end"):
                if col in template.index:
                    row[col] = template[col]
        agents = pd.concat([inputs.agents, pd.DataFrame([row])], ignore_index=True)
        before = [d for d in inputs.dates if d < self.from_date]
        if before:
            agents = _add_unavailable(agents, self.agent, before)
        roster = inputs.roster
        if self.like is not None:
            copy = roster[
                (roster["agent_id"].astype(str) == self.like)
                & (_roster_dates(roster) >= self.from_date)
            ].assign(agent_id=self.agent)
            roster = pd.concat([roster, copy], ignore_index=True)
        return inputs.replace(roster=roster, agents=agents)

    def describe(self) -> str:
        like = f" on {self.like}'s shifts" if self.like else ""
        return (
            f"new agent {self.agent} ({', '.join(self.skills)}) from "
            f"{self.from_date.isoformat()}{like}"
        )


@dataclass(frozen=True)
class ScaleVolume(Change):
    """Offered calls (and their prediction interval) times ``factor`` on a queue and dates."""

    factor: float
    queue: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if not float(self.factor) >= 0:
            raise ValueError(f"volume factor must be >= 0; got {self.factor}")

    def apply(self, inputs: PlanInputs) -> PlanInputs:
        _known_queue(inputs, self.queue)
        fc = inputs.forecast.copy()
        mask = _window(fc, self.queue, self.start, self.end)
        for col in ("offered", "offered_lo", "offered_hi"):
            if col in fc.columns:
                values = fc[col].to_numpy(dtype=float)
                fc[col] = np.where(mask, values * float(self.factor), values)
        return inputs.replace(forecast=fc)

    def describe(self) -> str:
        return f"volume x{self.factor:g}{_where(self.queue, self.start, self.end)}"


@dataclass(frozen=True)
class ExtraCalls(Change):
    """``calls`` extra calls on ``queue`` between ``start`` and ``end`` (e.g. after a letter).

    They are spread over the queue's forecast intervals in the window in proportion to the
    forecast (evenly where it is all zero); the prediction interval shifts by the same number
    (the extra calls are known, not uncertain).
    """

    calls: float
    queue: str
    start: dt.date
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if not float(self.calls) >= 0:
            raise ValueError(f"extra calls must be >= 0; got {self.calls}")

    def apply(self, inputs: PlanInputs) -> PlanInputs:
        _known_queue(inputs, self.queue)
        fc = inputs.forecast.copy()
        mask = _window(fc, self.queue, self.start, self.end or self.start)
        if not mask.any():
            raise ValueError(
                f"queue {self.queue!r} has no forecast interval between {self.start} and "
                f"{self.end or self.start}"
            )
        weight = np.where(mask, fc["offered"].to_numpy(dtype=float), 0.0)
        if weight.sum() <= 0:
            weight = mask.astype(float)
        extra = float(self.calls) * weight / weight.sum()
        for col in ("offered", "offered_lo", "offered_hi"):
            if col in fc.columns:
                fc[col] = fc[col].to_numpy(dtype=float) + extra
        return inputs.replace(forecast=fc)

    def describe(self) -> str:
        return f"+{self.calls:g} calls{_where(self.queue, self.start, self.end or self.start)}"


@dataclass(frozen=True)
class ScaleAht(Change):
    """Handle time times ``factor`` on a queue and dates (e.g. 1.10 after a new procedure)."""

    factor: float
    queue: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if not float(self.factor) > 0:
            raise ValueError(f"handle time factor must be > 0; got {self.factor}")

    def apply(self, inputs: PlanInputs) -> PlanInputs:
        _known_queue(inputs, self.queue)
        fc = inputs.forecast.copy()
        mask = _window(fc, self.queue, self.start, self.end)
        values = fc["aht_seconds"].to_numpy(dtype=float)
        fc["aht_seconds"] = np.where(mask, values * float(self.factor), values)
        return inputs.replace(forecast=fc)

    def describe(self) -> str:
        return f"handle time x{self.factor:g}{_where(self.queue, self.start, self.end)}"


@dataclass(frozen=True)
class ChangeGoals(Change):
    """New SLA goals: the given fields replace those of the plan's `SlaGoals`."""

    changes: tuple[tuple[str, float | None], ...]

    def __post_init__(self) -> None:
        fields = {f.name for f in dataclasses.fields(SlaGoals)}
        for name, _ in self.changes:
            if name not in fields:
                raise ValueError(f"unknown goal {name!r}; expected one of {', '.join(fields)}")

    def apply(self, inputs: PlanInputs) -> PlanInputs:
        # goal name -> value; __post_init__ checked the names, SlaGoals checks the values
        goals: dict[str, Any] = dict(self.changes)
        return inputs.replace(goals=dataclasses.replace(inputs.goals, **goals))

    def describe(self) -> str:
        return "goals " + ", ".join(f"{k}={v}" for k, v in self.changes)


def _where(queue: str | None, start: object, end: object) -> str:
    text = f" on {queue}" if queue else ""
    if start is not None or end is not None:
        text += f" {start or '...'} to {end or '...'}"
    return text


#: The re-roster hook: new inputs in, a new roster (roster contract) out.
Reroster = Callable[[PlanInputs], pd.DataFrame]


@dataclass(frozen=True)
class Scenario:
    """A named list of changes, optionally followed by a re-roster."""

    name: str
    changes: Sequence[Change] = ()
    reroster: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ValueError("a scenario needs a name")
        object.__setattr__(self, "changes", tuple(self.changes))

    def describe(self) -> str:
        """One line: the description, or the changes in order."""
        text = self.description or "; ".join(c.describe() for c in self.changes) or "no change"
        return text + ("; re-rostered" if self.reroster else "")


def apply_scenario(
    inputs: PlanInputs, scenario: Scenario, *, reroster: Reroster | None = None
) -> PlanInputs:
    """The inputs with the scenario's changes applied in order, then re-rostered if it asks.

    ``reroster`` is called as ``reroster(changed_inputs)`` and must return a roster frame; a
    scenario with ``reroster=True`` and no hook is a ValueError.
    """
    out = inputs
    for change in scenario.changes:
        out = change.apply(out)
    if scenario.reroster:
        if reroster is None:
            raise ValueError(
                f"scenario {scenario.name!r} asks for a re-roster but no re-roster function "
                "was given"
            )
        out = out.replace(roster=reroster(out))
    return out


def cross_trained_agents(agents: pd.DataFrame) -> pd.DataFrame:
    """Agents with more than one skill, most skills first (candidates for 'one fewer')."""
    n = agents["skills"].map(lambda s: len(parse_skills(s)))
    out = agents.assign(n_skills=n)
    out = out[out["n_skills"] > 1]
    return out.sort_values(["n_skills", "agent_id"], ascending=[False, True]).reset_index(drop=True)
