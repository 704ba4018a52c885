"""Phone time the week does not need goes to off-phone work.

The roster's people are on shift for their contract hours; the requirement (for the SLA over
the week, `staffing.period`) needs fewer agent-hours on the phone than that. The centre's
documents say what the rest is for: "meetings and development work run in parallel with
operations when the forecast allows" (document 003), and agents take written enquiries and
case work beside the phone. `release_surplus` takes an optimised plan and moves every
stretch of phone time that the requirement does not need to the roster activity
``off_phone``, so that the roster's phone time is the requirement (the simulation and every
KPI then see the centre the SLA was staffed for) and the planner sees when each agent is free
for other work.

An agent can leave the phone for an interval when the agents who stay can still cover every
queue's requirement in it, with their skills. That is Hall's condition for the bipartite
covering of agents (one each) to queues (``need[q]`` each; P. Hall, 1935, "On
representatives of subsets", J. London Math. Soc. 10:26): for every set S of the interval's
queues with a need, the agents skilled in at least one queue of S number at least the needs of
S. When some set falls short, the agents cover the need less the largest deficiency (Ore's
deficiency version, 1955). Agent *a* can leave without lowering what the interval can cover
exactly when every S that *a* is skilled in has a slack of at least one more than the
smallest slack (or zero). With more than `HALL_LIMIT` queues needing
agents in one interval the subsets are too many and a maximum flow (scipy) decides instead.

Greedy, in rounds: in each round every agent-day (the agent with the least off-phone time so
far first, so the work is spread evenly) gets at most one block of `ShiftRules.
off_phone_min_minutes` to `off_phone_max_minutes`, never leaving a piece of phone time
shorter than the minimum between two other activities; rounds stop when no block fits. The
team floor (`ShiftRules.team_floor`) holds: the last member of a team on the phone in the
phone hours stays. Locked agent-days are left as the planner locked them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from staffing.roster.instance import Instance

__all__ = ["HALL_LIMIT", "OFF_PHONE", "release_surplus", "can_leave"]

#: The roster activity of the time released.
OFF_PHONE = "off_phone"
#: Up to this many queues with a need in one interval, Hall's condition is checked over all
#: their subsets (2**12 = 4,096); above, by a maximum flow per kind of agent.
HALL_LIMIT = 12


@cache
def _subsets(k: int) -> np.ndarray:
    """All non-empty subsets of ``k`` queues as bit masks, ``(2**k - 1,)``."""
    return np.arange(1, 2**k, dtype=np.int64)


def _hall(masks: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hall's sets for the kinds of agent (distinct skill ``masks`` over the ``need``'s
    queues): which subsets each kind touches ``(subsets, kinds)`` and each subset's need."""
    subsets = _subsets(len(need))
    bits = (subsets[:, None] >> np.arange(len(need))[None, :]) & 1
    demand = bits @ need
    touches = (subsets[:, None] & masks[None, :]) != 0
    return touches, demand


def can_leave(skills: list[frozenset[int]], need: dict[int, int]) -> np.ndarray:
    """For each agent on the phone (``skills``: the queue numbers each can take), whether the
    others still cover ``need`` (queue number -> agents) as well as all of them do.

    >>> can_leave([frozenset({0}), frozenset({0, 1}), frozenset({1})], {0: 1, 1: 1}).tolist()
    [True, True, True]
    >>> can_leave([frozenset({0}), frozenset({0, 1}), frozenset({1})], {0: 2, 1: 0}).tolist()
    [False, False, True]
    """
    queues = sorted(q for q, n in need.items() if n > 0)
    out = np.ones(len(skills), dtype=bool)
    if not queues or not skills:
        return out
    pos = {q: i for i, q in enumerate(queues)}
    masks = np.array([sum(1 << pos[q] for q in s if q in pos) for s in skills], dtype=np.int64)
    kinds, inverse = np.unique(masks, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(kinds))
    needs = np.array([need[q] for q in queues], dtype=np.int64)
    if len(queues) <= HALL_LIMIT:
        touches, demand = _hall(kinds, needs)
        slack = (touches * counts[None, :]).sum(axis=1) - demand
        worst = np.where(touches, slack[:, None], np.iinfo(np.int64).max).min(axis=0)
        # what the agents cover is the need less the largest deficiency -min(slack) (Hall's
        # theorem with deficiency, Ore 1955): leaving must not make any set worse than that
        ok = worst >= 1 + min(0, int(slack.min()))
    else:
        full = _max_flow(kinds, counts, needs)
        ok = np.array(
            [
                _max_flow(kinds, counts - np.eye(len(kinds), dtype=np.int64)[t], needs) >= full
                for t in range(len(kinds))
            ]
        )
    return ok[inverse]


def _max_flow(kinds: np.ndarray, counts: np.ndarray, needs: np.ndarray) -> int:
    """Agents of each kind (count, skill mask) to queues (needs): the most that can be covered."""
    n_k, n_q = len(kinds), len(needs)
    source, sink = 0, 1 + n_k + n_q
    rows, cols, caps = [], [], []
    for t in range(n_k):
        rows.append(source)
        cols.append(1 + t)
        caps.append(int(counts[t]))
        for q in range(n_q):
            if kinds[t] >> q & 1:
                rows.append(1 + t)
                cols.append(1 + n_k + q)
                caps.append(int(counts[t]))
    for q in range(n_q):
        rows.append(1 + n_k + q)
        cols.append(sink)
        caps.append(int(needs[q]))
    graph = csr_matrix((caps, (rows, cols)), shape=(sink + 1, sink + 1), dtype=np.int32)
    return int(maximum_flow(graph, source, sink).flow_value)


