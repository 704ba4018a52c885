"""The Copenhagen job-centre line as data: its ten queues and what we know of each.

Yearly offered calls are the table in document 003 (DOMAIN.md, ~2014). Handle times, caller
patience and transfer shares are not in the documents; the values below are our calibration,
fitted so that the documented team reproduces the documented year on the embedded default data
(docs/notes/calibration.md has each target, its source, the fitted values and how they were
fitted):

- Handle times of 3-7 minutes (DESIGN.md), longer on the queues of employers and partners.
- Patience (exponential, Erlang A): the documents' year, a little over 92 % answered every month
  with an average wait of 134 s (003), pins it down through the Erlang A identity
  P(abandon) = E[wait of all callers] / patience (Mandelbaum & Zeltyn 2007): about 7 %
  abandoned at ~130 s of mean wait needs a mean patience of roughly half an hour. Callers of the
  benefit queues, who need their money, are the most patient (Kontanthjælp 2,500 s, Dagpenge
  2,300 s, Sygedagpenge 2,100 s); employers and partners the least (1,250 s).
- Transfers follow annex 1 of the agreement (002, "Overordnet arbejdsbeskrivelse"):
  Sygeopfølgning resolves all calls at first contact (2 % misrouted, ours); calls from
  suppliers, employers and other administrations are put through to the units of BIF (80 %);
  benefit questions on Kontanthjælp go to Ydelsesservice and absences to K-kassen (45 %);
  Sygedagpenge resolves registration questions and puts follow-up and benefit questions through
  (40 %); Dagpenge resolves valid-reason cancellations and deregistrations (25 %);
  re-registration is resolved at once (10 %). Weighted by volume this gives first-contact
  resolution a little under the 65 % goal ("achieved less", 003).
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
    QueueSpec("9-by samarbejde", "nine-city cooperation line", 1_100, 300.0, 1_500.0, 0.60),
    QueueSpec("Andre forvaltninger", "other administrations", 5_888, 240.0, 1_500.0, 0.80),
    QueueSpec("Genregistrering", "re-registration (Jobnet)", 35_412, 200.0, 1_250.0, 0.10),
    QueueSpec("Sygedagpenge", "sickness benefit", 31_898, 330.0, 2_100.0, 0.40),
    QueueSpec(
        "Sygeopfølgning", "sickness follow-up / reporting sick", 48_870, 240.0, 1_700.0, 0.02
    ),
    QueueSpec("A-Kasse", "unemployment funds", 4_822, 260.0, 1_700.0, 0.50),
    QueueSpec("Kontanthjælp", "social assistance", 113_709, 300.0, 2_500.0, 0.45),
    QueueSpec("Dagpenge", "unemployment benefit", 101_977, 280.0, 2_300.0, 0.25),
    QueueSpec("Leverandør", "suppliers / partners", 30_888, 360.0, 1_250.0, 0.80),
    QueueSpec("Virksomhed", "employers / businesses", 14_337, 390.0, 1_250.0, 0.80),
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
