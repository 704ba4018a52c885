"""Hardening of the saved-work store (issue 15): text at the door, failed statements, durability.

- Names and user names are one item/one person whatever Unicode normal form they were typed in
  (NFC), and control characters are refused with a one-line message before the database sees
  them, the same on SQLite and PostgreSQL.
- A statement the database refuses never carries the saved values into the message or the log.
- SQLite runs with ``synchronous=FULL`` on every connection.
- Migration 0002 rewrites names saved before in another normal form or with control characters.

Every test that touches a database runs on SQLite and, when ``VAGTPLAN_TEST_PG_URL`` is set, on
PostgreSQL (fixture ``db_url`` in conftest.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from planner.errors import InputError
from planner.store import database as store_mod
from planner.store.database import (
    ConflictError,
    Store,
    StoreDatabaseError,
    StoreError,
    encode_frame,
    statement_kind,
)

# The same word in the two normal forms: e with a combining acute accent (U+0065 U+0301, what a
# Mac's file names and some keyboards give) and the precomposed e-acute (U+00E9).
CAFE_DECOMPOSED = "Cafe\u0301"
CAFE_COMPOSED = "Caf\u00e9"
# A singleton decomposition: the Angstrom sign U+212B is the letter A-ring U+00C5 in NFC.
ASE_ANGSTROM = "\u212bse"
ASE_LETTER = "\u00c5se"

LINE = "one line of text, at most 200 characters, without control characters"
USER_LINE = "one line of text (who saves), at most 100 characters, without control characters"
COMMENT_LINE = "text without control characters (line breaks and tabs are fine)"


@pytest.fixture
def store(db_url: str):
    with Store(db_url) as opened:
        yield opened


def frame_of(marker: str) -> pd.DataFrame:
    return pd.DataFrame({"agent_id": ["A01", "A02"], "marker": [marker, marker]})


def raw_names(store: Store) -> list[tuple[str, str]]:
    """(kind, name) of every item as the database holds it, bypassing the store's API."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT kind, name FROM items ORDER BY id")).all()
    return [(r.kind, r.name) for r in rows]


# -- one item whatever the normal form --------------------------------------------------------


def test_two_spellings_of_a_name_are_one_item(store: Store) -> None:
    assert CAFE_DECOMPOSED != CAFE_COMPOSED and len(CAFE_DECOMPOSED) == 5
    first = store.save("roster", CAFE_DECOMPOSED, frame_of("one"), user="anna")
    second = store.save("roster", CAFE_COMPOSED, frame_of("two"), user="bo", based_on=1)
    assert (first.version, second.version) == (1, 2)
    assert first.name == second.name == CAFE_COMPOSED
    assert raw_names(store) == [("roster", CAFE_COMPOSED)]
    # Either spelling finds it, and the newest version is the second save.
    for spelling in (CAFE_DECOMPOSED, CAFE_COMPOSED):
        frame, info = store.load("roster", spelling)
        assert (info.version, frame["marker"].iloc[0]) == (2, "two")
        assert [v.version for v in store.versions("roster", spelling)] == [1, 2]
    assert store.publish("roster", CAFE_DECOMPOSED, 2, user="leder").status == "published"


def test_a_new_save_in_the_other_spelling_is_a_conflict_not_a_second_item(store: Store) -> None:
    store.save("forecast", ASE_LETTER, frame_of("one"), user="anna")
    with pytest.raises(ConflictError) as caught:
        store.save("forecast", ASE_ANGSTROM, frame_of("two"), user="bo")
    assert caught.value.latest is not None and caught.value.latest.version == 1
    assert raw_names(store) == [("forecast", ASE_LETTER)]


def test_user_names_are_kept_in_one_form(store: Store) -> None:
    store.save("roster", "Uge 49", frame_of("x"), user="Jose\u0301")
    store.publish("roster", "Uge 49", 1, user="Jose\u0301")
    info = store.info("roster", "Uge 49")
    assert info.saved_by == info.published_by == "Jos\u00e9"
    assert store.list()[0].created_by == store.list()[0].updated_by == "Jos\u00e9"


