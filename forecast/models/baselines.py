"""Baselines: the weekly seasonal naive and the mean of recent same-weekday profiles.

Named, first-class models (statsforecast's ``SeasonalNaive`` and ``WindowAverage`` are the
pattern), so that every comparison includes them.

- `WeekdayMean` (``weeks`` = N): each interval of a day is the mean of that interval on the last
  N open days of the same weekday in the history (Hyndman & Athanasopoulos, Forecasting:
  Principles and Practice, 3rd ed., section 5.2, the average and seasonal naive methods, with
  the average taken over the same season only). Days the queue was closed (holidays), had no
  data or were marked as anomalies are skipped.
- `SeasonalNaive`: N = 1, the last open day of the same weekday (a week ago; two weeks ago when
  last week's day was a holiday).

Prediction intervals: the errors these rules made on the last 26 weeks of the history (each day
forecast from the days before it) give the dispersion by moments,
``a = sum[(y - f)^2 - f] / sum[f^2]`` over days (the day level) and over intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.models._history import HistoryData
from forecast.models.base import ForecastArrays, Forecaster

__all__ = ["WeekdayMean", "SeasonalNaive"]

_CHECK_DAYS = 182


def _moment_alpha(y: np.ndarray, f: np.ndarray) -> float:
    den = float((f**2).sum())
    if den <= 0:
        return 0.0
    return max(float(((y - f) ** 2 - f).sum()) / den, 0.0)


class WeekdayMean(Forecaster):
    """Mean of the last ``weeks`` open same-weekday days, interval by interval.

    Parameters
    ----------
    weeks: how many same-weekday days to average (>= 1).
    """

    name = "weekday_mean"

    def __init__(self, *, weeks: int = 6):
        self.weeks = weeks

    def _validate_params(self) -> None:
        if isinstance(self.weeks, bool) or not isinstance(self.weeks, int) or self.weeks < 1:
            raise ValueError(f"weeks must be a whole number >= 1; got {self.weeks!r}")

    def _fit(self, data: HistoryData, table: pd.DataFrame) -> None:
        n_q, n_d, n_s = data.counts.shape
        weekday = data.days.day_of_week.to_numpy()
        usable = data.usable
        counts = np.where(data.window, data.counts, 0.0)
        self.profile_ = np.zeros((n_q, 7, n_s))
        self.has_profile_ = np.zeros((n_q, 7), dtype=bool)
        for q in range(n_q):
            for w in range(7):
                days = np.flatnonzero(usable[q] & (weekday == w))[-self.weeks :]
                if len(days):
                    self.profile_[q, w] = counts[q, days].mean(axis=0)
                    self.has_profile_[q, w] = True
        # In-sample errors of the same rule over the last 26 weeks.
        alpha_day = np.zeros(n_q)
        alpha_int = np.zeros(n_q)
        for q in range(n_q):
            ys, fs, yi, fi = [], [], [], []
            for d in np.flatnonzero(usable[q])[-_CHECK_DAYS:]:
                prev = np.flatnonzero(usable[q, :d] & (weekday[:d] == weekday[d]))[-self.weeks :]
                if not len(prev):
                    continue
                f = counts[q, prev].mean(axis=0)
                win = data.window[q, d]
                ys.append(counts[q, d][win].sum())
                fs.append(f[win].sum())
                yi.append(counts[q, d][win])
                fi.append(f[win])
            if ys:
                alpha_day[q] = _moment_alpha(np.array(ys), np.array(fs))
                a_int = _moment_alpha(np.concatenate(yi), np.concatenate(fi))
                alpha_int[q] = max((1.0 + a_int) / (1.0 + alpha_day[q]) - 1.0, 0.0)
        self.alpha_day_ = alpha_day
        self.alpha_int_ = alpha_int

    def _forecast(self, dates: pd.DatetimeIndex, table: pd.DataFrame) -> ForecastArrays:
        weekday = dates.day_of_week.to_numpy()
        mean = self.profile_[:, weekday, :]
        return ForecastArrays(
            dates=dates,
            mean=mean,
            alpha_day=np.repeat(self.alpha_day_[:, None], len(dates), axis=1),
            alpha_int=self.alpha_int_,
            aht=self._aht(table),
        )


class SeasonalNaive(WeekdayMean):
    """Weekly seasonal naive: the last open day of the same weekday, interval by interval."""

    name = "seasonal_naive"

    def __init__(self) -> None:
        self.weeks = 1
