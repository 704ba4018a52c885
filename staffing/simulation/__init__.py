"""What a roster delivers: the discrete-event simulation, what-if scenarios and SLA reports.

`engine` (the simulation of a roster against a forecast, replications, P(meet the SLA)),
`scenarios` (what-if changes to staff, volume, handle time and goals), `reports` (weekly,
monthly and quarterly tables against the goals).
"""

from staffing.simulation.engine import SimulationResult, simulate
from staffing.simulation.reports import Report, monthly_report, weekly_report
from staffing.simulation.scenarios import PlanInputs, Scenario, apply_scenario

__all__ = [
    "PlanInputs",
    "Report",
    "Scenario",
    "SimulationResult",
    "apply_scenario",
    "monthly_report",
    "simulate",
    "weekly_report",
]
