"""Rolling-origin evaluation of forecasting models: WAPE, bias, MASE and interval coverage.

For each origin (the last one ``horizon_days`` before the end of the history, the others
``step_days`` apart before it), every model is fitted on the history before the origin and
forecasts ``horizon_days`` from it; the forecasts are compared with what happened (Tashman
2000, "Out-of-sample tests of forecasting accuracy: an analysis and review", IJF 16, 437-450;
Hyndman & Athanasopoulos, FPP3 section 5.10). Known events are taken out of each training
history and added back to each forecast, as a planner would (`forecast.events`).

Measures, per model and queue over all origins (and pooled over queues as queue ``ALL``):

- ``wape_interval`` = sum |actual - forecast| / sum actual over intervals; ``wape_daily`` the
  same over queue-days (Kolassa & Schütz 2007, "Advantages of the MAD/MEAN ratio over the
  MAPE", Foresight 6: the WAPE is the MAD/mean ratio);
- ``bias`` = (sum forecast - sum actual) / sum actual;
- ``mase_interval`` and ``mase_daily``: mean absolute error divided by the in-sample mean
  absolute error of the weekly seasonal naive forecast on the 26 weeks before each origin
  (Hyndman & Koehler 2006, "Another look at measures of forecast accuracy", IJF 22, 679-688);
- ``coverage_interval`` and ``coverage_daily``: share of actuals inside the 80 % interval;
- ``aht_wape`` and ``aht_bias``: handle time, weighted by the answered calls of each interval
  (sum w |forecast - actual| / sum w actual), where the history has ``aht_seconds``.

Every call counts: calls that came outside the forecast's rows (on a day the calendar closed,
or outside a queue's window) are scored against a forecast of zero. Days without any history
row (gaps) and excluded days are left out. With ``truth`` (the generator's expected calls,
``interval_start, queue, offered_mean``), the WAPE of the true mean on the same rows is given as
``floor_wape_interval`` and ``floor_wape_daily``: no forecaster can expect to do better.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.calendar import CentreCalendar
from forecast.events import Event, apply_events, remove_events
from forecast.models import Forecaster, infer_calendar, make_model
from forecast.models._history import HistoryData, history_frame, prepare_history

__all__ = ["BacktestResult", "backtest", "rolling_origins", "score", "SCORE_COLUMNS"]

SCORE_COLUMNS = [
    "model",
    "queue",
    "origins",
    "actual_calls",
    "wape_interval",
    "wape_daily",
    "bias",
    "mase_interval",
    "mase_daily",
    "coverage_interval",
    "coverage_daily",
    "aht_wape",
    "aht_bias",
]
_SCALE_DAYS = 182


@dataclass(frozen=True)
class BacktestResult:
    """Scores and the forecasts behind them.

    Attributes
    ----------
    scores: one row per model and queue (and ``ALL``), `SCORE_COLUMNS` (+ floors with truth).
    forecasts: ``model, origin, interval_start, queue, offered, offered_lo, offered_hi,
        aht_seconds, actual, aht_weight, aht_sum`` (+ ``expected`` with truth).
    daily: the same per queue-day (``date`` instead of ``interval_start``).
    origins: the origins (first forecast day of each run).
    seconds: ``model, origin, seconds`` of fit + forecast.
    """

    scores: pd.DataFrame
    forecasts: pd.DataFrame
    daily: pd.DataFrame
    origins: list[dt.date]
    seconds: pd.DataFrame


def rolling_origins(
    first_day: dt.date,
    last_day: dt.date,
    *,
    horizon_days: int,
    origins: int,
    step_days: int = 7,
    min_train_days: int = 56,
) -> list[dt.date]:
    """Origins (first forecast days), oldest first, whose horizon ends by ``last_day``."""
    for name, value in (
        ("horizon_days", horizon_days),
        ("origins", origins),
        ("step_days", step_days),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")
    out = []
    for k in range(int(origins)):
        origin = last_day - dt.timedelta(days=int(horizon_days) - 1 + k * int(step_days))
        if (origin - first_day).days < min_train_days:
            break
        out.append(origin)
    if len(out) < int(origins):
        raise ValueError(
            f"history from {first_day} to {last_day} is too short for {origins} origins of "
            f"{horizon_days} days {step_days} days apart with at least {min_train_days} days "
            f"of training history; room for {len(out)}"
        )
    return sorted(out)


def _models(models: object) -> dict[str, Forecaster]:
    if isinstance(models, Forecaster):
        return {models.name: models}
    if isinstance(models, str):
        return {models: make_model(models)}
    if isinstance(models, Mapping):
        return {str(k): (make_model(v) if isinstance(v, str) else v) for k, v in models.items()}
    out: dict[str, Forecaster] = {}
    for item in models:  # type: ignore[attr-defined]
        model = make_model(item) if isinstance(item, str) else item
        label = item if isinstance(item, str) else model.name
        out[label] = model
    if not out:
        raise ValueError("models must name at least one model; got none")
    return out


def _actual_rows(frame: pd.DataFrame, tz: str, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Actual calls (and answered-weighted handle time) per interval and queue over ``dates``."""
    stamps = frame["interval_start"].dt.tz_convert(tz)
    day = stamps.dt.tz_localize(None).dt.normalize()
    sel = ((day >= dates[0]) & (day <= dates[-1])).to_numpy()
    offered = pd.to_numeric(frame["offered"]).to_numpy(dtype=float)[sel]
    out = pd.DataFrame(
        {
            "interval_start": stamps[sel].reset_index(drop=True),
            "queue": frame["queue"].astype(str).to_numpy()[sel],
            "actual": offered,
            "aht_weight": 0.0,
            "aht_sum": 0.0,
        }
    )
    if "aht_seconds" in frame.columns:
        aht = pd.to_numeric(frame["aht_seconds"], errors="coerce").to_numpy(dtype=float)[sel]
        source = "answered" if "answered" in frame.columns else "offered"
        weight = pd.to_numeric(frame[source], errors="coerce").to_numpy(dtype=float)[sel]
        ok = np.isfinite(aht) & np.isfinite(weight) & (weight > 0)
        out["aht_weight"] = np.where(ok, weight, 0.0)
        out["aht_sum"] = np.where(ok, aht * weight, 0.0)
    return out.groupby(["interval_start", "queue"], as_index=False)[
        ["actual", "aht_weight", "aht_sum"]
    ].sum()


