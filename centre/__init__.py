"""The bottom layer: what every package shares, defined once.

- `centre.queues`: the ten queues of the Copenhagen job-centre line (documented volumes and
  our calibration of handle time, patience and transfers).
- `centre.timezone`: the centre's time zone and default interval length.
- `centre.parsing`: clock times, dates and skill lists as files and tables write them.

Imports nothing from `forecast`, `staffing` or `planner`; everyone may import it.
"""

__all__ = ["parsing", "queues", "timezone"]
