"""The planner: orchestration, files, saved work, exports, the CLI and the app's glue.

Calls `forecast` and `staffing`; never the other way round.
"""

__all__ = [
    "agents_io",
    "cli",
    "errors",
    "export",
    "history",
    "i18n",
    "pii",
    "report_export",
    "sample_agents",
    "scenarios",
    "store",
    "tables",
]
