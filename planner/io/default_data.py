"""Where the embedded default data lives (``data/`` at the project root).

The files are written by `vagtplan generate-data` (`sampledata`); every command, the pipeline
and the app read them through these paths when the user gives none.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["AGENTS", "DATA_DIR", "HISTORY", "RULES"]

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
HISTORY = DATA_DIR / "history.csv"
AGENTS = DATA_DIR / "agents.csv"
RULES = DATA_DIR / "rules.toml"
