"""The workhorse: a negative binomial regression of daily volume on the calendar, top-down.

Per queue, the day's calls inside the queue's window are

    y[d] ~ NB2(mu[d], a),   log mu[d] = log(open hours[d]) + x[d]' beta

with calendar regressors x (`forecast.models.features`): weekday, a monthly season
(periodic hat functions at mid-month; or Fourier terms), a linear trend, the rank of the day
among the month's working days (dummies for ranks 1..``payday_ranks``: the payday peak lands on
the first *working* day, also when the 1st is a weekend or a holiday, and decays over the next
days) and the first working day after a holiday closure (the backlog of a long weekend).
Known events are taken out of the history before the fit (`forecast.events.remove_events`).

Fitting (Cameron & Trivedi 2013, Regression Analysis of Count Data, 2nd ed., sections 3.2-3.3):
a Poisson GLM gives mu; the dispersion is the moment estimator
``a = sum[(y - mu)^2 - y] / sum[mu^2]`` (their auxiliary regression without intercept); then
the NB2 GLM with that ``a`` is fitted by IRLS (statsmodels ``GLM`` with
``families.NegativeBinomial``); ``a`` is then re-estimated from its fit. Days can be
weighted by recency (``halflife_days``) through ``var_weights``.

Prediction: ``mu = exp(x' beta + offset)``; the day-level dispersion of the predictive
distribution adds the parameter uncertainty, ``v = x' Cov(beta) x`` on the log scale, as a
lognormal factor: ``1 + a_day = (1 + a) exp(v)``. The interval forecast is ``mu`` times the
intraday profile (`forecast.models.topdown`).

Level shifts the calendar cannot explain (a reform nobody entered as an event, a new service)
are followed by a local-level model of the weekly ratio of actual to fitted calls
(``local_level``, `_local_level`): the forecast is multiplied by the ratio's current level, and
the level's uncertainty (plus its weekly steps up to the forecast day) widens the interval.

Short histories: the season needs a year of history and the trend too; with less they are left
out (a half-year cannot tell a trend from a season).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tsa.statespace.structural import UnobservedComponents

from forecast.models._history import HistoryData
from forecast.models.features import season_basis
from forecast.models.profiles import recency_weights
from forecast.models.topdown import TopDownForecaster

__all__ = ["DailyGLM"]

_SEASONS = ("monthly", "fourier", "none")


class DailyGLM(TopDownForecaster):
    """Negative binomial (or Poisson) GLM of daily volume on calendar features, top-down.

    Parameters
    ----------
    family: ``"negbin"`` or ``"poisson"`` (the Poisson fit with the moment dispersion for the
        intervals).
    season: ``"monthly"`` (hat functions at mid-month), ``"fourier"`` or ``"none"``.
    fourier_order: harmonics of the Fourier season.
    payday_ranks: dummies for working-day ranks 1..payday_ranks (0 for none).
    trend: a log-linear trend.
    after_closure: a dummy for the first working day after a holiday closure.
    event_dummies: a dummy per known event on its days in the history.
    local_level: follow the recent level (a local-level model of the weekly ratio of actual to
        fitted calls; see the module docstring).
    halflife_days: recency weighting of the days (None: all days weigh the same).
    history_days: fit on the last so many days only (None: all).
    profile_prior_calls, profile_halflife_days: the intraday profile (`IntradayProfile`).

    Examples
    --------
    >>> from forecast.models import DailyGLM
    >>> model = DailyGLM(payday_ranks=6)       # doctest: +SKIP
    >>> model.fit(history).predict("2026-12-01", days=14)   # doctest: +SKIP
    """

    name = "glm"

    def __init__(
        self,
        *,
        family: str = "negbin",
        season: str = "monthly",
        fourier_order: int = 3,
        payday_ranks: int = 6,
        trend: bool = True,
        after_closure: bool = True,
        event_dummies: bool = True,
        local_level: bool = True,
        halflife_days: float | None = None,
        history_days: int | None = None,
        profile_prior_calls: float = 1000.0,
        profile_halflife_days: float | None = 365.0,
    ):
        self.family = family
        self.season = season
        self.fourier_order = fourier_order
        self.payday_ranks = payday_ranks
        self.trend = trend
        self.after_closure = after_closure
        self.event_dummies = event_dummies
        self.local_level = local_level
        self.halflife_days = halflife_days
        self.history_days = history_days
        self.profile_prior_calls = profile_prior_calls
        self.profile_halflife_days = profile_halflife_days

    def _validate_params(self) -> None:
        super()._validate_params()
        if self.family not in ("negbin", "poisson"):
            raise ValueError(f"family must be 'negbin' or 'poisson'; got {self.family!r}")
        if self.season not in _SEASONS:
            raise ValueError(f"season must be one of {', '.join(_SEASONS)}; got {self.season!r}")
        if not isinstance(self.payday_ranks, int) or self.payday_ranks < 0:
            raise ValueError(f"payday_ranks must be a whole number >= 0; got {self.payday_ranks!r}")
        if not isinstance(self.fourier_order, int) or self.fourier_order < 1:
            raise ValueError(
                f"fourier_order must be a whole number >= 1; got {self.fourier_order!r}"
            )
        if self.halflife_days is not None and not self.halflife_days > 0:
            raise ValueError(f"halflife_days must be > 0 or None; got {self.halflife_days!r}")
        if self.history_days is not None and not (
            isinstance(self.history_days, int) and self.history_days >= 28
        ):
            raise ValueError(
                f"history_days must be a whole number >= 28 or None; got {self.history_days!r}"
            )

    # ------------------------------------------------------------------ design
    def _design(self, dates: pd.DatetimeIndex, table: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
        cols: list[np.ndarray] = [np.ones(len(dates))]
        names = ["intercept"]
        weekday = dates.day_of_week.to_numpy()
        for w in range(1, 7):
            cols.append((weekday == w).astype(float))
            names.append(f"weekday_{w}")
        if self.use_season_:
            basis = season_basis(dates, self.season, self.fourier_order)
            start = 1 if self.season == "monthly" else 0
            for j in range(start, basis.shape[1]):
                cols.append(basis[:, j])
                names.append(f"season_{j}")
        if self.use_trend_:
            years = (dates - pd.Timestamp(self.first_day_)).days.to_numpy() / 365.25
            cols.append(years)
            names.append("trend")
        rank = table["rank"].to_numpy()
        for r in range(1, self.payday_ranks + 1):
            cols.append((rank == r).astype(float))
            names.append(f"rank_{r}")
        if self.after_closure:
            cols.append(table["after_closure"].to_numpy().astype(float))
            names.append("after_closure")
        if self.event_dummies:
            for i, event in enumerate(self.events_):
                cols.append(event.covers(dates).astype(float))
                names.append(f"event_{i}:{event.name}")
        return np.column_stack(cols), names

    def _touches(self, name: str, queue: str) -> bool:
        """False for an event column of an event that does not touch ``queue``."""
        if not name.startswith("event_"):
            return True
        index = int(name.split(":", 1)[0][len("event_") :])
        return queue in self.events_[index].queues

    # ------------------------------------------------------------------ fit
    def _fit_daily(self, data: HistoryData, table: pd.DataFrame) -> None:
        span = (data.last_day - data.first_day).days + 1
        self.use_season_ = self.season != "none" and span >= 365
        self.use_trend_ = bool(self.trend) and span >= 365
        X_all, names = self._design(data.days, table)
        daily = data.daily()
        open_hours = data.window.sum(axis=2) * data.freq / 60.0
        weights_all = recency_weights(len(data.days), self.halflife_days)
        recent = np.ones(len(data.days), dtype=bool)
        if self.history_days is not None:
            recent[: max(len(data.days) - self.history_days, 0)] = False
        self.params_: list[np.ndarray | None] = []
        self.cov_: list[np.ndarray | None] = []
        self.alpha_: np.ndarray = np.zeros(len(data.queues))
        self.columns_: list[np.ndarray] = []
        self.level_ = np.zeros((len(data.queues), 3))
        self.design_names_ = names
        for q in range(len(data.queues)):
            rows = np.isfinite(daily[q]) & recent & (open_hours[q] > 0)
            if rows.sum() < 5:
                self.params_.append(None)
                self.cov_.append(None)
                self.columns_.append(np.zeros(len(names), dtype=bool))
                continue
            X = X_all[rows]
            keep = np.ptp(X, axis=0) > 0
            keep &= np.array([self._touches(n, data.queues[q]) for n in names])
            keep[0] = True
            X = X[:, keep]
            y = daily[q, rows]
            offset = np.log(open_hours[q, rows])
            w = weights_all[rows]
            params, cov, alpha = _fit_count_glm(y, X, offset, w, self.family)
            if self.local_level:
                mu = np.exp(X @ params + offset)
                self.level_[q] = _local_level(data.days[rows], y, mu)
            self.params_.append(params)
            self.cov_.append(cov)
            self.alpha_[q] = alpha
            self.columns_.append(keep)
        self.fallback_ = np.array(
            [
                np.nanmean(daily[q][np.isfinite(daily[q])][-20:])
                if np.isfinite(daily[q]).any()
                else 0.0
                for q in range(len(data.queues))
            ]
        )

    def _predict_daily(
        self, dates: pd.DatetimeIndex, table: pd.DataFrame, window: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        X_all, _ = self._design(dates, table)
        open_hours = window.sum(axis=2) * self.freq_minutes_ / 60.0
        n_q = len(self.queues_)
        total = np.zeros((n_q, len(dates)))
        alpha_day = np.zeros((n_q, len(dates)))
        for q in range(n_q):
            params = self.params_[q]
            if params is None:
                total[q] = self.fallback_[q]
                alpha_day[q] = 0.1
                continue
            X = X_all[:, self.columns_[q]].copy()
            # The forecast is the normal level: known events are added by apply_events.
            is_event = np.array(
                [n.startswith("event_") for n in np.array(self.design_names_)[self.columns_[q]]]
            )
            X[:, is_event] = 0.0
            eta = X @ params + np.log(np.clip(open_hours[q], 1e-9, None))
            cov = self.cov_[q]
            assert cov is not None  # fitted together with params
            var_eta = np.einsum("ij,jk,ik->i", X, cov, X)
            level, level_var, step_var = self.level_[q]
            weeks_ahead = (dates - pd.Timestamp(self.last_day_)).days.to_numpy() / 7.0
            eta = eta + level
            var_eta = var_eta + level_var + step_var * weeks_ahead
            total[q] = np.exp(eta)
            alpha_day[q] = (1.0 + self.alpha_[q]) * np.exp(np.clip(var_eta, 0.0, 5.0)) - 1.0
        return total, alpha_day

    def coefficients(self) -> pd.DataFrame:
        """The fitted effects per queue as multipliers: ``queue, term, effect, lo95, hi95``.

        ``effect = exp(beta)``: e.g. ``rank_1`` 1.8 means the first working day of the month
        takes 80 % more calls than a mid-month day of the same weekday and season.
        """
        self._check_fitted()
        rows = []
        for q, queue in enumerate(self.queues_):
            params = self.params_[q]
            if params is None:
                continue
            names = np.array(self.design_names_)[self.columns_[q]]
            cov = self.cov_[q]
            assert cov is not None  # fitted together with params
            se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
            for name, b, s in zip(names, params, se):
                rows.append(
                    {
                        "queue": queue,
                        "term": name,
                        "effect": float(np.exp(b)),
                        "lo95": float(np.exp(b - 1.96 * s)),
                        "hi95": float(np.exp(b + 1.96 * s)),
                    }
                )
        return pd.DataFrame(rows, columns=["queue", "term", "effect", "lo95", "hi95"])


def _fit_count_glm(
    y: np.ndarray, X: np.ndarray, offset: np.ndarray, w: np.ndarray, family: str
) -> tuple[np.ndarray, np.ndarray, float]:
    """Poisson fit, moment dispersion, then NB2 at that dispersion (module docstring)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pois = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset, var_weights=w).fit()
        mu = pois.mu
        alpha = _moment_alpha(y, mu, w)
        if family == "poisson":
            return pois.params, pois.cov_params(), alpha
        res = sm.GLM(
            y,
            X,
            family=sm.families.NegativeBinomial(alpha=max(alpha, 1e-6)),
            offset=offset,
            var_weights=w,
        ).fit(start_params=pois.params)
        alpha = _moment_alpha(y, res.mu, w)
    return res.params, res.cov_params(), alpha


