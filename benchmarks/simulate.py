"""Speed of `staffing.simulation.simulate` on a centre like the default one, beside a baseline.

Run: ``python benchmarks/simulate.py [--replications 30] [--scale 10]``

The centre is built here (not by the roster optimizer, so the figure does not depend on it): the
week of Monday 2 March 2026 with the Danish opening hours and queue windows
(`forecast.calendar.CentreCalendar`), the ten queues with their yearly volumes from
`centre.queues.QUEUES` spread over the week (about 7,500 calls; Mondays and 10-13 busier),
and 34 agents with 2-4 skills each on day shifts with lunch, two breaks, 75 minutes of
back-office work a day and a weekly team meeting.

Printed, as wall time and as this process's CPU time (the machine is shared, so wall time
varies with the load): one simulated week, ``--replications`` weeks (goal, issue 12: 30 weeks in
at most 1 s) beside the SimPy engine's figure recorded before the event loop replaced it (the
SimPy engine is no longer in the repository: `SIMPY_RECORDED`), the same with forecast
uncertainty, sickness and overdispersion on, the KPI tables, a centre ``--scale`` times larger,
and as a baseline measured in the same run the Erlang A evaluation of the same week
(`staffing.kpi.expected_counts`, the analytic alternative the simulation refines).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

# Run as a script, this folder is first on sys.path, where benchmarks/forecast.py would shadow
# the `forecast` package: import the project's packages, not the sibling scripts.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from centre.queues import QUEUES  # noqa: E402
from forecast.calendar import TZ, CentreCalendar  # noqa: E402
from staffing import kpi  # noqa: E402
from staffing.simulation.engine import simulate  # noqa: E402

WEEK_START = dt.date(2026, 3, 2)
#: The SimPy engine (commit a6a520e, simpy 4.1.2) on this script's centre, 30 replications, seed
#: 1, on the project's 2-core machine shared with other jobs (load 1.9-3.5), 2026-12-06: two runs
#: of ``python benchmarks/simulate.py`` with that engine and seven rounds interleaved with the
#: event loop in one process (identical counts); the engine is no longer in the repository
#: (docs/notes/simulation.md, "Engine choice, measured").
SIMPY_RECORDED = "1.96-3.30 s wall, 1.95-2.15 s CPU"
DAY_WEIGHT = {0: 1.25, 1: 1.0, 2: 0.9, 3: 0.95, 4: 0.8}


def _intraday(minutes: np.ndarray) -> np.ndarray:
    """Relative call intensity by clock minute: a ramp from opening, the 10-13 peak, a tail."""
    return 0.6 + 0.8 * np.exp(-(((minutes - 11.5 * 60) / 110.0) ** 2))


def default_like_centre(
    scale: int = 1, seed: int = 7
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Forecast, roster and agents of one week of a centre like the default (``scale`` x larger)."""
    rng = np.random.default_rng(seed)
    cal = CentreCalendar()
    days = [WEEK_START + dt.timedelta(days=k) for k in range(5)]
    weekly = {q.name: q.yearly_calls / 52.0 * scale for q in QUEUES}
    rows = []
    for q in QUEUES:
        parts = []
        for day in days:
            grid = cal.open_intervals(day, q.name)
            minutes = (grid.hour * 60 + grid.minute).to_numpy(dtype=float)
            w = _intraday(minutes) * DAY_WEIGHT[day.weekday()]
            parts.append(pd.DataFrame({"interval_start": grid, "w": w}))
        frame = pd.concat(parts, ignore_index=True)
        frame["offered"] = weekly[q.name] * frame["w"] / frame["w"].sum()
        frame["queue"] = q.name
        frame["aht_seconds"] = q.aht_seconds
        rows.append(frame.drop(columns="w"))
    forecast = pd.concat(rows, ignore_index=True)
    # 80 % intervals as the forecast engine writes them: negative binomial mid-quantiles, here
    # with a day-level factor of 10 % standard deviation (dispersion 0.01).
    from forecast.models.intervals import nb_interval

    lo, hi = nb_interval(forecast["offered"].to_numpy(), 0.01, 0.8)
    forecast["offered_lo"] = lo
    forecast["offered_hi"] = hi
    forecast = forecast[
        ["interval_start", "queue", "offered", "offered_lo", "offered_hi", "aht_seconds"]
    ]

    # Agents: primary skills in proportion to workload, 1-3 extra skills each.
    load = np.array([q.yearly_calls * q.aht_seconds for q in QUEUES], dtype=float)
    n_agents = 34 * scale
    names = [q.name for q in QUEUES]
    primary = rng.choice(len(QUEUES), size=n_agents, p=load / load.sum())
    primary[: len(QUEUES)] = np.arange(len(QUEUES))  # every queue has a primary agent
    agents = []
    for a in range(n_agents):
        extra = rng.choice(
            [k for k in range(len(QUEUES)) if k != primary[a]],
            size=int(rng.integers(1, 4)),
            replace=False,
            p=None,
        )
        skills = [names[primary[a]], *[names[k] for k in extra]]
        agents.append(
            {"agent_id": f"A{a + 1:03d}", "team": f"T{a % 4 + 1}", "skills": ";".join(skills)}
        )
    agents = pd.DataFrame(agents)

    # Roster: staggered day shifts inside opening hours; lunch, two breaks; Tuesday team meeting.
    roster = []
    for a, agent in enumerate(agents["agent_id"]):
        offset = (a % 3) * 30  # 07:30, 08:00 or 08:30 starts
        for day in days:
            opens, closes = cal.opening_hours(day)
            day0 = pd.Timestamp(day).tz_localize(TZ)
            start = day0 + pd.Timedelta(hours=opens.hour, minutes=opens.minute + offset)
            end = min(
                start + pd.Timedelta(hours=8),
                day0 + pd.Timedelta(hours=closes.hour, minutes=closes.minute),
            )
            lunch = day0 + pd.Timedelta(hours=11, minutes=(a % 4) * 30)
            pauses = [
                (start + pd.Timedelta(hours=2), pd.Timedelta(minutes=15), "break"),
                (lunch, pd.Timedelta(minutes=30), "lunch"),
                (lunch + pd.Timedelta(hours=2, minutes=15), pd.Timedelta(minutes=15), "break"),
            ]
            # Back-office work away from the phone (case work, e-mail), staggered in the afternoon.
            desk = day0 + pd.Timedelta(hours=13, minutes=(a % 3) * 30)
            pauses.append((desk, pd.Timedelta(minutes=75), "training"))
            if day.weekday() == 1:
                meeting = day0 + pd.Timedelta(hours=8, minutes=(a % 2) * 15)
                pauses.append((meeting, pd.Timedelta(minutes=45), "meeting"))
            pauses = sorted(p for p in pauses if p[0] + p[1] <= end)
            t = start
            for p_start, p_len, what in pauses:
                if p_start > t:
                    roster.append((agent, day, t, p_start, "phone"))
                roster.append((agent, day, p_start, p_start + p_len, what))
                t = max(t, p_start + p_len)
            if end > t:
                roster.append((agent, day, t, end, "phone"))
    roster = pd.DataFrame(roster, columns=["agent_id", "date", "start", "end", "activity"])
    return forecast, roster, agents


