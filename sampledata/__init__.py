"""The embedded default data: a synthetic history of the centre and its 34 sample agents.

Sits above `forecast` and `staffing` (the generator uses the calendar and Erlang A, the sample
agents are sized with Erlang A), below `planner`, which writes the files
(`vagtplan generate-data`).
"""

__all__ = ["agents", "synthetic"]
