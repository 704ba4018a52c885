"""Helpers the Streamlit pages share: language, per-page state, errors, the store, saving.

Pages stay thin: they lay out widgets and call `planner`, `forecast` and `staffing`; everything
they have in common lives here.

- Language: `tr` looks a label up in `app_support.i18n` in the language chosen in the sidebar.
- State: `PageState` prefixes every key with the page's name (``"saved:kind"``), so pages never
  clash, and can keep chosen widget values when the planner visits another page and comes back
  (Streamlit drops a widget's value when the widget is not drawn in a run).
- Errors: `guard` shows a failure as one clear `st.error` message in the chosen language and
  leaves the widgets, and so the user's inputs, as they were; a traceback never reaches the
  browser (it goes to the server log).
- User text: `st.error`, `st.success`, `st.caption` ... render Markdown, and Streamlit has no
  plain-text flag for them. Text that comes from the user (file names, queue and agent names,
  cell values quoted in messages, names of saved work and of who saved it) goes through `plain`
  first, so that it shows as typed and never becomes a link, an image, a heading or a format.
- Saved work: `get_store` opens the `planner.store.Store` once per process; `save_controls` is
  the save form every page uses, with the optimistic-concurrency conflict handled as a question
  to the user, never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from app_support.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from centre.timezone import TZ
from planner.errors import InputError
from planner.io.pii import personal_kind
from planner.io.safe_text import defuse_text_columns
from planner.store.database import (
    ConflictError,
    NotFoundError,
    Store,
    StoreError,
    VersionInfo,
    default_url,
)

__all__ = [
    "APP_DIR",
    "LANG_KEY",
    "USER_KEY",
    "PAGES",
    "PageSpec",
    "PageState",
    "language",
    "tr",
    "translator",
    "labels",
    "sidebar_settings",
    "login_configured",
    "require_login",
    "login_display_name",
    "current_user",
    "navigation_pages",
    "keep_widget_state",
    "guard",
    "show_error",
    "get_store",
    "format_time",
    "csv_bytes",
    "save_controls",
    "plain",
]

log = logging.getLogger("vagtplan.app")

APP_DIR = Path(__file__).resolve().parents[1]
LANG_KEY = "app:lang"
USER_KEY = "app:user"
_KEEP_KEY = "app:keep"


# -- user text -----------------------------------------------------------------------------------

#: Characters that start Markdown inline syntax anywhere in a line: code, emphasis, strike,
#: links and images (``[``), raw HTML and autolinks (``<``), entities (``&``), math (``$``),
#: table cells (``|``); and the backslash itself.
_MD_INLINE = re.compile(r"([\\`*_~\[\]<&$|])")
#: Block syntax at the start of a line: headings, quotes, list items, setext underlines.
_MD_LINE_START = re.compile(r"^([ \t]*)([#>+=\-])", re.MULTILINE)
_MD_ORDERED = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
#: Bare links (``https://``, ``www.``), e-mail addresses and Streamlit's ``:shortcodes:``,
#: ``:material/icons:`` and ``:colour[...]``: the renderer finds these in the text after
#: escapes are undone, so a backslash cannot stop them; a zero-width space does.
_MD_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)|(?<=:)(?=[A-Za-z])", re.I)
_ZWSP = "\u200b"


def plain(text: object) -> str:
    """``text`` escaped so that Streamlit's Markdown shows it as typed (plain text).

    For user text put into ``st.error``, ``st.success``, ``st.warning``, ``st.info``,
    ``st.caption`` or ``st.markdown``: Markdown characters get a backslash (CommonMark's
    escapes), block syntax at a line's start is escaped (a carriage return, which Markdown
    reads as a line end, becomes a line feed), and bare links, e-mail addresses and
    shortcodes are broken by a zero-width space. The text reads the same on screen; nothing in
    it becomes a link, an image, a heading or a format.

    >>> plain("[Se din vagt](https://x.dk/a.png)")
    '\\\\[Se din vagt\\\\](https:\\u200b//x.dk/a.png)'
    """
    out = str(text).replace("\r\n", "\n").replace("\r", "\n")  # Markdown's line endings
    out = _MD_INLINE.sub(r"\\\1", out)
    out = _MD_LINE_START.sub(r"\1\\\2", out)
    out = _MD_ORDERED.sub(r"\1\\\2", out)
    return _MD_AUTOLINK.sub(_ZWSP, out)


# -- language ------------------------------------------------------------------------------------


def language() -> str:
    """The language chosen in the sidebar (default Danish)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, /, **values: object) -> str:
    """`app_support.i18n.t` in the chosen language."""
    return t(key, language(), **values)


