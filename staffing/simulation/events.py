"""The event loop of one simulated replication: calls, agents' phone blocks and the routing.

A plain discrete-event loop on a `heapq`, written to give exactly the numbers of the SimPy
processes it replaced (vagtplan up to commit a6a520e): `tests/test_simulate_events.py` pins them
on a small centre and on 300 tie-heavy random cases, docs/notes/simulation.md shows whole weeks.
Events are ordered as SimPy ordered them, by ``(time, seq)``: the time they fall due, then the
order in which they were scheduled (all of them had SimPy's normal priority). Times are computed
as SimPy computed them (``now + delay``, with ``delay = target - now`` where a process waited
for a clock time), so events that fall at the same moment come out in the same order too.

The events, merged by ``(time, seq)``:

- the calls' arrivals, drawn beforehand and sorted: only the next one is pending, as a
  ``(time, seq)`` key (the one arrivals process of the old engine);
- a heap of timed events ``(time, seq, who)``: an agent's call ends (``who`` = the agent), an
  agent's phone block ends (``~agent``), the block opener reaches the next block start
  (`_SHIFT`; one opener for all blocks, in (time, agent) order, so agents starting at the same
  moment log on in agent order whatever happened before, and scenarios share their random
  numbers call for call where nothing changed);
- a FIFO of events due now ``(seq, agent, what)``: an idle agent is woken with a call (``what``
  = the call) or told to log off (`_OFF`), an agent waiting for a block is let in (`_GATE`).
  They fall due at the current time with a new ``seq``, after everything already due now. The
  common case, one call woken with nothing else due now, skips the FIFO.

A caller's patience is not an event: the time and seq its timer would have had are kept with the
call, and a caller whose timer has run out (before the event being handled) is dropped from the
waiting line when an agent looks at it, or at the end. Nothing else ever looked at a waiting
call, so this gives the same answers with one event fewer per waiting call.

Agents are small state machines: waiting at the gate of their next block, idle inside a block
(listed per queue and tier in the order they became idle, so the first of the best tier is the
longest-idle agent of that tier), or on a call. When its block ends an idle agent logs off; a
busy one finishes the call, then leaves. The routing (``tiers``, ``rank``) is described in
`staffing.simulation.engine`.

One deliberate difference from the SimPy engine: an agent whose call ended a floating-point
hair before the start of its next block, after the opener had already passed that start (the
opener's clock ``t + (start - t)`` can fall one ulp short of ``start``), waited there for a
gate that never opened again: the block was lost, and at the agent's next block SimPy raised
"Negative delay". Here the agent logs on. With calls at random times this needs two event
times within one ulp of each other: it never happened in whole simulated weeks; in 100,000
tie-heavy random cases SimPy lost a block in 2 and crashed in 3.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["ANSWERED", "ABANDONED", "Outcome", "run_centre"]

#: A call's state at the end: every call ends answered or abandoned.
ANSWERED, ABANDONED = 1, 2

#: ``who`` of the block opener's timed events (an agent's are the agent, or ~agent).
_SHIFT = -(1 << 62)
#: What an event due now tells an agent, besides "take call c" (c >= 0).
_OFF, _GATE = -1, -2


@dataclass(frozen=True)
class Outcome:
    """What became of each call (in the order given to `run_centre`).

    ``state``: `ANSWERED` or `ABANDONED`; ``wait``: seconds from arrival to answer, or the
    caller's patience for an abandoned call; ``agent``: who answered (-1 if abandoned).
    """

    state: np.ndarray
    wait: np.ndarray
    agent: np.ndarray


def run_centre(
    arrival: Sequence[float] | np.ndarray,
    queue: Sequence[int] | np.ndarray,
    handle: Sequence[float] | np.ndarray,
    patience: Sequence[float] | np.ndarray,
    tiers: Sequence[Sequence[Sequence[int]]],
    rank: Sequence[Sequence[int]] | np.ndarray,
    blocks: Sequence[Sequence[tuple[float, float]]],
) -> Outcome:
    """Run one replication: each call's arrival, queue, handle time and patience (seconds).

    ``tiers[a]``: agent a's queues in priority tiers; ``rank[a][q]``: the tier of queue q for
    agent a, -1 where a lacks the skill; ``blocks[a]``: agent a's phone blocks ``(start, end)``
    in time order, not touching (empty for an agent who is not there). Times are seconds on one
    clock that starts at 0.

    One function on purpose, the project's one exception to short functions: it is the inner
    loop of every replication (tens of thousands of events per simulated week) and keeps its
    state in local variables, so it pays no function call per event; the sections below are
    marked by comments instead. Its speed is measured by `benchmarks/simulate.py`.

    >>> out = run_centre([10.0, 20.0], [0, 0], [30.0, 5.0], [100.0, 5.0], [[[0]]], [[0]],
    ...                  [[(0.0, 3600.0)]])
    >>> out.state.tolist(), out.wait.tolist(), out.agent.tolist()   # the second hangs up after 5 s
    ([1, 2], [0.0, 5.0], [0, -1])
    """
    arrival_of = np.asarray(arrival, dtype=float)
    arr = arrival_of.tolist()
    queue_of = np.asarray(queue, dtype=np.int64)
    que = queue_of.tolist()
    hdl = np.asarray(handle, dtype=float).tolist()
    pat = np.asarray(patience, dtype=float).tolist()
    n_calls, n_agents = len(arr), len(tiers)
    if len(blocks) != n_agents:
        raise ValueError(f"blocks has {len(blocks)} agents; tiers has {n_agents}")
    rank_arr = (
        np.asarray(rank, dtype=np.int64).reshape(n_agents, -1)
        if n_agents
        else np.zeros((0, 0), dtype=np.int64)
    )
    rank_of = rank_arr.tolist()
    n_queues = max(rank_arr.shape[1], int(queue_of.max()) + 1 if n_calls else 0)
    blocks_of = [list(mine) if tiers[a] else [] for a, mine in enumerate(blocks)]

    wait = [0.0] * n_calls  # of the answered calls
    taken_by = [-1] * n_calls  # the agent who answered, -1 for a caller who hung up
    # When a waiting caller hangs up: the time and seq its patience timer would have, so the
    # hang-up is applied when the call is next looked at (no event needed).
    gives_up = [math.inf] * n_calls
    gives_up_seq = [0] * n_calls
    # Waiting calls per queue in order of arrival; callers who hung up are dropped when met.
    waiting: list[deque[int]] = [deque() for _ in range(n_queues)]
    tier_lines = [[[waiting[q] for q in tier] for tier in mine] for mine in tiers]
    # Idle agents per queue and tier, each list in the order the agents became idle.
    levels = np.zeros(n_queues, dtype=np.int64)
    if n_agents:
        levels[: rank_arr.shape[1]] = rank_arr.max(axis=0) + 1
    idle_at: list[list[list[int]]] = [[[] for _ in range(k)] for k in levels.tolist()]
    joins = [[idle_at[q][r] for q, r in enumerate(mine) if r >= 0] for mine in rank_of]
    is_idle = [False] * n_agents  # idle inside a block, waiting to be woken
    at_gate = [False] * n_agents  # waiting for the block ``block[a]`` to open
    opened = [0] * n_agents  # how many of the agent's blocks the opener has opened
    block = [0] * n_agents  # index of the agent's current (or next) block
    until = [-math.inf] * n_agents  # end of the block the agent is in, -inf between blocks
    # Timed events (time, seq, who): who >= 0 an agent's call ends, ~agent its block ends,
    # _SHIFT the block opener's next start; a sentinel at infinity keeps the heap non-empty.
    heap: list[tuple[float, int, int]] = [(math.inf, 0, _SHIFT)]
    due: deque[tuple[int, int, int]] = deque()  # (seq, agent, call or _OFF or _GATE) due now
    push = heapq.heappush
    pop = heapq.heappop
    inf = math.inf
    seq = 0
    now = 0.0
    current = -1  # the seq of the event being handled (-1: the start, before all events)
    n_waiting = 0  # calls in the waiting lines (some may have hung up, not yet dropped)

    def serve(a: int) -> None:
        """A free agent inside (or at the end of) a block: take a call, go idle or leave."""
        nonlocal seq, n_waiting
        if now < until[a]:
            c = -1
            if n_waiting:
                # The longest-waiting call of the first tier with one.
                for tier in tier_lines[a]:
                    best, best_t = None, inf
                    for line in tier:
                        while line:
                            head = line[0]
                            t = gives_up[head]
                            if t > now or (t == now and gives_up_seq[head] > current):
                                if arr[head] < best_t:
                                    best, best_t = line, arr[head]
                                break
                            line.popleft()  # the caller hung up before now
                            n_waiting -= 1
                    if best is not None:
                        c = best.popleft()
                        n_waiting -= 1
                        break
            if c >= 0:
                wait[c] = now - arr[c]
                taken_by[c] = a
                seq += 1
                push(heap, (now + hdl[c], seq, a))
            else:
                is_idle[a] = True
                for idle in joins[a]:
                    idle.append(a)
            return
        until[a] = -inf
        enter(a, block[a] + 1)

    def leave_idle(a: int) -> None:
        """The agent is no longer idle (woken with a call, or told to log off)."""
        is_idle[a] = False
        for idle in joins[a]:
            idle.remove(a)

    def on_phone(idle: list[int]) -> int:
        """The first agent of ``idle`` whose block has not ended yet, or -1 (rare: an idle agent
        past its block's end, not yet told to log off)."""
        for a in idle:
            if until[a] > now:
                return a
        return -1

    def open_block(a: int) -> None:
        """The agent logs on for block ``block[a]``: its end is scheduled, then it serves."""
        nonlocal seq
        end = blocks_of[a][block[a]][1]
        until[a] = end
        seq += 1
        push(heap, (now + (end - now), seq, ~a))
        serve(a)

    def enter(a: int, k: int) -> None:
        """From block k on: wait at the next block's gate, skip blocks already over, or log on."""
        mine = blocks_of[a]
        while k < len(mine):
            start, end = mine[k]
            block[a] = k
            if now < start and opened[a] <= k:
                at_gate[a] = True
                return
            if now < end:
                open_block(a)
                return
            k += 1  # still on a call that ran past this block
        block[a] = k

    # The phone blocks open in (time, agent) order, one after the other.
    starts = sorted((mine[0], a) for a in range(n_agents) for mine in blocks_of[a])
    n_starts, next_start = len(starts), 0

    def open_gates() -> None:
        """Open the gates of the blocks starting now; schedule the next start."""
        nonlocal seq, next_start
        while next_start < n_starts:
            start, a = starts[next_start]
            if start > now:
                seq += 1
                push(heap, (now + (start - now), seq, _SHIFT))
                return
            gate_for(a)
            next_start += 1

    def gate_for(a: int) -> None:
        """The opener reached the agent's next block: let the agent in if it waits for it."""
        nonlocal seq
        opened[a] += 1
        if at_gate[a] and opened[a] > block[a]:
            at_gate[a] = False
            seq += 1
            due.append((seq, a, _GATE))

    # Start: the agents (in order), then the block opener, then the arrivals (SimPy's order);
    # nothing falls due at time 0 before the first call, which can arrive at 0.
    for a in range(n_agents):
        enter(a, 0)
    open_gates()
    order_of = np.argsort(arrival_of, kind="stable")
    order = order_of.tolist()
    arrives = arrival_of[order_of].tolist()  # the arrival times in order
    next_arrival = 0
    seq += 1
    # The next call's arrival as a (time, seq) key, compared with the heap's top entry; after
    # the last call (inf, -1), which comes before the heap's sentinel (inf, 0, _SHIFT).
    arrival = (max(arrives[0], 0.0), seq) if n_calls else (inf, -1)

    while True:
        # The next timed event: the next call's arrival or the heap's top, by (time, seq).
        if arrival < heap[0]:
            now = arrival[0]
            if now == inf:
                break  # no call to come, nothing in the heap but its sentinel
            # Calls arriving at the same moment are routed together, in arrival order.
            woken = -1  # the agent woken by the (first) call, if nothing else is due now
            while True:
                c = order[next_arrival]
                next_arrival += 1
                q = que[c]
                # The first idle agent of the best tier for q, woken with the call.
                agent = -1
                for idle in idle_at[q]:
                    if idle:
                        agent = idle[0] if until[idle[0]] > now else on_phone(idle)
                        if agent >= 0:
                            break
                seq += 1
                if agent >= 0:
                    is_idle[agent] = False
                    for idle in joins[agent]:
                        idle.remove(agent)
                    wait[c] = now - arr[c]
                    taken_by[c] = agent
                    if due or woken >= 0:
                        due.append((seq, agent, c))
                    else:
                        woken, woken_call, woken_seq = agent, c, seq
                else:
                    waiting[q].append(c)
                    n_waiting += 1
                    gives_up[c] = now + pat[c]
                    gives_up_seq[c] = seq
                if next_arrival == n_calls:
                    arrival = (inf, -1)
                    break
                delay = arrives[next_arrival] - now
                if delay > 0:
                    seq += 1
                    arrival = (now + delay, seq)
                    break
            if woken >= 0:
                # The woken agent starts on the call now, unless something is due before it.
                if due or heap[0][0] == now or arrival[0] == now:  # (rare) keep SimPy's order
                    due.appendleft((woken_seq, woken, woken_call))
                else:
                    current = woken_seq
                    seq += 1
                    push(heap, (now + hdl[woken_call], seq, woken))
        else:
            now, current, who = pop(heap)
            if who >= 0:  # an agent's call ends
                serve(who)
            elif who != _SHIFT:  # a block ends: an idle agent is told to log off
                a = ~who
                if is_idle[a]:
                    leave_idle(a)
                    seq += 1
                    due.append((seq, a, _OFF))
            else:  # the block opener's clock reached the next start
                gate_for(starts[next_start][1])
                next_start += 1
                open_gates()
        # The events due now, unless a timed event due now was scheduled before them.
        while due:
            first = due[0][0]
            top = heap[0]
            if (top[0] == now and top[1] < first) or (arrival[0] == now and arrival[1] < first):
                break
            current, a, c = due.popleft()
            if c >= 0:  # woken with a call: handle it
                seq += 1
                push(heap, (now + hdl[c], seq, a))
            elif c == _OFF:  # woken at the block's end: log off, on to the next block
                until[a] = -inf
                enter(a, block[a] + 1)
            else:  # _GATE: the block opens
                open_block(a)

    agent_of = np.array(taken_by, dtype=np.int64)
    answered = agent_of >= 0
    return Outcome(
        state=np.where(answered, ANSWERED, ABANDONED).astype(np.int8),
        wait=np.where(answered, np.array(wait), np.asarray(patience, dtype=float)),
        agent=agent_of,
    )
