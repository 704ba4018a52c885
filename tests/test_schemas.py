"""The input contracts' schemas (`planner.io.schemas`, issue 15): what they accept and refuse.

Each schema accepts the data the project ships and writes (``data/``, ``sampledata``, what
``vagtplan forecast`` and ``vagtplan staff`` write, the corpus's good files) and refuses
values at and past the contracts' limits with one line naming the file, the row (or TOML key),
the column, what was found and what was expected. The values below are chosen from the
contracts (DESIGN.md, the limits' documentation), not read back from the code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.cli import main
from planner.errors import InputError
from planner.io import default_data
from planner.io.agents import read_agents
from planner.io.events import read_events
from planner.io.forecast import read_forecast
from planner.io.history import HistoryError, load_history
from planner.io.requirements import read_requirements
from planner.io.roster import read_roster
from planner.io.scenarios import load_scenarios
from planner.io.schemas import (
    AgentsSchema,
    EventsSchema,
    ForecastSchema,
    HistorySchema,
    RequirementsSchema,
    RosterSchema,
    ScenariosSchema,
    check_frame,
    failure_lines,
    schema_failures,
)

TZ = "Europe/Copenhagen"
CORPUS = Path(__file__).parent / "data" / "corpus"
COUNTS = ["offered", "answered", "abandoned", "abandoned_short", "transferred"]


def refused(path: Path | str, reader, *args, **kwargs) -> str:
    """The one-line message of a reader's refusal."""
    with pytest.raises(InputError) as caught:
        reader(path, *args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


# -- the data the project ships and writes passes --------------------------------------------


def test_history_schema_accepts_the_default_and_the_synthetic_history(tmp_path: Path) -> None:
    from sampledata.synthetic import generate_history

    loaded = load_history(default_data.HISTORY)
    as_read = loaded.frame.astype({c: float for c in COUNTS if c in loaded.frame})
    assert schema_failures(HistorySchema, as_read) == []
    fresh = generate_history(start="2025-03-03", end="2025-03-09")
    assert schema_failures(HistorySchema, fresh.astype({c: float for c in COUNTS})) == []
    path = tmp_path / "synthetic.csv"
    fresh.assign(interval_start=fresh["interval_start"].map(lambda t: t.isoformat())).to_csv(
        path, index=False
    )
    assert len(load_history(path, fill_missing=False).frame) == len(fresh)


def test_forecast_and_requirements_the_pipeline_writes_pass(tmp_path: Path) -> None:
    forecast_csv, requirements_csv = tmp_path / "forecast.csv", tmp_path / "requirements.csv"
    last_line = default_data.HISTORY.read_text(encoding="utf-8").rstrip().rsplit("\n", 1)[1]
    start = dt.date.fromisoformat(last_line[:10]) + dt.timedelta(days=3)  # after the history
    code = main(
        ["forecast", "--start", start.isoformat(), "--days", "2", "--model", "seasonal_naive"]
        + ["--out", str(forecast_csv)]
    )
    assert code == 0
    forecast = read_forecast(forecast_csv, uncertainty=True)
    assert len(forecast) > 0 and schema_failures(ForecastSchema, forecast) == []
    assert main(["staff", "--forecast", str(forecast_csv), "--out", str(requirements_csv)]) == 0
    requirements = read_requirements(requirements_csv)
    contract = [c for c in requirements.columns if c in RequirementsSchema.to_schema().columns]
    assert schema_failures(RequirementsSchema, requirements[contract]) == []


def test_sample_requirements_pass() -> None:
    from sampledata.agents import make_sample_requirements

    sample = make_sample_requirements(days=2).astype({"agents": float})
    assert schema_failures(RequirementsSchema, sample) == []


def _clock_minutes(text: str) -> float:
    if not text:
        return np.nan
    hours, minutes = text.split(":")
    return 60.0 * int(hours) + int(minutes)


def agents_as_checked(agents: pd.DataFrame) -> pd.DataFrame:
    """An agents table as `AgentsSchema` sees it: clock times as minutes, blanks as None."""
    out = agents.copy()
    for column in ("earliest_start", "latest_end"):
        out[column] = [_clock_minutes(str(v)) for v in out[column]]
    for column in ("team", "unavailable", "preferences"):
        out[column] = out[column].where(out[column] != "", None)
    return out.astype({"weekly_hours": float})


def test_agents_the_project_ships_pass() -> None:
    from sampledata.agents import make_sample_agents

    shipped = read_agents(default_data.AGENTS)
    assert len(shipped) == 34
    assert schema_failures(AgentsSchema, agents_as_checked(shipped)) == []
    sample = make_sample_agents().fillna("").astype(str)
    assert schema_failures(AgentsSchema, agents_as_checked(sample)) == []


@pytest.mark.parametrize(
    ("reader", "path", "schema"),
    [
        (read_forecast, "forecast/good_basic.csv", ForecastSchema),
        (read_forecast, "forecast/good_danish.csv", ForecastSchema),
        (read_roster, "roster/good_basic.csv", RosterSchema),
        (read_roster, "roster/good_clock_times.csv", RosterSchema),
    ],
)
def test_the_corpus_good_tables_pass(reader, path: str, schema) -> None:
    frame = reader(CORPUS / path)
    assert len(frame) > 0 and schema_failures(schema, frame) == []


def test_the_corpus_good_toml_files_pass() -> None:
    events = read_events(CORPUS / "events" / "good_basic.toml", ["Dagpenge", "A-Kasse"])
    assert [e.kind for e in events] == ["event", "adjustment"]
    agents = read_agents(CORPUS / "agents" / "good_basic.csv")
    forecast = read_forecast(CORPUS / "forecast" / "good_basic.csv")
    scenarios = load_scenarios(
        CORPUS / "scenarios" / "good_basic.toml", agents=agents, forecast=forecast
    )
    assert [s.name for s in scenarios] == ["A01 syg mandag", "Flere opkald"]


# -- history: values at and past the limits --------------------------------------------------

HISTORY_HEADER = (
    "interval_start,queue,offered,answered,abandoned,abandoned_short,transferred,"
    "aht_seconds,asa_seconds\n"
)


def history_file(tmp_path: Path, *rows: str) -> Path:
    """Rows 10:00, 10:15, ... of one queue on Tuesday 2025-03-04 (cells after the queue)."""
    lines = [
        f"2025-03-04T10:{15 * i:02d}:00+01:00,Dagpenge,{cells}" for i, cells in enumerate(rows)
    ]
    path = tmp_path / "h.csv"
    path.write_text(HISTORY_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD_ROW = "10,8,2,1,3,240.5,20"


def test_history_counts_up_to_the_limit_pass(tmp_path: Path) -> None:
    path = history_file(tmp_path, GOOD_ROW, "100000,99990,10,10,0,180,5", "0,0,0,0,0,,")
    assert load_history(path, fill_missing=False).frame["offered"].max() == 100_000


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            "100001,0,0,0,0,,",
            "h.csv: row 3, column 'offered': found '100001'; expected at most 100,000 calls in "
            "one queue and interval",
        ),
        ("7.5,0,0,0,0,,", "h.csv: row 3, column 'offered': found '7.5'; expected a whole number"),
        ("7,-1,0,0,0,,", "h.csv: row 3, column 'answered': found '-1'; expected a whole number"),
        (
            "7,6,2,0,0,100,5",
            "h.csv: row 3, columns 'answered', 'abandoned', 'offered': found '6', '2', '7'; "
            "expected answered + abandoned <= offered",
        ),
        (
            "7,5,2,3,0,100,5",
            "h.csv: row 3, columns 'abandoned_short', 'abandoned': found '3', '2'; expected "
            "abandoned_short <= abandoned",
        ),
        (
            "7,5,2,1,6,100,5",
            "h.csv: row 3, columns 'transferred', 'answered': found '6', '5'; expected "
            "transferred <= answered",
        ),
        (
            "7,5,2,1,0,0,5",
            "h.csv: row 3, columns 'aht_seconds', 'answered': found '0', '5'; expected a mean "
            "handle time > 0 seconds where calls were answered",
        ),
        (
            "7,5,2,1,0,100,-0.5",
            "h.csv: row 3, column 'asa_seconds': found '-0.5'; expected seconds as a number >= 0",
        ),
        ("7,5,2,1,0,100,inf", "h.csv: row 3, column 'asa_seconds': found 'inf'; expected"),
    ],
)
def test_history_values_past_the_contract_are_refused(
    tmp_path: Path, cells: str, message: str
) -> None:
    path = history_file(tmp_path, GOOD_ROW, cells)
    with pytest.raises(HistoryError) as caught:
        load_history(path)
    assert caught.value.problems[0].startswith(message)
    assert len(caught.value.problems) == 1  # one bad cell, one problem