def _naive_scale(data: HistoryData) -> tuple[np.ndarray, np.ndarray]:
    """Per queue: in-sample MAE of the weekly seasonal naive, per interval and per day."""
    n_q = len(data.queues)
    counts = np.where(data.window, data.counts, 0.0)
    usable = data.usable
    lo = max(len(data.days) - _SCALE_DAYS, 7)
    s_int = np.full(n_q, np.nan)
    s_day = np.full(n_q, np.nan)
    for q in range(n_q):
        d = np.arange(lo, len(data.days))
        d = d[usable[q, d] & usable[q, d - 7]]
        if not len(d):
            continue
        both = data.window[q, d] & data.window[q, d - 7]
        diff = np.abs(counts[q, d] - counts[q, d - 7])
        s_int[q] = diff[both].mean() if both.any() else np.nan
        s_day[q] = np.abs(counts[q, d].sum(axis=1) - counts[q, d - 7].sum(axis=1)).mean()
    return s_int, s_day


def _expected_calls(truth: pd.DataFrame | None, tz: str) -> pd.DataFrame | None:
    """The truth's expected calls as ``interval_start`` (in ``tz``), ``queue``, ``expected``.

    None without truth.
    """
    if truth is None:
        return None
    expected = truth[["interval_start", "queue", "offered_mean"]].copy()
    expected["interval_start"] = expected["interval_start"].dt.tz_convert(tz)
    expected["queue"] = expected["queue"].astype(str)
    return expected.rename(columns={"offered_mean": "expected"})


