"""Running a plan's what-if scenarios side by side with the base.

The scenario file's form and its reader are in `planner.io.scenarios`.

`run_scenarios` simulates the base plan and every scenario with the same seed (common random
numbers: differences come from the change, not from noise) and returns the tables a manager
compares: answer rate, wait and abandonment per queue and day side by side, the intervals that
miss the SLA, and the chance of meeting it. Each run is the one prediction of a roster
(`staffing.simulation.standard`: `STANDARD` settings unless the caller changes one), so the
base's figures are the Vagtplan page's, ``vagtplan plan``'s and ``vagtplan simulate``'s for
the same roster and forecast; with ``risk_runs`` each scenario also gets its `SlaChance` from
that many runs with the forecast's uncertainty.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from planner.io.scenarios import BASE
from staffing import kpi
from staffing.simulation.engine import SimulationResult
from staffing.simulation.scenarios import (
    PlanInputs,
    Reroster,
    Scenario,
    apply_scenario,
)
from staffing.simulation.standard import STANDARD, SlaChance, chance_of, simulate_with_goals

__all__ = [
    "BASE",
    "ScenarioComparison",
    "run_scenarios",
    "erlang_requirements",
    "optimizer_reroster",
]


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
    #: the chance of meeting the SLA per scenario name (empty unless ``risk_runs`` was given)
    chances: Mapping[str, SlaChance] = dataclasses.field(default_factory=dict)

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

    def chance(self, name: str) -> SlaChance:
        """The scenario's chance of meeting the SLA: from its risk runs when there were any,
        else from its replications."""
        chance = self.chances.get(name)
        return (
            chance if chance is not None else chance_of(self.results[name], self.inputs[name].goals)
        )

    def summary(self) -> pd.DataFrame:
        """One row per scenario: the whole period for the centre, and how often it meets the SLA."""
        misses = self.misses()
        rows = []
        for scenario in self.scenarios:
            result = self.results[scenario.name]
            week = result.kpi_table(by="total", total=True)
            week = week[week["queue"] == kpi.ALL_QUEUES].iloc[0]
            chance = self.chance(scenario.name)
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
                    "p_meet_week": chance.share,
                    "p_meet_lo": chance.lower,
                    "p_meet_hi": chance.upper,
                    "p_meet_runs": chance.runs,
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
    risk_runs: int = 0,
    **simulate_kwargs: Any,
) -> ScenarioComparison:
    """Simulate the base plan and each scenario with the same seed, for side-by-side tables.

    ``simulate_kwargs`` go to `staffing.simulation.simulate` over the `STANDARD` prediction's
    (replications, seed, routing, handle time; patience, ...); each run uses its scenario's
    goals, their threshold and short-abandon limit included. ``risk_runs`` > 0: each scenario's
    chance of meeting the SLA from that many more runs with the forecast's uncertainty
    (`staffing.simulation.standard`; the summary's ``p_meet_week`` and its interval), else
    from the replications themselves. ``progress(name, done, total)`` reports replications.
    ``reroster`` is the hook for scenarios with ``reroster = true`` (see
    `staffing.simulation.scenarios.apply_scenario`).
    """
    simulate_kwargs = {**STANDARD.simulate_kwargs(), **simulate_kwargs}
    for key in ("goals", "threshold", "short_abandon"):
        if key in simulate_kwargs:
            raise ValueError(f"pass {key} in base.goals, not as a simulate argument")
    runs = [Scenario(BASE), *scenarios]
    names = [s.name for s in runs]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique (and not {BASE!r}); got {names}")
    inputs: dict[str, PlanInputs] = {}
    results: dict[str, SimulationResult] = {}
    chances: dict[str, SlaChance] = {}
    per_run = int(simulate_kwargs["replications"]) + max(risk_runs, 0)
    for scenario in runs:
        changed = apply_scenario(base, scenario, reroster=reroster)
        inputs[scenario.name] = changed
        results[scenario.name] = _simulate_inputs(
            changed, simulate_kwargs, _report_to(progress, scenario.name, 0, per_run)
        )
        if risk_runs > 0:
            risky = {**simulate_kwargs, "replications": risk_runs, "uncertainty": True}
            offset = per_run - risk_runs
            chances[scenario.name] = chance_of(
                _simulate_inputs(
                    changed, risky, _report_to(progress, scenario.name, offset, per_run)
                ),
                changed.goals,
            )
    return ScenarioComparison(tuple(runs), inputs, results, chances)


def _report_to(
    progress: Callable[[str, int, int], None] | None, name: str, offset: int, total: int
) -> Callable[[int, int], None] | None:
    """A simulation's ``progress(done, n)`` as the scenario run's ``progress(name, offset +
    done, total)``."""
    if progress is None:
        return None

    def callback(done: int, _n: int) -> None:
        progress(name, offset + done, total)

    return callback


def _simulate_inputs(
    inputs: PlanInputs,
    kwargs: Mapping[str, Any],
    progress: Callable[[int, int], None] | None,
) -> SimulationResult:
    """Simulate one scenario's inputs with its own goals."""
    return simulate_with_goals(
        inputs.roster, inputs.forecast, inputs.agents, inputs.goals, progress=progress, **kwargs
    )


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
