"""The `vagtplan` command line.

Each subcommand lives in its own module in `planner/cli/commands/` and exposes
``register(subparsers)`` (adds its parser and ``set_defaults(func=run)``) and ``run(args) -> int``;
`planner.cli.commands.COMMANDS` names them with their one-line help. Only the module of the
command asked for is imported (with its dependencies: pandas, the optimizer, statsmodels...);
the others are listed by name and help, which is all ``vagtplan --help`` and argparse's
"invalid choice" message show. This module parses the arguments and maps errors to exit
codes:

- 0: success;
- 2: bad input (`planner.errors.InputError` or `ValueError`), message on stderr, no traceback;
- 1: internal error (message on stderr; the traceback only with ``VAGTPLAN_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from planner.cli.commands import COMMANDS, module_name

__all__ = ["build_parser", "main"]

#: `build_parser`'s ``only`` for "every command registered by its own module"
ALL = "*"


class _Parser(argparse.ArgumentParser):
    """argparse exits with code 2 on usage errors already; keep its one-line message."""


def build_parser(only: str | None = ALL) -> argparse.ArgumentParser:
    """The argument parser of `vagtplan`.

    With ``only`` = `ALL` (the default) every subcommand's module is imported and registers
    its parser; with a command's name only that module is, and with None none: the other
    commands are listed by name and help (`COMMANDS`), the same lines ``vagtplan --help``
    shows either way, but without their options (they cannot be parsed)."""
    parser = _Parser(
        prog="vagtplan",
        description=(
            "Workforce forecasting and staffing planner for contact centres: "
            "validate history, forecast, staff (Erlang C/A), roster (MIP), simulate."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, help_line in COMMANDS.items():
        if only == ALL or name == only:
            module = importlib.import_module(f"{__package__}.commands.{module_name(name)}")
            module.register(sub)
        else:
            sub.add_parser(name, help=help_line)
    return parser


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` asks for (its first argument that is not an option: the only
    option before the command is ``-h``), or None when it names none of `COMMANDS`."""
    args = list(argv)
    for k, token in enumerate(args):
        if token == "--":
            token = args[k + 1] if k + 1 < len(args) else ""
        elif token.startswith("-"):
            continue
        return token if token in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the console script)."""
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(only=chosen_command(argv))
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
