"""Hardening (issue 15): personal data never passes nor is echoed, exports never run user text.

- The corpus in ``tests/data/pii/`` (see its README): every file is refused by the command that
  reads it with exactly the message in ``EXPECTED.csv``, and the personal value appears neither
  in what the command prints nor in any file it writes.
- Excel exports: a formula-looking agent id, team or queue is a string cell holding the literal
  text; checked with openpyxl and, independently, in the sheets' XML (no ``<f>`` element).
- CSV exports: text cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return get a
  leading ``'`` (the OWASP list, spelled out here); numbers and times are untouched.
- iCalendar: odd ids (punctuation, case, line breaks, path parts, device names) give one safe
  file per agent holding that agent's events, and never crash.
- The app: `app_support.shell.plain` makes user text show as typed in Streamlit's Markdown.
  References: CommonMark's backslash escapes (any ASCII punctuation may be escaped) and the
  autolink patterns of Streamlit's own renderer (remark-gfm's ``findAndReplace`` expressions,
  copied from its frontend bundle), which run on the text *after* escapes are undone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import string
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import roster_cases as rc
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from streamlit.testing.v1 import AppTest

from app_support.shell import plain
from planner.cli import main
from planner.io.exports import (
    ical_file_names,
    roster_excel,
    roster_icalendar,
    write_icalendars,
    write_roster_csv,
    write_roster_excel,
)
from planner.io.safe_text import defuse_formula, defuse_text_columns

PII = Path(__file__).parent / "data" / "pii"

# ------------------------------------------------------------------------------------------
# The corpus of personal data
# ------------------------------------------------------------------------------------------


def corpus() -> list[dict[str, str]]:
    with (PII / "EXPECTED.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CORPUS = {row["file"]: row for row in corpus()}


def forms_of(value: str) -> set[str]:
    """The value and its digits alone (a message must not show ``0101901234`` either)."""
    digits = re.sub(r"\D", "", value)
    return {value} | ({digits} if len(digits) >= 8 else set())


def test_corpus_is_complete() -> None:
    files = {p.name for p in PII.iterdir()} - {"EXPECTED.csv", "README.md"}
    assert files == set(CORPUS)
    kinds = {"a CPR number", "a phone number", "an e-mail address", "e-mail addresses"}
    for name, row in CORPUS.items():
        message = row["message"]
        assert message.startswith(f"{name}: row ") or message.startswith(f"{name}: column ")
        assert "\n" not in message and "personal data" in message
        assert any(kind in message for kind in kinds)
        assert row["reader"] in ("agents", "history")


@pytest.fixture
def requirements_file(tmp_path: Path) -> Path:
    days = [rc.monday(0)]
    req = rc.requirements(days, {"Dagpenge": 1}, start="08:00", end="12:00")
    path = tmp_path / "requirements.csv"
    req.to_csv(path, index=False)
    return path


def run_reader(row: dict[str, str], requirements: Path, out: Path) -> list[str]:
    """The command that reads the file: ``roster`` for agents, ``validate`` for history."""
    path = str(PII / row["file"])
    if row["reader"] == "history":
        return ["validate", path]
    return [
        "roster",
        "--requirements",
        str(requirements),
        "--agents",
        path,
        "--out",
        str(out / "roster.csv"),
        "--excel",
        str(out / "roster.xlsx"),
        "--ical-dir",
        str(out / "ics"),
        "--coverage",
        str(out / "coverage.csv"),
    ]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_personal_data_is_refused_and_never_echoed(
    name: str, requirements_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    row = CORPUS[name]
    out = tmp_path / "out"
    out.mkdir()
    code = main(run_reader(row, requirements_file, out))
    stdout, stderr = capsys.readouterr()
    assert code == 2
    assert stderr == f"vagtplan: error: {row['message']}\n"
    assert "Traceback" not in stderr
    written = [p for p in out.rglob("*") if p.is_file()]
    texts = [stdout, stderr] + [p.read_bytes().decode("utf-8", "replace") for p in written]
    for form in forms_of(row["value"]) if row["value"] else ():
        assert all(form not in text for text in texts), form


def agents_workbook(path: Path, ids: list[object]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["agent_id", "team", "skills", "weekly_hours"])
    for agent_id in ids:
        sheet.append([agent_id, "Ledighed", "Dagpenge", 37])
    book.save(path)
    return path


def test_a_cpr_number_typed_as_a_number_in_excel_is_refused(tmp_path: Path) -> None:
    """Excel drops the leading zero of 0101901234: the cell holds the number 101901234."""
    from planner.errors import InputError
    from planner.io.agents import read_agents

    path = agents_workbook(tmp_path / "agents.xlsx", ["A01", 101901234, "A03"])
    with pytest.raises(InputError) as err:
        read_agents(path)
    assert str(err.value) == (
        "agents.xlsx: row 3, column 'agent_id' holds what looks like a CPR number (value not "
        "shown); the planner needs no personal data and must not store any: remove it and load "
        "the file again"
    )
    assert "101901234" not in str(err.value)


def test_names_and_initials_stay_allowed_as_agent_ids(tmp_path: Path) -> None:
    from planner.io.agents import read_agents

    ids = ["Jens H.", "JH", "Anne-Marie Sørensen", "A01", "Bo (aften)"]
    path = agents_workbook(tmp_path / "agents.xlsx", ids)
    assert list(read_agents(path)["agent_id"]) == ids


# ------------------------------------------------------------------------------------------
# Exports: Excel and CSV
# ------------------------------------------------------------------------------------------

LINK = '=HYPERLINK("https://evil.example/vagt","Se din vagt")'
#: Formula-looking texts, each starting with one of the characters OWASP lists.
ATTACKS = [LINK, "+SUM(1;2)", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
#: OWASP, "CSV Injection": cells beginning with these are interpreted as formulas.
OWASP_FIRST_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


def at(h: int, m: int = 0) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime(2026, 3, 2, h, m)).tz_localize(rc.TZ)


def roster_of(ids: list[str]) -> pd.DataFrame:
    """Each agent works 08:00-12:00 with lunch 12:00-12:30 on Monday 2 March 2026."""
    rows = []
    for agent_id in ids:
        for start, end, activity in ((at(8), at(12), "phone"), (at(12), at(12, 30), "lunch")):
            rows.append(
                {
                    "agent_id": agent_id,
                    "date": dt.date(2026, 3, 2),
                    "start": start,
                    "end": end,
                    "activity": activity,
                }
            )
    return pd.DataFrame(rows)


def excel_with_attacks() -> bytes:
    ids = ["A1", *ATTACKS]
    agents = pd.DataFrame({"agent_id": ids, "team": ["https://evil.example", *ATTACKS]})
    coverage = pd.DataFrame(
        {
            "interval_start": [at(8)] * len(ATTACKS),
            "queue": ATTACKS,
            "required": [1.0] * len(ATTACKS),
            "staffed": [1.0] * len(ATTACKS),
            "shortfall": [0.0] * len(ATTACKS),
        }
    )
    return roster_excel(roster_of(ids), agents, coverage)


def ooxml_text(value: object) -> object:
    """A cell's text with the ``_xHHHH_`` escapes of ECMA-376 (ST_Xstring) undone: a carriage
    return is stored as ``_x000D_``, which Excel shows as the character and openpyxl leaves."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def test_excel_writes_formula_texts_as_strings() -> None:
    data = excel_with_attacks()
    book = openpyxl.load_workbook(io.BytesIO(data))
    found: dict[str, list[str]] = {text: [] for text in ATTACKS}
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None, (sheet.title, cell.coordinate)
                if ooxml_text(cell.value) in found:
                    assert cell.data_type == "s"
                    found[ooxml_text(cell.value)].append(sheet.title)
    for text, sheets in found.items():
        # every attack is an agent id (Vagtplan, Rækker), a team and a queue (Dækning)
        assert {"Vagtplan", "Rækker", "Dækning"} <= set(sheets), text
    plan = book["Vagtplan"]
    row_a1 = next(row for row in plan.iter_rows() if row[0].value == "A1")
    assert row_a1[1].value == "https://evil.example"  # A1's team: text, not a link


