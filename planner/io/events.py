"""Reading known events and manual adjustments (``events.toml``) for a forecast.

The file's form is `forecast.events.parse_events`'s; this reader adds the file's name to every
message and checks at the door, each an `InputError` with one line naming the file and the
entry:

- a readable UTF-8 TOML file (a byte-order mark is allowed; nesting a thousand deep is
  refused, not a crash);
- no personal data in any key or value (names, notes, queue names:
  `planner.io.pii.check_personal_document`), before any message could quote one;
- sizes a forecast can take and days a plan can have (`planner.io.schemas.EventsSchema`, one
  row per entry, named by its key, ``adjustment[1].percent``): ``lift`` from -1 to
  `MAX_LIFT` (``percent`` from -100 to 10,000), ``calls`` at most `MAX_EVENT_CALLS` either
  way, days in the years 1900 to 2199;
- queues that are in the history (a typo must not pass silently; a queue spelled in other
  upper/lower case or with spaces is named).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecast.events import Event, parse_events
from planner.errors import InputError
from planner.io.pii import check_personal_document, one_line_messages
from planner.io.schemas import MAX_EVENT_CALLS, MAX_LIFT, EventsSchema, check_frame

__all__ = ["MAX_EVENT_CALLS", "MAX_LIFT", "read_events"]


def _read_document(path: Path) -> dict:
    """The parsed TOML of ``path``; `InputError` for a missing, unreadable or invalid file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path.name}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path.name}: is a folder, expected a TOML file") from None
    except PermissionError:
        raise InputError(f"{path.name}: no permission to read the file") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not UTF-8 text; expected a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path.name}: not a readable TOML file ({exc})") from None
    except RecursionError:  # Python's TOML parser recurses once per level of nesting
        raise InputError(
            f"{path.name}: lists or tables nested too deeply; an events file nests at most a "
            "few levels"
        ) from None


def _check_sizes(events: list[Event], data: Mapping[str, Any], label: str) -> None:
    """The events' sizes and days against `EventsSchema`, each entry named by its key.

    `parse_events` reads the ``[[event]]`` tables, then the ``[[adjustment]]`` tables, in file
    order; a ``percent`` is kept as written (the event holds it as a lift).
    """
    keys, rows, percents = [], [], []
    counters = {"event": 0, "adjustment": 0}
    for event in events:
        counters[event.kind] += 1
        keys.append(f"{event.kind}[{counters[event.kind]}]")
        entries = data.get(event.kind)
        entry = entries[counters[event.kind] - 1] if isinstance(entries, list) else {}
        percent = entry.get("percent") if isinstance(entry, Mapping) else None
        percents.append(percent)
        rows.append(
            {
                "lift": np.nan if percent is not None or event.lift is None else event.lift,
                "percent": np.nan if percent is None else 100 * float(event.lift or 0.0),
                "calls": np.nan if event.calls is None else event.calls,
                "start": event.start,
                "end": event.end,
            }
        )
    frame = pd.DataFrame(rows, columns=["lift", "percent", "calls", "start", "end"])
    frame = frame.astype({"lift": float, "percent": float, "calls": float})
    check_frame(EventsSchema, frame, name=label, keys=keys, cells={"percent": percents})


def _unknown_queue(queue: str, queues: list[str]) -> str:
    """What to say about a queue that is not in the history: its spelling there, if any."""
    key = " ".join(queue.casefold().split())
    same = [q for q in queues if " ".join(q.casefold().split()) == key]
    if same:
        return f"; the history spells it {same[0]!r}"
    return f"; expected one of {', '.join(queues)}"


@one_line_messages
def read_events(path: str | Path, queues: list[str]) -> list[Event]:
    """Events from a TOML file; `InputError` naming the file and the entry on a problem."""
    path = Path(path)
    data = _read_document(path)
    check_personal_document(data, name=path.name)
    try:
        events = parse_events(data)
    except (ValueError, TypeError) as exc:
        raise InputError(f"{path.name}: {exc}") from None
    _check_sizes(events, data, path.name)
    for event in events:
        unknown = [q for q in event.queues if q not in queues]
        if unknown:
            raise InputError(
                f"{path.name}: {event.kind} '{event.name}': queue {unknown[0]!r} is not in the "
                f"history{_unknown_queue(unknown[0], list(queues))}"
            )
    return events
