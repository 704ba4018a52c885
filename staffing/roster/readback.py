"""Reading the chosen plan back from a solved `RosterModel`.

This module owns everything after the solve: the plan itself (`Plan`, `read_plan`: the shift
and lunch of every agent-day, the meetings placed and who stays on the phone), the roster
rows (`roster_rows`), the split of the plan's phone time between queues (`allocate`: an LP
with the program's Erlang-A shortfall cost, giving `COVERAGE_COLUMNS`), the meeting findings
(`meeting_diagnostics`), the runs where a team has nobody on the phone in its phone hours
(`team_gaps`, the team floor) and the objective term by term, evaluated on the plan itself
(`objective_parts`). The program is described in `staffing.roster.model`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd

from staffing.roster.diagnose import Diagnostic
from staffing.roster.instance import ROSTER_COLUMNS, Day, Instance
from staffing.roster.master import Master, fair_rates, quiet_highs
from staffing.roster.model import RosterModel
from staffing.roster.release import OFF_PHONE, release_surplus

__all__ = [
    "COVERAGE_COLUMNS",
    "Plan",
    "allocate",
    "meeting_diagnostics",
    "objective_parts",
    "phone_matrix",
    "plan_from_values",
    "read_plan",
    "release_off_phone",
    "roster_rows",
    "team_gaps",
]

COVERAGE_COLUMNS = [
    "interval_start",
    "queue",
    "required",
    "staffed",
    "shortfall",
    "surplus",
    "skilled_on_phone",
    "in_window",
]


@dataclass
class Plan:
    """The chosen plan: a shift and lunch per agent-day, the meetings placed, the patterns
    chosen and the attendees who stay on the phone instead of attending."""

    shifts: dict[tuple[int, int], tuple[int, int]]  # (agent, day) -> (template, lunch slot)
    meetings: list[tuple[int, int]]  # (meeting, position)
    patterns: list[int]
    stays: set[tuple[int, int, int]] = field(default_factory=set)  # (meeting, position, agent)
    #: (agent, day) -> [(first slot, slots)] released to off-phone work
    #: (`staffing.roster.release`); empty until `release_off_phone` fills it.
    off_phone: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)


def read_plan(model: RosterModel) -> Plan:
    """The plan in the solved ``model``'s variable values (a value above 0.5 is chosen)."""
    values = np.asarray([model.value(j) for j in range(len(model.variables))])
    return plan_from_values(model.master, values)


def plan_from_values(master: Master, values: np.ndarray) -> Plan:
    """The plan in the values ``values`` of ``master``'s columns (above 0.5 is chosen): the
    integer program's, or the rounded plan's when the program was not solved."""
    shifts: dict[tuple[int, int], tuple[int, int]] = {}
    chosen = []
    for n, col in enumerate(master.pattern_col):
        if values[col] > 0.5:
            pattern = master.patterns[n]
            chosen.append(n)
            for d, o in pattern.choice:
                opts = master.options[(pattern.agent, d)]
                shifts[(pattern.agent, d)] = (int(opts.template[o]), int(opts.lunch[o]))
    meetings = [
        master.col_key[j]
        for j, kind in enumerate(master.col_kind)
        if kind == "meeting" and values[j] > 0.5
    ]
    stays = {
        master.col_key[j]
        for j, kind in enumerate(master.col_kind)
        if kind == "skip" and values[j] > 0.5
    }
    return Plan(shifts, meetings, chosen, stays)


def _blocks(inst: Instance, plan: Plan) -> dict[tuple[int, int], list[tuple[str, int, int]]]:
    """Per (agent, day): the blocks off the phone, ``(activity, first slot, slots)``: meetings
    attended, the instance's fixed blocks (training, locked activities) and the time released
    to off-phone work."""
    blocks: dict[tuple[int, int], list[tuple[str, int, int]]] = defaultdict(list)
    for m, i in plan.meetings:
        occ = inst.meetings[m]
        d, p = occ.positions[i]
        for a in occ.attendees[i]:
            if (m, i, a) not in plan.stays:
                blocks[(a, d)].append((occ.rule.activity, p, occ.length))
    for key, fixed in inst.fixed_blocks.items():
        blocks[key].extend(fixed)
    for key, released in plan.off_phone.items():
        blocks[key].extend((OFF_PHONE, p, n) for p, n in released)
    return blocks