def test_excel_sheets_hold_no_formula_in_their_xml() -> None:
    """Independent of openpyxl: a formula is an ``<f>`` element in a sheet's XML."""
    with zipfile.ZipFile(io.BytesIO(excel_with_attacks())) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 3
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name
            assert "<hyperlink" not in xml, name
        assert "HYPERLINK(" in archive.read("xl/sharedStrings.xml").decode("utf-8")


def test_write_roster_excel_too(tmp_path: Path) -> None:
    path = write_roster_excel(roster_of([LINK]), tmp_path / "r.xlsx")
    cell = openpyxl.load_workbook(path)["Vagtplan"]["A2"]
    assert (cell.value, cell.data_type) == (LINK, "s")


def test_csv_escapes_text_cells_only(tmp_path: Path) -> None:
    roster = roster_of(["A1", *ATTACKS])
    path = write_roster_csv(roster, tmp_path / "roster.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ids = [r["agent_id"] for r in rows[::2]]
    assert ids[0] == "A1"
    assert ids[1] == "'" + LINK and ids[1].startswith("'=")
    for text, written in zip(ATTACKS, ids[1:], strict=True):
        # a carriage return inside a cell is written as a line feed, which pandas quotes
        assert written == "'" + text.replace("\r", "\n")
    for r in rows:  # times and dates as the contract writes them
        assert r["date"] == "2026-03-02"
        assert r["start"] in ("2026-03-02T08:00:00+01:00", "2026-03-02T12:00:00+01:00")
        assert r["activity"] in ("phone", "lunch")


def test_csv_leaves_numbers_and_times_alone() -> None:
    frame = pd.DataFrame(
        {
            "text": ["-4", "=1", "ok", None],
            "count": [-4, 3, 0, 1],
            "share": [-0.5, 1.0, 2.5, 0.0],
            "when": [at(8), at(9), at(10), at(11)],
            "mixed": [-4, "-4", dt.date(2026, 3, 2), "@x"],
        }
    )
    out = defuse_text_columns(frame)
    assert list(out["text"])[:3] == ["'-4", "'=1", "ok"] and pd.isna(out["text"].iloc[3])
    pd.testing.assert_series_equal(out["count"], frame["count"])
    pd.testing.assert_series_equal(out["share"], frame["share"])
    pd.testing.assert_series_equal(out["when"], frame["when"])
    assert list(out["mixed"]) == [-4, "'-4", dt.date(2026, 3, 2), "'@x"]
    assert list(frame["text"])[:3] == ["-4", "=1", "ok"]  # the input is not changed


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_defused_text_never_starts_a_formula(text: str) -> None:
    out = defuse_formula(text)
    if text.startswith(OWASP_FIRST_CHARACTERS):
        assert out == "'" + text
    else:
        assert out == text
    assert not out.startswith(OWASP_FIRST_CHARACTERS)


# ------------------------------------------------------------------------------------------
# iCalendar
# ------------------------------------------------------------------------------------------

ODD_IDS = [
    "A.01",
    "A_01",
    "a_01",
    "A 01",
    "A\n01",
    "A\r\n01",
    "../../etc/passwd",
    "CON",
    "-rf",
    "",
    "Ærø Ø",
    LINK,
    "x" * 300,
]
SAFE_FILE = re.compile(r"^[\w][\w\-]*\.ics$")


def ical_text(raw: object) -> str:
    """A TEXT value as RFC 5545 (3.3.11) defines it: ``\\\\``, ``\\;``, ``\\,`` and
    ``\\n`` stand for a backslash, ``;``, ``,`` and a line break. (icalendar leaves an X-
    property as written.)"""
    escapes = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}
    return re.sub(r"\\([\\;,nN])", lambda m: escapes[m.group(1)], str(raw))


