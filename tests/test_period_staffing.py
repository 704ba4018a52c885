"""Staffing over the SLA's period (`staffing.period`): against a brute force, against Erlang A
recomputed here, against today's interval requirement; groups of cross-trained queues.

The references are independent of the module: the brute force enumerates every allocation up to
a bound per interval with `staffing.erlang.erlang_a` and keeps the cheapest that meets the goals
on the summed expected counts; the goals are recomputed the same way on the module's answer.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special

from staffing import erlang, period
from staffing.period import (
    BOUND_COLUMNS,
    GROUP_COLUMNS,
    SUMMARY_COLUMNS,
    period_labels,
    period_requirements,
    requirement_roster,
    skill_groups,
)
from staffing.requirements import REQUIREMENT_COLUMNS, staffing_requirements

TZ = "Europe/Copenhagen"
STEP = 900.0


# --------------------------------------------------------------------------------------------
# Independent references
# --------------------------------------------------------------------------------------------
def expected(calls, aht, patience, agents, short_abandon=40.0):
    """Erlang A expected counts: answered, abandoned within ``short_abandon`` s, total wait."""
    calls = np.asarray(calls, dtype=float)
    m = erlang.erlang_a(calls, aht, patience, agents, short_abandon=short_abandon, interval=STEP)
    answered = calls * (1 - np.asarray(m["p_abandon"]))
    short = calls * np.asarray(m["p_abandon_short"])
    wait = np.where(answered > 0, answered * np.where(answered > 0, m["asa"], 0.0), 0.0)
    return answered, short, wait


def period_measures(calls, aht, patience, agents):
    """The period's answer rate (SLA formula) and average wait of answered calls."""
    answered, short, wait = expected(calls, aht, patience, agents)
    return answered.sum() / (np.sum(calls) - short.sum()), wait.sum() / answered.sum()


def brute_force(calls, aht, patience, *, answer_rate=None, asa=None, floor=1):
    """The fewest agent-intervals meeting the goals over all the intervals together, by
    enumerating every allocation with ``floor_i <= n_i <= A_i + 3 sqrt(A_i) + 4``
    (``aht`` and ``floor`` one value or one per interval)."""
    calls = np.asarray(calls, dtype=float)
    aht = np.broadcast_to(np.asarray(aht, dtype=float), calls.shape)
    floor = np.broadcast_to(np.asarray(floor), calls.shape)
    a = calls * aht / STEP
    tops = np.ceil(a + 3 * np.sqrt(a) + 4).astype(int)
    answered = np.zeros(1)
    short = np.zeros(1)
    wait = np.zeros(1)
    total = np.zeros(1, dtype=int)
    for c, h, lo, top in zip(calls, aht, floor, tops):
        n = np.arange(lo, top + 1)
        ans, sh, w = expected(np.full(len(n), c), h, patience, n)
        answered = np.add.outer(answered, ans).ravel()
        short = np.add.outer(short, sh).ravel()
        wait = np.add.outer(wait, w).ravel()
        total = np.add.outer(total, n).ravel()
    ok = np.ones(len(total), dtype=bool)
    if answer_rate is not None:
        ok &= answered / (calls.sum() - short) >= answer_rate - 1e-12
    if asa is not None:
        ok &= wait / answered <= asa + 1e-9
    return int(total[ok].min()), tops


def forecast_frame(
    queues: dict[str, list[float]], aht: float = 300.0, *, days: int = 1, start="2026-03-02 09:00"
):
    """A forecast: each queue's calls per interval, the same intervals on ``days`` weekdays."""
    parts = []
    for name, calls in queues.items():
        for d in range(days):
            times = pd.date_range(
                pd.Timestamp(start) + pd.Timedelta(days=d), periods=len(calls), freq="15min", tz=TZ
            )
            parts.append(
                pd.DataFrame(
                    {"interval_start": times, "queue": name, "offered": calls, "aht_seconds": aht}
                )
            )
    return pd.concat(parts, ignore_index=True)


