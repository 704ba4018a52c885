"""The master problem of the roster and its column generation.

The master has one column per agent-week *pattern* (`staffing.roster.patterns`) and the
coverage, allocation, meeting and fairness rows that tie the agents together (their names and
meaning are in `staffing.roster.model`). It is held as a plain sparse structure (`Master`) so
that the column generation can run on a warm-started `highspy` LP (adding columns costs
milliseconds), while the final integer problem is built from the same structure as a
`pulp.LpProblem` (`staffing.roster.model`) and solved by the solver the user picks.

Column generation (`column_generation`): solve the LP over the patterns so far; price every
agent-week against the row duals (`price_pattern`); add the patterns with negative reduced
cost; repeat. The Lagrangian function at the pricing duals is a valid lower bound of the whole
problem (one convexity row per agent-week), so the gap reported for the final plan is measured
against the complete problem, not only against the generated columns. Agent-weeks with few
patterns (small instances) get all of them at once, which makes the master exact.

The LP of the master (`to_highs`, `add_columns`, `solve_with_cuts`, `project`) is shared with
the heuristics that round it to a plan (`staffing.roster.heuristics`: `dive`, `improve`).
"""

from __future__ import annotations

import datetime
import functools
import itertools
import math
import os
import sys
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import highspy
import numpy as np

from staffing.roster.instance import Instance, WeekPlan
from staffing.roster.patterns import (
    DayOptions,
    Pattern,
    PriceOptions,
    day_options,
    enumerate_patterns,
    price_pattern,
)

__all__ = [
    "Master",
    "ColumnGenerationLog",
    "build_master",
    "seed_patterns",
    "column_generation",
    "separate_pools",
    "add_floor_rows",
    "add_columns",
    "solve_with_cuts",
    "project",
    "to_highs",
    "quiet_highs",
    "run_lp",
    "trivial_bound",
    "Contributions",
]


def _hhmm(inst: Instance, d: int, j: int) -> str:
    """``20260302_0800``: the date and clock time of slot ``j`` of day ``d`` in solver names
    (unique: one day per date, one slot per minute of the day's grid)."""
    day = inst.days[d]
    minute = day.minute(j)
    return f"{_date_name(day.date)}_{minute // 60:02d}{minute % 60:02d}"


@functools.lru_cache(maxsize=4096)
def _date_name(date: datetime.date) -> str:
    """``20260302``: a date in solver names (`_hhmm`; formatting it took most of the time
    of naming the rows of a large centre)."""
    return f"{date:%Y%m%d}"


def _week_name(week: str) -> str:
    """``2026W10`` for the ISO week ``2026-W10`` in solver names."""
    return week.replace("-", "")


class Contributions:
    """The phone time each column gives per (day, slot) and agent: +1 for a pattern on the
    phone, -1 for a meeting position taking an attendee off it, +1 for a member who stays.

    Held as flat arrays (appended in blocks): the phone time of every agent and slot of a
    solution is one vectorised sum (`phone`), and the entries of a new row over some agents at
    one slot a slice of the arrays sorted by slot (`entries`, sorted again after additions).
    """

    def __init__(self, slots_per_day: list[int] | None = None) -> None:
        sizes = slots_per_day or []
        self.offset = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        #: (day, slot) -> its row in `phone`
        self.slot_index = {
            (d, j): int(self.offset[d]) + j for d, n in enumerate(sizes) for j in range(n)
        }
        self._slot = array("i")
        self._col = array("i")
        self._agent = array("i")
        self._coef = array("d")
        self._sorted: tuple[int, np.ndarray, np.ndarray] | None = None

    def add(self, d: int, j: int, col: int, agent: int, coef: float) -> None:
        """Column ``col`` gives ``coef`` phone time of ``agent`` at slot ``j`` of day ``d``."""
        self.add_many(d, np.asarray([j]), col, agent, coef)

    def add_many(
        self, d: int, slots: np.ndarray | range, col: int, agent: int, coef: float
    ) -> None:
        """Column ``col`` gives ``coef`` phone time of ``agent`` at ``slots`` of day ``d``
        (an array of slots, or a range: a meeting's)."""
        n = len(slots)
        if not n:
            return
        if isinstance(slots, range):
            first = int(self.offset[d])
            self._slot.extend(range(slots.start + first, slots.stop + first, slots.step))
        else:
            self._slot.frombytes((np.asarray(slots) + self.offset[d]).astype(np.int32).tobytes())
        self._col.extend(itertools.repeat(col, n))
        self._agent.extend(itertools.repeat(agent, n))
        self._coef.extend(itertools.repeat(float(coef), n))

    def __len__(self) -> int:
        return len(self._col)

    def _by_slot(self) -> tuple[np.ndarray, np.ndarray]:
        """The entries' order by slot and where each slot's entries start in it."""
        if self._sorted is None or self._sorted[0] != len(self._col):
            slot = np.frombuffer(self._slot, dtype=np.int32)
            order = np.argsort(slot, kind="stable")
            starts = np.searchsorted(slot[order], np.arange(int(self.offset[-1]) + 1))
            self._sorted = (len(self._col), order, starts)
        return self._sorted[1], self._sorted[2]

    def entries(self, d: int, j: int, agents: set[int]) -> list[tuple[int, float]]:
        """The (column, coefficient) pairs at (d, j) of ``agents``, by column (the order the
        columns were added in)."""
        s = self.slot_index.get((d, j))
        if s is None or not agents or not len(self._col):
            return []
        order, starts = self._by_slot()
        part = order[starts[s] : starts[s + 1]]
        if not len(part):
            return []
        who = np.frombuffer(self._agent, dtype=np.int32)[part]
        wanted = np.fromiter(agents, dtype=np.int64, count=len(agents))
        member = np.zeros(max(int(who.max()), int(wanted.max())) + 1, dtype=bool)
        member[wanted] = True  # a lookup table: np.isin sorted both sides on every call
        part = part[member[who]]
        cols = np.frombuffer(self._col, dtype=np.int32)[part]
        by_col = np.argsort(cols, kind="stable")
        coefs = np.frombuffer(self._coef, dtype=float)[part]
        return list(zip(cols[by_col].tolist(), coefs[by_col].tolist()))

    def phone(self, x: np.ndarray, n_agents: int) -> np.ndarray:
        """Phone time of every agent per slot in the solution ``x``: ``(slots, agents)``, rows
        as in `slot_index`."""
        n_slots = int(self.offset[-1])
        if not len(self._col):
            return np.zeros((n_slots, n_agents))
        cols = np.frombuffer(self._col, dtype=np.int32)
        flat = np.frombuffer(self._slot, dtype=np.int32).astype(np.int64) * n_agents
        flat += np.frombuffer(self._agent, dtype=np.int32)
        weights = np.frombuffer(self._coef, dtype=float) * np.asarray(x, dtype=float)[cols]
        out = np.bincount(flat, weights=weights, minlength=n_slots * n_agents)
        return out.reshape(n_slots, n_agents)


