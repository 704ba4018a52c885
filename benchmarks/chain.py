"""The whole chain on the default data, read as a manager would: does the plan hold together?

Run: ``python benchmarks/chain.py [--weeks 2026-W48 2026-W49] [--time-limit 60]``

For each week, `planner.pipeline.plan_week` (what ``vagtplan plan`` runs) and then, beside it
in the same run, the baseline of the roster with everybody on the phone for their whole shift
(``off_phone = false``, the roster before the release of surplus phone time): the
requirement in agent-hours (SLA over the week), the roster's phone and off-phone hours, the
predicted week (`staffing.simulation.standard`: answer rate, average wait, first-contact
resolution) and the chance of meeting the SLA for the plan as it is, with 15 % more calls and
with the two agents with the most phone time gone (200 runs each with the forecast's
uncertainty). The issue's target: a simulated answer rate of 92-97 % with an average wait of at
most 150 s, phone time within 10 % of the requirement, and a chance that falls under stress.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from planner.io import default_data  # noqa: E402
from planner.io.agents import read_agents  # noqa: E402
from planner.io.history import load_history  # noqa: E402
from planner.io.rules import read_rules  # noqa: E402
from planner.pipeline import SLA, parse_week, plan_week  # noqa: E402
from planner.scenarios import BASE, run_scenarios  # noqa: E402
from staffing import kpi  # noqa: E402
from staffing.simulation.scenarios import (  # noqa: E402
    PlanInputs,
    RemoveAgent,
    ScaleVolume,
    Scenario,
)
from staffing.simulation.standard import STANDARD  # noqa: E402


def _stress(roster) -> list[Scenario]:
    phone = roster[roster["activity"] == "phone"]
    hours = ((phone["end"] - phone["start"]).dt.total_seconds()).groupby(phone["agent_id"]).sum()
    busiest = hours.sort_values(ascending=False).index[:2]
    return [
        Scenario("+15 % calls", (ScaleVolume(1.15),)),
        Scenario("two agents fewer", tuple(RemoveAgent(str(a), None) for a in busiest)),
    ]


def _row(label: str, run, agents) -> str:
    week = run.simulation.kpi_table(by="total", total=True)
    centre = week[week["queue"] == kpi.ALL_QUEUES].iloc[0]
    inputs = PlanInputs(run.forecast, run.roster.roster, agents, SLA)
    chances = run_scenarios(
        inputs, _stress(run.roster.roster), risk_runs=STANDARD.risk_runs
    ).chances
    return (
        f"{label:<28} {run.requirements['agents'].sum() / 4:>7.0f} {run.phone_hours():>7.0f} "
        f"{run.off_phone_hours():>7.0f} {centre.answer_rate:>7.1%} {centre.asa_seconds:>6.0f} "
        f"{centre.fcr:>6.1%}  {chances[BASE].share:>6.1%} {chances['+15 % calls'].share:>6.1%} "
        f"{chances['two agents fewer'].share:>6.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", nargs="+", default=["2026-W48", "2026-W49"])
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    loaded = load_history(default_data.HISTORY)
    agents = read_agents(default_data.AGENTS)
    rules = read_rules(default_data.RULES)
    baseline = dataclasses.replace(rules, off_phone=False)
    print(
        f"roster time limit {args.time_limit:g} s; prediction {STANDARD.replications} runs, "
        f"chance {STANDARD.risk_runs} runs with the forecast's uncertainty\n"
    )
    print(
        f"{'week / roster':<28} {'need h':>7} {'phone h':>7} {'off h':>7} {'answer':>7} "
        f"{'wait s':>6} {'FCR':>6}  {'P(SLA)':>6} {'+15 %':>6} {'-2 ag.':>6}"
    )
    for week in args.weeks:
        start = parse_week(week)
        for label, chosen in (
            ("plan (off-phone release)", rules),
            ("baseline: all on phone", baseline),
        ):
            began = time.perf_counter()
            run = plan_week(
                loaded, agents, chosen, start=start, time_limit=args.time_limit, risk=False
            )
            line = _row(f"{week} {label}", run, agents)
            print(f"{line}   ({time.perf_counter() - began:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
