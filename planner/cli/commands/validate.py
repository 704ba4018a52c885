"""`vagtplan validate [FILE]`: check a history file and print what was read, or every problem.

Exit 0 with a readable summary (queues, span, interval, rows and calls, filled intervals, gaps,
anomalies, warnings, a table per queue) on stdout; exit 2 with one line per problem on stderr
(``vagtplan: error: FILE: row N, column 'C': found ...; expected ...``), no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from forecast.calendar import (
    DEFAULT_CLOSED_WINDOWS,
    DEFAULT_EXTRA_CLOSING,
    DEFAULT_WEEKDAY_HOURS,
    CentreCalendar,
    parse_clock,
)
from planner.cli.commands import COMMANDS
from planner.errors import InputError
from planner.io.history import (
    INTERVALS,
    HistoryError,
    default_history_path,
    load_history,
    parse_anomalies,
    read_anomalies,
)

__all__ = ["register", "run", "calendar_from_args"]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate",
        help=COMMANDS["validate"],
        description=(
            "Read a call history (CSV with , or ; and decimal . or ,, UTF-8 or cp1252; .xlsx; "
            ".parquet) in the history contract, check every row, and print what was read: "
            "queues, span, interval, filled intervals, gaps (open days with no data), anomaly "
            "days left out and warnings. On bad input, print one line per problem naming the "
            "file, row (as in a spreadsheet: the header is row 1), column, what was found and "
            "what was expected, and exit 2."
        ),
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE",
        help=f"history file (default: the embedded default data, {default_history_path().name})",
    )
    parser.add_argument(
        "--tz",
        help="time zone of naive times in the file (default: Europe/Copenhagen)",
    )
    parser.add_argument(
        "--interval",
        type=int,
        choices=INTERVALS,
        metavar="MIN",
        help="interval length in minutes: 5, 15, 30 or 60 (default: inferred from the data)",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--exclude-days",
        metavar="D1,D2",
        help=(
            "anomaly days to leave out, comma-separated dates or ranges, "
            "e.g. 2024-03-01..2024-03-31,2024-12-24"
        ),
    )
    group.add_argument(
        "--anomalies",
        type=Path,
        metavar="FILE",
        help=(
            "file of anomaly days: a 'date' column (a date or a range a..b per row), "
            "or one per line"
        ),
    )
    parser.add_argument(
        "--hours",
        metavar="HH:MM-HH:MM",
        help=(
            "opening hours on every open day, or 24h (default: the Danish centre's hours, "
            "07:30-16:00, Wednesday and Friday to 15:00)"
        ),
    )
    parser.add_argument(
        "--open-days",
        metavar="DAYS",
        help="open weekdays: mon-fri, sun-thu, all, or a list like mon,tue,thu (default: mon-fri)",
    )
    parser.add_argument(
        "--country",
        help="country code for public holidays, e.g. DK or IL, or none (default: DK)",
    )
    parser.add_argument(
        "--no-fill",
        action="store_true",
        help="do not count missing intervals inside opening hours as zero calls (only report)",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=run)


def _weekdays(spec: str) -> list[int]:
    text = spec.strip().lower()
    if text in ("all", "daily", "7"):
        return list(range(7))
    days: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = (p.strip()[:3] for p in part.split("-", 1))
            if a not in _WEEKDAYS or b not in _WEEKDAYS:
                raise ValueError(f"--open-days must name weekdays like mon-fri; got {spec!r}")
            i, j = _WEEKDAYS.index(a), _WEEKDAYS.index(b)
            span = range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)]
            days.extend(span)
        elif part[:3] in _WEEKDAYS:
            days.append(_WEEKDAYS.index(part[:3]))
        else:
            raise ValueError(f"--open-days must name weekdays like mon-fri; got {spec!r}")
    return sorted(set(days))


def calendar_from_args(args: argparse.Namespace) -> CentreCalendar | None:
    """A `CentreCalendar` from ``--hours``, ``--open-days``, ``--country`` and ``--tz``.

    ``None`` when none of the calendar options is given (the loader's default then applies).
    With ``--country`` other than DK, the Danish centre's own closing days and routing windows
    are not used.
    """
    if args.hours is None and args.open_days is None and args.country is None:
        return None
    country = (args.country or "DK").upper()
    danish = country == "DK"
    if args.hours is None:
        if args.open_days is None:
            hours = dict(DEFAULT_WEEKDAY_HOURS)
        else:
            days = _weekdays(args.open_days)
            hours = {d: DEFAULT_WEEKDAY_HOURS.get(d, ("07:30", "16:00")) for d in days}
    else:
        text = args.hours.strip().lower()
        if text in ("24h", "24/7", "00:00-24:00"):
            opens, closes = "00:00", "24:00"
        else:
            try:
                opens, closes = (p.strip() for p in text.split("-"))
                parse_clock(opens), parse_clock(closes)
            except ValueError:
                raise ValueError(
                    f"--hours must look like 07:30-16:00 or 24h; got {args.hours!r}"
                ) from None
        days = _weekdays(args.open_days or "mon-fri")
        hours = dict.fromkeys(days, (opens, closes))
    return CentreCalendar(
        weekday_hours=hours,
        country=None if country == "NONE" else country,
        extra_closing=dict(DEFAULT_EXTRA_CLOSING) if danish else {},
        closed_windows=(
            {k: list(v) for k, v in DEFAULT_CLOSED_WINDOWS.items()}
            if danish and args.hours is None
            else {}
        ),
        tz=args.tz or "Europe/Copenhagen",
    )


def run(args: argparse.Namespace) -> int:
    """Validate the file; print the summary (exit 0) or every problem (exit 2)."""
    path = args.file if args.file is not None else default_history_path()
    if args.file is None and not path.exists():
        raise InputError(
            f"no FILE given and the default data {path} is missing; "
            "expected a history file, or run `vagtplan generate-data` first"
        )
    if args.anomalies is not None:
        anomalies = read_anomalies(args.anomalies)
    else:
        anomalies = parse_anomalies(args.exclude_days or "")
    try:
        loaded = load_history(
            path,
            tz=args.tz,
            calendar=calendar_from_args(args),
            interval_minutes=args.interval,
            anomalies=anomalies,
            fill_missing=not args.no_fill,
        )
    except HistoryError as exc:
        for problem in exc.problems:
            print(f"vagtplan: error: {problem}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(loaded.summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(loaded.summary.to_text())
    return 0
