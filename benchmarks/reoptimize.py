"""Benchmark of re-optimizing after a one-agent edit: cold (from nothing) against warm (from
the current roster) (issue 16, point 2; prints figures, no assertions).

Run: ``python benchmarks/reoptimize.py`` (about 2 minutes). On the app's default plan (the
first week after the default history, 5 days, `app_support.plan.load_default_plan`, the
default agents and rules) a plan is built at ``--build-limit`` seconds (10, the app's
default); then for several one-agent edits (an agent marked absent on one day, an agent's
shift moved, as the Vagtplan page makes them) every other agent's days are locked, with the
absences, as the page's "re-optimize" does (`app_pages.roster.reoptimize_locks`), and the
week is re-optimized twice in the same run with the same time limit (``--time-limit``, 10):

- cold: ``solve_roster(..., locks=locks)``, the page's path before warm starts;
- warm: ``solve_roster(..., locks=locks, warm=edited_roster)``.

Per edit and path: the wall time of the solver call, the objective (answered calls lost and
the smaller terms), the objective of the edited roster the warm path started from (``start``,
measured by the same objective; ``-`` when the edit left the week outside its rules and the
start is the closest plan), the under-coverage in agent-hours, the gap in answered calls
against the proven lower bound, the status, and the independent checker's errors on the
result with the locks (``lock`` errors: a locked row the plan did not keep).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app_support import edits  # noqa: E402
from app_support import plan as app_plan  # noqa: E402
from staffing.roster.check import check_roster  # noqa: E402
from staffing.roster.solve import solve_roster  # noqa: E402


def edits_to_try(roster: pd.DataFrame, hours: dict) -> list[tuple[str, str, pd.DataFrame]]:
    """Five one-agent edits of ``roster``: (agent, description, edited roster)."""
    days = sorted(set(roster["date"]))
    agents = sorted(set(roster["agent_id"]))
    out: list[tuple[str, str, pd.DataFrame]] = []

    def works(agent: str, day: dt.date) -> bool:
        rows = roster[(roster["agent_id"] == agent) & (roster["date"] == day)]
        return bool(len(rows)) and bool((rows["activity"] != "absence").any())

    def first_worker(start: int, day: dt.date) -> str:
        for i in range(len(agents)):
            agent = agents[(start + i) % len(agents)]
            if works(agent, day):
                return agent
        raise ValueError(f"nobody works on {day}")

    for n, (pick, d) in enumerate([(3, 1), (12, 3), (24, 4)]):
        agent = first_worker(pick, days[d])
        edited = edits.mark_absent(roster, agent, days[d], hours=hours)
        out.append((agent, f"#{n + 1} {agent} absent {days[d]:%a %d %b}", edited))
    for pick, d, minutes in [(7, 2, 60), (19, 0, -30)]:
        agent = first_worker(pick, days[d])
        rows = roster[(roster["agent_id"] == agent) & (roster["date"] == days[d])]
        start = pd.Timestamp(rows["start"].min()) + pd.Timedelta(minutes=minutes)
        edited = edits.move_shift(roster, agent, days[d], start.time())
        label = f"#{len(out) + 1} {agent} shift {minutes:+d} min {days[d]:%a %d %b}"
        out.append((agent, label, edited))
    return out


def locks_for(edited: pd.DataFrame, agent: str) -> pd.DataFrame:
    """Every other agent's days locked, and every absence (as the page's re-optimize)."""
    days = sorted(set(edited["date"]))
    locked = [(a, d) for a in sorted(set(edited["agent_id"])) if a != agent for d in days]
    away = [(a, d) for a, ds in edits.absence_days(edited).items() for d in ds]
    return app_plan.locks_frame(edited, [*locked, *away])


def solve(case: dict, locks: pd.DataFrame, warm: pd.DataFrame | None, limit: float) -> dict:
    """One re-optimization, timed, and its figures."""
    started = time.perf_counter()
    result = solve_roster(
        case["req"],
        case["agents"],
        case["rules"],
        calendar=case["calendar"],
        locks=locks,
        time_limit=limit,
        warm=warm,
    )
    seconds = time.perf_counter() - started
    return {"result": result, "seconds": seconds}


def check_errors(case: dict, edited: pd.DataFrame, result, locks: pd.DataFrame) -> str:
    """The checker's errors on ``result`` with the locks, counted by rule."""
    agents = edits.absence_as_unavailable(case["agents"], edited)
    report = check_roster(
        result.roster, agents, case["req"], case["rules"], calendar=case["calendar"], locks=locks
    )
    counts = Counter(v.rule for v in report.errors)
    return ", ".join(f"{n} {rule}" for rule, n in sorted(counts.items())) or "none"


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or not pd.notna(value) or value == float("inf"):
        return "-"
    return f"{value:.{digits}f}"


def _markdown(table: pd.DataFrame) -> str:
    """``table`` as a Markdown table (for docs/notes/roster.md)."""
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-limit", type=float, default=10.0, help="first plan's limit (s)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="re-optimize limit (s)")
    args = parser.parse_args()

    plan = app_plan.load_default_plan()
    week = app_plan.week_starts(plan.requirements)[0]
    case = {
        "req": app_plan.plan_days(plan.requirements, week, 5),
        "agents": plan.agents,
        "rules": app_plan.load_rules(),
        "calendar": plan.calendar,
    }
    started = time.perf_counter()
    base = solve_roster(
        case["req"],
        case["agents"],
        case["rules"],
        calendar=case["calendar"],
        time_limit=args.build_limit,
    )
    print(
        f"default plan, week of {week}, {case['agents'].shape[0]} agents: built in "
        f"{time.perf_counter() - started:.1f} s at {args.build_limit:g} s, objective "
        f"{base.objective:.1f}, gap {_num(base.gap_calls)} answered calls, {base.status}"
    )
    hours = edits.opening_hours(case["req"], case["calendar"])
    rows = []
    for agent, label, edited in edits_to_try(base.roster, hours):
        locks = locks_for(edited, agent)
        for path, warm in (("cold", None), ("warm", edited)):
            run = solve(case, locks, warm, args.time_limit)
            result = run["result"]
            rows.append(
                {
                    "edit": label,
                    "path": path,
                    "wall s": f"{run['seconds']:.2f}",
                    "start": _num(result.stats.get("start_objective")) if warm is not None else "",
                    "objective": _num(result.objective),
                    "under-cov. h": _num(result.shortfall_hours),
                    "gap calls": _num(result.gap_calls, 2),
                    "status": result.status,
                    "checker errors": check_errors(case, edited, result, locks),
                }
            )
            print(" | ".join(str(v) for v in rows[-1].values()), flush=True)
    table = pd.DataFrame(rows)
    print()
    print(f"re-optimize limit {args.time_limit:g} s; every other agent locked")
    print(_markdown(table))
    for path in ("cold", "warm"):
        seconds = table.loc[table["path"] == path, "wall s"].astype(float)
        spread = f"{seconds.min():.2f}-{seconds.max():.2f} s"
        print(f"{path}: wall {spread} (median {seconds.median():.2f} s)")


if __name__ == "__main__":
    main()