def translator() -> Callable[..., str]:
    """`tr` bound to the language of this script run.

    For widgets' ``format_func``: Streamlit may call it again between runs (AppTest does when
    it sends the widget states), when the session's language can already be another one than
    the labels on the page.
    """
    lang = language()
    return lambda key, /, **values: t(key, lang, **values)


def labels(prefix: str) -> Callable[[object], str]:
    """A ``format_func`` showing option ``x`` as the text of key ``prefix + str(x)``, in the
    language of this script run (see `translator`)."""
    tl = translator()
    return lambda value: tl(f"{prefix}{value}")


# -- pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    """A page of the app: its file in ``app_pages/``, URL path, label key, icon and section."""

    file: str
    url_path: str
    label: str
    icon: str
    section: str


#: Every page the app has, in menu order. A page is shown when its file exists, so a page is
#: added by writing its file in ``app_pages/`` (and a line here).
PAGES: tuple[PageSpec, ...] = (
    PageSpec("data.py", "data", "nav.data", ":material/database:", "nav.section.plan"),
    PageSpec(
        "forecast.py", "prognose", "nav.forecast", ":material/trending_up:", "nav.section.plan"
    ),
    PageSpec("staffing.py", "bemanding", "nav.staffing", ":material/groups:", "nav.section.plan"),
    PageSpec("agents.py", "medarbejdere", "nav.agents", ":material/badge:", "nav.section.plan"),
    PageSpec(
        "roster.py", "vagtplan", "nav.roster", ":material/calendar_month:", "nav.section.plan"
    ),
    PageSpec(
        "scenarios.py", "scenarier", "nav.scenarios", ":material/compare:", "nav.section.follow"
    ),
    PageSpec("report.py", "rapport", "nav.report", ":material/summarize:", "nav.section.follow"),
    PageSpec("saved.py", "gemt", "nav.saved", ":material/history:", "nav.section.follow"),
)


def navigation_pages(app_dir: Path = APP_DIR) -> dict[str, list[Any]]:
    """`st.Page` objects of the pages whose files exist, by translated section, labels in the
    chosen language (URL paths stay the same in every language)."""
    sections: dict[str, list[Any]] = {}
    for spec in PAGES:
        path = app_dir / "app_pages" / spec.file
        if not path.is_file():
            continue
        page = st.Page(path, title=tr(spec.label), icon=spec.icon, url_path=spec.url_path)
        sections.setdefault(tr(spec.section), []).append(page)
    return sections


def sidebar_settings() -> None:
    """The language switch and who is saving, in the sidebar (drawn by app.py on every run)."""
    with st.sidebar:
        st.radio(
            t("app.language"),
            list(LANGUAGES),
            format_func=LANGUAGES.__getitem__,
            key=LANG_KEY,
            horizontal=True,
        )
        login = _login_name()
        if login:
            st.caption(tr("app.logged_in_as", user=plain(login)))
            if login_configured():
                st.button(tr("app.logout_button"), key="app:logout", on_click=st.logout)
        elif not login_configured():
            _restore_typed_user()
            st.text_input(
                tr("app.user"),
                key=USER_KEY,
                help=tr("app.user_help"),
                max_chars=100,
                on_change=_remember_typed_user,
            )
            if _typed_user() is None and str(st.session_state.get(USER_KEY) or "").strip():
                st.warning(tr("app.user_personal"))


