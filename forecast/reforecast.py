"""Intraday reforecast: the rest of today, updated with the calls seen so far.

Method (a conjugate Bayesian update of the day's level). Calls of a queue are mixed Poisson:
given the day's level ``G`` (mean 1), the calls of interval i are Poisson with mean
``G * f[i]``, where ``f`` is the forecast; ``G`` varies from day to day as a gamma variable with
shape ``k = 1 / cv^2`` (cv: the day-to-day coefficient of variation of the level, the
"doubly stochastic" arrivals of Jongbloed & Koole 2001, "Managing uncertainty in call centres
using Poisson mixtures", Applied Stochastic Models in Business and Industry 17, 307-318).
Having seen ``A`` calls in the finished intervals of today, for which ``F`` were forecast, the
level's posterior is Gamma(``k + A``, rate ``k + F``), so

    factor = (k + A) / (k + F)

scales the rest of the day: the ratio of actual to forecast, shrunk towards 1 with ``k``
pseudo-calls (few calls seen: the forecast stands; many: the day's own level takes over). The
calls of a remaining interval are then negative binomial with mean ``factor * f[i]`` and
dispersion ``1 / (k + A)`` (the posterior's squared coefficient of variation), from which the
80 % interval is taken (mid-quantiles, `forecast.models.intervals`). This is the scaling of the
remaining profile used in call-centre practice (Gans, Koole & Mandelbaum 2003, MSOM 5(2)
section 3.3), with the shrinkage made explicit; Weinberg, Brown & Stroud (2007, "Bayesian
forecasting of an inhomogeneous Poisson process with applications to call center data", JASA
102, 1185-1198) give the fuller model this simplifies.

Handle time: the answered-weighted mean of today's handle times against the forecast's, shrunk
the same way with ``aht_prior_calls`` pseudo-calls, scales the rest of the day's handle times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.models._history import detect_freq
from forecast.models.intervals import combine_dispersion, nb_interval

__all__ = ["Reforecast", "reforecast_intraday"]


@dataclass(frozen=True)
class Reforecast:
    """The updated rest of the day and the update per queue.

    Attributes
    ----------
    forecast: the forecast contract for today's intervals that have not finished at ``now``.
    factors: ``queue, forecast_so_far, actual_so_far, factor, aht_factor`` per queue.
    """

    forecast: pd.DataFrame
    factors: pd.DataFrame


def reforecast_intraday(
    forecast: pd.DataFrame,
    actuals: pd.DataFrame,
    now: object,
    *,
    day_cv: float | Mapping[str, float] = 0.1,
    interval_dispersion: float = 0.0,
    aht_prior_calls: float = 50.0,
    level: float = 0.8,
) -> Reforecast:
    """Update the rest of ``now``'s day from the calls of its finished intervals.

    Parameters
    ----------
    forecast: the forecast contract (at least today's rows).
    actuals: today's history rows so far (``interval_start, queue, offered``; optional
        ``aht_seconds`` and ``answered``). A finished interval without a row counts as 0 calls.
    now: the current time (tz-aware, or naive local time in the forecast's time zone).
    day_cv: day-to-day coefficient of variation of a queue's level (one value or per queue);
        the prior's strength is ``1 / day_cv^2`` calls. The generator of the default data uses
        about 0.11; a model's day-level dispersion ``a`` gives ``sqrt(a)``.
    interval_dispersion: extra dispersion of single intervals (0: Poisson given the level).
    aht_prior_calls: pseudo-calls of the handle-time update.
    level: coverage of the prediction interval.
    """
    if not len(forecast):
        raise ValueError("forecast must have rows; got an empty table")
    stamps = forecast["interval_start"]
    if not isinstance(stamps.dtype, pd.DatetimeTZDtype):
        raise ValueError("forecast's interval_start must be tz-aware timestamps")
    tz = stamps.dt.tz
    now_ts = pd.Timestamp(now)
    now_ts = now_ts.tz_localize(tz) if now_ts.tzinfo is None else now_ts.tz_convert(tz)
    if not interval_dispersion >= 0:
        raise ValueError(f"interval_dispersion must be >= 0; got {interval_dispersion!r}")
    freq = pd.Timedelta(minutes=detect_freq(stamps))
    today = now_ts.tz_localize(None).normalize()
    local_day = stamps.dt.tz_localize(None).dt.normalize()
    fc = forecast[local_day == today].copy()
    if not len(fc):
        raise ValueError(f"forecast has no rows on {today.date()}, the day of now={now_ts}")
    fc["queue"] = fc["queue"].astype(str)
    done = (fc["interval_start"] + freq) <= now_ts

    act = actuals.copy()
    act["queue"] = act["queue"].astype(str)
    act_stamps = act["interval_start"]
    if not isinstance(act_stamps.dtype, pd.DatetimeTZDtype):
        raise ValueError("actuals' interval_start must be tz-aware timestamps")
    act["interval_start"] = act_stamps.dt.tz_convert(tz)
    act = act[(act["interval_start"] + freq) <= now_ts]
    act = act[act["interval_start"].dt.tz_localize(None).dt.normalize() == today]

    rows = []
    parts = []
    for queue, part in fc.groupby("queue", sort=False):
        cv = day_cv.get(queue, 0.1) if isinstance(day_cv, Mapping) else day_cv
        if not cv > 0:
            raise ValueError(f"day_cv must be > 0; got {cv!r} for queue {queue!r}")
        shape = 1.0 / cv**2
        seen = act[act["queue"] == queue]
        f_so_far = float(part.loc[done[part.index], "offered"].sum())
        a_so_far = float(pd.to_numeric(seen["offered"]).sum())
        factor = (shape + a_so_far) / (shape + f_so_far)
        aht_factor = _aht_factor(part[done[part.index]], seen, aht_prior_calls)
        rest = part[~done[part.index]].copy()
        rest["offered"] = rest["offered"].to_numpy(dtype=float) * factor
        alpha = combine_dispersion(1.0 / (shape + a_so_far), interval_dispersion)
        lo, hi = nb_interval(rest["offered"].to_numpy(), alpha, level)
        rest["offered_lo"] = lo
        rest["offered_hi"] = hi
        rest["aht_seconds"] = rest["aht_seconds"].to_numpy(dtype=float) * aht_factor
        parts.append(rest)
        rows.append(
            {
                "queue": queue,
                "forecast_so_far": f_so_far,
                "actual_so_far": a_so_far,
                "factor": factor,
                "aht_factor": aht_factor,
            }
        )
    out = pd.concat(parts).sort_values(["interval_start"], kind="stable").reset_index(drop=True)
    return Reforecast(forecast=out[list(forecast.columns)], factors=pd.DataFrame(rows))


def _aht_factor(done_rows: pd.DataFrame, seen: pd.DataFrame, prior_calls: float) -> float:
    """Shrunk ratio of today's answered-weighted handle time to the forecast's."""
    if "aht_seconds" not in seen.columns or not len(seen) or not len(done_rows):
        return 1.0
    merged = seen.merge(
        done_rows[["interval_start", "aht_seconds"]].rename(columns={"aht_seconds": "fc"}),
        on="interval_start",
        how="inner",
    )
    aht = pd.to_numeric(merged["aht_seconds"], errors="coerce").to_numpy(dtype=float)
    weight_col = "answered" if "answered" in merged.columns else "offered"
    weight = pd.to_numeric(merged[weight_col], errors="coerce").to_numpy(dtype=float)
    fc = merged["fc"].to_numpy(dtype=float)
    ok = np.isfinite(aht) & np.isfinite(weight) & (weight > 0) & np.isfinite(fc) & (fc > 0)
    if not ok.any():
        return 1.0
    w, a, f = weight[ok], aht[ok], fc[ok]
    ref = float((w * f).sum() / w.sum())
    return float(((w * a).sum() + prior_calls * ref) / ((w * f).sum() + prior_calls * ref))
