"""Errors that reach the user.

`InputError` is raised for bad user input (files, arguments, scenario files). Its message is one
line that names the file, row and/or column, what was found and what was expected. The CLI turns
it into exit code 2 without a traceback; the app shows it as a message and keeps the user's work.
"""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad user input, with a one-line message meant for the user."""
