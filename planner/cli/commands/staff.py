"""`vagtplan staff`: agents needed per queue and interval for the service targets.

``vagtplan staff --forecast F --out R.csv [--answer-rate 0.92] [--asa 150]
[--over interval|day|week|month] [--service-level 0.8 --threshold 20] [--patience S]
[--shrinkage 0.3] [--max-occupancy X] [--short-abandon 40] [--agents A.csv [--min-shared 0.5]]
[--group "Q1;Q2" ...] [--group-out G.csv] [--summary-out S.csv] [--pool "Q1;Q2" ...]
[--pool-out P.csv]``

Reads a forecast (``interval_start, queue, offered, [offered_lo, offered_hi,] aht_seconds``),
computes with `staffing.period.period_requirements` (with ``--over interval``:
`staffing.requirements.staffing_requirements`) the agents needed on the phone per
queue and interval (Erlang C, or Erlang A where a patience is known), the gross figure for
shrinkage and the predicted metrics, and writes the requirements table as CSV.

Targets: any of ``--answer-rate``, ``--asa``, ``--service-level`` (with ``--threshold``),
``--max-occupancy``. Without any, the centre's SLA applies (DOMAIN.md): answer rate 0.92 and
average wait 150 s. Every target option, ``--threshold``, ``--patience``, ``--shrinkage`` and
``--short-abandon`` takes either one value for all queues or ``QUEUE=VALUE`` for one queue, and
may be repeated (``--patience 300 --patience Dagpenge=550``). An answer-rate target needs a
patience; a queue without one gets `staffing.patience.DEFAULT_PATIENCE_SECONDS` and a note.

``--over`` is the period the answer-rate, average-wait and service-level goals hold over:
``interval`` (default: every interval on its own, the requirement as it always was), ``day``,
``week`` (ISO week) or ``month``: the fewest agent-intervals that meet the goals on the period's
summed counts, at least one agent in every open interval of a queue
(`staffing.period.period_requirements`). ``--agents A.csv`` staffs queues that share agents as
groups, formed from the agents' skills (`staffing.period.skill_groups`, ``--min-shared``);
``--group "Q1;Q2"`` (repeatable) names groups by hand. With groups, each group's requirement
and its predicted metrics go to ``--group-out`` (default: ``<out>_groups.csv``) and the
requirements table holds each queue's share. The summary on stderr gives the predicted answer
rate and average wait per period for the centre, each group and each queue, with the
agent-hours (and the interval requirement's, for comparison) and the peak of agents on the
phone at once; ``--summary-out`` writes it as CSV.

``--pool "Dagpenge;Kontanthjælp"`` (repeatable; queue names separated by ``;`` as in the agents'
skills) also writes the pooled requirement of queues served by the same cross-trained agents
to ``--pool-out`` (default: ``<out>_pools.csv``).

Bad input exits with code 2 and a one-line message naming the file, row and column or the
option: a target out of range (``--answer-rate 1.5``), a negative or missing handle time in
the file, a queue in an option that the forecast does not have.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from planner.cli.commands import COMMANDS
from planner.errors import InputError
from planner.io.forecast import read_forecast
from planner.io.tables import write_csv
from staffing.kpi import SlaGoals
from staffing.patience import DEFAULT_PATIENCE_SECONDS
from staffing.period import OVER, PeriodStaffing, period_requirements, skill_groups
from staffing.requirements import (
    DEFAULT_SHORT_ABANDON,
    DEFAULT_SHRINKAGE,
    DEFAULT_THRESHOLD,
    infer_interval_seconds,
    pooled_requirements,
)

__all__ = ["register", "run", "parse_per_queue"]

#: The centre's SLA (DOMAIN.md: answer rate 92 % from document 002; average wait 2.5 min from
#: document 003), used when no target option is given.
#: The centre's SLA, from its one definition (`staffing.kpi.SlaGoals`).
SLA = SlaGoals()

# option -> (keyword of staffing_requirements, (low, low_open, high, high_open), unit, default)
_OPTIONS = {
    "answer_rate": ("--answer-rate", (0.0, True, 1.0, True), "", None),
    "asa": ("--asa", (0.0, True, math.inf, True), " seconds", None),
    "service_level": ("--service-level", (0.0, True, 1.0, True), "", None),
    "threshold": ("--threshold", (0.0, False, math.inf, True), " seconds", DEFAULT_THRESHOLD),
    "max_occupancy": ("--max-occupancy", (0.0, True, 1.0, False), "", None),
    "patience": ("--patience", (0.0, True, math.inf, False), " seconds", None),
    "shrinkage": ("--shrinkage", (0.0, False, 1.0, True), "", DEFAULT_SHRINKAGE),
    "short_abandon": (
        "--short-abandon",
        (0.0, False, math.inf, True),
        " seconds",
        DEFAULT_SHORT_ABANDON,
    ),
}
_TARGETS = ("answer_rate", "asa", "service_level", "max_occupancy")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``staff`` subcommand."""
    p = subparsers.add_parser(
        "staff",
        help=COMMANDS["staff"],
        description=(
            "Agents needed on the phone per queue and interval for the service targets, from a "
            "forecast: Erlang C, or Erlang A (callers hang up) where a patience is given. Writes "
            "interval_start, queue, agents, agents_gross (shrinkage), agents_lo/agents_hi (for "
            "the forecast's 80 % range) and the predicted metrics. Without a target option the "
            f"centre's SLA applies: answer rate {SLA.answer_rate:g} and average wait "
            f"{SLA.asa_seconds:g} s. --over week (day, month) staffs so that the goals hold "
            "over the week's summed calls instead of in every interval. Every value option "
            "takes one value for all queues or QUEUE=VALUE for one queue, and may be repeated."
        ),
    )
    _add_file_options(p)
    _add_target_options(p)
    _add_period_options(p)
    _add_model_options(p)
    _add_pool_options(p)
    p.set_defaults(func=run)


