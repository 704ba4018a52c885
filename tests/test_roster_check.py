"""The independent roster checker: a legal hand-made plan passes, every planted violation is
caught by the rule it breaks, and coverage is recomputed by maximum flow."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import roster_cases as rc

from staffing.roster.check import check_roster
from staffing.roster.rules import ShiftRules

DATE = dt.date(2026, 3, 2)
RULES = ShiftRules()


def at(h: int, m: int) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime(2026, 3, 2, h, m)).tz_localize(rc.TZ)


def rows(*blocks: tuple[str, tuple[int, int], tuple[int, int], str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"agent_id": a, "date": DATE, "start": at(*s), "end": at(*e), "activity": act}
            for a, s, e, act in blocks
        ]
    )


LEGAL = rows(
    ("A1", (7, 30), (11, 0), "phone"),
    ("A1", (11, 0), (11, 30), "lunch"),
    ("A1", (11, 30), (15, 0), "phone"),
    ("A2", (8, 30), (12, 0), "phone"),
    ("A2", (12, 0), (12, 30), "lunch"),
    ("A2", (12, 30), (14, 0), "phone"),
    ("A2", (14, 0), (14, 30), "meeting"),
    ("A2", (14, 30), (16, 0), "phone"),
)
AGENTS = rc.agents({"skills": "Q;R"}, {"skills": "Q"})
REQ = rc.requirements([DATE.isoformat()], {"Q": 1, "R": 1}, start="07:30", end="16:00")


def test_legal_plan_passes():
    report = check_roster(LEGAL, AGENTS, REQ, RULES)
    assert report.ok, report.summary()


def _replace(frame: pd.DataFrame, index: int, **changes) -> pd.DataFrame:
    out = frame.copy()
    for key, value in changes.items():
        out.at[index, key] = value
    return out


PLANTED = {
    "overlap": lambda: pd.concat(
        [LEGAL, rows(("A1", (9, 0), (9, 30), "training"))], ignore_index=True
    ),
    "lunch": lambda: _replace(LEGAL, 1, activity="phone"),
    "lunch window": lambda: LEGAL.drop(index=[0, 1, 2]).pipe(
        lambda f: pd.concat(
            [
                f,
                rows(
                    ("A1", (7, 30), (8, 0), "phone"),
                    ("A1", (8, 0), (8, 30), "lunch"),
                    ("A1", (8, 30), (15, 0), "phone"),
                ),
            ],
            ignore_index=True,
        )
    ),
    "hours": lambda: _replace(LEGAL, 0, start=at(6, 0)),
    "unavailable": None,
    "agent_hours": None,
    "weekly_hours": lambda: LEGAL.iloc[:6],
    "split_shift": lambda: LEGAL.drop(index=5),
    "blackout": lambda: _replace(
        _replace(LEGAL, 3, end=at(9, 30)),
        4,
        start=at(9, 30),
        end=at(10, 0),
        activity="meeting",
    ).pipe(
        lambda f: pd.concat([f, rows(("A2", (10, 0), (12, 30), "phone"))], ignore_index=True).drop(
            index=5
        )
    ),
    "format": lambda: _replace(LEGAL, 0, end=at(11, 7)),
    "unknown_agent": lambda: _replace(LEGAL, 0, agent_id="X9"),
    "lock": None,
}


@pytest.mark.parametrize("rule", [r for r, make in PLANTED.items() if make is not None])
def test_planted_violation_is_caught(rule):
    planted = PLANTED[rule]()
    report = check_roster(planted, AGENTS, REQ, RULES)
    expected = "lunch" if rule == "lunch window" else rule
    assert expected in report.rules_broken(), report.summary()


def test_work_on_a_booked_day_and_before_the_earliest_start():
    agents = rc.agents(
        {"skills": "Q;R", "unavailable": DATE.isoformat()},
        {"skills": "Q", "earliest_start": "09:00"},
    )
    report = check_roster(LEGAL, agents, REQ, RULES)
    assert {"unavailable", "agent_hours"} <= report.rules_broken()
    assert any("before the agent's earliest start 09:00" in v.message for v in report.errors)


def test_shift_length_and_lock():
    rules = ShiftRules(max_shift_hours=7.0)
    report = check_roster(LEGAL, AGENTS, REQ, rules)
    assert "shift_length" in report.rules_broken()
    lock = rows(("A1", (8, 0), (11, 0), "phone"))
    report = check_roster(LEGAL, AGENTS, REQ, RULES, locks=lock)
    assert report.rules_broken() == {"lock"}


def test_coverage_by_maximum_flow():
    """A1 (skills Q and R) and A2 (Q only) on the phone, one needed on each queue: the best
    split covers both (A1 on R, A2 on Q), although a first-come split could leave R empty."""
    report = check_roster(LEGAL, AGENTS, REQ, RULES)
    cov = report.coverage.set_index(["interval_start", "queue"])
    both = at(10, 0)
    assert cov.loc[(both, "Q"), "covered"] + cov.loc[(both, "R"), "covered"] == 2
    assert cov.loc[(both, "R"), "shortfall"] == 0
    only_a1 = at(8, 0)  # A2 starts at 08:30
    assert cov.loc[(only_a1, "Q"), "covered"] + cov.loc[(only_a1, "R"), "covered"] == 1
    assert cov.loc[(only_a1, "Q"), "skilled_on_phone"] == 1
    lunch = at(11, 15)  # A1 at lunch: R has nobody with the skill
    assert cov.loc[(lunch, "R"), "skilled_on_phone"] == 0
    assert any(v.rule == "empty_queue" for v in report.warnings)


def test_an_empty_roster_is_checked_not_crashed():
    # nobody planned for a day that needs two agents: the checker says so, rule by rule
    req = rc.requirements([rc.monday()], {"Dagpenge": 2.0})
    agents = rc.agents({"skills": "Dagpenge"}, {"skills": "Dagpenge"})
    empty = pd.DataFrame(columns=["agent_id", "date", "start", "end", "activity"])
    report = check_roster(empty, agents, req, rc.PLAIN)
    assert not report.ok
    # both agents miss their week's hours; every interval has nobody; the team is left alone
    assert [v.rule for v in report.errors] == ["weekly_hours", "weekly_hours"]
    assert {v.rule for v in report.warnings} == {"empty_queue", "team_floor"}
    assert report.coverage["covered"].sum() == 0
    assert report.coverage["shortfall"].sum() == pytest.approx(2.0 * len(req))
