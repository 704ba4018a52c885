"""DST days 2024-2026 in Europe/Copenhagen at 15 and 5 minutes.

The expected clocks are written out by hand from the rule (EU: clocks go forward at 02:00 on
the last Sunday of March, back at 03:00 on the last Sunday of October), not from the loader or
pandas' time zone code: a spring day has 23 hours of intervals, an autumn day 25, and the
repeated autumn hour appears twice, first at +02:00, then at +01:00.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.calendar import CentreCalendar
from planner.io.history import load_history

TZ = "Europe/Copenhagen"
SPRING = [dt.date(2024, 3, 31), dt.date(2025, 3, 30), dt.date(2026, 3, 29)]
AUTUMN = [dt.date(2024, 10, 27), dt.date(2025, 10, 26), dt.date(2026, 10, 25)]
ALWAYS_OPEN = CentreCalendar(
    weekday_hours={d: ("00:00", "24:00") for d in range(7)},
    country=None,
    extra_closing={},
    closed_windows={},
)


def last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


def clocks(day: dt.date, minutes: int) -> list[tuple[str, str]]:
    """(naive local clock, UTC offset) of every interval of ``day``, by the EU rule."""
    spring = day == last_sunday(day.year, 3)
    autumn = day == last_sunday(day.year, 10)
    summer = last_sunday(day.year, 3) < day < last_sunday(day.year, 10)
    out = []
    for m in range(0, 24 * 60, minutes):
        hour = m // 60
        clock = f"{day.isoformat()} {hour:02d}:{m % 60:02d}"
        if spring:
            if hour == 2:
                continue  # 02:00-02:59 does not exist
            out.append((clock, "+01:00" if hour < 2 else "+02:00"))
        elif autumn:
            out.append((clock, "+02:00" if hour <= 2 else "+01:00"))
        else:
            out.append((clock, "+02:00" if summer else "+01:00"))
    if autumn:  # the second pass of 02:00-02:59, in standard time, right after the first
        first_pass_end = max(i for i, (c, _) in enumerate(out) if c[11:13] == "02")
        repeat = [(c, "+01:00") for c, _ in out if c[11:13] == "02"]
        out = out[: first_pass_end + 1] + repeat + out[first_pass_end + 1 :]
    return out


def test_rule_matches_the_known_dates() -> None:
    assert SPRING == [last_sunday(y, 3) for y in (2024, 2025, 2026)]
    assert AUTUMN == [last_sunday(y, 10) for y in (2024, 2025, 2026)]


def export(day: dt.date, minutes: int, queues: list[str], *, offsets: bool) -> bytes:
    """Rows sorted by time, the queues interleaved, offered = position of the clock."""
    lines = ["interval_start,queue,offered"]
    for i, (clock, offset) in enumerate(clocks(day, minutes)):
        stamp = clock.replace(" ", "T") + ":00" + offset if offsets else clock
        lines.extend(f"{stamp},{q},{i}" for q in queues)
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("minutes", [15, 5])
@pytest.mark.parametrize("day", SPRING + AUTUMN, ids=str)
@pytest.mark.parametrize("offsets", [False, True], ids=["naive", "offset"])
def test_dst_day_loads_every_interval_once(day: dt.date, minutes: int, offsets: bool) -> None:
    queues = ["Dagpenge", "Kontanthjælp"]
    expected = clocks(day, minutes)
    per_hour = 60 // minutes
    assert len(expected) == (23 if day in SPRING else 25) * per_hour
    loaded = load_history(
        export(day, minutes, queues, offsets=offsets),
        name="dst.csv",
        calendar=ALWAYS_OPEN,
    )
    s = loaded.summary
    assert s.interval_minutes == minutes
    assert s.filled == 0 and s.gap_days == 0 and s.warnings == []
    for q in queues:
        part = loaded.frame[loaded.frame["queue"] == q]
        assert len(part) == len(expected)
        stamps = [t.isoformat(sep=" ", timespec="minutes") for t in part["interval_start"]]
        assert stamps == [c + o for c, o in expected]
        # consecutive intervals are exactly `minutes` apart in absolute time: none merged/dropped
        steps = np.diff(pd.DatetimeIndex(part["interval_start"]).as_unit("ns").asi8)
        assert (steps == minutes * 60 * 10**9).all()
        assert part["offered"].tolist() == list(range(len(expected)))


@pytest.mark.parametrize("day", SPRING, ids=str)
def test_spring_rows_at_missing_clock_times_do_not_crash(day: dt.date) -> None:
    """A 24-hour export that still lists 02:00-02:45 (clocks that never showed)."""
    lines = ["interval_start,queue,offered"]
    for m in range(0, 24 * 60, 15):
        lines.append(f"{day} {m // 60:02d}:{m % 60:02d},Dagpenge,{1 if m // 60 == 2 else 0}")
    loaded = load_history(("\n".join(lines) + "\n").encode(), name="s.csv", calendar=ALWAYS_OPEN)
    assert len(loaded.frame) == 92
    assert loaded.frame["interval_start"].is_unique
    warning = " ".join(loaded.summary.warnings)
    assert f"4 rows at clock times that do not exist in {TZ}" in warning
    assert "(4 calls)" in warning


@pytest.mark.parametrize("day", AUTUMN, ids=str)
def test_autumn_hour_listed_once_is_reported_and_filled(day: dt.date) -> None:
    """An export with 96 rows on the 100-quarter-hour day: the second pass is missing."""
    lines = ["interval_start,queue,offered"]
    for m in range(0, 24 * 60, 15):
        lines.append(f"{day} {m // 60:02d}:{m % 60:02d},Dagpenge,1")
    loaded = load_history(("\n".join(lines) + "\n").encode(), name="a.csv", calendar=ALWAYS_OPEN)
    assert len(loaded.frame) == 100
    assert loaded.summary.filled == 4
    assert any("repeated autumn hour appears once" in w for w in loaded.summary.warnings)
    filled = loaded.frame[loaded.frame["offered"] == 0]["interval_start"]
    assert [t.isoformat(sep=" ", timespec="minutes") for t in filled] == [
        f"{day} 02:{m:02d}+01:00" for m in (0, 15, 30, 45)
    ]


@pytest.mark.parametrize("day", SPRING + AUTUMN, ids=str)
def test_dst_day_with_danish_opening_hours(day: dt.date) -> None:
    """A weekday-hours calendar with the DST Sunday open 07:30-16:00 (an extra opening day)."""
    calendar = CentreCalendar(weekday_hours={6: ("07:30", "16:00")}, country=None, extra_closing={})
    clock_rows = [c for c, _ in clocks(day, 15) if "07:30" <= c[11:] < "16:00"]
    text = "interval_start;queue;offered\n" + "".join(
        f"{dt.datetime.fromisoformat(c):%d-%m-%Y %H:%M};Dagpenge;2\n"
        for i, c in enumerate(clock_rows)
        if i % 3 != 1
    )
    loaded = load_history(text.encode(), name="dk.csv", calendar=calendar)
    assert len(loaded.frame) == 34  # 07:30-16:00, every quarter hour, a third of them filled
    assert loaded.summary.filled == 11


@settings(max_examples=25, deadline=None)
@given(
    day=st.sampled_from(SPRING + AUTUMN),
    minutes=st.sampled_from([15, 5]),
    keep=st.lists(st.booleans(), min_size=300, max_size=300),
)
def test_left_out_intervals_on_dst_days_are_filled_exactly(
    day: dt.date, minutes: int, keep: list[bool]
) -> None:
    """Exports leave out zero-call intervals: any subset reloads to the full day."""
    full = clocks(day, minutes)
    kept = [(i, c, o) for i, (c, o) in enumerate(full) if keep[i % len(keep)]]
    if not kept:
        kept = [(0, *full[0])]
    text = "interval_start,queue,offered\n" + "".join(
        f"{c.replace(' ', 'T')}:00{o},Dagpenge,{i + 1}\n" for i, c, o in kept
    )
    loaded = load_history(
        text.encode(), name="h.csv", calendar=ALWAYS_OPEN, interval_minutes=minutes
    )
    assert len(loaded.frame) == len(full)
    assert loaded.summary.filled == len(full) - len(kept)
    offered = dict(zip(range(len(full)), loaded.frame["offered"]))
    for i in range(len(full)):
        assert offered[i] == (i + 1 if any(k[0] == i for k in kept) else 0)


def test_offsets_are_read_as_absolute_times() -> None:
    """The same instant written in UTC and in local time is the same interval."""
    local = export(AUTUMN[0], 15, ["Dagpenge"], offsets=True)
    frame = pd.read_csv(io.BytesIO(local))
    frame["interval_start"] = pd.to_datetime(frame["interval_start"], utc=True).map(
        lambda t: t.isoformat()
    )
    a = load_history(local, name="a.csv", calendar=ALWAYS_OPEN).frame
    b = load_history(frame.to_csv(index=False).encode(), name="b.csv", calendar=ALWAYS_OPEN).frame
    pd.testing.assert_frame_equal(a, b)