def _add_file_options(p: argparse.ArgumentParser) -> None:
    """The forecast read and the requirements table written."""
    p.add_argument(
        "--forecast",
        required=True,
        type=Path,
        metavar="F",
        help="forecast file: interval_start, queue, offered, [offered_lo, "
        "offered_hi,] aht_seconds (CSV, .xlsx or .parquet)",
    )
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="R.csv",
        help="where to write the requirements table (CSV)",
    )


def _add_target_options(p: argparse.ArgumentParser) -> None:
    """The service targets: answer rate, average wait, service level, occupancy."""
    p.add_argument(
        "--answer-rate",
        action="append",
        metavar="X",
        help="answered / (offered - abandoned within --short-abandon s) at least X, "
        "in (0, 1) (the SLA's svarprocent; needs a patience)",
    )
    p.add_argument(
        "--asa", action="append", metavar="S", help="mean wait of answered calls at most S seconds"
    )
    p.add_argument(
        "--service-level",
        action="append",
        metavar="X",
        help="share of calls answered within --threshold seconds at least X, in (0, 1)",
    )
    p.add_argument(
        "--threshold",
        action="append",
        metavar="S",
        help=f"service-level threshold in seconds (default {DEFAULT_THRESHOLD:g})",
    )
    p.add_argument(
        "--max-occupancy",
        action="append",
        metavar="X",
        help="agents busy at most this share of their phone time, in (0, 1]",
    )


