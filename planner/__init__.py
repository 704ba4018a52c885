"""The planner: orchestration, files, saved work, exports and the CLI.

Calls `forecast`, `staffing` and `sampledata`; never the other way round. `pipeline` runs the
whole week; `scenarios` runs what-if scenarios; `io/` reads and writes every file contract;
`store/` keeps saved work; `cli/` is the `vagtplan` command line.
"""

__all__ = ["cli", "errors", "io", "pipeline", "scenarios", "store"]
