"""The centre's service measures, computed one way for history, simulation and Erlang predictions.

Definitions (DOMAIN.md; document 002, "Ad 1a/1b: Målemetode", and DESIGN.md):

- **answer rate** (svarprocent / tilgængelighed) = answered / (offered - abandoned_short), where
  ``abandoned_short`` are the calls abandoned within the first 40 seconds: the SLA removes them
  from the denominator. Goal 92 %.
- **first-contact resolution** (straksafklaring / afklaringsprocent) = (answered - transferred) /
  answered: the share of answered calls that are not transferred on (002: "the calls that are not
  transferred"; an abandoned call is neither resolved nor transferred). Goal 65 %.
- **average wait** (ASA) = total wait of answered calls / answered. Goal <= 150 s (003).
- **service level** = answered within the threshold (default 20 s) / offered (DESIGN.md). History
  exports rarely carry the count answered within the threshold; the measure is computed where a
  column ``answered_within`` is present, NaN otherwise.
- **abandonment** = abandoned / offered (all abandons, short ones included).

Every measure is a ratio of sums, so a day, an ISO week or a month is computed from the summed
counts of its intervals (never as a mean of interval rates): that is how the telephony platform
and the SLA report aggregate. Calls belong to the interval in which they were offered.

One input shape serves every source: the history contract (``interval_start, queue, offered,
answered, abandoned, abandoned_short, transferred, aht_seconds, asa_seconds``), optionally with
``answered_within``. `expected_counts` turns Erlang A predictions into that shape (expected,
fractional counts) and the simulation writes it, so `kpis` lines up actual, plan and simulation
row by row (`compare`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "ALL_QUEUES",
    "COUNT_COLUMNS",
    "MEASURES",
    "PERIODS",
    "RATIOS",
    "SlaGoals",
    "answer_rate",
    "first_contact_resolution",
    "service_level",
    "abandon_rate",
    "average_wait",
    "prepare_counts",
    "kpis",
    "evaluate",
    "compare",
    "expected_counts",
    "per_queue",
    "period_columns",
    "iso_week",
]

#: Label of the rows that sum every queue (the centre as a whole).
ALL_QUEUES = "Alle køer"

#: Summable columns after `prepare_counts`: calls, and seconds of wait and handle time.
COUNT_COLUMNS: tuple[str, ...] = (
    "offered",
    "answered",
    "abandoned",
    "abandoned_short",
    "transferred",
    "answered_within",
    "wait_seconds",
    "handle_seconds",
)

#: Every measure as (numerator, denominator) of summed counts; ``countable`` is
#: ``offered - abandoned_short`` and ``resolved`` is ``answered - transferred``.
RATIOS: dict[str, tuple[str, str]] = {
    "answer_rate": ("answered", "countable"),
    "fcr": ("resolved", "answered"),
    "asa_seconds": ("wait_seconds", "answered"),
    "service_level": ("answered_within", "offered"),
    "abandon_rate": ("abandoned", "offered"),
    "aht_seconds": ("handle_seconds", "answered"),
}

#: The measures `kpis` returns, in order.
MEASURES: tuple[str, ...] = tuple(RATIOS)

#: Periods `kpis` aggregates to.
PERIODS: tuple[str, ...] = ("interval", "day", "week", "month", "total")

_REQUIRED = ("interval_start", "queue", "offered")


@dataclass(frozen=True)
class SlaGoals:
    """The service goals a period is judged against; ``None`` switches a goal off.

    Defaults are the centre's SLA for the job-centre line: answer rate 92 % (002, 003),
    first-contact resolution 65 % (002), average wait at most 150 s (003). No service level goal
    is set in the documents; give one (e.g. ``service_level=0.8, threshold=20``) to add it.
    ``threshold`` is the service level's answer-time limit and ``short_abandon`` the SLA's
    40-second rule, both in seconds.
    """

    answer_rate: float | None = 0.92
    fcr: float | None = 0.65
    asa_seconds: float | None = 150.0
    service_level: float | None = None
    threshold: float = 20.0
    short_abandon: float = 40.0

    def __post_init__(self) -> None:
        for name in ("answer_rate", "fcr", "service_level"):
            value = getattr(self, name)
            if value is not None and not 0.0 < float(value) <= 1.0:
                raise ValueError(f"{name} goal must be in (0, 1]; got {value}")
        if self.asa_seconds is not None and not float(self.asa_seconds) > 0.0:
            raise ValueError(f"asa_seconds goal must be > 0 seconds; got {self.asa_seconds}")
        if not float(self.threshold) > 0.0:
            raise ValueError(f"threshold must be > 0 seconds; got {self.threshold}")
        if not float(self.short_abandon) >= 0.0:
            raise ValueError(f"short_abandon must be >= 0 seconds; got {self.short_abandon}")

    def targets(self) -> dict[str, tuple[float, str]]:
        """The goals that are set, as ``measure -> (goal, ">=" or "<=")``."""
        out: dict[str, tuple[float, str]] = {}
        if self.answer_rate is not None:
            out["answer_rate"] = (float(self.answer_rate), ">=")
        if self.fcr is not None:
            out["fcr"] = (float(self.fcr), ">=")
        if self.asa_seconds is not None:
            out["asa_seconds"] = (float(self.asa_seconds), "<=")
        if self.service_level is not None:
            out["service_level"] = (float(self.service_level), ">=")
        return out

    def service_targets(self) -> dict[str, tuple[float, str]]:
        """The goals staffing can move (all but first-contact resolution, set by transfers)."""
        return {k: v for k, v in self.targets().items() if k != "fcr"}


def _ratio(num: object, den: object) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def answer_rate(answered: object, offered: object, abandoned_short: object) -> np.ndarray:
    """Svarprocent: answered / (offered - abandoned_short); NaN where no call counts.

    >>> float(answer_rate(80, 100, 10))  # 10 of the 20 abandons hung up within 40 s
    0.8888888888888888
    """
    return _ratio(answered, np.asarray(offered, float) - np.asarray(abandoned_short, float))


def first_contact_resolution(answered: object, transferred: object) -> np.ndarray:
    """Straksafklaring: (answered - transferred) / answered; NaN where nothing was answered."""
    return _ratio(np.asarray(answered, float) - np.asarray(transferred, float), answered)


def service_level(answered_within: object, offered: object) -> np.ndarray:
    """Answered within the threshold / offered; NaN where nothing was offered."""
    return _ratio(answered_within, offered)


def abandon_rate(abandoned: object, offered: object) -> np.ndarray:
    """Abandoned (all, short ones included) / offered; NaN where nothing was offered."""
    return _ratio(abandoned, offered)


def average_wait(wait_seconds: object, answered: object) -> np.ndarray:
    """ASA: total wait of answered calls / answered, in seconds; NaN where nothing was answered."""
    return _ratio(wait_seconds, answered)


def prepare_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Bring a history-contract frame to summable counts (`COUNT_COLUMNS`).

    ``wait_seconds`` = ``asa_seconds`` x ``answered`` and ``handle_seconds`` = ``aht_seconds`` x
    ``answered`` unless the frame already has them. Optional columns that are missing become NaN
    (and so does every measure that needs them). Extra columns (e.g. ``replication``) are kept.
    """
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(
            f"counts frame is missing column(s) {', '.join(missing)}; "
            f"expected at least {', '.join(_REQUIRED)}"
        )
    out = frame.copy()
    if not isinstance(out["interval_start"].dtype, pd.DatetimeTZDtype):
        raise ValueError(
            "interval_start must hold tz-aware timestamps (Europe/Copenhagen); "
            f"got dtype {out['interval_start'].dtype}"
        )
    answered = out["answered"].astype(float) if "answered" in out else None
    for col, per_call in (("wait_seconds", "asa_seconds"), ("handle_seconds", "aht_seconds")):
        if col in out.columns:
            out[col] = out[col].astype(float)
        elif per_call in out.columns and answered is not None:
            value = out[per_call].astype(float)
            out[col] = np.where(answered > 0, value * answered, 0.0)
        else:
            out[col] = np.nan
    for col in COUNT_COLUMNS:
        out[col] = out[col].astype(float) if col in out.columns else np.nan
    return out