def _add_period_options(p: argparse.ArgumentParser) -> None:
    """The period the goals hold over, groups of queues that share agents, the summary."""
    p.add_argument(
        "--over",
        default="interval",
        metavar="PERIOD",
        help="the period the answer rate, average wait and service level goals hold over: "
        "interval (default: every interval on its own), day, week (ISO week) or month "
        "(the fewest agent-intervals meeting the goals on the period's summed calls)",
    )
    p.add_argument(
        "--agents",
        type=Path,
        metavar="A.csv",
        help="agents file: staff the queues that share cross-trained agents as groups, "
        "formed from the agents' skills (see --min-shared)",
    )
    p.add_argument(
        "--min-shared",
        metavar="X",
        help="with --agents: two queues are grouped when agents skilled for both hold at least "
        "this share of each queue's skilled contract hours, in (0, 1] (default 0.5)",
    )
    p.add_argument(
        "--group",
        action="append",
        metavar="Q1;Q2",
        help="queues staffed together as one group (cross-trained agents), separated by ';' "
        "(repeatable; instead of --agents)",
    )
    p.add_argument(
        "--group-out",
        type=Path,
        metavar="G.csv",
        help="with groups: where to write each group's requirement per interval "
        "(default: <out>_groups.csv)",
    )
    p.add_argument(
        "--summary-out",
        type=Path,
        metavar="S.csv",
        help="also write the period summary (answer rate, wait, agent-hours per period for the "
        "centre, each group and each queue) as CSV",
    )


def _add_model_options(p: argparse.ArgumentParser) -> None:
    """Caller patience, shrinkage and the short-abandon limit of the answer rate."""
    p.add_argument(
        "--patience",
        action="append",
        metavar="S",
        help="mean caller patience in seconds (Erlang A); 'inf' for Erlang C. Needed "
        f"for --answer-rate (default then {DEFAULT_PATIENCE_SECONDS:g} s)",
    )
    p.add_argument(
        "--shrinkage",
        action="append",
        metavar="X",
        help=f"share of paid time off the phone, in [0, 1), for agents_gross "
        f"(default {DEFAULT_SHRINKAGE:g})",
    )
    p.add_argument(
        "--short-abandon",
        action="append",
        metavar="S",
        help="calls abandoned within S seconds leave the answer rate's denominator "
        f"(default {DEFAULT_SHORT_ABANDON:g})",
    )


def _add_pool_options(p: argparse.ArgumentParser) -> None:
    """Queues pooled by cross-trained agents and where their requirement goes."""
    p.add_argument(
        "--pool",
        action="append",
        metavar="Q1;Q2",
        help="queues served by the same cross-trained agents, separated by ';' "
        "(repeatable): also write their pooled requirement",
    )
    p.add_argument(
        "--pool-out",
        type=Path,
        metavar="P.csv",
        help="where to write the pooled requirements (default: <out>_pools.csv)",
    )


# --------------------------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------------------------
def _value(option: str, text: str, limits, unit: str) -> float:
    low, low_open, high, high_open = limits
    t = text.strip()
    try:
        value = float(t[:-1]) / 100.0 if t.endswith("%") else float(t.replace(",", "."))
    except ValueError:
        raise InputError(f"{option}: cannot read {text!r} as a number") from None
    bad = (
        math.isnan(value)
        or (value <= low if low_open else value < low)
        or (value >= high if high_open else value > high)
    )
    if bad:
        if math.isinf(high):
            want = f"{'>' if low_open else '>='} {low:g}{unit}"
        else:
            want = f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise InputError(f"{option} must be {want}; got {t}")
    return value


def parse_per_queue(
    option: str, texts: list[str] | None, queues: list[str], limits, unit: str = ""
) -> float | dict[str, float] | None:
    """``VALUE`` or ``QUEUE=VALUE`` items of a repeatable option: None, one value or a mapping.

    Later items win; ``QUEUE=VALUE`` beats the plain value for that queue. An unknown queue is
    an `InputError` listing the forecast's queues.
    """
    if not texts:
        return None
    overall: float | None = None
    per: dict[str, float] = {}
    folded = {q.casefold(): q for q in queues}
    for text in texts:
        if "=" in text:
            name, _, val = text.rpartition("=")
            name = name.strip()
            queue = name if name in queues else folded.get(name.casefold())
            if queue is None:
                raise InputError(
                    f"{option}: unknown queue '{name}'; the forecast has: {', '.join(queues)}"
                )
            per[queue] = _value(option, val, limits, unit)
        else:
            overall = _value(option, text, limits, unit)
    if not per:
        return overall
    return {q: per.get(q, overall) for q in queues if q in per or overall is not None}