def small_case(seed: int, n_queues: int, n_intervals: int) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    return {
        f"Q{k}": list(np.round(rng.gamma(1.5, 5.0, size=n_intervals), 1)) for k in range(n_queues)
    }


# --------------------------------------------------------------------------------------------
# The optimum: brute force on small cases
# --------------------------------------------------------------------------------------------
GOALS = [
    pytest.param(dict(answer_rate=0.92), 180.0, id="answer-rate"),  # concave: the greedy alone
    pytest.param(dict(answer_rate=0.8, asa=20.0), 180.0, id="both-goals"),
    pytest.param(dict(answer_rate=0.92, asa=150.0), 2000.0, id="wait-binds"),
    pytest.param(dict(asa=60.0), 180.0, id="wait-only-nonconcave"),
]


@pytest.mark.parametrize(("goals", "patience"), GOALS)
@pytest.mark.parametrize(("seed", "n_queues", "n_intervals"), [(1, 2, 5), (2, 3, 4), (3, 2, 6)])
def test_day_equals_brute_force(goals, patience, seed, n_queues, n_intervals, monkeypatch):
    if set(goals) == {"answer_rate"}:
        # one concave goal: the greedy alone must prove the optimum, without the exact search
        def no_search(*args, **kwargs):
            raise AssertionError("the greedy's bounds should have met")

        monkeypatch.setattr(period, "_exact", no_search)
    queues = small_case(seed, n_queues, n_intervals)
    result = period_requirements(
        forecast_frame(queues), over="day", patience=patience, interval=STEP, **goals
    )
    req = result.requirements
    for name, calls in queues.items():
        agents = req.loc[req["queue"] == name, "agents"].to_numpy()
        best, tops = brute_force(calls, 300.0, patience, **goals)
        assert (agents <= tops).all()  # inside the enumerated box
        assert agents.sum() == best, (name, agents.tolist(), best)
    assert result.bounds["optimal"].all()
    assert (result.bounds["lower_bound"] == result.bounds["agent_intervals"]).all()


@pytest.mark.parametrize(("goals", "patience"), GOALS[:3])
@pytest.mark.parametrize("seed", [4, 5])
def test_week_equals_brute_force_over_both_days(goals, patience, seed):
    # two days of three intervals: the week's goal pools them, each day's goal does not
    queues = small_case(seed, 2, 3)
    f = forecast_frame(queues, days=2)
    week = period_requirements(f, over="week", patience=patience, interval=STEP, **goals)
    day = period_requirements(f, over="day", patience=patience, interval=STEP, **goals)
    for name, calls in queues.items():
        both_days = calls + calls
        best, _ = brute_force(both_days, 300.0, patience, **goals)
        got = week.requirements.loc[week.requirements["queue"] == name, "agents"].sum()
        assert got == best
        per_day = day.requirements.loc[day.requirements["queue"] == name, "agents"].sum()
        assert per_day == 2 * brute_force(calls, 300.0, patience, **goals)[0]
        assert got <= per_day


