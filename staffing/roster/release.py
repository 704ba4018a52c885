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
import time
from collections import defaultdict
from functools import cache, lru_cache

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


@cache
def _bits(k: int) -> np.ndarray:
    """Which of ``k`` queues each subset holds, ``(2**k - 1, k)`` (0/1)."""
    return (_subsets(k)[:, None] >> np.arange(k)[None, :]) & 1


@lru_cache(maxsize=4096)
def _touches(masks: tuple[int, ...], k: int) -> np.ndarray:
    """Which subsets of ``k`` queues each kind of agent (skill ``masks``) touches."""
    return (_subsets(k)[:, None] & np.asarray(masks, dtype=np.int64)[None, :]) != 0


def _hall(masks: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hall's sets for the kinds of agent (distinct skill ``masks`` over the ``need``'s
    queues): which subsets each kind touches ``(subsets, kinds)`` and each subset's need."""
    demand = _bits(len(need)) @ need
    touches = _touches(tuple(masks.tolist()), len(need))
    return touches, demand


@lru_cache(maxsize=4096)
def _masks(skills: tuple[frozenset[int], ...], queues: tuple[int, ...]) -> np.ndarray:
    """The skill mask of each of ``skills`` over ``queues`` (bit i: queue ``queues[i]``)."""
    pos = {q: i for i, q in enumerate(queues)}
    return np.array([sum(1 << pos[q] for q in s if q in pos) for s in skills], dtype=np.int64)


def can_leave(skills: list[frozenset[int]], need: dict[int, int]) -> np.ndarray:
    """For each agent on the phone (``skills``: the queue numbers each can take), whether the
    others still cover ``need`` (queue number -> agents) as well as all of them do.

    >>> can_leave([frozenset({0}), frozenset({0, 1}), frozenset({1})], {0: 1, 1: 1}).tolist()
    [True, True, True]
    >>> can_leave([frozenset({0}), frozenset({0, 1}), frozenset({1})], {0: 2, 1: 0}).tolist()
    [False, False, True]
    """
    return _leave_ok(skills, np.ones(len(skills), dtype=np.int64), need)


