"""The Prognose page: forecast with its band, actual against forecast, events, backtest."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from app_fixtures import charts, mark_of, open_page, small_history
from hypothesis import given, settings
from hypothesis import strategies as hst

from app_support.data import FORECAST_KEY, TZ
from app_support.shell import USER_KEY
from planner.store.database import Store


@pytest.fixture(autouse=True)
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("VAGTPLAN_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    yield
    st.cache_resource.clear()


def last_day() -> dt.date:
    return small_history().frame["interval_start"].max().tz_convert(TZ).date()


def forecast_page(start: dt.date | None = None, days: int = 7):
    at = open_page("forecast", history=small_history())
    at.number_input(key="forecast:days").set_value(days).run()
    if start is not None:
        at.date_input(key="forecast:start").set_value(start).run()
    return at.button(key="forecast:make").click().run()


def test_without_data_the_page_points_to_the_data_page() -> None:
    at = open_page("forecast")
    assert not at.exception
    assert at.info[0].value == "Indlæs data på siden Data først."


def test_forecast_after_the_history_with_its_band() -> None:
    at = forecast_page(days=7)
    assert not at.exception and not at.error
    forecast = at.session_state[FORECAST_KEY]
    days = set(forecast["interval_start"].dt.tz_convert(TZ).dt.date)
    assert min(days) > last_day() and max(days) <= last_day() + dt.timedelta(days=7)
    assert set(forecast["queue"]) == set(small_history().summary.queues)
    assert (forecast["offered_lo"] <= forecast["offered"]).all()
    assert (forecast["offered"] <= forecast["offered_hi"]).all()
    ((spec, data),) = charts(at)
    assert mark_of(spec) == ["area", "line"]  # no actuals after the history
    queue = at.selectbox(key="forecast:queue").value
    assert len(data) == (forecast["queue"] == queue).sum()
    assert data["offered"].sum() == pytest.approx(
        forecast.loc[forecast["queue"] == queue, "offered"].sum()
    )


def test_start_inside_the_history_shows_the_actual_calls() -> None:
    start = last_day() - dt.timedelta(days=6)
    at = forecast_page(start=start, days=7)
    assert not at.exception and not at.error
    ((spec, data),) = charts(at)
    assert mark_of(spec) == ["area", "line", "line"]
    queue = at.selectbox(key="forecast:queue").value
    frame = small_history().frame
    actual = frame[
        (frame["queue"] == queue) & (frame["interval_start"].dt.tz_convert(TZ).dt.date >= start)
    ]
    # Every forecast interval of an open day has the history's count beside it.
    assert data["actual"].notna().sum() > 0
    assert data["actual"].sum() == pytest.approx(
        actual.set_index("interval_start")["offered"]
        .reindex(data["interval_start"].dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT"))
        .sum()
    )


def test_manual_adjustment_lifts_one_queue_by_its_percent() -> None:
    at = forecast_page(days=7)
    base = at.session_state[FORECAST_KEY]
    queue = sorted(base["queue"].unique())[0]
    first = base["interval_start"].min().tz_convert(TZ).date()
    form = at.get("form")[0]
    form.text_input[0].set_value("Breve")
    form.multiselect[0].set_value([queue])
    form.date_input[0].set_value(first)
    form.date_input[1].set_value(first + dt.timedelta(days=6))
    form.number_input[0].set_value(20.0)
    form.button[0].click().run()
    assert not at.exception and not at.error
    adjusted = at.session_state[FORECAST_KEY]
    mine = adjusted["queue"] == queue
    assert adjusted.loc[mine, "offered"].sum() == pytest.approx(
        1.2 * base.loc[mine, "offered"].sum()
    )
    assert np.allclose(adjusted.loc[~mine, "offered"], base.loc[~mine, "offered"])
    # Removing it restores the forecast.
    at.button(key="forecast:remove_0").click().run()
    restored = at.session_state[FORECAST_KEY]
    assert np.allclose(restored["offered"], base["offered"])


def test_backtest_gives_figures_per_queue_and_in_all() -> None:
    # Two weekly origins need 8 weeks of training history before them.
    history = small_history(weeks=11)
    at = open_page("forecast", history=history)
    at.button(key="forecast:backtest").click().run()
    assert not at.exception and not at.error
    scores = at.session_state["forecast:scores"]  # the library's scores, kept as they are
    assert "ALL" in set(scores["queue"])
    assert set(history.summary.queues) <= set(scores["queue"])
    assert (scores.loc[scores["queue"] != "ALL", "origins"] == 2).all()
    assert ((scores["wape_interval"] > 0) & (scores["wape_interval"] < 2)).all()
    shown = at.dataframe[-1].value  # on screen in words: headers, the all-queues row, percents
    assert list(shown.columns[:3]) == ["Model", "Kø", "Afprøvninger"]
    assert "Alle køer" in set(shown["Kø"])
    assert shown["WAPE pr. interval"].str.endswith(" %").all()


def test_too_short_history_for_a_backtest_says_so() -> None:
    at = open_page("forecast", history=small_history())
    at.button(key="forecast:backtest").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Kan ikke bruge input: history from")


def test_saved_forecast_is_in_the_store() -> None:
    at = forecast_page(days=7)
    at.session_state[USER_KEY] = "ab"
    at.run()
    at.text_input(key="forecast:save_name").set_value("December").run()
    at.button(key="forecast:save_button").click().run()
    assert not at.exception and not at.error
    assert at.success[-1].value == "Gemt som «December» version 1."
    forecast = at.session_state[FORECAST_KEY]
    with Store(os.environ["VAGTPLAN_DB_URL"]) as store:
        saved, info = store.load("forecast", "December")
    assert (info.saved_by, info.meta["model"], info.meta["days"]) == ("ab", "glm", 7)
    assert len(saved) == len(forecast)
    assert saved["offered"].sum() == pytest.approx(forecast["offered"].sum())


# -- charts that tell the truth: no line across closed hours ----------------------------------
@settings(max_examples=200, deadline=None)
@given(hst.sets(hst.integers(0, 300), min_size=1, max_size=80))
def test_open_stretches_split_at_every_gap(slots: set[int]) -> None:
    from app_support.data import open_stretches

    ordered = sorted(slots)
    start = pd.Timestamp("2026-11-30 07:30")
    stamps = pd.Series([start + pd.Timedelta(minutes=15 * s) for s in ordered])
    shuffled = stamps.sample(frac=1, random_state=1)  # the order of the rows does not matter
    runs = open_stretches(shuffled, pd.Timedelta(minutes=15))
    # brute force: a new stretch wherever the next slot is not the one after
    expected, current = [], 0
    for i, s in enumerate(ordered):
        if i and s != ordered[i - 1] + 1:
            current += 1
        expected.append(current)
    assert runs.sort_index().tolist() == expected


def test_the_forecast_chart_draws_each_open_day_apart() -> None:
    from app_pages.forecast import band_chart
    from app_support.data import forecast_vs_actual

    at = forecast_page(days=7)
    forecast = at.session_state[FORECAST_KEY]
    queue = str(forecast["queue"].iloc[0])
    table = forecast_vs_actual(forecast, small_history().frame, queue)
    days = table["interval_start"].dt.date
    # one stretch per open day: the nights and the weekend are gaps
    per_stretch = table.groupby("stretch")["interval_start"].apply(lambda s: s.dt.date.nunique())
    assert per_stretch.eq(1).all()
    assert table["stretch"].nunique() == days.nunique()
    spec = band_chart(table).to_dict()
    assert all(layer["encoding"]["detail"]["field"] == "stretch" for layer in spec["layer"])
