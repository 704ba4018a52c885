"""The Copenhagen job-centre line as data: its ten queues and what we know of each.

Yearly offered calls are the table in document 003 (DOMAIN.md, ~2014). Handle times, caller
patience and transfer shares are not in the documents; the values below are our calibration
(documented choices), kept inside the ranges the documents imply: handle times of 3-7 minutes,
abandonment that gives answer rates of 80-92 % and waits of 25-150 s at the staffing the
documents describe, and transfers giving 60-65 % first-contact resolution overall (goal 65 %,
"achieved less, because some queues allow little resolution").

Patience (exponential, Erlang A) is longer on the benefit queues, whose callers need their money
(Kontanthjælp 600 s, Dagpenge 550 s, Sygedagpenge 500 s), than on the queues of employers and
partners (300 s), who hang up and call back; with the staffing of `sampledata.synthetic` this
gives monthly answer rates of about 85-92 % and average waits of 40-80 s, inside the 2009
actuals of document 000 (79-92 %, 25-56 s) and the 2014 figure of document 003 (134 s).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QueueSpec", "QUEUES", "QUEUE_NAMES", "queue_patience", "queue_spec"]


@dataclass(frozen=True)
class QueueSpec:
    """One queue of the centre.

    Attributes
    ----------
    name: the queue's Danish name as the telephony platform exports it.
    english: an English gloss.
    yearly_calls: offered calls per year (document 003).
    aht_seconds: mean handle time, talk plus wrap-up (our calibration, 3-7 minutes).
    patience_seconds: mean caller patience, exponential (our calibration).
    transfer_share: share of answered calls transferred on (not resolved at first contact).
    """

    name: str
    english: str
    yearly_calls: int
    aht_seconds: float
    patience_seconds: float
    transfer_share: float


QUEUES: list[QueueSpec] = [
    QueueSpec("9-by samarbejde", "nine-city cooperation line", 1_100, 300.0, 350.0, 0.45),
    QueueSpec("Andre forvaltninger", "other administrations", 5_888, 240.0, 350.0, 0.55),
    QueueSpec("Genregistrering", "re-registration (Jobnet)", 35_412, 200.0, 300.0, 0.20),
    QueueSpec("Sygedagpenge", "sickness benefit", 31_898, 330.0, 500.0, 0.45),
    QueueSpec("Sygeopfølgning", "sickness follow-up / reporting sick", 48_870, 240.0, 400.0, 0.30),
    QueueSpec("A-Kasse", "unemployment funds", 4_822, 260.0, 400.0, 0.50),
    QueueSpec("Kontanthjælp", "social assistance", 113_709, 300.0, 600.0, 0.40),
    QueueSpec("Dagpenge", "unemployment benefit", 101_977, 280.0, 550.0, 0.35),
    QueueSpec("Leverandør", "suppliers / partners", 30_888, 360.0, 300.0, 0.45),
    QueueSpec("Virksomhed", "employers / businesses", 14_337, 390.0, 300.0, 0.40),
]

QUEUE_NAMES: list[str] = [q.name for q in QUEUES]


def queue_spec(name: str) -> QueueSpec:
    """The spec of queue ``name``; ValueError naming the known queues otherwise."""
    for spec in QUEUES:
        if spec.name == name:
            return spec
    raise ValueError(f"unknown queue {name!r}; known queues: {', '.join(QUEUE_NAMES)}")


def queue_patience() -> dict[str, float]:
    """Mean caller patience per queue (seconds), from `QUEUES`."""
    return {q.name: float(q.patience_seconds) for q in QUEUES}
