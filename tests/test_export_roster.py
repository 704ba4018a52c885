"""Exports of a roster: Excel as planners read it, CSV in the contract, iCalendar per agent."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import roster_cases as rc
from icalendar import Calendar

from planner.io.exports import roster_excel, roster_icalendar, write_icalendars, write_roster_csv
from planner.io.roster import read_roster


def at(day: int, h: int, m: int) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime(2026, 3, 2 + day, h, m)).tz_localize(rc.TZ)


def _rows(*blocks):
    return pd.DataFrame(
        [
            {
                "agent_id": a,
                "date": (dt.date(2026, 3, 2) + dt.timedelta(days=d)),
                "start": at(d, *s),
                "end": at(d, *e),
                "activity": act,
            }
            for a, d, s, e, act in blocks
        ]
    )


ROSTER = _rows(
    ("A1", 0, (7, 30), (11, 0), "phone"),
    ("A1", 0, (11, 0), (11, 30), "lunch"),
    ("A1", 0, (11, 30), (14, 0), "phone"),
    ("A1", 0, (14, 0), (15, 0), "meeting"),
    ("A2", 0, (8, 30), (12, 0), "phone"),
    ("A2", 0, (12, 0), (12, 30), "lunch"),
    ("A2", 0, (12, 30), (16, 0), "phone"),
    ("A2", 1, (7, 30), (16, 0), "absence"),
    ("A1", 1, (9, 0), (16, 0), "phone"),
)
AGENTS = rc.agents({"skills": "Q"}, {"skills": "Q", "team": "Ledighed"})
COVERAGE = pd.DataFrame(
    {
        "interval_start": [at(0, 7, 30), at(0, 7, 30), at(0, 7, 45)],
        "queue": ["Dagpenge", "A-Kasse", "Dagpenge"],
        "required": [3.0, 1.0, 2.0],
        "staffed": [1.0, 1.0, 2.0],
        "shortfall": [2.0, 0.0, 0.0],
    }
)


def test_excel_layout():
    book = openpyxl.load_workbook(io.BytesIO(roster_excel(ROSTER, AGENTS, COVERAGE)))
    assert book.sheetnames == ["Vagtplan", "Dækning", "Rækker"]
    plan = book["Vagtplan"]
    assert [c.value for c in plan[1]][:5] == [
        "Medarbejder",
        "Team",
        "Timer",
        "man 2. mar",
        "tir 3. mar",
    ]
    assert plan["A2"].value == "A1" and plan["A3"].value == "A2"
    assert plan["B3"].value == "Ledighed"
    monday_a1 = plan["D2"].value.split("\n")
    assert monday_a1 == ["07:30-15:00", "frokost 11:00", "møde 14:00-15:00"]
    assert plan["E3"].value == "ferie"
    assert plan["C2"].value == 7.5 + 7.0
    fills = {plan["D2"].fill.fgColor.rgb, plan["E3"].fill.fgColor.rgb, plan["D3"].fill.fgColor.rgb}
    assert len(fills) == 3  # early, holiday and late shifts have their own colours
    cover = book["Dækning"]
    header = [c.value for c in cover[1]]
    assert header[:4] == ["Dag", "Interval", "A-Kasse", "Dagpenge"]
    assert cover["D2"].value == "1.0 / 3"
    assert cover["D2"].fill.fgColor.rgb != cover["C2"].fill.fgColor.rgb
    raw = book["Rækker"]
    assert raw.max_row == len(ROSTER) + 1


def test_csv_round_trip(tmp_path):
    path = write_roster_csv(ROSTER, tmp_path / "roster.csv")
    text = path.read_text(encoding="utf-8")
    assert "2026-03-02T07:30:00+01:00" in text
    back = read_roster(path)
    pd.testing.assert_frame_equal(
        back[["agent_id", "start", "end", "activity"]].reset_index(drop=True),
        ROSTER[["agent_id", "start", "end", "activity"]].reset_index(drop=True),
        check_dtype=False,
    )
    assert list(back["date"]) == list(ROSTER["date"])


def test_icalendar_per_agent(tmp_path):
    stamp = dt.datetime(2026, 2, 20, 12, 0, tzinfo=dt.UTC)
    cal = Calendar.from_ical(roster_icalendar(ROSTER, "A1", stamp=stamp))
    assert cal.walk("VTIMEZONE") and cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Copenhagen"
    events = cal.walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["Frokost", "Møde", "Vagt 07:30-15:00", "Vagt 09:00-16:00"]
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        assert event["DTSTAMP"].dt == stamp
    shift = next(e for e in events if str(e["SUMMARY"]) == "Vagt 07:30-15:00")
    start = shift["DTSTART"].dt
    assert start.utcoffset() == dt.timedelta(hours=1) and start.hour == 7
    assert "frokost 11:00-11:30" in str(shift["DESCRIPTION"])
    # the same plan exported again gives the same UIDs (calendars update, not duplicate)
    again = Calendar.from_ical(roster_icalendar(ROSTER, "A1", stamp=stamp))
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(uids)
    paths = write_icalendars(ROSTER, tmp_path, stamp=stamp)
    assert [p.name for p in paths] == ["A1.ics", "A2.ics"]
    holiday = Calendar.from_ical(paths[1].read_bytes())
    absent = [e for e in holiday.walk("VEVENT") if str(e["SUMMARY"]).startswith("Ferie")]
    assert absent and absent[0]["DTSTART"].dt == dt.date(2026, 3, 3)
