"""Glue between the app's Data, Prognose, Bemanding and Rapport pages and the library.

The pages stay thin: loading (cached for the embedded default data, keyed on the file's hash;
uploads are never cached, they live only in the uploader's own session), the tables their
charts draw (daily volume per queue, mean calls by weekday and time of day, agents needed by
weekday and time of day, forecast against actuals), forecasting and Excel/PDF report bytes.
No queueing or forecasting math here: that is `forecast` and `staffing`.

Session-state keys other pages read (set by the pages that make them):

- `HISTORY_KEY` (``"data:history"``): the loaded `planner.io.history.LoadedHistory`;
- `FORECAST_KEY` (``"forecast:result"``): the forecast contract (events applied);
- `REQUIREMENTS_KEY` (``"staffing:result"``): `staffing.requirements` output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import streamlit as st

from app_support.shell import PageState
from centre.timezone import TZ
from planner.io.history import LoadedHistory, default_history_path, load_history

if TYPE_CHECKING:  # the forecasting and report modules are imported where they are used, so
    # that the app's first page draws without loading statsmodels and scipy.stats (~1 s)
    from forecast.events import Event
    from staffing.simulation.reports import Report

__all__ = [
    "HISTORY_KEY",
    "FORECAST_KEY",
    "REQUIREMENTS_KEY",
    "TZ",
    "file_hash",
    "frame_token",
    "load_default_history",
    "load_uploaded_history",
    "daily_volume",
    "weekday_interval_mean",
    "make_forecast",
    "run_backtest",
    "forecast_with_events",
    "forecast_vs_actual",
    "open_stretches",
    "rate_domain",
    "agents_heatmap",
    "report_bytes",
    "kept_number",
]

HISTORY_KEY = "data:history"
FORECAST_KEY = "forecast:result"
REQUIREMENTS_KEY = "staffing:result"


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes (the cache key of the default data)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def frame_token(frame: pd.DataFrame) -> str:
    """A content hash of a table (cache key of work derived from it)."""
    values = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha256(values.tobytes() + ",".join(map(str, frame.columns)).encode()).hexdigest()


@st.cache_data(show_spinner=False, max_entries=4)
def _load_default(path: str, digest: str, anomalies: tuple[str, ...]) -> LoadedHistory:
    del digest  # part of the cache key only: a changed file is read again
    return load_history(path, anomalies=list(anomalies))


def load_default_history(anomalies: Iterable[str] = ()) -> LoadedHistory:
    """The embedded default history (cached per file hash and anomaly days)."""
    path = default_history_path()
    return _load_default(str(path), file_hash(path), tuple(sorted(set(anomalies))))


def load_uploaded_history(data: bytes, name: str, anomalies: Iterable[str] = ()) -> LoadedHistory:
    """An uploaded history (never cached: `st.cache_data` is shared by every session)."""
    return load_history(data, name=name, anomalies=list(anomalies))


def daily_volume(frame: pd.DataFrame) -> pd.DataFrame:
    """Offered calls per local day and queue: ``date, queue, offered``."""
    days = frame["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    out = (
        frame.assign(date=days)
        .groupby(["date", "queue"], observed=True, sort=True)["offered"]
        .sum()
        .reset_index()
    )
    out["queue"] = out["queue"].astype(str)
    return out


def _weekday_time(stamps: pd.Series) -> tuple[pd.Series, pd.Series]:
    local = stamps.dt.tz_convert(TZ)
    return local.dt.day_of_week, local.dt.strftime("%H:%M")


def weekday_interval_mean(
    frame: pd.DataFrame, value: str = "offered", queues: Sequence[str] | None = None
) -> pd.DataFrame:
    """Mean of ``value`` (summed over ``queues``, default all) per weekday and time of day.

    Returns ``weekday`` (0 = Monday), ``time`` (``HH:MM`` local) and ``value``: the mean over
    the days that have the interval (one row per weekday and time present in the data).
    """
    if queues:
        frame = frame[frame["queue"].astype(str).isin(list(queues))]
    per_interval = frame.groupby("interval_start", sort=True)[value].sum().reset_index()
    weekday, time = _weekday_time(per_interval["interval_start"])
    out = (
        per_interval.assign(weekday=weekday, time=time)
        .groupby(["weekday", "time"], sort=True)[value]
        .mean()
        .reset_index()
    )
    return out.rename(columns={value: "value"})


def agents_heatmap(requirements: pd.DataFrame, column: str = "agents") -> pd.DataFrame:
    """Agents needed (summed over queues) per weekday and time of day, mean over the dates."""
    return weekday_interval_mean(requirements, value=column)


@st.cache_data(show_spinner=False, max_entries=8)
def _forecast(
    token: str, _frame: pd.DataFrame, model: str, start: dt.date, days: int
) -> pd.DataFrame:
    del token
    from forecast.models import infer_calendar, make_model

    calendar = infer_calendar(_frame)
    fitted = make_model(model).fit(_frame, calendar=calendar)
    return fitted.predict(pd.Timestamp(start), days)


def make_forecast(frame: pd.DataFrame, model: str, start: dt.date, days: int) -> pd.DataFrame:
    """Fit ``model`` on the history before ``start`` and forecast ``days`` days from ``start``.

    A start inside the history fits on the days before it, so the forecast can be set against
    what happened. Cached on the history's content, model, start and days.
    """
    if days < 1:
        raise ValueError(f"days must be >= 1; got {days}")
    first = pd.Timestamp(start, tz=TZ)
    train = frame[frame["interval_start"] < first].reset_index(drop=True)
    if train.empty:
        raise ValueError(f"start {start} is before the history's first day: nothing to fit on")
    return _forecast(frame_token(train), train, model, start, int(days))


def run_backtest(
    frame: pd.DataFrame, model: str, *, origins: int = 2, horizon_days: int = 7
) -> pd.DataFrame:
    """Rolling-origin backtest scores of ``model`` (one row per queue and ``ALL``)."""
    from forecast.backtest import backtest

    result = backtest(frame, (model,), horizon_days=horizon_days, origins=origins, step_days=7)
    return result.scores


def forecast_with_events(
    forecast: pd.DataFrame, events: Sequence[Event]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`forecast.events.apply_events` (no events: the forecast and an empty adjustments table)."""
    from forecast.events import apply_events

    if not events:
        return forecast, pd.DataFrame(columns=["event", "kind", "interval_start", "queue", "added"])
    return apply_events(forecast, events)


