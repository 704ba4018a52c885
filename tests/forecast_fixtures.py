"""Small, fully known call histories for the forecasting tests (independent of the generator).

Calls per queue and day are Poisson with mean ``base * weekday factor * (1 + payday_lift on the
first working day of the month)``, spread over the open intervals of the calendar with a fixed
shape (a late-morning peak); the handle time is a constant per queue. Every number a test checks
is written here, so the tests compare the models with this closed form, not with themselves.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from forecast.calendar import CentreCalendar, day_intervals

WEEKDAY_FACTOR = (1.3, 1.0, 0.9, 1.0, 0.8, 0.6, 0.6)


def shape(minutes: np.ndarray) -> np.ndarray:
    """Relative rate by clock minute: a peak at 11:00 on a floor of 0.5."""
    return 0.5 + np.exp(-0.5 * ((minutes - 660.0) / 120.0) ** 2)


def expected_daily(
    calendar: CentreCalendar, day: dt.date, base: float, payday_lift: float
) -> float:
    """Expected calls of a queue on ``day`` under the fixture's model (0 when closed)."""
    if calendar.is_closed(day):
        return 0.0
    lift = payday_lift if calendar.working_day_rank(day) == 1 else 0.0
    return base * WEEKDAY_FACTOR[day.weekday()] * (1.0 + lift)


def make_history(
    start: str,
    end: str,
    *,
    queues: dict[str, float] | None = None,
    calendar: CentreCalendar | None = None,
    freq: int = 60,
    payday_lift: float = 0.0,
    aht: float = 240.0,
    seed: int = 0,
) -> pd.DataFrame:
    """History contract rows for every open interval of every queue from start to end."""
    calendar = calendar or CentreCalendar()
    queues = queues or {"Dagpenge": 200.0}
    rng = np.random.default_rng(seed)
    per_day = 1440 // freq
    starts = np.arange(0, 1440, freq)
    stamps: list[pd.DatetimeIndex] = []
    naive: list[np.ndarray] = []
    rows_q: list[str] = []
    means: list[np.ndarray] = []
    for day in pd.date_range(start, end, freq="D").date:
        dst_day = len(day_intervals(day, freq, calendar.tz)) != per_day
        for queue, base in queues.items():
            daily = expected_daily(calendar, day, base, payday_lift)
            if dst_day:
                grid = calendar.open_intervals(day, queue, freq)
                minutes = grid.hour.to_numpy() * 60 + grid.minute.to_numpy()
            else:
                keep = np.zeros(len(starts), dtype=bool)
                for w_from, w_to in calendar.queue_windows(day, queue):
                    keep |= (starts >= w_from) & (starts < w_to)
                minutes = starts[keep]
                grid = None
            if not len(minutes):
                continue
            weights = shape(minutes)
            means.append(daily * weights / weights.sum())
            rows_q += [queue] * len(minutes)
            if grid is None:
                naive.append(np.datetime64(day) + minutes.astype("timedelta64[m]"))
                stamps.append(None)  # placeholder: localised below, in order
            else:
                naive.append(np.array([], dtype="datetime64[m]"))
                stamps.append(grid)
    # Ordinary days are localised in one call (no ambiguous or missing clock times on them).
    ordinary = pd.DatetimeIndex(np.concatenate(naive)).tz_localize(calendar.tz)
    parts, pos = [], 0
    for n_arr, grid in zip(naive, stamps):
        if grid is None:
            parts.append(ordinary[pos : pos + len(n_arr)])
            pos += len(n_arr)
        else:
            parts.append(grid.as_unit(ordinary.unit))
    index = parts[0].append(parts[1:])
    offered = rng.poisson(np.concatenate(means))
    return pd.DataFrame(
        {
            "interval_start": index,
            "queue": rows_q,
            "offered": offered,
            "answered": offered,
            "aht_seconds": np.where(offered > 0, aht, np.nan),
        }
    )


def daily_totals(forecast: pd.DataFrame) -> pd.Series:
    """Forecast calls per (local date, queue)."""
    day = forecast["interval_start"].dt.tz_localize(None).dt.normalize().dt.date
    return forecast.groupby([day, forecast["queue"]])["offered"].sum()
