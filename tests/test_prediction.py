"""The quick Erlang-A prediction's summary: the centre row is weighted as `staffing.kpi` says."""

from __future__ import annotations

import pandas as pd
import pytest

from staffing.kpi import ALL_QUEUES
from staffing.simulation.prediction import kpi_summary


def test_centre_row_weights_the_wait_by_answered_calls() -> None:
    kpis = pd.DataFrame(
        {
            "queue": ["B", "A"],
            "offered": [100.0, 100.0],
            "p_abandon": [0.5, 0.0],
            "answer_rate": [0.5, 1.0],
            "asa_seconds": [100.0, 10.0],
            "shortfall": [1.0, 0.0],
        }
    )
    summary = kpi_summary(kpis, total=True)
    assert summary["queue"].tolist() == [ALL_QUEUES, "A", "B"]
    centre = summary.iloc[0]
    # answered calls: A 100, B 50; the mean wait of answered calls is (100 x 10 + 50 x 100) / 150
    # (weighting by offered calls would give 55 s)
    assert centre["asa_seconds"] == pytest.approx(40.0)
    assert centre["answer_rate"] == pytest.approx(0.75)
    assert centre["offered"] == pytest.approx(200.0)
    assert centre["shortfall_intervals"] == 1
    # the queue rows are the same with or without the centre row
    pd.testing.assert_frame_equal(
        summary.iloc[1:].reset_index(drop=True), kpi_summary(kpis).reset_index(drop=True)
    )
