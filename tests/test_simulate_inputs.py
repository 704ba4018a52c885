"""`vagtplan simulate` refuses rosters it cannot simulate, with exit code 2 and one line.

Testers found that `simulate` accepted a roster for another week than the forecast (answer
rate 0.0 %), an empty roster, the same shift twice and a ``date`` that contradicts the times
(issue 15). Each refusal here is checked through `planner.cli.main` against the message a
planner should read: the file, the row(s) and column, what was found and what was expected.
Expected weeks and dates are written out by hand (2026-11-30 is the Monday of ISO week 49).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.errors import InputError
from planner.io.roster import RosterTable, check_covers_forecast, read_roster

TZ = "Europe/Copenhagen"
HEADER = "agent_id,date,start,end,activity\n"
AGENTS = "agent_id,team,skills,weekly_hours\n101,T,Dagpenge,37\n102,T,Dagpenge,37\n"

#: A valid roster for Tuesday 2026-12-01 (ISO week 49), as the roster command writes it.
ROSTER_FULL = HEADER + (
    "101,2026-12-01,2026-12-01T08:00:00+01:00,2026-12-01T10:00:00+01:00,phone\n"
    "102,2026-12-01,2026-12-01T08:00:00+01:00,2026-12-01T09:00:00+01:00,phone\n"
    "102,2026-12-01,2026-12-01T09:00:00+01:00,2026-12-01T09:15:00+01:00,break\n"
    "102,2026-12-01,2026-12-01T09:15:00+01:00,2026-12-01T10:00:00+01:00,phone\n"
)
#: The same roster as a planner types it: clock times beside the date.
ROSTER_CLOCK = HEADER + (
    "101,2026-12-01,08:00,10:00,phone\n"
    "102,2026-12-01,08:00,09:00,phone\n"
    "102,2026-12-01,09:00,09:15,break\n"
    "102,2026-12-01,09:15,10:00,phone\n"
)


def _forecast_text(day: str = "2026-12-01") -> str:
    """Eight 15-minute intervals 08:00-10:00 (winter time, +01:00) of one queue on ``day``."""
    lines = ["interval_start,queue,offered,aht_seconds"]
    for k in range(8):
        minute = 8 * 60 + 15 * k
        lines.append(f"{day}T{minute // 60:02d}:{minute % 60:02d}:00+01:00,Dagpenge,6,300")
    return "\n".join(lines) + "\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder with forecast.csv and agents.csv (the roster is written by each test)."""
    (tmp_path / "forecast.csv").write_text(_forecast_text(), encoding="utf-8")
    (tmp_path / "agents.csv").write_text(AGENTS, encoding="utf-8")
    return tmp_path


def _simulate(folder: Path, roster_text: str, out: str = "kpi.csv") -> int:
    """Run ``vagtplan simulate`` on ``roster_text`` with two replications."""
    roster = folder / "roster.csv"
    roster.write_text(roster_text, encoding="utf-8")
    return main(
        [
            "simulate",
            "--roster",
            str(roster),
            "--forecast",
            str(folder / "forecast.csv"),
            "--agents",
            str(folder / "agents.csv"),
            "--out",
            str(folder / out),
            "--replications",
            "2",
            "--seed",
            "3",
        ]
    )


