"""One prediction of a roster everywhere (issue 12, point 4; `staffing.simulation.standard`).

The roster `vagtplan plan` made for the default data's week 2026-W49 goes through every path a
user has: the plan's own kpi.csv and report, `vagtplan simulate` on the plan's files, the
Scenarier page's base (`planner.scenarios.run_scenarios`) and the Vagtplan page's glue
(`app_support.plan.predicted_week`, with the app's default forecast): the same numbers. The
chance of meeting the SLA says its resolution and falls under stress (+15 % calls, two agents
fewer). And the week the documented team meets: 92-97 % answered, at most 150 s of wait, with
the roster's phone time covering the requirement.
"""

from __future__ import annotations

import pandas as pd
import pytest

from app_support import plan as app_plan
from app_support.plan import DATA_DIR
from planner.cli import main
from planner.io.agents import read_agents
from planner.io.forecast import read_forecast
from planner.io.roster import read_roster
from planner.scenarios import BASE, run_scenarios
from staffing import kpi
from staffing.simulation.scenarios import PlanInputs, RemoveAgent, ScaleVolume, Scenario
from staffing.simulation.standard import STANDARD, SlaChance

KEYS = ["queue", "date"]
MEASURES = ["offered", "answered", "answer_rate", "asa_seconds", "abandon_rate"]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    """The default week planned once with the standard settings (as `vagtplan plan` runs)."""
    out = tmp_path_factory.mktemp("plan") / "w49"
    assert main(["plan", "--week", "2026-W49", "--out", str(out), "--time-limit", "20"]) == 0
    roster = read_roster(out / "roster.csv")
    forecast = read_forecast(out / "forecast.csv")
    agents = read_agents(DATA_DIR / "agents.csv")
    return out, roster, forecast, agents


def _day_table(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[frame["queue"] != kpi.ALL_QUEUES].copy()
    frame["date"] = frame["date"].astype(str)
    return frame.sort_values(KEYS).reset_index(drop=True)[KEYS + MEASURES]


def test_plan_simulate_scenarios_and_page_give_the_same_kpis(plan, tmp_path):
    out, roster, forecast, agents = plan
    from_plan = _day_table(pd.read_csv(out / "kpi.csv"))
    # vagtplan simulate on the plan's files, with its defaults
    assert (
        main(
            [
                "simulate",
                "--roster",
                str(out / "roster.csv"),
                "--forecast",
                str(out / "forecast.csv"),
                "--agents",
                str(DATA_DIR / "agents.csv"),
                "--out",
                str(tmp_path / "sim.csv"),
            ]
        )
        == 0
    )
    from_cli = _day_table(pd.read_csv(tmp_path / "sim.csv"))
    pd.testing.assert_frame_equal(from_cli, from_plan, atol=0.01, rtol=0, check_dtype=False)
    # the Scenarier page's base
    base = run_scenarios(PlanInputs(forecast, roster, agents), []).results[BASE]
    from_scenarios = _day_table(base.kpi_table(by="day"))
    pd.testing.assert_frame_equal(from_scenarios, from_plan, atol=0.01, rtol=0, check_dtype=False)
    # the Vagtplan page: the app's own default forecast (21 days) for the roster's days
    default = app_plan.load_default_plan()
    days = sorted(set(roster["date"]))
    page_forecast = app_plan.roster_forecast(None, default.forecast, days)
    page = app_plan.predicted_week(page_forecast, roster, agents)
    pd.testing.assert_frame_equal(
        _day_table(page.kpi_table(by="day")), from_plan, atol=0.01, rtol=0, check_dtype=False
    )
    # and the page's table of goals is the report's centre row
    goals = app_plan.goals_table(page)
    centre = goals.iloc[0]
    assert centre["queue"] == kpi.ALL_QUEUES
    text = (out / "report.txt").read_text(encoding="utf-8")
    assert f"answer rate {centre['answer_rate']:.1%}" in text
    assert f"average wait {centre['asa_seconds']:.0f} s" in text
    assert f"{STANDARD.replications} simulated weeks, seed {STANDARD.seed}" in text


def _hours(roster: pd.DataFrame, activity: str) -> float:
    rows = roster[roster["activity"] == activity]
    return float((rows["end"] - rows["start"]).dt.total_seconds().sum() / 3600)


def test_the_documented_team_meets_the_week_it_is_staffed_for(plan):
    out, roster, _, _ = plan
    week = pd.read_csv(out / "kpi.csv")
    counts = week[week["queue"] != kpi.ALL_QUEUES][["offered", "answered", "abandoned_short"]]
    answered, countable = (
        counts["answered"].sum(),
        (counts["offered"] - counts["abandoned_short"]).sum(),
    )
    assert 0.92 <= answered / countable <= 0.97, answered / countable
    text = (out / "report.txt").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("predicted"))
    wait = float(line.split("average wait ")[1].split(" s")[0])
    assert wait <= 150
    # the requirement is what the roster's phone time covers, and not much more
    requirement = pd.read_csv(out / "requirements.csv")["agents"].sum() / 4
    coverage = pd.read_csv(out / "coverage.csv")
    short = coverage["shortfall"].sum() / 4
    phone = _hours(roster, "phone")
    figures = f"phone {phone:.1f} h, requirement {requirement:.1f} h, short {short:.1f} h"
    assert phone >= requirement - short, figures
    assert short <= 0.03 * requirement, figures
    assert phone <= 1.10 * requirement, figures
    assert _hours(roster, "off_phone") > 0


def test_the_chance_of_meeting_the_sla_falls_under_stress(plan):
    _, roster, forecast, agents = plan
    working = roster.loc[roster["activity"] == "phone", "agent_id"].value_counts().index[:2]
    stress = [
        Scenario("15 % more calls", (ScaleVolume(1.15),)),
        Scenario(
            "two agents fewer",
            tuple(RemoveAgent(str(a), None) for a in working),
        ),
    ]
    comparison = run_scenarios(
        PlanInputs(forecast, roster, agents), stress, risk_runs=STANDARD.risk_runs
    )
    chances = comparison.chances
    assert {c.runs for c in chances.values()} == {STANDARD.risk_runs}
    base = chances[BASE]
    assert base.share >= 0.9
    assert chances["15 % more calls"].share < base.share - 0.2
    assert chances["two agents fewer"].share <= base.share
    summary = comparison.summary().set_index("scenario")
    assert summary.loc[BASE, "p_meet_week"] == base.share
    assert summary.loc[BASE, "p_meet_runs"] == STANDARD.risk_runs


@pytest.mark.parametrize(
    ("met", "runs", "text"),
    [
        (200, 200, "at least 98.5 % (met in all 200 runs)"),
        (0, 200, "at most 1.5 % (met in none of 200 runs)"),
        (194, 200, "97 % (94-99 %; met in 194 of 200 runs)"),
        (5, 5, "at least 54.9 % (met in all 5 runs)"),
    ],
)
def test_the_chance_says_its_resolution(met, runs, text):
    assert SlaChance(met, runs).text() == text
    # the exact interval: at its bounds the binomial tail is 2.5 % (5 % one-sided at 0 or n)
    from scipy import stats

    chance = SlaChance(met, runs)
    if 0 < met < runs:
        assert stats.binom.sf(met - 1, runs, chance.lower) == pytest.approx(0.025, abs=1e-9)
        assert stats.binom.cdf(met, runs, chance.upper) == pytest.approx(0.025, abs=1e-9)
    elif met == runs:
        assert chance.lower**runs == pytest.approx(0.05)
