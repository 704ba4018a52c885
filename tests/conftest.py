"""Shared fixtures: the store's database URL (SQLite, and PostgreSQL when one is given)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner.store.database import normalize_url

#: A PostgreSQL server for the store tests (`.ci/start_postgres.sh` starts one in CI).
PG_URL = os.environ.get("VAGTPLAN_TEST_PG_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A URL to an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    if not PG_URL:
        pytest.skip("VAGTPLAN_TEST_PG_URL is not set (start a server: .ci/start_postgres.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalize_url(PG_URL))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{normalize_url(PG_URL)}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
