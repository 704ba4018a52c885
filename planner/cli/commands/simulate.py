"""`vagtplan simulate`: what a roster will deliver against a forecast, by discrete-event simulation.

Reads a roster (``agent_id, date, start, end, activity``), a forecast (``interval_start, queue,
offered, [offered_lo, offered_hi,] aht_seconds``) and the agents (``agent_id, skills, ...``),
runs `staffing.simulation.engine.simulate` and writes the KPI table of DESIGN.md to ``--out``:
``queue, date[, interval_start], offered, answered, abandoned, abandoned_short, transferred,
answer_rate, service_level, asa_seconds`` (each rate with ``_lo``/``_hi`` 95 % confidence
bounds), followed by ``abandon_rate`` and ``fcr`` with theirs.

The defaults are the one prediction of a roster (`staffing.simulation.standard.STANDARD`: 30
replications from seed 0, the queues' own patience, ``primary_first`` routing), so the figures
are ``vagtplan plan``'s and the app's for the same roster and forecast. Then the chance that
the whole period meets the SLA's answer rate and wait is printed with its resolution, from
``--risk-runs`` (200) more runs in which each day's volume is drawn from the forecast's 80 %
prediction interval. With ``--uncertainty`` the replications themselves draw the volumes, and
``<out>_sla.csv`` gets the probability that each day and the whole period meet the SLA.
With ``--scenario S.toml`` (format: `planner.scenarios`) the base plan and every scenario
are simulated with the same seed (each with its chance of meeting the SLA); ``--out`` then has
a leading ``scenario`` column, and ``<out>_comparison.csv`` (answer rate, wait, abandonment
per queue and day side by side), ``<out>_misses.csv`` (intervals missing the SLA) and
``<out>_summary.csv`` are written beside it; scenarios with ``reroster = true`` are
re-planned by the roster optimizer (`planner.scenarios.optimizer_reroster`: Erlang A
requirements for the goals, then `staffing.roster.solve.solve_roster` with ``--rules``).
Progress goes to stderr; a short summary to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from planner.cli.commands import COMMANDS
from planner.errors import InputError
from planner.io.agents import read_agents
from planner.io.forecast import read_forecast
from planner.io.roster import (
    RosterTable,
    check_covers_forecast,
    load_roster,
    require_phone_time,
)
from planner.io.rules import read_rules
from planner.io.scenarios import BASE, load_scenarios
from planner.io.tables import write_csv
from planner.scenarios import optimizer_reroster, run_scenarios
from staffing import kpi
from staffing.simulation.engine import HANDLE_TIMES, ROUTINGS
from staffing.simulation.scenarios import PlanInputs
from staffing.simulation.standard import (
    STANDARD,
    chance_of,
    simulate_with_goals,
)

__all__ = ["register", "run"]

#: The centre's SLA, from its one definition (`staffing.kpi.SlaGoals`).
SLA = kpi.SlaGoals()


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``simulate`` subcommand."""
    parser = subparsers.add_parser(
        "simulate",
        help=COMMANDS["simulate"],
        description=(
            "Discrete-event simulation of a roster against a forecast: Poisson arrivals "
            "per queue and interval, skill-based routing to the agents on the phone, caller "
            "patience, transfers, lunches and meetings from the roster. Writes the KPI table "
            "per queue and day (or interval) with 95 %% confidence intervals over the "
            "replications."
        ),
    )
    _add_input_options(parser)
    _add_run_options(parser)
    _add_scenario_options(parser)
    _add_model_options(parser)
    _add_goal_options(parser)
    parser.set_defaults(func=run)


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    """The files read and written: ``--roster``, ``--forecast``, ``--agents``, ``--out``."""
    parser.add_argument("--roster", required=True, type=Path, help="roster file (CSV/xlsx)")
    parser.add_argument("--forecast", required=True, type=Path, help="forecast file")
    parser.add_argument("--agents", required=True, type=Path, help="agents file (skills)")
    parser.add_argument("--out", required=True, type=Path, help="KPI table to write (CSV)")


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Replications, patience, seed and the rows of the KPI table (``--by``)."""
    parser.add_argument(
        "--replications",
        type=int,
        default=STANDARD.replications,
        help=f"independent replications (default: {STANDARD.replications}, as everywhere)",
    )
    parser.add_argument(
        "--risk-runs",
        type=int,
        default=STANDARD.risk_runs,
        help=(
            "runs with the forecast's uncertainty behind the chance of meeting the SLA "
            f"(default: {STANDARD.risk_runs}; 0: no chance; needs offered_lo/offered_hi)"
        ),
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=None,
        help="mean caller patience in seconds, all queues (default: per queue, centre.queues)",
    )
    parser.add_argument(
        "--seed", type=int, default=STANDARD.seed, help=f"random seed (default: {STANDARD.seed})"
    )
    parser.add_argument(
        "--by",
        choices=("day", "interval"),
        default="day",
        help="one row per queue and day (default) or per queue and interval",
    )


def _add_scenario_options(parser: argparse.ArgumentParser) -> None:
    """What-if scenarios and the roster optimizer for re-rostered ones."""
    parser.add_argument(
        "--scenario", type=Path, default=None, help="TOML file of what-if scenarios"
    )
    parser.add_argument(
        "--rules",
        type=Path,
        default=None,
        help="shift rules (TOML) for scenarios with reroster = true (default: built-in rules)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        help="seconds for the roster optimizer per re-rostered scenario (default: 60)",
    )


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    """The simulation model: forecast uncertainty, sickness, overdispersion, routing, handling."""
    parser.add_argument(
        "--uncertainty",
        action="store_true",
        help="draw each day's volume from the forecast's 80 %% interval; write P(meet SLA)",
    )
    parser.add_argument(
        "--sick-rate",
        type=float,
        default=0.0,
        help="probability that an agent-day is lost to sickness (default: 0)",
    )
    parser.add_argument(
        "--day-cv",
        type=float,
        default=0.0,
        help="day-level overdispersion of arrivals, coefficient of variation (default: 0)",
    )
    parser.add_argument(
        "--routing", choices=ROUTINGS, default=STANDARD.routing, help="routing policy"
    )
    parser.add_argument(
        "--handle-time",
        choices=HANDLE_TIMES,
        default=STANDARD.handle_time,
        help=f"handle-time distribution (default: {STANDARD.handle_time}, CV 1)",
    )


def _add_goal_options(parser: argparse.ArgumentParser) -> None:
    """The service goals (defaults: the centre's SLA)."""
    parser.add_argument(
        "--answer-rate",
        type=float,
        default=SLA.answer_rate,
        help=f"answer-rate goal (default: {SLA.answer_rate:g})",
    )
    parser.add_argument(
        "--asa",
        type=float,
        default=SLA.asa_seconds,
        help=f"average-wait goal in seconds (default: {SLA.asa_seconds:g})",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=SLA.threshold,
        help=f"service-level threshold in seconds (default: {SLA.threshold:g})",
    )


def _check_agents(roster: RosterTable, agents: pd.DataFrame, agents_name: str) -> None:
    """Every rostered agent is in the agents file (the simulation needs their skills)."""
    frame = roster.frame
    unknown = ~frame["agent_id"].isin(set(agents["agent_id"]))
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            f"{roster.name}: row {roster.rows[pos]}, column 'agent_id': agent "
            f"'{frame['agent_id'].iloc[pos]}' is not in the agents file {agents_name}; "
            "expected the agent ids of that file"
        )


# --- running ----------------------------------------------------------------------------------


def _progress(total: int, desc: str):  # noqa: ANN202 - a tqdm bar or a no-op
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc=desc, file=sys.stderr, unit="rep", leave=False)


def _sibling(out: Path, suffix: str) -> Path:
    return out.with_name(f"{out.stem}_{suffix}{out.suffix or '.csv'}")


def _round(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            digits = (
                2
                if col.startswith(
                    ("asa_seconds", "offered", "answered", "abandoned", "transferred")
                )
                else 4
            )
            out[col] = out[col].round(digits)
    return out


def run(args: argparse.Namespace) -> int:
    """Run the simulation (and scenarios) and write the tables."""
    _check_run_options(args)
    goals = kpi.SlaGoals(
        answer_rate=args.answer_rate, asa_seconds=args.asa, threshold=args.threshold
    )
    forecast, roster, agents = _read_inputs(args)
    options = _simulation_options(args)
    risk_runs = _risk_runs(args, forecast)
    if args.scenario is None:
        result = _simulate_plan(args, roster, forecast, agents, goals, options)
        _write_plan_outputs(args, result, goals)
        if risk_runs and not args.uncertainty:
            _report_chance(args, roster, forecast, agents, goals, options, risk_runs)
        return 0

    scenarios = load_scenarios(args.scenario, agents=agents, forecast=forecast)
    base = PlanInputs(forecast=forecast, roster=roster, agents=agents, goals=goals)
    comparison = _simulate_scenarios(args, base, scenarios, options, risk_runs)
    summary = _write_scenario_outputs(args.out, args.by, comparison)
    _report_scenarios(args.out, summary, comparison)
    return 0


def _check_run_options(args: argparse.Namespace) -> None:
    """Reject a replication count below one and a patience that is not positive."""
    if args.replications < 1:
        raise InputError(f"--replications must be at least 1; got {args.replications}")
    if args.risk_runs < 0:
        raise InputError(f"--risk-runs must be 0 or more; got {args.risk_runs}")
    if args.patience is not None and not args.patience > 0:
        raise InputError(f"--patience must be > 0 seconds; got {args.patience:g}")


def _read_inputs(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read the forecast, roster and agents, and refuse a roster that cannot be simulated.

    The roster must have phone rows, name only agents of the agents file, and have phone time
    inside the forecast's intervals (a roster for another week would answer no call). Each
    refusal is an `InputError` (exit code 2) naming the file, row or column.
    """
    forecast = read_forecast(args.forecast, uncertainty=args.uncertainty)
    roster = load_roster(args.roster)
    require_phone_time(roster)
    agents = read_agents(args.agents)
    _check_agents(roster, agents, args.agents.name)
    check_covers_forecast(roster, forecast, forecast_name=args.forecast.name)
    return forecast, roster.frame, agents


def _simulation_options(args: argparse.Namespace) -> dict:
    """The keyword arguments shared by `simulate` and `run_scenarios`."""
    return {
        "replications": args.replications,
        "seed": args.seed,
        "patience": args.patience,
        "handle_time": args.handle_time,
        "routing": args.routing,
        "day_cv": args.day_cv,
        "sick_rate": args.sick_rate,
        "uncertainty": args.uncertainty,
    }


def _simulate_plan(
    args: argparse.Namespace,
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    agents: pd.DataFrame,
    goals: kpi.SlaGoals,
    options: dict,
):
    """Simulate the base plan alone, with a progress bar on stderr."""
    return _with_bar("simulating", roster, forecast, agents, goals, options)


def _with_bar(
    label: str,
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    agents: pd.DataFrame,
    goals: kpi.SlaGoals,
    options: dict,
):
    """`simulate_with_goals` with ``options``, a progress bar on stderr labelled ``label``."""
    bar = _progress(options["replications"], label)
    result = simulate_with_goals(
        roster,
        forecast,
        agents,
        goals,
        progress=(lambda done, total: bar.update(1)) if bar is not None else None,
        **options,
    )
    if bar is not None:
        bar.close()
    return result


def _write_plan_outputs(args: argparse.Namespace, result, goals: kpi.SlaGoals) -> None:
    """Write and report the KPI table and, with ``--uncertainty``, the SLA probabilities."""
    out: Path = args.out
    table = result.kpi_table(by=args.by)
    write_csv(_round(table), out)
    _report_plan(args, result, out, len(table))
    if args.uncertainty:
        _write_sla_probability(result, goals, out)


def _report_plan(args: argparse.Namespace, result, out: Path, rows: int) -> None:
    """Print the whole period's figures for all queues."""
    week = result.kpi_table(by="total", total=True)
    centre = week[week["queue"] == kpi.ALL_QUEUES].iloc[0]
    print(
        f"wrote {out} ({rows} rows). Whole period, all queues: answer rate "
        f"{centre.answer_rate:.1%} [{centre.answer_rate_lo:.1%}, {centre.answer_rate_hi:.1%}], "
        f"average wait {centre.asa_seconds:.0f} s, abandoned {centre.abandon_rate:.1%} "
        f"({args.replications} replications, seed {args.seed})"
    )


def _write_sla_probability(result, goals: kpi.SlaGoals, out: Path) -> None:
    """Write ``<out>_sla.csv`` and print the whole period's chance of meeting the SLA."""
    prob = result.sla_probability(goals)
    path = _sibling(out, "sla")
    write_csv(_round(prob), path)
    chance = chance_of(result, goals)
    print(
        "with forecast uncertainty the plan meets the service goals for the whole "
        f"period with a chance of {chance.text()}; per day in {path}"
    )


def _risk_runs(args: argparse.Namespace, forecast: pd.DataFrame) -> int:
    """The runs behind the chance of meeting the SLA: ``--risk-runs``, or 0 (with a note on
    stderr) when the forecast has no prediction interval to draw from."""
    if args.risk_runs and not {"offered_lo", "offered_hi"} <= set(forecast.columns):
        print(
            f"{args.forecast.name} has no offered_lo/offered_hi: no chance of meeting the SLA "
            "(it needs the forecast's prediction interval)",
            file=sys.stderr,
        )
        return 0
    return int(args.risk_runs)


def _report_chance(
    args: argparse.Namespace,
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    agents: pd.DataFrame,
    goals: kpi.SlaGoals,
    options: dict,
    risk_runs: int,
) -> None:
    """Print the chance that the whole period meets the SLA, from ``risk_runs`` runs with the
    forecast's uncertainty (`staffing.simulation.standard`)."""
    risky = {**options, "replications": risk_runs, "uncertainty": True}
    result = _with_bar("chance of meeting the SLA", roster, forecast, agents, goals, risky)
    print(
        "chance of meeting the SLA's goals for the whole period, with the forecast's "
        f"uncertainty: {chance_of(result, goals).text()}"
    )


def _simulate_scenarios(
    args: argparse.Namespace, base: PlanInputs, scenarios: list, options: dict, risk_runs: int
):
    """Simulate the base plan and every scenario, re-rostering those that ask for it."""
    reroster = None
    if any(s.reroster for s in scenarios):
        rules = read_rules(args.rules) if args.rules is not None else None
        reroster = optimizer_reroster(
            rules=rules, patience=args.patience, time_limit=args.time_limit
        )
        print("re-rostering scenarios with the roster optimizer", file=sys.stderr)
    total = (args.replications + risk_runs) * (len(scenarios) + 1)
    bar = _progress(total, "simulating scenarios")
    comparison = run_scenarios(
        base,
        scenarios,
        reroster=reroster,
        risk_runs=risk_runs,
        progress=(lambda name, done, n: bar.update(1)) if bar is not None else None,
        **options,
    )
    if bar is not None:
        bar.close()
    return comparison


def _write_scenario_outputs(out: Path, by: str, comparison) -> pd.DataFrame:
    """Write the KPI table and its _comparison, _misses and _summary tables; the summary."""
    table = comparison.kpi_table(by=by)
    write_csv(_round(table), out)
    write_csv(_round(comparison.side_by_side(by="day")), _sibling(out, "comparison"))
    write_csv(_round(comparison.misses()), _sibling(out, "misses"))
    summary = comparison.summary()
    write_csv(_round(summary), _sibling(out, "summary"))
    return summary


def _report_scenarios(out: Path, summary: pd.DataFrame, comparison) -> None:
    """Print the files written and one line per scenario."""
    print(f"wrote {out} and its _comparison, _misses and _summary tables")
    for row in summary.itertuples(index=False):
        label = "base plan" if row.scenario == BASE else row.scenario
        print(
            f"  {label}: answer rate {row.answer_rate:.1%}, average wait "
            f"{row.asa_seconds:.0f} s, abandoned {row.abandon_rate:.1%}, chance the week "
            f"meets the SLA {comparison.chance(row.scenario).text()}, intervals missing the SLA "
            f"{row.intervals_missing_sla}"
        )
