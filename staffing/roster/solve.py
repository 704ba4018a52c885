"""The weekly roster (vagtplan) as a mixed-integer program in PuLP.

Split as PuLP's bin-packing example: instance data in (`staffing.roster.instance`), a builder
that returns the `pulp.LpProblem` with named constraints (`build_roster_model`), and a solve
function that picks the solver by name and returns a frozen `RosterResult` (`solve_roster`).

The model
---------
Every agent gets one *pattern* per ISO week: a shift template (start every 15 minutes inside
the opening hours plus the lead-in and the agent's earliest start / latest end, lengths around
the contract's day norm) with a lunch position, or a day off, for each day, such that the week's
paid hours lie within the tolerance of its norm and at most ``max_days_per_week`` days are
worked (`staffing.roster.patterns`; unavailable days, locks and the lunch window are inside the
pattern). The program chooses one pattern per agent-week and places the meetings:

Variables
    ``p_{agent}_{week}_{n}`` binary: the agent works pattern n;
    ``v_{meeting}_{i}`` binary: the meeting is at candidate position i; ``miss_{meeting}``;
    ``u_{queue}_{day}_{hhmm}_{s}`` shortfall on cost segment s; ``empty_{...}`` in [0, 1];
    ``early_max``, ``early_min``, ``late_max``, ``late_min``: the fairness spread.

Constraints (names as in the LP file; queue names ASCII-folded, æ -> ae)
    ``pick_{agent}_{week}``: one pattern per agent-week;
    ``cover_{queue}_{yyyymmdd}_{hhmm}``: phone time of the agents with the skill + shortfall
    >= requirement;
    ``pool_{queues}_{yyyymmdd}_{hhmm}``: the same for a set of queues (cross-trained agents
    count once for the set), added where needed: with all of them the coverage can be split
    among the agents (Hall's theorem), so cross-trained agents split their phone time between
    queues exactly as an allocation ``x[a, q, t]`` would (`coverage` reports that allocation);
    ``floor_{queue}_{yyyymmdd}_{hhmm}``: at least one skilled agent on the phone inside the
    queue's window (phone policy), else ``empty`` at a heavy cost;
    ``meet_{meeting}``: each meeting placed once or missed; ``attend_{meeting}_{i}_{agent}``:
    an attendee is on the phone (on shift, not at lunch) when the meeting is placed there, and
    the meeting takes that time off the phone; ``talks_{team}_{yyyymmdd}_{hhmm}``: one feedback
    talk at a time per team;
    ``early_hi_{agent}``, ``early_lo_{agent}`` (and late): fairness bounds.

Objective (answered calls lost, see `shortfall_weights`): shortfall x Erlang-A slopes (an agent
short at the peak costs more than at 15:45) + ``weight_empty_queue`` x empty +
``weight_missed_meeting`` x missed + ``weight_over`` x surplus phone time +
``weight_hours_deviation`` x |hours - norm| + ``weight_unfair`` x spread + ``weight_wish`` x
unmet wishes.

Solving (`solve_roster`; `staffing.roster.master`): column generation on the LP proves a
lower bound over *all* patterns (about 35 % of the time limit); the LP is rounded by diving
(about 25 %; queues the last rounding step left empty are repaired); time the dive leaves over
goes to a large-neighbourhood search on the rounded plan (`staffing.roster.master.improve`);
the integer program is then solved by HiGHS (``highspy`` through ``pulp.HiGHS``) by default or
CBC, started from the rounded plan; when it finds nothing in its time (or CBC crashes) the
other solver tries, and the rounded plan itself is the last resort. When column generation
converged with at most `FULL_PROGRAM_PATTERNS` patterns the program keeps all of them (no
rounding), and when every pattern of every agent-week is in it (a day, a small team) the
result is the exact optimum and the solver's own bound (branch and bound, cuts) is the lower
bound. Otherwise the lower bound is the LP's (Lagrangian) bound over all patterns. The
reported gap is ``(plan - lower bound) / plan``, so it is honest also when the time limit cuts
the search short; the objective is evaluated on the plan itself (`RosterResult.gap_calls`:
the same gap in answered calls).
Measured (``benchmarks/roster.py``): the default week and a 300-agent centre within the
120 s limit on a 2-core machine, with gaps of about 14 % and 6 % against the LP bound; single
days proven exactly show the LP bound itself 0.6-3.5 % below the best plan; small weeks are
exact in seconds.
"""

