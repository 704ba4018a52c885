"""Reading known events and manual adjustments (``events.toml``) for a forecast.

The file's form is `forecast.events.parse_events`'s; this reader adds the file's name to every
message and refuses queues that are not in the history (a typo must not pass silently).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from forecast.events import Event, parse_events
from planner.errors import InputError

__all__ = ["read_events"]


def read_events(path: str | Path, queues: list[str]) -> list[Event]:
    """Events from a TOML file; `InputError` naming the file and the entry on a problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path.name}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name}: not a readable TOML file ({exc})") from None
    try:
        events = parse_events(data)
    except ValueError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    for event in events:
        unknown = [q for q in event.queues if q not in queues]
        if unknown:
            raise InputError(
                f"{path.name}: {event.kind} '{event.name}': queue {unknown[0]!r} is not in the "
                f"history; expected one of {', '.join(queues)}"
            )
    return events
