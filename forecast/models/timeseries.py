"""statsmodels time-series models of daily volume, top-down, for comparison with the GLM.

Both work on the queue's *regular* days: the weekdays on which the queue is normally open (five
for the Copenhagen line, seven for a 24-hour centre), so the weekly season has period ``m`` =
the number of such weekdays. Holidays and gaps inside that series are filled with the mean of
the same weekday one and two weeks either side (so that a holiday is not learned as a dip), and
a forecast for a closed day is zero. Neither model knows paydays or holidays: that is what the
GLM adds, and what the comparison shows.

- `ETSDaily`: exponential smoothing, additive error, damped additive trend and additive weekly
  season, ETS(A,Ad,A) (Hyndman & Athanasopoulos, Forecasting: Principles and Practice, 3rd ed.,
  chapter 8; statsmodels ``ETSModel`` with heuristic initial states, prediction variances in
  closed form).
- `MSTLDaily`: MSTL decomposition into weekly and yearly seasons, trend and remainder
  (Bandara, Hyndman & Bergmeir 2021, "MSTL: A Seasonal-Trend Decomposition Algorithm for Time
  Series with Multiple Seasonal Patterns"; statsmodels ``MSTL``); the seasons are carried
  forward as last observed (a week ago, a year ago) and the seasonally adjusted series is
  forecast with ETS(A,Ad,N), as statsforecast's MSTL does. The yearly season needs two years.
  Its predictive variance is the ETS variance plus the mean squared change of each season over
  one period (carrying a season forward is a seasonal-naive forecast of it).

The day-level dispersion for the intervals comes from the predictive variance ``V`` of the daily
total: ``a_day = max(V - mean, 0) / mean^2`` (the negative binomial with that variance).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.seasonal import MSTL

from forecast.models._history import HistoryData
from forecast.models.topdown import TopDownForecaster

__all__ = ["ETSDaily", "MSTLDaily"]


def _impute_same_weekday(y: np.ndarray, m: int) -> np.ndarray:
    """Fill NaNs with the mean of the values 1 and 2 seasons either side (else the season mean)."""
    out = y.copy()
    n = len(y)
    phase_mean = np.array(
        [np.nanmean(y[p::m]) if np.isfinite(y[p::m]).any() else np.nan for p in range(m)]
    )
    overall = np.nanmean(y) if np.isfinite(y).any() else 0.0
    for i in np.flatnonzero(~np.isfinite(y)):
        neighbours = [y[j] for j in (i - m, i + m, i - 2 * m, i + 2 * m) if 0 <= j < n]
        vals = [v for v in neighbours if np.isfinite(v)]
        if vals:
            out[i] = float(np.mean(vals))
        elif np.isfinite(phase_mean[i % m]):
            out[i] = phase_mean[i % m]
        else:
            out[i] = overall
    return out


class _DailySeriesModel(TopDownForecaster):
    """Shared machinery: the regular-day series per queue, its forecast, and the layout."""

    history_days: int | None

    def _fit_daily(self, data: HistoryData, table: pd.DataFrame) -> None:
        daily = data.daily()
        weekday = data.days.day_of_week.to_numpy()
        usable = data.usable
        start = 0
        if self.history_days is not None:
            start = max(len(data.days) - self.history_days, 0)
        self.regular_: list[np.ndarray] = []
        self.series_state_: list[object] = []
        self.series_len_: list[int] = []
        for q in range(len(data.queues)):
            regular_days = []
            for w in range(7):
                sel = (weekday == w) & data.has_data
                if sel.any() and usable[q, sel].mean() >= 0.5:
                    regular_days.append(w)
            regular = np.array(regular_days, dtype=int)
            self.regular_.append(regular)
            idx = np.flatnonzero(np.isin(weekday, regular))
            idx = idx[idx >= start]
            # The series ends on the last regular day of the history: its length fixes the phase.
            y = daily[q, idx]
            if len(regular) == 0 or np.isfinite(y).sum() < 2 * max(len(regular), 1):
                self.series_state_.append(None)
                self.series_len_.append(0)
                continue
            y = _impute_same_weekday(y, len(regular))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                state = self._fit_series(y, len(regular))
            self.series_state_.append(state)
            self.series_len_.append(len(y))

    def _fit_series(self, y: np.ndarray, m: int) -> object:
        raise TypeError(f"{type(self).__name__} must implement _fit_series")

    def _forecast_series(self, state: object, h: int) -> tuple[np.ndarray, np.ndarray]:
        raise TypeError(f"{type(self).__name__} must implement _forecast_series")

    def _predict_daily(
        self, dates: pd.DatetimeIndex, table: pd.DataFrame, window: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        n_q = len(self.queues_)
        total = np.zeros((n_q, len(dates)))
        alpha_day = np.zeros((n_q, len(dates)))
        weekday = dates.day_of_week.to_numpy()
        # Regular days strictly after the history and up to each date.
        gap = pd.date_range(pd.Timestamp(self.last_day_) + pd.Timedelta(days=1), dates[-1])
        for q in range(n_q):
            state = self.series_state_[q]
            if state is None:
                continue
            regular = self.regular_[q]
            on_regular = np.isin(gap.day_of_week.to_numpy(), regular)
            step_of = pd.Series(np.cumsum(on_regular), index=gap)
            h = int(on_regular.sum())
            if h == 0:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                mean, var = self._forecast_series(state, h)
            steps = step_of.reindex(dates).to_numpy()
            use = np.isin(weekday, regular) & (steps >= 1)
            j = steps[use].astype(int) - 1
            m = np.clip(mean[j], 0.0, None)
            total[q, use] = m
            safe = np.where(m > 0, m, 1.0)
            alpha_day[q, use] = np.where(m > 0, np.clip(var[j] - m, 0.0, None) / safe**2, 0.0)
        return total, alpha_day


class ETSDaily(_DailySeriesModel):
    """ETS(A,Ad,A) on the daily volume of regular days, top-down (module docstring).

    Parameters
    ----------
    damped_trend: damp the trend (True) or use no trend (False).
    history_days: fit on the last so many calendar days (None: all).
    profile_prior_calls, profile_halflife_days: the intraday profile.
    """

    name = "ets"

    def __init__(
        self,
        *,
        damped_trend: bool = True,
        history_days: int | None = 730,
        profile_prior_calls: float = 1000.0,
        profile_halflife_days: float | None = 365.0,
    ):
        self.damped_trend = damped_trend
        self.history_days = history_days
        self.profile_prior_calls = profile_prior_calls
        self.profile_halflife_days = profile_halflife_days

    def _fit_series(self, y: np.ndarray, m: int) -> object:
        seasonal = "add" if m > 1 and len(y) >= 2 * m + 2 else None
        model = ETSModel(
            pd.Series(y),
            error="add",
            trend="add" if self.damped_trend else None,
            damped_trend=bool(self.damped_trend),
            seasonal=seasonal,
            seasonal_periods=m if seasonal else None,
            initialization_method="heuristic" if len(y) >= 4 * max(m, 2) else "estimated",
        )
        return model.fit(disp=False)

    def _forecast_series(self, state, h: int) -> tuple[np.ndarray, np.ndarray]:
        n = int(state.nobs)
        pred = state.get_prediction(start=n, end=n + h - 1)
        return np.asarray(pred.predicted_mean, dtype=float), np.asarray(
            pred.var_pred_mean, dtype=float
        )


class MSTLDaily(_DailySeriesModel):
    """MSTL (weekly and yearly seasons) with ETS(A,Ad,N) on the adjusted series, top-down.

    Parameters
    ----------
    yearly: include the yearly season when the series covers two years (else weekly only).
    history_days: fit on the last so many calendar days (None: all).
    profile_prior_calls, profile_halflife_days: the intraday profile.
    """

    name = "mstl"

    def __init__(
        self,
        *,
        yearly: bool = True,
        history_days: int | None = None,
        profile_prior_calls: float = 1000.0,
        profile_halflife_days: float | None = 365.0,
    ):
        self.yearly = yearly
        self.history_days = history_days
        self.profile_prior_calls = profile_prior_calls
        self.profile_halflife_days = profile_halflife_days

    def _fit_series(self, y: np.ndarray, m: int) -> object:
        periods = [m] if m > 1 else []
        year = int(round(m * 365.25 / 7))
        if self.yearly and len(y) >= 2 * year + m:
            periods.append(year)
        if periods:
            res = MSTL(y, periods=periods, iterate=1).fit()
            seasonal = np.asarray(res.seasonal, dtype=float).reshape(len(y), -1)
            adjusted = np.asarray(res.trend, dtype=float) + np.asarray(res.resid, dtype=float)
        else:
            seasonal = np.zeros((len(y), 0))
            adjusted = y
        trend = ETSModel(
            pd.Series(adjusted),
            error="add",
            trend="add",
            damped_trend=True,
            initialization_method="heuristic" if len(y) >= 10 else "estimated",
        ).fit(disp=False)
        # Carrying a season forward is itself a forecast: add the variance of its change over
        # one period (last year of the series) to the trend model's variance.
        season_var = 0.0
        for k, period in enumerate(periods):
            comp = seasonal[:, k]
            if len(comp) > period:
                change = comp[period:] - comp[:-period]
                season_var += float(np.mean(change[-max(period, m * 52) :] ** 2))
        return {
            "periods": periods,
            "seasonal": seasonal,
            "trend": trend,
            "n": len(y),
            "season_var": season_var,
        }

    def _forecast_series(self, state, h: int) -> tuple[np.ndarray, np.ndarray]:
        n = state["n"]
        trend = state["trend"]
        pred = trend.get_prediction(start=n, end=n + h - 1)
        mean = np.asarray(pred.predicted_mean, dtype=float).copy()
        var = np.asarray(pred.var_pred_mean, dtype=float)
        steps = np.arange(h)
        for k, period in enumerate(state["periods"]):
            comp = state["seasonal"][:, k]
            src = n + steps - period * ((steps // period) + 1)
            mean += comp[np.clip(src, 0, n - 1)]
        return mean, var + state["season_var"]
