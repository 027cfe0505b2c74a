"""The 48-hour promise: when a ticket's answer is due, reminders before it, escalation after it.

- calendar.py: the clock (real hours, or business hours with Norwegian public holidays)
- plan.py: which notices a ticket gets and when (reminders at SLA_REMINDERS, then the breach)
- sweep.py: the periodic sweep that records and sends the due notices, exactly once
- notices.py: what the reminders, the breach escalation and the apology say
- pause.py: an adviser's question back to the asker pauses the clock; the reply resumes it
- apology.py: after a breach, the asker hears from us once an adviser acts

This module stays light (the ticket code imports deadline_for from here at import time).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.config import Settings

from .calendar import calendar_for

if TYPE_CHECKING:
    from bot.core.tables import Ticket


def deadline_for(created_at: datetime, settings: Settings) -> datetime:
    """The deadline of a ticket opened at created_at: SLA_HOURS on the configured calendar."""
    return calendar_for(settings).add(created_at, settings.sla_hours * 3600)


def first_check(ticket: "Ticket", settings: Settings) -> datetime:
    """When a new ticket's first notice falls due: its sla_check_at, so that the sweep does not have
    to plan it first (under a burst of questions that planning came in lumps of hundreds of tickets
    every SLA_SWEEP_SECONDS and held up the acks; bench/load)."""
    from .plan import schedule

    return schedule(ticket, settings, calendar_for(settings))[0].due_at
