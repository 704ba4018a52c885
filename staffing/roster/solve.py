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
is the last resort. When every pattern of every agent-week is in the master (a day, a small
team) the program keeps all of them (no rounding): the result is the exact optimum and the
solver's own bound (branch and bound, cuts) is the lower bound. Otherwise the lower bound is
the LP's (Lagrangian) bound over all patterns. The reported gap is ``(plan - lower bound) /
plan``, so it is honest also when the time limit cuts the search short; the objective is
evaluated on the plan itself (`staffing.roster.readback`; `RosterResult.gap_calls`: the same
gap in answered calls).
Measured (``benchmarks/roster.py``): the default week and a 300-agent centre within the
120 s limit on a 2-core machine, with gaps of about 14 % and 6 % against the LP bound; single
days proven exactly show the LP bound itself 0.6-3.5 % below the best plan; small weeks are
exact in seconds.

One deadline (the time limit, counted from the call): each stage ends at its share of it,
counted from the start (column generation at 35 %, the dive at 60 %, the improvement at
80 %), every LP gets what is left of its stage (HiGHS's ``time_limit``), and the integer
program what is left after a reserve for reading the plan back (more for a large centre).
When a large centre's instance takes the column generation's share to build, or its first LP
is not solved in it, the plan is built greedily (`staffing.roster.heuristics.greedy`: one
pricing per agent-week) and the bound is what the LP proved, at least the one of zero duals;
when the integer program cannot be built and solved in the time left, the rounded plan is
the plan. After the deadline everything is linear in the size of the centre: the release of
off-phone time stops at the deadline (the blocks placed stay) and the short runs explained
are the worst that fit. Each stage cut short adds a ``solver`` note to the diagnostics, and a
plan always comes back when one exists.
"""

from __future__ import annotations

import dataclasses
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
from staffing.roster.heuristics import dive, greedy, improve, place_meetings
from staffing.roster.instance import ROSTER_COLUMNS, Instance, build_instance, shortfall_weights
from staffing.roster.master import (
    ColumnGenerationLog,
    Master,
    add_floor_rows,
    build_master,
    column_generation,
    trivial_bound,
)
from staffing.roster.model import (
    SOLVERS,
    BuildTimeout,
    Progress,
    RosterModel,
    available_solvers,
    build_roster_model,
    solve_model,
)
from staffing.roster.portfolio import GRACE_SECONDS, Outcome, collect, start_searches, stop
from staffing.roster.readback import (
    COVERAGE_COLUMNS,
    Plan,
    allocate,
    meeting_diagnostics,
    objective_parts,
    phone_matrix,
    plan_from_values,
    read_plan,
    release_off_phone,
    roster_rows,
    team_gaps,
)
from staffing.roster.rules import ShiftRules
from staffing.roster.warm import (
    fix_locked_meetings,
    fix_plan,
    movable_weeks,
    plan_cost,
    warm_start,
)

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

#: Re-optimizing from a roster: up to this many generated patterns the integer program keeps
#: them all (started from the roster's plan); above, a neighbourhood search around the roster
#: first and the program only places meetings around its shifts.
FULL_PROGRAM_PATTERNS = 400
#: Above this many agent-weeks the greedy plan is made beside the dive's, and the better kept.
GREEDY_TOO_WEEKS = 200
#: Seconds per agent-day kept for reading the plan back (roster rows, the allocation LP, the
#: objective and the diagnosis; half of it is the release's deadline before the limit) when
#: the centre is large: 1-2 s for 2,000 agents (10,000 agent-days) on the 2-core benchmark
#: machine, twice that kept.
READ_BACK_SECONDS = 0.0004
#: Seconds per nonzero of the master's columns to add the floor rows before the integer
#: program is built (`staffing.roster.master.add_floor_rows`), and per nonzero of the columns
#: the program keeps to build PuLP's problem: 0.8 s and 1.4 s for 210,000 at 300 agents,
#: 5.4 s and 7.3 s for 1.35 million at 2,000 on the 2-core benchmark machine; the solver takes
#: about half as long again as PuLP to take the program over (`_program_estimate`).
FLOOR_ROWS_SECONDS_PER_ENTRY = 4e-6
PROGRAM_SECONDS_PER_ENTRY = 6e-6
#: For a small centre (at most `SMALL_CENTRE_AGENTS` agents) the estimate is scaled by
#: `SMALL_PROGRAM_FACTOR`: at 34 agents the floor rows and PuLP's problem took 0.57-1.19 s
#: against 1.7-6.7 s estimated (sample week, Christmas week; the constants above were fitted
#: at 300 and 2,000 agents), so the program of the default week was skipped when it fitted.
#: A build that overruns anyway stops at its deadline (`BuildTimeout`): the rounded plan.
SMALL_CENTRE_AGENTS = 100
SMALL_PROGRAM_FACTOR = 0.4
#: Seconds per agent-week of the greedy plan made beside the dive's above `GREEDY_TOO_WEEKS`
#: (`staffing.roster.heuristics.greedy`, the dive's meetings placed greedily, three plans'
#: cost), and the fixed part: 1.7-2.6 s at 300 agents on the benchmark machine.
GREEDY_SECONDS_PER_WEEK = 0.003
GREEDY_SECONDS = 0.5
#: The integer program's time at least (beyond its build) when the neighbourhood search
#: before it could take it (`_program_seconds`): this share of the limit, and from a limit of
#: 20 s up more, `PROGRAM_SECONDS` from 30 s. Its rounds (the solve, then the pool rows the
#: plan violates added) take about a second each on the default week, and it needs three to
#: five; the search had stalled by then (2026-W48 at 30 s: 4 better neighbourhoods in its
#: first second, none in the next 20 s).
PROGRAM_SHARE = 0.05
PROGRAM_SECONDS = 6.0
#: The neighbourhood search's size (agent-weeks freed a round) by seed: the searches side by
#: side (`staffing.roster.portfolio`) differ in it as well as in their seed. With the cheaper
#: LPs a search's plan depends little on its seed (four seeds gave 2026-W48 67.6 four times),
#: and more on the size: at 10 s size 3 gave 65.4, 68.9, 67.3, 47.9, 147.2 answered calls lost
#: on W48, W49, W50, W52 and the sample week, size 4 67.6, 69.1, 68.3, 54.1, 143.7
#: (`staffing.roster.heuristics.GROW_EVERY`; docs/notes/roster.md).
NEIGHBOURHOOD_SIZES = (3, 4)
#: Whether the neighbourhood search moves the meetings too (`staffing.roster.heuristics.
#: improve`'s ``move_meetings``), by seed as `NEIGHBOURHOOD_SIZES`: the first search does, the
#: second does not, so the two searches side by side differ more than in size. Four seeds
#: each at 10 s (answered calls lost, median; W48, W49, W50, W52, sample week): without the
#: moves 65.4, 67.8, 74.7, 46.7, 142.0; with them 66.9, 66.2, 69.1, 52.5, 144.4. Neither is
#: better on every week (docs/notes/roster.md, session 10).
MOVE_MEETINGS = (True, False)


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
    warm: pd.DataFrame | None = None,
    workers: int = 1,
    seed: int = 0,
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
        Seconds for the whole call (see the module docstring: one deadline, a share per
        stage); the best plan found by then is returned with its gap. Reading the plan back
        is quick but not free: the call ends within a few seconds of the limit also for
        2,000 agents.
    gap:
        Relative gap (plan vs lower bound) at which to stop; 0.01 = 1 %.
    progress:
        Called with short messages (stage, bound, best plan and gap) while working.
    warm:
        The current roster (roster contract) to re-optimize from, e.g. after an edit with
        ``locks``: its agent-weeks are the start plan, the search stops when nothing is left
        to gain, and the plan returned is never worse than the start (`_solve_warm`,
        `staffing.roster.warm`); ``stats["start_objective"]`` is the start's objective.
    workers:
        Searches side by side (`staffing.roster.portfolio`): with 2, a second process runs
        the same solve with the next seed until the same deadline, and the cheaper plan is
        kept (with the larger of the two lower bounds); ``stats["searches"]`` is how many
        gave a plan, ``stats["seed"]`` the kept plan's seed. Not for ``warm`` (it stops
        when nothing is left to gain, in a second or two). `planner.searches.default_workers`:
        what the app and the command line use.
    seed:
        The neighbourhood search's random seed (the second search uses ``seed + 1``).
    """
    run = _Run(solver, time_limit, gap, msg, progress, started=time.perf_counter())
    _check_arguments(run)
    if not (isinstance(workers, int) and workers >= 1):
        raise ValueError(f"workers must be a whole number >= 1; got {workers!r}")
    if warm is not None:
        return _solve_warm(run, requirements, agents, rules, calendar, locks, warm)
    searches = []
    if workers > 1:
        kwargs = {
            "requirements": requirements,
            "agents": agents,
            "rules": rules,
            "calendar": calendar,
            "locks": locks,
            "solver": solver,
            "gap": gap,
        }
        deadline = time.time() + time_limit - run.elapsed()
        searches = start_searches(workers - 1, kwargs, seed=seed, deadline=deadline)
    try:
        result = _solve_cold(run, requirements, agents, rules, calendar, locks, seed)
    except BaseException:
        stop(searches)
        raise
    if not searches:
        return result
    run.say(f"solving: comparing the plans of {len(searches) + 1} searches")
    until = time.time() + max(run.deadline - time.perf_counter(), 0.0) + GRACE_SECONDS
    return _keep_cheapest_search(run, result, seed, [collect(s, until=until) for s in searches])


def _solve_cold(
    run: _Run,
    requirements: pd.DataFrame,
    agents: pd.DataFrame,
    rules: ShiftRules | None,
    calendar: Any,
    locks: pd.DataFrame | None,
    seed: int,
) -> RosterResult:
    """One search: column generation, rounding and the neighbourhood search (seeded with
    ``seed``), the integer program, the read-back."""
    relax = _relax(run, requirements, agents, rules, calendar, locks)
    x_dive, fixed = _round(run, relax, seed)
    start = _start_values(relax.master, x_dive)
    mip = _solve_integer(run, relax, x_dive, fixed, start)
    diagnostics = list(relax.inst.diagnostics) + relax.notes + mip.diagnostics
    stats = _stats(relax, mip)
    if not mip.has_plan:
        return _no_solution(run, mip.used, diagnostics, stats)
    values = start if mip.values is None else mip.values
    stats["seed"] = seed
    return _read_back(run, relax, mip, values, agents, diagnostics, stats)


def _keep_cheapest_search(
    run: _Run, own: RosterResult, seed: int, others: list[Outcome]
) -> RosterResult:
    """The cheapest plan of the searches side by side (ties: this process's), with the
    largest lower bound any of them proved (each bounds the same week) and its gap; a note
    for each search that gave no plan."""
    results = [own] + [o.result for o in others if o.status == "ok"]
    planned = [r for r in results if r.status != "no_solution"]
    kept = min(planned, key=lambda r: r.objective) if planned else own
    notes = [
        Diagnostic(
            kind="solver",
            severity="info",
            message=(
                f"the search side by side with seed {o.seed} gave no plan ({o.reason}); "
                "this is the plan of the others"
            ),
            facts={"note": "search_failed", "seed": o.seed, "why": o.status},
        )
        for o in others
        if o.status != "ok"
    ]
    stats = dict(kept.stats)
    stats["searches"] = len(results)
    bounds = [r.stats["lower_bound"] for r in results if "lower_bound" in r.stats]
    bounds = [b for b in bounds if math.isfinite(b)]
    gap_value, status = kept.gap, kept.status
    if bounds and kept.status != "no_solution":
        stats["lower_bound"] = max(bounds)
        gap_value = max(kept.objective - max(bounds), 0.0) / max(abs(kept.objective), 1e-9)
        status = "optimal" if gap_value <= run.gap + 1e-9 else "feasible"
    if kept is not own:
        run.say(
            f"solving: the plan of seed {int(kept.stats.get('seed', seed + 1))} is kept "
            f"({kept.objective:.1f} against {own.objective:.1f})"
        )
    return dataclasses.replace(
        kept,
        status=status,
        gap=gap_value,
        seconds=run.elapsed(),
        diagnostics=kept.diagnostics + tuple(notes),
        stats=stats,
    )


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

    @property
    def deadline(self) -> float:
        """When the time limit is up (`time.perf_counter`): every stage takes its share of the
        time before it, and the stages after it (reading the plan back) are quick."""
        return self.started + self.time_limit

    def until(self, share: float) -> float:
        """Seconds left until ``share`` of the time limit has passed (negative after it)."""
        return self.started + share * self.time_limit - time.perf_counter()


@dataclass
class _Relaxation:
    """The master after column generation: its log, how long it took, and whether every
    pattern of every agent-week is in it (then the integer program is exact)."""

    inst: Instance
    master: Master
    log: ColumnGenerationLog
    seconds: float
    exact: bool
    #: findings about the run (a stage cut short by the time limit)
    notes: list[Diagnostic] = field(default_factory=list)

    @property
    def bound(self) -> float:
        """The LP's (Lagrangian) lower bound over all patterns, in the objective's unit."""
        return self.log.lower_bound + self.master.objective_offset


@dataclass
class _IntegerSolve:
    """What the integer program's solve gave: a plan or not, by which solver, in how long,
    with how many integer variables, and the findings about the solve. ``model`` is None when
    there was no time to build the program: the plan is then the rounded one."""

    has_plan: bool
    used: str
    seconds: float
    n_int: int
    diagnostics: list[Diagnostic]
    model: RosterModel | None = None
    #: whether the plan is the solver's (else the rounded plan it was started from)
    solved: bool = True
    #: the rounded plan's column values when there is no program (None: the start's)
    values: np.ndarray | None = None


def _check_arguments(run: _Run) -> None:
    """Refuse a time limit, gap or solver name out of range."""
    if not run.time_limit > 0:
        raise ValueError(f"time_limit must be > 0 seconds; got {run.time_limit!r}")
    if not 0 <= run.gap < 1:
        raise ValueError(f"gap must be in [0, 1); got {run.gap!r}")
    if run.solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {run.solver!r}")


def _build(
    run: _Run,
    requirements: pd.DataFrame,
    agents: pd.DataFrame,
    rules: ShiftRules | None,
    calendar: Any,
    locks: pd.DataFrame | None,
) -> tuple[Instance, Master]:
    """The instance and the static master (no pattern columns yet), with their progress; the
    meetings pinned by locked blocks are held where they were locked, each locked attendee
    attending or on the phone as the lock says (`fix_locked_meetings`), whether the plan
    starts from a roster or from nothing."""
    run.say("reading the requirements and agents")
    inst = build_instance(requirements, agents, rules, calendar=calendar, locks=locks)
    run.say(
        f"building the model: {len(inst.agents)} agents, {len(inst.days)} days, "
        f"{len(inst.queues)} queues"
    )
    master = build_master(inst)
    if inst.locks:
        fix_locked_meetings(master)
    return inst, master


def _relax(
    run: _Run,
    requirements: pd.DataFrame,
    agents: pd.DataFrame,
    rules: ShiftRules | None,
    calendar: Any,
    locks: pd.DataFrame | None,
) -> _Relaxation:
    """Build the instance and the master, and run column generation on it."""
    inst, master = _build(run, requirements, agents, rules, calendar, locks)
    t_cg = time.perf_counter()
    # column generation ends at 35 % of the limit, counted from the start of the call (the
    # instance and the master of a large centre take seconds to build); at least a little
    # time for its first round, whose duals give the lower bound
    if run.until(0.35) > 0:
        log = column_generation(
            master,
            time_budget=max(run.until(0.35), 0.05 * run.time_limit),
            gap=run.gap,
            progress=run.progress,
        )
    else:  # building took the column generation's share: no LP, a plan built greedily
        log = trivial_bound(master)
    # a column generation cut short in its first LP can prove less than zero duals do
    log.lower_bound = max(log.lower_bound, trivial_bound(master).lower_bound)
    cg_seconds = time.perf_counter() - t_cg
    offset = master.objective_offset
    run.say(
        f"solving: lower bound {log.lower_bound + offset:.1f} after {log.pricing_rounds} "
        f"rounds, {len(master.patterns)} patterns; rounding"
    )
    exact = log.enumerated_weeks == len(inst.weeks)  # every pattern is in the program
    return _Relaxation(inst, master, log, cg_seconds, exact)


def _round(run: _Run, relax: _Relaxation, seed: int = 0) -> tuple[np.ndarray, set[tuple[int, str]]]:
    """The start of the integer program and the agent-weeks it keeps fixed: the LP's values
    and none when every pattern is enumerated (exact: the program is the whole problem), else
    the dive's rounding (improved in the time it leaves over) and the agent-weeks it fixed."""
    master, log = relax.master, relax.log
    if not log.solved:
        # the time limit left no time to solve the LP of this many agents: a plan is built
        # greedily instead (one pricing per agent-week), and kept as it is
        run.say("solving: no time to solve the LP; constructing a plan")
        relax.notes.append(
            Diagnostic(
                kind="solver",
                severity="info",
                message=(
                    f"the time limit of {run.time_limit:g} s left no time to solve the LP of "
                    f"{len(relax.inst.agents)} agents; the plan is constructed agent by agent "
                    "(a longer --time-limit gives the optimizer time to improve it)"
                ),
                facts={
                    "note": "no_lp",
                    "time_limit": float(run.time_limit),
                    "agents": len(relax.inst.agents),
                },
            )
        )
        return greedy(master, progress=run.progress)
    if relax.exact:
        # every agent-week's patterns are all there: the integer program over all of them is
        # the whole problem, started from the LP (no rounding)
        x_lp = np.asarray(master.lp.getSolution().col_value) if master.lp else np.zeros(0)
        return np.pad(x_lp, (0, master.n_cols - len(x_lp))), set()
    # Otherwise the dive fixes the agent-weeks, also when column generation converged with
    # few patterns: the program over all of them, from the LP's fractional plan, found no
    # good plan in a short limit (the Christmas week at 10 s: 155.3 answered calls lost; from
    # the dive's plan, every agent-week free, 53.5-74.9), and the dive, the neighbourhood
    # search and the program around the fixed agent-weeks did as well at 120 s (56.3 against
    # 55.7) and better at 10 and 30 s (56.3 both). When column generation was cut short the
    # patterns are few because time was: a 10 s limit on the default week gave HiGHS 3 s from
    # the LP over them and a plan with four meetings missed and three queue intervals empty.
    # The dive ends at 60 % of the limit (at least a moment: it rounds whatever the LP says)
    budget = max(run.until(0.6), 0.02 * run.time_limit)
    x_dive, fixed = dive(master, time_budget=budget, progress=run.progress)
    # time the dive left over (it stops early when rounding goes smoothly) goes to a
    # large-neighbourhood search on the rounded plan; a fifth of the limit stays for the
    # integer program (meetings, and the members who stay on the phone), and what follows
    # (the greedy plan beside a large centre's dive, reading the plan back) is kept
    after = _after_rounding(run, relax.inst)
    spare = min(run.until(0.8), run.until(1.0) - after)
    if len(fixed) == len(relax.inst.weeks):
        # the integer program after it decides the meetings and who stays on the phone; when
        # it is skipped the meetings are placed greedily, which cost the default week at 10 s
        # ~90 answered calls (166.7 against 73.3): the search leaves the program the time
        # `_solve_integer` asks for (its estimate, and a little to solve), when it fits
        need = _program_estimate(master, x_dive, fixed) + _program_seconds(run.time_limit)
        if run.until(1.0) - _read_back_reserve(run, relax.inst) > need:
            spare = min(spare, run.until(1.0) - after - need)
    if spare > 0.1 * run.time_limit and len(fixed) == len(relax.inst.weeks):
        x_dive, _better = improve(
            master,
            x_dive,
            time_budget=spare,
            bound=log.lower_bound,
            gap=run.gap / 2,
            size=NEIGHBOURHOOD_SIZES[seed % len(NEIGHBOURHOOD_SIZES)],
            seed=seed,
            move_meetings=MOVE_MEETINGS[seed % len(MOVE_MEETINGS)],
            progress=run.progress,
        )
    if len(relax.inst.weeks) > GREEDY_TOO_WEEKS:
        # a large centre's dive, its LPs cut short by the time limit, can round badly: the
        # greedy plan (seconds) is made too. The plans are compared as they would be returned:
        # the dive's with its meetings where its LP put them or placed greedily (which prices
        # the plan the start will hold), and the greedy plan. At 300 agents and 60 s the
        # dive's plan cost 1266.6-2066.5 with the LP's meeting positions, 788.6 with the
        # greedy placement, and the greedy plan 952.4 (docs/notes/roster.md)
        x_greedy, all_weeks = greedy(master, progress=run.progress)
        x_dive = np.pad(x_dive, (0, max(master.n_cols - len(x_dive), 0)))
        candidates = [
            (x_dive, fixed),
            (place_meetings(master, x_dive), fixed),
            (x_greedy, all_weeks),
        ]
        costs = [
            _plan_cost(relax.inst, master, plan_from_values(master, _start_values(master, x)))
            for x, _ in candidates
        ]
        return candidates[int(np.argmin(costs))]
    return x_dive, fixed


def _program_seconds(time_limit: float) -> float:
    """Seconds the neighbourhood search leaves the integer program (beyond its build):
    `PROGRAM_SHARE` of the limit, and from 20 s up growing to `PROGRAM_SECONDS` at 30 s.

    Measured with `benchmarks/roster_quality.py`'s weeks, two runs each at 30 s (answered
    calls lost; the share alone, then 6 s): 2026-W48 83.5 and 77.7 -> 73.4 twice; W49 71.5
    twice -> 71.2 and 71.5; W50 and W52 the same (64.3, 53.5). At 10 s the runs were mixed
    (W48 and W50 worse, W49 and W52 better with 2 s), so 10 s keeps its share; at 120 s the
    search ends at 80 % of the limit before this reserve matters."""
    return max(PROGRAM_SHARE * time_limit, min(PROGRAM_SECONDS, 0.6 * (time_limit - 20.0)))


def _after_rounding(run: _Run, inst: Instance) -> float:
    """Seconds the steps after the improvement take at least: the greedy plan made beside a
    large centre's dive (`GREEDY_SECONDS_PER_WEEK`) and reading the plan back."""
    weeks = len(inst.weeks)
    beside = GREEDY_SECONDS + GREEDY_SECONDS_PER_WEEK * weeks if weeks > GREEDY_TOO_WEEKS else 0
    return beside + _read_back_reserve(run, inst)


def _integer_program(
    master: Master, start: np.ndarray, fixed: set[tuple[int, str]], deadline: float
) -> RosterModel:
    """The integer program with every floor row, started from the rounded plan ``start``
    (`_start_values`); `BuildTimeout` when it cannot be built by ``deadline``."""
    add_floor_rows(master)  # the integer program sees every floor from the start
    keep = {  # patterns of fixed agent-weeks other than the fixed one are left out
        col
        for n, col in enumerate(master.pattern_col)
        if (master.patterns[n].agent, master.patterns[n].week) not in fixed or start[col] > 0.5
    }
    model = build_roster_model(master, exclude=set(master.pattern_col) - keep, deadline=deadline)
    _start_model(model, start, fixed)
    return model


def _read_back_reserve(run: _Run, inst: Instance) -> float:
    """Seconds to keep for reading the plan back, splitting its coverage and diagnosing it:
    ~1-2 s on the default week (three allocation LPs of 0.2 s, the release and the
    explanation), more with the size of the centre (`READ_BACK_SECONDS`)."""
    agent_days = len(inst.agents) * len(inst.days)
    return max(min(max(0.15 * run.time_limit, 0.5), 3.0), READ_BACK_SECONDS * agent_days)


def _program_estimate(master: Master, start: np.ndarray, fixed: set[tuple[int, str]]) -> float:
    """Seconds to build the integer program (`_integer_program`: the floor rows over every
    column, PuLP's problem over the columns it keeps) and for the solver to take it over
    (`FLOOR_ROWS_SECONDS_PER_ENTRY`, `PROGRAM_SECONDS_PER_ENTRY`; scaled by
    `SMALL_PROGRAM_FACTOR` for a small centre)."""
    entries = np.fromiter((len(rows) for rows in master.col_rows), dtype=np.int64)
    total = float(entries.sum())
    if fixed:  # a fixed agent-week keeps only its pattern in the program
        for n, col in enumerate(master.pattern_col):
            pattern = master.patterns[n]
            if start[col] <= 0.5 and (pattern.agent, pattern.week) in fixed:
                entries[col] = 0
    kept = float(entries.sum())
    estimate = FLOOR_ROWS_SECONDS_PER_ENTRY * total + 1.5 * PROGRAM_SECONDS_PER_ENTRY * kept
    small = len(master.inst.agents) <= SMALL_CENTRE_AGENTS
    return estimate * (SMALL_PROGRAM_FACTOR if small else 1.0)


def _solve_integer(
    run: _Run,
    relax: _Relaxation,
    x_dive: np.ndarray,
    fixed: set[tuple[int, str]],
    start: np.ndarray,
) -> _IntegerSolve:
    """Solve the integer program in the time left; when there is no time to build it, or no
    solver finds a plan, the rounded plan it would start from is the plan (when it is one)."""
    master = relax.master
    t_mip = time.perf_counter()
    reserve = _read_back_reserve(run, relax.inst)
    left = run.deadline - reserve - t_mip
    model = None
    # not when the program cannot be built and taken over by the solver in the time left
    # (a large centre's, 10-20 s at 2,000 agents, and 1.5 GB: `_program_estimate`)
    if left > 0.05 * run.time_limit and _program_estimate(master, start, fixed) < left:
        # building may take half of what is left (at least a fifth of the limit, up to 3 s:
        # a small week's program builds in a fraction of that, but never beyond what is
        # left); the solver needs about as long again to take the program over, and the
        # rest to solve it
        build_until = t_mip + min(max(left / 2, min(0.2 * run.time_limit, 3.0)), left)
        try:
            model = _integer_program(master, start, fixed, deadline=build_until)
        except BuildTimeout:
            model = None
    if model is None:
        return _rounded_plan(run, master, x_dive, t_mip, "built")
    build = time.perf_counter() - t_mip
    n_int = sum(1 for v in model.variables if v is not None and v.cat == pulp.LpInteger)
    run.say(
        f"solving: integer program with {run.solver}, {len(model.variables):,} "
        f"columns ({n_int:,} "
        f"integer, {len(relax.inst.weeks) - len(fixed)} agent-weeks free), "
        f"{model.problem.numConstraints():,} constraints"
    )
    # the solver's own set-up (about half the build here) is not in its time limit
    remaining = run.deadline - reserve - time.perf_counter() - 0.5 * build
    if remaining < min(0.05 * run.time_limit, 1.0) and build > max(0.05 * run.time_limit, 2.0):
        # a large program (its solver's set-up alone would overrun the limit)
        return _rounded_plan(run, master, x_dive, t_mip, "solved", model)
    remaining = max(remaining, min(0.05 * run.time_limit, 0.5))  # late: a moment still
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
        plan_cost=lambda solved: _plan_cost(relax.inst, solved, read_plan(solved)),
    )
    mip_seconds = time.perf_counter() - t_mip
    diagnostics = []
    solved = has_plan
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
                facts={"note": "improved_nothing", "solver": used},
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
                facts={"note": "other_solver", "solver": run.solver, "used": used},
            )
        )
    return _IntegerSolve(has_plan, used, mip_seconds, n_int, diagnostics, model, solved)