@dataclass
class Master:
    """Rows and columns of the master problem (minimise cost; rows lo <= A x <= hi).

    Row and column names (the solver's names, see `staffing.roster.model`) are built from
    indices only: agents by their index (``a3``), queues, teams and meeting rules by their
    number here (``q0``, ``t1``, ``r0``), meeting occurrences by theirs (``m5``), days and
    slots by date and clock time. Names from user text (agent ids, queue and team names) could
    coincide once a solver has replaced their punctuation (``A.01`` and ``A_01``).
    """

    inst: Instance
    options: dict[tuple[int, int], DayOptions]
    row_names: list[str] = field(default_factory=list)
    row_lo: list[float] = field(default_factory=list)
    row_hi: list[float] = field(default_factory=list)
    row_of: dict[tuple, int] = field(default_factory=dict)
    col_names: list[str] = field(default_factory=list)
    col_cost: list[float] = field(default_factory=list)
    col_lo: list[float] = field(default_factory=list)
    col_hi: list[float] = field(default_factory=list)
    col_int: list[bool] = field(default_factory=list)
    col_rows: list[np.ndarray] = field(default_factory=list)
    col_vals: list[np.ndarray] = field(default_factory=list)
    col_kind: list[str] = field(default_factory=list)
    col_key: list[tuple] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    pattern_col: list[int] = field(default_factory=list)
    pattern_seen: set[tuple] = field(default_factory=set)
    fair_scale: dict[int, float] = field(default_factory=dict)
    #: the agents the fairness rows count, per kind of shift (``early``, ``late``)
    fair_agents: dict[str, list[int]] = field(default_factory=dict)
    # per agent-day: (slot, row) pairs of the coverage rows its phone time counts in; attend
    # rows with the options that make the agent available for that meeting position
    slot_pairs: dict[tuple[int, int], tuple[array, array]] = field(default_factory=dict)
    attend: dict[tuple[int, int], list[tuple[int, np.ndarray]]] = field(default_factory=dict)
    contrib: Contributions = field(default_factory=Contributions)
    under_cols: list[list[int]] = field(default_factory=list)
    empty_col: dict[int, int] = field(default_factory=dict)
    #: the team floor: (team, day, slot) -> its ``nobody`` slack column (its ``team`` row is
    #: added when a plan leaves the team off the phone), and each team's members
    team_empty: dict[tuple[str, int, int], int] = field(default_factory=dict)
    team_members: dict[str, set[int]] = field(default_factory=dict)
    skilled: dict[str, set[int]] = field(default_factory=dict)
    req_day: list[int] = field(default_factory=list)
    req_slot: list[int] = field(default_factory=list)
    req_queue: list[str] = field(default_factory=list)
    required: np.ndarray = field(default_factory=lambda: np.zeros(0))
    objective_offset: float = 0.0
    pool_slots: dict = field(default_factory=dict)
    row_entries: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    pending: dict[int, dict[int, float]] = field(default_factory=dict)
    lp: highspy.Highs | None = None
    #: the column values of the last LP column generation solved to optimality (columns
    #: added after it at 0): what the dive rounds when the LP, grown since, cannot be solved
    #: again in its time (`staffing.roster.heuristics.dive`)
    lp_x: np.ndarray | None = None
    #: the seconds column generation's last LP took (a warm re-solve; the next is as long at
    #: least: the LP grows)
    lp_seconds: float = 0.0
    #: the numbers of the queues, teams and meeting rules in solver names
    queue_number: dict[str, int] = field(default_factory=dict)
    team_number: dict[str, int] = field(default_factory=dict)
    rule_number: dict[str, int] = field(default_factory=dict)
    #: the agents by kind (distinct skill sets): ``kind_of[a]`` and each kind's skills
    kind_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    kind_skills: list[frozenset[str]] = field(default_factory=list)
    #: structures derived from the rows, rebuilt when rows are added (`_static_part`)
    cache: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ building blocks
    def row(self, key: tuple, name: str, lo: float, hi: float) -> int:
        index = len(self.row_names)
        self.row_of[key] = index
        self.row_names.append(name)
        self.row_lo.append(lo)
        self.row_hi.append(hi)
        return index

    def col(
        self,
        kind: str,
        key: tuple,
        name: str,
        cost: float,
        lo: float,
        hi: float,
        *,
        integer: bool,
        entries: dict[int, float] | list[tuple[int, float]],
    ) -> int:
        """Add a column: ``kind`` and ``key`` say what it stands for, ``integer`` whether the
        integer program keeps it integral, ``entries`` its row coefficients (repeated rows
        summed)."""
        items = list(entries.items() if isinstance(entries, dict) else entries)
        rows, vals = _merged([r for r, _ in items], [v for _, v in items])
        return self._append_col(kind, key, name, cost, lo, hi, integer, rows, vals)

    def _append_col(
        self,
        kind: str,
        key: tuple,
        name: str,
        cost: float,
        lo: float,
        hi: float,
        integer: bool,
        rows: np.ndarray,
        vals: np.ndarray,
    ) -> int:
        """Add a column with the row coefficients ``vals`` at ``rows`` (each row once)."""
        self.col_names.append(name)
        self.col_cost.append(float(cost))
        self.col_lo.append(float(lo))
        self.col_hi.append(float(hi))
        self.col_int.append(integer)
        self.col_rows.append(rows)
        self.col_vals.append(vals)
        self.col_kind.append(kind)
        self.col_key.append(key)
        return len(self.col_names) - 1

    @property
    def n_rows(self) -> int:
        return len(self.row_names)

    @property
    def n_cols(self) -> int:
        return len(self.col_names)

    # ------------------------------------------------------------------ patterns
    def pattern_entries(self, pattern: Pattern) -> dict[int, float]:
        """Row coefficients of a pattern's column."""
        rows, vals = self._pattern_arrays(pattern)
        return dict(zip(rows.tolist(), vals.tolist()))

    def _pattern_arrays(self, pattern: Pattern) -> tuple[np.ndarray, np.ndarray]:
        """Row coefficients of a pattern's column as arrays, each row once, in the order
        the rows first come: its pick row, per day the coverage rows of its phone time and
        the attend rows it is available for, its fairness rows."""
        rows: list[np.ndarray] = [np.asarray([self.row_of[("pick", pattern.agent, pattern.week)]])]
        vals: list[np.ndarray] = [np.ones(1)]
        a = pattern.agent
        for d, o in pattern.choice:
            opts = self.options[(a, d)]
            slots, cover = self.slot_pairs[(a, d)]
            if len(slots):
                on = opts.phone[o][np.frombuffer(slots, dtype=np.int32)]
                hit = np.frombuffer(cover, dtype=np.int32)[on]
                rows.append(hit.astype(np.int64))
                vals.append(np.ones(len(hit)))
            attend = [r for r, avail in self.attend.get((a, d), []) if avail[o]]
            if attend:
                rows.append(np.asarray(attend, dtype=np.int64))
                vals.append(-np.ones(len(attend)))
        scale = self.fair_scale.get(a)
        if scale is not None:
            for label, count in (("early", pattern.early), ("late", pattern.late)):
                if count and ("fair_hi", label, a) in self.row_of:
                    rows.append(
                        np.asarray(
                            [self.row_of[("fair_hi", label, a)], self.row_of[("fair_lo", label, a)]]
                        )
                    )
                    vals.append(np.full(2, scale * count))
        flat = np.concatenate(rows)
        unique, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
        sums = np.bincount(inverse, weights=np.concatenate(vals), minlength=len(unique))
        order = np.argsort(first, kind="stable")
        return unique[order].astype(np.int32), sums[order]

    def phone_slots(self, pattern: Pattern) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for d, o in pattern.choice:
            out.extend(
                (d, int(j)) for j in np.flatnonzero(self.options[(pattern.agent, d)].phone[o])
            )
        return out

    def pattern_at(self, col: int) -> Pattern:
        """The pattern of pattern column ``col`` (its ``col_key`` is the pattern's index)."""
        return self.patterns[self.col_key[col][0]]

    def add_pattern(self, pattern: Pattern) -> int | None:
        """Add a pattern's column unless the same pattern is already there."""
        key = (pattern.agent, pattern.week, pattern.choice)
        if key in self.pattern_seen:
            return None
        self.pattern_seen.add(key)
        name = f"p_a{pattern.agent}_{_week_name(pattern.week)}_{len(self.patterns)}"
        rows, vals = self._pattern_arrays(pattern)
        phone = 0
        index = len(self.col_names)
        for d, o in pattern.choice:
            on = np.flatnonzero(self.options[(pattern.agent, d)].phone[o])
            phone += len(on)
            self.contrib.add_many(d, on, index, pattern.agent, 1.0)
        self.col_names.append(name)
        self.col_cost.append(float(pattern.cost + self.inst.rules.weight_over * phone))
        self.col_lo.append(0.0)
        self.col_hi.append(1.0)
        self.col_int.append(True)
        self.col_rows.append(rows)
        self.col_vals.append(vals)
        self.col_kind.append("pattern")
        self.col_key.append((len(self.patterns),))
        self.patterns.append(pattern)
        self.pattern_col.append(index)
        return index

    def week_options(self, plan) -> list[DayOptions | None]:
        return [self.options.get((plan.agent, d)) for d in plan.days]

    def option_costs(self, plan, y: np.ndarray) -> list[np.ndarray | None]:
        """Reduced cost of every option of an agent-week's days for row duals ``y``."""
        out: list[np.ndarray | None] = []
        a = plan.agent
        scale = self.fair_scale.get(a)
        fair = {}
        if scale is not None:
            for label in ("early", "late"):
                if ("fair_hi", label, a) in self.row_of:
                    fair[label] = scale * (
                        y[self.row_of[("fair_hi", label, a)]]
                        + y[self.row_of[("fair_lo", label, a)]]
                    )
        for d in plan.days:
            opts = self.options.get((a, d))
            if opts is None:
                out.append(None)
                continue
            slots, rows = self.slot_pairs[(a, d)]
            price = np.bincount(
                np.asarray(slots, dtype=np.int64),
                weights=y[np.asarray(rows, dtype=np.int64)],
                minlength=opts.phone.shape[1],
            )
            cost = opts.wish + opts.phone @ (self.inst.rules.weight_over - price)
            for r, avail in self.attend.get((a, d), []):
                cost = cost + avail * y[r]
            if "early" in fair:
                cost = cost - opts.early * fair["early"]
            if "late" in fair:
                cost = cost - opts.late * fair["late"]
            out.append(cost)
        return out


