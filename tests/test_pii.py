"""planner.io.pii: CPR numbers, phone numbers and e-mail addresses are refused, by column name,
header and content, down to a single cell, and never echoed; call ids, timestamps, dates,
counts and queue names are not (no false hits).

References are independent of the screen: CPR numbers are built from birth dates by the CPR
office's rule (a 7th digit 0-3 means born in the 1900s), the written forms are the ones the
issue lists, and the expected messages are written out in full."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from centre.queues import QUEUE_NAMES
from planner.errors import InputError
from planner.io.history import load_history
from planner.io.pii import (
    check_personal_data,
    column_name_reason,
    cpr_numbers_in,
    email_addresses_in,
    find_personal_data,
    personal_data_problems,
    personal_kind,
    phone_numbers_in,
    redact,
)

# Made-up numbers: CPR 010190-1234 has a real birth date (1 Jan 1990) and so passes
# stdnum's check; 20 12 34 56 is in the Danish mobile range.
CPR = "010190-1234"
PHONE = "+45 20 12 34 56"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("cpr", "CPR numbers"),
        ("CPR-nr", "CPR numbers"),
        ("Borger CPR", "CPR numbers"),
        ("personnummer", "CPR numbers"),
        ("telefon", "phone numbers"),
        ("Tlf. nr", "phone numbers"),
        ("caller_id", "phone numbers"),
        ("Caller number", "phone numbers"),
        ("A-nummer", "phone numbers"),
        ("mobil", "phone numbers"),
        ("phone_time", None),
        ("telefontid", None),
        ("interval_start", None),
        ("queue", None),
        ("offered", None),
        ("call_id", None),
        ("client", None),
    ],
)
def test_column_names(name: str, reason: str | None) -> None:
    assert column_name_reason(name) == reason


def test_cpr_numbers_in_text() -> None:
    assert cpr_numbers_in(f"Borger {CPR} ringede") == [(CPR, True)]
    assert cpr_numbers_in("0101901234") == [("0101901234", False)]
    assert cpr_numbers_in("321390-1234") == []  # no 32nd day, no 13th month
    assert cpr_numbers_in("2025-03-03T10:15:00+01:00") == []
    assert cpr_numbers_in("opkald 12345678901") == []  # 11 digits: not a CPR number


def test_phone_numbers_in_text() -> None:
    assert phone_numbers_in(PHONE) == [(PHONE, True)]
    assert phone_numbers_in("ring 20 12 34 56 i morgen") == [("20 12 34 56", True)]
    assert phone_numbers_in("20123456") == [("20123456", False)]
    assert phone_numbers_in("20240312") == []  # a compact date, not a phone number
    assert phone_numbers_in("2025-03-03 10:15") == []
    assert phone_numbers_in("9-by samarbejde") == []


def frame_of(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_content_flags_phone_and_cpr_columns() -> None:
    rng = np.random.default_rng(7)
    callers = [str(x) for x in rng.integers(20_000_000, 99_999_999, 50)]
    notes = ["travlt"] * 49 + [f"Borger {CPR} ringede om sin sag"]
    cprs = [f"{d:02d}0185{s:04d}" for d, s in zip(range(1, 29), range(1000, 1028))]
    found = find_personal_data(frame_of(caller=callers, note=notes, person=cprs[:28] + [""] * 22))
    kinds = {f.column: (f.kind, f.by, f.position) for f in found}
    assert kinds["caller"][:2] == ("phone numbers", "content")
    assert kinds["note"] == ("CPR numbers", "content", 49)
    assert kinds["person"][:2] == ("CPR numbers", "content")


def test_no_false_hits_on_ids_times_counts_and_queues() -> None:
    n = 200
    times = pd.date_range("2025-03-03 07:30", periods=n, freq="15min", tz="Europe/Copenhagen")
    frame = frame_of(
        call_id=[str(40_000_001 + 7 * i) for i in range(n)],  # 8-digit rising ids
        long_id=[str(1_000_000_001 + i) for i in range(n)],
        epoch=[str(1_740_000_000 + 900 * i) for i in range(n)],  # rising epoch seconds
        compact_date=[f"{d:%Y%m%d}" for d in pd.date_range("2025-01-01", periods=n)],
        iso=[t.isoformat() for t in times],
        naive=[t.strftime("%d-%m-%Y %H:%M") for t in times],
        offered=[str(i % 40) for i in range(n)],
        aht=[f"{180 + i % 60},5" for i in range(n)],
        queue=[QUEUE_NAMES[i % 10] for i in range(n)],
        uuid=[f"550e8400-e29b-41d4-a716-{i:012d}" for i in range(n)],
    )
    frame["typed_time"] = times
    frame["typed_count"] = np.arange(n)
    assert find_personal_data(frame) == []


@settings(max_examples=50, deadline=None)
@given(
    counts=st.lists(st.integers(0, 9999), min_size=1, max_size=30),
    start=st.datetimes(
        min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2030-12-31").to_pydatetime(),
    ),
)
def test_counts_and_timestamps_never_flagged(counts: list[int], start) -> None:
    times = pd.date_range(start, periods=len(counts), freq="15min").floor("min")
    frame = frame_of(
        interval_start=[t.isoformat() for t in times],
        offered=[str(c) for c in counts],
        aht=[f"{c / 7:.1f}".replace(".", ",") for c in counts],
    )
    assert find_personal_data(frame) == []


def test_messages_name_file_row_column_and_never_the_value() -> None:
    frame = frame_of(queue=["Dagpenge", "Dagpenge", "Dagpenge"], caller=["", PHONE, PHONE])
    lines = personal_data_problems(frame, name="h.csv", rows=np.array([2, 3, 5]))
    assert lines == [
        "h.csv: row 3, column 'caller' holds what looks like a phone number (value not shown; "
        "1 more rows like it); the planner needs no personal data and must not store any: "
        "remove it and load the file again"
    ]
    assert "20 12" not in lines[0]
    by_name = frame_of(cpr=["x"], telefon=["y"])
    with pytest.raises(InputError) as err:
        check_personal_data(by_name, name="h.csv")
    assert str(err.value) == (
        "h.csv: column 'cpr' looks like CPR numbers (by its name); the planner needs no personal "
        "data and must not store any: remove the column and load the file again "
        "(1 more personal columns)"
    )


def test_bare_phone_numbers_need_a_majority_to_flag() -> None:
    """A few 8-digit numbers in a mostly short column (e.g. counts) are not phone numbers."""
    values = [str(i) for i in range(40)] + ["20123456"]
    assert find_personal_data(frame_of(x=values)) == []


# ---------------------------------------------------------------------------------------------
# Issue 15 ("Hardening"): every written form of a CPR number, e-mail addresses, single cells,
# headers, and no value ever echoed.
# ---------------------------------------------------------------------------------------------

#: The written forms of one CPR number: the 6-digit birth date, then nothing or a separator.
CPR_FORMS = ["0101901234", "010190-1234", "010190/1234", "010190 1234", "010190.1234"]


@pytest.mark.parametrize("written", CPR_FORMS)
def test_every_written_form_of_a_cpr_number_is_found(written: str) -> None:
    assert cpr_numbers_in(f"kø {written} ring") == [(written, written != "0101901234")]
    assert personal_kind(written) == "CPR numbers"


@pytest.mark.parametrize(
    "text",
    [
        "301.2505851234",  # decimals of a mean handle time, not a CPR number
        "0,2505851234",
        "12345678901",  # eleven digits
        "010190-12345",
        "2026-11-30",
        "30-11-2026 10:15",
        "30/11/2026",
        "07:30-15:00",
        "1740000000",  # epoch seconds: 17 / 40 is no date
    ],
)
def test_cpr_look_alikes_are_not_cpr_numbers(text: str) -> None:
    assert cpr_numbers_in(text) == []


def test_email_addresses_are_found_by_content_and_by_name() -> None:
    assert email_addresses_in("skriv til jens.hansen@kk.dk i dag") == ["jens.hansen@kk.dk"]
    assert email_addresses_in("Dagpenge @ KC") == []
    assert personal_kind("jens.hansen@kk.dk") == "e-mail addresses"
    for name in ("email", "E-mail", "e_mail adresse", "Mail", "mailadresse"):
        assert column_name_reason(name) == "e-mail addresses", name
    assert column_name_reason("mail_sent") is None
    assert column_name_reason("voicemail") is None
    found = find_personal_data(frame_of(queue=["Dagpenge", "a@kk.dk", "Dagpenge"]))
    assert [(f.column, f.kind, f.by, f.position) for f in found] == [
        ("queue", "e-mail addresses", "content", 1)
    ]


@pytest.mark.parametrize("written", CPR_FORMS)
def test_one_cpr_number_in_one_cell_refuses_the_table(written: str) -> None:
    """A single cell is enough: in a queue column, in a column of counts, in a time column."""
    n = 40
    times = pd.date_range("2025-03-03 07:30", periods=n, freq="15min", tz="Europe/Copenhagen")
    base = frame_of(
        interval_start=[t.isoformat() for t in times],
        queue=[QUEUE_NAMES[i % 10] for i in range(n)],
        offered=[str(i % 40) for i in range(n)],
    )
    for column in base.columns:
        frame = base.copy()
        frame.loc[17, column] = written
        lines = personal_data_problems(frame, name="h.csv")
        assert lines == [
            f"h.csv: row 19, column '{column}' holds what looks like a CPR number (value not "
            "shown); the planner needs no personal data and must not store any: remove it and "
            "load the file again"
        ]


def test_a_header_that_holds_personal_data_is_refused_without_showing_it() -> None:
    frame = pd.DataFrame([["Dagpenge", 3]], columns=["jens@kk.dk", "0101901234"])
    lines = personal_data_problems(frame, name="h.csv")
    assert lines == [
        "h.csv: row 1, column 1 (the header) holds what looks like an e-mail address (value not "
        "shown); the planner needs no personal data and must not store any: remove it, give the "
        "file its header row and load it again",
        "h.csv: row 1, column 2 (the header) holds what looks like a CPR number (value not "
        "shown); the planner needs no personal data and must not store any: remove it, give the "
        "file its header row and load it again",
    ]


def test_redact_takes_personal_values_out_of_a_message() -> None:
    message = (
        "a.csv: row 2, column 'weekly_hours': found '010190/1234', then +45 20 30 40 50 and "
        "jens@kk.dk at 2026-03-02T08:00:00+01:00 (07:30); expected 37"
    )
    assert redact(message) == (
        "a.csv: row 2, column 'weekly_hours': found '[CPR number not shown]', then "
        "[phone number not shown] and [e-mail address not shown] at 2026-03-02T08:00:00+01:00 "
        "(07:30); expected 37"
    )
    assert (
        redact("row 12, found '37,5'; expected (0, 60]") == "row 12, found '37,5'; expected (0, 60]"
    )


def test_a_nine_digit_number_is_a_cpr_number_that_lost_its_leading_zero() -> None:
    assert personal_kind(101901234) == "CPR numbers"  # 0101901234 stored as a number
    assert personal_kind(991901234) is None  # 99 is no day of a month
    found = find_personal_data(frame_of(agent_id=["A01", "101901234", "A03"]))
    assert [(f.kind, f.position) for f in found] == [("CPR numbers", 1)]


def test_the_default_data_still_reads() -> None:
    """No false hit on the embedded history (counts, seconds, ISO times, ten queues) nor on
    the sample agents (ids, teams, skills, hours, clock times, holiday dates like 2026-11-30,
    preferences)."""
    from planner.io import default_data
    from planner.io.agents import read_agents, validate_agents
    from planner.io.history import load_history
    from planner.io.tables import load_table
    from sampledata.agents import make_sample_agents

    history = load_table(default_data.HISTORY)
    assert find_personal_data(history.frame) == []
    assert len(load_history(default_data.HISTORY).frame) > 100_000
    agents = read_agents(default_data.AGENTS)
    assert len(agents) == 34
    assert len(validate_agents(make_sample_agents())) == 34


# -- fuzzing -------------------------------------------------------------------------------

#: Birth dates of the 1900s: with a 7th digit 0-3 the CPR number is of someone born then
#: (the CPR office's century rule), so every number drawn is a valid CPR number.
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31))
cpr_like = st.builds(
    lambda born, sep, first, rest: f"{born:%d%m%y}{sep}{first}{rest:03d}",
    birth_dates,
    st.sampled_from(["", "-", "/", " ", "."]),
    st.integers(0, 3),
    st.integers(0, 999),
)
COLUMNS = ("interval_start", "queue", "offered", "answered", "aht_seconds")


def history_like(n: int, seed: int) -> pd.DataFrame:
    """A history table as CSV cells (text): ISO times, queue names, counts, seconds."""
    rng = np.random.default_rng(seed)
    times = pd.date_range("2025-03-03 07:30", periods=n, freq="15min", tz="Europe/Copenhagen")
    offered = rng.integers(0, 60, n)
    return frame_of(
        interval_start=[t.isoformat() for t in times],
        queue=[QUEUE_NAMES[i] for i in rng.integers(0, 10, n)],
        offered=[str(v) for v in offered],
        answered=[str(v) for v in offered // 2],
        aht_seconds=[f"{v:.1f}".replace(".", ",") for v in rng.uniform(100, 600, n)],
    )


@settings(max_examples=60, deadline=None)
@given(
    number=cpr_like,
    n=st.integers(1, 40),
    seed=st.integers(0, 10_000),
    where=st.data(),
    wrapped=st.booleans(),
)
def test_a_cpr_number_in_any_cell_is_always_refused(
    number: str, n: int, seed: int, where: st.DataObject, wrapped: bool
) -> None:
    frame = history_like(n, seed)
    row = where.draw(st.integers(0, n - 1), label="row")
    column = where.draw(st.sampled_from(COLUMNS), label="column")
    frame.loc[row, column] = f"borger {number} ringede" if wrapped else number
    found = find_personal_data(frame)
    assert [(f.column, f.kind, f.position) for f in found] == [(column, "CPR numbers", row)]
    # and the reader refuses the file with a message that does not show the number
    data = frame.to_csv(index=False).encode()
    with pytest.raises(InputError) as err:
        load_history(data, name="h.csv")
    message = str(err.value)
    assert message.startswith(f"h.csv: row {row + 2}, column '{column}' holds what looks like")
    assert number not in message and re.sub(r"\D", "", number) not in message


queue_names = st.one_of(
    st.sampled_from(QUEUE_NAMES),
    st.from_regex(r"[A-Za-zæøåÆØÅ][A-Za-zæøåÆØÅ \-]{0,20}( \d{1,4})?", fullmatch=True),
)
plain_numbers = st.one_of(
    st.integers(0, 9_999_999).map(str),
    st.floats(0, 99_999, allow_nan=False).map(repr),
    st.floats(0, 99_999, allow_nan=False).map(lambda x: f"{x:.1f}".replace(".", ",")),
)


@settings(max_examples=100, deadline=None)
@given(
    queues=st.lists(queue_names, min_size=1, max_size=30),
    numbers=st.lists(plain_numbers, min_size=1, max_size=30),
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
    clock=st.times().map(lambda t: t.strftime("%H:%M")),
)
def test_plain_queue_names_numbers_dates_and_times_are_accepted(
    queues: list[str], numbers: list[str], day: dt.date, clock: str
) -> None:
    n = max(len(queues), len(numbers))
    frame = frame_of(
        queue=(queues * n)[:n],
        offered=(numbers * n)[:n],
        date=[day.isoformat()] * n,
        danish=[f"{day:%d-%m-%Y} {clock}"] * n,
        clock=[clock] * n,
    )
    assert find_personal_data(frame) == []