def test_a_history_time_in_1899_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "interval_start,queue,offered\n1899-12-29 10:00,Dagpenge,1\n2025-03-04 10:00,Dagpenge,1\n",
        encoding="utf-8",
    )
    assert refused(path, load_history).startswith(
        "h.csv: row 2, column 'interval_start': found '1899-12-29 10:00'; expected a time in "
        "the years 1900 to 2199"
    )


def test_history_problems_name_the_columns_as_the_file_spells_them(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "Tidspunkt;Kø;Tilbudte;Besvarede\n"
        "04-03-2025 10:00;Dagpenge;5;6\n"
        "04-03-2025 10:15;Dagpenge;5;-3\n",
        encoding="cp1252",
    )
    with pytest.raises(HistoryError) as caught:
        load_history(path)
    assert caught.value.problems == [
        "h.csv: row 2, columns 'Besvarede', 'Tilbudte': found '6', '5'; expected answered + "
        "abandoned <= offered",
        "h.csv: row 3, column 'Besvarede': found '-3'; expected a whole number >= 0",
    ]


# -- forecast and requirements ---------------------------------------------------------------

FORECAST_HEADER = "interval_start,queue,offered,offered_lo,offered_hi,aht_seconds\n"


def forecast_file(tmp_path: Path, *rows: str) -> Path:
    lines = [
        f"2026-03-02T08:{15 * i:02d}:00+01:00,Dagpenge,{cells}" for i, cells in enumerate(rows)
    ]
    path = tmp_path / "f.csv"
    path.write_text(FORECAST_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_forecast_values_at_the_limits_pass(tmp_path: Path) -> None:
    path = forecast_file(tmp_path, "0,0,0,0.5", "100000,99000,100000,14400", "10,10,10,300")
    forecast = read_forecast(path, uncertainty=True)
    assert forecast["aht_seconds"].tolist() == [0.5, 14400.0, 300.0]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            "100000.5,0,100001,300",
            "f.csv: row 3, column 'offered': found 100000.5; expected at most 100,000 calls per "
            "queue and interval",
        ),
        ("-0.5,0,1,300", "f.csv: row 3, column 'offered': found -0.5; expected a number of calls"),
        (
            "10,11,12,300",
            "f.csv: row 3, columns 'offered_lo', 'offered', 'offered_hi': found 11, 10, 12; "
            "expected offered_lo <= offered <= offered_hi",
        ),
        (
            "10,8,12,14401",
            "f.csv: row 3, column 'aht_seconds': found 14401; expected a handle time of at most "
            "14,400 s (4 hours)",
        ),
        ("10,8,12,0", "f.csv: row 3, column 'aht_seconds': found 0; expected a handle time in"),
        ("10,8,12,", "f.csv: row 3, column 'aht_seconds': found an empty cell; expected a number"),
        ("ti,8,12,300", "f.csv: row 3, column 'offered': found 'ti'; expected a number"),
        ("-inf,8,12,300", "f.csv: row 3, column 'offered': found '-inf'; expected a number"),
    ],
)
def test_forecast_values_past_the_contract_are_refused(
    tmp_path: Path, cells: str, message: str
) -> None:
    path = forecast_file(tmp_path, "10,8,12,300", cells)
    assert refused(path, read_forecast).startswith(message)


