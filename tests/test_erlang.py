"""Erlang B and C, service level and ASA against independent references.

- An arbitrary-precision reference: Erlang B by its recursion B(n) = A B(n-1) / (n + A B(n-1))
  in mpmath with 50 digits (never the log-space Poisson ratio the module uses), Erlang C,
  service level and ASA by their textbook formulas on that B. Grid: tiny traffic (0.001 E),
  thousands of Erlangs, agents just above the traffic, agents far above and below it.
- Published worked examples, each with its source, and the values checked against mpmath too.
- The conventions where agents <= traffic, broadcasting, and the argument checks.
"""

from __future__ import annotations

import functools
import math

import mpmath as mp
import numpy as np
import pytest

from staffing import erlang

mp.mp.dps = 50


@functools.cache
def b_ref(traffic: float, agents: int) -> mp.mpf:
    """Erlang B by the classic recursion, 50 significant digits."""
    a = mp.mpf(traffic)
    b = mp.mpf(1)
    for k in range(1, int(agents) + 1):
        b = a * b / (k + a * b)
    return b


def c_ref(traffic: float, agents: int) -> mp.mpf:
    a, n = mp.mpf(traffic), mp.mpf(agents)
    if n <= a:
        return mp.mpf(1)
    b = b_ref(traffic, agents)
    return n * b / (n - a * (1 - b))


def _grid() -> list[tuple[float, int]]:
    cases = []
    for a in (0.001, 0.05, 0.7, 1.0, 3.3, 10.0, 47.9, 133.3, 999.5, 2500.0, 9999.9, 10000.0):
        base = math.floor(a)
        for n in {
            0,
            1,
            2,
            base,
            base + 1,
            base + 2,
            base + 10,
            int(1.2 * a) + 3,
            int(0.5 * a),
            int(2 * a) + 5,
        }:
            cases.append((a, n))
    cases += [(10000.0, 20000), (5000.0, 20000), (1e-3, 200), (3.0, 2000)]
    return sorted(set(cases))


GRID = _grid()


def _close(got: np.ndarray, want: list[mp.mpf], rtol: float) -> None:
    """Relative agreement; values below the double range must come out as (sub)normal zeros."""
    for g, w in zip(np.asarray(got, dtype=float).ravel(), want):
        if w < mp.mpf("1e-300"):
            assert g < 1e-290, (g, w)
        else:
            assert abs(mp.mpf(g) - w) <= rtol * w, (g, w, abs(mp.mpf(g) - w) / w)


def test_erlang_b_matches_arbitrary_precision_recursion():
    a = np.array([c[0] for c in GRID])
    n = np.array([c[1] for c in GRID])
    _close(erlang.erlang_b(a, n), [b_ref(x, k) for x, k in GRID], rtol=1e-9)


def test_erlang_c_matches_arbitrary_precision_recursion():
    a = np.array([c[0] for c in GRID])
    n = np.array([c[1] for c in GRID])
    _close(erlang.erlang_c(a, n), [c_ref(x, k) for x, k in GRID], rtol=1e-9)


@pytest.mark.parametrize(
    ("calls", "aht", "agents", "threshold", "interval"),
    [
        (100, 180, 11, 20, 1800),
        (100, 180, 14, 20, 1800),
        (3, 300, 2, 20, 900),  # 1 Erlang, 2 agents
        (0.003, 300, 1, 20, 900),  # 0.001 Erlang
        (27_000, 300, 9_001, 20, 900),  # 9,000 Erlangs, one agent above
        (27_000, 300, 9_300, 20, 900),
        (30_000, 300, 10_050, 15, 900),
    ],
)
def test_service_level_and_asa_match_mpmath(calls, aht, agents, threshold, interval):
    a = mp.mpf(calls) * aht / interval
    c = c_ref(float(a), agents)
    gap = agents - a
    sl_want = 1 - c * mp.exp(-gap * threshold / aht)
    asa_want = c * aht / gap
    sl = erlang.service_level(calls, aht, agents, threshold, interval=interval)
    wait = erlang.asa(calls, aht, agents, interval=interval)
    assert abs(mp.mpf(float(sl)) - sl_want) <= 1e-9 * sl_want
    assert abs(mp.mpf(float(wait)) - asa_want) <= 1e-9 * asa_want


def test_published_call_centre_helper_example():
    # Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example",
    # https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm : 100 calls in 30
    # minutes, 180 s handle time, target 80 % answered in 20 s (10 Erlangs). With the 11 "raw"
    # agents a call waits with probability 68.21 %; 14 agents give 88.8 % within 20 s at 71.4 %
    # occupancy, with 17.4 % of calls waiting; 30 % shrinkage makes 20 agents to schedule.
    # (The same figures are pinned in pyworkforce's test_erlang.py.) Checked against mpmath too.
    assert round(float(erlang.erlang_c(10.0, 11)), 4) == 0.6821
    assert float(erlang.erlang_c(10.0, 11)) == pytest.approx(float(c_ref(10.0, 11)), rel=1e-12)
    assert int(erlang.required_agents(100, 180, interval=1800, service_level=0.8)) == 14
    assert round(float(erlang.service_level(100, 180, 14, 20, interval=1800)), 3) == 0.888
    assert round(float(erlang.erlang_c(10.0, 14)), 3) == 0.174
    assert round(10.0 / 14, 3) == 0.714
    assert (
        int(erlang.required_agents(100, 180, interval=1800, max_occupancy=0.85, service_level=0.8))
        == 14
    )
    assert math.ceil(14 / (1 - 0.3)) == 20
    # 13 agents miss the target: 79.6 % within 20 s
    assert float(erlang.service_level(100, 180, 13, 20, interval=1800)) < 0.8


