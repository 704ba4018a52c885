"""planner.io.pii: CPR and phone numbers are refused, by column name and by content; call ids,
timestamps, counts and queue names are not (no false hits)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from centre.queues import QUEUE_NAMES
from planner.errors import InputError
from planner.io.pii import (
    check_personal_data,
    column_name_reason,
    cpr_numbers_in,
    find_personal_data,
    personal_data_problems,
    phone_numbers_in,
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