# --------------------------------------------------------------------------------------------
# The goals hold by Erlang A; minimal; never above the interval requirement
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def week_forecast() -> pd.DataFrame:
    """Five days of 07:30-16:00 for a big and a small queue with a 10-13 peak."""
    rng = np.random.default_rng(7)
    hours = np.arange(34) / 4 + 7.5
    shape = 1 + 1.5 * np.exp(-((hours - 11.5) ** 2) / 2)
    parts = []
    for d in range(5):
        day = pd.Timestamp("2026-11-23 07:30") + pd.Timedelta(days=d)
        times = pd.date_range(day, periods=34, freq="15min", tz=TZ)
        for name, level, aht in (("Dagpenge", 9.0, 280.0), ("A-Kasse", 0.6, 260.0)):
            calls = np.round(level * shape * rng.uniform(0.8, 1.2, 34), 2)
            parts.append(
                pd.DataFrame(
                    {"interval_start": times, "queue": name, "offered": calls, "aht_seconds": aht}
                )
            )
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("patience", [300.0, 2500.0])  # the answer rate binds; the wait binds
def test_week_goals_hold_by_erlang_a_and_are_minimal(week_forecast, patience):
    goals = dict(answer_rate=0.92, asa=150.0)
    week = period_requirements(week_forecast, over="week", patience=patience, **goals)
    interval = period_requirements(week_forecast, over="interval", patience=patience, **goals)
    req = week.requirements
    assert list(req.columns) == REQUIREMENT_COLUMNS and len(req) == len(week_forecast)
    assert (req["agents"] >= 1).all()
    assert req["agents"].sum() <= interval.requirements["agents"].sum()
    binding = []
    for name, rows in req.groupby("queue"):
        calls, aht, n = rows["offered"].to_numpy(), rows["aht_seconds"].iloc[0], rows["agents"]
        rate, wait = period_measures(calls, aht, patience, n.to_numpy())
        assert rate >= 0.92 - 1e-9 and wait <= 150.0 + 1e-6
        # one agent fewer in any interval (above the floor) misses a goal
        answered, short, w = expected(calls, aht, patience, n.to_numpy())
        fewer = np.maximum(n.to_numpy() - 1, 0)
        a1, s1, w1 = expected(calls, aht, patience, fewer)
        rate_1 = (answered.sum() - answered + a1) / (calls.sum() - (short.sum() - short + s1))
        wait_1 = (w.sum() - w + w1) / (answered.sum() - answered + a1)
        misses = (rate_1 < 0.92) | (wait_1 > 150.0)
        assert misses[n.to_numpy() > 1].all()
        binding.append("wait" if wait > 149.0 else "rate")
        # the summary says the same
        s = week.summary
        row = s[(s["scope"] == "queue") & (s["name"] == name)].iloc[0]
        assert row["answer_rate"] == pytest.approx(rate, rel=1e-9)
        assert row["asa_seconds"] == pytest.approx(wait, rel=1e-9)
    if patience == 2500.0:
        assert "wait" in binding  # the case really exercises the second goal


def test_interval_is_todays_requirement(week_forecast):
    kw = dict(
        answer_rate={"Dagpenge": 0.92, "A-Kasse": 0.9},
        asa=150.0,
        patience={"Dagpenge": 550.0, "A-Kasse": 400.0},
        shrinkage=0.3,
    )
    f = week_forecast.assign(
        offered_lo=np.floor(week_forecast["offered"] * 0.8),
        offered_hi=np.ceil(week_forecast["offered"] * 1.25),
    )
    result = period_requirements(f, over="interval", **kw)
    pd.testing.assert_frame_equal(result.requirements, staffing_requirements(f, **kw))
    assert result.bounds["optimal"].all()
    # the summary sums the interval requirement's expected counts
    centre = result.summary[result.summary["scope"] == "centre"].iloc[0]
    req = result.requirements
    assert centre["agent_hours"] == pytest.approx(req["agents"].sum() / 4)
    assert centre["peak_agents"] == req.groupby("interval_start")["agents"].sum().max()


def test_period_labels_and_results_per_period(week_forecast):
    f = week_forecast.copy()
    # Sunday 29 Nov belongs to ISO week 48; Monday 30 Nov to week 49, still November
    assert period_labels(
        pd.Series(pd.to_datetime(["2026-11-29 10:00", "2026-11-30 10:00"]).tz_localize(TZ)), "week"
    ).tolist() == ["2026-W48", "2026-W49"]
    result = period_requirements(f, over="day", answer_rate=0.92, patience=300.0)
    assert sorted(result.bounds["period"].unique()) == [f"2026-11-{d}" for d in range(23, 28)]
    assert list(result.bounds.columns) == BOUND_COLUMNS
    assert list(result.summary.columns) == SUMMARY_COLUMNS
    assert list(result.groups.columns) == GROUP_COLUMNS
    day = result.summary[result.summary["scope"] == "queue"]
    assert (day["answer_rate"] >= 0.92 - 1e-9).all()
    month = period_requirements(f, over="month", answer_rate=0.92, patience=300.0)
    assert month.requirements["agents"].sum() <= result.requirements["agents"].sum()
    with pytest.raises(ValueError, match="over must be one of interval, day, week, month"):
        period_requirements(f, over="fortnight", answer_rate=0.92, patience=300.0)


