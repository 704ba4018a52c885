"""The loop version of `staffing.roster.master.separate_pools`, before it was vectorized
(helper, not a test): the oracle of tests/test_separate_pools.py and the baseline of
benchmarks/separate_pools.py."""

from __future__ import annotations

import numpy as np

from staffing.roster.master import (
    Master,
    _add_team_row,
    _append_entry,
    _floor_matrices,
    _flush_entries,
    _hhmm,
    _new_row,
    _phone_by_slot,
)


def reference_separate_pools(
    m: Master, x: np.ndarray, *, per_slot: int = 3, tol: float = 1e-6
) -> list[int]:
    """`separate_pools` before it was vectorized, verbatim."""
    inst = m.inst
    required = m.required
    covered = required.copy()
    for i, segs in enumerate(m.under_cols):
        if segs:
            covered[i] -= float(x[segs].sum())
    phone, index = _phone_by_slot(m, x)
    skill, queues, member, teams = _floor_matrices(m)
    skilled_on = phone @ skill.T  # (slots, queues)
    team_on = phone @ member.T  # (slots, teams)
    queue_row = {q: r for r, q in enumerate(queues)}
    team_row = {team: r for r, team in enumerate(teams)}
    new_rows: list[int] = []
    for i, c_empty in m.empty_col.items():
        if ("floor", i) in m.row_of:
            continue
        d, j, q = m.req_day[i], m.req_slot[i], m.req_queue[i]
        s = index.get((d, j))
        if s is not None and q in queue_row and skilled_on[s, queue_row[q]] >= 1 - tol:
            continue
        name = f"floor_q{m.queue_number[q]}_{_hhmm(inst, d, j)}"
        r = _new_row(m, ("floor", i), name, 1.0, d, j, m.skilled.get(q, set()))
        _append_entry(m, c_empty, r, 1.0)
        new_rows.append(r)
    for team_key in m.team_empty:
        if ("team", *team_key) in m.row_of:
            continue
        team, d, j = team_key
        s = index.get((d, j))
        if s is not None and team_on[s, team_row[team]] >= 1 - tol:
            continue
        new_rows.append(_add_team_row(m, team_key))
    n_kinds = len(m.kind_skills)
    for (d, j), (rows, (members, hits)) in m.pool_slots.items():
        s = index.get((d, j))
        phone_kind = np.zeros(n_kinds)
        if s is not None:
            phone_kind += np.bincount(m.kind_of, weights=phone[s], minlength=n_kinds)
        violation = members @ covered[rows] - hits @ phone_kind
        worst = np.argsort(-violation)[:per_slot]
        for s_ in worst:
            if violation[s_] <= tol:
                break
            queue_rows = rows[members[s_]]
            key = ("pool", d, j, tuple(int(r) for r in queue_rows))
            if key in m.row_of:
                continue
            names = "_".join(f"q{m.queue_number[m.req_queue[r]]}" for r in queue_rows)
            r_pool = _new_row(
                m,
                key,
                f"pool_{names}_{_hhmm(inst, d, j)}",
                float(required[queue_rows].sum()),
                d,
                j,
                set(np.flatnonzero(hits[s_][m.kind_of]).tolist()),
            )
            for r in queue_rows:
                for c in m.under_cols[r]:
                    _append_entry(m, c, r_pool, 1.0)
            new_rows.append(r_pool)
    _flush_entries(m)
    return new_rows
