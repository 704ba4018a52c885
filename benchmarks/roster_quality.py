"""How good is a short plan? The roster at the interactive limit against a long solve.

Run: ``python benchmarks/roster_quality.py`` (about 12 minutes: four weeks x 10, 30 and 120 s;
``--limits 10,120`` or ``--weeks 2026-W48`` for a shorter run). Prints, in one run, a table of
week x time limit with:

- ``seconds``: the wall time of `staffing.roster.solve.solve_roster` (the limit is for the whole
  call);
- ``objective``: the plan's objective (answered calls lost, from Erlang A's marginal gains, plus
  the rules' weights: fairness, wishes, hours);
- ``under-coverage h``: agent-hours of requirement not covered;
- ``gap calls``: objective minus the proven lower bound (the most answered calls a better plan
  could add);
- ``obj / longest`` and ``under / longest``: the plan against the plan of the longest limit of
  the same week (issue 16's goal: within 1.05 and 1.2 at 10 s);
- the independent checker's verdict; ``seed kept``: the seed of the search whose plan was kept;
- with ``--repeats N`` (N > 1) every solve runs N times and a second table gives, per week,
  searches and limit, the median, lowest and highest objective and the median under-coverage,
  and ``median / longest``: the median against the longest limit's median. A single run varies
  (a solve stops at a wall-clock deadline, so what it finds depends on the machine's pace):
  2026-W49 at 120 s gave 58.6, 62.9 and 65.6 in three runs of the same code. The medians table
  also gives the lowest and highest under-coverage, ``longest's own under spread`` (the longest
  limit's highest under-coverage over its lowest: how far two long plans of the same week are
  apart), ``under + h`` (the median's agent-hours above the longest limit's median) and two
  verdicts: ``goal as written`` (issue 16: median / longest <= 1.05, under / longest <= 1.2) and
  ``goal proposed`` (the same, or at most ``PROPOSED_EXTRA_HOURS`` = 2 agent-hours more:
  under-coverage comes in quarter agent-hours, so where long plans leave 1 h uncovered one
  interval more is 1.25 times, and the objective trades it: on 2026-W49 a 10-s plan better
  than the 120-s plan by the objective left 1.59 times its under-coverage; single 120-s
  searches of W48 left 1.0 and 1.5 h; docs/notes/roster.md, session 12).
- ``workers``: searches side by side (`solve_roster(workers=...)`; default the app's and the
  command line's, `default_workers`: 2 on a 2-core machine); ``--workers 1,2`` runs every
  week and limit with one search and with two, the longest limit of the same count the
  reference.

Weeks, all from the default centre (`app_support.plan.load_default_plan`: the default history's
forecast, Erlang A requirements over each ISO week, the 34 sample agents, data/rules.toml), the same
instance the app and ``vagtplan plan`` plan:

- 2026-W48, the app's default week (23-27 Nov);
- 2026-W49, the payday week (Tuesday 1 December, the month's peak);
- 2026-W52, the Christmas week (24 and 25 December closed: three open days);
- 2026-W50, an ordinary mid-month week;
- sample-2026-W49: benchmarks/roster.py's default week (`sampledata.agents.
  make_sample_requirements`: the synthetic history's expected volume, a 92 % answer rate per
  interval; 34 sample agents, `ShiftRules()`), the week issue 16's figures were measured on;
- scaled-300 (and scaled-N for N agents): benchmarks/roster.py's 300-agent centre (the sample
  agents nine times over, nine times the calls; `roster.scaled_case`), for issue 16's point 3
  ("at 300 agents a 60-s plan within 3 % of a 10-minute plan"):
  ``--weeks scaled-300 --limits 60,600``.

Each solve runs in the benchmark's own process, one after the other, so the machine's load
(printed) matters: a 10-s plan on a busy machine is a worse plan.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from roster import scaled_case  # noqa: E402  (benchmarks/roster.py)

from app_support.plan import load_default_plan, load_rules, plan_days  # noqa: E402
from forecast.calendar import CentreCalendar  # noqa: E402
from planner.searches import default_workers  # noqa: E402
from sampledata.agents import make_sample_agents, make_sample_requirements  # noqa: E402
from staffing.roster.check import check_roster  # noqa: E402
from staffing.roster.rules import ShiftRules  # noqa: E402
from staffing.roster.solve import solve_roster  # noqa: E402

WEEKS = {
    "2026-W48": "default (app)",
    "2026-W49": "payday",
    "2026-W52": "Christmas",
    "2026-W50": "mid-month",
    "sample-2026-W49": "roster.py's week",
    "scaled-300": "300 agents, 9x calls",
}
# Issue 16's goal at 10 s: the objective within 1.05 times the longest limit's plan, the
# under-coverage within 1.2 times.
GOAL_OBJECTIVE = 1.05
GOAL_UNDER = 1.2
# The proposed under-coverage goal's allowance: 2 agent-hours, 0.3 % of the default week's
# 715-hour need (eight agent-intervals).
PROPOSED_EXTRA_HOURS = 2.0


def monday(week: str) -> dt.date:
    """The Monday of an ISO week written ``YYYY-Www`` (or ``sample-YYYY-Www``)."""
    year, number = week.removeprefix("sample-").split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 1)


def solve_once(
    requirements: pd.DataFrame,
    agents: pd.DataFrame,
    rules: ShiftRules,
    limit: float,
    workers: int = 1,
) -> dict:
    """One solve at ``limit`` seconds with ``workers`` searches side by side and the figures
    of its plan."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    result = solve_roster(requirements, agents, rules, time_limit=limit, workers=workers)
    seconds = time.perf_counter() - started
    report = check_roster(result.roster, agents, requirements, rules)
    bound = result.stats.get("lower_bound", float("nan"))
    return {
        "limit s": limit,
        "workers": workers,
        "seconds": round(seconds, 1),
        "load": round(load, 1),
        "objective": round(result.objective, 1),
        "under-coverage h": round(result.shortfall_hours, 1),
        "gap calls": round(result.objective - bound, 1),
        "checker": "OK" if report.ok else f"{len(report.errors)} errors",
        "seed kept": int(result.stats.get("seed", 0)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--weeks",
        default=",".join(w for w in WEEKS if not w.startswith("scaled-")),
        help="ISO weeks, comma-separated (scaled-300: the 300-agent centre, not by default)",
    )
    parser.add_argument("--limits", default="10,30,120", help="seconds, comma-separated")
    parser.add_argument(
        "--workers",
        default=str(default_workers()),
        help=(
            "searches side by side, comma-separated to compare (default: the app's, "
            f"{default_workers()} here; e.g. 1,2)"
        ),
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="runs of every week, limit and number of searches (medians printed when > 1)",
    )
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1; got {args.repeats}")
    worker_counts = [int(v) for v in args.workers.split(",") if v.strip()]
    weeks = [w.strip() for w in args.weeks.split(",") if w.strip()]
    limits = sorted(float(v) for v in args.limits.split(","))
    calendar_weeks = [monday(w) for w in weeks if not w.startswith(("sample-", "scaled-"))]
    plan = None
    if calendar_weeks:
        started = time.perf_counter()
        last = max(calendar_weeks) + dt.timedelta(days=7)
        first = dt.date(2026, 11, 23)  # the Monday after the default history
        plan = load_default_plan(days=max(7, (last - first).days))
        print(f"default plan loaded in {time.perf_counter() - started:.0f} s", flush=True)

    rows = []
    for week in weeks:
        if week.startswith("scaled-"):
            requirements, agents, _ = scaled_case(int(week.split("-")[1]), CentreCalendar())
            rules = ShiftRules()
        elif week.startswith("sample-"):
            requirements = make_sample_requirements(monday(week))
            agents, rules = make_sample_agents(), ShiftRules()
        else:
            assert plan is not None
            requirements = plan_days(plan.requirements, monday(week), 7)
            agents, rules = plan.agents, load_rules()  # data/rules.toml, as the app uses
        if requirements.empty:
            print(f"{week}: no requirement in the default plan; skipped")
            continue
        for workers in worker_counts:
            found = []
            for repeat in range(args.repeats):
                for limit in limits:
                    row = {
                        "week": week,
                        "kind": WEEKS.get(week, ""),
                        "run": repeat + 1,
                        **solve_once(requirements, agents, rules, limit, workers),
                    }
                    found.append(row)
                    print(row, flush=True)
            for repeat in range(args.repeats):  # each run against the same run's longest
                run = [row for row in found if row["run"] == repeat + 1]
                longest = run[-1]
                for row in run:
                    row["obj / longest"] = round(
                        row["objective"] / max(longest["objective"], 1e-9), 3
                    )
                    row["under / longest"] = round(
                        row["under-coverage h"] / max(longest["under-coverage h"], 1e-9), 2
                    )
            rows.extend(found)

    table = pd.DataFrame(rows)
    print()
    print(table.to_string(index=False))
    if args.repeats > 1 and not table.empty:
        print()
        print(f"Medians of {args.repeats} runs:")
        print(medians(table).to_string(index=False))
    print()
    goal = f"obj / longest <= {GOAL_OBJECTIVE:g} and under / longest <= {GOAL_UNDER:g}"
    print(f"Goal (issue 16): at 10 s, {goal}.")
    print(
        "Proposed (under-coverage comes in quarter agent-hours, and the objective trades it: "
        f"a run with obj / longest < 1 can have under / longest > {GOAL_UNDER:g}): the "
        f"medians' {goal} or at most {PROPOSED_EXTRA_HOURS:g} agent-hours more "
        "under-coverage."
    )


def medians(table: pd.DataFrame) -> pd.DataFrame:
    """Per week, searches and limit: the median, lowest and highest objective of the runs, the
    median under-coverage, and each median against the longest limit's median."""
    grouped = table.groupby(["week", "workers", "limit s"], sort=False)
    out = grouped.agg(
        runs=("objective", "size"),
        median=("objective", "median"),
        lowest=("objective", "min"),
        highest=("objective", "max"),
        under_h=("under-coverage h", "median"),
        under_low=("under-coverage h", "min"),
        under_high=("under-coverage h", "max"),
    ).reset_index()
    longest = out.groupby(["week", "workers"])["limit s"].transform("max")
    reference = out[out["limit s"] == longest].set_index(["week", "workers"])
    key = pd.MultiIndex.from_frame(out[["week", "workers"]])
    ratios = (("median", "median / longest", 3), ("under_h", "under / longest", 2))
    for column, name, digits in ratios:
        longest_value = reference[column].reindex(key).to_numpy()
        out[name] = (out[column] / longest_value).round(digits)
    # The reference's own noise: the longest limit's highest under-coverage over its lowest.
    # Under-coverage comes in quarter agent-hours (one agent, one interval), so on a week whose
    # long plans leave 1 h uncovered one interval more is already 1.25 times.
    low = reference["under_low"].reindex(key).to_numpy()
    high = reference["under_high"].reindex(key).to_numpy()
    out["longest's own under spread"] = (high / np.maximum(low, 1e-9)).round(2)
    extra = out["under_h"] - reference["under_h"].reindex(key).to_numpy()
    out["under + h"] = extra.round(2)
    objective_ok = out["median / longest"] <= GOAL_OBJECTIVE
    under_ok = out["under / longest"] <= GOAL_UNDER
    out["goal as written"] = objective_ok & under_ok
    out["goal proposed"] = objective_ok & (under_ok | (extra <= PROPOSED_EXTRA_HOURS))
    return out


if __name__ == "__main__":
    main()