def _coverage(roster: pd.DataFrame, agents: pd.DataFrame, forecast: pd.DataFrame) -> pd.Series:
    """Agents per queue and interval, each agent split evenly over their skills (for Erlang A)."""
    skills = agents.set_index("agent_id")["skills"].str.split(";")
    phone = roster[roster["activity"] == "phone"]
    cover = pd.Series(0.0, index=pd.MultiIndex.from_frame(forecast[["interval_start", "queue"]]))
    starts = forecast["interval_start"].drop_duplicates().sort_values()
    for row in phone.itertuples(index=False):
        mine = skills[row.agent_id]
        inside = starts[(starts >= row.start) & (starts < row.end)]
        for q in mine:
            idx = pd.MultiIndex.from_arrays([inside, [q] * len(inside)])
            idx = idx[idx.isin(cover.index)]
            cover.loc[idx] += 1.0 / len(mine)
    return cover


def _timed(fn, *args, **kwargs):  # noqa: ANN001, ANN202 - a tiny timing helper
    """Run ``fn`` once; return its result, wall seconds and CPU seconds of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()

    forecast, roster, agents = default_like_centre()
    print(
        f"centre: {forecast['offered'].sum():,.0f} calls expected in the week, "
        f"{agents.shape[0]} agents with {agents['skills'].str.count(';').add(1).min()}-"
        f"{agents['skills'].str.count(';').add(1).max()} skills, {forecast['queue'].nunique()} "
        f"queues, {len(forecast)} queue-intervals"
    )
    simulate(roster, forecast, agents, replications=1, seed=0)  # warm imports and caches

    one, wall, cpu = _timed(simulate, roster, forecast, agents, replications=1, seed=1)
    calls = one.counts["offered"].sum()
    print(
        f"one simulated week:             {wall:6.3f} s wall, {cpu:6.3f} s CPU "
        f"({calls:,.0f} calls; goal < 2 s)"
    )
    n = args.replications
    many, wall, cpu = _timed(simulate, roster, forecast, agents, replications=n, seed=1)
    print(
        f"{n} replications:                {wall:6.3f} s wall, {cpu:6.3f} s CPU "
        f"({wall / n:.3f} s wall per week; goal for 30: at most 1 s)"
    )
    if n == 30:
        print(
            "  SimPy engine, same centre and seed (recorded 2026-12-06, "
            f"python benchmarks/simulate.py): {SIMPY_RECORDED}"
        )
    _, wall, cpu = _timed(
        simulate,
        roster,
        forecast,
        agents,
        replications=n,
        seed=1,
        uncertainty=True,
        sick_rate=0.05,
        day_cv=0.05,
    )
    print(
        f"{n} replications, uncertain:     {wall:6.3f} s wall, {cpu:6.3f} s CPU "
        f"({wall / n:.3f} s wall per week; forecast uncertainty, 5 % sickness, day_cv 0.05)"
    )
    (table, prob), wall, cpu = _timed(
        lambda: (many.kpi_table(by="interval"), many.sla_probability())
    )
    print(
        f"KPI table by interval + P(SLA): {wall:6.3f} s wall, {cpu:6.3f} s CPU ({len(table)} rows)"
    )
    if args.scale > 1:
        big_f, big_r, big_a = default_like_centre(scale=args.scale)
        big, wall, cpu = _timed(simulate, big_r, big_f, big_a, replications=1, seed=1)
        print(
            f"{args.scale}x centre, one week:        {wall:6.3f} s wall, {cpu:6.3f} s CPU "
            f"({big.counts['offered'].sum():,.0f} calls, {len(big_a)} agents)"
        )

    try:
        from staffing import erlang  # noqa: F401
    except ImportError:
        print("baseline Erlang A: staffing.erlang is not available")
    else:
        cover = _coverage(roster, agents, forecast)
        frame = forecast.assign(agents=cover.to_numpy())
        expected, wall, cpu = _timed(kpi.expected_counts, frame)
        print(
            f"baseline, Erlang A of the week: {wall:6.3f} s wall, {cpu:6.3f} s CPU "
            "(analytic, per queue and interval)"
        )
        week_e = kpi.kpis(expected, by="total", total=True, queues=False).iloc[0]
        week_s = many.kpi_table(by="total", total=True)
        week_s = week_s[week_s["queue"] == kpi.ALL_QUEUES].iloc[0]
        print(
            f"week answer rate: simulated {week_s.answer_rate:.3f} "
            f"[{week_s.answer_rate_lo:.3f}, {week_s.answer_rate_hi:.3f}]; Erlang A per queue "
            f"with each agent split evenly over their skills (no pooling) "
            f"{week_e.answer_rate:.3f}"
        )
    week = prob[(prob["period"] == "all") & (prob["queue"] == kpi.ALL_QUEUES)].iloc[0]
    print(f"P(week meets the service goals) = {week.p_meet:.2f} over {n} replications")


if __name__ == "__main__":
    main()
