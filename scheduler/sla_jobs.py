"""The SLA sweep: reminders before the deadline and the breach escalation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from scheduler.runner import Scheduler


def register(scheduler: "Scheduler", runtime: "Runtime") -> None:
    """Add this area's jobs to the scheduler."""