# --------------------------------------------------------------------------------------------
# The condition the greedy relies on, checked numerically
# --------------------------------------------------------------------------------------------
def test_answer_rate_term_is_concave_and_non_decreasing():
    # answered(n) + g short(n): the answer-rate goal's term per interval, n >= 1
    for a, aht, patience, goal in itertools.product(
        [0.05, 0.5, 2.0, 8.0, 30.0, 100.0], [200.0, 400.0], [60.0, 300.0, 2000.0], [0.8, 0.92, 0.99]
    ):
        calls = a * STEP / aht
        n = np.arange(1, int(a + 8 * np.sqrt(a) + 12))
        answered, short, _ = expected(np.full(len(n), calls), aht, patience, n)
        term = answered + goal * short
        step = np.diff(term)
        assert (step >= -1e-9 * calls).all()
        assert (np.diff(step) <= 1e-9 * calls).all(), (a, aht, patience, goal)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(
    calls=st.lists(st.floats(0.0, 40.0), min_size=3, max_size=8),
    scale=st.floats(1.0, 2.0),
    patience=st.sampled_from([120.0, 300.0, 900.0]),
)
def test_more_calls_never_need_fewer_agent_intervals(calls, scale, patience):
    # Every interval's calls times the same factor >= 1: each interval answers a smaller share
    # and loses more callers after 40 s, so the period's answer rate at any staffing falls and
    # the fewest agent-intervals cannot. (Adding calls to one quiet interval alone is not such
    # a change: its well-answered calls raise the period's rate.)
    f = forecast_frame({"Q": calls})
    more = f.assign(offered=f["offered"] * scale)
    kw = dict(over="day", answer_rate=0.92, patience=patience, interval=STEP)
    base = period_requirements(f, **kw).requirements
    bigger = period_requirements(more, **kw).requirements
    assert bigger["agents"].sum() >= base["agents"].sum()
    assert (base["agents"] >= 1).all()
    interval = staffing_requirements(f, answer_rate=0.92, patience=patience, interval=STEP)
    assert base["agents"].sum() <= interval["agents"].sum()
    if sum(calls) > 0:
        rate, _ = period_measures(f["offered"], 300.0, patience, base["agents"].to_numpy())
        assert rate >= 0.92 - 1e-9


# --------------------------------------------------------------------------------------------
# Groups of queues served by the same cross-trained agents
# --------------------------------------------------------------------------------------------
def test_skill_groups_by_shared_hours():
    agents = pd.DataFrame(
        {
            "agent_id": [f"A{k}" for k in range(8)],
            "team": "T",
            "skills": [
                "Dagpenge;A-Kasse",  # 37 h
                "Dagpenge;A-Kasse",  # 37 h
                "Dagpenge",  # 37 h: Dagpenge's shared share 74 / 111 = 0.67
                "A-Kasse;Kontanthjælp",  # 20 h: A-Kasse's shared share 74 / 94 = 0.79
                "Kontanthjælp",  # 37 h
                "Kontanthjælp",  # 37 h: Kontanthjælp-A-Kasse 20 / 94 = 0.21
                "Virksomhed;Leverandør",
                "Leverandør",
            ],
            "weekly_hours": [37, 37, 37, 20, 37, 37, 30, 30],
        }
    )
    assert skill_groups(agents) == [
        ["A-Kasse", "Dagpenge"],
        ["Kontanthjælp"],
        ["Leverandør", "Virksomhed"],  # 30 / 60 = 0.5 and 30 / 30: linked at 0.5
    ]
    assert skill_groups(agents, min_shared=0.6) == [
        ["A-Kasse", "Dagpenge"],
        ["Kontanthjælp"],
        ["Leverandør"],
        ["Virksomhed"],
    ]
    # complete linkage: a third queue joins only if linked to both members
    order = ["Dagpenge", "A-Kasse", "Kontanthjælp", "Sygedagpenge"]
    assert skill_groups(agents, order, min_shared=0.2) == [
        ["Dagpenge", "A-Kasse"],
        ["Kontanthjælp"],
        ["Sygedagpenge"],
    ]
    with pytest.raises(ValueError, match="min_shared must be in"):
        skill_groups(agents, min_shared=0)


