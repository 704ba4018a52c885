"""The single-method models by name (every model except ``auto``, which chooses among them).

`forecast.models.MODELS` adds ``auto`` (`AutoSelect`); `AutoSelect` builds its candidates from
this registry, so the selector and the package's `make_model` do not import each other.
"""

from __future__ import annotations

from typing import Any

from forecast.models.base import Forecaster
from forecast.models.baselines import SeasonalNaive, WeekdayMean
from forecast.models.glm import DailyGLM
from forecast.models.timeseries import ETSDaily, MSTLDaily

__all__ = ["BASE_MODELS", "make_base_model"]

#: The single-method models by name.
BASE_MODELS: dict[str, type[Forecaster]] = {
    "seasonal_naive": SeasonalNaive,
    "weekday_mean": WeekdayMean,
    "glm": DailyGLM,
    "ets": ETSDaily,
    "mstl": MSTLDaily,
}


def make_base_model(name: str, **params: Any) -> Forecaster:
    """A new single-method model by ``name``; ValueError listing the valid names otherwise."""
    if name not in BASE_MODELS:
        raise ValueError(f"unknown model {name!r}; valid models: {', '.join(BASE_MODELS)}")
    return BASE_MODELS[name](**params)
