"""A roster's coverage: agents on the phone per queue and interval against the requirement.

Pure: any roster (the optimizer's or a hand-edited one), the requirements and the agents in,
one table out. Cross-trained agents split their phone time over their queues by iterative
proportional fitting (`split_phone_time`), so the figure is what the people on the phone can
give each queue, not a count that credits a cross-trained agent to every queue at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from staffing.agents import Agents, agent_skills
from staffing.roster.rules import ShiftRules

__all__ = ["ITERATIONS", "required_column", "roster_coverage", "split_phone_time"]


def required_column(requirements: pd.DataFrame, rules: ShiftRules | None = None) -> str:
    """The requirement the roster covers (``rules.cover_column``, default the net ``agents``)."""
    return (rules or ShiftRules()).covered_column(requirements.columns)


def split_phone_time(on: np.ndarray, skills: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Agents on the phone (T, A) over their skilled queues (A, Q) to meet ``need`` (T, Q).

    Iterative proportional fitting (Deming & Stephan 1940): each agent splits their time over
    their queues in proportion to queue weights that start at the requirement and are scaled by
    required / staffed each round, so a small queue that a proportional split would leave short
    draws the cross-trained agents it needs. Each agent's time always sums to 1 (where they have
    a skill); returns staffed agents per interval and queue (T, Q).
    """
    weight = need + 1e-9  # equal split where no skilled queue needs anyone
    staffed = np.zeros_like(need)
    for _ in range(ITERATIONS):
        denom = weight @ skills.T  # (T, A)
        share = np.divide(on, denom, out=np.zeros_like(denom), where=denom > 0)
        staffed = (share @ skills) * weight
        ratio = np.divide(need + 1e-9, staffed, out=np.ones_like(need), where=staffed > 1e-12)
        weight = weight * np.clip(ratio, 0.2, 5.0)
        weight = weight / np.maximum(weight.max(axis=1, keepdims=True), 1e-300)
    return staffed


ITERATIONS = 50


def roster_coverage(
    roster: pd.DataFrame, requirements: pd.DataFrame, agents: Agents
) -> pd.DataFrame:
    """Agents on the phone per queue and interval against the requirement.

    An agent's phone time in an interval is split over their skilled queues so as to meet the
    requirements where it can (`split_phone_time`). Returns
    ``interval_start, queue, required, staffed, shortfall, surplus`` for every requirement row.
    """
    need = required_column(requirements)
    req = requirements[["interval_start", "queue", need]].rename(columns={need: "required"})
    req["required"] = req["required"].astype(float)
    table = req.pivot_table(
        index="interval_start", columns="queue", values="required", aggfunc="sum", fill_value=0.0
    )
    times, queues = table.index, list(table.columns)
    r = table.to_numpy(dtype=float)  # (T, Q)
    skills = agent_skills(agents)
    ids = sorted(skills)
    s = np.array([[q in skills[a] for q in queues] for a in ids], dtype=float)  # (A, Q)
    on = np.zeros((len(ids), len(times)))  # (A, T)
    phone = roster[roster["activity"] == "phone"] if len(roster) else roster
    if len(phone) and len(times):
        step = times.to_series().diff().min() if len(times) > 1 else pd.Timedelta(minutes=15)
        step = step if pd.notna(step) else pd.Timedelta(minutes=15)
        index = {a: i for i, a in enumerate(ids)}
        t_ns = pd.DatetimeIndex(times).as_unit("ns").asi8
        for agent, start, end in zip(phone["agent_id"], phone["start"], phone["end"], strict=True):
            i = index.get(str(agent))
            if i is None:
                continue
            # the interval counts when the block covers it entirely
            s_ns, e_ns = pd.Timestamp(start).value, pd.Timestamp(end).value
            on[i] += (t_ns >= s_ns) & (t_ns + step.value <= e_ns)
    staffed = split_phone_time(on.T, s, r)
    out = pd.DataFrame(staffed, index=times, columns=table.columns).stack().rename("staffed")
    out = req.merge(out.reset_index(), on=["interval_start", "queue"], how="left")
    out["staffed"] = out["staffed"].fillna(0.0).round(6)
    out["shortfall"] = (out["required"] - out["staffed"]).clip(lower=0.0)
    out["surplus"] = (out["staffed"] - out["required"]).clip(lower=0.0)
    return out
