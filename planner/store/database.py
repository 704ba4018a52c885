"""Saved work: datasets, forecasts, requirements, rosters and scenarios in a database.

Every saved object is a named *item* of one kind with numbered *versions*. A version records who
saved it, when (UTC), a comment, the version it was based on, a status (``draft``, then
``published`` or ``superseded`` once a later version is published) and the payload: the table
itself, stored as Parquet bytes (zstd) so that dtypes and tz-aware times come back exactly.

Saving under a name that exists creates a new version; nothing is ever overwritten. Saves are
optimistic: a save states the version it was based on (``based_on``), and if someone saved a newer
version in the meantime it fails with `ConflictError` instead of hiding their work. The check is
an atomic compare-and-set on the item row (``UPDATE ... WHERE latest_version = based_on``), so two
browser sessions or processes saving at once never lose a version.

Databases: a SQLite file by default, PostgreSQL (``postgresql+psycopg://``) for several users.
SQLite connections run with ``journal_mode=WAL``, ``synchronous=FULL`` (a save that returned
survives a power loss; with WAL, ``NORMAL`` may lose the last commits), ``busy_timeout=15000`` and
``foreign_keys=ON``, and writes take the lock up front with ``BEGIN IMMEDIATE`` (a deferred BEGIN
that upgrades a read to a write fails at once with "database is locked" under concurrency).
The schema is created and upgraded by the alembic migrations in ``planner/store/migrations`` when a
`Store` is opened.

Text at the door: names and user names are Unicode NFC (``Café`` typed with a combining accent is
the same item as ``Café`` typed with ``é``), trimmed, at most 200 (names) or 100 (users)
characters, and one line without control characters; comments are NFC and may hold line breaks
and tabs but no other control characters. Anything else raises `planner.errors.InputError` (a
``ValueError``) with a one-line message naming the field, what was found and where, and what is
expected, the same on SQLite and PostgreSQL (the database never sees the text).

Failed statements never carry their values into messages or logs: the engine is created with
``hide_parameters=True``, and a statement the database refuses becomes `StoreDatabaseError` (a
`StoreError`) whose message, and the one line logged, name the operation, the error class and the
statement's kind (``INSERT INTO versions``), never the values or the database's own text (which
can quote them, e.g. PostgreSQL's ``DETAIL: Key (kind, name)=(...)``).

The store holds planning tables only; it needs and keeps no personal data (``saved_by`` is the
name or initials the planner types, or the login name).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import logging
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from planner.errors import InputError

__all__ = [
    "KINDS",
    "Draft",
    "STATUSES",
    "MAX_NAME",
    "MAX_USER",
    "Store",
    "StoreError",
    "StoreDatabaseError",
    "ConflictError",
    "NotFoundError",
    "VersionInfo",
    "ItemInfo",
    "default_url",
    "default_data_dir",
    "normalize_url",
    "statement_kind",
    "alembic_config",
    "head_revision",
    "encode_frame",
    "decode_frame",
    "metadata",
]

#: The kinds of saved work.
KINDS: tuple[str, ...] = (
    "dataset",
    "forecast",
    "requirements",
    "agents",
    "roster",
    "scenario",
)
#: Version statuses: every save is a draft; publishing one marks the previously published one
#: superseded.
STATUSES: tuple[str, ...] = ("draft", "published", "superseded")

SQLITE_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("busy_timeout", "15000"),
    ("journal_mode", "WAL"),
    # FULL, not NORMAL: in WAL mode NORMAL does not sync the log at each commit, so a power
    # loss can take the last saves that already returned; FULL syncs it before COMMIT returns.
    ("synchronous", "FULL"),
    ("foreign_keys", "ON"),
)
#: The longest name of a saved item, and of the user who saves (characters, after NFC).
MAX_NAME = 200
MAX_USER = 100
_PAYLOAD_FORMAT = "parquet"

log = logging.getLogger(__name__)


class StoreError(Exception):
    """A saved-work operation could not be done; the message is meant for the user."""


class StoreDatabaseError(StoreError):
    """The database refused or failed a statement.

    The message is one line for the user: what could not be done, the error class and the kind
    of statement (``INSERT INTO versions``), never the values or the database's own text.
    Attributes: ``action``, ``error`` (the class name, e.g. ``DataError``), ``statement`` (the
    kind) and ``code`` (PostgreSQL's SQLSTATE or SQLite's error name, when known).
    """

    def __init__(
        self, message: str, *, action: str, error: str, statement: str, code: str | None
    ) -> None:
        super().__init__(message)
        self.action = action
        self.error = error
        self.statement = statement
        self.code = code


class NotFoundError(StoreError, LookupError):
    """The named item or version does not exist."""


class ConflictError(StoreError):
    """Someone saved a newer version (or created the name) since the caller's version.

    Attributes: ``kind``, ``name``, ``based_on`` (what the caller stated) and ``latest`` (the
    `VersionInfo` of the newest saved version, or None if it could not be read).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        name: str,
        based_on: int | None,
        latest: VersionInfo | None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.based_on = based_on
        self.latest = latest


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware datetimes stored as UTC (naive UTC on SQLite), returned aware in UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"times must be timezone-aware; got naive {value!r}")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("name", sa.String(MAX_NAME), nullable=False),
    sa.Column("latest_version", sa.Integer, nullable=False),
    sa.Column("published_version", sa.Integer, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(MAX_USER), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("updated_by", sa.String(MAX_USER), nullable=False),
    sa.UniqueConstraint("kind", "name"),
    sa.CheckConstraint("latest_version >= 1", name="latest_positive"),
)

