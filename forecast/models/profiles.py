"""Intraday profiles (how a day's calls spread over its intervals) and handle-time forecasts.

Top-down forecasting, the practice of call centres (Gans, Koole & Mandelbaum 2003, "Telephone
call centers: tutorial, review and research prospects", MSOM 5(2), section 3; Ibrahim et al.
2016, "Modeling and forecasting call center arrivals: a literature survey", IJF 32): forecast the
day's volume, then split it over the day with a profile estimated from history.

The profile of queue q on a day of weekday w and day type t (normal, payday, ...) is

    p[s] ∝ base[q, w][s] * tilt[w, t][s]      over the day's open slots s,

- ``base[q, w]``: shares of q's calls per slot on normal days of weekday w, shrunk towards the
  queue's shape over all weekdays with ``prior_calls`` pseudo-calls (additive smoothing with a
  Dirichlet prior, the empirical-Bayes estimate of a multinomial; so a small queue borrows its
  shape from its other weekdays, a large one keeps its own);
- the queue's shape over all weekdays: a rank-one Poisson model ``calls[d, s] ~ a[d] b[s]``
  fitted by alternating updates (iterative proportional fitting), which copes with days of
  different length (Wednesday and Friday close an hour earlier);
- ``tilt[w, t]``: how days of type t reshape the day (payday mornings differ), pooled over all
  queues: observed / expected calls per slot on those days, with ``tilt_prior`` pseudo-calls
  towards 1.

Days are weighted by recency, ``0.5 ** (age / halflife_days)``.

Handle time: per queue and slot, the answered-weighted mean of the history (recency-weighted),
shrunk towards the queue's mean with ``aht_prior_calls`` pseudo-calls, times a day-type factor
pooled over queues (short "where is my payment" calls on paydays).
"""

from __future__ import annotations

import numpy as np

from forecast.models._history import HistoryData

__all__ = ["IntradayProfile", "HandleTime", "recency_weights"]


def recency_weights(n_days: int, halflife_days: float | None) -> np.ndarray:
    """Weights ``0.5 ** (age / halflife)`` with age 0 on the last day; ones without halflife."""
    if halflife_days is None:
        return np.ones(n_days)
    age = np.arange(n_days)[::-1].astype(float)
    return 0.5 ** (age / float(halflife_days))