def test_a_repeated_forecast_interval_names_the_first_row(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        FORECAST_HEADER + "2026-03-02 08:00,Dagpenge,1,1,1,300\n"
        "2026-03-02 08:15,Dagpenge,1,1,1,300\n"
        "2026-03-02 08:00,Dagpenge,2,2,2,300\n",
        encoding="utf-8",
    )
    assert refused(path, read_forecast) == (
        "f.csv: row 4, columns 'queue', 'interval_start': found 'Dagpenge', '2026-03-02 08:00' "
        "again (first in row 2); expected one row per queue and interval"
    )


def test_requirements_limits(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    head = "interval_start,queue,agents,offered,patience_seconds\n"
    path.write_text(
        head + "2026-03-02T08:00:00+01:00,Dagpenge,10000000,,86400\n"
        "2026-03-02T08:15:00+01:00,Dagpenge,0,0,\n",
        encoding="utf-8",
    )
    assert read_requirements(path)["agents"].tolist() == [10_000_000.0, 0.0]
    path.write_text(
        head + "2026-03-02T08:00:00+01:00,Dagpenge,3,,86401\n"
        "2026-03-02T08:15:00+01:00,Dagpenge,10000001,,\n",
        encoding="utf-8",
    )
    assert refused(path, read_requirements) == (
        "r.csv: row 2, column 'patience_seconds': found '86401'; expected a patience from 0 to "
        "86,400 s or an empty cell (and 1 more problem)"
    )


# -- agents ----------------------------------------------------------------------------------

AGENTS_HEADER = "agent_id,team,skills,weekly_hours,earliest_start,latest_end\n"


def agents_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "agents.csv"
    path.write_text(AGENTS_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_agents_at_the_limits_pass(tmp_path: Path) -> None:
    path = agents_file(tmp_path, "A1,T,Dagpenge,60,00:00,24:00", "A2,,Dagpenge,0.5,07:55,")
    agents = read_agents(path)
    assert agents["latest_end"].tolist() == ["24:00", ""]
    assert agents["weekly_hours"].tolist() == [60.0, 0.5]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "A2,T,Dagpenge,0,,",
            "agents.csv: row 3, column 'weekly_hours': found '0'; expected contract hours a week "
            "in (0, 60]",
        ),
        ("A2,T,Dagpenge,60.5,,", "agents.csv: row 3, column 'weekly_hours': found '60.5'"),
        (
            "A2,T,Dagpenge,37,08:03,",
            "agents.csv: row 3, column 'earliest_start': found '08:03'; expected a clock time on "
            "the 5-minute grid like 08:00 or 08:05",
        ),
        ("A2,T,Dagpenge,37,,24:05", "agents.csv: row 3, column 'latest_end': found '24:05'"),
        (
            "A2,T,Dagpenge,37,12:00,12:00",
            "agents.csv: row 3, columns 'earliest_start', 'latest_end': found '12:00', '12:00'; "
            "expected a latest_end after earliest_start",
        ),
        (
            "A1,T,Dagpenge,37,,",
            "agents.csv: row 3, column 'agent_id': found 'A1' again (first in row 2); expected "
            "one row per agent",
        ),
        (",T,Dagpenge,37,,", "agents.csv: row 3, column 'agent_id': found an empty cell"),
    ],
)
def test_agents_past_the_contract_are_refused(tmp_path: Path, row: str, message: str) -> None:
    path = agents_file(tmp_path, "A1,T,Dagpenge,37,,", row)
    assert refused(path, read_agents).startswith(message)


