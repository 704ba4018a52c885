"""The centre's calendar against known dates (Danish holidays, paydays, DST, opening hours)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecast.calendar import CentreCalendar, day_intervals, parse_clock

CAL = CentreCalendar()


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_first_working_day_of_november_2025_is_monday_3rd():
    # 1 November 2025 is a Saturday: the payday peak moves to Monday 3 November.
    assert d("2025-11-01").weekday() == 5
    assert CAL.working_day_rank("2025-11-01") == 0
    assert CAL.working_day_rank("2025-11-02") == 0
    assert CAL.working_day_rank("2025-11-03") == 1
    assert CAL.working_day_rank("2025-11-04") == 2


def test_first_working_day_skips_new_years_day():
    # 1 January 2026 is a Thursday and a public holiday: Friday 2 January is the payday.
    assert CAL.working_day_rank("2026-01-01") == 0
    assert CAL.working_day_rank("2026-01-02") == 1
    assert CAL.working_day_rank("2026-01-05") == 2


def test_easter_2026_closing_days():
    # Easter Sunday 2026 is 5 April: Maundy Thursday 2, Good Friday 3, Easter Monday 6 April.
    closed = CAL.closing_days("2026-03-30", "2026-04-10")
    assert d("2026-04-05") in closed  # Easter Sunday is a holiday (and a Sunday)
    assert sorted(x for x in closed if x.weekday() < 5) == [
        d("2026-04-02"),
        d("2026-04-03"),
        d("2026-04-06"),
    ]
    assert not CAL.is_closed("2026-04-01")
    assert not CAL.is_closed("2026-04-07")


def test_whole_year_2026_closing_days_on_weekdays():
    closed = CAL.closing_days("2026-01-01", "2026-12-31")
    expected = {
        "2026-01-01",  # New Year's Day (Thu)
        "2026-04-02",  # Maundy Thursday
        "2026-04-03",  # Good Friday
        "2026-04-06",  # Easter Monday
        "2026-05-14",  # Ascension Day
        "2026-05-25",  # Whit Monday
        "2026-06-05",  # Constitution Day (centre's own closing day; Friday)
        "2026-12-24",  # Christmas Eve (centre's own closing day; Thursday)
        "2026-12-25",  # Christmas Day (Friday)
        "2026-12-31",  # New Year's Eve (centre's own closing day; Thursday)
    }
    # Pentecost (24 May) and 26 December fall on a Sunday and a Saturday.
    assert {x.isoformat() for x in closed if x.weekday() < 5} == expected


def test_great_prayer_day_is_gone_from_2024():
    # Store Bededag (4th Friday after Easter) was abolished from 2024; it was 5 May 2023.
    assert CAL.is_closed("2023-05-05")
    assert not CAL.is_closed("2024-04-26")


def test_opening_hours_by_weekday():
    assert CAL.opening_hours("2026-03-02") == (dt.time(7, 30), dt.time(16, 0))  # Monday
    assert CAL.opening_hours("2026-03-04") == (dt.time(7, 30), dt.time(15, 0))  # Wednesday
    assert CAL.opening_hours("2026-03-06") == (dt.time(7, 30), dt.time(15, 0))  # Friday
    assert CAL.opening_hours("2026-03-07") is None  # Saturday
    assert len(CAL.open_intervals("2026-03-02")) == 34  # 8.5 h
    assert len(CAL.open_intervals("2026-03-04")) == 30  # 7.5 h
    assert len(CAL.open_intervals("2026-03-04", freq_minutes=5)) == 90


def test_sickness_benefit_window_excludes_best_contact_time():
    slots = CAL.open_intervals("2026-03-02", "Sygedagpenge")
    clock = {t.strftime("%H:%M") for t in slots}
    assert len(slots) == 30
    assert "08:45" in clock and "10:00" in clock
    assert not {"09:00", "09:15", "09:30", "09:45"} & clock
    # other queues keep the full day
    assert len(CAL.open_intervals("2026-03-02", "Dagpenge")) == 34


@pytest.mark.parametrize(
    ("day", "freq", "expected"),
    [
        ("2024-03-31", 15, 92),
        ("2024-10-27", 15, 100),
        ("2025-03-30", 15, 92),
        ("2025-10-26", 15, 100),
        ("2026-03-29", 15, 92),
        ("2026-10-25", 15, 100),
        ("2026-03-29", 5, 276),
        ("2026-10-25", 5, 300),
        ("2026-06-01", 15, 96),
        ("2026-06-01", 5, 288),
    ],
)
def test_dst_days_have_the_right_number_of_intervals(day, freq, expected):
    grid = day_intervals(day, freq)
    assert len(grid) == expected
    assert grid.is_unique and grid.is_monotonic_increasing
    # consecutive starts are exactly one interval apart in absolute time
    assert (grid[1:] - grid[:-1] == pd.Timedelta(minutes=freq)).all()


def test_autumn_repeated_hour_appears_twice_with_both_offsets():
    grid = day_intervals("2026-10-25", 15)
    at_two = [t for t in grid if t.hour == 2 and t.minute == 0]
    assert [t.utcoffset() for t in at_two] == [dt.timedelta(hours=2), dt.timedelta(hours=1)]


def test_spring_missing_hour_is_absent():
    grid = day_intervals("2026-03-29", 15)
    assert not any(t.hour == 2 for t in grid)


def test_twenty_four_hour_calendar_abroad():
    cal = CentreCalendar(
        weekday_hours={i: ("00:00", "24:00") for i in range(7)},
        country="IL",
        extra_closing={},
        closed_windows={},
        tz="Asia/Jerusalem",
    )
    assert len(cal.open_intervals("1999-03-05", freq_minutes=30)) == 48
    # Yom Kippur 1999 fell on 20 September
    assert cal.is_closed("1999-09-20")


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="interval length must be 5, 15, 30 or 60"):
        day_intervals("2026-01-05", 10)
    with pytest.raises(ValueError, match="open before they close"):
        CentreCalendar(weekday_hours={0: ("16:00", "07:30")})
    with pytest.raises(ValueError, match="HH:MM"):
        parse_clock("half past seven")


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_working_day_rank_counts_open_days_from_the_first(day):
    rank = CAL.working_day_rank(day)
    if CAL.is_closed(day):
        assert rank == 0
        return
    # brute force: count open days from the 1st to this day
    count = sum(not CAL.is_closed(day.replace(day=k)) for k in range(1, day.day + 1))
    assert rank == count >= 1


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_open_intervals_lie_inside_opening_hours(day):
    slots = CAL.open_intervals(day)
    hours = CAL.opening_hours(day)
    if hours is None:
        assert len(slots) == 0
        return
    opens, closes = hours
    assert all(opens <= t.time() < closes for t in slots)
    assert len(slots) == (parse_clock(closes) - parse_clock(opens)) // 15
