"""Root conftest: what pytest's doctest collection (``--doctest-modules``) must not import."""

# alembic's migration environment runs a migration when imported; it has no doctests
collect_ignore = ["planner/store/migrations"]