versions = sa.Table(
    "versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("based_on", sa.Integer, nullable=True),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.Column("saved_by", sa.String(MAX_USER), nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("published_at", UTCDateTime, nullable=True),
    sa.Column("published_by", sa.String(MAX_USER), nullable=True),
    sa.Column("meta", sa.JSON, nullable=False),
    sa.Column("schema", sa.JSON, nullable=False),
    sa.Column("n_rows", sa.Integer, nullable=False),
    sa.Column("payload_format", sa.String(16), nullable=False),
    sa.Column("payload_sha256", sa.String(64), nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("item_id", "version"),
    sa.CheckConstraint("status IN ('draft', 'published', 'superseded')", name="status_known"),
)

#: A user's working draft of one page (autosaved, one per user and slot, replaced on every
#: save): not saved work, so it has no versions; it is what a reload or a restart brings back.
drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("user_name", sa.String(MAX_USER), primary_key=True),
    sa.Column("slot", sa.String(32), primary_key=True),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.Column("meta", sa.JSON, nullable=False),
    sa.Column("schema", sa.JSON, nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
)


@dataclass(frozen=True)
class Draft:
    """A user's working draft: the table, what the page needs to carry on (``meta``), when."""

    user: str
    slot: str
    saved_at: dt.datetime
    frame: pd.DataFrame
    meta: dict[str, Any]


@dataclass(frozen=True)
class VersionInfo:
    """One saved version, without its table.

    ``saved_at`` and ``published_at`` are timezone-aware (UTC); ``columns`` maps each column of
    the saved table to its pandas dtype.
    """

    kind: str
    name: str
    version: int
    saved_at: dt.datetime
    saved_by: str
    comment: str
    status: str
    based_on: int | None
    rows: int
    columns: dict[str, str]
    meta: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    published_at: dt.datetime | None = None
    published_by: str | None = None


@dataclass(frozen=True)
class ItemInfo:
    """A named item with its newest version's facts (for listings)."""

    kind: str
    name: str
    latest_version: int
    published_version: int | None
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str
    comment: str


def normalize_url(url: str) -> str:
    """The SQLAlchemy URL to use: ``postgres://`` and ``postgresql://`` get the psycopg 3 driver.

    >>> normalize_url("postgresql://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> normalize_url("sqlite:////tmp/x.sqlite")
    'sqlite:////tmp/x.sqlite'
    """
    text = str(url).strip()
    if not text:
        raise ValueError("database URL must not be empty")
    for prefix in ("postgres://", "postgresql://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


def default_data_dir() -> Path:
    """Where the SQLite file lives by default.

    ``$VAGTPLAN_DATA_DIR``, else ``$XDG_DATA_HOME/vagtplan``, else ``~/.local/share/vagtplan``.
    """
    env = os.environ.get("VAGTPLAN_DATA_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "vagtplan"


def default_url() -> str:
    """``$VAGTPLAN_DB_URL`` if set, else a SQLite file ``vagtplan.sqlite`` in `default_data_dir`."""
    env = os.environ.get("VAGTPLAN_DB_URL")
    if env and env.strip():
        return normalize_url(env)
    return f"sqlite:///{default_data_dir() / 'vagtplan.sqlite'}"


MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None) -> Any:
    """An alembic ``Config`` for the store's migrations (no ini file needed).

    ``url`` (default `default_url`) is used when no connection is passed in
    ``config.attributes["connection"]``; `Store` always passes its own connection.
    """
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation: a literal % in a URL (encoded characters) must be doubled.
    cfg.set_main_option("sqlalchemy.url", (url or default_url()).replace("%", "%%"))
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:
        raise StoreError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def _dtype_map(frame: pd.DataFrame) -> dict[str, str]:
    return {str(col): str(dtype) for col, dtype in frame.dtypes.items()}


def encode_frame(frame: pd.DataFrame) -> tuple[bytes, dict[str, str]]:
    """Parquet bytes (zstd) of ``frame`` and its column dtypes (for an exact round trip).

    Raises ValueError when the table cannot be stored (not a DataFrame, column names that are not
    unique text, or values Parquet cannot hold).
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    bad = [c for c in frame.columns if not isinstance(c, str)]
    if bad:
        raise ValueError(f"frame column names must be text; got {bad[0]!r}")
    if frame.columns.has_duplicates:
        dup = frame.columns[frame.columns.duplicated()][0]
        raise ValueError(f"frame column names must be unique; {dup!r} appears more than once")
    buf = io.BytesIO()
    try:
        frame.to_parquet(buf, engine="pyarrow", compression="zstd")
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for unstorable values
        raise ValueError(f"frame cannot be saved as a table: {exc}") from exc
    return buf.getvalue(), _dtype_map(frame)


def decode_frame(payload: bytes, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The DataFrame stored by `encode_frame`; ``columns`` restores dtypes Parquet cannot hold.

    Parquet has no second-resolution timestamps and no untyped text columns, so a
    ``datetime64[s, tz]`` column is read back in milliseconds and an ``object`` column of text as
    ``str``; both are cast back to the saved dtype.
    """
    frame = pd.read_parquet(io.BytesIO(payload), engine="pyarrow")
    for col, dtype in (columns or {}).items():
        if col in frame.columns and str(frame[col].dtype) != dtype:
            if dtype.startswith(("datetime64", "timedelta64")) or dtype == "object":
                frame[col] = frame[col].astype(dtype)
    return frame


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    return kind


#: Characters refused in names and user names: C0 and C1 controls (NUL, tab, line feed, ...),
#: DEL, the Unicode line and paragraph separators, and unpaired surrogates (not encodable).
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: In a comment, tabs and line breaks are fine; other controls are not.
_NOT_IN_A_COMMENT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _describe_character(char: str) -> str:
    """``a line break U+000A``, ``a tab U+0009``, ``a control character U+0000``, ..."""
    code = f"U+{ord(char):04X}"
    if char in _LINE_BREAKS:
        return f"a line break {code}"
    if char == "\t":
        return f"a tab {code}"
    if "\ud800" <= char <= "\udfff":
        return f"an unpaired surrogate {code}"
    return f"a control character {code}"


def _check_text(value: object, field: str, limit: int, *, what: str = "") -> str:
    """``value`` as the store keeps it: NFC, trimmed, one line, at most ``limit`` characters.

    Raises `InputError` naming ``field``, what was found (the first control character and its
    position, counted from 1 in the NFC text as given) and what is expected.
    """
    expected = f"one line of text{what}, at most {limit} characters, without control characters"
    if not isinstance(value, str):
        raise InputError(f"{field} must be a non-empty text; got {type(value).__name__}")
    text = unicodedata.normalize("NFC", value)
    body = text.strip()
    if not body:
        raise InputError(f"{field} must be a non-empty text{what}; got {value!r}")
    if len(body) > limit:
        raise InputError(f"{field} must be at most {limit} characters; got {len(body)}")
    found = _NOT_IN_A_LINE.search(body)
    if found is not None:
        position = len(text) - len(text.lstrip()) + found.start() + 1
        raise InputError(
            f"{field} has {_describe_character(found.group())} at position {position}; "
            f"expected {expected}"
        )
    return body


def _check_name(name: str) -> str:
    return _check_text(name, "name", MAX_NAME)


def _check_user(user: str) -> str:
    return _check_text(user, "user", MAX_USER, what=" (who saves)")


def _check_comment(comment: str) -> str:
    """A comment: NFC, trimmed; several lines and tabs are fine, other control characters not."""
    if not isinstance(comment, str):
        raise InputError(f"comment must be text; got {type(comment).__name__}")
    text = unicodedata.normalize("NFC", comment)
    found = _NOT_IN_A_COMMENT.search(text)
    if found is not None:
        raise InputError(
            f"comment has {_describe_character(found.group())} at position {found.start() + 1}; "
            "expected text without control characters (line breaks and tabs are fine)"
        )
    return text.strip()


def _check_version(version: int | None, label: str = "version") -> int | None:
    if version is None:
        return None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"{label} must be a positive whole number or None; got {version!r}")
    return version


def _upsert_insert(dialect: str) -> Any:
    """The dialect's ``insert`` that has ``on_conflict_do_update``."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _set_journal_mode(cursor: Any, mode: str, *, timeout: float = 15.0) -> None:
    """Switch a SQLite database to ``mode`` (WAL), retrying while another opener holds the lock.

    WAL is a property of the file: only the first connection switches it, and that switch needs
    an exclusive lock. SQLite answers "database is locked" at once (without waiting the busy
    timeout) when several processes open a new file together, so wait and retry here.
    """
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            current = str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            if current in (mode.lower(), "memory"):
                return
            cursor.execute(f"PRAGMA journal_mode={mode}")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


def _install_sqlite_hooks(engine: Engine) -> None:
    """WAL and friends on every connection; our own BEGIN (IMMEDIATE for writes)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so that BEGIN is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma, value in SQLITE_PRAGMAS:
                if pragma == "journal_mode":
                    _set_journal_mode(cursor, value)
                else:
                    cursor.execute(f"PRAGMA {pragma}={value}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


_STATEMENT_WRITE = re.compile(
    r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z_][\w.]*)", re.IGNORECASE
)
_STATEMENT_WORD = re.compile(r"^\s*([A-Za-z]+)")
_STATEMENT_FROM = re.compile(r"\bFROM\s+\"?([A-Za-z_][\w.]*)", re.IGNORECASE)