def roster_rows(inst: Instance, plan: Plan) -> pd.DataFrame:
    """The plan as roster rows: phone blocks, lunch, meetings, training, and absence days."""
    lunch_len = inst.rules.lunch_minutes // inst.rules.interval_minutes
    blocks = _blocks(inst, plan)
    stamps = [[day.timestamp(j) for j in range(day.n_slots + 1)] for day in inst.days]
    times = _Times()
    ids: list[str] = []
    dates: list = []
    starts: list[int] = []
    ends: list[int] = []
    activities: list[str] = []

    def add(agent_id: str, day: Day, start: int, end: int, activity: str) -> None:
        ids.append(agent_id)
        dates.append(day.date)
        starts.append(times.at(stamps[day.index], day, start))
        ends.append(times.at(stamps[day.index], day, end))
        activities.append(activity)

    for agent in inst.agents:
        a = agent.index
        for day in inst.days:
            d = day.index
            lock = inst.locks.get((a, d))
            if day.date in agent.unavailable or (lock is not None and lock.absence):
                add(agent.agent_id, day, day.slot(day.open_min), day.slot(day.close_min), "absence")
                continue
            if (a, d) not in plan.shifts:
                continue
            k, lunch = plan.shifts[(a, d)]
            t = inst.templates[(a, d)][k]
            for first, end, activity in _runs(t.start, t.end, lunch, lunch_len, blocks.get((a, d))):
                add(agent.agent_id, day, first, end, activity)
    if not ids:
        return pd.DataFrame([], columns=ROSTER_COLUMNS)
    column = times.column()
    frame = pd.DataFrame(
        {
            "agent_id": ids,
            "date": dates,
            "start": column.take(starts).reset_index(drop=True),
            "end": column.take(ends).reset_index(drop=True),
            "activity": activities,
        },
        columns=ROSTER_COLUMNS,
    )
    return frame.sort_values(["agent_id", "start"], kind="stable").reset_index(drop=True)


def _runs(
    start: int,
    end: int,
    lunch: int,
    lunch_len: int,
    blocks: list[tuple[str, int, int]] | None,
) -> list[tuple[int, int, str]]:
    """The rows of a shift ``[start, end)`` as ``(first slot, end slot, activity)``: phone,
    the lunch from slot ``lunch`` (none when negative), then each block ``(activity, first,
    slots)`` over what came before (cut to the shift); two blocks back to back stay two rows.

    Read segment by segment between the slots where something starts or ends (the same runs
    as marking every slot and reading off the runs of equal marks)."""
    blocks = blocks or []
    if lunch >= 0 and not start <= lunch <= lunch + lunch_len <= end:
        return _runs_by_slot(start, end, lunch, lunch_len, blocks)
    cuts = {start, end}
    if lunch >= 0:
        cuts.update((lunch, lunch + lunch_len))
    spans = []
    for activity, p, n in blocks:
        lo, hi = max(p, start), min(p + n, end)
        spans.append((activity, lo, hi))
        if lo < hi:
            cuts.update((lo, hi))
    points = sorted(c for c in cuts if start <= c <= end)
    runs: list[tuple[int, int, str]] = []
    last: tuple[str, int] | None = None
    for x, y in zip(points, points[1:]):
        status = ("phone", -1)
        if lunch >= 0 and lunch <= x < lunch + lunch_len:
            status = ("lunch", -1)
        for b, (activity, lo, hi) in enumerate(spans):
            if lo <= x < hi:
                status = (activity, b)
        if status == last:
            runs[-1] = (runs[-1][0], y, status[0])
        else:
            runs.append((x, y, status[0]))
            last = status
    return runs


