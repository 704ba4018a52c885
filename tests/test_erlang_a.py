"""Erlang A (M/M/n+M) against references that share no code or formula with the module.

1. A truncated Markov chain: the stationary distribution of the birth-death chain (births
   λ, deaths min(k, n) μ + max(k - n, 0) θ) and a tagged caller's absorbing chain (positions in
   queue; served or abandoned), solved with linear algebra and ``scipy.linalg.expm``. This gives
   every metric "by brute force", to about 1e-12.
2. A discrete-event simulation written here (first come first served, exponential patience),
   seeded, compared within 4 standard errors from batch means.
3. Erlang C, for very patient callers.
"""

from __future__ import annotations

import heapq

import numpy as np
import pytest
from scipy import linalg

from staffing import erlang

METRICS = erlang.ERLANG_A_METRICS


def chain_reference(calls, aht, patience, n, threshold=20.0, short=40.0, interval=900.0):
    """Every Erlang A metric from the truncated Markov chain (float64 linear algebra)."""
    lam, mu, th = calls / interval, 1.0 / aht, 1.0 / patience
    # stationary distribution, in logs; truncate where the weights fall below 1e-20 of the max
    logw = [0.0]
    k = 0
    while True:
        k += 1
        death = min(k, n) * mu + max(k - n, 0) * th
        logw.append(logw[-1] + np.log(lam / death))
        if k > n + 5 and logw[-1] < max(logw) - 46 and logw[-1] < logw[-2]:
            break
    w = np.exp(np.array(logw) - max(logw))
    pi = w / w.sum()
    queue_states = pi[n:]  # an arrival finds j = k - n callers ahead of it (PASTA)
    size = len(queue_states)
    # tagged caller: transient states j = 0..size-1 callers ahead; absorbing served / abandoned
    q = np.zeros((size, size))
    served = np.zeros(size)
    gone = np.full(size, th)
    for j in range(size):
        q[j, j] = -(n * mu + j * th + th)
        if j == 0:
            served[j] = n * mu
        else:
            q[j, j - 1] = n * mu + j * th
    fund = np.linalg.inv(-q)
    h_served = fund @ served
    t_served = fund @ h_served  # E[wait; served] from each start
    big = np.zeros((size + 2, size + 2))
    big[:size, :size] = q
    big[:size, size] = served
    big[:size, size + 1] = gone
    at_t = linalg.expm(big * threshold)[:, size]  # served by the threshold
    at_s = linalg.expm(big * short)[:, size + 1]  # abandoned within the short time
    p0 = pi[:n].sum()
    answered = p0 + queue_states @ h_served
    short_ab = queue_states @ at_s[:size]
    return {
        "p_wait": queue_states.sum(),
        "p_abandon": 1.0 - answered,
        "p_abandon_short": short_ab,
        "service_level": p0 + queue_states @ at_t[:size],
        "answer_rate": answered / (1.0 - short_ab),
        "asa": (queue_states @ t_served) / answered,
        "occupancy": calls * aht / interval * answered / n,
    }


CASES = [
    # calls per 15 min, aht s, patience s, agents: under- and overloaded, short and long patience
    (30, 300, 180, 9),
    (30, 300, 180, 12),
    (120, 240, 60, 30),
    (5, 300, 600, 1),
    (5, 300, 600, 2),
    (200, 300, 100, 50),
    (200, 300, 100, 80),
    (60, 180, 1000, 14),
    (10, 400, 30, 4),
    (0.5, 300, 180, 1),
    (400, 300, 20, 60),  # heavy overload, impatient callers
]


@pytest.mark.parametrize(("calls", "aht", "patience", "agents"), CASES)
def test_erlang_a_matches_markov_chain(calls, aht, patience, agents):
    want = chain_reference(calls, aht, patience, agents)
    got = erlang.erlang_a(calls, aht, patience, agents, threshold=20, short_abandon=40)
    for key in METRICS:
        assert float(got[key]) == pytest.approx(want[key], rel=1e-9, abs=1e-13), key