def statement_kind(statement: str | None) -> str:
    """The kind of a SQL statement for messages and logs, without any of its values.

    >>> statement_kind("INSERT INTO versions (a, b) VALUES (?, ?)")
    'INSERT INTO versions'
    >>> statement_kind('SELECT items.id FROM "items" WHERE items.name = ?')
    'SELECT FROM items'
    >>> statement_kind("BEGIN IMMEDIATE")
    'BEGIN'
    """
    if not statement:
        return "a statement"
    found = _STATEMENT_WRITE.match(statement)
    if found:
        return f"{' '.join(found.group(1).split()).upper()} {found.group(2)}"
    word = _STATEMENT_WORD.match(statement)
    if word is None:
        return "a statement"
    kind = word.group(1).upper()
    source = _STATEMENT_FROM.search(statement) if kind == "SELECT" else None
    return f"{kind} FROM {source.group(1)}" if source else kind


def _error_code(orig: BaseException | None) -> str | None:
    """PostgreSQL's SQLSTATE or SQLite's error name: a code, never text with values."""
    for attribute in ("sqlstate", "sqlite_errorname"):
        code = getattr(orig, attribute, None)
        if isinstance(code, str) and code:
            return code
    return None


@contextmanager
def _database_errors(action: str, outcome: str) -> Iterator[None]:
    """Turn a failed statement into `StoreDatabaseError` and one log line without its values.

    SQLAlchemy's `StatementError` (and its `DBAPIError` subclasses) carries the statement, its
    parameters and the driver's message, which can quote the values; none of these reach the
    message or the log. A failure to connect (no statement) passes through unchanged: its text
    names the server, not the data.
    """
    try:
        yield
    except sa.exc.StatementError as exc:
        if exc.statement is None:
            raise
        error = type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__
        kind = statement_kind(exc.statement)
        code = _error_code(exc.orig)
        log.error(
            "saved work: could not %s: %s in %s%s",
            action,
            error,
            kind,
            f" (code {code})" if code else "",
        )
        raise StoreDatabaseError(
            f"the database could not {action} ({error} in {kind}); {outcome}",
            action=action,
            error=error,
            statement=kind,
            code=code,
        ) from None


