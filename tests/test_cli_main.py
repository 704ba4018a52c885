"""The `vagtplan` entry point imports only the command asked for (issue 15, point 5).

`planner.cli.main` lists the subcommands from `planner.cli.commands.COMMANDS` and imports only
the chosen command's module. The reference is the parser built with every module imported
(`build_parser()`): the help of ``vagtplan`` and of each subcommand must be the same, and a
fresh interpreter running ``vagtplan roster --help`` must not have imported the other
commands' dependencies (statsmodels, the simulation, the forecasting models).
"""

from __future__ import annotations

import argparse
import json
import pkgutil
import subprocess
import sys

import pytest

from planner.cli import commands
from planner.cli.commands import COMMANDS, module_name
from planner.cli.main import build_parser, chosen_command, main


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_module_is_listed() -> None:
    modules = {info.name for info in pkgutil.iter_modules(commands.__path__)}
    assert {module_name(name) for name in COMMANDS} == modules
    assert list(COMMANDS) == sorted(COMMANDS)  # the order `vagtplan --help` has always had


def test_help_lines_are_the_modules_own() -> None:
    full = build_parser()
    for name, action in _help_actions(full).items():
        assert action == COMMANDS[name]
    assert set(_help_actions(full)) == set(COMMANDS)


def _help_actions(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in action._choices_actions}


def test_top_level_help_without_importing_commands() -> None:
    assert build_parser(only=None).format_help() == build_parser().format_help()


@pytest.mark.parametrize("name", list(COMMANDS))
def test_one_command_parser_is_the_full_one(name: str) -> None:
    full = build_parser()
    lazy = build_parser(only=name)
    assert lazy.format_help() == full.format_help()
    assert _subparsers(lazy)[name].format_help() == _subparsers(full)[name].format_help()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["roster", "--requirements", "r.csv"], "roster"),
        (["--help"], None),
        (["-h", "staff"], "staff"),
        (["--", "plan"], "plan"),
        (["generate-data", "--out-dir", "x"], "generate-data"),
        (["bogus"], None),
        ([], None),
    ],
)
def test_chosen_command(argv: list[str], expected: str | None) -> None:
    assert chosen_command(argv) == expected


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["bogus"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err
    for name in COMMANDS:
        assert name in err


_PROBE = """
import json, sys
from planner.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {
    "statsmodels", "forecast", "staffing", "pandas", "planner", "sampledata"})))
"""


def _imported(*argv: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, check=True
    )
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_roster_imports_only_what_it_needs() -> None:
    loaded = _imported("roster", "--help")
    assert "planner.cli.commands.roster" in loaded
    assert not any(m.startswith("statsmodels") for m in loaded)
    for module in ("forecast.models", "staffing.simulation", "planner.cli.commands.simulate"):
        assert module not in loaded


def test_top_level_help_imports_no_command() -> None:
    loaded = _imported("--help")
    assert "pandas" not in loaded
    assert not any(m.startswith("planner.cli.commands.") for m in loaded)
