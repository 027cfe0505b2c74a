"""Which notices a ticket gets and when: reminders at SLA_REMINDERS hours before the deadline
(counted on the SLA calendar), then the breach at the deadline itself.

A notice's kind is its unique key per ticket in sla_notice: "remind:24h", "remind:8h",
"remind:2h", "breach" (and "apology", sent to the asker after a breach, see apology.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.config import Settings
from bot.core.tables import Ticket

from .calendar import SlaCalendar

BREACH = "breach"
APOLOGY = "apology"
WAITING = ("open", "claimed")  # statuses in which the clock can run


def reminder_kind(hours: float) -> str:
    return f"remind:{hours:g}h"


@dataclass(frozen=True)
class Notice:
    kind: str
    due_at: datetime
    hours: float | None = None  # hours before the deadline; None for the breach


@dataclass(frozen=True)
class Decision:
    """What the sweep does with one ticket now."""

    send: Notice | None  # the most urgent due notice (sent unless already recorded)
    skip: tuple[Notice, ...]  # older due notices, superseded (recorded as skipped)
    next_check: datetime | None  # when to look again; None: nothing left to do


def schedule(ticket: Ticket, settings: Settings, calendar: SlaCalendar) -> list[Notice]:
    """The ticket's notices in the order they fall due. A reminder that would fall due before
    the ticket was opened (e.g. 24 h before a 8-hour deadline) is not part of the plan."""
    notices = []
    for hours in settings.sla_reminder_hours:  # most hours first = earliest first
        due = calendar.subtract(ticket.deadline_at, hours * 3600)
        if due > ticket.created_at:
            notices.append(Notice(reminder_kind(hours), due, hours))
    notices.append(Notice(BREACH, ticket.deadline_at))
    return notices


def is_waiting(ticket: Ticket) -> bool:
    """The clock runs: no first answer yet, not paused, not breached, not closed."""
    return (ticket.status in WAITING and ticket.first_answer_at is None and ticket.paused_at is None
            and ticket.breached_at is None)


def decide(ticket: Ticket, now: datetime, settings: Settings, calendar: SlaCalendar) -> Decision:
    """After downtime several notices can be due at once: only the most urgent goes out."""
    if not is_waiting(ticket):
        return Decision(None, (), None)
    notices = schedule(ticket, settings, calendar)
    due = [n for n in notices if n.due_at <= now]
    later = [n for n in notices if n.due_at > now]
    next_check = later[0].due_at if later else None
    if not due:
        return Decision(None, (), next_check)
    return Decision(due[-1], tuple(due[:-1]), None if due[-1].kind == BREACH else next_check)
