"""Working drafts: one autosaved table per user and page, replaced on every save.

A draft is not saved work (no versions, never published); it is what brings a planner's
unsaved roster back after a reload, a closed tab or a restarted server
(`planner.store.database.Store.save_draft`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("slot", sa.String(length=32), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("schema", sa.JSON(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("user_name", "slot", name=op.f("pk_drafts")),
    )


def downgrade() -> None:
    op.drop_table("drafts")