def _rounded_plan(
    run: _Run,
    master: Master,
    x_dive: np.ndarray,
    t_mip: float,
    what: str,
    model: RosterModel | None = None,
) -> _IntegerSolve:
    """The rounded plan as the plan, when the time left cannot take the integer program (it
    could not be ``what``: built, or solved once built): the rounding's patterns, the meetings
    placed greedily (`staffing.roster.heuristics.place_meetings`) or, for a small centre, where
    the LP put them when that plan is better, and the stays that keep a team on the phone
    (`_start_values`)."""
    n_int = 0 if model is None else sum(1 for v in model.variables if v is not None)
    note = Diagnostic(
        kind="solver",
        severity="info",
        message=(
            f"the integer program ({run.solver}) was skipped: the time limit of "
            f"{run.time_limit:g} s left no time for it to be {what} for "
            f"{len(master.inst.agents)} agents; this is the rounded plan (meetings placed "
            "and stays set by rounding; a longer --time-limit lets the solver improve it)"
        ),
        facts={
            "note": "program_skipped",
            "solver": run.solver,
            "time_limit": float(run.time_limit),
            "what": what,
            "agents": len(master.inst.agents),
        },
    )
    run.say("solving: no time left for the integer program; keeping the rounded plan")
    values = _start_values(master, place_meetings(master, x_dive))
    if len(master.inst.agents) <= SMALL_CENTRE_AGENTS:
        # the meetings where the LP with the patterns fixed puts them (at least one half),
        # when that plan is better: neither placement is always the better one (skipping the
        # program on 2026-W49 at 10 s: greedy 167.1-183.0 answered calls lost, a meeting
        # missed, against 70.8-75.9; on 2026-W48 greedy 179.4 against 909.8 once). Two
        # allocation LPs: a small centre's only (0.2-0.5 s at 34 agents)
        by_lp = _start_values(master, x_dive)
        if not np.array_equal(by_lp, values):
            inst = master.inst
            costs = [_plan_cost(inst, master, plan_from_values(master, v)) for v in (values, by_lp)]
            if costs[1] < costs[0]:
                values = by_lp
    seconds = time.perf_counter() - t_mip
    return _IntegerSolve(
        _is_complete_values(master, values),
        run.solver,
        seconds,
        n_int,
        [note],
        None,
        False,
        values,
    )


