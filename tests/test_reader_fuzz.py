"""Fuzzing the readers (issue 15): whatever a file holds, a reader returns or says why not.

Every reader of an input contract either returns its table (or its entries) or raises
`planner.errors.InputError` with a one-line message naming the file; never another
exception. Hypothesis feeds each reader

- random bytes (also behind the magic numbers of a zip/Excel workbook and a Parquet file);
- random CSV with the contract's columns (a random subset, in random order, ``,`` or ``;``)
  and cells that mix plausible values (times on and off the grid, queue names that differ only
  in case or spaces, clock times, counts) with random text and numbers (negative, huge, NaN);
- random TOML for the scenarios and events readers: documents of the right shape with random
  values and keys, and random nested documents.

Examples are derandomized (the same examples every run, so that a failure is reproducible)
and moderate in number, so that the suite stays fast.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.errors import InputError
from planner.io.agents import AGENT_OPTIONAL, AGENT_REQUIRED, read_agents
from planner.io.events import read_events
from planner.io.forecast import FORECAST_COLUMNS, read_forecast
from planner.io.requirements import read_requirements
from planner.io.roster import read_roster
from planner.io.scenarios import load_scenarios

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
QUEUES = ["Dagpenge", "A-Kasse"]
AGENT_IDS = ["A01", "A02", "A03"]


def _forecast(data: bytes) -> object:
    return read_forecast("fuzz.csv", data=data)


def _forecast_uncertain(data: bytes) -> object:
    return read_forecast("fuzz.csv", data=data, uncertainty=True)


def _requirements(data: bytes) -> object:
    return read_requirements("fuzz.csv", data=data)


def _agents(data: bytes) -> object:
    return read_agents("fuzz.csv", data=data, queues=QUEUES)


def _roster(data: bytes) -> object:
    return read_roster("fuzz.csv", data=data)


TABLE_READERS: dict[str, Callable[[bytes], object]] = {
    "forecast": _forecast,
    "forecast_uncertain": _forecast_uncertain,
    "requirements": _requirements,
    "agents": _agents,
    "roster": _roster,
}


def reads_or_refuses(reader: Callable[[bytes], object], data: bytes) -> None:
    """The reader returns, or raises InputError with one line naming the file."""
    try:
        reader(data)
    except InputError as exc:
        message = str(exc)
        assert message.splitlines() == [message], message
        assert message.startswith("fuzz."), message


# -- random bytes ----------------------------------------------------------------------------

MAGIC = st.sampled_from([b"", b"PK\x03\x04", b"PAR1", b"\xef\xbb\xbf", b"\xff\xfe", b"%PDF"])


@pytest.mark.parametrize("contract", sorted(TABLE_READERS))
@FUZZ
@given(head=MAGIC, body=st.binary(max_size=2000))
def test_random_bytes_are_refused_or_read(contract: str, head: bytes, body: bytes) -> None:
    reads_or_refuses(TABLE_READERS[contract], head + body)


# -- random CSV with the contract's columns --------------------------------------------------

DAY = dt.date(2026, 3, 2)


def _iso(day: dt.date, hour: int, minute: int, second: int, offset: str) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}{offset}"


#: Times: mostly on the 15-minute grid of one day, sometimes off it, out of range or junk.
on_grid = st.builds(
    lambda h, q: _iso(DAY, h, 15 * q, 0, "+01:00"), st.integers(7, 16), st.integers(0, 3)
)
odd_time = st.one_of(
    st.builds(
        _iso,
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
        st.sampled_from(["", "+01:00", "+02:00", "Z", "-05:00", "+14:00"]),
    ),
    st.sampled_from(
        [
            "2026-02-30T08:00:00+01:00",
            "2026-03-29 02:30",
            "2026-10-25 02:15",
            "02-03-2026 08:00",
            "02.03.2026 8.15",
            "2026-03-02",
            "24:00",
            "08:00",
            "",
            "nan",
            "NaT",
            "9999-12-31T23:59:59+01:00",
            "0001-01-01T00:00:00",
            "1677-09-21 00:12",
            "2262-04-11 23:47",
        ]
    ),
)
times = st.one_of(on_grid, on_grid, on_grid, odd_time)
clock = st.one_of(
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 24), st.sampled_from([0, 15, 30, 7])),
    st.sampled_from(["", "8.00", "08:00:30", "24:00", "25:00", "0.3333", "-1:00", "１２:００"]),
)
queue = st.one_of(
    st.sampled_from(QUEUES),
    st.sampled_from(["dagpenge", "Dagpenge ", " A-Kasse", "Råd", "Ra\u030ad", "", "=1+1", "'-x"]),
    st.text(max_size=12),
)
numbers = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "1,5", "1.5", "nan", "inf", "-0", "1e308", "=1+1", "tolv", "0101901234"]),
)
junk = st.one_of(
    st.text(max_size=20),
    st.text(max_size=20),
    st.text(max_size=20),
    st.sampled_from(["010190-1234", "+45 20 30 40 50", "jens@kk.dk", "'=SUM(A1)", "\t=1"]),
)
agent_id = st.one_of(
    st.sampled_from(AGENT_IDS), st.sampled_from(["a01", "A01 ", "Jens H.", ""]), junk
)
activity = st.one_of(
    st.sampled_from(["phone", "lunch", "off_phone", "absence", "Phone ", "kaffe", ""]), junk
)
date = st.one_of(
    st.just(DAY.isoformat()),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.sampled_from(["2026-02-30", "", "02-03-2026"]),
)
skills = st.one_of(
    st.sampled_from(["Dagpenge", "Dagpenge;A-Kasse", "dagpenge ", "", "Ukendt", ";;"]), junk
)
hours = st.one_of(st.sampled_from(["37", "30", "37,0", "0", "61", ""]), numbers)
preferences = st.one_of(
    st.sampled_from(["", "early", "no_late;mon_off", "fri_early", "vil gerne"]), junk
)
unavailable = st.one_of(st.sampled_from(["", "2026-03-02", "2026-03-02;2026-02-30"]), junk)

CELLS: dict[str, st.SearchStrategy[str]] = {
    "interval_start": times,
    "queue": queue,
    "offered": numbers,
    "offered_lo": numbers,
    "offered_hi": numbers,
    "aht_seconds": numbers,
    "agents": numbers,
    "agents_gross": numbers,
    "patience_seconds": numbers,
    "agent_id": agent_id,
    "team": st.one_of(st.just("Ledighed"), junk),
    "skills": skills,
    "weekly_hours": hours,
    "earliest_start": clock,
    "latest_end": clock,
    "unavailable": unavailable,
    "preferences": preferences,
    "date": date,
    "start": st.one_of(clock, times),
    "end": st.one_of(clock, times),
    "activity": activity,
}
COLUMNS = {
    "forecast": list(FORECAST_COLUMNS),
    "forecast_uncertain": list(FORECAST_COLUMNS),
    "requirements": [
        "interval_start",
        "queue",
        "agents",
        "agents_gross",
        "offered",
        "aht_seconds",
        "patience_seconds",
    ],
    "agents": list(AGENT_REQUIRED + AGENT_OPTIONAL),
    "roster": ["agent_id", "date", "start", "end", "activity"],
}


def _slot(k: int) -> str:
    """The ``k``-th interval start of the plan's day, 07:30 + 15 minutes each."""
    minutes = 7 * 60 + 30 + 15 * k
    return _iso(DAY, minutes // 60, minutes % 60, 0, "+01:00")


def plausible_row(contract: str, i: int) -> dict[str, str]:
    """Row ``i`` of a file that reads: distinct intervals, agents, blocks."""
    if contract in ("forecast", "forecast_uncertain", "requirements"):
        offered = 3 + i % 7
        return {
            "interval_start": _slot(i // 2),
            "queue": QUEUES[i % 2],
            "offered": str(offered),
            "offered_lo": str(offered - 2),
            "offered_hi": str(offered + 3),
            "aht_seconds": "300",
            "agents": str(1 + i % 3),
            "agents_gross": str(2 + i % 3),
            "patience_seconds": "180",
        }
    if contract == "agents":
        return {
            "agent_id": f"A{i + 1:02d}",
            "team": "Ledighed",
            "skills": "Dagpenge;A-Kasse" if i % 2 else "Dagpenge",
            "weekly_hours": "37",
            "earliest_start": "08:00" if i % 3 == 0 else "",
            "latest_end": "16:00" if i % 3 == 1 else "",
            "unavailable": "2026-03-03" if i % 4 == 0 else "",
            "preferences": "early" if i % 5 == 0 else "",
        }
    agent, block = AGENT_IDS[i % 3], i // 3
    return {
        "agent_id": agent,
        "date": DAY.isoformat(),
        "start": _slot(4 * block)[11:16],
        "end": _slot(4 * block + 4)[11:16],
        "activity": "phone" if block % 3 else "lunch",
    }


@st.composite
def contract_csv(draw: st.DrawFn, contract: str) -> bytes:
    """A CSV file with (mostly) the contract's columns: plausible rows with a few cells
    replaced by random ones, a row repeated, columns left out, moved or added."""
    columns = list(COLUMNS[contract])
    if not draw(st.integers(0, 4)):  # now and then a random subset of the columns
        keep = draw(st.lists(st.booleans(), min_size=len(columns), max_size=len(columns)))
        columns = [c for c, k in zip(columns, keep, strict=True) if k] or columns[:1]
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    if not draw(st.integers(0, 5)):
        columns = columns + [draw(st.sampled_from(["cpr", "telefon", "remarks", " queue ", ""]))]
    n = draw(st.integers(0, 12))
    rows = [[plausible_row(contract, i).get(c, "") for c in columns] for i in range(n)]
    if rows:
        if draw(st.integers(0, 3)) == 0:  # every cell random
            rows = [[draw(CELLS.get(c, junk)) for c in columns] for _ in rows]
        for _ in range(draw(st.integers(0, 3))):  # a few cells random
            r, c = draw(st.integers(0, n - 1)), draw(st.integers(0, len(columns) - 1))
            rows[r][c] = draw(CELLS.get(columns[c], junk))
        if not draw(st.integers(0, 5)):
            rows.append(list(rows[draw(st.integers(0, n - 1))]))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    buffer = io.StringIO()
    end = draw(st.sampled_from(["\n", "\r\n"]))
    writer = csv.writer(buffer, delimiter=sep, lineterminator=end)
    writer.writerow(columns)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return buffer.getvalue().encode(encoding, "replace")


@pytest.mark.parametrize("contract", sorted(TABLE_READERS))
@FUZZ
@given(data=st.data())
def test_random_csv_is_refused_or_read(contract: str, data: st.DataObject) -> None:
    reads_or_refuses(TABLE_READERS[contract], data.draw(contract_csv(contract)))


#: Files whose messages quote a cell, an id or a key that holds a line break.
LINE_BREAKS = {
    "forecast": "interval_start,queue,offered,aht_seconds\n"
    + '2026-03-02T08:00:00+01:00,"Dag\npenge",1,300\n' * 2,
    "forecast_uncertain": "interval_start,queue,offered,offered_lo,offered_hi,aht_seconds\n"
    + '2026-03-02T08:00:00+01:00,"Dag\rpenge",1,0,2,300\n' * 2,
    "requirements": "interval_start,queue,agents\n"
    '2026-03-02T08:00:00+01:00,"Dag\u2028penge",1\n2026-03-02T08:00:00+01:00,"Dag\u2028penge",1\n',
    "agents": 'agent_id,team,skills,weekly_hours\n"A\n01",T,Dagpenge,37\n"A\n01",T,Dagpenge,37\n',
    "roster": "agent_id,date,start,end,activity\n"
    '"A\n01",2026-03-02,08:00,12:00,phone\n"A\n01",2026-03-02,08:00,12:00,phone\n',
}


@pytest.mark.parametrize("contract", sorted(LINE_BREAKS))
def test_a_line_break_in_a_cell_never_breaks_the_message(contract: str) -> None:
    with pytest.raises(InputError) as refused:
        TABLE_READERS[contract](LINE_BREAKS[contract].encode("utf-8"))
    assert str(refused.value).splitlines() == [str(refused.value)]


# -- random TOML -----------------------------------------------------------------------------


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes, and DEL escaped as TOML requires)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: object) -> str:
    """``value`` as an inline TOML value."""
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
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_string(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    raise TypeError(type(value))


def toml_document(document: dict[str, object]) -> bytes:
    return "".join(f"{_toml_string(k)} = {toml_value(v)}\n" for k, v in document.items()).encode()


scalar = st.one_of(
    st.text(max_size=15),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
    st.sampled_from(["010190-1234", "jens@kk.dk", "2026-03-02", "2026-02-30", "A01", "a01 "]),
)
plan_day = st.one_of(
    st.just(DAY),
    st.just(DAY),
    st.just(DAY.isoformat()),
    st.dates(min_value=dt.date(2026, 2, 20), max_value=dt.date(2026, 3, 10)),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
value = st.one_of(
    scalar,
    st.lists(scalar, max_size=3),
    st.sampled_from(AGENT_IDS + QUEUES + ["dagpenge", "Dagpenge;A-Kasse"]),
    plan_day,
)


def mostly(plausible: st.SearchStrategy) -> st.SearchStrategy:
    """``plausible`` values, and now and then any value."""
    return st.integers(0, 5).flatmap(lambda k: value if k == 5 else plausible)


def entry(keys: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict[str, object]]:
    """A table with (some of) ``keys``, sometimes a stray key; mostly plausible values."""
    plausible = {key: mostly(strategy) for key, strategy in keys.items()}
    stray = st.fixed_dictionaries({}, optional={"stray": value, "Name": value})
    return st.builds(
        lambda a, b: {**a, **b},
        st.fixed_dictionaries({}, optional=plausible),
        st.one_of(st.just({}), st.just({}), st.just({}), stray),
    )


queue_name = st.sampled_from(QUEUES + ["dagpenge", "Ukendt"])
factor = st.one_of(
    st.floats(0.5, 2.0),
    st.integers(0, 500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
)
SCENARIO_PARTS = {
    "sick": entry(
        {
            "agents": st.lists(st.sampled_from(AGENT_IDS + ["A99", "a01"]), max_size=3),
            "date": plan_day,
            "dates": st.lists(plan_day, max_size=3),
        }
    ),
    "remove_agent": entry(
        {"agent": st.one_of(st.sampled_from(AGENT_IDS), value), "from": plan_day}
    ),
    "new_hire": entry(
        {
            "agent": st.sampled_from(["N01", "A01"]),
            "skills": st.sampled_from([["Dagpenge"], "Dagpenge;A-Kasse", [], "dagpenge"]),
            "from": plan_day,
            "like": st.sampled_from(AGENT_IDS),
            "weekly_hours": factor,
            "team": st.just("Ny"),
        }
    ),
    "volume": entry({"factor": factor, "queue": queue_name, "from": plan_day, "to": plan_day}),
    "extra_calls": entry({"calls": factor, "queue": queue_name, "from": plan_day, "to": plan_day}),
    "aht": entry({"factor": factor, "queue": queue_name, "from": plan_day, "to": plan_day}),
}
scenario = st.fixed_dictionaries(
    {"name": mostly(st.sampled_from(["Syg", "Flere opkald", "base", "syg ", ""]))},
    optional={
        "description": mostly(st.text(max_size=20)),
        "reroster": mostly(st.booleans()),
        "goals": st.one_of(
            st.dictionaries(
                st.sampled_from(["answer_rate", "asa_seconds", "fcr", "threshold", "x"]),
                st.one_of(factor, st.just(False)),
                max_size=3,
            ),
            value,
        ),
        **{
            kind: st.one_of(st.lists(part, max_size=2), value)
            for kind, part in SCENARIO_PARTS.items()
        },
    },
)
nested = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
scenario_document = st.one_of(
    st.fixed_dictionaries({"scenario": st.lists(scenario, min_size=1, max_size=3)}),
    st.fixed_dictionaries({"scenario": st.one_of(scenario, value)}),
    st.dictionaries(st.text(max_size=8), nested, max_size=3),
)


@pytest.fixture(scope="module")
def plan() -> dict[str, pd.DataFrame]:
    corpus = Path(__file__).parent / "data" / "corpus"
    return {
        "agents": read_agents(corpus / "agents" / "good_basic.csv"),
        "forecast": read_forecast(corpus / "forecast" / "good_basic.csv"),
    }


def scenario_reads_or_refuses(data: bytes, plan: dict[str, pd.DataFrame]) -> None:
    try:
        load_scenarios("fuzz.toml", data=data, **plan)
    except InputError as exc:
        assert str(exc).splitlines() == [str(exc)] and str(exc).startswith("fuzz.toml: ")


@FUZZ
@given(document=scenario_document)
@example(document={"\n": "0101000000"})  # a key with a line break, found by fuzzing
@example(document={"scenario": [{"name": "x", "y\u2028z": 1}]})
def test_random_scenario_documents_are_refused_or_read(
    document: dict[str, object], plan: dict[str, pd.DataFrame]
) -> None:
    scenario_reads_or_refuses(toml_document(document), plan)


@FUZZ
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(bytes.hex)))
def test_random_scenario_text_is_refused_or_read(text: str, plan: dict[str, pd.DataFrame]) -> None:
    scenario_reads_or_refuses(text.encode("utf-8", "surrogatepass"), plan)


event = entry(
    {
        "name": st.sampled_from(["Breve", "Reform", ""]),
        "queue": queue_name,
        "queues": st.lists(queue_name, max_size=2),
        "start": plan_day,
        "end": plan_day,
        "lift": factor,
        "percent": factor,
        "calls": factor,
        "kind": st.sampled_from(["event", "adjustment", "x"]),
        "note": st.text(max_size=10),
    }
)
events_document = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "event": mostly(st.lists(event, max_size=3)),
            "adjustment": mostly(st.lists(event, max_size=3)),
        },
    ),
    st.dictionaries(st.text(max_size=8), nested, max_size=3),
)


@FUZZ
@given(document=events_document)
@example(document={"\n": []})  # a key with a line break, found by fuzzing
@example(document={"event": [{"name": "x", "queue": "Dagpenge", "start": DAY, "a\nb": 1}]})
def test_random_event_documents_are_refused_or_read(
    document: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("events") / "fuzz.toml"
    path.write_bytes(toml_document(document))
    try:
        read_events(path, QUEUES)
    except InputError as exc:
        assert str(exc).splitlines() == [str(exc)] and str(exc).startswith("fuzz.toml: ")