def period_columns(by: str) -> list[str]:
    """The key columns a period adds: ``interval`` -> date and interval_start, ``day`` -> date,
    ``week`` -> week (ISO, ``2026-W10``), ``month`` -> month (``2026-03``), ``total`` -> none."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}; got {by!r}")
    return {
        "interval": ["date", "interval_start"],
        "day": ["date"],
        "week": ["week"],
        "month": ["month"],
        "total": [],
    }[by]


def iso_week(start: pd.Series) -> pd.Series:
    """ISO 8601 week labels (``2026-W53``) of tz-aware timestamps, in their local time."""
    if start.empty:
        return pd.Series([], index=start.index, dtype=object)
    iso = start.dt.isocalendar()
    return pd.Series(
        [f"{y:d}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])], index=start.index
    )


def _add_period(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    start = frame["interval_start"]
    if by in ("interval", "day"):
        frame["date"] = start.dt.date
    elif by == "week":
        frame["week"] = iso_week(start)
    elif by == "month":
        frame["month"] = start.dt.strftime("%Y-%m")
    return frame


def _add_measures(frame: pd.DataFrame) -> pd.DataFrame:
    frame["answer_rate"] = answer_rate(
        frame["answered"], frame["offered"], frame["abandoned_short"]
    )
    frame["fcr"] = first_contact_resolution(frame["answered"], frame["transferred"])
    frame["asa_seconds"] = average_wait(frame["wait_seconds"], frame["answered"])
    frame["service_level"] = service_level(frame["answered_within"], frame["offered"])
    frame["abandon_rate"] = abandon_rate(frame["abandoned"], frame["offered"])
    frame["aht_seconds"] = _ratio(frame["handle_seconds"], frame["answered"])
    return frame


def kpis(
    frame: pd.DataFrame,
    by: str = "day",
    *,
    keys: Sequence[str] = (),
    total: bool = False,
    queues: bool = True,
) -> pd.DataFrame:
    """The service measures per queue and period, from counts per queue and interval.

    Parameters
    ----------
    frame: counts per queue and interval in the history contract (see the module docstring);
        history, `expected_counts` output and simulation output all qualify.
    by: ``interval``, ``day``, ``week`` (ISO week), ``month`` or ``total``.
    keys: extra grouping columns kept in front (e.g. ``("replication",)``).
    total: add rows for the whole centre, with queue `ALL_QUEUES`.
    queues: keep the per-queue rows (``False`` with ``total=True`` gives the centre only).

    Returns one row per group: the keys, ``queue``, the period columns (`period_columns`), the
    summed `COUNT_COLUMNS` and the `MEASURES`. A group whose column holds a missing value gets a
    NaN sum (no silent zero). Rows are sorted by keys, period and queue.

    >>> import pandas as pd
    >>> t = pd.Timestamp("2026-03-02 10:00", tz="Europe/Copenhagen")
    >>> history = pd.DataFrame({"interval_start": [t, t + pd.Timedelta("15min")],
    ...     "queue": "Dagpenge", "offered": [60, 40], "answered": [50, 30],
    ...     "abandoned": [10, 10], "abandoned_short": [6, 4], "transferred": [20, 10],
    ...     "asa_seconds": [30.0, 90.0]})
    >>> day = kpis(history, by="day").iloc[0]
    >>> # 80 / (100 - 10) answered; (80 - 30) / 80 resolved; (50 x 30 + 30 x 90) / 80 s wait
    >>> round(float(day.answer_rate), 4), float(day.fcr), float(day.asa_seconds)
    (0.8889, 0.625, 52.5)
    """
    if not queues and not total:
        raise ValueError("kpis needs queues=True or total=True; got both False")
    keys = list(keys)
    for key in keys:
        if key not in frame.columns:
            raise ValueError(f"key column {key!r} is not in the counts frame")
    counts = _add_period(prepare_counts(frame), by)
    periods = period_columns(by)
    cols = list(COUNT_COLUMNS)
    parts = []
    if queues:
        groups = [*keys, "queue", *periods]
        parts.append(counts.groupby(groups, sort=False, dropna=False)[cols].sum(min_count=1))
        # A NaN anywhere in a group makes the sum NaN: missing data must not read as zero.
        gaps = counts[cols].isna().groupby([counts[g] for g in groups], sort=False).any()
        parts[-1] = parts[-1].mask(gaps.reindex(parts[-1].index).to_numpy())
    if total:
        tgroups = [*keys, *periods]
        if tgroups:
            summed = counts.groupby(tgroups, sort=False, dropna=False)[cols].sum(min_count=1)
            gaps = counts[cols].isna().groupby([counts[g] for g in tgroups], sort=False).any()
            summed = summed.mask(gaps.reindex(summed.index).to_numpy())
            summed = summed.reset_index()
        else:
            summed = counts[cols].sum(min_count=1).to_frame().T
            summed.loc[:, counts[cols].isna().any().to_numpy()] = np.nan
        summed["queue"] = ALL_QUEUES
        parts.append(summed.set_index([*keys, "queue", *periods]))
    out = pd.concat(parts).reset_index()
    out = _add_measures(out)
    out["_all"] = out["queue"] != ALL_QUEUES  # the centre first, then the queues
    out = out.sort_values([*keys, *periods, "_all", "queue"], kind="stable")
    return out.drop(columns="_all").reset_index(drop=True)[
        [*keys, "queue", *periods, *cols, *MEASURES]
    ]


def evaluate(
    table: pd.DataFrame,
    goals: SlaGoals | None = None,
    *,
    measures: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Judge each row of a `kpis` table against the goals.

    Adds ``meets_<measure>`` (bool) for every goal that is set (or for ``measures``) and
    ``meets_sla`` (all of them). A row whose measure is NaN (no call counted: nothing was lost)
    meets that goal. Goals are met at equality (92.0 % meets 92 %; 150 s meets 150 s).
    """
    goals = goals or SlaGoals()
    targets = goals.targets()
    if measures is not None:
        measures = list(measures)
        unknown = [m for m in measures if m not in targets]
        if unknown:
            raise ValueError(
                f"no goal is set for measure(s) {', '.join(unknown)}; goals set: "
                f"{', '.join(targets) or 'none'}"
            )
        targets = {m: targets[m] for m in measures}
    out = table.copy()
    meets = np.ones(len(out), dtype=bool)
    for measure, (goal, sense) in targets.items():
        value = out[measure].to_numpy(dtype=float)
        ok = value >= goal - 1e-12 if sense == ">=" else value <= goal + 1e-9
        ok = ok | np.isnan(value)
        out[f"meets_{measure}"] = ok
        meets &= ok
    out["meets_sla"] = meets
    return out


