"""Loading and validating history: formats, Danish exports, filling, gaps, anomalies, warnings.

References are built independently of the loader: the expected frame is the table we wrote
(from the calendar's grid and fixed counts), and counts of filled intervals and gaps are the
numbers of rows and days we removed before writing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.calendar import CentreCalendar
from planner.errors import InputError
from planner.io.history import (
    HISTORY_COLUMNS,
    HistoryError,
    load_history,
    parse_anomalies,
    read_anomalies,
    validate_history_frame,
)

TZ = "Europe/Copenhagen"
QUEUES = ["Dagpenge", "Sygedagpenge", "Sygeopfølgning"]
#: 24-hour naive Jerusalem history, two weeks around the 1999 DST changes (tests/data/README.md)
JERUSALEM = Path(__file__).parent / "data" / "jerusalem_24h_30min.csv"


def history(start: str = "2025-03-03", end: str = "2025-03-14", seed: int = 3) -> pd.DataFrame:
    """Every open 15-minute interval of the Danish calendar, all columns, consistent counts."""
    rng = np.random.default_rng(seed)
    grid = CentreCalendar().queue_grid(QUEUES, start, end, 15)
    n = len(grid)
    offered = rng.poisson(6, n)
    abandoned = rng.binomial(offered, 0.1)
    answered = offered - abandoned
    frame = grid.assign(
        offered=offered,
        answered=answered,
        abandoned=abandoned,
        abandoned_short=rng.binomial(abandoned, 0.5),
        transferred=rng.binomial(answered, 0.3),
        aht_seconds=np.where(answered > 0, np.round(rng.uniform(150, 400, n), 1), np.nan),
        asa_seconds=np.where(answered > 0, np.round(rng.uniform(0, 90, n), 1), np.nan),
    )
    frame["interval_start"] = frame["interval_start"].astype(f"datetime64[ns, {TZ}]")
    return frame


def iso_csv(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    out["interval_start"] = out["interval_start"].map(lambda t: t.isoformat())
    return out.to_csv(index=False).encode("utf-8")


def danish_csv(frame: pd.DataFrame, encoding: str = "cp1252") -> bytes:
    """A Danish spreadsheet export: ';', decimal ',', naive local dd-mm-yyyy times."""
    out = frame.copy()
    out["interval_start"] = out["interval_start"].dt.strftime("%d-%m-%Y %H:%M")
    return out.to_csv(index=False, sep=";", decimal=",").encode(encoding)


def same(loaded: pd.DataFrame, expected: pd.DataFrame) -> None:
    cols = [c for c in HISTORY_COLUMNS if c in expected]
    exp = expected[cols].sort_values(["queue", "interval_start"]).reset_index(drop=True)
    got = loaded[cols].sort_values(["queue", "interval_start"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, exp, check_dtype=False)


def test_contract_csv_round_trip() -> None:
    frame = history()
    loaded = load_history(iso_csv(frame), name="h.csv")
    same(loaded.frame, frame)
    s = loaded.summary
    assert s.queues == QUEUES
    assert s.interval_minutes == 15 and s.interval_inferred
    assert s.rows == s.rows_read == len(frame)
    assert s.calls == frame["offered"].sum()
    assert s.filled == 0 and s.gap_days == 0 and s.warnings == []
    assert s.time_format == "ISO 8601 with offset"
    assert str(loaded.frame["interval_start"].dtype) == f"datetime64[ns, {TZ}]"
    assert loaded.frame["offered"].dtype == np.int64
    assert loaded.frame["aht_seconds"].dtype == np.float64
    # sorted by queue (order of appearance), then time
    for _, part in loaded.frame.groupby("queue", sort=False):
        assert part["interval_start"].is_monotonic_increasing


def test_danish_export_cp1252_semicolon_decimal_comma_naive() -> None:
    frame = history()
    raw = danish_csv(frame)
    assert b"\xf8" in raw  # the ø of Sygeopfølgning in cp1252
    loaded = load_history(raw, name="eksport.csv")
    same(loaded.frame, frame)
    assert "';' separated" in loaded.summary.source
    assert "decimal ','" in loaded.summary.source
    assert loaded.summary.time_format == "naive local time"


def test_danish_export_utf8_bom_and_thousands_dot() -> None:
    frame = history("2025-03-03", "2025-03-03")
    frame.loc[0, "aht_seconds"] = 1234.5
    text = danish_csv(frame, "utf-8").decode("utf-8").replace("1234,5", "1.234,5")
    loaded = load_history(("\ufeff" + text).encode("utf-8"), name="eksport.csv")
    same(loaded.frame, frame)
    assert "UTF-8 with BOM" in loaded.summary.source


def test_excel_unicode_text_utf16_tab() -> None:
    frame = history("2025-03-03", "2025-03-04")
    out = frame.copy()
    out["interval_start"] = out["interval_start"].map(lambda t: t.isoformat())
    raw = out.to_csv(index=False, sep="\t").encode("utf-16")
    loaded = load_history(raw, name="unicode.txt")
    same(loaded.frame, frame)


def test_xlsx_and_parquet(tmp_path: Path) -> None:
    frame = history("2025-03-03", "2025-03-05")
    naive = frame.assign(interval_start=frame["interval_start"].dt.tz_localize(None))
    xlsx = tmp_path / "h.xlsx"
    naive.to_excel(xlsx, index=False)
    same(load_history(xlsx).frame, frame)
    parquet = tmp_path / "h.parquet"
    frame.to_parquet(parquet)
    same(load_history(parquet).frame, frame)
    # the content decides, not the name
    misnamed = tmp_path / "really_excel.csv"
    misnamed.write_bytes(xlsx.read_bytes())
    same(load_history(misnamed).frame, frame)


def test_header_spellings_are_accepted_and_reported() -> None:
    frame = history("2025-03-03", "2025-03-03")[["interval_start", "queue", "offered", "answered"]]
    raw = danish_csv(frame).replace(
        b"interval_start;queue;offered;answered", b"Interval Start;K\xf8;Tilbudte;BESVAREDE"
    )
    loaded = load_history(raw, name="dk.csv")
    same(loaded.frame, frame)
    assert loaded.summary.renamed == {
        "Interval Start": "interval_start",
        "Kø": "queue",
        "Tilbudte": "offered",
        "BESVAREDE": "answered",
    }


def test_missing_intervals_inside_hours_are_zero_and_counted() -> None:
    frame = history()
    quiet = frame.index[(frame["queue"] == "Dagpenge")][5:25:3]
    thin = frame.drop(index=quiet)
    loaded = load_history(iso_csv(thin), name="h.csv")
    expected = frame.copy()
    expected.loc[quiet, ["offered", "answered", "abandoned", "abandoned_short", "transferred"]] = 0
    expected.loc[quiet, ["aht_seconds", "asa_seconds"]] = np.nan
    same(loaded.frame, expected)
    assert loaded.summary.filled == len(quiet)
    assert loaded.summary.filled_by_queue["Dagpenge"] == len(quiet)
    assert loaded.summary.rows_read == len(thin)


def test_fill_missing_off_reports_only() -> None:
    frame = history()
    thin = frame.drop(index=frame.index[10:14])
    loaded = load_history(iso_csv(thin), name="h.csv", fill_missing=False)
    assert len(loaded.frame) == len(thin)
    assert loaded.summary.filled == 4
    assert "not filled" in loaded.summary.to_text()


def test_whole_missing_day_is_a_gap_not_zeros() -> None:
    frame = history()
    day = pd.Timestamp("2025-03-06").date()
    dropped = (frame["queue"] == "Sygeopfølgning") & (frame["interval_start"].dt.date == day)
    loaded = load_history(iso_csv(frame[~dropped]), name="h.csv")
    assert loaded.summary.gaps == {"Sygeopfølgning": [day]}
    assert loaded.summary.filled == 0
    part = loaded.frame[loaded.frame["queue"] == "Sygeopfølgning"]
    assert not (part["interval_start"].dt.date == day).any()
    assert "2025-03-06" in loaded.summary.to_text()


def test_routing_window_is_not_filled() -> None:
    """Sygedagpenge is routed to case workers 09:00-10:00: no rows there, nothing filled."""
    frame = history()
    syg = frame[frame["queue"] == "Sygedagpenge"]["interval_start"]
    assert not (syg.dt.hour == 9).any()
    loaded = load_history(iso_csv(frame), name="h.csv")
    assert loaded.summary.filled == 0


def test_anomaly_days_are_left_out_and_listed() -> None:
    frame = history()
    days = {"2025-03-04": "line fault", "2025-03-10": "line fault"}
    loaded = load_history(iso_csv(frame), name="h.csv", anomalies=days)
    local_days = loaded.frame["interval_start"].dt.date.astype(str)
    assert not local_days.isin(list(days)).any()
    for day, (reason, rows, calls) in loaded.summary.anomalies.items():
        on_day = frame["interval_start"].dt.date == day
        assert reason == "line fault"
        assert rows == on_day.sum() and calls == frame.loc[on_day, "offered"].sum()
    assert loaded.summary.gap_days == 0  # anomaly days are not gaps
    ranged = load_history(iso_csv(frame), name="h.csv", anomalies=["2025-03-10..2025-03-14"])
    assert ranged.frame["interval_start"].max() < pd.Timestamp("2025-03-10", tz=TZ)
    assert len(ranged.summary.anomalies) == 5


def test_rows_outside_hours_and_on_closed_days_are_kept_with_warnings() -> None:
    frame = history()
    extra = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(
                ["2025-03-04 06:00", "2025-03-08 10:00", "2025-03-08 10:15"]
            ).tz_localize(TZ),
            "queue": "Dagpenge",
            "offered": [2, 5, 4],
            "answered": [2, 5, 4],
            "abandoned": 0,
            "abandoned_short": 0,
            "transferred": 0,
            "aht_seconds": 200.0,
            "asa_seconds": 10.0,
        }
    )
    loaded = load_history(iso_csv(pd.concat([frame, extra])), name="h.csv")
    assert len(loaded.frame) == len(frame) + 3
    text = " ".join(loaded.summary.warnings)
    assert "2 rows (9 calls) fall on 1 day the calendar has closed" in text
    assert "2025-03-08 (weekend, 9 calls)" in text
    assert "1 row (2 calls) on open days lie outside" in text
    # the Saturday has data but no opening hours: nothing is filled there
    assert loaded.summary.filled == 0


@pytest.mark.parametrize("minutes", [5, 15, 30, 60])
def test_interval_is_inferred(minutes: int) -> None:
    grid = CentreCalendar().queue_grid(["Dagpenge"], "2025-03-03", "2025-03-04", minutes)
    frame = grid.assign(offered=1)
    loaded = validate_history_frame(frame, name="h")
    assert loaded.summary.interval_minutes == minutes
    assert loaded.summary.filled == 0


def test_given_interval_that_does_not_fit_is_refused() -> None:
    frame = history("2025-03-03", "2025-03-03")
    with pytest.raises(HistoryError) as err:
        load_history(iso_csv(frame), name="h.csv", interval_minutes=30)
    assert "expected interval starts on the 30-minute grid (:00, :30)" in str(err.value)
    assert "more rows like this" in str(err.value)


def test_validate_frame_with_typed_columns() -> None:
    frame = history("2025-03-03", "2025-03-04")
    loaded = validate_history_frame(frame, name="upload")
    same(loaded.frame, frame)
    bad = frame.copy()
    bad.loc[4, "answered"] = bad.loc[4, "offered"] + 1
    with pytest.raises(
        HistoryError, match=r"upload: row 6, columns 'answered', 'abandoned', 'offered'"
    ):
        validate_history_frame(bad, name="upload")


def test_every_problem_is_collected_one_line_each() -> None:
    frame = history("2025-03-03", "2025-03-03").astype({"offered": object})
    frame.loc[2, "offered"] = "x"
    frame.loc[7, "asa_seconds"] = -1.0
    with pytest.raises(HistoryError) as err:
        load_history(iso_csv(frame), name="h.csv")
    problems = err.value.problems
    assert problems == [
        "h.csv: row 4, column 'offered': found 'x'; expected a whole number >= 0",
        "h.csv: row 9, column 'asa_seconds': found '-1.0'; expected seconds as a number >= 0 "
        "(or an empty cell)",
    ]
    assert all("\n" not in p for p in problems)
    assert str(err.value).startswith(problems[0]) and "1 more problems" in str(err.value)
    assert isinstance(err.value, InputError)


def test_blank_rows_are_skipped_and_rows_keep_spreadsheet_numbers() -> None:
    text = (
        "interval_start,queue,offered\n"
        "2025-03-03T10:00:00+01:00,Dagpenge,1\n"
        "\n"
        ",,\n"
        "2025-03-03T10:15:00+01:00,Dagpenge,-1\n"
    )
    with pytest.raises(HistoryError, match=r"^h.csv: row 5, column 'offered': found '-1'"):
        load_history(text.encode(), name="h.csv")


def test_aht_zero_without_answered_calls_is_read_as_blank() -> None:
    text = (
        "interval_start,queue,offered,answered,aht_seconds\n"
        "2025-03-03T10:00:00+01:00,Dagpenge,1,0,0\n"
        "2025-03-03T10:15:00+01:00,Dagpenge,2,2,180\n"
    )
    loaded = load_history(text.encode(), name="h.csv", fill_missing=False)
    assert np.isnan(loaded.frame["aht_seconds"].iloc[0])
    assert loaded.frame["aht_seconds"].iloc[1] == 180.0


def test_aht_in_minutes_is_warned() -> None:
    frame = history("2025-03-03", "2025-03-03")
    frame["aht_seconds"] = np.where(frame["answered"] > 0, 4.5, np.nan)
    loaded = load_history(iso_csv(frame), name="h.csv")
    assert any("are these minutes?" in w for w in loaded.summary.warnings)


def test_queue_name_near_miss_and_decomposed_letters() -> None:
    frame = history("2025-03-03", "2025-03-03")
    frame["queue"] = frame["queue"].replace({"Dagpenge": "Dagpenje", "Sygedagpenge": "Ståbi"})
    decomposed = frame.assign(queue=frame["queue"].str.normalize("NFD"))
    assert "Sta\u030abi" in set(decomposed["queue"])  # å as a + combining ring (macOS exports)
    loaded = load_history(iso_csv(decomposed), name="h.csv")
    assert "Ståbi" in loaded.summary.queues
    assert any("did you mean 'Dagpenge'" in w for w in loaded.summary.warnings)


def test_time_zone_and_calendar_arguments() -> None:
    with pytest.raises(ValueError, match="tz must be an IANA time zone"):
        load_history(b"interval_start,queue,offered\n", name="h.csv", tz="Mars/Olympus")
    with pytest.raises(ValueError, match="tz must match the calendar"):
        load_history(
            b"x", name="h.csv", tz="Asia/Jerusalem", calendar=CentreCalendar(tz="Europe/Copenhagen")
        )
    with pytest.raises(ValueError, match="interval_minutes must be 5, 15, 30 or 60; got 10"):
        load_history(b"x", name="h.csv", interval_minutes=10)


def test_utc_times_are_converted_to_local() -> None:
    frame = history("2025-03-03", "2025-03-03")
    utc = frame.assign(interval_start=frame["interval_start"].dt.tz_convert("UTC"))
    loaded = load_history(iso_csv(utc), name="h.csv")
    same(loaded.frame, frame)


def test_parse_and_read_anomalies(tmp_path: Path) -> None:
    days = parse_anomalies("2024-03-30..2024-04-02, 2024-12-24")
    assert sorted(days) == [
        dt.date(2024, 3, 30),
        dt.date(2024, 3, 31),
        dt.date(2024, 4, 1),
        dt.date(2024, 4, 2),
        dt.date(2024, 12, 24),
    ]
    assert parse_anomalies([("2024-01-01", "2024-01-02")]) == {
        dt.date(2024, 1, 1): "marked as anomaly",
        dt.date(2024, 1, 2): "marked as anomaly",
    }
    with pytest.raises(ValueError, match="anomaly day must be a date"):
        parse_anomalies(["yesterday"])
    with pytest.raises(ValueError, match="must not end before it starts"):
        parse_anomalies(["2024-01-05..2024-01-01"])
    table = tmp_path / "faults.csv"
    table.write_text("date;reason\n2024-03-01..2024-03-03;linjefejl\n2024-05-01;test\n")
    read = read_anomalies(table)
    assert read[dt.date(2024, 3, 2)] == "linjefejl" and len(read) == 4
    plain = tmp_path / "faults.txt"
    plain.write_text("2024-03-01\n2024-03-05\n")
    assert sorted(read_anomalies(plain)) == [dt.date(2024, 3, 1), dt.date(2024, 3, 5)]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("date\n2024-03-01\nsoon\n")
    with pytest.raises(InputError, match=r"wrong.csv: row 3: cannot read 'soon'"):
        read_anomalies(wrong)


def test_summary_to_dict_and_text() -> None:
    loaded = load_history(iso_csv(history()), name="h.csv", anomalies=["2025-03-05"])
    d = loaded.summary.to_dict()
    assert d["queues"] == QUEUES and d["interval_minutes"] == 15
    assert d["anomalies"]["2025-03-05"]["rows"] > 0
    text = loaded.summary.to_text()
    for part in ("3 queues read", "interval   15 minutes (inferred)", "1 day left out"):
        assert part in text


def test_israeli_bank_24_hours_naive_jerusalem() -> None:
    calendar = CentreCalendar(
        weekday_hours={d: ("00:00", "24:00") for d in range(7)},
        country="IL",
        extra_closing={},
        closed_windows={},
        tz="Asia/Jerusalem",
    )
    path = JERUSALEM
    raw = pd.read_csv(path)
    # the file holds 1999-03-30..04-05 and 1999-09-01..06; the months between are not in it
    loaded = load_history(path, calendar=calendar, anomalies=["1999-04-06..1999-08-31"])
    s = loaded.summary
    assert s.interval_minutes == 30 and s.tz == "Asia/Jerusalem"
    assert s.calls == raw["offered"].sum()  # the 2 rows of the skipped spring hour hold 0 calls
    assert s.gap_days == 0
    assert s.days == 13 and all(rows == 0 for _, rows, _ in s.anomalies.values())
    # spring 1999-04-02: 02:00 and 02:30 do not exist; autumn 1999-09-03: 01:00-02:00 twice
    assert any("do not exist in Asia/Jerusalem" in w and "1999-04-02" in w for w in s.warnings)
    assert any("1999-09-03" in w and "repeated autumn hour" in w for w in s.warnings)
    assert s.filled == 2  # the second pass of the autumn hour
    per_day = loaded.frame.groupby(loaded.frame["interval_start"].dt.date).size()
    assert per_day[dt.date(1999, 4, 2)] == 46 and per_day[dt.date(1999, 9, 3)] == 50
    assert (per_day.drop([dt.date(1999, 4, 2), dt.date(1999, 9, 3)]) == 48).all()
    # with the Danish calendar the night rows are kept and reported, not dropped
    danish = load_history(path, tz="Asia/Jerusalem")
    assert danish.summary.calls == raw["offered"].sum()
    assert any("outside the calendar's opening hours" in w for w in danish.summary.warnings)


def test_path_bytes_and_file_object_give_the_same(tmp_path: Path) -> None:
    frame = history("2025-03-03", "2025-03-03")
    path = tmp_path / "h.csv"
    path.write_bytes(iso_csv(frame))
    a = load_history(path)
    b = load_history(path.read_bytes(), name="h.csv")
    with path.open("rb") as handle:
        c = load_history(handle)
    for other in (b, c):
        pd.testing.assert_frame_equal(a.frame, other.frame)
        assert a.summary.to_dict() == other.summary.to_dict()


CORRUPTIONS = {
    "text count": ("offered", "mange", "column 'offered': found 'mange'"),
    "negative": ("answered", "-1", "column 'answered': found '-1'"),
    "fraction": ("transferred", "0.5", "column 'transferred': found '0.5'"),
    "off grid": ("interval_start", "2025-03-03T12:05:00+01:00", "expected interval starts on"),
    "bad time": ("interval_start", "kl. 12", "column 'interval_start': found 'kl. 12'"),
    "empty queue": ("queue", "", "column 'queue': found an empty cell"),
}


@settings(max_examples=30, deadline=None)
@given(row=st.integers(0, 100), kind=st.sampled_from(sorted(CORRUPTIONS)))
def test_one_bad_cell_gives_one_line_naming_its_row(row: int, kind: str) -> None:
    """Corrupt one cell of a valid file: exactly one problem, at that spreadsheet row."""
    frame = history("2025-03-03", "2025-03-03")
    text = frame.copy()
    text["interval_start"] = text["interval_start"].map(lambda t: t.isoformat())
    text = text.astype(object)
    row %= len(text)
    column, value, message = CORRUPTIONS[kind]
    text.loc[row, column] = value
    with pytest.raises(HistoryError) as err:
        load_history(text.to_csv(index=False).encode(), name="h.csv")
    assert len(err.value.problems) == 1
    assert err.value.problems[0].startswith(f"h.csv: row {row + 2}, ")
    assert message in err.value.problems[0]


def test_default_data_loads() -> None:
    from planner.io.history import default_history_path

    path = default_history_path()
    if not path.exists():
        pytest.skip("the default data is generated by `vagtplan generate-data`")
    loaded = load_history(path)
    assert len(loaded.summary.queues) == 10
    assert loaded.summary.interval_minutes == 15
    assert loaded.summary.gap_days == 0
