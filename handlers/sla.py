"""The 48-hour promise: when a ticket's answer is due."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.config import Settings


def deadline_for(created_at: datetime, settings: Settings) -> datetime:
    """The deadline of a ticket opened at created_at (calendar hours)."""
    return created_at + timedelta(hours=settings.sla_hours)