# -- roster ----------------------------------------------------------------------------------

ROSTER_HEADER = "agent_id,date,start,end,activity\n"


def roster_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_autumn_night_block_of_25_hours_passes(tmp_path: Path) -> None:
    path = roster_file(
        tmp_path, "A1,2026-10-24,2026-10-24T08:00:00+02:00,2026-10-25T08:00:00+01:00,absence"
    )
    roster = read_roster(path)
    assert (roster["end"] - roster["start"]).tolist() == [pd.Timedelta(hours=25)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "A2,2026-03-02,08:00,12:00,kaffe",
            "roster.csv: row 3, column 'activity': found 'kaffe'; expected one of phone, "
            "off_phone, break, lunch, meeting, training, absence",
        ),
        (
            "A2,2026-03-02,2026-03-02T08:00:00+01:00,2026-03-03T09:01:00+01:00,absence",
            "roster.csv: row 3, columns 'start', 'end': found '2026-03-02T08:00:00+01:00', "
            "'2026-03-03T09:01:00+01:00'; expected a block of at most a day",
        ),
        (
            "A2,2026-03-03,2026-03-02T08:00:00+01:00,2026-03-02T09:00:00+01:00,phone",
            "roster.csv: row 3, columns 'date', 'start': found '2026-03-03', "
            "'2026-03-02T08:00:00+01:00'; expected the local date of the block's start",
        ),
        (
            "A2,2026-03-02,2026-03-02T08:00:30+01:00,2026-03-02T09:00:00+01:00,phone",
            "roster.csv: row 3, column 'start': found '2026-03-02T08:00:30+01:00'; expected a "
            "time on whole minutes",
        ),
        (
            "A2,2200-01-05,08:00,09:00,phone",
            "roster.csv: row 3, column 'date': found '2200-01-05'; expected a date in the years "
            "1900 to 2199",
        ),
    ],
)
def test_roster_rows_past_the_contract_are_refused(tmp_path: Path, row: str, message: str) -> None:
    path = roster_file(tmp_path, "A1,2026-03-02,08:00,12:00,phone", row)
    assert refused(path, read_roster).startswith(message)


