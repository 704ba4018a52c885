"""Excel cells as Excel writes them are read as the CSV saved from the same sheet.

A planner types ``08:00`` (Excel stores the fraction of a day 0.333333333333333 with a time
format), a date (the serial number of days since 1899-12-30 with a date format) and agent ids
like ``101`` (a number, read as ``101.0`` once a blank row makes the column a float column).
The workbooks are written here with openpyxl in Excel's own storage form (numbers plus number
formats), and each is compared with the CSV text a planner would have typed by hand.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import InputError
from planner.io.agents import read_agents
from planner.io.roster import read_roster
from planner.io.tables import cell_text, day_fraction_clock, load_table

#: Excel's day 0: serial numbers count days from here (the 1900 date system).
EXCEL_DAY_0 = dt.date(1899, 12, 30)
TIME = "hh:mm"  # the format Excel gives a cell when 08:00 is typed into it
TIME_SECONDS = "hh:mm:ss"
DATE = "dd-mm-yyyy"  # a Danish date format
DATE_TIME = "dd-mm-yyyy hh:mm"
DURATION = "[h]:mm"


def excel_time(hours: int, minutes: int, seconds: int = 0) -> float:
    """A clock time as Excel stores it: a fraction of a day, to 15 significant digits."""
    return float(f"{(hours * 3600 + minutes * 60 + seconds) / 86400:.15g}")


def excel_date(day: dt.date) -> int:
    """A date as Excel stores it: its serial number."""
    return (day - EXCEL_DAY_0).days


class Cell:
    """A value with the number format Excel shows it in."""

    def __init__(self, value: float, number_format: str) -> None:
        self.value, self.number_format = value, number_format


def workbook(header: list[str], rows: list[list[object]]) -> bytes:
    """An .xlsx with one sheet: the header, then the rows (`Cell` for formatted numbers)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, Cell):
                cell = sheet.cell(row=r, column=c, value=value.value)
                cell.number_format = value.number_format
            elif value is not None:
                sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- agents ----------------------------------------------------------------------------------

AGENT_HEADER = [
    "agent_id",
    "team",
    "skills",
    "weekly_hours",
    "earliest_start",
    "latest_end",
    "unavailable",
    "preferences",
]


def test_agents_typed_in_excel_read_as_the_csv():
    rows = [
        [
            101,
            1,
            "Dagpenge;A-Kasse",
            37,
            Cell(excel_time(8, 0), TIME),
            Cell(excel_time(16, 0), TIME),
            Cell(excel_date(dt.date(2026, 7, 6)), DATE),
            "early",
        ],
        [None] * 8,  # a blank row makes the number columns float columns
        [
            102,
            None,
            "Dagpenge",
            32.5,
            Cell(excel_time(7, 30), TIME),
            Cell(1.0, DURATION),  # 24:00 typed in a [h]:mm cell
            "2026-07-06;2026-07-07",
            None,
        ],
        [103, 2, "Dagpenge", 37.0, None, None, Cell(excel_date(dt.date(2026, 7, 13)), DATE), None],
    ]
    csv = (
        ",".join(AGENT_HEADER) + "\n"
        "101,1,Dagpenge;A-Kasse,37,08:00,16:00,2026-07-06,early\n"
        "\n"
        "102,,Dagpenge,32.5,07:30,24:00,2026-07-06;2026-07-07,\n"
        "103,2,Dagpenge,37,,,2026-07-13,\n"
    )
    from_excel = read_agents("agents.xlsx", data=workbook(AGENT_HEADER, rows))
    from_csv = read_agents("agents.csv", data=csv.encode())
    pd.testing.assert_frame_equal(from_excel, from_csv)
    assert from_excel["agent_id"].tolist() == ["101", "102", "103"]
    assert from_excel["team"].tolist() == ["1", "", "2"]
    assert from_excel["earliest_start"].tolist() == ["08:00", "07:30", ""]
    assert from_excel["latest_end"].tolist() == ["16:00", "24:00", ""]
    assert from_excel["weekly_hours"].tolist() == [37.0, 32.5, 37.0]


