"""Gemt arbejde (saved work): every saved dataset, forecast, requirement, roster and scenario.

Lists what is saved of a kind, the version history of one item (who, when, comment, status),
shows a version's table and lets the planner download it, publish a roster version, or restore
an older version as a new one (nothing is ever deleted or overwritten).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support import agents as app_agents
from app_support import cache as app_cache
from app_support import data as app_data
from app_support import edits
from app_support import plan as app_plan
from app_support import shell as app
from app_support.compare import compare_rosters
from app_support.i18n import short_date
from app_support.shell import tr
from planner.store.database import KINDS, ItemInfo, Store, VersionInfo
from staffing.roster.check import CheckReport

PREVIEW_ROWS = 500
state = app.PageState("saved")


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def items_table(items: list[ItemInfo]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("col.name"): [i.name for i in items],
            tr("col.latest_version"): [i.latest_version for i in items],
            tr("col.published_version"): [_number(i.published_version) for i in items],
            tr("col.updated_at"): [app.format_time(i.updated_at) for i in items],
            tr("col.updated_by"): [i.updated_by for i in items],
            tr("col.comment"): [i.comment for i in items],
        }
    )


def versions_table(history: list[VersionInfo]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("col.version"): [v.version for v in history],
            tr("col.saved_at"): [app.format_time(v.saved_at) for v in history],
            tr("col.saved_by"): [v.saved_by for v in history],
            tr("col.status"): [tr(f"status.{v.status}") for v in history],
            tr("col.rows"): [v.rows for v in history],
            tr("col.based_on"): [_number(v.based_on) for v in history],
            tr("col.comment"): [v.comment for v in history],
        }
    )


def show_version(
    store: Store, kind: str, name: str, info: VersionInfo, *, latest: int, seen: int
) -> None:
    """The chosen version: facts, contents, download, publish and restore.

    ``latest`` is the newest saved version; ``seen`` the newest the planner had on screen, on
    top of which a restore is saved (so that a version saved meanwhile is reported).
    """
    frame, info = store.load(kind, name, info.version)
    st.markdown(
        tr(
            "saved.details",
            version=info.version,
            name=app.plain(name),
            rows=info.rows,
            user=app.plain(info.saved_by),
            when=app.format_time(info.saved_at),
        )
    )
    if info.published_at is not None:
        st.caption(
            tr(
                "saved.published_note",
                user=app.plain(info.published_by),
                when=app.format_time(info.published_at),
            )
        )
    lang = app.language()
    if info.meta:
        with st.expander(tr("saved.meta")):
            st.dataframe(app_data.meta_table(info.meta, lang), hide_index=True)
    shown = min(PREVIEW_ROWS, len(frame))
    st.caption(tr("saved.preview", shown=shown, rows=len(frame)))
    # the saved table in words (headers, days, figures); the download keeps it as saved
    st.dataframe(app_data.display_table(frame.head(PREVIEW_ROWS), lang), hide_index=True)
    st.download_button(
        tr("saved.download"),
        data=app.csv_bytes(frame),
        file_name=f"{kind}_{name}_v{info.version}.csv",
        mime="text/csv",
        key=state.key("download"),
        icon=":material/download:",
    )

    if kind == "roster" and latest > 1:
        compare_view(store, name, frame, info, latest=latest)

    if kind == "roster" and info.status != "published":
        publish_view(store, name, frame, info)

    if info.version != latest:
        saved = app.save_controls(
            state,
            kind,
            frame,
            name=name,
            based_on=seen,
            meta={**info.meta, "restored_from": info.version},
            comment=tr("saved.restore_comment", version=info.version),
            button_label=tr("saved.restore", version=info.version),
            slot="restore",
        )
        st.caption(tr("saved.restore_help"))
        if saved is not None:
            state.set("seen", (kind, name, saved.version))
            state.select("version", saved.version)
            state.set("flash", tr("save.done", name=saved.name, version=saved.version))
            st.rerun()


def roster_check(frame: pd.DataFrame) -> CheckReport | None:
    """The independent checker on a saved roster, against the default plan's requirement of
    its days, the agents in use (absence days as unavailable) and the shift rules; None when
    the roster's days are outside the plan (then it cannot be checked here)."""
    plan = app_cache.default_plan()
    days = sorted(set(pd.to_datetime(frame["date"]).dt.date)) if len(frame) else []
    if not days:
        return None
    req = app_plan.plan_days(plan.requirements, days[0], (days[-1] - days[0]).days + 1)
    if req.empty:
        return None
    agents = app_agents.in_use(st.session_state, plan.agents)
    return app_plan.check(
        frame,
        edits.absence_as_unavailable(agents, frame),
        req,
        app_plan.load_rules(),
        calendar=plan.calendar,
    )