def simulate(
    calls,
    aht,
    patience,
    n,
    *,
    customers,
    seed,
    threshold=20.0,
    short=40.0,
    interval=900.0,
    batches=20,
):
    """FCFS M/M/n+M: each caller's offered wait is the earliest time a server is free of the
    callers ahead that were served; it is answered if that wait is below its patience.
    Returns {metric: (mean over batches, standard error)}."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(interval / calls, customers))
    services = rng.exponential(aht, customers)
    patiences = rng.exponential(patience, customers)
    free = [0.0] * n
    wait = np.empty(customers)
    answered = np.empty(customers, dtype=bool)
    for i in range(customers):
        a = arrivals[i]
        v = free[0] - a
        if v < 0.0:
            v = 0.0
        wait[i] = v
        if v < patiences[i]:
            answered[i] = True
            heapq.heapreplace(free, a + v + services[i])
        else:
            answered[i] = False
    warm = customers // 20
    results = {k: [] for k in METRICS}
    for chunk in np.array_split(np.arange(warm, customers), batches):
        w, ans, pat, svc = wait[chunk], answered[chunk], patiences[chunk], services[chunk]
        short_ab = (~ans) & (pat <= short)
        span = arrivals[chunk[-1]] - arrivals[chunk[0]]
        results["p_wait"].append(np.mean(w > 0))
        results["p_abandon"].append(np.mean(~ans))
        results["p_abandon_short"].append(np.mean(short_ab))
        results["service_level"].append(np.mean(ans & (w <= threshold)))
        results["answer_rate"].append(ans.sum() / (len(chunk) - short_ab.sum()))
        results["asa"].append(w[ans].mean())
        results["occupancy"].append(svc[ans].sum() / (n * span))
    return {k: (np.mean(v), np.std(v, ddof=1) / np.sqrt(batches)) for k, v in results.items()}


@pytest.mark.parametrize(
    ("calls", "aht", "patience", "agents", "seed"),
    [(60, 300, 180, 18, 1), (120, 240, 90, 28, 2), (40, 300, 300, 11, 3)],
)
def test_erlang_a_matches_simulation(calls, aht, patience, agents, seed):
    sim = simulate(calls, aht, patience, agents, customers=60_000, seed=seed)
    got = erlang.erlang_a(calls, aht, patience, agents)
    for key in METRICS:
        mean, se = sim[key]
        assert abs(float(got[key]) - mean) <= 4 * se + 1e-3 * abs(mean), (key, got[key], mean, se)


@pytest.mark.parametrize("agents", [11, 12, 14, 18])
def test_erlang_a_converges_to_erlang_c_as_patience_grows(agents):
    c = erlang.erlang_c(10.0, agents)
    sl = erlang.service_level(100, 180, agents, 20, interval=1800)
    w = erlang.asa(100, 180, agents, interval=1800)
    errors = []
    for patience in (1e4, 1e6, 1e8, 1e10):
        m = erlang.erlang_a(100, 180, patience, agents, interval=1800)
        errors.append(
            max(
                abs(m["p_wait"] - c),
                abs(m["service_level"] - sl),
                abs(m["asa"] / w - 1),
                m["p_abandon"],
                1 - m["answer_rate"],
            )
        )
    assert errors[-1] < 1e-5
    # the gap closes like 1/patience: 100 times more patience, about 100 times closer
    assert all(later < earlier / 50 for earlier, later in zip(errors, errors[1:]))
    exact = erlang.erlang_a(100, 180, np.inf, agents, interval=1800)
    assert float(exact["p_wait"]) == pytest.approx(float(c), rel=1e-14)
    assert float(exact["asa"]) == pytest.approx(float(w), rel=1e-14)


def test_erlang_a_stable_at_large_load():
    # pyworkforce's ErlangA falls back to P(no wait) once rate x threshold passes ~745 (an exp
    # underflow, ECOSYSTEM.md). Here: 10,000 Erlangs, up to 20,000 agents, patience from 1 s to
    # 1e7 s, thresholds up to 10 minutes: finite, in bounds, and the service level moves with
    # the threshold.
    calls = 30_000.0  # 10,000 Erlangs at 300 s per 15 minutes
    n = np.array([5_000, 9_000, 9_990, 10_000, 10_010, 10_100, 11_000, 20_000])[:, None]
    patience = np.array([1.0, 30.0, 180.0, 3600.0, 1e7])[None, :]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        m20 = erlang.erlang_a(calls, 300, patience, n, threshold=20)
        m600 = erlang.erlang_a(calls, 300, patience, n, threshold=600)
    for key in METRICS:
        v = np.asarray(m20[key])
        assert v.shape == (8, 5)
        assert np.isfinite(v).all(), key
        if key != "asa":
            assert ((v >= 0) & (v <= 1)).all(), key
    assert (m600["service_level"] >= m20["service_level"]).all()
    # agents just above traffic and patient callers: waits exist, so a longer threshold helps
    assert m600["service_level"][4, 3] > m20["service_level"][4, 3] + 1e-3


def test_erlang_a_edge_cases():
    none = erlang.erlang_a(0, 300, 180, 3)
    assert float(none["service_level"]) == 1.0 and float(none["asa"]) == 0.0
    empty = erlang.erlang_a(30, 300, 180, 0)
    assert float(empty["p_abandon"]) == 1.0 and float(empty["answer_rate"]) == 0.0
    assert float(empty["p_abandon_short"]) == pytest.approx(1 - np.exp(-40 / 180), rel=1e-12)
    only = erlang.erlang_a(30, 300, 180, 10, metrics=["answer_rate"])
    assert set(only) == {"answer_rate"}
    full = erlang.erlang_a(30, 300, 180, 10)
    assert float(only["answer_rate"]) == float(full["answer_rate"])
