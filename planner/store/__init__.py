"""Saved work: plans, forecasts and rosters with versions and conflict detection.

SQLAlchemy over SQLite (default) or PostgreSQL (by URL); the schema is managed by the alembic
migrations beside this file (`planner/store/migrations`).
"""

from planner.store.database import (
    ConflictError,
    ItemInfo,
    NotFoundError,
    Store,
    StoreDatabaseError,
    StoreError,
    VersionInfo,
    default_url,
)

__all__ = [
    "ConflictError",
    "ItemInfo",
    "NotFoundError",
    "Store",
    "StoreDatabaseError",
    "StoreError",
    "VersionInfo",
    "default_url",
]
