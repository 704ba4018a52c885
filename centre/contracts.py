"""Names of the data contracts (DESIGN.md) that several layers share, defined once.

The roster contract: one row per agent and activity block, ``agent_id, date, start, end,
activity``, with the activities below (only ``phone`` counts as time on the phone;
``off_phone`` is working time on other tasks: written enquiries, case work, development).
"""

from __future__ import annotations

__all__ = ["ACTIVITIES", "ROSTER_COLUMNS"]

ROSTER_COLUMNS = ["agent_id", "date", "start", "end", "activity"]
ACTIVITIES = ("phone", "off_phone", "break", "lunch", "meeting", "training", "absence")
