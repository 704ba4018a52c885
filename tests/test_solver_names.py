"""The solver's names come from indices, never from user text.

Agent ids, queue, team and meeting names that differ only in punctuation (``A.01``, ``A_01``),
spaces, Danish letters or line breaks once crashed the roster model: PuLP replaces punctuation
in names and refused the program for "overlapping constraint names". Here such inputs build and
solve, every name is plain ASCII, and each agent's shift comes back under its own id (told
apart by working windows that only that agent has).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import roster_cases as rc

from staffing.roster.check import check_roster
from staffing.roster.model import build_roster_model
from staffing.roster.rules import MeetingRule, ShiftRules
from staffing.roster.solve import solve_roster

#: each agent's only working window (a 4-hour day: 20 weekly hours / 5), one per agent
WINDOWS = {
    "A.01": ("07:00", "11:00"),
    "A_01": ("10:00", "14:00"),
    "A 01": ("13:00", "17:00"),
    "Ø-1": ("15:00", "19:00"),
}
#: ids a solver could not tell apart once punctuation, spaces and letters are folded
NASTY_IDS = ["A.01", "A_01", "A 01", "A-01", "A\n01", "A\t01", "Ø-1", "Oe-1", "æ/å", 'A"01']
PLAIN_NAME = re.compile(r"[A-Za-z0-9_]+")


def _agents(windows: dict[str, tuple[str, str]]) -> pd.DataFrame:
    return rc.agents(
        *(
            {
                "agent_id": agent_id,
                "skills": "Q",
                "weekly_hours": 20.0,
                "earliest_start": start,
                "latest_end": end,
            }
            for agent_id, (start, end) in windows.items()
        )
    )


def test_ids_that_differ_only_in_punctuation_solve_under_their_own_ids():
    req = rc.requirements([rc.monday()], {"Q": 1}, start="07:00", end="19:00")
    agents = _agents(WINDOWS)
    result = solve_roster(req, agents, rc.PLAIN, time_limit=30)
    assert result.status in ("optimal", "feasible")
    roster = result.roster
    assert sorted(set(roster["agent_id"])) == sorted(WINDOWS)
    for agent_id, window in WINDOWS.items():
        rows = roster[roster["agent_id"] == agent_id]
        shift = (rows["start"].min().strftime("%H:%M"), rows["end"].max().strftime("%H:%M"))
        assert shift == window, agent_id
    assert check_roster(roster, agents, req, rc.PLAIN).ok


def _names(model) -> tuple[list[str], list[str]]:
    rows = [c.name for c in model.problem.constraints()]
    cols = [v.name for v in model.problem.variables()]
    return rows, cols


def test_every_name_is_plain_ascii_and_unique_whatever_the_user_wrote():
    """Agents, queues, teams and meeting rules whose names fold to the same text build a
    program of plain, unique names, and its plan passes the independent checker."""
    rules = ShiftRules(
        meetings=(
            MeetingRule("Team-møde", attendees="team", minutes=30),
            MeetingRule("Team møde", attendees="each", minutes=30, one_at_a_time_per_team=True),
        ),
    )
    req = rc.requirements([rc.monday()], {"A-Kasse": 1, "A Kasse": 1, "A_Kasse": 1})
    teams = ["Team 1", "Team-1", "Team_1", ""]
    agents = rc.agents(
        *(
            {"agent_id": agent_id, "team": teams[i % 4], "skills": "A-Kasse;A Kasse;A_Kasse"}
            for i, agent_id in enumerate(NASTY_IDS)
        )
    )
    model = build_roster_model(req, agents, rules)
    rows, cols = _names(model)
    for name in rows + cols:
        assert PLAIN_NAME.fullmatch(name), name
    assert len(set(rows)) == len(rows) and len(set(cols)) == len(cols)
    # one pick row per agent-week: ten agents, one week, none merged
    assert sum(name.startswith("pick_") for name in rows) == len(NASTY_IDS)
    # three queues x 28 intervals (08:00-15:00): none merged
    assert sum(name.startswith("cover_") for name in rows) == 3 * 28
    result = solve_roster(req, agents, rules, time_limit=30)
    assert sorted(set(result.roster["agent_id"])) == sorted(NASTY_IDS)
    assert check_roster(result.roster, agents, req, rules).ok


def test_the_names_say_which_agent_queue_and_interval():
    """``cover_q{queue}_{date}_{time}``: queues numbered in sorted order (A-Kasse before
    Sygeopfølgning), agents by their row in the agents table."""
    req = rc.requirements([rc.monday()], {"Sygeopfølgning": 1, "A-Kasse": 1})
    agents = rc.agents({"skills": "Sygeopfølgning;A-Kasse"}, {"skills": "A-Kasse"})
    rows, _ = _names(build_roster_model(req, agents, rc.PLAIN))
    assert "cover_q1_20260302_0800" in rows  # Sygeopfølgning at 08:00 on Monday 2 March 2026
    assert "cover_q0_20260302_1445" in rows  # A-Kasse at 14:45
    assert {"pick_a0_2026W10", "pick_a1_2026W10"} <= set(rows)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_both_solvers_take_the_names(solver):
    """CBC reads the program from a file PuLP writes with the names; HiGHS gets them directly."""
    req = rc.requirements([rc.monday()], {"Q": 1}, start="07:00", end="19:00")
    agents = _agents(WINDOWS)
    result = solve_roster(req, agents, rc.PLAIN, solver=solver, time_limit=30)
    assert result.solver == solver
    assert sorted(set(result.roster["agent_id"])) == sorted(WINDOWS)