def compare(
    sources: Mapping[str, pd.DataFrame],
    by: str = "day",
    *,
    measures: Sequence[str] = ("offered", "answer_rate", "fcr", "asa_seconds", "abandon_rate"),
    total: bool = False,
) -> pd.DataFrame:
    """Actual, plan and simulation side by side: one row per queue and period.

    ``sources`` maps a label (e.g. ``"actual"``, ``"erlang"``, ``"simulated"``) to counts per queue
    and interval; each is put through `kpis` and the chosen columns are suffixed with the label
    (``answer_rate_actual``). Rows are the union of all sources (an outer join).
    """
    if not sources:
        raise ValueError("compare needs at least one source; got none")
    keys = ["queue", *period_columns(by)]
    merged: pd.DataFrame | None = None
    for label, frame in sources.items():
        table = kpis(frame, by=by, total=total)
        missing = [m for m in measures if m not in table.columns]
        if missing:
            raise ValueError(f"unknown measure(s) {', '.join(missing)}")
        part = table[[*keys, *measures]].rename(columns={m: f"{m}_{label}" for m in measures})
        merged = part if merged is None else merged.merge(part, on=keys, how="outer")
    assert merged is not None
    return merged.sort_values(keys[1:] + keys[:1], kind="stable").reset_index(drop=True)