class _Phone:
    """Who is on the phone per (day, slot) and what each slot needs, with a cache of who can
    leave that is dropped when the slot changes."""

    def __init__(self, inst: Instance, phone: dict[tuple[int, int], np.ndarray]) -> None:
        self.inst = inst
        self.on = {key: vec.astype(bool) for key, vec in phone.items()}
        queue_no = {q: i for i, q in enumerate(inst.queues)}
        self.skills = [
            frozenset(queue_no[q] for q in a.skills if q in queue_no) for a in inst.agents
        ]
        need: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for row in inst.requirement.itertuples(index=False):
            need[(int(row.day), int(row.slot))][queue_no[row.queue]] = math.ceil(
                float(row.required) - 1e-6
            )
        self.need = dict(need)
        self.team_of = {a: team for team, members in inst.teams.items() for a in members}
        self._cache: dict[tuple[int, int], dict[int, bool]] = {}

    def free(self, a: int, d: int, j: int) -> bool:
        """Whether agent ``a`` can leave the phone at (d, j) (and is on it)."""
        key = (d, j)
        on = self.on.get(key)
        if on is None or not on[a] or key not in self.need:
            return False
        if not self._team_keeps(a, d, j, on):
            return False
        if key not in self._cache:
            who = np.flatnonzero(on)
            ok = can_leave([self.skills[i] for i in who], self.need[key])
            self._cache[key] = dict(zip(who.tolist(), ok.tolist()))
        return self._cache[key][a]

    def _team_keeps(self, a: int, d: int, j: int, on: np.ndarray) -> bool:
        team = self.team_of.get(a)
        if team is None or j not in self.inst.team_slots.get(d, ()):
            return True
        return sum(bool(on[m]) for m in self.inst.teams[team]) > 1

    def take(self, a: int, d: int, first: int, slots: int) -> None:
        for j in range(first, first + slots):
            self.on[(d, j)][a] = False
            self._cache.pop((d, j), None)


def _phone_runs(status: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of True in ``status``: (first, end)."""
    runs, start = [], None
    for i, on in enumerate([*status, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _best_block(free: list[bool], phone: list[bool], lo: int, hi: int) -> tuple[int, int] | None:
    """The longest block of free slots, ``lo`` to ``hi`` long, that leaves no piece of phone
    time shorter than ``lo`` beside it (offsets in the shift); earliest first on ties."""
    runs = {first: end for first, end in _phone_runs(phone)}
    best: tuple[int, int] | None = None
    for first, end in _phone_runs(free):
        run_start = max(s for s in runs if s <= first)
        run_end = runs[run_start]
        for length in range(min(hi, end - first), lo - 1, -1):
            if best is not None and length <= best[1]:
                break
            for s in range(first, end - length + 1):
                before, after = s - run_start, run_end - (s + length)
                if (before == 0 or before >= lo) and (after == 0 or after >= lo):
                    best = (s, length)
                    break
    return best


def release_surplus(
    inst: Instance,
    shifts: dict[tuple[int, int], tuple[int, int]],
    phone: dict[tuple[int, int], np.ndarray],
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """The off-phone blocks of a plan: (agent, day) -> [(first slot, slots)], sorted.

    ``shifts``: the plan's (agent, day) -> (template, lunch slot); ``phone``: (day, slot) ->
    0/1 of every agent on the phone (`staffing.roster.readback`). See the module docstring.
    """
    rules = inst.rules
    lo = max(1, math.ceil(rules.off_phone_min_minutes / rules.interval_minutes))
    hi = max(lo, rules.off_phone_max_minutes // rules.interval_minutes)
    state = _Phone(inst, phone)
    released: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    total: dict[int, int] = defaultdict(int)
    candidates = sorted(key for key in shifts if key not in inst.locks)
    while True:
        placed = False
        for a, d in sorted(candidates, key=lambda k: (total[k[0]], k[1], k[0])):
            template = inst.templates[(a, d)][shifts[(a, d)][0]]
            slots = range(template.start, template.end)
            on = [bool(state.on.get((d, j), np.zeros(a + 1))[a]) for j in slots]
            free = [on[i] and state.free(a, d, j) for i, j in enumerate(slots)]
            block = _best_block(free, on, lo, hi)
            if block is None:
                continue
            first = template.start + block[0]
            state.take(a, d, first, block[1])
            released[(a, d)].append((first, block[1]))
            total[a] += block[1]
            placed = True
        if not placed:
            break
    return {key: _merged(blocks) for key, blocks in released.items()}


def _merged(blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Blocks sorted, touching ones joined."""
    out: list[tuple[int, int]] = []
    for first, n in sorted(blocks):
        if out and out[-1][0] + out[-1][1] == first:
            out[-1] = (out[-1][0], out[-1][1] + n)
        else:
            out.append((first, n))
    return out