def login_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OIDC via ``st.login``).

    Then the app requires a login (:func:`require_login`) and "saved by" is the signed-in user.
    """
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: no login configured
        return False


def require_login() -> None:
    """With a login configured, show the sign-in screen and stop until the user is signed in.

    Without ``[auth]`` in the secrets the app is open, as on a planner's own machine, and the
    sidebar asks for a name or initials instead.
    """
    if not login_configured() or _login_name():
        return
    st.title(tr("app.login_title"))
    st.write(tr("app.login_intro"))
    st.button(tr("app.login_button"), key="app:login", type="primary", on_click=st.login)
    st.stop()


def login_display_name(claims: Mapping[str, Any]) -> str | None:
    """The name "saved by" shows for a signed-in user's identity claims.

    The OIDC ``name`` claim, else ``preferred_username``, else the e-mail address. An e-mail
    address is never stored (the store keeps no personal data beyond names or initials): only
    the part before ``@`` is kept.

    >>> login_display_name({"name": "Anna Planlægger", "email": "anna@kk.dk"})
    'Anna Planlægger'
    >>> login_display_name({"preferred_username": "anna.p@kk.dk"})
    'anna.p'
    >>> login_display_name({}) is None
    True
    """
    for claim in ("name", "preferred_username", "email"):
        value = str(claims.get(claim) or "").strip()
        if "@" in value:
            value = value.split("@", 1)[0].strip()
        if value:
            return value
    return None


def _login_name() -> str | None:
    """The signed-in user's name when the app runs with ``st.login`` (OIDC), else None."""
    try:
        user = st.user
        if not user.is_logged_in:
            return None
        claims = user.to_dict()
    except Exception:  # noqa: BLE001 - no auth configured: st.user has no login
        return None
    name = login_display_name(claims)
    return name[:100] if name else None


#: The address-bar parameter that keeps a typed name across a reload (``?bruger=AB``).
USER_PARAM = "bruger"


def _valid_typed_name(text: object) -> str | None:
    """A typed name or initials, or None when empty or personal data beyond a name.

    >>> _valid_typed_name(" AB "), _valid_typed_name("ab@kk.dk"), _valid_typed_name("")
    ('AB', None, None)
    """
    name = str(text or "").strip()[:100]
    if not name or personal_kind(name) is not None or any(ord(c) < 32 for c in name):
        return None
    return name


def _typed_user() -> str | None:
    return _valid_typed_name(st.session_state.get(USER_KEY))


def _restore_typed_user() -> None:
    """After a reload the session is new: take the typed name back from the address bar."""
    if USER_KEY not in st.session_state:
        name = _valid_typed_name(st.query_params.get(USER_PARAM))
        if name:
            st.session_state[USER_KEY] = name


def _remember_typed_user() -> None:
    """Keep the typed name in the address bar (never an e-mail address or phone number)."""
    name = _typed_user()
    if name:
        st.query_params[USER_PARAM] = name
    elif USER_PARAM in st.query_params:
        del st.query_params[USER_PARAM]


def current_user() -> str | None:
    """Who saves: the login name, else the name typed in the sidebar (None if neither).

    A typed e-mail address, phone number or CPR number is not a name: it is refused (None)
    and the sidebar says so."""
    login = _login_name()
    if login:
        return login
    if login_configured():
        return None
    return _typed_user()


# -- state ---------------------------------------------------------------------------------------


