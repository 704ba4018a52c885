"""planner.io.tables: reading CSV/Excel/Parquet by content, separators, encodings, times."""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.errors import InputError
from planner.io.tables import load_table, localize_naive, parse_times, read_table, write_csv

TZ = "Europe/Copenhagen"
ROWS = [["Kontanthjælp", "12", "245,5"], ["Sygeopfølgning", "3", "180"]]


def csv_text(sep: str) -> str:
    return f"queue{sep}offered{sep}aht\n" + "".join(sep.join(r) + "\n" for r in ROWS)


@pytest.mark.parametrize("sep", [";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_separators_and_encodings(sep: str, encoding: str) -> None:
    table = load_table(data=csv_text(sep).encode(encoding), name="t.csv")
    assert table.separator == sep and table.kind == "csv"
    assert table.encoding == encoding
    assert list(table.frame.columns) == ["queue", "offered", "aht"]
    assert table.frame.values.tolist() == ROWS


def test_comma_separated_with_quoted_decimal_comma() -> None:
    text = 'queue,offered,aht\nKontanthjælp,12,"245,5"\nSygeopfølgning,3,180\n'
    frame = read_table("t.csv", data=text.encode())
    assert frame.values.tolist() == ROWS


def test_semicolons_inside_fields_do_not_fool_the_separator() -> None:
    """The agents file: ','-separated, skills ';'-separated inside a field."""
    text = "agent_id,skills,weekly_hours\nA01,Dagpenge;Kontanthjælp;A-Kasse,37\nA02,Dagpenge,30\n"
    frame = read_table("agents.csv", data=text.encode())
    assert frame["skills"].tolist() == ["Dagpenge;Kontanthjælp;A-Kasse", "Dagpenge"]


def test_blank_rows_are_dropped_but_keep_their_spreadsheet_numbers() -> None:
    text = "\n\na;b;\n1;2;\n\n;;\n3;4;\n"
    table = load_table(data=text.encode(), name="t.csv")
    assert list(table.frame.columns) == ["a", "b"]  # the empty trailing column is dropped
    assert table.frame.values.tolist() == [["1", "2"], ["3", "4"]]
    assert table.rows.tolist() == [4, 7]  # header on line 3
    kept = load_table(data=text.encode(), name="t.csv", keep_blank_rows=True)
    assert kept.rows.tolist() == [4, 5, 6, 7]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "t.csv: the file is empty; expected a table with a header row"),
        (b"<html><body>login</body></html>", "t.csv: looks like a web page (HTML), not a table"),
        (b"%PDF-1.7\n", "t.csv: looks like a PDF document, not a table"),
        (b'{"a": 1}', "t.csv: looks like JSON, not a table"),
        (b"a,b\x00c\n", "t.csv: looks like a binary file, not a table"),
        (b"a;b\n1;2\n\x81\x8d;3\n", "t.csv: cannot decode the file as UTF-8 or cp1252 text"),
        (b"a,b\n1,2\n1,2,3\n", "t.csv: row 3 has 3 fields but the header has 2"),
        (b"a,b,a\n1,2,3\n", "t.csv: column 'a' appears twice in the header (columns 1 and 3)"),
        (b",a\n0,1\n", "t.csv: column 1 has no header but holds values"),
    ],
)
def test_messages_for_files_that_are_not_tables(raw: bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        read_table("t.csv", data=raw)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.csv: file not found"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder, expected a file"):
        read_table(tmp_path)


def test_excel_and_parquet_by_content(tmp_path: Path) -> None:
    frame = pd.DataFrame({"queue": ["Kontanthjælp", "Leverandør"], "offered": [12, 3]})
    xlsx = tmp_path / "a.xlsx"
    frame.to_excel(xlsx, index=False)
    parquet = tmp_path / "a.parquet"
    frame.to_parquet(parquet)
    for path, kind in ((xlsx, "xlsx"), (parquet, "parquet")):
        table = load_table(data=path.read_bytes(), name="upload.csv")  # the name is wrong
        assert table.kind == kind
        assert table.frame["queue"].tolist() == ["Kontanthjælp", "Leverandør"]
        assert table.frame["offered"].tolist() == [12, 3]
    # CSV text saved under an Excel name is still read as CSV
    assert read_table("b.xlsx", data=b"a;b\n1;2\n").values.tolist() == [["1", "2"]]


