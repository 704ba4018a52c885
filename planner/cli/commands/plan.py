"""`vagtplan plan`: the whole pipeline for one week, from the call history to the simulated KPIs.

``vagtplan plan [--history H] [--week 2026-W49] --out DIR [--agents A] [--rules RULES.toml]
[--model NAME] [--solver highs|cbc] [--time-limit S] [--workers N] [--replications N] [--seed N]
[--overwrite]``

Runs `planner.pipeline.plan_week` (forecast, requirements for the SLA, roster, independent
check, simulation) on the history (default: the embedded data) and the agents and rules
(default: ``data/agents.csv`` and ``data/rules.toml``) and writes ``forecast.csv``,
``requirements.csv``, ``roster.csv``, ``roster.xlsx``, ``coverage.csv``, ``kpi.csv`` and
``report.txt`` into DIR. Files already in DIR are never overwritten unless ``--overwrite`` is
given. Progress goes to stderr (a line per stage, a bar for the optimizer and the replications).

Exit codes: 0 with a plan that passes the check, 2 for bad input, 1 when no plan was found or
the plan fails the check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from forecast.models import DEFAULT_MODEL, MODELS
from planner.cli.commands import COMMANDS
from planner.cli.commands.roster import _Progress, add_workers_argument, workers_of
from planner.io import default_data
from planner.io.agents import read_agents
from planner.io.history import default_history_path, load_history
from planner.io.rules import read_rules
from planner.pipeline import (
    DEFAULT_OVER,
    check_plan_folder,
    parse_week,
    plan_week,
    write_plan,
)
from staffing.period import OVER
from staffing.roster.solve import SOLVERS

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``plan`` subcommand."""
    p = subparsers.add_parser(
        "plan",
        help=COMMANDS["plan"],
        description=(
            "Forecast the week from the call history, compute the agents needed for the SLA "
            "(Erlang A), plan the roster, check it and simulate it; write every table into "
            "one folder. Without --history the embedded default data is used."
        ),
    )
    p.add_argument("--history", type=Path, help="call history (default: the embedded data)")
    p.add_argument(
        "--week",
        help="ISO week to plan, e.g. 2026-W49 (default: the first week after the history)",
    )
    p.add_argument("--out", required=True, type=Path, help="folder for the plan's files")
    p.add_argument("--agents", type=Path, help="agents file (default: data/agents.csv)")
    p.add_argument("--rules", type=Path, help="shift rules TOML (default: data/rules.toml)")
    p.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        choices=sorted(MODELS),
        help=f"forecast model (default: {DEFAULT_MODEL})",
    )
    p.add_argument("--solver", choices=SOLVERS, default="highs", help="MIP solver (default: highs)")
    p.add_argument(
        "--over",
        choices=OVER,
        default=DEFAULT_OVER,
        help=(
            "the period the SLA's goals must hold over: every interval on its own, or the day, "
            f"ISO week or month as the SLA measures them (default: {DEFAULT_OVER})"
        ),
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=120.0,
        help="seconds for the roster optimizer (default: 120)",
    )
    p.add_argument(
        "--replications", type=int, default=30, help="simulation replications (default: 30)"
    )
    add_workers_argument(p)
    p.add_argument("--seed", type=int, default=0, help="simulation seed (default: 0)")
    p.add_argument(
        "--overwrite", action="store_true", help="replace the plan's files if DIR has them"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the pipeline, write the folder, print the report's head."""
    if not args.time_limit > 0:
        raise ValueError(f"--time-limit must be > 0 seconds; got {args.time_limit}")
    workers = workers_of(args.workers)
    start = parse_week(args.week) if args.week else None
    history_path = args.history or default_history_path()
    agents_path = args.agents or default_data.AGENTS
    rules_path = args.rules or default_data.RULES
    # refuse an occupied folder before the slow work, not after it
    check_plan_folder(args.out, args.overwrite)

    def say(message: str) -> None:
        print(f"vagtplan plan: {message}", file=sys.stderr, flush=True)

    say(f"reading {history_path.name}")
    loaded = load_history(history_path)
    queues = set(loaded.frame["queue"].unique())
    agents = read_agents(agents_path, queues=queues)
    rules = read_rules(rules_path) if rules_path.is_file() else None
    bar: _Progress | None = None  # the optimizer's bar, from its first message on
    replications_bar = None

    def roster_progress(message: str) -> None:
        nonlocal bar
        if bar is None:
            bar = _Progress(args.time_limit)
        bar(message)

    def close_bar() -> None:
        nonlocal bar
        if bar is not None:
            bar.close()
            bar = None

    def simulation_progress(done: int, total: int) -> None:
        nonlocal replications_bar
        if replications_bar is None:
            from tqdm import tqdm

            replications_bar = tqdm(
                total=total, desc="simulating", file=sys.stderr, unit="rep", leave=False
            )
        replications_bar.update(1)

    def stage(message: str) -> None:
        if message.startswith("checking"):
            close_bar()
        say(message)

    try:
        result = plan_week(
            loaded,
            agents,
            rules,
            start=start,
            model=args.model,
            solver=args.solver,
            over=args.over,
            time_limit=args.time_limit,
            workers=workers,
            replications=args.replications,
            seed=args.seed,
            progress=stage,
            roster_progress=roster_progress,
            simulation_progress=simulation_progress,
        )
    finally:
        close_bar()
        if replications_bar is not None:
            replications_bar.close()
    paths = write_plan(result, args.out, agents, overwrite=args.overwrite)
    say(f"wrote {', '.join(p.name for p in paths)} in {args.out}")
    head = result.report().split("\n\n")
    print("\n\n".join(head[:2]))
    return 0 if result.check.ok else 1
