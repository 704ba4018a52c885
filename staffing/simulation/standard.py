"""The one prediction of a roster: what every page, command and report says a roster delivers.

A manager cannot act on three answers. The Vagtplan page, the Scenarier page's base, ``vagtplan
plan``'s report and ``vagtplan simulate`` all call `predict_roster` with the same
`PredictionSettings` (`STANDARD` unless the user changes one), so the same roster, forecast and
settings give the same numbers everywhere, to the last digit: the same replications from the
same seed (common random numbers, `staffing.simulation.engine`), the queues' own patience and
transfer shares (`centre.queues`), the routing the centre uses (cross-trained agents help when
their own queue is empty: ``primary_first``) and lognormal handle times.

The chance of meeting the SLA (`sla_chance`) is a separate, larger set of runs in which each
day's volume is also uncertain: drawn from the forecast's 80 % prediction interval
(``uncertainty=True``), because the risk a manager asks about is mostly the forecast's. It is
the share of `PredictionSettings.risk_runs` (200) simulated weeks whose whole-period answer rate
and average wait (the goals staffing can move, `staffing.kpi.SlaGoals.service_targets`) meet
the goals for the centre, with its resolution: an exact (Clopper-Pearson) 95 % interval, and
when every run meets the goals the one-sided bound "at least 98.5 % (all 200 runs)", since 200
runs cannot tell 99.9 % from 100 % (Clopper & Pearson 1934, Biometrika 26:404).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from scipy import stats

from staffing import kpi
from staffing.agents import Agents
from staffing.simulation.engine import SimulationResult, simulate

__all__ = [
    "PredictionSettings",
    "STANDARD",
    "SlaChance",
    "chance_of",
    "predict_roster",
    "simulate_with_goals",
    "sla_chance",
]


@dataclass(frozen=True)
class PredictionSettings:
    """How a roster is predicted: the simulation's settings that every caller shares.

    ``replications`` and ``seed``: the runs of the expected week (KPI tables); ``risk_runs``:
    the runs with forecast uncertainty behind the chance of meeting the SLA; ``routing``,
    ``handle_time``: see `staffing.simulation.engine.simulate`. Patience and transfer shares are
    each queue's own (`centre.queues.QUEUES`).
    """

    replications: int = 30
    seed: int = 0
    risk_runs: int = 200
    routing: str = "primary_first"
    handle_time: str = "lognormal"

    def __post_init__(self) -> None:
        for name in ("replications", "risk_runs"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")

    def simulate_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `staffing.simulation.engine.simulate` these settings fix."""
        return {
            "replications": self.replications,
            "seed": self.seed,
            "routing": self.routing,
            "handle_time": self.handle_time,
        }


#: The settings of every page, command and report unless the user changes one.
STANDARD = PredictionSettings()


def predict_roster(
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    agents: Agents,
    *,
    goals: kpi.SlaGoals | None = None,
    settings: PredictionSettings = STANDARD,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """The simulated week of ``roster`` against ``forecast`` with ``settings`` (see module)."""
    return simulate_with_goals(
        roster, forecast, agents, goals, progress=progress, **settings.simulate_kwargs()
    )


def simulate_with_goals(
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    agents: Agents,
    goals: kpi.SlaGoals | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    **simulate_kwargs: Any,
) -> SimulationResult:
    """`staffing.simulation.engine.simulate` judged against ``goals``: their service-level
    threshold and short-abandon limit are the simulation's, and the result keeps them."""
    goals = goals or kpi.SlaGoals()
    return simulate(
        roster,
        forecast,
        agents,
        goals=goals,
        threshold=goals.threshold,
        short_abandon=goals.short_abandon,
        progress=progress,
        **simulate_kwargs,
    )


@dataclass(frozen=True)
class SlaChance:
    """How many of ``runs`` simulated weeks met every service goal for the centre.

    ``lower``/``upper``: the exact (Clopper-Pearson) 95 % interval of the chance; when every
    run met the goals, ``lower`` is the one-sided 95 % bound and ``upper`` is 1.

    >>> SlaChance(met=200, runs=200).text()
    'at least 98.5 % (met in all 200 runs)'
    >>> SlaChance(met=150, runs=200).text("da")
    '75 % (68-81 %; opfyldt i 150 af 200 kørsler)'
    >>> SlaChance(met=200, runs=200).text("da")
    'mindst 98,5 % (opfyldt i alle 200 kørsler)'
    """

    met: int
    runs: int

    @property
    def share(self) -> float:
        return self.met / self.runs

    @property
    def lower(self) -> float:
        if self.met == 0:
            return 0.0
        if self.met == self.runs:
            return float(0.05 ** (1.0 / self.runs))
        return float(stats.beta.ppf(0.025, self.met, self.runs - self.met + 1))

    @property
    def upper(self) -> float:
        if self.met == self.runs:
            return 1.0
        if self.met == 0:
            return float(1.0 - 0.05 ** (1.0 / self.runs))
        return float(stats.beta.ppf(0.975, self.met + 1, self.runs - self.met))

    def text(self, language: str = "en") -> str:
        """The chance with its resolution, in words (``en`` or ``da``)."""
        da = language == "da"
        if self.met == self.runs:
            bound = _pct(self.lower, 1, da)
            if da:
                return f"mindst {bound} (opfyldt i alle {self.runs} kørsler)"
            return f"at least {bound} (met in all {self.runs} runs)"
        if self.met == 0:
            bound = _pct(self.upper, 1, da)
            if da:
                return f"højst {bound} (opfyldt i ingen af {self.runs} kørsler)"
            return f"at most {bound} (met in none of {self.runs} runs)"
        lo, hi = round(100 * self.lower), round(100 * self.upper)
        share = _pct(self.share, 0, da)
        if da:
            return f"{share} ({lo}-{hi} %; opfyldt i {self.met} af {self.runs} kørsler)"
        return f"{share} ({lo}-{hi} %; met in {self.met} of {self.runs} runs)"


def _pct(value: float, digits: int = 0, danish: bool = False) -> str:
    """``98.5 %``, or ``98,5 %`` as Danish writes it."""
    text = f"{100 * value:.{digits}f} %"
    return text.replace(".", ",") if danish else text


def sla_chance(
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    agents: Agents,
    *,
    goals: kpi.SlaGoals | None = None,
    settings: PredictionSettings = STANDARD,
    progress: Callable[[int, int], None] | None = None,
) -> SlaChance:
    """The chance that the roster's week meets the SLA, from ``settings.risk_runs`` runs with
    forecast uncertainty (see module). The forecast needs ``offered_lo``/``offered_hi``."""
    risky = dataclasses.replace(settings, replications=settings.risk_runs)
    result = simulate_with_goals(
        roster,
        forecast,
        agents,
        goals,
        progress=progress,
        uncertainty=True,
        **risky.simulate_kwargs(),
    )
    return chance_of(result, goals)


def chance_of(result: SimulationResult, goals: kpi.SlaGoals | None = None) -> SlaChance:
    """The `SlaChance` of a simulation's runs: whole period, whole centre."""
    table = result.sla_probability(goals, queues=False)
    row = table[(table["period"] == "all") & (table["queue"] == kpi.ALL_QUEUES)].iloc[0]
    return SlaChance(met=int(round(row["p_meet"] * result.replications)), runs=result.replications)