def _moment_alpha(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> float:
    """NB2 dispersion by moments, ``sum w[(y - mu)^2 - y] / sum w mu^2``, at least 0."""
    den = float((w * mu**2).sum())
    if den <= 0:
        return 0.0
    return max(float((w * ((y - mu) ** 2 - y)).sum()) / den, 0.0)


def _local_level(dates: pd.DatetimeIndex, y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """(level, its variance, weekly step variance) of ``log(actual / fitted)`` by week.

    A local-level model (random walk plus noise; statsmodels ``UnobservedComponents``, Harvey
    1989, Forecasting, Structural Time Series Models and the Kalman Filter, chapter 2) of the
    weekly log ratio of actual to fitted calls, fitted by maximum likelihood. When the history
    is stable its step variance is estimated near 0 and the level stays near 0 (no change);
    after a level shift the model lets the GLM's forecast follow the recent weeks.
    """
    week = ((dates - dates[0]).days.to_numpy() // 7).astype(int)
    Y = np.bincount(week, weights=y)
    M = np.bincount(week, weights=mu)
    ok = M > 0
    if ok.sum() < 26:
        return np.zeros(3)
    ratio = np.log((Y[ok] + 1.0) / (M[ok] + 1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = UnobservedComponents(ratio, level="local level").fit(disp=False)
    names = list(res.model.param_names)
    step = float(res.params[names.index("sigma2.level")])
    level = float(res.filtered_state[0, -1])
    level_var = float(res.filtered_state_cov[0, 0, -1])
    return np.array([level, level_var, max(step, 0.0)])
