"""Requirements per queue and interval (`staffing.requirements`): targets met and minimal, the
phone policy's floor, shrinkage, the 80 % range, per-queue targets, pooling, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from staffing import erlang
from staffing.requirements import (
    DEFAULT_SHRINKAGE,
    POOL_COLUMNS,
    REQUIREMENT_COLUMNS,
    infer_interval_seconds,
    pooled_requirements,
    staffing_requirements,
)

TZ = "Europe/Copenhagen"


def forecast_frame(
    queues: dict[str, tuple[list[float], float]], start="2026-03-02 09:00", freq="15min"
) -> pd.DataFrame:
    parts = []
    for name, (offered, aht) in queues.items():
        times = pd.date_range(start, periods=len(offered), freq=freq, tz=TZ)
        o = np.asarray(offered, dtype=float)
        parts.append(
            pd.DataFrame(
                {
                    "interval_start": times,
                    "queue": name,
                    "offered": o,
                    "offered_lo": np.floor(o * 0.8),
                    "offered_hi": np.ceil(o * 1.25),
                    "aht_seconds": aht,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


@pytest.fixture
def forecast() -> pd.DataFrame:
    return forecast_frame(
        {
            "Dagpenge": ([0, 12, 30, 55, 80, 41, 7, 0], 280.0),
            "Kontanthjælp": ([3, 25, 60, 90, 64, 20, 0, 2], 300.0),
            "Sygeopfølgning": ([40, 38, 10, 1, 0, 0, 5, 9], 240.0),
        }
    )


def test_contract_and_floor(forecast):
    req = staffing_requirements(forecast, service_level=0.8)
    assert list(req.columns) == REQUIREMENT_COLUMNS
    # one row per forecast row (the queue windows), nothing outside them
    got = set(zip(req["queue"], req["interval_start"]))
    assert got == set(zip(forecast["queue"], forecast["interval_start"]))
    assert isinstance(req["interval_start"].dtype, pd.DatetimeTZDtype)
    # the phone policy: at least one agent in every interval of the window, also with 0 calls
    zero = req["offered"] == 0
    assert zero.any() and (req.loc[zero, "agents"] == 1).all()
    assert (req["agents"] >= 1).all()


def test_targets_met_and_minimal_erlang_c(forecast):
    req = staffing_requirements(forecast, service_level=0.8, threshold=20, asa=30)
    busy = req[req["offered"] > 0]
    sl = erlang.service_level(busy["offered"], busy["aht_seconds"], busy["agents"], 20)
    w = erlang.asa(busy["offered"], busy["aht_seconds"], busy["agents"])
    assert (sl >= 0.8).all() and (w <= 30).all()
    assert np.allclose(busy["service_level"], sl) and np.allclose(busy["asa_seconds"], w)
    fewer = busy[busy["agents"] > 1]
    sl1 = erlang.service_level(fewer["offered"], fewer["aht_seconds"], fewer["agents"] - 1, 20)
    w1 = erlang.asa(fewer["offered"], fewer["aht_seconds"], fewer["agents"] - 1)
    assert ((sl1 < 0.8) | (w1 > 30)).all()
    # Erlang C: nobody hangs up
    assert (req["p_abandon"] == 0).all() and (busy["answer_rate"] == 1).all()


def test_targets_met_and_minimal_erlang_a(forecast):
    patience = {"Dagpenge": 550.0, "Kontanthjælp": 600.0, "Sygeopfølgning": 400.0}
    req = staffing_requirements(forecast, answer_rate=0.92, asa=150, patience=patience)
    busy = req[req["offered"] > 0]
    pat = busy["queue"].map(patience).to_numpy()
    at = erlang.erlang_a(busy["offered"], busy["aht_seconds"], pat, busy["agents"])
    assert (at["answer_rate"] >= 0.92).all() and (at["asa"] <= 150).all()
    assert np.allclose(busy["answer_rate"], at["answer_rate"], rtol=1e-12)
    more = busy["agents"] > 1
    below = erlang.erlang_a(
        busy["offered"][more], busy["aht_seconds"][more], pat[more], busy["agents"][more] - 1
    )
    assert ((below["answer_rate"] < 0.92) | (below["asa"] > 150)).all()


def test_shrinkage_gross_and_range(forecast):
    req = staffing_requirements(forecast, service_level=0.8)
    want = [math.ceil(round(n / (1 - DEFAULT_SHRINKAGE), 9)) for n in req["agents"]]
    assert req["agents_gross"].tolist() == want
    assert (
        int(
            staffing_requirements(
                forecast_frame({"Q": ([30], 300.0)}), service_level=0.8, shrinkage=0.3
            )["agents_gross"].iloc[0]
        )
        == 20
    )  # 14 / 0.7
    per_queue = staffing_requirements(forecast, service_level=0.8, shrinkage={"Dagpenge": 0.5})
    d = per_queue[per_queue["queue"] == "Dagpenge"]
    assert (d["agents_gross"] == d["agents"] * 2).all()
    k = per_queue[per_queue["queue"] == "Kontanthjælp"]
    assert (k["agents_gross"] == np.ceil(k["agents"] / 0.7 - 1e-9)).all()  # default elsewhere
    assert (req["agents_lo"] <= req["agents"]).all() and (req["agents"] <= req["agents_hi"]).all()
    assert (req["agents_hi"] > req["agents"]).any()


def test_per_queue_targets_and_errors(forecast):
    req = staffing_requirements(forecast, service_level={"Dagpenge": 0.9}, asa=60)
    d = req[(req["queue"] == "Dagpenge") & (req["offered"] > 0)]
    assert (d["service_level"] >= 0.9).all()
    with pytest.raises(ValueError, match="unknown queue 'Dagpengr'"):
        staffing_requirements(forecast, service_level={"Dagpengr": 0.9})
    with pytest.raises(ValueError, match="queue 'Kontanthjælp' has no target"):
        staffing_requirements(forecast, service_level={"Dagpenge": 0.9, "Sygeopfølgning": 0.8})
    with pytest.raises(ValueError, match="answer_rate needs patience"):
        staffing_requirements(forecast, answer_rate=0.92)
    with pytest.raises(ValueError, match=r"answer_rate must be in \(0, 1\); got 1.5"):
        staffing_requirements(forecast, answer_rate=1.5, patience=300)
    with pytest.raises(ValueError, match="shrinkage must be in"):
        staffing_requirements(forecast, service_level=0.8, shrinkage=1.0)


def test_bad_forecast_rows(forecast):
    bad = forecast.copy()
    bad.loc[5, "aht_seconds"] = -20.0
    with pytest.raises(ValueError, match=r"aht_seconds must be a number > 0; got -20.0 \(row 6"):
        staffing_requirements(bad, service_level=0.8)
    dup = pd.concat([forecast, forecast.iloc[[3]]], ignore_index=True)
    with pytest.raises(ValueError, match="two rows for queue 'Dagpenge'"):
        staffing_requirements(dup, service_level=0.8)
    with pytest.raises(ValueError, match="no column 'aht_seconds'"):
        staffing_requirements(forecast.drop(columns="aht_seconds"), service_level=0.8)


def test_interval_inference_including_dst_and_gaps():
    f30 = forecast_frame({"Q": ([10, 20, 30], 300.0)}, freq="30min")
    assert infer_interval_seconds(f30) == 1800.0
    # the autumn DST night and a closed gap do not change a 15-minute grid
    times = pd.date_range("2026-10-25 01:30", "2026-10-25 03:30", freq="15min", tz=TZ)
    times = times.append(pd.date_range("2026-10-25 09:00", periods=4, freq="15min", tz=TZ))
    f = pd.DataFrame({"interval_start": times, "queue": "Q", "offered": 10.0, "aht_seconds": 300.0})
    assert len(times) == 13 + 4  # 01:30-03:30 holds the repeated hour: 13 quarters
    assert infer_interval_seconds(f) == 900.0
    req = staffing_requirements(f, service_level=0.8)
    assert len(req) == 17 and req["interval_start"].is_unique
    # one row per queue: the project default
    assert infer_interval_seconds(forecast_frame({"Q": ([1], 300.0)})) == 900.0
    # traffic follows the interval: 30 calls per 30 minutes is half the load of 30 per 15
    r30 = staffing_requirements(
        forecast_frame({"Q": ([30], 300.0), "R": ([30, 30], 300.0)}, freq="30min"),
        service_level=0.8,
    )
    assert r30["traffic_erlangs"].iloc[0] == pytest.approx(5.0)


def test_pooling_gain_two_equal_queues():
    # Two queues of 10 Erlangs (Call Centre Helper's example each: 14 agents for 80 % in 20 s).
    # One team serving both: 20 Erlangs need 24, not 28 (and not the 14 that counting a
    # cross-trained agent fully toward every skill would give; ECOSYSTEM.md).
    f = forecast_frame({"A": ([100.0], 180.0), "B": ([100.0], 180.0)}, freq="30min")
    pooled = pooled_requirements(f, [{"A", "B"}], service_level=0.8, threshold=20, interval=1800)
    assert list(pooled.columns) == POOL_COLUMNS
    row = pooled.iloc[0]
    assert row["pool"] == "A + B" and row["queues"] == "A;B"
    assert (row["agents"], row["agents_separate"], row["pooling_gain"]) == (24, 28, 4)
    assert row["traffic_erlangs"] == pytest.approx(20.0)


def test_pooling_weighted_handle_time_and_floor(forecast):
    pools = {"benefits": ["Dagpenge", "Kontanthjælp"]}
    patience = {"Dagpenge": 550.0, "Kontanthjælp": 600.0, "Sygeopfølgning": 400.0}
    kw = dict(answer_rate=0.92, asa=150, patience=patience)
    pooled = pooled_requirements(forecast, pools, **kw)
    sep = staffing_requirements(forecast, **kw)
    sep = sep[sep["queue"].isin(pools["benefits"])]
    by_time = sep.groupby("interval_start")
    assert (pooled["agents_separate"].to_numpy() == by_time["agents"].sum().to_numpy()).all()
    assert np.allclose(pooled["traffic_erlangs"], by_time["traffic_erlangs"].sum())
    work = (sep["offered"] * sep["aht_seconds"]).groupby(sep["interval_start"]).sum()
    calls = by_time["offered"].sum()
    busy = (calls > 0).to_numpy()
    assert np.allclose(pooled["aht_seconds"][busy], (work / calls)[busy])
    # with the same targets, one team never needs more agents than two
    assert (pooled["agents"] <= pooled["agents_separate"]).all()
    assert (pooled["pooling_gain"] >= 0).all() and pooled["pooling_gain"].sum() > 0
    assert (pooled["agents"] >= 1).all()
    # the pooled queue is staffed as Erlang A with the offered-weighted patience
    volume = sep.groupby("queue")["offered"].sum()
    mean_patience = sum(patience[q] * v for q, v in volume.items()) / volume.sum()
    want = erlang.required_agents(
        pooled["offered"], pooled["aht_seconds"], answer_rate=0.92, asa=150, patience=mean_patience
    )
    assert (pooled["agents"] == np.maximum(want, 1)).all()


def test_pool_meets_the_strictest_target_of_its_queues(forecast):
    # first come first served: every call in the pool sees the same waits, so the pool must meet
    # the highest answer-rate goal among its queues; that can cost more than separate teams
    patience = 500.0
    pooled = pooled_requirements(
        forecast,
        [["Dagpenge", "Kontanthjælp"]],
        patience=patience,
        answer_rate={"Dagpenge": 0.97, "Kontanthjælp": 0.85},
    )
    busy = pooled[pooled["offered"] > 0]
    assert (busy["answer_rate"] >= 0.97).all()
    assert pooled["pool"].iloc[0] == "Dagpenge + Kontanthjælp"


def test_pool_errors(forecast):
    with pytest.raises(ValueError, match="unknown queue 'Dagpenge2'"):
        pooled_requirements(forecast, [{"Dagpenge2", "Kontanthjælp"}], service_level=0.8)
    with pytest.raises(ValueError, match="queue 'Dagpenge' is in two pools"):
        pooled_requirements(
            forecast, {"x": ["Dagpenge"], "y": ["Dagpenge", "Kontanthjælp"]}, service_level=0.8
        )
    with pytest.raises(ValueError, match="a pool must be a set of queue names"):
        pooled_requirements(forecast, ["Dagpenge, Kontanthjælp"], service_level=0.8)
