"""Every key of rules.toml checked at the door: its TOML type, its range and its shape.

The cases are few-line TOML documents read with `planner.io.rules.parse_rules`, the reader of
``vagtplan roster --rules``. The expected kinds and ranges below are written from what each
rule means (a week has 168 hours, a day 1440 minutes, a weight is at most a million answered
calls, the hours band at most 40 hours), not read from the code; the property tests draw any
TOML value of another kind and require a one-line `InputError` naming the key, never another
exception and never a value accepted as something else.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from typing import Any

import pytest
import roster_cases as rc
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import InputError
from planner.io.rules import parse_rules
from staffing.roster.instance import build_instance
from staffing.roster.rules import MeetingRule, ShiftRules

WEIGHT_LIMIT = (
    "at most 1000000 answered calls (larger weights make the solver's arithmetic unreliable)"
)
TOLERANCE_LIMIT = "at most 40 hours (a wider band makes the roster model too large to build)"


# ---------------------------------------------------------------------------------------------
# A TOML writer for the drawn values (the project writes no TOML but the default rules)
# ---------------------------------------------------------------------------------------------
def toml_value(value: Any) -> str:
    """``value`` as a TOML value (inline: arrays and inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no TOML for {value!r}")


ZONES = st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=2))])
#: text TOML can hold as it is (no surrogates; DEL would need an escape JSON does not write)
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x7f"), max_size=12)
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "bool": st.booleans(),
    "int": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "float": st.floats(allow_nan=True, allow_infinity=True),
    "text": TEXT,
    "date": st.dates(),
    "datetime": st.datetimes(timezones=ZONES),
    "time": st.times(),
}


def toml_of(kind: str) -> st.SearchStrategy[Any]:
    """Values of one TOML kind: a scalar kind, ``array`` (nested too) or ``table``."""
    if kind in SCALARS:
        return SCALARS[kind]
    scalars = st.one_of(*SCALARS.values())
    nested = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
        max_leaves=6,
    )
    if kind == "array":
        return st.lists(nested, max_size=3)
    return st.dictionaries(TEXT, nested, max_size=3)


KINDS = (*SCALARS, "array", "table")


def other_kinds(*accepted: str) -> st.SearchStrategy[Any]:
    """Any TOML value of a kind not in ``accepted``."""
    return st.one_of(*(toml_of(kind) for kind in KINDS if kind not in accepted))


def refused(text: str) -> str:
    """The message `parse_rules` refuses ``text`` with; fails when it accepts it."""
    with pytest.raises(InputError) as info:
        parse_rules(text)
    message = str(info.value)
    assert "\n" not in message and message.startswith("rules.toml: ")
    return message


def refuses(text: str) -> bool:
    """Whether `parse_rules` refuses ``text`` (with a one-line `InputError`, nothing else)."""
    try:
        parse_rules(text)
    except InputError as exc:
        assert "\n" not in str(exc)
        return True
    return False


@given(st.one_of(*(toml_of(kind) for kind in KINDS)))
@settings(max_examples=200, deadline=None)
def test_the_toml_writer_writes_what_tomllib_reads(value):
    back = tomllib.loads(f"x = {toml_value(value)}")["x"]
    # nan is not equal to itself: compare the TOML written again
    assert toml_value(back) == toml_value(value)


