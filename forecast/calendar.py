"""The centre's calendar: closing days, opening hours, queue windows, paydays and a DST-safe grid.

Defaults are those of the Copenhagen job-centre line (DOMAIN.md, documents 001-003):

- open Monday-Friday 07:30-16:00, Wednesday and Friday only to 15:00;
- closed on Danish public holidays (`holidays.DK`, category ``public``) and on the centre's own
  closing days. The documents do not list those; we chose the days a Danish municipality
  normally closes its phone lines: Constitution Day (5 June), Christmas Eve (24 December) and
  New Year's Eve (31 December). 1 May is *not* a closing day by default (it is a half-day off in
  some agreements only). Both lists are constructor arguments;
- routing windows: sickness-benefit calls (Sygedagpenge) go to the case workers in the "best
  contact time" 09:00-10:00, so that queue is closed to the centre then (003).

Paydays: benefits are paid on banking days, so the peak "around the 1st" falls on the first
*working* day of the month; `working_day_rank` gives 1 for that day, 2 for the next, and so on.

Times are tz-aware in the calendar's time zone (default Europe/Copenhagen). Grids are built
from the local midnight in absolute time, so a day has 92, 96 or 100 quarter hours across the
spring and autumn DST changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import holidays
import pandas as pd

from centre.parsing import parse_clock, parse_date
from centre.timezone import TZ

__all__ = [
    "TZ",
    "DEFAULT_WEEKDAY_HOURS",
    "DEFAULT_CLOSED_WINDOWS",
    "DEFAULT_EXTRA_CLOSING",
    "CentreCalendar",
    "day_intervals",
    "parse_clock",
]


#: Opening hours per weekday (0 = Monday), as (opens, closes) clock strings; missing = closed.
DEFAULT_WEEKDAY_HOURS: dict[int, tuple[str, str]] = {
    0: ("07:30", "16:00"),
    1: ("07:30", "16:00"),
    2: ("07:30", "15:00"),
    3: ("07:30", "16:00"),
    4: ("07:30", "15:00"),
}

#: Windows inside opening hours in which a queue is routed elsewhere (document 003).
DEFAULT_CLOSED_WINDOWS: dict[str, list[tuple[str, str]]] = {
    "Sygedagpenge": [("09:00", "10:00")],
}

#: The centre's own closing days on top of the public holidays, as (month, day).
DEFAULT_EXTRA_CLOSING: dict[tuple[int, int], str] = {
    (6, 5): "Grundlovsdag (Constitution Day)",
    (12, 24): "Juleaften (Christmas Eve)",
    (12, 31): "Nytårsaftensdag (New Year's Eve)",
}


def _clock(minutes: int) -> dt.time:
    return dt.time(23, 59, 59) if minutes >= 24 * 60 else dt.time(minutes // 60, minutes % 60)


def _as_date(value: dt.date | str | pd.Timestamp) -> dt.date:
    return parse_date(value)


def day_intervals(day: dt.date | str, freq_minutes: int = 15, tz: str = TZ) -> pd.DatetimeIndex:
    """Every interval start of one local day, DST-safe.

    Built in absolute time from local midnight to the next local midnight, so the spring day
    has 92 quarter hours, the autumn day 100 (the repeated hour appears twice, with its two
    offsets), and every other day 96.
    """
    _check_freq(freq_minutes)
    day = _as_date(day)
    start = pd.Timestamp(day).tz_localize(tz)
    end = pd.Timestamp(day + dt.timedelta(days=1)).tz_localize(tz)
    return pd.date_range(start, end, freq=f"{freq_minutes}min", inclusive="left").as_unit("ns")


def _check_freq(freq_minutes: int) -> None:
    if freq_minutes not in (5, 15, 30, 60):
        raise ValueError(f"interval length must be 5, 15, 30 or 60 minutes; got {freq_minutes}")


@dataclass(frozen=True)
class CentreCalendar:
    """Closing days, opening hours and queue windows of a contact centre.

    Parameters
    ----------
    weekday_hours:
        ``{weekday: (opens, closes)}`` with 0 = Monday; weekdays not listed are closed.
        ``("00:00", "24:00")`` is a 24-hour day.
    country:
        Country code for public holidays from the ``holidays`` package (``"DK"``; ``"IL"`` for
        Israeli data), or ``None`` for no public holidays.
    extra_closing:
        The centre's own yearly closing days, ``{(month, day): name}``.
    closing_dates:
        One-off closing dates, ``{date: name}``.
    closed_windows:
        ``{queue: [(from, to), ...]}``: windows inside opening hours in which the queue is
        routed elsewhere.
    queue_hours:
        ``{queue: {weekday: (opens, closes)}}``: a queue with other hours than the centre.
    tz:
        Time zone of the centre.
    """

    weekday_hours: Mapping[int, tuple[str, str]] = field(
        default_factory=lambda: dict(DEFAULT_WEEKDAY_HOURS)
    )
    country: str | None = "DK"
    extra_closing: Mapping[tuple[int, int], str] = field(
        default_factory=lambda: dict(DEFAULT_EXTRA_CLOSING)
    )
    closing_dates: Mapping[dt.date, str] = field(default_factory=dict)
    closed_windows: Mapping[str, list[tuple[str, str]]] = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_CLOSED_WINDOWS.items()}
    )
    queue_hours: Mapping[str, Mapping[int, tuple[str, str]]] = field(default_factory=dict)
    tz: str = TZ

    def __post_init__(self) -> None:
        for weekday, (opens, closes) in self.weekday_hours.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday); got {weekday!r}")
            if parse_clock(opens) >= parse_clock(closes):
                raise ValueError(
                    f"opening hours must open before they close; got {opens}-{closes} "
                    f"for weekday {weekday}"
                )
        for queue, windows in self.closed_windows.items():
            for start, end in windows:
                if parse_clock(start) >= parse_clock(end):
                    raise ValueError(
                        f"closed window of queue {queue!r} must start before it ends; "
                        f"got {start}-{end}"
                    )

    # ------------------------------------------------------------------ closing days
    @cached_property
    def _holiday_cache(self) -> dict[int, dict[dt.date, str]]:
        return {}

    def _public_holidays(self, year: int) -> dict[dt.date, str]:
        cache = self._holiday_cache
        if year not in cache:
            if self.country is None:
                cache[year] = {}
            else:
                cache[year] = dict(holidays.country_holidays(self.country, years=year))
        return cache[year]

    def closing_reason(self, day: dt.date | str) -> str | None:
        """Why the centre is closed on ``day`` (holiday, own closing day, weekend), or ``None``."""
        day = _as_date(day)
        if day in self.closing_dates:
            return self.closing_dates[day]
        public = self._public_holidays(day.year)
        if day in public:
            return public[day]
        if (day.month, day.day) in self.extra_closing:
            return self.extra_closing[(day.month, day.day)]
        if day.weekday() not in self.weekday_hours:
            return "weekend" if day.weekday() >= 5 else "closed weekday"
        return None

    def is_closed(self, day: dt.date | str) -> bool:
        """True when the centre does not open on ``day``."""
        return self.closing_reason(day) is not None

    def closing_days(
        self, start: dt.date | str, end: dt.date | str, *, include_weekends: bool = False
    ) -> dict[dt.date, str]:
        """Closing days from ``start`` to ``end`` inclusive, with their reasons."""
        out: dict[dt.date, str] = {}
        for day in pd.date_range(_as_date(start), _as_date(end), freq="D"):
            reason = self.closing_reason(day.date())
            if reason is None:
                continue
            if not include_weekends and reason in ("weekend", "closed weekday"):
                continue
            out[day.date()] = reason
        return out

    def working_days(self, start: dt.date | str, end: dt.date | str) -> list[dt.date]:
        """Open days from ``start`` to ``end`` inclusive."""
        days = pd.date_range(_as_date(start), _as_date(end), freq="D")
        return [d.date() for d in days if not self.is_closed(d.date())]

    def working_day_rank(self, day: dt.date | str) -> int:
        """Rank of ``day`` among the open days of its month: 1 = first working day, 0 if closed.

        The first working day of the month is the payday peak (benefits are paid on banking
        days, so a 1st on a weekend or holiday moves the peak to the next working day).
        """
        day = _as_date(day)
        if self.is_closed(day):
            return 0
        first = day.replace(day=1)
        return len(self.working_days(first, day))

    # ------------------------------------------------------------------ hours and windows
    def opening_hours(self, day: dt.date | str) -> tuple[dt.time, dt.time] | None:
        """(opens, closes) of the centre on ``day`` as clock times, or ``None`` when closed.

        A 24-hour day closes at 23:59:59 (clock times cannot say 24:00).
        """
        day = _as_date(day)
        if self.is_closed(day):
            return None
        opens, closes = self.weekday_hours[day.weekday()]
        return _clock(parse_clock(opens)), _clock(parse_clock(closes))

    def queue_windows(self, day: dt.date | str, queue: str | None = None) -> list[tuple[int, int]]:
        """Open windows of ``queue`` on ``day`` as (from, to) minutes after midnight.

        The centre's hours (or the queue's own hours), minus the queue's closed windows.
        Empty when the centre is closed.
        """
        day = _as_date(day)
        if self.is_closed(day):
            return []
        hours = self.weekday_hours
        if queue is not None and queue in self.queue_hours:
            hours = self.queue_hours[queue]
        if day.weekday() not in hours:
            return []
        opens, closes = (parse_clock(x) for x in hours[day.weekday()])
        windows = [(opens, closes)]
        for start, end in self.closed_windows.get(queue, []) if queue is not None else []:
            cut_from, cut_to = parse_clock(start), parse_clock(end)
            next_windows = []
            for w_from, w_to in windows:
                if cut_to <= w_from or cut_from >= w_to:
                    next_windows.append((w_from, w_to))
                    continue
                if w_from < cut_from:
                    next_windows.append((w_from, cut_from))
                if cut_to < w_to:
                    next_windows.append((cut_to, w_to))
            windows = next_windows
        return windows

    def open_intervals(
        self, day: dt.date | str, queue: str | None = None, freq_minutes: int = 15
    ) -> pd.DatetimeIndex:
        """Interval starts of ``day`` inside the opening hours (of ``queue``, when given).

        An interval belongs to the window when it starts inside it. Built on the DST-safe
        `day_intervals` grid, so it is correct on DST days too (for 24-hour centres as well).
        """
        windows = self.queue_windows(day, queue)
        if not windows:
            return pd.DatetimeIndex([], tz=self.tz).as_unit("ns")
        grid = day_intervals(day, freq_minutes, self.tz)
        midnight = pd.Timestamp(_as_date(day)).tz_localize(self.tz)
        # Clock minutes of each interval (wall time), so opening hours are local clock times.
        wall = (grid.tz_localize(None) - midnight.tz_localize(None)) / pd.Timedelta(minutes=1)
        keep = pd.Series(False, index=range(len(grid)))
        for w_from, w_to in windows:
            keep |= pd.Series((wall >= w_from) & (wall < w_to))
        return grid[keep.to_numpy()]

    def interval_grid(
        self,
        start: dt.date | str,
        end: dt.date | str,
        queue: str | None = None,
        freq_minutes: int = 15,
    ) -> pd.DatetimeIndex:
        """All open interval starts from ``start`` to ``end`` inclusive (of ``queue``, if given)."""
        parts = [
            self.open_intervals(d, queue, freq_minutes)
            for d in pd.date_range(_as_date(start), _as_date(end), freq="D").date
        ]
        parts = [p for p in parts if len(p)]
        if not parts:
            return pd.DatetimeIndex([], tz=self.tz).as_unit("ns")
        return parts[0].append(parts[1:]) if len(parts) > 1 else parts[0]

    def queue_grid(
        self,
        queues: Iterable[str],
        start: dt.date | str,
        end: dt.date | str,
        freq_minutes: int = 15,
    ) -> pd.DataFrame:
        """Long table ``interval_start, queue`` of every open interval of every queue."""
        frames = [
            pd.DataFrame(
                {"interval_start": self.interval_grid(start, end, q, freq_minutes), "queue": q}
            )
            for q in queues
        ]
        if not frames:
            return pd.DataFrame(
                {
                    "interval_start": pd.DatetimeIndex([], tz=self.tz),
                    "queue": pd.Series([], dtype=str),
                }
            )
        return pd.concat(frames, ignore_index=True)
