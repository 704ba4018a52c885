"""The input contracts' types and ranges as pandera schemas, and their one-line messages.

One `pandera.DataFrameModel` per input contract that reaches us as rows (DESIGN.md):
`HistorySchema`, `ForecastSchema`, `RequirementsSchema`, `AgentsSchema`, `RosterSchema`, and
for the two TOML contracts the frame of their numbers and days: `EventsSchema` (one row per
event or adjustment), `ScenariosSchema` (one row per change table). Each declares the columns
with their types, which may be empty, their ranges (the limits below), whole numbers and grids,
the checks across the columns of a row (``offered_lo <= offered <= offered_hi``) and the key
that must be unique. (rules.toml is typed key by key in `staffing.roster.rules.ShiftRules`.)

The readers parse (text to numbers, times, dates; decimal marks, offsets, DST) and hand the
typed frame to `check_frame`, which validates it lazily and raises `planner.errors.InputError`
with one line for the first failure in row order: the file, the row as the user counts it (or
the TOML key), the column, what was found (the cell as the file has it; a value that looks
like personal data is described, never shown: `planner.io.pii.redact`) and what was expected
(the failing check's ``description``, else the column's), and how many more problems there
are. A cell the reader could not read at all is
passed in ``unreadable`` and reported as its column's failure. `schema_failures` and
`failure_lines` are its two halves, for the history reader, which lists every problem.

What stays hand-written in the readers, and why: the header (aliases, suggestions for a
misspelt name, personal data in a column name), personal data in cells (`planner.io.pii`),
parsing itself, one spelling per queue or agent (it names the row of the other spelling), the
interval grid and duplicate intervals of the history (both need the DST-localised times and
the interval inferred from the data), overlapping roster blocks (a sweep over each agent's
blocks), and the checks against other files (skills against the planned queues, roster agents
against the agents file, events' queues against the history, scenario agents and dates).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa
from pandera.typing import Series

from centre.contracts import ACTIVITIES
from centre.timezone import TZ
from planner.errors import InputError
from planner.io.pii import (
    PERSONAL_DATA_REASON,
    describe_kind,
    one_line,
    personal_kind,
    redact,
)
from planner.io.tables import TIME_FORMATS, cell_text

__all__ = [
    "AgentsSchema",
    "EventsSchema",
    "Failure",
    "ForecastSchema",
    "HistorySchema",
    "LONGEST_BLOCK",
    "MAX_AGENTS",
    "MAX_AHT_SECONDS",
    "MAX_CALLS",
    "MAX_EVENT_CALLS",
    "MAX_EXTRA_CALLS",
    "MAX_FACTOR",
    "MAX_GOAL_SECONDS",
    "MAX_LIFT",
    "MAX_PATIENCE_SECONDS",
    "MAX_WEEKLY_HOURS",
    "RequirementsSchema",
    "RosterSchema",
    "ScenariosSchema",
    "YEARS",
    "check_frame",
    "failure_lines",
    "schema_failures",
]

# -- the limits ------------------------------------------------------------------------------

#: Most calls one queue may be offered in one interval (history, forecast, requirements): far
#: above any contact centre (the busiest interval here has about 100), low enough that the
#: staffing math stays finite; a typo like 99999999999999999999999 is refused.
MAX_CALLS = 100_000
#: Longest mean handle time of a forecast or requirement (seconds): four hours.
MAX_AHT_SECONDS = 4 * 3600
#: Most agents one queue may need in one interval (``vagtplan staff`` refuses more).
MAX_AGENTS = 10_000_000
#: Longest mean caller patience of a requirement (seconds): a day.
MAX_PATIENCE_SECONDS = 24 * 3600
#: Most contract hours a week of an agent (and of a new hire in a scenario).
MAX_WEEKLY_HOURS = 60
#: Years a time or day of any contract may fall in (a year 9999 or 0026 is a typo).
YEARS = (1900, 2199)
#: The longest roster block: a day, and the hour the autumn's change of clocks adds.
LONGEST_BLOCK = pd.Timedelta(hours=25)
#: Clock times of the agents file are on whole minutes of this grid.
AGENT_GRID_MINUTES = 5
#: The largest lift an event may give (+10,000 %).
MAX_LIFT = 100.0
#: The most calls one event may add (or take away).
MAX_EVENT_CALLS = 10_000_000
#: The largest factor a scenario may scale volume or handle time by.
MAX_FACTOR = 100.0
#: The most extra calls one scenario change may add.
MAX_EXTRA_CALLS = 10_000_000
#: The longest time goal of a scenario (seconds): an hour.
MAX_GOAL_SECONDS = 3600

_YEARS_TEXT = f"in the years {YEARS[0]} to {YEARS[1]}"


# -- checks shared by the schemas -------------------------------------------------------------


def _in_years(values: pd.Series) -> pd.Series:
    """Times or dates whose year lies in `YEARS` (a column that holds neither fails)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        years = values.dt.year
    else:
        years = values.map(lambda v: v.year if isinstance(v, dt.date) else np.nan)
    return (years >= YEARS[0]) & (years <= YEARS[1])


