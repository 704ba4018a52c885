"""Properties of the queueing formulas that must hold everywhere (hypothesis).

Probabilities in [0, 1]; more agents never make things worse; `required_agents` is minimal (the
answer meets every target, one agent fewer misses one) and never falls as traffic grows.
Monotonicity is checked with a slack of 1e-12 (rounding), nothing more.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing import erlang

SLACK = 1e-12
FAST = settings(max_examples=60, deadline=None)

calls_st = st.floats(0.01, 3000.0)
aht_st = st.floats(30.0, 900.0)
patience_st = st.floats(2.0, 5000.0)
threshold_st = st.floats(0.0, 300.0)


def _agents_around(calls: float, aht: float) -> np.ndarray:
    a = calls * aht / 900.0
    top = int(2 * a + 15)
    return np.unique(np.linspace(0, top, min(top + 1, 120)).astype(int))


@FAST
@given(traffic=st.floats(1e-3, 1e4), extra=st.integers(-50, 400))
def test_erlang_b_and_c_bounds_and_monotone(traffic, extra):
    n = np.arange(max(0, int(traffic) + extra), max(0, int(traffic) + extra) + 40)
    b = erlang.erlang_b(traffic, n)
    c = erlang.erlang_c(traffic, n)
    assert ((b >= 0) & (b <= 1)).all() and ((c >= 0) & (c <= 1)).all()
    assert (c >= b - SLACK).all()
    assert (np.diff(b) <= SLACK).all()
    assert (np.diff(c) <= SLACK).all()


@FAST
@given(calls=calls_st, aht=aht_st, threshold=threshold_st)
def test_erlang_c_service_level_and_asa_monotone(calls, aht, threshold):
    n = _agents_around(calls, aht)
    sl = erlang.service_level(calls, aht, n, threshold)
    w = erlang.asa(calls, aht, n)
    assert ((sl >= 0) & (sl <= 1)).all()
    assert (np.diff(sl) >= -SLACK).all()
    assert (w >= 0).all()
    finite = np.isfinite(w)
    assert (np.diff(w[finite]) <= SLACK * np.maximum(1, w[finite][1:])).all()
    longer = erlang.service_level(calls, aht, n, threshold + 10)
    assert (longer >= sl - SLACK).all()


DIRECTION = {
    "p_wait": -1,
    "p_abandon": -1,
    "p_abandon_short": -1,
    "service_level": 1,
    "answer_rate": 1,
    "asa": -1,
    "occupancy": -1,
}


@FAST
@given(calls=calls_st, aht=aht_st, patience=patience_st, threshold=threshold_st)
def test_erlang_a_bounds_and_monotone_in_agents(calls, aht, patience, threshold):
    n = _agents_around(calls, aht)
    m = erlang.erlang_a(calls, aht, patience, n, threshold=threshold)
    for key, sign in DIRECTION.items():
        v = np.asarray(m[key], dtype=float)
        assert not np.isnan(v).any(), key
        if key == "asa":
            assert (v >= 0).all()
            v = v[np.isfinite(v)]
            slack = SLACK * np.maximum(1.0, np.abs(v[1:]))
        else:
            assert ((v >= 0) & (v <= 1)).all(), key
            slack = SLACK
        assert (sign * np.diff(v) >= -slack).all(), key
    # abandoning callers are a subset of waiting callers; short abandons a subset of abandons
    assert (m["p_abandon"] <= m["p_wait"] + SLACK).all()
    assert (m["p_abandon_short"] <= m["p_abandon"] + SLACK).all()


@FAST
@given(calls=calls_st, aht=aht_st, agents=st.integers(1, 400), patience=st.floats(5.0, 2000.0))
def test_erlang_a_more_patience_means_fewer_abandons(calls, aht, agents, patience):
    # (not so the answer rate: impatient callers hang up within 40 s and leave its denominator)
    m1 = erlang.erlang_a(calls, aht, patience, agents, metrics=["p_abandon"])
    m2 = erlang.erlang_a(calls, aht, patience * 1.5, agents, metrics=["p_abandon"])
    assert m2["p_abandon"] <= m1["p_abandon"] + SLACK


def _meets(calls, aht, n, targets, patience):
    if patience is None:
        ok = True
        a = calls * aht / 900.0
        if "service_level" in targets:
            ok &= erlang.service_level(calls, aht, n, 20) >= targets["service_level"]
        if "asa" in targets:
            ok &= erlang.asa(calls, aht, n) <= targets["asa"]
        if "max_occupancy" in targets:
            ok &= a <= targets["max_occupancy"] * n
        return bool(ok)
    m = erlang.erlang_a(calls, aht, patience, n)
    ok = True
    if "service_level" in targets:
        ok &= m["service_level"] >= targets["service_level"]
    if "asa" in targets:
        ok &= m["asa"] <= targets["asa"]
    if "answer_rate" in targets:
        ok &= m["answer_rate"] >= targets["answer_rate"]
    if "max_occupancy" in targets:
        ok &= m["occupancy"] <= targets["max_occupancy"]
    return bool(ok)


targets_st = st.fixed_dictionaries(
    {},
    optional={
        "service_level": st.floats(0.05, 0.99),
        "asa": st.floats(1.0, 600.0),
        "answer_rate": st.floats(0.5, 0.995),
        "max_occupancy": st.floats(0.3, 1.0),
    },
).filter(bool)


@settings(max_examples=80, deadline=None)
@given(
    calls=st.floats(0.05, 1500.0),
    aht=aht_st,
    targets=targets_st,
    patience=st.one_of(st.none(), patience_st),
)
def test_required_agents_is_minimal(calls, aht, targets, patience):
    if patience is None:
        targets = {k: v for k, v in targets.items() if k != "answer_rate"}
        if not targets:
            targets = {"service_level": 0.8}
    n = int(erlang.required_agents(calls, aht, patience=patience, **targets))
    assert n >= 1  # calls > 0 need someone
    assert _meets(calls, aht, n, targets, patience)
    if n > 1:
        assert not _meets(calls, aht, n - 1, targets, patience)


@FAST
@given(
    calls=st.lists(st.floats(0.0, 2000.0), min_size=2, max_size=30),
    aht=aht_st,
    targets=targets_st,
    patience=st.one_of(st.none(), patience_st),
)
def test_required_agents_never_falls_as_traffic_grows(calls, aht, targets, patience):
    if patience is None:
        targets = {k: v for k, v in targets.items() if k != "answer_rate"} or {"asa": 20.0}
    calls = np.sort(np.asarray(calls))
    n = erlang.required_agents(calls, aht, patience=patience, **targets)
    assert (np.diff(n) >= 0).all()
    assert (n[calls == 0] == 0).all()