def _runs_by_slot(
    start: int, end: int, lunch: int, lunch_len: int, blocks: list[tuple[str, int, int]]
) -> list[tuple[int, int, str]]:
    """`_runs` slot by slot (a lunch reaching out of its shift, which no plan has)."""
    length = end - start
    status: list[tuple[str, int]] = [("phone", -1)] * length
    if lunch >= 0:
        for j in range(lunch, lunch + lunch_len):
            status[j - start] = ("lunch", -1)
    for b, (activity, p, n) in enumerate(blocks):
        for j in range(max(p, start), min(p + n, end)):
            status[j - start] = (activity, b)
    runs = []
    j0 = 0
    for j in range(1, length + 1):
        if j == length or status[j] != status[j0]:
            runs.append((start + j0, start + j, status[j0][0]))
            j0 = j
    return runs


class _Times:
    """The distinct times of the roster rows, each a position in one column (so that the
    rows' times become a column at once, typed as pandas types the times themselves)."""

    def __init__(self) -> None:
        self.position: dict[tuple[int, int], int] = {}
        self.values: list[pd.Timestamp] = []

    def at(self, stamps: list[pd.Timestamp], day: Day, slot: int) -> int:
        """The position of the start of ``slot`` of ``day`` (``stamps``: its grid's times)."""
        key = (day.index, slot)
        position = self.position.get(key)
        if position is None:
            position = self.position[key] = len(self.values)
            self.values.append(_stamp(stamps, day, slot))
        return position

    def column(self) -> pd.Series:
        """The distinct times as a column, built as a frame of rows builds it."""
        return pd.DataFrame([(t,) for t in self.values], columns=["t"])["t"]


def _stamp(stamps: list[pd.Timestamp], day: Day, slot: int) -> pd.Timestamp:
    """The start of ``slot`` of ``day`` from its precomputed ``stamps``."""
    return stamps[slot] if 0 <= slot < len(stamps) else day.timestamp(slot)


def release_off_phone(
    inst: Instance,
    plan: Plan,
    *,
    phone: dict[tuple[int, int], np.ndarray] | None = None,
    deadline: float = math.inf,
) -> bool:
    """Fill ``plan.off_phone`` with the phone time the requirement does not need, when the
    rules ask for it (`ShiftRules.off_phone`; `staffing.roster.release.release_surplus`).

    ``phone``: the plan's `phone_matrix` (made here when not given). Returns False when the
    clock (`time.perf_counter`) passed ``deadline`` before every block was placed (the blocks
    placed by then are kept; the rest stays phone time)."""
    if inst.rules.off_phone and plan.shifts:
        if phone is None:
            phone = phone_matrix(inst, plan)
        plan.off_phone, done = release_surplus(inst, plan.shifts, phone, deadline=deadline)
        return done
    return True


def phone_matrix(inst: Instance, plan: Plan) -> dict[tuple[int, int], np.ndarray]:
    """Per (day, slot) with someone on the phone: 0/1 phone of every agent (on shift, not at
    lunch, in a meeting attended, training or off-phone work)."""
    lunch_len = inst.rules.lunch_minutes // inst.rules.interval_minutes
    blocks = _blocks(inst, plan)
    n = len(inst.agents)
    grids = {day.index: np.zeros((day.n_slots, n)) for day in inst.days}
    for (a, d), (k, lunch) in plan.shifts.items():
        t = inst.templates[(a, d)][k]
        grid = grids[d]
        grid[t.start : t.end, a] = 1.0
        if lunch >= 0:
            grid[lunch : min(lunch + lunch_len, t.end), a] = 0.0
        for _, p, m in blocks.get((a, d), []):
            lo, hi = max(p, t.start), min(p + m, t.end)
            if lo < hi:
                grid[lo:hi, a] = 0.0
    phone: dict[tuple[int, int], np.ndarray] = {}
    for d, grid in grids.items():
        for j in np.flatnonzero(grid.any(axis=1)).tolist():
            phone[(d, j)] = grid[j]
    return dict(sorted(phone.items()))


