"""Re-optimizing from the current roster (`solve_roster(..., warm=roster)`, issue 16 point 2):
never worse than the start, every lock kept, the checker clean, and the brute-force optimum
when all but one agent is locked."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import roster_cases as rc
from test_roster_model import _day_options

from app_support import edits
from app_support.plan import locks_frame
from staffing.roster.check import check_roster
from staffing.roster.rules import ShiftRules
from staffing.roster.solve import shortfall_weights, solve_roster

DAYS = [rc.monday(i) for i in (1, 2, 3)]  # Tuesday to Thursday: the team meetings' days
#: One queue, no meetings, wishes, fairness or team floor: the objective a brute force can
#: write down (shortfall, surplus, empty queue, hours).
SIMPLE = ShiftRules(meetings=(), weight_unfair=0.0, weight_wish=0.0, team_floor=False)


def _week() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three days, two queues, five agents in two teams (the default rules' team meeting)."""
    needs = {"Q1": lambda d, j: 2 + (8 <= j < 20), "Q2": lambda d, j: 1 + (d == 1 and j > 20)}
    req = rc.requirements(DAYS, needs, start="07:30", end="16:00")
    ag = rc.agents(
        {"team": "T1", "skills": "Q1"},
        {"team": "T1", "skills": "Q1;Q2"},
        {"team": "T1", "skills": "Q1"},
        {"team": "T2", "skills": "Q2;Q1"},
        {"team": "T2", "skills": "Q2"},
    )
    return req, ag


@pytest.fixture(scope="module")
def planned() -> tuple[pd.DataFrame, pd.DataFrame, ShiftRules, object]:
    """The week planned from nothing with the default rules (meetings, team floor)."""
    req, ag = _week()
    rules = ShiftRules()
    result = solve_roster(req, ag, rules, time_limit=20)
    assert result.status in ("optimal", "feasible")
    return req, ag, rules, result


def _edit(roster: pd.DataFrame, seed: int) -> tuple[str, pd.DataFrame]:
    """A one-agent edit picked by ``seed``: an agent absent one day, or a shift moved."""
    rng = np.random.default_rng(seed)
    agent = f"A{int(rng.integers(1, 6))}"
    day = dt.date.fromisoformat(DAYS[int(rng.integers(len(DAYS)))])
    rows = roster[(roster["agent_id"] == agent) & (roster["date"] == day)]
    if seed % 2 or rows.empty:
        hours = {dt.date.fromisoformat(d): (dt.time(7, 30), dt.time(16)) for d in DAYS}
        return agent, edits.mark_absent(roster, agent, day, hours=hours)
    start = pd.Timestamp(rows["start"].min()) + pd.Timedelta(minutes=int(rng.choice([-30, 30])))
    return agent, edits.move_shift(roster, agent, day, start.time())


def _locks(roster: pd.DataFrame, keep_free: list[str], seed: int) -> pd.DataFrame:
    """Locks as the app makes them: some agent-days of the agents not in ``keep_free``
    (chosen by ``seed``; all of them for even seeds) and every absence."""
    rng = np.random.default_rng(seed + 100)
    keys = sorted({(a, d) for a, d in zip(roster["agent_id"], roster["date"], strict=True)})
    locked = [k for k in keys if k[0] not in keep_free and (seed % 2 == 0 or rng.random() < 0.6)]
    away = [(a, d) for a, ds in edits.absence_days(roster).items() for d in ds]
    return locks_frame(roster, [*locked, *away])


def _kept(result_roster: pd.DataFrame, locks: pd.DataFrame) -> bool:
    """Every locked row is in the roster as it was locked."""
    have = set(
        zip(
            result_roster["agent_id"],
            result_roster["start"],
            result_roster["end"],
            result_roster["activity"],
            strict=True,
        )
    )
    return all(
        (row.agent_id, row.start, row.end, row.activity) in have
        for row in locks.itertuples(index=False)
    )