# -- the TOML contracts ----------------------------------------------------------------------


def events_file(tmp_path: Path, size: str, start: str = "2026-03-02") -> Path:
    path = tmp_path / "events.toml"
    path.write_text(
        f'[[event]]\nname = "Reform"\nqueue = "Dagpenge"\nstart = {start}\n{size}\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("size", ["percent = 10000", "percent = -100", "lift = -1", "calls = -1e7"])
def test_event_sizes_at_the_limits_pass(tmp_path: Path, size: str) -> None:
    assert len(read_events(events_file(tmp_path, size), ["Dagpenge"])) == 1


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (
            "percent = 10001",
            "events.toml: event[1].percent: found 10001; expected a percent from -100 to 10,000",
        ),
        ("lift = 100.5", "events.toml: event[1].lift: found 100.5; expected a lift from -1 to 100"),
        (
            "calls = -10000001",
            "events.toml: event[1].calls: found -10000001; expected at most 10,000,000 calls",
        ),
    ],
)
def test_event_sizes_past_the_limits_are_refused(tmp_path: Path, size: str, message: str) -> None:
    path = events_file(tmp_path, size)
    assert refused(path, read_events, ["Dagpenge"]).startswith(message)


def test_an_event_in_1899_is_refused(tmp_path: Path) -> None:
    path = events_file(tmp_path, "percent = 5", start="1899-12-31")
    assert refused(path, read_events, ["Dagpenge"]) == (
        "events.toml: event[1].start: found 1899-12-31; expected a day in the years 1900 to 2199"
    )


@pytest.fixture(scope="module")
def plan() -> dict[str, pd.DataFrame]:
    return {
        "agents": read_agents(CORPUS / "agents" / "good_basic.csv"),
        "forecast": read_forecast(CORPUS / "forecast" / "good_basic.csv"),
    }


SCENARIO = '[[scenario]]\nname = "x"\n'


@pytest.mark.parametrize(
    "body",
    [
        "[[scenario.aht]]\nfactor = 0.01",
        "[[scenario.volume]]\nfactor = 0",
        '[[scenario.new_hire]]\nagent = "N1"\nskills = ["Dagpenge"]\nfrom = 2026-03-02\n'
        "weekly_hours = 1",
        "[scenario.goals]\nshort_abandon = 0\nanswer_rate = 1",
    ],
)
def test_scenario_numbers_at_the_limits_pass(tmp_path: Path, plan, body: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO + body + "\n", encoding="utf-8")
    assert len(load_scenarios(path, **plan)) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "[[scenario.aht]]\nfactor = 0.005",
            "s.toml: scenario[1].aht[1].factor: found 0.005; expected a factor from 0.01 to 100",
        ),
        (
            '[[scenario.new_hire]]\nagent = "N1"\nskills = ["Dagpenge"]\nfrom = 2026-03-02\n'
            "weekly_hours = 61",
            "s.toml: scenario[1].new_hire[1].weekly_hours: found 61; expected contract hours a "
            "week from 1 to 60",
        ),
        (
            "[scenario.goals]\nanswer_rate = 1.2",
            "s.toml: scenario[1].goals.answer_rate: found 1.2; expected a share more than 0 and "
            "at most 1",
        ),
        (
            "[scenario.goals]\nthreshold = 0",
            "s.toml: scenario[1].goals.threshold: found 0; expected seconds, more than 0",
        ),
        (
            '[[scenario.extra_calls]]\ncalls = 1e8\nqueue = "Dagpenge"\nfrom = 2026-03-02',
            "s.toml: scenario[1].extra_calls[1].calls: found 100000000; expected a number of calls "
            "from 0 to 10,000,000",
        ),
    ],
)
def test_scenario_numbers_past_the_limits_are_refused(
    tmp_path: Path, plan, body: str, message: str
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO + body + "\n", encoding="utf-8")
    assert refused(path, load_scenarios, **plan).startswith(message)


