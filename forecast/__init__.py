"""Forecasting: the centre's calendar, forecast models, events, reforecasts and backtests.

Pure: pandas/numpy in, pandas/numpy out; no files, databases or Streamlit. Import the
submodules you need (``from forecast.models import make_model``); they are not imported here,
so ``import forecast`` stays cheap.
"""

__all__ = [
    "backtest",
    "calendar",
    "events",
    "models",
    "reforecast",
]
