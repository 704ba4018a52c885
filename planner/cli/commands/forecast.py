"""`vagtplan forecast`: forecast calls and handle time per queue and interval.

``vagtplan forecast --history H --start YYYY-MM-DD --days N --out F.csv [--model NAME]
[--events E.toml] [--tz TZ] [--country CC]`` reads the history (default: the embedded data),
learns the centre's hours from it (`forecast.models.infer_calendar`: hours per weekday and
queue windows from where calls arrive; public holidays of ``--country``), fits the model, adds
the known events and manual adjustments of ``--events`` and writes the forecast contract
``interval_start, queue, offered, offered_lo, offered_hi, aht_seconds`` (80 % interval) as
CSV. Rows exist only for open intervals of each queue: closed days have none.

Choices (exit 2 with a message naming the argument):

- ``--days`` must be 1 or more;
- ``--start`` must be after the last day of the history (a forecast begins after what is known;
  the days between the history's end and ``--start`` are forecast but not written). A start
  inside the history is refused: `vagtplan backtest` tests a model on known days;
- ``--model`` must be one of the models of `forecast.models.MODELS` (the message lists them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from forecast.events import apply_events, summarize_adjustments
from forecast.models import DEFAULT_MODEL, MODELS, infer_calendar, make_model
from planner.cli.commands import COMMANDS
from planner.errors import InputError
from planner.io.events import read_events
from planner.io.history import default_history_path, load_history, parse_anomalies
from planner.io.tables import write_csv

__all__ = ["register", "run", "load_for_forecast", "positive_int"]


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1; got {text!r}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD; got {text!r}") from None


def add_history_options(parser: argparse.ArgumentParser) -> None:
    """--history, --tz, --country, --exclude-days (shared with `vagtplan backtest`)."""
    parser.add_argument(
        "--history",
        type=Path,
        metavar="H",
        help=f"history file (default: the embedded default data, {default_history_path().name})",
    )
    parser.add_argument(
        "--tz",
        help="time zone of the centre and of naive times in the file (default: Europe/Copenhagen)",
    )
    parser.add_argument(
        "--country",
        default="DK",
        help="public holidays of this country (holidays package code: DK, IL, ...; 'none' for "
        "no holidays; default DK). Hours and queue windows are learned from the history",
    )
    parser.add_argument(
        "--exclude-days",
        metavar="D1,D2",
        help="anomaly days to leave out, comma-separated dates or ranges a..b",
    )


def add_events_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--events",
        type=Path,
        metavar="E.toml",
        help="known events and manual adjustments ([[event]] / [[adjustment]] tables with "
        "name, queue, start, end and one of percent, lift or calls); taken out of the "
        "history before fitting and added to the forecast, visibly",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``forecast`` subcommand."""
    parser = subparsers.add_parser(
        "forecast",
        help=COMMANDS["forecast"],
        description=(
            "Fit a forecasting model to the call history and write the forecast contract "
            "interval_start, queue, offered, offered_lo, offered_hi, aht_seconds for the open "
            "intervals of each queue (closed days have no rows). Hours and queue windows are "
            "learned from the history; holidays come from --country."
        ),
    )
    add_history_options(parser)
    parser.add_argument(
        "--start",
        type=_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="first day of the forecast; must be after the last day of the history",
    )
    parser.add_argument(
        "--days", type=positive_int, required=True, metavar="N", help="days to forecast (>= 1)"
    )
    parser.add_argument("--out", type=Path, required=True, metavar="F.csv", help="output CSV")
    parser.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        metavar="NAME",
        help=f"model: {', '.join(MODELS)} (default: {DEFAULT_MODEL}, the best per queue by "
        "backtest)",
    )
    add_events_option(parser)
    parser.add_argument(
        "--adjustments-out",
        type=Path,
        metavar="A.csv",
        help="also write the calls each event added, per event, queue and interval",
    )
    parser.set_defaults(func=run)


def load_for_forecast(args: argparse.Namespace):
    """Load the history and learn its calendar; returns (loaded, calendar, path)."""
    path = args.history if args.history is not None else default_history_path()
    if args.history is None and not path.exists():
        raise InputError(
            f"no --history given and the default data {path} is missing; expected a history "
            "file, or run `vagtplan generate-data` first"
        )
    anomalies = parse_anomalies(args.exclude_days or "")
    _say(f"reading {path.name} ...")
    loaded = load_history(path, tz=args.tz, anomalies=anomalies)
    country = None if str(args.country).lower() == "none" else str(args.country).upper()
    tz = args.tz or str(loaded.frame["interval_start"].dt.tz)
    calendar = infer_calendar(loaded, tz=tz, country=country)
    hours = ", ".join(
        f"{'Mon Tue Wed Thu Fri Sat Sun'.split()[w]} {a}-{b}"
        for w, (a, b) in sorted(calendar.weekday_hours.items())
    )
    _say(f"hours learned from the history: {hours}")
    for queue, windows in calendar.closed_windows.items():
        _say(f"  {queue}: closed {', '.join(f'{a}-{b}' for a, b in windows)}")
    return loaded, calendar, path


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Fit, forecast, add events, write the CSV."""
    model = make_model(args.model)
    loaded, calendar, path = load_for_forecast(args)
    frame = loaded.frame
    last_day = frame["interval_start"].dt.tz_convert(calendar.tz).max().date()
    if args.start <= last_day:
        raise InputError(
            f"--start {args.start} is not after the last day of the history ({last_day} in "
            f"{path.name}); a forecast starts after the history ends (use `vagtplan backtest` "
            "to test a model on known days)"
        )
    queues = sorted(frame["queue"].astype(str).unique())
    events = read_events(args.events, queues) if args.events is not None else []
    t0 = time.perf_counter()
    _say(f"fitting model '{args.model}' on {len(queues)} queue(s) ...")
    model.fit(loaded, calendar=calendar, events=events)
    for message in model.hours_report_.messages():
        _say(f"note: {message}")
    if hasattr(model, "choice_"):
        chosen = ", ".join(f"{q}: {m}" for q, m in model.choice_.items())
        _say(f"chosen per queue: {chosen}")
    forecast = model.predict(args.start, args.days)
    forecast, adjustments = apply_events(forecast, events, calendar=calendar)
    _say(f"fitted and forecast in {time.perf_counter() - t0:.1f} s")
    if events:
        summary = summarize_adjustments(adjustments)
        for event in events:
            added = summary.loc[summary["event"] == event.name, "added"].sum()
            _say(f"{event.describe()}: {added:+,.1f} calls in the forecast")
    out = write_csv(forecast, args.out)
    if args.adjustments_out is not None:
        write_csv(adjustments, args.adjustments_out)
    total = forecast["offered"].sum()
    _say(
        f"wrote {out} ({len(forecast):,} rows, {total:,.0f} calls over {args.days} day(s) "
        f"from {args.start})"
    )
    return 0
