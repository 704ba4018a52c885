"""Vagtplan in the browser: `streamlit run app.py`.

This entry script only routes: it sets the page up, asks for a login when one is configured
(``[auth]`` in ``.streamlit/secrets.toml``), draws the sidebar settings (language, who is
saving) and hands over to the chosen page in ``app_pages/``. Pages are thin layers over
`planner`, `forecast` and `staffing`; their shared helpers are in `app_support.shell`.
"""

from __future__ import annotations

import streamlit as st

from app_support import shell as app

# No page_title here: the browser tab shows the current page's (translated) title.
st.set_page_config(
    page_icon=":material/calendar_month:",
    layout="wide",
    initial_sidebar_state="expanded",
)

app.sidebar_settings()
app.require_login()
page = st.navigation(app.navigation_pages())
app.keep_widget_state()
page.run()
