"""The `vagtplan` command line.

Each subcommand lives in its own module in `planner/cli/commands/` and exposes
``register(subparsers)`` (adds its parser and ``set_defaults(func=run)``) and ``run(args) -> int``.
This module discovers them, parses the arguments and maps errors to exit codes:

- 0: success;
- 2: bad input (`planner.errors.InputError` or `ValueError`), message on stderr, no traceback;
- 1: internal error (message on stderr; the traceback only with ``VAGTPLAN_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback
from collections.abc import Sequence

from planner.cli import commands

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse exits with code 2 on usage errors already; keep its one-line message."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand found in `planner.cli.commands`."""
    parser = _Parser(
        prog="vagtplan",
        description=(
            "Workforce forecasting and staffing planner for contact centres: "
            "validate history, forecast, staff (Erlang C/A), roster (MIP), simulate."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except ValueError as exc:  # planner.errors.InputError is a ValueError
        print(f"vagtplan: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vagtplan: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        if os.environ.get("VAGTPLAN_DEBUG"):
            traceback.print_exc()
        print(
            f"vagtplan: internal error: {type(exc).__name__}: {exc} "
            "(set VAGTPLAN_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 1
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
