"""The app's glue beside `app_pages/`: what the Streamlit pages call.

`shell` (language, navigation, page state, errors, the store, save controls), `i18n` (every
text the user sees, Danish by default and English), `data` (loading history and forecasts for
the pages), `plan` (the roster pages' steps: build, edit, check, export, predicted KPIs).
Pages stay thin: the math lives in `forecast` and `staffing`, the files and store in `planner`.
"""

__all__ = ["data", "i18n", "plan", "shell"]
