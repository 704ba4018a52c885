"""Forecasting models of call volume and handle time per queue and interval.

Every model has the same interface (`forecast.models.base.Forecaster`): configure in the
constructor, ``fit(history, calendar=...)``, ``predict(start, days)`` -> the forecast contract
``interval_start, queue, offered, offered_lo, offered_hi, aht_seconds`` with an 80 % interval.

=================  ==========================================================================
name               model
=================  ==========================================================================
seasonal_naive     the last open day of the same weekday, interval by interval (baseline)
weekday_mean       mean of the last 6 open same-weekday days, interval by interval (baseline)
glm                negative binomial GLM of daily volume on the calendar x intraday profile
ets                ETS(A,Ad,A) on daily volume (statsmodels) x intraday profile
mstl               MSTL weekly + yearly seasons, ETS on the rest (statsmodels) x profile
auto               per queue, the candidate with the lowest rolling-origin backtest WAPE
=================  ==========================================================================
"""

from __future__ import annotations

from typing import Any

from forecast.models.base import DAILY_COLUMNS, FORECAST_COLUMNS, Forecaster
from forecast.models.baselines import SeasonalNaive, WeekdayMean
from forecast.models.glm import DailyGLM
from forecast.models.hours import HoursReport, check_hours, infer_calendar
from forecast.models.registry import BASE_MODELS
from forecast.models.select import AutoSelect
from forecast.models.timeseries import ETSDaily, MSTLDaily

__all__ = [
    "MODELS",
    "DEFAULT_MODEL",
    "FORECAST_COLUMNS",
    "DAILY_COLUMNS",
    "Forecaster",
    "SeasonalNaive",
    "WeekdayMean",
    "DailyGLM",
    "ETSDaily",
    "MSTLDaily",
    "AutoSelect",
    "HoursReport",
    "check_hours",
    "infer_calendar",
    "make_model",
]

#: The models by name.
MODELS: dict[str, type[Forecaster]] = {**BASE_MODELS, "auto": AutoSelect}

#: The model the CLI and the pipeline use unless told otherwise.
DEFAULT_MODEL = "auto"


def make_model(name: str, **params: Any) -> Forecaster:
    """A new model by ``name`` with ``params``; ValueError listing the valid names otherwise."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; valid models: {', '.join(MODELS)}")
    return MODELS[name](**params)