def test_agents_excel_errors_name_the_same_row_as_the_csv():
    rows = [[101, "T", "Dagpenge", 37], [None] * 4, [102, "T", "Dagpenge", "many"]]
    csv = "agent_id,team,skills,weekly_hours\n101,T,Dagpenge,37\n\n102,T,Dagpenge,many\n"
    messages = []
    for name, data in (
        ("agents.xlsx", workbook(AGENT_HEADER[:4], rows)),
        ("agents.csv", csv.encode()),
    ):
        with pytest.raises(InputError) as caught:
            read_agents(name, data=data)
        messages.append(str(caught.value).split(": ", 1)[1])
    assert messages[0] == messages[1]
    assert messages[0].startswith("row 4, column 'weekly_hours': found 'many'")


def test_a_time_cell_that_lost_its_format_is_read_in_a_column_of_times():
    rows = [
        [101, "T", "Dagpenge", 37, Cell(excel_time(8, 0), TIME), None, None, None],
        [102, "T", "Dagpenge", 37, excel_time(9, 15), None, None, None],  # General format
    ]
    agents = read_agents("agents.xlsx", data=workbook(AGENT_HEADER, rows))
    assert agents["earliest_start"].tolist() == ["08:00", "09:15"]


# --- roster ----------------------------------------------------------------------------------

ROSTER_HEADER = ["agent_id", "date", "start", "end", "activity"]
#: What both workbooks below hold, written out in full (Copenhagen winter time is +01:00).
ROSTER_CSV = (
    "agent_id,date,start,end,activity\n"
    "101,2026-11-30,2026-11-30T08:00:00+01:00,2026-11-30T12:00:00+01:00,phone\n"
    "101,2026-11-30,2026-11-30T12:00:00+01:00,2026-11-30T12:30:00+01:00,lunch\n"
    "101,2026-11-30,2026-11-30T12:30:00+01:00,2026-11-30T16:00:00+01:00,phone\n"
    "102,2026-12-01,2026-12-01T07:45:00+01:00,2026-12-01T15:15:00+01:00,off_phone\n"
)
BLOCKS = [
    (101, dt.date(2026, 11, 30), (8, 0), (12, 0), "phone"),
    (101, dt.date(2026, 11, 30), (12, 0), (12, 30), "lunch"),
    (101, dt.date(2026, 11, 30), (12, 30), (16, 0), "phone"),
    (102, dt.date(2026, 12, 1), (7, 45), (15, 15), "off_phone"),
]


def test_roster_with_date_and_time_cells_reads_as_full_timestamps():
    rows: list[list[object]] = [
        [
            agent,
            Cell(excel_date(day), DATE),
            Cell(excel_time(*start), TIME),
            Cell(excel_time(*end), TIME),
            activity,
        ]
        for agent, day, start, end, activity in BLOCKS
    ]
    rows.insert(2, [None] * 5)
    expected = read_roster("roster.csv", data=ROSTER_CSV.encode())
    got = read_roster("roster.xlsx", data=workbook(ROSTER_HEADER, rows))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got["agent_id"].tolist() == ["101", "101", "101", "102"]


def test_roster_with_date_time_cells_reads_as_full_timestamps():
    def stamp(day: dt.date, clock: tuple[int, int]) -> Cell:
        return Cell(excel_date(day) + excel_time(*clock), DATE_TIME)

    rows = [
        [agent, Cell(excel_date(day), DATE), stamp(day, start), stamp(day, end), activity]
        for agent, day, start, end, activity in BLOCKS
    ]
    expected = read_roster("roster.csv", data=ROSTER_CSV.encode())
    got = read_roster("roster.xlsx", data=workbook(ROSTER_HEADER, rows))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_roster_csv_with_clock_times_reads_as_full_timestamps():
    clock_csv = "agent_id,date,start,end,activity\n" + "".join(
        f"{agent},{day},{s[0]:02d}:{s[1]:02d},{e[0]:02d}:{e[1]:02d},{activity}\n"
        for agent, day, s, e, activity in BLOCKS
    )
    expected = read_roster("roster.csv", data=ROSTER_CSV.encode())
    pd.testing.assert_frame_equal(read_roster("roster.csv", data=clock_csv.encode()), expected)