def build_master(inst: Instance) -> Master:
    """The static part of the master: everything but the pattern columns and pool cuts.

    Coverage is written without allocation variables: with ``phone[a, t]`` the phone time of
    agent ``a`` in interval ``t`` (from the patterns, less meetings), a queue covers
    ``r[q, t] - u[q, t]``, and that coverage can be split among the agents exactly when every
    set ``S`` of queues gets no more than the agents with a skill in ``S`` can give:
    ``sum_{a: skills(a) & S} phone[a, t] + sum_{q in S} u[q, t] >= sum_{q in S} r[q, t]``
    (Hall's theorem for the transportation problem; Gale 1957). The one-queue sets are the
    ``cover`` rows; larger sets (``pool`` rows) are added when violated (`separate_pools`).
    Surplus phone time is ``sum phone - sum (r - u)``: its cost sits on the phone time and on
    ``u``. The phone policy's floors are rows of the same kind, added when violated: a queue's
    skilled agents (``floor``, slack ``empty``) and, with the team floor, a team's members
    (``team``, slack ``nobody``) have at least one agent on the phone; their duals price the
    patterns through ``slot_pairs`` like the cover rows'.
    """
    m = Master(inst=inst, options=day_options(inst))
    m.contrib = Contributions([day.n_slots for day in inst.days])
    _number_names(m)
    _number_kinds(m)
    _add_pick_rows(m)
    _add_cover_rows(m)
    _add_meetings(m)
    if inst.rules.weight_unfair > 0:
        _add_fairness(m)
    _prepare_pools(m)
    _add_team_slacks(m)
    return m


def _number_names(m: Master) -> None:
    """Number the queues (sorted, as `Instance.queues`), the teams (sorted; agents without a
    team are in the team ``""``) and the meeting rules (in the rules' order) for solver names."""
    inst = m.inst
    m.queue_number = {q: n for n, q in enumerate(inst.queues)}
    teams = {agent.team for agent in inst.agents} | set(inst.teams)
    m.team_number = {team: n for n, team in enumerate(sorted(teams))}
    m.rule_number = {rule.name: n for n, rule in enumerate(inst.rules.meetings)}


def _number_kinds(m: Master) -> None:
    """Group the agents by kind: agents with the same skills count alike in every cover, pool
    and floor row of the queues (`Master.kind_of`, `Master.kind_skills`)."""
    kinds: dict[frozenset[str], int] = {}
    of = []
    for agent in m.inst.agents:
        skills = frozenset(agent.skills)
        of.append(kinds.setdefault(skills, len(kinds)))
    m.kind_of = np.asarray(of, dtype=np.int64)
    m.kind_skills = list(kinds)


def _add_pick_rows(m: Master) -> None:
    """One ``pick`` row per agent-week: its patterns sum to one."""
    for plan in m.inst.weeks:
        m.row(
            ("pick", plan.agent, plan.week),
            f"pick_a{plan.agent}_{_week_name(plan.week)}",
            1.0,
            1.0,
        )


def _add_cover_rows(m: Master) -> None:
    """The cover (one-queue pool) rows with their shortfall segments, and the empty slacks of
    the queue intervals inside their window (their floor rows come when a plan needs them).

    An agent's phone time at a slot counts in the rows of the queues of their skills there.
    Also sets the requirement arrays of ``m`` and the objective offset of the surplus cost.
    """
    inst = m.inst
    rules = inst.rules
    req = inst.requirement
    skilled: dict[str, list[int]] = defaultdict(list)
    for agent in inst.agents:
        for q in agent.skills:
            skilled[q].append(agent.index)
    m.skilled = {q: set(who) for q, who in skilled.items()}
    m.req_day = [int(v) for v in req["day"]]
    m.req_slot = [int(v) for v in req["slot"]]
    m.req_queue = [str(v) for v in req["queue"]]
    m.required = req["required"].to_numpy(dtype=float)
    cover_rows = []
    for i, row in enumerate(req.itertuples(index=False)):
        q, d, j = row.queue, int(row.day), int(row.slot)
        name = f"q{m.queue_number[q]}_{_hhmm(inst, d, j)}"
        rows = [m.row(("cover", i), f"cover_{name}", float(row.required), np.inf)]
        cover_rows.append(rows[0])
        widths = np.diff(row.breaks)
        segs = []
        for s_i, (width, slope) in enumerate(zip(widths, row.slopes)):
            if width > 1e-12:
                segs.append(
                    m.col(
                        "under",
                        (i, s_i),
                        f"u_{name}_{s_i}",
                        float(slope) + rules.weight_over,
                        0.0,
                        float(width),
                        integer=False,
                        entries=[(rows[0], 1.0)],
                    )
                )
        m.under_cols.append(segs)
        if row.in_window:  # its floor row is added when a plan leaves the queue empty
            m.empty_col[i] = m.col(
                "empty",
                (i,),
                f"empty_{name}",
                rules.weight_empty_queue,
                0.0,
                1.0,
                integer=False,
                entries=[],
            )
    m.objective_offset = -rules.weight_over * float(req["required"].sum())
    _cover_slot_pairs(m, np.asarray(cover_rows, dtype=np.int64))


def _cover_slot_pairs(m: Master, cover_rows: np.ndarray) -> None:
    """`Master.slot_pairs` of every agent-day with options: the (slot, cover row) of each
    requirement row of the day in a queue of the agent's skills, in the requirement's order.
    Agents of one kind (the same skills) share the pairs of a day (computed once)."""
    day = np.asarray(m.req_day, dtype=np.int64)
    slot = np.asarray(m.req_slot, dtype=np.int64)
    queue = np.asarray(m.req_queue, dtype=object)
    shared: dict[tuple[int, int], tuple[bytes, bytes]] = {}
    for a, d in m.options:
        kind = int(m.kind_of[a])
        pairs = shared.get((kind, d))
        if pairs is None:
            skills = m.kind_skills[kind]
            mine = (day == d) & np.fromiter(
                (q in skills for q in queue), dtype=bool, count=len(queue)
            )
            pairs = (
                slot[mine].astype(np.int32).tobytes(),
                cover_rows[mine].astype(np.int32).tobytes(),
            )
            shared[(kind, d)] = pairs
        slots, rows = array("i"), array("i")
        slots.frombytes(pairs[0])
        rows.frombytes(pairs[1])
        m.slot_pairs[(a, d)] = (slots, rows)


def _add_team_slacks(m: Master) -> None:
    """The ``nobody`` slack of every team and interval of the phone hours (the team floor,
    `ShiftRules.team_floor`); its ``team`` row is added when a plan needs it, as the queues'
    floor rows are. A team with nobody who could be on the phone then (all on holiday) pays
    the slack instead of making the program infeasible."""
    inst = m.inst
    weight = inst.rules.weight_team_floor
    m.team_members = {team: set(members) for team, members in inst.teams.items()}
    for team in inst.teams:
        number = m.team_number[team]
        for d, slots in sorted(inst.team_slots.items()):
            for j in slots:
                m.team_empty[(team, d, j)] = m.col(
                    "team_empty",
                    (team, d, j),
                    f"nobody_t{number}_{_hhmm(inst, d, j)}",
                    weight,
                    0.0,
                    1.0,
                    integer=False,
                    entries=[],
                )


def _add_team_row(m: Master, key: tuple[str, int, int]) -> int:
    """The ``team`` row of (team, day, slot): a member on the phone, or the ``nobody`` slack."""
    team, d, j = key
    name = f"team_t{m.team_number[team]}_{_hhmm(m.inst, d, j)}"
    r = _new_row(m, ("team", *key), name, 1.0, d, j, m.team_members[team])
    _append_entry(m, m.team_empty[key], r, 1.0)
    return r


def _add_meetings(m: Master) -> None:
    """Meetings: ``v[m, i]`` placed once (or missed), attendees on the phone then, one talk at
    a time."""
    rules = m.inst.rules
    seen = _Seen()
    for mi, occ in enumerate(m.inst.meetings):
        label = f"m{mi}"
        r_meet = m.row(("meet", mi), f"meet_{label}", 1.0, 1.0)
        m.col(
            "miss",
            (mi,),
            f"miss_{label}",
            rules.weight_missed_meeting,
            0.0,
            1.0,
            integer=False,
            entries=[(r_meet, 1.0)],
        )
        for i in range(len(occ.positions)):
            _add_meeting_position(m, _MeetingColumn(mi, i, label, [r_meet], [1.0]), seen)