def _stats(relax: _Relaxation, mip: _IntegerSolve) -> dict[str, float]:
    """Model size, bounds and timings for `RosterResult.stats`."""
    inst, log = relax.inst, relax.log
    offset = relax.master.objective_offset
    model = mip.model
    return {
        "agents": len(inst.agents),
        "days": len(inst.days),
        "queues": len(inst.queues),
        "patterns": len(relax.master.patterns),
        "pool_rows": log.cuts,
        "rounds": log.pricing_rounds,
        "variables": sum(v is not None for v in model.variables) if model else 0,
        "binaries": mip.n_int,
        "constraints": model.problem.numConstraints() if model else 0,
        "lower_bound": log.lower_bound + offset,
        "lp_bound": log.lower_bound + offset,
        "lp_value": log.lp_value + offset,
        "column_generation_seconds": relax.seconds,
        "integer_seconds": mip.seconds,
        "integer_program": 1.0 if model is not None and mip.solved else 0.0,
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
            facts={"note": "no_plan", "solver": used, "time_limit": float(run.time_limit)},
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
    mip: _IntegerSolve,
    start: np.ndarray,
    agents: pd.DataFrame,
    diagnostics: list[Diagnostic],
    stats: dict[str, float],
) -> RosterResult:
    """The result of a plan: roster rows, coverage, objective, gap and the findings.

    Every step is linear in the size of the centre; the release of off-phone time stops at
    the deadline (the blocks placed by then stay, with a note), and so does the explanation
    of the short intervals (the worst first; the others are counted in the summary)."""
    inst = relax.inst
    t_read = time.perf_counter()
    run.say("reading the plan back")
    model = mip.model
    source: RosterModel | Master = relax.master if model is None else model
    plan = plan_from_values(relax.master, start) if model is None else read_plan(model)
    if model is not None and not relax.exact:
        # a solver cut short can return a plan worse than the rounded one it started from
        # (the start refused, or its own incumbent kept): the better of the two is kept
        rounded = plan_from_values(relax.master, start)
        if _plan_cost(inst, relax.master, rounded) < _plan_cost(inst, model, plan) - 1e-6:
            plan, source = rounded, relax.master
            diagnostics.append(
                Diagnostic(
                    kind="solver",
                    severity="info",
                    message=(
                        f"{mip.used}'s plan in the time limit was worse than the rounded plan "
                        "it started from; the rounded plan is kept"
                    ),
                    facts={"note": "rounded_kept", "solver": mip.used},
                )
            )
    phone = phone_matrix(inst, plan)
    # the release may take the time up to the deadline less what the steps after it need
    # (at least a little; the blocks placed by then stay)
    after = 0.5 * _read_back_reserve(run, inst)  # late: a moment still
    until = max(run.deadline - after, time.perf_counter() + min(0.05 * run.time_limit, 1.0))
    if not release_off_phone(inst, plan, phone=phone, deadline=until):
        diagnostics.append(_release_note(run, plan))
    if plan.off_phone:
        phone = phone_matrix(inst, plan)
    roster = roster_rows(inst, plan)
    coverage, shortfall_cost = allocate(inst, plan, phone=phone)
    parts = objective_parts(source, plan, coverage, shortfall_cost, phone=phone)
    objective = float(sum(parts.values()))
    bound = relax.bound
    if model is not None and relax.exact and math.isfinite(model.proven_bound):
        # the program held every pattern: the solver's bound (branch and bound, cuts) bounds
        # the whole problem and is at least as strong as the LP's
        bound = max(bound, model.proven_bound)
        stats["lower_bound"] = bound
    gap_value = max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    status = "optimal" if gap_value <= run.gap + 1e-9 else "feasible"
    diagnostics.extend(_meeting_facts(source, plan, meeting_diagnostics(source, plan)))
    diagnostics.extend(_explain(run, inst, plan, phone, coverage, roster, agents))
    stats["read_back_seconds"] = time.perf_counter() - t_read
    return RosterResult(
        status=status,
        objective=objective,
        gap=gap_value,
        solver=mip.used,
        seconds=run.elapsed(),
        roster=roster,
        coverage=coverage,
        diagnostics=tuple(diagnostics),
        objective_parts=parts,
        stats=stats,
    )


