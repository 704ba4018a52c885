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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

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


def parse_time(value: str | dt.time, name: str) -> dt.time:
    """A clock time from ``"HH:MM"`` (or a `datetime.time`); ValueError naming ``name``."""
    if isinstance(value, dt.time):
        return value
    text = str(value).strip()
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise ValueError(f"{name} must be a clock time like '08:30'; got {value!r}") from None


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


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
        Length, a multiple of the rules' interval.
    every_weeks:
        1 = weekly; 13 = quarterly. With ``every_weeks = n`` an agent (or team) has the block in
        the ISO weeks where ``(week - 1) % n`` equals its position in the sorted agent ids (team
        names) modulo ``n``, which spreads a quarter's talks evenly over its 13 weeks.
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
        Blocks start on this clock grid (30: on the hour and the half hour).
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
        if not str(self.name).strip():
            raise ValueError("meeting name must not be empty")
        if self.activity not in _ACTIVITIES:
            raise ValueError(
                f"meeting {self.name!r}: activity must be one of {', '.join(_ACTIVITIES)}; "
                f"got {self.activity!r}"
            )
        if self.attendees not in _ATTENDEES:
            raise ValueError(
                f"meeting {self.name!r}: attendees must be one of {', '.join(_ATTENDEES)}; "
                f"got {self.attendees!r}"
            )
        if not isinstance(self.minutes, int) or not 0 < self.minutes <= 8 * 60:
            raise ValueError(
                f"meeting {self.name!r}: minutes must be a whole number in (0, 480]; "
                f"got {self.minutes!r}"
            )
        if not isinstance(self.every_weeks, int) or self.every_weeks < 1:
            raise ValueError(
                f"meeting {self.name!r}: every_weeks must be a whole number >= 1; "
                f"got {self.every_weeks!r}"
            )
        if not isinstance(self.start_every_minutes, int) or self.start_every_minutes <= 0:
            raise ValueError(
                f"meeting {self.name!r}: start_every_minutes must be a whole number > 0; "
                f"got {self.start_every_minutes!r}"
            )
        bad = [d for d in self.weekdays if d not in range(7)]
        if bad:
            raise ValueError(
                f"meeting {self.name!r}: weekdays must be 0 (Monday) to 6 (Sunday); got {bad}"
            )
        if self.earliest is not None and self.latest is not None:
            if _minutes(self.latest) - _minutes(self.earliest) < self.minutes:
                raise ValueError(
                    f"meeting {self.name!r}: the window {self.earliest:%H:%M}-"
                    f"{self.latest:%H:%M} is shorter than its {self.minutes} minutes"
                )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> MeetingRule:
        """Build from a TOML table; keys as the fields, times as ``"HH:MM"``, weekdays as names."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        label = data.get("name", "?")
        if unknown:
            raise ValueError(
                f"meeting {label!r}: unknown key(s) {', '.join(unknown)}; "
                f"known keys: {', '.join(sorted(known))}"
            )
        if "name" not in data:
            raise ValueError("every meeting needs a name")
        values = dict(data)
        for key in ("earliest", "latest"):
            if values.get(key) is not None:
                values[key] = parse_time(values[key], f"meeting {label!r}: {key}")
        if "weekdays" in values:
            values["weekdays"] = tuple(
                _weekday(day, f"meeting {label!r}: weekdays") for day in values["weekdays"]
            )
        return cls(**values)

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


def _weekday(value: Any, name: str) -> int:
    if isinstance(value, int) and value in range(7):
        return value
    key = str(value).strip().lower()
    if key not in WEEKDAYS:
        raise ValueError(f"{name}: {value!r} is not a weekday; expected mon, tue, ... sun")
    return WEEKDAYS[key]


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


def _parse_windows(value: Any, name: str) -> tuple[tuple[dt.time, dt.time], ...]:
    """Clock-time windows from a TOML list of ``["HH:MM", "HH:MM"]`` pairs; ValueError naming
    ``name`` for anything else."""
    if not isinstance(value, list | tuple):
        raise ValueError(f"{name} must be a list of pairs like [['09:00', '10:00']]; got {value!r}")
    windows = []
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(f"{name} entries must be pairs like ['09:00', '10:00']; got {pair!r}")
        windows.append((parse_time(pair[0], name), parse_time(pair[1], name)))
    return tuple(windows)


@dataclass(frozen=True)
class ShiftRules:
    """Every rule of a legal roster and the weights of what the optimizer trades off.

    Hours are hours, times are clock times, minutes are minutes. See the module docstring for
    where each default comes from. Weights are in answered calls lost (see `staffing.roster.solve`).

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
        self._check_numbers()
        self._check_days_and_shift_lengths()
        self._check_grid()
        self._check_blackout_and_cover()
        self._check_team_floor()
        self._check_off_phone()
        self._check_meetings()

    # ------------------------------------------------------------------ checks
    def _check_interval(self) -> None:
        """The planning interval is 15 or 30 minutes."""
        if self.interval_minutes not in (15, 30):
            raise ValueError(f"interval_minutes must be 15 or 30; got {self.interval_minutes!r}")

    def _check_numbers(self) -> None:
        """Hours, seconds and weights are numbers, > 0 or >= 0 as each needs."""
        positive = {
            "full_time_hours": self.full_time_hours,
            "min_shift_hours": self.min_shift_hours,
            "max_shift_hours": self.max_shift_hours,
            "lunch_after_hours": self.lunch_after_hours,
            "patience_seconds": self.patience_seconds,
            "default_aht_seconds": self.default_aht_seconds,
            "min_shortfall_weight": self.min_shortfall_weight,
            "weight_empty_queue": self.weight_empty_queue,
            "weight_team_floor": self.weight_team_floor,
            "weight_missed_meeting": self.weight_missed_meeting,
        }
        for name, value in positive.items():
            if not isinstance(value, int | float) or not value > 0:
                raise ValueError(f"{name} must be a number > 0; got {value!r}")
        non_negative = {
            "hours_tolerance": self.hours_tolerance,
            "shift_length_band_hours": self.shift_length_band_hours,
            "short_abandon_seconds": self.short_abandon_seconds,
            "weight_over": self.weight_over,
            "weight_hours_deviation": self.weight_hours_deviation,
            "weight_unfair": self.weight_unfair,
            "weight_wish": self.weight_wish,
            "weight_skipped_meeting": self.weight_skipped_meeting,
        }
        for name, value in non_negative.items():
            if not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a number >= 0; got {value!r}")

    def _check_days_and_shift_lengths(self) -> None:
        """Working days a week in 1-7; shift lengths ordered and at most 16 hours."""
        if not isinstance(self.max_days_per_week, int) or not 1 <= self.max_days_per_week <= 7:
            raise ValueError(
                f"max_days_per_week must be a whole number from 1 to 7; "
                f"got {self.max_days_per_week!r}"
            )
        if self.min_shift_hours > self.max_shift_hours:
            raise ValueError(
                f"min_shift_hours must not exceed max_shift_hours; got "
                f"{self.min_shift_hours} > {self.max_shift_hours}"
            )
        if self.max_shift_hours > 16:
            raise ValueError(f"max_shift_hours must be at most 16; got {self.max_shift_hours}")

    def _check_grid(self) -> None:
        """Minute settings, the lunch window and shift lengths lie on the interval grid."""
        step = self.interval_minutes
        on_grid = {
            "lead_in_minutes": self.lead_in_minutes,
            "lunch_minutes": self.lunch_minutes,
            "lunch_earliest_after_start_minutes": self.lunch_earliest_after_start_minutes,
            "lunch_latest_after_start_minutes": self.lunch_latest_after_start_minutes,
            "early_late_margin_minutes": self.early_late_margin_minutes,
        }
        for name, value in on_grid.items():
            if not isinstance(value, int) or value < 0 or value % step:
                raise ValueError(
                    f"{name} must be a whole number >= 0 and a multiple of interval_minutes "
                    f"({step}); got {value!r}"
                )
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
        """Meeting blackout windows start before they end; the cover column is a known one."""
        for start, end in self.meeting_blackout:
            if _minutes(start) >= _minutes(end):
                raise ValueError(
                    f"meeting_blackout windows must start before they end; "
                    f"got {start:%H:%M}-{end:%H:%M}"
                )
        if self.cover_column not in ("auto", "agents", "agents_gross"):
            raise ValueError(
                f"cover_column must be 'auto', 'agents' or 'agents_gross'; "
                f"got {self.cover_column!r}"
            )

    def _check_team_floor(self) -> None:
        """``team_floor`` is true or false; its phone-hour windows are clock-time pairs that
        start before they end."""
        if not isinstance(self.team_floor, bool):
            raise ValueError(f"team_floor must be true or false; got {self.team_floor!r}")
        if not isinstance(self.weight_team_floor, int | float) or isinstance(
            self.weight_team_floor, bool
        ):
            raise ValueError(
                f"weight_team_floor must be a number > 0; got {self.weight_team_floor!r}"
            )
        if not isinstance(self.team_floor_hours, tuple):
            raise ValueError(
                "team_floor_hours must be a tuple of (start, end) clock times; "
                f"got {self.team_floor_hours!r}"
            )
        for window in self.team_floor_hours:
            if (
                not isinstance(window, tuple)
                or len(window) != 2
                or not all(isinstance(t, dt.time) for t in window)
            ):
                raise ValueError(
                    f"team_floor_hours entries must be (start, end) clock times; got {window!r}"
                )
            start, end = window
            if _minutes(start) >= _minutes(end):
                raise ValueError(
                    f"team_floor_hours windows must start before they end; "
                    f"got {start:%H:%M}-{end:%H:%M}"
                )

    def _check_off_phone(self) -> None:
        """``off_phone`` is true or false; its block lengths lie on the grid, min <= max."""
        if not isinstance(self.off_phone, bool):
            raise ValueError(f"off_phone must be true or false; got {self.off_phone!r}")
        step = self.interval_minutes
        for name in ("off_phone_min_minutes", "off_phone_max_minutes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value % step:
                raise ValueError(
                    f"{name} must be a whole number > 0 and a multiple of interval_minutes "
                    f"({step}); got {value!r}"
                )
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
        """Meeting names are unique and their lengths and start grids fit the interval."""
        step = self.interval_minutes
        names = [m.name for m in self.meetings]
        if len(set(names)) != len(names):
            raise ValueError(f"meeting names must be unique; got {names}")
        for meeting in self.meetings:
            if meeting.minutes % step or meeting.start_every_minutes % step:
                raise ValueError(
                    f"meeting {meeting.name!r}: minutes and start_every_minutes must be "
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
        values of the wrong type raise ValueError naming them.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"unknown rule(s) {', '.join(unknown)}; known rules: {', '.join(sorted(known))}"
            )
        values = dict(data)
        for key in ("meeting_blackout", "team_floor_hours"):
            if key in values:
                values[key] = _parse_windows(values[key], key)
        if "meetings" in values:
            meetings = values["meetings"]
            if not isinstance(meetings, list):
                raise ValueError(f"meetings must be a list of tables; got {meetings!r}")
            values["meetings"] = tuple(MeetingRule.from_mapping(m) for m in meetings)
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
