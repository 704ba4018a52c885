"""The centre's clock: its time zone and the default interval length.

All times inside the code are tz-aware in `TZ` (DESIGN.md, data contracts); naive local times in
files are localised to it at the door (`planner.io.tables`).
"""

from __future__ import annotations

__all__ = ["INTERVAL_MINUTES", "TZ"]

#: The IANA time zone of the Copenhagen centre.
TZ = "Europe/Copenhagen"

#: The default interval length of history, forecasts and requirements (minutes).
INTERVAL_MINUTES = 15
