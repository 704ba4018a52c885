"""One suite, run against every MIP solver (PuLP's tests/solver_common.py habit): the same
optimum on a small instance, a week that cannot be covered, and the checker's verdict."""

from __future__ import annotations

import pytest
import roster_cases as rc

from staffing.roster import available_solvers, build_roster_model, solve_roster
from staffing.roster_check import check_roster

SOLVERS = ["highs", "cbc"]
WEEK = [rc.monday(i) for i in range(5)]


def test_both_solvers_are_available():
    assert available_solvers() == SOLVERS


@pytest.fixture(scope="module")
def optimum():
    """The optimum of a one-day instance with every pattern in the program."""
    needs = [1] * 6 + [3] * 12 + [2] * 16
    req = rc.requirements([rc.monday()], {"Q": needs}, start="07:30", end="16:00")
    ag = rc.agents({"skills": "Q", "weekly_hours": 30}, {"skills": "Q", "weekly_hours": 32})
    return req, ag


@pytest.mark.parametrize("solver", SOLVERS)
def test_same_optimum(solver, optimum):
    req, ag = optimum
    result = solve_roster(req, ag, rc.PLAIN, solver=solver, time_limit=30)
    reference = solve_roster(req, ag, rc.PLAIN, solver="highs", time_limit=30)
    assert result.solver == solver
    assert result.status == "optimal"
    assert result.objective == pytest.approx(reference.objective, abs=1e-6)
    assert check_roster(result.roster, ag, req, rc.PLAIN).ok


@pytest.mark.parametrize("solver", SOLVERS)
def test_week_that_cannot_be_covered(solver):
    """Three agents, one on holiday all week, a requirement of three all day: a plan comes
    back, short, with the reason."""
    req = rc.requirements(WEEK[:2], {"Kontanthjælp": 3}, start="07:30", end="16:00")
    ag = rc.agents(
        {"skills": "Kontanthjælp"},
        {"skills": "Kontanthjælp"},
        {"skills": "Kontanthjælp", "unavailable": ";".join(WEEK[:2])},
    )
    result = solve_roster(req, ag, rc.PLAIN, solver=solver, time_limit=30)
    assert result.status in ("optimal", "feasible")
    assert result.shortfall_hours > 8
    assert check_roster(result.roster, ag, req, rc.PLAIN).ok
    short = [d for d in result.diagnostics if d.kind == "short"]
    assert short and all(d.queue == "Kontanthjælp" for d in short)
    assert "1 of 3 skilled agents is on holiday" in short[0].message


def test_named_constraints():
    req = rc.requirements([rc.monday()], {"Sygeopfølgning": 1, "A-Kasse": 1})
    ag = rc.agents({"skills": "Sygeopfølgning;A-Kasse"})
    model = build_roster_model(req, ag, rc.PLAIN)
    names = {c.name for c in model.problem.constraints()}
    assert "cover_Sygeopfoelgning_20260302_0800" in names
    assert "cover_A_Kasse_20260302_1445" in names
    assert "pick_A1_2026W10" in names
