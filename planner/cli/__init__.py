"""The `vagtplan` command line: the entry point (`main`) and one module per subcommand."""

from planner.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