@dataclass
class _Seen:
    """What `_add_meetings` computes once and uses for many meeting positions: per agent-day
    the `Master.slot_pairs` as arrays (they do not change while the meetings are added), and
    per phone masks and slots which options are on the phone throughout (agents with the
    same window share their masks)."""

    pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    avail: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def rows_during(self, m: Master, a: int, d: int, first: int, end: int) -> list[int]:
        """The coverage rows agent ``a``'s phone time counts in at the slots ``first`` to
        ``end`` (excluded) of day ``d``, in the order of `Master.slot_pairs`."""
        found = self.pairs.get((a, d))
        if found is None:
            slots, rows = m.slot_pairs[(a, d)]
            found = self.pairs[(a, d)] = (
                np.asarray(slots, dtype=np.int64),
                np.asarray(rows, dtype=np.int64),
            )
        at, rows_ = found
        return rows_[(at >= first) & (at < end)].tolist()

    def on_phone(self, phone: np.ndarray, first: int, end: int) -> np.ndarray:
        """Which options (rows of ``phone``) are on the phone at every slot ``first``..``end``
        (excluded); the arrays are shared, not to be changed."""
        key = (id(phone), first, end)
        found = self.avail.get(key)
        if found is None or found[0] is not phone:
            found = self.avail[key] = (phone, np.asarray(phone[:, first:end].all(axis=1)))
        return found[1]


@dataclass
class _MeetingColumn:
    """The ``v`` column of one meeting position while its rows are added: its entries and the
    members who may stay on the phone instead (with the entries of their ``stay`` column)."""

    mi: int
    i: int
    label: str
    #: the ``v`` column's entries: rows and their coefficients (repeated rows summed later)
    rows: list[int]
    vals: list[float]
    #: per member who may stay: the agent and the rows of their ``stay`` column (the first
    #: with -1, the others +1; each row once)
    skips: list[tuple[int, list[int]]] = field(default_factory=list)


def _add_meeting_position(m: Master, col: _MeetingColumn, seen: _Seen) -> None:
    """The rows of one candidate position of a meeting, its ``v`` column and the ``stay``
    columns of the members who may stay on the phone."""
    inst = m.inst
    rules = inst.rules
    mi, i, label = col.mi, col.i, col.label
    occ = inst.meetings[mi]
    d, p = occ.positions[i]
    for a in occ.attendees[i]:
        _add_attendee_rows(m, col, a, seen)
    team_size = max(len(occ.members), 1)
    cost = 0.25 * rules.weight_missed_meeting * occ.absent[i] / team_size
    cost -= rules.weight_over * occ.length * len(occ.attendees[i])
    rows, vals = _merged(col.rows, col.vals)
    c = m._append_col("meeting", (mi, i), f"v_{label}_{i}", cost, 0.0, 1.0, True, rows, vals)
    for a_ in occ.attendees[i]:
        if (a_, d) in m.options:  # as `_add_attendee_rows` took them
            m.contrib.add_many(d, range(p, p + occ.length), c, a_, -1.0)
    for a, back in col.skips:
        signs = np.ones(len(back))
        signs[0] = -1.0
        sk = m._append_col(
            "skip",
            (mi, i, a),
            f"stay_{label}_{i}_a{a}",
            rules.weight_skipped_meeting + rules.weight_over * occ.length,
            0.0,
            1.0,
            True,
            *_merged(back, signs.tolist()),
        )
        m.contrib.add_many(d, range(p, p + occ.length), sk, a, 1.0)


def _add_attendee_rows(m: Master, col: _MeetingColumn, a: int, seen: _Seen) -> None:
    """The ``attend`` row of attendee ``a`` at the meeting position (an agent without options
    that day gets none), their ``skip`` row when a team member may stay on the phone, and the
    ``talks`` rows of talks held one at a time per team."""
    inst = m.inst
    mi, i, label = col.mi, col.i, col.label
    occ = inst.meetings[mi]
    d, p = occ.positions[i]
    opts = m.options.get((a, d))
    if opts is None:
        return
    r_att = m.row(
        ("attend", mi, i, a),
        f"attend_{label}_{i}_a{a}",
        -np.inf,
        0.0,
    )
    col.rows.append(r_att)
    col.vals.append(1.0)
    avail = seen.on_phone(opts.phone, p, p + occ.length)
    m.attend.setdefault((a, d), []).append((r_att, avail))
    during = seen.rows_during(m, a, d, p, p + occ.length)  # in the order of `slot_pairs`
    col.rows.extend(during)
    col.vals.extend([-1.0] * len(during))
    if occ.rule.attendees == "team" and len(occ.attendees[i]) > 1:
        # a member may stay on the phone instead (someone must keep a queue open)
        r_skip = m.row(
            ("skipv", mi, i, a),
            f"skip_{label}_{i}_a{a}",
            -np.inf,
            0.0,
        )
        col.rows.append(r_skip)
        col.vals.append(-1.0)
        col.skips.append((a, [r_att, r_skip, *during]))
    if occ.rule.attendees == "each" and occ.rule.one_at_a_time_per_team:
        for j in range(p, p + occ.length):
            key = ("talks", occ.rule.name, occ.team, d, j)
            if key not in m.row_of:
                m.row(
                    key,
                    f"talks_r{m.rule_number[occ.rule.name]}_t{m.team_number[occ.team]}_"
                    f"{_hhmm(inst, d, j)}",
                    -np.inf,
                    1.0,
                )
            col.rows.append(m.row_of[key])
            col.vals.append(1.0)