from __future__ import annotations

import math
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pandas as pd
import pulp

from staffing.roster.diagnose import Diagnostic, explain_coverage
from staffing.roster.instance import ROSTER_COLUMNS, Instance, build_instance, shortfall_weights
from staffing.roster.master import (
    Master,
    add_floor_rows,
    build_master,
    column_generation,
    dive,
    improve,
    quiet_highs,
    seed_patterns,
    separate_pools,
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

SOLVERS = ("highs", "cbc")
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
Progress = Callable[[str], None]
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
    diagnostics: findings for the planner (`staffing.roster.diagnose.Diagnostic`).
    objective_parts: the objective split by term.
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


@dataclass
class RosterModel:
    """The `LpProblem` of the roster, its master structure and the PuLP variable per column."""

    problem: pulp.LpProblem
    master: Master
    variables: list[pulp.LpVariable | None]
    build_seconds: float = 0.0
    #: the best lower bound a solver proved on this program's objective (HiGHS's dual bound);
    #: a bound of the whole problem only when the program holds every pattern of every
    #: agent-week (`solve_roster` checks that)
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
def _to_pulp(
    master: Master, exclude: set[int] | None = None
) -> tuple[pulp.LpProblem, list[pulp.LpVariable | None]]:
    # PuLP 3.3 warns that LpVariable(...) becomes prob.add_variable(...) in 4.0; the project
    # pins PuLP < 4 (pyproject), so the classic API stays and the warning is silenced here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return _build_pulp(master, exclude or set())


def _build_pulp(
    master: Master, exclude: set[int]
) -> tuple[pulp.LpProblem, list[pulp.LpVariable | None]]:
    prob = pulp.LpProblem("vagtplan", pulp.LpMinimize)
    variables: list[pulp.LpVariable | None] = []
    row_terms: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in range(master.n_rows)]
    for j, name in enumerate(master.col_names):
        if j in exclude:  # a column fixed at 0 is left out of the program
            variables.append(None)
            continue
        hi = master.col_hi[j]
        var = pulp.LpVariable(
            name,
            lowBound=master.col_lo[j],
            upBound=None if not math.isfinite(hi) else hi,
            cat=pulp.LpBinary if master.col_int[j] and hi == 1.0 else pulp.LpContinuous,
        )
        variables.append(var)
        for r, v in zip(master.col_rows[j].tolist(), master.col_vals[j].tolist()):
            row_terms[r].append((var, v))
    objective = pulp.LpAffineExpression(
        [(v, c) for v, c in zip(variables, master.col_cost) if c != 0.0 and v is not None]
    )
    prob.setObjective(objective + master.objective_offset)
    for r in range(master.n_rows):
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
) -> RosterModel:
    """The roster's integer program as a `pulp.LpProblem` (see the module docstring).

    From the tables, the program holds each agent-week's first patterns (all of them for
    agent-weeks with few patterns); pass a `Master` grown by `column_generation` to get the
    program over its patterns, as `solve_roster` does. ``requirements``: ``interval_start,
    queue, agents`` [+ ``agents_gross``, ``offered``, ``aht_seconds``, ``patience_seconds``];
    ``agents``: the agents contract; ``calendar``: a `forecast.calendar.CentreCalendar` for
    opening hours and queue windows (without it, each day's hours are the span of its
    requirement rows); ``locks``: roster rows a planner fixed, kept as they are;
    ``exclude``: master columns to leave out (fixed at 0).
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
    prob, variables = _to_pulp(master, exclude)
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


class _HighsWithProgress(pulp.HiGHS):  # type: ignore[misc, valid-type]
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

        def report(event: Any) -> None:
            now = time.perf_counter()
            if now - self._last < 0.5:
                return
            self._last = now
            out = event.data_out
            if math.isfinite(out.mip_primal_bound):
                gap = out.mip_gap
                gap_text = f"{100 * gap:.1f} %" if math.isfinite(gap) else "?"
                self._progress(
                    f"solving: integer program, best plan {out.mip_primal_bound:.1f}, "
                    f"gap {gap_text}, {out.running_time:.1f} s"
                )

        lp.solverModel.cbMipInterrupt.subscribe(report)


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
) -> tuple[bool, str]:
    """Solve the integer program of ``model``; returns (a plan was found, solver used).

    ``start``: use the variables' current values as the first plan (warm start).

    After each solve the plan is checked against every pool row (sets of queues); rows it
    violates are added and the program solved again, so the plan's coverage can always be
    split among the agents. Falls back to the other solver when the first is unavailable or
    finds no plan (PuLP's CBC can crash when its time runs out while it checks the start
    plan); a re-solve that finds nothing keeps the plan of the solve before.
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
    last: dict[str, float | None] | None = None  # the values of the last plan found
    for _round in range(20):
        # the first solve leaves time for re-solves with the rows it may violate
        share = 0.6 if _round == 0 else 0.5
        remaining = max((deadline - time.perf_counter()) * share, 1.0)
        has_plan, _ = _solve_once(model.problem, name, remaining, gap, msg, progress, start)
        if not has_plan and last is None and len(usable) > 1:
            # the chosen solver found nothing in its time (or crashed): the other one tries
            name = usable[1]
            remaining = max((deadline - time.perf_counter()) * share, 3.0)
            has_plan, _ = _solve_once(model.problem, name, remaining, gap, msg, progress, start)
        start = True  # re-solves start from this plan
        if has_plan and name == "highs":
            # every round's program is a relaxation of the last one (rows are only added), so
            # each dual bound is valid; keep the best
            model.proven_bound = max(model.proven_bound, _highs_bound(model.problem))
        if not has_plan:
            if last is None:
                return False, name
            for var in model.problem.variables():  # keep the plan of the round before
                var.varValue = last.get(var.name)
            return True, name
        last = {var.name: var.varValue for var in model.problem.variables()}
        x = np.asarray([model.value(j) for j in range(len(model.variables))])
        cuts = separate_pools(master, x, per_slot=10)
        if not cuts:
            return True, name
        for r in cuts:
            terms = [
                (model.variables[c], v)
                for c, v in master.row_entries.get(r, [])
                if model.variables[c] is not None
            ]
            _add_row(model.problem, master, r, terms)
        if time.perf_counter() > deadline:
            break
    # out of time with pool rows still violated: the plan stands; its coverage is computed
    # by the allocation (`_allocate`), which reports any shortfall the rows would have shown
    return True, name


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
    started = time.perf_counter()
    if not time_limit > 0:
        raise ValueError(f"time_limit must be > 0 seconds; got {time_limit!r}")
    if not 0 <= gap < 1:
        raise ValueError(f"gap must be in [0, 1); got {gap!r}")
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {solver!r}")
    say = progress or (lambda _msg: None)
    say("reading the requirements and agents")
    inst = build_instance(requirements, agents, rules, calendar=calendar, locks=locks)
    say(
        f"building the model: {len(inst.agents)} agents, {len(inst.days)} days, "
        f"{len(inst.queues)} queues"
    )
    master = build_master(inst)
    t_cg = time.perf_counter()
    log = column_generation(
        master,
        time_budget=0.35 * time_limit,
        gap=gap,
        progress=progress,
    )
    cg_seconds = time.perf_counter() - t_cg
    offset = master.objective_offset
    say(
        f"solving: lower bound {log.lower_bound + offset:.1f} after {log.pricing_rounds} "
        f"rounds, {len(master.patterns)} patterns; rounding"
    )
    exact = log.enumerated_weeks == len(inst.weeks)  # every pattern is in the program
    if exact or (log.converged and len(master.patterns) <= FULL_PROGRAM_PATTERNS):
        # small enough for the integer program over every generated pattern (exact when
        # every agent-week's patterns are all there): no rounding. Not when column generation
        # was cut short: then the patterns are few because time was, and the LP's fractional
        # plan is a poor start (a 10 s limit on the default week gave HiGHS 3 s from it and
        # a plan with four meetings missed and three queue intervals empty)
        x_dive = np.asarray(master.lp.getSolution().col_value) if master.lp else np.zeros(0)
        x_dive = np.pad(x_dive, (0, master.n_cols - len(x_dive)))
        fixed: set[tuple[int, str]] = set()
    else:
        x_dive, fixed = dive(master, time_budget=0.25 * time_limit, progress=progress)
        # time the dive left over (it stops early when rounding goes smoothly) goes to a
        # large-neighbourhood search on the rounded plan; a fifth of the limit stays for the
        # integer program (meetings, and the members who stay on the phone)
        spare = 0.8 * time_limit - (time.perf_counter() - started)
        if spare > 0.1 * time_limit and len(fixed) == len(inst.weeks):
            x_dive, _better = improve(
                master,
                x_dive,
                time_budget=spare,
                bound=log.lower_bound,
                gap=gap / 2,
                progress=progress,
            )
    add_floor_rows(master)  # the integer program sees every floor from the start
    keep = {  # patterns of fixed agent-weeks other than the fixed one are left out
        col
        for n, col in enumerate(master.pattern_col)
        if (master.patterns[n].agent, master.patterns[n].week) not in fixed or x_dive[col] > 0.5
    }
    model = build_roster_model(master, exclude=set(master.pattern_col) - keep)
    _start_from_dive(model, x_dive, fixed)
    n_int = sum(1 for v in model.variables if v is not None and v.cat == pulp.LpInteger)
    say(
        f"solving: integer program with {solver}, {len(model.problem.variables()):,} variables "
        f"({n_int:,} "
        f"integer, {len(inst.weeks) - len(fixed)} agent-weeks free), "
        f"{model.problem.numConstraints():,} constraints"
    )
    t_mip = time.perf_counter()
    # leave time to read the plan back, split its coverage and diagnose it (~1-2 s on the
    # default week), so that the whole call ends near the time limit
    reserve = min(max(0.1 * time_limit, 0.5), 2.0)
    remaining = max(time_limit - (time.perf_counter() - started) - reserve, 0.1 * time_limit)
    start_values = {
        v.name: float(v.varValue) for v in model.variables if v is not None and v.varValue
    }
    has_plan, used = solve_model(
        model,
        solver=solver,
        time_limit=remaining,
        gap=gap / 2,
        msg=msg,
        progress=progress,
        start=True,
    )
    mip_seconds = time.perf_counter() - t_mip
    diagnostics = list(inst.diagnostics)
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
    if used != solver:
        diagnostics.append(
            Diagnostic(
                kind="solver",
                severity="warning",
                message=(
                    f"{solver} is not available here or found no plan in its time; solved "
                    f"with {used} instead"
                ),
            )
        )
    stats: dict[str, float] = {
        "agents": len(inst.agents),
        "days": len(inst.days),
        "queues": len(inst.queues),
        "patterns": len(master.patterns),
        "pool_rows": log.cuts,
        "rounds": log.pricing_rounds,
        "variables": len(model.problem.variables()),
        "binaries": n_int,
        "constraints": model.problem.numConstraints(),
        "lower_bound": log.lower_bound + offset,
        "lp_bound": log.lower_bound + offset,
        "lp_value": log.lp_value + offset,
        "column_generation_seconds": cg_seconds,
        "integer_seconds": mip_seconds,
        "interval_minutes": inst.rules.interval_minutes,
    }
    if not has_plan:
        diagnostics.append(
            Diagnostic(
                kind="solver",
                severity="error",
                message=(
                    f"{used} found no plan within {time_limit:g} s; give it more time "
                    "(--time-limit) or plan fewer agents or days at once"
                ),
            )
        )
        return RosterResult(
            status="no_solution",
            objective=math.nan,
            gap=None,
            solver=used,
            seconds=time.perf_counter() - started,
            roster=pd.DataFrame(columns=ROSTER_COLUMNS),
            coverage=pd.DataFrame(columns=COVERAGE_COLUMNS),
            diagnostics=tuple(diagnostics),
            stats=stats,
        )
    say("reading the plan back")
    plan = _read_plan(model)
    roster = _roster_rows(inst, plan)
    coverage, shortfall_cost = _allocate(inst, plan)
    parts = _objective_parts(model, plan, coverage, shortfall_cost)
    objective = float(sum(parts.values()))
    bound = log.lower_bound + offset
    if exact and math.isfinite(model.proven_bound):
        # the program held every pattern: the solver's bound (branch and bound, cuts) bounds
        # the whole problem and is at least as strong as the LP's
        bound = max(bound, model.proven_bound)
        stats["lower_bound"] = bound
    gap_value = max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    status = "optimal" if gap_value <= gap + 1e-9 else "feasible"
    diagnostics.extend(_meeting_diagnostics(model, plan))
    diagnostics.extend(
        explain_coverage(coverage, roster, agents, interval_minutes=inst.rules.interval_minutes)
    )
    return RosterResult(
        status=status,
        objective=objective,
        gap=gap_value,
        solver=used,
        seconds=time.perf_counter() - started,
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
        if kind == "meeting" and model.variables[j] is not None:
            mi, i = master.col_key[j]
            on = x[j] >= 0.5 and mi not in placed
            model.variables[j].varValue = 1.0 if on else 0.0
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


# ---------------------------------------------------------------------------------------------
# Reading the plan back
# ---------------------------------------------------------------------------------------------
@dataclass
class _Plan:
    shifts: dict[tuple[int, int], tuple[int, int]]  # (agent, day) -> (template, lunch slot)
    meetings: list[tuple[int, int]]  # (meeting, position)
    patterns: list[int]
    stays: set[tuple[int, int, int]] = field(default_factory=set)  # (meeting, position, agent)


def _read_plan(model: RosterModel) -> _Plan:
    master = model.master
    shifts: dict[tuple[int, int], tuple[int, int]] = {}
    chosen = []
    for n, col in enumerate(master.pattern_col):
        if model.value(col) > 0.5:
            pattern = master.patterns[n]
            chosen.append(n)
            for d, o in pattern.choice:
                opts = master.options[(pattern.agent, d)]
                shifts[(pattern.agent, d)] = (int(opts.template[o]), int(opts.lunch[o]))
    meetings = [
        master.col_key[j]
        for j, kind in enumerate(master.col_kind)
        if kind == "meeting" and model.value(j) > 0.5
    ]
    stays = {
        master.col_key[j]
        for j, kind in enumerate(master.col_kind)
        if kind == "skip" and model.value(j) > 0.5
    }
    return _Plan(shifts, meetings, chosen, stays)


def _blocks(inst: Instance, plan: _Plan) -> dict[tuple[int, int], list[tuple[str, int, int]]]:
    blocks: dict[tuple[int, int], list[tuple[str, int, int]]] = defaultdict(list)
    for m, i in plan.meetings:
        occ = inst.meetings[m]
        d, p = occ.positions[i]
        for a in occ.attendees[i]:
            if (m, i, a) not in plan.stays:
                blocks[(a, d)].append((occ.rule.activity, p, occ.length))
    for key, fixed in inst.fixed_blocks.items():
        blocks[key].extend(fixed)
    return blocks


def _roster_rows(inst: Instance, plan: _Plan) -> pd.DataFrame:
    """The plan as roster rows: phone blocks, lunch, meetings, training, and absence days."""
    lunch_len = inst.rules.lunch_minutes // inst.rules.interval_minutes
    blocks = _blocks(inst, plan)
    rows = []
    for agent in inst.agents:
        a = agent.index
        for day in inst.days:
            d = day.index
            lock = inst.locks.get((a, d))
            if day.date in agent.unavailable or (lock is not None and lock.absence):
                rows.append(
                    (
                        agent.agent_id,
                        day.date,
                        day.timestamp(day.slot(day.open_min)),
                        day.timestamp(day.slot(day.close_min)),
                        "absence",
                    )
                )
                continue
            if (a, d) not in plan.shifts:
                continue
            k, lunch = plan.shifts[(a, d)]
            t = inst.templates[(a, d)][k]
            # (activity, block number): two meetings back to back stay two rows
            status: list[tuple[str, int]] = [("phone", -1)] * t.length
            if lunch >= 0:
                for j in range(lunch, lunch + lunch_len):
                    status[j - t.start] = ("lunch", -1)
            for b, (activity, p, n) in enumerate(blocks.get((a, d), [])):
                for j in range(p, p + n):
                    if t.start <= j < t.end:
                        status[j - t.start] = (activity, b)
            j0 = 0
            for j in range(1, t.length + 1):
                if j == t.length or status[j] != status[j0]:
                    rows.append(
                        (
                            agent.agent_id,
                            day.date,
                            day.timestamp(t.start + j0),
                            day.timestamp(t.start + j),
                            status[j0][0],
                        )
                    )
                    j0 = j
    frame = pd.DataFrame(rows, columns=ROSTER_COLUMNS)
    if not frame.empty:
        frame = frame.sort_values(["agent_id", "start"], kind="stable").reset_index(drop=True)
    return frame


def _phone_matrix(inst: Instance, plan: _Plan) -> dict[tuple[int, int], np.ndarray]:
    """Per (day, slot): 0/1 phone of every agent."""
    lunch_len = inst.rules.lunch_minutes // inst.rules.interval_minutes
    blocks = _blocks(inst, plan)
    phone: dict[tuple[int, int], np.ndarray] = {}
    n = len(inst.agents)
    for (a, d), (k, lunch) in plan.shifts.items():
        t = inst.templates[(a, d)][k]
        off = set(range(lunch, lunch + lunch_len)) if lunch >= 0 else set()
        for _, p, m in blocks.get((a, d), []):
            off.update(range(p, p + m))
        for j in range(t.start, t.end):
            if j not in off:
                phone.setdefault((d, j), np.zeros(n))[a] = 1.0
    return phone


def _allocate(inst: Instance, plan: _Plan) -> tuple[pd.DataFrame, float]:
    """Split the plan's phone time between queues (an LP over x[agent, queue, interval]).

    Minimises the same Erlang-A shortfall cost as the model, so the reported coverage is the
    best the plan's people can give; spare time is spread over the agents' open queues.
    Returns the coverage table and the shortfall cost.
    """
    req = inst.requirement
    phone = _phone_matrix(inst, plan)
    skills = [set(a.skills) for a in inst.agents]
    h = quiet_highs()
    costs: list[float] = []
    upper: list[float] = []
    col_rows: list[list[tuple[int, float]]] = []
    agent_rows: dict[tuple[int, int, int], int] = {}
    row_lo: list[float] = []
    row_hi: list[float] = []
    x_of_row: dict[int, list[int]] = defaultdict(list)
    under_of_row: dict[int, list[tuple[int, float]]] = {}
    for i, row in enumerate(req.itertuples(index=False)):
        r_cover = len(row_lo)
        row_lo.append(float(row.required))
        row_hi.append(np.inf)
        on = phone.get((row.day, row.slot))
        if on is not None:
            for a in np.flatnonzero(on):
                if row.queue not in skills[a]:
                    continue
                key = (int(a), int(row.day), int(row.slot))
                if key not in agent_rows:
                    agent_rows[key] = len(row_lo)
                    row_lo.append(-np.inf)
                    row_hi.append(1.0)
                col = len(costs)
                costs.append(-1e-4)  # use spare time
                upper.append(1.0)
                col_rows.append([(r_cover, 1.0), (agent_rows[key], 1.0)])
                x_of_row[i].append(col)
        segs = []
        for width, slope in zip(np.diff(row.breaks), row.slopes):
            if width > 1e-12:
                segs.append((len(costs), float(slope)))
                costs.append(float(slope))
                upper.append(float(width))
                col_rows.append([(r_cover, 1.0)])
        under_of_row[i] = segs
    lp = highspy.HighsLp()
    lp.num_col_ = len(costs)
    lp.num_row_ = len(row_lo)
    lp.col_cost_ = np.asarray(costs)
    lp.col_lower_ = np.zeros(len(costs))
    lp.col_upper_ = np.asarray(upper)
    lp.row_lower_ = np.asarray(row_lo)
    lp.row_upper_ = np.asarray(row_hi)
    starts = np.concatenate([[0], np.cumsum([len(c) for c in col_rows])]).astype(np.int32)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = np.asarray([r for c in col_rows for r, _ in c], dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray([v for c in col_rows for _, v in c], dtype=float)
    h.passModel(lp)
    h.run()
    x = np.asarray(h.getSolution().col_value) if lp.num_col_ else np.zeros(0)
    out = []
    total_cost = 0.0
    for i, row in enumerate(req.itertuples(index=False)):
        staffed = float(sum(x[c] for c in x_of_row.get(i, [])))
        short = float(sum(x[c] for c, _ in under_of_row[i]))
        total_cost += float(sum(x[c] * s for c, s in under_of_row[i]))
        on = phone.get((row.day, row.slot))
        skilled = (
            int(sum(1 for a in np.flatnonzero(on) if row.queue in skills[a]))
            if on is not None
            else 0
        )
        out.append(
            (
                inst.days[row.day].timestamp(row.slot),
                row.queue,
                float(row.required),
                round(staffed, 6),
                round(max(short, 0.0), 6),
                round(max(staffed - float(row.required), 0.0), 6),
                skilled,
                bool(row.in_window),
            )
        )
    return pd.DataFrame(out, columns=COVERAGE_COLUMNS), total_cost


def _meeting_diagnostics(model: RosterModel, plan: _Plan) -> list[Diagnostic]:
    inst = model.instance
    placed = {m for m, _ in plan.meetings}
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
                    f"{inst.agents[a].agent_id} stays on the phone so that no queue is left "
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


def _objective_parts(
    model: RosterModel, plan: _Plan, coverage: pd.DataFrame, shortfall_cost: float
) -> dict[str, float]:
    """The objective of the plan, term by term, evaluated on the plan itself."""
    master = model.master
    inst = master.inst
    rules = inst.rules
    parts: dict[str, float] = defaultdict(float)
    parts["under_coverage"] = shortfall_cost
    phone_slots = sum(float(v.sum()) for v in _phone_matrix(inst, plan).values())
    covered = float((coverage["required"] - coverage["shortfall"]).sum())
    parts["surplus"] = rules.weight_over * (phone_slots - covered)
    empty = coverage["in_window"] & (coverage["skilled_on_phone"] == 0)
    parts["empty_queue"] = rules.weight_empty_queue * float(empty.sum())
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
    counts: dict[str, dict[int, float]] = {"early": defaultdict(float), "late": defaultdict(float)}
    for n in plan.patterns:
        pattern = master.patterns[n]
        week = next(w for w in inst.weeks if w.agent == pattern.agent and w.week == pattern.week)
        dev = rules.weight_hours_deviation * abs(pattern.paid_minutes - week.target_minutes) / 60
        parts["hours_deviation"] += dev
        parts["wishes"] += pattern.cost - dev
        counts["early"][pattern.agent] += pattern.early
        counts["late"][pattern.agent] += pattern.late
    for label in ("early", "late"):
        eligible = [k[2] for k in master.row_of if k[0] == "fair_hi" and k[1] == label]
        if eligible:
            rates = [master.fair_scale[a] * counts[label][a] for a in eligible]
            parts["unfairness"] += rules.weight_unfair * (max(rates) - min(rates))
    return dict(parts)
