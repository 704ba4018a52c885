"""Queueing formulas for contact-centre staffing: Erlang B, Erlang C and Erlang A (M/M/n+M).

Every function is vectorized: it takes scalars or numpy arrays, broadcasts them against each
other and returns an array of the broadcast shape (a numpy scalar when every input is a scalar).

Units (DESIGN.md, "Python API"): ``calls`` are offered calls per interval; ``aht``, ``patience``,
``threshold``, ``short_abandon`` and ``interval`` are seconds; ``traffic`` is in Erlangs
(``calls * aht / interval``); ``agents`` are whole numbers of agents on the phone.

Numerics. No factorial or power is ever formed: Erlang B is the ratio of the Poisson probability
mass to the Poisson distribution function, both taken in log space (the mass by Loader's
saddle-point form, the distribution function by the regularized incomplete gamma function of
`scipy.special`, or, in overload, by its continued fraction). Erlang A uses the closed forms of
Mandelbaum & Zeltyn (2007) with the incomplete gamma function kept in log space (ratios of two of
them as differences of logs, or by their series where they underflow); the mean wait of answered
calls comes from an exact state sum, or an exp-sinh quadrature where that sum would be long. The
formulas hold from 0.001 to 10,000 Erlangs and up to 20,000 agents (and beyond) without
overflow, underflow to a wrong value or NaN; they agree with 50-digit references to about 1e-12
(tests/test_erlang.py, tests/test_erlang_a.py).

Conventions where a queue has no steady state or no calls:
- Erlang C with ``agents <= traffic``: the queue grows without bound, so P(wait) = 1, service
  level = 0 and ASA = inf, by definition (DESIGN.md).
- Erlang A with ``calls == 0`` (or below 1e-250 Erlangs): no caller waits or abandons; service
  level and answer rate are 1, ASA 0, occupancy A/n. With ``agents == 0`` (and calls): every
  caller waits and abandons; service level and answer rate are 0, ASA inf, occupancy 1.
- Numpy underflow warnings are silenced inside these functions: a probability below 1e-308 is 0.

References:
- A. K. Erlang (1917); the recursions and the Poisson-ratio form of Erlang B and C as in
  G. Koole, *Call Center Optimization*, MG Books, 2013.
- C. Loader, "Fast and accurate computation of binomial probabilities", 2000 (saddle-point form
  of the Poisson mass).
- O. Garnett, A. Mandelbaum & M. Reiman, "Designing a call center with impatient customers",
  *Manufacturing & Service Operations Management* 4(3), 2002, 208-227.
- A. Mandelbaum & S. Zeltyn, "Service engineering in action: the Palm/Erlang-A queue, with
  applications to call centers", in *Advances in Services Innovations*, Springer, 2007, 17-45.
- W. H. Press et al., *Numerical Recipes*, 3rd ed., 2007, sec. 6.2 (continued fraction of the
  upper incomplete gamma function, modified Lentz method).
- H. Takahasi & M. Mori, "Double exponential formulas for numerical integration", 1974
  (the exp-sinh rule used for one integral of Erlang A's mean wait).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

__all__ = [
    "erlang_b",
    "erlang_c",
    "service_level",
    "asa",
    "erlang_a",
    "required_agents",
    "ERLANG_A_METRICS",
]

#: The keys of the dict returned by `erlang_a`, in a stable order.
ERLANG_A_METRICS = (
    "p_wait",
    "p_abandon",
    "p_abandon_short",
    "service_level",
    "answer_rate",
    "asa",
    "occupancy",
)

_LOG_2PI = math.log(2.0 * math.pi)
# Below this a regularized incomplete gamma value is too close to the underflow limit to keep its
# relative precision; the series or continued fraction then takes over.
_TINY = 1e-280
_EPS = 1e-17
_MAX_TERMS = 2_000_000
_MAX_AGENTS = 10_000_000
_NEGLIGIBLE_TRAFFIC = 1e-250


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------
def _show(value: float) -> str:
    """A number as the user would write it: 1.5, -2, inf."""
    v = float(value)
    return str(int(v)) if np.isfinite(v) and v.is_integer() else repr(v)


def _first_bad(values: np.ndarray, bad: np.ndarray) -> str:
    """The first offending value, with its position when ``values`` is an array."""
    flat = np.flatnonzero(bad)
    text = _show(values.reshape(-1)[flat[0]])
    if values.size > 1:
        text += f" (element {int(flat[0])})"
    return text


def _number(
    name: str,
    value: ArrayLike,
    *,
    minimum: float | None = None,
    strict: bool = False,
    maximum: float | None = None,
    max_strict: bool = False,
    allow_inf: bool = False,
    unit: str = "",
) -> np.ndarray:
    """``value`` as a float array, checked; raises ValueError naming ``name`` and the value."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}") from None
    suffix = f" {unit}" if unit else ""
    nan = np.isnan(arr)
    if nan.any():
        where = f" (element {int(np.flatnonzero(nan)[0])})" if arr.size > 1 else ""
        raise ValueError(f"{name} must be a number; got nan{where}")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} must be finite; got {_first_bad(arr, np.isinf(arr))}")
    low_bad = np.zeros(arr.shape, dtype=bool)
    high_bad = np.zeros(arr.shape, dtype=bool)
    if minimum is not None:
        low_bad = arr <= minimum if strict else arr < minimum
    if maximum is not None:
        high_bad = arr >= maximum if max_strict else arr > maximum
    bad = low_bad | high_bad
    if bad.any():
        if minimum is not None and maximum is not None:
            lo, hi = ("(" if strict else "["), (")" if max_strict else "]")
            want = f"in {lo}{minimum:g}, {maximum:g}{hi}"
        elif minimum is not None:
            want = f"{'>' if strict else '>='} {minimum:g}{suffix}"
        else:
            want = f"{'<' if max_strict else '<='} {maximum:g}{suffix}"
        raise ValueError(f"{name} must be {want}; got {_first_bad(arr, bad)}")
    return arr


def _agents(value: ArrayLike) -> np.ndarray:
    arr = _number("agents", value, minimum=0)
    bad = arr != np.floor(arr)
    if bad.any():
        raise ValueError(f"agents must be whole numbers; got {_first_bad(arr, bad)}")
    if (arr > _MAX_AGENTS).any():
        raise ValueError(
            f"agents must be <= {_MAX_AGENTS:,}; got {_first_bad(arr, arr > _MAX_AGENTS)}"
        )
    return arr


def _quiet(func):
    """Run ``func`` with numpy underflow warnings off: a probability below 1e-308 is 0."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with np.errstate(under="ignore"):
            return func(*args, **kwargs)

    return wrapper


def _out(arr: np.ndarray, scalar: bool) -> np.ndarray:
    return arr[()] if scalar else arr


def _all_scalar(*values: ArrayLike | None) -> bool:
    return all(
        np.ndim(v) == 0  # type: ignore[arg-type]  # numpy's stubs reject None; np.ndim(None) is 0
        for v in values
    )


# --------------------------------------------------------------------------------------------
# Special-function building blocks (log space)
# --------------------------------------------------------------------------------------------
def _stirlerr(x: np.ndarray) -> np.ndarray:
    """log Γ(x+1) - [(x+1/2) log x - x + log(2π)/2], the error of Stirling's formula (x > 0)."""
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    big = x >= 15.0
    xb = x[big]
    inv = 1.0 / xb
    inv2 = inv * inv
    # Asymptotic series; the next term, 691/(360360 x^11), is below 3e-16 for x >= 15.
    out[big] = inv * (
        1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188)))
    )
    xs = x[~big]
    out[~big] = special.gammaln(xs + 1.0) - (xs + 0.5) * np.log(xs) + xs - 0.5 * _LOG_2PI
    return out