def open_stretches(stamps: pd.Series, step: pd.Timedelta | None = None) -> pd.Series:
    """A number per run of consecutive intervals (a new run after any gap: a night, a weekend,
    a closed day), so lines and bands are drawn per open stretch and never across closed
    hours. ``step``: the interval length (default: the smallest step in ``stamps``)."""
    if stamps.empty:
        return pd.Series([], index=stamps.index, dtype="int64")
    order = stamps.sort_values()
    gaps = order.diff()
    step = step if step is not None else gaps[gaps > pd.Timedelta(0)].min()
    runs = (gaps > step).cumsum() if pd.notna(step) else gaps.notna().cumsum() * 0
    return runs.reindex(stamps.index).astype("int64")


def rate_domain(values: Iterable[float], goal: float | None, pad: float = 0.02) -> list[float]:
    """The y-axis of a rate chart around its figures and its goal: from just below the lowest
    to just above the highest of both, inside [0, 1], so that a difference of a point or two is
    visible (a 0-100 % axis hides it) and the goal is always in view.

    >>> rate_domain([0.95, 0.97], 0.92)
    [0.9, 0.99]
    >>> rate_domain([0.999], None)
    [0.979, 1.0]
    """
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    points = finite + ([float(goal)] if goal is not None else [])
    if not points:
        return [0.0, 1.0]
    lo, hi = max(0.0, min(points) - pad), min(1.0, max(points) + pad)
    return [round(lo, 6), round(hi, 6)]


def forecast_vs_actual(forecast: pd.DataFrame, frame: pd.DataFrame, queue: str) -> pd.DataFrame:
    """One queue's forecast with its 80 % band and the actual calls where the history has them:
    ``interval_start`` (local, naive for charts), ``offered``, ``offered_lo``, ``offered_hi``,
    ``actual`` (NaN without actuals), ``stretch`` (`open_stretches`: charts draw each open
    stretch apart, no line across nights and weekends)."""
    fc = forecast[forecast["queue"].astype(str) == queue]
    act = frame[frame["queue"].astype(str) == queue][["interval_start", "offered"]]
    out = fc[["interval_start", "offered", "offered_lo", "offered_hi"]].merge(
        act.rename(columns={"offered": "actual"}), on="interval_start", how="left"
    )
    out["actual"] = out["actual"].astype(float)
    out["interval_start"] = out["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None)
    out = out.sort_values("interval_start").reset_index(drop=True)
    out["stretch"] = open_stretches(out["interval_start"])
    return out


def report_bytes(report: Report, suffix: str, language: str = "da") -> bytes:
    """The report as Excel (``".xlsx"``) or PDF (``".pdf"``) bytes via `write_report`, in
    ``language`` (the app's: `app_support.shell.language`)."""
    from planner.io.report_export import write_report

    with tempfile.TemporaryDirectory() as folder:
        path = write_report(report, Path(folder) / f"report{suffix}", language)
        return path.read_bytes()


def kept_number(
    state: PageState,
    where: Any,
    label: str,
    name: str,
    low: float,
    high: float,
    default: float,
    step: float,
) -> float:
    """A number input on ``where`` (``st`` or a column) kept across pages, starting on
    ``default`` (set once in the session rather than as ``value=``, which Streamlit refuses
    beside a kept session value)."""
    state.setdefault(name, default)
    value = where.number_input(label, low, high, step=step, key=state.key(name))
    state.keep(name)
    return value
