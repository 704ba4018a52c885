"""Prediction intervals for call counts: negative binomial mid-quantiles.

Calls in an interval are mixed Poisson: Poisson given the day's rate, and the rate varies from
day to day (Jongbloed & Koole 2001, "Managing uncertainty in call centres using Poisson
mixtures", Applied Stochastic Models in Business and Industry 17, 307-318; Brown et al. 2005).
With a gamma mixing distribution the count is negative binomial (NB2):

    Y ~ NB(mean m, dispersion a):  Var(Y) = m + a m^2.

Several independent gamma factors with mean 1 (the day's level, the interval's own noise)
multiply: their product has ``1 + a = (1 + a_1)(1 + a_2)``, which `combine_dispersion` returns.

Counts are discrete, so the plain quantiles of an 80 % interval cover more than 80 % (much more
at small means: with m = 0.6 calls, [q10, q90] = [0, 2] covers 98 %). We report *mid-quantiles*
instead: the inverse of the mid-distribution function ``F(y) - P(Y = y) / 2``, linearly
interpolated between integers (Parzen 2004, "Quantile probability and statistical data
modeling", Statistical Science 19, 652-662; Ma, Genton & Parzen 2011, Bernoulli 17, 1423-1438).
They are continuous in the mean, and ``lo <= y <= hi`` holds for close to 80 % of the counts.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["nb_mid_quantile", "nb_interval", "combine_dispersion", "POISSON_ALPHA"]

#: Below this dispersion the Poisson distribution is used (the NB limit for a -> 0).
POISSON_ALPHA = 1e-6


def combine_dispersion(*alphas: np.ndarray | float) -> np.ndarray:
    """Dispersion of a product of independent mean-one gamma factors: ``prod(1 + a_i) - 1``."""
    out = np.ones(())
    for a in alphas:
        out = out * (1.0 + np.clip(np.asarray(a, dtype=float), 0.0, None))
    return out - 1.0


def _cdf(k: np.ndarray, mean: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """NB2 (Poisson where alpha is tiny) cdf at integer ``k``; 0 for k < 0."""
    k = np.asarray(k, dtype=float)
    poisson = alpha < POISSON_ALPHA
    safe_alpha = np.where(poisson, 1.0, alpha)
    n = 1.0 / safe_alpha
    p = 1.0 / (1.0 + safe_alpha * mean)
    out = np.where(poisson, stats.poisson.cdf(k, mean), stats.nbinom.cdf(k, n, p))
    return np.where(k < 0, 0.0, out)


def _ppf(u: float, mean: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    poisson = alpha < POISSON_ALPHA
    safe_alpha = np.where(poisson, 1.0, alpha)
    n = 1.0 / safe_alpha
    p = 1.0 / (1.0 + safe_alpha * mean)
    return np.where(poisson, stats.poisson.ppf(u, mean), stats.nbinom.ppf(u, n, p))


def nb_mid_quantile(u: float, mean: np.ndarray, alpha: np.ndarray | float) -> np.ndarray:
    """Mid-quantile at probability ``u`` of NB(mean, alpha), elementwise; 0 where mean is 0.

    With ``G(j) = (F(j) + F(j - 1)) / 2`` the mid-distribution at integers, the result is the
    ``y`` where the piecewise-linear interpolation of ``G`` reaches ``u`` (clipped at 0).
    """
    if not 0.0 < u < 1.0:
        raise ValueError(f"u must be in (0, 1); got {u!r}")
    mean = np.asarray(mean, dtype=float)
    alpha = np.broadcast_to(np.asarray(alpha, dtype=float), mean.shape)
    positive = mean > 0
    m = np.where(positive, mean, 1.0)
    a = np.clip(alpha, 0.0, None)
    k = _ppf(u, m, a)
    f_k = _cdf(k, m, a)
    f_km1 = _cdf(k - 1, m, a)
    f_km2 = _cdf(k - 2, m, a)
    f_kp1 = _cdf(k + 1, m, a)
    g_k = 0.5 * (f_k + f_km1)
    g_km1 = 0.5 * (f_km1 + f_km2)
    g_kp1 = 0.5 * (f_kp1 + f_k)
    below = u <= g_k
    lower_x = np.where(below, k - 1, k)
    lower_g = np.where(below, g_km1, g_k)
    upper_g = np.where(below, g_k, g_kp1)
    step = np.where(upper_g > lower_g, upper_g - lower_g, 1.0)
    y = lower_x + (u - lower_g) / step
    return np.where(positive, np.clip(y, 0.0, None), 0.0)


def nb_interval(
    mean: np.ndarray, alpha: np.ndarray | float, level: float = 0.8
) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` prediction interval (lo, hi) of NB(mean, alpha) by mid-quantiles."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1); got {level!r}")
    tail = (1.0 - level) / 2.0
    return nb_mid_quantile(tail, mean, alpha), nb_mid_quantile(1.0 - tail, mean, alpha)