def _whole(values: pd.Series) -> pd.Series:
    """Finite whole numbers (``12.0`` is whole)."""
    return np.isfinite(values) & (values == np.round(values))


def _finite(values: pd.Series) -> pd.Series:
    return pd.Series(np.isfinite(values.to_numpy(dtype=float)), index=values.index)


def _on_whole_minutes(values: pd.Series) -> pd.Series:
    """Times on whole minutes (no seconds, no fractions of a second)."""
    return (values.dt.second == 0) & (values.dt.microsecond == 0) & (values.dt.nanosecond == 0)


def _all_true(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=frame.index)


def _not(frame: pd.DataFrame, bad: np.ndarray) -> pd.Series:
    """The rows of ``frame`` that are not ``bad``. Row checks test for the bad case, so that a
    missing value (NaN or NaT: every comparison false) passes them; its own column's check
    reports it."""
    return pd.Series(~np.asarray(bad, dtype=bool), index=frame.index)


def _time(description: str = TIME_FORMATS) -> Any:
    return pa.Field(nullable=False, description=description)


def _queue() -> Any:
    return pa.Field(nullable=False, description="a queue name")


# -- history ---------------------------------------------------------------------------------

#: The history's counts and seconds (DESIGN.md).
HISTORY_COUNTS = ("offered", "answered", "abandoned", "abandoned_short", "transferred")
HISTORY_SECONDS = ("aht_seconds", "asa_seconds", "abandon_wait_seconds")


def _history_count() -> Any:
    return pa.Field(ge=0, nullable=False, description="a whole number >= 0")


def _history_seconds() -> Any:
    return pa.Field(ge=0, nullable=True, description="seconds as a number >= 0 (or an empty cell)")


class HistorySchema(pa.DataFrameModel):
    """One row per queue and interval, as read (times before they are localised).

    ``interval_start`` holds the parsed times (naive local or UTC), the counts and seconds
    floats (an empty cell is NaN). The counts agree with each other in every row (a missing
    column on the right-hand side is replaced by ``offered``). One row per queue and interval
    is checked by the reader on the localised times (the autumn's repeated hour is twice in
    local time).
    """

    interval_start: Series[Any] = _time()
    queue: Series[str] = _queue()
    offered: Series[float] = _history_count()
    answered: Series[float] | None = _history_count()
    abandoned: Series[float] | None = _history_count()
    abandoned_short: Series[float] | None = _history_count()
    transferred: Series[float] | None = _history_count()
    aht_seconds: Series[float] | None = _history_seconds()
    asa_seconds: Series[float] | None = _history_seconds()
    abandon_wait_seconds: Series[float] | None = _history_seconds()

    class Config:
        strict = True

    @pa.check("interval_start", name="years", description=f"a time {_YEARS_TEXT}")
    def _years(cls, values: pd.Series) -> pd.Series:
        return _in_years(values)

    @pa.check(*HISTORY_COUNTS, name="whole_number")
    def _whole_counts(cls, values: pd.Series) -> pd.Series:
        return _whole(values)

    @pa.check(
        *HISTORY_COUNTS,
        name="at_most_calls",
        description=f"at most {MAX_CALLS:,} calls in one queue and interval",
    )
    def _at_most_calls(cls, values: pd.Series) -> pd.Series:
        return ~(values > MAX_CALLS) | ~np.isfinite(values)

    @pa.check(*HISTORY_SECONDS, name="finite")
    def _finite_seconds(cls, values: pd.Series) -> pd.Series:
        return _finite(values)

    @pa.dataframe_check(
        name="answered_abandoned_le_offered",
        description="answered + abandoned <= offered",
        statistics={"columns": ("answered", "abandoned", "offered")},
    )
    def _answered_abandoned(cls, frame: pd.DataFrame) -> pd.Series:
        parts = [c for c in ("answered", "abandoned") if c in frame]
        if not parts:
            return _all_true(frame)
        total = sum(frame[c].to_numpy() for c in parts)
        return _not(frame, total > frame["offered"].to_numpy())

    @pa.dataframe_check(
        name="abandoned_short_le_abandoned",
        description="abandoned_short <= abandoned",
        statistics={"columns": ("abandoned_short", "abandoned")},
    )
    def _short_abandoned(cls, frame: pd.DataFrame) -> pd.Series:
        return _at_most(frame, "abandoned_short", "abandoned")

    @pa.dataframe_check(
        name="abandoned_short_le_offered",
        description="abandoned_short <= offered",
        statistics={"columns": ("abandoned_short", "offered")},
    )
    def _short_offered(cls, frame: pd.DataFrame) -> pd.Series:
        if "abandoned" in frame:  # compared with abandoned above
            return _all_true(frame)
        return _at_most(frame, "abandoned_short", "offered")

    @pa.dataframe_check(
        name="transferred_le_answered",
        description="transferred <= answered",
        statistics={"columns": ("transferred", "answered")},
    )
    def _transferred_answered(cls, frame: pd.DataFrame) -> pd.Series:
        return _at_most(frame, "transferred", "answered")

    @pa.dataframe_check(
        name="transferred_le_offered",
        description="transferred <= offered",
        statistics={"columns": ("transferred", "offered")},
    )
    def _transferred_offered(cls, frame: pd.DataFrame) -> pd.Series:
        if "answered" in frame:
            return _all_true(frame)
        return _at_most(frame, "transferred", "offered")

    @pa.dataframe_check(
        name="aht_where_answered",
        description="a mean handle time > 0 seconds where calls were answered",
        statistics={"columns": ("aht_seconds", "answered")},
    )
    def _aht_answered(cls, frame: pd.DataFrame) -> pd.Series:
        return _aht_where_calls(frame, "answered")

    @pa.dataframe_check(
        name="aht_where_offered",
        description="a mean handle time > 0 seconds where calls were offered",
        statistics={"columns": ("aht_seconds", "offered")},
    )
    def _aht_offered(cls, frame: pd.DataFrame) -> pd.Series:
        if "answered" in frame:
            return _all_true(frame)
        return _aht_where_calls(frame, "offered")