def test_ical_files_are_unique_safe_and_hold_their_agents_events(tmp_path: Path) -> None:
    roster = roster_of(ODD_IDS)
    stamp = dt.datetime(2026, 2, 20, 12, 0, tzinfo=dt.UTC)
    out = tmp_path / "ics"
    paths = write_icalendars(roster, out, stamp=stamp)
    names = [p.name for p in paths]
    assert len(paths) == len(ODD_IDS) == len(set(n.casefold() for n in names))
    assert sorted(p.name for p in out.iterdir()) == sorted(names)  # nothing overwritten
    for path in paths:
        assert SAFE_FILE.match(path.name), path.name
        assert len(path.name) <= 80 and path.parent == out
        assert path.stem.casefold() not in ("con", "prn", "aux", "nul")
    by_name = dict(zip(sorted(set(roster["agent_id"])), paths, strict=True))
    uids: list[str] = []
    for agent_id, path in by_name.items():
        cal = Calendar.from_ical(path.read_bytes())
        # the file is the agent's own: its name, with line breaks as spaces, and two events
        # (shift and lunch) per its one working day
        shown = re.sub(r"[\r\n]", " ", agent_id)
        assert ical_text(cal["X-WR-CALNAME"]) == f"Vagtplan {shown}"
        events = cal.walk("VEVENT")
        assert sorted(str(e["SUMMARY"]) for e in events) == ["Frokost", "Vagt 08:00-12:30"]
        uids += [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)  # no two agents share an event


