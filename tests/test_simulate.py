"""The simulation's mechanics: shifts, routing, transfers, sickness, volumes, reproducibility."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from staffing import kpi
from staffing.simulation.engine import phone_blocks, ratio_ci, simulate
from staffing.simulation.events import ABANDONED, ANSWERED, run_centre

TZ = "Europe/Copenhagen"
DAY = pd.Timestamp("2026-03-02", tz=TZ)


def _at(hhmm: str, day: pd.Timestamp = DAY) -> pd.Timestamp:
    hours, minutes = map(int, hhmm.split(":"))
    return day + pd.Timedelta(hours=hours, minutes=minutes)


def _forecast(queues: dict[str, float], start="08:00", periods=8, aht=240.0, days=1):
    frames = []
    for d in range(days):
        day = DAY + pd.Timedelta(days=d)
        starts = pd.date_range(_at(start, day), periods=periods, freq="15min")
        for queue, calls in queues.items():
            frames.append(
                pd.DataFrame(
                    {"interval_start": starts, "queue": queue, "offered": calls, "aht_seconds": aht}
                )
            )
    return pd.concat(frames, ignore_index=True)


def _roster(agents: list[str], start="08:00", end="10:30", days=1, activity="phone"):
    rows = []
    for d in range(days):
        day = DAY + pd.Timedelta(days=d)
        for agent in agents:
            rows.append((agent, day.date(), _at(start, day), _at(end, day), activity))
    return pd.DataFrame(rows, columns=["agent_id", "date", "start", "end", "activity"])


# --- the event engine on hand-made calls ---------------------------------------------------


def _engine(calls, *, skills, blocks, routing="longest_waiting", n_queues=2):
    """Run the event loop on explicit calls: (arrival, queue, handle, patience) tuples."""
    arrival, queue, handle, patience = (np.array(x, dtype=float) for x in zip(*calls))
    tiers, rank = [], np.full((len(skills), n_queues), -1)
    for a, mine in enumerate(skills):
        if routing == "longest_waiting":
            t = [mine]
        elif routing == "primary_first":
            t = [mine[:1], mine[1:]] if len(mine) > 1 else [mine]
        else:
            t = [[q] for q in mine]
        tiers.append(t)
        for level, tier in enumerate(t):
            for q in tier:
                rank[a, q] = level
    return run_centre(arrival, queue.astype(int), handle, patience, tiers, rank, blocks)


def test_an_agent_finishes_the_call_past_the_block_end_then_leaves_and_returns():
    centre = _engine(
        [
            (10.0, 0, 200.0, 1e6),  # answered at once, runs to 210, past the block end at 100
            (20.0, 0, 50.0, 1e6),  # must wait for the agent's next block at 300
            (150.0, 0, 10.0, 100.0),  # nobody on the phone 100-300: hangs up at 250
        ],
        skills=[[0]],
        blocks=[[(0.0, 100.0), (300.0, 400.0)]],
    )
    assert centre.state.tolist() == [ANSWERED, ANSWERED, ABANDONED]
    assert centre.wait.tolist() == [0.0, 280.0, 100.0]


def test_primary_first_takes_the_own_queue_before_an_older_call_of_another():
    # One agent (primary queue 0, also queue 1) busy until 100; a queue-1 call waits since 10,
    # a queue-0 call since 50.
    calls = [(0.0, 0, 100.0, 1e6), (10.0, 1, 10.0, 1e6), (50.0, 0, 10.0, 1e6)]
    first = _engine(calls, skills=[[0, 1]], blocks=[[(0.0, 1000.0)]], routing="primary_first")
    assert first.wait[2] == 50.0 and first.wait[1] == 100.0  # queue 0 at 100, queue 1 at 110
    oldest = _engine(calls, skills=[[0, 1]], blocks=[[(0.0, 1000.0)]], routing="longest_waiting")
    assert oldest.wait[1] == 90.0 and oldest.wait[2] == 60.0  # queue 1 at 100, queue 0 at 110


def test_an_arriving_call_prefers_an_agent_whose_primary_skill_it_is():
    # Agent 0 (primary 1, helps on 0) has been idle longest; agent 1 has primary 0.
    calls = [(5.0, 0, 30.0, 1e6)]
    primary = _engine(
        calls,
        skills=[[1, 0], [0]],
        blocks=[[(0.0, 100.0)], [(1.0, 100.0)]],
        routing="primary_first",
    )
    assert primary.agent.tolist() == [1] and primary.wait.tolist() == [0.0]
    # Under longest_waiting the longest-idle agent (0) takes it; both policies answer at once.
    longest = _engine(
        calls,
        skills=[[1, 0], [0]],
        blocks=[[(0.0, 100.0)], [(1.0, 100.0)]],
        routing="longest_waiting",
    )
    assert longest.agent.tolist() == [0] and longest.wait.tolist() == [0.0]


def test_unskilled_agents_never_take_a_queue():
    centre = _engine(
        [(1.0, 1, 10.0, 30.0), (2.0, 0, 10.0, 30.0)],
        skills=[[0]],
        blocks=[[(0.0, 100.0)]],
    )
    # the queue-1 call abandons though the agent is free
    assert centre.state.tolist() == [ABANDONED, ANSWERED]


# --- the whole simulation -----------------------------------------------------------------


def test_counts_are_consistent_and_the_same_seed_gives_the_same_numbers():
    forecast = _forecast({"Dagpenge": 12.0, "Kontanthjælp": 8.0})
    roster = _roster(["A1", "A2", "A3", "A4"])
    agents = pd.DataFrame(
        {
            "agent_id": ["A1", "A2", "A3", "A4"],
            "skills": [
                "Dagpenge",
                "Dagpenge;Kontanthjælp",
                "Kontanthjælp;Dagpenge",
                "Kontanthjælp",
            ],
        }
    )
    one = simulate(roster, forecast, agents, replications=4, seed=11)
    two = simulate(roster, forecast, agents, replications=4, seed=11)
    pd.testing.assert_frame_equal(one.counts, two.counts)
    other = simulate(roster, forecast, agents, replications=4, seed=12)
    assert not one.counts["answered"].equals(other.counts["answered"])
    c = one.counts
    assert (c["answered"] + c["abandoned"] == c["offered"]).all()
    assert (c["abandoned_short"] <= c["abandoned"]).all()
    assert (c["transferred"] <= c["answered"]).all()
    assert (c["answered_within"] <= c["answered"]).all()
    table = one.kpi_table(by="day")
    assert list(table.columns[:10]) == [
        "queue",
        "date",
        "offered",
        "answered",
        "abandoned",
        "abandoned_short",
        "transferred",
        "answer_rate",
        "answer_rate_lo",
        "answer_rate_hi",
    ]
    for col in ("service_level", "service_level_lo", "service_level_hi", "asa_seconds"):
        assert col in table.columns
    assert (table["answer_rate_lo"] <= table["answer_rate"]).all()
    assert (table["answer_rate"] <= table["answer_rate_hi"]).all()
    by_interval = one.kpi_table(by="interval")
    assert list(by_interval.columns[:3]) == ["queue", "date", "interval_start"]
    assert len(by_interval) == len(forecast)


def test_poisson_arrivals_match_the_forecast_volume():
    forecast = _forecast({"Sygeopfølgning": 25.0}, periods=4)
    roster = _roster(["A1"], end="09:00")
    agents = pd.DataFrame({"agent_id": ["A1"], "skills": ["Sygeopfølgning"]})
    result = simulate(roster, forecast, agents, replications=200, seed=3, patience=60.0)
    per_rep = result.counts.groupby("replication")["offered"].sum()
    # 100 calls expected per replication; Poisson: variance = mean.
    assert per_rep.mean() == pytest.approx(100.0, abs=3 * math.sqrt(100 / 200))
    assert per_rep.var() == pytest.approx(100.0, rel=0.3)


def test_day_overdispersion_adds_variance_beyond_poisson():
    forecast = _forecast({"Sygeopfølgning": 25.0}, periods=4)
    roster = _roster(["A1"], end="09:00")
    agents = pd.DataFrame({"agent_id": ["A1"], "skills": ["Sygeopfølgning"]})
    result = simulate(roster, forecast, agents, replications=300, seed=4, patience=60.0, day_cv=0.3)
    per_rep = result.counts.groupby("replication")["offered"].sum()
    # Var = mean + mean^2 cv^2 = 100 + 900 for a gamma day factor with cv 0.3.
    assert per_rep.var() == pytest.approx(1000.0, rel=0.3)


def test_uncertainty_draws_day_volumes_matching_the_80_percent_interval():
    from forecast.models.intervals import nb_interval

    # Four intervals of a day whose 80 % intervals are those of a negative binomial with a
    # day-level dispersion of 0.04 (a day factor with 20 % standard deviation), as the forecast
    # engine writes them; simulated day totals must then be NB(200, 0.04).
    starts = pd.date_range(_at("10:00"), periods=4, freq="15min")
    mean = np.array([40.0, 60.0, 60.0, 40.0])
    lo, hi = nb_interval(mean, 0.04, 0.8)
    forecast = pd.DataFrame(
        {
            "interval_start": starts,
            "queue": "Kontanthjælp",
            "offered": mean,
            "offered_lo": lo,
            "offered_hi": hi,
            "aht_seconds": 300.0,
        }
    )
    roster = _roster(["A1"], start="10:00", end="10:15")
    agents = pd.DataFrame({"agent_id": ["A1"], "skills": ["Kontanthjælp"]})
    result = simulate(
        roster, forecast, agents, replications=400, seed=5, patience=30.0, uncertainty=True
    )
    day = result.counts.groupby("replication")["offered"].sum()
    # NB(200, 0.04): variance 200 + 0.04 x 200^2 = 1800 (sd 42); with 400 draws the sample mean
    # has sd 2.1 and the sample variance a relative sd of about 0.08.
    assert day.mean() == pytest.approx(200.0, abs=7)
    assert day.var() == pytest.approx(1800.0, rel=0.25)
    day_lo, day_hi = nb_interval(np.array([200.0]), 0.04, 0.8)
    inside = ((day >= day_lo[0]) & (day <= day_hi[0])).mean()
    assert inside == pytest.approx(0.80, abs=0.06)
    # Without uncertainty the same forecast gives plain Poisson days (variance 200).
    plain = simulate(roster, forecast, agents, replications=400, seed=5, patience=30.0)
    assert plain.counts.groupby("replication")["offered"].sum().var() == pytest.approx(
        200.0, rel=0.25
    )


def test_lognormal_and_exponential_handle_times_have_the_forecast_mean():
    forecast = _forecast({"Virksomhed": 6.0}, periods=8, aht=390.0)
    roster = _roster(["A1", "A2", "A3", "A4", "A5"], end="12:00")
    agents = pd.DataFrame({"agent_id": [f"A{i}" for i in range(1, 6)], "skills": "Virksomhed"})
    for dist in ("lognormal", "exponential"):
        result = simulate(
            roster, forecast, agents, replications=60, seed=6, handle_time=dist, patience=1e5
        )
        table = kpi.kpis(result.counts, by="total")
        assert table["aht_seconds"].iloc[0] == pytest.approx(390.0, rel=0.05)


def test_transfers_follow_the_queue_share():
    forecast = _forecast({"Genregistrering": 10.0}, periods=8)
    roster = _roster(["A1", "A2", "A3", "A4", "A5"], end="11:00")
    agents = pd.DataFrame({"agent_id": [f"A{i}" for i in range(1, 6)], "skills": "Genregistrering"})
    result = simulate(roster, forecast, agents, replications=40, seed=7, transfer_rate=0.2)
    table = result.kpi_table(by="total")
    assert table["fcr_lo"].iloc[0] <= 0.8 <= table["fcr_hi"].iloc[0]


def test_lunch_and_sickness_cost_answered_calls():
    forecast = _forecast({"Dagpenge": 10.0}, periods=8)
    agents = pd.DataFrame({"agent_id": ["A1", "A2", "A3"], "skills": "Dagpenge"})
    full = _roster(["A1", "A2", "A3"])
    lunch = pd.concat(
        [
            full[full["agent_id"] != "A1"],
            pd.DataFrame(
                [
                    ("A1", DAY.date(), _at("08:00"), _at("08:45"), "phone"),
                    ("A1", DAY.date(), _at("08:45"), _at("09:30"), "lunch"),
                    ("A1", DAY.date(), _at("09:30"), _at("10:30"), "phone"),
                ],
                columns=full.columns,
            ),
        ]
    )
    kwargs = dict(replications=20, seed=8, patience=120.0)
    base = simulate(full, forecast, agents, **kwargs).kpi_table(by="total").iloc[0]
    less = simulate(lunch, forecast, agents, **kwargs).kpi_table(by="total").iloc[0]
    sick = simulate(full, forecast, agents, sick_rate=0.5, **kwargs).kpi_table(by="total").iloc[0]
    assert less["answer_rate"] < base["answer_rate"]
    assert sick["answer_rate"] < base["answer_rate"]
    gone = simulate(full, forecast, agents, sick_rate=0.999, **kwargs).kpi_table(by="total")
    assert gone["answered"].iloc[0] < 1.0


def test_sla_probability_is_one_when_overstaffed_and_zero_when_overloaded():
    forecast = _forecast({"A-Kasse": 4.0})
    agents = pd.DataFrame({"agent_id": [f"A{i}" for i in range(8)], "skills": "A-Kasse"})
    easy = simulate(_roster(list(agents["agent_id"])), forecast, agents, replications=10, seed=9)
    prob = easy.sla_probability()
    week = prob[(prob["period"] == "all") & (prob["queue"] == kpi.ALL_QUEUES)].iloc[0]
    assert week["p_meet"] == 1.0 and week["replications"] == 10
    assert week["p_meet_lo"] > 0.6  # Wilson interval for 10 of 10
    hard = simulate(_roster(["A0"]), _forecast({"A-Kasse": 20.0}), agents, replications=10, seed=9)
    prob = hard.sla_probability()
    assert prob["p_meet"].max() == 0.0


def test_phone_blocks_merge_touching_phone_rows():
    roster = pd.DataFrame(
        [
            ("A1", DAY.date(), _at("08:00"), _at("09:00"), "phone"),
            ("A1", DAY.date(), _at("09:00"), _at("10:00"), "phone"),
            ("A1", DAY.date(), _at("10:00"), _at("10:30"), "lunch"),
            ("A1", DAY.date(), _at("10:30"), _at("12:00"), "phone"),
        ],
        columns=["agent_id", "date", "start", "end", "activity"],
    )
    blocks = phone_blocks(roster)
    assert blocks[["start", "end"]].values.tolist() == [
        [_at("08:00"), _at("10:00")],
        [_at("10:30"), _at("12:00")],
    ]


def test_ratio_ci_matches_a_hand_computation():
    y = np.array([[9.0], [8.0], [10.0]])
    x = np.array([[10.0], [10.0], [10.0]])
    est, lo, hi = ratio_ci(y, x)
    # Equal denominators: the ordinary t interval of the ratios 0.9, 0.8, 1.0.
    half = 4.302652729911275 * 0.1 / math.sqrt(3)  # t(0.975, 2) x sd / sqrt(n)
    assert est[0] == pytest.approx(0.9)
    assert lo[0] == pytest.approx(0.9 - half) and hi[0] == pytest.approx(0.9 + half)
    _, lo1, hi1 = ratio_ci(y[:1], x[:1])
    assert math.isnan(lo1[0]) and math.isnan(hi1[0])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(routing="random"), "routing must be one of"),
        (dict(handle_time="gamma"), "handle_time must be one of"),
        (dict(replications=0), "replications must be a whole number >= 1; got 0"),
        (dict(sick_rate=1.0), r"sick_rate must be in \[0, 1\); got 1.0"),
        (dict(patience=-5.0), "patience for queue 'Dagpenge' must be in"),
    ],
)
def test_bad_arguments_name_the_argument(change, message):
    forecast = _forecast({"Dagpenge": 2.0}, periods=2)
    agents = pd.DataFrame({"agent_id": ["A1"], "skills": ["Dagpenge"]})
    with pytest.raises(ValueError, match=message):
        simulate(_roster(["A1"]), forecast, agents, **change)


def test_bad_inputs_are_named():
    forecast = _forecast({"Dagpenge": 2.0}, periods=2)
    agents = pd.DataFrame({"agent_id": ["A1"], "skills": ["Dagpenge"]})
    with pytest.raises(ValueError, match="roster agent 'B7' is not in the agents table"):
        simulate(_roster(["B7"]), forecast, agents)
    with pytest.raises(ValueError, match="roster activity 'coffee' is unknown"):
        simulate(_roster(["A1"], activity="coffee"), forecast, agents)
    naive = forecast.assign(interval_start=forecast["interval_start"].dt.tz_localize(None))
    with pytest.raises(ValueError, match="tz-aware"):
        simulate(_roster(["A1"]), naive, agents)
    with pytest.raises(ValueError, match="missing column"):
        simulate(_roster(["A1"]), forecast, agents, uncertainty=True)
    unknown = forecast.assign(queue="Ukendt kø")
    with pytest.raises(ValueError, match="patience is not given for queue 'Ukendt kø'"):
        simulate(_roster(["A1"]), unknown, agents)


def test_day_dispersion_fit_recovers_the_forecast_engines_dispersion():
    from forecast.models.intervals import nb_interval
    from staffing.simulation.engine import _build, _day_dispersion

    starts = pd.date_range(_at("08:00"), periods=30, freq="15min")
    profile = 1 + np.sin(np.linspace(0, np.pi, 30))
    frames = []
    for queue, scale, alpha in (("Dagpenge", 8.0, 0.02), ("9-by samarbejde", 0.1, 0.5)):
        mean = scale * profile
        lo, hi = nb_interval(mean, alpha, 0.8)
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": starts,
                    "queue": queue,
                    "offered": mean,
                    "offered_lo": lo,
                    "offered_hi": hi,
                    "aht_seconds": 300.0,
                }
            )
        )
    forecast = pd.concat(frames, ignore_index=True)
    agents = pd.DataFrame({"agent_id": ["A1"], "skills": ["Dagpenge"]})
    model = _build(
        _roster(["A1"]),
        forecast,
        agents,
        patience=100.0,
        transfer_rate=0.3,
        routing="primary_first",
        interval=None,
        uncertainty=True,
    )
    v = _day_dispersion(model)
    assert v[0, 0] == pytest.approx(0.02, rel=0.02)
    # Five calls a day cannot show a day factor: the queue takes the pooled estimate.
    assert v[1, 0] == pytest.approx(v[0, 0], rel=0.05)