def test_published_erlang_c_calculator_example():
    # Erlang C calculator example (personal.telefonica.terra.es/web/vr/erlang/eng/mcerlc.htm):
    # "600 calls with call length of 120 seconds [in an hour] ... a traffic of 20 erlangs. For a
    # target delay probability of 15 % the number of circuits needed are 26 ... 3 seconds per
    # call. If circuits are incremented to 30, delay is reduced to 2.5 %. Those 30 circuits with
    # 15 % of delay could attend a traffic of 23.6 erlangs."
    c = erlang.erlang_c(20.0, np.arange(24, 31))
    first = 24 + int(np.argmax(c <= 0.15))
    assert first == 26
    assert round(float(erlang.erlang_c(20.0, 30)), 3) == 0.025
    assert round(float(erlang.asa(600, 120, 26, interval=3600))) == 3
    lo, hi = 20.0, 29.0
    for _ in range(60):  # bisection on the traffic that 30 circuits carry at 15 % delay
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if float(erlang.erlang_c(mid, 30)) < 0.15 else (lo, mid)
    assert round(lo, 1) == 23.6
    assert float(erlang.erlang_c(20.0, 26)) == pytest.approx(float(c_ref(20.0, 26)), rel=1e-12)


def test_published_erlang_b_examples():
    # Westbay Erlang calculator manual, "How much traffic can a trunk group handle?"
    # (erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm): 15 lines at 1 %
    # blocking carry 8.108 Erlangs. Classic Erlang B table entries at 1 % blocking: 10 lines
    # 4.461 E, 20 lines 12.031 E, 50 lines 37.901 E, 100 lines 84.064 E.
    for lines, traffic in ((15, 8.108), (10, 4.461), (20, 12.031), (50, 37.901), (100, 84.064)):
        lo, hi = 0.0, float(lines)
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if float(erlang.erlang_b(mid, lines)) < 0.01 else (lo, mid)
        assert round(lo, 3) == traffic
        assert float(b_ref(traffic, lines)) == pytest.approx(0.01, abs=2e-5)


def test_conventions_where_agents_do_not_exceed_traffic():
    n = np.array([0, 5, 9, 10])
    assert (erlang.erlang_c(10.0, n) == 1.0).all()
    assert (erlang.service_level(200, 45, n, 20) == 0.0).all()  # 10 Erlangs
    assert np.isinf(erlang.asa(200, 45, n)).all()
    assert float(erlang.erlang_b(3.0, 0)) == 1.0
    assert float(erlang.erlang_b(0.0, 4)) == 0.0
    # no calls: nobody waits
    assert float(erlang.erlang_c(0.0, 1)) == 0.0
    assert float(erlang.service_level(0, 300, 1, 20)) == 1.0
    assert float(erlang.asa(0, 300, 1)) == 0.0


def test_no_overflow_or_nan_over_the_whole_range():
    a = np.geomspace(1e-3, 1e4, 60)[:, None]
    n = np.unique(np.geomspace(1, 20_000, 80).astype(int))[None, :]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        b = erlang.erlang_b(a, n)
        c = erlang.erlang_c(a, n)
        sl = erlang.service_level(a * 900 / 300, 300, n, 20)
        w = erlang.asa(a * 900 / 300, 300, n)
    assert b.shape == c.shape == sl.shape == w.shape == (60, n.size)
    for v in (b, c, sl):
        assert np.isfinite(v).all() and (v >= 0).all() and (v <= 1).all()
    assert (w >= 0).all() and not np.isnan(w).any()
    assert (c >= b).all()  # waiting is at least as likely as blocking


def test_broadcasting_and_scalar_results():
    out = erlang.erlang_c(np.array([[1.0], [2.0]]), np.array([2, 3, 4]))
    assert out.shape == (2, 3)
    scalar = erlang.erlang_b(2.0, 3)
    assert np.ndim(scalar) == 0
    assert isinstance(erlang.required_agents(30, 300, service_level=0.8), np.integer)
    assert erlang.required_agents([30, 60], 300, service_level=0.8).dtype == np.int64


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang.erlang_b(-1.0, 3), "traffic must be >= 0 Erlangs; got -1"),
        (lambda: erlang.erlang_c(2.0, 2.5), "agents must be whole numbers; got 2.5"),
        (lambda: erlang.erlang_c([1.0, 2.0], [1, -1]), "agents must be >= 0; got -1 (element 1)"),
        (lambda: erlang.service_level(10, 0, 3, 20), "aht must be > 0 seconds; got 0"),
        (lambda: erlang.asa(float("nan"), 300, 3), "calls must be a number; got nan"),
        (
            lambda: erlang.required_agents(10, 300, answer_rate=1.5, patience=60),
            "answer_rate must be in (0, 1); got 1.5",
        ),
        (
            lambda: erlang.required_agents(10, 300, service_level=0),
            "service_level must be in (0, 1)",
        ),
        (
            lambda: erlang.required_agents(10, 300, max_occupancy=1.2),
            "max_occupancy must be in (0, 1]; got 1.2",
        ),
        (lambda: erlang.required_agents(10, 300, asa=-5), "asa must be > 0 seconds; got -5"),
        (lambda: erlang.required_agents(10, 300), "needs at least one target"),
        (lambda: erlang.required_agents(10, 300, answer_rate=0.9), "answer_rate needs patience"),
        (lambda: erlang.erlang_a(10, 300, 0, 3), "patience must be > 0 seconds; got 0"),
        (lambda: erlang.erlang_a(10, 300, 60, 3, metrics=["speed"]), "unknown metric 'speed'"),
    ],
)
def test_bad_arguments_raise_value_error_naming_argument_and_value(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)