def _at_most(frame: pd.DataFrame, column: str, limit: str) -> pd.Series:
    """``column <= limit`` in every row that has both (true where either is missing)."""
    if column not in frame or limit not in frame:
        return _all_true(frame)
    return _not(frame, frame[column].to_numpy() > frame[limit].to_numpy())


def _aht_where_calls(frame: pd.DataFrame, calls: str) -> pd.Series:
    """A handle time > 0 in rows with calls (an empty handle time is no handle time)."""
    if "aht_seconds" not in frame or calls not in frame:
        return _all_true(frame)
    aht, count = frame["aht_seconds"].to_numpy(), frame[calls].to_numpy()
    return _not(frame, (aht == 0) & (count > 0))


# -- forecast and requirements ---------------------------------------------------------------


class _IntervalTable(pa.DataFrameModel):
    """A table of one row per queue and interval, with tz-aware interval starts."""

    interval_start: Series[Any] = _time()
    queue: Series[str] = _queue()

    class Config:
        strict = True
        unique = ["queue", "interval_start"]
        metadata = {"unique": "one row per queue and interval"}

    @pa.check("interval_start", name="years", description=f"a time {_YEARS_TEXT}")
    def _years(cls, values: pd.Series) -> pd.Series:
        return _in_years(values)


_FORECAST_CALLS = ("offered", "offered_lo", "offered_hi")


class ForecastSchema(_IntervalTable):
    """The forecast contract: ``interval_start, queue, offered, offered_lo, offered_hi,
    aht_seconds`` (the 80 % interval columns optional), every number given and finite; calls
    from 0 to `MAX_CALLS`, handle times > 0 and at most `MAX_AHT_SECONDS`."""

    offered: Series[float] = pa.Field(nullable=False, description="a number")
    offered_lo: Series[float] | None = pa.Field(nullable=False, description="a number")
    offered_hi: Series[float] | None = pa.Field(nullable=False, description="a number")
    aht_seconds: Series[float] = pa.Field(nullable=False, description="a number")

    @pa.check(*_FORECAST_CALLS, "aht_seconds", name="finite", description="a number")
    def _finite(cls, values: pd.Series) -> pd.Series:
        return _finite(values)

    @pa.check(*_FORECAST_CALLS, name="calls_not_negative", description="a number of calls >= 0")
    def _calls_not_negative(cls, values: pd.Series) -> pd.Series:
        return ~(values < 0)

    @pa.check(
        *_FORECAST_CALLS,
        name="at_most_calls",
        description=f"at most {MAX_CALLS:,} calls per queue and interval",
    )
    def _at_most_calls(cls, values: pd.Series) -> pd.Series:
        return ~(values > MAX_CALLS) | ~np.isfinite(values)

    @pa.check("aht_seconds", name="aht_positive", description="a handle time in seconds > 0")
    def _aht_positive(cls, values: pd.Series) -> pd.Series:
        return ~(values <= 0)

    @pa.check(
        "aht_seconds",
        name="at_most_aht",
        description=f"a handle time of at most {MAX_AHT_SECONDS:,} s (4 hours)",
    )
    def _at_most_aht(cls, values: pd.Series) -> pd.Series:
        return ~(values > MAX_AHT_SECONDS) | ~np.isfinite(values)

    @pa.dataframe_check(
        name="interval_around_forecast",
        description="offered_lo <= offered <= offered_hi (an 80 % interval around the forecast)",
        statistics={"columns": ("offered_lo", "offered", "offered_hi")},
    )
    def _interval(cls, frame: pd.DataFrame) -> pd.Series:
        if "offered_lo" not in frame or "offered_hi" not in frame:
            return _all_true(frame)
        lo, mid, hi = (frame[c].to_numpy() for c in ("offered_lo", "offered", "offered_hi"))
        return _not(frame, (lo > mid + 1e-9) | (hi < mid - 1e-9))


