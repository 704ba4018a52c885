"""Objects the app builds once per server process and every page shares."""

from __future__ import annotations

import streamlit as st

from app_support.plan import DefaultPlan, load_default_plan

__all__ = ["default_plan"]


@st.cache_resource(show_spinner=False)
def default_plan() -> DefaultPlan:
    """The default plan (`app_support.plan.load_default_plan`: forecast, requirements, agents,
    calendar), built once per server process and shared by the pages that plan with it."""
    return load_default_plan()
