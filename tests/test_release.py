"""Phone time beyond the requirement goes to off-phone work (`staffing.roster.release`).

`can_leave` (Hall's condition, and the maximum-flow fallback) is checked against a brute force
over every assignment of agents to queues; `solve_roster` with the release on against the same
plan with it off: the same coverage of the requirement, less phone time, blocks within the
rules' lengths, no short piece of phone time, the team floor kept and the checker's approval.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
import roster_cases as rc
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.io.rules import parse_rules
from staffing.roster import release
from staffing.roster.check import check_roster
from staffing.roster.release import can_leave
from staffing.roster.solve import solve_roster


def covered(skills: list[frozenset[int]], need: dict[int, int]) -> int:
    """The most agent-needs the agents can cover, one queue each, by trying every assignment."""
    best = 0
    for choice in itertools.product(*[[None, *sorted(s)] for s in skills]):
        counts: dict[int, int] = {}
        for q in choice:
            if q is not None:
                counts[q] = counts.get(q, 0) + 1
        best = max(best, sum(min(counts.get(q, 0), n) for q, n in need.items()))
    return best


skill_sets = st.lists(
    st.frozensets(st.integers(0, 3), min_size=0, max_size=3), min_size=0, max_size=6
)
needs = st.dictionaries(st.integers(0, 3), st.integers(0, 3), max_size=4)


@settings(max_examples=300, deadline=None)
@given(skill_sets, needs)
def test_can_leave_is_exactly_who_the_others_can_spare(skills, need):
    full = covered(skills, need)
    expected = [covered(skills[:i] + skills[i + 1 :], need) == full for i in range(len(skills))]
    assert can_leave(skills, need).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(skill_sets, needs)
def test_the_maximum_flow_agrees_with_hall(skills, need):
    hall = can_leave(skills, need)
    saved = release.HALL_LIMIT
    release.HALL_LIMIT = 0  # every case through the maximum flow
    try:
        flow = can_leave(skills, need)
    finally:
        release.HALL_LIMIT = saved
    assert flow.tolist() == hall.tolist()


def test_hall_on_a_hand_case():
    # agents 0 and 1 take Dagpenge (0) only, agent 2 both, agent 3 Kontanthjælp (1) only
    skills = [frozenset({0}), frozenset({0}), frozenset({0, 1}), frozenset({1})]
    # Dagpenge needs 3 and Kontanthjælp 1: everybody is needed
    assert can_leave(skills, {0: 3, 1: 1}).tolist() == [False, False, False, False]
    # Kontanthjælp needs 2: agents 2 and 3 must stay, one of the Dagpenge agents may go
    assert can_leave(skills, {0: 1, 1: 2}).tolist() == [True, True, False, False]
    # nobody can take Kontanthjælp's third call: the others are judged on what can be covered
    assert can_leave(skills, {0: 2, 1: 3}).tolist() == [False, False, False, False]
    assert can_leave(skills, {0: 1, 1: 3}).tolist() == [True, True, False, False]


# ---------------------------------------------------------------------------------------------
# In a plan
# ---------------------------------------------------------------------------------------------
DAYS = [rc.monday(i) for i in range(2)]


def _peak(day: int, slot: int) -> float:
    """Two agents on Dagpenge, four in the 10-12 peak."""
    return 4.0 if 8 <= slot < 16 else 2.0


def _case():
    req = rc.requirements(DAYS, {"Dagpenge": _peak, "Kontanthjælp": 1.0})
    agents = rc.agents(
        *(
            {"team": "Ydelse" if i % 2 else "Ledighed", "skills": skills}
            for i, skills in enumerate(["Dagpenge", "Dagpenge;Kontanthjælp"] * 4)
        )
    )
    return req, agents


@pytest.fixture(scope="module")
def both():
    req, agents = _case()
    rules = dataclasses.replace(rc.PLAIN, team_floor=True)
    on = solve_roster(req, agents, rules, time_limit=20)
    off = solve_roster(req, agents, dataclasses.replace(rules, off_phone=False), time_limit=20)
    return req, agents, rules, on, off


def _hours(roster: pd.DataFrame, activity: str) -> float:
    rows = roster[roster["activity"] == activity]
    return float(((rows["end"] - rows["start"]).dt.total_seconds() / 3600).sum())


def test_release_keeps_the_coverage_and_frees_the_rest(both):
    req, agents, rules, on, off = both
    assert on.roster.empty is False and off.roster.empty is False
    # the release never lowers what the plan covers
    assert on.shortfall_hours == pytest.approx(off.shortfall_hours, abs=1e-6)
    covered_on = float((on.coverage["required"] - on.coverage["shortfall"]).sum())
    covered_off = float((off.coverage["required"] - off.coverage["shortfall"]).sum())
    assert covered_on == pytest.approx(covered_off, abs=1e-6)
    assert _hours(off.roster, "off_phone") == 0
    assert _hours(on.roster, "off_phone") > 0
    # only surplus went: the phone time left is within what whole blocks can leave
    assert _hours(on.roster, "phone") < _hours(off.roster, "phone")
    required_hours = float(req["agents"].sum()) / 4
    assert _hours(on.roster, "phone") >= required_hours - on.shortfall_hours - 1e-6
    report = check_roster(on.roster, agents, req, rules)
    assert report.ok, report.summary()
    assert not [v for v in report.warnings if v.rule == "team_floor"]


def test_blocks_have_the_rules_lengths_and_leave_no_short_phone_piece(both):
    _, _, rules, on, _ = both
    roster = on.roster
    minutes = (roster["end"] - roster["start"]).dt.total_seconds() / 60
    off = minutes[roster["activity"] == "off_phone"]
    assert (off >= rules.off_phone_min_minutes).all()
    for (_, _), day in roster.groupby(["agent_id", roster["start"].dt.date]):
        day = day.sort_values("start")
        acts = day["activity"].tolist()
        lengths = ((day["end"] - day["start"]).dt.total_seconds() / 60).tolist()
        for i, (act, length) in enumerate(zip(acts, lengths)):
            # a phone piece between two other activities is at least the minimum block
            between = 0 < i < len(acts) - 1 and acts[i - 1] != "phone" and acts[i + 1] != "phone"
            if act == "phone" and between and "off_phone" in (acts[i - 1], acts[i + 1]):
                assert length >= rules.off_phone_min_minutes, day


def test_off_phone_time_is_spread_over_the_agents(both):
    _, _, _, on, _ = both
    rows = on.roster[on.roster["activity"] == "off_phone"]
    per_agent = (
        ((rows["end"] - rows["start"]).dt.total_seconds() / 3600).groupby(rows["agent_id"]).sum()
    )
    assert len(per_agent) >= 6  # most of the eight agents get some
    # no agent has more than the others' average plus two hours
    assert per_agent.max() <= per_agent.mean() + 2.0


def test_the_rule_in_rules_toml():
    rules = parse_rules("off_phone = false\noff_phone_min_minutes = 60\noff_phone_max_minutes = 90")
    assert (rules.off_phone, rules.off_phone_min_minutes, rules.off_phone_max_minutes) == (
        False,
        60,
        90,
    )
    for toml, message in (
        ('off_phone = "no"', "off_phone must be true or false"),
        ("off_phone_min_minutes = 20", "off_phone_min_minutes must be a whole number > 0"),
        (
            "off_phone_min_minutes = 60\noff_phone_max_minutes = 30",
            "off_phone_min_minutes must not exceed off_phone_max_minutes",
        ),
    ):
        with pytest.raises(Exception, match=message):
            parse_rules(toml)


def test_a_roster_with_off_phone_rows_locks_them(both):
    req, agents, rules, on, _ = both
    first = on.roster[on.roster["activity"] == "off_phone"].iloc[0]
    locks = on.roster[
        (on.roster["agent_id"] == first["agent_id"])
        & (on.roster["start"].dt.date == first["start"].date())
    ]
    again = solve_roster(req, agents, rules, locks=locks, time_limit=10)
    mine = again.roster[
        (again.roster["agent_id"] == first["agent_id"])
        & (again.roster["start"].dt.date == first["start"].date())
    ]
    kept = mine[mine["activity"] == "off_phone"]
    assert (kept["start"] == first["start"]).any()
    assert np.isfinite(again.objective)
