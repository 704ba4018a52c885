"""The app shell: routing, Danish by default with an English switch, state helpers, errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_support import shell as app_support
from app_support.i18n import LANGUAGES, TEXTS, check_texts, t

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("VAGTPLAN_DB_URL", raising=False)
    monkeypatch.setenv("VAGTPLAN_DATA_DIR", str(tmp_path))
    yield
    st.cache_resource.clear()


def run_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30).run()


# -- texts ---------------------------------------------------------------------------------------


def test_every_text_has_both_languages_with_the_same_placeholders() -> None:
    assert check_texts() == []
    assert set(LANGUAGES) == {"da", "en"}


def test_every_page_and_section_label_is_a_text() -> None:
    for spec in app_support.PAGES:
        assert spec.label in TEXTS and spec.section in TEXTS
    urls = [spec.url_path for spec in app_support.PAGES]
    assert len(urls) == len(set(urls))


def test_t_fills_placeholders_and_rejects_unknown_keys_and_languages() -> None:
    assert t("nav.roster") == "Vagtplan" and t("nav.roster", "en") == "Roster"
    assert t("saved.published", "da", version=3) == "Version 3 er offentliggjort."
    with pytest.raises(ValueError, match="unknown text key 'nope'"):
        t("nope")
    with pytest.raises(ValueError, match="lang must be one of da, en; got 'de'"):
        t("nav.roster", "de")


# -- the shell -----------------------------------------------------------------------------------


def test_app_opens_in_danish_without_exceptions() -> None:
    at = run_app()
    assert not at.exception
    lang = at.sidebar.radio(key=app_support.LANG_KEY)
    assert lang.value == "da" and lang.options == ["Dansk", "English"]
    assert at.sidebar.text_input(key=app_support.USER_KEY).label == "Dit navn eller initialer"
    assert at.title[0].value == "Data"


def test_english_switch_changes_the_labels_and_back() -> None:
    at = run_app()
    at.sidebar.radio(key=app_support.LANG_KEY).set_value("en").run()
    assert at.sidebar.text_input(key=app_support.USER_KEY).label == "Your name or initials"
    at.sidebar.radio(key=app_support.LANG_KEY).set_value("da").run()
    assert at.sidebar.text_input(key=app_support.USER_KEY).label == "Dit navn eller initialer"


def test_typed_user_name_is_kept_across_reruns() -> None:
    at = run_app()
    at.sidebar.text_input(key=app_support.USER_KEY).input("ab").run()
    at.run()
    assert at.session_state[app_support.USER_KEY] == "ab"


def test_login_name_replaces_the_name_field() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = {"is_logged_in": True, "name": "Anna Planlægger", "email": "anna@example.dk"}
    at.run()
    assert not at.exception
    assert len(at.sidebar.text_input) == 0
    assert "Logget ind som Anna Planlægger" in [c.value for c in at.sidebar.caption]


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 40,
    "client_id": "vagtplan",
    "client_secret": "s",
    "server_metadata_url": "https://idp.test/.well-known/openid-configuration",
}


def test_configured_login_shows_only_the_sign_in_screen_until_signed_in() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [x.value for x in at.title] == ["Log ind"]
    assert at.button(key="app:login").label == "Log ind"
    # no page ran, and no typed name can stand in for the login
    assert len(at.sidebar.text_input) == 0
    assert not [b for b in at.button if b.key == "data:load"]
    at.sidebar.radio(key=app_support.LANG_KEY).set_value("en").run()
    assert [x.value for x in at.title] == ["Sign in"]


def test_configured_login_lets_the_signed_in_user_in_with_a_sign_out_button() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "name": "Anna Planlægger"}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Data"
    assert at.sidebar.button(key="app:logout").label == "Log ud"
    assert "Logget ind som Anna Planlægger" in [c.value for c in at.sidebar.caption]


def test_login_name_keeps_no_e_mail_address() -> None:
    assert app_support.login_display_name({"email": "jens.hansen@kk.dk"}) == "jens.hansen"
    assert app_support.login_display_name({"name": " ", "preferred_username": "JH"}) == "JH"
    assert app_support.login_display_name({"name": "@"}) is None


def test_navigation_lists_only_pages_whose_file_exists(tmp_path: Path) -> None:
    (tmp_path / "app_pages").mkdir()
    (tmp_path / "app_pages" / "saved.py").write_text("")
    (tmp_path / "app_pages" / "report.py").write_text("")

    def script(app_dir: str) -> None:
        from pathlib import Path

        import streamlit as st

        from app_support import shell as app

        sections = app.navigation_pages(Path(app_dir))
        st.session_state["out"] = {
            section: [(p.title, p.url_path) for p in pages] for section, pages in sections.items()
        }

    at = AppTest.from_function(script, args=(str(tmp_path),)).run()
    assert not at.exception
    assert at.session_state["out"] == {
        "Opfølgning": [("Rapport", "rapport"), ("Gemt arbejde", "gemt")]
    }


# -- state and errors ----------------------------------------------------------------------------


def _kept_widget_script() -> None:
    import streamlit as st

    from app_support import shell as app

    state = app.PageState("demo")
    app.keep_widget_state()
    if st.session_state.get("draw", True):
        state.choose("colour", ["rød", "grøn", "blå"])
        st.selectbox("Farve", ["rød", "grøn", "blå"], key=state.key("colour"))
        state.keep("colour")


def test_kept_widget_value_survives_a_run_where_the_widget_is_not_drawn() -> None:
    at = AppTest.from_function(_kept_widget_script).run()
    at.selectbox(key="demo:colour").select("blå").run()
    at.session_state["draw"] = False
    at.run()  # another page: the widget is not drawn
    at.session_state["draw"] = True
    at.run()
    assert not at.exception
    assert at.selectbox(key="demo:colour").value == "blå"


def _choose_script() -> None:
    import streamlit as st

    from app_support import shell as app

    state = app.PageState("demo")
    options = st.session_state.get("options", ["a", "b"])
    state.choose("pick", options)
    st.selectbox("Valg", options, key=state.key("pick"))
    if st.button("vælg b", key="go"):
        state.select("pick", "b")
        st.rerun()


def test_choose_falls_back_to_a_valid_option_and_select_applies_next_run() -> None:
    at = AppTest.from_function(_choose_script).run()
    assert at.selectbox(key="demo:pick").value == "a"
    at.button(key="go").click().run()
    assert at.selectbox(key="demo:pick").value == "b"
    at.session_state["options"] = ["x", "y"]
    at.run()
    assert not at.exception
    assert at.selectbox(key="demo:pick").value == "x"


def test_page_state_keys_are_prefixed() -> None:
    state = app_support.PageState("vagtplan")
    assert state.key("uge") == "vagtplan:uge"
    with pytest.raises(ValueError, match="prefix must be a non-empty name"):
        app_support.PageState("a:b")


def _guarded_script(kind: str) -> None:
    import streamlit as st

    from app_support import shell as app
    from planner.errors import InputError

    st.text_input("Uge", key="week")
    with app.guard():
        if kind == "input":
            raise InputError("historik.csv: row 3, column 'offered': '-4' is negative")
        if kind == "internal":
            raise ZeroDivisionError("secret internals")
        if kind == "stop":
            st.stop()
        st.write("efter")
    st.write("slut")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("input", "Kan ikke bruge input: historik.csv: row 3, column 'offered': '-4' is negative"),
        (
            "internal",
            "Der skete en uventet fejl (ZeroDivisionError). Dine indtastninger er bevaret.",
        ),
    ],
)
def test_guard_shows_one_clear_message_and_keeps_the_inputs(kind: str, expected: str) -> None:
    at = AppTest.from_function(_guarded_script, args=(kind,)).run()
    at.text_input(key="week").input("2026-W49").run()
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(expected)
    assert "secret internals" not in at.error[0].value and "Traceback" not in at.error[0].value
    assert at.text_input(key="week").value == "2026-W49"
    assert [m.value for m in at.markdown] == ["slut"]


def test_guard_lets_st_stop_through() -> None:
    at = AppTest.from_function(_guarded_script, args=("stop",)).run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == []


def test_csv_bytes_writes_times_with_offsets_and_a_bom_for_excel() -> None:
    frame = pd.DataFrame(
        {
            "start": pd.to_datetime(["2026-03-29 01:45", "2026-03-29 03:00"]).tz_localize(
                "Europe/Copenhagen"
            ),
            "kø": ["Sygeopfølgning", "Leverandør"],
        }
    )
    text = app_support.csv_bytes(frame).decode("utf-8")
    assert text.startswith("\ufeff")
    assert text.splitlines() == [
        "\ufeffstart,kø",
        "2026-03-29T01:45:00+01:00,Sygeopfølgning",
        "2026-03-29T03:00:00+02:00,Leverandør",
    ]


def test_format_time_is_copenhagen_clock_time() -> None:
    utc = pd.Timestamp("2026-07-01 08:05", tz="UTC").to_pydatetime()
    assert app_support.format_time(utc) == "2026-07-01 10:05"
    assert app_support.format_time(None) == ""


def test_streamlit_config_has_the_security_settings() -> None:
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] <= 50
    assert config["server"]["enableCORS"] is True
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["allowedHosts"]
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
