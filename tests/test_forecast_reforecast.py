"""Intraday reforecast: the gamma-Poisson update against its closed form and a simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.reforecast import reforecast_intraday

TZ = "Europe/Copenhagen"


def _forecast(day: str = "2026-03-02", per_interval: float = 10.0, aht: float = 300.0):
    stamps = pd.date_range(f"{day} 08:00", f"{day} 15:45", freq="15min", tz=TZ)
    rate = per_interval * (0.5 + np.linspace(0, 1, len(stamps)))
    return pd.DataFrame(
        {
            "interval_start": stamps,
            "queue": "Dagpenge",
            "offered": rate,
            "offered_lo": rate * 0.7,
            "offered_hi": rate * 1.3,
            "aht_seconds": aht,
        }
    )


def test_factor_is_the_posterior_mean_of_the_day_level():
    fc = _forecast()
    now = pd.Timestamp("2026-03-02 12:00", tz=TZ)
    done = fc["interval_start"] < now
    actual = fc.loc[done, ["interval_start", "queue"]].assign(
        offered=np.round(fc.loc[done, "offered"] * 1.3)
    )
    cv = 0.1
    result = reforecast_intraday(fc, actual, now, day_cv=cv)
    k = 1 / cv**2
    F = fc.loc[done, "offered"].sum()
    A = actual["offered"].sum()
    factor = (k + A) / (k + F)
    row = result.factors.set_index("queue").loc["Dagpenge"]
    assert row["factor"] == pytest.approx(factor)
    assert row["forecast_so_far"] == pytest.approx(F)
    assert row["actual_so_far"] == A
    rest = result.forecast
    assert rest["interval_start"].min() == now
    np.testing.assert_allclose(rest["offered"], fc.loc[~done, "offered"] * factor)
    assert (rest["offered_lo"] < rest["offered"]).all() and (
        rest["offered"] < rest["offered_hi"]
    ).all()


def test_no_calls_yet_keeps_the_forecast_and_a_missing_interval_is_zero():
    fc = _forecast()
    now = pd.Timestamp("2026-03-02 08:00", tz=TZ)
    empty = fc.iloc[:0][["interval_start", "queue"]].assign(offered=[])
    result = reforecast_intraday(fc, empty, now)
    np.testing.assert_allclose(result.forecast["offered"], fc["offered"])
    # Half the morning with no rows at all: a quiet day, the factor falls below 1.
    later = reforecast_intraday(fc, empty, pd.Timestamp("2026-03-02 10:00", tz=TZ))
    assert later.factors["factor"].iloc[0] < 1.0


def test_reforecast_beats_the_original_forecast_by_simulation():
    # Days with a gamma level (cv 0.15) and Poisson intervals: after the morning the updated
    # rest of the day is closer to what comes than the original forecast (squared error).
    rng = np.random.default_rng(5)
    fc = _forecast(per_interval=6.0)
    now = pd.Timestamp("2026-03-02 11:00", tz=TZ)
    done = (fc["interval_start"] < now).to_numpy()
    err_old, err_new, covered = [], [], []
    for _ in range(200):
        level = rng.gamma(1 / 0.15**2, 0.15**2)
        calls = rng.poisson(fc["offered"].to_numpy() * level)
        actual = fc.loc[done, ["interval_start", "queue"]].assign(offered=calls[done])
        new = reforecast_intraday(fc, actual, now, day_cv=0.15).forecast
        future = calls[~done]
        err_old.append((future.sum() - fc.loc[~done, "offered"].sum()) ** 2)
        err_new.append((future.sum() - new["offered"].sum()) ** 2)
        covered.append(((future >= new["offered_lo"]) & (future <= new["offered_hi"])).mean())
    assert np.mean(err_new) < 0.7 * np.mean(err_old)
    assert np.mean(covered) == pytest.approx(0.8, abs=0.05)


def test_handle_time_is_updated_with_shrinkage():
    fc = _forecast(aht=300.0)
    now = pd.Timestamp("2026-03-02 12:00", tz=TZ)
    done = fc["interval_start"] < now
    actual = fc.loc[done, ["interval_start", "queue"]].assign(
        offered=20, answered=20, aht_seconds=360.0
    )
    result = reforecast_intraday(fc, actual, now, aht_prior_calls=50.0)
    w = 20.0 * done.sum()
    expected = (w * 360.0 + 50.0 * 300.0) / (w * 300.0 + 50.0 * 300.0)
    assert result.factors["aht_factor"].iloc[0] == pytest.approx(expected)
    assert result.forecast["aht_seconds"].to_numpy() == pytest.approx(300.0 * expected)


def test_bad_arguments():
    fc = _forecast()
    with pytest.raises(ValueError, match="no rows on 2026-03-05"):
        reforecast_intraday(fc, fc.iloc[:0], pd.Timestamp("2026-03-05 10:00", tz=TZ))
    with pytest.raises(ValueError, match="day_cv must be > 0"):
        reforecast_intraday(fc, fc.iloc[:0], pd.Timestamp("2026-03-02 10:00", tz=TZ), day_cv=0)