def test_the_solvers_own_plan_reads_back_at_its_objective(planned):
    """Started from the plan the solver returned (no edit, no locks), the start is that plan
    at exactly its objective, and the result is no worse."""
    req, ag, rules, result = planned
    again = solve_roster(req, ag, rules, warm=result.roster, time_limit=20)
    assert again.stats["start_objective"] == pytest.approx(result.objective, abs=1e-6)
    assert again.stats["warm_weeks_changed"] == 0
    assert again.objective <= result.objective + 1e-6
    assert check_roster(again.roster, ag, req, rules).ok


@pytest.mark.parametrize("seed", range(6))
def test_warm_plan_is_never_worse_and_keeps_every_lock(planned, seed):
    """One-agent edits with all or some of the other agents' days locked: the re-optimized
    plan costs no more than the edited roster (the same objective), keeps every locked row
    and passes the independent checker with the locks."""
    req, ag, rules, result = planned
    agent, edited = _edit(result.roster, seed)
    locks = _locks(edited, [agent], seed)
    warm = solve_roster(req, ag, rules, locks=locks, warm=edited, time_limit=20)
    assert warm.status in ("optimal", "feasible")
    start = warm.stats["start_objective"]
    assert np.isfinite(start)
    assert warm.objective <= start + 1e-6
    assert _kept(warm.roster, locks)
    report = check_roster(
        warm.roster,
        edits.absence_as_unavailable(ag, edited),
        req,
        rules,
        locks=locks,
    )
    assert report.ok, [v.message for v in report.errors]
    # the gap is measured against a proven bound of the problem with the locks
    assert warm.gap_calls is not None and warm.gap_calls >= 0


