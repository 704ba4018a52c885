"""Rolling-origin backtests: origins, the measures by hand, and a small end-to-end run."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from forecast_fixtures import expected_daily, make_history, shape

from forecast.backtest import SCORE_COLUMNS, backtest, rolling_origins, score
from forecast.calendar import CentreCalendar
from forecast.events import Event

CAL = CentreCalendar()


def test_rolling_origins_end_with_the_history():
    origins = rolling_origins(
        dt.date(2025, 1, 1), dt.date(2025, 6, 30), horizon_days=14, origins=3, step_days=7
    )
    assert origins == [dt.date(2025, 6, 3), dt.date(2025, 6, 10), dt.date(2025, 6, 17)]
    with pytest.raises(ValueError, match="too short for 40 origins"):
        rolling_origins(dt.date(2025, 1, 1), dt.date(2025, 6, 30), horizon_days=14, origins=40)
    with pytest.raises(ValueError, match="horizon_days must be a whole number >= 1; got 0"):
        rolling_origins(dt.date(2025, 1, 1), dt.date(2025, 6, 30), horizon_days=0, origins=1)


def test_measures_by_hand():
    # Two intervals on one day, two origins' worth of rows for one queue.
    rows = pd.DataFrame(
        {
            "model": "m",
            "origin": [1, 1, 2, 2],
            "queue": "A",
            "offered": [10.0, 20.0, 12.0, 8.0],
            "offered_lo": [5.0, 15.0, 13.0, 4.0],
            "offered_hi": [15.0, 25.0, 20.0, 9.0],
            "actual": [12.0, 18.0, 10.0, 10.0],
            "scale": [4.0, 4.0, 2.0, 2.0],
            "expected": [11.0, 19.0, 11.0, 9.0],
        }
    )
    days = pd.DataFrame(
        {
            "model": "m",
            "origin": [1, 2],
            "queue": "A",
            "offered": [30.0, 20.0],
            "offered_lo": [25.0, 21.0],
            "offered_hi": [35.0, 25.0],
            "actual": [30.0, 20.0],
            "scale": [6.0, 4.0],
            "expected": [30.0, 20.0],
        }
    )
    s = score(rows, days).set_index("queue").loc["A"]
    assert s["wape_interval"] == pytest.approx((2 + 2 + 2 + 2) / 50)
    assert s["wape_daily"] == pytest.approx(0.0)
    assert s["bias"] == pytest.approx(0.0)
    assert s["mase_interval"] == pytest.approx(8 / 12)
    assert s["coverage_interval"] == pytest.approx(0.5)  # 12 in [5,15]; 18 in [15,25]; 10 not
    assert s["coverage_daily"] == pytest.approx(0.5)  # 30 in [25,35]; 20 not in [21,25]
    assert s["floor_wape_interval"] == pytest.approx(4 / 50)
    assert s["wape_interval_vs_floor"] == pytest.approx(1.0)


@pytest.fixture(scope="module")
def small_history() -> pd.DataFrame:
    return make_history("2025-01-06", "2025-06-27", payday_lift=0.8, seed=11)


def _truth(history: pd.DataFrame) -> pd.DataFrame:
    """The fixture's expected calls per row (its closed form)."""
    local = history["interval_start"].dt.tz_localize(None)
    out = []
    for day, part in history.groupby(local.dt.date):
        minutes = part["interval_start"].dt.hour * 60 + part["interval_start"].dt.minute
        w = shape(minutes.to_numpy())
        mean = expected_daily(CAL, day, 200.0, 0.8) * w / w.sum()
        out.append(
            pd.DataFrame(
                {
                    "interval_start": part["interval_start"],
                    "queue": part["queue"],
                    "offered_mean": mean,
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def test_backtest_end_to_end(small_history):
    truth = _truth(small_history)
    result = backtest(
        small_history,
        ["seasonal_naive", "glm"],
        horizon_days=14,
        origins=2,
        calendar=CAL,
        truth=truth,
    )
    assert result.origins == [dt.date(2025, 6, 7), dt.date(2025, 6, 14)]
    assert set(SCORE_COLUMNS) <= set(result.scores.columns)
    scores = result.scores.set_index(["model", "queue"])
    # Every call of the horizons is scored, once per origin.
    local = small_history["interval_start"].dt.tz_localize(None).dt.date
    horizon_calls = sum(
        small_history.loc[(local >= o) & (local < o + dt.timedelta(days=14)), "offered"].sum()
        for o in result.origins
    )
    assert scores.loc[("glm", "ALL"), "actual_calls"] == horizon_calls
    # The floor is the WAPE of the true mean, computed here independently.
    rows = result.forecasts[result.forecasts["model"] == "glm"]
    floor = np.abs(rows["actual"] - rows["expected"]).sum() / rows["actual"].sum()
    assert scores.loc[("glm", "ALL"), "floor_wape_interval"] == pytest.approx(floor)
    # The GLM knows paydays; it is within a few per cent of the floor, the naive is not.
    assert (
        scores.loc[("glm", "ALL"), "wape_daily"]
        < scores.loc[("seasonal_naive", "ALL"), "wape_daily"]
    )
    assert scores.loc[("glm", "ALL"), "wape_interval_vs_floor"] < 0.05
    assert set(result.seconds["model"]) == {"seasonal_naive", "glm"}
    # The fixture's handle time is 240 s on every answered call: forecast exactly.
    assert scores.loc[("glm", "ALL"), "aht_wape"] == pytest.approx(0.0, abs=1e-9)


def test_backtest_adds_known_events_back_and_scores_calls_outside_the_rows(small_history):
    # A lift of +50 % on the last two weeks, known to the planner.
    local = small_history["interval_start"].dt.tz_localize(None)
    lifted = small_history.copy()
    late = local >= "2025-06-16"
    lifted.loc[late, "offered"] = np.round(lifted.loc[late, "offered"] * 1.5).astype(int)
    # A stray call on a Saturday, outside every window.
    stray = pd.DataFrame(
        {
            "interval_start": [pd.Timestamp("2025-06-21 10:00", tz="Europe/Copenhagen")],
            "queue": ["Dagpenge"],
            "offered": [3],
        }
    )
    lifted = pd.concat([lifted, stray], ignore_index=True)
    event = Event("Kampagne", "Dagpenge", start="2025-06-16", end="2025-06-30", lift=0.5)
    with_event = backtest(lifted, ["glm"], horizon_days=14, origins=1, calendar=CAL, events=[event])
    without = backtest(lifted, ["glm"], horizon_days=14, origins=1, calendar=CAL)
    a = with_event.scores.set_index("queue").loc["ALL"]
    b = without.scores.set_index("queue").loc["ALL"]
    assert abs(a["bias"]) < 0.05 < abs(b["bias"])
    saturday = with_event.forecasts[
        with_event.forecasts["interval_start"] == stray["interval_start"].iloc[0]
    ]
    assert saturday["actual"].tolist() == [3.0] and saturday["offered"].tolist() == [0.0]
