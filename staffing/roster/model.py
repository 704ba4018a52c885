"""The weekly roster (vagtplan) as a mixed-integer program in PuLP.

This module owns the program: `RosterModel` (the `pulp.LpProblem` of a `Master`, one PuLP
variable per master column), `build_roster_model` (the program with named constraints) and
`solve_model` (HiGHS or CBC by name, one falling back to the other, pool rows added while the
plan violates them). The whole run, column generation to `RosterResult`, is
`staffing.roster.solve.solve_roster`; reading a plan back is `staffing.roster.readback`.

The model
---------
Every agent gets one *pattern* per ISO week: a shift template (start every 15 minutes inside
the opening hours plus the lead-in and the agent's earliest start / latest end, lengths around
the contract's day norm) with a lunch position, or a day off, for each day, such that the week's
paid hours lie within the tolerance of its norm and at most ``max_days_per_week`` days are
worked (`staffing.roster.patterns`; unavailable days, locks and the lunch window are inside the
pattern). The program chooses one pattern per agent-week and places the meetings:

Names
    The solver's names are built from indices, never from user text: ``a{agent}`` is the
    agent's index in the agents table, ``q{queue}`` the queue's number in the sorted queue
    names, ``t{team}`` the team's in the sorted team names, ``r{rule}`` the meeting rule's in
    `ShiftRules.meetings`, ``m{meeting}`` the meeting occurrence's in `Instance.meetings`;
    ``{week}`` is the ISO week (``2026W10``), ``{yyyymmdd}_{hhmm}`` the date and clock time of
    an interval. Agent ids that differ only in punctuation (``A.01``, ``A_01``), spaces, Danish
    letters or line breaks therefore never give two rows one name (PuLP refuses a program whose
    names overlap once it has replaced their punctuation). The solution is read back by column
    index (`Master.col_kind`, `Master.col_key`), never by name.

Variables
    ``p_a{agent}_{week}_{n}`` binary: the agent works pattern n;
    ``v_m{meeting}_{i}`` binary: the meeting is at candidate position i; ``miss_m{meeting}``;
    ``u_q{queue}_{yyyymmdd}_{hhmm}_{s}`` shortfall on cost segment s; ``empty_q{...}`` in
    [0, 1];
    ``nobody_t{team}_{yyyymmdd}_{hhmm}`` in [0, 1]: the team floor's slack;
    ``stay_m{meeting}_{i}_a{agent}`` binary: a member stays on the phone during the team
    meeting;
    ``early_max``, ``early_min``, ``late_max``, ``late_min``: the fairness spread.

Constraints (names as in the LP file)
    ``pick_a{agent}_{week}``: one pattern per agent-week;
    ``cover_q{queue}_{yyyymmdd}_{hhmm}``: phone time of the agents with the skill + shortfall
    >= requirement;
    ``pool_q{queue}_q{queue}..._{yyyymmdd}_{hhmm}``: the same for a set of queues
    (cross-trained agents count once for the set), added where needed: with all of them the
    coverage can be split among the agents (Hall's theorem), so cross-trained agents split
    their phone time between queues exactly as an allocation ``x[a, q, t]`` would
    (`RosterResult.coverage` reports that allocation, `staffing.roster.readback.allocate`);
    ``floor_q{queue}_{yyyymmdd}_{hhmm}``: at least one skilled agent on the phone inside the
    queue's window (phone policy), else ``empty`` at a heavy cost;
    ``team_t{team}_{yyyymmdd}_{hhmm}``: at least one member of the team on the phone (on
    shift, not at lunch, not in a meeting unless staying) in each interval of the phone hours
    (the team floor, document 001 point 1; `ShiftRules.team_floor`), else ``nobody`` at
    ``weight_team_floor``; like the floor rows, added to the LP when a solution violates them
    and all of them to the integer program;
    ``meet_m{meeting}``: each meeting placed once or missed;
    ``attend_m{meeting}_{i}_a{agent}``: an attendee is on the phone (on shift, not at lunch)
    when the meeting is placed there, and the meeting takes that time off the phone;
    ``skip_m{meeting}_{i}_a{agent}``: a member stays on the phone only at the position where
    the meeting is placed;
    ``talks_r{rule}_t{team}_{yyyymmdd}_{hhmm}``: one feedback talk at a time per team;
    ``early_hi_a{agent}``, ``early_lo_a{agent}`` (and late): fairness bounds.

Objective (answered calls lost, see `staffing.roster.instance.shortfall_weights`): shortfall
x Erlang-A slopes (an agent short at the peak costs more than at 15:45) +
``weight_empty_queue`` x empty + ``weight_team_floor`` x nobody + ``weight_missed_meeting`` x
missed + ``weight_over`` x surplus phone time + ``weight_hours_deviation`` x |hours - norm| +
``weight_unfair`` x spread + ``weight_wish`` x unmet wishes.

How the program is solved (column generation, rounding, the integer program, the gap) is
described in `staffing.roster.solve`.
"""