def allocate(
    inst: Instance,
    plan: Plan,
    *,
    phone: dict[tuple[int, int], np.ndarray] | None = None,
    time_limit: float = math.inf,
) -> tuple[pd.DataFrame, float]:
    """Split the plan's phone time between queues (an LP over the phone time of each kind of
    agent, queue and interval).

    Minimises the same Erlang-A shortfall cost as the model, so the reported coverage is the
    best the plan's people can give; spare time is spread over the agents' open queues.
    Agents with the same skills are one kind: ``x[kind, queue, interval] <= agents of the
    kind on the phone``, summed per kind and interval no more than them. Any split per kind
    is a split per agent (each agent of the kind takes the same share) and the coverage is the
    same, so the LP is that over x[agent, queue, interval], with a column per kind instead of
    per agent (a few thousand columns also for thousands of agents).
    ``phone``: the plan's `phone_matrix` (made here when not given); ``time_limit``: seconds
    for HiGHS. Returns the coverage table and the shortfall cost.
    """
    if phone is None:
        phone = phone_matrix(inst, plan)
    kinds = _Kinds.of(inst, phone)
    lp = _allocation_lp(inst, kinds)
    x = _solve_allocation(quiet_highs(), lp, time_limit)
    return _coverage_table(inst, lp, x)


@dataclass
class _Kinds:
    """The agents on the phone by kind (distinct skills): per (day, slot) how many of each."""

    skills: list[frozenset[str]]
    on: dict[tuple[int, int], np.ndarray]  # (day, slot) -> agents of each kind on the phone

    @classmethod
    def of(cls, inst: Instance, phone: dict[tuple[int, int], np.ndarray]) -> _Kinds:
        index: dict[frozenset[str], int] = {}
        kind_of = np.asarray(
            [index.setdefault(frozenset(a.skills), len(index)) for a in inst.agents],
            dtype=np.int64,
        )
        n = len(index)
        on = {key: np.bincount(kind_of, weights=vec, minlength=n) for key, vec in phone.items()}
        return cls(list(index), on)


@dataclass
class _AllocationLp:
    """The allocation LP as arrays.

    Columns, per requirement row in order: its phone time ``x[kind, q, t]`` (one column per
    kind skilled for the queue with agents on the phone), then its shortfall segments. Rows,
    per requirement row in order: its cover row, then the rows of the kinds (one per kind and
    interval) that first appear with it. The matrix is all ones, column-wise (``starts``,
    ``index``)."""

    costs: np.ndarray
    upper: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    starts: np.ndarray
    index: np.ndarray
    #: the x columns and their requirement rows
    x_cols: np.ndarray
    x_row: np.ndarray
    #: the shortfall columns, their requirement rows and slopes
    seg_cols: np.ndarray
    seg_row: np.ndarray
    seg_slope: np.ndarray
    #: per requirement row: agents on the phone with the queue's skill
    skilled: np.ndarray


