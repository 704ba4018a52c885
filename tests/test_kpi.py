"""KPI definitions checked on hand-computed examples (the SLA's 40-second rule above all)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing import kpi

TZ = "Europe/Copenhagen"


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def _history(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["interval_start"] = pd.to_datetime(frame["interval_start"]).dt.tz_localize(TZ)
    return frame


# --- the 40-second rule, by hand ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("offered", "answered", "abandoned", "short", "expected"),
    [
        # 20 hung up, 12 of them within 40 s: 80 / (100 - 12) = 0.909..., not 80 / 100.
        (100, 80, 20, 12, 80 / 88),
        # Every abandon within 40 s: none counts against the centre.
        (200, 180, 20, 20, 1.0),
        # No short abandon: the rate is plain answered / offered (exactly the 92 % goal).
        (50, 46, 4, 0, 0.92),
        # Nothing countable (all hung up within 40 s): undefined, not 0 and not 1.
        (3, 0, 3, 3, math.nan),
    ],
)
def test_answer_rate_removes_short_abandons_from_the_denominator(
    offered, answered, abandoned, short, expected
):
    got = float(kpi.answer_rate(answered, offered, short))
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-12)
    table = kpi.kpis(
        _history(
            [
                {
                    "interval_start": "2026-03-02 10:00",
                    "queue": "Dagpenge",
                    "offered": offered,
                    "answered": answered,
                    "abandoned": abandoned,
                    "abandoned_short": short,
                    "transferred": 0,
                    "asa_seconds": 10.0,
                }
            ]
        ),
        by="interval",
    )
    value = table["answer_rate"].iloc[0]
    assert (math.isnan(value) and math.isnan(expected)) or value == pytest.approx(expected)


def test_a_day_is_a_ratio_of_summed_counts_not_a_mean_of_interval_rates():
    history = _history(
        [
            # 10 offered, 5 answered, 5 abandoned all within 40 s: interval answer rate 5/5 = 1.
            dict(
                interval_start="2026-03-02 10:00",
                queue="Kontanthjælp",
                offered=10,
                answered=5,
                abandoned=5,
                abandoned_short=5,
                transferred=2,
                asa_seconds=12.0,
            ),
            # 90 offered, 81 answered, 9 long abandons: 81/90 = 0.9.
            dict(
                interval_start="2026-03-02 10:15",
                queue="Kontanthjælp",
                offered=90,
                answered=81,
                abandoned=9,
                abandoned_short=0,
                transferred=30,
                asa_seconds=40.0,
            ),
        ]
    )
    day = kpi.kpis(history, by="day").iloc[0]
    # (5 + 81) / (100 - 5) = 86 / 95, whereas the mean of the two interval rates is 0.95.
    assert day["answer_rate"] == pytest.approx(86 / 95)
    assert day["offered"] == 100 and day["abandoned_short"] == 5
    # First-contact resolution: (86 - 32) / 86 answered calls not transferred.
    assert day["fcr"] == pytest.approx(54 / 86)
    # ASA weighted by answered calls: (5 x 12 + 81 x 40) / 86.
    assert day["asa_seconds"] == pytest.approx((60 + 3240) / 86)
    # Abandonment counts every abandon, short ones too: 14 / 100.
    assert day["abandon_rate"] == pytest.approx(0.14)
    # The history contract has no count answered within the threshold: service level unknown.
    assert math.isnan(day["service_level"])


def test_service_level_from_answered_within_column():
    history = _history(
        [
            dict(
                interval_start="2026-03-02 09:00",
                queue="Virksomhed",
                offered=40,
                answered=36,
                abandoned=4,
                abandoned_short=1,
                transferred=10,
                asa_seconds=25.0,
                answered_within=30,
            )
        ]
    )
    row = kpi.kpis(history, by="interval").iloc[0]
    assert row["service_level"] == pytest.approx(30 / 40)
    assert row["answer_rate"] == pytest.approx(36 / 39)


def test_goals_default_to_the_centres_sla_and_meet_at_equality():
    goals = kpi.SlaGoals()
    assert goals.answer_rate == 0.92 and goals.fcr == 0.65 and goals.asa_seconds == 150
    table = pd.DataFrame(
        {
            "answer_rate": [0.92, 0.9199, math.nan, 0.95],
            "fcr": [0.65, 0.70, 0.70, 0.64],
            "asa_seconds": [150.0, 20.0, math.nan, 151.0],
        }
    )
    judged = kpi.evaluate(table, goals)
    assert judged["meets_sla"].tolist() == [True, False, True, False]
    assert judged["meets_answer_rate"].tolist() == [True, False, True, True]
    assert judged["meets_asa_seconds"].tolist() == [True, True, True, False]
    service = kpi.evaluate(table, goals, measures=list(goals.service_targets()))
    assert "meets_fcr" not in service and service["meets_sla"].tolist() == [
        True,
        False,
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"answer_rate": 1.5}, "answer_rate goal must be in (0, 1]; got 1.5"),
        ({"asa_seconds": -3}, "asa_seconds goal must be > 0 seconds; got -3"),
        ({"threshold": 0}, "threshold must be > 0 seconds; got 0"),
    ],
)
def test_goals_reject_bad_values(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        kpi.SlaGoals(**kwargs)


def test_periods_iso_week_month_and_dst():
    history = _history(
        [
            # 31 Dec 2026 and 1 Jan 2027 are both in ISO week 2026-W53 but in different months.
            dict(
                interval_start="2026-12-31 10:00",
                queue="Dagpenge",
                offered=10,
                answered=9,
                abandoned=1,
                abandoned_short=0,
                transferred=3,
                asa_seconds=5.0,
            ),
            dict(
                interval_start="2027-01-01 10:00",
                queue="Dagpenge",
                offered=20,
                answered=20,
                abandoned=0,
                abandoned_short=0,
                transferred=5,
                asa_seconds=5.0,
            ),
        ]
    )
    weeks = kpi.kpis(history, by="week")
    assert weeks["week"].tolist() == ["2026-W53"]
    assert weeks["answered"].iloc[0] == 29
    months = kpi.kpis(history, by="month")
    assert months["month"].tolist() == ["2026-12", "2027-01"]

    # The repeated autumn hour: two distinct intervals at 02:00 local, one day.
    first = pd.Timestamp("2026-10-25 02:00+02:00").tz_convert(TZ)
    second = pd.Timestamp("2026-10-25 02:00+01:00").tz_convert(TZ)
    dst = pd.DataFrame(
        {
            "interval_start": [first, second],
            "queue": "Sygeopfølgning",
            "offered": [4, 6],
            "answered": [4, 6],
            "abandoned": 0,
            "abandoned_short": 0,
            "transferred": 0,
            "asa_seconds": 0.0,
        }
    )
    assert len(kpi.kpis(dst, by="interval")) == 2
    day = kpi.kpis(dst, by="day")
    assert len(day) == 1 and day["offered"].iloc[0] == 10


def test_total_rows_and_missing_data_stay_missing():
    history = _history(
        [
            dict(
                interval_start="2026-03-02 10:00",
                queue="A-Kasse",
                offered=10,
                answered=8,
                abandoned=2,
                abandoned_short=1,
                transferred=4,
                asa_seconds=30.0,
            ),
            dict(
                interval_start="2026-03-02 10:00",
                queue="Dagpenge",
                offered=30,
                answered=27,
                abandoned=3,
                abandoned_short=0,
                transferred=9,
                asa_seconds=60.0,
            ),
            dict(
                interval_start="2026-03-03 10:00",
                queue="Dagpenge",
                offered=30,
                answered=np.nan,
                abandoned=3,
                abandoned_short=0,
                transferred=9,
                asa_seconds=60.0,
            ),
        ]
    )
    table = kpi.kpis(history, by="day", total=True)
    monday = table[(table["queue"] == kpi.ALL_QUEUES) & (table["date"].astype(str) == "2026-03-02")]
    assert monday["answer_rate"].iloc[0] == pytest.approx(35 / 39)
    assert monday["asa_seconds"].iloc[0] == pytest.approx((8 * 30 + 27 * 60) / 35)
    tuesday = table[table["date"].astype(str) == "2026-03-03"]
    assert tuesday["answered"].isna().all() and tuesday["answer_rate"].isna().all()
    # The centre's row comes first within each day.
    assert table["queue"].iloc[0] == kpi.ALL_QUEUES


def test_missing_required_column_is_a_clear_error():
    frame = pd.DataFrame({"interval_start": [_t("2026-03-02 10:00")], "offered": [1]})
    with pytest.raises(ValueError, match="missing column"):
        kpi.kpis(frame)
    naive = pd.DataFrame(
        {"interval_start": [pd.Timestamp("2026-03-02 10:00")], "queue": "Q", "offered": [1]}
    )
    with pytest.raises(ValueError, match="tz-aware"):
        kpi.kpis(naive)
    with pytest.raises(ValueError, match="by must be one of"):
        kpi.kpis(naive.assign(interval_start=_t("2026-03-02 10:00")), by="year")


# --- Erlang predictions in the same shape -----------------------------------------------------


def test_expected_counts_give_erlang_a_measures_back_through_the_kpi_definitions():
    from staffing import erlang

    starts = pd.date_range("2026-03-02 10:00", periods=4, freq="15min", tz=TZ)
    frame = pd.DataFrame(
        {
            "interval_start": starts,
            "queue": "Dagpenge",
            "offered": [5.0, 30.0, 60.0, 90.0],
            "aht_seconds": 280.0,
            "agents": [2, 10, 17, 22],
        }
    )
    expected = kpi.expected_counts(frame, patience=200.0, transfer_rate=0.35)
    table = kpi.kpis(expected, by="interval")
    ref = erlang.erlang_a(frame["offered"].to_numpy(), 280.0, 200.0, frame["agents"].to_numpy())
    # The KPI module's 40-s rule on expected counts equals Erlang A's own answer rate.
    np.testing.assert_allclose(table["answer_rate"], ref["answer_rate"], rtol=1e-9)
    np.testing.assert_allclose(table["service_level"], ref["service_level"], rtol=1e-9)
    np.testing.assert_allclose(table["asa_seconds"], ref["asa"], rtol=1e-9)
    np.testing.assert_allclose(table["abandon_rate"], ref["p_abandon"], rtol=1e-9)
    np.testing.assert_allclose(table["fcr"], 0.65, rtol=1e-12)


def test_expected_counts_interpolate_fractional_agents():
    start = _t("2026-03-02 10:00")
    rows = pd.DataFrame(
        {
            "interval_start": [start] * 3,
            "queue": ["Q10", "Q11", "Q105"],
            "offered": 40.0,
            "aht_seconds": 240.0,
            "agents": [10.0, 11.0, 10.5],
        }
    )
    out = kpi.expected_counts(rows, patience=180.0, transfer_rate=0.3)
    mid = out["answered"].iloc[2]
    assert mid == pytest.approx((out["answered"].iloc[0] + out["answered"].iloc[1]) / 2)


def test_compare_lines_up_sources_by_queue_and_period():
    history = _history(
        [
            dict(
                interval_start="2026-03-02 10:00",
                queue="Dagpenge",
                offered=30,
                answered=27,
                abandoned=3,
                abandoned_short=1,
                transferred=9,
                asa_seconds=60.0,
            ),
        ]
    )
    plan = history.assign(answered=29, abandoned=1, abandoned_short=0)
    table = kpi.compare({"actual": history, "plan": plan}, by="day")
    assert table["answer_rate_actual"].iloc[0] == pytest.approx(27 / 29)
    assert table["answer_rate_plan"].iloc[0] == pytest.approx(29 / 30)


def test_per_queue_defaults_and_errors():
    from centre.queues import queue_spec

    values = kpi.per_queue(None, ["Dagpenge"], name="patience", spec_attribute="patience_seconds")
    assert values == {"Dagpenge": queue_spec("Dagpenge").patience_seconds}
    assert kpi.per_queue({"X": 90}, ["X"], name="patience") == {"X": 90.0}
    with pytest.raises(ValueError, match="patience is not given for queue 'Ukendt'"):
        kpi.per_queue(None, ["Ukendt"], name="patience", spec_attribute="patience_seconds")
    with pytest.raises(ValueError, match=r"transfer_rate for queue 'X' must be in \[0.0, 1.0\]"):
        kpi.per_queue(1.5, ["X"], name="transfer_rate", high=1.0)


# --- properties -----------------------------------------------------------------------------


@st.composite
def _interval_counts(draw):
    offered = draw(st.integers(0, 300))
    answered = draw(st.integers(0, offered))
    abandoned = draw(st.integers(0, offered - answered))
    short = draw(st.integers(0, abandoned))
    transferred = draw(st.integers(0, answered))
    return offered, answered, abandoned, short, transferred


@settings(max_examples=60, deadline=None)
@given(st.lists(_interval_counts(), min_size=1, max_size=8))
def test_rates_are_shares_and_days_sum_their_intervals(rows):
    starts = pd.date_range("2026-03-02 08:00", periods=len(rows), freq="15min", tz=TZ)
    frame = pd.DataFrame(
        rows, columns=["offered", "answered", "abandoned", "abandoned_short", "transferred"]
    )
    frame.insert(0, "interval_start", starts)
    frame.insert(1, "queue", "Q")
    frame["asa_seconds"] = 10.0
    by_interval = kpi.kpis(frame, by="interval")
    day = kpi.kpis(frame, by="day").iloc[0]
    for measure in ("answer_rate", "fcr", "abandon_rate"):
        values = by_interval[measure].dropna()
        assert ((values >= 0) & (values <= 1)).all()
    totals = frame[["offered", "answered", "abandoned_short"]].sum()
    countable = totals["offered"] - totals["abandoned_short"]
    if countable > 0:
        assert day["answer_rate"] == pytest.approx(totals["answered"] / countable)
    else:
        assert math.isnan(day["answer_rate"])


@settings(max_examples=60, deadline=None)
@given(_interval_counts())
def test_a_long_abandon_turned_short_never_lowers_the_answer_rate(counts):
    offered, answered, abandoned, short, _ = counts
    if short >= abandoned or offered - short - 1 <= 0:
        return
    before = float(kpi.answer_rate(answered, offered, short))
    after = float(kpi.answer_rate(answered, offered, short + 1))
    assert after >= before
