"""The greedy meeting placement (`staffing.roster.heuristics.place_meetings` and `greedy`)
against brute force on tiny weeks.

The greedy places each team meeting where the plan it implies is cheapest, counting the
member who stays on the phone during a team meeting in the team's phone hours (the start plan,
`staffing.roster.solve._start_values`, keeps one there; the greedy says which). On the default
centre's 2026-W49 with the integer program skipped, the greedy used to miss the meeting of the
small team that alone serves a queue: it priced every position as if all members left the
phone (the queue left empty, 200 per interval) while the plan keeps one of them on it (5).

The references here do not use the greedy's pricing: every position of the meeting with every
choice of the members who stay on the phone is written as column values by hand and priced by
the objective itself (`staffing.roster.readback.objective_parts`, through `solve._plan_cost`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pytest
import roster_cases as rc

from staffing.roster.heuristics import greedy, place_meetings
from staffing.roster.instance import Instance, build_instance
from staffing.roster.master import Master, build_master
from staffing.roster.readback import plan_from_values
from staffing.roster.rules import ShiftRules
from staffing.roster.solve import _plan_cost, _start_values

TUESDAY = rc.monday(1)
TEAM_MEETING = rc.TEAM_MEETING
RULES = rc.MEETING_RULES


@dataclass
class Week:
    inst: Instance
    master: Master
    #: the greedy's plan: its patterns (and meetings)
    x: np.ndarray


def _week(needs: dict[str, float], members: list[str], rules: ShiftRules = RULES) -> Week:
    """A Tuesday open 07:30-16:00 with the requirement ``needs`` per queue (agents all day)
    and team ``T`` of one member per entry of ``members`` (their skills); the greedy's plan
    of it."""
    per_queue: dict[str, float | Sequence[float] | Callable[[int, int], float]] = dict(needs)
    req = rc.requirements([TUESDAY], per_queue, start="07:30", end="16:00")
    rows = [{"team": "T", "skills": skills} for skills in members]
    inst = build_instance(req, rc.agents(*rows), rules)
    master = build_master(inst)
    x, _ = greedy(master)
    return Week(inst, master, x)


def _cost(week: Week, values: np.ndarray) -> float:
    """The objective of the plan in ``values`` (the master's column values)."""
    return _plan_cost(week.inst, week.master, plan_from_values(week.master, values))


def _patterns_only(week: Week) -> np.ndarray:
    """The greedy's patterns, no meeting placed (nor missed)."""
    values = np.zeros(week.master.n_cols)
    for col in week.master.pattern_col:
        values[col] = float(week.x[col] > 0.5)
    return values


def _column(week: Week, kind: str, key: tuple) -> int:
    return next(
        j
        for j, (k, found) in enumerate(zip(week.master.col_kind, week.master.col_key))
        if k == kind and found == key
    )


def _on_shift(week: Week, position: int, agent: int, base: np.ndarray) -> bool:
    """Whether the agent's pattern has them on the phone throughout the meeting at
    ``position``, read from the pattern's shift (not from the master's rows)."""
    inst = week.inst
    occ = inst.meetings[0]
    d, p = occ.positions[position]
    plan = plan_from_values(week.master, base)
    if (agent, d) not in plan.shifts:
        return False
    k, lunch = plan.shifts[(agent, d)]
    shift = inst.templates[(agent, d)][k]
    lunch_slots = range(lunch, lunch + inst.rules.lunch_minutes // inst.rules.interval_minutes)
    slots = range(p, p + occ.length)
    on = shift.start <= p and p + occ.length <= shift.end
    return on and not any(j in lunch_slots for j in slots)


def _by_hand(week: Week) -> dict[tuple[int, frozenset[int]], float]:
    """Every position of the week's meeting with every set of members on shift who stay on
    the phone (the members not on shift stay too: they cannot attend), priced by the
    objective: (position, stayers on shift) -> plan cost. ``(-1, {})``: the meeting missed."""
    base = _patterns_only(week)
    occ = week.inst.meetings[0]
    missed = base.copy()
    missed[_column(week, "miss", (0,))] = 1.0
    found: dict[tuple[int, frozenset[int]], float] = {(-1, frozenset()): _cost(week, missed)}
    for i in range(len(occ.positions)):
        on = [a for a in occ.attendees[i] if _on_shift(week, i, a, base)]
        off = [a for a in occ.attendees[i] if a not in on]
        for size in range(len(on) + 1):
            for stay in itertools.combinations(on, size):
                values = base.copy()
                values[_column(week, "meeting", (0, i))] = 1.0
                for a in [*off, *stay]:
                    values[_column(week, "skip", (0, i, a))] = 1.0
                found[(i, frozenset(stay))] = _cost(week, values)
    return found


def _greedy_plan(week: Week) -> tuple[float, list[tuple[int, int]], set[tuple[int, int, int]]]:
    """The plan the greedy placement implies, as the solver holds it without the integer
    program: cost, meetings placed, members who stay."""
    values = _start_values(week.master, place_meetings(week.master, week.x))
    plan = plan_from_values(week.master, values)
    return _cost(week, values), plan.meetings, plan.stays


#: a team that alone serves its queue (as the team "Virksomhed" its queue on the default
#: centre); a team whose only member of a second queue must be the one who stays
SOLE_TEAM = ({"Q": 1.0}, ["Q", "Q", "Q"])
ONE_KNOWS_S = ({"Q": 1.0, "S": 1.0}, ["Q", "Q;S", "Q", "Q"])
#: the team floor's phone hours end before the meeting: the start plan keeps nobody on the
#: phone then, so holding the meeting leaves the queue empty
BEFORE_THE_MEETING = ShiftRules(
    meetings=(TEAM_MEETING,),
    meeting_blackout=(),
    team_floor_hours=((dt.time(8, 0), dt.time(12, 0)),),
    weight_unfair=0.0,
    weight_wish=0.0,
)


@pytest.mark.parametrize("case", [SOLE_TEAM, ONE_KNOWS_S], ids=["sole_team", "second_queue"])
def test_the_meeting_is_placed_with_one_member_on_the_phone(case):
    """Leaving the meeting out costs its weight (100); holding it with every member there
    leaves the team's queues and the team empty (200 per interval each): the greedy holds it
    with one member on the phone (5), which the plan then keeps."""
    week = _week(*case)
    by_hand = _by_hand(week)
    missed = by_hand[(-1, frozenset())]
    cost, meetings, stays = _greedy_plan(week)
    assert [mi for mi, _ in meetings] == [0]  # placed
    assert cost < missed - 50.0
    (i,) = [i for _, i in meetings]
    base = _patterns_only(week)
    on = [a for a in week.inst.meetings[0].attendees[i] if _on_shift(week, i, a, base)]
    (stayer,) = [a for _, _, a in stays if a in on]  # one member on shift stays
    assert cost == pytest.approx(by_hand[(i, frozenset([stayer]))])
    if "S" in case[0]:
        assert stayer == 1  # the one member who keeps queue S open
    # the stay the greedy marks is the one the plan keeps, in `greedy`'s own plan too
    marked = place_meetings(week.master, week.x)
    assert marked[_column(week, "skip", (0, i, stayer))] == 1.0
    own = plan_from_values(week.master, _start_values(week.master, week.x))
    (own_i,) = [j for _, j in own.meetings]
    own_on = [a for a in week.inst.meetings[0].attendees[own_i] if _on_shift(week, own_i, a, base)]
    (own_stayer,) = [a for _, _, a in own.stays if a in own_on]
    assert week.x[_column(week, "skip", (0, own_i, own_stayer))] == 1.0


@pytest.mark.parametrize("case", [SOLE_TEAM, ONE_KNOWS_S], ids=["sole_team", "second_queue"])
def test_the_greedy_placement_is_the_best_by_hand(case):
    """Of every position and every choice of members who stay on the phone (one or more, or
    none), priced by the objective, none is cheaper than the greedy's plan."""
    week = _week(*case)
    by_hand = _by_hand(week)
    cost, _, _ = _greedy_plan(week)
    assert cost == pytest.approx(min(by_hand.values()), abs=1e-6)


def _hold_stays(week: Week, agent: int, value: float) -> None:
    """A lock on ``agent``'s part in the meeting at every position: on the phone (1) or at
    the meeting (0), as `staffing.roster.warm.fix_locked_meetings` holds a ``stay`` column."""
    for j, (kind, key) in enumerate(zip(week.master.col_kind, week.master.col_key)):
        if kind == "skip" and key[2] == agent:
            week.master.col_lo[j] = week.master.col_hi[j] = value


@pytest.mark.parametrize(
    ("case", "rules", "held"),
    [
        (SOLE_TEAM, RULES, None),
        (ONE_KNOWS_S, RULES, None),
        (SOLE_TEAM, BEFORE_THE_MEETING, None),
        (ONE_KNOWS_S, RULES, 1.0),
        (ONE_KNOWS_S, RULES, 0.0),
    ],
    ids=[
        "sole_team",
        "second_queue",
        "phone_hours_end_before",
        "s_member_held_on_phone",
        "s_member_held_at_meeting",
    ],
)
def test_no_placement_the_start_plan_can_hold_is_cheaper(case, rules, held):
    """The solver without the integer program holds the plan `_start_values` makes of the
    column values it is given: of every position with every member's ``stay`` marked (or
    none), and the meeting missed, none is cheaper than the greedy's; also when a lock holds
    what the member of queue S does (``held``)."""
    week = _week(*case, rules=rules)
    if held is not None:
        _hold_stays(week, 1, held)
    base = _patterns_only(week)
    occ = week.inst.meetings[0]
    options = []
    for i in range(len(occ.positions)):
        for stayer in [None, *occ.attendees[i]]:
            x = base.copy()
            x[_column(week, "meeting", (0, i))] = 1.0
            if stayer is not None:
                x[_column(week, "skip", (0, i, stayer))] = 1.0
            options.append(_cost(week, _start_values(week.master, x)))
    options.append(_cost(week, _start_values(week.master, base)))  # missed
    cost, _, _ = _greedy_plan(week)
    assert cost <= min(options) + 1e-6


def test_a_position_held_by_a_lock_is_kept_with_the_best_member_on_the_phone():
    """A lock holds the meeting where the greedy would not put it (equal column bounds, as
    `staffing.roster.warm.fix_locked_meetings` sets them): the greedy keeps it there, as the
    start plan will, and still chooses the member who stays on the phone (the one of queue S)."""
    week = _week(*ONE_KNOWS_S)
    by_hand = _by_hand(week)
    base = _patterns_only(week)
    occ = week.inst.meetings[0]
    free_choice = _greedy_plan(week)[1]
    held = max(
        (i for i in range(len(occ.positions)) if [(0, i)] != free_choice),
        key=lambda i: sum(_on_shift(week, i, a, base) for a in occ.attendees[i]),
    )
    assert _on_shift(week, held, 1, base)  # the case: member 1 could stay
    col = _column(week, "meeting", (0, held))
    week.master.col_lo[col] = week.master.col_hi[col] = 1.0
    cost, meetings, stays = _greedy_plan(week)
    assert meetings == [(0, held)]
    assert place_meetings(week.master, week.x)[col] == 1.0
    assert (0, held, 1) in stays
    one_stays = [c for (i, stay), c in by_hand.items() if i == held and len(stay) == 1]
    assert cost == pytest.approx(min(one_stays), abs=1e-6)


def test_the_greedy_plan_gives_a_week_away_its_column():
    """An agent away all week has no day to work, but the master has a column for the week
    (its pick row asks for one): the greedy plan must choose it, or the LP with the greedy
    plan fixed is infeasible (18 of the 300-agent centre's agent-weeks were left out)."""
    from staffing.roster.master import column_generation
    from staffing.roster.solve import _is_complete_values

    week = [rc.monday(i) for i in range(5)]
    req = rc.requirements(week, {"Q": 2}, start="08:00", end="15:00")
    staff = rc.agents(
        {"skills": "Q"}, {"skills": "Q"}, {"skills": "Q", "unavailable": ";".join(week)}
    )
    master = build_master(build_instance(req, staff, rc.PLAIN))
    column_generation(master, time_budget=5.0, gap=0.01)
    away = [n for n, p in enumerate(master.patterns) if p.agent == 2]
    assert away and all(not master.patterns[n].choice for n in away)  # the week off
    x, fixed = greedy(master)
    assert _is_complete_values(master, x)
    assert x[master.pattern_col[away[0]]] == 1.0
    assert len(fixed) == len(master.inst.weeks)
