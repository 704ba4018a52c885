"""Root conftest: what pytest's doctest collection (``--doctest-modules``) must not import, and
the environment every test runs in."""

import os

# alembic's migration environment runs a migration when imported; it has no doctests
collect_ignore = ["planner/store/migrations"]

# The tests run two at a time (``pytest -n 2``) on a 2-core machine: the app and the command
# line would start a second search beside every plan (`planner.searches.default_workers`),
# competing with the other test for a core. The tests of the second search ask for it
# (``workers=2``, ``--workers 2``: tests/test_roster_portfolio.py); the app's browser tests
# inherit this too.
os.environ.setdefault("VAGTPLAN_WORKERS", "1")
