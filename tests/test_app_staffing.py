"""The Bemanding page: requirements from the forecast, the heatmap, the Erlang calculator."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from app_fixtures import charts, mark_of, open_page, small_history

from app_support.data import FORECAST_KEY, REQUIREMENTS_KEY, TZ
from app_support.i18n import percent
from forecast.models import make_model
from staffing.erlang import erlang_a, required_agents


@pytest.fixture(autouse=True)
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("VAGTPLAN_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    yield
    st.cache_resource.clear()


@functools.cache
def week_forecast() -> pd.DataFrame:
    return make_model("seasonal_naive").fit(small_history().frame).predict(days=7)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_calculator_shows_erlang_a_for_one_interval_without_a_forecast() -> None:
    at = open_page("staffing")
    assert not at.exception and not at.error
    assert at.info[0].value == "Lav en prognose på siden Prognose først."
    at.number_input(key="staffing:c_calls").set_value(60.0).run()
    at.number_input(key="staffing:c_agents").set_value(20).run()
    m = erlang_a(60.0, 300.0, 180.0, 20, interval=900)
    assert metric(at, "Svarprocent") == percent(float(m["answer_rate"]))  # 97,6 %
    assert metric(at, "Belægning") == percent(float(m["occupancy"]))
    assert metric(at, "Gns. ventetid") == f"{float(m['asa']):.0f} s"
    # The number shown meets the page's default targets (answer rate 92 %, wait <= 150 s),
    # one agent fewer does not.
    needed = int(required_agents(60.0, 300.0, answer_rate=0.92, asa=150.0, patience=180.0))
    at_needed = erlang_a(60.0, 300.0, 180.0, needed)
    fewer = erlang_a(60.0, 300.0, 180.0, needed - 1)
    assert at_needed["answer_rate"] >= 0.92 and at_needed["asa"] <= 150.0
    assert fewer["answer_rate"] < 0.92 or fewer["asa"] > 150.0
    assert f"kræver {needed} medarbejdere" in at.markdown[-1].value


def test_requirements_and_heatmap_from_the_forecast() -> None:
    forecast = week_forecast()
    at = open_page("staffing", **{FORECAST_KEY: forecast})
    at.number_input(key="staffing:shrinkage").set_value(25.0).run()
    at.button(key="staffing:make").click().run()
    assert not at.exception and not at.error
    result = at.session_state[REQUIREMENTS_KEY]
    assert len(result) == len(forecast)
    assert (result["agents"] >= 1).all()
    assert (result["answer_rate"] >= 0.92 - 1e-9).all()
    assert (result["agents_gross"] == np.ceil(result["agents"] / 0.75 - 1e-9)).all()
    ((spec, heat),) = charts(at)
    assert mark_of(spec) == ["rect"]
    local = forecast["interval_start"].dt.tz_convert(TZ)
    cells = set(zip(local.dt.day_of_week, local.dt.strftime("%H:%M"), strict=True))
    assert len(heat) == len(cells)  # one cell per weekday and time of day in the forecast
    # A 7-day forecast has each weekday once: a cell is the agents summed over the queues.
    first = result["interval_start"].min()
    cell = heat[
        (heat["weekday"] == first.tz_convert(TZ).day_of_week)
        & (heat["time"] == first.tz_convert(TZ).strftime("%H:%M"))
    ]
    assert cell["value"].item() == result.loc[result["interval_start"] == first, "agents"].sum()
    assert metric(at, "Køer") == str(forecast["queue"].nunique())


def test_stricter_service_level_needs_more_agents() -> None:
    forecast = week_forecast()
    at = open_page("staffing", **{FORECAST_KEY: forecast})
    at.button(key="staffing:make").click().run()
    loose = at.session_state[REQUIREMENTS_KEY]["agents"].sum()
    at.number_input(key="staffing:service_level").set_value(95.0).run()
    at.number_input(key="staffing:threshold").set_value(10.0).run()
    at.button(key="staffing:make").click().run()
    assert not at.exception and not at.error
    strict = at.session_state[REQUIREMENTS_KEY]
    assert strict["agents"].sum() > loose
    assert (strict["service_level"] >= 0.95 - 1e-9).all()


def test_a_changed_forecast_marks_the_requirements_as_stale() -> None:
    forecast = week_forecast()
    at = open_page("staffing", **{FORECAST_KEY: forecast})
    at.button(key="staffing:make").click().run()
    assert not at.warning
    changed = forecast.assign(offered=forecast["offered"] * 1.5)
    at.session_state[FORECAST_KEY] = changed
    at.run()
    assert not at.exception
    assert at.warning[0].value.startswith("Prognosen er ændret")
