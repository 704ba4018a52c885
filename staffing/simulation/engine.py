"""Discrete-event simulation of a roster against a forecast: what the plan will really deliver.

The events of a replication run in a plain event loop (`staffing.simulation.events`: a heap of
(time, seq) events, as SimPy orders them; the routing between named agents and several queues
is hand-written, it is not a resource of any simulation library). It replaced SimPy processes
with the same model and gives the same numbers for the same seed, about 3x faster
(`benchmarks/simulate.py`, docs/notes/simulation.md). Ciw cannot express overlapping skills or
personal shifts (ECOSYSTEM.md).

The model, one replication:

- **Arrivals**: a non-homogeneous Poisson process per queue, piecewise constant over the
  forecast's intervals: the count in an interval is Poisson(offered x day factor) and the times
  are uniform inside it. The day factor is 1, or (``day_cv > 0``) a gamma variable with mean 1
  and coefficient of variation ``day_cv`` per queue and day (a doubly stochastic Poisson
  process; call-centre arrivals are over-dispersed at day level, Brown et al. 2005, JASA 100:36),
  or (``uncertainty=True``) a draw from the forecast's 80 % prediction interval (below).
- **Handle times** per queue with the forecast's ``aht_seconds`` of the call's interval as mean:
  ``lognormal`` (default; Brown et al. 2005 found call-centre service times lognormal) with
  coefficient of variation ``handle_cv`` (default 1, the exponential's variance), or
  ``exponential`` (the M/M/n+M assumption of Erlang A).
- **Patience**: exponential with mean ``patience`` seconds, one number or one per queue (default
  per queue from `centre.queues.QUEUES`). A caller still waiting when patience runs out hangs
  up; a hang-up within ``short_abandon`` (40) seconds is a short abandon (the SLA's 40-s rule).
- **Routing** to the agents logged on the phone (roster activity ``phone``) who have the queue
  among their skills (agents' ``skills``, ``;``-separated, first listed = primary):

  * ``primary_first`` (default): a free agent takes the longest-waiting call of their primary
    skill; if none waits, the longest-waiting call among their other skills. An arriving call
    goes to a free agent whose primary skill it is, else to the longest-idle free agent with the
    skill. Cross-trained helpers serve their own queue first and help elsewhere when it is
    empty (document 003).
  * ``longest_waiting``: a free agent takes the longest-waiting call among all their skills; an
    arriving call goes to the longest-idle free agent with the skill.
  * ``skill_order``: strict priority in the order the skills are listed.
- **Shifts**: an agent is available only inside their phone blocks; lunch, breaks, meetings,
  training and absence are simply not phone time. An agent on a call when a block ends finishes
  the call, then leaves. Calls waiting when no one is logged on wait (and abandon) as usual.
- **Transfers**: each answered call is transferred on with the queue's transfer share (default
  `centre.queues.QUEUES`). Transfers leave the centre (case workers, back offices): they do
  not re-enter a queue, because the forecast's offered calls already count internal transfers.
- **Sickness**: with ``sick_rate > 0`` each agent-day of the roster is removed with that
  probability, independently.

**Forecast uncertainty** (``uncertainty=True``): each replication draws each queue's day volume
from the forecast's 80 % prediction interval (``offered_lo``/``offered_hi``), as a gamma day
factor fitted to the interval's width (`staffing.simulation.uncertainty`).

All randomness comes from ``numpy.random.default_rng(seed)``: one child generator per
replication (``Generator.spawn``) and, inside it, separate streams for volumes, arrival times,
call attributes and sickness, so that the same seed gives the same numbers and scenarios share
random numbers (common random numbers). Results are summed per queue and interval of arrival
into the history contract (plus ``answered_within`` and ``wait_seconds``), so `staffing.kpi`
computes the measures; confidence intervals are 95 % t intervals of the ratio estimator over
the replications (Law, *Simulation Modeling and Analysis*, 5th ed., section 9.6).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from centre.contracts import ACTIVITIES
from staffing import kpi
from staffing.agents import Agents, agent_skills
from staffing.simulation.events import ABANDONED, ANSWERED, run_centre
from staffing.simulation.uncertainty import day_dispersion, day_factors

__all__ = [
    "ROUTINGS",
    "HANDLE_TIMES",
    "ACTIVITIES",
    "SimulationResult",
    "simulate",
    "phone_blocks",
    "ratio_ci",
]

ROUTINGS = ("primary_first", "longest_waiting", "skill_order")
HANDLE_TIMES = ("lognormal", "exponential")

_COUNT_OUT = (
    "offered",
    "answered",
    "abandoned",
    "abandoned_short",
    "transferred",
    "answered_within",
    "wait_seconds",
    "handle_seconds",
)
_CI_MEASURES = ("answer_rate", "service_level", "asa_seconds", "abandon_rate", "fcr")
_CONTRACT_COUNTS = ("offered", "answered", "abandoned", "abandoned_short", "transferred")


def _seconds(values: pd.Series) -> np.ndarray:
    return (
        (values.dt.tz_convert("UTC") - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta("1s")
    ).to_numpy(dtype=float)


def _need(frame: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {', '.join(missing)}; expected {', '.join(columns)}"
        )


def _tz_aware(frame: pd.DataFrame, name: str, column: str) -> None:
    if not isinstance(frame[column].dtype, pd.DatetimeTZDtype):
        raise ValueError(
            f"{name} column {column!r} must hold tz-aware timestamps (Europe/Copenhagen); "
            f"got dtype {frame[column].dtype}"
        )


def phone_blocks(roster: pd.DataFrame) -> pd.DataFrame:
    """The roster's phone time: one row per agent and unbroken phone block.

    Returns ``agent_id, date, start, end`` with touching or overlapping ``phone`` rows merged;
    ``date`` is the roster's ``date`` column (or the local date of ``start``).
    """
    _need(roster, "roster", ("agent_id", "start", "end", "activity"))
    _tz_aware(roster, "roster", "start")
    _tz_aware(roster, "roster", "end")
    roster = roster.reset_index(drop=True)
    activity = roster["activity"].astype(str).str.strip().str.lower()
    unknown = sorted(set(activity) - set(ACTIVITIES))
    if unknown:
        raise ValueError(
            f"roster activity {unknown[0]!r} is unknown; expected one of {', '.join(ACTIVITIES)}"
        )
    bad = roster["end"] <= roster["start"]
    if bad.any():
        row = roster[bad].iloc[0]
        raise ValueError(
            f"roster row for agent {row['agent_id']!r} ends ({row['end']}) "
            f"before it starts ({row['start']})"
        )
    phone = roster.loc[activity == "phone", ["agent_id", "start", "end"]].copy()
    phone["agent_id"] = phone["agent_id"].astype(str)
    if "date" in roster.columns:
        phone["date"] = pd.to_datetime(roster.loc[phone.index, "date"]).dt.date
    else:
        phone["date"] = phone["start"].dt.date
    phone = phone.sort_values(["agent_id", "start"], kind="stable")
    rows: list[tuple[str, object, pd.Timestamp, pd.Timestamp]] = []
    for agent, day, start, end in phone[["agent_id", "date", "start", "end"]].itertuples(
        index=False
    ):
        if rows and rows[-1][0] == agent and start <= rows[-1][3]:
            last = rows[-1]
            rows[-1] = (agent, last[1], last[2], max(last[3], end))
        else:
            rows.append((agent, day, start, end))
    out = pd.DataFrame(rows, columns=["agent_id", "date", "start", "end"])
    if out.empty:
        out = out.astype({"agent_id": str})
    return out


def ratio_ci(
    numerator: np.ndarray, denominator: np.ndarray, *, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio estimate and t confidence interval over replications (axis 0).

    R = mean(Y) / mean(X); its standard error by the delta method is
    sd(Y - R X) / (mean(X) sqrt(n)), with the t quantile on n - 1 degrees of freedom (Law,
    *Simulation Modeling and Analysis*, 5th ed., 9.6). NaN where mean(X) is 0 (estimate) or
    n < 2 (bounds).
    """
    y = np.asarray(numerator, dtype=float)
    x = np.asarray(denominator, dtype=float)
    n = y.shape[0]
    ybar = y.mean(axis=0)
    xbar = x.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(xbar > 0, ybar / np.where(xbar > 0, xbar, 1.0), np.nan)
        if n < 2:
            nan = np.full_like(r, np.nan)
            return r, nan, nan
        resid = y - np.nan_to_num(r) * x
        sd = resid.std(axis=0, ddof=1)
        se = np.where(xbar > 0, sd / (np.where(xbar > 0, xbar, 1.0) * math.sqrt(n)), np.nan)
    t = float(stats.t.ppf(0.5 + level / 2.0, n - 1))
    return r, r - t * se, r + t * se


