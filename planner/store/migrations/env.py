"""Alembic environment for the saved-work store (`planner.store.database`).

`planner.store.Store` runs the migrations on open and passes its own connection in
``config.attributes["connection"]``. From the command line
(``alembic -c planner/store/alembic.ini upgrade head``) the URL comes from ``$VAGTPLAN_DB_URL``
or the default SQLite file (`planner.store.default_url`).

SQLite cannot alter most constraints in place, so migrations run in batch mode
(``render_as_batch=True``: copy, alter, swap). On PostgreSQL the migration transaction first
takes an advisory lock, so that several processes opening the store at once upgrade it once.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from planner.store.database import _make_engine, default_url, metadata, normalize_url

#: Arbitrary constant key of the PostgreSQL advisory lock held while migrating.
_PG_LOCK_KEY = 7_262_051_449

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit the SQL to stdout (``alembic upgrade head --sql``)."""
    url = normalize_url(config.get_main_option("sqlalchemy.url") or default_url())
    context.configure(
        url=url,
        target_metadata=metadata,
        render_as_batch=True,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through the store's connection, or one made from the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = _make_engine(normalize_url(config.get_main_option("sqlalchemy.url") or default_url()))
    try:
        with engine.connect() as conn:
            _run(conn.execution_options(sqlite_begin="IMMEDIATE"))
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
