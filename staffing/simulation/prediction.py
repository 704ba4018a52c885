"""A quick prediction of a roster's KPIs with Erlang A, interval by interval.

The analytic counterpart of the simulation (`staffing.simulation.engine`): at the staffed
agents of a roster's coverage (`staffing.roster.coverage.roster_coverage`) each queue and
interval is an M/M/n+M queue (`staffing.erlang.erlang_a`), with each queue's caller patience
(`centre.queues.queue_patience`). Cheap enough to run after every hand edit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from centre.queues import queue_patience
from staffing import erlang, kpi
from staffing.requirements import DEFAULT_SHRINKAGE
from staffing.roster.coverage import required_column
from staffing.roster.rules import ShiftRules

__all__ = ["kpi_summary", "predicted_kpis"]


def predicted_kpis(
    coverage: pd.DataFrame,
    requirements: pd.DataFrame,
    *,
    shrinkage: float = DEFAULT_SHRINKAGE,
    rules: ShiftRules | None = None,
) -> pd.DataFrame:
    """Erlang A per queue and interval at the staffed agents of ``coverage``.

    Agents answering = round(staffed) : the roster's phone time is net of its holidays,
    lunches and meetings. Only when the rules cover the gross requirement
    (``cover_column = "agents_gross"``) is the staffed figure taken as gross and
    round(staffed x (1 - shrinkage)) answer. Adds
    ``offered, aht_seconds, agents_net, answer_rate, asa_seconds, p_abandon, service_level``.
    """
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(f"shrinkage must be in [0, 1); got {shrinkage}")
    cols = ["interval_start", "queue", "offered", "aht_seconds"]
    out = coverage.merge(requirements[cols], on=["interval_start", "queue"], how="left")
    gross = required_column(requirements, rules) == "agents_gross"
    net = out["staffed"] * ((1.0 - shrinkage) if gross else 1.0)
    out["agents_net"] = np.floor(net.to_numpy(dtype=float) + 0.5).astype(int)
    patience_of = queue_patience()
    patience = out["queue"].map(patience_of).fillna(float(np.median(list(patience_of.values()))))
    offered = out["offered"].fillna(0.0).to_numpy(dtype=float)
    aht = out["aht_seconds"].fillna(out["aht_seconds"].mean()).to_numpy(dtype=float)
    res = erlang.erlang_a(
        offered,
        aht,
        patience.to_numpy(dtype=float),
        out["agents_net"].to_numpy(),
        metrics=("answer_rate", "asa", "p_abandon", "service_level"),
    )
    out["answer_rate"] = np.where(offered > 0, res["answer_rate"], np.nan)
    out["asa_seconds"] = np.where(offered > 0, res["asa"], np.nan)
    out["p_abandon"] = np.where(offered > 0, res["p_abandon"], np.nan)
    out["service_level"] = np.where(offered > 0, res["service_level"], np.nan)
    return out


def kpi_summary(kpis: pd.DataFrame, *, total: bool = False) -> pd.DataFrame:
    """Per queue: offered calls, call-weighted answer rate and abandonment, the mean wait of
    answered calls (weighted by answered calls, as `staffing.kpi` defines the average wait),
    and intervals short by more than half an agent.

    ``total``: a first row for the whole centre (queue `staffing.kpi.ALL_QUEUES`), weighted
    the same way, so a page never re-weighs the queues' figures itself.
    """
    offered = kpis["offered"].fillna(0.0)
    answered = offered * (1.0 - kpis["p_abandon"].fillna(1.0))
    wait = kpis["asa_seconds"].where(np.isfinite(kpis["asa_seconds"]), 0.0).fillna(0.0)
    k = kpis.assign(
        _w=offered,
        _n=answered,
        _ar=kpis["answer_rate"].fillna(0.0) * offered,
        _asa=wait * answered,
        _ab=kpis["p_abandon"].fillna(0.0) * offered,
        _short=(kpis["shortfall"] > 0.5).astype(int),
    )
    if total:
        k = pd.concat([k.assign(queue=kpi.ALL_QUEUES), k], ignore_index=True)
    g = k.groupby("queue", sort=False)
    w = g["_w"].sum()
    safe = w.where(w > 0)
    n = g["_n"].sum()
    out = pd.DataFrame(
        {
            "offered": w,
            "answer_rate": g["_ar"].sum() / safe,
            "asa_seconds": g["_asa"].sum() / n.where(n > 0),
            "abandon_rate": g["_ab"].sum() / safe,
            "shortfall_intervals": g["_short"].sum().astype(int),
        }
    ).reset_index()
    order = out["queue"].ne(kpi.ALL_QUEUES)  # the centre first, then the queues by name
    return out.assign(_o=order).sort_values(["_o", "queue"], kind="stable").drop(columns="_o")