def _bd0(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """x log(x/m) - x + m (x > 0, m > 0), the deviance term of Loader's form.

    Where x and m are within a factor 2, x - m is exact (Sterbenz) and log(x/m) is taken as
    log1p((x - m)/m), so the absolute error is about eps * x * |x/m - 1| instead of eps * x.
    """
    diff = x - m
    r = x / m
    near = (r > 0.5) & (r < 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_r = np.where(near, np.log1p(diff / m), np.log(r))
    return x * log_r - diff


def _log_pois_pmf(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """log(m^x e^-m / Γ(x+1)) for real x >= 0 and m > 0, by Loader's saddle-point form.

    ``-stirlerr(x) - log(2πx)/2 - [x log(x/m) - x + m]``: the large terms x log m and log Γ(x+1)
    never meet, so the absolute error stays near machine precision times log-sized numbers.
    """
    x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    out = np.empty(x.shape)
    zero = x == 0
    out[zero] = -m[zero]
    xp, mp = x[~zero], m[~zero]
    out[~zero] = -_stirlerr(xp) - 0.5 * (_LOG_2PI + np.log(xp)) - _bd0(xp, mp)
    return out


def _log_inv_b_cf(n: np.ndarray, a_traffic: np.ndarray) -> np.ndarray:
    """log(1/B) = log(cdf/pmf) of Poisson(A) at n, by the continued fraction for Γ(n+1, A).

    Numerical Recipes (6.2.7), modified Lentz: Γ(a, x) = e^-x x^a / (x+1-a- 1(1-a)/(x+3-a- ...)),
    so that P(Poisson(x) <= a-1) / P(Poisson(x) = a-1) = x * CF. Used where A > n + 1 and the
    distribution function underflows; it converges in a few dozen steps there.
    """
    a = n + 1.0
    x = a_traffic
    fpmin = 1e-300
    b = x + 1.0 - a
    c = np.full(x.shape, 1.0 / fpmin)
    d = 1.0 / b
    h = d.copy()
    active = np.arange(x.size)
    for i in range(1, _MAX_TERMS):
        ai = a[active]
        an = -i * (i - ai)
        b[active] += 2.0
        bi = b[active]
        di = an * d[active] + bi
        di = np.where(np.abs(di) < fpmin, fpmin, di)
        ci = bi + an / c[active]
        ci = np.where(np.abs(ci) < fpmin, fpmin, ci)
        di = 1.0 / di
        delta = di * ci
        h[active] *= delta
        d[active] = di
        c[active] = ci
        keep = np.abs(delta - 1.0) > 1e-16
        active = active[keep]
        if active.size == 0:
            break
    return np.log(x * h)


def _log_erlang_b(traffic: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """log B(A, n) for broadcast float arrays (A >= 0, whole n >= 0)."""
    a_t, n = np.broadcast_arrays(traffic, agents)
    out = np.empty(a_t.shape)
    n0 = n == 0
    out[n0] = 0.0
    a0 = (a_t == 0) & ~n0
    out[a0] = -np.inf
    rest = ~(n0 | a0)
    if rest.any():
        ar, nr = a_t[rest], n[rest]
        res = np.empty(ar.shape)
        # overload (A >= n + 2): the continued fraction converges fast and keeps full precision
        # where the distribution function is small or underflows; otherwise cdf >= ~0.3.
        over = ar >= nr + 2.0
        if over.any():
            res[over] = -_log_inv_b_cf(nr[over], ar[over])
        under = ~over
        if under.any():
            nu, au = nr[under], ar[under]
            res[under] = _log_pois_pmf(nu, au) - np.log(special.gammaincc(nu + 1.0, au))
        out[rest] = res
    return out


def _log_pr(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(log P(x, z), log R(x, z), underflow flag) for x > 0 and z > 0 (1-d arrays).

    P is the regularized lower incomplete gamma function and
    R(x, z) = sum_{j>=0} z^j / prod_{i=1..j} (x+i) = 1F1(1; x+1; z) = P(x, z) / pmf(x; z) with
    pmf(x; z) = z^x e^-z / Γ(x+1) (Mandelbaum & Zeltyn's A(x, z)). Where P > 1/2, log P is
    log1p(-Q) (full precision near 1); where P underflows (x well above z), R is summed
    directly (its terms fall at least geometrically there) and the flag is set.
    """
    p = special.gammainc(x, z)
    lp = np.empty(x.shape)
    lr = np.empty(x.shape)
    high = p > 0.5
    if high.any():
        lp[high] = np.log1p(-special.gammaincc(x[high], z[high]))
    mid = ~high & (p > _TINY)
    lp[mid] = np.log(p[mid])
    tiny = p <= _TINY
    ok = ~tiny
    lr[ok] = lp[ok] - _log_pois_pmf(x[ok], z[ok])
    if tiny.any():
        xt, zt = x[tiny], z[tiny]
        lr[tiny] = np.log(_r_series(xt, zt))
        lp[tiny] = _log_pois_pmf(xt, zt) + lr[tiny]
    return lp, lr, tiny


def _log_p_ratio(x: np.ndarray, z0: np.ndarray, u: np.ndarray, base) -> np.ndarray:
    """log [P(x, z0 e^-u) / P(x, z0)] (<= 0), ``base`` = `_log_pr` (x, z0).

    Where neither P underflows: the difference of the logs. Elsewhere the ratio of the Poisson
    masses is exact in closed form, -u x + z0 (1 - e^-u), and the R's are series sums, so no
    large logs cancel.
    """
    lp0, lr0, tiny0 = base
    lp1, lr1, tiny1 = _log_pr(x, z0 * np.exp(-u))
    out = lp1 - lp0
    odd = tiny0 | tiny1
    if odd.any():
        uo = u[odd]
        out[odd] = -uo * x[odd] + z0[odd] * (-np.expm1(-uo)) + lr1[odd] - lr0[odd]
    return np.minimum(out, 0.0)


def _series(x: np.ndarray, z: np.ndarray, *, harmonic: bool = False):
    """Sums of q_k = prod_{i=1..k} z / (x+i), k >= 0 (x > 0, z >= 0), in log scale.

    Returns (log S, T / S) with S = sum_k q_k (= R(x, z)) and, with ``harmonic``,
    T = sum_k q_k H_k where H_k = sum_{i=0..k} 1 / (x+i) (else T / S = 0). The terms rise while
    z > x + k and fall after; they are made in blocks (a cumulative sum of log ratios over up to
    8192 indices per element at once) and kept relative to the largest so far, so nothing
    overflows and even the ~sqrt(74 x) terms needed where z is close to x (x up to 1e9) cost a
    few numpy calls. Stops once the terms fall and the remaining tail, bounded by a geometric
    series with ratio r = z / (x + k + 1), is below 1e-17 of the sum.
    """
    size = x.size
    s = np.ones(size)
    t = 1.0 / x if harmonic else np.zeros(size)
    shift = np.zeros(size)  # s and t are stored divided by e^shift
    lq_last = np.zeros(size)  # log q_k of the last term made
    h_last = 1.0 / x
    done_k = np.zeros(size)
    active = np.arange(size)
    block = 4
    while active.size:
        xa, za = x[active], z[active]
        ks = done_k[active][:, None] + np.arange(1.0, block + 1.0)[None, :]
        den = xa[:, None] + ks
        with np.errstate(divide="ignore"):
            lq = lq_last[active][:, None] + np.cumsum(np.log(za[:, None] / den), axis=1)
        old = shift[active]
        new = np.maximum(old, lq.max(axis=1))
        factor = np.exp(old - new)
        q = np.exp(lq - new[:, None])
        s[active] = s[active] * factor + q.sum(axis=1)
        if harmonic:
            h = h_last[active][:, None] + np.cumsum(1.0 / den, axis=1)
            t[active] = t[active] * factor + (q * h).sum(axis=1)
            h_last[active] = h[:, -1]
        shift[active] = new
        lq_last[active] = lq[:, -1]
        done_k[active] += block
        ratio = za / (xa + done_k[active] + 1.0)
        falling = ratio < 1.0
        r = np.where(falling, ratio, 0.5)  # rising elements continue whatever r says
        geo = r / (1.0 - r)
        q_end = np.exp(lq_last[active] - new)
        keep = ~falling | (q_end * geo > _EPS * s[active])
        if harmonic:
            tail_t = q_end * (h_last[active] * geo + geo / ((1.0 - r) * (xa + 1.0)))
            keep |= tail_t > _EPS * t[active]
        active = active[keep]
        if (done_k[active] > _MAX_TERMS).any():
            raise ArithmeticError("Erlang A series did not converge")  # pragma: no cover
        block = int(min(8192, max(2 * block, 2**18 // max(active.size, 1))))
    return np.log(s) + shift, t / s


def _r_series(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    return np.exp(_series(x, z)[0])


def _served_wait_factor(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """h(a, y) = E[log(y/G) | G < y] for G ~ Gamma(a+1, 1); y > 0.

    The mean wait of calls that waited and were answered in M/M/n+M is h / θ (derivation in
    `erlang_a`). Two exact routes:
    - the tagged-customer state sum h = sum_k q_k H_k / sum_k q_k with
      q_k = y^k / prod_{i=1..k} (a+1+i) and H_k = sum_{i=0..k} 1/(a+1+i); its terms rise until
      k = y - a - 2 and then fall, so it needs about max(0, y - a) + 10 sqrt(y) terms: used when
      y <= a+1 or when that is at most a few hundred;
    - else h = [log y - ψ(a+1) + ∫_0^∞ Q(a+1, y e^w) dw] / P(a+1, y), the integral of a
      log-concave survival function by the exp-sinh (double-exponential) rule.
    """
    a, y = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(y, dtype=float))
    out = np.empty(a.shape)
    terms = np.maximum(y - a, 0.0) + 10.0 * np.sqrt(y + 1.0)
    low = (y <= a + 1.0) | (terms <= 600.0)
    if low.any():
        out[low] = _h_series(a[low], y[low])
    high = ~low
    if high.any():
        out[high] = _h_quadrature(a[high], y[high])
    return out


def _h_series(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return _series(a + 1.0, y, harmonic=True)[1]


def _exp_sinh_rule(step: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Exp-sinh nodes and weights on [0, inf): w = s exp(pi/2 sinh t), t = k step in [-3, 1.75].

    Below t = -3 (w < 1.5e-7 s) a log-concave integrand equals its value at 0 to double
    precision, so those nodes are summed once into one weight for g(0); above t = 1.75
    (w > 86 s) it is below e^-86 of its start.
    """
    t = np.arange(-3.0, 1.75 + 1e-12, step)
    u = np.exp(0.5 * np.pi * np.sinh(t))
    weights = step * 0.5 * np.pi * np.cosh(t) * u
    left = -3.0 - step * np.arange(1, 400)
    left_weight = float(
        np.sum(step * 0.5 * np.pi * np.cosh(left) * np.exp(0.5 * np.pi * np.sinh(left)))
    )
    return u, weights, left_weight


# (rule, largest bound on integral / rest for which its error stays below 1e-13): the relative
# errors measured against a 1/32 rule on 20,000 cases were 5e-5, 6e-8 and 2e-12 (x10 margin).
_DE_RULES = (
    (_exp_sinh_rule(1.0 / 4.0), 2e-10),
    (_exp_sinh_rule(1.0 / 8.0), 1.6e-7),
    (_exp_sinh_rule(1.0 / 16.0), np.inf),
)


def _h_quadrature(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    a1 = a + 1.0
    p = special.gammainc(a1, y)
    q = special.gammaincc(a1, y)
    base = np.log(y) - special.digamma(a1)  # > 0 as y > a + 1
    integral = np.zeros(a.shape)
    use = q > _TINY
    if use.any():
        au, yu, qu = a1[use], y[use], q[use]
        # scale: Q / |dQ/dw| at w = 0, an upper bound on the decay length (log-concavity), so
        # the integral is at most Q * scale: that bound picks the rule, or skips negligible ones
        log_dens = np.log(au) + _log_pois_pmf(au, yu)
        scale = np.exp(np.log(qu) - log_dens)
        bound = qu * scale / base[use]
        part = np.zeros(au.size)
        lower = 1e-17
        for (u, weights, left_weight), upper in _DE_RULES:
            pick = (bound > lower) & (bound <= upper)
            lower = upper
            if not pick.any():
                continue
            sp, ap, yp, qp = scale[pick], au[pick], yu[pick], qu[pick]
            with np.errstate(over="ignore"):
                vals = special.gammaincc(
                    ap[:, None], yp[:, None] * np.exp(sp[:, None] * u[None, :])
                )
            part[pick] = sp * (vals @ weights + qp * left_weight)
        integral[use] = part
    return (base + integral) / p


# --------------------------------------------------------------------------------------------
# Erlang B and C
# --------------------------------------------------------------------------------------------
@_quiet
def erlang_b(traffic: ArrayLike, agents: ArrayLike) -> np.ndarray:
    """Erlang B: the blocking probability of an M/M/n/n loss system.

    .. math:: B(A, n) = \\frac{A^n / n!}{\\sum_{k=0}^{n} A^k / k!}
              = \\frac{P(\\mathrm{Poisson}(A) = n)}{P(\\mathrm{Poisson}(A) \\le n)}

    Computed as that ratio in log space (no factorial): the mass by Loader's saddle-point form,
    the distribution function by ``scipy.special.gammaincc(n + 1, A)`` or, in overload
    (A >= n + 2, where it may underflow), by the continued fraction of Γ(n+1, A) (Numerical
    Recipes 6.2). ``B(A, 0) = 1`` and ``B(0, n) = 0`` for ``n >= 1``.

    Parameters
    ----------
    traffic : offered traffic A in Erlangs, >= 0.
    agents : whole numbers of servers n, >= 0.

    References: A. K. Erlang (1917); G. Koole, *Call Center Optimization* (2013).

    Examples
    --------
    >>> round(float(erlang_b(2.0, 3)), 6)   # 2^3/3! / (1 + 2 + 2 + 4/3)
    0.210526
    """
    scalar = _all_scalar(traffic, agents)
    a_t = _number("traffic", traffic, minimum=0, unit="Erlangs")
    n = _agents(agents)
    a_t, n = np.broadcast_arrays(a_t, n)
    return _out(np.exp(_log_erlang_b(a_t, n)), scalar)


def _log_erlang_c_parts(a_t: np.ndarray, n: np.ndarray):
    """(C, 1 - C) for n > A (arrays of equal shape), both without cancellation.

    C = n B / (n - A + A B) and 1 - C = (n - A)(1 - B) / (n - A + A B).
    """
    lb = _log_erlang_b(a_t, n)
    b = np.exp(lb)
    gap = n - a_t
    den = gap + a_t * b
    with np.errstate(divide="ignore"):
        c = np.exp(np.log(n) + lb - np.log(den))
    one_minus_c = gap * (-np.expm1(lb)) / den
    return c, one_minus_c


@_quiet
def erlang_c(traffic: ArrayLike, agents: ArrayLike) -> np.ndarray:
    """Erlang C: the probability that a call waits, P(W > 0), in an M/M/n queue.

    .. math:: C(A, n) = \\frac{n B(A, n)}{n - A + A\\,B(A, n)},\\qquad n > A

    and ``1.0`` where ``agents <= traffic`` (no steady state: every call waits), by definition.

    Parameters
    ----------
    traffic : offered traffic A in Erlangs, >= 0.
    agents : whole numbers of agents n, >= 0.

    References: A. K. Erlang (1917); G. Koole, *Call Center Optimization* (2013).

    Examples
    --------
    >>> round(float(erlang_c(2.0, 3)), 6)   # 3*0.210526 / (1 + 2*0.210526)
    0.444444
    >>> float(erlang_c(5.0, 5))
    1.0
    """
    scalar = _all_scalar(traffic, agents)
    a_t = _number("traffic", traffic, minimum=0, unit="Erlangs")
    n = _agents(agents)
    a_t, n = np.broadcast_arrays(a_t, n)
    out = np.ones(a_t.shape)
    ok = n > a_t
    if ok.any():
        out[ok] = _log_erlang_c_parts(a_t[ok], n[ok])[0]
    return _out(out, scalar)


def _check_calls_aht_interval(calls, aht, interval):
    c = _number("calls", calls, minimum=0, unit="calls per interval")
    h = _number("aht", aht, minimum=0, strict=True, unit="seconds")
    i = _number("interval", interval, minimum=0, strict=True, unit="seconds")
    return c, h, i


@_quiet
def service_level(
    calls: ArrayLike,
    aht: ArrayLike,
    agents: ArrayLike,
    threshold: ArrayLike,
    interval: ArrayLike = 900,
) -> np.ndarray:
    """Erlang C service level: the share of calls answered within ``threshold`` seconds.

    .. math:: SL = 1 - C(A, n)\\, e^{-(n - A)\\, t / \\mathrm{aht}},\\qquad
              A = \\mathrm{calls} \\cdot \\mathrm{aht} / \\mathrm{interval}

    (M/M/n, first come first served: the wait of a delayed call is exponential with rate
    ``(n - A) / aht``). ``0.0`` where ``agents <= traffic``, by definition. Evaluated as
    ``(1 - C) + C (1 - e^{-x})`` so that values near 0 or 1 keep their precision.

    References: G. Koole, *Call Center Optimization* (2013); A. K. Erlang (1917).

    Examples
    --------
    Call Centre Helper's worked example (100 calls in 30 minutes, 180 s, 14 agents):

    >>> round(float(service_level(100, 180, 14, 20, interval=1800)), 3)
    0.888
    """
    scalar = _all_scalar(calls, aht, agents, threshold, interval)
    c, h, i = _check_calls_aht_interval(calls, aht, interval)
    n = _agents(agents)
    t = _number("threshold", threshold, minimum=0, unit="seconds")
    c, h, i, n, t = np.broadcast_arrays(c, h, i, n, t)
    a_t = c * h / i
    out = np.zeros(a_t.shape)
    ok = n > a_t
    if ok.any():
        cc, one_minus = _log_erlang_c_parts(a_t[ok], n[ok])
        x = (n[ok] - a_t[ok]) * t[ok] / h[ok]
        out[ok] = one_minus + cc * (-np.expm1(-x))
    return _out(np.clip(out, 0.0, 1.0), scalar)


@_quiet
def asa(
    calls: ArrayLike, aht: ArrayLike, agents: ArrayLike, interval: ArrayLike = 900
) -> np.ndarray:
    """Erlang C average speed of answer: the mean wait of (all, hence all answered) calls.

    .. math:: ASA = \\frac{C(A, n)\\, \\mathrm{aht}}{n - A}

    in seconds; ``inf`` where ``agents <= traffic``, by definition.

    References: G. Koole, *Call Center Optimization* (2013).

    Examples
    --------
    >>> round(float(asa(100, 180, 14, interval=1800)), 2)
    7.84
    """
    scalar = _all_scalar(calls, aht, agents, interval)
    c, h, i = _check_calls_aht_interval(calls, aht, interval)
    n = _agents(agents)
    c, h, i, n = np.broadcast_arrays(c, h, i, n)
    a_t = c * h / i
    out = np.full(a_t.shape, np.inf)
    ok = n > a_t
    if ok.any():
        cc, _ = _log_erlang_c_parts(a_t[ok], n[ok])
        out[ok] = cc * h[ok] / (n[ok] - a_t[ok])
    return _out(out, scalar)


# --------------------------------------------------------------------------------------------
# Erlang A
# --------------------------------------------------------------------------------------------
def _erlang_a_core(
    lam: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    n: np.ndarray,
    threshold: np.ndarray | None,
    short_abandon: np.ndarray | None,
    *,
    want_asa: bool,
) -> dict[str, np.ndarray]:
    """Erlang A metrics for 1-d arrays with lam > 0, finite patience > 0 and n >= 1."""
    a_t = lam * aht
    a = n * patience / aht  # n mu / theta
    y = lam * patience  # lambda / theta
    theta = 1.0 / patience
    lb = _log_erlang_b(a_t, n)
    l1mb = np.log(-np.expm1(lb))
    base0 = _log_pr(a, y)
    base1 = _log_pr(a + 1.0, y)
    lp0, lr0, tiny0 = base0
    lp1, lr1, tiny1 = base1
    lnum = lr0 + lb
    lden = np.logaddexp(l1mb, lnum)
    l_pwait = lnum - lden
    # P(answered, waited) / P(W > 0) = (a/(a+1)) R(a+1, y) / R(a, y) = (a/y) P(a+1, y) / P(a, y)
    l_share = np.log(a / y) + lp1 - lp0
    odd = tiny0 | tiny1
    l_share[odd] = -np.log1p(1.0 / a[odd]) + lr1[odd] - lr0[odd]
    p_wait = np.exp(l_pwait)
    p0 = np.exp(l1mb - lden)
    p_answ = np.exp(l_pwait + l_share)
    answered = p0 + p_answ
    res: dict[str, np.ndarray] = {
        "p_wait": p_wait,
        "p_abandon": np.clip(p_wait * (-np.expm1(np.minimum(l_share, 0.0))), 0.0, 1.0),
        "occupancy": np.minimum(a_t * answered / n, 1.0),
        "_answered": answered,
    }
    if threshold is not None:
        ts = theta * threshold
        # P(answered, V > t) / P(answered, V > 0) = P(a+1, y e^-θt) / P(a+1, y)
        lrat = _log_p_ratio(a + 1.0, y, ts, base1)
        res["service_level"] = np.clip(p0 + p_answ * (-np.expm1(np.minimum(lrat, 0.0))), 0, 1)
    if short_abandon is not None:
        ss = theta * short_abandon
        lrat_a = _log_p_ratio(a, y, ss, base0)  # log P(V > s) / P(V > 0)
        lrat_a1 = _log_p_ratio(a + 1.0, y, ss, base1)  # the same among answered calls
        waited_short = p_wait * (-np.expm1(lrat_a))  # P(0 < V <= s)
        answered_short = p_answ * (-np.expm1(lrat_a1))  # P(answered, 0 < V <= s)
        waited_long = p_wait * np.exp(lrat_a)  # P(V > s)
        p_short = np.maximum(waited_short - answered_short, 0.0) + (-np.expm1(-ss)) * waited_long
        p_short = np.clip(p_short, 0.0, 1.0)
        res["p_abandon_short"] = p_short
        res["answer_rate"] = np.clip(answered / (1.0 - p_short), 0.0, 1.0)
    if want_asa:
        h = _served_wait_factor(a, y)
        res["asa"] = p_answ * h * patience / answered
    return res


def _erlang_a_wanted(metrics: Iterable[str] | None) -> tuple[str, ...]:
    """The metrics asked for, in the order given and without repeats (all of them for None).

    Raises ValueError naming the first name that is not in `ERLANG_A_METRICS`.
    """
    wanted = ERLANG_A_METRICS if metrics is None else tuple(dict.fromkeys(metrics))
    unknown = [k for k in wanted if k not in ERLANG_A_METRICS]
    if unknown:
        raise ValueError(
            f"metrics: unknown metric {unknown[0]!r}; "
            f"expected some of {', '.join(ERLANG_A_METRICS)}"
        )
    return wanted


def _erlang_a_no_calls(
    res: dict[str, np.ndarray], m: np.ndarray, a_t: np.ndarray, n: np.ndarray
) -> None:
    """Fill ``res`` at ``m``, the elements without calls: nobody waits or hangs up.

    P(W > 0) = p_abandon = p_abandon_short = ASA = 0, service level = answer rate = 1 and
    occupancy A/n (0 where n = 0); the module's convention (DESIGN.md).
    """
    res["occupancy"][m] = np.where(n[m] > 0, a_t[m], 0.0) / np.maximum(n[m], 1.0)
    for key, val in (
        ("p_wait", 0.0),
        ("p_abandon", 0.0),
        ("p_abandon_short", 0.0),
        ("service_level", 1.0),
        ("answer_rate", 1.0),
        ("asa", 0.0),
    ):
        res[key][m] = val


def _erlang_a_no_agents(
    res: dict[str, np.ndarray], m: np.ndarray, patience: np.ndarray, short_abandon: np.ndarray
) -> None:
    """Fill ``res`` at ``m``, the elements with calls but no agents: every caller waits.

    P(W > 0) = 1; p_abandon = 1 with finite patience (0 with infinite patience); with
    exponential patience τ, p_abandon_short = P(τ <= s) = 1 - e^{-s/patience}; service level
    = answer rate = 0, ASA = inf and occupancy 1 (the module's convention, DESIGN.md).
    """
    finite = np.isfinite(patience[m])
    res["p_wait"][m] = 1.0
    res["p_abandon"][m] = np.where(finite, 1.0, 0.0)
    with np.errstate(divide="ignore"):
        res["p_abandon_short"][m] = -np.expm1(-short_abandon[m] / patience[m])
    res["service_level"][m] = 0.0
    res["answer_rate"][m] = 0.0
    res["asa"][m] = np.inf
    res["occupancy"][m] = 1.0


def _erlang_a_patient(
    res: dict[str, np.ndarray],
    m: np.ndarray,
    a_t: np.ndarray,
    n: np.ndarray,
    aht: np.ndarray,
    threshold: np.ndarray,
) -> None:
    """Fill ``res`` at ``m``, the elements with infinite patience: Erlang C, no abandonment.

    Where n > A: P(W > 0) = C(A, n), service level = (1 - C) + C (1 - e^{-(n - A) t / aht}),
    ASA = C aht / (n - A) and answer rate 1; where n <= A (no steady state): P(W > 0) = 1,
    service level 0, ASA inf and answer rate 0. Occupancy min(A/n, 1). G. Koole, *Call Center
    Optimization* (2013).
    """
    ap, np_, hp, tp = a_t[m], n[m], aht[m], threshold[m]
    stable = np_ > ap
    pw = np.ones(ap.shape)
    sl = np.zeros(ap.shape)
    wait = np.full(ap.shape, np.inf)
    if stable.any():
        cc, one_minus = _log_erlang_c_parts(ap[stable], np_[stable])
        gap = np_[stable] - ap[stable]
        pw[stable] = cc
        sl[stable] = one_minus + cc * (-np.expm1(-gap * tp[stable] / hp[stable]))
        wait[stable] = cc * hp[stable] / gap
    res["p_wait"][m] = pw
    res["p_abandon"][m] = 0.0
    res["p_abandon_short"][m] = 0.0
    res["service_level"][m] = sl
    res["answer_rate"][m] = stable.astype(float)
    res["asa"][m] = wait
    res["occupancy"][m] = np.minimum(ap / np_, 1.0)


def _erlang_a_general(
    res: dict[str, np.ndarray],
    m: np.ndarray,
    wanted: tuple[str, ...],
    lam: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    n: np.ndarray,
    threshold: np.ndarray,
    short_abandon: np.ndarray,
) -> None:
    """Fill ``res`` at ``m`` (calls, agents and finite patience) for the ``wanted`` metrics.

    The closed forms of Mandelbaum & Zeltyn (2007), in `_erlang_a_core`; the service level,
    the short abandonment (also needed by the answer rate) and the ASA are computed only when
    asked for.
    """
    need_short = "p_abandon_short" in wanted or "answer_rate" in wanted
    core = _erlang_a_core(
        lam[m],
        aht[m],
        patience[m],
        n[m],
        threshold[m] if "service_level" in wanted else None,
        short_abandon[m] if need_short else None,
        want_asa="asa" in wanted,
    )
    for key in wanted:
        res[key][m] = core[key]


@_quiet
def erlang_a(
    calls: ArrayLike,
    aht: ArrayLike,
    patience: ArrayLike,
    agents: ArrayLike,
    *,
    threshold: ArrayLike = 20,
    short_abandon: ArrayLike = 40,
    interval: ArrayLike = 900,
    metrics: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """Erlang A (Palm's M/M/n+M queue): Poisson calls, exponential handle times and exponential
    patience with mean ``patience`` seconds; callers hang up when their wait exceeds it.

    Returns a dict of arrays (broadcast shape; numpy scalars for scalar input):

    - ``p_wait``: P(W > 0), the share of calls that find every agent busy;
    - ``p_abandon``: the share of calls that hang up before an answer;
    - ``p_abandon_short``: the share that hang up within ``short_abandon`` seconds;
    - ``service_level``: answered within ``threshold`` seconds / offered;
    - ``answer_rate``: answered / (offered - abandoned within ``short_abandon`` s), the SLA's
      svarprocent (DOMAIN.md);
    - ``asa``: mean wait of the answered calls, seconds (0 for those answered at once);
    - ``occupancy``: carried traffic / agents = A P(answered) / n.

    ``metrics`` (optional) names the keys wanted; the others are not computed (``asa`` is the
    costly one: a series of up to a few hundred terms or a 77-node quadrature per element).

    Formulas (λ = calls/interval, μ = 1/aht, θ = 1/patience, A = λ/μ, a = nμ/θ, y = λ/θ;
    B = Erlang B(A, n); R(x, y) = Σ_j y^j / Π_{i=1..j}(x+i) = e^y y^-x Γ(x+1) P(x, y) with P the
    regularized lower incomplete gamma function; Mandelbaum & Zeltyn 2007;
    Garnett, Mandelbaum & Reiman 2002):

    - P(W > 0) = R(a, y) B / (1 - B + R(a, y) B); the offered wait V (time to reach an agent)
      has an atom 1 - P(W > 0) at 0 and density n μ π_n exp(-n μ v + y (1 - e^{-θv})), so
      P(V > v) = P(W > 0) P(a, y e^{-θv}) / P(a, y);
    - answered after waiting: P(V > 0, V < τ) = P(W > 0) (a / (a+1)) R(a+1, y) / R(a, y), and
      P(V > t, V < τ) / P(V > 0, V < τ) = P(a+1, y e^{-θt}) / P(a+1, y);
    - p_abandon = P(W > 0) - P(V > 0, V < τ), i.e. P(W>0) [1 - 1/ρ + 1/(ρ R(a, y))], ρ = A/n;
    - p_abandon_short = P(τ <= s, τ < V) = E[1 - e^{-θV}; 0 < V <= s] + (1 - e^{-θs}) P(V > s);
    - mean wait of answered calls = P(V > 0, V < τ) h(a, y) / (θ P(answered)), where
      h(a, y) = E[log(y / G) | G < y] for G ~ Gamma(a+1): the answered delayed calls' wait is
      distributed as log(y / G) / θ (substitute u = y e^{-θv} in the density above);
      h = sum_k q_k H_k / sum_k q_k with q_k = y^k / prod_{i=1..k} (a+1+i) and
      H_k = sum_{i=0..k} 1/(a+1+i) (the tagged caller's state sum), or, where that sum is long,
      [log y - ψ(a+1) + ∫_0^∞ Q(a+1, y e^w) dw] / P(a+1, y).

    Every ratio of incomplete gamma functions is taken as a difference of logs (or, where they
    underflow, through R's series and the closed-form ratio of Poisson masses), so nothing
    overflows or underflows at large load (pyworkforce's Erlang A silently falls back to P(no
    wait) once rate x threshold passes ~745; ECOSYSTEM.md). As ``patience -> inf`` the
    metrics converge to Erlang C's (the gap shrinks like 1/patience); ``patience = inf`` gives
    Erlang C exactly (no abandonment; answer rate 1 where agents > traffic, else 0 with
    P(W > 0) = 1, service level 0 and ASA inf).

    References:
    A. Mandelbaum & S. Zeltyn, "Service engineering in action: the Palm/Erlang-A queue, with
    applications to call centers" (2007); O. Garnett, A. Mandelbaum & M. Reiman, "Designing a
    call center with impatient customers", MSOM 4(3), 2002.

    Examples
    --------
    >>> m = erlang_a(100, 180, 1e12, 14, threshold=20, interval=1800)
    >>> round(float(m["service_level"]), 4)   # Erlang C's 0.8884 as patience -> inf
    0.8884
    >>> m = erlang_a(100, 180, 120, 14, threshold=20, interval=1800)
    >>> round(float(m["answer_rate"]), 4), round(float(m["p_abandon"]), 4)
    (0.997, 0.0228)
    """
    scalar = _all_scalar(calls, aht, patience, agents, threshold, short_abandon, interval)
    wanted = _erlang_a_wanted(metrics)
    c, h, i = _check_calls_aht_interval(calls, aht, interval)
    p = _number("patience", patience, minimum=0, strict=True, allow_inf=True, unit="seconds")
    n = _agents(agents)
    t = _number("threshold", threshold, minimum=0, unit="seconds")
    s = _number("short_abandon", short_abandon, minimum=0, unit="seconds")
    c, h, i, p, n, t, s = np.broadcast_arrays(c, h, i, p, n, t, s)
    shape = c.shape
    c, h, i, p, n, t, s = (v.reshape(-1) for v in (c, h, i, p, n, t, s))
    lam = c / i
    a_t = lam * h
    res = {k: np.empty(c.size) for k in ERLANG_A_METRICS}

    # below 1e-250 Erlangs every metric equals its no-calls limit to double precision
    no_calls = a_t < _NEGLIGIBLE_TRAFFIC
    no_agents = (n == 0) & ~no_calls
    patient = np.isinf(p) & ~no_calls & ~no_agents
    general = ~(no_calls | no_agents | patient)

    _erlang_a_no_calls(res, no_calls, a_t, n)  # nobody waits
    if no_agents.any():  # everybody waits and (with finite patience) hangs up
        _erlang_a_no_agents(res, no_agents, p, s)
    if patient.any():  # infinite patience: Erlang C
        _erlang_a_patient(res, patient, a_t, n, h, t)
    if general.any():
        _erlang_a_general(res, general, wanted, lam, h, p, n, t, s)
    return {k: _out(res[k].reshape(shape), scalar) for k in wanted}


# --------------------------------------------------------------------------------------------
# Staffing: the smallest number of agents that meets every target
# --------------------------------------------------------------------------------------------
def _target(name: str, value: ArrayLike | None, **limits) -> np.ndarray | None:
    return None if value is None else _number(name, value, **limits)


def _masked(v: np.ndarray | None, m: np.ndarray) -> np.ndarray | None:
    """``v[m]``, or None for a target that is not set."""
    return None if v is None else v[m]


def _required_agents_inputs(
    calls: ArrayLike,
    aht: ArrayLike,
    interval: ArrayLike,
    threshold: ArrayLike,
    short_abandon: ArrayLike,
    patience: ArrayLike | None,
    service_level: ArrayLike | None,
    asa: ArrayLike | None,
    answer_rate: ArrayLike | None,
    max_occupancy: ArrayLike | None,
) -> tuple[tuple[int, ...], list[np.ndarray | None]]:
    """`required_agents`' arguments checked, broadcast and flattened to float arrays.

    Returns the broadcast shape and ``[calls, aht, interval, threshold, short_abandon,
    patience, service_level, asa, answer_rate, max_occupancy]`` (None for a target not set;
    patience None is infinite patience, Erlang C). Raises ValueError naming a bad argument.
    """
    c, h, i = _check_calls_aht_interval(calls, aht, interval)
    t = _number("threshold", threshold, minimum=0, unit="seconds")
    s = _number("short_abandon", short_abandon, minimum=0, unit="seconds")
    sl = _target("service_level", service_level, minimum=0, strict=True, maximum=1, max_strict=True)
    wait = _target("asa", asa, minimum=0, strict=True, unit="seconds")
    ar = _target("answer_rate", answer_rate, minimum=0, strict=True, maximum=1, max_strict=True)
    occ = _target("max_occupancy", max_occupancy, minimum=0, strict=True, maximum=1)
    if patience is None:
        if ar is not None:
            raise ValueError(
                "answer_rate needs patience (mean seconds before a caller hangs up): without "
                "abandonment (Erlang C) every call is answered; see staffing.patience"
            )
        p = np.asarray(np.inf)
    else:
        p = _number("patience", patience, minimum=0, strict=True, allow_inf=True, unit="seconds")
    arrays = [c, h, i, t, s, p] + [v for v in (sl, wait, ar, occ) if v is not None]
    shape = np.broadcast_shapes(*(v.shape for v in arrays))

    def flat(v):
        return None if v is None else np.broadcast_to(v, shape).reshape(-1).astype(float)

    return shape, [flat(v) for v in (c, h, i, t, s, p, sl, wait, ar, occ)]


def _erlang_a_guess(
    a_t: np.ndarray,
    aht: np.ndarray,
    threshold: np.ndarray,
    short_abandon: np.ndarray,
    patience: np.ndarray,
    sl: np.ndarray | None,
    wait: np.ndarray | None,
    ar: np.ndarray | None,
    occ: np.ndarray | None,
) -> np.ndarray:
    """First guess of the Erlang A staffing per element: the largest of the targets' guesses.

    Exactness comes from the search; a good guess saves evaluations. The Erlang C answer
    (`_walk_erlang_c`) for the service level and occupancy; for the answer rate the fluid
    model of an overloaded Erlang A queue (callers reach an agent after w = patience ln(A/n),
    so n/A are answered and a share e^(-s/patience) of callers outlast the short-abandon time
    s: answer rate = (n/A) e^(s/patience), so n = ar A e^(-s/patience)), plus 0.3 sqrt(A) for
    the randomness the fluid model leaves out; for the mean wait alone, Erlang C's answer.
    """
    parts = []
    if sl is not None or occ is not None:
        parts.append(
            _walk_erlang_c(a_t, aht, threshold, sl, None, occ, need_stable=sl is not None).astype(
                float
            )
        )
    if ar is not None:
        fluid = ar * a_t * np.exp(-short_abandon / patience) + 0.3 * np.sqrt(a_t)
        parts.append(np.maximum(np.round(fluid), 1.0))
    if not parts:
        parts.append(
            _walk_erlang_c(a_t, aht, threshold, None, wait, None, need_stable=True).astype(float)
        )
    return np.maximum.reduce(parts)


def _walk_erlang_c(
    a_t: np.ndarray,
    aht: np.ndarray,
    threshold: np.ndarray,
    sl: np.ndarray | None,
    wait: np.ndarray | None,
    occ: np.ndarray | None,
    *,
    need_stable: bool,
) -> np.ndarray:
    """Smallest n per element under Erlang C, walking up from a sure lower bound.

    Start: n0 = floor(A) + 1 when any waiting target is set (n <= A fails those by
    definition) and n0 >= floor(A / max_occupancy) - 1 (occupancy A/n falls in n). Erlang B is
    computed exactly once at n0; each further agent uses the forward recursion
    B(n+1) = A B / (n + 1 + A B), which is numerically stable (it damps relative errors), so the
    walk costs a few multiplications per agent and stays exact to the last agent.
    """
    start = np.ones(a_t.shape)
    if need_stable:
        start = np.maximum(start, np.floor(a_t) + 1.0)
    if occ is not None:
        start = np.maximum(start, np.floor(a_t / occ) - 1.0)
    n = start.copy()
    b = np.exp(_log_erlang_b(a_t, n))
    out = np.zeros(a_t.shape, dtype=np.int64)
    # Local, compacted copies; finished elements are dropped only when they are a quarter of the
    # active set, so most steps are plain arithmetic without gathers.
    idx = np.arange(a_t.size)
    a, nn, bb = a_t.copy(), n, b
    coef = threshold / aht if sl is not None else None
    ah = aht.copy()
    tsl = None if sl is None else sl.copy()
    tw = None if wait is None else wait.copy()
    toc = None if occ is None else occ.copy()
    done = np.zeros(a.size, dtype=bool)
    while idx.size:
        ok = np.ones(idx.size, dtype=bool)
        if need_stable:
            gap = nn - a
            ab = a * bb
            den = gap + ab
            if tsl is not None:
                # SL >= target  <=>  gap (1 - B) - n B expm1(-gap t / aht) >= target * den
                ok &= gap * (1.0 - bb) - nn * bb * np.expm1(-gap * coef) >= tsl * den
            if tw is not None:
                # ASA = C aht / gap = n B aht / (den gap)
                ok &= nn * bb * ah <= tw * den * gap
        if toc is not None:
            ok &= a <= toc * nn
        newly = ok & ~done
        out[idx[newly]] = nn[newly].astype(np.int64)
        done |= ok
        left = ~done
        if not left.any():
            break
        if left.sum() * 4 < left.size * 3:
            idx, a, nn, bb, ah, done = idx[left], a[left], nn[left], bb[left], ah[left], done[left]
            coef = None if coef is None else coef[left]
            tsl = None if tsl is None else tsl[left]
            tw = None if tw is None else tw[left]
            toc = None if toc is None else toc[left]
        ab = a * bb
        bb = ab / (nn + 1.0 + ab)
        nn = nn + 1.0
        if nn.max() > _MAX_AGENTS:
            raise ValueError(f"the targets need more than {_MAX_AGENTS:,} agents")
    return out


def _erlang_a_passes(
    lam, aht, patience, n, threshold, short_abandon, sl, wait, ar, occ
) -> np.ndarray:
    core = _erlang_a_core(
        lam,
        aht,
        patience,
        n,
        threshold if sl is not None else None,
        short_abandon if ar is not None else None,
        want_asa=wait is not None,
    )
    ok = np.ones(lam.shape, dtype=bool)
    if sl is not None:
        ok &= core["service_level"] >= sl
    if wait is not None:
        ok &= core["asa"] <= wait
    if ar is not None:
        ok &= core["answer_rate"] >= ar
    if occ is not None:
        ok &= core["occupancy"] <= occ
    return ok


def _gallop_bisect(passes, lo: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """Smallest n > lo per element with ``passes(idx, n)`` true, for a predicate monotone in n.

    ``lo`` is known to fail. The first evaluation is at ``guess``; from there elements gallop
    (steps 1, 2, 4, ...) up while failing or down while passing until a fail/pass pair brackets
    the answer, then bisect. Each round evaluates every unfinished element in one call.
    """
    lo = lo.astype(float)
    hi = np.full(lo.size, np.nan)
    step = np.ones(lo.size)
    cand = np.maximum(guess.astype(float), lo + 1.0)
    ok = passes(np.arange(lo.size), cand)
    hi[ok] = cand[ok]
    lo[~ok] = cand[~ok]
    down = ok.copy()  # passed at the guess: gallop down; failed: gallop up
    while True:
        idx = np.flatnonzero(np.isnan(hi) | (hi - lo > 1.0))
        if not idx.size:
            return hi.astype(np.int64)
        low, high, st = lo[idx], hi[idx], step[idx]
        up = np.isnan(high)
        dn = ~up & down[idx]
        cand = np.where(up, low + st, high - st)
        bis = ~up & (~dn | (cand <= low))
        cand = np.where(bis, np.floor((low + np.where(up, low, high)) / 2.0), cand)
        if (cand > _MAX_AGENTS).any():
            raise ValueError(f"the targets need more than {_MAX_AGENTS:,} agents")
        ok = passes(idx, cand)
        hi[idx[ok]] = cand[ok]
        lo[idx[~ok]] = cand[~ok]
        galloping_down = dn & ~bis
        step[idx[(up & ~ok) | (galloping_down & ok)]] *= 2.0
        down[idx[bis | (galloping_down & ~ok)]] = False


def _search_erlang_a(lam, aht, patience, threshold, short_abandon, sl, wait, ar, occ, guess):
    """Smallest n >= 1 per element under Erlang A.

    Every metric is monotone in n (checked in the tests). The cheap targets (service level,
    answer rate, occupancy: a few incomplete gamma functions each) are searched first, from the
    Erlang C answer as a guess; their answer is a lower bound for the mean-wait target, whose
    evaluation is the costly one, so that is checked there first and searched upward only where
    it is missed.
    """

    def sub(v, idx):
        return None if v is None else v[idx]

    def checker(*, use_sl=False, use_wait=False, use_ar=False, use_occ=False):
        def passes(idx, n):
            return _erlang_a_passes(
                lam[idx],
                aht[idx],
                patience[idx],
                n,
                threshold[idx],
                short_abandon[idx],
                sub(sl, idx) if use_sl else None,
                sub(wait, idx) if use_wait else None,
                sub(ar, idx) if use_ar else None,
                sub(occ, idx) if use_occ else None,
            )

        return passes

    zeros = np.zeros(lam.size)  # n = 0 answers nobody: fails every target while calls > 0
    if sl is None and ar is None and occ is None:
        return _gallop_bisect(checker(use_wait=True), zeros, guess)
    n1 = _gallop_bisect(checker(use_sl=True, use_ar=True, use_occ=True), zeros, guess)
    if wait is None:
        return n1
    # n1 - 1 misses a cheap target, and n >= n1 meets all of them: only the mean wait is left
    return _gallop_bisect(checker(use_wait=True), n1 - 1.0, n1.astype(float))


@_quiet
def required_agents(
    calls: ArrayLike,
    aht: ArrayLike,
    *,
    interval: ArrayLike = 900,
    service_level: ArrayLike | None = None,
    threshold: ArrayLike = 20,
    asa: ArrayLike | None = None,
    answer_rate: ArrayLike | None = None,
    patience: ArrayLike | None = None,
    short_abandon: ArrayLike = 40,
    max_occupancy: ArrayLike | None = None,
) -> np.ndarray:
    """The smallest number of agents on the phone that meets every target given.

    Targets (any combination, at least one; each a scalar or an array that broadcasts):

    - ``service_level``: share answered within ``threshold`` seconds >= target, in (0, 1);
    - ``asa``: mean wait of answered calls <= target seconds, > 0;
    - ``answer_rate``: answered / (offered - abandoned within ``short_abandon`` s) >= target,
      in (0, 1) (needs ``patience``: without abandonment every call is answered);
    - ``max_occupancy``: carried traffic per agent <= target, in (0, 1].

    The model is Erlang C (M/M/n, `service_level` and `asa` above) when ``patience`` is None or
    infinite, and Erlang A (M/M/n+M, `erlang_a`) with mean patience ``patience`` seconds
    otherwise. Every metric is monotone in the number of agents, so the answer n satisfies
    every target while n - 1 misses at least one. Intervals with calls need at least 1 agent;
    intervals with ``calls == 0`` need 0 (a minimum presence, such as the phone policy's one
    agent per open queue, is the caller's rule; `staffing.requirements` applies it).

    Search, vectorized over all intervals and exact (every candidate is fully evaluated, the
    guesses only decide where to look): Erlang C walks up from floor(A) + 1 (or the occupancy
    bound) with Erlang B's stable forward recursion B(n+1) = A B / (n + 1 + A B) after one
    exact evaluation. Erlang A gallops (steps 1, 2, 4, ...) from a guess (Erlang C's answer for
    the service level and occupancy, the fluid model for the answer rate), then bisects; the
    costly mean-wait target is searched last, upward from the other targets' answer.

    Returns an int64 array of the broadcast shape (a numpy integer for scalar input).

    References: G. Koole, *Call Center Optimization* (2013) (Erlang C staffing);
    Mandelbaum & Zeltyn (2007) (Erlang A).

    Examples
    --------
    >>> int(required_agents(100, 180, interval=1800, service_level=0.8, threshold=20))
    14
    """
    targets = (service_level, asa, answer_rate, max_occupancy)
    scalar = _all_scalar(
        calls,
        aht,
        interval,
        threshold,
        short_abandon,
        patience,
        *[t for t in targets if t is not None],
    )
    if all(t is None for t in targets):
        raise ValueError(
            "required_agents needs at least one target: service_level, asa, answer_rate "
            "or max_occupancy"
        )
    shape, flat = _required_agents_inputs(
        calls, aht, interval, threshold, short_abandon, patience, *targets
    )
    c, h, i, t, s, p, sl, wait, ar, occ = flat
    # only the targets can be None (patience None comes back as an infinite array)
    assert c is not None and h is not None and i is not None
    assert t is not None and s is not None and p is not None
    out = np.zeros(c.size, dtype=np.int64)
    traffic = c * h / i
    # below 1e-250 Erlangs one agent meets every target (to double precision): answer at once
    busy = traffic >= _NEGLIGIBLE_TRAFFIC
    out[(c > 0) & ~busy] = 1
    need_stable = sl is not None or wait is not None or ar is not None
    erl_c = busy & np.isinf(p)
    erl_a = busy & ~np.isinf(p)
    if erl_c.any():
        m = erl_c
        out[m] = _walk_erlang_c(
            traffic[m],
            h[m],
            t[m],
            _masked(sl, m),
            _masked(wait, m),
            _masked(occ, m),
            need_stable=need_stable,
        )
    if erl_a.any():
        m = erl_a
        sl_m, wait_m, ar_m, occ_m = (_masked(v, m) for v in (sl, wait, ar, occ))
        guess = _erlang_a_guess(traffic[m], h[m], t[m], s[m], p[m], sl_m, wait_m, ar_m, occ_m)
        out[m] = _search_erlang_a(
            c[m] / i[m], h[m], p[m], t[m], s[m], sl_m, wait_m, ar_m, occ_m, guess.astype(float)
        )
    return _out(out.reshape(shape), scalar)
