"""The roster optimizer on small instances: every rule, an optimum proved by brute force, the
diagnosis of a week that cannot be covered."""

from __future__ import annotations

import datetime as dt
import itertools
import warnings

import numpy as np
import pandas as pd
import pulp
import pytest
import roster_cases as rc

from staffing import erlang
from staffing.roster.check import check_roster
from staffing.roster.model import mip_progress_text
from staffing.roster.rules import MeetingRule, ShiftRules
from staffing.roster.solve import shortfall_weights, solve_roster

DAY = rc.monday()
WEEK = [rc.monday(i) for i in range(5)]


def _minutes(ts: pd.Timestamp) -> int:
    return ts.hour * 60 + ts.minute


def _shifts(roster: pd.DataFrame) -> pd.DataFrame:
    work = roster[roster["activity"] != "absence"]
    return work.groupby(["agent_id", "date"]).agg(start=("start", "min"), end=("end", "max"))


# ---------------------------------------------------------------------------------------------
# Optimality by brute force
# ---------------------------------------------------------------------------------------------
def _day_options(rules: ShiftRules, first: int, close: int, target: float) -> list[np.ndarray]:
    """Every legal day of one agent as a 0/1 phone vector over the slots [first, close).

    Written from the rules, not from the optimizer's templates: starts on the 15-minute grid
    from opening - lead-in, paid hours within the tolerance of the target, a 30-minute lunch
    3 h to 4.5 h into shifts longer than 6 h (inside the shift).
    """
    step = rules.interval_minutes
    n = (close - first) // step
    out = []
    for start in range(n):
        for length in range(1, n - start + 1):
            hours = length * step / 60
            if not rules.min_shift_hours <= hours <= rules.max_shift_hours:
                continue
            if abs(hours - target) > rules.hours_tolerance + 1e-9:
                continue
            base = np.zeros(n)
            base[start : start + length] = 1
            if hours > rules.lunch_after_hours:
                lunch = rules.lunch_minutes // step
                lo = start + rules.lunch_earliest_after_start_minutes // step
                hi = start + rules.lunch_latest_after_start_minutes // step
                for p in range(lo, hi + 1):
                    if p + lunch < start + length:
                        day = base.copy()
                        day[p : p + lunch] = 0
                        out.append((day, hours))
            else:
                out.append((base, hours))
    return out


def _brute_force_best(
    rules: ShiftRules, needs: list[int], targets: list[float]
) -> tuple[float, int]:
    """The best objective over every legal plan of one-queue agents with daily ``targets``
    (hours) on one day 07:30-16:00, and the number of plans tried."""
    first, close = 7 * 60 + 15, 16 * 60  # the 15-minute lead-in before 07:30
    options = [_day_options(rules, first, close, target=t) for t in targets]
    required = np.asarray([0.0] + needs)  # the lead-in slot has no requirement
    breaks, slopes = shortfall_weights(np.asarray(needs, dtype=float), rules=rules)
    plans = np.asarray(list(itertools.product(*(range(len(o)) for o in options))))
    phone = np.zeros((len(plans), len(required)))
    deviation = np.zeros(len(plans))
    for k, (opts, target) in enumerate(zip(options, targets)):
        days = np.asarray([o[0] for o in opts])
        hours = np.asarray([o[1] for o in opts])
        phone += days[plans[:, k]]
        deviation += np.abs(hours[plans[:, k]] - target)
    covered = np.minimum(phone, required)
    short = (required - covered)[:, 1:]
    widths = np.diff(breaks, axis=1)  # (interval, segment)
    taken = np.clip(short[:, :, None] - breaks[None, :, :-1], 0, widths[None])
    cost = (taken * slopes[None]).sum(axis=(1, 2))
    cost += rules.weight_over * (phone.sum(axis=1) - covered.sum(axis=1))
    cost += rules.weight_empty_queue * (phone[:, 1:] == 0).sum(axis=1)
    cost += rules.weight_hours_deviation * deviation
    return float(cost.min()), len(plans)


