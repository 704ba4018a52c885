"""Staffing: queueing math, requirements, the roster optimizer, simulation and KPIs.

Pure: pandas/numpy in, pandas/numpy out; no files, databases or Streamlit. Import the
submodules you need (``from staffing import erlang``).
"""

__all__ = [
    "diagnose",
    "erlang",
    "kpi",
    "patience",
    "report",
    "requirements",
    "roster",
    "roster_check",
    "roster_instance",
    "roster_master",
    "roster_patterns",
    "rules",
    "scenario",
    "simulate",
]
