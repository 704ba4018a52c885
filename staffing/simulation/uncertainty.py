"""Forecast uncertainty in the simulation: day volumes drawn from the forecast's 80 % interval.

Each replication draws each queue's day volume
from the forecast's 80 % prediction interval (``offered_lo``/``offered_hi``). The fit follows
the forecast's own model (`forecast.models.intervals`: counts are negative binomial, i.e.
Poisson given a gamma rate factor with mean 1, so ``offered`` is the mean and the interval is
the NB's 10 %-90 % mid-quantiles): for each interval the NB dispersion alpha whose interval has
the forecast's width is found by bisection, and the day's factor variance is their
mean weighted by offered^2 (alpha = 0 where the interval is no wider than Poisson; a
queue-day with fewer than 20 expected calls, whose intervals are all Poisson noise, takes the
estimate pooled over every queue-day). Every
replication then draws one gamma factor per queue and day (mean 1, that variance) and scales
the day's intervals by it, so the simulated counts are negative binomial with the forecast's
interval. All of the forecast's extra-Poisson variance is read as day-level (the dominant part
in call-centre data; where the forecast also has interval-level noise this overstates the
day-to-day spread slightly, i.e. errs on the cautious side). The draws of a day's queues are
linked by a Gaussian copula with correlation ``uncertainty_correlation`` (default 0: the
forecast's per-queue intervals are marginal; a positive value makes bad days hit every queue at
once, which lowers the probability of meeting the SLA for the centre as a whole).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

__all__ = ["MIN_DAY_CALLS", "day_dispersion", "day_factors"]

#: A queue-day with fewer expected calls takes the dispersion pooled over all queue-days.
MIN_DAY_CALLS = 20.0


def _interval_alpha(offered: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per interval, the NB dispersion alpha whose 80 % mid-quantile interval has width hi - lo.

    Bisection on alpha in [0, 4] (the interval widens with alpha); 0 where the forecast's
    interval is no wider than the Poisson one, or nothing is offered.
    """
    # imported here: importing forecast.models loads every forecaster (statsmodels), which the
    # simulation needs only when it draws from the forecast's interval
    from forecast.models.intervals import nb_interval

    target = hi - lo
    low = np.zeros_like(offered)
    high = np.full_like(offered, 4.0)
    active = offered > 0
    mean = np.where(active, offered, 1.0)
    for _ in range(40):
        mid = (low + high) / 2.0
        q_lo, q_hi = nb_interval(mean, mid, 0.8)
        wider = (q_hi - q_lo) > target
        high = np.where(wider, mid, high)
        low = np.where(wider, low, mid)
    alpha = np.where(active, (low + high) / 2.0, 0.0)
    poisson_lo, poisson_hi = nb_interval(mean, 0.0, 0.8)
    return np.where(target <= poisson_hi - poisson_lo + 1e-9, 0.0, alpha)


def day_dispersion(
    offered: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    row_queue: np.ndarray,
    row_day: np.ndarray,
    *,
    n_queues: int,
    n_days: int,
) -> np.ndarray:
    """Variance of the gamma day factor per (queue, day), fitted to the 80 % intervals.

    Per interval the NB dispersion alpha of `_interval_alpha`; per queue-day the mean of alpha
    weighted by offered^2 (the intervals' share of the day's extra-Poisson variance, since an
    NB count with mean m has variance m + alpha m^2). Queue-days with fewer than
    `MIN_DAY_CALLS` expected calls take the estimate pooled over all queue-days. Returns an
    array (n_queues, n_days).
    """
    alpha = _interval_alpha(offered, lo, hi)
    cell = row_queue * n_days + row_day
    size = n_queues * n_days
    weight = np.bincount(cell, weights=offered * offered, minlength=size)
    excess = np.bincount(cell, weights=alpha * offered * offered, minlength=size)
    v = np.where(weight > 0, excess / np.where(weight > 0, weight, 1.0), 0.0)
    # A queue-day with few calls has Poisson-dominated intervals that cannot tell its day
    # factor: it takes the pooled estimate of all queue-days.
    volume = np.bincount(cell, weights=offered, minlength=size)
    pooled = excess.sum() / weight.sum() if weight.sum() > 0 else 0.0
    v = np.where(volume < MIN_DAY_CALLS, pooled, v)
    return v.reshape(n_queues, n_days)


def day_factors(rng: np.random.Generator, dispersion: np.ndarray, correlation: float) -> np.ndarray:
    """One gamma factor per (queue, day): mean 1, variance ``dispersion``, linked by a copula.

    A Gaussian copula with correlation ``correlation`` between the queues of a day (common
    normal sqrt(rho) Z_day + sqrt(1 - rho) Z_queue), mapped to Gamma(1/v, scale v) by its
    quantile function; factor 1 where the dispersion is 0.
    """
    n_queues, n_days = dispersion.shape
    common = np.asarray(rng.standard_normal(n_days))
    own = np.asarray(rng.standard_normal((n_queues, n_days)))
    z = math.sqrt(correlation) * common[None, :] + math.sqrt(1.0 - correlation) * own
    v = np.where(dispersion > 0, dispersion, 1.0)
    draw = stats.gamma.ppf(special.ndtr(z), 1.0 / v, scale=v)
    return np.where(dispersion > 0, draw, 1.0)