def _explain(
    run: _Run,
    inst: Instance,
    plan: Plan,
    phone: dict[tuple[int, int], np.ndarray],
    coverage: pd.DataFrame,
    roster: pd.DataFrame,
    agents: pd.DataFrame,
) -> list[Diagnostic]:
    """The team floor's gaps and the short runs explained, in the time left.

    Explaining a run reads where each skilled agent (each member) is at its worst interval
    (`staffing.roster.diagnose`, ~1 ms an agent). Only the roster rows of the agents that
    are read are passed (the same findings, less to group). When the runs would take longer
    than the time left (at least a little), the runs shortest of agents are left out: only
    those at least N agents short are explained, with a note (the summary still counts
    every interval short), and the team gaps beyond what fits are counted in a note."""
    out: list[Diagnostic] = []
    least = min(0.05 * run.time_limit, 1.0)  # when the time is up: a moment still
    budget = max(run.deadline - time.perf_counter(), least)
    gaps = team_gaps(inst, plan, phone=phone)
    if gaps:
        size = max(len(members) for members in inst.teams.values())
        fits = max(int(0.25 * budget / (EXPLAIN_SECONDS_PER_AGENT * size)), 1)
        teams = {team for team, _start, _end in gaps[:fits]}
        ids = {inst.agents[a].agent_id for team in teams for a in inst.teams[team]}
        out.extend(explain_team_floor(gaps[:fits], _rows_of(roster, ids), agents))
        if len(gaps) > fits:
            more = len(gaps) - fits
            out.append(
                _time_note(
                    run,
                    f"{more} more runs of a team off the phone",
                    {"unexplained": "team_runs", "runs": more},
                )
            )
        budget = max(run.deadline - time.perf_counter(), least)
    runs = _ShortRuns(inst, coverage)
    shortest, empty = runs.fitting(budget)
    cov = coverage
    if empty is not None:  # empty-queue runs beyond those that fit: not explained
        cov = coverage.copy()
        cov["in_window"] = coverage["in_window"].to_numpy() & empty
    queues = runs.queues(shortest, empty)
    ids = {a.agent_id for a in inst.agents if queues & set(a.skills)}
    out.extend(
        explain_coverage(
            cov,
            _rows_of(roster, ids),
            agents,
            min_shortfall=shortest,
            interval_minutes=inst.rules.interval_minutes,
        )
    )
    if shortest > 0.5 or empty is not None:
        what = ""
        if shortest > 0.5:
            what = (
                "the short runs"
                if shortest == math.inf
                else f"the runs less than {shortest:g} agents short"
            )
        if empty is not None:
            what += (" and " if what else "") + "some runs of a queue with nobody on the phone"
        facts = {
            "unexplained": "short_runs",
            "short": shortest > 0.5,
            "shortest": None if shortest == math.inf else float(shortest),
            "empty": empty is not None,
        }
        out.append(_time_note(run, what + " (the summary counts every interval short)", facts))
    return out