# ---------------------------------------------------------------------------------------------
# What the testers found, and its kin: each case a few lines of TOML and its message
# ---------------------------------------------------------------------------------------------
MEETING = '[[meetings]]\nname = "Teammøde"\n'


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "meeting_blackout = 5",
            "meeting_blackout must be a list of pairs like [['09:00', '10:00']]; got 5",
        ),
        ("meetings = [5]", "meetings[1] must be a [[meetings]] table with a name; got 5"),
        (
            "meetings = [[[[[1]]]]]",
            "meetings[1] must be a [[meetings]] table with a name; got [[[[...]]]]",
        ),
        ('lunch_paid = "no"', "lunch_paid must be true or false; got 'no'"),
        ("lunch_paid = 0", "lunch_paid must be true or false; got 0"),
        (
            "unavailable_days_credited = [true]",
            "unavailable_days_credited must be true or false; got [True]",
        ),
        (
            "max_days_per_week = true",
            "max_days_per_week must be a whole number from 1 to 7; got True",
        ),
        (
            "max_days_per_week = 5.0",
            "max_days_per_week must be a whole number from 1 to 7; got 5.0",
        ),
        ("interval_minutes = 15.0", "interval_minutes must be 15 or 30; got 15.0"),
        (
            "lead_in_minutes = false",
            "lead_in_minutes must be a whole number >= 0 and a multiple of interval_minutes (15); "
            "got False",
        ),
        ("lunch_minutes = 1455", "lunch_minutes must be at most 1440 minutes (a day); got 1455"),
        (
            "off_phone_max_minutes = 1500",
            "off_phone_max_minutes must be at most 1440 minutes (a day); got 1500",
        ),
        (
            MEETING + "weekdays = [true]",
            "meetings[1].weekdays[1] must be a weekday: mon, tue, ... sun or 0 (Monday) to 6 "
            "(Sunday); got True",
        ),
        (
            MEETING + '[[meetings]]\nname = "Feedback"\nweekdays = ["tue", 1.0]',
            "meetings[2].weekdays[2] must be a weekday: mon, tue, ... sun or 0 (Monday) to 6 "
            "(Sunday); got 1.0",
        ),
        (
            MEETING + 'weekdays = "tue"',
            "meetings[1].weekdays must be a list of weekdays like ['tue', 'thu']; got 'tue'",
        ),
        (
            MEETING + "minutes = true",
            "meetings[1].minutes must be a whole number in (0, 480]; got True",
        ),
        (
            MEETING + "minutes = 30.0",
            "meetings[1].minutes must be a whole number in (0, 480]; got 30.0",
        ),
        (
            MEETING + "every_weeks = 100",
            "meetings[1].every_weeks must be at most 52 weeks (once a year); got 100",
        ),
        (
            MEETING + 'allow_in_blackout = "no"',
            "meetings[1].allow_in_blackout must be true or false; got 'no'",
        ),
        (
            MEETING + "one_at_a_time_per_team = 1",
            "meetings[1].one_at_a_time_per_team must be true or false; got 1",
        ),
        (MEETING + "activity = 5", "meetings[1].activity must be one of meeting, training; got 5"),
        (
            '[[meetings]]\nname = ["Teammøde"]',
            "meetings[1].name must be a non-empty text; got ['Teammøde']",
        ),
        (
            MEETING + "earliest = 930",
            "meetings[1].earliest must be a clock time like '08:30'; got 930",
        ),
        (
            MEETING + "latest = 2026-03-02T15:00:00",
            "meetings[1].latest must be a clock time like '08:30'; "
            "got datetime.datetime(2026, 3, 2, 15, 0)",
        ),
        ("weight_over = nan", "weight_over must be a finite number >= 0; got nan"),
        ("weight_over = inf", "weight_over must be a finite number >= 0; got inf"),
        ("weight_unfair = -inf", "weight_unfair must be a finite number >= 0; got -inf"),
        ("weight_over = 1e300", f"weight_over must be {WEIGHT_LIMIT}; got 1e+300"),
        ("weight_empty_queue = 0", "weight_empty_queue must be a number > 0; got 0"),
        ('weight_wish = "0.5"', "weight_wish must be a number >= 0; got '0.5'"),
        ("hours_tolerance = 1e9", f"hours_tolerance must be {TOLERANCE_LIMIT}; got 1000000000.0"),
        ("hours_tolerance = 40.25", f"hours_tolerance must be {TOLERANCE_LIMIT}; got 40.25"),
        ("full_time_hours = 169", "full_time_hours must be at most 168 hours (a week); got 169"),
        ("lunch_after_hours = 25", "lunch_after_hours must be at most 24 hours (a day); got 25"),
        ("max_shift_hours = 17.0", "max_shift_hours must be at most 16 hours; got 17.0"),
        (
            "patience_seconds = 1e5",
            "patience_seconds must be at most 3600 seconds (an hour); got 100000.0",
        ),
        (
            "default_aht_seconds = 9223372036854775807",
            "default_aht_seconds must be at most 3600 seconds (an hour); got 9223372036854775807",
        ),
        (
            'cover_column = ["agents"]',
            "cover_column must be 'auto', 'agents' or 'agents_gross'; got ['agents']",
        ),
        (
            'team_floor_hours = [["09:00", 5]]',
            "team_floor_hours must be a clock time like '08:30'; got 5 at team_floor_hours[1][2]",
        ),
        (
            'meeting_blackout = [["09:00", "10:00"], ["13:00", "12:00"]]',
            "meeting_blackout windows must start before they end; got 13:00-12:00 "
            "at meeting_blackout[2]",
        ),
        (
            'meeting_blackout = [["09:00", "10:00", "11:00"]]',
            "meeting_blackout entries must be pairs like ['09:00', '10:00']; "
            "got ['09:00', '10:00', '11:00'] at meeting_blackout[1]",
        ),
        (
            'team_floor_hours = [["24:00", "25:00"]]',
            "team_floor_hours must be a clock time like '08:30'; got '24:00' "
            "at team_floor_hours[1][1]",
        ),
    ],
)
def test_a_bad_rule_is_refused_with_one_line_naming_its_key(toml, message):
    assert refused(toml) == f"rules.toml: {message}"


