"""`vagtplan staff` end to end: through `planner.cli.main` and once as a separate process.

The forecast file is made from the embedded default data: the last three weekdays of
``data/history.csv`` as the point forecast (per queue and open interval), its 80 % range from
Poisson quantiles, and each queue's mean handle time over the history.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from planner.cli import main
from planner.io.tables import write_csv
from staffing import erlang

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def forecast_file(tmp_path_factory) -> Path:
    history = pd.read_csv(
        ROOT / "data" / "history.csv", usecols=["interval_start", "queue", "offered", "aht_seconds"]
    )
    times = pd.to_datetime(history["interval_start"], utc=True).dt.tz_convert("Europe/Copenhagen")
    days = times.dt.normalize()
    last = sorted(days.unique())[-3:]
    mean_aht = history.groupby("queue")["aht_seconds"].mean()
    part = history[days.isin(last).to_numpy()].copy()
    offered = part["offered"].astype(float).to_numpy()
    forecast = pd.DataFrame(
        {
            "interval_start": times[days.isin(last).to_numpy()].to_numpy(),
            "queue": part["queue"].to_numpy(),
            "offered": offered,
            "offered_lo": stats.poisson.ppf(0.1, np.maximum(offered, 1e-9)),
            "offered_hi": stats.poisson.ppf(0.9, np.maximum(offered, 1e-9)),
            "aht_seconds": part["queue"].map(mean_aht).to_numpy(),
        }
    )
    forecast["interval_start"] = pd.DatetimeIndex(forecast["interval_start"])
    assert forecast["queue"].nunique() == 10 and len(forecast) > 500
    path = tmp_path_factory.mktemp("staff") / "forecast.csv"
    write_csv(forecast, path)
    return path


def _stderr_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_staff_writes_the_requirements(forecast_file, tmp_path, capsys):
    out = tmp_path / "req.csv"
    code = main(
        [
            "staff",
            "--forecast",
            str(forecast_file),
            "--answer-rate",
            "0.92",
            "--patience",
            "180",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    req = pd.read_csv(out)
    fc = pd.read_csv(forecast_file)
    assert len(req) == len(fc)
    assert list(req.columns[:3]) == ["interval_start", "queue", "agents"]
    assert req["interval_start"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$").all()
    assert set(zip(req["interval_start"], req["queue"])) == set(
        zip(fc["interval_start"], fc["queue"])
    )
    assert (req["agents"] >= 1).all()
    busy = req[req["offered"] > 0]
    assert (busy["answer_rate"] >= 0.92).all()
    # minimal: one agent fewer misses the answer rate (Erlang A, 180 s patience)
    fewer = busy[busy["agents"] > 1]
    m = erlang.erlang_a(
        fewer["offered"], fewer["aht_seconds"], 180.0, fewer["agents"] - 1, metrics=["answer_rate"]
    )
    assert (m["answer_rate"] < 0.92).all()
    assert (req["agents_gross"] >= req["agents"]).all()
    assert "wrote" in capsys.readouterr().err


def test_default_targets_per_queue_options_and_pools(forecast_file, tmp_path, capsys):
    out = tmp_path / "req.csv"
    code = main(
        [
            "staff",
            "--forecast",
            str(forecast_file),
            "--out",
            str(out),
            "--patience",
            "300",
            "--patience",
            "dagpenge=550",
            "--pool",
            "Dagpenge;Kontanthjælp",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "using the centre's SLA: answer rate 0.92, average wait 150 s" in err
    req = pd.read_csv(out)
    busy = req[req["offered"] > 0]
    assert (busy["answer_rate"] >= 0.92).all() and (busy["asa_seconds"] <= 150).all()
    d = busy[busy["queue"] == "Dagpenge"]
    m = erlang.erlang_a(d["offered"], d["aht_seconds"], 550.0, d["agents"])  # QUEUE=VALUE used
    assert np.allclose(m["answer_rate"], d["answer_rate"], rtol=1e-9)
    pools = pd.read_csv(tmp_path / "req_pools.csv")
    assert (pools["queues"] == "Dagpenge;Kontanthjælp").all()
    assert (pools["agents"] <= pools["agents_separate"]).all()


def test_patience_inf_is_erlang_c(forecast_file, tmp_path):
    out = tmp_path / "req.csv"
    assert (
        main(
            [
                "staff",
                "--forecast",
                str(forecast_file),
                "--out",
                str(out),
                "--service-level",
                "80%",
                "--threshold",
                "20",
                "--patience",
                "inf",
            ]
        )
        == 0
    )
    req = pd.read_csv(out)
    assert (req["p_abandon"] == 0).all()
    busy = req[req["offered"] > 0]
    want = erlang.required_agents(busy["offered"], busy["aht_seconds"], service_level=0.8)
    assert (busy["agents"].to_numpy() == np.maximum(want, 1)).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--answer-rate", "1.5", "--patience", "180"], "--answer-rate must be in (0, 1); got 1.5"),
        (["--service-level", "0.8", "--shrinkage", "1"], "--shrinkage must be in [0, 1); got 1"),
        (["--asa", "-3"], "--asa must be > 0 seconds; got -3"),
        (["--asa", "soon"], "--asa: cannot read 'soon' as a number"),
        (["--asa", "60", "--patience", "Dagpengr=300"], "--patience: unknown queue 'Dagpengr'"),
        (["--asa", "60", "--pool", "Dagpenge;Nope"], "--pool: unknown queue 'Nope'"),
    ],
)
def test_bad_options_exit_2_with_one_line(forecast_file, tmp_path, capsys, args, message):
    code = main(
        ["staff", "--forecast", str(forecast_file), "--out", str(tmp_path / "r.csv"), *args]
    )
    assert code == 2
    lines = _stderr_lines(capsys)
    assert lines == [f"vagtplan: error: {lines[0].split('error: ', 1)[1]}"]
    assert message in lines[0]
    assert not (tmp_path / "r.csv").exists()


def test_bad_forecast_file_exit_2(forecast_file, tmp_path, capsys):
    fc = pd.read_csv(forecast_file, dtype=str)
    fc.loc[7, "aht_seconds"] = "-12.5"
    bad = tmp_path / "bad.csv"
    fc.to_csv(bad, index=False)
    assert (
        main(["staff", "--forecast", str(bad), "--out", str(tmp_path / "r.csv"), "--asa", "60"])
        == 2
    )
    (line,) = _stderr_lines(capsys)
    assert line == (
        "vagtplan: error: bad.csv: row 9, column 'aht_seconds': found -12.5; "
        "expected a handle time in seconds > 0"
    )
    missing = tmp_path / "missing.csv"
    fc.drop(columns="aht_seconds").to_csv(missing, index=False)
    assert (
        main(["staff", "--forecast", str(missing), "--out", str(tmp_path / "r.csv"), "--asa", "60"])
        == 2
    )
    assert "no column 'aht_seconds'" in _stderr_lines(capsys)[0]


@pytest.mark.slow  # two interpreter starts that import every subcommand: ~8 s
def test_staff_as_a_separate_process(forecast_file, tmp_path):
    # the command, then a bad target: exit codes 0 and 2, one line, no traceback
    out = tmp_path / "R.csv"
    cmd = [sys.executable, "-m", "planner.cli", "staff", "--forecast", str(forecast_file)]
    good = subprocess.run(
        [*cmd, "--answer-rate", "0.92", "--patience", "180", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert good.returncode == 0, good.stderr
    assert "Traceback" not in good.stderr and out.exists()
    bad = subprocess.run(
        [*cmd, "--answer-rate", "1.5", "--out", str(tmp_path / "x.csv")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert bad.stderr.strip() == "vagtplan: error: --answer-rate must be in (0, 1); got 1.5"