class PageState:
    """Session state with keys prefixed by the page's name.

    >>> PageState("roster").key("week")
    'roster:week'
    """

    def __init__(self, prefix: str) -> None:
        if not prefix or ":" in prefix:
            raise ValueError(f"prefix must be a non-empty name without ':'; got {prefix!r}")
        self.prefix = prefix

    def key(self, name: str) -> str:
        """The session-state key of ``name`` on this page (use it as a widget's ``key``)."""
        return f"{self.prefix}:{name}"

    def get(self, name: str, default: Any = None) -> Any:
        return st.session_state.get(self.key(name), default)

    def set(self, name: str, value: Any) -> None:
        st.session_state[self.key(name)] = value

    def setdefault(self, name: str, value: Any) -> Any:
        key = self.key(name)
        if key not in st.session_state:
            st.session_state[key] = value
        return st.session_state[key]

    def pop(self, name: str, default: Any = None) -> Any:
        return st.session_state.pop(self.key(name), default)

    def choose(self, name: str, options: list[Any]) -> None:
        """Make the widget ``name`` start on a valid option before it is drawn.

        Sets the first option when the kept value is not among ``options`` (e.g. another kind
        was chosen), and applies a selection requested with `select` in an earlier run.
        """
        key = self.key(name)
        requested = st.session_state.pop(self.key(f"{name}__select"), None)
        if requested in options:
            st.session_state[key] = requested
        elif options and st.session_state.get(key) not in options:
            st.session_state[key] = options[0]

    def select(self, name: str, value: Any) -> None:
        """Ask for widget ``name`` to show ``value`` from the next run on (see `choose`)."""
        st.session_state[self.key(f"{name}__select")] = value

    def keep(self, *names: str) -> None:
        """Keep these widgets' values when the page is left and opened again.

        Only for widgets whose value can be set (selectbox, radio, text and number inputs,
        sliders, checkboxes), not buttons, uploaders or data editors.
        """
        kept = st.session_state.setdefault(_KEEP_KEY, set())
        kept.update(self.key(n) for n in names)


def keep_widget_state() -> None:
    """Re-store kept widget values so Streamlit does not drop them (called by app.py)."""
    for key in list(st.session_state.get(_KEEP_KEY, ())):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


# -- errors --------------------------------------------------------------------------------------


def _message(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def show_error(exc: BaseException) -> None:
    """Show ``exc`` as one clear message in the chosen language (never a traceback)."""
    if isinstance(exc, ConflictError):
        st.warning(_conflict_text(exc))
    elif isinstance(exc, NotFoundError):
        st.error(tr("error.not_found", message=plain(_message(exc))))
    elif isinstance(exc, StoreError):
        st.error(tr("error.store", message=plain(_message(exc))))
    elif isinstance(exc, InputError | ValueError):
        st.error(tr("error.input", message=plain(_message(exc))))
    elif isinstance(exc, SQLAlchemyError):
        log.error("database error in the app", exc_info=exc)
        st.error(tr("error.database", kind=type(exc).__name__))
    else:
        log.error("unexpected error in the app", exc_info=exc)
        st.error(tr("error.internal", kind=type(exc).__name__))


@contextmanager
def guard() -> Iterator[None]:
    """Run a block of page code; a failure becomes `show_error`'s message.

    Streamlit's own control flow (``st.rerun``, ``st.stop``) passes through: those are
    ``BaseException`` subclasses, not ``Exception``.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the app's last line of defence
        show_error(exc)


# -- the store -----------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    """The saved-work store (``$VAGTPLAN_DB_URL`` or the default SQLite file), opened once."""
    return _open_store(default_url())


def format_time(value: dt.datetime | pd.Timestamp | None) -> str:
    """A saved time as local Copenhagen clock time, ``2026-11-24 09:05``."""
    if value is None or pd.isna(value):
        return ""
    return pd.Timestamp(value).tz_convert(TZ).strftime("%Y-%m-%d %H:%M")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads æøå) with times as ISO 8601 carrying their offset.

    Text cells are made safe for a spreadsheet first (`planner.io.safe_text.defuse_text_columns`:
    a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``), so that an agent id or a saved item's text never runs as a formula; numbers and
    times keep their form, and `planner.io.roster` reads such a cell back as it was.
    """
    out = frame.reset_index() if _has_named_index(frame) else frame.copy()
    out = defuse_text_columns(out)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].map(lambda v: v.isoformat() if pd.notna(v) else "")
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


# -- saving --------------------------------------------------------------------------------------


