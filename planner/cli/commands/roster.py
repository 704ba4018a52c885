"""`vagtplan roster`: the week's roster (vagtplan) from requirements, agents and shift rules.

``vagtplan roster --requirements R --agents A --out O.csv [--rules RULES.toml]
[--solver highs|cbc] [--time-limit S] [--gap G] [--workers N] [--locks L.csv]
[--calendar requirements|dk]
[--excel X.xlsx] [--ical-dir D] [--coverage C.csv]``

Reads the requirements (the output of ``vagtplan staff``), the agents and the rules (default:
`staffing.roster.ShiftRules`), plans with `staffing.roster.solve_roster` (progress on stderr),
checks the plan with the independent `staffing.roster.check_roster`, writes the roster
CSV (and the Excel workbook, one iCalendar file per agent and the coverage table when asked)
and prints the diagnosis: where the week is short and why, in a planner's words.

Exit codes: 0 with a plan (also a short one: the diagnosis says where), 2 for bad input, 1
when no plan was found in the time limit or the plan fails the check.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from planner.cli.commands import COMMANDS
from planner.errors import InputError
from planner.io.agents import read_agents
from planner.io.exports import write_icalendars, write_roster_csv, write_roster_excel
from planner.io.requirements import read_requirements
from planner.io.roster import read_roster
from planner.io.rules import read_rules
from planner.io.tables import write_csv
from planner.searches import best_of_text, default_workers, gap_text
from staffing.roster.check import check_roster
from staffing.roster.diagnose import format_diagnostics
from staffing.roster.rules import ShiftRules
from staffing.roster.solve import SOLVERS, solve_roster

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``roster`` subcommand."""
    p = subparsers.add_parser(
        "roster",
        help=COMMANDS["roster"],
        description=(
            "Plan who works when: shifts every 15 minutes, lunches, meetings and training, "
            "weekly hours by contract, skills, the phone policy and the agents' wishes, so that "
            "the requirements are covered where it matters most. Writes the roster in the "
            "roster contract and prints where the week is short and why."
        ),
    )
    p.add_argument(
        "--requirements", required=True, type=Path, help="requirements file (vagtplan staff)"
    )
    p.add_argument("--agents", required=True, type=Path, help="agents file (data/agents.csv)")
    p.add_argument("--out", required=True, type=Path, help="roster CSV to write")
    p.add_argument("--rules", type=Path, help="shift rules TOML (default: the built-in rules)")
    p.add_argument("--solver", choices=SOLVERS, default="highs", help="MIP solver (default: highs)")
    p.add_argument(
        "--time-limit",
        type=float,
        default=120.0,
        help=(
            "seconds for the whole command; the optimizer gets what reading the inputs, "
            "checking and writing the plan leave (at least half), and the best plan by then "
            "is kept (default: 120)"
        ),
    )
    p.add_argument(
        "--gap",
        type=float,
        default=0.01,
        help="stop when the plan is within this fraction of the lower bound (default: 0.01)",
    )
    add_workers_argument(p)
    p.add_argument("--locks", type=Path, help="roster rows to keep as they are (CSV)")
    p.add_argument(
        "--calendar",
        choices=("requirements", "dk"),
        default="requirements",
        help=(
            "opening hours from the requirements' first and last interval of each day "
            "(default) or from the Danish centre calendar"
        ),
    )
    p.add_argument("--excel", type=Path, help="also write the roster as an Excel workbook")
    p.add_argument("--ical-dir", type=Path, help="also write one iCalendar file per agent here")
    p.add_argument("--coverage", type=Path, help="also write coverage per queue and interval")
    p.add_argument(
        "--max-messages",
        type=int,
        default=25,
        help="diagnosis lines to print (default: 25; the summary is always printed)",
    )
    p.set_defaults(func=run)


class _Progress:
    """A tqdm bar on stderr that moves with elapsed time and shows the optimizer's messages."""

    def __init__(self, time_limit: float) -> None:
        from tqdm import tqdm

        self.limit = time_limit
        self.started = time.perf_counter()
        self.bar = tqdm(
            total=100,
            file=sys.stderr,
            bar_format="{l_bar}{bar}| {elapsed} {postfix}",
            desc="vagtplan roster",
            leave=False,
        )

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        target = min(99, int(100 * elapsed / max(self.limit, 1e-9)))
        if target > self.bar.n:
            self.bar.update(target - self.bar.n)
        self.bar.set_postfix_str(message[:90])

    def close(self) -> None:
        self.bar.update(100 - self.bar.n)
        self.bar.close()


def _locks(path: Path) -> pd.DataFrame:
    return read_roster(path)


