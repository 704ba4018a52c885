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


# --------------------------------------------------------------------------------------------
# --over: the goals over the SLA's period; groups of cross-trained queues
# --------------------------------------------------------------------------------------------
def test_over_week_end_to_end(forecast_file, tmp_path, capsys):
    goals = ["--answer-rate", "0.92", "--asa", "150", "--patience", "180"]
    week, interval = tmp_path / "week.csv", tmp_path / "interval.csv"
    summary = tmp_path / "summary.csv"
    base = ["staff", "--forecast", str(forecast_file), *goals]
    assert main([*base, "--out", str(interval)]) == 0
    capsys.readouterr()
    assert main([*base, "--over", "week", "--out", str(week), "--summary-out", str(summary)]) == 0
    err = capsys.readouterr().err
    assert "goals over each week: answer rate 0.92, average wait 150 s" in err
    centre = [line for line in err.splitlines() if "Alle køer" in line]
    assert len(centre) == 1 and "%" in centre[0]
    req, per_interval = pd.read_csv(week), pd.read_csv(interval)
    fc = pd.read_csv(forecast_file)
    assert list(req.columns[:3]) == ["interval_start", "queue", "agents"] and len(req) == len(fc)
    assert (req["agents"] >= 1).all()
    assert req["agents"].sum() <= per_interval["agents"].sum()
    # the week's goals hold per queue by Erlang A (180 s patience), on summed expected counts
    for _, rows in req.groupby("queue"):
        m = erlang.erlang_a(rows["offered"], rows["aht_seconds"], 180.0, rows["agents"])
        calls = rows["offered"].to_numpy()
        answered = calls * (1 - m["p_abandon"])
        rate = answered.sum() / (calls.sum() - (calls * m["p_abandon_short"]).sum())
        wait = (answered * m["asa"]).sum() / answered.sum()
        assert rate >= 0.92 - 1e-9 and wait <= 150 + 1e-6
    table = pd.read_csv(summary)
    row = table[table["scope"] == "centre"].iloc[0]
    assert row["agent_hours"] == pytest.approx(req["agents"].sum() / 4)
    assert row["agent_hours_interval"] == pytest.approx(per_interval["agents"].sum() / 4)


def test_over_interval_is_the_default(forecast_file, tmp_path):
    goals = ["--answer-rate", "0.92", "--patience", "180", "--patience", "Dagpenge=550"]
    base = ["staff", "--forecast", str(forecast_file), *goals]
    assert main([*base, "--out", str(tmp_path / "a.csv")]) == 0
    assert main([*base, "--over", "interval", "--out", str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--over", "fortnight"],
            "--over must be one of interval, day, week, month; got 'fortnight'",
        ),
        (["--over", "week", "--group", "Dagpenge;Nope"], "--group: unknown queue 'Nope'"),
        (["--min-shared", "0.5"], "--min-shared needs --agents"),
        (["--agents", "A.csv", "--group", "Dagpenge;A-Kasse"], "give either --group or --agents"),
    ],
)
def test_bad_period_options_exit_2_with_one_line(forecast_file, tmp_path, capsys, args, message):
    code = main(
        ["staff", "--forecast", str(forecast_file), "--out", str(tmp_path / "r.csv"), *args]
    )
    assert code == 2
    lines = _stderr_lines(capsys)
    assert len(lines) == 1 and lines[0].startswith("vagtplan: error: ")
    assert message in lines[0]
    assert not (tmp_path / "r.csv").exists()


def test_over_week_with_groups_from_the_agents(forecast_file, tmp_path, capsys):
    out = tmp_path / "req.csv"
    code = main(
        [
            "staff",
            "--forecast",
            str(forecast_file),
            "--out",
            str(out),
            "--over",
            "week",
            "--agents",
            str(ROOT / "data" / "agents.csv"),
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "groups" in err and "[" in err  # group lines in the summary
    req = pd.read_csv(out)
    groups = pd.read_csv(tmp_path / "req_groups.csv")
    assert {"interval_start", "group", "queues", "agents"} <= set(groups.columns)
    # each group's requirement is split over its queues, one agent at least for each open queue
    member = {q: g for g, qs in zip(groups["group"], groups["queues"]) for q in qs.split(";")}
    assert (req["agents"] >= 1).all()
    split = req.assign(group=req["queue"].map(member)).groupby(["group", "interval_start"])
    total = groups.set_index(["group", "interval_start"])["agents"]
    assert split["agents"].sum().reindex(total.index).tolist() == total.tolist()
    open_queues = split["queue"].count().reindex(total.index)
    assert (total >= open_queues).all()