class RequirementsSchema(_IntervalTable):
    """The requirements ``vagtplan staff`` writes: ``agents`` in every row; ``agents_gross,
    offered, aht_seconds, patience_seconds`` optional and may be empty."""

    agents: Series[float] = pa.Field(
        ge=0,
        le=MAX_AGENTS,
        nullable=False,
        description=f"a number of agents from 0 to {MAX_AGENTS:,}",
    )
    agents_gross: Series[float] | None = pa.Field(
        ge=0,
        le=MAX_AGENTS,
        nullable=True,
        description=f"a number of agents from 0 to {MAX_AGENTS:,} or an empty cell",
    )
    offered: Series[float] | None = pa.Field(
        ge=0,
        le=MAX_CALLS,
        nullable=True,
        description=f"a number of calls from 0 to {MAX_CALLS:,} or an empty cell",
    )
    aht_seconds: Series[float] | None = pa.Field(
        ge=0,
        le=MAX_AHT_SECONDS,
        nullable=True,
        description=f"a handle time from 0 to {MAX_AHT_SECONDS:,} s or an empty cell",
    )
    patience_seconds: Series[float] | None = pa.Field(
        ge=0,
        le=MAX_PATIENCE_SECONDS,
        nullable=True,
        description=f"a patience from 0 to {MAX_PATIENCE_SECONDS:,} s or an empty cell",
    )


# -- agents ----------------------------------------------------------------------------------

_CLOCK = "a clock time like 08:00, or empty"


class AgentsSchema(pa.DataFrameModel):
    """One row per agent; ``earliest_start`` and ``latest_end`` as minutes after midnight
    (seconds as fractions), ``unavailable`` and ``preferences`` as the reader normalised them."""

    agent_id: Series[str] = pa.Field(
        nullable=False, description="an agent id (a pseudonym like A01)"
    )
    team: Series[str] = pa.Field(nullable=True, description="a team name or an empty cell")
    skills: Series[str] = pa.Field(nullable=False, description="queue names separated by ';'")
    weekly_hours: Series[float] = pa.Field(
        gt=0,
        le=MAX_WEEKLY_HOURS,
        nullable=False,
        description=f"contract hours a week in (0, {MAX_WEEKLY_HOURS}]",
    )
    earliest_start: Series[float] | None = pa.Field(
        ge=0, le=24 * 60, nullable=True, description=_CLOCK
    )
    latest_end: Series[float] | None = pa.Field(ge=0, le=24 * 60, nullable=True, description=_CLOCK)
    unavailable: Series[str] | None = pa.Field(
        nullable=True, description="dates like 2026-07-06 separated by ';'"
    )
    preferences: Series[str] | None = pa.Field(nullable=True, description="wishes")

    class Config:
        strict = True
        unique = ["agent_id"]
        metadata = {"unique": "one row per agent"}

    @pa.check(
        "earliest_start",
        "latest_end",
        name="grid",
        description=f"a clock time on the {AGENT_GRID_MINUTES}-minute grid like 08:00 or 08:05",
    )
    def _grid(cls, minutes: pd.Series) -> pd.Series:
        return minutes % AGENT_GRID_MINUTES == 0

    @pa.dataframe_check(
        name="end_after_start",
        description="a latest_end after earliest_start",
        statistics={"columns": ("earliest_start", "latest_end")},
    )
    def _end_after_start(cls, frame: pd.DataFrame) -> pd.Series:
        if "earliest_start" not in frame or "latest_end" not in frame:
            return _all_true(frame)
        start, end = frame["earliest_start"].to_numpy(), frame["latest_end"].to_numpy()
        return _not(frame, end <= start)


# -- roster ----------------------------------------------------------------------------------

_BLOCK_TIME = f"a clock time from 00:00 to 24:00 beside the date, or {TIME_FORMATS}"