def test_the_length_limit_counts_characters_after_nfc(store: Store) -> None:
    # 200 accented letters typed decomposed are 400 code points but 200 characters.
    long_name = "e\u0301" * 200
    saved = store.save("roster", long_name, frame_of("x"), user="anna")
    assert saved.name == "\u00e9" * 200
    with pytest.raises(InputError, match=r"^name must be at most 200 characters; got 201$"):
        store.save("roster", "e\u0301" * 201, frame_of("x"), user="anna")
    with pytest.raises(InputError, match=r"^user must be at most 100 characters; got 101$"):
        store.save("roster", "Uge 1", frame_of("x"), user="x" * 101)


# -- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "found", "position"),
    [
        ("name", "Uge\x0049", "a control character U+0000", 4),
        ("name", "Uge\n49", "a line break U+000A", 4),
        ("name", "Uge\r49", "a line break U+000D", 4),
        ("name", "Uge\t49", "a tab U+0009", 4),
        ("name", "Uge 49\x07", "a control character U+0007", 7),
        ("name", "Uge\x7f49", "a control character U+007F", 4),
        ("name", "Uge\x9b49", "a control character U+009B", 4),
        ("name", "Uge\x8549", "a line break U+0085", 4),
        ("name", "Uge\u202849", "a line break U+2028", 4),
        ("name", "Uge\ud80049", "an unpaired surrogate U+D800", 4),
        # Position in the text as typed, leading spaces included, after NFC (e + accent is one).
        ("name", "  Cafe\u0301\x00", "a control character U+0000", 7),
        ("user", "an\x00na", "a control character U+0000", 3),
        ("user", "an\r\nna", "a line break U+000D", 3),
        ("comment", "ok\x00", "a control character U+0000", 3),
        ("comment", "\x1b[31mred", "a control character U+001B", 1),
        ("comment", "a\x0bb", "a control character U+000B", 2),
    ],
)
def test_control_characters_are_refused_with_one_line(
    store: Store, field: str, value: str, found: str, position: int
) -> None:
    expected = {"name": LINE, "user": USER_LINE, "comment": COMMENT_LINE}[field]
    message = f"{field} has {found} at position {position}; expected {expected}"
    args = {"name": "Uge 49", "user": "anna", "comment": ""}
    args[field] = value
    with pytest.raises(InputError) as caught:
        store.save("roster", args.pop("name"), frame_of("x"), **args)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)
    assert store.list() == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM versions")).scalar() == 0


@pytest.mark.parametrize("value", ["Uge\x0049", "Uge\n49"])
def test_lookups_and_publishing_refuse_control_characters_too(store: Store, value: str) -> None:
    store.save("roster", "Uge 49", frame_of("x"), user="anna")
    calls = [
        lambda: store.load("roster", value),
        lambda: store.info("roster", value),
        lambda: store.versions("roster", value),
        lambda: store.publish("roster", value, 1, user="anna"),
        lambda: store.publish("roster", "Uge 49", 1, user=value),
    ]
    for call in calls:
        with pytest.raises(InputError, match=r"^(name|user) has a "):
            call()
    assert store.info("roster", "Uge 49").status == "draft"


def test_nul_gives_the_same_clean_message_on_every_database(db_url: str) -> None:
    """On PostgreSQL a NUL used to reach the driver ("text fields cannot contain NUL")."""
    with Store(db_url) as store:
        for field in ("name", "user", "comment"):
            args = {"name": "Uge 49", "user": "anna", "comment": ""}
            args[field] = "ab\x00c"
            with pytest.raises(InputError) as caught:
                store.save("roster", args.pop("name"), frame_of("x"), **args)
            assert str(caught.value).startswith(f"{field} has a control character U+0000 at ")
            assert not isinstance(caught.value.__context__, sa.exc.SQLAlchemyError)
        assert store.list() == []


def test_comments_keep_line_breaks_and_tabs(store: Store) -> None:
    comment = "  byttet vagter\n\tAnna <-> Bo\r\nfredag  "
    store.save("roster", "Uge 49", frame_of("x"), user="anna", comment=comment)
    assert store.info("roster", "Uge 49").comment == "byttet vagter\n\tAnna <-> Bo\r\nfredag"