from __future__ import annotations

import math
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pulp

from staffing.roster.instance import Instance, build_instance
from staffing.roster.master import Master, build_master, seed_patterns, separate_pools
from staffing.roster.rules import ShiftRules

__all__ = [
    "BuildTimeout",
    "Progress",
    "RosterModel",
    "SOLVERS",
    "available_solvers",
    "build_roster_model",
    "solve_model",
]

SOLVERS = ("highs", "cbc")
Progress = Callable[[str], None]


@dataclass
class RosterModel:
    """The `LpProblem` of the roster, its master structure and the PuLP variable per column."""

    problem: pulp.LpProblem
    master: Master
    variables: list[pulp.LpVariable | None]
    build_seconds: float = 0.0
    #: the best lower bound a solver proved on this program's objective (HiGHS's dual bound);
    #: a bound of the whole problem only when the program holds every pattern of every
    #: agent-week (`staffing.roster.solve.solve_roster` checks that)
    proven_bound: float = -math.inf

    @property
    def instance(self) -> Instance:
        return self.master.inst

    def value(self, j: int) -> float:
        """Solution value of master column ``j`` (0 for a column left out)."""
        var = self.variables[j]
        return 0.0 if var is None else float(var.varValue or 0.0)


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------
class BuildTimeout(RuntimeError):
    """Building the program took longer than the time it was given."""


def _to_pulp(
    master: Master, exclude: set[int] | None = None, deadline: float = math.inf
) -> tuple[pulp.LpProblem, list[pulp.LpVariable | None]]:
    # PuLP 3.3 warns that LpVariable(...) becomes prob.add_variable(...) in 4.0; the project
    # pins PuLP < 4 (pyproject), so the classic API stays and the warning is silenced here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return _build_pulp(master, exclude or set(), deadline)


def _build_pulp(
    master: Master, exclude: set[int], deadline: float = math.inf
) -> tuple[pulp.LpProblem, list[pulp.LpVariable | None]]:
    prob = pulp.LpProblem("vagtplan", pulp.LpMinimize)
    variables: list[pulp.LpVariable | None] = []
    row_terms: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in range(master.n_rows)]
    for j, name in enumerate(master.col_names):
        if j % 2048 == 0 and time.perf_counter() > deadline:
            raise BuildTimeout(f"building the program: out of time after {j} columns")
        if j in exclude:  # a column fixed at 0 is left out of the program
            variables.append(None)
            continue
        lo, hi = master.col_lo[j], master.col_hi[j]
        # a column fixed by its bounds (a locked meeting, `staffing.roster.warm`) keeps them:
        # PuLP would reset a binary's bounds to [0, 1]
        binary = master.col_int[j] and hi == 1.0 and lo == 0.0
        var = pulp.LpVariable(
            name,
            lowBound=lo,
            upBound=None if not math.isfinite(hi) else hi,
            cat=pulp.LpBinary if binary else pulp.LpContinuous,
        )
        variables.append(var)
        for r, v in zip(master.col_rows[j].tolist(), master.col_vals[j].tolist()):
            row_terms[r].append((var, v))
    objective = pulp.LpAffineExpression(
        [(v, c) for v, c in zip(variables, master.col_cost) if c != 0.0 and v is not None]
    )
    prob.setObjective(objective + master.objective_offset)
    for r in range(master.n_rows):
        if r % 2048 == 0 and time.perf_counter() > deadline:
            raise BuildTimeout(f"building the program: out of time after {r} rows")
        _add_row(prob, master, r, row_terms[r])
    return prob, variables


