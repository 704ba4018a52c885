"""Staffing: queueing math, requirements, the roster optimizer, simulation and KPIs.

Pure: pandas/numpy in, pandas/numpy out; no files, databases or Streamlit. The queueing core
sits at the top (``from staffing import erlang`` is the documented API): `erlang`,
`requirements`, `patience`, `kpi`. Two sub-packages build on it: `staffing.roster` (the
roster optimizer, its checker and diagnosis) and `staffing.simulation` (the simulation,
scenarios and reports). Nothing is imported here, so ``import staffing`` stays cheap.
"""

__all__ = ["erlang", "kpi", "patience", "requirements", "roster", "simulation"]
