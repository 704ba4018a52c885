"""The Scenarier page (AppTest): a scenario built with widgets or a TOML upload, run against a
saved base roster, compared side by side with the base."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_support import plan as app_plan
from app_support import shell as app
from app_support.i18n import percent
from app_support.shell import USER_KEY
from planner.store.database import Store

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TZ = "Europe/Copenhagen"
DAY = dt.date(2026, 11, 23)  # the Monday after the default history


def hand_roster(agents: list[str]) -> pd.DataFrame:
    rows = []
    for agent in agents:
        for start, end, activity in (
            ("08:00", "12:00", "phone"),
            ("12:00", "12:30", "lunch"),
            ("12:30", "16:00", "phone"),
        ):
            rows.append(
                (
                    agent,
                    DAY,
                    pd.Timestamp(f"{DAY} {start}", tz=TZ),
                    pd.Timestamp(f"{DAY} {end}", tz=TZ),
                    activity,
                )
            )
    return pd.DataFrame(rows, columns=["agent_id", "date", "start", "end", "activity"])


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DB_URL", url)
    with Store(url) as store:
        store.save("roster", "Uge 48", hand_roster([f"A{i:02d}" for i in range(1, 31)]), user="a")
    yield url
    app._open_store.clear()


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state[USER_KEY] = "lead"
    at.session_state["scenarier:replications"] = 1
    at.run()
    return at.switch_page("app_pages/scenarios.py").run()


def test_without_a_roster_the_page_says_what_to_do(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("VAGTPLAN_DB_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    try:
        at = open_page()
        assert not at.exception and not at.error
        assert at.info[0].value == "Læg eller gem først en vagtplan på siden Vagtplan."
    finally:
        app._open_store.clear()


def test_a_scenario_is_compared_with_the_base(db_url: str) -> None:
    at = open_page()
    assert not at.exception and not at.error
    at.text_input(key="scenarier:name").input("To syge")
    at.multiselect(key="scenarier:sick").select("A01").select("A02")
    at.number_input(key="scenarier:vol").set_value(20)
    at.button[[b.label for b in at.button].index("Tilføj scenarie")].click().run()
    assert not at.exception and not at.error
    listed = at.dataframe[0].value
    assert list(listed["Scenarie"]) == ["To syge"]

    at.button(key="scenarier:run").click().run()
    assert not at.exception and not at.error
    summary = at.dataframe[1].value
    assert list(summary["Scenarie"]) == ["Basis", "To syge"]  # the base by its Danish word
    comparison = at.session_state["scenarier:result"]
    base, sick = comparison.summary()["answer_rate"].tolist()
    assert sick < base  # two agents fewer and 20 % more calls answer fewer
    assert summary["Svarprocent"].tolist() == [percent(base), percent(sick)]  # 92,3 %
    side = at.dataframe[2].value
    assert {"Svarprocent · Basis", "Svarprocent · To syge"} <= set(side.columns)
    assert set(side["Dato"]) == {"man. 23/11"}


def test_a_toml_scenario_and_the_form_make_the_same_change() -> None:
    from planner.io.scenarios import load_scenarios

    times = pd.date_range(f"{DAY} 08:00", periods=4, freq="15min", tz=TZ)
    forecast = pd.DataFrame(
        {"interval_start": times, "queue": "Dagpenge", "offered": 10.0, "aht_seconds": 300.0}
    )
    agents = pd.DataFrame(
        {"agent_id": ["A01", "A02"], "team": "T", "skills": "Dagpenge", "weekly_hours": 37}
    )
    inputs = app_plan.plan_inputs(forecast, hand_roster(["A01", "A02"]), agents)
    text = b'[[scenario]]\nname = "Flere opkald"\n[[scenario.volume]]\nfactor = 1.1\n'
    (scenario,) = load_scenarios(
        "s.toml", agents=inputs.agents, forecast=inputs.forecast, data=text
    )
    made = app_plan.make_scenario("Flere opkald", volume=(10, None, None, None))
    assert made.changes[0].factor == pytest.approx(scenario.changes[0].factor)
    sick = app_plan.make_scenario("Syg", sick=(["A01"], DAY))
    changed = sick.changes[0].apply(inputs)
    assert set(changed.roster.loc[changed.roster["agent_id"] == "A01", "activity"]) == {"absence"}
    with pytest.raises(ValueError, match="changes nothing"):
        app_plan.make_scenario("Intet")


def test_the_week_chart_shows_the_goal_on_an_axis_around_it() -> None:
    from app_pages.scenarios import week_chart
    from planner.scenarios import run_scenarios
    from staffing.simulation.scenarios import PlanInputs, ScaleVolume, Scenario

    start = pd.Timestamp("2026-03-02 08:00", tz="Europe/Copenhagen")
    times = pd.date_range(start, periods=16, freq="15min")
    forecast = pd.DataFrame(
        {"interval_start": times, "queue": "Dagpenge", "offered": 12.0, "aht_seconds": 240.0}
    )
    roster = pd.DataFrame(
        {
            "agent_id": ["A1", "A2", "A3", "A4"],
            "date": dt.date(2026, 3, 2),
            "start": times[0],
            "end": times[-1] + pd.Timedelta("15min"),
            "activity": "phone",
        }
    )
    agents = pd.DataFrame({"agent_id": ["A1", "A2", "A3", "A4"], "skills": "Dagpenge"})
    comparison = run_scenarios(
        PlanInputs(forecast, roster, agents),
        [Scenario("more", (ScaleVolume(1.3),))],
        replications=3,
        patience=300.0,
    )
    spec = week_chart(comparison, "answer_rate").to_dict()
    points, rule = spec["layer"]
    assert points["mark"]["type"] == "point" and rule["mark"]["type"] == "rule"
    lo, hi = points["encoding"]["y"]["scale"]["domain"]
    rates = comparison.kpi_table(by="total", total=True)["answer_rate"]
    # the week's ratios of sums, the goal in view, and no 0-100 % axis
    assert lo <= min(rates.min(), 0.92) and hi >= max(rates.max(), 0.92) and hi - lo < 0.9