def _allocation_lp(inst: Instance, kinds: _Kinds) -> _AllocationLp:
    """Build the allocation LP of the plan whose phone time by kind is ``kinds`` (numpy over
    the requirement rows; the order of rows and columns is that of `_AllocationLp`)."""
    req = inst.requirement
    n, n_kinds = len(req), len(kinds.skills)
    day = req["day"].to_numpy(dtype=np.int64)
    slot = req["slot"].to_numpy(dtype=np.int64)
    queues = req["queue"].to_numpy()
    # agents of each kind on the phone in each row's interval, where the kind has its skill
    # (the instance has at least one requirement row: `build_instance` refuses none)
    zero = np.zeros(n_kinds)
    on = np.stack([kinds.on.get((d, s), zero) for d, s in zip(day.tolist(), slot.tolist())])
    names = list(dict.fromkeys(queues.tolist()))
    has_skill = np.asarray([[q in skills for skills in kinds.skills] for q in names], dtype=bool)
    count = np.where(has_skill[pd.Index(names).get_indexer(queues)], on, 0.0)
    x_row, x_kind = np.nonzero(count)
    x_count = count[x_row, x_kind]
    skilled = np.bincount(x_row, weights=np.rint(x_count), minlength=n).astype(np.int64)
    # shortfall segments of positive width
    widths = np.diff(np.stack(req["breaks"].to_list()), axis=1)
    slopes = np.stack(req["slopes"].to_list())
    seg_row, seg_k = np.nonzero(widths > 1e-12)
    # columns: each row's x columns, then its segments
    n_x = np.bincount(x_row, minlength=n)
    n_seg = np.bincount(seg_row, minlength=n)
    first_col = np.concatenate([[0], np.cumsum(n_x + n_seg)[:-1]]).astype(np.int64)
    x_cols = first_col[x_row] + _rank_in_group(x_row)
    seg_cols = first_col[seg_row] + n_x[seg_row] + _rank_in_group(seg_row)
    # rows: each requirement row's cover row, then the kind rows first seen with it
    key = (x_kind * (int(day.max(initial=0)) + 1) + day[x_row]) * (
        int(slot.max(initial=0)) + 1
    ) + slot[x_row]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    is_new = np.zeros(len(key), dtype=bool)
    is_new[first] = True
    new_per_row = np.bincount(x_row[is_new], minlength=n)
    cover_row = np.arange(n) + np.concatenate([[0], np.cumsum(new_per_row)[:-1]])
    new_rank = _rank_in_group(x_row[is_new])
    kind_row_of_key = np.empty(len(first), dtype=np.int64)
    kind_row_of_key[inverse[is_new]] = cover_row[x_row[is_new]] + 1 + new_rank
    x_kind_row = kind_row_of_key[inverse]
    n_rows = n + int(is_new.sum())
    row_lo = np.full(n_rows, -np.inf)
    row_hi = np.full(n_rows, np.inf)
    row_lo[cover_row] = req["required"].to_numpy(dtype=float)
    row_hi[x_kind_row] = x_count
    n_cols = len(x_cols) + len(seg_cols)
    costs = np.empty(n_cols)
    upper = np.empty(n_cols)
    costs[x_cols] = -1e-4  # use spare time
    upper[x_cols] = x_count
    costs[seg_cols] = slopes[seg_row, seg_k]
    upper[seg_cols] = widths[seg_row, seg_k]
    # the matrix: an x column is in its cover row and its kind row, a segment in its cover row
    lens = np.ones(n_cols, dtype=np.int64)
    lens[x_cols] = 2
    starts = np.concatenate([[0], np.cumsum(lens)]).astype(np.int32)
    index = np.empty(int(lens.sum()), dtype=np.int32)
    index[starts[x_cols]] = cover_row[x_row]
    index[starts[x_cols] + 1] = x_kind_row
    index[starts[seg_cols]] = cover_row[seg_row]
    return _AllocationLp(
        costs,
        upper,
        row_lo,
        row_hi,
        starts,
        index,
        x_cols,
        x_row,
        seg_cols,
        seg_row,
        costs[seg_cols],
        skilled,
    )


def _rank_in_group(group: np.ndarray) -> np.ndarray:
    """Each element's position among the elements of its group before it (``group`` sorted:
    0, 1, ... within each run of equal values)."""
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    run_start = np.concatenate([[True], group[1:] != group[:-1]])
    first = np.maximum.accumulate(np.where(run_start, np.arange(len(group)), 0))
    return np.arange(len(group)) - first


