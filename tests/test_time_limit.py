"""The time limit holds at any size (issue 15, point 5): behaviour, not speed.

No test here measures wall time. The clock the optimizer reads (`time.perf_counter`) is
moved forward instead, so that a small week behaves as a large centre does when its time is
up: no LP, a plan built greedily, no integer program, the release and the explanations cut
short, each with a note, and still a plan that passes the independent checker. The budgets
each stage gets are recorded and must lie inside the limit. The parts made faster for large
centres are checked against the plain computation they replace: the allocation LP by kind of
agent against the LP over every agent, the capped pattern count against the exact one, the
run count of the explanation budget against `explain_coverage`.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
import roster_cases as rc
from scipy.optimize import linprog

from planner.cli.commands import roster as roster_cli
from staffing.roster import solve as solve_module
from staffing.roster.check import check_roster
from staffing.roster.diagnose import explain_coverage
from staffing.roster.heuristics import greedy
from staffing.roster.instance import build_instance
from staffing.roster.master import build_master, seed_patterns
from staffing.roster.patterns import count_patterns
from staffing.roster.readback import (
    allocate,
    phone_matrix,
    plan_from_values,
    release_off_phone,
)
from staffing.roster.release import release_surplus
from staffing.roster.rules import ShiftRules
from staffing.roster.solve import solve_roster

WEEK = [rc.monday(i) for i in range(3)]
RULES = ShiftRules(weight_unfair=0.0)


def _week() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three days, two queues, six agents in two teams (meetings by the default rules)."""
    needs = [1] * 4 + [3] * 12 + [2] * 12
    req = rc.requirements(WEEK, {"Q": needs, "R": 1}, start="08:00", end="15:00")
    agents = rc.agents(
        *(
            {"skills": s, "team": t}
            for s, t in (
                ("Q", "T1"),
                ("Q;R", "T1"),
                ("R", "T1"),
                ("Q", "T2"),
                ("Q;R", "T2"),
                ("Q", "T2"),
            )
        )
    )
    return req, agents


class _Clock:
    """`time.perf_counter` that jumps ``jump`` seconds ahead once `late` is called."""

    def __init__(self) -> None:
        self.real = time.perf_counter
        self.offset = 0.0

    def __call__(self) -> float:
        return self.real() + self.offset

    def late(self, jump: float = 1e6) -> None:
        self.offset += jump