def _leave_ok(skills: list[frozenset[int]], counts: np.ndarray, need: dict[int, int]) -> np.ndarray:
    """`can_leave` for groups of agents: ``counts[i]`` agents with the skills ``skills[i]``
    are on the phone; whether one of group ``i`` can leave."""
    queues = sorted(q for q, n in need.items() if n > 0)
    out = np.ones(len(skills), dtype=bool)
    if not queues or not skills:
        return out
    masks = _masks(tuple(skills), tuple(queues))
    kinds, inverse = np.unique(masks, return_inverse=True)
    counts = np.bincount(inverse, weights=counts, minlength=len(kinds)).astype(np.int64)
    needs = np.array([need[q] for q in queues], dtype=np.int64)
    if len(queues) <= HALL_LIMIT:
        touches, demand = _hall(kinds, needs)
        slack = touches @ counts - demand
        # what the agents cover is the need less the largest deficiency -min(slack) (Hall's
        # theorem with deficiency, Ore 1955): leaving must not make any set worse than that,
        # so no kind may leave that touches a set with less slack than one more than that
        tight = slack < 1 + min(0, int(slack.min()))
        ok = ~touches[tight].any(axis=0)
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
    """Who is on the phone per day, slot and agent (and how many of each kind of agent and of
    each team), what each slot needs, and per slot which kinds of agent can leave (computed
    when asked, dropped when the slot changes). Agents with the same skills are one kind:
    whether one can leave depends on the kind only (Hall's condition counts agents by skills).
    """

    def __init__(self, inst: Instance, phone: dict[tuple[int, int], np.ndarray]) -> None:
        self.inst = inst
        n = len(inst.agents)
        queue_no = {q: i for i, q in enumerate(inst.queues)}
        kinds: dict[frozenset[int], int] = {}
        self.kind_of = np.asarray(
            [
                kinds.setdefault(
                    frozenset(queue_no[q] for q in a.skills if q in queue_no), len(kinds)
                )
                for a in inst.agents
            ],
            dtype=np.int64,
        )
        self.kind_skills = list(kinds)
        self.on = {day.index: np.zeros((day.n_slots, n), dtype=bool) for day in inst.days}
        for (d, j), vec in phone.items():
            self.on[d][j] = vec.astype(bool)
        self.kind_count = {
            d: np.stack([np.bincount(self.kind_of[row], minlength=len(kinds)) for row in grid])
            if len(grid)
            else np.zeros((0, len(kinds)), dtype=np.int64)
            for d, grid in self.on.items()
        }
        need: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for queue, d, j, required in zip(
            inst.requirement["queue"],
            inst.requirement["day"],
            inst.requirement["slot"],
            inst.requirement["required"],
        ):
            need[(int(d), int(j))][queue_no[queue]] = math.ceil(float(required) - 1e-6)
        self.need = dict(need)
        self.has_need = {d: np.zeros(len(grid), dtype=bool) for d, grid in self.on.items()}
        for d, j in self.need:
            if j < len(self.has_need[d]):
                self.has_need[d][j] = True
        teams = sorted(inst.teams)
        self.team_of = np.full(n, -1, dtype=np.int64)
        for t, team in enumerate(teams):
            self.team_of[list(inst.teams[team])] = t
        self.team_count = {
            d: grid[:, self.team_of >= 0].astype(np.int64)
            @ (self.team_of[self.team_of >= 0][:, None] == np.arange(len(teams))[None, :])
            for d, grid in self.on.items()
        }
        self.team_slot = {d: np.zeros(len(grid), dtype=bool) for d, grid in self.on.items()}
        for d, slots in inst.team_slots.items():
            if d in self.team_slot:
                self.team_slot[d][[j for j in slots if j < len(self.team_slot[d])]] = True
        #: per day: which kinds can leave at each slot, and whether that row is up to date
        self.ok = {d: np.zeros((len(g), len(kinds)), dtype=bool) for d, g in self.on.items()}
        self.fresh = {d: np.zeros(len(g), dtype=bool) for d, g in self.on.items()}

    def free(self, a: int, d: int, first: int, end: int) -> np.ndarray:
        """Whether agent ``a`` can leave the phone (and is on it) at slots first..end-1 of
        day ``d``."""
        on = self.on[d][first:end, a]
        ok = on & self.has_need[d][first:end]
        team = self.team_of[a]
        if team >= 0:
            ok &= ~self.team_slot[d][first:end] | (self.team_count[d][first:end, team] > 1)
        kind = self.kind_of[a]
        for j in (first + np.flatnonzero(ok & ~self.fresh[d][first:end])).tolist():
            self._leave(d, j)
        return ok & self.ok[d][first:end, kind]

    def _leave(self, d: int, j: int) -> None:
        """Which kinds of agent can leave at (d, j)."""
        counts = self.kind_count[d][j]
        present = np.flatnonzero(counts)
        row = np.zeros(len(counts), dtype=bool)
        row[present] = _leave_ok(
            [self.kind_skills[k] for k in present.tolist()], counts[present], self.need[(d, j)]
        )
        self.ok[d][j] = row
        self.fresh[d][j] = True

    def take(self, a: int, d: int, first: int, slots: int) -> None:
        end = first + slots
        self.on[d][first:end, a] = False
        self.kind_count[d][first:end, self.kind_of[a]] -= 1
        if self.team_of[a] >= 0:
            self.team_count[d][first:end, self.team_of[a]] -= 1
        self.fresh[d][first:end] = False


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
    *,
    deadline: float = math.inf,
) -> tuple[dict[tuple[int, int], list[tuple[int, int]]], bool]:
    """The off-phone blocks of a plan: (agent, day) -> [(first slot, slots)], sorted, and
    whether every block that fits was placed.

    ``shifts``: the plan's (agent, day) -> (template, lunch slot); ``phone``: (day, slot) ->
    0/1 of every agent on the phone (`staffing.roster.readback`). See the module docstring.
    When the clock (`time.perf_counter`) passes ``deadline`` the rounds stop: the blocks placed
    by then are returned (each a valid release on its own) with False.
    """
    rules = inst.rules
    lo = max(1, math.ceil(rules.off_phone_min_minutes / rules.interval_minutes))
    hi = max(lo, rules.off_phone_max_minutes // rules.interval_minutes)
    state = _Phone(inst, phone)
    released: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    total: dict[int, int] = defaultdict(int)
    candidates = sorted(key for key in shifts if key not in inst.locks)
    done = True
    while done:
        placed = False
        for n, (a, d) in enumerate(sorted(candidates, key=lambda k: (total[k[0]], k[1], k[0]))):
            if n % 64 == 0 and time.perf_counter() > deadline:
                done = False
                break
            template = inst.templates[(a, d)][shifts[(a, d)][0]]
            on = state.on[d][template.start : template.end, a].tolist()
            free = state.free(a, d, template.start, template.end).tolist()
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
    return {key: _merged(blocks) for key, blocks in released.items()}, done


def _merged(blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Blocks sorted, touching ones joined."""
    out: list[tuple[int, int]] = []
    for first, n in sorted(blocks):
        if out and out[-1][0] + out[-1][1] == first:
            out[-1] = (out[-1][0], out[-1][1] + n)
        else:
            out.append((first, n))
    return out