#: Seconds to explain one agent's whereabouts in a short run or a team gap
#: (`staffing.roster.diagnose`: pandas per agent), measured on the 2-core benchmark machine.
EXPLAIN_SECONDS_PER_AGENT = 0.0012


def _rows_of(roster: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    """The roster rows of the agents ``ids``."""
    return roster[roster["agent_id"].isin(ids)]


def _time_note(run: _Run, what: str, facts: Mapping[str, object]) -> Diagnostic:
    """A note that the time limit left ``what`` unexplained (``facts``: which runs, see
    `_explain`)."""
    return Diagnostic(
        kind="solver",
        severity="info",
        message=(
            f"the time limit of {run.time_limit:g} s left no time to explain {what}; "
            "a longer --time-limit explains them all"
        ),
        facts={"note": "unexplained", "time_limit": float(run.time_limit), **facts},
    )


def _meeting_facts(
    model: RosterModel | Master, plan: Plan, diagnostics: list[Diagnostic]
) -> list[Diagnostic]:
    """``diagnostics`` of `meeting_diagnostics` with their facts: a ``meeting_stay`` gets the
    meeting's name, team, date, times, the agent who stays and whether teams are kept on the
    phone; a ``missed_meeting`` its name, attendees (``team`` or ``agent``), who, week and why
    (``no_time``: no time outside the blocked hours; ``no_position``: no possible time).
    Made in the order `meeting_diagnostics` makes them (the stays, then the meetings not
    placed); a diagnostic that does not match is returned as it is."""
    inst = model.inst if isinstance(model, Master) else model.instance
    placed = {m for m, _ in plan.meetings}
    facts: list[tuple[str, str | None, dict[str, object]]] = []
    for m, i, a in sorted(plan.stays):
        occ = inst.meetings[m]
        d, p = occ.positions[i]
        day = inst.days[d]
        start, end = day.timestamp(p), day.timestamp(p + occ.length)
        agent = inst.agents[a].agent_id
        fact: dict[str, object] = {
            "meeting": occ.rule.name,
            "team": occ.team,
            "date": day.date.isoformat(),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
            "agent": agent,
            "teams": bool(inst.teams),
        }
        facts.append(("meeting_stay", agent, fact))
    for m, occ in enumerate(inst.meetings):
        if m in placed:
            continue
        team = occ.rule.attendees == "team"
        missed: dict[str, object] = {
            "meeting": occ.rule.name,
            "attendees": "team" if team else "agent",
            "who": occ.team if team else occ.key.split()[-2],
            "week": occ.week,
            "why": "no_time" if occ.positions else "no_position",
        }
        facts.append(("missed_meeting", None, missed))
    if len(facts) != len(diagnostics):
        return diagnostics
    out = []
    for diagnostic, (kind, agent_id, found) in zip(diagnostics, facts, strict=True):
        if diagnostic.kind == kind and diagnostic.agent_id == agent_id:
            diagnostic = dataclasses.replace(diagnostic, facts=found)
        out.append(diagnostic)
    return out


class _ShortRuns:
    """The runs `explain_coverage` would explain, counted fast to see what fits in the time:
    per queue and day, consecutive intervals at least so many agents short, or inside the
    queue's window with nobody skilled on the phone."""

    LADDER = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0, 55.0, 89.0, math.inf)

    def __init__(self, inst: Instance, coverage: pd.DataFrame) -> None:
        req = inst.requirement
        order = np.lexsort((req["slot"].to_numpy(), req["day"].to_numpy(), req["queue"]))
        self.order = order
        self.queue = req["queue"].to_numpy()[order]
        day = req["day"].to_numpy()[order]
        slot = req["slot"].to_numpy()[order]
        follows = np.zeros(len(order), dtype=bool)
        follows[1:] = (
            (self.queue[1:] == self.queue[:-1])
            & (day[1:] == day[:-1])
            & (slot[1:] == slot[:-1] + 1)
        )
        self.follows = follows
        self.shortfall = coverage["shortfall"].to_numpy(dtype=float)[order]
        present = coverage["skilled_on_phone"].to_numpy(dtype=float)[order]
        self.empty = coverage["in_window"].to_numpy(dtype=bool)[order] & (present < 1 - 1e-6)
        skilled: dict[str, int] = defaultdict(int)
        for agent in inst.agents:
            for q in agent.skills:
                skilled[q] += 1
        self.cost = np.asarray([skilled.get(q, 0) for q in self.queue], dtype=float)
        self.cost = EXPLAIN_SECONDS_PER_AGENT * np.maximum(self.cost, 1.0)

    def _starts(self, flag: np.ndarray) -> np.ndarray:
        """Where runs of ``flag`` start (positions in the sorted order)."""
        previous = np.zeros(len(flag), dtype=bool)
        previous[1:] = flag[:-1]
        return np.flatnonzero(flag & ~(previous & self.follows))

    def fitting(self, budget: float) -> tuple[float, np.ndarray | None]:
        """The smallest shortfall whose runs fit in ``budget`` seconds with the empty-queue
        runs, and (when not all empty-queue runs fit) which rows may still count as inside
        their window (in the coverage's order), else None."""
        empty_starts = self._starts(self.empty)
        empty_cost = float(self.cost[empty_starts].sum())
        for shortest in self.LADDER:
            short = self.shortfall >= shortest - 1e-9
            cost = float(self.cost[self._starts(short)].sum()) if shortest < math.inf else 0.0
            if cost + empty_cost <= budget:
                return shortest, None
        # not even the empty-queue runs fit: the first ones that do
        keep = np.cumsum(self.cost[empty_starts]) <= budget
        run_id = np.cumsum(np.isin(np.arange(len(self.empty)), empty_starts)) - 1
        allowed = self.empty & np.isin(run_id, np.flatnonzero(keep))
        inside = np.ones(len(self.empty), dtype=bool)
        inside[self.empty & ~allowed] = False
        out = np.empty(len(inside), dtype=bool)
        out[self.order] = inside
        return math.inf, out

    def queues(self, shortest: float, empty: np.ndarray | None) -> set[str]:
        """The queues with a run to explain."""
        flag = self.shortfall >= shortest - 1e-9
        if empty is None:
            flag |= self.empty
        else:
            flag |= self.empty & empty[self.order]
        return set(self.queue[flag].tolist())