def run(args: argparse.Namespace) -> int:
    """Plan, check, write, and print the diagnosis."""
    started = time.perf_counter()
    if not args.time_limit > 0:
        raise ValueError(f"--time-limit must be > 0 seconds; got {args.time_limit}")
    workers = workers_of(args.workers)
    if not 0 <= args.gap < 1:
        raise ValueError(f"--gap must be in [0, 1); got {args.gap}")
    requirements = read_requirements(args.requirements)
    agents = read_agents(args.agents, queues=set(requirements["queue"]))
    rules = read_rules(args.rules) if args.rules else ShiftRules()
    locks = _locks(args.locks) if args.locks else None
    calendar = None
    if args.calendar == "dk":
        from forecast.calendar import CentreCalendar

        calendar = CentreCalendar()
    solve_limit = _solve_limit(
        args.time_limit,
        len(agents),
        spent=time.perf_counter() - started,
        excel=args.excel is not None,
        ical=args.ical_dir is not None,
    )
    progress = _Progress(solve_limit)
    try:
        try:
            result = solve_roster(
                requirements,
                agents,
                rules,
                calendar=calendar,
                locks=locks,
                solver=args.solver,
                time_limit=solve_limit,
                gap=args.gap,
                progress=progress,
                workers=workers,
            )
        except ValueError as exc:  # inconsistent inputs the readers cannot see alone
            raise InputError(f"{args.requirements.name} / {args.agents.name}: {exc}") from None
    finally:
        progress.close()
    gap = gap_text(result)
    if best_of := best_of_text(result, seed=True):
        gap += f", {best_of}"
    print(
        f"vagtplan roster: {result.status}, objective {result.objective:.1f}, gap {gap}, "
        f"solver {result.solver}, {result.seconds:.1f} s; under-coverage "
        f"{result.shortfall_hours:.1f} agent-hours",
        file=sys.stderr,
    )
    if result.status == "no_solution":
        print(format_diagnostics(result.diagnostics), file=sys.stderr)
        return 1
    report = check_roster(
        result.roster, agents, requirements, rules, calendar=calendar, locks=locks
    )
    write_roster_csv(result.roster, args.out)
    written = [str(args.out)]
    if args.excel:
        write_roster_excel(result.roster, args.excel, agents, result.coverage)
        written.append(str(args.excel))
    if args.ical_dir:
        paths = write_icalendars(result.roster, args.ical_dir)
        written.append(f"{len(paths)} calendars in {args.ical_dir}")
    if args.coverage:
        write_csv(result.coverage, args.coverage)
        written.append(str(args.coverage))
    print(f"wrote {', '.join(written)}", file=sys.stderr)
    diagnostics = list(result.diagnostics)
    summary = [d for d in diagnostics if d.kind == "summary"]
    rest = [d for d in diagnostics if d.kind != "summary"][: max(args.max_messages, 0)]
    if rest or summary:
        print(format_diagnostics(rest + summary), file=sys.stderr)
    print(
        f"vagtplan roster: {time.perf_counter() - started:.1f} s in all (time limit "
        f"{args.time_limit:g} s, of which the optimizer had {solve_limit:.1f} s)",
        file=sys.stderr,
    )
    print(f"check: {report.summary()}", file=sys.stderr)
    return 0 if report.ok else 1


#: Seconds per agent of what follows the optimizer: the independent check of the plan
#: (`staffing.roster.check.check_roster`) and writing the roster CSV; measured at 2,000 agents
#: on the 2-core benchmark machine while busy (1.2 s and 0.9 s; about half that when quiet).
AFTER_SOLVE_SECONDS_PER_AGENT = 0.0015
#: Seconds per agent of the optional outputs, measured alike: the Excel workbook (``--excel``,
#: 9.6 s at 2,000 agents) and one iCalendar file per agent (``--ical-dir``, 31 s at 2,000:
#: the icalendar library's writing).
EXCEL_SECONDS_PER_AGENT = 0.005
ICAL_SECONDS_PER_AGENT = 0.015


def _solve_limit(
    time_limit: float,
    n_agents: int,
    *,
    spent: float = 0.0,
    excel: bool = False,
    ical: bool = False,
) -> float:
    """The optimizer's share of ``--time-limit``: the limit less the ``spent`` seconds
    (reading the inputs) and what checking and writing the plan of ``n_agents`` take (the
    Excel workbook and the calendars when asked), when that is more than a second (a large
    centre, or slow inputs), and at least half of the limit."""
    per_agent = AFTER_SOLVE_SECONDS_PER_AGENT
    per_agent += EXCEL_SECONDS_PER_AGENT if excel else 0.0
    per_agent += ICAL_SECONDS_PER_AGENT if ical else 0.0
    reserve = max(spent, 0.0) + per_agent * n_agents
    if reserve <= 1.0:
        return time_limit
    return max(time_limit - reserve, 0.5 * time_limit)


def add_workers_argument(p: argparse.ArgumentParser) -> None:
    """``--workers N``: the optimizer's searches side by side (`workers_of`)."""
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help=(
            "searches side by side, one process each, the cheapest plan kept (default: 2 on "
            "a machine with two cores or more, else 1; or the VAGTPLAN_WORKERS variable)"
        ),
    )


def workers_of(value: int | None) -> int:
    """``--workers``: the optimizer's searches side by side (None: `default_workers`, which
    reads ``VAGTPLAN_WORKERS``); refused below 1."""
    if value is None:
        return default_workers()
    if value < 1:
        raise InputError(f"--workers must be at least 1; got {value}")
    return value
