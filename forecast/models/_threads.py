"""One BLAS thread for the small matrices of these models.

The regressions here are small (hundreds of rows, tens of columns). Multi-threaded OpenBLAS
gains nothing on them and, on a machine whose cores are busy, its threads wait for each other:
measured on the 2-core machine of this project under load, one GLM fit of ten queues took 8 s
with the default threads and 1.1 s with one. `single_blas_thread` limits BLAS to one thread
while a model fits or forecasts (threadpoolctl, when installed; otherwise it changes nothing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = ["single_blas_thread"]

try:  # threadpoolctl is small and pure Python (scikit-learn depends on it)
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - the models work without it, only slower under load
    threadpool_limits = None


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Context in which BLAS uses one thread (no effect without threadpoolctl)."""
    if threadpool_limits is None:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield
