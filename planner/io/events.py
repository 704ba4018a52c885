"""Reading known events and manual adjustments (``events.toml``) for a forecast.

The file's form is `forecast.events.parse_events`'s; this reader adds the file's name to every
message and checks at the door, each an `InputError` with one line naming the file and the
entry:

- a readable UTF-8 TOML file (a byte-order mark is allowed; nesting a thousand deep is
  refused, not a crash);
- no personal data in any key or value (names, notes, queue names:
  `planner.io.pii.check_personal_document`), before any message could quote one;
- queues that are in the history (a typo must not pass silently; a queue spelled in other
  upper/lower case or with spaces is named);
- sizes a forecast can take: ``lift`` from -1 to `MAX_LIFT` (``percent`` from -100 to
  10,000), ``calls`` at most `MAX_EVENT_CALLS` either way; days in the years 1900 to 2199.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from forecast.events import Event, parse_events
from planner.errors import InputError
from planner.io.forecast import YEARS
from planner.io.pii import check_personal_document, one_line_messages

__all__ = ["MAX_EVENT_CALLS", "MAX_LIFT", "read_events"]

#: The largest lift an event may give (+10,000 %).
MAX_LIFT = 100.0
#: The most calls one event may add (or take away).
MAX_EVENT_CALLS = 10_000_000


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


def _check_size(event: Event, label: str) -> None:
    """The event's lift, calls and days within what a forecast can take."""
    where = f"{label}: {event.kind} '{event.name}'"
    if event.lift is not None and event.lift > MAX_LIFT:
        raise InputError(
            f"{where}: found a lift of {event.lift:g} ({100 * event.lift:+,.0f} %); expected at "
            f"most {MAX_LIFT:g} (+{100 * MAX_LIFT:,.0f} %)"
        )
    if event.calls is not None and abs(event.calls) > MAX_EVENT_CALLS:
        raise InputError(
            f"{where}: found calls = {event.calls:g}; expected at most {MAX_EVENT_CALLS:,} calls "
            "added or taken away"
        )
    for key, day in (("start", event.start), ("end", event.end)):
        if day is not None and not YEARS[0] <= day.year <= YEARS[1]:
            raise InputError(
                f"{where}: found {key} = {day.isoformat()}; expected a day in the years "
                f"{YEARS[0]} to {YEARS[1]}"
            )


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
    for event in events:
        _check_size(event, path.name)
        unknown = [q for q in event.queues if q not in queues]
        if unknown:
            raise InputError(
                f"{path.name}: {event.kind} '{event.name}': queue {unknown[0]!r} is not in the "
                f"history{_unknown_queue(unknown[0], list(queues))}"
            )
    return events