def _solve_allocation(
    h: highspy.Highs, alloc: _AllocationLp, time_limit: float = math.inf
) -> np.ndarray:
    """Pass the allocation LP to ``h``, solve it in at most ``time_limit`` seconds and return
    the column values."""
    lp = highspy.HighsLp()
    lp.num_col_ = len(alloc.costs)
    lp.num_row_ = len(alloc.row_lo)
    lp.col_cost_ = alloc.costs
    lp.col_lower_ = np.zeros(len(alloc.costs))
    lp.col_upper_ = alloc.upper
    lp.row_lower_ = alloc.row_lo
    lp.row_upper_ = alloc.row_hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = alloc.starts
    lp.a_matrix_.index_ = alloc.index
    lp.a_matrix_.value_ = np.ones(len(alloc.index))
    h.passModel(lp)
    if math.isfinite(time_limit):
        h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
    h.run()
    return np.asarray(h.getSolution().col_value) if lp.num_col_ else np.zeros(0)


def _coverage_table(inst: Instance, lp: _AllocationLp, x: np.ndarray) -> tuple[pd.DataFrame, float]:
    """The coverage table (`COVERAGE_COLUMNS`) of the allocation ``x`` and its shortfall cost."""
    req = inst.requirement
    n = len(req)
    staffed = np.bincount(lp.x_row, weights=x[lp.x_cols], minlength=n)
    short = np.bincount(lp.seg_row, weights=x[lp.seg_cols], minlength=n)
    cost = np.bincount(lp.seg_row, weights=x[lp.seg_cols] * lp.seg_slope, minlength=n)
    required = req["required"].to_numpy(dtype=float)
    starts = [inst.days[d].timestamp(s) for d, s in zip(req["day"].tolist(), req["slot"].tolist())]
    table = pd.DataFrame(
        {
            "interval_start": starts,
            "queue": req["queue"].to_numpy(),
            "required": required,
            "staffed": np.round(staffed, 6),
            "shortfall": np.round(np.maximum(short, 0.0), 6),
            "surplus": np.round(np.maximum(staffed - required, 0.0), 6),
            "skilled_on_phone": lp.skilled,
            "in_window": req["in_window"].to_numpy(dtype=bool),
        }
    )
    return table[list(COVERAGE_COLUMNS)], float(sum(cost.tolist()))


def _team_empty_slots(
    inst: Instance, phone: dict[tuple[int, int], np.ndarray]
) -> list[tuple[str, int, int]]:
    """(team, day, slot) of the team floor's phone hours with no member on the phone."""
    out = []
    for team, members in inst.teams.items():
        index = np.asarray(members, dtype=np.int64)
        for d, slots in sorted(inst.team_slots.items()):
            for j in slots:
                on = phone.get((d, j))
                if on is None or not on[index].any():
                    out.append((team, d, j))
    return out


def team_gaps(
    inst: Instance, plan: Plan, *, phone: dict[tuple[int, int], np.ndarray] | None = None
) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """The runs of intervals where a team has nobody on the phone in its phone hours (the team
    floor, `ShiftRules.team_floor`): ``(team, start, end)``, tz-aware, end exclusive; one run
    per team and stretch of consecutive phone-hour slots of a day, sorted by team and time.
    ``phone``: the plan's `phone_matrix` (made here when not given)."""
    runs: list[tuple[str, pd.Timestamp, pd.Timestamp]] = []
    last: tuple[str, int, int, int] | None = None  # team, day, first slot, end slot
    if phone is None:
        phone = phone_matrix(inst, plan)
    for team, d, j in _team_empty_slots(inst, phone):
        if last is not None and last[:2] == (team, d) and last[3] == j:
            last = (team, d, last[2], j + 1)
            continue
        if last is not None:
            day = inst.days[last[1]]
            runs.append((last[0], day.timestamp(last[2]), day.timestamp(last[3])))
        last = (team, d, j, j + 1)
    if last is not None:
        day = inst.days[last[1]]
        runs.append((last[0], day.timestamp(last[2]), day.timestamp(last[3])))
    return runs


