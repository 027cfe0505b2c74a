"""A known history for the digest tests: ISO week 48 of 2026 and the week before, with every
timestamp chosen by hand. The expected numbers are worked out in the comments and asserted by
the tests; nothing here computes them.

Oslo is UTC+1 in November. Week 48 (Mon 23.11–Sun 29.11, Oslo) is [22.11 23:00, 29.11 23:00) UTC;
week 47 is [15.11 23:00, 22.11 23:00) UTC. The digest is built on Monday 30.11 at 08:00 Oslo.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bot.core.database import Database
from bot.core.tables import Question, Ticket, TicketEvent

UTC = timezone.utc
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # Monday 08:00 in Oslo
WEEK_START = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
WEEK_END = datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
HOME, OTHER = "T0001", "T0002"
OLA = ("slack:T0001:UOLA", "Ola Rådgiver")
PER = ("slack:T0001:UPER", "Per Rådgiver")

ORG = [
    "Hvordan organiserer andre kommuner kulturskolen?",
    "Organisering av kulturskolen i kommunen",
    "Hvordan er kulturskolen organisert i andre kommuner?",
]
PAY = ["Hva er lønn for dirigenter i korps?", "Lønn til korpsdirigent", "Hvor mye tjener en dirigent i skolekorps?"]
PRINTER = "Hvordan setter jeg opp skriveren?"
MOVE = "Kan vi flytte kulturskolen fra oppvekst til kultur?"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 moment in UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _questions() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def q(when: datetime, outcome: str, article: str | None = None, feedback: str | None = None,
          text: str = "spørsmål", workspace: str = HOME) -> None:
        rows.append(dict(asked_at=when, outcome=outcome, article_id=article, feedback=feedback, text=text,
                         workspace=workspace))

    # ---- week 48: 22 questions (small talk excluded), 13 answered, 4 with suggestions
    # Mon 23.11: 6 answers from "breddeprogram" (👍 👍 👎)
    for i, fb in enumerate(["up", "up", "down", None, None, None]):
        q(at(23, 9, i), "answer", "breddeprogram", fb)
    # Tue 24.11: "friplass" twice picked from suggestions (one 👎) and three times answered (👎 👍)
    q(at(24, 9), "picked", "friplass", "down")
    q(at(24, 10), "picked", "friplass")
    for i, fb in enumerate(["down", "up", None]):
        q(at(24, 11, i), "answer", "friplass", fb)
    # Wed 25.11: 2 suggestions nobody picked, 5 escalations (the knowledge gaps)
    q(at(25, 9), "suggest", text=PAY[2])
    q(at(25, 9, 5), "suggest", text=PRINTER)
    for i, text in enumerate([ORG[0], ORG[1], ORG[2], PAY[0], PAY[1]]):
        q(at(25, 10, i), "escalate", text=text)
    # Thu 26.11: small talk only (not a question)
    q(at(26, 9), "smalltalk", text="hei")
    q(at(26, 9, 1), "smalltalk", text="takk")
    # Fri 27.11: the other municipality: 1 answer, 2 escalations
    q(at(27, 9), "answer", "dks", workspace=OTHER)
    q(at(27, 10), "escalate", text=ORG[1], workspace=OTHER)
    q(at(27, 11), "escalate", text=MOVE, workspace=OTHER)
    # Sun 29.11 23:30 Oslo: the last minutes of the week
    q(at(29, 22, 30), "answer", "dks")
    # Mon 30.11 00:10 Oslo: already the next week
    q(at(29, 23, 10), "escalate", text="Utenfor perioden: hvem eier bygget?")

    # ---- week 47: 16 questions: 10 answered, 4 escalated, 2 suggestions
    for i in range(10):
        q(at(17, 9, i), "answer", "lovgrunnlag")
    for i in range(4):
        q(at(18, 9, i), "escalate", text=f"Gammelt spørsmål {i}")
    for i in range(2):
        q(at(19, 9, i), "suggest", text=f"Gammelt forslag {i}")
    return rows


def _tickets() -> list[dict[str, Any]]:
    """T1..T18 in id order (so ticket numbers are 1001..1018). Deadline = created + 48 h."""

    def t(created: datetime, status: str, *, answered: datetime | None = None, workspace: str = HOME,
          assignee: tuple[str, str] | None = None, breached: datetime | None = None,
          closed: datetime | None = None, resolved: datetime | None = None, paused_seconds: float = 0.0,
          events: list[tuple[datetime, str, tuple[str, str] | None]] = ()) -> dict[str, Any]:
        return dict(created=created, status=status, answered=answered, workspace=workspace, assignee=assignee,
                    breached=breached, closed=closed, resolved=resolved, paused_seconds=paused_seconds,
                    events=list(events))

    return [
        # T1: week 47, answered after 24 h, resolved in week 48
        t(at(20, 10), "resolved", answered=at(21, 10), assignee=OLA, resolved=at(23, 9),
          events=[(at(21, 10), "answered", OLA), (at(23, 9), "resolved", OLA)]),
        # T2: due Mon 23.11 12:00; answered after 44 h (Per), then Ola answers a follow-up
        t(at(21, 12), "answered", answered=at(23, 8), assignee=PER,
          events=[(at(23, 8), "answered", PER), (at(24, 8), "answered", OLA)]),
        # T3: due Tue 24.11 20:00; the SLA sweep marked the breach; answered after 54 h
        t(at(22, 20), "answered", answered=at(25, 2), assignee=PER, breached=at(24, 20, 5),
          events=[(at(25, 2), "answered", PER)]),
        # T4: week 48, answered after 6 h 20 min, resolved
        t(at(23, 9), "resolved", answered=at(23, 15, 20), assignee=OLA, resolved=at(24, 10),
          events=[(at(23, 15, 20), "answered", OLA), (at(24, 10), "resolved", OLA)]),
        # T5: due Thu 26.11 10:00, never answered, no sweep ran: a breach all the same; overdue now
        t(at(24, 10), "claimed", assignee=PER),
        # T6: withdrawn before its deadline, unanswered: no promise to keep
        t(at(24, 12), "withdrawn", closed=at(25, 12), events=[(at(25, 12), "withdrawn", None)]),
        # T7: answered after 24 h, resolved, reopened, resolved again (counted once)
        t(at(25, 8), "resolved", answered=at(26, 8), assignee=OLA, resolved=at(28, 10),
          events=[(at(26, 8), "answered", OLA), (at(27, 10), "resolved", OLA), (at(27, 12), "reopened", OLA),
                  (at(28, 10), "resolved", OLA)]),
        # T8: answered 36 h after opening, 2 h of that paused (waiting for the asker): 34 h
        t(at(26, 9), "answered", answered=at(27, 21), assignee=PER, paused_seconds=7200,
          events=[(at(27, 21), "answered", PER)]),
        # T9: the other municipality, answered after 47 h
        t(at(27, 10), "answered", answered=at(29, 9), workspace=OTHER, assignee=OLA,
          events=[(at(29, 9), "answered", OLA)]),
        # T10: open, due Mon 30.11 12:00 UTC: at risk (within 24 h of now)
        t(at(28, 12), "open"),
        # T11: claimed by Ola, due Tue 1.12 10:00 UTC: not yet at risk
        t(at(29, 10), "claimed", assignee=OLA),
        # T12: opened Sun 23:30 Oslo (still week 48)
        t(at(29, 22, 30), "open"),
        # T13: opened Mon 00:30 Oslo (week 49): open now, not opened in week 48
        t(at(29, 23, 30), "open"),
        # T14..T18: week 47
        t(at(17, 10), "answered", answered=at(20, 10), assignee=PER, events=[(at(20, 10), "answered", PER)]),
        t(at(18, 10), "resolved", answered=at(19, 10), assignee=OLA, resolved=at(20, 11),
          events=[(at(19, 10), "answered", OLA), (at(20, 11), "resolved", OLA)]),
        t(at(16, 10), "withdrawn", closed=at(16, 11), events=[(at(16, 11), "withdrawn", None)]),
        t(at(16, 12), "resolved", answered=at(16, 14), assignee=OLA, resolved=at(16, 15),
          events=[(at(16, 14), "answered", OLA), (at(16, 15), "resolved", OLA)]),
        t(at(17, 8), "answered", answered=at(17, 9), assignee=PER, events=[(at(17, 9), "answered", PER)]),
    ]


async def seed(db: Database) -> None:
    async with db.session() as session:
        for n, row in enumerate(_questions()):
            session.add(Question(platform="slack", user_id="U100", place_kind="dm", event_key=f"seed-{n}",
                                 lang="nb", **row))
        for spec in _tickets():
            created: datetime = spec["created"]
            assignee = spec["assignee"]
            ticket = Ticket(
                status=spec["status"], created_at=created, updated_at=created, platform="slack",
                workspace=spec["workspace"], asker_user_id="U100", asker_name="Kari Nordmann",
                question_text="spørsmål", deadline_at=created + timedelta(hours=48),
                first_answer_at=spec["answered"], breached_at=spec["breached"], closed_at=spec["closed"],
                resolved_at=spec["resolved"], paused_seconds=spec["paused_seconds"],
                assignee_key=assignee[0] if assignee else None, assignee_name=assignee[1] if assignee else "",
            )
            session.add(ticket)
            await session.flush()
            session.add(TicketEvent(ticket_id=ticket.id, at=created, kind="opened", actor_key="slack:T0001:U100",
                                    actor_name="Kari Nordmann"))
            for when, kind, actor in spec["events"]:
                session.add(TicketEvent(ticket_id=ticket.id, at=when, kind=kind,
                                        actor_key=actor[0] if actor else "slack:T0001:U100",
                                        actor_name=actor[1] if actor else "Kari Nordmann"))
