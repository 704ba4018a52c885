"""`vagtplan simulate`: what a roster will deliver against a forecast, by discrete-event simulation.

Reads a roster (``agent_id, date, start, end, activity``), a forecast (``interval_start, queue,
offered, [offered_lo, offered_hi,] aht_seconds``) and the agents (``agent_id, skills, ...``),
runs `staffing.simulation.engine.simulate` and writes the KPI table of DESIGN.md to ``--out``:
``queue, date[, interval_start], offered, answered, abandoned, abandoned_short, transferred,
answer_rate, service_level, asa_seconds`` (each rate with ``_lo``/``_hi`` 95 % confidence
bounds), followed by ``abandon_rate`` and ``fcr`` with theirs.

With ``--uncertainty`` each replication draws the days' volumes from the forecast's 80 %
prediction interval, and ``<out>_sla.csv`` gets the probability that each day and the whole
period meet the SLA. With ``--scenario S.toml`` (format: `planner.scenarios`) the base plan and
every scenario are simulated with the same seed; ``--out`` then has a leading ``scenario``
column, and ``<out>_comparison.csv`` (answer rate, wait, abandonment per queue and day side by
side), ``<out>_misses.csv`` (intervals missing the SLA) and ``<out>_summary.csv`` are written
beside it; scenarios with ``reroster = true`` are re-planned by the roster optimizer
(`planner.scenarios.optimizer_reroster`: Erlang A requirements for the goals, then
`staffing.roster.solve.solve_roster` with ``--rules``). Progress goes to stderr; a short summary to
stdout.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.io.tables import load_table, parse_times, write_csv
from planner.scenarios import BASE, load_scenarios, optimizer_reroster, run_scenarios
from staffing import kpi
from staffing.simulation.engine import ACTIVITIES, HANDLE_TIMES, ROUTINGS, simulate
from staffing.simulation.scenarios import PlanInputs

__all__ = ["register", "run", "read_forecast", "read_roster", "read_agents", "read_rules"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``simulate`` subcommand."""
    parser = subparsers.add_parser(
        "simulate",
        help="simulate a roster against a forecast: answer rate, wait, abandonment with CIs",
        description=(
            "Discrete-event simulation (SimPy) of a roster against a forecast: Poisson arrivals "
            "per queue and interval, skill-based routing to the agents on the phone, caller "
            "patience, transfers, lunches and meetings from the roster. Writes the KPI table "
            "per queue and day (or interval) with 95 %% confidence intervals over the "
            "replications."
        ),
    )
    parser.add_argument("--roster", required=True, type=Path, help="roster file (CSV/xlsx)")
    parser.add_argument("--forecast", required=True, type=Path, help="forecast file")
    parser.add_argument("--agents", required=True, type=Path, help="agents file (skills)")
    parser.add_argument("--out", required=True, type=Path, help="KPI table to write (CSV)")
    parser.add_argument(
        "--replications", type=int, default=30, help="independent replications (default: 30)"
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=None,
        help="mean caller patience in seconds, all queues (default: per queue, centre.queues)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--by",
        choices=("day", "interval"),
        default="day",
        help="one row per queue and day (default) or per queue and interval",
    )
    parser.add_argument(
        "--scenario", type=Path, default=None, help="TOML file of what-if scenarios"
    )
    parser.add_argument(
        "--rules",
        type=Path,
        default=None,
        help="shift rules (TOML) for scenarios with reroster = true (default: built-in rules)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        help="seconds for the roster optimizer per re-rostered scenario (default: 60)",
    )
    parser.add_argument(
        "--uncertainty",
        action="store_true",
        help="draw each day's volume from the forecast's 80 %% interval; write P(meet SLA)",
    )
    parser.add_argument(
        "--sick-rate",
        type=float,
        default=0.0,
        help="probability that an agent-day is lost to sickness (default: 0)",
    )
    parser.add_argument(
        "--day-cv",
        type=float,
        default=0.0,
        help="day-level overdispersion of arrivals, coefficient of variation (default: 0)",
    )
    parser.add_argument(
        "--routing", choices=ROUTINGS, default="primary_first", help="routing policy"
    )
    parser.add_argument(
        "--handle-time",
        choices=HANDLE_TIMES,
        default="lognormal",
        help="handle-time distribution (default: lognormal, CV 1)",
    )
    parser.add_argument(
        "--answer-rate", type=float, default=0.92, help="answer-rate goal (default: 0.92)"
    )
    parser.add_argument(
        "--asa", type=float, default=150.0, help="average-wait goal in seconds (default: 150)"
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=20.0,
        help="service-level threshold in seconds (default: 20)",
    )
    parser.set_defaults(func=run)


# --- reading the contracts ------------------------------------------------------------------


