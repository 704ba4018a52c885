"""Agents needed per queue and interval, from a forecast and service targets.

Input: a forecast in the contract of DESIGN.md (``interval_start, queue, offered, offered_lo,
offered_hi, aht_seconds``; the ``_lo``/``_hi`` columns are optional here). Output: the
requirements contract (``interval_start, queue, agents``) with the predicted metrics at that
staffing and the gross figure for shrinkage.

Rules:
- ``agents`` is the smallest number of agents on the phone that meets every target given
  (`staffing.erlang.required_agents`: Erlang C without patience, Erlang A with it).
- The phone policy (DOMAIN.md, 001 point 1): someone takes the phone within phone hours. Every
  forecast row is an interval inside its queue's window, so every row gets at least one agent,
  also when its forecast is 0 calls; intervals that are not in the forecast get no row.
- ``agents_gross = ceil(agents / (1 - shrinkage))``: the people to schedule so that ``agents``
  are on the phone after shrinkage.

``DEFAULT_SHRINKAGE = 0.30``. Shrinkage is the share of paid time not on the phone. For a Danish
municipal centre: holiday (5 weeks + 5 extra days, about 11 %), sickness (4-5 % in municipal
administration), training, meetings, one-to-ones and team time (5-7 %), breaks and lunch
(about 30 min of a 7.4-hour day, 7 %): about 28-30 % in all, which is also the usual industry
planning figure. The roster (`staffing.roster.solve`) places breaks, lunch and meetings explicitly,
so ``agents`` (net) is what it covers; ``agents_gross`` is for headcount planning.

Pooling (`pooled_requirements`): queues served by the same cross-trained agents form a pool
whose calls share one first-come-first-served queue. The pool is staffed as one Erlang queue
with the summed calls, the offered-weighted mean handle time (this keeps the offered load, the
sum of the queues' Erlangs, exact; the mixture of handle times is approximated by one
exponential) and the offered-weighted mean patience, against the strictest of its queues'
targets. The pooled figure is what a fully flexible team needs; the sum of the separate queues'
figures is what dedicated teams need; the difference is the pooling gain (the centre saved 3 of
33 FTE by pooling in 2013, DOMAIN.md). Wallace & Whitt (2005) show that a little
cross-training already gives most of that gain. The pooled figure is a lower bound for a
partly cross-trained team; the roster's coverage constraints decide the real mix.

References: G. Koole, *Call Center Optimization* (2013) (staffing, shrinkage, pooling);
R. B. Wallace & W. Whitt, "A staffing algorithm for call centers with skill-based routing",
MSOM 7(4), 2005, 276-294.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from staffing import erlang
from staffing.kpi import SlaGoals

__all__ = [
    "DEFAULT_SHRINKAGE",
    "DEFAULT_THRESHOLD",
    "DEFAULT_SHORT_ABANDON",
    "REQUIREMENT_COLUMNS",
    "POOL_COLUMNS",
    "infer_interval_seconds",
    "staffing_requirements",
    "pooled_requirements",
]

DEFAULT_SHRINKAGE = 0.30
DEFAULT_THRESHOLD = 20.0
DEFAULT_SHORT_ABANDON = SlaGoals().short_abandon

REQUIREMENT_COLUMNS = [
    "interval_start",
    "queue",
    "agents",
    "agents_gross",
    "agents_lo",
    "agents_hi",
    "offered",
    "aht_seconds",
    "traffic_erlangs",
    "service_level",
    "asa_seconds",
    "answer_rate",
    "p_abandon",
    "p_wait",
    "occupancy",
]

POOL_COLUMNS = [
    "interval_start",
    "pool",
    "queues",
    "agents",
    "agents_separate",
    "pooling_gain",
    "agents_gross",
    "offered",
    "aht_seconds",
    "traffic_erlangs",
    "service_level",
    "asa_seconds",
    "answer_rate",
    "p_abandon",
    "p_wait",
    "occupancy",
]

_ALLOWED_INTERVALS = (300.0, 900.0, 1800.0, 3600.0)

PerQueue = float | Mapping[str, float] | None


@dataclass(frozen=True)
class _QueueTargets:
    answer_rate: float | None
    asa: float | None
    service_level: float | None
    threshold: float
    max_occupancy: float | None
    patience: float | None
    short_abandon: float
    shrinkage: float

    def kwargs(self) -> dict:
        return {
            "answer_rate": self.answer_rate,
            "asa": self.asa,
            "service_level": self.service_level,
            "threshold": self.threshold,
            "max_occupancy": self.max_occupancy,
            "patience": self.patience,
            "short_abandon": self.short_abandon,
        }


def _resolve(
    name: str, value: PerQueue, queues: list[str], default: float | None
) -> dict[str, float | None]:
    """A scalar or a per-queue mapping as ``{queue: value}``; unknown queues are an error."""
    if isinstance(value, Mapping):
        unknown = [q for q in value if q not in queues]
        if unknown:
            raise ValueError(
                f"{name}: unknown queue '{unknown[0]}'; the forecast has: {', '.join(queues)}"
            )
        return {q: value.get(q, default) for q in queues}
    return {q: (default if value is None else value) for q in queues}


def _targets(queues: list[str], **kw) -> dict[str, _QueueTargets]:
    # field -> {queue: value}; the values are float or None by field (the fields' types)
    per: dict[str, dict[str, Any]] = {
        "answer_rate": _resolve("answer_rate", kw["answer_rate"], queues, None),
        "asa": _resolve("asa", kw["asa"], queues, None),
        "service_level": _resolve("service_level", kw["service_level"], queues, None),
        "threshold": _resolve("threshold", kw["threshold"], queues, DEFAULT_THRESHOLD),
        "max_occupancy": _resolve("max_occupancy", kw["max_occupancy"], queues, None),
        "patience": _resolve("patience", kw["patience"], queues, None),
        "short_abandon": _resolve(
            "short_abandon", kw["short_abandon"], queues, DEFAULT_SHORT_ABANDON
        ),
        "shrinkage": _resolve("shrinkage", kw["shrinkage"], queues, DEFAULT_SHRINKAGE),
    }
    out = {}
    for q in queues:
        t = _QueueTargets(**{k: v[q] for k, v in per.items()})
        if all(x is None for x in (t.answer_rate, t.asa, t.service_level, t.max_occupancy)):
            raise ValueError(
                f"queue '{q}' has no target: give answer_rate, asa, service_level or "
                "max_occupancy (for all queues or for this one)"
            )
        shrink = float(t.shrinkage)
        if not 0 <= shrink < 1:
            raise ValueError(f"shrinkage must be in [0, 1); got {shrink:g} (queue '{q}')")
        if t.answer_rate is not None and t.patience is None:
            raise ValueError(
                f"answer_rate needs patience (queue '{q}'): without abandonment every call is "
                "answered; give patience in seconds (see staffing.patience.estimate_patience)"
            )
        out[q] = t
    return out


def infer_interval_seconds(forecast: pd.DataFrame) -> float:
    """The interval length of a forecast: the most common step between a queue's intervals.

    Gaps (closed hours, nights) are longer steps and do not count. A forecast with one row per
    queue gives the project default, 900 s. Accepts 5, 15, 30 and 60 minutes (DESIGN.md).
    """
    steps = []
    for _, times in forecast.groupby("queue", sort=False)["interval_start"]:
        t = pd.DatetimeIndex(times).sort_values()
        if len(t) > 1:
            d = np.asarray((t[1:] - t[:-1]).total_seconds(), dtype=float)
            steps.append(d[d > 0])
    if not steps or not np.concatenate(steps).size:
        return 900.0
    values, counts = np.unique(np.concatenate(steps), return_counts=True)
    step = float(values[np.argmax(counts)])
    if step not in _ALLOWED_INTERVALS:
        raise ValueError(
            f"cannot tell the interval length: the most common step between intervals is "
            f"{step:g} s; expected 5, 15, 30 or 60 minutes (or pass interval=)"
        )
    return step


def _show(value) -> str:
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return repr(value)


def _check_forecast(forecast: pd.DataFrame) -> pd.DataFrame:
    missing = [
        c
        for c in ("interval_start", "queue", "offered", "aht_seconds")
        if c not in forecast.columns
    ]
    if missing:
        raise ValueError(
            f"the forecast has no column '{missing[0]}'; expected interval_start, queue, "
            "offered, offered_lo, offered_hi, aht_seconds"
        )
    f = forecast.reset_index(drop=True)
    if not isinstance(f["interval_start"].dtype, pd.DatetimeTZDtype):
        raise ValueError("interval_start must hold tz-aware timestamps (Europe/Copenhagen)")
    for col, positive in (
        ("offered", False),
        ("offered_lo", False),
        ("offered_hi", False),
        ("aht_seconds", True),
    ):
        if col not in f.columns:
            continue
        v = pd.to_numeric(f[col], errors="coerce").astype(float).to_numpy()
        bad = ~np.isfinite(v) | ((v <= 0) if positive else (v < 0))
        if col == "aht_seconds":
            bad &= ~(np.isfinite(v) & (pd.to_numeric(f["offered"]).to_numpy() == 0) & (v == 0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            want = "a number > 0" if positive else "a number >= 0"
            raise ValueError(
                f"{col} must be {want}; got {_show(f[col].iloc[i])} (row {i + 1}, "
                f"queue '{f['queue'].iloc[i]}')"
            )
    if f.duplicated(["queue", "interval_start"]).any():
        i = int(np.flatnonzero(f.duplicated(["queue", "interval_start"]).to_numpy())[0])
        raise ValueError(
            f"the forecast has two rows for queue '{f['queue'].iloc[i]}' at "
            f"{f['interval_start'].iloc[i].isoformat()} (row {i + 1})"
        )
    return f


def _metrics(calls, aht, agents, t: _QueueTargets, interval: float) -> dict[str, np.ndarray]:
    """Predicted metrics at the given staffing, with the same model as the requirement."""
    calls = np.asarray(calls, dtype=float)
    # rows with no calls may carry no handle time; any positive value gives the same metrics
    aht = np.where(np.asarray(aht, dtype=float) > 0, aht, 1.0)
    agents = np.asarray(agents, dtype=float)
    patience = math.inf if t.patience is None else float(t.patience)
    m = erlang.erlang_a(
        calls,
        aht,
        patience,
        agents,
        threshold=t.threshold,
        short_abandon=t.short_abandon,
        interval=interval,
    )
    return {
        "service_level": m["service_level"],
        "asa_seconds": m["asa"],
        "answer_rate": m["answer_rate"],
        "p_abandon": m["p_abandon"],
        "p_wait": m["p_wait"],
        "occupancy": m["occupancy"],
    }


def _need(calls, aht, t: _QueueTargets, interval: float) -> np.ndarray:
    calls = np.asarray(calls, dtype=float)
    aht = np.where(np.asarray(aht, dtype=float) > 0, aht, 1.0)
    n = erlang.required_agents(calls, aht, interval=interval, **t.kwargs())
    return np.maximum(np.asarray(n, dtype=np.int64), 1)  # the phone policy's floor


def _gross(agents: np.ndarray, shrinkage: float) -> np.ndarray:
    # a hair below the exact quotient so that 7 / (1 - 0.3) = 10.000000000000002 gives 10
    return np.ceil(agents / (1.0 - shrinkage) - 1e-9).astype(np.int64)


def staffing_requirements(
    forecast: pd.DataFrame,
    *,
    answer_rate: PerQueue = None,
    asa: PerQueue = None,
    service_level: PerQueue = None,
    threshold: PerQueue = DEFAULT_THRESHOLD,
    max_occupancy: PerQueue = None,
    patience: PerQueue = None,
    short_abandon: PerQueue = DEFAULT_SHORT_ABANDON,
    shrinkage: PerQueue = DEFAULT_SHRINKAGE,
    interval: float | None = None,
) -> pd.DataFrame:
    """Agents needed on the phone per queue and interval, with the predicted metrics.

    Every target (and ``patience``, ``threshold``, ``short_abandon``, ``shrinkage``) is either
    one value for all queues or a ``{queue: value}`` mapping (queues left out get no such target
    or the default; an unknown queue is an error). Units as in `staffing.erlang`: seconds and
    shares. ``patience`` (seconds) switches a queue from Erlang C to Erlang A; it is needed for
    ``answer_rate`` (estimate it with `staffing.patience.estimate_patience`).
    ``interval`` (seconds) is inferred from the forecast when None.

    Returns one row per forecast row, sorted by queue and time, with the columns
    `REQUIREMENT_COLUMNS`: ``agents`` (net, on the phone, at least 1), ``agents_gross``
    (``ceil(agents / (1 - shrinkage))``), ``agents_lo`` / ``agents_hi`` (the same for
    ``offered_lo`` / ``offered_hi`` when the forecast has them, else equal to ``agents``),
    ``traffic_erlangs`` and the metrics predicted at ``agents``: ``service_level``,
    ``asa_seconds``, ``answer_rate``, ``p_abandon``, ``p_wait``, ``occupancy``.

    Examples
    --------
    >>> t = pd.date_range("2026-03-02 10:00", periods=2, freq="15min", tz="Europe/Copenhagen")
    >>> f = pd.DataFrame({"interval_start": t, "queue": "Dagpenge", "offered": [30.0, 0.0],
    ...                   "aht_seconds": 300.0})
    >>> staffing_requirements(f, service_level=0.8)["agents"].tolist()
    [14, 1]
    """
    f = _check_forecast(forecast)
    if f.empty:
        return pd.DataFrame(columns=REQUIREMENT_COLUMNS)
    queues = list(dict.fromkeys(f["queue"].astype(str)))
    targets = _targets(
        queues,
        answer_rate=answer_rate,
        asa=asa,
        service_level=service_level,
        threshold=threshold,
        max_occupancy=max_occupancy,
        patience=patience,
        short_abandon=short_abandon,
        shrinkage=shrinkage,
    )
    step = float(interval) if interval is not None else infer_interval_seconds(f)
    if not step > 0:
        raise ValueError(f"interval must be > 0 seconds; got {interval}")
    f = f.assign(queue=f["queue"].astype(str))
    parts = []
    for q in queues:
        rows = f[f["queue"] == q].sort_values("interval_start")
        t = targets[q]
        calls = rows["offered"].astype(float).to_numpy()
        aht = rows["aht_seconds"].astype(float).to_numpy()
        agents = _need(calls, aht, t, step)
        lo = (
            _need(rows["offered_lo"].astype(float), aht, t, step)
            if "offered_lo" in rows
            else agents
        )
        hi = (
            _need(rows["offered_hi"].astype(float), aht, t, step)
            if "offered_hi" in rows
            else agents
        )
        part = pd.DataFrame(
            {
                "interval_start": rows["interval_start"].to_numpy(),
                "queue": q,
                "agents": agents,
                "agents_gross": _gross(agents, float(t.shrinkage)),
                "agents_lo": lo,
                "agents_hi": hi,
                "offered": calls,
                "aht_seconds": aht,
                "traffic_erlangs": calls * aht / step,
                **_metrics(calls, aht, agents, t, step),
            }
        )
        part["interval_start"] = pd.DatetimeIndex(rows["interval_start"])
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[REQUIREMENT_COLUMNS]


def _pool_list(pools, queues: list[str]) -> list[tuple[str, list[str]]]:
    def as_list(members) -> list[str]:
        if isinstance(members, str):
            raise ValueError(
                f"a pool must be a set of queue names; got the string '{members}' "
                "(write {'A', 'B'}, not 'A, B')"
            )
        # sets have no order: sort them so that names and output are reproducible
        return sorted(members) if isinstance(members, set | frozenset) else list(members)

    if isinstance(pools, Mapping):
        items = [(str(name), as_list(members)) for name, members in pools.items()]
    else:
        items = [(" + ".join(as_list(m)), as_list(m)) for m in pools]
    seen: dict[str, str] = {}
    out = []
    for name, members in items:
        if not members:
            raise ValueError(f"pool '{name}' has no queues")
        for q in members:
            if q not in queues:
                raise ValueError(
                    f"pool '{name}': unknown queue '{q}'; the forecast has: {', '.join(queues)}"
                )
            if q in seen:
                raise ValueError(f"queue '{q}' is in two pools: '{seen[q]}' and '{name}'")
            seen[q] = name
        out.append((name, list(dict.fromkeys(members))))
    return out


def _strictest(ts: list[_QueueTargets], weights: np.ndarray) -> _QueueTargets:
    def pick(values, fn):
        vals = [v for v in values if v is not None]
        return fn(vals) if vals else None

    patiences = [t.patience for t in ts]
    if any(p is None for p in patiences):
        if any(t.answer_rate is not None for t in ts):
            raise ValueError("a pool with an answer_rate target needs patience for every queue")
        patience = None
    else:
        w = weights if weights.sum() > 0 else np.ones(len(ts))
        patience = float(np.average(np.asarray(patiences, dtype=float), weights=w))
    return _QueueTargets(
        answer_rate=pick([t.answer_rate for t in ts], max),
        asa=pick([t.asa for t in ts], min),
        service_level=pick([t.service_level for t in ts], max),
        threshold=min(float(t.threshold) for t in ts),
        max_occupancy=pick([t.max_occupancy for t in ts], min),
        patience=patience,
        short_abandon=max(float(t.short_abandon) for t in ts),
        shrinkage=float(
            np.average(
                [float(t.shrinkage) for t in ts], weights=weights if weights.sum() > 0 else None
            )
        ),
    )


def _restricted(kw: dict[str, PerQueue], queues: list[str]) -> dict[str, PerQueue]:
    """``kw`` with every ``{queue: value}`` mapping restricted to ``queues``."""
    return {
        k: ({q: v for q, v in val.items() if q in queues} if isinstance(val, Mapping) else val)
        for k, val in kw.items()
    }


def _pool_load(rows: pd.DataFrame, members: list[str]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """A pool's offered calls and handle time per interval, and each member queue's volume.

    Per interval: offered = sum_q offered_q and aht = sum_q offered_q aht_q / sum_q offered_q,
    the offered-weighted mean, which keeps the offered load (the sum of the queues' Erlangs)
    exact (Koole 2013; module docstring); the plain mean of the queues' aht where no calls are
    offered. The volume (offered calls of each member over the whole forecast, 0 for a queue
    without rows) weights the pool's patience and shrinkage in `_strictest`.
    """
    rows = rows.copy()
    rows["work"] = rows["offered"].astype(float) * rows["aht_seconds"].astype(float)
    g = rows.groupby("interval_start", sort=True)
    offered = g["offered"].sum().astype(float)
    work = g["work"].sum()
    plain_aht = g["aht_seconds"].mean().astype(float)
    aht = (work / offered.where(offered > 0)).fillna(plain_aht)
    volume = rows.groupby("queue")["offered"].sum().reindex(members).fillna(0.0)
    return offered, aht, volume


def _pool_rows(
    name: str,
    members: list[str],
    f: pd.DataFrame,
    targets: dict[str, _QueueTargets],
    separate: pd.DataFrame,
    step: float,
) -> pd.DataFrame:
    """One pool's rows of `pooled_requirements` (`POOL_COLUMNS`, one per interval).

    The pool is one Erlang queue (`_pool_load`) staffed against the strictest targets of its
    queues (`_strictest`); ``agents_separate`` sums the member queues' rows of ``separate``
    and ``pooling_gain = agents_separate - agents``.
    """
    offered, aht, volume = _pool_load(f[f["queue"].isin(members)], members)
    t = _strictest([targets[q] for q in members], volume.to_numpy(dtype=float))
    calls, aht_v = offered.to_numpy(), aht.to_numpy()
    agents = _need(calls, aht_v, t, step)
    sep = (
        separate[separate["queue"].isin(members)]
        .groupby("interval_start")["agents"]
        .sum()
        .reindex(offered.index)
        .to_numpy()
    )
    return pd.DataFrame(
        {
            "interval_start": offered.index,
            "pool": name,
            "queues": ";".join(members),
            "agents": agents,
            "agents_separate": sep.astype(np.int64),
            "pooling_gain": sep.astype(np.int64) - agents,
            "agents_gross": _gross(agents, float(t.shrinkage)),
            "offered": calls,
            "aht_seconds": aht_v,
            "traffic_erlangs": calls * aht_v / step,
            **_metrics(calls, aht_v, agents, t, step),
        }
    )


def pooled_requirements(
    forecast: pd.DataFrame,
    pools: Mapping[str, Iterable[str]] | Iterable[Iterable[str]],
    *,
    answer_rate: PerQueue = None,
    asa: PerQueue = None,
    service_level: PerQueue = None,
    threshold: PerQueue = DEFAULT_THRESHOLD,
    max_occupancy: PerQueue = None,
    patience: PerQueue = None,
    short_abandon: PerQueue = DEFAULT_SHORT_ABANDON,
    shrinkage: PerQueue = DEFAULT_SHRINKAGE,
    interval: float | None = None,
) -> pd.DataFrame:
    """The requirement of each pool of queues served by the same cross-trained agents.

    ``pools``: ``{"name": {"queue", ...}}`` or a list of sets of queue names (then named
    ``"A + B"``); a queue may be in one pool only. Targets as in `staffing_requirements`; a
    pool gets the strictest target of its queues (highest answer rate and service level,
    lowest ASA, threshold and occupancy cap) and the offered-weighted mean patience and
    shrinkage (assumptions in the module docstring).

    Returns one row per pool and interval in which any of its queues has a forecast row, with
    `POOL_COLUMNS`: ``agents`` (pooled Erlang, at least 1), ``agents_separate`` (the sum of the
    queues' own requirements from `staffing_requirements`), ``pooling_gain`` (their
    difference), ``agents_gross`` and the pooled queue's predicted metrics.
    """
    f = _check_forecast(forecast)
    if f.empty:
        return pd.DataFrame(columns=POOL_COLUMNS)
    f = f.assign(queue=f["queue"].astype(str))
    queues = list(dict.fromkeys(f["queue"]))
    pool_list = _pool_list(pools, queues)
    kw = dict(
        answer_rate=answer_rate,
        asa=asa,
        service_level=service_level,
        threshold=threshold,
        max_occupancy=max_occupancy,
        patience=patience,
        short_abandon=short_abandon,
        shrinkage=shrinkage,
    )
    for key, val in kw.items():  # unknown queues in a mapping are an error
        _resolve(key, val, queues, None)
    step = float(interval) if interval is not None else infer_interval_seconds(f)
    member_queues = [q for _, members in pool_list for q in members]
    sub_kw = _restricted(kw, member_queues)  # the member queues' own targets
    targets = _targets(member_queues, **sub_kw)
    separate = staffing_requirements(f[f["queue"].isin(member_queues)], interval=step, **sub_kw)
    parts = [_pool_rows(name, members, f, targets, separate, step) for name, members in pool_list]
    return pd.concat(parts, ignore_index=True)[POOL_COLUMNS]