def _refused(folder: Path, roster_text: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The one-line message of a refusal (exit code 2, no traceback, nothing written)."""
    code = _simulate(folder, roster_text)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert err.startswith("vagtplan: error: roster.csv: ")
    assert err.count("\n") == 1, err  # one line
    assert not (folder / "kpi.csv").exists()
    return err.removeprefix("vagtplan: error: ").rstrip("\n")


def test_a_valid_roster_is_simulated_and_clock_times_read_as_full_times(files, capsys):
    assert _simulate(files, ROSTER_FULL, "full.csv") == 0
    assert _simulate(files, ROSTER_CLOCK, "clock.csv") == 0
    capsys.readouterr()
    full = pd.read_csv(files / "full.csv")
    assert full["offered"].sum() > 0 and (full["answered"] > 0).all()
    # the same seed and the same blocks give the same figures
    assert (files / "full.csv").read_bytes() == (files / "clock.csv").read_bytes()


def test_roster_for_another_week_is_refused(files, capsys):
    other_week = ROSTER_CLOCK.replace("2026-12-01", "2026-12-08")
    message = _refused(files, other_week, capsys)
    assert message == (
        "roster.csv: column 'start': found phone blocks in 2026-W50 (2026-12-08..2026-12-08), "
        "none inside the intervals of forecast.csv, which covers 2026-W49 "
        "(2026-12-01..2026-12-01); expected a roster for the forecast's days"
    )


def test_phone_time_touching_the_forecast_is_not_inside_it(files, capsys):
    # 07:00-08:00 ends where the forecast's first interval (08:00-08:15) starts
    before = HEADER + "101,2026-12-01,07:00,08:00,phone\n101,2026-12-01,08:00,10:00,lunch\n"
    assert "none inside the intervals of forecast.csv" in _refused(files, before, capsys)
    # one minute inside the first interval is enough to simulate
    assert _simulate(files, HEADER + "101,2026-12-01,07:00,08:01,phone\n") == 0


def test_a_roster_covering_part_of_the_forecast_is_simulated(files, capsys):
    two_days = _forecast_text() + _forecast_text("2026-12-02").split("\n", 1)[1]
    (files / "forecast.csv").write_text(two_days, encoding="utf-8")
    assert _simulate(files, ROSTER_CLOCK) == 0


@pytest.mark.parametrize(
    ("roster_text", "expected"),
    [
        (
            HEADER,
            "roster.csv: found no rows; expected one row per agent and activity block "
            "(agent_id, date, start, end, activity)",
        ),
        (
            HEADER + ",,,,\n\n",
            "roster.csv: found no rows; expected one row per agent and activity block "
            "(agent_id, date, start, end, activity)",
        ),
        (
            HEADER + "101,2026-12-01,08:00,12:00,meeting\n102,2026-12-01,08:00,16:00,absence\n"
            "101,2026-12-01,12:00,12:30,lunch\n",
            "roster.csv: column 'activity': found no 'phone' rows (3 rows of absence, lunch, "
            "meeting); expected phone blocks, the time agents answer calls",
        ),
    ],
    ids=["header only", "blank rows only", "no phone rows"],
)
def test_an_empty_roster_is_refused(files, capsys, roster_text, expected):
    assert _refused(files, roster_text, capsys) == expected


def test_the_same_shift_twice_is_refused(files, capsys):
    twice = ROSTER_FULL + (
        "101,2026-12-01,2026-12-01T08:00:00+01:00,2026-12-01T10:00:00+01:00,phone\n"
    )
    assert _refused(files, twice, capsys) == (
        "roster.csv: rows 2 and 6, columns 'start' and 'end': agent '101' has the same block "
        "twice (phone 2026-12-01 08:00-10:00); expected each block once"
    )


def test_overlapping_blocks_of_one_agent_are_refused(files, capsys):
    overlap = ROSTER_CLOCK + "102,2026-12-01,09:45,10:30,meeting\n"
    assert _refused(files, overlap, capsys) == (
        "roster.csv: rows 5 and 6, columns 'start' and 'end': agent '102' has overlapping "
        "blocks: found phone 2026-12-01 09:15-10:00 (row 5) and meeting 2026-12-01 09:45-10:30 "
        "(row 6); expected one block at a time"
    )


def test_overlap_rows_count_blank_lines_as_a_spreadsheet_does(files, capsys):
    # the blank line is row 3 of the file, so the second block is row 4
    text = HEADER + "101,2026-12-01,08:00,10:00,phone\n\n101,2026-12-01,09:00,09:30,break\n"
    assert _refused(files, text, capsys).startswith(
        "roster.csv: rows 2 and 4, columns 'start' and 'end': agent '101' has overlapping"
    )


def test_two_activities_at_the_same_time_are_refused(files, capsys):
    text = HEADER + "101,2026-12-01,08:00,10:00,phone\n101,2026-12-01,08:00,10:00,training\n"
    assert _refused(files, text, capsys) == (
        "roster.csv: rows 2 and 3, columns 'start' and 'end': agent '101' has two blocks at the "
        "same time (phone 2026-12-01 08:00-10:00 as phone and as training); expected one block "
        "at a time"
    )


def test_blocks_of_different_agents_may_overlap_and_touching_blocks_are_fine(files, capsys):
    text = HEADER + (
        "101,2026-12-01,08:00,09:00,phone\n"
        "101,2026-12-01,09:00,09:15,off_phone\n"
        "101,2026-12-01,09:15,10:00,phone\n"
        "102,2026-12-01,08:00,10:00,phone\n"
    )
    assert _simulate(files, text) == 0


def test_a_date_that_contradicts_the_start_is_refused(files, capsys):
    text = ROSTER_FULL.replace(
        "102,2026-12-01,2026-12-01T09:00", "102,2026-11-30,2026-12-01T09:00", 1
    )
    assert _refused(files, text, capsys) == (
        "roster.csv: row 4, columns 'date', 'start': found '2026-11-30', "
        "'2026-12-01T09:00:00+01:00'; expected the local date of the block's start"
    )


def test_unknown_agent_names_the_file_row(files, capsys):
    text = HEADER + "101,2026-12-01,08:00,10:00,phone\n\n\n999,2026-12-01,08:00,10:00,phone\n"
    assert _refused(files, text, capsys) == (
        "roster.csv: row 5, column 'agent_id': agent '999' is not in the agents file "
        "agents.csv; expected the agent ids of that file"
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "101,2026-12-01,16:00,08:00,phone",
            "roster.csv: row 2, columns 'start', 'end': found '16:00', '08:00'; expected an end "
            "after the start (a block past midnight needs full date-times)",
        ),
        (
            "101,2026-12-01,8 o'clock,10:00,phone",
            "roster.csv: row 2, column 'start': cannot read '8 o'clock' as a time; expected a "
            "time like 2026-03-02T10:15:00+01:00, 2026-03-02 10:15 or 02-03-2026 10:15",
        ),
        (
            "101,2026-12-01,08:00,25:00,phone",
            "roster.csv: row 2, column 'end': found '25:00'; expected a clock time from 00:00 "
            "to 24:00 beside the date, or a time like 2026-03-02T10:15:00+01:00, 2026-03-02 "
            "10:15 or 02-03-2026 10:15",
        ),
        (
            ",2026-12-01,08:00,10:00,phone",
            "roster.csv: row 2, column 'agent_id': found an empty cell; expected an agent id "
            "(a pseudonym like A01)",
        ),
    ],
    ids=["end before start", "unreadable time", "clock past 24:00", "no agent id"],
)
def test_bad_cells_are_named(files, capsys, row, expected):
    assert _refused(files, HEADER + row + "\n", capsys) == expected


# --- reading clock times beside the date -----------------------------------------------------


def _local(day: str, clock: str) -> pd.Timestamp:
    """A local Copenhagen time, localised by pandas (the independent reference)."""
    return pd.Timestamp(f"{day} {clock}").tz_localize(TZ)


def test_clock_times_read_as_local_time_on_the_date():
    roster = read_roster("roster.csv", data=ROSTER_CLOCK.encode())
    assert list(roster["agent_id"]) == ["101", "102", "102", "102"]
    assert list(roster["date"]) == [dt.date(2026, 12, 1)] * 4
    assert roster["start"].tolist() == [
        _local("2026-12-01", c) for c in ("08:00", "08:00", "09:00", "09:15")
    ]
    full = read_roster("roster.csv", data=ROSTER_FULL.encode())
    pd.testing.assert_frame_equal(roster, full, check_dtype=False)


def test_24_00_ends_the_day_and_summer_time_is_kept():
    text = HEADER + "101,2026-06-15,16:00,24:00,phone\n101,2026-06-16,8.00,12.00,phone\n"
    roster = read_roster("roster.csv", data=text.encode())
    assert roster["end"].iloc[0] == pd.Timestamp("2026-06-16T00:00:00+02:00")
    assert roster["start"].iloc[1] == pd.Timestamp("2026-06-16T08:00:00+02:00")


def test_the_repeated_autumn_hour_is_counted_per_agent():
    # 2026-10-25 02:30 happens twice in Copenhagen; each agent's first 02:30 is summer time
    text = HEADER + (
        "101,2026-10-25,02:00,02:30,phone\n"
        "102,2026-10-25,02:00,02:30,phone\n"
        "101,2026-10-25,02:30,02:45,break\n"
    )
    roster = read_roster("roster.csv", data=text.encode())
    summer = pd.Timestamp("2026-10-25T02:30:00+02:00")
    assert roster["end"].tolist()[:2] == [summer, summer]
    assert roster["start"].iloc[2] == summer


# --- the forecast check against a brute-force reference --------------------------------------

_DAY = pd.Timestamp("2026-12-01T00:00:00+01:00")


def _brute_force_inside(blocks: list[tuple[int, int]], starts: list[int], step: int) -> bool:
    """Some block [s, e) meets some interval [t, t + step): minute by minute, by hand."""
    covered = {t + k for t in starts for k in range(step)}
    return any(minute in covered for s, e in blocks for minute in range(s, e))


@settings(max_examples=60, deadline=None)
@given(
    blocks=st.lists(
        st.tuples(st.integers(0, 23 * 60), st.integers(1, 120)).map(lambda b: (b[0], b[0] + b[1])),
        min_size=1,
        max_size=4,
    ),
    first=st.integers(0, 40).map(lambda k: 15 * k),
    count=st.integers(1, 30),
    step=st.sampled_from([15, 30, 60]),
)
def test_phone_time_inside_the_forecast_matches_a_brute_force_count(blocks, first, count, step):
    starts = [first + step * k for k in range(count)]
    roster = pd.DataFrame(
        {
            "agent_id": [f"A{k}" for k in range(len(blocks))],
            "date": [_DAY.date()] * len(blocks),
            "start": [_DAY + pd.Timedelta(minutes=s) for s, _ in blocks],
            "end": [_DAY + pd.Timedelta(minutes=e) for _, e in blocks],
            "activity": ["phone"] * len(blocks),
        }
    )
    forecast = pd.DataFrame({"interval_start": [_DAY + pd.Timedelta(minutes=t) for t in starts]})
    table = RosterTable(roster, "roster.csv", pd.RangeIndex(2, 2 + len(blocks)).to_numpy())
    expected_inside = _brute_force_inside(blocks, starts, step if count > 1 else 15)
    if expected_inside:
        check_covers_forecast(table, forecast)
    else:
        with pytest.raises(InputError, match="none inside the intervals of the forecast"):
            check_covers_forecast(table, forecast)