def test_lists_nested_a_thousand_deep_are_refused_without_a_crash():
    for key in ("meetings", "meeting_blackout", "lunch_paid"):
        deep = f"{key} = " + "[" * 5000 + "]" * 5000
        assert refused(deep) == (
            "rules.toml: lists or tables nested too deeply; a rules file nests at most a few levels"
        )


def test_a_long_or_strange_value_still_gives_one_short_line():
    message = refused("lunch_paid = " + json.dumps("line\n" * 500))
    assert len(message) < 160
    message = refused('"bad\\nkey" = 1')
    assert message.startswith("rules.toml: unknown rule(s) 'bad\\nkey'; known rules: ")


def test_unknown_keys_are_named_at_the_top_and_in_a_meeting():
    assert refused("hours_tolerence = 1").startswith(
        "rules.toml: unknown rule(s) hours_tolerence; known rules: cover_column, "
    )
    assert refused(MEETING + "minuttes = 30").startswith(
        "rules.toml: meetings[1]: unknown key(s) minuttes; known keys: activity, "
    )


# ---------------------------------------------------------------------------------------------
# What is accepted is read as written
# ---------------------------------------------------------------------------------------------
def test_values_at_their_limits_are_accepted_as_written():
    rules = parse_rules(
        "hours_tolerance = 40\nfull_time_hours = 168.0\nweight_over = 1e6\nweight_wish = 0\n"
        "lunch_paid = false\nmax_days_per_week = 7\npatience_seconds = 3600\n"
        "lead_in_minutes = 1440\nshort_abandon_seconds = 0\n"
        + MEETING
        + 'weekdays = [0, "Fri", " sunday "]\nearliest = 08:00:00\nlatest = "16:00"\n'
        "every_weeks = 52\nstart_every_minutes = 1440\nallow_in_blackout = true\n"
    )
    assert (rules.hours_tolerance, rules.full_time_hours, rules.weight_over) == (40, 168, 1e6)
    assert rules.lunch_paid is False and rules.max_days_per_week == 7
    (meeting,) = rules.meetings
    assert meeting.weekdays == (0, 4, 6)
    assert (meeting.earliest, meeting.latest) == (dt.time(8), dt.time(16))
    assert meeting.allow_in_blackout is True and meeting.every_weeks == 52


def test_the_defaults_round_trip():
    assert ShiftRules.from_mapping(ShiftRules().to_mapping()) == ShiftRules()


def test_the_widest_hours_band_builds_a_small_model():
    """At the 40-hour limit an agent-week's hours lie within 40 hours of its norm, so the
    pricing tables stay a few hundred intervals wide."""
    rules = ShiftRules(meetings=(), hours_tolerance=40)
    req = rc.requirements([rc.monday(i) for i in range(5)], {"Q": 1})
    inst = build_instance(req, rc.agents({"skills": "Q"}), rules)
    (week,) = inst.weeks
    assert week.target_minutes == 37 * 60
    assert week.hi_minutes <= (37 + 40) * 60


def test_programs_get_the_same_checks_as_files():
    with pytest.raises(ValueError, match="lunch_paid must be true or false; got 'no'"):
        ShiftRules(lunch_paid="no")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weight_over must be a finite number >= 0; got nan"):
        ShiftRules(weight_over=float("nan"))
    with pytest.raises(ValueError, match=r"meeting 'X': minutes must be a whole number"):
        MeetingRule("X", minutes=True)
    with pytest.raises(ValueError, match=r"meeting 'X': weekdays must be 0 \(Monday\)"):
        MeetingRule("X", weekdays=(True,))
    with pytest.raises(ValueError, match="meetings must be a tuple of MeetingRule"):
        ShiftRules(meetings=["Teammøde"])  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Property tests: any value of another TOML kind is refused, for every key
