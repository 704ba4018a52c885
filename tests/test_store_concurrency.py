"""Several sessions saving at once lose nothing: threads and processes on SQLite and PostgreSQL.

Each saver loads the newest version, saves on top of it, and on `ConflictError` retries from the
version the error names, as the app does when the planner confirms. The test then checks that
every save is in the history exactly once and that the versions form an unbroken chain.
"""

from __future__ import annotations

import multiprocessing
import threading
import time

import pandas as pd
import pytest
import sqlalchemy as sa

from planner.store.database import ConflictError, Store


def _table(marker: str) -> pd.DataFrame:
    return pd.DataFrame({"agent_id": ["A01", "A02", "A03"], "marker": [marker] * 3})


def save_with_retries(store: Store, worker: str, saves: int) -> int:
    """Save ``saves`` versions of the shared roster; returns how many conflicts were met."""
    conflicts = 0
    for k in range(saves):
        based_on = store.info("roster", "Uge 49").version
        while True:
            try:
                store.save(
                    "roster", "Uge 49", _table(f"{worker}-{k}"), user=worker, based_on=based_on
                )
                break
            except ConflictError as err:
                conflicts += 1
                based_on = err.latest.version
    return conflicts


def _warm_worker() -> None:
    """Pool initializer: import the store once per worker process, before any test uses it."""
    import planner.store.database  # noqa: F401


def _sleep_until(start_at: float) -> None:
    # Line the workers up so that their saves overlap (a start signal without a Manager).
    delay = start_at - time.time()
    if delay > 0:
        time.sleep(delay)


def _process_worker(url: str, worker: str, saves: int, start_at: float) -> int:
    _sleep_until(start_at)
    with Store(url) as store:
        return save_with_retries(store, worker, saves)


def _open_and_report(url: str, start_at: float) -> str | None:
    _sleep_until(start_at)
    with Store(url) as store:
        return store.schema_revision()


@pytest.fixture(scope="module")
def pool():
    """Three worker processes, started once for the module.

    Forked where the platform can (the children then share the imports already made, which
    under load take seconds per spawned child); each opens its own `Store` and connections.
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(3, initializer=_warm_worker) as workers:
        workers.map(abs, range(3))
        yield workers


def _check_history(store: Store, expected: set[str]) -> None:
    history = store.versions("roster", "Uge 49")
    assert [v.version for v in history] == list(range(1, len(expected) + 2))
    assert all(v.based_on == v.version - 1 for v in history[1:])
    markers = [store.load("roster", "Uge 49", v.version)[0]["marker"].iloc[0] for v in history]
    assert markers[0] == "base"
    assert sorted(markers[1:]) == sorted(expected)  # every save exactly once


def test_threads_saving_at_once_lose_nothing(db_url: str) -> None:
    workers, saves = 6, 5
    with Store(db_url) as store:
        store.save("roster", "Uge 49", _table("base"), user="lead")
        barrier = threading.Barrier(workers)
        conflicts: list[int] = []
        errors: list[BaseException] = []

        def run(worker: str) -> None:
            try:
                barrier.wait(30)
                conflicts.append(save_with_retries(store, worker, saves))
            except BaseException as exc:  # noqa: BLE001 - reported by the assert below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert errors == []
        _check_history(store, {f"w{i}-{k}" for i in range(workers) for k in range(saves)})
    # The savers really did collide (otherwise the test proves nothing about conflicts).
    assert sum(conflicts) > 0


def test_threads_creating_the_same_name_at_once_get_one_winner(db_url: str) -> None:
    workers = 6
    with Store(db_url) as store:
        barrier = threading.Barrier(workers)
        outcomes: list[str] = []

        def run(worker: str) -> None:
            barrier.wait(30)
            try:
                store.save("roster", "Ny plan", _table(worker), user=worker)
                outcomes.append("saved")
            except ConflictError as err:
                assert err.latest is not None and err.latest.version == 1
                outcomes.append("conflict")

        threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(outcomes) == ["conflict"] * (workers - 1) + ["saved"]
        assert len(store.versions("roster", "Ny plan")) == 1


def test_processes_saving_at_once_lose_nothing(db_url: str, pool) -> None:
    workers, saves = 3, 4
    with Store(db_url) as store:
        store.save("roster", "Uge 49", _table("base"), user="lead")
    start_at = time.time() + 0.5
    results = [
        pool.apply_async(_process_worker, (db_url, f"p{i}", saves, start_at))
        for i in range(workers)
    ]
    conflicts = [r.get(timeout=120) for r in results]
    assert all(c >= 0 for c in conflicts)
    with Store(db_url) as store:
        _check_history(store, {f"p{i}-{k}" for i in range(workers) for k in range(saves)})


def test_processes_opening_a_new_database_at_once_migrate_it_once(db_url: str, pool) -> None:
    start_at = time.time() + 0.5
    results = [pool.apply_async(_open_and_report, (db_url, start_at)) for _ in range(3)]
    revisions = [r.get(timeout=120) for r in results]
    assert revisions == ["0003"] * 3
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from alembic_version").scalar() == 1
        assert conn.exec_driver_sql("select count(*) from items").scalar() == 0
    engine.dispose()