def _plan_cost(inst: Instance, source: RosterModel | Master, plan: Plan) -> float:
    """The objective of ``plan`` (before any off-phone time is released, which the objective
    counts as phone time anyway)."""
    phone = phone_matrix(inst, plan)
    coverage, shortfall_cost = allocate(inst, plan, phone=phone)
    return float(sum(objective_parts(source, plan, coverage, shortfall_cost, phone=phone).values()))


def _release_note(run: _Run, plan: Plan) -> Diagnostic:
    """The note when the time limit cut the release of off-phone time short."""
    placed = sum(len(blocks) for blocks in plan.off_phone.values())
    return Diagnostic(
        kind="solver",
        severity="info",
        message=(
            f"the time limit of {run.time_limit:g} s cut the release of off-phone time short: "
            f"{placed} off-phone blocks placed, the rest of the phone time the requirement "
            "does not need stays on the phone (a longer --time-limit releases all of it)"
        ),
        facts={"note": "release_cut", "time_limit": float(run.time_limit), "blocks": placed},
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


def _is_complete_values(master: Master, start: np.ndarray) -> bool:
    """Whether the column values ``start`` give every agent-week that has patterns one."""
    needed, chosen = set(), set()
    for n, col in enumerate(master.pattern_col):
        key = (master.patterns[n].agent, master.patterns[n].week)
        needed.add(key)
        if start[col] > 0.5:
            chosen.add(key)
    return bool(needed) and chosen == needed


def _start_values(master: Master, x: np.ndarray) -> np.ndarray:
    """The rounded plan as values of the master's columns (the integer program's start).

    Patterns come from the dive (for a free agent-week its largest); each meeting takes the
    position the dive kept, and a member stays on the phone exactly when their pattern is not
    free then; during a team meeting that would take the whole team off the phone in its
    phone hours one member stays (`_stay_for_team_floor`). Meetings, stays and missed meetings
    held by a lock (`staffing.roster.warm.fix_locked_meetings`: equal column bounds) keep
    their held value whatever the rounding says. Columns other than patterns, meetings, stays
    and missed meetings are 0 (the solver completes them).
    """
    x = np.pad(np.asarray(x, dtype=float), (0, max(master.n_cols - len(x), 0)))
    values = np.zeros(master.n_cols)
    held = {
        j: master.col_lo[j]
        for j, kind in enumerate(master.col_kind)
        if kind in ("meeting", "skip", "miss") and master.col_lo[j] == master.col_hi[j]
    }
    best: dict[tuple[int, str], int] = {}
    for n, col in enumerate(master.pattern_col):
        pattern = master.patterns[n]
        key = (pattern.agent, pattern.week)
        if key not in best or x[col] > x[best[key]]:
            best[key] = col
    chosen: dict[int, set[int]] = defaultdict(set)
    for key, col in best.items():
        chosen[key[0]].add(col)
        values[col] = 1.0
    placed: dict[int, int] = {  # the meetings held where a lock pinned them first
        master.col_key[j][0]: master.col_key[j][1]
        for j, value in held.items()
        if master.col_kind[j] == "meeting" and value > 0.5
    }
    for j, kind in enumerate(master.col_kind):
        if j in held:
            values[j] = held[j]
        elif kind == "meeting":
            mi, i = master.col_key[j]
            on = x[j] >= 0.5 and mi not in placed
            values[j] = 1.0 if on else 0.0
            if on:
                placed[mi] = i
    on_shift: set[int] = set()  # the stay columns of members on shift at their meeting
    for j, kind in enumerate(master.col_kind):
        if j in held:
            continue  # a locked attendee attends or stays as locked (not one to move)
        if kind == "skip":
            mi, i, a = master.col_key[j]
            stay = 0.0
            if placed.get(mi) == i:
                row = master.row_of.get(("attend", mi, i, a))
                free = any(row in set(master.col_rows[c].tolist()) for c in chosen[a])
                stay = 0.0 if free else 1.0
                if free:
                    on_shift.add(j)
            values[j] = stay
        elif kind == "miss":
            values[j] = 0.0 if master.col_key[j][0] in placed else 1.0
    _stay_for_team_floor(master, values, x, placed, on_shift)
    return values


def _start_model(model: RosterModel, start: np.ndarray, fixed: set[tuple[int, str]]) -> None:
    """Give the program's integer variables (patterns, meetings, stays, missed meetings) their
    values in the rounded plan ``start`` and fix the dive's agent-weeks."""
    master = model.master
    for n, col in enumerate(master.pattern_col):
        var = model.variables[col]
        if var is None:
            continue
        pattern = master.patterns[n]
        var.varValue = float(start[col])
        if (pattern.agent, pattern.week) in fixed:
            var.lowBound = var.upBound = var.varValue
    for j, kind in enumerate(master.col_kind):
        var = model.variables[j]
        if var is not None and kind in ("meeting", "skip", "miss"):
            var.varValue = float(start[j])


def _stay_for_team_floor(
    master: Master,
    values: np.ndarray,
    x: np.ndarray,
    placed: dict[int, int],
    on_shift: set[int],
) -> None:
    """In the start plan, one member stays on the phone during each placed team meeting that
    would take the whole team off it in its phone hours (the team floor): of the members on
    shift then (``on_shift``: their stay columns), the one whose ``stay`` the LP liked best.
    Without it the start would pay the team floor for the meeting and the plan depend on the
    solver finding the swap in its time. (A member not on shift then who "stays" keeps nobody
    on the phone.)"""
    stays: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j, kind in enumerate(master.col_kind):
        if kind == "skip":
            mi, i, _a = master.col_key[j]
            stays[(mi, i)].append(j)
    for mi, i in placed.items():
        occ = master.inst.meetings[mi]
        cols = [c for c in stays.get((mi, i), []) if c in on_shift]
        if occ.rule.attendees != "team" or not cols:
            continue
        d, p = occ.positions[i]
        if not any((occ.team, d, j) in master.team_empty for j in range(p, p + occ.length)):
            continue  # not in the team's phone hours
        if any(values[c] > 0.5 for c in cols):
            continue
        best = max(cols, key=lambda c: x[c] if c < len(x) else 0.0)
        values[best] = 1.0


# ---------------------------------------------------------------------------------------------
# Re-optimizing from the current roster (issue 16, point 2)
# ---------------------------------------------------------------------------------------------
#: A re-optimization stops when the plan is within this many answered calls of the lower
#: bound (or within the relative gap asked for), its column generation when the LP is, and the
#: neighbourhood search after this many rounds in a row without a better plan.
WARM_ENOUGH_CALLS = 1.0
WARM_PATIENCE = 8


def _solve_warm(
    run: _Run,
    requirements: pd.DataFrame,
    agents: pd.DataFrame,
    rules: ShiftRules | None,
    calendar: Any,
    locks: pd.DataFrame | None,
    roster: pd.DataFrame,
) -> RosterResult:
    """`solve_roster` from the current ``roster`` (`staffing.roster.warm`).

    The roster's agent-weeks are pattern columns of the master from the start, the meetings
    pinned by locked blocks are held there with every locked attendee as locked, and column
    generation runs until it converges or its LP is within `WARM_ENOUGH_CALLS` of its bound
    (around the locks only the free agent-weeks price new patterns: a few rounds). When the
    program can keep every generated pattern, the integer program over all of them starts
    from the roster's plan; otherwise a neighbourhood search over the agent-weeks that can
    change starts from it (stopping after `WARM_PATIENCE` rounds without a better plan) and
    the program places the meetings around its plan. The solver
    stops at the relative gap asked for or within `WARM_ENOUGH_CALLS` answered calls of the
    bound (``gap=0``: only at a proven optimum). The plan returned is the better of the
    solver's and the start, so never worse than the roster (measured by the same objective).
    """
    inst, master = _build(run, requirements, agents, rules, calendar, locks)
    warm = warm_start(master, roster)
    t_cg = time.perf_counter()
    log = column_generation(
        master,
        time_budget=max(run.until(0.35), 0.05 * run.time_limit),
        gap=run.gap,
        # within an answered call of the bound, more patterns cannot pay for the rounds: the
        # app's re-optimization of 2026-W48 stopped after 2 rounds, not 15 (1.05 s, not 1.5 s;
        # docs/notes/roster.md)
        enough=WARM_ENOUGH_CALLS if run.gap > 0 else 0.0,
        progress=run.progress,
    )
    log.lower_bound = max(log.lower_bound, trivial_bound(master).lower_bound)
    relax = _Relaxation(
        inst,
        master,
        log,
        time.perf_counter() - t_cg,
        log.enumerated_weeks == len(inst.weeks),
    )
    start = np.pad(warm.values, (0, master.n_cols - len(warm.values)))
    start_cost = plan_cost(master, start) if warm.complete else math.inf
    run.say(
        f"solving: lower bound {relax.bound:.1f} after {log.pricing_rounds} rounds, "
        f"{len(master.patterns)} patterns; rounding"
    )
    mip_gap = run.gap / 2
    if run.gap > 0 and math.isfinite(start_cost):
        mip_gap = min(max(mip_gap, WARM_ENOUGH_CALLS / max(abs(start_cost), 1.0)), 0.5)
    fixed: set[tuple[int, str]] = set()
    # the program keeps every generated pattern when they are few (converged or not: it
    # starts from the roster's complete plan, not from a fractional LP)
    whole = relax.exact or (
        (log.converged or warm.complete) and len(master.patterns) <= FULL_PROGRAM_PATTERNS
    )
    if not whole and warm.complete and log.solved:
        # too many patterns for the program: search around the start plan, then the program
        # places the meetings around the plan found
        x = fix_plan(master, start, deadline=run.started + 0.8 * run.time_limit)
        x, better = improve(
            master,
            x,
            time_budget=max(run.until(0.8), 0.0),
            bound=log.lower_bound,
            gap=mip_gap,
            patience=WARM_PATIENCE,
            movable=movable_weeks(master),
            progress=run.progress,
        )
        if better:
            start = _start_values(master, x)
            for j, kind in enumerate(master.col_kind):  # what the locks fix stays fixed
                if kind in ("meeting", "skip", "miss") and master.col_lo[j] == master.col_hi[j]:
                    start[j] = master.col_lo[j]
        fixed = {(p.agent, p.week) for p in inst.weeks}
    elif not whole:
        x_dive, fixed = _round(run, relax)
        start = _start_values(master, x_dive)
    mip = _solve_integer(dataclasses.replace(run, gap=mip_gap), relax, start, fixed, start)
    if mip.model is not None and relax.exact and math.isfinite(mip.model.proven_bound):
        log.lower_bound = max(log.lower_bound, mip.model.proven_bound - master.objective_offset)
    stats = _stats(relax, mip)
    stats["start_objective"] = start_cost
    stats["warm_weeks_kept"] = warm.kept
    stats["warm_weeks_changed"] = len(warm.repaired)
    mip = _no_worse(mip, master, warm.values, start_cost)
    diagnostics = list(inst.diagnostics) + relax.notes + mip.diagnostics
    if not mip.has_plan:
        return _no_solution(run, mip.used, diagnostics, stats)
    values = start if mip.values is None else mip.values
    return _read_back(run, relax, mip, values, agents, diagnostics, stats)


def _no_worse(
    mip: _IntegerSolve, master: Master, warm: np.ndarray, warm_cost: float
) -> _IntegerSolve:
    """The better of the solver's plan in ``mip`` and the warm start plan ``warm`` (cost
    ``warm_cost``), as column values (``model`` None: the read-back takes the values; the
    solver's bound is already in the log). The start when there is no other plan."""
    values = None
    if mip.has_plan and mip.model is not None:
        model = mip.model
        values = np.asarray([model.value(j) for j in range(len(model.variables))])
    elif mip.has_plan:
        values = mip.values
    if not math.isfinite(warm_cost):
        return mip if values is None else dataclasses.replace(mip, model=None, values=values)
    start = np.pad(warm, (0, master.n_cols - len(warm)))
    if values is not None:
        same = all(  # the same plan: the same cost, no need to measure it
            (values[j] > 0.5) == (start[j] > 0.5)
            for j, kind in enumerate(master.col_kind)
            if kind in ("pattern", "meeting", "skip")
        )
        if same or plan_cost(master, values) <= warm_cost + 1e-6:
            return dataclasses.replace(mip, model=None, values=values)
    note = Diagnostic(
        kind="solver",
        severity="info",
        message=(
            "the re-optimization found no plan better than the current one in its time; "
            "the current plan is kept"
        ),
        facts={"note": "start_kept", "solver": mip.used},
    )
    return dataclasses.replace(
        mip,
        has_plan=True,
        model=None,
        solved=False,
        values=start,
        diagnostics=[*mip.diagnostics, note],
    )
