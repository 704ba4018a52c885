"""Benchmark of the roster optimizer (prints figures; no assertions).

Run: ``python benchmarks/roster.py`` (about 15 minutes with the defaults; ``--quick`` for a
short run). Prints, in one run:

1. the default week (2026-W49: Monday 30 Nov - Friday 4 Dec 2026, the payday peak on Tuesday
   1 December; 34 sample agents, ten queues, 15-minute intervals) with HiGHS and with CBC:
   solve time, status, gap against the proven lower bound, under-coverage in agent-hours, and
   the independent checker's verdict;
2. the same for a 300-agent centre (the sample agents nine times over, nine times the calls);
3. single days of the default week solved exactly (every pattern of every agent in the integer
   program, so HiGHS's bound bounds the whole problem): how far the LP bound, the only bound a
   week gets within seconds, lies below the best plan (``integrality gap % >=``); a gap of
   1 % against the LP bound is out of reach wherever this exceeds 1 %;
4. the time limit at scale (``--sizes``, default 300; e.g. ``--sizes 300,1000,2000``): the
   default week and centres of that many agents (the sample agents copied, the calls scaled
   with them), each solved in a process of its own: the wall time of the whole solve against
   the limit, the peak memory of the process (``resource.getrusage``), objective, gap and the
   checker's verdict (checked after the solve, not timed); ``--scale-only`` runs only this;
5. with ``--whole-command``: the whole ``vagtplan roster`` command (a process of its own:
   Python's start, reading the input files, planning, the independent check, writing the
   roster CSV; with ``--outputs`` also the Excel workbook, the coverage CSV and one iCalendar
   file per agent) for centres of ``--sizes`` agents (34 is the default week; e.g.
   ``--sizes 34,300,1000,2000``): its wall time against ``--time-limit`` and its peak memory
   (``ru_maxrss`` from ``os.wait4``: the largest of the command's process and the second
   search's it waited for; the two run side by side), the optimizer's share of the limit and
   the checker's verdict; ``--workers 1,2`` runs each size with one search and with two (by
   default the command's own default, two on a 2-core machine); only this part runs;
6. a single-skill instance that pyworkforce's shift scheduler (``MinAbsDifference``, OR-Tools
   CP-SAT; run in a separate process because ``ortools`` and ``highspy`` cannot share one)
   can express: the default week's summed requirement, identical agents, 7.5-hour shifts
   without lunch or meetings. Its anonymous shift counts have no people, hours or days per
   week; ours plans the same week for named agents.

Requirements: `sampledata.agents.make_sample_requirements` (the synthetic history's
expected volume, Erlang A for a 92 % answer rate, at least one agent per open queue).
pyworkforce is installed for the benchmark only (``pip install pyworkforce``); without it that
part is skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forecast.calendar import CentreCalendar  # noqa: E402
from sampledata.agents import (  # noqa: E402
    DEFAULT_WEEK_START,
    make_sample_agents,
    make_sample_requirements,
)
from staffing.roster.check import check_roster  # noqa: E402
from staffing.roster.rules import ShiftRules  # noqa: E402
from staffing.roster.solve import solve_roster  # noqa: E402


def scaled_case(size: int, calendar) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Requirements, agents and a label for ``size`` agents: the default week for 34, else the
    sample agents copied (`large_centre`) with the calls scaled alike (9x for 300)."""
    if size == len(make_sample_agents()):
        requirements = make_sample_requirements(DEFAULT_WEEK_START, calendar=calendar)
        return requirements, make_sample_agents(), f"default week, {size} agents"
    scale = 9.0 * size / 300
    requirements = make_sample_requirements(DEFAULT_WEEK_START, scale=scale, calendar=calendar)
    agents = large_centre(copies=-(-size // 34), size=size)
    return requirements, agents, f"{size} agents, {scale:g}x calls"


def one_scaled(size: int, time_limit: float) -> dict:
    """Solve the case of ``size`` agents in this process and measure it (run by `scaled`)."""
    calendar = CentreCalendar()
    requirements, agents, label = scaled_case(size, calendar)
    rules = ShiftRules()
    started = time.perf_counter()
    result = solve_roster(requirements, agents, rules, calendar=calendar, time_limit=time_limit)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    report = check_roster(result.roster, agents, requirements, rules, calendar=calendar)
    notes = [d.message for d in result.diagnostics if d.kind == "solver"]
    return {
        "case": label,
        "agents": size,
        "limit s": time_limit,
        "solve s": round(seconds, 1),
        "over limit s": round(seconds - time_limit, 1),
        "peak MB": round(peak_mb),
        "status": result.status,
        "objective": round(result.objective, 1),
        "lower bound": round(result.stats.get("lower_bound", float("nan")), 1),
        "gap %": None if result.gap is None else round(100 * result.gap, 1),
        "integer program": bool(result.stats.get("integer_program")),
        "checker": "OK" if report.ok else "FAILED",
        "cut short": "; ".join(n.split(";")[0][:60] for n in notes),
    }


def scaled(sizes: list[int], time_limit: float) -> list[dict]:
    """`one_scaled` for the default week and each size, each in a fresh process (so that the
    peak memory is that solve's own)."""
    rows = []
    for size in [len(make_sample_agents()), *sizes]:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--time-limit", str(time_limit)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            rows.append({"case": f"{size} agents", "status": f"failed: {proc.stderr[-300:]}"})
        else:
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    return rows


def whole_command(
    sizes: list[int],
    time_limit: float,
    outputs: bool = False,
    workers: list[int] | None = None,
) -> list[dict]:
    """`one_command` for each size (34: the default week) and each count of ``workers``
    (None: the command's default), the input files written to a temporary directory first
    (not timed)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="vagtplan-roster-bench-") as tmp:
        for size in sizes:
            for count in workers or [None]:
                folder = Path(tmp) / str(size)
                rows.append(one_command(folder, size, time_limit, outputs, count))
                print(rows[-1], flush=True)
    return rows


def one_command(
    folder: Path, size: int, time_limit: float, outputs: bool = False, workers: int | None = None
) -> dict:
    """Run ``vagtplan roster`` on the case of ``size`` agents in a process of its own and
    measure it: the wall time from the process's start to its end (Python's start, imports,
    reading, planning, checking, writing) and its peak memory (``ru_maxrss``)."""
    from planner.io.tables import write_csv

    requirements, agents, label = scaled_case(size, CentreCalendar())
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(requirements, folder / "requirements.csv")
    write_csv(agents, folder / "agents.csv")
    command = [
        sys.executable,
        "-m",
        "planner.cli",
        "roster",
        "--requirements",
        str(folder / "requirements.csv"),
        "--agents",
        str(folder / "agents.csv"),
        "--out",
        str(folder / "roster.csv"),
        "--time-limit",
        f"{time_limit:g}",
    ]
    if workers is not None:
        command += ["--workers", str(workers)]
    if outputs:
        command += ["--excel", str(folder / "roster.xlsx"), "--coverage", str(folder / "cov.csv")]
        command += ["--ical-dir", str(folder / "ical")]
    root = Path(__file__).resolve().parents[1]
    with open(folder / "stderr.txt", "w+b") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace").replace("\r", "\n")
    solved = re.search(r"solver \w+, ([\d.]+) s;", text)
    share = re.search(r"of which the optimizer had ([\d.]+) s", text)
    check = re.search(r"^check: (.*)$", text, flags=re.M)
    return {
        "case": label,
        "agents": size,
        "outputs": "csv, xlsx, ics" if outputs else "csv",
        "limit s": time_limit,
        "workers": "default" if workers is None else workers,
        "whole command s": round(seconds, 1),
        "over limit s": round(seconds - time_limit, 1),
        "peak MB": round(usage.ru_maxrss / 1024),  # KiB on Linux
        "optimizer share s": float(share.group(1)) if share else None,
        "solve s": float(solved.group(1)) if solved else None,
        "exit": proc.returncode,
        "checker": check.group(1)[:40] if check else text.strip()[-200:],
    }


def large_centre(copies: int = 9, size: int = 300) -> pd.DataFrame:
    """The sample agents ``copies`` times over (teams numbered), cut to ``size`` agents."""
    base = make_sample_agents()
    frames = []
    for k in range(copies):
        part = base.copy()
        part["agent_id"] = [f"B{k}{i:02d}" for i in range(len(part))]
        part["team"] = part["team"] + f" {k + 1}"
        frames.append(part)
    return pd.concat(frames, ignore_index=True).iloc[:size].reset_index(drop=True)


def run(label: str, requirements, agents, rules, solver: str, time_limit: float) -> dict:
    started = time.perf_counter()
    result = solve_roster(requirements, agents, rules, solver=solver, time_limit=time_limit)
    seconds = time.perf_counter() - started
    report = (
        check_roster(result.roster, agents, requirements, rules) if len(result.roster) else None
    )
    return {
        "case": label,
        "solver": solver,
        "status": result.status,
        "seconds": round(seconds, 1),
        "gap %": None if result.gap is None else round(100 * result.gap, 1),
        "objective": round(result.objective, 1),
        "lower bound": round(result.stats.get("lower_bound", float("nan")), 1),
        "LP bound": round(result.stats.get("lp_bound", float("nan")), 1),
        "under-coverage h": round(result.shortfall_hours, 1),
        "patterns": result.stats.get("patterns"),
        "checker": "OK" if report is not None and report.ok else "FAILED",
    }


_PYWORKFORCE = textwrap.dedent(
    """
    import json, sys, time
    from pyworkforce.scheduling import MinAbsDifference
    data = json.load(sys.stdin)
    started = time.perf_counter()
    solver = MinAbsDifference(
        num_days=data["days"], periods=data["periods"], shifts_coverage=data["shifts"],
        required_resources=data["required"], max_period_concurrency=data["people"],
        max_shift_concurrency=data["people"], max_search_time=data["time_limit"],
        num_search_workers=2)
    solution = solver.solve()
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "status": solution["status"],
                      "cost": solution["cost"], "shifts": solution["resources_shifts"]}))
    """
)


def single_skill(requirements: pd.DataFrame, people: int, time_limit: float) -> list[dict]:
    """pyworkforce beside our optimizer on the summed, single-skill requirement."""
    total = requirements.groupby("interval_start", as_index=False)["agents"].sum()
    total["queue"] = "Alle"
    local = total["interval_start"].dt.tz_convert("Europe/Copenhagen")
    days = sorted(local.dt.date.unique())
    grid_start = 7 * 60 + 15  # the lead-in before 07:30
    periods = (16 * 60 - grid_start) // 15
    required = np.zeros((len(days), periods), dtype=int)
    for t, need in zip(local, total["agents"]):
        required[days.index(t.date()), (t.hour * 60 + t.minute - grid_start) // 15] = int(need)
    length = 30  # 7.5 hours
    shifts = {}
    for start in range(periods - length + 1):
        cover = [0] * periods
        cover[start : start + length] = [1] * length
        shifts[f"s{start}"] = cover
    rows = []
    agents = pd.DataFrame(
        {
            "agent_id": [f"S{i:02d}" for i in range(people)],
            "team": "Alle",
            "skills": "Alle",
            "weekly_hours": 37.5,
        }
    )
    rules = ShiftRules(
        meetings=(),
        lunch_after_hours=9.0,
        weight_unfair=0.0,
        min_shift_hours=7.5,
        max_shift_hours=7.5,
        hours_tolerance=0.0,
    )
    ours = run("single skill", total, agents, rules, "highs", time_limit)
    rows.append({**ours, "case": "single skill (vagtplan, named agents)"})
    payload = {
        "days": len(days),
        "periods": periods,
        "shifts": shifts,
        "required": required.tolist(),
        "people": people,
        "time_limit": float(time_limit),
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _PYWORKFORCE],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=time_limit + 120,
            check=True,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        note = getattr(exc, "stderr", "") or str(exc)
        rows.append({"case": "single skill (pyworkforce)", "status": f"not run: {note[-200:]}"})
        return rows
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    staffed = np.zeros_like(required)
    for item in out["shifts"]:
        if item["resources"] > 0:
            staffed[item["day"]] += item["resources"] * np.asarray(shifts[item["shift"]])
    short = np.clip(required - staffed, 0, None).sum() * 0.25
    rows.append(
        {
            "case": "single skill (pyworkforce MinAbsDifference)",
            "solver": "CP-SAT",
            "status": out["status"],
            "seconds": round(out["seconds"], 1),
            "under-coverage h": round(float(short), 1),
            "objective": out["cost"],
            "checker": "anonymous shifts: nothing to check",
        }
    )
    return rows


def exact_days(requirements: pd.DataFrame, agents, time_limit: float) -> list[dict]:
    """One day alone, where every pattern of every agent fits in the integer program: the
    solver's proven bound is a bound of the whole problem, so the rows show how far the LP
    bound (all a week can get in seconds) lies below the best plan of the day."""
    local = requirements["interval_start"].dt.tz_convert("Europe/Copenhagen").dt.date
    rows = []
    cases = [
        ("Tue 1 Dec alone (payday peak)", "2026-12-01", ShiftRules()),
        ("Tue 1 Dec alone, no meetings", "2026-12-01", ShiftRules(meetings=())),
        ("Fri 4 Dec alone", "2026-12-04", ShiftRules()),
    ]
    for label, day, rules in cases:
        part = requirements[local == pd.Timestamp(day).date()]
        row = run(label, part, agents, rules, "highs", time_limit)
        bound, lp = row["lower bound"], row["LP bound"]
        # every plan of the day costs at least the proven bound: the LP bound is this far below
        row["integrality gap % >="] = round(100 * max(bound - lp, 0.0) / max(bound, 1e-9), 1)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per solve")
    parser.add_argument("--quick", action="store_true", help="default week with HiGHS only")
    parser.add_argument("--skip-large", action="store_true", help="skip the 300-agent centre")
    parser.add_argument(
        "--skip-exact", action="store_true", help="skip the single days solved exactly"
    )
    parser.add_argument(
        "--sizes",
        default="300",
        help="agents of the centres of the time-limit table, comma-separated (default: 300; "
        "e.g. 300,1000,2000: about a time limit each and 1 GB of memory at 2,000)",
    )
    parser.add_argument(
        "--scale-only", action="store_true", help="only the time-limit table (--sizes)"
    )
    parser.add_argument(
        "--whole-command",
        action="store_true",
        help="only the whole `vagtplan roster` command at --sizes agents (34: the default "
        "week), wall time and peak memory against --time-limit",
    )
    parser.add_argument(
        "--outputs",
        action="store_true",
        help="with --whole-command: also write the Excel workbook, the coverage CSV and the "
        "iCalendar files",
    )
    parser.add_argument(
        "--workers",
        help="with --whole-command: the command's --workers, comma-separated to compare "
        "(default: the command's default)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one case, in a subprocess
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_scaled(args.one, args.time_limit)))
        return
    sizes = [int(v) for v in args.sizes.split(",") if v.strip()]
    if args.whole_command:
        counts = [int(v) for v in args.workers.split(",")] if args.workers else None
        _print_table(whole_command(sizes, args.time_limit, args.outputs, counts))
        return
    if args.scale_only:
        _print_table(scaled(sizes, args.time_limit))
        return
    calendar = CentreCalendar()
    requirements = make_sample_requirements(DEFAULT_WEEK_START, calendar=calendar)
    agents = make_sample_agents()
    rules = ShiftRules()
    solvers = ["highs"] if args.quick else ["highs", "cbc"]
    rows = []
    for solver in solvers:
        rows.append(
            run("default week, 34 agents", requirements, agents, rules, solver, args.time_limit)
        )
        print(rows[-1], flush=True)
    if not (args.quick or args.skip_large):
        big_req = make_sample_requirements(DEFAULT_WEEK_START, scale=9.0, calendar=calendar)
        big = large_centre()
        for solver in solvers:
            rows.append(run("300 agents, 9x calls", big_req, big, rules, solver, args.time_limit))
            print(rows[-1], flush=True)
    if not (args.quick or args.skip_exact):
        for row in exact_days(requirements, agents, args.time_limit):
            rows.append(row)
            print(row, flush=True)
    if not args.quick:
        for row in single_skill(requirements, people=32, time_limit=min(args.time_limit, 60)):
            rows.append(row)
            print(row, flush=True)
    _print_table(rows)
    if not args.quick:
        _print_table(scaled(sizes, args.time_limit))


def _print_table(rows: list[dict]) -> None:
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print()
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()
