"""Known events and manual adjustments add exactly what they say, and can be removed."""

from __future__ import annotations

import datetime as dt
import tomllib

import numpy as np
import pandas as pd
import pytest
from forecast_fixtures import make_history

from forecast.calendar import CentreCalendar
from forecast.events import (
    Event,
    apply_events,
    parse_events,
    remove_events,
    summarize_adjustments,
)
from forecast.models import WeekdayMean

CAL = CentreCalendar()


@pytest.fixture(scope="module")
def forecast() -> pd.DataFrame:
    history = make_history(
        "2026-01-05", "2026-03-27", queues={"Dagpenge": 300.0, "Kontanthjælp": 400.0}, seed=2
    )
    return WeekdayMean().fit(history, calendar=CAL).predict("2026-03-30", days=21)


def _day(frame: pd.DataFrame) -> pd.Series:
    return frame["interval_start"].dt.tz_localize(None).dt.date


def test_a_lift_adds_exactly_its_share_from_its_start(forecast):
    event = Event("Kontanthjælpsreform", ("Kontanthjælp",), start="2026-04-08", lift=0.20)
    adjusted, adjustments = apply_events(forecast, [event])
    hit = (forecast["queue"] == "Kontanthjælp") & (_day(forecast) >= dt.date(2026, 4, 8))
    assert hit.any() and (~hit).any()
    np.testing.assert_allclose(
        adjusted.loc[hit, "offered"], forecast.loc[hit, "offered"] * 1.2, rtol=1e-12
    )
    np.testing.assert_allclose(adjusted.loc[~hit, "offered"], forecast.loc[~hit, "offered"])
    assert adjustments["added"].sum() == pytest.approx(0.2 * forecast.loc[hit, "offered"].sum())
    assert len(adjustments) == hit.sum()
    assert (adjusted["offered_lo"] <= adjusted["offered"]).all()
    assert (adjusted["offered"] <= adjusted["offered_hi"]).all()


def test_calls_over_two_days_add_exactly_that_many_calls(forecast):
    event = Event("Breve om dagpenge", "Dagpenge", start="2026-04-14", end="2026-04-15", calls=300)
    adjusted, adjustments = apply_events(forecast, [event], calendar=CAL)
    assert adjusted["offered"].sum() - forecast["offered"].sum() == pytest.approx(300.0)
    per_day = summarize_adjustments(adjustments).set_index("date")["added"]
    assert per_day[dt.date(2026, 4, 14)] == pytest.approx(150.0)
    assert per_day[dt.date(2026, 4, 15)] == pytest.approx(150.0)
    assert set(adjustments["queue"]) == {"Dagpenge"}
    # Within a day the calls follow the forecast's own shape.
    day = (_day(forecast) == dt.date(2026, 4, 14)) & (forecast["queue"] == "Dagpenge")
    share = forecast.loc[day, "offered"] / forecast.loc[day, "offered"].sum()
    np.testing.assert_allclose(
        (adjusted.loc[day, "offered"] - forecast.loc[day, "offered"]).to_numpy(),
        150.0 * share.to_numpy(),
    )


def test_calls_on_a_span_with_a_closing_day_go_to_the_open_days(forecast):
    # Easter 2026: Thursday 2 April to Monday 6 April are closed; Tuesday 7 April is open.
    event = Event("Breve", "Dagpenge", start="2026-04-03", end="2026-04-07", calls=120)
    adjusted, adjustments = apply_events(forecast, [event], calendar=CAL)
    assert adjustments["added"].sum() == pytest.approx(120.0)
    assert set(_day(adjustments)) == {dt.date(2026, 4, 7)}


def test_a_calls_event_reaching_past_the_forecast_adds_only_its_share(forecast):
    # Five open days (16, 17, 20, 21, 22 April); the forecast ends on 19 April, so it gets 2/5.
    event = Event("Kampagne", "Dagpenge", start="2026-04-16", end="2026-04-22", calls=500)
    adjusted, adjustments = apply_events(forecast, [event], calendar=CAL)
    open_days = [d for d in pd.date_range("2026-04-16", "2026-04-22").date if not CAL.is_closed(d)]
    in_forecast = [d for d in open_days if d <= dt.date(2026, 4, 19)]
    assert adjustments["added"].sum() == pytest.approx(500.0 * len(in_forecast) / len(open_days))


def test_removing_an_event_restores_the_model_forecast(forecast):
    reform = Event("Reform", "Kontanthjælp", start="2026-03-30", lift=0.25)
    letters = Event("Breve", "Dagpenge", start="2026-04-14", end="2026-04-15", calls=300)
    both, adjustments = apply_events(forecast, [reform, letters], calendar=CAL)
    only_letters, _ = apply_events(forecast, [letters], calendar=CAL)
    reform_rows = adjustments[adjustments["event"] == "Reform"]
    back = both.set_index(["interval_start", "queue"])["offered"].sub(
        reform_rows.set_index(["interval_start", "queue"])["added"], fill_value=0.0
    )
    np.testing.assert_allclose(
        back.to_numpy(), only_letters.set_index(["interval_start", "queue"])["offered"].to_numpy()
    )


def test_remove_events_takes_a_lift_out_of_history():
    history = make_history("2026-01-05", "2026-02-27", seed=4)
    event = Event("Reform", "Dagpenge", start="2026-02-01", lift=0.25)
    clean = remove_events(history, [event])
    after = history["interval_start"].dt.tz_localize(None) >= "2026-02-01"
    np.testing.assert_allclose(clean.loc[after, "offered"], history.loc[after, "offered"] / 1.25)
    np.testing.assert_allclose(clean.loc[~after, "offered"], history.loc[~after, "offered"])
    calls = Event("Breve", "Dagpenge", start="2026-02-02", end="2026-02-03", calls=40)
    clean = remove_events(history, [calls])
    assert history["offered"].sum() - clean["offered"].sum() == pytest.approx(40.0)


def test_parse_events_from_toml():
    text = """
    [[event]]
    name = "Kontanthjælpsreform"
    queue = "Kontanthjælp"
    start = 2026-03-01
    percent = 20

    [[adjustment]]
    name = "Breve om dagpenge"
    queues = ["Dagpenge"]
    start = 2026-12-14
    end = 2026-12-15
    calls = 300
    """
    events = parse_events(tomllib.loads(text))
    assert events[0] == Event(
        "Kontanthjælpsreform", ("Kontanthjælp",), dt.date(2026, 3, 1), lift=0.2
    )
    assert events[1].kind == "adjustment" and events[1].calls == 300.0
    assert events[1].end == dt.date(2026, 12, 15)
    assert "+300 calls on Dagpenge, 2026-12-14..2026-12-15" in events[1].describe()


@pytest.mark.parametrize(
    "entry,message",
    [
        ({"name": "x", "queue": "A", "start": "2026-01-01"}, "event 1: give exactly one of"),
        (
            {"name": "x", "queue": "A", "start": "2026-01-05", "end": "2026-01-01", "calls": 3},
            "end must not be before start",
        ),
        ({"name": "x", "queue": "A", "start": "first of May", "lift": 0.1}, "must be a date"),
        ({"name": "x", "start": "2026-01-01", "lift": 0.1}, "missing 'queue'"),
        (
            {"name": "x", "queue": "A", "start": "2026-01-01", "lift": -2},
            "lift must be a number >= -1",
        ),
        ({"name": "x", "queue": "A", "start": "2026-01-01", "size": 2}, "unknown key"),
    ],
)
def test_bad_events_name_the_entry_and_the_problem(entry, message):
    with pytest.raises(ValueError, match=message):
        parse_events({"event": [entry]})