class RosterSchema(pa.DataFrameModel):
    """One row per agent and activity block: ``date`` as `datetime.date`, ``start`` and
    ``end`` tz-aware; the block ends after it starts, within `LONGEST_BLOCK`, and its date is
    the local date of its start. (No agent in two blocks at once: the reader's sweep.)"""

    agent_id: Series[str] = pa.Field(
        nullable=False, description="an agent id (a pseudonym like A01)"
    )
    date: Series[Any] = pa.Field(nullable=False, description="a date like 2026-03-02")
    start: Series[Any] = pa.Field(nullable=False, description=_BLOCK_TIME)
    end: Series[Any] = pa.Field(nullable=False, description=_BLOCK_TIME)
    activity: Series[str] = pa.Field(
        isin=list(ACTIVITIES), nullable=False, description=f"one of {', '.join(ACTIVITIES)}"
    )

    class Config:
        strict = True

    @pa.check("date", name="years", description=f"a date {_YEARS_TEXT}")
    def _date_years(cls, values: pd.Series) -> pd.Series:
        return _in_years(values)

    @pa.check("start", "end", name="time_years", description=f"a time {_YEARS_TEXT}")
    def _time_years(cls, values: pd.Series) -> pd.Series:
        return _in_years(values)

    @pa.check(
        "start",
        "end",
        name="whole_minutes",
        description="a time on whole minutes (like 2026-03-02T08:15:00+01:00 or 08:15)",
    )
    def _minutes(cls, values: pd.Series) -> pd.Series:
        return _on_whole_minutes(values)

    @pa.dataframe_check(
        name="end_after_start",
        description="an end after the start (a block past midnight needs full date-times)",
        statistics={"columns": ("start", "end")},
    )
    def _end_after_start(cls, frame: pd.DataFrame) -> pd.Series:
        return _not(frame, (frame["end"] <= frame["start"]).to_numpy())

    @pa.dataframe_check(
        name="at_most_a_day",
        description="a block of at most a day (one row per day for a longer absence)",
        statistics={"columns": ("start", "end")},
    )
    def _at_most_a_day(cls, frame: pd.DataFrame) -> pd.Series:
        return _not(frame, (frame["end"] - frame["start"] > LONGEST_BLOCK).to_numpy())

    @pa.dataframe_check(
        name="date_of_start",
        description="the local date of the block's start",
        statistics={"columns": ("date", "start")},
    )
    def _date_of_start(cls, frame: pd.DataFrame) -> pd.Series:
        local = frame["start"].dt.tz_convert(TZ)
        other = [
            isinstance(d, dt.date) and t is not pd.NaT and d != t.date()
            for d, t in zip(frame["date"], local)
        ]
        return _not(frame, np.array(other, dtype=bool))


# -- the TOML contracts' numbers -------------------------------------------------------------


class EventsSchema(pa.DataFrameModel):
    """One row per ``[[event]]`` or ``[[adjustment]]`` of an events file: its size (one of
    ``lift``, ``percent``, ``calls``; the others empty) and its days."""

    lift: Series[float] = pa.Field(
        ge=-1,
        le=MAX_LIFT,
        nullable=True,
        description=f"a lift from -1 to {MAX_LIFT:g} (-100 % to +{100 * MAX_LIFT:,.0f} %)",
    )
    percent: Series[float] = pa.Field(
        ge=-100,
        le=100 * MAX_LIFT,
        nullable=True,
        description=f"a percent from -100 to {100 * MAX_LIFT:,.0f}",
    )
    calls: Series[float] = pa.Field(
        ge=-MAX_EVENT_CALLS,
        le=MAX_EVENT_CALLS,
        nullable=True,
        description=f"at most {MAX_EVENT_CALLS:,} calls added or taken away",
    )
    start: Series[Any] = pa.Field(nullable=False, description=f"a day {_YEARS_TEXT}")
    end: Series[Any] = pa.Field(nullable=True, description=f"a day {_YEARS_TEXT}")

    class Config:
        strict = True

    @pa.check("start", "end", name="years")
    def _years(cls, values: pd.Series) -> pd.Series:
        return _in_years(values)


def _share() -> Any:
    return pa.Field(gt=0, le=1, nullable=True, description="a share more than 0 and at most 1")


def _goal_seconds(low: str = "more than 0") -> Any:
    return pa.Field(
        ge=0,
        le=MAX_GOAL_SECONDS,
        nullable=True,
        description=f"seconds, {low} and at most {MAX_GOAL_SECONDS:,}",
    )


class ScenariosSchema(pa.DataFrameModel):
    """One row per change table of a scenario file (``scenario[1].volume[1]``, its
    ``goals``): the numbers it gives, empty where it gives none. Volume and handle-time factors
    are apart (``volume_factor``, ``aht_factor``; the key is ``factor`` in both)."""

    volume_factor: Series[float] = pa.Field(
        ge=0,
        le=MAX_FACTOR,
        nullable=True,
        description=f"a factor from 0 to {MAX_FACTOR:g}",
    )
    aht_factor: Series[float] = pa.Field(
        ge=0.01,
        le=MAX_FACTOR,
        nullable=True,
        description=f"a factor from 0.01 to {MAX_FACTOR:g}",
    )
    calls: Series[float] = pa.Field(
        ge=0,
        le=MAX_EXTRA_CALLS,
        nullable=True,
        description=f"a number of calls from 0 to {MAX_EXTRA_CALLS:,}",
    )
    weekly_hours: Series[float] = pa.Field(
        ge=1,
        le=MAX_WEEKLY_HOURS,
        nullable=True,
        description=f"contract hours a week from 1 to {MAX_WEEKLY_HOURS}",
    )
    answer_rate: Series[float] = _share()
    fcr: Series[float] = _share()
    service_level: Series[float] = _share()
    asa_seconds: Series[float] = _goal_seconds()
    threshold: Series[float] = _goal_seconds()
    short_abandon: Series[float] = _goal_seconds("0 or more")

    class Config:
        strict = True

    @pa.check("asa_seconds", "threshold", name="more_than_zero")
    def _positive(cls, seconds: pd.Series) -> pd.Series:
        return seconds > 0