def _columns(frame: pd.DataFrame, label: str, required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise InputError(
            f"{label}: missing column '{missing[0]}'; expected columns {', '.join(required)} "
            f"(found {found})"
        )


def _numbers(
    frame: pd.DataFrame, rows: np.ndarray, label: str, column: str, *, low: float
) -> pd.Series:
    raw = frame[column]
    text = raw.astype(str).str.strip().str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() | ~np.isfinite(values) | (values < low)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{label}: row {rows[pos]}, column '{column}': found {raw.iloc[pos]!r}; "
            f"expected a number >= {low:g}"
        )
    return values.astype(float)


def read_forecast(path: Path, *, uncertainty: bool = False) -> pd.DataFrame:
    """The forecast contract, checked: tz-aware times, numbers >= 0, lo <= offered <= hi."""
    table = load_table(path)
    frame, label = table.frame, table.name
    required = ("interval_start", "queue", "offered", "aht_seconds")
    if uncertainty:
        required += ("offered_lo", "offered_hi")
    _columns(frame, label, required)
    out = pd.DataFrame(
        {
            "interval_start": parse_times(
                frame["interval_start"],
                label=label,
                column="interval_start",
                groups=frame["queue"],
                first_row=2,
            ),
            "queue": frame["queue"].astype(str).str.strip(),
        }
    )
    for col in ("offered", "offered_lo", "offered_hi", "aht_seconds"):
        if col in frame.columns:
            out[col] = _numbers(frame, table.rows, label, col, low=0.0)
    if uncertainty:
        bad = (out["offered_lo"] > out["offered"] + 1e-9) | (
            out["offered_hi"] < out["offered"] - 1e-9
        )
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"{label}: row {table.rows[pos]}: expected offered_lo <= offered <= offered_hi; "
                f"found {out['offered_lo'].iloc[pos]:g}, {out['offered'].iloc[pos]:g}, "
                f"{out['offered_hi'].iloc[pos]:g}"
            )
    dup = out.duplicated(["interval_start", "queue"])
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(
            f"{label}: row {table.rows[pos]}: a second row for queue '{out['queue'].iloc[pos]}' "
            f"at {out['interval_start'].iloc[pos].isoformat()}; expected one row per queue and "
            "interval"
        )
    return out


def read_roster(path: Path) -> pd.DataFrame:
    """The roster contract, checked: known activities, tz-aware start < end."""
    table = load_table(path)
    frame, label = table.frame, table.name
    _columns(frame, label, ("agent_id", "date", "start", "end", "activity"))
    out = pd.DataFrame({"agent_id": frame["agent_id"].astype(str).str.strip()})
    for col in ("start", "end"):
        out[col] = parse_times(frame[col], label=label, column=col, first_row=2)
    dates = pd.to_datetime(frame["date"].astype(str).str.strip(), errors="coerce", format="ISO8601")
    if dates.isna().any():
        pos = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(
            f"{label}: row {table.rows[pos]}, column 'date': found {frame['date'].iloc[pos]!r}; "
            "expected a date like 2026-03-02"
        )
    out.insert(1, "date", dates.dt.date)
    activity = frame["activity"].astype(str).str.strip().str.lower()
    bad = ~activity.isin(ACTIVITIES)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{label}: row {table.rows[pos]}, column 'activity': found "
            f"{frame['activity'].iloc[pos]!r}; expected one of {', '.join(ACTIVITIES)}"
        )
    out["activity"] = activity
    bad = out["end"] <= out["start"]
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{label}: row {table.rows[pos]}: end {out['end'].iloc[pos].isoformat()} is not "
            f"after start {out['start'].iloc[pos].isoformat()}"
        )
    return out


def read_agents(path: Path) -> pd.DataFrame:
    """The agents contract, checked: unique ``agent_id``, ``skills`` present."""
    table = load_table(path)
    frame, label = table.frame, table.name
    _columns(frame, label, ("agent_id", "skills"))
    out = frame.copy()
    out["agent_id"] = out["agent_id"].astype(str).str.strip()
    out["skills"] = out["skills"].fillna("").astype(str)
    dup = out["agent_id"].duplicated()
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(
            f"{label}: row {table.rows[pos]}, column 'agent_id': agent "
            f"'{out['agent_id'].iloc[pos]}' appears twice; expected one row per agent"
        )
    return out


def read_rules(path: Path):  # noqa: ANN201 - staffing.roster.rules.ShiftRules
    """Shift rules from a TOML file (`staffing.roster.rules.ShiftRules.from_mapping`)."""
    from staffing.roster.rules import ShiftRules

    try:
        document = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"{path.name}: file not found") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path.name}: not valid TOML ({exc})") from None
    try:
        return ShiftRules.from_mapping(document)
    except ValueError as exc:
        raise InputError(f"{path.name}: {exc}") from None


def _check_agents(roster: pd.DataFrame, agents: pd.DataFrame, roster_label: str) -> None:
    known = set(agents["agent_id"])
    unknown = ~roster["agent_id"].isin(known)
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            f"{roster_label}: row {pos + 2}, column 'agent_id': agent "
            f"'{roster['agent_id'].iloc[pos]}' is not in the agents file"
        )


