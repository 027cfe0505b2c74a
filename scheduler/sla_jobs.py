"""The SLA sweep: reminders before the deadline and the breach escalation.

APScheduler only says when to look; the database says what is due and what was already sent
(handlers/sla/sweep.py), so a run that dies half-way is completed by the next one, and several
instances can run the job at the same time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.sla.sweep import SweepReport, sweep

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from scheduler.runner import Scheduler


async def sla_sweep(runtime: "Runtime") -> SweepReport:
    """One sweep: record the due notices with their messages, then wake the deliverer."""
    report = await sweep(runtime.services)
    if report.total_sent:
        runtime.deliverer.wake()
    return report


def register(scheduler: "Scheduler", runtime: "Runtime") -> None:
    """Add this area's jobs to the scheduler."""
    scheduler.every(runtime.settings.sla_sweep_seconds, sla_sweep, runtime, name="sla-sweep")