def test_surrounding_spaces_and_line_breaks_are_trimmed_not_refused(store: Store) -> None:
    saved = store.save("roster", "\n Uge 49 \r\n", frame_of("x"), user=" anna\n")
    assert (saved.name, saved.saved_by) == ("Uge 49", "anna")
    assert raw_names(store) == [("roster", "Uge 49")]


# -- failed statements: no values in messages or logs ------------------------------------------

SECRETS = {
    "name": "Hemmelig-plan-7Q2",
    "user": "bruger-7Q2",
    "comment": "kommentar-7Q2",
    "meta": "meta-7Q2",
}


def _refuse_inserts_into_versions(store: Store) -> None:
    """A trigger that makes the database refuse every new version, quoting the comment on
    PostgreSQL the way its own messages quote values (``DETAIL: Key (...)=(...)``)."""
    with store.engine.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_versions BEFORE INSERT ON versions "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_versions() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by the test: %%', NEW.comment; END $$ LANGUAGE plpgsql"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_versions BEFORE INSERT ON versions "
                "FOR EACH ROW EXECUTE FUNCTION refuse_versions()"
            )


def test_a_refused_save_says_what_failed_without_the_values(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    _refuse_inserts_into_versions(store)
    # As if the operator had turned on SQLAlchemy's statement logging (echo): INFO on the
    # engine's logger logs every statement with its parameters unless they are hidden.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    with pytest.raises(StoreDatabaseError) as caught:
        store.save(
            "roster",
            SECRETS["name"],
            frame_of("x"),
            user=SECRETS["user"],
            comment=SECRETS["comment"],
            meta={"note": SECRETS["meta"]},
        )
    err = caught.value
    assert isinstance(err, StoreError)
    message = str(err)
    assert "\n" not in message
    assert message.startswith("the database could not save the roster (")
    assert " in INSERT INTO versions); nothing was saved; " in message
    assert err.statement == "INSERT INTO versions"
    # Everything a log handler or the app could print: the message, the formatted exception
    # with its chain (as logging's exc_info prints it) and the log records.
    printed = "".join(traceback.format_exception(err))
    for secret in SECRETS.values():
        assert secret not in message
        assert secret not in printed
        assert secret not in caplog.text
    ours = [r for r in caplog.records if r.name == "planner.store.database"]
    assert len(ours) == 1 and ours[0].levelno == logging.ERROR
    assert "could not save the roster" in ours[0].getMessage()
    assert "in INSERT INTO versions" in ours[0].getMessage()
    # The statements were logged (so the check above is not vacuous), their values hidden.
    assert "INSERT INTO versions" in caplog.text
    assert "parameters hidden" in caplog.text
    # Nothing was saved: the item row of the failed save went with the transaction.
    caplog.set_level(logging.WARNING, logger="sqlalchemy.engine")
    assert store.list() == []


def test_sqlalchemy_errors_from_the_engine_hide_their_parameters(store: Store) -> None:
    """The library's own switch: a StatementError's text says the parameters are hidden.

    (The database's own text is another matter: PostgreSQL's "Failing row contains (...)"
    quotes the values, which is why the store never passes that text on.)
    """
    with pytest.raises(sa.exc.IntegrityError) as caught:
        with store.engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO items (kind, name) VALUES (:kind, :name)"),
                {"kind": "roster", "name": SECRETS["name"]},
            )
    text = str(caught.value)
    assert "[SQL parameters hidden due to hide_parameters=True]" in text
    assert "[parameters:" not in text and "'name':" not in text


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("INSERT INTO versions (item_id, payload) VALUES (?, ?)", "INSERT INTO versions"),
        ("  update items SET latest_version=? WHERE id = ?", "UPDATE items"),
        ('DELETE FROM "items" WHERE id = %(id)s', "DELETE FROM items"),
        ("SELECT items.id, items.name \nFROM items \nWHERE items.name = ?", "SELECT FROM items"),
        ("BEGIN IMMEDIATE", "BEGIN"),
        (None, "a statement"),
    ],
)
def test_statement_kind_names_the_statement_not_its_values(
    statement: str | None, kind: str
) -> None:
    assert statement_kind(statement) == kind