#: The TOML key of each `ScenariosSchema` column whose name is not the key.
SCENARIO_KEYS = {"volume_factor": "factor", "aht_factor": "factor"}


# -- from pandera's failure cases to one line ------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """The rows that fail one check of a schema.

    columns: the contract columns the check is about (one for a column's own checks; the
    columns a row check compares; the unique key). check: pandera's name of the check
    (``not_nullable``, ``greater_than_or_equal_to``, a schema's own check such as
    ``whole_number``; ``unreadable`` for cells the reader could not read, ``unique`` for a
    repeated key). expected: what the message says was expected. positions: the failing
    rows' positions in the frame, ascending. whole_column: the column fails as a whole (a
    wrong type, a missing column: the reader's mistake, not the file's), ``positions`` empty.
    """

    columns: tuple[str, ...]
    check: str
    expected: str
    positions: np.ndarray
    whole_column: bool = False

    @property
    def first(self) -> int:
        """The position of the first failing row (-1 for a failure of the whole column)."""
        return int(self.positions[0]) if len(self.positions) else -1


_UNIQUE = "unique"
_UNREADABLE = "unreadable"
_NONE = np.array([], dtype=np.int64)


def _expected(model: type[pa.DataFrameModel], column: str) -> str:
    schema = model.to_schema()
    if column in schema.columns:
        return str(schema.columns[column].description or "a valid value")
    return "a valid value"


@functools.cache
def _compiled(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """The model's schema, its checks keeping one failure case each for pandera's own error
    text (the failing rows are read from each check's output; formatting every failure case
    of a bad file of a million rows would take seconds)."""
    schema = model.to_schema()
    checks = list(schema.checks)
    for column in schema.columns.values():
        checks.extend(column.checks)
    for check in checks:
        check.n_failure_cases = 1
    return schema


def _failing_rows(error: pa_errors.SchemaError) -> np.ndarray:
    """The positions of the rows a pandera error is about (empty for a whole column)."""
    output = error.check_output
    if isinstance(output, pd.Series) and output.dtype == bool:
        labels = output.index[~output.to_numpy()]
    elif isinstance(error.failure_cases, pd.DataFrame) and "index" in error.failure_cases:
        labels = error.failure_cases["index"]
    else:
        return _NONE
    return np.unique(pd.to_numeric(pd.Series(labels), errors="coerce").dropna().astype(np.int64))


def _pandera_failures(
    model: type[pa.DataFrameModel], frame: pd.DataFrame
) -> tuple[list[Failure], bool]:
    """The failures pandera finds (lazily: all of them), and whether a unique key repeats."""
    schema = _compiled(model)
    try:
        schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as errors:
        schema_errors = errors.schema_errors
    else:
        return [], False
    found: list[Failure] = []
    repeated = False
    for error in schema_errors:
        check = error.check
        name = str(check.name if isinstance(check, pa.Check) else check)
        if name == "multiple_fields_uniqueness":
            repeated = True
            continue
        positions = _failing_rows(error)
        column = getattr(error.schema, "name", None)
        if isinstance(error.schema, pa.DataFrameSchema) and isinstance(check, pa.Check):
            statistics = check.statistics or {}  # a row check
            columns = tuple(c for c in statistics.get("columns", ()) if c in frame)
            expected = str(check.description or name)
            found.append(Failure(columns or (name,), name, expected, positions))
        elif column in schema.columns and len(positions):
            text = check.description if isinstance(check, pa.Check) else None
            found.append(Failure((column,), name, str(text or _expected(model, column)), positions))
        else:  # a missing or unknown column, a wrong type: the reader's mistake, not the file's
            cases = error.failure_cases
            values = cases["failure_case"] if isinstance(cases, pd.DataFrame) else [cases]
            cases_text = ", ".join(sorted({str(v) for v in values}))
            if column not in schema.columns and cases_text in schema.columns:
                column = cases_text  # a missing column is named as the failure case
            found.append(
                Failure(
                    (str(column),),
                    f"{name} ({cases_text})",
                    _expected(model, str(column)),
                    _NONE,
                    True,
                )
            )
    return found, repeated


def _check_rank(model: type[pa.DataFrameModel], failure: Failure) -> int:
    """Where a column's failing check comes among its checks (a missing value first)."""
    columns = model.to_schema().columns
    if len(failure.columns) != 1 or failure.columns[0] not in columns:
        return 0
    for rank, check in enumerate(columns[failure.columns[0]].checks, start=1):
        if failure.check in (check.name, check.error):
            return rank
    return 0


