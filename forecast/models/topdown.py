"""Top-down models: a daily volume per queue, split over the day by an intraday profile.

Subclasses forecast the daily totals (``_fit_daily``, ``_predict_daily``: mean and day-level
dispersion per queue-day); this class fits the profile (`forecast.models.profiles`) and lays the
daily totals out over the intervals: ``offered[q, d, s] = total[q, d] * share[q, d, s]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.models._history import HistoryData
from forecast.models.base import ForecastArrays, Forecaster
from forecast.models.profiles import IntradayProfile

__all__ = ["TopDownForecaster"]


class TopDownForecaster(Forecaster):
    """Daily totals times an intraday profile (by weekday and day type: payday or normal).

    Subclasses define ``__init__`` with their own keyword-only parameters plus
    ``profile_prior_calls`` and ``profile_halflife_days`` (see `IntradayProfile`).
    """

    profile_prior_calls: float
    profile_halflife_days: float | None

    def _validate_params(self) -> None:
        if not self.profile_prior_calls >= 0:
            raise ValueError(f"profile_prior_calls must be >= 0; got {self.profile_prior_calls!r}")
        if self.profile_halflife_days is not None and not self.profile_halflife_days > 0:
            raise ValueError(
                f"profile_halflife_days must be > 0 or None; got {self.profile_halflife_days!r}"
            )

    def _fit(self, data: HistoryData, table: pd.DataFrame) -> None:
        self.profile_ = IntradayProfile(
            prior_calls=self.profile_prior_calls, halflife_days=self.profile_halflife_days
        ).fit(data, self.day_type_, 2)
        self.alpha_int_ = self.profile_.dispersion(data, self.day_type_)
        self._fit_daily(data, table)

    def _fit_daily(self, data: HistoryData, table: pd.DataFrame) -> None:
        raise TypeError(f"{type(self).__name__} must implement _fit_daily")

    def _predict_daily(
        self, dates: pd.DatetimeIndex, table: pd.DataFrame, window: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        raise TypeError(f"{type(self).__name__} must implement _predict_daily")

    def _forecast(self, dates: pd.DatetimeIndex, table: pd.DataFrame) -> ForecastArrays:
        window = self._windows(dates)
        total, alpha_day = self._predict_daily(dates, table, window)
        total = np.where(window.any(axis=2), np.clip(total, 0.0, None), 0.0)
        types = self._day_types(table)
        weekday = dates.day_of_week.to_numpy()
        mean = np.zeros(window.shape)
        for q in range(window.shape[0]):
            for d in range(window.shape[1]):
                if total[q, d] > 0:
                    shares = self.profile_.shares(q, weekday[d], int(types[d]), window[q, d])
                    mean[q, d] = total[q, d] * shares
        return ForecastArrays(
            dates=dates,
            mean=mean,
            alpha_day=alpha_day,
            alpha_int=self.alpha_int_,
            aht=self._aht(table),
            daily_total=total,
        )
