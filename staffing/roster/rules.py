"""Shift rules of the roster: what a legal week looks like, and what the optimizer trades off.

`ShiftRules` holds every rule the roster model (`staffing.roster.solve`) and the independent checker
(`staffing.roster.check`) apply; `MeetingRule` describes one recurring meeting or training block.
The defaults are those of the Copenhagen job-centre line as far as the documents (DOMAIN.md)
say, and what a Danish municipal contact centre would otherwise expect:

- a full-time week of 37 hours (the Danish public-sector norm); a day's norm is the weekly
  contract hours / 5, and a week with a public holiday or a booked holiday has its norm lowered
  by that many day norms (holidays are credited at the day norm, as Danish agreements do);
- the planned hours of a week lie within ``hours_tolerance`` (default 0.5 h) of that norm: the
  flexitime (flekstid) balance absorbs the rest;
- at most ``max_days_per_week`` working days (5) and at most one shift a day, shifts of
  ``min_shift_hours`` to ``max_shift_hours`` (4-9 h) starting every ``interval_minutes`` (15),
  inside the opening hours plus ``lead_in_minutes`` (15 minutes to log on before opening);
- a 30-minute lunch in every shift longer than 6 hours, starting 3 h to 4 h 30 min after the
  start of the shift (so it ends at least 1 h 15 min before the end of the shortest such
  shift). The lunch is paid working time by default (``lunch_paid``), as for most municipal
  employees; short breaks are not planned (teams place them themselves, document 003) and
  belong in the shrinkage of the requirement;
- meetings and training never in the "best contact time" 09:00-10:00 or the 10:00-13:00 peak
  (document 001, point 1) unless a meeting says ``allow_in_blackout``;
- a weekly team meeting (60 min, the whole team together; a member may stay on the phone
  when a queue or the team would otherwise have nobody on it, at a cost) and each agent's
  quarterly feedback talk (30 min, one at a time per team because the team lead holds them);
  blocks start on the hour or the half hour;
- the phone policy's two presence floors, both soft (a heavy cost, ``weight_empty_queue`` and
  ``weight_team_floor``, so that a week that cannot meet them still gets a plan and a
  diagnosis): someone skilled on the phone in every open interval of a queue, and
  (``team_floor``) at least one member of every team on the phone in every interval of the
  phone hours (document 001, point 1: "at least one employee in every team must be present to
  take the phone within phone hours"). The phone hours are the centre's opening hours of each
  day by default (``team_floor_hours = []``): for the job-centre line they are the same thing
  (002: Monday-Friday 07:30-16:00, Wednesday and Friday to 15:00); the 09:00-16:00 that 001
  names are the back-office centres' phone hours, which ``team_floor_hours =
  [["09:00", "16:00"]]`` gives. The 15-minute lead-in before opening is not phone hours;
- phone time beyond what the requirement needs is off-phone work (``off_phone``: written
  enquiries, case work, development; "meetings and development work run in parallel with
  operations when the forecast allows", document 003), in blocks of 30 minutes to 2 hours
  (``off_phone_min_minutes``, ``off_phone_max_minutes``), spread evenly over the agents
  (`staffing.roster.release`).

The weights of the objective are in *answered calls lost* (the under-coverage weights come from
Erlang A, see `staffing.roster.solve.shortfall_weights`); the other weights are stated in the same
unit, so "preferences honoured where they cost little" means "unless honouring them loses more
than ``weight_wish`` answered calls".

Every rule is checked when the rules are made, in `ShiftRules` and `MeetingRule` themselves,
so that a rules file (`ShiftRules.from_mapping`, read by `planner.io.rules`) and a program get
the same answer: booleans must be booleans (``lunch_paid = "no"`` is refused, not read as
true), whole numbers must be integers and never booleans, numbers must be finite and inside a
range that makes sense for what they measure (hours of a week at most 168, minutes of a day at
most 1440, seconds at most an hour, weights at most one million answered calls, and
``hours_tolerance`` at most 40 hours, because the hours band sets the size of the model's
pricing tables), lists and tables must have their shape. A broken rule raises ValueError with
one line naming the TOML key (``meetings[2].weekdays[1]``, positions counted from 1), what was
found and what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import reprlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from centre.parsing import WEEKDAYS
from staffing.kpi import SlaGoals

__all__ = [
    "ShiftRules",
    "MeetingRule",
    "WEEKDAYS",
    "parse_time",
    "default_meetings",
]

_ACTIVITIES = ("meeting", "training")
_ATTENDEES = ("team", "each")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)

#: The upper limits of the rules, each what the quantity can mean at most.
_HOURS_OF_WEEK = 168
_HOURS_OF_DAY = 24
_MINUTES_OF_DAY = 1440
_LONGEST_SHIFT_HOURS = 16
_LONGEST_MEETING_MINUTES = 480
#: an agent-week's paid hours lie within the tolerance of its norm; the pricing of patterns
#: keeps a table of (days, paid intervals) up to the norm + the tolerance, so the tolerance
#: bounds the memory the model needs (1e9 hours asked for 179 GiB); 40 hours lets a week's
#: hours be anything from none to twice a full-time week
_MAX_HOURS_TOLERANCE = 40
_MAX_SECONDS = 3600
_MAX_WEIGHT = 1_000_000
_MAX_EVERY_WEEKS = 52

#: how a value is shown in a message: Python's repr on one line, with deep or long values cut
#: (a rules file may hold a list nested hundreds deep or a text of any length)
_SHOW = reprlib.Repr()
_SHOW.maxlevel = 3
_SHOW.maxtuple = _SHOW.maxlist = _SHOW.maxdict = _SHOW.maxset = 4
_SHOW.maxstring = _SHOW.maxother = 60


def _shown(value: Any) -> str:
    """``value`` as messages show it: one line, at most about 60 characters."""
    return _SHOW.repr(value)


def _key_shown(key: Any) -> str:
    """A TOML key as messages show it: bare keys as they are, others quoted (one line)."""
    text = str(key)
    return text if _BARE_KEY.fullmatch(text) else _shown(text)


def _is_whole(value: Any) -> bool:
    """True for an integer that is not a boolean (TOML's ``true`` is no number)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    """True for an integer or float that is not a boolean."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _limit(value: float) -> str:
    """A limit as messages show it: ``168``, ``0.5``, ``1000000``."""
    return f"{value:.15g}"


class _Range(NamedTuple):
    """The values a number rule takes: above ``low`` (from ``low`` when ``from_low``) and at
    most ``high``; ``unit`` says in what ``high`` is counted and why it is the limit."""

    low: float
    from_low: bool
    high: float
    unit: str


def _check_number(value: Any, name: str, allowed: _Range) -> None:
    """``value`` is a finite number (int or float, not a boolean) inside ``allowed``."""
    bound = f"{'>=' if allowed.from_low else '>'} {_limit(allowed.low)}"
    if not _is_number(value):
        raise ValueError(f"{name} must be a number {bound}; got {_shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number {bound}; got {_shown(value)}")
    if value < allowed.low or (value == allowed.low and not allowed.from_low):
        raise ValueError(f"{name} must be a number {bound}; got {_shown(value)}")
    if value > allowed.high:
        raise ValueError(
            f"{name} must be at most {_limit(allowed.high)} {allowed.unit}; got {_shown(value)}"
        )


def _check_whole(value: Any, name: str, expected: str, low: int, high: int, unit: str = "") -> None:
    """``value`` is a whole number (an integer, not a boolean) from ``low`` to ``high``;
    ``expected`` describes it in the message, ``unit`` (when given) the upper limit's."""
    if not _is_whole(value) or value < low:
        raise ValueError(f"{name} must be {expected}; got {_shown(value)}")
    if value > high:
        if unit:
            raise ValueError(f"{name} must be at most {high} {unit}; got {_shown(value)}")
        raise ValueError(f"{name} must be {expected}; got {_shown(value)}")


def _check_minutes_on_grid(value: Any, name: str, step: int, *, zero: bool) -> None:
    """``value`` is a whole number of minutes (0 allowed when ``zero``), at most a day, on the
    grid of ``step`` minutes."""
    expected = (
        f"a whole number {'>= 0' if zero else '> 0'} and a multiple of interval_minutes ({step})"
    )
    _check_whole(value, name, expected, 0 if zero else 1, _MINUTES_OF_DAY, "minutes (a day)")
    if value % step:
        raise ValueError(f"{name} must be {expected}; got {_shown(value)}")


def _check_flag(value: Any, name: str) -> None:
    """``value`` is a boolean (TOML ``true`` or ``false``, not text or a number)."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false; got {_shown(value)}")


def _check_choice(value: Any, name: str, choices: tuple[str, ...]) -> None:
    """``value`` is one of the texts ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {_shown(value)}")


def _check_text(value: Any, name: str) -> None:
    """``value`` is a text with something in it."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty text; got {_shown(value)}")


def parse_time(value: str | dt.time, name: str, *, at: str = "") -> dt.time:
    """A clock time from ``"HH:MM"`` text or a TOML local time (whole minutes); ValueError
    naming ``name`` (and ``at``, where the value sits in the file) for anything else.

    >>> parse_time("8:30", "earliest"), parse_time(dt.time(9, 0), "latest")
    (datetime.time(8, 30), datetime.time(9, 0))
    """
    if isinstance(value, dt.time):
        if value.second == 0 and value.microsecond == 0 and value.tzinfo is None:
            return value
    elif isinstance(value, str):
        match = _CLOCK.fullmatch(value.strip())
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return dt.time(int(match[1]), int(match[2]))
    where = f" at {at}" if at else ""
    raise ValueError(f"{name} must be a clock time like '08:30'; got {_shown(value)}{where}")


def _check_optional_time(value: Any, name: str) -> None:
    """``value`` is None or a `datetime.time` of whole minutes."""
    if value is None:
        return
    if not isinstance(value, dt.time):
        raise ValueError(f"{name} must be a clock time (datetime.time); got {_shown(value)}")
    parse_time(value, name)


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _weekday(value: Any, name: str) -> int:
    """A weekday from a name (``"tue"``, ``"Tuesday"``) or a number (0 = Monday to 6 =
    Sunday, never a boolean: ``true`` is not Tuesday)."""
    if _is_whole(value) and 0 <= value <= 6:
        return int(value)
    if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
        return WEEKDAYS[value.strip().lower()]
    raise ValueError(
        f"{name} must be a weekday: mon, tue, ... sun or 0 (Monday) to 6 (Sunday); "
        f"got {_shown(value)}"
    )


def _parse_weekdays(value: Any, name: str) -> tuple[int, ...]:
    """Weekdays from a TOML list of names or numbers; ValueError naming the entry
    (``name[2]``) that is none."""
    if not isinstance(value, list | tuple):
        raise ValueError(
            f"{name} must be a list of weekdays like ['tue', 'thu']; got {_shown(value)}"
        )
    return tuple(_weekday(day, f"{name}[{i}]") for i, day in enumerate(value, start=1))


def _check_weekday_numbers(value: Any, name: str) -> None:
    """``value`` is a tuple of weekday numbers 0 (Monday) to 6 (Sunday)."""
    if not isinstance(value, tuple) or not all(_is_whole(d) and 0 <= d <= 6 for d in value):
        raise ValueError(f"{name} must be 0 (Monday) to 6 (Sunday); got {_shown(value)}")


#: The check of each field of a meeting but its name: ``check(value, name in messages)``.
_MEETING_CHECKS: dict[str, Callable[[Any, str], None]] = {
    "activity": lambda value, name: _check_choice(value, name, _ACTIVITIES),
    "attendees": lambda value, name: _check_choice(value, name, _ATTENDEES),
    "minutes": lambda value, name: _check_whole(
        value,
        name,
        f"a whole number in (0, {_LONGEST_MEETING_MINUTES}]",
        1,
        _LONGEST_MEETING_MINUTES,
    ),
    "every_weeks": lambda value, name: _check_whole(
        value, name, "a whole number >= 1", 1, _MAX_EVERY_WEEKS, "weeks (once a year)"
    ),
    "weekdays": _check_weekday_numbers,
    "earliest": _check_optional_time,
    "latest": _check_optional_time,
    "allow_in_blackout": _check_flag,
    "one_at_a_time_per_team": _check_flag,
    "start_every_minutes": lambda value, name: _check_whole(
        value, name, "a whole number > 0", 1, _MINUTES_OF_DAY, "minutes (a day)"
    ),
}


@dataclass(frozen=True)
class MeetingRule:
    """A recurring meeting or training block placed by the optimizer.

    Parameters
    ----------
    name:
        Shown to planners ("Teammøde").
    activity:
        The roster activity of the block: ``"meeting"`` or ``"training"``.
    attendees:
        ``"team"``: all members of a team together (members on holiday that day miss it; the
        others must be on shift); ``"each"``: every agent on their own.
    minutes:
        Length, a multiple of the rules' interval, at most 480 (8 hours).
    every_weeks:
        1 = weekly; 13 = quarterly; at most 52 (yearly). With ``every_weeks = n`` an agent (or
        team) has the block in the ISO weeks where ``(week - 1) % n`` equals its position in
        the sorted agent ids (team names) modulo ``n``, which spreads a quarter's talks evenly
        over its 13 weeks.
    weekdays:
        Allowed weekdays (0 = Monday); empty = any open day.
    earliest, latest:
        The block lies inside [earliest, latest] (clock times); ``None`` = no limit.
    allow_in_blackout:
        Allow the block in the meeting blackout windows (best contact time, peak).
    one_at_a_time_per_team:
        For ``"each"`` blocks: no two members of a team at the same time (the team lead holds
        feedback talks).
    start_every_minutes:
        Blocks start on this clock grid (30: on the hour and the half hour), at most a day.
    """

    name: str
    activity: str = "meeting"
    attendees: str = "team"
    minutes: int = 60
    every_weeks: int = 1
    weekdays: tuple[int, ...] = ()
    earliest: dt.time | None = None
    latest: dt.time | None = None
    allow_in_blackout: bool = False
    one_at_a_time_per_team: bool = False
    start_every_minutes: int = 30

    def __post_init__(self) -> None:
        """Check the type and range of every field, then that the window holds the block;
        ValueError naming the meeting and the field."""
        _check_text(self.name, "meeting name")
        label = f"meeting {_shown(self.name)}"
        for key, check in _MEETING_CHECKS.items():
            check(getattr(self, key), f"{label}: {key}")
        if self.earliest is not None and self.latest is not None:
            if _minutes(self.latest) - _minutes(self.earliest) < self.minutes:
                raise ValueError(
                    f"{label}: the window {self.earliest:%H:%M}-"
                    f"{self.latest:%H:%M} is shorter than its {self.minutes} minutes"
                )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, at: str = "") -> MeetingRule:
        """Build from a TOML table; keys as the fields, times as ``"HH:MM"``, weekdays as names.

        ``at`` is where the table sits in the rules file (``meetings[2]``): messages then name
        the key there (``meetings[2].weekdays[1]``); without it they name the meeting.
        """
        if not isinstance(data, Mapping):
            raise ValueError(
                f"{at or 'a meeting'} must be a [[meetings]] table with a name; got {_shown(data)}"
            )
        if "name" in data:
            _check_text(data["name"], f"{at}.name" if at else "meeting name")
        label = at or f"meeting {_shown(data.get('name', '?'))}"
        _check_meeting_keys(data, label, {f.name for f in fields(cls)})

        def key_name(key: str) -> str:
            return f"{at}.{key}" if at else f"{label}: {key}"

        values = dict(data)
        for key in ("earliest", "latest"):
            if values.get(key) is not None:
                values[key] = parse_time(values[key], key_name(key))
        if "weekdays" in values:
            values["weekdays"] = _parse_weekdays(values["weekdays"], key_name("weekdays"))
        for key, value in values.items():
            if key in _MEETING_CHECKS:
                _MEETING_CHECKS[key](value, key_name(key))
        try:
            return cls(**values)
        except ValueError as exc:  # the window shorter than the block: name where it is
            raise ValueError(f"{at}: {exc}" if at else str(exc)) from None

    def to_mapping(self) -> dict[str, Any]:
        """The TOML table of this meeting (inverse of `from_mapping`)."""
        names = {v: k for k, v in WEEKDAYS.items() if len(k) == 3}
        out: dict[str, Any] = {
            "name": self.name,
            "activity": self.activity,
            "attendees": self.attendees,
            "minutes": self.minutes,
            "every_weeks": self.every_weeks,
            "weekdays": [names[d] for d in self.weekdays],
            "allow_in_blackout": self.allow_in_blackout,
            "one_at_a_time_per_team": self.one_at_a_time_per_team,
            "start_every_minutes": self.start_every_minutes,
        }
        if self.earliest is not None:
            out["earliest"] = self.earliest.strftime("%H:%M")
        if self.latest is not None:
            out["latest"] = self.latest.strftime("%H:%M")
        return out


def _unknown_keys(data: Mapping[Any, Any], known: set[str]) -> str:
    """The keys of ``data`` not in ``known``, as a message lists them (at most five), or ''."""
    unknown = sorted(_key_shown(key) for key in data if key not in known)
    if len(unknown) > 5:
        unknown = [*unknown[:5], f"and {len(unknown) - 5} more"]
    return ", ".join(unknown)


def _check_meeting_keys(data: Mapping[str, Any], label: str, known: set[str]) -> None:
    """A meeting's table has only known keys, and a name."""
    unknown = _unknown_keys(data, known)
    if unknown:
        raise ValueError(
            f"{label}: unknown key(s) {unknown}; known keys: {', '.join(sorted(known))}"
        )
    if "name" not in data:
        raise ValueError(f"{label}: every meeting needs a name")


def default_meetings() -> tuple[MeetingRule, ...]:
    """The default blocks: a weekly team meeting and each agent's quarterly feedback talk."""
    return (
        MeetingRule(
            name="Teammøde",
            activity="meeting",
            attendees="team",
            minutes=60,
            every_weeks=1,
            weekdays=(1, 2, 3),
        ),
        MeetingRule(
            name="Feedbacksamtale",
            activity="meeting",
            attendees="each",
            minutes=30,
            every_weeks=13,
            one_at_a_time_per_team=True,
        ),
    )


def _default_blackout() -> tuple[tuple[dt.time, dt.time], ...]:
    return ((dt.time(9, 0), dt.time(10, 0)), (dt.time(10, 0), dt.time(13, 0)))


def _check_window(start: dt.time, end: dt.time, name: str, *, at: str = "") -> None:
    """A window starts before it ends."""
    if _minutes(start) >= _minutes(end):
        where = f" at {at}" if at else ""
        raise ValueError(
            f"{name} windows must start before they end; got {start:%H:%M}-{end:%H:%M}{where}"
        )


def _parse_windows(value: Any, name: str) -> tuple[tuple[dt.time, dt.time], ...]:
    """Clock-time windows from a TOML list of ``["HH:MM", "HH:MM"]`` pairs; ValueError naming
    ``name`` and the entry (``name[2][1]``) for anything else."""
    if not isinstance(value, list | tuple):
        raise ValueError(
            f"{name} must be a list of pairs like [['09:00', '10:00']]; got {_shown(value)}"
        )
    windows = []
    for i, pair in enumerate(value, start=1):
        at = f"{name}[{i}]"
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(
                f"{name} entries must be pairs like ['09:00', '10:00']; got {_shown(pair)} at {at}"
            )
        start = parse_time(pair[0], name, at=f"{at}[1]")
        end = parse_time(pair[1], name, at=f"{at}[2]")
        _check_window(start, end, name, at=at)
        windows.append((start, end))
    return tuple(windows)


def _check_windows(value: Any, name: str) -> None:
    """``value`` is a tuple of (start, end) clock times, each starting before it ends."""
    if not isinstance(value, tuple):
        raise ValueError(f"{name} must be a tuple of (start, end) clock times; got {_shown(value)}")
    for window in value:
        if (
            not isinstance(window, tuple)
            or len(window) != 2
            or not all(isinstance(t, dt.time) for t in window)
        ):
            raise ValueError(
                f"{name} entries must be (start, end) clock times; got {_shown(window)}"
            )
        _check_window(window[0], window[1], name)


def _parse_meetings(value: Any) -> tuple[MeetingRule, ...]:
    """Meetings from the TOML list of ``[[meetings]]`` tables; ValueError naming the entry."""
    if not isinstance(value, list | tuple):
        raise ValueError(f"meetings must be a list of tables; got {_shown(value)}")
    return tuple(
        MeetingRule.from_mapping(table, at=f"meetings[{i}]")
        for i, table in enumerate(value, start=1)
    )


_WEIGHT = "answered calls (larger weights make the solver's arithmetic unreliable)"

#: The values of each number rule (hours, seconds, weights): the lower bound and whether it is
#: allowed, and the upper limit with what it means.
_NUMBER_RULES: dict[str, _Range] = {
    "full_time_hours": _Range(0, False, _HOURS_OF_WEEK, "hours (a week)"),
    "hours_tolerance": _Range(
        0,
        True,
        _MAX_HOURS_TOLERANCE,
        "hours (a wider band makes the roster model too large to build)",
    ),
    "min_shift_hours": _Range(0, False, _LONGEST_SHIFT_HOURS, "hours"),
    "max_shift_hours": _Range(0, False, _LONGEST_SHIFT_HOURS, "hours"),
    "shift_length_band_hours": _Range(0, True, _HOURS_OF_DAY, "hours (a day)"),
    "lunch_after_hours": _Range(0, False, _HOURS_OF_DAY, "hours (a day)"),
    "patience_seconds": _Range(0, False, _MAX_SECONDS, "seconds (an hour)"),
    "default_aht_seconds": _Range(0, False, _MAX_SECONDS, "seconds (an hour)"),
    "short_abandon_seconds": _Range(0, True, _MAX_SECONDS, "seconds (an hour)"),
    "min_shortfall_weight": _Range(0, False, _MAX_WEIGHT, _WEIGHT),
    "weight_empty_queue": _Range(0, False, _MAX_WEIGHT, _WEIGHT),
    "weight_team_floor": _Range(0, False, _MAX_WEIGHT, _WEIGHT),
    "weight_over": _Range(0, True, _MAX_WEIGHT, _WEIGHT),
    "weight_hours_deviation": _Range(0, True, _MAX_WEIGHT, _WEIGHT),
    "weight_unfair": _Range(0, True, _MAX_WEIGHT, _WEIGHT),
    "weight_wish": _Range(0, True, _MAX_WEIGHT, _WEIGHT),
    "weight_missed_meeting": _Range(0, False, _MAX_WEIGHT, _WEIGHT),
    "weight_skipped_meeting": _Range(0, True, _MAX_WEIGHT, _WEIGHT),
}
#: The rules that are true or false.
_FLAG_RULES = ("lunch_paid", "unavailable_days_credited", "team_floor", "off_phone")
#: Minute rules on the interval grid that may be 0 (the off-phone blocks may not).
_GRID_RULES = (
    "lead_in_minutes",
    "lunch_minutes",
    "lunch_earliest_after_start_minutes",
    "lunch_latest_after_start_minutes",
    "early_late_margin_minutes",
)
_COVER_COLUMNS = ("auto", "agents", "agents_gross")


@dataclass(frozen=True)
class ShiftRules:
    """Every rule of a legal roster and the weights of what the optimizer trades off.

    Hours are hours, times are clock times, minutes are minutes. See the module docstring for
    where each default comes from and how each value is checked. Weights are in answered calls
    lost (see `staffing.roster.solve`).

    Examples
    --------
    >>> rules = ShiftRules(hours_tolerance=1.0)
    >>> rules.day_norm_hours(37.0)
    7.4
    """

    interval_minutes: int = 15
    full_time_hours: float = 37.0
    max_days_per_week: int = 5
    hours_tolerance: float = 0.5
    min_shift_hours: float = 4.0
    max_shift_hours: float = 9.0
    #: shift lengths offered to an agent: day norm +- this band (and long enough to reach the
    #: week's hours on the days the agent can work), clipped to [min_shift, max_shift].
    shift_length_band_hours: float = 1.0
    lead_in_minutes: int = 15
    lunch_minutes: int = 30
    lunch_after_hours: float = 6.0
    lunch_earliest_after_start_minutes: int = 180
    lunch_latest_after_start_minutes: int = 270
    lunch_paid: bool = True
    unavailable_days_credited: bool = True
    #: an early shift starts before opening + this margin; a late one ends after closing - it.
    early_late_margin_minutes: int = 30
    meeting_blackout: tuple[tuple[dt.time, dt.time], ...] = field(default_factory=_default_blackout)
    meetings: tuple[MeetingRule, ...] = field(default_factory=default_meetings)
    #: which requirement column the roster covers: ``agents`` (net: the agents needed on the
    #: phone; the roster itself places holidays, lunch and meetings), ``agents_gross`` (net
    #: inflated by the whole shrinkage) or "auto" (``agents_gross`` when the table has it).
    cover_column: str = "agents"
    #: the phone policy per team (document 001, point 1): at least one member of every team
    #: (the agents' ``team`` column; agents without a team are in none) on the phone, i.e. on
    #: shift and not at lunch, in a meeting or training, in every interval of the phone hours.
    #: Soft, at ``weight_team_floor`` per team and interval, so that a team with everybody on
    #: holiday gets a plan and a diagnostic rather than no plan.
    team_floor: bool = True
    #: the phone hours of the team floor: clock-time windows ``[["HH:MM", "HH:MM"], ...]``
    #: inside each day's opening hours; empty (the default) = the opening hours themselves,
    #: which are the phone hours of the job-centre line. An interval belongs to the phone
    #: hours when it starts inside the opening hours and inside a window.
    team_floor_hours: tuple[tuple[dt.time, dt.time], ...] = ()
    #: phone time the requirement does not need goes to the activity ``off_phone`` (written
    #: enquiries, case work, development: document 003, "when the forecast allows"), in blocks
    #: of ``off_phone_min_minutes`` to ``off_phone_max_minutes`` (`staffing.roster.release`);
    #: false keeps everybody on the phone for the whole shift.
    off_phone: bool = True
    off_phone_min_minutes: int = 30
    off_phone_max_minutes: int = 120
    #: Erlang A inputs for the under-coverage weights when the requirements carry no
    #: ``offered``/``aht_seconds``/``patience_seconds`` columns.
    patience_seconds: float = 180.0
    default_aht_seconds: float = 300.0
    short_abandon_seconds: float = SlaGoals().short_abandon
    #: smallest weight of an agent-interval short (so no shortfall is ever free).
    min_shortfall_weight: float = 0.05
    weight_empty_queue: float = 200.0
    #: a team with nobody on the phone for one interval of the phone hours (``team_floor``).
    weight_team_floor: float = 200.0
    weight_over: float = 0.02
    weight_hours_deviation: float = 0.1
    weight_unfair: float = 2.0
    weight_wish: float = 0.5
    weight_missed_meeting: float = 100.0
    #: a member who stays on the phone during the team meeting (to keep a queue open).
    weight_skipped_meeting: float = 5.0

    def __post_init__(self) -> None:
        """Check every rule, in a fixed order; ValueError naming the first one broken."""
        self._check_interval()
        self._check_flags()
        self._check_numbers()
        self._check_days_and_shift_lengths()
        self._check_grid()
        self._check_blackout_and_cover()
        self._check_off_phone()
        self._check_meetings()

    # ------------------------------------------------------------------ checks
    def _check_interval(self) -> None:
        """The planning interval is 15 or 30 minutes (a whole number: 15.0 is not one)."""
        if not _is_whole(self.interval_minutes) or self.interval_minutes not in (15, 30):
            raise ValueError(
                f"interval_minutes must be 15 or 30; got {_shown(self.interval_minutes)}"
            )

    def _check_flags(self) -> None:
        """The switches are booleans: text such as ``"no"`` or a number is refused, not read
        as true."""
        for name in _FLAG_RULES:
            _check_flag(getattr(self, name), name)

    def _check_numbers(self) -> None:
        """Hours, seconds and weights are finite numbers inside their range (`_NUMBER_RULES`)."""
        for name, allowed in _NUMBER_RULES.items():
            _check_number(getattr(self, name), name, allowed)

    def _check_days_and_shift_lengths(self) -> None:
        """Working days a week in 1-7; shift lengths ordered."""
        _check_whole(
            self.max_days_per_week, "max_days_per_week", "a whole number from 1 to 7", 1, 7
        )
        if self.min_shift_hours > self.max_shift_hours:
            raise ValueError(
                f"min_shift_hours must not exceed max_shift_hours; got "
                f"{self.min_shift_hours} > {self.max_shift_hours}"
            )

    def _check_grid(self) -> None:
        """Minute settings, the lunch window and shift lengths lie on the interval grid."""
        step = self.interval_minutes
        for name in _GRID_RULES:
            _check_minutes_on_grid(getattr(self, name), name, step, zero=True)
        if self.lunch_minutes == 0:
            raise ValueError("lunch_minutes must be > 0")
        if self.lunch_latest_after_start_minutes < self.lunch_earliest_after_start_minutes:
            raise ValueError(
                "lunch_latest_after_start_minutes must not be before "
                f"lunch_earliest_after_start_minutes; got {self.lunch_latest_after_start_minutes} "
                f"< {self.lunch_earliest_after_start_minutes}"
            )
        for hours_name in ("min_shift_hours", "max_shift_hours"):
            minutes = getattr(self, hours_name) * 60
            if abs(minutes - round(minutes)) > 1e-9 or round(minutes) % step:
                raise ValueError(
                    f"{hours_name} must be a whole number of {step}-minute intervals; "
                    f"got {getattr(self, hours_name)}"
                )

    def _check_blackout_and_cover(self) -> None:
        """The meeting blackout and the team floor's phone hours are clock-time windows that
        start before they end; the cover column is a known one."""
        _check_windows(self.meeting_blackout, "meeting_blackout")
        _check_windows(self.team_floor_hours, "team_floor_hours")
        if not isinstance(self.cover_column, str) or self.cover_column not in _COVER_COLUMNS:
            raise ValueError(
                f"cover_column must be 'auto', 'agents' or 'agents_gross'; "
                f"got {_shown(self.cover_column)}"
            )

    def _check_off_phone(self) -> None:
        """The off-phone blocks' lengths lie on the grid, at most a day, min <= max."""
        step = self.interval_minutes
        for name in ("off_phone_min_minutes", "off_phone_max_minutes"):
            _check_minutes_on_grid(getattr(self, name), name, step, zero=False)
        if self.off_phone_min_minutes > self.off_phone_max_minutes:
            raise ValueError(
                "off_phone_min_minutes must not exceed off_phone_max_minutes; got "
                f"{self.off_phone_min_minutes} > {self.off_phone_max_minutes}"
            )

    def team_floor_minutes(self, open_min: int, close_min: int) -> list[tuple[int, int]]:
        """The phone hours of the team floor on a day open ``[open_min, close_min)`` (minutes
        after midnight), as ``[start, end)`` minute windows; empty when ``team_floor`` is off.

        >>> ShiftRules().team_floor_minutes(450, 960)
        [(450, 960)]
        >>> hours = ((dt.time(9, 0), dt.time(16, 0)),)
        >>> ShiftRules(team_floor_hours=hours).team_floor_minutes(450, 900)
        [(540, 900)]
        """
        if not self.team_floor:
            return []
        if not self.team_floor_hours:
            return [(open_min, close_min)] if open_min < close_min else []
        out = []
        for start, end in self.team_floor_hours:
            lo, hi = max(open_min, _minutes(start)), min(close_min, _minutes(end))
            if lo < hi:
                out.append((lo, hi))
        return out

    def _check_meetings(self) -> None:
        """Meetings are `MeetingRule`s with unique names whose lengths and start grids fit the
        interval."""
        if not isinstance(self.meetings, tuple) or not all(
            isinstance(m, MeetingRule) for m in self.meetings
        ):
            raise ValueError(
                f"meetings must be a tuple of MeetingRule; got {_shown(self.meetings)}"
            )
        step = self.interval_minutes
        names = [m.name for m in self.meetings]
        if len(set(names)) != len(names):
            raise ValueError(f"meeting names must be unique; got {_shown(names)}")
        for meeting in self.meetings:
            if meeting.minutes % step or meeting.start_every_minutes % step:
                raise ValueError(
                    f"meeting {_shown(meeting.name)}: minutes and start_every_minutes must be "
                    f"multiples of interval_minutes ({step}); got {meeting.minutes} and "
                    f"{meeting.start_every_minutes}"
                )

    # ------------------------------------------------------------------ derived values
    def day_norm_hours(self, weekly_hours: float) -> float:
        """Hours of one working day for a contract of ``weekly_hours`` (weekly / days a week)."""
        return round(weekly_hours / 5.0, 6)

    def covered_column(self, columns: Iterable[str]) -> str:
        """The requirement column the roster covers, given the table's ``columns``."""
        if self.cover_column == "auto":
            return "agents_gross" if "agents_gross" in set(columns) else "agents"
        return self.cover_column

    def paid_hours(self, shift_minutes: int) -> float:
        """Paid hours of a shift of ``shift_minutes`` (lunch deducted unless it is paid)."""
        if not self.lunch_paid and shift_minutes > self.lunch_after_hours * 60:
            return (shift_minutes - self.lunch_minutes) / 60.0
        return shift_minutes / 60.0

    def needs_lunch(self, shift_minutes: int) -> bool:
        """True for a shift longer than ``lunch_after_hours``."""
        return shift_minutes > self.lunch_after_hours * 60 + 1e-9

    # ------------------------------------------------------------------ (de)serialising
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ShiftRules:
        """Build from a parsed TOML document (keys as the fields; times ``"HH:MM"``).

        ``meeting_blackout`` and ``team_floor_hours`` are lists of ``["HH:MM", "HH:MM"]``
        pairs; ``meetings`` a list of tables (see `MeetingRule.from_mapping`). Unknown keys and
        values of the wrong type or outside their range raise ValueError naming the key
        (``meetings[2].minutes``), what was found and what was expected.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"the rules must be a table of key = value; got {_shown(data)}")
        known = {f.name for f in fields(cls)}
        unknown = _unknown_keys(data, known)
        if unknown:
            raise ValueError(f"unknown rule(s) {unknown}; known rules: {', '.join(sorted(known))}")
        values = dict(data)
        for key in ("meeting_blackout", "team_floor_hours"):
            if key in values:
                values[key] = _parse_windows(values[key], key)
        if "meetings" in values:
            values["meetings"] = _parse_meetings(values["meetings"])
        try:
            return cls(**values)
        except TypeError as exc:
            raise ValueError(f"bad rules: {exc}") from None

    def to_mapping(self) -> dict[str, Any]:
        """A plain dict of the rules (times as ``"HH:MM"``), the inverse of `from_mapping`."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("meeting_blackout", "team_floor_hours"):
                value = [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in value]
            elif f.name == "meetings":
                value = [m.to_mapping() for m in value]
            out[f.name] = value
        return out