def _rank_one_shape(counts: np.ndarray, window: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Slot shape ``b`` of ``counts[d, s] ~ Poisson(a[d] b[s])`` on open slots (IPF, 30 rounds)."""
    c = np.where(window, counts, 0.0) * weight[:, None]
    open_any = window.any(axis=0)
    b = np.where(open_any, 1.0, 0.0)
    col = c.sum(axis=0)
    row = c.sum(axis=1)
    for _ in range(30):
        denom_a = (window * b[None, :]).sum(axis=1)
        a = np.divide(row, denom_a, out=np.zeros_like(row), where=denom_a > 0)
        denom_b = (window * a[:, None]).sum(axis=0)
        b_new = np.divide(col, denom_b, out=np.zeros_like(col), where=denom_b > 0)
        total = b_new[open_any].sum()
        b_new = b_new / total if total > 0 else b_new
        if np.allclose(b_new, b, atol=1e-10):
            b = b_new
            break
        b = b_new
    return b


class IntradayProfile:
    """Shares of a day's calls per slot by queue, weekday and day type (module docstring)."""

    def __init__(
        self, *, prior_calls: float = 1000.0, tilt_prior: float = 50.0, halflife_days=365.0
    ):
        self.prior_calls = prior_calls
        self.tilt_prior = tilt_prior
        self.halflife_days = halflife_days

    def fit(self, data: HistoryData, day_type: np.ndarray, n_types: int) -> IntradayProfile:
        """Estimate from ``data``; ``day_type[d]`` in ``0..n_types-1`` with 0 = normal."""
        n_q, n_d, n_s = data.counts.shape
        usable = data.usable
        weight = recency_weights(n_d, self.halflife_days)
        weekday = data.days.day_of_week.to_numpy()
        counts = np.where(data.window, data.counts, 0.0)
        base = np.zeros((n_q, 7, n_s))
        queue_shape = np.zeros((n_q, n_s))
        for q in range(n_q):
            normal = usable[q] & (day_type == 0)
            if not normal.any():
                normal = usable[q]
            shape = _rank_one_shape(counts[q, normal], data.window[q, normal], weight[normal])
            if shape.sum() <= 0:
                shape = data.window[q, usable[q]].any(axis=0).astype(float)
            queue_shape[q] = shape / max(shape.sum(), 1e-12)
            for w in range(7):
                sel = normal & (weekday == w)
                if not sel.any():
                    base[q, w] = queue_shape[q]
                    continue
                win = data.window[q, sel].any(axis=0)
                prior = np.where(win, queue_shape[q], 0.0)
                prior = prior / prior.sum() if prior.sum() > 0 else win / max(win.sum(), 1)
                n = (counts[q, sel] * weight[sel, None]).sum(axis=0)
                base[q, w] = (n + self.prior_calls * prior) / (n.sum() + self.prior_calls)
        tilt = np.ones((7, n_types, n_s))
        for t in range(1, n_types):
            for w in range(7):
                sel = (day_type == t) & (weekday == w)
                if not sel.any():
                    continue
                obs = np.zeros(n_s)
                exp = np.zeros(n_s)
                for q in range(n_q):
                    days = sel & usable[q]
                    if not days.any():
                        continue
                    c = counts[q, days] * weight[days, None]
                    share = np.where(data.window[q, days], base[q, w][None, :], 0.0)
                    share = share / np.clip(share.sum(axis=1, keepdims=True), 1e-12, None)
                    obs += c.sum(axis=0)
                    exp += (share * c.sum(axis=1, keepdims=True)).sum(axis=0)
                tilt[w, t] = (obs + self.tilt_prior) / (exp + self.tilt_prior)
        self.base_ = base
        self.queue_shape_ = queue_shape
        self.tilt_ = tilt
        self.n_types_ = n_types
        return self

    def shares(self, q: int, weekday: int, day_type: int, window: np.ndarray) -> np.ndarray:
        """Slot shares (summing to 1 over ``window``) for one queue-day; zeros if no window."""
        raw = self.base_[q, weekday] * self.tilt_[weekday, min(day_type, self.n_types_ - 1)]
        raw = np.where(window, raw, 0.0)
        total = raw.sum()
        if total <= 0:
            fallback = np.where(window, self.queue_shape_[q], 0.0)
            total = fallback.sum()
            if total <= 0:
                return window / max(window.sum(), 1)
            return fallback / total
        return raw / total

    def dispersion(self, data: HistoryData, day_type: np.ndarray) -> np.ndarray:
        """Per queue, the interval-level dispersion given the day's total (method of moments).

        For a slot with share p on a day with total T the multinomial gives variance
        ``T p (1 - p)``; extra variance ``a (T p)^2`` is the interval's own noise. ``a`` is
        ``sum[(y - T p)^2 - T p (1 - p)] / sum[(T p)^2]``, clipped at 0 (the moment estimator
        of Cameron & Trivedi 2013, Regression Analysis of Count Data, section 3.2).
        """
        n_q = data.counts.shape[0]
        usable = data.usable
        weekday = data.days.day_of_week.to_numpy()
        out = np.zeros(n_q)
        for q in range(n_q):
            days = np.flatnonzero(usable[q])[-260:]
            if not len(days):
                continue
            num = 0.0
            den = 0.0
            for d in days:
                win = data.window[q, d]
                p = self.shares(q, weekday[d], int(day_type[d]), win)
                y = np.where(win, data.counts[q, d], 0.0)
                total = y.sum()
                m = total * p
                num += float(((y - m) ** 2 - m * (1 - p)).sum())
                den += float((m**2).sum())
            out[q] = max(num / den, 0.0) if den > 0 else 0.0
        return out


class HandleTime:
    """Mean handle time per queue and slot, with a pooled day-type factor (module docstring)."""

    def __init__(
        self,
        *,
        prior_calls: float = 50.0,
        halflife_days: float | None = 120.0,
        default_seconds: float | dict[str, float] = 300.0,
    ):
        self.prior_calls = prior_calls
        self.halflife_days = halflife_days
        self.default_seconds = default_seconds

    def _default(self, queue: str) -> float:
        if isinstance(self.default_seconds, dict):
            return float(self.default_seconds.get(queue, 300.0))
        return float(self.default_seconds)

    def fit(self, data: HistoryData, day_type: np.ndarray, n_types: int) -> HandleTime:
        n_q, n_d, n_s = data.counts.shape
        weight = recency_weights(n_d, self.halflife_days)
        use = (data.has_data & ~data.excluded)[None, :, None] & data.window
        w_sum = np.where(use, data.aht_weight, 0.0) * weight[None, :, None]
        a_sum = np.where(use, data.aht_sum, 0.0) * weight[None, :, None]
        slot = np.zeros((n_q, n_s))
        mean = np.zeros(n_q)
        for q in range(n_q):
            total_w = w_sum[q].sum()
            if total_w <= 0:
                mean[q] = self._default(data.queues[q])
                slot[q] = mean[q]
                continue
            mean[q] = a_sum[q].sum() / total_w
            ws = w_sum[q].sum(axis=0)
            slot[q] = (a_sum[q].sum(axis=0) + self.prior_calls * mean[q]) / (ws + self.prior_calls)
        factor = np.ones(n_types)
        for t in range(1, n_types):
            sel = day_type == t
            expected = (w_sum[:, sel] * slot[:, None, :]).sum()
            observed = a_sum[:, sel].sum()
            weight_t = w_sum[:, sel].sum()
            if expected > 0 and weight_t > 0:
                k = self.prior_calls
                factor[t] = (observed + k) / (expected + k)
        self.slot_ = slot
        self.mean_ = mean
        self.type_factor_ = factor
        self.from_history_ = np.array([w_sum[q].sum() > 0 for q in range(n_q)])
        return self

    def predict(self, q: int, day_type: int) -> np.ndarray:
        """Handle time per slot (seconds) of queue ``q`` on a day of ``day_type``."""
        return self.slot_[q] * self.type_factor_[min(day_type, len(self.type_factor_) - 1)]
