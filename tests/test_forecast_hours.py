"""Opening hours learned from a history, and the calendar checked against it."""

from __future__ import annotations

import pytest
from forecast_fixtures import make_history

from forecast.calendar import DEFAULT_EXTRA_CLOSING, CentreCalendar
from forecast.models import check_hours, infer_calendar
from forecast.models._history import prepare_history

CAL = CentreCalendar()


@pytest.fixture(scope="module")
def danish_history():
    # Two years under the default calendar: Danish holidays, 24/12, 31/12 and 5/6 closed,
    # Sygedagpenge routed away 09:00-10:00.
    return make_history(
        "2024-01-01",
        "2026-01-09",
        queues={"Dagpenge": 150.0, "Sygedagpenge": 60.0},
        freq=30,
        seed=8,
    )


def test_infer_calendar_recovers_the_default_calendar(danish_history):
    learned = infer_calendar(danish_history)
    assert learned.weekday_hours == CAL.weekday_hours
    assert learned.closed_windows == {"Sygedagpenge": [("09:00", "10:00")]}
    assert set(learned.extra_closing) == set(DEFAULT_EXTRA_CLOSING)
    assert learned.queue_hours == {}
    assert learned.country == "DK" and learned.tz == CAL.tz


def test_one_year_is_not_enough_to_learn_the_centres_own_closing_days():
    history = make_history("2025-01-01", "2025-12-31", seed=9)
    assert infer_calendar(history).extra_closing == {}


def test_a_queue_with_shorter_hours_gets_its_own_hours():
    cal = CentreCalendar(queue_hours={"Virksomhed": {w: ("09:00", "14:00") for w in range(5)}})
    history = make_history(
        "2025-01-06", "2025-04-25", queues={"Dagpenge": 150.0, "Virksomhed": 80.0}, calendar=cal
    )
    learned = infer_calendar(history)
    assert learned.queue_hours == {"Virksomhed": {w: ("09:00", "14:00") for w in range(5)}}
    assert "Dagpenge" not in learned.queue_hours


def test_check_hours_reports_closed_day_calls_and_silent_windows(danish_history):
    # The Danish calendar without the routing window: Sygedagpenge's 09:00-10:00 is silent.
    no_window = CentreCalendar(closed_windows={})
    report = check_hours(prepare_history(danish_history, no_window))
    silent = report.silent_windows
    assert set(silent["queue"]) == {"Sygedagpenge"} and set(silent["clock"]) == {"09:00", "09:30"}
    assert report.share_outside == 0.0
    # A calendar without the centre's own closing days is fine too: they have no calls.
    assert len(report.closed_day_calls) == 0
    assert any("never had a call" in m and "Sygedagpenge" in m for m in report.messages())


def test_bad_thresholds_are_rejected(danish_history):
    with pytest.raises(ValueError, match="min_day_share must be in"):
        infer_calendar(danish_history, min_day_share=0)
