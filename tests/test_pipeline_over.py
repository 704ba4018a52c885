"""The pipeline staffs for the SLA over the period it is measured over (issue 12, point 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.errors import InputError
from planner.pipeline import DEFAULT_OVER, SLA, sla_requirements
from staffing import erlang, kpi
from staffing.requirements import staffing_requirements


def _forecast() -> pd.DataFrame:
    start = pd.date_range("2026-03-02 08:00", periods=16, freq="15min", tz="Europe/Copenhagen")
    calls = np.array([4, 6, 10, 16, 22, 26, 24, 20, 18, 16, 14, 10, 8, 6, 4, 2], dtype=float)
    rows = []
    for queue, scale, aht in (("Dagpenge", 1.0, 280.0), ("Kontanthjælp", 1.4, 300.0)):
        for t, c in zip(start, calls * scale):
            rows.append({"interval_start": t, "queue": queue, "offered": c, "aht_seconds": aht})
    return pd.DataFrame(rows)


def test_the_default_period_is_the_week() -> None:
    assert DEFAULT_OVER == "week"


def test_interval_is_todays_requirement() -> None:
    forecast = _forecast()
    ours = sla_requirements(forecast, over="interval")
    today = staffing_requirements(
        forecast,
        answer_rate=SLA.answer_rate,
        asa=SLA.asa_seconds,
        patience={
            "Dagpenge": 2300.0,
            "Kontanthjælp": 2500.0,
        },
    )
    assert ours["agents"].tolist() == today["agents"].tolist()


def test_the_week_needs_no_more_and_meets_the_goals_over_the_week() -> None:
    forecast = _forecast()
    week = sla_requirements(forecast, over="week")
    interval = sla_requirements(forecast, over="interval")
    assert week["agents"].sum() <= interval["agents"].sum()
    assert (week["agents"] >= 1).all()  # the phone policy: someone in every open interval
    # the week's answer rate and wait by Erlang A at the week's staffing, per queue
    merged = forecast.merge(week[["interval_start", "queue", "agents"]])
    patience = {"Dagpenge": 2300.0, "Kontanthjælp": 2500.0}  # centre.queues
    counts = kpi.expected_counts(merged, patience=patience)
    table = kpi.kpis(counts, by="total")
    assert (table["answer_rate"] >= SLA.answer_rate - 1e-9).all(), table
    assert (table["asa_seconds"] <= SLA.asa_seconds + 1e-9).all(), table
    # and Erlang A by hand on the busiest interval agrees with the counts used
    row = merged.sort_values("offered").iloc[-1]
    direct = erlang.erlang_a(
        row["offered"], row["aht_seconds"], patience[row["queue"]], row["agents"]
    )["p_abandon"]
    assert 0.0 <= float(direct) < 1.0


def test_an_unknown_period_is_refused_with_one_line() -> None:
    with pytest.raises(InputError, match="--over: expected one of interval, day, week, month"):
        sla_requirements(_forecast(), over="fortnight")