def _pools(texts: list[str] | None, queues: list[str], option: str = "--pool") -> list[list[str]]:
    pools = []
    folded = {q.casefold(): q for q in queues}
    for text in texts or []:
        members = []
        for name in (part.strip() for part in text.split(";")):
            if not name:
                continue
            queue = name if name in queues else folded.get(name.casefold())
            if queue is None:
                raise InputError(
                    f"{option}: unknown queue '{name}'; the forecast has: {', '.join(queues)}"
                )
            members.append(queue)
        if not members:
            raise InputError(f"{option}: no queue names in {text!r}; separate names with ';'")
        pools.append(members)
    return pools


def _per_queue_value(value, queue: str):
    return value.get(queue) if isinstance(value, dict) else value


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    """Read the forecast, compute the requirements, write them; 0 on success."""
    over = _over(args.over)
    forecast = read_forecast(args.forecast)
    queues = list(dict.fromkeys(forecast["queue"]))
    values = {
        key: parse_per_queue(option, getattr(args, key), queues, limits, unit)
        for key, (option, limits, unit, _default) in _OPTIONS.items()
    }
    groups = _groups(args, queues)
    pools = _pools(args.pool, queues)
    if all(values[k] is None for k in _TARGETS):
        values["answer_rate"] = SLA.answer_rate
        values["asa"] = SLA.asa_seconds
        print(
            f"staff: no target given; using the centre's SLA: answer rate {SLA.answer_rate:g}, "
            f"average wait {SLA.asa_seconds:g} s",
            file=sys.stderr,
        )
    # an answer-rate target needs a patience: fill the documented default where none is given
    patience = values["patience"]
    lacking = [
        q
        for q in queues
        if _per_queue_value(values["answer_rate"], q) is not None
        and _per_queue_value(patience, q) is None
    ]
    if lacking:
        base = patience if isinstance(patience, dict) else {}
        patience = {
            q: base.get(q, DEFAULT_PATIENCE_SECONDS if q in lacking else None) for q in queues
        }
        patience = {q: v for q, v in patience.items() if v is not None}
        print(
            f"staff: no --patience for {', '.join(lacking)}; using {DEFAULT_PATIENCE_SECONDS:g} s "
            "(staffing.patience.DEFAULT_PATIENCE_SECONDS) for the answer rate",
            file=sys.stderr,
        )
    values["patience"] = _inf_to_none(patience)
    kwargs = {key: values[key] for key in _OPTIONS}
    for key, (_option, _limits, _unit, default) in _OPTIONS.items():
        if kwargs[key] is None and default is not None:
            kwargs[key] = default
    interval = infer_interval_seconds(forecast)

    period = period_requirements(
        forecast, over=over, groups=groups or None, interval=interval, **kwargs
    )
    result = period.requirements
    out = write_csv(result, args.out)
    peak = result.loc[result["agents"].idxmax()]
    at_once = result.groupby("interval_start")["agents"].sum()
    print(
        f"wrote {out}: {len(result):,} rows, {len(queues)} queues; peak {int(peak['agents'])} "
        f"agents ({peak['queue']} {peak['interval_start'].isoformat()}); "
        f"{float(result['agents'].sum()) * interval / 3600:,.0f} agent-hours on the phone, "
        f"peak {int(at_once.max())} agents at once ({at_once.idxmax().isoformat()})",
        file=sys.stderr,
    )
    if groups:
        group_out = args.group_out or args.out.with_name(f"{args.out.stem}_groups.csv")
        write_csv(period.groups, group_out)
        print(f"wrote {group_out}: the requirement of {len(groups)} groups", file=sys.stderr)
    if args.summary_out:
        write_csv(period.summary, args.summary_out)
    _print_summary(period, values)
    if pools:
        pooled = pooled_requirements(forecast, pools, interval=interval, **kwargs)
        pool_out = args.pool_out or args.out.with_name(f"{args.out.stem}_pools.csv")
        write_csv(pooled, pool_out)
        gain = pooled.groupby("pool")["pooling_gain"].sum() * interval / 3600
        summary = ", ".join(f"{name}: {hours:,.0f}" for name, hours in gain.items())
        print(f"wrote {pool_out}; pooling gain in agent-hours: {summary}", file=sys.stderr)
    return 0


