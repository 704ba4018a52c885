"""Planning the week: `solve_roster`, from the tables to a `RosterResult`.

Split as PuLP's bin-packing example: instance data in (`staffing.roster.instance`), a builder
that returns the `pulp.LpProblem` with named constraints (`staffing.roster.model`:
`build_roster_model`, where the program itself, its variables, constraints and objective in
answered calls lost, is described), and a solve function that picks the solver by name and
returns a frozen `RosterResult` (`solve_roster`, here). This module owns that run and its
result; the public names of `staffing.roster.model` and `COVERAGE_COLUMNS`
(`staffing.roster.readback`) are re-exported here.

Solving (`solve_roster`; `staffing.roster.master`, `staffing.roster.heuristics`): column
generation on the LP proves a lower bound over *all* patterns (about 35 % of the time limit);
the LP is rounded by diving (about 25 %; queues the last rounding step left empty are
repaired); time the dive leaves over goes to a large-neighbourhood search on the rounded plan
(`staffing.roster.heuristics.improve`); the integer program is then solved by HiGHS
(``highspy`` through ``pulp.HiGHS``) by default or CBC, started from the rounded plan; when it
finds nothing in its time (or CBC crashes) the other solver tries, and the rounded plan itself
is the last resort. When column generation converged with at most `FULL_PROGRAM_PATTERNS`
patterns the program keeps all of them (no rounding), and when every pattern of every
agent-week is in it (a day, a small team) the result is the exact optimum and the solver's own
bound (branch and bound, cuts) is the lower bound. Otherwise the lower bound is the LP's
(Lagrangian) bound over all patterns. The reported gap is ``(plan - lower bound) / plan``, so
it is honest also when the time limit cuts the search short; the objective is evaluated on the
plan itself (`staffing.roster.readback`; `RosterResult.gap_calls`: the same gap in answered
calls).
Measured (``benchmarks/roster.py``): the default week and a 300-agent centre within the
120 s limit on a 2-core machine, with gaps of about 14 % and 6 % against the LP bound; single
days proven exactly show the LP bound itself 0.6-3.5 % below the best plan; small weeks are
exact in seconds.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pulp

from staffing.roster.diagnose import Diagnostic, explain_coverage, explain_team_floor
from staffing.roster.heuristics import dive, improve
from staffing.roster.instance import ROSTER_COLUMNS, Instance, build_instance, shortfall_weights
from staffing.roster.master import (
    ColumnGenerationLog,
    Master,
    add_floor_rows,
    build_master,
    column_generation,
)
from staffing.roster.model import (
    SOLVERS,
    Progress,
    RosterModel,
    available_solvers,
    build_roster_model,
    solve_model,
)
from staffing.roster.readback import (
    COVERAGE_COLUMNS,
    allocate,
    meeting_diagnostics,
    objective_parts,
    read_plan,
    release_off_phone,
    roster_rows,
    team_gaps,
)
from staffing.roster.rules import ShiftRules

__all__ = [
    "RosterModel",
    "RosterResult",
    "SOLVERS",
    "COVERAGE_COLUMNS",
    "available_solvers",
    "build_roster_model",
    "solve_model",
    "solve_roster",
    "shortfall_weights",
]

#: Up to this many generated patterns the integer program keeps them all; above, the LP is
#: rounded by diving first and the program only places meetings around the rounded shifts.
FULL_PROGRAM_PATTERNS = 400


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterResult:
    """What a solve returns.

    Attributes
    ----------
    status: ``"optimal"`` (gap within the one asked for), ``"feasible"`` (a plan, gap larger)
        or ``"no_solution"`` (no plan found in time; ``roster`` is empty).
    objective: objective value (answered calls lost plus the smaller terms).
    gap: relative gap between the plan and the proven lower bound over all patterns.
    solver: ``"highs"`` or ``"cbc"``: the solver of the integer program.
    seconds: wall time of everything (build, column generation, integer program, read-back).
    roster: the roster contract ``agent_id, date, start, end, activity``.
    coverage: per queue and interval: ``required, staffed, shortfall, surplus,
        skilled_on_phone, in_window``.
    diagnostics: findings for the planner (`staffing.roster.diagnose.Diagnostic`); a team
        with nobody on the phone in its phone hours is a ``team_floor`` finding per run.
    objective_parts: the objective split by term (``team_floor``: the team floor's cost, with
        the rule on).
    stats: model size, bounds and timings.
    """

    status: str
    objective: float
    gap: float | None
    solver: str
    seconds: float
    roster: pd.DataFrame
    coverage: pd.DataFrame
    diagnostics: tuple[Diagnostic, ...]
    objective_parts: Mapping[str, float] = field(default_factory=dict)
    stats: Mapping[str, float] = field(default_factory=dict)

    @property
    def gap_calls(self) -> float | None:
        """The gap in the objective's unit, answered calls a week: the plan loses at most this
        many more than the best plan (objective minus the proven lower bound)."""
        bound = self.stats.get("lower_bound")
        if bound is None or not math.isfinite(self.objective) or not math.isfinite(bound):
            return None
        return max(self.objective - float(bound), 0.0)

    @property
    def shortfall_hours(self) -> float:
        """Under-coverage in agent-hours (sum over queues and intervals)."""
        if self.coverage.empty:
            return 0.0
        step = self.stats.get("interval_minutes", 15)
        return float(self.coverage["shortfall"].sum()) * step / 60.0


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------
def solve_roster(
    requirements: pd.DataFrame,
    agents: pd.DataFrame,
    rules: ShiftRules | None = None,
    *,
    calendar: Any = None,
    locks: pd.DataFrame | None = None,
    solver: str = "highs",
    time_limit: float = 60.0,
    gap: float = 0.01,
    msg: bool = False,
    progress: Progress | None = None,
) -> RosterResult:
    """Plan the week: build, solve, read the roster back and diagnose it.

    A plan always comes back when the solver finds one, also when the week cannot be covered:
    the shortfall is then in ``coverage`` and explained in ``diagnostics``.

    Parameters
    ----------
    requirements, agents, rules, calendar, locks:
        See `build_roster_model`.
    solver:
        ``"highs"`` (default) or ``"cbc"`` for the integer program; the other is used when the
        first is not available.
    time_limit:
        Seconds for column generation and integer program together (about 60 % for the
        first); the best plan found by then is returned with its gap.
    gap:
        Relative gap (plan vs lower bound) at which to stop; 0.01 = 1 %.
    progress:
        Called with short messages (stage, bound, best plan and gap) while working.
    """
    run = _Run(solver, time_limit, gap, msg, progress, started=time.perf_counter())
    _check_arguments(run)
    relax = _relax(run, requirements, agents, rules, calendar, locks)
    x_dive, fixed = _round(run, relax)
    model = _integer_program(relax.master, x_dive, fixed)
    mip = _solve_integer(run, relax, model, fixed)
    diagnostics = list(relax.inst.diagnostics) + mip.diagnostics
    stats = _stats(relax, model, mip)
    if not mip.has_plan:
        return _no_solution(run, mip.used, diagnostics, stats)
    return _read_back(run, relax, model, agents, mip.used, diagnostics, stats)


@dataclass(frozen=True)
class _Run:
    """The settings of one `solve_roster` call and when it started."""

    solver: str
    time_limit: float
    gap: float
    msg: bool
    progress: Progress | None
    started: float

    def say(self, message: str) -> None:
        """Report ``message`` to the progress function, if any."""
        (self.progress or (lambda _msg: None))(message)

    def elapsed(self) -> float:
        """Seconds since the call started."""
        return time.perf_counter() - self.started


@dataclass
class _Relaxation:
    """The master after column generation: its log, how long it took, and whether every
    pattern of every agent-week is in it (then the integer program is exact)."""

    inst: Instance
    master: Master
    log: ColumnGenerationLog
    seconds: float
    exact: bool

    @property
    def bound(self) -> float:
        """The LP's (Lagrangian) lower bound over all patterns, in the objective's unit."""
        return self.log.lower_bound + self.master.objective_offset


@dataclass
class _IntegerSolve:
    """What the integer program's solve gave: a plan or not, by which solver, in how long,
    with how many integer variables, and the findings about the solve."""

    has_plan: bool
    used: str
    seconds: float
    n_int: int
    diagnostics: list[Diagnostic]


def _check_arguments(run: _Run) -> None:
    """Refuse a time limit, gap or solver name out of range."""
    if not run.time_limit > 0:
        raise ValueError(f"time_limit must be > 0 seconds; got {run.time_limit!r}")
    if not 0 <= run.gap < 1:
        raise ValueError(f"gap must be in [0, 1); got {run.gap!r}")
    if run.solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {run.solver!r}")


def _relax(
    run: _Run,
    requirements: pd.DataFrame,
    agents: pd.DataFrame,
    rules: ShiftRules | None,
    calendar: Any,
    locks: pd.DataFrame | None,
) -> _Relaxation:
    """Build the instance and the master, and run column generation on it."""
    run.say("reading the requirements and agents")
    inst = build_instance(requirements, agents, rules, calendar=calendar, locks=locks)
    run.say(
        f"building the model: {len(inst.agents)} agents, {len(inst.days)} days, "
        f"{len(inst.queues)} queues"
    )
    master = build_master(inst)
    t_cg = time.perf_counter()
    log = column_generation(
        master,
        time_budget=0.35 * run.time_limit,
        gap=run.gap,
        progress=run.progress,
    )
    cg_seconds = time.perf_counter() - t_cg
    offset = master.objective_offset
    run.say(
        f"solving: lower bound {log.lower_bound + offset:.1f} after {log.pricing_rounds} "
        f"rounds, {len(master.patterns)} patterns; rounding"
    )
    exact = log.enumerated_weeks == len(inst.weeks)  # every pattern is in the program
    return _Relaxation(inst, master, log, cg_seconds, exact)


def _round(run: _Run, relax: _Relaxation) -> tuple[np.ndarray, set[tuple[int, str]]]:
    """The start of the integer program: the LP's values and no agent-week fixed when the
    program can keep every generated pattern, else the dive's rounding (improved in the time
    it leaves over) and the agent-weeks it fixed."""
    master, log = relax.master, relax.log
    if relax.exact or (log.converged and len(master.patterns) <= FULL_PROGRAM_PATTERNS):
        # small enough for the integer program over every generated pattern (exact when
        # every agent-week's patterns are all there): no rounding. Not when column generation
        # was cut short: then the patterns are few because time was, and the LP's fractional
        # plan is a poor start (a 10 s limit on the default week gave HiGHS 3 s from it and
        # a plan with four meetings missed and three queue intervals empty)
        x_dive = np.asarray(master.lp.getSolution().col_value) if master.lp else np.zeros(0)
        x_dive = np.pad(x_dive, (0, master.n_cols - len(x_dive)))
        return x_dive, set()
    x_dive, fixed = dive(master, time_budget=0.25 * run.time_limit, progress=run.progress)
    # time the dive left over (it stops early when rounding goes smoothly) goes to a
    # large-neighbourhood search on the rounded plan; a fifth of the limit stays for the
    # integer program (meetings, and the members who stay on the phone)
    spare = 0.8 * run.time_limit - run.elapsed()
    if spare > 0.1 * run.time_limit and len(fixed) == len(relax.inst.weeks):
        x_dive, _better = improve(
            master,
            x_dive,
            time_budget=spare,
            bound=log.lower_bound,
            gap=run.gap / 2,
            progress=run.progress,
        )
    return x_dive, fixed


def _integer_program(
    master: Master, x_dive: np.ndarray, fixed: set[tuple[int, str]]
) -> RosterModel:
    """The integer program with every floor row, started from the rounding ``x_dive``."""
    add_floor_rows(master)  # the integer program sees every floor from the start
    keep = {  # patterns of fixed agent-weeks other than the fixed one are left out
        col
        for n, col in enumerate(master.pattern_col)
        if (master.patterns[n].agent, master.patterns[n].week) not in fixed or x_dive[col] > 0.5
    }
    model = build_roster_model(master, exclude=set(master.pattern_col) - keep)
    _start_from_dive(model, x_dive, fixed)
    return model


def _solve_integer(
    run: _Run, relax: _Relaxation, model: RosterModel, fixed: set[tuple[int, str]]
) -> _IntegerSolve:
    """Solve the integer program in the time left; when no solver finds a plan, the rounded
    plan it was started from is the plan (when it is one)."""
    n_int = sum(1 for v in model.variables if v is not None and v.cat == pulp.LpInteger)
    run.say(
        f"solving: integer program with {run.solver}, {len(model.problem.variables()):,} "
        f"variables ({n_int:,} "
        f"integer, {len(relax.inst.weeks) - len(fixed)} agent-weeks free), "
        f"{model.problem.numConstraints():,} constraints"
    )
    t_mip = time.perf_counter()
    # leave time to read the plan back, split its coverage and diagnose it (~1-2 s on the
    # default week), so that the whole call ends near the time limit
    reserve = min(max(0.1 * run.time_limit, 0.5), 2.0)
    remaining = max(run.time_limit - run.elapsed() - reserve, 0.1 * run.time_limit)
    start_values = {
        v.name: float(v.varValue) for v in model.variables if v is not None and v.varValue
    }
    has_plan, used = solve_model(
        model,
        solver=run.solver,
        time_limit=remaining,
        gap=run.gap / 2,
        msg=run.msg,
        progress=run.progress,
        start=True,
    )
    mip_seconds = time.perf_counter() - t_mip
    diagnostics = []
    if not has_plan and _is_complete(model, start_values):
        # the solver found nothing in its share of the time (CBC can spend it all in
        # preprocessing): the rounded plan it was started from is a plan, so it is returned
        for var in model.variables:
            if var is not None:
                var.varValue = start_values.get(var.name, 0.0)
        has_plan = True
        diagnostics.append(
            Diagnostic(
                kind="solver",
                severity="info",
                message=(
                    f"{used} improved nothing within the time limit; this is the rounded plan "
                    "(a longer --time-limit gives the solver time to improve it)"
                ),
            )
        )
    if used != run.solver:
        diagnostics.append(
            Diagnostic(
                kind="solver",
                severity="warning",
                message=(
                    f"{run.solver} is not available here or found no plan in its time; solved "
                    f"with {used} instead"
                ),
            )
        )
    return _IntegerSolve(has_plan, used, mip_seconds, n_int, diagnostics)


def _stats(relax: _Relaxation, model: RosterModel, mip: _IntegerSolve) -> dict[str, float]:
    """Model size, bounds and timings for `RosterResult.stats`."""
    inst, log = relax.inst, relax.log
    offset = relax.master.objective_offset
    return {
        "agents": len(inst.agents),
        "days": len(inst.days),
        "queues": len(inst.queues),
        "patterns": len(relax.master.patterns),
        "pool_rows": log.cuts,
        "rounds": log.pricing_rounds,
        "variables": len(model.problem.variables()),
        "binaries": mip.n_int,
        "constraints": model.problem.numConstraints(),
        "lower_bound": log.lower_bound + offset,
        "lp_bound": log.lower_bound + offset,
        "lp_value": log.lp_value + offset,
        "column_generation_seconds": relax.seconds,
        "integer_seconds": mip.seconds,
        "interval_minutes": inst.rules.interval_minutes,
    }


def _no_solution(
    run: _Run, used: str, diagnostics: list[Diagnostic], stats: dict[str, float]
) -> RosterResult:
    """The result when no plan was found: empty roster and coverage, and why."""
    diagnostics.append(
        Diagnostic(
            kind="solver",
            severity="error",
            message=(
                f"{used} found no plan within {run.time_limit:g} s; give it more time "
                "(--time-limit) or plan fewer agents or days at once"
            ),
        )
    )
    return RosterResult(
        status="no_solution",
        objective=math.nan,
        gap=None,
        solver=used,
        seconds=run.elapsed(),
        roster=pd.DataFrame(columns=ROSTER_COLUMNS),
        coverage=pd.DataFrame(columns=COVERAGE_COLUMNS),
        diagnostics=tuple(diagnostics),
        stats=stats,
    )


def _read_back(
    run: _Run,
    relax: _Relaxation,
    model: RosterModel,
    agents: pd.DataFrame,
    used: str,
    diagnostics: list[Diagnostic],
    stats: dict[str, float],
) -> RosterResult:
    """The result of a plan: roster rows, coverage, objective, gap and the findings."""
    inst = relax.inst
    run.say("reading the plan back")
    plan = read_plan(model)
    release_off_phone(inst, plan)
    roster = roster_rows(inst, plan)
    coverage, shortfall_cost = allocate(inst, plan)
    parts = objective_parts(model, plan, coverage, shortfall_cost)
    objective = float(sum(parts.values()))
    bound = relax.bound
    if relax.exact and math.isfinite(model.proven_bound):
        # the program held every pattern: the solver's bound (branch and bound, cuts) bounds
        # the whole problem and is at least as strong as the LP's
        bound = max(bound, model.proven_bound)
        stats["lower_bound"] = bound
    gap_value = max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    status = "optimal" if gap_value <= run.gap + 1e-9 else "feasible"
    diagnostics.extend(meeting_diagnostics(model, plan))
    diagnostics.extend(explain_team_floor(team_gaps(inst, plan), roster, agents))
    diagnostics.extend(
        explain_coverage(coverage, roster, agents, interval_minutes=inst.rules.interval_minutes)
    )
    return RosterResult(
        status=status,
        objective=objective,
        gap=gap_value,
        solver=used,
        seconds=run.elapsed(),
        roster=roster,
        coverage=coverage,
        diagnostics=tuple(diagnostics),
        objective_parts=parts,
        stats=stats,
    )


def _is_complete(model: RosterModel, values: dict[str, float]) -> bool:
    """Whether ``values`` give every agent-week that has patterns one of them."""
    master = model.master
    needed, chosen = set(), set()
    for n, col in enumerate(master.pattern_col):
        var = model.variables[col]
        if var is None:
            continue
        key = (master.patterns[n].agent, master.patterns[n].week)
        needed.add(key)
        if values.get(var.name, 0.0) > 0.5:
            chosen.add(key)
    return bool(needed) and chosen == needed


def _start_from_dive(model: RosterModel, x: np.ndarray, fixed: set[tuple[int, str]]) -> None:
    """Fix the dive's agent-weeks and give every integer variable a starting value.

    Patterns come from the dive (for a free agent-week its largest); each meeting takes the
    position the dive kept, and a member stays on the phone exactly when their pattern is not
    free then.
    """
    master = model.master
    best: dict[tuple[int, str], int] = {}
    for n, col in enumerate(master.pattern_col):
        pattern = master.patterns[n]
        key = (pattern.agent, pattern.week)
        if key not in best or x[col] > x[best[key]]:
            best[key] = col
    chosen: dict[int, set[int]] = defaultdict(set)
    for key, col in best.items():
        chosen[key[0]].add(col)
    for n, col in enumerate(master.pattern_col):
        var = model.variables[col]
        if var is None:
            continue
        pattern = master.patterns[n]
        var.varValue = 1.0 if col in chosen[pattern.agent] else 0.0
        if (pattern.agent, pattern.week) in fixed:
            var.lowBound = var.upBound = var.varValue
    placed: dict[int, int] = {}
    for j, kind in enumerate(master.col_kind):
        if kind == "meeting" and (var := model.variables[j]) is not None:
            mi, i = master.col_key[j]
            on = x[j] >= 0.5 and mi not in placed
            var.varValue = 1.0 if on else 0.0
            if on:
                placed[mi] = i
    for j, kind in enumerate(master.col_kind):
        var = model.variables[j]
        if var is None:
            continue
        if kind == "skip":
            mi, i, a = master.col_key[j]
            stay = 0.0
            if placed.get(mi) == i:
                row = master.row_of.get(("attend", mi, i, a))
                free = any(row in set(master.col_rows[c].tolist()) for c in chosen[a])
                stay = 0.0 if free else 1.0
            var.varValue = stay
        elif kind == "miss":
            var.varValue = 0.0 if master.col_key[j][0] in placed else 1.0
    _stay_for_team_floor(model, x, placed)


def _stay_for_team_floor(model: RosterModel, x: np.ndarray, placed: dict[int, int]) -> None:
    """In the start plan, one member stays on the phone during each placed team meeting that
    would take the whole team off it in its phone hours (the team floor): the member whose
    ``stay`` the LP liked best. Without it the start would pay the team floor for the meeting
    and the plan depend on the solver finding the swap in its time."""
    master = model.master
    stays: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j, kind in enumerate(master.col_kind):
        if kind == "skip" and model.variables[j] is not None:
            mi, i, _a = master.col_key[j]
            stays[(mi, i)].append(j)
    for mi, i in placed.items():
        occ = master.inst.meetings[mi]
        cols = stays.get((mi, i), [])
        if occ.rule.attendees != "team" or not cols:
            continue
        d, p = occ.positions[i]
        rows = [("team", occ.team, d, j) for j in range(p, p + occ.length)]
        if not any(row in master.row_of for row in rows):
            continue
        variables = [model.variables[c] for c in cols]
        if any((v is not None and (v.varValue or 0.0) > 0.5) for v in variables):
            continue
        best = max(cols, key=lambda c: x[c] if c < len(x) else 0.0)
        chosen = model.variables[best]
        assert chosen is not None  # only columns in the program are listed
        chosen.varValue = 1.0
