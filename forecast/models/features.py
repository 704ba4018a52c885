"""Calendar features of days: weekday, season, trend, payday rank, days after a closure.

These are the regressors of the daily count model (`forecast.models.glm`) and the day types of
the intraday profiles. Everything is computed from a `CentreCalendar`, so a centre with another
week, other holidays or other hours gets its own features.

- ``rank``: the rank of the day among the open days of its month (1 = first working day = the
  payday peak, because benefits are paid on banking days; 0 on closed days). Same definition as
  `CentreCalendar.working_day_rank`, computed for a whole span at once.
- ``after_closure``: the first open day after a closure that is not the regular weekly one (a
  holiday or the centre's own closing day, possibly with a weekend in between): the backlog
  of a long weekend arrives on that day.
- ``season``: periodic piecewise-linear "hat" functions centred on the middle of each month
  (a monthly season that changes smoothly from month to month), or Fourier terms.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from forecast.calendar import CentreCalendar

__all__ = ["day_table", "season_basis", "WEEKLY_REASONS"]

#: Closing reasons of `CentreCalendar.closing_reason` that are the regular weekly closure.
WEEKLY_REASONS = ("weekend", "closed weekday")

_MID_MONTH = np.array([pd.Timestamp(2001, m, 15).day_of_year - 1.0 for m in range(1, 13)])


def day_table(calendar: CentreCalendar, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per date from ``start`` to ``end``: weekday, closed, reason, rank, after_closure.

    The index is the naive daily DatetimeIndex. Ranks look back to the first of ``start``'s
    month and ``after_closure`` up to 31 days before ``start``, so any span gives the same
    values as the whole calendar would.
    """
    start = pd.Timestamp(start).date()
    end = pd.Timestamp(end).date()
    lead_from = min(start.replace(day=1), start - dt.timedelta(days=31))
    days = pd.date_range(lead_from, end, freq="D")
    reasons = [calendar.closing_reason(d) for d in days.date]
    closed = np.array([r is not None for r in reasons])
    irregular = np.array([r is not None and r not in WEEKLY_REASONS for r in reasons])
    month_key = days.year.to_numpy() * 12 + days.month.to_numpy()
    open_int = (~closed).astype(int)
    rank = pd.Series(open_int).groupby(month_key).cumsum().to_numpy() * open_int
    after = np.zeros(len(days), dtype=bool)
    saw_irregular = False
    for i in range(len(days)):
        if closed[i]:
            saw_irregular = saw_irregular or irregular[i]
            continue
        after[i] = saw_irregular
        saw_irregular = False
    table = pd.DataFrame(
        {
            "weekday": days.day_of_week.to_numpy(),
            "closed": closed,
            "reason": pd.Series(reasons, dtype=object).to_numpy(),
            "rank": rank.astype(int),
            "after_closure": after,
        },
        index=days,
    )
    return table.loc[pd.Timestamp(start) :]


def season_basis(days: pd.DatetimeIndex, kind: str = "monthly", order: int = 3) -> np.ndarray:
    """Yearly season regressors, one column per basis function.

    ``"monthly"``: 12 periodic hat functions peaking on the 15th of each month and falling
    linearly to zero at the neighbouring mid-months (they sum to 1 on every day, so a model
    with an intercept drops one). ``"fourier"``: ``sin/cos(2 pi k t / 365.25)``, k = 1..order.
    """
    doy = days.day_of_year.to_numpy().astype(float) - 1.0
    if kind == "monthly":
        xs = np.concatenate([[_MID_MONTH[-1] - 365.0], _MID_MONTH, [_MID_MONTH[0] + 365.0]])
        cols = []
        for m in range(12):
            ys = np.zeros(14)
            ys[m + 1] = 1.0
            if m == 0:
                ys[13] = 1.0
            if m == 11:
                ys[0] = 1.0
            cols.append(np.interp(doy, xs, ys))
        return np.column_stack(cols)
    if kind == "fourier":
        t = 2.0 * np.pi * doy / 365.25
        cols = []
        for k in range(1, order + 1):
            cols += [np.sin(k * t), np.cos(k * t)]
        return np.column_stack(cols) if cols else np.zeros((len(days), 0))
    if kind == "none":
        return np.zeros((len(days), 0))
    raise ValueError(f"season must be 'monthly', 'fourier' or 'none'; got {kind!r}")