def _masks(masks: Mapping[str, np.ndarray] | None) -> dict[str, np.ndarray]:
    """Per column, the positions a boolean mask marks."""
    return {c: np.flatnonzero(np.asarray(m, dtype=bool)) for c, m in (masks or {}).items()}


def schema_failures(
    model: type[pa.DataFrameModel],
    frame: pd.DataFrame,
    *,
    unreadable: Mapping[str, np.ndarray] | None = None,
    reported: Mapping[str, np.ndarray] | None = None,
) -> list[Failure]:
    """Every failure of ``frame`` against ``model``, the first failing row first.

    ``frame`` is the reader's typed frame (its index is ignored: positions count its rows).
    ``unreadable``: per column, a mask of the cells the reader could not read as the column's
    type (NaN or NaT in ``frame``), reported as failures of that column. ``reported``: per
    column, a mask of cells whose problem the reader reports itself; none is reported again.
    A cell's problem is reported once: a row check, or a repeated key, is not reported on a
    row where one of its cells failed already.
    """
    if frame.empty:  # no rows, no failures (an empty column has no type to check either)
        return []
    frame = frame.reset_index(drop=True)  # pandera's lazy mode needs distinct index labels
    found, repeated = _pandera_failures(model, frame)
    unread, done = _masks(unreadable), _masks(reported)
    failures = [
        Failure((column,), _UNREADABLE, _expected(model, column), positions)
        for column, positions in unread.items()
        if len(positions)
    ]
    # a cell's own checks, in the column's order: a cell is reported by its first failing
    # check, not where it was unreadable or is reported by the reader
    shown = {c: np.union1d(unread.get(c, _NONE), done.get(c, _NONE)) for c in {*unread, *done}}
    for f in sorted(found, key=lambda f: _check_rank(model, f)):
        if len(f.columns) == 1 and not f.whole_column:
            column = f.columns[0]
            f = replace(f, positions=np.setdiff1d(f.positions, shown.get(column, _NONE)))
            shown[column] = np.union1d(shown.get(column, _NONE), f.positions)
        failures.append(f)
    failed = dict(done)
    for f in failures:
        if len(f.columns) == 1:
            failed[f.columns[0]] = np.union1d(failed.get(f.columns[0], _NONE), f.positions)
    if repeated:
        key = tuple(model.to_schema().unique or ())
        repeats = np.flatnonzero(frame[list(key)].duplicated(keep="first").to_numpy())
        failures.append(Failure(key, _UNIQUE, _unique_text(model), repeats))
    out = []
    for f in failures:  # row checks and keys, not where one of their cells failed
        if len(f.columns) > 1 or f.check == _UNIQUE:
            for column in f.columns:
                f = replace(f, positions=np.setdiff1d(f.positions, failed.get(column, _NONE)))
        if len(f.positions) or f.whole_column:
            out.append(f)
    order = {c: i for i, c in enumerate(model.to_schema().columns)}
    return sorted(out, key=lambda f: (f.first, order.get(f.columns[0], len(order))))


def _unique_text(model: type[pa.DataFrameModel]) -> str:
    """What a repeated key expected: the model's ``Config.metadata["unique"]``."""
    metadata = getattr(model.Config, "metadata", None) or {}
    return str(metadata.get("unique", "each row once"))


# -- the message -----------------------------------------------------------------------------


def _shown(value: object) -> str:
    """A cell as a message quotes it: text in quotes, numbers, days and times as written."""
    if value is None or value is pd.NaT or value is pd.NA:
        return "an empty cell"
    if isinstance(value, float | np.floating) and math.isnan(value):
        return "an empty cell"
    if isinstance(value, str):
        text = value.replace("\u00a0", " ").strip()
        if not text:
            return "an empty cell"
        kind = personal_kind(text)
        if kind is not None:  # a bare number the screen let pass may still look personal
            return (
                f"what looks like {describe_kind(kind)} (value not shown; {PERSONAL_DATA_REASON})"
            )
        return repr(text)
    if isinstance(value, bool | np.bool_):
        return repr(bool(value))
    if isinstance(value, float | np.floating | int | np.integer):
        return cell_text(value)  # whole numbers without .0, others in full (1e+23, 0.005)
    if isinstance(value, dt.date | dt.datetime | np.datetime64):
        return cell_text(value)
    return repr(value)