def _add_row(prob: pulp.LpProblem, master: Master, r: int, terms: list) -> None:
    lo, hi, name = master.row_lo[r], master.row_hi[r], master.row_names[r]
    expr = pulp.LpAffineExpression(terms)
    if lo == hi:
        prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintEQ, name, lo))
        return
    if math.isfinite(lo):
        suffix = "" if not math.isfinite(hi) else "_lo"
        prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintGE, name + suffix, lo))
    if math.isfinite(hi):
        suffix = "" if not math.isfinite(lo) else "_hi"
        prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, name + suffix, hi))


def build_roster_model(
    requirements: pd.DataFrame | Master,
    agents: pd.DataFrame | None = None,
    rules: ShiftRules | None = None,
    *,
    calendar: Any = None,
    locks: pd.DataFrame | None = None,
    exclude: set[int] | None = None,
    deadline: float = math.inf,
) -> RosterModel:
    """The roster's integer program as a `pulp.LpProblem` (see the module docstring).

    From the tables, the program holds each agent-week's first patterns (all of them for
    agent-weeks with few patterns); pass a `Master` grown by
    `staffing.roster.master.column_generation` to get the program over its patterns, as
    `staffing.roster.solve.solve_roster` does. ``requirements``: ``interval_start,
    queue, agents`` [+ ``agents_gross``, ``offered``, ``aht_seconds``, ``patience_seconds``];
    ``agents``: the agents contract; ``calendar``: a `forecast.calendar.CentreCalendar` for
    opening hours and queue windows (without it, each day's hours are the span of its
    requirement rows); ``locks``: roster rows a planner fixed, kept as they are;
    ``exclude``: master columns to leave out (fixed at 0); ``deadline``: when building must
    be done (`time.perf_counter`), else `BuildTimeout` is raised.
    """
    started = time.perf_counter()
    if isinstance(requirements, Master):
        master = requirements
    else:
        if agents is None:
            raise ValueError("agents must be given with the requirements table")
        inst = build_instance(requirements, agents, rules, calendar=calendar, locks=locks)
        master = build_master(inst)
        seed_patterns(master)
    prob, variables = _to_pulp(master, exclude, deadline)
    return RosterModel(prob, master, variables, time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------
# Solving
# ---------------------------------------------------------------------------------------------
def available_solvers() -> list[str]:
    """The names of `SOLVERS` that work in this environment."""
    names = set(pulp.listSolvers(onlyAvailable=True))
    out = []
    if "HiGHS" in names:
        out.append("highs")
    if "PULP_CBC_CMD" in names:
        out.append("cbc")
    return out


class _HighsWithProgress(pulp.HiGHS):
    """pulp.HiGHS reporting the best plan and the gap to a progress function while solving."""

    def __init__(
        self,
        *args: Any,
        progress: Progress | None = None,
        start: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._progress = progress
        self._start = start
        self._last = 0.0

    def callSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's name
        if self._start:  # the integer variables' current values: HiGHS completes the rest
            variables = [v for v in lp.variables() if v.cat == pulp.LpInteger]
            index = np.asarray([v.index for v in variables], dtype=np.int32)
            value = np.asarray([round(v.varValue or 0.0) for v in variables], dtype=float)
            lp.solverModel.setSolution(len(index), index, value)
        super().callSolver(lp)

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's name
        super().createAndConfigureSolver(lp)
        if self._progress is None:
            return

        offset = float(lp.objective.constant) if lp.objective is not None else 0.0

        def report(event: Any) -> None:
            now = time.perf_counter()
            if now - self._last < 0.5:
                return
            self._last = now
            out = event.data_out
            text = mip_progress_text(
                out.mip_primal_bound, out.mip_dual_bound, offset, out.running_time
            )
            if text is not None:
                assert self._progress is not None  # subscribed only with a progress function
                self._progress(text)

        lp.solverModel.cbMipInterrupt.subscribe(report)


def mip_progress_text(primal: float, dual: float, offset: float, seconds: float) -> str | None:
    """The progress message of HiGHS's search: the best plan's objective and the gap to the
    proven bound (None before a plan is found). HiGHS's ``primal`` and ``dual`` bounds leave
    out the objective's constant ``offset`` (PuLP's, the surplus offset): the plan's objective
    is ``primal + offset``, and the gap is ``(primal - dual) / |primal + offset|`` (without
    the offset the default week's progress said "best plan 150.9" for a plan of 92.0)."""
    best = primal + offset
    if not math.isfinite(best):
        return None
    gap = (primal - dual) / max(abs(best), 1e-9)
    gap_text = f"{100 * gap:.1f} %" if math.isfinite(gap) and gap >= 0 else "?"
    return f"solving: integer program, best plan {best:.1f}, gap {gap_text}, {seconds:.1f} s"


def _make_solver(
    name: str,
    time_limit: float,
    gap: float,
    msg: bool,
    log_path: str | None,
    progress: Progress | None,
    start: bool,
):
    if name == "highs":
        return _HighsWithProgress(
            msg=msg, timeLimit=time_limit, gapRel=gap, progress=progress, start=start
        )
    if name == "cbc":
        return pulp.PULP_CBC_CMD(
            msg=msg, timeLimit=time_limit, gapRel=gap, logPath=log_path, warmStart=start
        )
    raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {name!r}")


def _solve_once(
    prob: pulp.LpProblem,
    name: str,
    time_limit: float,
    gap: float,
    msg: bool,
    progress: Progress | None,
    start: bool = False,
) -> tuple[bool, bool]:
    """Solve; returns (has a plan, proven optimal within the solver's gap)."""
    with tempfile.TemporaryDirectory(prefix="vagtplan-") as tmp:
        log_path = str(Path(tmp) / "cbc.log") if name == "cbc" else None
        with warnings.catch_warnings():
            # PuLP 3.3 calls its bundled CBC deprecated for 4.0 (which needs `pulp[cbc]`);
            # the project pins PuLP < 4, where PULP_CBC_CMD is the bundled solver
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                prob.solve(_make_solver(name, time_limit, gap, msg, log_path, progress, start))
            except pulp.PulpSolverError:
                # PuLP's CBC 2.10.3 can crash (segmentation fault) when its time limit ends
                # while it is still checking the start plan; `solve_model` then tries the other
                # solver, and `solve_roster` keeps the start plan if nothing else comes back
                return False, False
        if name == "cbc":
            assert log_path is not None  # set for cbc above
            log = Path(log_path).read_text(errors="replace") if Path(log_path).exists() else ""
            stopped = "Stopped on time" in log
        else:
            stopped = False
    has_plan = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    optimal = prob.sol_status == pulp.LpSolutionOptimal and not stopped
    if name == "highs" and has_plan:
        optimal = str(prob.solverModel.getModelStatus()).endswith("kOptimal")
    return has_plan, optimal


def solve_model(
    model: RosterModel,
    *,
    solver: str = "highs",
    time_limit: float = 60.0,
    gap: float = 0.005,
    msg: bool = False,
    progress: Progress | None = None,
    start: bool = False,
    plan_cost: Callable[[RosterModel], float] | None = None,
) -> tuple[bool, str]:
    """Solve the integer program of ``model``; returns (a plan was found, solver used).

    ``start``: use the variables' current values as the first plan (warm start).

    After each solve the plan is checked against every pool row (sets of queues); rows it
    violates are added and the program solved again, so the plan's coverage can always be
    split among the agents. Falls back to the other solver when the first is unavailable or
    finds no plan (PuLP's CBC can crash when its time runs out while it checks the start
    plan); a re-solve that finds nothing keeps the plan of the solve before.

    ``plan_cost``: the objective of the plan the model's variables hold, with the coverage
    split among the agents (`staffing.roster.readback.allocate`: what the pool rows stand
    for). Given it, and time left when the rounds end, the plan kept is the cheapest of the
    rounds' plans (`_keep_cheapest`): the time limit can end them on a plan whose missing
    rows cost more than an earlier round's did (the default week at 30 s: 73.4 answered
    calls lost after the first round, 78.5 after the second, which violated 33 rows when
    time was up).
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {solver!r}")
    if not time_limit > 0:
        raise ValueError(f"time_limit must be > 0 seconds; got {time_limit!r}")
    if not 0 <= gap < 1:
        raise ValueError(f"gap must be in [0, 1); got {gap!r}")
    usable = [s for s in [solver] + [s for s in SOLVERS if s != solver] if s in available_solvers()]
    if not usable:
        raise RuntimeError("no MIP solver is available: install highspy or PuLP's CBC")
    name = usable[0]
    master = model.master
    deadline = time.perf_counter() + time_limit
    plans: list[dict[str, float | None]] = []  # every round's plan, the last one last
    overhead = 0.0  # seconds a solve takes beyond the solver's own (building its model)
    for _round in range(20):
        # the first solve leaves time for re-solves with the rows it may violate
        share = 0.6 if _round == 0 else 0.5
        left = deadline - time.perf_counter()
        if plans and left < overhead + 0.5:
            break  # no time for another solve: the plan found stands
        remaining = max(left * share, 1.0)
        t_solve = time.perf_counter()
        has_plan, _ = _solve_once(model.problem, name, remaining, gap, msg, progress, start)
        overhead = max(overhead, time.perf_counter() - t_solve - _run_time(model.problem, name))
        left = deadline - time.perf_counter()
        if not has_plan and not plans and len(usable) > 1 and left >= overhead + 1.0:
            # the chosen solver found nothing in its time (or crashed): the other one tries
            name = usable[1]
            remaining = max(left * share, 3.0)
            has_plan, _ = _solve_once(model.problem, name, remaining, gap, msg, progress, start)
        start = True  # re-solves start from this plan
        if has_plan and name == "highs":
            # every round's program is a relaxation of the last one (rows are only added), so
            # each dual bound is valid; keep the best
            model.proven_bound = max(model.proven_bound, _highs_bound(model.problem))
        if not has_plan:
            if not plans:
                return False, name
            _set_values(model, plans[-1])  # keep the plan of the round before
            break
        plans.append({var.name: var.varValue for var in model.problem.variables()})
        x = np.asarray([model.value(j) for j in range(len(model.variables))])
        cuts = separate_pools(master, x, per_slot=10)
        if not cuts:
            break
        for r in cuts:
            terms = [
                (model.variables[c], v)
                for c, v in master.row_entries.get(r, [])
                if model.variables[c] is not None
            ]
            _add_row(model.problem, master, r, terms)
        if time.perf_counter() > deadline:
            break
    # the rounds are over: no row violated, out of time with pool rows still violated, or a
    # re-solve found nothing. The last plan stands unless an earlier round's costs less; a
    # plan's coverage is computed by the allocation (`staffing.roster.readback.allocate`),
    # which reports any shortfall the rows would have shown
    if plan_cost is not None and len(plans) > 1 and time.perf_counter() < deadline:
        _keep_cheapest(model, plans, plan_cost)
    return True, name


def _set_values(model: RosterModel, values: Mapping[str, float | None]) -> None:
    """Give the model's variables the ``values`` of a plan (by name)."""
    for var in model.problem.variables():
        var.varValue = values.get(var.name)


def _keep_cheapest(
    model: RosterModel,
    plans: list[dict[str, float | None]],
    plan_cost: Callable[[RosterModel], float],
) -> None:
    """Leave the model's variables at the cheapest of ``plans`` by ``plan_cost`` (the last
    of equal ones: it violates no more rows than the earlier ones; `solve_model`).

    Each round's program is a relaxation of the next one's: a plan that violates no row costs
    what its program counted, one that violates rows more (the allocation cannot split the
    coverage its program counted among the agents). Which one is cheapest is found by
    costing each (0.1 s a plan on the default week)."""
    costs = []
    for values in plans:
        _set_values(model, values)
        cost = plan_cost(model)
        costs.append(cost if math.isfinite(cost) else math.inf)
    best = min(range(len(plans)), key=lambda k: (costs[k], -k))  # all infinite: the last
    _set_values(model, plans[best])


def _run_time(prob: pulp.LpProblem, name: str) -> float:
    """Seconds the solver itself ran in the last solve of ``prob`` (HiGHS reports it; 0 for
    CBC, whose whole solve then counts as overhead)."""
    highs = getattr(prob, "solverModel", None) if name == "highs" else None
    try:
        return float(highs.getRunTime()) if highs is not None else 0.0
    except AttributeError:
        return 0.0


def _highs_bound(prob: pulp.LpProblem) -> float:
    """HiGHS's proven lower bound on ``prob``'s objective (PuLP's constant included), or
    -inf when it proved none."""
    highs = getattr(prob, "solverModel", None)
    if highs is None:
        return -math.inf
    info = highs.getInfo()
    dual = float(info.mip_dual_bound)
    value = prob.objective.value()
    if not math.isfinite(dual) or value is None:
        return -math.inf
    # HiGHS's objective leaves out the expression's constant (the surplus offset)
    return dual + float(value) - float(info.objective_function_value)
