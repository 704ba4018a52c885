"""Prediction intervals of call counts (mid-quantiles of the negative binomial)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from forecast.models.intervals import combine_dispersion, nb_interval, nb_mid_quantile


def _mid_cdf(y: float, dist) -> float:
    """Parzen's mid-distribution function at a real y (linear between integers), by brute force."""
    k = np.arange(0, 2000)
    pmf = dist.pmf(k)
    cdf = np.cumsum(pmf)
    g = cdf - pmf / 2.0
    return float(np.interp(y, k, g))


@pytest.mark.parametrize("mean,alpha", [(0.6, 0.0), (4.0, 0.0), (14.0, 0.0125), (120.0, 0.05)])
def test_mid_quantile_inverts_the_mid_distribution(mean, alpha):
    dist = stats.poisson(mean) if alpha == 0 else stats.nbinom(1 / alpha, 1 / (1 + alpha * mean))
    for u in (0.1, 0.5, 0.9):
        q = float(nb_mid_quantile(u, np.array([mean]), alpha)[0])
        if q > 0:
            assert _mid_cdf(q, dist) == pytest.approx(u, abs=1e-9)


def test_poisson_values_by_hand():
    # Poisson(4): F(1) = 0.0916, F(2) = 0.2381; G(1) = 0.0550, G(2) = 0.1649, so the 10 %
    # mid-quantile is 1 + (0.1 - G(1)) / (G(2) - G(1)).
    f = stats.poisson(4).cdf
    g1, g2 = (f(1) + f(0)) / 2, (f(2) + f(1)) / 2
    lo, hi = nb_interval(np.array([4.0]), 0.0)
    assert lo[0] == pytest.approx(1 + (0.1 - g1) / (g2 - g1))
    g6, g7 = (f(6) + f(5)) / 2, (f(7) + f(6)) / 2
    assert hi[0] == pytest.approx(6 + (0.9 - g6) / (g7 - g6))


@pytest.mark.parametrize("mean,alpha", [(4.0, 0.0), (14.0, 0.0125), (60.0, 0.02), (400.0, 0.0125)])
def test_coverage_is_close_to_80_percent_by_simulation(mean, alpha):
    rng = np.random.default_rng(7)
    level = rng.gamma(1 / alpha, alpha, 200_000) if alpha > 0 else np.ones(200_000)
    y = rng.poisson(mean * level)
    lo, hi = nb_interval(np.array([mean]), alpha)
    coverage = ((y >= lo[0]) & (y <= hi[0])).mean()
    assert coverage == pytest.approx(0.8, abs=0.035)


def test_zero_mean_gives_a_zero_interval():
    lo, hi = nb_interval(np.array([0.0, 2.0]), 0.01)
    assert lo[0] == 0.0 and hi[0] == 0.0 and hi[1] > 2.0


def test_combine_dispersion_is_the_product_of_gamma_factors():
    # Var of the product of two independent mean-one factors: (1 + a)(1 + b) - 1.
    rng = np.random.default_rng(3)
    a, b = 0.04, 0.09
    x = rng.gamma(1 / a, a, 400_000) * rng.gamma(1 / b, b, 400_000)
    assert float(combine_dispersion(a, b)) == pytest.approx(x.var(), rel=0.02)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0.01, max_value=500.0),
    st.floats(min_value=0.0, max_value=0.5),
)
def test_interval_brackets_the_median_and_grows_with_the_mean(mean, alpha):
    lo, hi = nb_interval(np.array([mean, mean * 1.5]), alpha)
    assert 0.0 <= lo[0] <= hi[0]
    assert lo[1] >= lo[0] - 1e-9 and hi[1] >= hi[0] - 1e-9
    median = float(nb_mid_quantile(0.5, np.array([mean]), alpha)[0])
    assert lo[0] <= median <= hi[0]


def test_bad_level_is_rejected():
    with pytest.raises(ValueError, match="level must be in"):
        nb_interval(np.array([1.0]), 0.0, level=1.5)