def per_queue(
    value: float | Mapping[str, float] | None,
    queues: Iterable[str],
    *,
    name: str,
    spec_attribute: str | None = None,
    low: float = 0.0,
    high: float = math.inf,
) -> dict[str, float]:
    """Resolve a parameter given as one number, a mapping per queue, or ``None``.

    ``None`` (or a queue missing from a mapping) takes the queue's default from
    `centre.queues.QUEUES` (attribute ``spec_attribute``) when the queue is one of the centre's
    ten; otherwise a ValueError names the queue. Values must lie in ``[low, high]``.
    """
    from centre.queues import QUEUES

    specs = {q.name: q for q in QUEUES}
    out: dict[str, float] = {}
    for queue in dict.fromkeys(queues):
        if isinstance(value, Mapping) and queue in value:
            v = value[queue]
        elif value is not None and not isinstance(value, Mapping):
            v = value
        elif spec_attribute is not None and queue in specs:
            v = getattr(specs[queue], spec_attribute)
        else:
            raise ValueError(
                f"{name} is not given for queue {queue!r} and the queue has no default; "
                f"pass one number or a mapping with every queue"
            )
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise ValueError(f"{name} for queue {queue!r} must be a number; got {v!r}") from None
        if not low <= v <= high or math.isnan(v):
            raise ValueError(f"{name} for queue {queue!r} must be in [{low}, {high}]; got {v}")
        out[queue] = v
    return out