def _conflict_text(exc: ConflictError) -> str:
    latest = exc.latest
    if latest is None:
        return tr("error.store", message=plain(_message(exc)))
    values = {
        "name": plain(exc.name),
        "version": latest.version,
        "user": plain(latest.saved_by),
        "when": format_time(latest.saved_at),
        "next": latest.version + 1,
    }
    if exc.based_on is None:
        return tr("save.conflict_new", **values)
    return tr("save.conflict_newer", based_on=exc.based_on, **values)


def save_controls(
    state: PageState,
    kind: str,
    frame: pd.DataFrame,
    *,
    name: str | None = None,
    based_on: int | None = None,
    meta: Mapping[str, Any] | None = None,
    comment: str | None = None,
    button_label: str | None = None,
    slot: str = "save",
) -> VersionInfo | None:
    """Draw a save form for ``frame`` and save it when asked; returns the saved version.

    ``name=None`` shows a name field; ``based_on`` is the version the frame was built from (None
    for new work). ``comment=None`` shows a comment field. If someone saved meanwhile, the
    conflict is explained and the planner can save on top of the newer version or cancel; the
    frame is kept in the session until then, so nothing is lost. The last saved version is
    kept in ``state`` under ``f"{slot}_done"``.
    """
    store = get_store()
    user = current_user()
    pending_key = f"{slot}_pending"
    fixed_name = name
    if name is None:
        name = st.text_input(tr("save.name"), key=state.key(f"{slot}_name"), max_chars=200)
        state.keep(f"{slot}_name")
    if comment is None:
        comment = st.text_input(tr("save.comment"), key=state.key(f"{slot}_comment"))
        state.keep(f"{slot}_comment")

    pending = state.get(pending_key)
    if pending is not None:
        st.warning(_conflict_text(pending["error"]))
        left, right = st.columns(2)
        if left.button(
            tr("save.on_top", next=pending["latest"] + 1), key=state.key(f"{slot}_on_top")
        ):
            info = _do_save(state, store, kind, pending, based_on=pending["latest"], slot=slot)
            if info is not None:
                st.rerun()
        if right.button(tr("save.cancel"), key=state.key(f"{slot}_cancel")):
            state.pop(pending_key)
            st.rerun()
        return None

    if not user:
        st.info(tr("save.need_user"))
    clicked = st.button(
        button_label or tr("save.button"),
        key=state.key(f"{slot}_button"),
        disabled=not user,
        type="primary",
    )
    done = state.get(f"{slot}_done")
    if not clicked:
        same = fixed_name is None or (
            unicodedata.normalize("NFC", fixed_name.strip()) == done.name if done else False
        )
        if done is not None and done.kind == kind and same:  # the store keeps names in NFC
            st.success(tr("save.done", name=plain(done.name), version=done.version))
        return None
    if not (name or "").strip():
        st.error(tr("save.need_name"))
        return None
    request = {
        "name": name.strip(),
        "frame": frame,
        "user": user,
        "comment": comment or "",
        "meta": dict(meta or {}),
    }
    info = _do_save(state, store, kind, request, based_on=based_on, slot=slot)
    if info is not None:
        st.success(tr("save.done", name=plain(info.name), version=info.version))
    elif state.get(pending_key) is not None:
        st.rerun()
    return info


def _do_save(
    state: PageState,
    store: Store,
    kind: str,
    request: dict[str, Any],
    *,
    based_on: int | None,
    slot: str,
) -> VersionInfo | None:
    """Save ``request``; on a conflict keep it pending in ``state`` (nothing is lost)."""
    try:
        info = store.save(
            kind,
            request["name"],
            request["frame"],
            user=request["user"],
            comment=request["comment"],
            based_on=based_on,
            meta=request["meta"],
        )
    except ConflictError as exc:
        latest = exc.latest.version if exc.latest is not None else None
        if latest is None:
            show_error(exc)
            return None
        state.set(f"{slot}_pending", {**request, "error": exc, "latest": latest})
        return None
    except Exception as exc:  # noqa: BLE001 - shown as a message; the inputs stay
        show_error(exc)
        return None
    state.pop(f"{slot}_pending")
    state.set(f"{slot}_done", info)
    return info
