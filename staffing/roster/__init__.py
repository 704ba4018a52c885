"""The weekly roster (vagtplan): rules, the optimizer, its independent checker and diagnosis.

Modules, in the order the data flows:
`rules` (the shift rules), `instance` (agents, days, templates, requirements as arrays),
`patterns` (a week of shifts for one agent), `master` (the master problem and column
generation), `compact` (the master's LP for the neighbourhood search), `heuristics` (dive,
repair, improve), `model` (the PuLP program), `readback` (the chosen plan as roster rows and
coverage), `portfolio` (searches side by side), `solve` (`solve_roster`: the whole run),
`check` (the independent checker), `diagnose` (why a week is short), `coverage` (any
roster's coverage per queue and interval).
"""

from staffing.roster.check import CheckReport, Violation, check_roster
from staffing.roster.diagnose import Diagnostic, explain_coverage, format_diagnostics
from staffing.roster.rules import ShiftRules
from staffing.roster.solve import RosterResult, available_solvers, solve_roster

__all__ = [
    "CheckReport",
    "Diagnostic",
    "RosterResult",
    "ShiftRules",
    "Violation",
    "available_solvers",
    "check_roster",
    "explain_coverage",
    "format_diagnostics",
    "solve_roster",
]
