"""Shared helpers of the AppTest page tests: a small slice of the default data, loaded once,
an app with it in the session, and the data behind a drawn chart."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from app_support import plan as app_plan
from app_support.data import HISTORY_KEY
from app_support.i18n import DEFAULT_LANGUAGE, t
from app_support.shell import LANG_KEY
from planner.io.history import LoadedHistory, default_history_path, load_history

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
WEEKS = 8
#: the session-state key of the Vagtplan page's tabs (`app_pages.roster.draw_open_tab`)
ROSTER_TABS = "vagtplan:tabs"
#: the text keys of the Vagtplan page's tab labels, in the page's order
ROSTER_TAB_LABELS = ("ro.tab_agents", "ro.tab_intervals", "wk.tab", "ro.tab_edit", "ro.tab_save")


@functools.cache
def default_history() -> LoadedHistory:
    """The embedded default history (read once per test process)."""
    return load_history(default_history_path())


@functools.cache
def small_history(weeks: int = WEEKS) -> LoadedHistory:
    """The last ``weeks`` weeks of the default history."""
    loaded = default_history()
    frame = loaded.frame
    cut = frame["interval_start"].max().normalize() - pd.Timedelta(weeks=weeks)
    return LoadedHistory(
        frame[frame["interval_start"] > cut].reset_index(drop=True), loaded.summary
    )


def open_page(page: str, *, history: LoadedHistory | None = None, **state: object) -> AppTest:
    """The app on ``app_pages/<page>.py`` with ``history`` (and any state) in the session."""
    at = AppTest.from_file(APP, default_timeout=60)
    if history is not None:
        at.session_state[HISTORY_KEY] = history
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    return at.switch_page(f"app_pages/{page}.py").run()


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open the Vagtplan page's tab whose label has the text key ``label`` (``"ro.tab_edit"``)
    as a click on it does, and run the page: only the open tab is drawn.

    AppTest has no way to click a tab; a click sets the tabs' widget value (the label, in the
    page's language) and runs the page, and so does this. A click on the tab already open
    changes nothing, and runs nothing."""
    lang = at.session_state[LANG_KEY] if LANG_KEY in at.session_state else DEFAULT_LANGUAGE
    wanted = t(label, lang)
    if ROSTER_TABS in at.session_state and at.session_state[ROSTER_TABS] == wanted:
        return at
    at.session_state[ROSTER_TABS] = wanted
    return at.run()


def charts(at: AppTest) -> list[tuple[dict, pd.DataFrame]]:
    """Every Altair/Vega-Lite chart on the page: its spec and its (first) dataset."""
    out = []
    for element in at.get("vega_lite_chart"):
        proto = element.proto
        spec = json.loads(proto.spec)
        data = (
            pa.ipc.open_stream(proto.datasets[0].data.data).read_all().to_pandas()
            if len(proto.datasets)
            else pd.DataFrame()
        )
        out.append((spec, data))
    return out


def mark_of(spec: dict) -> list[str]:
    """The mark types of a chart (of each layer for a layered chart)."""
    layers = spec.get("layer", [spec])
    return [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in layers
    ]


def _ts(clock: str, day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(f"{day} {clock}", tz="Europe/Copenhagen")


def legal_day(day: dt.date = dt.date(2026, 11, 23)) -> pd.DataFrame:
    """A day of the default agents that keeps every rule (the page checks every roster):
    twelve full-timers 08:00-15:30 with lunch 11:00-11:30, everybody else absent that day."""
    working = ["A01", "A02", "A03", "A04", "A05", "A07", "A09", "A10", "A12", "A13", "A18", "A25"]
    rows = []
    for agent in sorted(app_plan.load_agents()["agent_id"]):
        if agent not in working:
            rows.append((agent, day, _ts("07:30", day), _ts("16:00", day), "absence"))
            continue
        rows += [
            (agent, day, _ts("08:00", day), _ts("11:00", day), "phone"),
            (agent, day, _ts("11:00", day), _ts("11:30", day), "lunch"),
            (agent, day, _ts("11:30", day), _ts("15:30", day), "phone"),
        ]
    return pd.DataFrame(rows, columns=["agent_id", "date", "start", "end", "activity"])