def _fit_and_forecast(
    model: Forecaster,
    train: HistoryData,
    origin: dt.date,
    horizon_days: int,
    level: float,
    events: list[Event],
    calendar: CentreCalendar,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A clone of ``model`` fitted on ``train``: its interval and daily forecasts from ``origin``.

    The model's warnings are silenced; known ``events`` are added back to both forecasts
    (`forecast.events.apply_events`), as a planner would.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.clone().fit_prepared(train, events=events)
        fc = fitted.predict(origin, horizon_days, level=level)
        daily = fitted.predict_daily(origin, horizon_days, level=level)
    if events:
        fc, _ = apply_events(fc, events, calendar=calendar)
        daily = _apply_daily(daily, events, calendar)
    return fc, daily


def _interval_rows(
    fc: pd.DataFrame,
    actual: pd.DataFrame,
    keep_days: pd.DatetimeIndex,
    expected: pd.DataFrame | None,
    scale: pd.Series,
    label: str,
    origin: dt.date,
) -> pd.DataFrame:
    """One run's rows per interval and queue: the forecast beside what happened.

    An outer join, so that every call counts (a forecast or actual that is missing is 0); only
    the days ``keep_days``; with the truth's ``expected`` calls (0 where it has none) and each
    queue's MASE ``scale`` (`_naive_scale`); labelled with ``model`` and ``origin`` first.
    """
    rows = fc.merge(actual, on=["interval_start", "queue"], how="outer")
    for col in ("offered", "offered_lo", "offered_hi", "actual", "aht_weight", "aht_sum"):
        rows[col] = rows[col].fillna(0.0)
    rows["date"] = rows["interval_start"].dt.tz_localize(None).dt.normalize()
    rows = rows[rows["date"].isin(keep_days)]
    if expected is not None:
        rows = rows.merge(expected, on=["interval_start", "queue"], how="left")
        rows["expected"] = rows["expected"].fillna(0.0)
    rows["scale"] = rows["queue"].map(scale)
    rows.insert(0, "origin", origin)
    rows.insert(0, "model", label)
    return rows


def _daily_rows(
    daily: pd.DataFrame,
    rows: pd.DataFrame,
    keep_days: pd.DatetimeIndex,
    expected: pd.DataFrame | None,
    scale: pd.Series,
    label: str,
    origin: dt.date,
) -> pd.DataFrame:
    """One run's rows per queue-day: the daily forecast beside the day sums of ``rows``.

    The actual (and expected) calls of a queue-day are the sums over its interval ``rows``
    (`_interval_rows`); outer join, missing values 0, only ``keep_days``, with each queue's
    daily MASE ``scale``; labelled with ``model`` and ``origin`` first.
    """
    agg = {"actual": ("actual", "sum")}
    if expected is not None:
        agg["expected"] = ("expected", "sum")
    day_actual = rows.groupby(["date", "queue"], as_index=False).agg(**agg)
    daily["date"] = pd.to_datetime(daily["date"])
    dd = daily.merge(day_actual, on=["date", "queue"], how="outer")
    for col in ("offered", "offered_lo", "offered_hi", "actual"):
        dd[col] = dd[col].fillna(0.0)
    if expected is not None:
        dd["expected"] = dd["expected"].fillna(0.0)
    dd = dd[dd["date"].isin(keep_days)]
    dd["scale"] = dd["queue"].map(scale)
    dd.insert(0, "origin", origin)
    dd.insert(0, "model", label)
    return dd


def backtest(
    history: object,
    models: object = ("auto",),
    *,
    horizon_days: int = 14,
    origins: int = 8,
    step_days: int = 7,
    calendar: CentreCalendar | None = None,
    events: Sequence[Event] | None = None,
    exclude_days: Iterable[object] | None = None,
    truth: pd.DataFrame | None = None,
    level: float = 0.8,
    progress: bool = False,
) -> BacktestResult:
    """Rolling-origin backtest of ``models`` on ``history`` (see the module docstring).

    ``models``: model names, instances, or a mapping label -> name/instance. ``calendar``:
    default learned from the whole history (`infer_calendar`, Danish holidays). ``truth``:
    the expected calls ``interval_start, queue, offered_mean`` for the floors.
    """
    frame = history_frame(history)
    table = _models(models)
    calendar = calendar if calendar is not None else infer_calendar(frame)
    events = list(events or [])
    skip = list(exclude_days or [])
    data_raw = prepare_history(frame, calendar, exclude_days=skip)
    data_fit = (
        prepare_history(remove_events(frame, events), calendar, exclude_days=skip)
        if events
        else data_raw
    )
    origin_list = rolling_origins(
        data_raw.first_day,
        data_raw.last_day,
        horizon_days=horizon_days,
        origins=origins,
        step_days=step_days,
    )
    valid_day = data_raw.has_data & ~data_raw.excluded
    expected = _expected_calls(truth, calendar.tz)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(origin_list) * len(table), desc="backtest", file=sys.stderr)
    interval_parts, daily_parts, timing = [], [], []
    for origin in origin_list:
        train = data_fit.until(origin - dt.timedelta(days=1))
        scale_int, scale_day = (
            pd.Series(scale, index=list(data_raw.queues))
            for scale in _naive_scale(data_raw.until(origin - dt.timedelta(days=1)))
        )
        dates = pd.date_range(origin, periods=horizon_days, freq="D")
        keep_days = dates[valid_day[np.searchsorted(data_raw.days, dates)]]
        actual = _actual_rows(frame, calendar.tz, dates)
        for label, model in table.items():
            t0 = time.perf_counter()
            fc, daily = _fit_and_forecast(
                model, train, origin, horizon_days, level, events, calendar
            )
            timing.append({"model": label, "origin": origin, "seconds": time.perf_counter() - t0})
            rows = _interval_rows(fc, actual, keep_days, expected, scale_int, label, origin)
            interval_parts.append(rows)
            daily_parts.append(
                _daily_rows(daily, rows, keep_days, expected, scale_day, label, origin)
            )
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    forecasts = pd.concat(interval_parts, ignore_index=True)
    daily_all = pd.concat(daily_parts, ignore_index=True)
    return BacktestResult(
        scores=score(forecasts, daily_all),
        forecasts=forecasts.drop(columns=["date", "scale"]),
        daily=daily_all.drop(columns=["scale"]),
        origins=origin_list,
        seconds=pd.DataFrame(timing),
    )