@dataclass(frozen=True)
class SimulationResult:
    """Counts per replication, queue and interval, and the tables made from them.

    ``counts`` has ``replication, interval_start, queue`` and the summed outcomes of the calls that
    arrived in that interval: ``offered, answered, abandoned, abandoned_short, transferred,
    answered_within`` (answered within ``threshold``), ``wait_seconds`` (total wait of answered
    calls) and ``handle_seconds`` (total handle time of answered calls): the history contract's
    counts, so `staffing.kpi.kpis` applies directly.
    """

    counts: pd.DataFrame
    replications: int
    seed: int | None
    settings: Mapping[str, object] = field(default_factory=dict)
    goals: kpi.SlaGoals = field(default_factory=kpi.SlaGoals)

    def kpi_table(
        self, by: str = "interval", *, total: bool = False, level: float = 0.95
    ) -> pd.DataFrame:
        """The simulated KPI table of DESIGN.md, with confidence intervals over replications.

        One row per queue and period (``by`` as in `staffing.kpi.kpis`; the CLI's ``day`` and
        ``interval``): ``queue``, the period columns, the mean counts per replication
        (``offered, answered, abandoned, abandoned_short, transferred``), then
        ``answer_rate, service_level, asa_seconds, abandon_rate, fcr``, each with ``_lo`` and
        ``_hi`` bounds of its ``level`` confidence interval (NaN with one replication).
        """
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be in (0, 1); got {level}")
        per_rep = kpi.kpis(self.counts, by=by, keys=["replication"], total=total)
        groups = ["queue", *kpi.period_columns(by)]
        per_rep["countable"] = per_rep["offered"] - per_rep["abandoned_short"]
        per_rep["resolved"] = per_rep["answered"] - per_rep["transferred"]
        # The centre's rows first, then the queues; each by period.
        per_rep["_all"] = per_rep["queue"] != kpi.ALL_QUEUES
        per_rep = per_rep.sort_values(["replication", "_all", *groups], kind="stable")
        n = self.replications
        first = per_rep[per_rep["replication"] == per_rep["replication"].iloc[0]]
        out = first[groups].reset_index(drop=True)
        width = len(out)
        if len(per_rep) != n * width:
            raise ValueError("replications do not share the same queues and periods")

        def block(column: str) -> np.ndarray:
            return per_rep[column].to_numpy(dtype=float).reshape(n, width)

        for column in _CONTRACT_COUNTS:
            out[column] = block(column).mean(axis=0)
        for measure in _CI_MEASURES:
            num, den = kpi.RATIOS[measure]
            est, lo, hi = ratio_ci(block(num), block(den), level=level)
            if measure != "asa_seconds":
                lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
            else:
                lo = np.maximum(lo, 0.0)
            out[measure] = est
            out[f"{measure}_lo"] = lo
            out[f"{measure}_hi"] = hi
        return out

    def mean_counts(self) -> pd.DataFrame:
        """Counts per queue and interval averaged over the replications (expected counts).

        The history contract's shape, so a simulation can go wherever history goes
        (`staffing.kpi.compare`, `staffing.simulation.reports`).
        """
        columns = [c for c in _COUNT_OUT if c in self.counts.columns]
        means = self.counts.groupby(["interval_start", "queue"], sort=False)[columns].mean()
        return means.reset_index()

    def replication_kpis(self, by: str = "day", *, total: bool = True) -> pd.DataFrame:
        """`staffing.kpi.kpis` of every replication (column ``replication``)."""
        return kpi.kpis(self.counts, by=by, keys=["replication"], total=total)

    def sla_probability(
        self,
        goals: kpi.SlaGoals | None = None,
        *,
        measures: Sequence[str] | None = None,
        queues: bool = True,
    ) -> pd.DataFrame:
        """Probability that each day, and the whole simulated period, meets the SLA.

        Per replication the goals are judged on the day's (and the period's) summed counts, for
        the centre (queue `staffing.kpi.ALL_QUEUES`) and, with ``queues``, per queue; the
        probability is the share of replications that meet every goal in ``measures`` (default:
        the goals staffing can move, `SlaGoals.service_targets`; first-contact resolution is set
        by the transfer shares, not by the roster). Returns ``queue, period`` (ISO date or
        ``"all"``), ``p_meet`` with a 95 % Wilson interval ``p_meet_lo``/``p_meet_hi``, one
        ``p_<measure>`` per goal, and ``replications``.
        """
        goals = goals or self.goals
        targets = list(measures) if measures is not None else list(goals.service_targets())
        if not targets:
            raise ValueError("no goal to judge: set at least one goal or pass measures")
        frames = []
        for by, label in (("day", None), ("total", "all")):
            table = kpi.kpis(self.counts, by=by, keys=["replication"], total=True, queues=queues)
            judged = kpi.evaluate(table, goals, measures=targets)
            judged["period"] = judged["date"].map(str) if label is None else label
            frames.append(judged)
        judged = pd.concat(frames, ignore_index=True)
        flags = ["meets_sla", *[f"meets_{m}" for m in targets]]
        grouped = judged.groupby(["period", "queue"], sort=False)[flags].mean()
        grouped.columns = ["p_meet", *[f"p_{m}" for m in targets]]
        out = grouped.reset_index()
        n = self.replications
        lo, hi = _wilson(out["p_meet"].to_numpy(), n)
        out.insert(3, "p_meet_lo", lo)
        out.insert(4, "p_meet_hi", hi)
        out["replications"] = n
        out["_all"] = out["queue"] != kpi.ALL_QUEUES
        out["_total"] = out["period"] == "all"
        out = out.sort_values(["_total", "period", "_all", "queue"], kind="stable")
        order = ["queue", "period", "p_meet", "p_meet_lo", "p_meet_hi"]
        order += [f"p_{m}" for m in targets] + ["replications"]
        return out[order].reset_index(drop=True)


