"""The estimator interface shared by every forecasting model, and the forecast contract.

Models follow scikit-learn's conventions (``sklearn/dummy.py``): keyword-only parameters stored
as given in ``__init__``; checks in ``fit``; ``fit`` returns ``self``; learned state ends in
``_``; ``predict`` checks that the model was fitted.

``fit(history, *, calendar=None, events=None, exclude_days=None)`` takes the history contract
(or a LoadedHistory). Without a calendar the hours are learned from the history
(`forecast.models.hours.infer_calendar`, Danish holidays); with one, the calendar is checked
against the history (`hours_report_`) and a warning is given when more than 1 % of the calls
fall outside its windows. Known ``events`` (`forecast.events.Event`) are taken out of the
history before fitting, so that the model learns the normal level; they are added back to a
forecast by `forecast.events.apply_events`, visibly and apart from the model's output.

``predict(start=None, days=14)`` returns the forecast contract
``interval_start, queue, offered, offered_lo, offered_hi, aht_seconds``: one row per queue and
open interval of the queue's window (the calendar's hours) from ``start`` for ``days`` days.
**Closed days and intervals outside a queue's window have no rows** (the staffing step takes a
forecast's rows as the queue's window). ``offered`` is the expected number of calls (a mean:
what Erlang staffing needs), ``offered_lo``/``offered_hi`` an 80 % prediction interval (mid-
quantiles of a negative binomial, `forecast.models.intervals`). ``start`` must be after the last
day of the history; the days in between are forecast too but not returned.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from centre.parsing import parse_date
from centre.queues import QUEUES
from forecast.calendar import CentreCalendar
from forecast.models._history import HistoryData, history_frame, prepare_history
from forecast.models._threads import single_blas_thread
from forecast.models.features import day_table
from forecast.models.hours import check_hours, infer_calendar, warn_hours
from forecast.models.intervals import combine_dispersion, nb_interval
from forecast.models.profiles import HandleTime

if TYPE_CHECKING:
    from forecast.events import Event

__all__ = ["Forecaster", "ForecastArrays", "FORECAST_COLUMNS", "DAILY_COLUMNS", "as_date"]

FORECAST_COLUMNS = ["interval_start", "queue", "offered", "offered_lo", "offered_hi", "aht_seconds"]
DAILY_COLUMNS = ["date", "queue", "offered", "offered_lo", "offered_hi"]

#: Handle time used for a queue whose history has no ``aht_seconds``: the queue's calibrated
#: value in `centre.queues` when the name is known, else 300 s.
DEFAULT_AHT = {spec.name: spec.aht_seconds for spec in QUEUES}


def as_date(value: object, name: str) -> dt.date:
    """``value`` as a date; ValueError naming ``name`` otherwise (`centre.parsing.parse_date`)."""
    return parse_date(value, name)


@dataclass
class ForecastArrays:
    """A model's forecast over ``dates`` as arrays over ``[queue, day, slot]``.

    ``mean`` per slot; ``daily_total`` (optional) the day's total that the rows of a day are
    rescaled to (top-down models, so that DST days keep their total); ``alpha_day`` the day-level
    dispersion per queue-day and ``alpha_int`` the interval's own dispersion per queue;
    ``aht`` seconds per slot.
    """

    dates: pd.DatetimeIndex
    mean: np.ndarray
    alpha_day: np.ndarray
    alpha_int: np.ndarray
    aht: np.ndarray
    daily_total: np.ndarray | None = None


class Forecaster:
    """Base class of the forecasting models (see the module docstring)."""

    name: ClassVar[str] = "base"

    # ------------------------------------------------------------------ parameters
    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values() if p.kind == p.KEYWORD_ONLY]

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters and their values."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Forecaster:
        """Set constructor parameters; ValueError for an unknown name."""
        valid = self._param_names()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(
                    f"{type(self).__name__} has no parameter {key!r}; valid: {', '.join(valid)}"
                )
            setattr(self, key, value)
        return self

    def clone(self) -> Forecaster:
        """An unfitted copy with the same parameters."""
        return type(self)(**copy.deepcopy(self.get_params()))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _validate_params(self) -> None:
        """Check the parameters (subclasses extend); raise ValueError naming the parameter."""

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        history: object,
        *,
        calendar: CentreCalendar | None = None,
        events: Sequence[Event] | None = None,
        exclude_days: Iterable[object] | None = None,
    ) -> Forecaster:
        """Fit to ``history`` (the history contract or a LoadedHistory); returns ``self``.

        ``calendar``: the centre's calendar; ``None`` learns the hours from the history with
        Danish holidays (`infer_calendar`; pass an inferred calendar for another country).
        ``events``: known events in the history (list of `forecast.events.Event`), taken out
        before fitting. ``exclude_days``: dates to leave out (anomalies; a LoadedHistory has
        already dropped the days it was told are anomalies, and a day without rows is a gap).
        """
        frame = history_frame(history)
        skip = list(exclude_days or [])
        if events:
            from forecast.events import remove_events

            frame = remove_events(frame, events)
        if calendar is None:
            calendar = infer_calendar(frame)
        data = prepare_history(frame, calendar, exclude_days=skip)
        return self.fit_prepared(data, events=events)

    def fit_prepared(
        self, data: HistoryData, *, events: Sequence[Event] | None = None
    ) -> Forecaster:
        """Fit to prepared arrays (`forecast.models._history.prepare_history`).

        ``events``: the known events, already taken out of ``data``; a model may use their
        dates (the GLM learns what the stated size missed).
        """
        self._validate_params()
        self.events_ = list(events or [])
        if not data.usable.any():
            raise ValueError("history has no open day with calls to fit on")
        self.calendar_ = data.calendar
        self.queues_ = list(data.queues)
        self.freq_minutes_ = data.freq
        self.first_day_ = data.first_day
        self.last_day_ = data.last_day
        self.hours_report_ = check_hours(data)
        warn_hours(self.hours_report_)
        table = day_table(data.calendar, data.first_day, data.last_day)
        self.day_type_ = self._day_types(table)
        aht_default = {q: DEFAULT_AHT.get(q, 300.0) for q in data.queues}
        with single_blas_thread():
            self.handle_time_ = HandleTime(default_seconds=aht_default).fit(data, self.day_type_, 2)
            self._fit(data, table)
        return self

    def _fit(self, data: HistoryData, table: pd.DataFrame) -> None:
        raise TypeError(f"{type(self).__name__} must implement _fit")

    @staticmethod
    def _day_types(table: pd.DataFrame) -> np.ndarray:
        """Day type per day: 1 on the first working day of the month (payday), else 0."""
        return (table["rank"].to_numpy() == 1).astype(int)

    # ------------------------------------------------------------------ predicting
    def _check_fitted(self) -> None:
        if not hasattr(self, "last_day_"):
            raise ValueError(f"{type(self).__name__} is not fitted yet; call fit(history) first")

    def _dates(self, start: object, days: object) -> pd.DatetimeIndex:
        self._check_fitted()
        start_d = (
            self.last_day_ + dt.timedelta(days=1) if start is None else as_date(start, "start")
        )
        if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 1:
            raise ValueError(f"days must be a whole number >= 1; got {days!r}")
        if start_d <= self.last_day_:
            raise ValueError(
                f"start must be after the last day of the history ({self.last_day_}); got "
                f"{start_d} (a forecast begins after the history ends; test a model on known "
                "days with forecast.backtest)"
            )
        return pd.date_range(start_d, periods=int(days), freq="D")

    def _windows(self, dates: pd.DatetimeIndex) -> np.ndarray:
        from forecast.models._history import calendar_windows

        return calendar_windows(self.calendar_, tuple(self.queues_), dates, self.freq_minutes_)

    def forecast_arrays(self, dates: pd.DatetimeIndex) -> ForecastArrays:
        """The forecast over ``dates`` (all after the history) as arrays."""
        self._check_fitted()
        table = day_table(self.calendar_, dates[0].date(), dates[-1].date())
        with single_blas_thread():
            arrays = self._forecast(dates, table)
        window = self._windows(dates)
        arrays.mean = np.where(window, np.clip(arrays.mean, 0.0, None), 0.0)
        if arrays.daily_total is not None:
            arrays.daily_total = np.where(window.any(axis=2), arrays.daily_total, 0.0)
        return arrays

    def _forecast(self, dates: pd.DatetimeIndex, table: pd.DataFrame) -> ForecastArrays:
        raise TypeError(f"{type(self).__name__} must implement _forecast")

    def _aht(self, table: pd.DataFrame) -> np.ndarray:
        types = self._day_types(table)
        return np.stack(
            [
                np.stack([self.handle_time_.predict(q, int(t)) for t in types])
                for q in range(len(self.queues_))
            ]
        )

    def predict(self, start: object = None, days: int = 14, *, level: float = 0.8) -> pd.DataFrame:
        """The forecast contract for ``days`` days from ``start`` (default: after the history)."""
        dates = self._dates(start, days)
        full = pd.date_range(self.last_day_ + dt.timedelta(days=1), dates[-1], freq="D")
        arrays = self.forecast_arrays(full)
        return self._layout(arrays, keep_from=dates[0], level=level)

    def predict_daily(
        self, start: object = None, days: int = 14, *, level: float = 0.8
    ) -> pd.DataFrame:
        """Daily totals ``date, queue, offered, offered_lo, offered_hi`` of open queue-days."""
        dates = self._dates(start, days)
        full = pd.date_range(self.last_day_ + dt.timedelta(days=1), dates[-1], freq="D")
        arrays = self.forecast_arrays(full)
        return self._layout_daily(arrays, keep_from=dates[0], level=level)

    def _layout_daily(
        self, arrays: ForecastArrays, *, keep_from: pd.Timestamp, level: float
    ) -> pd.DataFrame:
        total = arrays.mean.sum(axis=2) if arrays.daily_total is None else arrays.daily_total
        window = self._windows(arrays.dates).any(axis=2)
        q_idx, d_idx = np.nonzero(window)
        keep = arrays.dates[d_idx] >= keep_from
        q_idx, d_idx = q_idx[keep], d_idx[keep]
        mean = total[q_idx, d_idx]
        lo, hi = nb_interval(mean, arrays.alpha_day[q_idx, d_idx], level)
        out = pd.DataFrame(
            {
                "date": arrays.dates[d_idx].date,
                "queue": np.array(self.queues_, dtype=object)[q_idx],
                "offered": mean,
                "offered_lo": lo,
                "offered_hi": hi,
            }
        )
        return out.sort_values(["date", "queue"], kind="stable").reset_index(drop=True)

    def _layout(
        self, arrays: ForecastArrays, *, keep_from: pd.Timestamp, level: float
    ) -> pd.DataFrame:
        """Rows of the forecast contract on the calendar's real (DST-safe) interval grid.

        Ordinary days are laid out from the queue windows in one vectorized step; a DST day
        (23 or 25 hours) goes through `CentreCalendar.open_intervals`, where the repeated
        autumn hour gives two rows per wall-clock slot and the missing spring hour none.
        """
        freq = self.freq_minutes_
        tz = self.calendar_.tz
        window = self._windows(arrays.dates)
        keep = np.asarray(arrays.dates >= keep_from)
        dst = np.array([_is_dst_day(d.date(), tz) for d in arrays.dates])
        q_all, d_all, s_all, stamp_parts = [], [], [], []
        q_n, d_n, s_n = np.nonzero(window & (keep & ~dst)[None, :, None])
        if len(q_n):
            naive = arrays.dates.to_numpy()[d_n] + (s_n * freq).astype("timedelta64[m]")
            stamp_parts.append(pd.DatetimeIndex(naive).tz_localize(tz).as_unit("ns"))
            q_all.append(q_n)
            d_all.append(d_n)
            s_all.append(s_n)
        for d in np.flatnonzero(keep & dst):
            for q, queue in enumerate(self.queues_):
                grid = self.calendar_.open_intervals(arrays.dates[d].date(), queue, freq)
                if not len(grid):
                    continue
                stamp_parts.append(grid.as_unit("ns"))
                q_all.append(np.full(len(grid), q))
                d_all.append(np.full(len(grid), d))
                s_all.append((grid.hour.to_numpy() * 60 + grid.minute.to_numpy()) // freq)
        if not stamp_parts:
            return pd.DataFrame(
                {
                    "interval_start": pd.DatetimeIndex([], tz=tz).as_unit("ns"),
                    "queue": pd.Series([], dtype=object),
                    **{c: pd.Series([], dtype=float) for c in FORECAST_COLUMNS[2:]},
                }
            )
        index = stamp_parts[0].append(stamp_parts[1:]) if len(stamp_parts) > 1 else stamp_parts[0]
        q_idx = np.concatenate(q_all)
        d_idx = np.concatenate(d_all)
        s_idx = np.concatenate(s_all)
        mean = arrays.mean[q_idx, d_idx, s_idx]
        if arrays.daily_total is not None:
            group = q_idx * len(arrays.dates) + d_idx
            sums = np.bincount(group, weights=mean, minlength=window.shape[0] * len(arrays.dates))
            target = arrays.daily_total.reshape(-1)
            factor = np.divide(target, sums, out=np.ones_like(sums), where=sums > 0)
            mean = mean * factor[group]
        alpha = combine_dispersion(arrays.alpha_day[q_idx, d_idx], arrays.alpha_int[q_idx])
        lo, hi = nb_interval(mean, alpha, level)
        out = pd.DataFrame(
            {
                "interval_start": index,
                "queue": np.array(self.queues_, dtype=object)[q_idx],
                "offered": mean,
                "offered_lo": lo,
                "offered_hi": hi,
                "aht_seconds": arrays.aht[q_idx, d_idx, s_idx],
            }
        )
        order = np.lexsort((q_idx, index.asi8))
        return out.iloc[order].reset_index(drop=True)


def _is_dst_day(day: dt.date, tz: str) -> bool:
    """True when the local day is not 24 hours long (a DST change happens on it)."""
    start = pd.Timestamp(day).tz_localize(tz)
    end = pd.Timestamp(day + dt.timedelta(days=1)).tz_localize(tz)
    return (end - start) != pd.Timedelta(days=1)