def test_optimum_matches_brute_force():
    """Two agents, one queue, one day: the solver's objective is the best of every legal plan."""
    rules = rc.PLAIN
    needs = [2] * 8 + [3] * 12 + [2] * 14  # 07:30-16:00, a peak 09:30-12:30
    req = rc.requirements([DAY], {"Q": needs}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q", "weekly_hours": 30}, {"skills": "Q", "weekly_hours": 30})
    result = solve_roster(req, ag, rules, time_limit=30)
    assert result.status == "optimal"
    best, tried = _brute_force_best(rules, needs, [6.0, 6.0])
    assert tried > 1000
    assert result.objective == pytest.approx(best, abs=1e-6)
    # every pattern was in the program, so the solver's own bound is reported: a valid bound
    # (never above the best plan) and never weaker than the LP's
    assert result.stats["lp_bound"] - 1e-6 <= result.stats["lower_bound"] <= best + 1e-6


def test_proven_optimum_beyond_the_lp_bound():
    """A day whose LP bound is below every plan (two agents of 6 and 4 hours against a ragged
    requirement: the LP mixes shifts that no single plan can): the integer program over every
    pattern proves the brute-force optimum, so the plan is reported optimal with no gap."""
    rules = rc.PLAIN
    needs = [1, 2, 3, 2, 2, 2, 3, 2, 2, 3, 3, 3, 2, 1, 1, 2, 3]
    needs += [1, 3, 1, 2, 1, 1, 1, 1, 3, 2, 2, 3, 2, 2, 2, 2, 1]
    req = rc.requirements([DAY], {"Q": needs}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q", "weekly_hours": 30}, {"skills": "Q", "weekly_hours": 20})
    result = solve_roster(req, ag, rules, time_limit=30)
    best, _ = _brute_force_best(rules, needs, [6.0, 4.0])
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert result.stats["lp_bound"] < best - 0.5  # an integrality gap of about 5 %
    assert result.stats["lower_bound"] == pytest.approx(best, abs=1e-3 * best)
    assert result.status == "optimal" and result.gap <= 1e-3


# ---------------------------------------------------------------------------------------------
# The rules, one by one
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_week():
    """Four agents, two queues, a week: earliest start, latest end, a holiday, a part-timer."""
    req = rc.requirements(WEEK, {"A": 2, "B": 1}, start="07:30", end="16:00")
    ag = rc.agents(
        {"skills": "A;B", "earliest_start": "08:30"},
        {"skills": "A", "latest_end": "15:00"},
        {"skills": "A;B", "unavailable": WEEK[1]},
        {"skills": "B", "weekly_hours": 24},
    )
    rules = ShiftRules(meetings=())
    result = solve_roster(req, ag, rules, time_limit=30)
    return req, ag, rules, result


def test_small_week_passes_the_checker(small_week):
    req, ag, rules, result = small_week
    assert result.status in ("optimal", "feasible")
    report = check_roster(result.roster, ag, req, rules)
    assert report.ok, report.summary()


def test_earliest_start_latest_end_and_holiday(small_week):
    _, _, _, result = small_week
    shifts = _shifts(result.roster).reset_index()
    a1 = shifts[shifts["agent_id"] == "A1"]
    assert (a1["start"].map(_minutes) >= 8 * 60 + 30).all()
    a2 = shifts[shifts["agent_id"] == "A2"]
    assert (a2["end"].map(_minutes) <= 15 * 60).all()
    a3 = result.roster[result.roster["agent_id"] == "A3"]
    holiday = a3[a3["date"] == dt.date.fromisoformat(WEEK[1])]
    assert list(holiday["activity"]) == ["absence"]


def test_one_shift_a_day_days_per_week_and_hours(small_week):
    _, ag, rules, result = small_week
    shifts = _shifts(result.roster).reset_index()
    assert not shifts.duplicated(["agent_id", "date"]).any()
    for agent_id, rows in shifts.groupby("agent_id"):
        assert len(rows) <= rules.max_days_per_week
        hours = sum((e - s).total_seconds() / 3600 for s, e in zip(rows["start"], rows["end"]))
        contract = float(ag.set_index("agent_id").loc[agent_id, "weekly_hours"])
        away = 1 if agent_id == "A3" else 0
        target = contract / 5 * (5 - away)
        assert abs(hours - target) <= rules.hours_tolerance + 0.25 + 1e-9


def test_days_per_week():
    req = rc.requirements(WEEK, {"Q": 1}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q", "weekly_hours": 21}, {"skills": "Q", "weekly_hours": 21})
    rules = ShiftRules(meetings=(), max_days_per_week=3)
    result = solve_roster(req, ag, rules, time_limit=30)
    shifts = _shifts(result.roster).reset_index()
    assert shifts.groupby("agent_id").size().max() <= 3
    assert check_roster(result.roster, ag, req, rules).ok


def test_lunch_in_window_for_long_shifts(small_week):
    _, _, rules, result = small_week
    roster = result.roster
    for (_agent, _date), rows in roster[roster["activity"] != "absence"].groupby(
        ["agent_id", "date"]
    ):
        start, end = rows["start"].min(), rows["end"].max()
        lunches = rows[rows["activity"] == "lunch"]
        if (end - start).total_seconds() > rules.lunch_after_hours * 3600:
            assert len(lunches) == 1
            offset = (lunches["start"].iloc[0] - start).total_seconds() / 60
            assert 180 <= offset <= 270
            assert (lunches["end"] - lunches["start"]).iloc[0] == pd.Timedelta(minutes=30)
        else:
            assert lunches.empty


def test_shifts_inside_opening_hours_plus_lead_in(small_week):
    _, _, _, result = small_week
    shifts = _shifts(result.roster)
    assert (shifts["start"].map(_minutes) >= 7 * 60 + 15).all()
    assert (shifts["end"].map(_minutes) <= 16 * 60).all()
    assert (shifts["start"].map(_minutes) % 15 == 0).all()


def test_coverage_split_equals_maximum_flow(small_week):
    """Cross-trained agents split their time: the coverage per interval is the most the people
    on the phone can give (the checker's max flow), and a queue never gets more people than
    have the skill."""
    req, ag, rules, result = small_week
    check = check_roster(result.roster, ag, req, rules).coverage
    merged = result.coverage.merge(check, on=["interval_start", "queue"])
    solver_total = (merged["required_x"] - merged["shortfall_x"]).groupby(merged["interval_start"])
    check_total = merged.groupby("interval_start")["covered"].sum()
    np.testing.assert_allclose(solver_total.sum().to_numpy(), check_total.to_numpy(), atol=1e-6)
    assert (merged["staffed"] <= merged["skilled_on_phone_x"] + 1e-9).all()


def test_phone_policy_keeps_someone_on_a_small_queue():
    """A queue with almost no calls still has a skilled agent on the phone all day."""
    req = rc.requirements([DAY], {"Big": 2, "Tiny": 1}, start="07:30", end="16:00")
    ag = rc.agents(
        {"skills": "Big"},
        {"skills": "Big;Tiny"},
        {"skills": "Big;Tiny"},
    )
    result = solve_roster(req, ag, rc.PLAIN, time_limit=30)
    tiny = result.coverage[result.coverage["queue"] == "Tiny"]
    assert (tiny["skilled_on_phone"] >= 1).all()


def test_meetings_outside_blackout_together_and_talks_apart():
    rules = ShiftRules(
        meetings=(
            MeetingRule("Teammøde", attendees="team", minutes=60, weekdays=(1, 2, 3)),
            MeetingRule("Feedback", attendees="each", minutes=30, one_at_a_time_per_team=True),
        ),
        weight_unfair=0.0,
    )
    req = rc.requirements(WEEK, {"Q": 1}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q"}, {"skills": "Q"}, {"skills": "Q"})
    result = solve_roster(req, ag, rules, time_limit=30)
    assert check_roster(result.roster, ag, req, rules).ok
    meetings = result.roster[result.roster["activity"] == "meeting"]
    for start, end in zip(meetings["start"], meetings["end"]):
        assert _minutes(end) <= 9 * 60 or _minutes(start) >= 13 * 60
        assert start.minute in (0, 30)
    hours = meetings.assign(length=(meetings["end"] - meetings["start"]))
    team = hours[hours["length"] == pd.Timedelta(hours=1)]
    # the team meeting: one time for everyone who attends (someone stays on the phone, so
    # that the queue is never left without an agent)
    assert team["start"].nunique() == 1 and 1 <= len(team) <= 2
    assert team["start"].iloc[0].weekday() in (1, 2, 3)
    talks = hours[hours["length"] == pd.Timedelta(minutes=30)]
    assert len(talks) == 3
    assert talks["start"].is_unique  # one talk at a time: the team lead holds them


def test_locked_day_is_kept_on_resolve():
    req = rc.requirements(WEEK[:2], {"Q": 2}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q"}, {"skills": "Q"})
    first = solve_roster(req, ag, rc.PLAIN, time_limit=30)
    day = dt.date.fromisoformat(WEEK[0])
    rows = first.roster[(first.roster["agent_id"] == "A1") & (first.roster["date"] == day)]
    # the planner moves A1's Monday to 08:30-15:30 with lunch at 12:00 and locks it
    stamp = lambda h, m: pd.Timestamp(dt.datetime(2026, 3, 2, h, m)).tz_localize(rc.TZ)  # noqa: E731
    locked = pd.DataFrame(
        {
            "agent_id": ["A1"] * 3,
            "date": [day] * 3,
            "start": [stamp(8, 30), stamp(12, 0), stamp(12, 30)],
            "end": [stamp(12, 0), stamp(12, 30), stamp(15, 30)],
            "activity": ["phone", "lunch", "phone"],
        }
    )
    assert not rows.reset_index(drop=True).equals(locked)
    second = solve_roster(req, ag, rc.PLAIN, locks=locked, time_limit=30)
    kept = second.roster[(second.roster["agent_id"] == "A1") & (second.roster["date"] == day)]
    pd.testing.assert_frame_equal(kept.reset_index(drop=True), locked)
    assert check_roster(second.roster, ag, req, rc.PLAIN, locks=locked).ok


def test_early_shifts_spread_evenly():
    """Two equal agents over two days, one early shift needed a day: one each."""
    needs = [1, 1] + [2] * 30
    req = rc.requirements(WEEK[:2], {"Q": needs}, start="07:30", end="15:30")
    ag = rc.agents({"skills": "Q"}, {"skills": "Q"})
    rules = ShiftRules(meetings=(), weight_unfair=5.0, weight_wish=0.0)
    result = solve_roster(req, ag, rules, time_limit=30)
    shifts = _shifts(result.roster).reset_index()
    early = shifts[shifts["start"].map(_minutes) < 8 * 60]
    assert sorted(early["agent_id"]) == ["A1", "A2"]


def test_cheap_wish_is_honoured():
    req = rc.requirements([DAY], {"Q": 1}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q", "preferences": "late"}, {"skills": "Q"})
    rules = ShiftRules(meetings=(), weight_unfair=0.0)
    result = solve_roster(req, ag, rules, time_limit=30)
    shifts = _shifts(result.roster).reset_index().set_index("agent_id")
    assert _minutes(shifts.loc["A1", "end"]) == 16 * 60


# ---------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------
def test_shortfall_weights_follow_erlang_a():
    """First slope = answered calls lost by the N-th agent (Erlang A); slopes never fall; a
    deep shortfall loses about interval / aht calls per agent (every agent busy)."""
    rules = ShiftRules()
    required = np.asarray([10.0, 2.0])
    offered = np.asarray([40.0, 3.0])
    breaks, slopes = shortfall_weights(required, offered=offered, aht_seconds=300.0, rules=rules)
    answered = [
        offered * (1 - erlang.erlang_a(offered, 300.0, rules.patience_seconds, n)["p_abandon"])
        for n in (10, 9)
    ]
    assert slopes[0, 0] == pytest.approx(answered[0][0] - answered[1][0], rel=1e-9)
    assert (np.diff(slopes, axis=1) >= -1e-12).all()
    assert slopes[0, 0] > slopes[1, 0]  # an agent short at the peak costs more
    deep = slopes[0][np.diff(breaks[0]) > 0][-1]
    assert deep == pytest.approx(900 / 300, rel=0.05)


def test_bad_arguments_are_refused():
    req = rc.requirements([DAY], {"Q": 1})
    ag = rc.agents({"skills": "Q"})
    with pytest.raises(ValueError, match="solver must be one of"):
        solve_roster(req, ag, solver="gurobi")
    with pytest.raises(ValueError, match="time_limit"):
        solve_roster(req, ag, time_limit=0)
    with pytest.raises(ValueError, match="missing column"):
        solve_roster(req.drop(columns="agents"), ag)
    bad = req.assign(agents=-1)
    with pytest.raises(ValueError, match="agents must be a number >= 0"):
        solve_roster(bad, ag)
    with pytest.raises(ValueError, match="weekly_hours"):
        solve_roster(req, ag.assign(weekly_hours="many"))


# ---------------------------------------------------------------------------------------------
# Weeks that cannot be covered, contracts that cannot be met
# ---------------------------------------------------------------------------------------------
def test_short_week_returns_a_plan_and_names_the_holidays():
    tuesday = WEEK[1]

    def need(day: int, slot: int) -> float:
        return 3.0 if day == 1 and 10 <= slot < 18 else 1.0  # Tuesday 10:00-12:00

    req = rc.requirements(WEEK, {"Dagpenge": need}, start="07:30", end="16:00")
    ag = rc.agents(
        {"skills": "Dagpenge"},
        {"skills": "Dagpenge", "unavailable": tuesday},
        {"skills": "Dagpenge", "unavailable": tuesday},
    )
    result = solve_roster(req, ag, rc.PLAIN, time_limit=30)
    assert result.status in ("optimal", "feasible")
    assert len(result.roster)
    short = [d for d in result.diagnostics if d.kind == "short"]
    assert short, [d.message for d in result.diagnostics]
    message = short[0].message
    assert message.startswith("Tuesday 3 Mar 10:00-")
    assert "Dagpenge short 2 agents (needs 3, has 1.0): 2 of 3 skilled agents are on holiday" in (
        message
    )


def test_impossible_contract_is_named():
    req = rc.requirements(WEEK, {"Q": 1}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q", "weekly_hours": 50}, {"skills": "Q"})
    result = solve_roster(req, ag, rc.PLAIN, time_limit=30)
    named = [d for d in result.diagnostics if d.kind == "impossible_agent"]
    assert [d.agent_id for d in named] == ["A1"]
    assert "50 h a week" in named[0].message and "at most 43.8 h" in named[0].message


def test_forty_hours_and_one_available_day_is_named():
    """With unavailable days that are not credited (the hours stay due), 40 contract hours and
    one available day cannot be planned: the diagnosis says so and plans what is possible."""
    rules = ShiftRules(meetings=(), unavailable_days_credited=False)
    req = rc.requirements(WEEK, {"Q": 1}, start="07:30", end="16:00")
    ag = rc.agents(
        {"skills": "Q", "weekly_hours": 40, "unavailable": ";".join(WEEK[1:])},
        {"skills": "Q"},
    )
    result = solve_roster(req, ag, rules, time_limit=30)
    named = [d for d in result.diagnostics if d.kind == "impossible_agent"]
    assert len(named) == 1 and named[0].agent_id == "A1"
    assert "1 available day(s) of 5" in named[0].message
    a1 = result.roster[
        (result.roster["agent_id"] == "A1") & (result.roster["activity"] != "absence")
    ]
    assert a1["date"].nunique() == 1


def test_net_requirement_is_covered_unless_told():
    req = rc.requirements([DAY], {"Q": 1}, start="07:30", end="16:00").assign(agents_gross=2)
    ag = rc.agents({"skills": "Q"}, {"skills": "Q"})
    net = solve_roster(req, ag, rc.PLAIN, time_limit=30)
    assert (net.coverage["required"] == 1).all()
    gross = solve_roster(
        req, ag, ShiftRules(meetings=(), cover_column="agents_gross"), time_limit=30
    )
    assert (gross.coverage["required"] == 2).all()
    auto = ShiftRules(meetings=(), cover_column="auto")
    assert auto.covered_column(req.columns) == "agents_gross"
    assert auto.covered_column(["agents"]) == "agents"


def test_the_progress_of_the_integer_program_reports_the_plans_objective_with_its_constant():
    """HiGHS's bounds leave out the objective's constant (PuLP's): the progress message adds
    it, so its "best plan" is the plan's objective as PuLP evaluates it (the default week's
    progress said 150.9 for a plan of 92.0 before)."""
    prob = pulp.LpProblem("progress", pulp.LpMinimize)
    xs = [pulp.LpVariable(f"x{i}", 0, 10, cat="Integer") for i in range(6)]
    prob += pulp.lpSum((i % 3 + 1) * x for i, x in enumerate(xs)) - 57.5
    for i in range(5):
        prob += 3 * xs[i] + 2 * xs[i + 1] >= 7 + (i % 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        prob.solve(pulp.HiGHS(msg=False))
    info = prob.solverModel.getInfo()
    primal, dual = info.objective_function_value, info.mip_dual_bound
    assert primal != pytest.approx(pulp.value(prob.objective))  # HiGHS's: no constant
    text = mip_progress_text(primal, dual, float(prob.objective.constant), 1.3)
    assert text == (
        f"solving: integer program, best plan {pulp.value(prob.objective):.1f}, gap 0.0 %, 1.3 s"
    )
    assert mip_progress_text(float("inf"), -float("inf"), -57.5, 0.1) is None