def _wilson(p: np.ndarray, n: int, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial share (Wilson 1927, JASA 22:209)."""
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


@dataclass
class _Model:
    """Inputs checked and turned into arrays, shared by all replications."""

    queues: list[str]
    row_queue: np.ndarray  # queue index per forecast row
    row_start: np.ndarray  # seconds since t0
    row_offered: np.ndarray
    row_lo: np.ndarray | None
    row_hi: np.ndarray | None
    row_aht: np.ndarray
    row_day: np.ndarray  # day index per row
    n_days: int
    interval: float
    frame: pd.DataFrame  # interval_start, queue per row
    patience: np.ndarray  # per queue
    transfer: np.ndarray  # per queue
    tiers: list[list[list[int]]]
    rank: np.ndarray
    blocks: list[list[tuple[float, float, int]]]  # per agent: (start, end, agent-day id)
    n_agent_days: int


@dataclass
class _Rows:
    """The forecast's rows checked and turned into arrays (times in seconds since the epoch)."""

    frame: pd.DataFrame  # the forecast, queue names as text
    queues: list[str]
    qidx: dict[str, int]
    queue: np.ndarray  # queue index per row
    start: np.ndarray
    offered: np.ndarray
    lo: np.ndarray | None
    hi: np.ndarray | None
    aht: np.ndarray
    day: np.ndarray  # day index per row
    n_days: int
    interval: float


@dataclass
class _Staff:
    """The agents' routing tiers and phone blocks (times in seconds since ``t0``)."""

    tiers: list[list[list[int]]]
    rank: np.ndarray
    blocks: list[list[tuple[float, float, int]]]
    n_agent_days: int
    t0: float


def _check_forecast_columns(forecast: pd.DataFrame, *, uncertainty: bool) -> None:
    """The forecast has the columns the simulation reads and tz-aware interval starts."""
    need = ["interval_start", "queue", "offered", "aht_seconds"]
    if uncertainty:
        need += ["offered_lo", "offered_hi"]
    _need(forecast, "forecast", need)
    _tz_aware(forecast, "forecast", "interval_start")


def _forecast_frame(forecast: pd.DataFrame) -> pd.DataFrame:
    """A copy of the forecast with text queue names; refuses two rows for a queue and interval."""
    fc = forecast.reset_index(drop=True).copy()
    fc["queue"] = fc["queue"].astype(str)
    if fc.duplicated(["interval_start", "queue"]).any():
        row = fc[fc.duplicated(["interval_start", "queue"])].iloc[0]
        raise ValueError(
            f"forecast has more than one row for queue {row['queue']!r} at {row['interval_start']}"
        )
    return fc


def _fill_aht(
    aht: np.ndarray, offered: np.ndarray, row_queue: np.ndarray, qidx: Mapping[str, int]
) -> np.ndarray:
    """Handle times with the gaps filled by the queue's mean.

    Intervals with no calls may carry no handle time; a queue with calls but no handle time at
    all is refused.
    """
    for q, i in qidx.items():
        mask = row_queue == i
        good = mask & np.isfinite(aht) & (aht > 0)
        need_aht = mask & (offered > 0) & ~(np.isfinite(aht) & (aht > 0))
        if need_aht.any() and not good.any():
            raise ValueError(f"forecast aht_seconds must be > 0 for queue {q!r}; got none")
        fill = aht[good].mean() if good.any() else 1.0
        aht = np.where(mask & ~(np.isfinite(aht) & (aht > 0)), fill, aht)
    return aht


def _grid_interval(start: np.ndarray, interval: float | None) -> float:
    """The interval length in seconds: as given, or the smallest step of the forecast's grid."""
    if interval is None:
        steps = np.diff(np.unique(start))
        interval = float(steps.min()) if len(steps) else 900.0
    if not interval > 0:
        raise ValueError(f"interval must be > 0 seconds; got {interval}")
    return float(interval)


def _prediction_bounds(fc: pd.DataFrame, offered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The forecast's ``offered_lo``/``offered_hi``, checked to enclose ``offered``."""
    lo = fc["offered_lo"].to_numpy(dtype=float)
    hi = fc["offered_hi"].to_numpy(dtype=float)
    bad = ~(np.isfinite(lo) & np.isfinite(hi)) | (lo > offered + 1e-9) | (hi < offered - 1e-9)
    if bad.any():
        row = fc[bad].iloc[0]
        raise ValueError(
            f"forecast row for queue {row['queue']!r} at {row['interval_start']} needs "
            f"offered_lo <= offered <= offered_hi; got {row['offered_lo']}, "
            f"{row['offered']}, {row['offered_hi']}"
        )
    return lo, hi


def _forecast_rows(forecast: pd.DataFrame, *, interval: float | None, uncertainty: bool) -> _Rows:
    """Check the forecast's rows and turn them into arrays (columns checked before)."""
    fc = _forecast_frame(forecast)
    offered = fc["offered"].to_numpy(dtype=float)
    if not np.isfinite(offered).all() or (offered < 0).any():
        raise ValueError("forecast offered must be finite and >= 0 in every row")
    queues = list(dict.fromkeys(fc["queue"]))
    qidx = {q: i for i, q in enumerate(queues)}
    row_queue = fc["queue"].map(qidx).to_numpy(dtype=np.int64)
    aht = _fill_aht(fc["aht_seconds"].to_numpy(dtype=float), offered, row_queue, qidx)
    start = _seconds(fc["interval_start"])
    step = _grid_interval(start, interval)
    lo, hi = _prediction_bounds(fc, offered) if uncertainty else (None, None)
    day_codes, day_labels = pd.factorize(fc["interval_start"].dt.date, sort=True)
    return _Rows(
        frame=fc,
        queues=queues,
        qidx=qidx,
        queue=row_queue,
        start=start,
        offered=offered,
        lo=lo,
        hi=hi,
        aht=aht,
        day=day_codes.astype(np.int64),
        n_days=len(day_labels),
        interval=step,
    )


def _queue_settings(
    queues: list[str],
    *,
    patience: float | Mapping[str, float] | None,
    transfer_rate: float | Mapping[str, float] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Patience (s) and transfer share per queue, in the order of ``queues``."""
    pat = kpi.per_queue(patience, queues, name="patience", spec_attribute="patience_seconds")
    if any(v <= 0 for v in pat.values()):
        raise ValueError(f"patience must be > 0 seconds; got {pat}")
    tra = kpi.per_queue(
        transfer_rate, queues, name="transfer_rate", spec_attribute="transfer_share", high=1.0
    )
    return np.array([pat[q] for q in queues]), np.array([tra[q] for q in queues])


def _routing_tiers(
    skills_of: Mapping[str, Sequence[str]], qidx: Mapping[str, int], routing: str
) -> tuple[list[list[list[int]]], np.ndarray]:
    """Each agent's queues grouped into priority tiers by ``routing``, and the tier per queue.

    ``rank[a, q]`` is the tier of queue q for agent a, -1 where a lacks the skill.
    """
    tiers: list[list[list[int]]] = []
    rank = np.full((len(skills_of), len(qidx)), -1, dtype=np.int64)
    for a, skills in enumerate(skills_of.values()):
        mine = [qidx[s] for s in skills if s in qidx]
        if routing == "longest_waiting":
            t = [mine] if mine else []
        elif routing == "primary_first":
            t = [mine[:1], mine[1:]] if len(mine) > 1 else ([mine] if mine else [])
        else:
            t = [[q] for q in mine]
        tiers.append(t)
        for level, tier in enumerate(t):
            for q in tier:
                rank[a, q] = level
    return tiers, rank


def _agent_blocks(
    blocks_frame: pd.DataFrame, agent_ids: list[str], start: np.ndarray
) -> tuple[list[list[tuple[float, float, int]]], int, float]:
    """Phone blocks per agent as (start, end, agent-day id) in seconds since ``t0``.

    Returns the blocks, the number of agent-days and ``t0``: the earliest forecast interval or
    block start.
    """
    aidx = {a: i for i, a in enumerate(agent_ids)}
    blocks: list[list[tuple[float, float, int]]] = [[] for _ in agent_ids]
    b_start = _seconds(blocks_frame["start"]) if len(blocks_frame) else np.array([])
    b_end = _seconds(blocks_frame["end"]) if len(blocks_frame) else np.array([])
    day_keys = list(zip(blocks_frame["agent_id"], blocks_frame["date"]))
    day_id = {k: i for i, k in enumerate(dict.fromkeys(day_keys))}
    t0 = float(min(start.min() if len(start) else 0.0, b_start.min() if len(b_start) else 0.0))
    for k, (s, e) in enumerate(zip(b_start, b_end)):
        blocks[aidx[day_keys[k][0]]].append((s - t0, e - t0, day_id[day_keys[k]]))
    return blocks, len(day_id), t0


def _staff(
    roster: pd.DataFrame,
    skills_of: Mapping[str, Sequence[str]],
    rows: _Rows,
    routing: str,
) -> _Staff:
    """The roster's phone blocks and the agents' routing; refuses agents without skills."""
    blocks_frame = phone_blocks(roster)
    unknown = sorted(set(blocks_frame["agent_id"]) - set(skills_of))
    if unknown:
        raise ValueError(f"roster agent {unknown[0]!r} is not in the agents table")
    tiers, rank = _routing_tiers(skills_of, rows.qidx, routing)
    blocks, n_agent_days, t0 = _agent_blocks(blocks_frame, list(skills_of), rows.start)
    return _Staff(tiers=tiers, rank=rank, blocks=blocks, n_agent_days=n_agent_days, t0=t0)


def _build(
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    agents: Agents,
    *,
    patience: float | Mapping[str, float] | None,
    transfer_rate: float | Mapping[str, float] | None,
    routing: str,
    interval: float | None,
    uncertainty: bool,
) -> _Model:
    """Check the inputs and turn them into the arrays every replication shares."""
    _check_forecast_columns(forecast, uncertainty=uncertainty)
    skills_of = agent_skills(agents)
    rows = _forecast_rows(forecast, interval=interval, uncertainty=uncertainty)
    pat, tra = _queue_settings(rows.queues, patience=patience, transfer_rate=transfer_rate)
    staff = _staff(roster, skills_of, rows, routing)
    return _Model(
        queues=rows.queues,
        row_queue=rows.queue,
        row_start=rows.start - staff.t0,
        row_offered=rows.offered,
        row_lo=rows.lo,
        row_hi=rows.hi,
        row_aht=rows.aht,
        row_day=rows.day,
        n_days=rows.n_days,
        interval=rows.interval,
        frame=rows.frame[["interval_start", "queue"]].copy(),
        patience=pat,
        transfer=tra,
        tiers=staff.tiers,
        rank=staff.rank,
        blocks=staff.blocks,
        n_agent_days=staff.n_agent_days,
    )


def _day_dispersion(model: _Model) -> np.ndarray:
    """The gamma day factor's variance per (queue, day) (`uncertainty.day_dispersion`)."""
    assert model.row_lo is not None and model.row_hi is not None
    return day_dispersion(
        model.row_offered,
        model.row_lo,
        model.row_hi,
        model.row_queue,
        model.row_day,
        n_queues=len(model.queues),
        n_days=model.n_days,
    )


@dataclass(frozen=True)
class _Options:
    """The model settings of `simulate` that every replication reads; checked on creation."""

    handle_time: str
    handle_cv: float
    routing: str
    day_cv: float
    sick_rate: float
    uncertainty: bool
    uncertainty_correlation: float
    threshold: float
    short_abandon: float

    def __post_init__(self) -> None:
        if self.handle_time not in HANDLE_TIMES:
            raise ValueError(
                f"handle_time must be one of {', '.join(HANDLE_TIMES)}; got {self.handle_time!r}"
            )
        if self.routing not in ROUTINGS:
            raise ValueError(f"routing must be one of {', '.join(ROUTINGS)}; got {self.routing!r}")
        if not self.handle_cv > 0:
            raise ValueError(f"handle_cv must be > 0; got {self.handle_cv}")
        if not self.day_cv >= 0:
            raise ValueError(f"day_cv must be >= 0; got {self.day_cv}")
        if not 0.0 <= self.sick_rate < 1.0:
            raise ValueError(f"sick_rate must be in [0, 1); got {self.sick_rate}")
        if not 0.0 <= self.uncertainty_correlation <= 1.0:
            raise ValueError(
                f"uncertainty_correlation must be in [0, 1]; got {self.uncertainty_correlation}"
            )
        if not self.threshold > 0:
            raise ValueError(f"threshold must be > 0 seconds; got {self.threshold}")
        if not self.short_abandon >= 0:
            raise ValueError(f"short_abandon must be >= 0 seconds; got {self.short_abandon}")

    def settings(self, model: _Model) -> dict[str, object]:
        """The settings kept with the result, with the per-queue values ``model`` resolved."""
        return {
            "patience": dict(zip(model.queues, model.patience.tolist())),
            "transfer_rate": dict(zip(model.queues, model.transfer.tolist())),
            "handle_time": self.handle_time,
            "handle_cv": self.handle_cv if self.handle_time == "lognormal" else 1.0,
            "routing": self.routing,
            "day_cv": self.day_cv,
            "sick_rate": self.sick_rate,
            "uncertainty": self.uncertainty,
            "uncertainty_correlation": self.uncertainty_correlation,
            "threshold": self.threshold,
            "short_abandon": self.short_abandon,
            "interval": model.interval,
        }


def _one_replication(
    model: _Model,
    rng: np.random.Generator,
    options: _Options,
    *,
    dispersion: np.ndarray | None,
) -> np.ndarray:
    """Counts per forecast row (rows x `_COUNT_OUT`) of one replication."""
    r_volume, r_arrival, r_call, r_sick = rng.spawn(4)
    nq, nd = len(model.queues), model.n_days
    factor = np.ones((nq, nd))
    if options.day_cv > 0:
        shape = 1.0 / (options.day_cv * options.day_cv)
        factor *= r_volume.gamma(shape, 1.0 / shape, size=(nq, nd))
    if options.uncertainty:
        assert dispersion is not None
        factor *= day_factors(r_volume, dispersion, options.uncertainty_correlation)
    lam = model.row_offered * factor[model.row_queue, model.row_day]
    n = r_arrival.poisson(lam)
    rows = np.repeat(np.arange(len(lam)), n)
    arrival = model.row_start[rows] + r_arrival.random(len(rows)) * model.interval
    u = r_call.random((3, len(rows)))
    mean = model.row_aht[rows]
    if options.handle_time == "exponential":
        handle = -mean * np.log1p(-u[0])
    else:
        sigma2 = math.log1p(options.handle_cv * options.handle_cv)
        handle = mean * np.exp(math.sqrt(sigma2) * special.ndtri(u[0]) - sigma2 / 2.0)
    queue = model.row_queue[rows]
    patience = -model.patience[queue] * np.log1p(-u[1])
    transferred_u = u[2]

    sick_rate = options.sick_rate
    sick = r_sick.random(model.n_agent_days) < sick_rate if sick_rate > 0 else None
    blocks = [
        [(s, e) for s, e, d in mine if sick is None or not sick[d]] if model.tiers[a] else []
        for a, mine in enumerate(model.blocks)
    ]
    ended = run_centre(arrival, queue, handle, patience, model.tiers, model.rank, blocks)
    wait = ended.wait
    answered = ended.state == ANSWERED
    abandoned = ended.state == ABANDONED
    outcome = np.stack(
        [
            np.ones(len(rows)),
            answered,
            abandoned,
            abandoned & (wait <= options.short_abandon),
            answered & (transferred_u < model.transfer[queue]),
            answered & (wait <= options.threshold),
            np.where(answered, wait, 0.0),
            np.where(answered, handle, 0.0),
        ]
    ).astype(float)
    out = np.empty((len(lam), len(_COUNT_OUT)))
    for k in range(len(_COUNT_OUT)):
        out[:, k] = np.bincount(rows, weights=outcome[k], minlength=len(lam))
    return out


def _replication_count(replications: int) -> int:
    """The number of replications as an int; ValueError unless a whole number >= 1."""
    if int(replications) != replications or replications < 1:
        raise ValueError(f"replications must be a whole number >= 1; got {replications}")
    return int(replications)


def _run_replications(
    model: _Model,
    options: _Options,
    *,
    replications: int,
    seed: int | None,
    progress: Callable[[int, int], None] | None,
) -> np.ndarray:
    """Counts of every replication stacked: (replications x rows) x `_COUNT_OUT`.

    One child generator per replication from ``numpy.random.default_rng(seed)``.
    """
    dispersion = _day_dispersion(model) if options.uncertainty else None
    rngs = np.random.default_rng(seed).spawn(replications)
    results = []
    for k, rng in enumerate(rngs):
        results.append(_one_replication(model, rng, options, dispersion=dispersion))
        if progress is not None:
            progress(k + 1, replications)
    return np.concatenate(results)


def _counts_table(model: _Model, stacked: np.ndarray, replications: int) -> pd.DataFrame:
    """`SimulationResult.counts`: replication, interval_start, queue and the summed outcomes."""
    counts = pd.concat([model.frame] * replications, ignore_index=True)
    counts.insert(0, "replication", np.repeat(np.arange(replications), len(model.frame)))
    for k, column in enumerate(_COUNT_OUT):
        counts[column] = stacked[:, k]
    return counts


def simulate(
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    agents: Agents,
    *,
    replications: int = 30,
    seed: int | None = 0,
    patience: float | Mapping[str, float] | None = None,
    transfer_rate: float | Mapping[str, float] | None = None,
    handle_time: str = "lognormal",
    handle_cv: float = 1.0,
    routing: str = "primary_first",
    day_cv: float = 0.0,
    sick_rate: float = 0.0,
    uncertainty: bool = False,
    uncertainty_correlation: float = 0.0,
    threshold: float = 20.0,
    short_abandon: float = 40.0,
    interval: float | None = None,
    goals: kpi.SlaGoals | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Simulate a roster against a forecast; see the module docstring for the model.

    Parameters
    ----------
    roster: ``agent_id, date, start, end, activity`` (tz-aware; only ``phone`` rows count).
    forecast: ``interval_start, queue, offered, aht_seconds`` (+ ``offered_lo, offered_hi`` for
        ``uncertainty``); calls are generated for these rows only.
    agents: ``agent_id, skills`` (``;``-separated queue names, primary first), or the agents
        prepared once by `staffing.agents.prepare_agents`.
    replications, seed: independent replications from ``numpy.random.default_rng(seed)``.
    patience, transfer_rate: one number or a mapping per queue; default per queue from
        `centre.queues.QUEUES`.
    handle_time, handle_cv: ``lognormal`` (with that coefficient of variation) or
        ``exponential``.
    routing: one of `ROUTINGS`.
    day_cv: day-level overdispersion (gamma factor, mean 1); 0 for a plain Poisson process.
    sick_rate: probability that an agent-day of the roster is lost to sickness.
    uncertainty, uncertainty_correlation: draw each day's volume from the forecast's 80 %
        prediction interval; correlation of that draw across queues of a day.
    threshold, short_abandon: service-level threshold and the SLA's short-abandon limit (s).
    interval: interval length in seconds (default: inferred from the forecast's grid).
    goals: the SLA goals kept with the result for `SimulationResult.sla_probability`.
    progress: called as ``progress(done, replications)`` after each replication.

    >>> import pandas as pd
    >>> t = pd.date_range("2026-03-02 08:00", periods=4, freq="15min", tz="Europe/Copenhagen")
    >>> forecast = pd.DataFrame({"interval_start": t, "queue": "Dagpenge", "offered": 20.0,
    ...                          "aht_seconds": 240.0})
    >>> roster = pd.DataFrame({"agent_id": ["A1", "A2"], "date": t[0].date(),
    ...     "start": t[0], "end": t[-1] + pd.Timedelta("15min"), "activity": "phone"})
    >>> agents = pd.DataFrame({"agent_id": ["A1", "A2"], "skills": "Dagpenge"})
    >>> res = simulate(roster, forecast, agents, replications=5, seed=1, patience=120)
    >>> table = res.kpi_table(by="day")
    >>> list(table.columns[:8])
    ['queue', 'date', 'offered', 'answered', 'abandoned', 'abandoned_short', 'transferred', \
'answer_rate']
    >>> bool(table.answer_rate.iloc[0] < 0.5)   # 80 calls x 4 min with 2 agents: overloaded
    True
    """
    replications = _replication_count(replications)
    options = _Options(
        handle_time=handle_time,
        handle_cv=handle_cv,
        routing=routing,
        day_cv=day_cv,
        sick_rate=sick_rate,
        uncertainty=uncertainty,
        uncertainty_correlation=uncertainty_correlation,
        threshold=threshold,
        short_abandon=short_abandon,
    )
    model = _build(
        roster,
        forecast,
        agents,
        patience=patience,
        transfer_rate=transfer_rate,
        routing=routing,
        interval=interval,
        uncertainty=uncertainty,
    )
    stacked = _run_replications(
        model, options, replications=replications, seed=seed, progress=progress
    )
    return SimulationResult(
        counts=_counts_table(model, stacked, replications),
        replications=replications,
        seed=seed,
        settings=options.settings(model),
        goals=goals or kpi.SlaGoals(threshold=threshold, short_abandon=short_abandon),
    )