def _apply_daily(
    daily: pd.DataFrame, events: Sequence[Event], calendar: CentreCalendar
) -> pd.DataFrame:
    """Events on daily totals: the daily rows as one interval per day (same arithmetic)."""
    frame = daily.copy()
    frame["interval_start"] = pd.DatetimeIndex(pd.to_datetime(frame["date"])).tz_localize(
        calendar.tz
    )
    adjusted, _ = apply_events(frame, events, calendar=calendar)
    return adjusted.drop(columns=["interval_start"])


def _measures(rows: pd.DataFrame, days: pd.DataFrame, floors: bool) -> dict[str, float]:
    y, f = rows["actual"].to_numpy(), rows["offered"].to_numpy()
    Y, F = days["actual"].to_numpy(), days["offered"].to_numpy()
    total = y.sum()
    day_total = Y.sum()
    scale_i = rows["scale"].to_numpy()
    scale_d = days["scale"].to_numpy()
    ok_i = np.isfinite(scale_i) & (scale_i > 0)
    ok_d = np.isfinite(scale_d) & (scale_d > 0)
    out = {
        "origins": int(rows["origin"].nunique()),
        "actual_calls": float(total),
        "wape_interval": float(np.abs(y - f).sum() / total) if total > 0 else np.nan,
        "wape_daily": float(np.abs(Y - F).sum() / day_total) if day_total > 0 else np.nan,
        "bias": float((f.sum() - total) / total) if total > 0 else np.nan,
        "mase_interval": float(np.abs(y - f)[ok_i].sum() / scale_i[ok_i].sum())
        if ok_i.any()
        else np.nan,
        "mase_daily": float(np.abs(Y - F)[ok_d].sum() / scale_d[ok_d].sum())
        if ok_d.any()
        else np.nan,
        "coverage_interval": float(
            ((y >= rows["offered_lo"].to_numpy()) & (y <= rows["offered_hi"].to_numpy())).mean()
        )
        if len(y)
        else np.nan,
        "coverage_daily": float(
            ((Y >= days["offered_lo"].to_numpy()) & (Y <= days["offered_hi"].to_numpy())).mean()
        )
        if len(Y)
        else np.nan,
    }
    w = rows["aht_weight"].to_numpy() if "aht_weight" in rows.columns else np.zeros(len(rows))
    if (w > 0).any():
        a = rows["aht_sum"].to_numpy()[w > 0] / w[w > 0]
        f_aht = rows["aht_seconds"].to_numpy()[w > 0]
        ok = np.isfinite(f_aht)
        out["aht_wape"] = float(
            (w[w > 0][ok] * np.abs(f_aht[ok] - a[ok])).sum() / (w[w > 0][ok] * a[ok]).sum()
        )
        out["aht_bias"] = float(
            (w[w > 0][ok] * (f_aht[ok] - a[ok])).sum() / (w[w > 0][ok] * a[ok]).sum()
        )
    else:
        out["aht_wape"] = np.nan
        out["aht_bias"] = np.nan
    if floors:
        e = rows["expected"].to_numpy()
        E = days["expected"].to_numpy()
        out["floor_wape_interval"] = float(np.abs(y - e).sum() / total) if total > 0 else np.nan
        out["floor_wape_daily"] = (
            float(np.abs(Y - E).sum() / day_total) if day_total > 0 else np.nan
        )
        out["floor_bias"] = float((e.sum() - total) / total) if total > 0 else np.nan
    return out


def score(forecasts: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Scores per model and queue, plus ``ALL`` (pooled over queues), from backtest rows.

    ``forecasts`` needs ``model, origin, queue, offered, offered_lo, offered_hi, actual,
    scale`` (``expected`` for the floors); ``daily`` the same per queue-day.
    """
    floors = "expected" in forecasts.columns
    rows = []
    for model, part in forecasts.groupby("model", sort=False):
        days = daily[daily["model"] == model]
        for queue, sub in part.groupby("queue", sort=False):
            rows.append(
                {"model": model, "queue": queue}
                | _measures(sub, days[days["queue"] == queue], floors)
            )
        rows.append({"model": model, "queue": "ALL"} | _measures(part, days, floors))
    out = pd.DataFrame(rows)
    if floors:
        out["wape_interval_vs_floor"] = out["wape_interval"] / out["floor_wape_interval"] - 1
        out["wape_daily_vs_floor"] = out["wape_daily"] / out["floor_wape_daily"] - 1
    return out
