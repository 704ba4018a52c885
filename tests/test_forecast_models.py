"""The forecasting models against histories whose truth is known (tests/forecast_fixtures.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from forecast_fixtures import daily_totals, expected_daily, make_history

from forecast.calendar import CentreCalendar, day_intervals
from forecast.models import (
    FORECAST_COLUMNS,
    MODELS,
    AutoSelect,
    DailyGLM,
    SeasonalNaive,
    WeekdayMean,
    infer_calendar,
    make_model,
)
from forecast.models.features import day_table

CAL = CentreCalendar()


@pytest.fixture(scope="module")
def payday_history() -> pd.DataFrame:
    # Paydays double the volume; the history ends on Friday 31 October 2025.
    return make_history("2024-06-01", "2025-10-31", payday_lift=1.0, seed=1)


@pytest.fixture(scope="module")
def fitted(payday_history) -> dict[str, object]:
    out = {}
    for name in ("seasonal_naive", "weekday_mean", "glm", "ets", "mstl"):
        out[name] = make_model(name).fit(payday_history, calendar=CAL)
    return out


def test_payday_peak_moves_to_monday_when_the_first_is_a_saturday(fitted):
    # 1 November 2025 is a Saturday: the first working day is Monday 3 November.
    assert dt.date(2025, 11, 1).weekday() == 5
    forecast = fitted["glm"].predict("2025-11-01", days=14)
    daily = daily_totals(forecast)
    days = {d for d, _ in daily.index}
    assert dt.date(2025, 11, 1) not in days and dt.date(2025, 11, 2) not in days
    payday = daily[(dt.date(2025, 11, 3), "Dagpenge")]
    next_monday = daily[(dt.date(2025, 11, 10), "Dagpenge")]
    # The fixture's truth: Monday payday = 2 x a normal Monday.
    truth = expected_daily(CAL, dt.date(2025, 11, 3), 200.0, 1.0) / expected_daily(
        CAL, dt.date(2025, 11, 10), 200.0, 1.0
    )
    assert truth == pytest.approx(2.0)
    assert payday / next_monday == pytest.approx(truth, rel=0.12)
    # The day after the payday is an ordinary Tuesday.
    tuesday = daily[(dt.date(2025, 11, 4), "Dagpenge")] / daily[(dt.date(2025, 11, 11), "Dagpenge")]
    assert tuesday == pytest.approx(1.0, rel=0.12)
    # The learned rank-1 effect is the fixture's doubling.
    coef = fitted["glm"].coefficients().set_index("term")
    assert coef.loc["rank_1", "effect"] == pytest.approx(2.0, rel=0.1)


def test_glm_daily_level_matches_the_truth(fitted):
    daily = fitted["glm"].predict_daily("2025-11-01", days=21).set_index("date")
    for day, row in daily.iterrows():
        truth = expected_daily(CAL, day, 200.0, 1.0)
        assert row["offered"] == pytest.approx(truth, rel=0.1), day
        assert row["offered_lo"] < truth < row["offered_hi"]


@pytest.mark.parametrize("name", ["seasonal_naive", "weekday_mean", "glm", "ets", "mstl"])
def test_no_calls_forecast_on_danish_holidays(fitted, name):
    forecast = fitted[name].predict("2025-12-15", days=30)
    days = set(forecast["interval_start"].dt.tz_localize(None).dt.date)
    closed = {
        dt.date(2025, 12, 24),  # Christmas Eve (the centre's own closing day)
        dt.date(2025, 12, 25),  # Christmas Day
        dt.date(2025, 12, 26),  # Boxing Day
        dt.date(2025, 12, 31),  # New Year's Eve (the centre's own closing day)
        dt.date(2026, 1, 1),  # New Year's Day
    }
    assert not days & closed
    assert not any(d.weekday() >= 5 for d in days)
    assert dt.date(2025, 12, 23) in days and dt.date(2026, 1, 2) in days


@pytest.mark.parametrize("name", ["seasonal_naive", "weekday_mean", "glm", "ets", "mstl"])
def test_forecast_contract_and_rows_inside_the_windows(fitted, name):
    forecast = fitted[name].predict("2025-11-03", days=5)
    assert list(forecast.columns) == FORECAST_COLUMNS
    assert isinstance(forecast["interval_start"].dtype, pd.DatetimeTZDtype)
    assert (forecast["offered_lo"] <= forecast["offered"] + 1e-9).all()
    assert (forecast["offered"] <= forecast["offered_hi"] + 1e-9).all()
    assert (forecast["offered_lo"] >= 0).all()
    assert forecast["aht_seconds"].to_numpy() == pytest.approx(240.0)
    expected = CAL.queue_grid(["Dagpenge"], "2025-11-03", "2025-11-07", freq_minutes=60)
    assert list(forecast["interval_start"]) == list(expected["interval_start"])


def test_every_model_follows_the_estimator_conventions(payday_history):
    for cls in MODELS.values():
        model = cls()
        assert model.get_params() == model.clone().get_params()
        with pytest.raises(ValueError, match="not fitted"):
            model.predict("2026-01-01", days=1)
        assert not any(k.endswith("_") for k in vars(model))
    model = DailyGLM(payday_ranks=3)
    assert model.fit(payday_history, calendar=CAL) is model
    assert model.get_params()["payday_ranks"] == 3
    assert "rank_4" not in set(model.coefficients()["term"])


def test_bad_arguments_name_the_argument(fitted):
    with pytest.raises(ValueError, match="unknown model 'nope'; valid models: seasonal_naive"):
        make_model("nope")
    with pytest.raises(ValueError, match="days must be a whole number >= 1; got 0"):
        fitted["glm"].predict("2025-11-03", days=0)
    with pytest.raises(
        ValueError, match=r"start must be after the last day of the history \(2025-10-31\)"
    ):
        fitted["glm"].predict("2025-10-20", days=3)
    with pytest.raises(ValueError, match="season must be one of"):
        DailyGLM(season="weekly").fit(make_history("2025-01-01", "2025-03-31"), calendar=CAL)
    with pytest.raises(ValueError, match="weeks must be a whole number >= 1; got 0"):
        WeekdayMean(weeks=0).fit(make_history("2025-01-01", "2025-03-31"), calendar=CAL)


def test_days_between_history_and_start_are_forecast_but_not_returned(fitted):
    later = fitted["glm"].predict("2025-11-17", days=3)
    assert later["interval_start"].min().date() == dt.date(2025, 11, 17)
    both = fitted["glm"].predict("2025-11-03", days=17)
    day = both["interval_start"].dt.tz_localize(None).dt.date
    part = both[day >= dt.date(2025, 11, 17)].reset_index(drop=True)
    pd.testing.assert_frame_equal(part.head(len(later)), later)


def test_seasonal_naive_repeats_last_week_and_skips_a_holiday():
    history = make_history("2025-03-03", "2025-05-30", seed=3)
    model = SeasonalNaive().fit(history, calendar=CAL)
    forecast = model.predict("2025-06-02", days=11)
    last_week = history[history["interval_start"].dt.tz_localize(None) >= "2025-05-26"]
    # Thursday 29 May 2025 was Ascension Day: Thursday 12 June repeats Thursday 22 May
    # (Thursday 5 June is Constitution Day, a closing day: no rows).
    assert CAL.is_closed("2025-05-29") and CAL.is_closed("2025-06-05")
    thursday = history[
        history["interval_start"].dt.tz_localize(None).dt.date == dt.date(2025, 5, 22)
    ]
    fc_thu = forecast[
        forecast["interval_start"].dt.tz_localize(None).dt.date == dt.date(2025, 6, 12)
    ]
    np.testing.assert_allclose(fc_thu["offered"].to_numpy(), thursday["offered"].to_numpy())
    monday = last_week[
        last_week["interval_start"].dt.tz_localize(None).dt.date == dt.date(2025, 5, 26)
    ]
    fc_mon = forecast[
        forecast["interval_start"].dt.tz_localize(None).dt.date == dt.date(2025, 6, 2)
    ]
    np.testing.assert_allclose(fc_mon["offered"].to_numpy(), monday["offered"].to_numpy())


def test_weekday_mean_is_the_mean_of_the_last_weeks():
    history = make_history("2025-03-03", "2025-05-23", seed=4)
    forecast = WeekdayMean(weeks=3).fit(history, calendar=CAL).predict("2025-05-26", days=1)
    local = history["interval_start"].dt.tz_localize(None)
    mondays = [dt.date(2025, 5, 19), dt.date(2025, 5, 12), dt.date(2025, 5, 5)]
    rows = history[local.dt.date.isin(mondays)]
    expected = rows.groupby(local.dt.time)["offered"].mean().to_numpy()
    np.testing.assert_allclose(forecast["offered"].to_numpy(), expected)


def test_other_opening_hours_give_forecasts_only_inside_them():
    # A centre open Sunday-Thursday 08:00-18:00 with no holidays; queue "B" is routed away
    # 12:00-13:00. The models learn this from the history alone.
    other = CentreCalendar(
        weekday_hours={w: ("08:00", "18:00") for w in (6, 0, 1, 2, 3)},
        country=None,
        extra_closing={},
        closed_windows={"B": [("12:00", "13:00")]},
        tz="Asia/Jerusalem",
    )
    history = make_history(
        "2025-01-05", "2025-06-26", queues={"A": 150.0, "B": 80.0}, calendar=other, freq=30
    )
    learned = infer_calendar(history, country=None)
    assert learned.weekday_hours == other.weekday_hours
    assert learned.closed_windows == {"B": [("12:00", "13:00")]}
    assert learned.tz == "Asia/Jerusalem"
    for name in ("glm", "weekday_mean"):
        model = make_model(name).fit(history, calendar=learned)
        forecast = model.predict("2025-06-29", days=14)
        local = forecast["interval_start"].dt.tz_convert("Asia/Jerusalem").dt.tz_localize(None)
        assert set(local.dt.day_of_week) == {6, 0, 1, 2, 3}
        minutes = local.dt.hour * 60 + local.dt.minute
        assert minutes.min() == 8 * 60 and minutes.max() == 17 * 60 + 30
        b = minutes[forecast["queue"] == "B"]
        assert not ((b >= 12 * 60) & (b < 13 * 60)).any()
        a = minutes[forecast["queue"] == "A"]
        assert ((a >= 12 * 60) & (a < 13 * 60)).any()
    # Without a calendar, fit learns the hours itself (Danish holidays by default).
    model = DailyGLM().fit(history)
    assert model.calendar_.weekday_hours == other.weekday_hours


def test_hours_report_flags_calls_outside_the_calendar():
    open_all_day = CentreCalendar(weekday_hours={w: ("00:00", "24:00") for w in range(5)})
    history = make_history("2025-02-03", "2025-04-25", calendar=open_all_day, freq=60)
    with pytest.warns(UserWarning, match="outside the calendar's queue windows"):
        model = WeekdayMean().fit(history, calendar=CAL)
    report = model.hours_report_
    assert report.share_outside > 0.05
    assert set(report.outside_calls["clock"]) >= {"06:00", "17:00"}


def test_dst_days_have_92_and_100_quarter_hours():
    cal = CentreCalendar(weekday_hours={w: ("00:00", "24:00") for w in range(7)})
    history = make_history("2025-08-01", "2025-10-20", calendar=cal, freq=15, seed=5)
    forecast = DailyGLM().fit(history, calendar=cal).predict("2025-10-21", days=10)
    local = forecast["interval_start"].dt.tz_localize(None).dt.date
    counts = local.value_counts()
    assert counts[dt.date(2025, 10, 26)] == 100 == len(day_intervals("2025-10-26"))
    assert counts[dt.date(2025, 10, 25)] == 96
    assert forecast["interval_start"].is_unique
    spring = make_history("2025-01-01", "2025-03-25", calendar=cal, freq=15, seed=6)
    forecast = DailyGLM().fit(spring, calendar=cal).predict("2026-03-28", days=3)
    counts = forecast["interval_start"].dt.tz_localize(None).dt.date.value_counts()
    assert counts[dt.date(2026, 3, 29)] == 92


def test_day_table_rank_matches_the_calendar():
    table = day_table(CAL, dt.date(2025, 10, 20), dt.date(2026, 1, 31))
    for day, row in table.iterrows():
        assert row["rank"] == CAL.working_day_rank(day.date())
    # The day after Easter Monday 2026 and the first day after Christmas are after a closure.
    easter = day_table(CAL, dt.date(2026, 3, 30), dt.date(2026, 4, 10))
    assert bool(easter.loc["2026-04-07", "after_closure"])
    assert not bool(easter.loc["2026-04-01", "after_closure"])
    assert bool(table.loc["2025-12-29", "after_closure"])
    assert not bool(table.loc["2025-11-03", "after_closure"])  # an ordinary weekend


def test_auto_select_chooses_per_queue_by_backtest(payday_history):
    model = AutoSelect(candidates=("seasonal_naive", "glm"), origins=2).fit(
        payday_history, calendar=CAL
    )
    # Paydays double the volume: the GLM knows them, the naive does not.
    assert model.choice_ == {"Dagpenge": "glm"}
    scores = model.scores_.set_index("model")
    assert scores.loc["glm", "mse_interval"] < scores.loc["seasonal_naive", "mse_interval"]
    forecast = model.predict("2025-11-03", days=5)
    glm = model.models_["glm"].predict("2025-11-03", days=5)
    pd.testing.assert_frame_equal(forecast, glm)


def test_handle_time_comes_from_the_history_or_the_queue_default():
    history = make_history("2025-02-03", "2025-04-25", aht=333.0)
    forecast = WeekdayMean().fit(history, calendar=CAL).predict("2025-04-28", days=2)
    assert forecast["aht_seconds"].to_numpy() == pytest.approx(333.0)
    no_aht = history.drop(columns=["aht_seconds", "answered"])
    forecast = WeekdayMean().fit(no_aht, calendar=CAL).predict("2025-04-28", days=2)
    assert forecast["aht_seconds"].to_numpy() == pytest.approx(280.0)  # Dagpenge's calibration


def test_glm_learns_what_a_misstated_event_missed():
    # The reform lifted volume by 50 %; the planner said 20 %. The event's dummy learns the
    # rest (1.5 / 1.2 = 1.25) so the normal level after the reform is right.
    from forecast.events import Event

    history = make_history("2024-09-02", "2025-08-29", seed=12)
    local = history["interval_start"].dt.tz_localize(None)
    during = (local >= "2025-03-03") & (local < "2025-05-03")
    history.loc[during, "offered"] = np.random.default_rng(1).poisson(
        history.loc[during, "offered"] * 1.5
    )
    event = Event("Reform", "Dagpenge", start="2025-03-03", end="2025-05-02", lift=0.2)
    model = DailyGLM().fit(history, calendar=CAL, events=[event])
    effect = model.coefficients().set_index("term").loc["event_0:Reform", "effect"]
    assert effect == pytest.approx(1.25, rel=0.06)
    daily = model.predict_daily("2025-09-01", days=14).set_index("date")
    truth = np.array([expected_daily(CAL, d, 200.0, 0.0) for d in daily.index])
    assert daily["offered"].sum() == pytest.approx(truth.sum(), rel=0.04)


def test_a_gap_is_not_zero_and_calls_on_a_holiday_are_left_out():
    from forecast.models._history import prepare_history

    history = make_history("2024-09-02", "2025-08-29", seed=13)
    local = history["interval_start"].dt.tz_localize(None)
    # A missing fortnight (an export gap) and a fault that kept the line open on Ascension Day.
    history = history[~((local >= "2025-06-02") & (local < "2025-06-14"))]
    fault = pd.DataFrame(
        {
            "interval_start": pd.date_range(
                "2025-05-29 08:00", periods=8, freq="h", tz="Europe/Copenhagen"
            ),
            "queue": "Dagpenge",
            "offered": 40,
        }
    )
    history = pd.concat([history, fault], ignore_index=True)
    data = prepare_history(history, CAL)
    gap = (data.days >= "2025-06-02") & (data.days < "2025-06-14")
    assert not data.usable[0, gap].any() and np.isnan(data.daily()[0, gap]).all()
    model = DailyGLM().fit(history, calendar=CAL)
    closed = model.hours_report_.closed_day_calls
    assert closed["date"].tolist() == [dt.date(2025, 5, 29)] and closed["calls"].sum() == 320
    daily = model.predict_daily("2025-09-01", days=14).set_index("date")
    truth = np.array([expected_daily(CAL, d, 200.0, 0.0) for d in daily.index])
    assert daily["offered"].sum() == pytest.approx(truth.sum(), rel=0.04)


def test_local_level_follows_a_shift_nobody_announced():
    # From 16 June 2025 the queue takes 25 % fewer calls, and no event says so.
    history = make_history("2023-08-28", "2025-08-29", seed=14)
    local = history["interval_start"].dt.tz_localize(None)
    after = local >= "2025-06-16"
    history.loc[after, "offered"] = np.random.default_rng(2).binomial(
        history.loc[after, "offered"], 0.75
    )
    truth = sum(
        expected_daily(CAL, d, 150.0, 0.0) for d in pd.date_range("2025-09-01", periods=14).date
    )
    follows = DailyGLM().fit(history, calendar=CAL).predict_daily("2025-09-01", days=14)
    blind = (
        DailyGLM(local_level=False).fit(history, calendar=CAL).predict_daily("2025-09-01", days=14)
    )
    assert follows["offered"].sum() == pytest.approx(truth, rel=0.06)
    assert blind["offered"].sum() > 1.12 * truth
