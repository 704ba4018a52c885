"""`vagtplan forecast` and `vagtplan backtest` end to end, and their exits on bad arguments."""

from __future__ import annotations

import pandas as pd
import pytest
from forecast_fixtures import make_history

from planner.cli import main
from planner.io.tables import write_csv


@pytest.fixture(scope="module")
def history_file(tmp_path_factory) -> str:
    history = make_history(
        "2025-01-06", "2025-06-27", queues={"Dagpenge": 200.0, "Kontanthjælp": 120.0}, seed=21
    )
    path = tmp_path_factory.mktemp("cli") / "history.csv"
    write_csv(history, path)
    return str(path)


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_forecast_writes_the_contract_and_events(history_file, tmp_path, capsys):
    events = tmp_path / "events.toml"
    events.write_text(
        '[[event]]\nname = "Breve"\nqueue = "Dagpenge"\nstart = 2025-07-01\n'
        "end = 2025-07-02\ncalls = 300\n",
        encoding="utf-8",
    )
    plain = tmp_path / "plain.csv"
    code, _, err = _run(
        ["forecast", "--history", history_file, "--start", "2025-06-30", "--days", "7",
         "--model", "glm", "--out", str(plain)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "fitting model 'glm'" in err and "hours learned from the history" in err
    base = pd.read_csv(plain)
    assert list(base.columns) == [
        "interval_start", "queue", "offered", "offered_lo", "offered_hi", "aht_seconds"
    ]  # fmt: skip
    days = set(pd.to_datetime(base["interval_start"].str[:10]).dt.date.astype(str))
    assert days == {"2025-06-30", "2025-07-01", "2025-07-02", "2025-07-03", "2025-07-04"}
    with_events = tmp_path / "events.csv"
    adjustments = tmp_path / "adjustments.csv"
    code, _, err = _run(
        ["forecast", "--history", history_file, "--start", "2025-06-30", "--days", "7",
         "--model", "glm", "--events", str(events), "--out", str(with_events),
         "--adjustments-out", str(adjustments)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    added = pd.read_csv(with_events)["offered"].sum() - base["offered"].sum()
    assert added == pytest.approx(300.0, abs=1e-6)
    assert pd.read_csv(adjustments)["added"].sum() == pytest.approx(300.0)
    assert "Breve (event): +300 calls on Dagpenge" in err


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--start", "2025-07-01", "--days", "0"], "argument --days: must be a whole number >= 1"),
        (
            ["--start", "2025-06-20", "--days", "5"],
            "--start 2025-06-20 is not after the last day of the history (2025-06-27",
        ),
        (
            ["--start", "2025-07-01", "--days", "5", "--model", "prophet"],
            "unknown model 'prophet'; valid models: seasonal_naive, weekday_mean, glm, ets, "
            "mstl, auto",
        ),
        (["--start", "1 July", "--days", "5"], "argument --start: must be a date YYYY-MM-DD"),
    ],
)
def test_forecast_bad_arguments_exit_2(history_file, tmp_path, capsys, extra, message):
    code, _, err = _run(
        ["forecast", "--history", history_file, "--out", str(tmp_path / "f.csv"), *extra], capsys
    )
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "f.csv").exists()


def test_forecast_bad_events_file_exits_2(history_file, tmp_path, capsys):
    events = tmp_path / "bad.toml"
    events.write_text('[[event]]\nname = "x"\nqueue = "Nowhere"\nstart = 2025-07-01\nlift = 0.1\n')
    code, _, err = _run(
        ["forecast", "--history", history_file, "--start", "2025-07-01", "--days", "3",
         "--model", "weekday_mean", "--events", str(events), "--out", str(tmp_path / "f.csv")],
        capsys,
    )  # fmt: skip
    assert code == 2
    assert "bad.toml: event 'x': queue 'Nowhere' is not in the history" in err


def test_backtest_writes_scores(history_file, tmp_path, capsys):
    out = tmp_path / "scores.csv"
    code, stdout, err = _run(
        ["backtest", "--history", history_file, "--horizon-days", "7", "--origins", "2",
         "--models", "seasonal_naive,glm", "--out", str(out)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    scores = pd.read_csv(out)
    assert set(scores["model"]) == {"seasonal_naive", "glm"}
    assert set(scores["queue"]) == {"Dagpenge", "Kontanthjælp", "ALL"}
    assert {"wape_interval", "wape_daily", "bias", "mase_interval", "coverage_interval"} <= set(
        scores.columns
    )
    assert "origins: 2025-06-14, 2025-06-21" in stdout


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--models", "glm", "nope"], "unknown model 'nope'; valid models:"),
        (["--origins", "40"], "too short for 40 origins"),
        (["--origins", "0"], "argument --origins: must be a whole number >= 1"),
    ],
)
def test_backtest_bad_arguments_exit_2(history_file, tmp_path, capsys, extra, message):
    code, _, err = _run(
        ["backtest", "--history", history_file, "--out", str(tmp_path / "m.csv"), *extra], capsys
    )
    assert code == 2
    assert message in err
    assert "Traceback" not in err
