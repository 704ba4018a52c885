"""Opening hours learned from a history, and the calendar checked against the history.

A centre with other hours than the Copenhagen default must work from its history alone:
`infer_calendar` reads, per weekday, the clock slots in which calls arrive, and per queue the
slots in which that queue never has calls although it should have many (a routing window such
as Sygedagpenge's 09:00-10:00, or a queue with shorter hours). Public holidays come from the
``holidays`` package for the given country (the history cannot tell a holiday from a quiet
day); the centre's own yearly closing days are the dates that were silent in every year the
history covers (at least two years).

`check_hours` compares a calendar with a history: calls on closing days and calls outside the
queue windows (both lost to a forecast that follows the calendar), and open windows in which no
call ever came.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.calendar import CentreCalendar
from forecast.models._history import HistoryData, history_frame, prepare_history

__all__ = ["infer_calendar", "check_hours", "HoursReport", "clock_text"]


def clock_text(minutes: int | np.integer) -> str:
    """``"HH:MM"`` for minutes after midnight (``"24:00"`` for the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, stop) index pairs of the runs of True in ``mask``."""
    padded = np.concatenate([[False], mask, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def infer_calendar(
    history: object,
    *,
    tz: str | None = None,
    country: str | None = "DK",
    min_day_share: float = 0.05,
    min_open_share: float = 0.5,
    min_expected_calls: float = 10.0,
) -> CentreCalendar:
    """A `CentreCalendar` learned from ``history`` (hours, queue windows, own closing days).

    Parameters
    ----------
    history: the history table (tz-aware ``interval_start``) or a LoadedHistory.
    tz: time zone of the centre; default: the time zone of ``interval_start``.
    country: public holidays (``holidays`` country code, ``"DK"``, ``"IL"``) or ``None``.
    min_day_share: a clock slot of a weekday is open when calls came in it on at least this
        share of that weekday's days with calls (0.05 keeps the quiet night slots of a 24-hour
        centre open and drops stray calls).
    min_open_share: a weekday is open when at least this share of its non-holiday dates had
        calls.
    min_expected_calls: a queue is closed in a slot of the centre's hours only when it never
        had a call there although the queue's mean per open slot would give at least this
        many (so a small queue's chance silences do not cut its window).

    Rules, per weekday: hours run from the first to the last open slot (one interval per day;
    a lunch closure is not detected). Per queue: slots with no call at all where many were
    expected are cut; a cut at the start or end of the day gives the queue its own hours
    (``queue_hours``), a cut inside the day common to every weekday becomes a closed window.
    """
    for name, value in (("min_day_share", min_day_share), ("min_open_share", min_open_share)):
        if not 0.0 < value <= 1.0:
            raise ValueError(f"{name} must be in (0, 1]; got {value!r}")
    frame = history_frame(history)
    tz = tz or str(frame["interval_start"].dt.tz)
    probe = CentreCalendar(
        weekday_hours={w: ("00:00", "24:00") for w in range(7)},
        country=country,
        extra_closing={},
        closed_windows={},
        tz=tz,
    )
    data = prepare_history(frame, probe)
    counts = data.counts  # [queue, day, slot]
    freq = data.freq
    days = data.days
    weekday = days.day_of_week.to_numpy()
    holiday = np.array([probe.is_closed(d) for d in days.date])
    pooled = counts.sum(axis=0)  # [day, slot]
    active = pooled.sum(axis=1) > 0

    weekday_hours: dict[int, tuple[str, str]] = {}
    open_slots: dict[int, np.ndarray] = {}
    for w in range(7):
        candidates = (weekday == w) & ~holiday
        if not candidates.any():
            continue
        if active[candidates].mean() < min_open_share:
            continue
        use = candidates & active
        share = (pooled[use] > 0).mean(axis=0)
        slots = share >= min_day_share
        if not slots.any():
            continue
        first, last = np.flatnonzero(slots)[[0, -1]]
        span = np.zeros_like(slots)
        span[first : last + 1] = True
        open_slots[w] = span
        weekday_hours[w] = (clock_text(first * freq), clock_text((last + 1) * freq))
    if not weekday_hours:
        raise ValueError(
            "history has no weekday with calls on most of its days; cannot infer hours"
        )

    extra_closing = _silent_dates(days, weekday, holiday, active, weekday_hours)
    closed_windows, queue_hours = _queue_windows(
        data, weekday, holiday, active, open_slots, min_expected_calls
    )
    return CentreCalendar(
        weekday_hours=weekday_hours,
        country=country,
        extra_closing=extra_closing,
        closing_dates={},
        closed_windows=closed_windows,
        queue_hours=queue_hours,
        tz=tz,
    )


def _silent_dates(days, weekday, holiday, active, weekday_hours):
    """(month, day) pairs silent in every year of the history, seen in two years at least."""
    seen: dict[tuple[int, int], list[bool]] = {}
    first, last = days[0].date(), days[-1].date()
    for i, day in enumerate(days.date):
        if holiday[i] or weekday[i] not in weekday_hours:
            continue
        # Only days inside the span with neighbours that have data (a true closure, not a gap
        # at the edges of the export).
        if day in (first, last):
            continue
        seen.setdefault((day.month, day.day), []).append(bool(active[i]))
    out: dict[tuple[int, int], str] = {}
    years = {d.year for d in days.date}
    if len(years) < 2:
        return out
    for key, flags in seen.items():
        if len(flags) >= 2 and not any(flags):
            out[key] = "closed in every year of the history"
    return out


def _queue_windows(data: HistoryData, weekday, holiday, active, open_slots, min_expected):
    freq = data.freq
    closed_windows: dict[str, list[tuple[str, str]]] = {}
    queue_hours: dict[str, dict[int, tuple[str, str]]] = {}
    for q, queue in enumerate(data.queues):
        silent: dict[int, np.ndarray] = {}
        for w, span in open_slots.items():
            use = (weekday == w) & ~holiday & active
            if not use.any():
                continue
            per_slot = data.counts[q][use][:, span].sum(axis=0)
            expected = per_slot.sum() / span.sum()
            if expected < min_expected:
                continue
            cut = np.zeros_like(span)
            cut[np.flatnonzero(span)[per_slot == 0]] = True
            silent[w] = cut
        if not any(c.any() for c in silent.values()):
            continue
        hours: dict[int, tuple[str, str]] = {}
        interior: list[np.ndarray] = []
        own_hours = False
        for w, span in open_slots.items():
            cut = silent.get(w, np.zeros_like(span))
            keep = span & ~cut
            if not keep.any():
                own_hours = True
                continue
            first, last = np.flatnonzero(keep)[[0, -1]]
            span_first, span_last = np.flatnonzero(span)[[0, -1]]
            if (first, last) != (span_first, span_last):
                own_hours = True
            hours[w] = (clock_text(first * freq), clock_text((last + 1) * freq))
            inner = cut.copy()
            inner[: first + 1] = False
            inner[last:] = False
            interior.append(inner)
        if own_hours:
            queue_hours[queue] = hours
        if interior:
            common = np.logical_and.reduce(interior)
            windows = [(clock_text(a * freq), clock_text(b * freq)) for a, b in _runs(common)]
            if windows:
                closed_windows[queue] = windows
    return closed_windows, queue_hours


@dataclass(frozen=True)
class HoursReport:
    """How well a calendar fits a history.

    Attributes
    ----------
    closed_day_calls: ``date, reason, calls`` for closing days with calls in the history.
    outside_calls: ``queue, weekday, clock, calls`` for calls outside a queue's window on open
        days.
    silent_windows: ``queue, weekday, clock`` for open slots in which the queue never had a call
        although at least ``min_expected_calls`` were expected.
    total_calls: all calls in the history.
    """

    closed_day_calls: pd.DataFrame
    outside_calls: pd.DataFrame
    silent_windows: pd.DataFrame
    total_calls: float

    @property
    def share_outside(self) -> float:
        """Share of all calls that fall outside the calendar's windows on open days."""
        return float(self.outside_calls["calls"].sum() / max(self.total_calls, 1.0))

    @property
    def share_closed_days(self) -> float:
        """Share of all calls that fall on the calendar's closing days."""
        return float(self.closed_day_calls["calls"].sum() / max(self.total_calls, 1.0))

    def messages(self) -> list[str]:
        """Plain sentences for the user (empty when the calendar fits the history)."""
        out = []
        if len(self.closed_day_calls):
            days = ", ".join(str(d) for d in self.closed_day_calls["date"].head(5))
            out.append(
                f"{int(self.closed_day_calls['calls'].sum())} calls on "
                f"{len(self.closed_day_calls)} closing day(s) of the calendar ({days}"
                f"{', ...' if len(self.closed_day_calls) > 5 else ''}); left out of the fit"
            )
        if len(self.outside_calls):
            out.append(
                f"{int(self.outside_calls['calls'].sum())} calls "
                f"({100 * self.share_outside:.1f} %) outside the calendar's queue windows on "
                "open days; a forecast following the calendar has no rows there "
                "(infer_calendar learns the hours from the history)"
            )
        if len(self.silent_windows):
            names = "Mon Tue Wed Thu Fri Sat Sun".split()
            first = self.silent_windows.head(4)
            where = ", ".join(f"{r.queue} {names[r.weekday]} {r.clock}" for r in first.itertuples())
            more = len(self.silent_windows) - len(first)
            out.append(
                f"{len(self.silent_windows)} open slot(s) of the calendar in which a queue never "
                f"had a call although many were expected: {where}"
                f"{f' and {more} more' if more > 0 else ''}"
            )
        return out


def check_hours(data: HistoryData, *, min_expected_calls: float = 10.0) -> HoursReport:
    """Compare ``data``'s calendar with its calls (see `HoursReport`)."""
    freq = data.freq
    counts = data.counts
    days = data.days
    day_open = np.asarray(data.window.any(axis=(0, 2)))
    closed_calls = counts.sum(axis=(0, 2))
    closed_rows = []
    for d in np.flatnonzero(~day_open & (closed_calls > 0)):
        day = days[d].date()
        closed_rows.append(
            {"date": day, "reason": data.calendar.closing_reason(day), "calls": closed_calls[d]}
        )
    closed_df = pd.DataFrame(closed_rows, columns=["date", "reason", "calls"])

    weekday = days.day_of_week.to_numpy()
    outside = np.where(data.window, 0.0, counts) * day_open[None, :, None]
    outside_rows = []
    silent_rows = []
    use = data.has_data & ~data.excluded & day_open
    for q, queue in enumerate(data.queues):
        for w in range(7):
            sel = use & (weekday == w)
            if not sel.any():
                continue
            per_slot = outside[q, sel].sum(axis=0)
            for s in np.flatnonzero(per_slot > 0):
                outside_rows.append(
                    {
                        "queue": queue,
                        "weekday": w,
                        "clock": clock_text(s * freq),
                        "calls": per_slot[s],
                    }
                )
            win = data.window[q, sel].any(axis=0)
            inside = np.where(data.window[q, sel], counts[q, sel], 0.0).sum(axis=0)
            if win.sum() and inside.sum() / win.sum() >= min_expected_calls:
                for s in np.flatnonzero(win & (inside == 0)):
                    silent_rows.append(
                        {"queue": queue, "weekday": w, "clock": clock_text(s * freq)}
                    )
    return HoursReport(
        closed_day_calls=closed_df,
        outside_calls=pd.DataFrame(outside_rows, columns=["queue", "weekday", "clock", "calls"]),
        silent_windows=pd.DataFrame(silent_rows, columns=["queue", "weekday", "clock"]),
        total_calls=float(counts.sum()),
    )


def warn_hours(report: HoursReport, *, threshold: float = 0.01) -> None:
    """Warn when more than ``threshold`` of the calls fall outside the calendar's windows."""
    if report.share_outside > threshold:
        warnings.warn(
            "; ".join(report.messages()),
            UserWarning,
            stacklevel=3,
        )