def _group_forecast() -> pd.DataFrame:
    f = forecast_frame({"Dagpenge": [6.0, 14.0, 9.0, 2.0], "A-Kasse": [1.0, 3.0, 0.5, 0.0]})
    f.loc[f["queue"] == "A-Kasse", "aht_seconds"] = 200.0
    # A-Kasse closed in the last interval: no row
    return f.drop(f.index[(f["queue"] == "A-Kasse")][-1:]).reset_index(drop=True)


def class_counts(calls, aht, patience, n, patience_q, short_abandon=40.0):
    """A member queue's callers (mean patience ``patience_q``) in a pooled Erlang A queue
    (``patience``), by numerical integration over the offered wait V of the pooled queue:
    P(V > v) = P(W > 0) P(a, y e^(-v / patience)) / P(a, y) (Mandelbaum & Zeltyn 2007).
    Returns, per offered call, P(abandon), P(abandon within ``short_abandon``) and the
    wait-seconds of answered calls E[V; V < patience time]."""
    if calls == 0:
        return 0.0, 0.0, 0.0
    pw = float(erlang.erlang_a(calls, aht, patience, n, metrics=["p_wait"])["p_wait"])
    a, y = n * patience / aht, calls / STEP * patience

    def survival(v):
        return pw * special.gammainc(a, y * np.exp(-v / patience)) / special.gammainc(a, y)

    rate = 1.0 / patience_q
    p_ab = integrate.quad(lambda v: rate * np.exp(-rate * v) * survival(v), 0, np.inf)[0]
    short = integrate.quad(lambda v: rate * np.exp(-rate * v) * survival(v), 0, short_abandon)[0]
    wait = integrate.quad(lambda v: (1 - rate * v) * np.exp(-rate * v) * survival(v), 0, np.inf)[0]
    return p_ab, short, wait


def test_member_queue_in_a_pool_matches_numerical_integration():
    calls, aht, n = (
        np.array([6.0, 14.0, 30.0]),
        np.array([260.0, 290.0, 300.0]),
        np.array([3, 6, 9]),
    )
    pw = np.asarray(erlang.erlang_a(calls, aht, 2000.0, n, metrics=["p_wait"])["p_wait"])
    for patience_q in (1250.0, 2000.0, 2500.0):
        got = period._class_probabilities(calls, aht, 2000.0, n, patience_q, 40.0, STEP, pw)
        for i in range(3):
            p_ab, short, wait = class_counts(calls[i], aht[i], 2000.0, n[i], patience_q)
            assert got["p_abandon"][i] == pytest.approx(p_ab, rel=1e-6)
            assert got["p_abandon_short"][i] == pytest.approx(short, rel=1e-6)
            assert got["wait"][i] == pytest.approx(wait, rel=1e-6)
    # one patience: Erlang A itself
    same = period._class_probabilities(calls, aht, 2000.0, n, 2000.0, 40.0, STEP, pw)
    m = erlang.erlang_a(calls, aht, 2000.0, n)
    assert same["p_abandon"] == pytest.approx(m["p_abandon"], rel=1e-12)
    assert same["wait"] == pytest.approx((1 - m["p_abandon"]) * m["asa"], rel=1e-12)