# --- running ----------------------------------------------------------------------------------


def _progress(total: int, desc: str):  # noqa: ANN202 - a tqdm bar or a no-op
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc=desc, file=sys.stderr, unit="rep", leave=False)


def _sibling(out: Path, suffix: str) -> Path:
    return out.with_name(f"{out.stem}_{suffix}{out.suffix or '.csv'}")


def _round(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            digits = (
                2
                if col.startswith(
                    ("asa_seconds", "offered", "answered", "abandoned", "transferred")
                )
                else 4
            )
            out[col] = out[col].round(digits)
    return out


def run(args: argparse.Namespace) -> int:
    """Run the simulation (and scenarios) and write the tables."""
    if args.replications < 1:
        raise InputError(f"--replications must be at least 1; got {args.replications}")
    if args.patience is not None and not args.patience > 0:
        raise InputError(f"--patience must be > 0 seconds; got {args.patience:g}")
    goals = kpi.SlaGoals(
        answer_rate=args.answer_rate, asa_seconds=args.asa, threshold=args.threshold
    )
    forecast = read_forecast(args.forecast, uncertainty=args.uncertainty)
    roster = read_roster(args.roster)
    agents = read_agents(args.agents)
    _check_agents(roster, agents, args.roster.name)
    options = {
        "replications": args.replications,
        "seed": args.seed,
        "patience": args.patience,
        "handle_time": args.handle_time,
        "routing": args.routing,
        "day_cv": args.day_cv,
        "sick_rate": args.sick_rate,
        "uncertainty": args.uncertainty,
    }
    out: Path = args.out
    if args.scenario is None:
        bar = _progress(args.replications, "simulating")
        result = simulate(
            roster,
            forecast,
            agents,
            goals=goals,
            threshold=goals.threshold,
            short_abandon=goals.short_abandon,
            progress=(lambda done, total: bar.update(1)) if bar is not None else None,
            **options,
        )
        if bar is not None:
            bar.close()
        table = result.kpi_table(by=args.by)
        write_csv(_round(table), out)
        week = result.kpi_table(by="total", total=True)
        centre = week[week["queue"] == kpi.ALL_QUEUES].iloc[0]
        print(
            f"wrote {out} ({len(table)} rows). Whole period, all queues: answer rate "
            f"{centre.answer_rate:.1%} [{centre.answer_rate_lo:.1%}, {centre.answer_rate_hi:.1%}], "
            f"average wait {centre.asa_seconds:.0f} s, abandoned {centre.abandon_rate:.1%} "
            f"({args.replications} replications, seed {args.seed})"
        )
        if args.uncertainty:
            prob = result.sla_probability(goals)
            path = _sibling(out, "sla")
            write_csv(_round(prob), path)
            p = prob[(prob["period"] == "all") & (prob["queue"] == kpi.ALL_QUEUES)].iloc[0]
            print(
                f"with forecast uncertainty the plan meets the service goals for the whole "
                f"period with probability {p.p_meet:.2f} [{p.p_meet_lo:.2f}, {p.p_meet_hi:.2f}]; "
                f"per day in {path}"
            )
        return 0

    scenarios = load_scenarios(args.scenario, agents=agents, forecast=forecast)
    base = PlanInputs(forecast=forecast, roster=roster, agents=agents, goals=goals)
    reroster = None
    if any(s.reroster for s in scenarios):
        rules = read_rules(args.rules) if args.rules is not None else None
        reroster = optimizer_reroster(
            rules=rules, patience=args.patience, time_limit=args.time_limit
        )
        print("re-rostering scenarios with the roster optimizer", file=sys.stderr)
    total = args.replications * (len(scenarios) + 1)
    bar = _progress(total, "simulating scenarios")
    comparison = run_scenarios(
        base,
        scenarios,
        reroster=reroster,
        progress=(lambda name, done, n: bar.update(1)) if bar is not None else None,
        **options,
    )
    if bar is not None:
        bar.close()
    table = comparison.kpi_table(by=args.by)
    write_csv(_round(table), out)
    write_csv(_round(comparison.side_by_side(by="day")), _sibling(out, "comparison"))
    write_csv(_round(comparison.misses()), _sibling(out, "misses"))
    summary = comparison.summary()
    write_csv(_round(summary), _sibling(out, "summary"))
    print(f"wrote {out} and its _comparison, _misses and _summary tables")
    for row in summary.itertuples(index=False):
        label = "base plan" if row.scenario == BASE else row.scenario
        print(
            f"  {label}: answer rate {row.answer_rate:.1%}, average wait "
            f"{row.asa_seconds:.0f} s, abandoned {row.abandon_rate:.1%}, P(week meets SLA) "
            f"{row.p_meet_week:.2f}, intervals missing the SLA {row.intervals_missing_sla}"
        )
    return 0
