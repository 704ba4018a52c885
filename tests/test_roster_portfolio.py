"""Searches side by side: `solve_roster(workers=2)` and `staffing.roster.portfolio`."""

from __future__ import annotations

import dataclasses
import time

import pandas as pd
import pytest
import roster_cases as rc

from planner.cli import main
from planner.errors import InputError
from planner.io.tables import write_csv
from planner.searches import best_of_text, default_workers, gap_text
from staffing.roster import portfolio
from staffing.roster.check import check_roster
from staffing.roster.diagnose import Diagnostic
from staffing.roster.solve import (
    RosterResult,
    _keep_cheapest_search,
    _Run,
    solve_roster,
)


def test_two_searches_give_a_checked_plan_as_good_as_one() -> None:
    req, agents = rc.small_week()
    one = solve_roster(req, agents, rc.PLAIN, time_limit=20)
    two = solve_roster(req, agents, rc.PLAIN, time_limit=20, workers=2)
    assert two.stats["searches"] == 2  # the second search's plan came back
    assert two.objective == pytest.approx(one.objective, abs=1e-6)
    assert two.stats["seed"] == 0  # a tie keeps the first search's plan
    assert not [d for d in two.diagnostics if d.facts.get("note") == "search_failed"]
    assert check_roster(two.roster, agents, req, rc.PLAIN).ok
    assert two.seconds < 20 + portfolio.GRACE_SECONDS + 5


def _result(objective: float, bound: float, seed: int) -> RosterResult:
    return RosterResult(
        status="feasible",
        objective=objective,
        gap=(objective - bound) / objective,
        solver="highs",
        seconds=1.0,
        roster=pd.DataFrame(),
        coverage=pd.DataFrame(),
        diagnostics=(),
        stats={"lower_bound": bound, "seed": seed},
    )


def test_the_cheaper_plan_is_kept_with_the_larger_bound() -> None:
    run = _Run("highs", 10.0, 0.01, False, None, started=time.perf_counter())
    own = _result(10.0, 4.0, seed=0)
    other = portfolio.Outcome("ok", 1, result=_result(8.0, 6.0, seed=1))
    kept = _keep_cheapest_search(run, own, 0, [other])
    assert kept.objective == 8.0 and kept.stats["seed"] == 1
    assert kept.stats["lower_bound"] == 6.0
    assert kept.gap == pytest.approx((8.0 - 6.0) / 8.0)
    assert kept.status == "feasible" and kept.stats["searches"] == 2
    # the bound the other proved can make the first plan's gap small enough to be optimal
    close = portfolio.Outcome("ok", 1, result=_result(10.0, 9.95, seed=1))
    kept = _keep_cheapest_search(run, _result(9.96, 4.0, seed=0), 0, [close])
    assert kept.stats["seed"] == 0 and kept.status == "optimal"
    assert kept.gap == pytest.approx((9.96 - 9.95) / 9.96)
    # a tie keeps the first search's plan; a search that gave no plan is a note
    tie = portfolio.Outcome("ok", 1, result=_result(10.0, 4.0, seed=1))
    late = portfolio.Outcome("late", 2, reason="no plan by the deadline")
    kept = _keep_cheapest_search(run, own, 0, [tie, late])
    assert kept.stats["seed"] == 0 and kept.stats["searches"] == 2
    notes = [d for d in kept.diagnostics if isinstance(d, Diagnostic)]
    assert [d.facts for d in notes] == [{"note": "search_failed", "seed": 2, "why": "late"}]


def test_a_search_that_fails_is_reported() -> None:
    kwargs = {"requirements": "not a table", "agents": "nor this"}
    searches = portfolio.start_searches(1, kwargs, seed=0, deadline=time.time() + 30)
    assert len(searches) == 1
    outcome = portfolio.collect(searches[0], until=time.time() + 25)
    assert outcome.status == "error" and outcome.seed == 1
    assert "Error" in outcome.reason  # the exception's type, e.g. AttributeError or TypeError
    assert searches[0].process.returncode == 0


def test_a_late_search_is_stopped() -> None:
    req, agents = rc.small_week()
    kwargs = {"requirements": req, "agents": agents, "rules": rc.PLAIN}
    searches = portfolio.start_searches(1, kwargs, seed=0, deadline=time.time() + 60)
    started = time.time()
    outcome = portfolio.collect(searches[0], until=started + 0.2)
    assert outcome.status == "late"
    assert searches[0].process.returncode is not None  # killed, not left running
    assert time.time() - started < 5


def test_no_search_without_the_time_for_one() -> None:
    assert portfolio.start_searches(1, {}, seed=0, deadline=time.time() + 1.0) == []
    assert portfolio.start_searches(0, {}, seed=0, deadline=time.time() + 60) == []


def test_default_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAGTPLAN_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.delenv("VAGTPLAN_WORKERS")
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert default_workers() == 1
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert default_workers() == 2
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("VAGTPLAN_WORKERS", bad)
        with pytest.raises(InputError, match="VAGTPLAN_WORKERS must be a whole number >= 1"):
            default_workers()


def test_best_of_text_names_the_searches_and_the_kept_seed() -> None:
    one = _result(10.0, 5.0, seed=0)
    assert best_of_text(one) == ""  # one search: nothing to say
    two = dataclasses.replace(one, stats={"searches": 2, "seed": 1})
    assert best_of_text(two) == "the best of 2 searches"
    assert best_of_text(two, seed=True) == "the best of 2 searches (seed 1)"


def test_gap_text_gives_the_gap_in_answered_calls() -> None:
    # objective 40.0, proven bound 32.5: 18.75 % of the objective, 7.5 answered calls
    result = _result(40.0, 32.5, seed=0)
    assert gap_text(result) == (
        "18.8 % (at most 8 more answered calls a week, or the equivalent in fairness and wishes)"
    )
    no_bound = dataclasses.replace(result, gap=None, stats={"seed": 0})
    assert gap_text(no_bound) == "?"
    bound_only = dataclasses.replace(result, stats={"lower_bound": float("nan")})
    assert gap_text(bound_only) == "18.8 %"  # no finite bound: no calls claimed


def test_workers_are_refused_below_one() -> None:
    req, agents = rc.small_week()
    with pytest.raises(ValueError, match="workers must be a whole number >= 1; got 0"):
        solve_roster(req, agents, rc.PLAIN, time_limit=5, workers=0)


def test_the_command_line_runs_two_searches(tmp_path, capsys, monkeypatch) -> None:
    req, agents = rc.small_week()
    req_path = write_csv(req, tmp_path / "requirements.csv")
    agents_path = write_csv(agents, tmp_path / "agents.csv")
    args = ["roster", "--requirements", str(req_path), "--agents", str(agents_path)]
    out = ["--out", str(tmp_path / "roster.csv"), "--time-limit", "20"]
    assert main([*args, *out, "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert "--workers must be at least 1; got 0" in err and "Traceback" not in err
    monkeypatch.setenv("VAGTPLAN_WORKERS", "two")
    assert main([*args, *out]) == 2
    err = capsys.readouterr().err
    assert "VAGTPLAN_WORKERS must be a whole number >= 1; got 'two'" in err
    assert "Traceback" not in err
    assert main([*args, *out, "--workers", "2"]) == 0
    err = capsys.readouterr().err
    assert "the best of 2 searches (seed 0)" in err
    assert "check: roster OK" in err