# ---------------------------------------------------------------------------------------------
#: The TOML kinds each top-level key takes, from what the rule is.
TOP_KINDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("lunch_paid", "unavailable_days_credited", "team_floor", "off_phone"), ("bool",)
    ),
    **dict.fromkeys(
        (
            "interval_minutes",
            "max_days_per_week",
            "lead_in_minutes",
            "lunch_minutes",
            "lunch_earliest_after_start_minutes",
            "lunch_latest_after_start_minutes",
            "early_late_margin_minutes",
            "off_phone_min_minutes",
            "off_phone_max_minutes",
        ),
        ("int",),
    ),
    **dict.fromkeys(
        (
            "full_time_hours",
            "hours_tolerance",
            "min_shift_hours",
            "max_shift_hours",
            "shift_length_band_hours",
            "lunch_after_hours",
            "patience_seconds",
            "default_aht_seconds",
            "short_abandon_seconds",
            "min_shortfall_weight",
            "weight_empty_queue",
            "weight_team_floor",
            "weight_over",
            "weight_hours_deviation",
            "weight_unfair",
            "weight_wish",
            "weight_missed_meeting",
            "weight_skipped_meeting",
        ),
        ("int", "float"),
    ),
    "cover_column": ("text",),
    "meeting_blackout": ("array",),
    "team_floor_hours": ("array",),
    "meetings": ("array",),
}
#: The TOML kinds each key of a ``[[meetings]]`` table takes.
MEETING_KINDS: dict[str, tuple[str, ...]] = {
    "name": ("text",),
    "activity": ("text",),
    "attendees": ("text",),
    "minutes": ("int",),
    "every_weeks": ("int",),
    "weekdays": ("array",),
    "earliest": ("text", "time"),
    "latest": ("text", "time"),
    "allow_in_blackout": ("bool",),
    "one_at_a_time_per_team": ("bool",),
    "start_every_minutes": ("int",),
}


def test_the_kind_tables_cover_every_key():
    assert set(TOP_KINDS) == set(ShiftRules().to_mapping())
    assert set(MEETING_KINDS) == set(MeetingRule("X", earliest=dt.time(8)).to_mapping()) | {
        "latest"
    }


def personal(message: str, place: str) -> bool:
    """Whether ``message`` is the personal-data refusal naming ``place`` (a value such as an
    eight-digit number looks like a phone number: refused before its type is judged, and not
    shown)."""
    return message.startswith(f"rules.toml: key '{place}") and "value not shown" in message


@st.composite
def wrong_top_level(draw) -> tuple[str, Any]:
    key = draw(st.sampled_from(sorted(TOP_KINDS)))
    return key, draw(other_kinds(*TOP_KINDS[key]))


@given(wrong_top_level())
@settings(max_examples=400, deadline=None)
def test_any_value_of_another_kind_is_refused_naming_its_key(case):
    key, value = case
    message = refused(f"{key} = {toml_value(value)}")
    assert message.startswith(f"rules.toml: {key} ") or personal(message, key), message


@st.composite
def wrong_in_meeting(draw) -> tuple[str, Any]:
    key = draw(st.sampled_from(sorted(MEETING_KINDS)))
    return key, draw(other_kinds(*MEETING_KINDS[key]))


@given(wrong_in_meeting())
@settings(max_examples=300, deadline=None)
def test_any_meeting_value_of_another_kind_is_refused_naming_its_key(case):
    key, value = case
    lines = {"name": '"Teammøde"', key: toml_value(value)}
    text = "[[meetings]]\n" + "".join(f"{k} = {v}\n" for k, v in lines.items())
    message = refused(text)
    assert message.startswith(f"rules.toml: meetings[1].{key} ") or personal(
        message, f"meetings[1].{key}"
    ), message


@given(other_kinds("text", "int"))
@settings(max_examples=200, deadline=None)
def test_a_weekday_of_another_kind_is_refused_naming_its_place(value):
    text = MEETING + f'weekdays = ["mon", {toml_value(value)}]'
    message = refused(text)
    assert message.startswith("rules.toml: meetings[1].weekdays[2] must be a weekday") or (
        personal(message, "meetings[1].weekdays[2]")
    ), message


DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LONG_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.sampled_from(range(-2, 9)))
def test_a_weekday_number_is_read_only_from_0_to_6(number):
    text = MEETING + f"weekdays = [{number}]"
    if 0 <= number <= 6:
        assert parse_rules(text).meetings[0].weekdays == (number,)
    else:
        assert refuses(text)


@given(TEXT | st.sampled_from(DAY_NAMES + LONG_NAMES + ["Tue", " FRIDAY "]))
def test_a_weekday_name_is_read_only_when_it_is_one(name):
    text = MEETING + f"weekdays = [{toml_value(name)}]"
    key = name.strip().lower()
    if key in DAY_NAMES or key in LONG_NAMES:
        expected = (DAY_NAMES + LONG_NAMES).index(key) % 7
        assert parse_rules(text).meetings[0].weekdays == (expected,)
    else:
        assert refuses(text)


@given(
    st.sampled_from(["meeting_blackout", "team_floor_hours"]),
    other_kinds("text", "time"),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_a_window_end_of_another_kind_is_refused_naming_its_place(key, value, first):
    pair = [value, "16:00"] if first else ["09:00", value]
    place = "[1][1]" if first else "[1][2]"
    message = refused(f"{key} = [{toml_value(pair)}]")
    if personal(message, f"{key}{place}"):
        return
    assert message.startswith(f"rules.toml: {key} must be a clock time like '08:30'; got ")
    assert message.endswith(f" at {key}{place}")


@given(
    st.sampled_from(["meeting_blackout", "team_floor_hours", "meetings"]),
    st.one_of(*SCALARS.values()),
)
def test_a_list_entry_that_is_no_list_or_table_is_refused_naming_its_place(key, value):
    message = refused(f"{key} = [{toml_value(value)}]")
    assert f"{key}[1]" in message


# ---------------------------------------------------------------------------------------------
# Property tests: numbers of the right kind, accepted exactly inside their range
# ---------------------------------------------------------------------------------------------
#: (lowest, whether the lowest itself is allowed, highest) from what each number means: hours
#: of a week or a day, seconds of an hour, weights of at most a million answered calls; the
#: hours band at most 40 hours. Rules tied to another rule (shift lengths) are left out.
NUMBER_RANGES: dict[str, tuple[float, bool, float]] = {
    "full_time_hours": (0, False, 168),
    "hours_tolerance": (0, True, 40),
    "shift_length_band_hours": (0, True, 24),
    "lunch_after_hours": (0, False, 24),
    "patience_seconds": (0, False, 3600),
    "default_aht_seconds": (0, False, 3600),
    "short_abandon_seconds": (0, True, 3600),
    "min_shortfall_weight": (0, False, 1e6),
    "weight_empty_queue": (0, False, 1e6),
    "weight_team_floor": (0, False, 1e6),
    "weight_over": (0, True, 1e6),
    "weight_hours_deviation": (0, True, 1e6),
    "weight_unfair": (0, True, 1e6),
    "weight_wish": (0, True, 1e6),
    "weight_missed_meeting": (0, False, 1e6),
    "weight_skipped_meeting": (0, True, 1e6),
}
NUMBERS = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1, max_value=2e6)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.sampled_from([0, 0.0, -0.0, 24, 40, 168, 3600, 10**6, 1e6 + 1])
)


@given(st.sampled_from(sorted(NUMBER_RANGES)), NUMBERS)
@settings(max_examples=400, deadline=None)
def test_a_number_is_accepted_exactly_inside_its_range(key, number):
    low, from_low, high = NUMBER_RANGES[key]
    text = f"{key} = {toml_value(number)}"
    inside = math.isfinite(number) and (number > low or (from_low and number == low))
    if inside and number <= high:
        assert getattr(parse_rules(text), key) == number
    else:
        assert refuses(text)


@given(
    st.sampled_from(["lead_in_minutes", "early_late_margin_minutes"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.integers(-30, 1500),
)
@settings(max_examples=200, deadline=None)
def test_minutes_are_accepted_on_the_grid_within_a_day(key, minutes):
    text = f"{key} = {minutes}"
    if 0 <= minutes <= 1440 and minutes % 15 == 0:
        assert getattr(parse_rules(text), key) == minutes
    else:
        assert refuses(text)
