"""The saved-work store: round trips, versions, conflicts, publishing, configuration, migrations.

Every test that touches a database runs on SQLite and, when ``VAGTPLAN_TEST_PG_URL`` is set
(CI starts a server with ``.ci/start_postgres.sh``), on PostgreSQL in a schema of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.store import database as store_mod
from planner.store.database import (
    ConflictError,
    NotFoundError,
    Store,
    StoreError,
    decode_frame,
    default_url,
    encode_frame,
    head_revision,
    normalize_url,
)

REPO = Path(__file__).resolve().parents[1]
TZ = "Europe/Copenhagen"


@pytest.fixture
def store(db_url: str):
    with Store(db_url) as opened:
        yield opened


def rich_frame() -> pd.DataFrame:
    """A table with the dtypes the planner saves, over the autumn DST change (100 quarters)."""
    start = pd.Timestamp("2026-10-25 00:00", tz=TZ)
    times = pd.date_range(start, periods=100, freq="15min")
    assert times[-1] + pd.Timedelta(minutes=15) == pd.Timestamp("2026-10-26 00:00", tz=TZ)
    rng = np.random.default_rng(7)
    queues = ["Sygeopfølgning", "Leverandør", "Kontanthjælp", "9-by samarbejde"]
    return pd.DataFrame(
        {
            "interval_start": times,
            "end": (times + pd.Timedelta(minutes=15)).astype(f"datetime64[s, {TZ}]"),
            "queue": [queues[i % 4] for i in range(100)],
            "agents": rng.integers(0, 40, 100),
            "offered": rng.gamma(2.0, 10.0, 100),
            "offered_lo": np.where(np.arange(100) % 7 == 0, np.nan, rng.random(100)),
            "locked": np.arange(100) % 3 == 0,
            "count": pd.array([None if i % 5 == 0 else i for i in range(100)], dtype="Int64"),
            "activity": pd.Categorical(["phone", "lunch", "break", "meeting"] * 25),
            "note": pd.Series([None if i % 2 else "æøå ÆØÅ" for i in range(100)], dtype=object),
            "date": [t.date() for t in times],
            "utc": times.tz_convert("UTC"),
        }
    )


# -- round trips -------------------------------------------------------------------------------


def test_rich_table_round_trips_exactly(store: Store) -> None:
    frame = rich_frame()
    store.save("forecast", "Uge 44", frame, user="anna")
    loaded, info = store.load("forecast", "Uge 44")
    pd.testing.assert_frame_equal(loaded, frame, check_exact=True)
    assert info.rows == 100
    assert info.columns["interval_start"] == str(frame["interval_start"].dtype)
    # Both instants of the repeated clock hour 02:00-02:59 survive, with their own offsets.
    repeated = loaded["interval_start"][loaded["interval_start"].dt.strftime("%H:%M") == "02:00"]
    assert [t.utcoffset() for t in repeated] == [dt.timedelta(hours=2), dt.timedelta(hours=1)]


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame(
            {
                "agents": pd.Series([], dtype="int64"),
                "t": pd.Series([], dtype=f"datetime64[ns, {TZ}]"),
            }
        ),
        pd.DataFrame({"x": [1.5, 2.5]}, index=pd.Index(["a", "b"], name="key")),
        rich_frame().iloc[10:20],
        rich_frame().set_index(["queue", "interval_start"]),
    ],
    ids=["empty", "named-index", "sliced-index", "multiindex"],
)
def test_shapes_round_trip(store: Store, frame: pd.DataFrame) -> None:
    store.save("requirements", "krav", frame, user="anna")
    loaded, _ = store.load("requirements", "krav")
    pd.testing.assert_frame_equal(loaded, frame, check_exact=True)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.tuples(
            st.text(max_size=12),
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(-(2**62), 2**62),
            st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)),
        ),
        max_size=20,
    )
)
def test_encode_decode_is_exact_for_any_values(values: list[tuple]) -> None:
    times = [pd.Timestamp(v[3]).tz_localize("UTC").tz_convert(TZ) for v in values]
    frame = pd.DataFrame(
        {
            "text": pd.Series([v[0] for v in values], dtype="str"),
            "real": pd.Series([v[1] for v in values], dtype="float64"),
            "whole": pd.Series([v[2] for v in values], dtype="int64"),
            "time": pd.Series(times, dtype=f"datetime64[us, {TZ}]"),
        }
    )
    payload, columns = encode_frame(frame)
    pd.testing.assert_frame_equal(decode_frame(payload, columns), frame, check_exact=True)


def test_meta_comment_and_times_are_kept(store: Store) -> None:
    before = dt.datetime.now(dt.UTC)
    meta = {"week": "2026-W49", "targets": {"answer_rate": 0.92, "asa": 150}, "kø": "Leverandør"}
    saved = store.save(
        "roster", "Uge 49", rich_frame(), user="Åse", comment=" første udkast ", meta=meta
    )
    after = dt.datetime.now(dt.UTC)
    info = store.info("roster", "Uge 49")
    assert info == saved
    assert info.meta == meta and info.comment == "første udkast" and info.saved_by == "Åse"
    assert info.saved_at.tzinfo is not None and info.saved_at.utcoffset() == dt.timedelta(0)
    assert before - dt.timedelta(seconds=1) <= info.saved_at <= after + dt.timedelta(seconds=1)
    assert info.status == "draft" and info.based_on is None and info.published_at is None


# -- versions and conflicts ---------------------------------------------------------------------


def frame_of(marker: str) -> pd.DataFrame:
    return pd.DataFrame({"agent_id": ["A01", "A02"], "marker": [marker, marker]})


def test_saving_again_makes_a_new_version_and_keeps_the_old(store: Store) -> None:
    v1 = store.save("roster", "Uge 49", frame_of("one"), user="anna", comment="første")
    v2 = store.save("roster", "Uge 49", frame_of("two"), user="bo", based_on=v1.version)
    v3 = store.save("roster", "Uge 49", frame_of("three"), user="anna", based_on=v2.version)
    assert [v1.version, v2.version, v3.version] == [1, 2, 3]
    history = store.versions("roster", "Uge 49")
    assert [(h.version, h.based_on, h.saved_by) for h in history] == [
        (1, None, "anna"),
        (2, 1, "bo"),
        (3, 2, "anna"),
    ]
    assert history[0].sha256 == v1.sha256
    for version, marker in [(1, "one"), (2, "two"), (3, "three"), (None, "three")]:
        frame, info = store.load("roster", "Uge 49", version)
        assert set(frame["marker"]) == {marker}
        assert info.version == (version or 3)


def test_same_name_in_other_kinds_is_another_item(store: Store) -> None:
    store.save("roster", "Uge 49", frame_of("r"), user="anna")
    store.save("scenario", "Uge 49", frame_of("s"), user="anna")
    assert store.load("scenario", "Uge 49")[0]["marker"].iloc[0] == "s"
    assert [i.kind for i in store.list()] == ["scenario", "roster"]
    assert [i.name for i in store.list("roster")] == ["Uge 49"]
    assert store.list("dataset") == []


def test_list_shows_newest_version_first(store: Store) -> None:
    store.save("roster", "A", frame_of("a"), user="anna", comment="a1")
    store.save("roster", "B", frame_of("b"), user="bo", comment="b1")
    store.save("roster", "A", frame_of("a"), user="cy", comment="a2", based_on=1)
    listing = store.list("roster")
    assert [(i.name, i.latest_version, i.updated_by, i.comment) for i in listing] == [
        ("A", 2, "cy", "a2"),
        ("B", 1, "bo", "b1"),
    ]
    assert listing[0].created_by == "anna"


def test_new_name_that_exists_is_a_conflict_and_writes_nothing(store: Store) -> None:
    store.save("roster", "Uge 49", frame_of("first"), user="anna")
    with pytest.raises(ConflictError, match="already saved by anna") as err:
        store.save("roster", "Uge 49", frame_of("second"), user="bo")
    assert err.value.latest is not None and err.value.latest.version == 1
    assert err.value.based_on is None
    assert len(store.versions("roster", "Uge 49")) == 1
    assert store.load("roster", "Uge 49")[0]["marker"].iloc[0] == "first"


def test_stale_save_is_a_conflict_naming_who_saved_meanwhile(store: Store) -> None:
    base = store.save("roster", "Uge 49", frame_of("base"), user="anna")
    # Two sessions load version 1; bo saves first.
    store.save("roster", "Uge 49", frame_of("bo"), user="bo", based_on=base.version)
    with pytest.raises(ConflictError, match=r"saved by bo \(version 2") as err:
        store.save("roster", "Uge 49", frame_of("cy"), user="cy", based_on=base.version)
    assert err.value.latest.saved_by == "bo" and err.value.based_on == 1
    assert len(store.versions("roster", "Uge 49")) == 2
    # cy keeps her table and saves it on top of bo's: both are in the history.
    store.save("roster", "Uge 49", frame_of("cy"), user="cy", based_on=err.value.latest.version)
    markers = [store.load("roster", "Uge 49", v)[0]["marker"].iloc[0] for v in (1, 2, 3)]
    assert markers == ["base", "bo", "cy"]


def test_based_on_a_version_that_does_not_exist(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no version of it is saved"):
        store.save("roster", "Ny", frame_of("x"), user="anna", based_on=1)
    store.save("roster", "Ny", frame_of("x"), user="anna")
    with pytest.raises(NotFoundError, match="newest saved version is 1"):
        store.save("roster", "Ny", frame_of("x"), user="anna", based_on=4)


def test_missing_items_and_versions(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no saved roster named 'Ingen'"):
        store.load("roster", "Ingen")
    with pytest.raises(NotFoundError):
        store.versions("roster", "Ingen")
    store.save("roster", "Uge 49", frame_of("x"), user="anna")
    with pytest.raises(NotFoundError, match="no version 2; versions are 1 to 1"):
        store.load("roster", "Uge 49", 2)
    with pytest.raises(NotFoundError, match="no published version"):
        store.load("roster", "Uge 49", published=True)


# -- publishing --------------------------------------------------------------------------------


def test_publish_marks_one_version_and_supersedes_the_previous(store: Store) -> None:
    store.save("roster", "Uge 49", frame_of("one"), user="anna")
    store.save("roster", "Uge 49", frame_of("two"), user="anna", based_on=1)
    first = store.publish("roster", "Uge 49", 1, user="leder")
    assert first.status == "published" and first.published_by == "leder"
    assert store.load("roster", "Uge 49", published=True)[0]["marker"].iloc[0] == "one"
    second = store.publish("roster", "Uge 49", 2, user="leder")
    assert second.status == "published"
    assert [v.status for v in store.versions("roster", "Uge 49")] == ["superseded", "published"]
    assert store.list("roster")[0].published_version == 2
    again = store.publish("roster", "Uge 49", 2, user="someone")
    assert again.published_by == "leder" and again.published_at == second.published_at
    # Publishing touches no table: the payloads are what was saved.
    assert (
        store.load("roster", "Uge 49", 1)[1].sha256 == store.versions("roster", "Uge 49")[0].sha256
    )
    with pytest.raises(NotFoundError, match="no version 3"):
        store.publish("roster", "Uge 49", 3, user="leder")
    with pytest.raises(NotFoundError):
        store.publish("roster", "Ingen", 1, user="leder")


# -- arguments and integrity ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"kind": "plan"},
            "kind must be one of dataset, forecast, requirements, agents, roster, scenario; "
            "got 'plan'",
        ),
        ({"name": "  "}, "name must be a non-empty text"),
        ({"name": "x" * 201}, "name must be at most 200 characters; got 201"),
        ({"user": ""}, "user must be a non-empty text"),
        ({"frame": [1, 2]}, "frame must be a pandas DataFrame; got list"),
        ({"frame": pd.DataFrame({0: [1]})}, "frame column names must be text; got 0"),
        ({"frame": pd.DataFrame([[1, 2]], columns=["a", "a"])}, "'a' appears more than once"),
        ({"frame": pd.DataFrame({"a": [object()]})}, "frame cannot be saved as a table"),
        ({"meta": {"when": dt.date(2026, 1, 1)}}, "meta must be JSON-serialisable"),
        ({"based_on": 0}, "based_on must be a positive whole number or None; got 0"),
        ({"comment": None}, "comment must be text; got NoneType"),
    ],
)
def test_bad_arguments_are_value_errors(store: Store, kwargs: dict, message: str) -> None:
    args = {"kind": "roster", "name": "Uge 49", "frame": frame_of("x"), "user": "anna"}
    args.update(kwargs)
    kind, name, frame = args.pop("kind"), args.pop("name"), args.pop("frame")
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        store.save(kind, name, frame, **args)
    assert store.list() == []


def test_damaged_payload_is_reported_not_returned(store: Store) -> None:
    store.save("roster", "Uge 49", frame_of("x"), user="anna")
    with store.engine.begin() as conn:
        conn.execute(sa.update(store_mod.versions).values(payload=b"PAR1 not really"))
    with pytest.raises(StoreError, match="is damaged"):
        store.load("roster", "Uge 49")
    assert store.info("roster", "Uge 49").version == 1


# -- configuration ------------------------------------------------------------------------------


def test_default_url_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("VAGTPLAN_DB_URL", "VAGTPLAN_DATA_DIR", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_url() == f"sqlite:///{tmp_path / 'home/.local/share/vagtplan/vagtplan.sqlite'}"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_url() == f"sqlite:///{tmp_path / 'xdg/vagtplan/vagtplan.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DATA_DIR", str(tmp_path / "data"))
    assert default_url() == f"sqlite:///{tmp_path / 'data/vagtplan.sqlite'}"
    monkeypatch.setenv("VAGTPLAN_DB_URL", "postgresql://planner@db.example/vagtplan")
    assert default_url() == "postgresql+psycopg://planner@db.example/vagtplan"


def test_store_without_url_creates_the_sqlite_file_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VAGTPLAN_DB_URL", raising=False)
    monkeypatch.setenv("VAGTPLAN_DATA_DIR", str(tmp_path / "new" / "dir"))
    with Store() as opened:
        opened.save("dataset", "historik", frame_of("x"), user="anna")
        assert opened.dialect == "sqlite"
    path = tmp_path / "new" / "dir" / "vagtplan.sqlite"
    assert path.is_file()
    with sqlite3.connect(path) as raw:
        assert raw.execute("select count(*) from versions").fetchone() == (1,)
        assert raw.execute("pragma journal_mode").fetchone() == ("wal",)


def test_sqlite_connections_use_the_pragmas_and_immediate_writes(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'p.sqlite'}") as opened:
        with opened.engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
            }
        # synchronous: 2 is FULL (a save that returned survives a power loss).
        assert pragmas == {
            "journal_mode": "wal",
            "synchronous": 2,
            "busy_timeout": 15000,
            "foreign_keys": 1,
        }
        statements: list[str] = []
        sa.event.listen(
            opened.engine,
            "before_cursor_execute",
            lambda conn, cursor, stmt, *rest: statements.append(" ".join(stmt.split()[:2])),
        )
        opened.save("roster", "x", frame_of("x"), user="anna")
        opened.load("roster", "x")
        begins = [s for s in statements if s.startswith("BEGIN")]
        assert begins == ["BEGIN IMMEDIATE", "BEGIN DEFERRED"]


def test_postgres_url_gets_the_psycopg_driver() -> None:
    assert normalize_url("postgres://u:p@h:5432/db") == "postgresql+psycopg://u:p@h:5432/db"
    assert normalize_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(ValueError, match="must not be empty"):
        normalize_url(" ")


def test_display_url_hides_the_password() -> None:
    opened = Store("postgresql+psycopg://planner:secret@127.0.0.1:1/none", migrate=False)
    assert "secret" not in opened.display_url() and "***" in opened.display_url()
    opened.close()


# -- migrations -------------------------------------------------------------------------------


def test_open_migrates_to_head_and_schema_matches_the_models(db_url: str) -> None:
    with Store(db_url) as opened:
        assert opened.schema_revision() == head_revision() == "0003"
        with opened.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), store_mod.metadata)
            names = set(sa.inspect(conn).get_table_names())
    assert diff == []
    assert {"items", "versions", "alembic_version"} <= names


def test_downgrade_and_upgrade_again_and_reopen_keeps_data(db_url: str) -> None:
    with Store(db_url) as opened:
        opened.downgrade("base")
        assert opened.schema_revision() is None
        with opened.engine.connect() as conn:
            assert not {"items", "versions"} & set(sa.inspect(conn).get_table_names())
        opened.upgrade()
        opened.save("roster", "Uge 49", frame_of("kept"), user="anna")
    with Store(db_url) as reopened:
        assert reopened.load("roster", "Uge 49")[0]["marker"].iloc[0] == "kept"


def test_migrate_false_leaves_an_empty_database_alone(db_url: str) -> None:
    with Store(db_url, migrate=False) as opened:
        assert opened.schema_revision() is None
        with opened.engine.connect() as conn:
            assert "items" not in sa.inspect(conn).get_table_names()


def test_alembic_command_line_uses_the_ini_and_the_env_url(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite"
    env = {**os.environ, "VAGTPLAN_DB_URL": f"sqlite:///{path}"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "alembic",
            "-c",
            str(REPO / "planner" / "store" / "alembic.ini"),
            "upgrade",
            "head",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(path) as raw:
        assert raw.execute("select version_num from alembic_version").fetchall() == [("0003",)]