def _over(text: str) -> str:
    value = str(text).strip().lower()
    if value not in OVER:
        raise InputError(f"--over must be one of {', '.join(OVER)}; got {text!r}")
    return value


def _groups(args: argparse.Namespace, queues: list[str]) -> list[list[str]]:
    """The groups of queues staffed together: ``--group`` items, or formed from ``--agents``."""
    if args.group and args.agents:
        raise InputError("give either --group or --agents (groups formed from skills), not both")
    if args.min_shared is not None and not args.agents:
        raise InputError("--min-shared needs --agents (the groups are formed from their skills)")
    if args.group:
        groups = [g for g in _pools(args.group, queues, option="--group") if len(g) > 1]
        seen: dict[str, int] = {}
        for k, members in enumerate(groups):
            for q in members:
                if q in seen and seen[q] != k:
                    raise InputError(f"--group: queue '{q}' is in two groups")
                seen[q] = k
        return groups
    if not args.agents:
        return []
    from planner.io.agents import read_agents

    share = 0.5
    if args.min_shared is not None:
        share = _value("--min-shared", args.min_shared, (0.0, True, 1.0, False), "")
    agents = read_agents(args.agents, queues=queues)
    return [g for g in skill_groups(agents, queues, min_shared=share) if len(g) > 1]


def _pct(value: float) -> str:
    return "-" if value != value else f"{100 * value:.1f} %"


def _print_summary(period: PeriodStaffing, values: dict) -> None:
    """The period's predicted answer rate and wait for the centre, each group and each queue."""
    goals = []
    if values["answer_rate"] is not None:
        goals.append(f"answer rate {_goal_text(values['answer_rate'])}")
    if values["asa"] is not None:
        goals.append(f"average wait {_goal_text(values['asa'], ' s')}")
    if values["service_level"] is not None:
        goals.append(f"service level {_goal_text(values['service_level'])}")
    where = "in every interval" if period.over == "interval" else f"over each {period.over}"
    print(f"staff: goals {where}: {', '.join(goals) or 'none'}", file=sys.stderr)
    summary = period.summary
    shown = [
        ("" if scope == "centre" else "  ") + (f"[{name}]" if scope == "group" else str(name))
        for scope, name in zip(summary["scope"], summary["name"])
    ]
    width = max(len(text) for text in shown)
    print(
        f"  {'period':10s} {'':{width}s} {'answer rate':>11s} {'avg wait':>9s} "
        f"{'agent-hours':>11s} {'(interval)':>10s} {'peak':>5s}",
        file=sys.stderr,
    )
    for row, name in zip(summary.itertuples(), shown):
        interval_hours = (
            ""
            if row.agent_hours_interval != row.agent_hours_interval
            else f"{row.agent_hours_interval:,.1f}"
        )
        print(
            f"  {row.period:10s} {name:{width}s} {_pct(row.answer_rate):>11s} "
            f"{row.asa_seconds:>7.1f} s {row.agent_hours:>11,.1f} {interval_hours:>10s} "
            f"{int(row.peak_agents):>5d}",
            file=sys.stderr,
        )
    bounds = period.bounds
    if period.over != "interval" and len(bounds):
        gap = int((bounds["agent_intervals"] - bounds["lower_bound"]).max())
        print(
            f"staff: proven optimal for {int(bounds['optimal'].sum())} of {len(bounds)} "
            f"(queue or group, period) problems"
            + ("" if gap == 0 else f"; largest gap {gap} agent-intervals"),
            file=sys.stderr,
        )


def _goal_text(value, unit: str = "") -> str:
    if isinstance(value, dict):
        return ", ".join(f"{q}={v:g}{unit}" for q, v in value.items())
    return f"{value:g}{unit}"


def _inf_to_none(patience):
    """``--patience inf`` means Erlang C: no patience."""
    if isinstance(patience, dict):
        return {q: v for q, v in patience.items() if math.isfinite(v)}
    if patience is not None and math.isinf(patience):
        return None
    return patience
