"""Automatic choice of a model per queue by a rolling-origin backtest on the training history.

For each of ``origins`` forecast origins (the last one ``horizon_days`` before the end of the
history, the others ``step_days`` apart before it), every candidate is fitted on the history
before the origin and forecasts ``horizon_days``; per queue, the candidate with the lowest error
over the origins is chosen and refitted on the whole history (Tashman 2000, "Out-of-sample
tests of forecasting accuracy: an analysis and review", IJF 16, 437-450: rolling origins;
Hyndman & Athanasopoulos, FPP3 section 5.10, time-series cross-validation). Ties go to the
earlier candidate in the list.

The error (``metric``): by default the mean squared error per interval, because staffing needs
the *expected* calls and the squared error is the loss the mean minimises; the interval WAPE
(the mean absolute error) is minimised by the median instead, which on a small queue with a
fraction of a call per interval rewards forecasting too few calls (Kolassa 2016, "Evaluating
predictive count data distributions in retail sales forecasting", IJF 32, 788-803).
``"wape_interval"`` and ``"wape_daily"`` are available too.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecast.models._history import HistoryData
from forecast.models.base import ForecastArrays, Forecaster
from forecast.models.registry import make_base_model

__all__ = ["AutoSelect"]

_METRICS = ("mse_interval", "wape_interval", "wape_daily")


class AutoSelect(Forecaster):
    """Per queue, the candidate with the lowest backtest WAPE (module docstring).

    Parameters
    ----------
    candidates: model names (see `forecast.models.MODELS`) or unfitted model instances.
    origins: rolling origins used for the choice (>= 1).
    horizon_days: days forecast from each origin.
    step_days: days between origins.
    metric: ``"mse_interval"`` (default), ``"wape_interval"`` or ``"wape_daily"``.
    """

    name = "auto"

    def __init__(
        self,
        *,
        candidates: Sequence[str | Forecaster] = ("glm", "weekday_mean", "ets"),
        origins: int = 3,
        horizon_days: int = 14,
        step_days: int = 7,
        metric: str = "mse_interval",
    ):
        self.candidates = candidates
        self.origins = origins
        self.horizon_days = horizon_days
        self.step_days = step_days
        self.metric = metric

    def _validate_params(self) -> None:
        for name in ("origins", "horizon_days", "step_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")
        if self.metric not in _METRICS:
            raise ValueError(f"metric must be one of {', '.join(_METRICS)}; got {self.metric!r}")
        if not self.candidates:
            raise ValueError("candidates must name at least one model; got an empty list")
        self._candidate_models()

    def _candidate_models(self) -> dict[str, Forecaster]:
        out: dict[str, Forecaster] = {}
        for item in self.candidates:
            if isinstance(item, AutoSelect) or item == "auto":
                raise ValueError("candidates of AutoSelect must not include 'auto'")
            model = make_base_model(item) if isinstance(item, str) else item.clone()
            label = item if isinstance(item, str) else model.name
            out[label] = model
        return out

    def _fit(self, data: HistoryData, table: pd.DataFrame) -> None:
        models = self._candidate_models()
        names = list(models)
        n_q = len(data.queues)
        loss = np.zeros((len(names), n_q))
        actual = np.zeros(n_q)
        win_cells = np.zeros(n_q)
        used_origins = []
        for k in range(self.origins):
            origin = data.last_day - dt.timedelta(days=self.horizon_days - 1 + k * self.step_days)
            train_end = origin - dt.timedelta(days=1)
            if (train_end - data.first_day).days < 56:
                break
            train = data.until(train_end)
            if not train.usable.any():
                continue
            dates = pd.date_range(origin, periods=self.horizon_days, freq="D")
            idx = np.searchsorted(data.days, dates)
            ok = (data.has_data & ~data.excluded)[idx]
            win = data.window[:, idx] & ok[None, :, None]
            y = np.where(win, data.counts[:, idx], 0.0)
            actual += y.sum(axis=(1, 2))
            win_cells += win.sum(axis=(1, 2))
            used_origins.append(origin)
            for j, name in enumerate(names):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = models[name].clone().fit_prepared(train, events=self.events_)
                    arrays = model.forecast_arrays(dates)
                f = np.where(win, _interval_mean(arrays), 0.0)
                if self.metric == "mse_interval":
                    loss[j] += ((y - f) ** 2).sum(axis=(1, 2))
                elif self.metric == "wape_interval":
                    loss[j] += np.abs(y - f).sum(axis=(1, 2))
                else:
                    loss[j] += np.abs(y.sum(axis=2) - f.sum(axis=2)).sum(axis=1)
        if used_origins:
            if self.metric == "mse_interval":
                n_cells = np.maximum(win_cells, 1)[None, :]
                error = loss / n_cells
            else:
                error = loss / np.where(actual > 0, actual, 1.0)[None, :]
            best = np.argmin(error, axis=0)
        else:
            error = np.full((len(names), n_q), np.nan)
            best = np.zeros(n_q, dtype=int)
        self.origins_ = used_origins
        self.choice_ = {queue: names[best[q]] for q, queue in enumerate(data.queues)}
        self.scores_ = pd.DataFrame(
            [
                {
                    "queue": queue,
                    "model": name,
                    self.metric: error[j, q],
                    "chosen": bool(best[q] == j),
                }
                for q, queue in enumerate(data.queues)
                for j, name in enumerate(names)
            ]
        )
        self.models_: dict[str, Forecaster] = {}
        for name in sorted(set(self.choice_.values()), key=names.index):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.models_[name] = models[name].clone().fit_prepared(data, events=self.events_)

    def _forecast(self, dates: pd.DatetimeIndex, table: pd.DataFrame) -> ForecastArrays:
        n_q = len(self.queues_)
        out: ForecastArrays | None = None
        for name, model in self.models_.items():
            arrays = model.forecast_arrays(dates)
            total = arrays.daily_total
            if total is None:
                total = arrays.mean.sum(axis=2)
            if out is None:
                out = ForecastArrays(
                    dates=dates,
                    mean=np.zeros_like(arrays.mean),
                    alpha_day=np.zeros_like(arrays.alpha_day),
                    alpha_int=np.zeros(n_q),
                    aht=arrays.aht.copy(),
                    daily_total=np.zeros_like(total),
                )
            assert out.daily_total is not None  # made with a daily total just above
            for q, queue in enumerate(self.queues_):
                if self.choice_[queue] != name:
                    continue
                out.mean[q] = arrays.mean[q]
                out.alpha_day[q] = arrays.alpha_day[q]
                out.alpha_int[q] = arrays.alpha_int[q]
                out.daily_total[q] = total[q]
        if out is None:
            raise ValueError("AutoSelect has no fitted model; call fit(history) first")
        return out


def _interval_mean(arrays: ForecastArrays) -> np.ndarray:
    """Interval means, rescaled to the daily totals where the model gives them."""
    if arrays.daily_total is None:
        return arrays.mean
    sums = arrays.mean.sum(axis=2, keepdims=True)
    scale = np.divide(arrays.daily_total[..., None], sums, out=np.ones_like(sums), where=sums > 0)
    return arrays.mean * scale