def test_ical_file_names_are_stable_and_plain_for_plain_ids() -> None:
    ids = ["A1", "A2", "Jens_H", "A.01", "A_01"]
    first = ical_file_names(ids)
    assert first == ical_file_names(list(reversed(ids)))
    assert (first["A1"], first["A2"], first["Jens_H"]) == ("A1.ics", "A2.ics", "Jens_H.ics")
    assert first["A.01"] != first["A_01"]
    assert ical_file_names(["A.01"]) == {"A.01": "A_01.ics"}  # alone it keeps its plain name


def test_ical_with_a_line_break_in_the_id_does_not_crash() -> None:
    data = roster_icalendar(roster_of(["A\n01"]), "A\n01")
    cal = Calendar.from_ical(data)
    assert ical_text(cal["X-WR-CALNAME"]) == "Vagtplan A 01"
    for line in data.split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line


# ------------------------------------------------------------------------------------------
# The app: user text is plain text
# ------------------------------------------------------------------------------------------

ZWSP = "\u200b"
#: remark-gfm's literal autolinks as Streamlit's renderer finds them in text nodes (JavaScript
#: ``\w`` is ASCII-only).
GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.I | re.ASCII)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)
#: Streamlit's shortcodes: ``:emoji:``, ``:material/icon:``, ``:colour[text]``.
SHORTCODE = re.compile(r":[A-Za-z][\w/\-]*[:\[]")
ASCII_PUNCTUATION = set(string.punctuation)
MARKDOWN_ATTACKS = [
    "[Se din vagt](https://evil.example)",
    "![x](https://evil.example/pixel.png)",
    "<https://evil.example>",
    "https://evil.example/a",
    "www.evil.example",
    "jens.hansen@kk.dk",
    "# Overskrift",
    "> citat",
    "- punkt",
    "1. punkt",
    "**fed** _kursiv_ ~~streg~~ `kode`",
    ":red[rød] :material/warning: :smile:",
    "$x^2$",
    '<img src="https://evil.example/p.png">',
    "a | b\n--|--\nc | d",
    "[ref]: https://evil.example",
    "&lt;b&gt;",
    "line\n===",
    "x\r# overskrift\r\n> citat",
]


def rendered_text(markdown: str) -> str:
    """The text a CommonMark renderer shows for ``markdown`` made only of escapes and text:
    a backslash before ASCII punctuation is dropped (CommonMark, "Backslash escapes")."""
    return re.sub(r"\\(.)", _unescape_one, markdown, flags=re.DOTALL)