def publish_view(store: Store, name: str, frame: pd.DataFrame, info: VersionInfo) -> None:
    """Publish a roster version: only after the independent checker ran on it at the click and
    found no hard error (warnings need the acknowledgement), as on the Vagtplan page."""
    user = app.current_user()
    ack = st.checkbox(tr("saved.publish_ack"), key=state.key("publish_ack"))
    if not st.button(
        tr("saved.publish", version=info.version),
        key=state.key("publish"),
        help=tr("saved.publish_help"),
        disabled=not user,
    ):
        return
    with st.spinner(tr("ro.checking")):
        report = roster_check(frame)
    reason = edits.publish_refusal(report, acknowledged=ack)
    if reason is not None:
        count = 0 if report is None else len(report.errors or report.warnings)
        why = tr(f"ro.refused.{reason}", version=info.version, count=count)
        st.error(tr("ro.publish_refused", reason=why))
        return
    store.publish("roster", name, info.version, user=user)
    state.set("flash", tr("saved.published", version=info.version))
    st.rerun()


def compare_view(store: Store, name: str, frame: pd.DataFrame, info: VersionInfo, *, latest: int):
    """The chosen roster version against another one, shift by shift: who works differently."""
    others = [v for v in range(latest, 0, -1) if v != info.version]
    default = info.based_on if info.based_on in others else others[0]
    if state.get("compare_for") != (name, info.version):
        state.select("compare", default)
        state.set("compare_for", (name, info.version))
    state.choose("compare", others)
    with st.expander(tr("cmp.title", version=info.version), expanded=False):
        other = st.selectbox(tr("cmp.against"), others, key=state.key("compare"))
        state.keep("compare")
        before, before_info = store.load("roster", name, other)
        needed = {"agent_id", "date", "start", "end", "activity"}
        if not needed <= set(frame.columns) & set(before.columns):
            st.caption(tr("cmp.not_a_roster"))  # saved before the roster contract, or by hand
            return
        older, newer = (before, frame) if other < info.version else (frame, before)
        newer_info = info if other < info.version else before_info
        diff = compare_rosters(older, newer, app.translator())
        lo, hi = sorted((other, info.version))
        st.markdown(
            tr(
                "cmp.summary",
                count=len(diff),
                old=lo,
                new=hi,
                user=app.plain(newer_info.saved_by),
                when=app.format_time(newer_info.saved_at),
            )
        )
        if diff.empty:
            return
        lang = app.language()
        st.dataframe(
            pd.DataFrame(
                {
                    tr("ro.agent"): diff["agent_id"],
                    tr("ro.day"): [short_date(d, lang) for d in diff["date"]],
                    tr("cmp.change"): [tr(f"cmp.{c}") for c in diff["change"]],
                    tr("cmp.before", version=lo): diff["before"],
                    tr("cmp.after", version=hi): diff["after"],
                }
            ),
            hide_index=True,
            key=state.key("compare_table"),
        )


def main() -> None:
    st.title(tr("saved.title"))
    st.caption(tr("saved.intro"))
    store = app.get_store()

    state.choose("kind", list(KINDS))
    kind = st.segmented_control(
        tr("saved.kind"),
        list(KINDS),
        format_func=app.labels("kind."),
        key=state.key("kind"),
        required=True,
    )
    state.keep("kind")

    items = store.list(kind)
    if not items:
        st.info(tr("saved.empty"))
        return
    st.subheader(tr("saved.items"))
    st.dataframe(items_table(items), hide_index=True)

    names = [i.name for i in items]
    state.choose("item", names)
    name = st.selectbox(tr("saved.item"), names, key=state.key("item"))
    state.keep("item")

    history = store.versions(kind, name)
    latest = history[-1].version
    # A restore is based on the newest version the planner saw on screen (the previous run),
    # so that a version saved meanwhile by someone else is reported, not silently built upon.
    seen = state.get("seen")
    seen = seen[2] if seen and seen[:2] == (kind, name) else latest
    state.set("seen", (kind, name, latest))
    st.subheader(tr("saved.versions", name=app.plain(name)))
    st.dataframe(versions_table(history[::-1]), hide_index=True)

    numbers = [v.version for v in reversed(history)]
    by_number = {v.version: v for v in history}
    if state.get("version_of") != (kind, name):  # another item: start on its newest version
        state.select("version", numbers[0])
        state.set("version_of", (kind, name))
    state.choose("version", numbers)
    tl = app.translator()
    number = st.selectbox(
        tr("saved.version"),
        numbers,
        format_func=lambda n: tl(
            "saved.version_label",
            version=n,
            when=app.format_time(by_number[n].saved_at),
            user=by_number[n].saved_by,
        ),
        key=state.key("version"),
    )
    state.keep("version")
    flash = state.pop("flash")
    if flash:
        st.success(app.plain(flash))
    show_version(store, kind, name, by_number[number], latest=latest, seen=seen)


with app.guard():
    main()