# -- durability on SQLite ----------------------------------------------------------------------


def test_every_sqlite_connection_syncs_fully(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PRAGMA synchronous reads 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA (sqlite.org/pragma.html)."""
    path = tmp_path / "durable.sqlite"
    with Store(f"sqlite:///{path}") as store:
        store.save("roster", "Uge 49", frame_of("x"), user="anna")
        # Several connections at once: each is a new database connection with its own pragmas.
        conns = [store.engine.connect() for _ in range(3)]
        try:
            assert len({id(c.connection.dbapi_connection) for c in conns}) == 3
            for conn in conns:
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        finally:
            for conn in conns:
                conn.close()
    # The read-back follows what the store sets (FULL may also be SQLite's compiled default):
    # with the store's setting lowered, the same read-back gives NORMAL.
    lowered = tuple((k, "NORMAL" if k == "synchronous" else v) for k, v in store_mod.SQLITE_PRAGMAS)
    monkeypatch.setattr(store_mod, "SQLITE_PRAGMAS", lowered)
    with Store(f"sqlite:///{path}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1


# -- migration 0002: names saved before ---------------------------------------------------------


def _insert_item(conn: sa.Connection, kind: str, name: str, user: str) -> int:
    now = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
    item_id = conn.execute(
        store_mod.items.insert().values(
            kind=kind,
            name=name,
            latest_version=1,
            published_version=None,
            created_at=now,
            created_by=user,
            updated_at=now,
            updated_by=user,
        )
    ).inserted_primary_key[0]
    payload, columns = encode_frame(frame_of(name))
    conn.execute(
        store_mod.versions.insert().values(
            item_id=item_id,
            version=1,
            based_on=None,
            saved_at=now,
            saved_by=user,
            comment="",
            status="draft",
            meta={},
            schema=columns,
            n_rows=2,
            payload_format="parquet",
            payload_sha256=hashlib.sha256(payload).hexdigest(),
            payload=payload,
        )
    )
    return int(item_id)


def test_migration_rewrites_old_names_without_merging_items(db_url: str) -> None:
    with Store(db_url, migrate=False) as store:
        store.upgrade("0001")
        with store.engine.begin() as conn:
            clean = _insert_item(conn, "roster", CAFE_COMPOSED, "anna")
            twin = _insert_item(conn, "roster", CAFE_DECOMPOSED, "Jose\u0301")
            broken = _insert_item(conn, "roster", "Uge\n49", "bo\tb")
            alone = _insert_item(conn, "forecast", CAFE_DECOMPOSED, "anna")
        store.upgrade()
        assert store.schema_revision() == "0003"
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, kind, name, created_by FROM items")).all()
        by_id = {r.id: (r.kind, r.name, r.created_by) for r in rows}
        assert by_id == {
            clean: ("roster", "Caf\u00e9", "anna"),
            twin: ("roster", "Caf\u00e9 (2)", "Jos\u00e9"),
            broken: ("roster", "Uge 49", "bo b"),
            alone: ("forecast", "Caf\u00e9", "anna"),
        }
        # Each item is reachable through the API, with its own table.
        assert store.load("roster", CAFE_DECOMPOSED)[0]["marker"].iloc[0] == CAFE_COMPOSED
        assert store.load("roster", "Caf\u00e9 (2)")[0]["marker"].iloc[0] == CAFE_DECOMPOSED
        assert store.load("roster", "Uge 49")[0]["marker"].iloc[0] == "Uge\n49"
        assert store.load("forecast", CAFE_COMPOSED)[0]["marker"].iloc[0] == CAFE_DECOMPOSED
        assert store.info("roster", "Caf\u00e9 (2)").saved_by == "Jos\u00e9"
        # And saving on top works as for any item.
        assert store.save("roster", "Uge 49", frame_of("y"), user="bo", based_on=1).version == 2
