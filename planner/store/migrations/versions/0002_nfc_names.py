"""Names and user names as the store now takes them: Unicode NFC, one line, trimmed.

From this revision on the store normalises every name and user name to NFC and refuses control
characters (`planner.store.database._check_text`), so a name saved earlier in another normal
form (``Cafe`` + U+0301 from a Mac) or with a control character could no longer be looked up.
This migration rewrites such names once: NFC, each control character, line or paragraph
separator replaced by a space, trimmed, cut to the column's length (an empty result becomes
``unnamed``). A name that would then equal another item's name of the same kind gets `` (2)``
(`` (3)``, ...) so that no item is merged or lost; the item that already had the clean name
keeps it. User names (``created_by``, ``updated_by``, ``saved_by``, ``published_by``) are
rewritten the same way, without the numbering. Payloads, versions and times are untouched.

Downgrade changes nothing: the rewritten names are valid for the older code too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

# A frozen copy of the store's rule at this revision (migrations do not import app code).
_NAME_LENGTH = 200
_USER_LENGTH = 100
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _clean(text: str, limit: int, empty: str) -> str:
    cleaned = _NOT_IN_A_LINE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return cleaned[:limit].strip() or empty


def _numbered(name: str, taken: set[str]) -> str:
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: _NAME_LENGTH - len(suffix)].rstrip() + suffix
        if candidate not in taken:
            return candidate
        number += 1


def _rename_items(bind: sa.Connection) -> None:
    items = sa.table("items", sa.column("id"), sa.column("kind"), sa.column("name"))
    rows = bind.execute(sa.select(items.c.id, items.c.kind, items.c.name).order_by(items.c.id))
    rows = rows.all()
    taken: dict[str, set[str]] = {}
    for row in rows:
        if _clean(row.name, _NAME_LENGTH, "unnamed") == row.name:
            taken.setdefault(row.kind, set()).add(row.name)
    for row in rows:
        name = _clean(row.name, _NAME_LENGTH, "unnamed")
        if name == row.name:
            continue
        names = taken.setdefault(row.kind, set())
        if name in names:
            name = _numbered(name, names)
        names.add(name)
        bind.execute(items.update().where(items.c.id == row.id).values(name=name))


def _rewrite_users(bind: sa.Connection, table: str, columns: tuple[str, ...]) -> None:
    target = sa.table(table, sa.column("id"), *(sa.column(c) for c in columns))
    for row in bind.execute(sa.select(target)).all():
        changes = {}
        for column in columns:
            value = getattr(row, column)
            if value is not None:
                cleaned = _clean(value, _USER_LENGTH, "?")
                if cleaned != value:
                    changes[column] = cleaned
        if changes:
            bind.execute(target.update().where(target.c.id == row.id).values(**changes))


def upgrade() -> None:
    bind = op.get_bind()
    _rename_items(bind)
    _rewrite_users(bind, "items", ("created_by", "updated_by"))
    _rewrite_users(bind, "versions", ("saved_by", "published_by"))


def downgrade() -> None:
    """Nothing to undo: NFC, one-line names are valid names for revision 0001 too."""