def _cell(
    frame: pd.DataFrame, cells: Mapping[str, Any] | None, column: str, position: int
) -> object:
    """The cell at ``position`` of ``column`` as the file has it (else the typed value)."""
    source = cells.get(column) if cells is not None else None
    if source is None:
        return frame[column].iloc[position]
    if isinstance(source, pd.Series):
        return source.iloc[position]
    return source[position]


def failure_lines(
    failures: Sequence[Failure],
    frame: pd.DataFrame,
    *,
    name: str,
    rows: Sequence[int] | np.ndarray | None = None,
    keys: Sequence[str] | None = None,
    cells: Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    first_only: bool = False,
) -> list[str]:
    """One line per failure, naming its first row and how many more rows fail the same way.

    ``rows``: the row number of each row of ``frame`` as the user counts it (a spreadsheet's:
    header row 1; default position + 2); or ``keys``: each row's TOML key
    (``adjustment[1]``), for a frame read from a TOML file. ``cells``: per column, the cells as
    the file has them, quoted as what was found (default: the typed values). ``columns``: the
    name in the file of a column named otherwise in the contract (an alias, a TOML key).
    ``first_only``: leave out the count of rows like this.
    """
    frame = frame.reset_index(drop=True)
    names = dict(columns or {})
    lines = []
    for f in failures:
        shown_columns = [names.get(c, c) for c in f.columns]
        if f.whole_column:
            lines.append(f"{name}: column '{shown_columns[0]}': {f.check}; expected {f.expected}")
            continue
        p = f.first
        # what a cell holds is shown through `redact`: never a CPR number, phone number or
        # e-mail address, even inside a longer text
        found = redact(", ".join(_shown(_cell(frame, cells, c, p)) for c in f.columns))
        if f.check == _UNIQUE:
            found += f" again (first in {_first_of_key(frame, f.columns, p, rows, keys)})"
        more = len(f.positions) - 1
        tail = (
            f" (and {more:,} more {'row' if more == 1 else 'rows'} like this)"
            if more and not first_only
            else ""
        )
        where = _where(name, p, shown_columns, rows, keys)
        lines.append(one_line(f"{where}: found {found}; expected {f.expected}{tail}"))
    return lines


def _row_label(position: int, rows: Sequence[int] | np.ndarray | None) -> str:
    return f"row {int(rows[position]) if rows is not None else position + 2}"


def _where(
    name: str,
    position: int,
    shown: Sequence[str],
    rows: Sequence[int] | np.ndarray | None,
    keys: Sequence[str] | None,
) -> str:
    if keys is not None:
        if len(shown) == 1:
            return f"{name}: {keys[position]}.{shown[0]}"
        return f"{name}: {keys[position]}, keys " + ", ".join(f"'{c}'" for c in shown)
    label = _row_label(position, rows)
    if len(shown) == 1:
        return f"{name}: {label}, column '{shown[0]}'"
    return f"{name}: {label}, columns " + ", ".join(f"'{c}'" for c in shown)


def _first_of_key(
    frame: pd.DataFrame,
    key: Sequence[str],
    position: int,
    rows: Sequence[int] | np.ndarray | None,
    keys: Sequence[str] | None,
) -> str:
    """Where the key of the row at ``position`` first appears."""
    same = np.ones(position, dtype=bool)
    for column in key:
        values = frame[column].iloc[:position]
        same &= (values == frame[column].iloc[position]).to_numpy(dtype=bool)
    first = int(np.flatnonzero(same)[0]) if same.any() else position
    return str(keys[first]) if keys is not None else _row_label(first, rows)


def check_frame(
    model: type[pa.DataFrameModel],
    frame: pd.DataFrame,
    *,
    name: str,
    rows: Sequence[int] | np.ndarray | None = None,
    keys: Sequence[str] | None = None,
    cells: Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    unreadable: Mapping[str, np.ndarray] | None = None,
) -> None:
    """Validate ``frame`` against ``model``; `InputError` with one line for the first failure.

    The line names the file, the row (``rows``, default position + 2) or TOML key (``keys``),
    the column, what was found (the cell from ``cells``, redacted) and what was expected,
    then how many more problems the frame has: ``forecast.csv: row 3, column 'offered': found
    '-5'; expected a number of calls from 0 to 100,000 per queue and interval (and 2 more
    problems)``. See `schema_failures` for ``unreadable`` and `failure_lines` for the others.
    """
    failures = schema_failures(model, frame, unreadable=unreadable)
    if not failures:
        return
    first = failure_lines(
        failures[:1],
        frame,
        name=name,
        rows=rows,
        keys=keys,
        cells=cells,
        columns=columns,
        first_only=True,
    )[0]
    more = sum(max(len(f.positions), 1) for f in failures) - 1
    if more:
        first += f" (and {more:,} more {'problem' if more == 1 else 'problems'})"
    raise InputError(first)