_READ_FAILED = "try again, and tell the administrator if it happens again"
_WRITE_FAILED = "nothing was saved; try again, and tell the administrator if it happens again"
_PUBLISH_FAILED = "nothing was changed; try again, and tell the administrator if it happens again"


def _make_engine(url: str) -> Engine:
    # hide_parameters: SQLAlchemy's errors and echo logging then say "[SQL parameters hidden]"
    # instead of quoting the values (the saved tables, names, comments).
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        memory = database in ("", ":memory:") or "mode=memory" in str(parsed)
        if not memory and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 15}}
        if memory:
            kwargs["poolclass"] = StaticPool
        engine = sa.create_engine(parsed, hide_parameters=True, **kwargs)
        _install_sqlite_hooks(engine)
        return engine
    return sa.create_engine(parsed, pool_pre_ping=True, hide_parameters=True)


def _version_info(kind: str, name: str, row: Any) -> VersionInfo:
    return VersionInfo(
        kind=kind,
        name=name,
        version=row.version,
        saved_at=row.saved_at,
        saved_by=row.saved_by,
        comment=row.comment,
        status=row.status,
        based_on=row.based_on,
        rows=row.n_rows,
        columns=dict(row.schema or {}),
        meta=dict(row.meta or {}),
        sha256=row.payload_sha256,
        published_at=row.published_at,
        published_by=row.published_by,
    )