def expected_counts(
    frame: pd.DataFrame,
    *,
    patience: float | Mapping[str, float] | None = None,
    transfer_rate: float | Mapping[str, float] | None = None,
    threshold: float = 20.0,
    short_abandon: float = 40.0,
    interval: float = 900.0,
) -> pd.DataFrame:
    """Erlang A predictions as expected counts in the history contract, for `kpis`.

    ``frame`` has ``interval_start, queue, offered, aht_seconds, agents`` (agents on the phone for
    the queue; a requirements table joined with the forecast, or coverage derived from a roster).
    Each row is treated as a stationary M/M/n+M queue over the interval
    (`staffing.erlang.erlang_a`): answered = offered x (1 - p_abandon), abandoned = offered x
    p_abandon, abandoned_short = offered x p_abandon_short, answered_within = offered x
    service_level, wait_seconds = answered x asa, transferred = answered x transfer rate.
    ``patience`` and ``transfer_rate`` default per queue to `centre.queues.QUEUES`.
    Fractional ``agents`` (cross-trained agents split over queues) interpolate the expected
    counts linearly between the whole numbers of agents below and above.
    """
    from staffing import erlang

    need = ("interval_start", "queue", "offered", "aht_seconds", "agents")
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ValueError(
            f"expected_counts needs column(s) {', '.join(missing)}; expected {', '.join(need)}"
        )
    queues = frame["queue"].astype(str)
    pat = per_queue(patience, queues, name="patience", spec_attribute="patience_seconds")
    tra = per_queue(
        transfer_rate, queues, name="transfer_rate", spec_attribute="transfer_share", high=1.0
    )
    calls = frame["offered"].to_numpy(dtype=float)
    aht = frame["aht_seconds"].to_numpy(dtype=float)
    agents = frame["agents"].to_numpy(dtype=float)
    if not (np.isfinite(agents) & (agents >= 0)).all():
        raise ValueError("agents must be finite and >= 0 in every row")
    aht = np.where(calls > 0, aht, np.nanmean(aht) if np.isfinite(aht).any() else 1.0)
    patience_arr = queues.map(pat).to_numpy(dtype=float)

    def counts_at(n: np.ndarray) -> dict[str, np.ndarray]:
        r = erlang.erlang_a(
            calls,
            aht,
            patience_arr,
            n,
            threshold=threshold,
            short_abandon=short_abandon,
            interval=interval,
        )
        answered = calls * (1.0 - np.asarray(r["p_abandon"], dtype=float))
        asa = np.asarray(r["asa"], dtype=float)
        return {
            "answered": answered,
            "abandoned": calls * np.asarray(r["p_abandon"], dtype=float),
            "abandoned_short": calls * np.asarray(r["p_abandon_short"], dtype=float),
            "answered_within": calls * np.asarray(r["service_level"], dtype=float),
            "wait_seconds": np.where(answered > 0, answered * np.where(answered > 0, asa, 0), 0.0),
        }

    # Fractional agents (a cross-trained agent split over queues): linear interpolation of the
    # expected counts between the whole numbers below and above.
    low = np.floor(agents)
    weight = agents - low
    expected = counts_at(low)
    if (weight > 0).any():
        upper = counts_at(low + (weight > 0))
        expected = {k: (1 - weight) * v + weight * upper[k] for k, v in expected.items()}
    answered = expected["answered"]
    out = frame[["interval_start", "queue"]].copy()
    out["offered"] = calls
    out["answered"] = answered
    out["abandoned"] = expected["abandoned"]
    out["abandoned_short"] = expected["abandoned_short"]
    out["transferred"] = answered * queues.map(tra).to_numpy(dtype=float)
    out["answered_within"] = expected["answered_within"]
    out["wait_seconds"] = expected["wait_seconds"]
    out["handle_seconds"] = answered * aht
    out["aht_seconds"] = aht
    out["asa_seconds"] = np.where(
        answered > 0, expected["wait_seconds"] / np.where(answered > 0, answered, 1.0), np.nan
    )
    return out.reset_index(drop=True)