def _unescape_one(match: re.Match[str]) -> str:
    char = match.group(1)
    return char if char in ASCII_PUNCTUATION else match.group(0)


def unescaped(markdown: str, chars: str) -> list[int]:
    """Positions of ``chars`` in ``markdown`` that no backslash escapes."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\":
            i += 2
            continue
        if markdown[i] in chars:
            out.append(i)
        i += 1
    return out


@pytest.mark.parametrize("text", MARKDOWN_ATTACKS)
def test_plain_leaves_no_markdown(text: str) -> None:
    out = plain(text)
    assert not unescaped(out, "[]<`*_~$|&")
    for line in re.split(r"\r\n?|\n", out):  # no block syntax at a line's start
        assert not re.match(r"[ \t]*([#>+=\-]|\d+[.)])", line), line
    shown = rendered_text(out)
    assert not GFM_URL.search(shown) and not GFM_EMAIL.search(shown)
    assert not SHORTCODE.search(shown)
    assert shown.replace(ZWSP, "") == re.sub(r"\r\n?", "\n", text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_plain_shows_any_text_as_typed(text: str) -> None:
    """Whatever the text, the renderer shows it unchanged (but for zero-width spaces) and
    finds no link or e-mail address in it."""
    out = plain(text)
    shown = rendered_text(out)
    # CommonMark's line endings are \r\n, \r and \n; plain writes each as \n
    typed = re.sub(r"\r\n?", "\n", text)
    assert shown.replace(ZWSP, "") == typed.replace(ZWSP, "")
    assert not GFM_URL.search(shown) and not GFM_EMAIL.search(shown)
    assert not unescaped(out, "[]<`*_~$|&")
    for line in re.split(r"\r\n?|\n", out):
        assert not re.match(r"[ \t]*([#>+=\-]|\d+[.)])", line), line


def test_plain_keeps_ordinary_messages_readable() -> None:
    message = "historik.csv: row 3, column 'offered': found '-4'; expected a number >= 0"
    assert plain(message) == message


def _error_script(message: str) -> None:
    from app_support import shell as app
    from planner.errors import InputError

    with app.guard():
        raise InputError(message)


def test_error_messages_show_user_text_as_plain_text() -> None:
    message = "x.csv: row 2, column 'queue': found '[klik](https://evil.example)'"
    at = AppTest.from_function(_error_script, args=(message,)).run()
    assert not at.exception
    shown = at.error[0].value
    assert "\\[klik\\]" in shown and "](https://" not in shown
    assert rendered_text(shown).replace(ZWSP, "").endswith(message)


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import streamlit as st

    monkeypatch.setenv("VAGTPLAN_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    yield
    st.cache_resource.clear()


def test_upload_file_name_and_cells_show_as_plain_text(app_db: None) -> None:
    from app_fixtures import open_page

    name = "[klik](https://evil.example)![x](https://evil.example/p.png).csv"
    good = (
        b"interval_start,queue,offered\n"
        b"2026-03-02T08:00:00+01:00,Dagpenge,3\n"
        b"2026-03-02T08:15:00+01:00,Dagpenge,4\n"
    )
    at = open_page("data")
    at.radio(key="data:source").set_value("upload").run()
    at.get("file_uploader")[0].set_value((name, good, "text/csv")).run()
    at = at.button(key="data:load").click().run()
    assert not at.exception and not at.error
    success = at.success[0].value
    assert "\\[klik\\]" in success and "!\\[x\\]" in success
    assert not unescaped(success, "[]")
    assert name in rendered_text(success).replace(ZWSP, "")

    bad = (
        b"interval_start,queue,offered\n"
        b"2026-03-02T08:00:00+01:00,Dagpenge,[mange](https://evil.example)\n"
    )
    at.get("file_uploader")[0].set_value(("fejl.csv", bad, "text/csv")).run()
    at = at.button(key="data:load").click().run()
    shown = "\n".join(e.value for e in at.error)
    assert "'\\[mange\\](https:" in shown and not unescaped(shown, "[]")