def test_parse_times_offsets_naive_and_danish() -> None:
    with_offset = pd.Series(["2025-03-03T10:00:00+01:00", "2025-03-03T09:15:00Z"])
    parsed = parse_times(with_offset)
    assert [t.isoformat() for t in parsed] == [
        "2025-03-03T10:00:00+01:00",
        "2025-03-03T10:15:00+01:00",
    ]
    naive = parse_times(pd.Series(["2025-07-01 08:00", "01-07-2025 08:15", "01.07.2025 08:30"]))
    assert [t.isoformat() for t in naive] == [
        "2025-07-01T08:00:00+02:00",
        "2025-07-01T08:15:00+02:00",
        "2025-07-01T08:30:00+02:00",
    ]


def test_parse_times_messages_and_first_row() -> None:
    values = pd.Series(["2025-03-03 10:00", "later"])
    with pytest.raises(InputError, match=r"^h.csv: row 2, column 't': cannot read 'later'"):
        parse_times(values, label="h.csv", column="t")
    with pytest.raises(InputError, match=r"^h.csv: row 3, column 't'"):
        parse_times(values, label="h.csv", column="t", first_row=2)
    mixed = pd.Series(["2025-03-03T10:00:00+01:00", "2025-03-03 10:15"])
    with pytest.raises(InputError, match="has no UTC offset while other rows have one"):
        parse_times(mixed, label="h.csv", column="t")


def test_localize_naive_keeps_the_repeated_hour_per_group() -> None:
    clock = ["2025-10-26 02:00", "2025-10-26 02:00", "2025-10-26 02:00", "2025-10-26 02:00"]
    groups = pd.Series(["A", "B", "A", "B"])
    out = localize_naive(pd.Series(pd.to_datetime(clock)), groups=groups)
    assert [t.isoformat() for t in out] == [
        "2025-10-26T02:00:00+02:00",
        "2025-10-26T02:00:00+02:00",
        "2025-10-26T02:00:00+01:00",
        "2025-10-26T02:00:00+01:00",
    ]
    spring = localize_naive(pd.Series(pd.to_datetime(["2025-03-30 02:15"])))
    assert spring.iloc[0].isoformat() == "2025-03-30T03:00:00+02:00"


def test_write_csv_round_trip(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "interval_start": pd.date_range("2025-10-26 01:45", periods=4, freq="15min", tz=TZ),
            "queue": "Leverandør",
            "offered": np.arange(4),
        }
    )
    path = write_csv(frame, tmp_path / "out" / "f.csv")
    text = path.read_text(encoding="utf-8")
    assert "2025-10-26T02:00:00+02:00" in text and "Leverandør" in text
    back = read_table(path)
    parsed = parse_times(back["interval_start"])
    assert parsed.tolist() == frame["interval_start"].tolist()


def test_write_csv_writes_text_as_text(tmp_path: Path) -> None:
    # a queue or scenario named like a formula is written so that no spreadsheet runs it
    # (OWASP: a leading single quote); numbers, negative ones included, are left alone
    frame = pd.DataFrame(
        {
            "queue": ['=HYPERLINK("https://x.example","vagt")', "+45 sag", "@SUM(A1)", "Dagpenge"],
            "change": [-3, -1.5, 0, 2],
        }
    )
    path = write_csv(frame, tmp_path / "k.csv")
    back = pd.read_csv(path, dtype={"queue": str})
    assert back["queue"].tolist() == [
        '\'=HYPERLINK("https://x.example","vagt")',
        "'+45 sag",
        "'@SUM(A1)",
        "Dagpenge",
    ]
    assert back["change"].tolist() == [-3, -1.5, 0, 2]


def test_utf16_without_bom_is_not_mistaken_for_text() -> None:
    raw = csv_text(";").encode("utf-16-le")
    assert not raw.startswith(codecs.BOM_UTF16_LE)
    with pytest.raises(InputError, match="looks like a binary file"):
        read_table("t.csv", data=raw)