def meeting_diagnostics(model: RosterModel | Master, plan: Plan) -> list[Diagnostic]:
    """Who stays on the phone instead of attending a meeting, and the meetings not planned
    (``model``: the integer program, or its master when the program was not solved)."""
    inst = model.inst if isinstance(model, Master) else model.instance
    placed = {m for m, _ in plan.meetings}
    what = "queue or team" if inst.teams else "queue"
    out = []
    for m, i, a in sorted(plan.stays):
        occ = inst.meetings[m]
        d, p = occ.positions[i]
        day = inst.days[d]
        start, end = day.timestamp(p), day.timestamp(p + occ.length)
        out.append(
            Diagnostic(
                kind="meeting_stay",
                severity="info",
                agent_id=inst.agents[a].agent_id,
                message=(
                    f"{occ.rule.name} for team {occ.team} {day.label} {start:%H:%M}-{end:%H:%M}: "
                    f"{inst.agents[a].agent_id} stays on the phone so that no {what} is left "
                    "without an agent"
                ),
            )
        )
    for m, occ in enumerate(inst.meetings):
        if m in placed:
            continue
        who = f"team {occ.team}" if occ.rule.attendees == "team" else f"agent {occ.key.split()[-2]}"
        why = (
            "no time outside the blocked hours when all attendees are on shift"
            if occ.positions
            else "no possible time: attendees on holiday, outside the allowed days, or the "
            "blocked hours leave no room in their shifts"
        )
        out.append(
            Diagnostic(
                kind="missed_meeting",
                severity="warning",
                message=f"{occ.rule.name} for {who} in {occ.week} was not planned: {why}",
            )
        )
    return out


def objective_parts(
    model: RosterModel | Master,
    plan: Plan,
    coverage: pd.DataFrame,
    shortfall_cost: float,
    *,
    phone: dict[tuple[int, int], np.ndarray] | None = None,
) -> dict[str, float]:
    """The objective of the plan, term by term, evaluated on the plan itself.

    The surplus term counts the plan as the optimizer chose it: time released to off-phone
    work (``plan.off_phone``) is surplus the program paid for, so the objective stays
    comparable with the program's lower bound. ``model``: the integer program, or its master
    when the program was not solved; ``phone``: the plan's `phone_matrix` (made here when not
    given).
    """
    master = model if isinstance(model, Master) else model.master
    inst = master.inst
    rules = inst.rules
    if phone is None:
        phone = phone_matrix(inst, plan)
    parts: dict[str, float] = defaultdict(float)
    parts["under_coverage"] = shortfall_cost
    released = sum(n for blocks in plan.off_phone.values() for _, n in blocks)
    phone_slots = released + sum(float(v.sum()) for v in phone.values())
    covered = float((coverage["required"] - coverage["shortfall"]).sum())
    parts["surplus"] = rules.weight_over * (phone_slots - covered)
    empty = coverage["in_window"] & (coverage["skilled_on_phone"] == 0)
    parts["empty_queue"] = rules.weight_empty_queue * float(empty.sum())
    if inst.teams:
        nobody = _team_empty_slots(inst, phone)
        parts["team_floor"] = rules.weight_team_floor * len(nobody)
    placed = {m: i for m, i in plan.meetings}
    for m, occ in enumerate(inst.meetings):
        if m not in placed:
            parts["missed_meetings"] += rules.weight_missed_meeting
            continue
        size = max(len(occ.members), 1)
        parts["missed_meetings"] += (
            0.25 * rules.weight_missed_meeting * occ.absent[placed[m]] / size
        )
    parts["missed_meetings"] += rules.weight_skipped_meeting * len(plan.stays)
    weeks = {(w.agent, w.week): w for w in inst.weeks}
    for n in plan.patterns:
        pattern = master.patterns[n]
        week = weeks[(pattern.agent, pattern.week)]
        dev = rules.weight_hours_deviation * abs(pattern.paid_minutes - week.target_minutes) / 60
        parts["hours_deviation"] += dev
        parts["wishes"] += pattern.cost - dev
    rates = fair_rates(master, (master.patterns[n] for n in plan.patterns))
    for label in ("early", "late"):
        if rates.get(label):
            values = rates[label].values()
            parts["unfairness"] += rules.weight_unfair * (max(values) - min(values))
    return dict(parts)