def test_group_week_meets_each_queues_goals_and_equals_brute_force():
    f = _group_forecast()
    patience = {"Dagpenge": 2300.0, "A-Kasse": 1250.0}
    goals = dict(answer_rate=0.92, asa=60.0)
    result = period_requirements(
        f, over="week", groups=[{"Dagpenge", "A-Kasse"}], patience=patience, **goals
    )
    g = result.groups
    assert (g["group"] == "A-Kasse + Dagpenge").all()
    # the pooled queue, computed here: summed calls, offered-weighted handle time and patience
    wide = f.pivot(index="interval_start", columns="queue", values="offered").fillna(0.0)
    calls = wide.sum(axis=1).to_numpy()
    work = (wide["Dagpenge"] * 300.0 + wide["A-Kasse"] * 200.0).to_numpy()
    aht = work / calls
    pooled = (2300.0 * wide["Dagpenge"].sum() + 1250.0 * wide["A-Kasse"].sum()) / calls.sum()
    assert g["aht_seconds"].to_numpy() == pytest.approx(aht)
    assert g["patience_seconds"].iloc[0] == pytest.approx(pooled)

    def meets(alloc) -> bool:  # every queue's goals over the week, by integration
        for q in ("Dagpenge", "A-Kasse"):
            cq = wide[q].to_numpy()
            counts = np.array(
                [class_counts(c, h, pooled, k, patience[q]) for c, h, k in zip(calls, aht, alloc)]
            )
            answered = cq * (1 - counts[:, 0])
            rate = answered.sum() / (cq.sum() - (cq * counts[:, 1]).sum())
            if rate < 0.92 - 1e-9 or (cq * counts[:, 2]).sum() / answered.sum() > 60.0 + 1e-6:
                return False
        return True

    n = g["agents"].to_numpy()
    assert meets(n)
    # brute force: every allocation with fewer agent-intervals, two agents while both are open
    floors = [2, 2, 2, 1]
    tops = [int(k) + 2 for k in n]
    smaller = [
        alloc
        for alloc in itertools.product(*(range(lo, hi + 1) for lo, hi in zip(floors, tops)))
        if sum(alloc) < n.sum()
    ]
    assert not any(meets(alloc) for alloc in smaller)
    # the split: each open queue at least one agent, summing to the group's requirement
    req = result.requirements
    assert (req["agents"] >= 1).all() and len(req) == len(f)
    assert req.groupby("interval_start")["agents"].sum().tolist() == n.tolist()
    # the summary's per-queue figures are the integrated ones
    s = result.summary.set_index("name")
    for q in ("Dagpenge", "A-Kasse"):
        cq = wide[q].to_numpy()
        counts = np.array(
            [class_counts(c, h, pooled, k, patience[q]) for c, h, k in zip(calls, aht, n)]
        )
        answered = cq * (1 - counts[:, 0])
        rate = answered.sum() / (cq.sum() - (cq * counts[:, 1]).sum())
        assert s.loc[q, "answer_rate"] == pytest.approx(rate, rel=1e-6)
        assert s.loc[q, "asa_seconds"] == pytest.approx(
            (cq * counts[:, 2]).sum() / answered.sum(), rel=1e-6
        )


def test_group_split_follows_the_work():
    f = forecast_frame({"Dagpenge": [40.0, 40.0], "A-Kasse": [4.0, 0.0]})
    result = period_requirements(
        f, over="interval", groups={"Ledighed": ["Dagpenge", "A-Kasse"]}, service_level=0.8
    )
    req = result.requirements.set_index(["queue", "interval_start"])["agents"]
    total = result.groups.set_index("interval_start")["agents"]
    first, second = total.index
    assert req[("Dagpenge", first)] + req[("A-Kasse", first)] == total[first]
    # Dagpenge has 10x the work: it gets the agents beyond A-Kasse's one
    assert req[("A-Kasse", first)] >= 1 and req[("Dagpenge", first)] > 3 * req[("A-Kasse", first)]
    assert req[("A-Kasse", second)] == 1  # open, no calls: the floor
    # the pooled requirement never needs more than the queues staffed apart
    apart = period_requirements(f, over="interval", service_level=0.8).requirements
    assert total.sum() <= apart["agents"].sum()


