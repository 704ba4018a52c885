"""Known events and manual adjustments, kept apart from the model's forecast.

A planner knows things the history cannot: "from 1 March, +20 % on Kontanthjælp" (a reform),
"letters go out on the 12th: +300 calls over two days on Dagpenge", or simply "add 50 calls on
Tuesday". Each is an `Event`; `apply_events` adds them to a model's forecast and returns the
adjusted forecast together with one row per event, queue and interval saying how many calls the
event added, so an event can be seen, checked and removed (apply the list without it).

An event adds exactly what it says:

- ``lift`` (a fraction, +0.20 = +20 %): every interval of the event's queues from ``start`` to
  ``end`` gets ``offered * lift`` more calls (``offered_lo``/``offered_hi`` scale by the same
  ``1 + lift``). Lifts of several events on the same day each apply to the model's forecast
  (they add, they do not compound).
- ``calls`` (a number of calls): the calls are split evenly over the open days of the span
  (days on which the event's queues have forecast rows; with a calendar, also the open days
  outside the forecast, so a forecast that covers part of the span gets that part's share), and
  inside a day over the intervals and queues in proportion to the model's forecast (evenly
  where the forecast is zero). The interval is shifted by the same number of calls.

Closed days and intervals outside a queue's window have no forecast rows, so an event adds
nothing there (a "calls" event whose span has no open day in the forecast adds nothing and
says so in ``adjustments`` with zero rows). ``end`` may be left out: the event lasts to the end
of any forecast ("from 1 March").

`remove_events` does the opposite on a history: it takes known past events out (divides by
``1 + lift``, subtracts the calls in proportion to the observed calls of the days), so that a
model learns the normal level; the events are then added back to the forecast on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from forecast.calendar import CentreCalendar

__all__ = [
    "Event",
    "apply_events",
    "remove_events",
    "parse_events",
    "summarize_adjustments",
    "ADJUSTMENT_COLUMNS",
]

ADJUSTMENT_COLUMNS = ["event", "kind", "interval_start", "queue", "added"]
_KINDS = ("event", "adjustment")


def _as_date(value: object, what: str) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what} must be a date like 2026-03-01; got {value!r}") from None


@dataclass(frozen=True)
class Event:
    """A known event or a manual adjustment (see the module docstring).

    Attributes
    ----------
    name: what it is ("Kontanthjælpsreform", "Breve om dagpenge").
    queues: the queues it touches (one or more names).
    start, end: first and last day (inclusive); ``end=None`` lasts to the end of the forecast.
    lift: relative change (+0.20 = +20 %; -1 closes the queue); or
    calls: calls added over the span (exactly one of ``lift`` and ``calls``).
    kind: ``"event"`` (known event) or ``"adjustment"`` (a planner's manual change).
    """

    name: str
    queues: Sequence[str]  # a name or several; __post_init__ makes it a tuple[str, ...]
    start: dt.date
    end: dt.date | None = None
    lift: float | None = None
    calls: float | None = None
    kind: str = "event"
    note: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ValueError("event name must not be empty")
        queues = (self.queues,) if isinstance(self.queues, str) else tuple(self.queues)
        if not queues or any(not str(q).strip() for q in queues):
            raise ValueError(
                f"event {self.name!r}: queues must name at least one queue; got {self.queues!r}"
            )
        object.__setattr__(self, "queues", tuple(str(q) for q in queues))
        object.__setattr__(self, "start", _as_date(self.start, f"event {self.name!r}: start"))
        if self.end is not None:
            end = _as_date(self.end, f"event {self.name!r}: end")
            if end < self.start:
                raise ValueError(
                    f"event {self.name!r}: end must not be before start; got {self.start}..{end}"
                )
            object.__setattr__(self, "end", end)
        if (self.lift is None) == (self.calls is None):
            raise ValueError(
                f"event {self.name!r} must give exactly one of lift (e.g. 0.2 for +20 %) and "
                f"calls (e.g. 300); got lift={self.lift!r}, calls={self.calls!r}"
            )
        if self.lift is not None:
            lift = float(self.lift)
            if not np.isfinite(lift) or lift < -1.0:
                raise ValueError(
                    f"event {self.name!r}: lift must be a number >= -1; got {self.lift!r}"
                )
            object.__setattr__(self, "lift", lift)
        if self.calls is not None:
            calls = float(self.calls)
            if not np.isfinite(calls):
                raise ValueError(f"event {self.name!r}: calls must be a number; got {self.calls!r}")
            object.__setattr__(self, "calls", calls)
        if self.kind not in _KINDS:
            raise ValueError(
                f"event {self.name!r}: kind must be 'event' or 'adjustment'; got {self.kind!r}"
            )

    def covers(self, days: pd.Series | pd.DatetimeIndex | np.ndarray) -> np.ndarray:
        """Boolean mask of ``days`` (dates) inside the event's span."""
        values = pd.to_datetime(pd.Series(np.asarray(days))).dt.date.to_numpy()
        inside = values >= self.start
        if self.end is not None:
            inside &= values <= self.end
        return np.asarray(inside, dtype=bool)

    def describe(self) -> str:
        """One line: what the event does."""
        span = f"{self.start}..{self.end}" if self.end else f"from {self.start}"
        size = f"{self.lift:+.0%}" if self.lift is not None else f"{self.calls:+,.0f} calls"
        return f"{self.name} ({self.kind}): {size} on {', '.join(self.queues)}, {span}"


def _local_dates(stamps: pd.Series) -> np.ndarray:
    """Local calendar dates (naive datetime64) of a column of timestamps."""
    series = pd.Series(stamps)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    else:
        series = pd.to_datetime(series)
    return series.dt.normalize().to_numpy()


def apply_events(
    forecast: pd.DataFrame,
    events: Iterable[Event],
    *,
    calendar: CentreCalendar | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``events`` to ``forecast`` (the forecast contract).

    Returns ``(adjusted, adjustments)``: the forecast with the events added, and
    ``event, kind, interval_start, queue, added`` (one row per event and touched interval).
    ``calendar`` (a `CentreCalendar`) lets a "calls" event whose span reaches beyond the
    forecast give the forecast only its share of the calls.
    """
    out = forecast.copy()
    for col in ("offered", "offered_lo", "offered_hi"):
        out[col] = out[col].astype(float)
    base = out["offered"].to_numpy().copy()
    lo = out["offered_lo"].to_numpy().copy()
    hi = out["offered_hi"].to_numpy().copy()
    dates = _local_dates(out["interval_start"])
    day_keys = pd.to_datetime(dates).date
    queue = out["queue"].astype(str).to_numpy()
    added_total = np.zeros(len(out))
    lo_new = lo.copy()
    hi_new = hi.copy()
    parts = []
    for event in events:
        hit = np.isin(queue, event.queues) & event.covers(dates)
        idx = np.flatnonzero(hit)
        if event.lift is not None:
            added = base[idx] * event.lift
            lo_new[idx] += lo[idx] * event.lift
            hi_new[idx] += hi[idx] * event.lift
        else:
            added = _spread_calls(event, base[idx], day_keys[idx], calendar, forecast)
            lo_new[idx] += added
            hi_new[idx] += added
        added_total[idx] += added
        parts.append(
            pd.DataFrame(
                {
                    "event": event.name,
                    "kind": event.kind,
                    "interval_start": out["interval_start"].iloc[idx].reset_index(drop=True),
                    "queue": queue[idx],
                    "added": added,
                }
            )
        )
    out["offered"] = np.clip(base + added_total, 0.0, None)
    out["offered_lo"] = np.clip(lo_new, 0.0, None)
    out["offered_hi"] = np.clip(hi_new, 0.0, None)
    if parts:
        adjustments = pd.concat(parts, ignore_index=True)
    else:
        adjustments = pd.DataFrame(
            {
                "event": pd.Series([], dtype=object),
                "kind": pd.Series([], dtype=object),
                "interval_start": out["interval_start"].iloc[:0].reset_index(drop=True),
                "queue": pd.Series([], dtype=object),
                "added": pd.Series([], dtype=float),
            }
        )
    return out, adjustments[ADJUSTMENT_COLUMNS]


def _spread_calls(
    event: Event,
    base: np.ndarray,
    days: np.ndarray,
    calendar: CentreCalendar | None,
    forecast: pd.DataFrame,
) -> np.ndarray:
    """Split ``event.calls`` evenly over open days, then by the forecast within each day."""
    added = np.zeros(len(base))
    if not len(base):
        return added
    unique_days = sorted(set(days))
    n_open = len(unique_days)
    if calendar is not None:
        end = event.end or max(unique_days)
        span = pd.date_range(event.start, end, freq="D").date
        n_open = max(
            sum(1 for d in span if any(calendar.queue_windows(d, q) for q in event.queues)),
            len(unique_days),
        )
    assert event.calls is not None  # called for events without a lift: they have calls
    per_day = event.calls / n_open
    for day in unique_days:
        sel = days == day
        weights = base[sel]
        if weights.sum() > 0:
            added[sel] = per_day * weights / weights.sum()
        else:
            added[sel] = per_day / sel.sum()
    return added


def summarize_adjustments(adjustments: pd.DataFrame) -> pd.DataFrame:
    """Calls added per event, queue and date: ``event, kind, queue, date, added``."""
    if not len(adjustments):
        return pd.DataFrame(columns=["event", "kind", "queue", "date", "added"])
    frame = adjustments.copy()
    frame["date"] = pd.to_datetime(_local_dates(frame["interval_start"])).date
    return frame.groupby(["event", "kind", "queue", "date"], sort=True)["added"].sum().reset_index()


def remove_events(history: pd.DataFrame, events: Iterable[Event]) -> pd.DataFrame:
    """``history`` with known past ``events`` taken out (see the module docstring).

    ``offered`` becomes a float column; ``answered`` and the other outcome columns are left as
    they are (they describe what happened, not the normal level).
    """
    out = history.copy()
    offered = pd.to_numeric(out["offered"]).to_numpy(dtype=float).copy()
    dates = _local_dates(out["interval_start"])
    day_keys = pd.to_datetime(dates).date
    queue = out["queue"].astype(str).to_numpy()
    for event in events:
        hit = np.isin(queue, event.queues) & event.covers(dates)
        idx = np.flatnonzero(hit)
        if not len(idx):
            continue
        if event.lift is not None:
            if event.lift > -1.0:
                offered[idx] = offered[idx] / (1.0 + event.lift)
            continue
        assert event.calls is not None  # an event has a lift or calls
        sub = day_keys[idx]
        unique_days = sorted(set(sub))
        per_day = event.calls / len(unique_days)
        for day in unique_days:
            sel = idx[sub == day]
            weights = offered[sel]
            if weights.sum() > 0:
                offered[sel] = np.clip(offered[sel] - per_day * weights / weights.sum(), 0.0, None)
    out["offered"] = offered
    return out


def parse_events(data: Mapping[str, object] | Sequence[Mapping[str, object]]) -> list[Event]:
    """Events from parsed TOML/JSON: ``{"event": [...], "adjustment": [...]}`` or a list.

    Each entry has ``name``, ``queue`` (or ``queues``), ``start``, optional ``end`` and one of
    ``lift`` (fraction), ``percent`` (e.g. 20 for +20 %) or ``calls``. ValueError names the
    entry (``event 2``) and the problem.

    Example (TOML)::

        [[event]]
        name = "Kontanthjælpsreform"
        queue = "Kontanthjælp"
        start = 2026-03-01
        percent = 20

        [[adjustment]]
        name = "Breve om dagpenge"
        queue = "Dagpenge"
        start = 2026-12-14
        end = 2026-12-15
        calls = 300
    """
    if isinstance(data, Mapping):
        unknown = [k for k in data if k not in _KINDS]
        if unknown:
            raise ValueError(
                f"unknown section(s) {', '.join(map(repr, unknown))}; expected [[event]] and "
                "[[adjustment]] tables"
            )
        entries = [("event", e) for e in _as_list(data.get("event"), "event")]
        entries += [("adjustment", e) for e in _as_list(data.get("adjustment"), "adjustment")]
    else:
        entries = [(str(e.get("kind", "event")), e) for e in data]
    out = []
    counters = {k: 0 for k in _KINDS}
    for kind, entry in entries:
        counters[kind] = counters.get(kind, 0) + 1
        label = f"{kind} {counters[kind]}"
        if not isinstance(entry, Mapping):
            raise ValueError(f"{label}: expected a table with name, queue, start; got {entry!r}")
        allowed = {
            "name",
            "queue",
            "queues",
            "start",
            "end",
            "lift",
            "percent",
            "calls",
            "kind",
            "note",
        }
        extra = sorted(set(entry) - allowed)
        if extra:
            raise ValueError(
                f"{label}: unknown key(s) {', '.join(extra)}; expected name, queue, start, end, "
                "lift/percent/calls"
            )
        for key in ("name", "start"):
            if key not in entry:
                raise ValueError(f"{label}: missing '{key}'")
        queues = entry.get("queues", entry.get("queue"))
        if queues is None:
            raise ValueError(f"{label}: missing 'queue' (or 'queues')")
        sizes = [k for k in ("lift", "percent", "calls") if k in entry]
        if len(sizes) != 1:
            raise ValueError(
                f"{label}: give exactly one of lift, percent and calls; "
                f"got {', '.join(sizes) or 'none'}"
            )
        lift = entry.get("lift")
        if "percent" in entry:
            try:
                lift = float(entry["percent"]) / 100.0
            except (TypeError, ValueError):
                raise ValueError(
                    f"{label}: percent must be a number; got {entry['percent']!r}"
                ) from None
        try:
            out.append(
                Event(
                    name=str(entry["name"]),
                    queues=queues if isinstance(queues, str) else tuple(queues),
                    start=entry["start"],
                    end=entry.get("end"),
                    lift=lift,
                    calls=entry.get("calls"),
                    kind=kind,
                    note=str(entry.get("note", "")),
                )
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{label}: {exc}") from None
    return out


def _as_list(value: object, key: str) -> list[object]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise ValueError(f"'{key}' must be an array of tables ([[{key}]]); got {type(value).__name__}")
