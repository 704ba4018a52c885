"""Subcommands of the `vagtplan` CLI, one module each (see `planner.cli.main`).

`COMMANDS` names every subcommand with its one-line help, in the order ``vagtplan --help``
lists them; the module of ``NAME`` is ``planner.cli.commands.<NAME with - as _>``. It is the
one source of the help lines: each module's ``register`` reads its own line here, and
``vagtplan`` lists the others from here without importing their modules (importing every
command's dependencies took 2-3 s per call). Kept light on purpose: no imports.
"""

#: command name -> its one-line help (argparse's ``%`` escaped as ``%%``)
COMMANDS: dict[str, str] = {
    "backtest": (
        "compare forecasting models by rolling-origin backtest (WAPE, bias, MASE, coverage)"
    ),
    "forecast": "forecast calls and handle time per queue and interval (80 %% interval)",
    "generate-data": (
        "write the embedded default data (synthetic history, sample agents, shift rules)"
    ),
    "plan": "the whole pipeline for one week: forecast, requirements, roster, check, simulation",
    "roster": "plan the week's roster (MIP: shifts, lunches, meetings) for the requirements",
    "simulate": "simulate a roster against a forecast: answer rate, wait, abandonment with CIs",
    "staff": "agents needed per queue and interval (Erlang C / Erlang A)",
    "validate": ("check a history file and summarise it (queues, span, interval, gaps, anomalies)"),
}


def module_name(command: str) -> str:
    """The module of ``command`` in this package (``generate-data`` -> ``generate_data``)."""
    return command.replace("-", "_")
