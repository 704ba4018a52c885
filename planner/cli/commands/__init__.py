"""Subcommands of the `vagtplan` CLI, one module each (see `planner.cli.main`)."""