def test_roster_time_fractions_without_format_read_as_clock_times():
    rows = [
        [agent, day.isoformat(), excel_time(*start), excel_time(*end), activity]
        for agent, day, start, end, activity in BLOCKS
    ]
    expected = read_roster("roster.csv", data=ROSTER_CSV.encode())
    got = read_roster("roster.xlsx", data=workbook(ROSTER_HEADER, rows))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_excel_roster_errors_name_the_spreadsheet_row():
    rows: list[list[object]] = [
        [101, Cell(excel_date(dt.date(2026, 11, 30)), DATE), "08:00", "12:00", "phone"],
        [None] * 5,
        [101, Cell(excel_date(dt.date(2026, 11, 30)), DATE), "11:00", "13:00", "meeting"],
    ]
    with pytest.raises(InputError) as caught:
        read_roster("roster.xlsx", data=workbook(ROSTER_HEADER, rows))
    assert str(caught.value).startswith(
        "roster.xlsx: rows 2 and 4, columns 'start' and 'end': agent '101' has overlapping "
        "blocks: found phone 2026-11-30 08:00-12:00 (row 2) and meeting 2026-11-30 11:00-13:00"
    )


# --- cells, one by one -----------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)),
        min_size=1,
        max_size=30,
    )
)
def test_clock_times_in_time_cells_read_back_equal(clocks):
    rows = [[Cell(excel_time(h, m, s), TIME_SECONDS)] for h, m, s in clocks]
    table = load_table(data=workbook(["start"], rows), name="times.xlsx")
    expected = [f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "") for h, m, s in clocks]
    assert table.frame["start"].tolist() == expected


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31)), min_size=1, max_size=30),
    st.integers(0, 5),
)
def test_date_cells_read_back_as_iso_dates(days, blank_at):
    rows: list[list[object]] = [[Cell(excel_date(d), DATE)] for d in days]
    rows.insert(min(blank_at, len(rows)), [None])
    table = load_table(data=workbook(["unavailable"], rows), name="dates.xlsx")
    assert table.frame["unavailable"].tolist() == [d.isoformat() for d in days]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=30),
    st.integers(0, 5),
    st.booleans(),
)
def test_whole_numbers_read_back_without_a_decimal_part(ids, blank_at, blank_cell):
    rows: list[list[object]] = [[n, "x"] for n in ids]
    rows.insert(min(blank_at, len(rows)), [None, None])  # a blank row: a float column
    if blank_cell:
        rows.append([None, "y"])  # a blank cell in a row that stays
    frame = load_table(data=workbook(["agent_id", "other"], rows), name="ids.xlsx").frame
    texts = [cell_text(v) for v in frame["agent_id"]]
    assert texts == [str(n) for n in ids] + ([""] if blank_cell else [])
    assert [str(v) for v in frame["agent_id"]][: len(ids)] == [str(n) for n in ids]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (101.0, "101"),
        (32.5, "32.5"),
        (float("nan"), ""),
        (None, ""),
        (dt.time(8, 0), "08:00"),
        (dt.time(7, 59, 59, 999_000), "08:00"),  # Excel's binary fractions, to the second
        (dt.time(16, 30, 15), "16:30:15"),
        (dt.timedelta(days=1), "24:00"),
        (dt.date(2026, 7, 6), "2026-07-06"),
        (dt.datetime(2026, 7, 6), "2026-07-06"),
        (pd.Timestamp("2026-11-30 08:00"), "2026-11-30T08:00:00"),
        (pd.Timestamp("2026-11-30T08:00:00+01:00"), "2026-11-30T08:00:00+01:00"),
        (dt.datetime(1899, 12, 30, 9, 15), "09:15"),  # a time on Excel's day 0
        ("A01", "A01"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("hours", "minutes"), [(0, 0), (8, 0), (9, 15), (12, 0), (16, 45), (23, 59)]
)
def test_day_fraction_clock(hours, minutes):
    assert day_fraction_clock(excel_time(hours, minutes)) == f"{hours:02d}:{minutes:02d}"


def test_day_fraction_clock_refuses_numbers_outside_a_day():
    with pytest.raises(ValueError, match="fraction of a day from 0 to 1; got 1.5"):
        day_fraction_clock(1.5)


def test_history_excel_keeps_its_numbers_and_times(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "interval_start": pd.date_range("2026-03-02 08:00", periods=3, freq="15min"),
            "queue": ["Dagpenge"] * 3,
            "offered": [12, 7, 3],
            "aht_seconds": [301.5, 280.0, 250.25],
        }
    )
    path = tmp_path / "history.xlsx"
    frame.to_excel(path, index=False)
    read = load_table(path).frame
    assert pd.api.types.is_datetime64_dtype(read["interval_start"])
    assert read["interval_start"].tolist() == frame["interval_start"].tolist()
    assert read["offered"].tolist() == [12, 7, 3]
    assert read["aht_seconds"].tolist() == [301.5, 280.0, 250.25]
