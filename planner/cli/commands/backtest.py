"""`vagtplan backtest`: rolling-origin evaluation of the forecasting models.

``vagtplan backtest --history H --horizon-days N --origins K --out M.csv [--models a,b]``
fits every model on the history before each of K weekly origins, forecasts N days from each,
and writes per model and queue (and ``ALL``, pooled over queues): WAPE at interval and daily
level, bias, MASE and the coverage of the 80 % interval (`forecast.backtest`). Progress goes
to stderr; a summary of the ``ALL`` rows is printed on stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from forecast.backtest import backtest
from forecast.models import MODELS, make_model
from planner.cli.commands import COMMANDS
from planner.cli.commands.forecast import (
    add_events_option,
    add_history_options,
    load_for_forecast,
    positive_int,
)
from planner.io.events import read_events
from planner.io.tables import write_csv

__all__ = ["register", "run", "DEFAULT_MODELS"]

#: Models compared when ``--models`` is not given.
DEFAULT_MODELS = ("seasonal_naive", "weekday_mean", "glm", "ets", "mstl")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``backtest`` subcommand."""
    parser = subparsers.add_parser(
        "backtest",
        help=COMMANDS["backtest"],
        description=(
            "Fit each model on the history before each origin (weekly, the last one "
            "--horizon-days before the end of the history), forecast --horizon-days, and "
            "write per model and queue: WAPE per interval and per day, bias, MASE and the "
            "coverage of the 80 % interval."
        ),
    )
    add_history_options(parser)
    parser.add_argument(
        "--horizon-days", type=positive_int, default=14, metavar="N", help="days per forecast"
    )
    parser.add_argument(
        "--origins", type=positive_int, default=8, metavar="K", help="number of origins"
    )
    parser.add_argument(
        "--step-days", type=positive_int, default=7, metavar="D", help="days between origins"
    )
    parser.add_argument("--out", type=Path, required=True, metavar="M.csv", help="scores CSV")
    parser.add_argument(
        "--models",
        nargs="+",
        metavar="NAME",
        help=f"models to compare, space- or comma-separated: {', '.join(MODELS)} "
        f"(default: {' '.join(DEFAULT_MODELS)})",
    )
    parser.add_argument(
        "--forecasts-out",
        type=Path,
        metavar="F.csv",
        help="also write every backtest forecast beside the actuals",
    )
    add_events_option(parser)
    parser.set_defaults(func=run)


def _model_names(values: list[str] | None) -> list[str]:
    if not values:
        return list(DEFAULT_MODELS)
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    for name in names:
        make_model(name)  # ValueError listing the valid names
    return list(dict.fromkeys(names))


def run(args: argparse.Namespace) -> int:
    """Run the backtest and write the scores."""
    names = _model_names(args.models)
    loaded, calendar, _ = load_for_forecast(args)
    queues = sorted(loaded.frame["queue"].astype(str).unique())
    events = read_events(args.events, queues) if args.events is not None else []
    result = backtest(
        loaded,
        names,
        horizon_days=args.horizon_days,
        origins=args.origins,
        step_days=args.step_days,
        calendar=calendar,
        events=events,
        progress=True,
    )
    out = write_csv(result.scores, args.out)
    if args.forecasts_out is not None:
        write_csv(result.forecasts, args.forecasts_out)
    origins = ", ".join(str(o) for o in result.origins)
    print(f"origins: {origins}; horizon {args.horizon_days} days")
    table = result.scores[result.scores["queue"] == "ALL"].drop(columns=["queue"])
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"wrote {out}", file=sys.stderr)
    return 0