@pytest.fixture
def clock(monkeypatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(time, "perf_counter", fake)
    return fake


def test_when_the_time_is_up_after_building_a_checked_plan_comes_back(clock, monkeypatch):
    """The clock passes the deadline as soon as the master is built (as building a large
    centre's takes the whole limit): no column generation, no integer program, and still a
    plan for every agent that passes the checker, with notes saying what was cut short."""
    req, agents = _week()
    real_build = solve_module.build_master

    def slow_build(inst):
        master = real_build(inst)
        clock.late()
        return master

    monkeypatch.setattr(solve_module, "build_master", slow_build)
    result = solve_roster(req, agents, RULES, time_limit=10.0)
    assert result.status in ("feasible", "optimal")
    assert math.isfinite(result.objective) and result.gap is not None
    assert result.stats["rounds"] == 0 and result.stats["integer_program"] == 0.0
    assert result.objective >= result.stats["lower_bound"] - 1e-6
    notes = " ".join(d.message for d in result.diagnostics if d.kind == "solver")
    assert "no time to solve the LP" in notes
    assert "integer program (highs) was skipped" in notes
    assert set(result.roster["agent_id"]) == set(agents["agent_id"])
    report = check_roster(result.roster, agents, req, RULES)
    assert report.ok, report.summary()


def test_every_stage_gets_its_budget_inside_the_limit(monkeypatch):
    """Column generation, rounding, improvement and the integer program are each given a
    budget that ends inside the limit (counted from the start of the call)."""
    req, agents = _week()
    seen: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()

    def record(name, func, key):
        def wrapper(*args, **kwargs):
            seen[name].append(time.perf_counter() - started + kwargs[key])
            return func(*args, **kwargs)

        return wrapper

    for name, key in (
        ("column_generation", "time_budget"),
        ("dive", "time_budget"),
        ("improve", "time_budget"),
        ("solve_model", "time_limit"),
    ):
        monkeypatch.setattr(solve_module, name, record(name, getattr(solve_module, name), key))
    limit = 20.0
    result = solve_roster(req, agents, RULES, time_limit=limit)
    assert result.status in ("feasible", "optimal")
    assert seen["column_generation"] and seen["solve_model"]
    ends = {name: max(values) for name, values in seen.items()}
    assert ends["column_generation"] <= 0.35 * limit + 0.5
    if "dive" in ends:
        assert ends["dive"] <= 0.6 * limit + 0.5
    if "improve" in ends:
        assert ends["improve"] <= 0.8 * limit + 0.5
    assert ends["solve_model"] <= limit


def test_small_weeks_are_unchanged_by_the_deadline_machinery():
    """With time to spare nothing is cut short: no note about the time limit, and the plan
    is the optimizer's (the integer program ran)."""
    req, agents = _week()
    result = solve_roster(req, agents, RULES, time_limit=30.0)
    assert result.stats["integer_program"] == 1.0
    assert not [d for d in result.diagnostics if "time limit" in d.message]


def test_the_greedy_plan_has_one_pattern_per_agent_week_and_places_meetings():
    req, agents = _week()
    inst = build_instance(req, agents, RULES)
    master = build_master(inst)
    x, fixed = greedy(master)
    assert fixed == {(p.agent, p.week) for p in inst.weeks}
    per_week = defaultdict(list)
    for n, col in enumerate(master.pattern_col):
        per_week[(master.patterns[n].agent, master.patterns[n].week)].append(x[col])
    assert all(sorted(v)[-1] == 1.0 and sum(v) == 1.0 for v in per_week.values())
    placed = [j for j, kind in enumerate(master.col_kind) if kind == "meeting" and x[j] > 0.5]
    assert len({master.col_key[j][0] for j in placed}) == len(placed) > 0


def test_the_release_stops_at_its_deadline_and_keeps_what_it_placed():
    req, agents = _week()
    inst = build_instance(req, agents, RULES)
    master = build_master(inst)
    x, _ = greedy(master)
    plan = plan_from_values(master, solve_module._start_values(master, x))
    phone = phone_matrix(inst, plan)
    blocks, done = release_surplus(inst, plan.shifts, phone, deadline=-math.inf)
    assert (blocks, done) == ({}, False)
    everything, done = release_surplus(inst, plan.shifts, phone)
    assert done and everything  # the week has spare phone time
    assert release_off_phone(inst, plan, phone=phone, deadline=-math.inf) is False
    assert plan.off_phone == {}


def test_allocation_by_kind_of_agent_is_the_allocation_by_agent():
    """The coverage LP over kinds of agent (same skills) reaches the same shortfall cost as the
    LP over x[agent, queue, interval] with each agent's time at most 1 (scipy's HiGHS)."""
    needs = {"Q": [2] * 8 + [4] * 12 + [1] * 8, "R": [1] * 28, "S": [2] * 28}
    req = rc.requirements(WEEK[:1], needs, start="08:00", end="15:00")
    skills = ["Q", "Q;R", "R;S", "S", "Q;S", "Q;R;S", "Q", "S"]
    agents = rc.agents(*({"skills": s} for s in skills))
    inst = build_instance(req, agents, ShiftRules(meetings=(), weight_unfair=0.0))
    master = build_master(inst)
    seed_patterns(master)
    rng = np.random.default_rng(3)
    by_week = defaultdict(list)
    for n, col in enumerate(master.pattern_col):
        by_week[(master.patterns[n].agent, master.patterns[n].week)].append(col)
    values = np.zeros(master.n_cols)
    for cols in by_week.values():
        values[rng.choice(cols)] = 1.0
    plan = plan_from_values(master, values)
    phone = phone_matrix(inst, plan)
    coverage, cost = allocate(inst, plan, phone=phone)
    assert cost == pytest.approx(_per_agent_cost(inst, phone), abs=1e-6)
    on = {key: set(np.flatnonzero(vec).tolist()) for key, vec in phone.items()}
    for row, (q, d, j) in enumerate(zip(inst.requirement["queue"], *_day_slot(inst))):
        skilled = sum(q in inst.agents[a].skills for a in on.get((d, j), ()))
        assert coverage["skilled_on_phone"].iat[row] == skilled


def _day_slot(inst) -> tuple[list[int], list[int]]:
    return [int(d) for d in inst.requirement["day"]], [int(j) for j in inst.requirement["slot"]]


def _per_agent_cost(inst, phone) -> float:
    """The allocation LP over every agent (as before kinds), solved by scipy."""
    cost, bounds, a_ub, b_ub = [], [], [], []
    agent_rows: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    cover_rows = []
    req = inst.requirement
    for q, d, j, required, breaks, slopes in zip(
        req["queue"], req["day"], req["slot"], req["required"], req["breaks"], req["slopes"]
    ):
        cols = []
        for a in np.flatnonzero(phone.get((int(d), int(j)), np.zeros(1))):
            if q in inst.agents[a].skills:
                agent_rows[(int(a), int(d), int(j))].append(len(cost))
                cols.append(len(cost))
                cost.append(0.0)
                bounds.append((0, 1))
        for width, slope in zip(np.diff(breaks), slopes):
            if width > 1e-12:
                cols.append(len(cost))
                cost.append(float(slope))
                bounds.append((0, float(width)))
        cover_rows.append((cols, float(required)))
    n = len(cost)
    for cols, required in cover_rows:  # sum >= required  <=>  -sum <= -required
        row = np.zeros(n)
        row[cols] = -1.0
        a_ub.append(row)
        b_ub.append(-required)
    for cols in agent_rows.values():
        row = np.zeros(n)
        row[cols] = 1.0
        a_ub.append(row)
        b_ub.append(1.0)
    out = linprog(cost, A_ub=np.asarray(a_ub), b_ub=b_ub, bounds=bounds, method="highs")
    assert out.status == 0
    return float(out.fun)


def test_the_capped_pattern_count_is_the_exact_count_up_to_the_cap():
    req, agents = _week()
    inst = build_instance(req, agents, RULES)
    master = build_master(inst)
    rules = inst.rules
    for plan in inst.weeks:
        options = master.week_options(plan)
        kw = {"max_days": rules.max_days_per_week, "step": rules.interval_minutes}
        exact = count_patterns(plan, options, **kw)
        assert exact > 0
        for cap in (1, 10, exact, exact + 1, 10**12):
            assert count_patterns(plan, options, cap=cap, **kw) == min(exact, cap)


def test_the_explanation_budget_counts_the_runs_explain_coverage_explains():
    """The run count behind the explanation budget is that of `explain_coverage`; with no
    time for them, the runs shortest of agents are left out, with a note, and the summary
    stays."""
    req, agents = _week()
    inst = build_instance(req, agents, RULES)
    rng = np.random.default_rng(5)
    coverage = inst.requirement[["queue", "required", "in_window"]].copy()
    coverage["interval_start"] = [
        inst.days[int(d)].timestamp(int(j)) for d, j in zip(*_day_slot(inst))
    ]
    coverage["shortfall"] = rng.choice([0.0, 0.0, 0.7, 1.5, 4.0], size=len(coverage))
    coverage["staffed"] = coverage["required"] - coverage["shortfall"]
    coverage["surplus"] = 0.0
    coverage["skilled_on_phone"] = rng.choice([0, 1, 2], size=len(coverage))
    runs = solve_module._ShortRuns(inst, coverage)
    empty_roster = pd.DataFrame(columns=["agent_id", "date", "start", "end", "activity"])
    explained = explain_coverage(coverage, empty_roster, agents, max_items=10_000)
    runs_seen = [d for d in explained if d.kind in ("short", "empty_queue")]
    short = runs.shortfall >= 0.5 - 1e-9
    assert len(runs_seen) == len(runs._starts(short)) + len(runs._starts(runs.empty))
    shortest, empty = runs.fitting(budget=math.inf)
    assert (shortest, empty) == (0.5, None)
    shortest, empty = runs.fitting(budget=0.0)
    assert shortest == math.inf and empty is not None and not (empty & ~coverage["in_window"]).any()


def test_the_cli_keeps_time_for_the_check_of_a_large_centre():
    assert roster_cli._solve_limit(60.0, 34) == 60.0
    large = roster_cli._solve_limit(60.0, 2000)
    assert 30.0 <= large < 60.0
    after = roster_cli.AFTER_SOLVE_SECONDS_PER_AGENT * 2000
    assert roster_cli._solve_limit(8.0, 2000) == pytest.approx(8.0 - after)
    # the optional outputs and the time spent reading the inputs are kept too ...
    assert roster_cli._solve_limit(60.0, 2000, excel=True, ical=True) < large
    after_34 = roster_cli.AFTER_SOLVE_SECONDS_PER_AGENT * 34
    assert roster_cli._solve_limit(60.0, 34, spent=5.0) == pytest.approx(55.0 - after_34)
    # ... but the optimizer always gets at least half of the limit
    assert roster_cli._solve_limit(8.0, 2000, ical=True) == 4.0
    assert roster_cli._solve_limit(8.0, 34, spent=100.0) == 4.0


def test_the_program_estimate_counts_what_the_program_keeps():
    """`_program_estimate`: every master column's entries once (the floor rows are added over
    all of them) and the entries of the columns the integer program keeps (of a fixed
    agent-week only its pattern), as the program built by `_integer_program` has them."""
    req, agents = _week()
    master = build_master(build_instance(req, agents, RULES))
    seed_patterns(master)
    x, fixed = greedy(master)
    start = solve_module._start_values(master, x)
    lengths = [len(rows) for rows in master.col_rows]
    estimate = solve_module._program_estimate(master, start, fixed)
    model = solve_module._integer_program(master, start, fixed, deadline=math.inf)
    kept = sum(n for n, var in zip(lengths, model.variables, strict=True) if var is not None)
    assert kept < sum(lengths)  # the fixed agent-weeks' other patterns are left out
    expected = solve_module.FLOOR_ROWS_SECONDS_PER_ENTRY * sum(lengths)
    expected += 1.5 * solve_module.PROGRAM_SECONDS_PER_ENTRY * kept
    if len(master.inst.agents) <= solve_module.SMALL_CENTRE_AGENTS:
        expected *= solve_module.SMALL_PROGRAM_FACTOR
    assert estimate == pytest.approx(expected)