# -- the message -----------------------------------------------------------------------------


def typed_forecast(**changes: list) -> pd.DataFrame:
    starts = pd.date_range("2026-03-02 08:00", periods=3, freq="15min", tz=TZ)
    frame = pd.DataFrame(
        {
            "interval_start": starts,
            "queue": ["Dagpenge"] * 3,
            "offered": [10.0, 12.0, 14.0],
            "aht_seconds": [300.0, 300.0, 300.0],
        }
    )
    for column, values in changes.items():
        frame[column] = values
    return frame


def test_the_first_failure_in_row_order_is_named_with_a_count_of_the_rest() -> None:
    frame = typed_forecast(offered=[10.0, -1.0, -2.0], aht_seconds=[300.0, 300.0, 0.0])
    with pytest.raises(InputError) as caught:
        check_frame(ForecastSchema, frame, name="f.csv", rows=np.array([5, 9, 12]))
    assert str(caught.value) == (
        "f.csv: row 9, column 'offered': found -1; expected a number of calls >= 0 (and 2 more "
        "problems)"
    )


def test_cells_the_reader_could_not_read_are_the_columns_failures() -> None:
    frame = typed_forecast(offered=[10.0, np.nan, 14.0])
    cells = {"offered": ["10", "tolv", "14"]}
    unreadable = {"offered": np.array([False, True, False])}
    with pytest.raises(InputError, match=r"^f.csv: row 3, column 'offered': found 'tolv'; "):
        check_frame(ForecastSchema, frame, name="f.csv", cells=cells, unreadable=unreadable)


def test_a_quoted_cell_that_looks_personal_is_not_shown() -> None:
    frame = typed_forecast(offered=[10.0, np.nan, 14.0])
    cells = {"offered": ["10", "010190-1234", "14"]}
    unreadable = {"offered": np.array([False, True, False])}
    with pytest.raises(InputError) as caught:
        check_frame(ForecastSchema, frame, name="f.csv", cells=cells, unreadable=unreadable)
    assert "010190-1234" not in str(caught.value)
    assert "found what looks like a CPR number (value not shown; " in str(caught.value)


def test_lines_group_the_rows_of_one_kind_of_problem() -> None:
    frame = typed_forecast(offered=[-1.0, -2.0, -3.0])
    lines = failure_lines(schema_failures(ForecastSchema, frame), frame, name="f.csv")
    assert lines == [
        "f.csv: row 2, column 'offered': found -1; expected a number of calls >= 0 (and 2 more "
        "rows like this)"
    ]


def test_a_row_check_is_not_reported_where_its_cell_failed() -> None:
    frame = typed_forecast(offered=[10.0, -5.0, 14.0])
    frame["offered_lo"] = [8.0, 1.0, 12.0]
    frame["offered_hi"] = [12.0, 3.0, 16.0]
    failures = schema_failures(ForecastSchema, frame)
    assert [(f.columns, f.positions.tolist()) for f in failures] == [(("offered",), [1])]


def test_a_toml_row_is_named_by_its_key() -> None:
    frame = pd.DataFrame(
        {
            "lift": [np.nan, 0.2],
            "percent": [20000.0, np.nan],
            "calls": [np.nan, np.nan],
            "start": [dt.date(2026, 3, 2)] * 2,
            "end": [None, None],
        }
    )
    with pytest.raises(InputError) as caught:
        check_frame(EventsSchema, frame, name="e.toml", keys=["event[1]", "adjustment[1]"])
    assert str(caught.value) == (
        "e.toml: event[1].percent: found 20000; expected a percent from -100 to 10,000"
    )


def test_scenario_columns_are_named_by_their_toml_key() -> None:
    columns = list(ScenariosSchema.to_schema().columns)
    frame = pd.DataFrame([[np.nan] * len(columns)], columns=columns)
    frame["volume_factor"] = 101.0
    with pytest.raises(InputError, match=r"^s.toml: scenario\[1\].volume\[1\].factor: found 101;"):
        check_frame(
            ScenariosSchema,
            frame,
            name="s.toml",
            keys=["scenario[1].volume[1]"],
            columns={"volume_factor": "factor"},
        )
