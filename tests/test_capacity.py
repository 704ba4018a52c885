"""Say it before it hurts (`staffing.roster.capacity`): the team's most against the need.

The figures are checked against hand counts on small weeks, and the bound against the
optimizer: when the hours finding says the team is short, no roster covers more than the team
can give.
"""

from __future__ import annotations

import dataclasses

import pytest
import roster_cases as rc

from staffing.roster.capacity import capacity_findings
from staffing.roster.solve import solve_roster

DAY = rc.monday()


def kinds(findings) -> dict[str, object]:
    return {f.kind: f for f in findings}


def test_a_team_that_can_cover_the_week_gets_no_finding():
    req = rc.requirements([DAY], {"Dagpenge": 1.0})
    agents = rc.agents({"skills": "Dagpenge"}, {"skills": "Dagpenge"})
    assert capacity_findings(req, agents, rc.PLAIN) == []


def test_hours_heads_and_skills_by_hand():
    # 08:00-15:00 is 28 intervals; Dagpenge needs 3 agents all day = 21 agent-hours,
    # Kontanthjælp 1 agent from 10:00 = 5 agent-hours; two full-timers with Dagpenge only
    req = rc.requirements(
        [DAY],
        {"Dagpenge": 3.0, "Kontanthjælp": lambda d, j: 1.0 if j >= 8 else 0.0},
    )
    agents = rc.agents({"skills": "Dagpenge"}, {"skills": "Dagpenge"})
    found = kinds(capacity_findings(req, agents, rc.PLAIN))
    # each can be on the phone 37 / 5 = 7.4 h less a 30-minute lunch = 6.9 h
    assert found["hours"].needed == pytest.approx(26.0)
    assert found["hours"].available == pytest.approx(13.8)
    assert "26 agent-hours" in found["hours"].message and "at most 14" in found["hours"].message
    assert found["day_hours"].day.isoformat() == DAY
    # 4 at once from 10:00 (3 + 1) with two agents
    assert (found["heads"].needed, found["heads"].available) == (4.0, 2.0)
    assert "10:00 needs 4 agents on the phone at once; only 2 of the 2" in found["heads"].message
    # nobody has Kontanthjælp
    assert found["skill_heads"].queue == "Kontanthjælp"
    assert (found["skill_heads"].needed, found["skill_heads"].available) == (1.0, 0.0)
    assert found["skill_hours"].queue in {"Dagpenge", "Kontanthjælp"}


def test_holidays_and_hours_of_the_day_count():
    req = rc.requirements([DAY], {"Dagpenge": 2.0})  # 14 agent-hours
    agents = rc.agents(
        {"skills": "Dagpenge"},
        {"skills": "Dagpenge", "unavailable": DAY},
        {"skills": "Dagpenge", "earliest_start": "12:00"},
    )
    found = kinds(capacity_findings(req, agents, rc.PLAIN))
    # two at work: 2 x 6.9 = 13.8 < 14
    assert found["day_hours"].available == pytest.approx(13.8)
    assert "(1 on holiday)" in found["day_hours"].message
    # before 12:00 only one of them can be there
    assert (found["heads"].needed, found["heads"].available) == (2.0, 1.0)
    assert "08:00" in found["heads"].message


def test_the_hours_bound_holds_for_the_optimizer():
    req = rc.requirements([DAY], {"Dagpenge": 4.0})  # 28 agent-hours
    agents = rc.agents(*({"skills": "Dagpenge"} for _ in range(3)))
    found = kinds(capacity_findings(req, agents, rc.PLAIN))
    bound = found["hours"].available
    rules = dataclasses.replace(rc.PLAIN, off_phone=False)
    result = solve_roster(req, agents, rules, time_limit=20)
    covered = float((result.coverage["required"] - result.coverage["shortfall"]).sum()) / 4
    assert covered <= bound + 1e-6
    assert result.shortfall_hours >= found["hours"].needed - bound - 1e-6