_INFO_COLUMNS = [c for c in versions.c if c.name != "payload"]


class Store:
    """Saved work in a database (see the module docstring).

    Parameters
    ----------
    url:
        SQLAlchemy URL; default `default_url` (``$VAGTPLAN_DB_URL`` or a SQLite file in
        ``$VAGTPLAN_DATA_DIR``, default ``~/.local/share/vagtplan/vagtplan.sqlite``).
    migrate:
        Create or upgrade the schema to the newest alembic revision on open (default True).

    Examples
    --------
    >>> import pandas as pd
    >>> store = Store("sqlite://")
    >>> v1 = store.save("roster", "Uge 49", pd.DataFrame({"agent_id": ["A01"]}), user="anna")
    >>> v2 = store.save("roster", "Uge 49", pd.DataFrame({"agent_id": ["A02"]}), user="bo",
    ...                 based_on=v1.version, comment="byttet")
    >>> frame, info = store.load("roster", "Uge 49")
    >>> (info.version, info.saved_by, list(frame["agent_id"]))
    (2, 'bo', ['A02'])
    >>> store.close()
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = normalize_url(url) if url is not None else default_url()
        self.engine = _make_engine(self.url)
        if migrate:
            self.upgrade()

    # -- plumbing -----------------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def display_url(self) -> str:
        """The URL with any password hidden (for messages and the app)."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with _database_errors(action, _READ_FAILED):
            with self.engine.connect() as conn, conn.begin():
                yield conn

    @contextmanager
    def _write(self, action: str, outcome: str = _WRITE_FAILED) -> Iterator[Connection]:
        with _database_errors(action, outcome):
            with self.engine.connect() as conn:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    yield conn

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (default the newest) with the alembic migrations.

        Does nothing when the database is at the newest revision already. Concurrent openers
        are serialised (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock in env.py).
        """
        from alembic import command

        if revision == "head" and self.schema_revision() == head_revision():
            return
        cfg = alembic_config()
        with self.engine.connect() as conn:
            cfg.attributes["connection"] = conn.execution_options(sqlite_begin="IMMEDIATE")
            command.upgrade(cfg, revision)

    def downgrade(self, revision: str) -> None:
        """Take the schema back to ``revision`` (``"base"`` drops every table of the store)."""
        from alembic import command

        cfg = alembic_config()
        with self.engine.connect() as conn:
            cfg.attributes["connection"] = conn.execution_options(sqlite_begin="IMMEDIATE")
            command.downgrade(cfg, revision)

    def schema_revision(self) -> str | None:
        """The alembic revision the database is at (None for an empty database)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # -- queries ------------------------------------------------------------------------------

    def _item_row(self, conn: Connection, kind: str, name: str) -> Any:
        return conn.execute(
            sa.select(items).where(items.c.kind == kind, items.c.name == name)
        ).first()

    def _latest_info(self, conn: Connection, kind: str, name: str) -> VersionInfo | None:
        row = conn.execute(
            sa.select(*_INFO_COLUMNS)
            .join(items, items.c.id == versions.c.item_id)
            .where(items.c.kind == kind, items.c.name == name)
            .order_by(versions.c.version.desc())
            .limit(1)
        ).first()
        return None if row is None else _version_info(kind, name, row)

    def _require_item(self, conn: Connection, kind: str, name: str) -> Any:
        row = self._item_row(conn, kind, name)
        if row is None:
            raise NotFoundError(f"no saved {kind} named {name!r}")
        return row

    def list(self, kind: str | None = None) -> list[ItemInfo]:
        """Saved items (of ``kind``, or all), most recently saved first."""
        query = (
            sa.select(items, versions.c.comment)
            .join(
                versions,
                sa.and_(
                    versions.c.item_id == items.c.id,
                    versions.c.version == items.c.latest_version,
                ),
            )
            .order_by(items.c.updated_at.desc(), items.c.id.desc())
        )
        if kind is not None:
            query = query.where(items.c.kind == _check_kind(kind))
        with self._read("list the saved work") as conn:
            rows = conn.execute(query).all()
        return [
            ItemInfo(
                kind=r.kind,
                name=r.name,
                latest_version=r.latest_version,
                published_version=r.published_version,
                created_at=r.created_at,
                created_by=r.created_by,
                updated_at=r.updated_at,
                updated_by=r.updated_by,
                comment=r.comment,
            )
            for r in rows
        ]

    def versions(self, kind: str, name: str) -> list[VersionInfo]:
        """Every saved version of the item, oldest first; NotFoundError if there is none."""
        kind, name = _check_kind(kind), _check_name(name)
        with self._read(f"list the versions of the {kind}") as conn:
            item = self._require_item(conn, kind, name)
            rows = conn.execute(
                sa.select(*_INFO_COLUMNS)
                .where(versions.c.item_id == item.id)
                .order_by(versions.c.version)
            ).all()
        return [_version_info(kind, name, r) for r in rows]

    def info(
        self, kind: str, name: str, version: int | None = None, *, published: bool = False
    ) -> VersionInfo:
        """The facts of one version (default the newest; ``published=True``: the published one)."""
        return self._get(kind, name, version, published=published, with_payload=False)[1]

    def load(
        self, kind: str, name: str, version: int | None = None, *, published: bool = False
    ) -> tuple[pd.DataFrame, VersionInfo]:
        """The saved table and its facts (default the newest version).

        ``published=True`` loads the published version instead (NotFoundError if none is).
        """
        payload, info = self._get(kind, name, version, published=published, with_payload=True)
        digest = hashlib.sha256(payload).hexdigest()
        if digest != info.sha256:
            raise StoreError(
                f"saved {kind} {name!r} version {info.version} is damaged "
                "(its checksum does not match); load another version"
            )
        return decode_frame(payload, info.columns), info

    def _get(
        self, kind: str, name: str, version: int | None, *, published: bool, with_payload: bool
    ) -> tuple[bytes, VersionInfo]:
        kind, name = _check_kind(kind), _check_name(name)
        version = _check_version(version)
        if published and version is not None:
            raise ValueError("give either version or published=True, not both")
        cols = [*_INFO_COLUMNS, versions.c.payload] if with_payload else _INFO_COLUMNS
        with self._read(f"read the saved {kind}") as conn:
            item = self._require_item(conn, kind, name)
            if published:
                if item.published_version is None:
                    raise NotFoundError(f"{kind} {name!r} has no published version")
                version = item.published_version
            wanted = item.latest_version if version is None else version
            row = conn.execute(
                sa.select(*cols).where(versions.c.item_id == item.id, versions.c.version == wanted)
            ).first()
        if row is None:
            raise NotFoundError(
                f"{kind} {name!r} has no version {wanted}; versions are 1 to {item.latest_version}"
            )
        return (row.payload if with_payload else b""), _version_info(kind, name, row)

    # -- writes -------------------------------------------------------------------------------

    def save(
        self,
        kind: str,
        name: str,
        frame: pd.DataFrame,
        *,
        user: str,
        comment: str = "",
        based_on: int | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> VersionInfo:
        """Save ``frame`` as a new version of item ``kind``/``name``.

        ``based_on`` is the version the caller started from: None for a new name, else the
        newest version the caller knows. If the name exists and ``based_on`` is None, or a newer
        version than ``based_on`` was saved meanwhile, nothing is written and `ConflictError`
        tells who saved what (the caller keeps its table and can save again based on it).
        ``meta`` is a small JSON-serialisable dict kept with the version (e.g. the week, the
        model, the targets).
        """
        kind, name, user = _check_kind(kind), _check_name(name), _check_user(user)
        based_on = _check_version(based_on, "based_on")
        comment = _check_comment(comment)
        meta_dict = dict(meta or {})
        try:
            json.dumps(meta_dict)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"meta must be JSON-serialisable: {exc}") from None
        payload, columns = encode_frame(frame)
        digest = hashlib.sha256(payload).hexdigest()
        now = _now()

        with self._write(f"save the {kind}") as conn:
            item = self._item_row(conn, kind, name)
            if item is None:
                if based_on is not None:
                    raise NotFoundError(
                        f"cannot save {kind} {name!r} based on version {based_on}: "
                        "no version of it is saved"
                    )
                item_id = self._create_item(conn, kind, name, user, now)
                version = 1
            else:
                version = self._claim_next_version(conn, item, kind, name, based_on, user, now)
                item_id = item.id
            conn.execute(
                versions.insert().values(
                    item_id=item_id,
                    version=version,
                    based_on=based_on,
                    saved_at=now,
                    saved_by=user,
                    comment=comment,
                    status="draft",
                    meta=meta_dict,
                    schema=columns,
                    n_rows=len(frame),
                    payload_format=_PAYLOAD_FORMAT,
                    payload_sha256=digest,
                    payload=payload,
                )
            )
        return VersionInfo(
            kind=kind,
            name=name,
            version=version,
            saved_at=now,
            saved_by=user,
            comment=comment,
            status="draft",
            based_on=based_on,
            rows=len(frame),
            columns=columns,
            meta=meta_dict,
            sha256=digest,
        )

    def _create_item(
        self, conn: Connection, kind: str, name: str, user: str, now: dt.datetime
    ) -> int:
        try:
            with conn.begin_nested():
                result = conn.execute(
                    items.insert().values(
                        kind=kind,
                        name=name,
                        latest_version=1,
                        published_version=None,
                        created_at=now,
                        created_by=user,
                        updated_at=now,
                        updated_by=user,
                    )
                )
        except IntegrityError:
            # Someone created the same name in a transaction that committed while we waited.
            latest = self._latest_info(conn, kind, name)
            raise self._conflict(kind, name, None, latest) from None
        return int(result.inserted_primary_key[0])

    def _claim_next_version(
        self,
        conn: Connection,
        item: Any,
        kind: str,
        name: str,
        based_on: int | None,
        user: str,
        now: dt.datetime,
    ) -> int:
        if based_on is not None and based_on > item.latest_version:
            raise NotFoundError(
                f"cannot save {kind} {name!r} based on version {based_on}: "
                f"the newest saved version is {item.latest_version}"
            )
        if based_on is None or based_on != item.latest_version:
            raise self._conflict(kind, name, based_on, self._latest_info(conn, kind, name))
        # Compare-and-set: succeeds for exactly one of several concurrent savers.
        result = conn.execute(
            items.update()
            .where(items.c.id == item.id, items.c.latest_version == based_on)
            .values(latest_version=based_on + 1, updated_at=now, updated_by=user)
        )
        if result.rowcount != 1:
            raise self._conflict(kind, name, based_on, self._latest_info(conn, kind, name))
        return based_on + 1

    @staticmethod
    def _conflict(
        kind: str, name: str, based_on: int | None, latest: VersionInfo | None
    ) -> ConflictError:
        if latest is None:
            who = "someone else"
        else:
            when = latest.saved_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            who = f"{latest.saved_by} (version {latest.version}, {when})"
        if based_on is None:
            message = (
                f"a {kind} named {name!r} is already saved by {who}; load it and save a new "
                "version based on it, or choose another name"
            )
        else:
            message = (
                f"{kind} {name!r} was saved by {who} after version {based_on} that you started "
                "from; your table is not saved - load the newer version, or save yours as a new "
                "version based on it"
            )
        return ConflictError(message, kind=kind, name=name, based_on=based_on, latest=latest)

    # -- drafts -------------------------------------------------------------------------------

    def save_draft(
        self,
        user: str,
        slot: str,
        frame: pd.DataFrame,
        meta: Mapping[str, Any] | None = None,
    ) -> dt.datetime:
        """Keep ``frame`` as ``user``'s working draft of ``slot`` (e.g. ``vagtplan``).

        One draft per user and slot, replaced by the next save in one transaction (the old
        draft stays whole until the new one is written). Returns when it was saved (UTC).
        """
        user, slot = _check_user(user), _check_text(slot, "slot", 32)
        meta_dict = dict(meta or {})
        try:
            json.dumps(meta_dict)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"meta must be JSON-serialisable: {exc}") from None
        payload, columns = encode_frame(frame)
        record = {
            "saved_at": _now(),
            "meta": meta_dict,
            "schema": columns,
            "payload": payload,
        }
        # one statement that inserts or replaces (INSERT ... ON CONFLICT DO UPDATE, in both
        # SQLite >= 3.24 and PostgreSQL), so that two tabs autosaving at once never collide
        insert = _upsert_insert(self.dialect)(drafts).values(user_name=user, slot=slot, **record)
        upsert = insert.on_conflict_do_update(
            index_elements=[drafts.c.user_name, drafts.c.slot], set_=record
        )
        with self._write("save the draft") as conn:
            conn.execute(upsert)
        return record["saved_at"]

    def load_draft(self, user: str, slot: str) -> Draft | None:
        """``user``'s working draft of ``slot``, or None if there is none."""
        user, slot = _check_user(user), _check_text(slot, "slot", 32)
        with self._read("read the draft") as conn:
            row = conn.execute(
                sa.select(drafts).where(drafts.c.user_name == user, drafts.c.slot == slot)
            ).first()
        if row is None:
            return None
        return Draft(
            user=row.user_name,
            slot=row.slot,
            saved_at=row.saved_at,
            frame=decode_frame(row.payload, row.schema),
            meta=dict(row.meta),
        )

    def discard_draft(self, user: str, slot: str) -> bool:
        """Drop ``user``'s draft of ``slot``; True if there was one."""
        user, slot = _check_user(user), _check_text(slot, "slot", 32)
        with self._write("discard the draft") as conn:
            done = conn.execute(
                drafts.delete().where(drafts.c.user_name == user, drafts.c.slot == slot)
            )
        return bool(done.rowcount)

    def publish(self, kind: str, name: str, version: int, *, user: str) -> VersionInfo:
        """Mark ``version`` as the published one (the previously published becomes superseded).

        Publishing the version that is already published changes nothing.
        """
        kind, name, user = _check_kind(kind), _check_name(name), _check_user(user)
        wanted = _check_version(version)
        if wanted is None:
            raise ValueError("version must be given to publish")
        now = _now()
        with self._write(f"publish the {kind}", _PUBLISH_FAILED) as conn:
            item = conn.execute(
                sa.select(items).where(items.c.kind == kind, items.c.name == name).with_for_update()
            ).first()
            if item is None:
                raise NotFoundError(f"no saved {kind} named {name!r}")
            if not 1 <= wanted <= item.latest_version:
                raise NotFoundError(
                    f"{kind} {name!r} has no version {wanted}; "
                    f"versions are 1 to {item.latest_version}"
                )
            if item.published_version != wanted:
                if item.published_version is not None:
                    conn.execute(
                        versions.update()
                        .where(
                            versions.c.item_id == item.id,
                            versions.c.version == item.published_version,
                        )
                        .values(status="superseded")
                    )
                conn.execute(
                    versions.update()
                    .where(versions.c.item_id == item.id, versions.c.version == wanted)
                    .values(status="published", published_at=now, published_by=user)
                )
                conn.execute(
                    items.update().where(items.c.id == item.id).values(published_version=wanted)
                )
            row = conn.execute(
                sa.select(*_INFO_COLUMNS).where(
                    versions.c.item_id == item.id, versions.c.version == wanted
                )
            ).one()
        return _version_info(kind, name, row)
