"""Limits at the door of every table file (planner.io.tables.load_table): bytes and rows.

A file over the limits is refused with a one-line message naming the file, what was found and
the limit, before it is parsed (the parsers are replaced by ones that fail if called). Files are
built in tmp_path or in memory; nothing large is committed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from planner.errors import InputError
from planner.io.history import load_history
from planner.io.tables import MAX_BYTES, MAX_ROWS, load_table

# Ten years of 15-minute history for the ten queues, the sizing (issue 15):
# 10 queues x 34 intervals a day x 260 working days x 10 years.
TEN_YEARS_OF_HISTORY = 10 * 34 * 260 * 10


class Parsed(BaseException):
    """Raised by a parser that the limit should have kept from being called (a BaseException,
    so that no reader's ``except Exception`` turns it into a message)."""


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise Parsed("the file was parsed")

    for parser in ("read_csv", "read_excel", "read_parquet"):
        monkeypatch.setattr(pd, parser, refuse)


def csv_bytes(rows: int, *, newline: str = "\n", trailing: bool = True, encoding="utf-8") -> bytes:
    lines = ["queue;offered"] + [f"Kontanthjælp;{i % 97}" for i in range(rows)]
    text = newline.join(lines) + (newline if trailing else "")
    return text.encode(encoding)


def rows_message(name: str, found: str, limit: str) -> str:
    return (
        f"{name}: the file has {found} below the header, more than the limit of {limit}; "
        f"expected at most {limit} rows (split it into periods)"
    )


# -- the defaults -------------------------------------------------------------------------------


def test_the_defaults_leave_room_for_ten_years_of_history() -> None:
    assert TEN_YEARS_OF_HISTORY == 884_000
    assert MAX_ROWS == 2_000_000 >= 2 * TEN_YEARS_OF_HISTORY
    assert MAX_BYTES == 200_000_000
    # A history row of the default data is about 61 bytes: the row limit, not the byte limit,
    # is what a history file meets first.
    history = Path(__file__).resolve().parents[1] / "data" / "history.csv"
    per_row = history.stat().st_size / (history.read_bytes().count(b"\n") - 1)
    assert MAX_ROWS * per_row < MAX_BYTES


def test_one_row_over_the_default_is_refused_before_parsing(no_parsing: None) -> None:
    data = b"n\n" + b"1\n" * (2_000_000 + 1)
    with pytest.raises(InputError) as caught:
        load_table(data=data, name="history.csv")
    assert str(caught.value) == rows_message("history.csv", "2,000,001 rows", "2,000,000")


def test_exactly_the_default_passes_the_check(no_parsing: None) -> None:
    data = b"n\n" + b"1\n" * 2_000_000
    with pytest.raises(Parsed):  # it got as far as the parser
        load_table(data=data, name="history.csv")


def test_history_upload_over_the_limit_is_refused_with_the_files_name(no_parsing: None) -> None:
    header = b"interval_start,queue,offered\n"
    row = b"2024-01-02T07:30:00+01:00,Kontanthj\xc3\xa6lp,3\n"
    with pytest.raises(InputError) as caught:
        load_history(header + row * (MAX_ROWS + 5), name="acd_export.csv")
    assert str(caught.value) == rows_message("acd_export.csv", "2,000,005 rows", "2,000,000")


# -- CSV: counted from the line breaks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("newline", "trailing", "encoding"),
    [
        ("\n", True, "utf-8"),
        ("\n", False, "utf-8"),
        ("\r\n", True, "utf-8-sig"),
        ("\r\n", False, "cp1252"),
        ("\r", True, "utf-8"),
        ("\r\n", True, "utf-16"),
    ],
    ids=["lf", "lf-no-last", "crlf-bom", "crlf-cp1252-no-last", "cr", "utf16"],
)
def test_csv_at_the_limit_is_read_and_one_more_row_is_refused(
    newline: str, trailing: bool, encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_limit = csv_bytes(1000, newline=newline, trailing=trailing, encoding=encoding)
    table = load_table(data=at_limit, name="t.csv", max_rows=1000)
    assert len(table.frame) == 1000
    assert table.frame["offered"].iloc[-1] == str(999 % 97)

    over = csv_bytes(1001, newline=newline, trailing=trailing, encoding=encoding)
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(InputError) as caught:
        load_table(data=over, name="t.csv", max_rows=1000)
    assert str(caught.value) == rows_message("t.csv", "1,001 rows", "1,000")


def test_blank_lines_count_as_rows(no_parsing: None) -> None:
    """The count is of lines, an upper bound: blank lines are rows of the file too."""
    data = csv_bytes(10) + b"\n" * 3
    with pytest.raises(InputError, match=r"has 13 rows below the header"):
        load_table(data=data, name="t.csv", max_rows=12)


def test_no_limit_reads_any_number_of_rows() -> None:
    assert len(load_table(data=csv_bytes(50), name="t.csv", max_rows=None).frame) == 50


def test_a_file_on_disk_is_counted_the_same(tmp_path: Path, no_parsing: None) -> None:
    path = tmp_path / "agents.csv"
    path.write_bytes(csv_bytes(21))
    with pytest.raises(InputError) as caught:
        load_table(path, max_rows=20)
    assert str(caught.value) == rows_message("agents.csv", "21 rows", "20")


# -- Excel: the sheet's dimension, or its rows counted lazily -------------------------------------


def xlsx_bytes(rows: int) -> bytes:
    buf = io.BytesIO()
    frame = pd.DataFrame({"queue": ["Kontanthjælp"] * rows, "offered": range(rows)})
    frame.to_excel(buf, index=False)
    return buf.getvalue()


def with_dimension(raw: bytes, ref: str | None) -> bytes:
    """The workbook with its first sheet's <dimension> changed to ``ref`` (None: removed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert re.search(rb"<dimension ref=\"A1:B\d+\"/>", data)
                new = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
                data = re.sub(rb"<dimension [^>]*/>", new, data)
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("dimension", ["stated", "missing"])
def test_excel_at_the_limit_is_read_and_one_more_row_is_refused(
    dimension: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build(rows: int) -> bytes:
        raw = xlsx_bytes(rows)
        return raw if dimension == "stated" else with_dimension(raw, None)

    table = load_table(data=build(10), name="t.xlsx", max_rows=10)
    assert table.kind == "xlsx" and table.frame["offered"].tolist() == list(range(10))

    monkeypatch.setattr(pd, "read_excel", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(InputError) as caught:
        load_table(data=build(11), name="t.xlsx", max_rows=10)
    assert str(caught.value) == rows_message("t.xlsx", "more than 10 rows", "10")


def test_excel_whose_dimension_overstates_its_rows_is_counted() -> None:
    """Some writers state the whole formatted range; the rows themselves decide."""
    raw = with_dimension(xlsx_bytes(5), "A1:B500000")
    table = load_table(data=raw, name="t.xlsx", max_rows=10)
    assert table.frame["offered"].tolist() == [0, 1, 2, 3, 4]


# -- Parquet: the footer ------------------------------------------------------------------------


def test_parquet_at_the_limit_is_read_and_one_more_row_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def build(rows: int) -> bytes:
        buf = io.BytesIO()
        pd.DataFrame({"offered": range(rows)}).to_parquet(buf)
        return buf.getvalue()

    assert len(load_table(data=build(10), name="t.parquet", max_rows=10).frame) == 10
    monkeypatch.setattr(pd, "read_parquet", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(InputError) as caught:
        load_table(data=build(11), name="t.parquet", max_rows=10)
    assert str(caught.value) == rows_message("t.parquet", "11 rows", "10")


# -- bytes: before the file is read ---------------------------------------------------------------


def test_a_file_over_the_default_size_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: no disk used, stat says 200,000,001 bytes
        handle.truncate(200_000_001)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read"))
    with pytest.raises(InputError) as caught:
        load_table(path)
    assert str(caught.value) == (
        "huge.csv: the file is 200,000,001 bytes (200.0 MB), more than the limit of "
        "200,000,000 bytes (200 MB); expected a smaller file (split it into periods, or leave "
        "out columns that are not needed)"
    )


def test_uploaded_bytes_at_the_size_limit_are_read_and_one_more_is_refused() -> None:
    data = csv_bytes(3)
    assert len(load_table(data=data, name="t.csv", max_bytes=len(data)).frame) == 3
    with pytest.raises(InputError, match=rf"^t\.csv: the file is {len(data) + 1} bytes "):
        load_table(data=data + b"\n", name="t.csv", max_bytes=len(data))


def test_the_limits_are_checked_before_the_kind_of_file_is_reported() -> None:
    """A PDF over the size limit is refused for its size (nothing of it is looked at)."""
    with pytest.raises(InputError, match=r"^x\.pdf: the file is 101 bytes"):
        load_table(data=b"%PDF" + b"0" * 97, name="x.pdf", max_bytes=100)
    with pytest.raises(InputError, match=r"^x\.pdf: looks like a PDF document"):
        load_table(data=b"%PDF" + b"0" * 96, name="x.pdf", max_bytes=100)