def test_start_that_breaks_the_hours_is_replaced_by_the_closest_plan():
    """An edit that leaves a free agent's week outside its hours (a shift cut to 5 h): the
    start takes the closest legal week for that agent, and the plan passes the checker."""
    req = rc.requirements(DAYS[:2], {"Q": 2}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q"}, {"skills": "Q"}, {"skills": "Q"})
    first = solve_roster(req, ag, SIMPLE, time_limit=20)
    day = dt.date.fromisoformat(DAYS[0])
    rows = first.roster[(first.roster["agent_id"] == "A1") & (first.roster["date"] == day)]
    start = pd.Timestamp(rows["start"].min())
    cut = edits.set_shift_times(
        first.roster, "A1", day, start.time(), (start + pd.Timedelta(hours=5)).time()
    )
    locks = _locks(cut, ["A1"], 0)
    warm = solve_roster(req, ag, SIMPLE, locks=locks, warm=cut, time_limit=20)
    assert warm.stats["warm_weeks_changed"] == 1
    assert warm.objective <= warm.stats["start_objective"] + 1e-6
    assert _kept(warm.roster, locks)
    assert check_roster(warm.roster, ag, req, SIMPLE, locks=locks).ok


def _phone_vector(roster: pd.DataFrame, agent: str, first: int, n: int) -> np.ndarray:
    """0/1 per 15-minute slot from minute ``first``: the agent's phone rows."""
    out = np.zeros(n)
    rows = roster[(roster["agent_id"] == agent) & (roster["activity"] == "phone")]
    for start, end in zip(rows["start"], rows["end"], strict=True):
        a = (start.hour * 60 + start.minute - first) // 15
        b = (end.hour * 60 + end.minute - first) // 15
        out[a:b] = 1
    return out


def _paid_hours(roster: pd.DataFrame, agent: str) -> float:
    rows = roster[(roster["agent_id"] == agent) & (roster["activity"] != "absence")]
    return (rows["end"].max() - rows["start"].min()).total_seconds() / 3600


@pytest.mark.parametrize("edit", ["absent", "moved"])
def test_all_but_one_locked_reaches_the_brute_force_optimum(edit):
    """One day, three agents on one queue; after an edit of A2's day (absent, or moved) A2
    and A3 are locked and A1 is free: the warm re-optimization (gap 0) finds the best of
    every legal day of A1 (written from the rules, `_day_options`) around the locked ones."""
    rules = SIMPLE
    needs = [2] * 8 + [3] * 12 + [2] * 14  # 07:30-16:00, a peak 09:30-12:30
    day = rc.monday(1)
    req = rc.requirements([day], {"Q": needs}, start="07:30", end="16:00")
    ag = rc.agents(*({"skills": "Q", "weekly_hours": 30} for _ in range(3)))
    first = solve_roster(req, ag, rules, time_limit=20)
    date = dt.date.fromisoformat(day)
    if edit == "absent":
        hours = {date: (dt.time(7, 30), dt.time(16))}
        edited = edits.mark_absent(first.roster, "A2", date, hours=hours)
    else:
        rows = first.roster[first.roster["agent_id"] == "A2"]
        later = pd.Timestamp(rows["start"].min()) + pd.Timedelta(minutes=30)
        edited = edits.move_shift(first.roster, "A2", date, later.time())
    locks = locks_frame(edited, [("A2", date), ("A3", date)])
    warm = solve_roster(req, ag, rules, locks=locks, warm=edited, gap=0.0, time_limit=30)
    assert _kept(warm.roster, locks)
    # the brute force: A1's every legal day, A2 and A3 as locked (their phone rows)
    lead = 7 * 60 + 15  # the 15-minute lead-in before 07:30
    n = (16 * 60 - lead) // 15
    fixed = _phone_vector(edited, "A2", lead, n) + _phone_vector(edited, "A3", lead, n)
    fixed_hours = abs(_paid_hours(edited, "A3") - 6.0)
    if edit == "moved":
        fixed_hours += abs(_paid_hours(edited, "A2") - 6.0)
    options = _day_options(rules, lead, 16 * 60, target=6.0)
    required = np.asarray([0.0] + needs)
    breaks, slopes = shortfall_weights(np.asarray(needs, dtype=float), rules=rules)
    widths = np.diff(breaks, axis=1)
    best = np.inf
    for phone_a1, hours_a1 in options:
        phone = fixed + phone_a1
        covered = np.minimum(phone, required)
        short = (required - covered)[1:]
        taken = np.clip(short[:, None] - breaks[:, :-1], 0, widths)
        cost = float((taken * slopes).sum())
        cost += rules.weight_over * float(phone.sum() - covered.sum())
        cost += rules.weight_empty_queue * float((phone[1:] == 0).sum())
        cost += rules.weight_hours_deviation * (abs(hours_a1 - 6.0) + fixed_hours)
        best = min(best, cost)
    assert len(options) > 50
    assert warm.objective == pytest.approx(best, abs=1e-6)
    assert warm.status == "optimal"
    assert warm.objective <= warm.stats["start_objective"] + 1e-6


@pytest.mark.parametrize("time_limit", [20, 0.5])
@pytest.mark.parametrize("seed", range(4))
def test_cold_plan_around_locks_keeps_every_locked_meeting(planned, seed, time_limit):
    """Planned from nothing around the same locks (the CLI's ``--locks``, no start): every
    locked row is kept as locked, the meetings of locked agents included (attending where the
    lock has the meeting block, on the phone where it has none); also at a limit too short
    for the integer program, when the rounded plan is the plan (it placed the meetings
    anew and dropped locked ones before)."""
    req, ag, rules, result = planned
    agent, edited = _edit(result.roster, seed)
    locks = _locks(edited, [agent], seed)
    cold = solve_roster(req, ag, rules, locks=locks, time_limit=time_limit)
    assert cold.status in ("optimal", "feasible")
    assert _kept(cold.roster, locks)
    report = check_roster(
        cold.roster, edits.absence_as_unavailable(ag, edited), req, rules, locks=locks
    )
    assert report.ok, [v.message for v in report.errors]
