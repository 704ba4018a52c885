"""A history table turned into the dense arrays every model shares.

The history contract (DESIGN.md) is long: one row per queue and interval. The models work on
three-dimensional arrays ``[queue, day, slot]`` where a *slot* is a wall-clock interval of the
local day (slot ``s`` starts at ``s * freq`` minutes after local midnight). Wall-clock slots
make the daily profile the same object on every day; the DST days differ only in which slots
exist (the spring day lacks an hour, the autumn day has one twice: its two intervals are added
into one slot here, and get the slot's share each when a forecast is laid out on the real grid).

Inside a queue's window (`CentreCalendar.queue_windows`) on a day that has any history row, an
interval without a row counts as zero calls (exports leave out empty intervals); a day without
any row is a gap and is never used as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from forecast.calendar import CentreCalendar

__all__ = ["HistoryData", "history_frame", "detect_freq", "prepare_history", "window_mask"]

ALLOWED_FREQ = (5, 15, 30, 60)


def history_frame(history: object) -> pd.DataFrame:
    """The history table: ``history`` itself, or its ``frame`` (a LoadedHistory)."""
    frame = getattr(history, "frame", history)
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(
            "history must be a DataFrame in the history contract (interval_start, queue, "
            f"offered, ...) or a LoadedHistory; got {type(history).__name__}"
        )
    missing = [c for c in ("interval_start", "queue", "offered") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"history must have the columns interval_start, queue and offered; missing "
            f"{', '.join(missing)} (columns found: {', '.join(map(str, frame.columns))})"
        )
    if len(frame) == 0:
        raise ValueError("history must have at least one row; got an empty table")
    stamps = frame["interval_start"]
    if not isinstance(stamps.dtype, pd.DatetimeTZDtype):
        raise ValueError(
            "history's interval_start must be tz-aware timestamps (load files with "
            f"planner.io.history.load_history, which localises them); got dtype {stamps.dtype}"
        )
    offered = pd.to_numeric(frame["offered"], errors="coerce")
    if offered.isna().any() or (offered < 0).any():
        raise ValueError("history's offered must be numbers >= 0 on every row")
    return frame


def detect_freq(stamps: pd.Series | pd.DatetimeIndex) -> int:
    """Interval length in minutes: the greatest common divisor of the clock minutes and a day."""
    index = pd.DatetimeIndex(stamps)
    minutes = np.unique(index.hour.to_numpy() * 60 + index.minute.to_numpy())
    step = int(np.gcd.reduce(np.append(minutes, 1440)))
    for freq in sorted(ALLOWED_FREQ, reverse=True):
        if step % freq == 0:
            return freq
    raise ValueError(
        f"interval starts must lie on a 5, 15, 30 or 60-minute grid; the clock minutes of "
        f"history share a step of {step} minutes"
    )


def window_mask(windows: Iterable[tuple[int, int]], freq: int) -> np.ndarray:
    """Boolean slot mask of a day for windows given as (from, to) minutes after midnight."""
    starts = np.arange(0, 1440, freq)
    mask = np.zeros(len(starts), dtype=bool)
    for w_from, w_to in windows:
        mask |= (starts >= w_from) & (starts < w_to)
    return mask


def calendar_windows(
    calendar: CentreCalendar, queues: tuple[str, ...], days: pd.DatetimeIndex, freq: int
) -> np.ndarray:
    """``[queue, day, slot]`` mask of the calendar's open slots (a closed day has none)."""
    out = np.zeros((len(queues), len(days), 1440 // freq), dtype=bool)
    cache: dict[tuple[tuple[int, int], ...], np.ndarray] = {}
    for d, day in enumerate(days.date):
        for q, queue in enumerate(queues):
            key = tuple(calendar.queue_windows(day, queue))
            if key not in cache:
                cache[key] = window_mask(key, freq)
            out[q, d] = cache[key]
    return out


@dataclass(frozen=True)
class HistoryData:
    """History as arrays over ``[queue, day, slot]`` (see the module docstring).

    Attributes
    ----------
    calendar: the centre's calendar (given, or inferred from the history).
    queues: queue names in the order of their first appearance.
    freq: interval length in minutes; ``slots = 1440 // freq``.
    days: every local date from the first to the last day of the history (naive, daily).
    counts: offered calls; zero where no row was given.
    window: the calendar's open slots per queue and day.
    has_data: days with at least one history row.
    excluded: days marked as anomalies (left out of every fit).
    aht_sum, aht_weight: handle-time sums weighted by answered calls (offered when the history
        has no ``answered``) and their weights; both zero without ``aht_seconds``.
    """

    calendar: CentreCalendar
    queues: tuple[str, ...]
    freq: int
    days: pd.DatetimeIndex
    counts: np.ndarray
    window: np.ndarray
    has_data: np.ndarray
    excluded: np.ndarray
    aht_sum: np.ndarray
    aht_weight: np.ndarray

    @property
    def tz(self) -> str:
        return self.calendar.tz

    @property
    def first_day(self) -> dt.date:
        return self.days[0].date()

    @property
    def last_day(self) -> dt.date:
        return self.days[-1].date()

    @property
    def has_aht(self) -> bool:
        return bool(self.aht_weight.any())

    @property
    def usable(self) -> np.ndarray:
        """``[queue, day]``: open for the queue, with data, not excluded: days a model may fit."""
        return self.window.any(axis=2) & (self.has_data & ~self.excluded)[None, :]

    def daily(self) -> np.ndarray:
        """``[queue, day]`` calls inside the queue's window; NaN where the day is not usable."""
        total = np.where(self.window, self.counts, 0.0).sum(axis=2)
        return np.where(self.usable, total, np.nan)

    def until(self, last_day: dt.date | str | pd.Timestamp) -> HistoryData:
        """The history up to and including ``last_day`` (for rolling origins)."""
        stop = int(np.searchsorted(self.days, pd.Timestamp(last_day), side="right"))
        if stop < 1:
            raise ValueError(f"no history on or before {last_day}")
        return replace(
            self,
            days=self.days[:stop],
            counts=self.counts[:, :stop],
            window=self.window[:, :stop],
            has_data=self.has_data[:stop],
            excluded=self.excluded[:stop],
            aht_sum=self.aht_sum[:, :stop],
            aht_weight=self.aht_weight[:, :stop],
        )

    def with_calendar(self, calendar: CentreCalendar) -> HistoryData:
        """The same history seen through another calendar (windows recomputed)."""
        window = calendar_windows(calendar, self.queues, self.days, self.freq)
        return replace(self, calendar=calendar, window=window)


def _as_dates(values: Iterable[object] | None) -> set[dt.date]:
    out: set[dt.date] = set()
    for value in values or ():
        out.add(pd.Timestamp(value).date())
    return out


def prepare_history(
    history: object,
    calendar: CentreCalendar,
    *,
    exclude_days: Iterable[object] | None = None,
    freq_minutes: int | None = None,
) -> HistoryData:
    """Arrays of ``history`` under ``calendar`` (times converted to the calendar's time zone)."""
    frame = history_frame(history)
    local = frame["interval_start"].dt.tz_convert(calendar.tz)
    freq = detect_freq(local) if freq_minutes is None else int(freq_minutes)
    if freq not in ALLOWED_FREQ:
        raise ValueError(f"freq_minutes must be 5, 15, 30 or 60; got {freq_minutes!r}")
    naive = local.dt.tz_localize(None)
    dates = naive.dt.normalize()
    days = pd.date_range(dates.min(), dates.max(), freq="D")
    queues = tuple(str(q) for q in pd.unique(frame["queue"].astype(str)))
    q_idx = pd.Index(queues).get_indexer(frame["queue"].astype(str))
    d_idx = ((dates - days[0]) // pd.Timedelta(days=1)).to_numpy().astype(np.int64)
    minute = naive.dt.hour.to_numpy() * 60 + naive.dt.minute.to_numpy()
    s_idx = (minute // freq).astype(np.int64)
    shape = (len(queues), len(days), 1440 // freq)

    offered = pd.to_numeric(frame["offered"]).to_numpy(dtype=float)
    counts = np.zeros(shape)
    np.add.at(counts, (q_idx, d_idx, s_idx), offered)
    has_data = np.zeros(len(days), dtype=bool)
    has_data[np.unique(d_idx)] = True

    aht_sum = np.zeros(shape)
    aht_weight = np.zeros(shape)
    if "aht_seconds" in frame.columns:
        aht = pd.to_numeric(frame["aht_seconds"], errors="coerce").to_numpy(dtype=float)
        if "answered" in frame.columns:
            weight = pd.to_numeric(frame["answered"], errors="coerce").to_numpy(dtype=float)
        else:
            weight = offered.copy()
        ok = np.isfinite(aht) & (aht > 0) & np.isfinite(weight) & (weight > 0)
        np.add.at(aht_sum, (q_idx[ok], d_idx[ok], s_idx[ok]), aht[ok] * weight[ok])
        np.add.at(aht_weight, (q_idx[ok], d_idx[ok], s_idx[ok]), weight[ok])

    excluded = np.zeros(len(days), dtype=bool)
    skip = _as_dates(exclude_days)
    if skip:
        excluded = np.isin(days.date, np.array(sorted(skip), dtype=object))
    window = calendar_windows(calendar, queues, days, freq)
    return HistoryData(
        calendar=calendar,
        queues=queues,
        freq=freq,
        days=days,
        counts=counts,
        window=window,
        has_data=has_data,
        excluded=excluded,
        aht_sum=aht_sum,
        aht_weight=aht_weight,
    )