def test_requirement_roster_puts_the_requirement_on_the_phone(week_forecast):
    result = period_requirements(
        week_forecast,
        over="week",
        groups=[["Dagpenge", "A-Kasse"]],
        answer_rate=0.92,
        patience=300.0,
    )
    agents, roster = requirement_roster(result)
    assert set(agents["skills"]) == {"Dagpenge;A-Kasse", "A-Kasse;Dagpenge"}
    assert (roster["activity"] == "phone").all() and (roster["end"] > roster["start"]).all()
    # phone agents per queue (primary skill) and interval, from the roster's blocks
    primary = agents.set_index("agent_id")["skills"].str.split(";").str[0]
    covered: dict[tuple[str, pd.Timestamp], int] = {}
    for row in roster.itertuples():
        for t in pd.date_range(row.start, row.end, freq="15min", inclusive="left"):
            key = (primary[row.agent_id], t)
            covered[key] = covered.get(key, 0) + 1
    req = result.requirements
    got = [covered.get((q, t), 0) for q, t in zip(req["queue"], req["interval_start"])]
    assert got == req["agents"].tolist()


def test_bad_groups():
    f = forecast_frame({"Dagpenge": [5.0], "A-Kasse": [1.0]})
    with pytest.raises(ValueError, match="unknown queue 'Nope'"):
        period_requirements(f, groups=[["Dagpenge", "Nope"]], answer_rate=0.9, patience=300.0)
    with pytest.raises(ValueError, match="is in two pools"):
        period_requirements(
            f,
            groups=[["Dagpenge", "A-Kasse"], ["A-Kasse"]],
            answer_rate=0.9,
            patience=300.0,
        )


@pytest.mark.parametrize("over", ["day", "week"])
def test_a_periods_requirement_does_not_depend_on_the_periods_forecast_with_it(week_forecast, over):
    """A group's pooled patience is weighted by the calls of the period staffed: the first
    week's requirement is the same whether one week or two are forecast, also when the second
    week's mix of queues is another (weighted over the whole forecast, 2026-W48's Monday 07:30
    on Kontanthjælp needed 3 or 4 agents depending on the horizon)."""
    second = week_forecast.assign(
        interval_start=week_forecast["interval_start"] + pd.Timedelta(days=7),
        offered=np.where(
            week_forecast["queue"] == "A-Kasse",
            week_forecast["offered"] * 12.0,
            week_forecast["offered"] * 0.5,
        ),
    )
    two = pd.concat([week_forecast, second], ignore_index=True)
    patience = {"Dagpenge": 2300.0, "A-Kasse": 300.0}
    kw = dict(over=over, groups=[{"Dagpenge", "A-Kasse"}], patience=patience, answer_rate=0.92)
    one_week = period_requirements(week_forecast, **kw)
    two_weeks = period_requirements(two, **kw)
    first = two_weeks.requirements["interval_start"] < second["interval_start"].min()
    pd.testing.assert_frame_equal(
        two_weeks.requirements[first].reset_index(drop=True),
        one_week.requirements.reset_index(drop=True),
    )
    # the pooled patience of each period, weighted by that period's calls (computed here)
    groups = two_weeks.groups.assign(label=lambda g: period_labels(g["interval_start"], over))
    for label, rows in two.groupby(period_labels(two["interval_start"], over)):
        calls = rows.groupby("queue")["offered"].sum()
        pooled = (2300.0 * calls["Dagpenge"] + 300.0 * calls["A-Kasse"]) / calls.sum()
        mine = groups.loc[groups["label"] == label, "patience_seconds"]
        assert len(mine) and mine.to_numpy() == pytest.approx(pooled)
