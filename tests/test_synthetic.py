"""Fast checks of the synthetic history generator on small spans: the contract, its invariants,
determinism, DST, interval lengths, arguments and the `generate-data` command.

The calibration to DOMAIN.md on the full default data is in `test_synthetic_calibration.py`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from centre.queues import QUEUES, queue_spec
from forecast.calendar import CentreCalendar
from planner.cli import main
from sampledata import synthetic

TZ = "Europe/Copenhagen"
COUNTS = ["offered", "answered", "abandoned", "abandoned_short", "transferred"]


@pytest.fixture(scope="module")
def week():
    """A payday week (Monday 3 March 2025 is the first working day of March)."""
    return synthetic.generate_history(
        start="2025-03-03", end="2025-03-07", seed=7, return_truth=True
    )


def test_history_contract_columns_and_types(week):
    history, _ = week
    assert list(history.columns) == synthetic.HISTORY_COLUMNS
    assert str(history["interval_start"].dt.tz) == TZ
    for col in COUNTS:
        assert history[col].dtype == np.int64, col
        assert (history[col] >= 0).all(), col
    assert history["aht_seconds"].dtype == float
    assert set(history["queue"]) == {q.name for q in QUEUES}


def test_counts_are_consistent(week):
    history, _ = week
    assert (history["answered"] + history["abandoned"] == history["offered"]).all()
    assert (history["abandoned_short"] <= history["abandoned"]).all()
    assert (history["transferred"] <= history["answered"]).all()
    answered = history["answered"] > 0
    # Handle and wait times exist exactly where calls were answered.
    assert history.loc[answered, ["aht_seconds", "asa_seconds"]].notna().all().all()
    assert history.loc[~answered, ["aht_seconds", "asa_seconds"]].isna().all().all()
    assert (history.loc[answered, "aht_seconds"] > 0).all()
    assert (history.loc[answered, "asa_seconds"] >= 0).all()
    rounded = history[["aht_seconds", "asa_seconds"]].dropna()
    assert np.allclose(rounded, np.round(rounded, 1))


def test_rows_are_exactly_the_open_intervals(week):
    """One row per queue and open interval of the calendar, sorted by queue then time."""
    history, _ = week
    cal = CentreCalendar()
    expected = cal.queue_grid([q.name for q in QUEUES], "2025-03-03", "2025-03-07")
    got = history[["interval_start", "queue"]]
    key = ["interval_start", "queue"]
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True),
        expected.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    assert not got.duplicated().any()
    for _, group in history.groupby("queue"):
        assert group["interval_start"].is_monotonic_increasing


def test_truth_aligns_with_history(week):
    history, truth = week
    assert isinstance(truth, synthetic.SyntheticTruth)
    pd.testing.assert_series_equal(
        truth.expected["interval_start"], history["interval_start"], check_names=False
    )
    assert (truth.expected["queue"] == history["queue"]).all()
    assert (truth.expected["offered_mean"] > 0).all()
    assert (truth.expected["agents"] >= 1).all()
    assert not truth.expected["anomaly"].any()
    assert truth.anomalies.empty  # Ascension Day 2025 is outside this week
    assert truth.events.empty  # no event in March 2025
    assert truth.seed == 7
    # day factors: one per day and queue, mean near 1
    assert len(truth.day_factors) == 5 * len(QUEUES)
    assert 0.8 < truth.day_factors["queue_day"].mean() < 1.2


def test_same_seed_same_history_other_seed_other_counts():
    kwargs = dict(start="2025-05-26", end="2025-06-02")
    first = synthetic.generate_history(seed=11, **kwargs)
    again = synthetic.generate_history(seed=11, **kwargs)
    other = synthetic.generate_history(seed=12, **kwargs)
    pd.testing.assert_frame_equal(first, again)
    assert not first["offered"].equals(other["offered"])
    pd.testing.assert_frame_equal(
        first[["interval_start", "queue"]], other[["interval_start", "queue"]]
    )


def test_expected_volume_is_deterministic_and_span_independent():
    """The volume model depends on the date only: a sub-span gets the same expected calls."""
    whole = synthetic.expected_volume(start="2025-03-01", end="2025-03-31")
    again = synthetic.expected_volume(start="2025-03-01", end="2025-03-31")
    part = synthetic.expected_volume(start="2025-03-10", end="2025-03-14")
    pd.testing.assert_frame_equal(whole, again)
    merged = part.merge(whole, on=["interval_start", "queue"], suffixes=("_part", "_whole"))
    assert len(merged) == len(part) > 0
    np.testing.assert_allclose(merged["offered_mean_part"], merged["offered_mean_whole"])


def test_expected_volume_matches_truth_mean(week):
    _, truth = week
    vol = synthetic.expected_volume(start="2025-03-03", end="2025-03-07")
    np.testing.assert_allclose(vol["offered_mean"], truth.expected["offered_mean"])
    assert (vol["anomaly"] == truth.expected["anomaly"]).all()


def test_planted_anomaly_is_a_closing_day_with_calls():
    history, truth = synthetic.generate_history(
        start="2025-05-26", end="2025-05-30", seed=3, return_truth=True
    )
    cal = CentreCalendar()
    day = dt.date(2025, 5, 29)
    assert cal.closing_reason(day) == "Ascension Day"
    on_day = history[history["interval_start"].dt.date == day]
    assert on_day["offered"].sum() > 0
    assert list(truth.anomalies["date"]) == [day]
    assert truth.expected.loc[truth.expected["anomaly"], "interval_start"].dt.date.eq(day).all()
    # One agent per queue: the day's answer rate is poor (000: statistics "affected negatively").
    assert (truth.expected.loc[truth.expected["anomaly"], "agents"] == 1).all()
    sums = on_day[COUNTS].sum()
    assert sums["answered"] / (sums["offered"] - sums["abandoned_short"]) < 0.8


def test_planted_anomaly_is_skipped_when_the_calendar_keeps_the_day_open():
    cal = CentreCalendar(country=None)  # no public holidays: Ascension Day is a working day
    history, truth = synthetic.generate_history(
        start="2025-05-29", end="2025-05-29", seed=3, calendar=cal, return_truth=True
    )
    assert truth.anomalies.empty
    assert not truth.expected["anomaly"].any()
    assert len(history) > 0


def test_dst_days_on_a_24_hour_calendar():
    """A 24-hour centre gets 92 quarter hours on the spring day and 100 on the autumn day."""
    cal = CentreCalendar(
        weekday_hours={d: ("00:00", "24:00") for d in range(7)},
        country=None,
        extra_closing={},
        closed_windows={},
    )
    spec = [queue_spec("A-Kasse")]
    for day, count in (("2025-03-30", 92), ("2025-10-26", 100), ("2025-10-27", 96)):
        history = synthetic.generate_history(start=day, end=day, seed=1, calendar=cal, queues=spec)
        assert len(history) == count, day
        stamps = history["interval_start"]
        assert stamps.is_unique and stamps.is_monotonic_increasing
        # consecutive starts are 15 minutes apart in absolute time
        assert (stamps.diff().dropna() == pd.Timedelta(minutes=15)).all()


@pytest.mark.parametrize("freq", [5, 30, 60])
def test_other_interval_lengths_keep_the_daily_volume(freq):
    quarter = synthetic.expected_volume(start="2025-09-01", end="2025-09-05")
    other = synthetic.expected_volume(start="2025-09-01", end="2025-09-05", freq_minutes=freq)
    minutes = other["interval_start"].dt.minute
    assert (minutes % freq == 0).all()
    day_q = quarter.groupby([quarter["interval_start"].dt.date, "queue"])["offered_mean"].sum()
    day_o = other.groupby([other["interval_start"].dt.date, "queue"])["offered_mean"].sum()
    np.testing.assert_allclose(day_o, day_q, rtol=0.03)


def test_custom_queue_list_is_calibrated_to_its_table():
    spec = [dataclasses.replace(queue_spec("Virksomhed"), yearly_calls=2_000)]
    vol = synthetic.expected_volume(start="2024-01-01", end="2025-12-31", queues=spec)
    assert vol["anomaly"].sum() > 0  # Ascension Day 2025 comes on top of the table
    vol = vol[~vol["anomaly"]]
    per_year = vol.groupby(vol["interval_start"].dt.year)["offered_mean"].sum()
    assert abs(per_year.mean() / 2_000 - 1) < 1e-9


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        (dict(seed=-1), "seed"),
        (dict(seed=1.5), "seed"),
        (dict(start="2025-02-01", end="2025-01-01"), "end must not be before start"),
        (dict(start="yesterday"), "start"),
        (dict(freq_minutes=7), "freq_minutes"),
        (dict(queues=[]), "queues"),
        (dict(queues=[dataclasses.replace(QUEUES[0], patience_seconds=0.0)]), "patience"),
        (dict(queues=[dataclasses.replace(QUEUES[0], transfer_share=1.5)]), "transfer_share"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        synthetic.generate_history(**kwargs)


def test_generate_data_command_is_byte_identical(tmp_path, capsys):
    args = ["generate-data", "--start", "2025-05-26", "--end", "2025-06-06", "--seed", "5"]
    assert main(args + ["--out-dir", str(tmp_path / "a")]) == 0
    assert main(args + ["--out-dir", str(tmp_path / "b")]) == 0
    names = ["history.csv", "agents.csv", "rules.toml", "README.md"]
    for name in names:
        first = (tmp_path / "a" / name).read_bytes()
        assert first, name
        assert first == (tmp_path / "b" / name).read_bytes(), name
    text = (tmp_path / "a" / "history.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == ",".join(synthetic.HISTORY_COLUMNS)
    first_row = lines[1].split(",")
    # ISO 8601 with offset; counts without decimals
    assert first_row[0] == "2025-05-26T07:30:00+02:00"
    assert all(cell.isdigit() for cell in first_row[2:7])
    assert "Kontanthjælp" in text and "Sygeopfølgning" in text
    readme = (tmp_path / "a" / "README.md").read_text(encoding="utf-8")
    assert "vagtplan generate-data --out-dir data --seed 5 --start 2025-05-26 --end 2025-06-06" in (
        readme
    )
    assert "wrote" in capsys.readouterr().err


def test_generate_data_command_rejects_bad_dates(tmp_path, capsys):
    code = main(["generate-data", "--out-dir", str(tmp_path), "--start", "2025-13-01"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--start must be a date like 2026-03-02; got '2025-13-01'" in err
    assert "Traceback" not in err