def _merged(rows: list[int], vals: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Row coefficients with repeated rows summed, each row where it first comes (as a dict
    would sum them, in the same order: `numpy.bincount` adds in the input's order)."""
    if len(set(rows)) == len(rows):
        return np.asarray(rows, dtype=np.int32), np.asarray(vals, dtype=float)
    flat = np.asarray(rows, dtype=np.int64)
    unique, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    sums = np.bincount(inverse, weights=np.asarray(vals, dtype=float), minlength=len(unique))
    order = np.argsort(first, kind="stable")
    return unique[order].astype(np.int32), sums[order]


def _add_fairness(m: Master) -> None:
    """Fairness: early and late shifts per 5 workable days, spread across agents (the
    ``{label}_hi`` / ``{label}_lo`` rows and the ``{label}_max`` / ``{label}_min`` columns)."""
    inst = m.inst
    rules = inst.rules
    workable: dict[int, int] = defaultdict(int)
    can: dict[str, set[int]] = {"early": set(), "late": set()}
    for (a, _d), opts in m.options.items():
        workable[a] += 1
        if opts.early.any():
            can["early"].add(a)
        if opts.late.any():
            can["late"].add(a)
    for label, avoid in (("early", {"early", "no_early"}), ("late", {"late", "no_late"})):
        eligible = [
            a.index
            for a in inst.agents
            if a.index in can[label]
            and not any(p.kind in avoid and p.weekday is None for p in a.preferences)
        ]
        if len(eligible) < 2:
            continue
        hi_entries, lo_entries = [], []
        m.fair_agents[label] = eligible
        for a in eligible:
            m.fair_scale[a] = 5.0 / workable[a]
            r_hi = m.row(("fair_hi", label, a), f"{label}_hi_a{a}", -np.inf, 0.0)
            r_lo = m.row(("fair_lo", label, a), f"{label}_lo_a{a}", 0.0, np.inf)
            hi_entries.append((r_hi, -1.0))
            lo_entries.append((r_lo, -1.0))
        # at most 5 early (late) shifts per 5 days: bounded, so the Lagrangian stays finite
        m.col(
            "fair",
            (label, "max"),
            f"{label}_max",
            rules.weight_unfair,
            0.0,
            5.0,
            integer=False,
            entries=hi_entries,
        )
        m.col(
            "fair",
            (label, "min"),
            f"{label}_min",
            -rules.weight_unfair,
            0.0,
            5.0,
            integer=False,
            entries=lo_entries,
        )


def fair_rates(m: Master, patterns: Iterable[Pattern]) -> dict[str, dict[int, float]]:
    """Per kind of shift the fairness rows count (`Master.fair_agents`): each counted agent's
    rate in the plan's ``patterns``, `Master.fair_scale` times their shifts of that kind. The
    objective's unfairness is the weight times the highest rate less the lowest."""
    counts: dict[str, defaultdict[int, float]] = {
        "early": defaultdict(float),
        "late": defaultdict(float),
    }
    for pattern in patterns:
        counts["early"][pattern.agent] += pattern.early
        counts["late"][pattern.agent] += pattern.late
    return {
        label: {a: m.fair_scale[a] * counts[label][a] for a in agents}
        for label, agents in m.fair_agents.items()
    }


def _prepare_pools(m: Master) -> None:
    """Per interval: the queues there and, for every set of two or more, whether each kind of
    agent (`Master.kind_of`) has a skill in it."""
    inst = m.inst
    req = inst.requirement
    m.pool_slots = {}
    by_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (d, j) in enumerate(zip(req["day"], req["slot"])):
        by_slot[(int(d), int(j))].append(i)
    cache: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
    for (d, j), rows in by_slot.items():
        queues = tuple(m.req_queue[i] for i in rows)
        if len(queues) < 2:
            continue
        if len(queues) > 16:
            raise ValueError(
                f"more than 16 queues at {inst.days[d].date} ({len(queues)}); the pool cuts "
                "enumerate sets of queues and support at most 16 queues at a time"
            )
        if queues not in cache:
            n = len(queues)
            subsets = np.arange(1, 2**n, dtype=np.int64)
            members = ((subsets[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
            keep = members.sum(axis=1) >= 2
            hits = np.zeros((len(subsets), len(m.kind_skills)), dtype=bool)
            for k, skills in enumerate(m.kind_skills):
                mask = np.asarray([q in skills for q in queues])
                hits[:, k] = (members & mask[None, :]).any(axis=1)
            cache[queues] = (members[keep], hits[keep])
        m.pool_slots[(d, j)] = (np.asarray(rows), cache[queues])


def _append_entry(m: Master, col: int, row: int, value: float) -> None:
    """Add ``value`` at (``row``, ``col``) of a new row; kept aside until `_flush_entries`
    (appending to the column arrays one entry at a time was quadratic)."""
    entries = m.pending.setdefault(col, {})
    entries[row] = entries.get(row, 0.0) + value  # a meeting with two attendees in one row


def _flush_entries(m: Master) -> None:
    """Append the entries of the new rows to their columns (once per column)."""
    for col, entries in m.pending.items():
        rows = np.fromiter(entries.keys(), dtype=m.col_rows[col].dtype, count=len(entries))
        vals = np.fromiter(entries.values(), dtype=float, count=len(entries))
        m.col_rows[col] = np.concatenate([m.col_rows[col], rows])
        m.col_vals[col] = np.concatenate([m.col_vals[col], vals])
        for row, value in entries.items():
            m.row_entries.setdefault(row, []).append((col, value))
    m.pending.clear()


def _phone_by_slot(m: Master, x: np.ndarray) -> tuple[np.ndarray, dict[tuple[int, int], int]]:
    """Phone time of every agent per (day, slot) in the solution ``x``: the matrix
    ``(slots, agents)`` and the row of each (day, slot) in it."""
    return m.contrib.phone(x, len(m.inst.agents)), m.contrib.slot_index


def _new_row(m: Master, key: tuple, name: str, lo: float, d: int, j: int, agents: set[int]) -> int:
    """A coverage-type row at (d, j) counting the phone time of ``agents``."""
    r = m.row(key, name, lo, np.inf)
    for a in agents:
        pairs = m.slot_pairs.get((a, d))
        if pairs is not None:
            pairs[0].append(j)
            pairs[1].append(r)
    for c, coef in m.contrib.entries(d, j, agents):
        _append_entry(m, c, r, coef)
    return r


def _floor_matrices(m: Master) -> tuple[np.ndarray, list[str], np.ndarray, list[str]]:
    """Who counts in the floors: the skilled agents of each queue ``(queues, agents)`` and the
    members of each team ``(teams, agents)``, as 0/1 matrices with the queue and team names."""
    if "floors" not in m.cache:
        n = len(m.inst.agents)
        queues = sorted(m.skilled)
        skill = np.zeros((len(queues), n))
        for r, q in enumerate(queues):
            skill[r, sorted(m.skilled[q])] = 1.0
        teams = sorted(m.team_members)
        member = np.zeros((len(teams), n))
        for r, team in enumerate(teams):
            member[r, sorted(m.team_members[team])] = 1.0
        m.cache["floors"] = (skill, queues, member, teams)
    return m.cache["floors"]


def add_floor_rows(m: Master) -> list[int]:
    """Add the floor row of every queue interval inside its window, and the team row of every
    team and interval of the phone hours, that has none yet."""
    new_rows = []
    for i, c_empty in m.empty_col.items():
        if ("floor", i) in m.row_of:
            continue
        d, j, q = m.req_day[i], m.req_slot[i], m.req_queue[i]
        name = f"floor_q{m.queue_number[q]}_{_hhmm(m.inst, d, j)}"
        r = _new_row(m, ("floor", i), name, 1.0, d, j, m.skilled.get(q, set()))
        _append_entry(m, c_empty, r, 1.0)
        new_rows.append(r)
    for key in m.team_empty:
        if ("team", *key) not in m.row_of:
            new_rows.append(_add_team_row(m, key))
    _flush_entries(m)
    return new_rows


#: OpenBLAS runs a matrix product of up to 2**18 multiply-adds on one thread and a larger
#: one on several. On this 2-core machine with another process busy, the product of the
#: default week's 142 ten-queue slots with their 1,013 sets (4.5 million multiply-adds) took
#: 16 ms on two threads against 0.26 ms on one (0.45 ms in chunks of 8 slots).
_ONE_THREAD_PRODUCT = 2**18


class _PoolSlot(NamedTuple):
    """One entry of `Master.pool_slots`, with its row in the phone matrix (None: no phone
    time at that slot)."""

    d: int
    j: int
    rows: np.ndarray
    members: np.ndarray
    hits: np.ndarray
    phone_row: int | None


@dataclass
class _PoolGroup:
    """The pool slots that share one set of queues (`_prepare_pools` shares their
    ``(members, hits)`` arrays), stacked so matrix products give every slot's violations."""

    #: each slot's place in `Master.pool_slots` (their order), ``(slots,)``
    positions: np.ndarray
    #: each slot's row in the phone matrix (one past the last row when it has none),
    #: ``(slots,)``
    phone_rows: np.ndarray
    #: each slot's requirement rows, ``(slots, queues)``
    req_rows: np.ndarray
    #: the sets of queues (+1 per queue in it) and the kinds with a skill in each (-1),
    #: ``(queues + kinds, sets)``: a slot's coverage and phone time by kind times it are its
    #: violations
    signs: np.ndarray
    #: slots per product (`_ONE_THREAD_PRODUCT`)
    chunk: int


@dataclass
class _Separation:
    """What `separate_pools` needs of the master besides the solution, computed once per
    master and kept in `Master.cache`.

    Everything here is set by `build_master` and not changed after it (the requirement rows
    and their shortfall segments by `_add_cover_rows`, the floors' slacks, the pool slots,
    the kinds, the slots of the phone matrix), so the cache is only checked by those sizes
    (`_separation_signature`): code that edits them in place must clear ``m.cache``.

    Profiled on the default centre's week (34 agents, 1,600 requirement rows, 162 pool
    slots), the loop version took 13-23 ms per call (with the machine's load): 23 calls made
    36,800 numpy sums of a row's shortfall segments and 3,726 argsorts of a slot's 1,013
    sets, while 15 slots per call had a set violated (or within rounding of it).
    """

    #: what the structures were built from (`_separation_signature`)
    signature: tuple[int, ...]
    #: the shortfall columns of the requirement rows with 1 to 7 of them, flattened, and the
    #: row of each (`_covered`)
    seg_cols: np.ndarray
    seg_row: np.ndarray
    #: the requirement rows with 8 or more (numpy sums them pairwise, not in order)
    long_rows: list[tuple[int, list[int]]]
    #: per queue interval with a floor (`Master.empty_col`, in its order): the requirement
    #: row, its row in the phone matrix (-1: none) and its queue's row in `_floor_matrices`
    #: (-1: nobody has the skill)
    floor_req: list[int]
    floor_phone: np.ndarray
    floor_queue: np.ndarray
    #: per team interval (`Master.team_empty`, in its order): its key, its row in the phone
    #: matrix (-1: none) and the team's row in `_floor_matrices`
    team_keys: list[tuple[str, int, int]]
    team_phone: np.ndarray
    team_row: np.ndarray
    #: the agents' kinds as a 0/1 matrix ``(agents, kinds)``
    kind_onehot: np.ndarray
    #: `Master.pool_slots` in its order, and its slots grouped by their set of queues
    pool_slots: list[_PoolSlot]
    pool_groups: list[_PoolGroup]


def _separation_signature(m: Master) -> tuple[int, ...]:
    """The sizes `_Separation` depends on: a changed one means the cache is stale."""
    return (
        len(m.under_cols),
        len(m.empty_col),
        len(m.team_empty),
        len(m.pool_slots),
        len(m.contrib.slot_index),
        len(m.kind_of),
        len(m.kind_skills),
    )


def _separation(m: Master) -> _Separation:
    """The cached `_Separation` of ``m`` (built on the first call)."""
    signature = _separation_signature(m)
    found = m.cache.get("separation")
    if isinstance(found, _Separation) and found.signature == signature:
        return found
    index = m.contrib.slot_index
    short = [(i, segs) for i, segs in enumerate(m.under_cols) if 0 < len(segs) < 8]
    _, queues, _, teams = _floor_matrices(m)
    queue_row = {q: r for r, q in enumerate(queues)}
    team_row = {team: r for r, team in enumerate(teams)}
    floor_req = list(m.empty_col)
    team_keys = list(m.team_empty)
    kind_onehot = np.zeros((len(m.kind_of), len(m.kind_skills)))
    kind_onehot[np.arange(len(m.kind_of)), m.kind_of] = 1.0
    pool_slots = [
        _PoolSlot(d, j, rows, members, hits, index.get((d, j)))
        for (d, j), (rows, (members, hits)) in m.pool_slots.items()
    ]
    found = _Separation(
        signature=signature,
        seg_cols=np.asarray([c for _, segs in short for c in segs], dtype=np.int64),
        seg_row=np.asarray([i for i, segs in short for _ in segs], dtype=np.int64),
        long_rows=[(i, list(segs)) for i, segs in enumerate(m.under_cols) if len(segs) >= 8],
        floor_req=floor_req,
        floor_phone=np.asarray(
            [index.get((m.req_day[i], m.req_slot[i]), -1) for i in floor_req], dtype=np.int64
        ),
        floor_queue=np.asarray(
            [queue_row.get(m.req_queue[i], -1) for i in floor_req], dtype=np.int64
        ),
        team_keys=team_keys,
        team_phone=np.asarray([index.get((d, j), -1) for _, d, j in team_keys], dtype=np.int64),
        team_row=np.asarray([team_row[team] for team, _, _ in team_keys], dtype=np.int64),
        kind_onehot=kind_onehot,
        pool_slots=pool_slots,
        pool_groups=_pool_groups(pool_slots, absent=len(index)),
    )
    m.cache["separation"] = found
    return found


def _pool_groups(slots: list[_PoolSlot], absent: int) -> list[_PoolGroup]:
    """The pool slots grouped by their set of queues: the slots with the same queues share
    their ``members`` and ``hits`` arrays (`_prepare_pools` caches them by the queues).
    ``absent`` is the phone row of the slots without phone time (a row of zeros)."""
    grouped: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pos, slot in enumerate(slots):
        grouped[(id(slot.members), id(slot.hits))].append(pos)
    groups = []
    for positions in grouped.values():
        first = slots[positions[0]]
        signs = np.hstack([first.members, -first.hits.astype(float)]).T
        groups.append(
            _PoolGroup(
                positions=np.asarray(positions, dtype=np.int64),
                phone_rows=np.asarray(
                    [
                        absent if slots[p].phone_row is None else slots[p].phone_row
                        for p in positions
                    ],
                    dtype=np.int64,
                ),
                req_rows=np.stack([np.asarray(slots[p].rows, dtype=np.int64) for p in positions]),
                signs=np.ascontiguousarray(signs, dtype=float),
                chunk=max(1, _ONE_THREAD_PRODUCT // signs.size),
            )
        )
    return groups


def _covered(m: Master, sep: _Separation, x: np.ndarray) -> np.ndarray:
    """The requirement less the shortfall of every requirement row in ``x`` (the coverage
    the agents must give), bit for bit as ``required[i] - float(x[segs].sum())`` row by row.

    `numpy.bincount` adds each row's weights in their order starting from 0, as
    ``ndarray.sum`` does below 8 items (from 8 it sums pairwise: those rows are summed as
    before); other dtypes than float64 are summed as before too (a float32 sum rounds in
    float32).
    """
    required = m.required
    if x.dtype != np.float64:
        covered = required.copy()
        for i, segs in enumerate(m.under_cols):
            if segs:
                covered[i] -= float(x[segs].sum())
        return covered
    shortfall = np.bincount(sep.seg_row, weights=x[sep.seg_cols], minlength=len(required))
    covered = required - shortfall  # rows without segments: required - 0.0, unchanged
    for i, segs in sep.long_rows:
        covered[i] = required[i] - float(x[segs].sum())
    return covered


def _violated_floors(
    on: np.ndarray, phone_rows: np.ndarray, cols: np.ndarray, tol: float
) -> np.ndarray:
    """The positions, in order, of the floors with less than ``1 - tol`` on the phone in
    ``on`` ``(slots, queues or teams)`` at their phone row and column (-1 in either: nobody
    there, a violated floor)."""
    met = np.zeros(len(phone_rows), dtype=bool)
    known = (phone_rows >= 0) & (cols >= 0)
    met[known] = on[phone_rows[known], cols[known]] >= 1 - tol
    return np.flatnonzero(~met)


def _flagged_pool_slots(
    sep: _Separation, covered: np.ndarray, phone: np.ndarray, tol: float
) -> np.ndarray:
    """The positions in `Master.pool_slots`, in order, of the slots where some set of queues
    may be violated by more than ``tol``: a superset of the slots `separate_pools` adds rows
    at (they are then checked exactly as before, one by one).

    The slots of a group are checked together, by matrix products of a few slots at a time
    (`_ONE_THREAD_PRODUCT`), with the phone time by kind from one product too. Their sums run
    in another order than the per-slot ones, so each slot's threshold is lowered by 1e-9
    times the slot's magnitudes (its |coverage| and |phone time| summed; the rounding
    differences are below 1e-13 of it). Non-finite values flag every slot.
    """
    n_slots = sum(len(g.positions) for g in sep.pool_groups)
    if not (np.isfinite(covered).all() and np.isfinite(phone).all()):
        return np.arange(n_slots)
    by_kind = np.vstack([phone @ sep.kind_onehot, np.zeros((1, sep.kind_onehot.shape[1]))])
    size = np.concatenate([np.abs(phone).sum(axis=1), [0.0]])
    flagged = []
    for g in sep.pool_groups:
        cov = covered[g.req_rows]  # (slots, queues)
        values = np.hstack([cov, by_kind[g.phone_rows]])  # (slots, queues + kinds)
        threshold = tol - 1e-9 * (1.0 + np.abs(cov).sum(axis=1) + size[g.phone_rows])
        for first in range(0, len(values), g.chunk):
            part = slice(first, first + g.chunk)
            violation = values[part] @ g.signs  # (slots, sets)
            # not "> threshold": a NaN (an overflow's inf - inf) flags too
            over = ~(violation <= threshold[part, None]).all(axis=1)
            flagged.append(g.positions[part][over])
    return np.sort(np.concatenate(flagged)) if flagged else np.zeros(0, dtype=np.int64)


def separate_pools(m: Master, x: np.ndarray, *, per_slot: int = 3, tol: float = 1e-6) -> list[int]:
    """Add the rows the solution ``x`` violates; returns the new row indices.

    Pool rows (sets of two or more queues, at most ``per_slot`` per interval, the most
    violated first), floor rows (a queue inside its window with nobody skilled on the phone)
    and team rows (a team with nobody on the phone in its phone hours), all kept out of the
    model until a solution needs them.

    Vectorized over the rows and slots (`_Separation`): only the slots where a set may be
    violated (`_flagged_pool_slots`) are checked one by one, as before. The rows are the loop
    version's exactly, in its order (tests/test_separate_pools.py keeps that version as its
    oracle). On the default centre's week a call that adds no row took 13 ms before and
    1.2-2.1 ms now (benchmarks/separate_pools.py).
    """
    inst = m.inst
    x = np.asarray(x)
    sep = _separation(m)
    required = m.required
    covered = _covered(m, sep, x)
    phone, index = _phone_by_slot(m, x)
    skill, queues, member, teams = _floor_matrices(m)
    skilled_on = phone @ skill.T  # (slots, queues)
    team_on = phone @ member.T  # (slots, teams)
    new_rows: list[int] = []
    for f in _violated_floors(skilled_on, sep.floor_phone, sep.floor_queue, tol).tolist():
        i = sep.floor_req[f]
        if ("floor", i) in m.row_of:
            continue
        d, j, q = m.req_day[i], m.req_slot[i], m.req_queue[i]
        name = f"floor_q{m.queue_number[q]}_{_hhmm(inst, d, j)}"
        r = _new_row(m, ("floor", i), name, 1.0, d, j, m.skilled.get(q, set()))
        _append_entry(m, m.empty_col[i], r, 1.0)
        new_rows.append(r)
    for t in _violated_floors(team_on, sep.team_phone, sep.team_row, tol).tolist():
        team_key = sep.team_keys[t]
        if ("team", *team_key) in m.row_of:
            continue
        new_rows.append(_add_team_row(m, team_key))
    n_kinds = len(m.kind_skills)
    for pos in _flagged_pool_slots(sep, covered, phone, tol).tolist():
        # as the loop version did for every slot
        d, j, rows, members, hits, s = sep.pool_slots[pos]
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


# ---------------------------------------------------------------------------------------------
# Column generation
# ---------------------------------------------------------------------------------------------
@dataclass
class ColumnGenerationLog:
    """What the column generation did."""

    rounds: int = 0
    lp_value: float = float("nan")
    lower_bound: float = float("-inf")
    converged: bool = False
    enumerated_weeks: int = 0
    seconds: float = 0.0
    cuts: int = 0
    pricing_rounds: int = 0
    #: whether an LP was solved to optimality (not cut short by the time limit)
    solved: bool = False


_BANNER_SHOWN = False


def quiet_highs() -> highspy.Highs:
    """A `highspy.Highs` with its log off, without the banner HiGHS prints once a process."""
    global _BANNER_SHOWN
    if not _BANNER_SHOWN:
        _BANNER_SHOWN = True
        try:
            sys.stdout.flush()
            saved = os.dup(1)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            try:
                highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(null)
                os.close(saved)
        except OSError:  # no file descriptor 1 (embedded use): the banner may show once
            pass
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def to_highs(m: Master) -> highspy.Highs:
    """The master as a `highspy` LP, set up for warm starts after adding columns or rows."""
    h = quiet_highs()
    lp = highspy.HighsLp()
    lp.num_col_ = m.n_cols
    lp.num_row_ = m.n_rows
    lp.col_cost_ = np.asarray(m.col_cost)
    lp.col_lower_ = np.asarray(m.col_lo)
    lp.col_upper_ = np.asarray(m.col_hi)
    lp.row_lower_ = np.asarray(m.row_lo)
    lp.row_upper_ = np.asarray(m.row_hi)
    starts, index, values = _csc(m.col_rows, m.col_vals)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = values
    h.passModel(lp)
    # warm starts from the previous basis after adding columns or rows
    h.setOptionValue("presolve", "off")
    h.setOptionValue("solver", "simplex")
    return h


def _add_rows(
    h: highspy.Highs, m: Master, rows: list[int], *, columns: np.ndarray | None = None
) -> None:
    """Add the master's ``rows`` to the LP ``h`` with their entries; ``columns`` maps a master
    column to its column in ``h`` (-1: not there, the entry left out; None: the same)."""
    starts, index, values = [0], [], []
    for r in rows:
        for c, v in m.row_entries.get(r, []):
            k = c if columns is None else int(columns[c]) if c < len(columns) else -1
            if k >= 0:
                index.append(k)
                values.append(v)
        starts.append(len(index))
    status = h.addRows(
        len(rows),
        np.asarray([m.row_lo[r] for r in rows]),
        np.asarray([m.row_hi[r] for r in rows]),
        len(index),
        np.asarray(starts[:-1], dtype=np.int32),
        np.asarray(index, dtype=np.int32),
        np.asarray(values, dtype=float),
    )
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"HiGHS refused the pool rows: {status}")


def _csc(
    rows: list[np.ndarray], vals: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lens = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    starts = np.concatenate([[0], np.cumsum(lens)]).astype(np.int32)
    index = np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, np.int32)
    values = np.concatenate(vals).astype(float) if vals else np.zeros(0)
    return starts, index, values


def project(m: Master, y: np.ndarray) -> np.ndarray:
    """Duals with the signs their rows allow (>= rows: y >= 0; <= rows: y <= 0)."""
    lo = np.asarray(m.row_lo)
    hi = np.asarray(m.row_hi)
    y = y.copy()
    y[(y > 0) & ~np.isfinite(lo)] = 0.0
    y[(y < 0) & ~np.isfinite(hi)] = 0.0
    return y


def _static_part(
    m: Master,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The columns other than patterns as arrays, for `_static_bound`: their rows, values and
    owners (CSC), costs and bounds. Cached until rows are added (their entries grow then)."""
    cached = m.cache.get("static")
    if cached is not None and cached[0] == m.n_rows:
        return cached[1]
    static = [j for j, kind in enumerate(m.col_kind) if kind != "pattern"]
    starts, index, values = _csc([m.col_rows[j] for j in static], [m.col_vals[j] for j in static])
    owner = np.repeat(np.arange(len(static)), np.diff(starts))
    cost = np.asarray([m.col_cost[j] for j in static])
    upper = np.asarray([m.col_hi[j] for j in static])
    lower = np.asarray([m.col_lo[j] for j in static])
    part = (index, values, owner, cost, upper, lower, np.asarray(static, dtype=np.int64))
    m.cache["static"] = (m.n_rows, part)
    return part


def _static_bound(m: Master, y: np.ndarray, pick_rows: np.ndarray) -> float:
    """The row and non-pattern-column part of the Lagrangian function at ``y``."""
    lo = np.asarray(m.row_lo)
    hi = np.asarray(m.row_hi)
    mask = np.ones(len(y), dtype=bool)
    mask[pick_rows] = False
    rows_part = np.where(
        y > 0, y * np.where(np.isfinite(lo), lo, 0.0), y * np.where(np.isfinite(hi), hi, 0.0)
    )
    total = float(rows_part[mask].sum())
    index, values, owner, cost, upper, lower, static = _static_part(m)
    a_t_y = np.bincount(owner, weights=values * y[index], minlength=len(static))
    rc = cost - a_t_y
    total += float(np.where(rc < 0, rc * upper, rc * lower).sum())
    return total


def seed_patterns(
    m: Master, *, enumerate_limit: int = 300, deadline: float = math.inf
) -> tuple[set[tuple[int, str]], int]:
    """The first columns: all patterns of agent-weeks that have at most ``enumerate_limit``,
    and for the others the best patterns at a guess of the duals (the value of a first unit of
    coverage on each queue: the first slope of its shortfall cost, scaled three ways).

    Every agent-week gets at least one pattern (the first guess); the other two guesses are
    left out when the clock (`time.perf_counter`) is past ``deadline``.

    Returns the agent-weeks whose patterns are not all there, and how many were enumerated.
    """
    inst = m.inst
    rules = inst.rules
    price_kw: PriceOptions = {
        "max_days": rules.max_days_per_week,
        "step": rules.interval_minutes,
        "weight_hours": rules.weight_hours_deviation,
    }
    open_plans: set[tuple[int, str]] = set()
    enumerated = 0
    pattern: Pattern | None
    for plan in inst.weeks:
        every = enumerate_patterns(plan, m.week_options(plan), limit=enumerate_limit, **price_kw)
        if every is None:
            open_plans.add((plan.agent, plan.week))
            continue
        for pattern in every:
            m.add_pattern(pattern)
        enumerated += 1
    guess = np.zeros(m.n_rows)
    for i, segs in enumerate(m.under_cols):
        if segs:
            guess[m.row_of[("cover", i)]] = m.col_cost[segs[0]]
    for scale in (1.0, 0.5, 0.25):
        if scale < 1.0 and time.perf_counter() > deadline:
            break  # one pattern each is enough to start from when time is short
        y0 = guess * scale
        for plan in inst.weeks:
            if (plan.agent, plan.week) not in open_plans:
                continue
            options = m.week_options(plan)
            pattern, _ = price_pattern(plan, options, m.option_costs(plan, y0), **price_kw)
            if pattern is None:
                raise RuntimeError(
                    f"no pattern for agent {inst.agents[plan.agent].agent_id} in {plan.week}"
                )
            m.add_pattern(pattern)
    return open_plans, enumerated


def trivial_bound(m: Master) -> ColumnGenerationLog:
    """The log of a column generation that did not run (no time for it): no LP, the lower
    bound the Lagrangian function gives at zero duals (every pattern costs at least 0; the
    other columns at their cheapest bounds). Valid, and weak."""
    log = ColumnGenerationLog()
    pick_rows = np.asarray([m.row_of[("pick", p.agent, p.week)] for p in m.inst.weeks])
    log.lower_bound = _static_bound(m, np.zeros(m.n_rows), pick_rows.astype(np.int64))
    log.lp_value = float("nan")
    return log


def column_generation(
    m: Master,
    *,
    time_budget: float,
    gap: float,
    enumerate_limit: int = 300,
    max_rounds: int = 400,
    smoothing: float = 0.5,
    enough: float = 0.0,
    progress: Callable[[str], None] | None = None,
) -> ColumnGenerationLog:
    """Grow ``m``'s pattern columns (and pool rows) until the LP bound is proven or time is up.

    Each round solves the restricted LP, adds the pool and floor rows its solution violates,
    and prices every agent-week twice: at the LP duals (the patterns that improve the LP now)
    and at duals smoothed towards the best ones so far (Wentges 1997; they steady the duals
    and cut the rounds by about half here). Patterns with negative reduced cost at the LP
    duals are added. The Lagrangian function at either dual vector, ``sum over rows of y *
    bound + sum over the other columns of min(reduced cost x bound) + sum over agent-weeks of
    the cheapest pattern``, is a valid lower bound of the whole problem; the best is kept.
    Stops when no pattern improves, when LP and bound are within ``gap / 10`` (relative) or
    ``enough`` (absolute, in the objective's unit: a re-optimization stops within one answered
    call, `staffing.roster.solve.WARM_ENOUGH_CALLS`), each with no pool or floor row violated,
    or before a round that would end after ``time_budget`` seconds (one as long as the last;
    the first round always runs).
    """
    started = time.perf_counter()
    log = ColumnGenerationLog()
    open_plans, log.enumerated_weeks = seed_patterns(
        m, enumerate_limit=enumerate_limit, deadline=started + time_budget / 2
    )
    pricing = _Pricing.of(m, open_plans)
    last_report = 0.0
    center: np.ndarray | None = None
    h = to_highs(m)
    while True:
        round_started = time.perf_counter()
        # the LP gets what is left of the budget (at least a little: the first round's duals
        # give the lower bound); cut short, its duals still give a valid bound
        left = time_budget - (time.perf_counter() - started)
        lp_started = time.perf_counter()
        solved = run_lp(h, max(left, 0.05 * time_budget, 0.2))
        m.lp_seconds = time.perf_counter() - lp_started
        log.solved |= solved
        log.rounds += 1
        solution = h.getSolution()
        x = _values(solution.col_value, m.n_cols)
        z = float(h.getInfo().objective_function_value)
        log.lp_value = z
        if solved:
            m.lp_x = x
        cuts = separate_pools(m, x)
        y_lp = _lp_duals(m, solution.row_dual)
        late = time.perf_counter() - started > time_budget
        new, center = _price_round(pricing, y_lp, center, 0.0 if late else smoothing, log)
        log.pricing_rounds += 1
        elapsed = time.perf_counter() - started
        if progress is not None and elapsed - last_report > 0.5:
            last_report = elapsed
            progress(
                f"solving: column generation round {log.pricing_rounds}, LP "
                f"{z + m.objective_offset:.1f}, "
                f"bound {log.lower_bound + m.objective_offset:.1f}, {len(m.patterns)} patterns, "
                f"{elapsed:.1f} s"
            )
        if cuts:  # the rows first: the new columns have entries in them
            _add_rows(h, m, cuts)
            log.cuts += len(cuts)
        added = add_columns(h, m, new)
        rel = (z - log.lower_bound) / max(abs(z + m.objective_offset), 1.0)
        if solved and not cuts and (added == 0 or rel <= gap / 10):
            log.converged = added == 0 or rel <= 1e-9
            break
        if solved and not cuts and z - log.lower_bound <= enough:
            break  # no pattern can lower the LP by more than ``enough``
        if elapsed > time_budget or log.pricing_rounds >= max_rounds:
            break
        if elapsed + (time.perf_counter() - round_started) > time_budget:
            break  # the next round, about as long as this one, would end after the budget
    m.lp = h
    log.seconds = time.perf_counter() - started
    return log


@dataclass
class _Pricing:
    """Pricing every agent-week at row duals: the Lagrangian bound, and the best pattern of
    each agent-week whose patterns are not all in the master (``open_plans``)."""

    m: Master
    open_plans: set[tuple[int, str]]
    pick_row: dict[tuple[int, str], int]
    pick_rows: np.ndarray
    price_kw: PriceOptions

    @classmethod
    def of(cls, m: Master, open_plans: set[tuple[int, str]]) -> _Pricing:
        """The pricing of ``m``'s agent-weeks."""
        rules = m.inst.rules
        price_kw: PriceOptions = {
            "max_days": rules.max_days_per_week,
            "step": rules.interval_minutes,
            "weight_hours": rules.weight_hours_deviation,
        }
        pick_row = {(p.agent, p.week): m.row_of[("pick", p.agent, p.week)] for p in m.inst.weeks}
        pick_rows = np.asarray(list(pick_row.values()), dtype=np.int64)
        return cls(m, open_plans, pick_row, pick_rows, price_kw)

    def price(self, y: np.ndarray) -> tuple[float, list[tuple[Pattern, float, WeekPlan]]]:
        """The Lagrangian bound at ``y`` and the open agent-weeks' best patterns with their
        values (reduced cost before the ``pick`` row's dual)."""
        m = self.m
        bound = _static_bound(m, y, self.pick_rows)
        found = []
        for plan in m.inst.weeks:
            options = m.week_options(plan)
            pattern, value = price_pattern(plan, options, m.option_costs(plan, y), **self.price_kw)
            if pattern is None:
                continue
            bound += value
            if (plan.agent, plan.week) in self.open_plans:
                found.append((pattern, value, plan))
        return bound, found

    def reduced_cost(self, pattern: Pattern, plan: WeekPlan, y: np.ndarray) -> float:
        """The reduced cost of ``pattern`` at duals ``y``."""
        costs = self.m.option_costs(plan, y)
        total = 0
        for d, o in pattern.choice:
            day_costs = costs[plan.days.index(d)]
            assert day_costs is not None  # a pattern works only days with options
            total += day_costs[o]
        value = float(total)
        weight = self.m.inst.rules.weight_hours_deviation
        value += weight * abs(pattern.paid_minutes - plan.target_minutes) / 60
        return value - y[self.pick_row[(plan.agent, plan.week)]]


def _lp_duals(m: Master, row_dual: list[float]) -> np.ndarray:
    """The LP's row duals with the signs their rows allow; rows added after the solve (new
    pool and floor rows) start at 0."""
    y_lp = np.zeros(m.n_rows)
    duals = np.asarray(row_dual, dtype=float)
    y_lp[: len(duals)] = duals
    return project(m, y_lp)


def _price_round(
    pricing: _Pricing,
    y_lp: np.ndarray,
    center: np.ndarray | None,
    smoothing: float,
    log: ColumnGenerationLog,
) -> tuple[list[Pattern], np.ndarray | None]:
    """Price at the LP duals ``y_lp`` and at duals smoothed towards ``center``, the best point
    so far (Wentges 1997): the LP duals give the columns that improve the LP now, the smoothed
    ones the columns that the converged LP will want; both give valid bounds, and the best
    raises ``log.lower_bound``. Returns the patterns with negative reduced cost at ``y_lp`` and
    the new center."""
    bound, found = pricing.price(y_lp)
    new = {
        (p.agent, p.week, p.choice): p
        for p, v, plan in found
        if v - y_lp[pricing.pick_row[(plan.agent, plan.week)]] < -1e-6
    }
    best_y = y_lp
    if center is not None and smoothing > 0:
        padded = np.zeros_like(y_lp)
        padded[: len(center)] = center
        y_s = project(pricing.m, smoothing * padded + (1 - smoothing) * y_lp)
        bound_s, found_s = pricing.price(y_s)
        for p, _v, plan in found_s:
            if pricing.reduced_cost(p, plan, y_lp) < -1e-6:
                new.setdefault((p.agent, p.week, p.choice), p)
        if bound_s > bound:
            bound, best_y = bound_s, y_s
    if bound > log.lower_bound:
        log.lower_bound = bound
        center = best_y
    elif center is None:
        center = best_y
    return list(new.values()), center


def add_columns(h: highspy.Highs, m: Master, patterns: list[Pattern]) -> int:
    """Add ``patterns`` to ``m`` and their columns to its LP ``h`` (a pattern already there is
    skipped); returns how many columns were added."""
    first = m.n_cols
    for pattern in patterns:
        m.add_pattern(pattern)
    added = m.n_cols - first
    if added:
        starts, index, values = _csc(m.col_rows[first:], m.col_vals[first:])
        h.addCols(
            added,
            np.asarray(m.col_cost[first:]),
            np.asarray(m.col_lo[first:]),
            np.asarray(m.col_hi[first:]),
            len(index),
            starts[:-1],
            index,
            values,
        )
    return added


def run_lp(h: highspy.Highs, seconds: float = math.inf) -> bool:
    """Solve the LP ``h`` in at most ``seconds`` (HiGHS's ``time_limit``); whether it was
    solved to optimality. Cut short, its values are the last simplex iterate (not feasible
    in general) and its duals, projected (`project`), still give a valid Lagrangian bound.

    HiGHS (1.x) compares ``time_limit`` with the *cumulative* run time of the `Highs` object,
    not with this run's (ERGO-Code/HiGHS#1331, #1477; to change in 2.0): the limit is set to
    the time already run plus ``seconds``. Without that, every LP of a master that had run
    for 3 s of column generation stopped at once when less than 3 s were left.
    """
    h.setOptionValue(
        "time_limit",
        h.getRunTime() + float(max(seconds, 0.01)) if math.isfinite(seconds) else math.inf,
    )
    h.run()
    return h.getModelStatus() == highspy.HighsModelStatus.kOptimal


def _values(values: Iterable[float], n: int) -> np.ndarray:
    """An LP's column values as an array of length ``n`` (zeros where the LP has none)."""
    x = np.asarray(values, dtype=float)
    if len(x) == n:
        return x
    return np.pad(x[:n], (0, max(n - len(x), 0)))


def solve_with_cuts(h: highspy.Highs, m: Master, *, deadline: float = math.inf) -> np.ndarray:
    """Solve the LP ``h``, adding the pool and floor rows its solution violates, until none
    is; returns the column values. Past ``deadline`` (`time.perf_counter`) the LP gets a
    moment only and the rows found are added without solving again."""
    while True:
        run_lp(h, deadline - time.perf_counter() if math.isfinite(deadline) else math.inf)
        x = _values(h.getSolution().col_value, m.n_cols)
        cuts = separate_pools(m, x)
        if not cuts:
            return x
        _add_rows(h, m, cuts)
        if time.perf_counter() > deadline:
            return x
