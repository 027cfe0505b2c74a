"""Retention: anonymise old questions and closed tickets, drop old transport rows (hourly)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from scheduler.runner import Scheduler

log = logging.getLogger("kulturbot.privacy")
RETENTION_EVERY_SECONDS = 3600.0


async def retention(runtime: "Runtime") -> dict[str, int]:
    """One purge run; idempotent, so two instances or a missed hour do no harm."""
    from handlers.retention import purge

    settings = runtime.settings
    async with runtime.services.db.session() as session:
        counts = await purge(session, runtime.services.clock.now(), retention_days=settings.retention_days,
                             delivery_days=settings.delivery_retention_days, actor="scheduler")
    if any(counts.values()):
        log.info("retention purge: %s", ", ".join(f"{k}={v}" for k, v in counts.items() if v))
    return counts


def register(scheduler: "Scheduler", runtime: "Runtime") -> None:
    scheduler.every(RETENTION_EVERY_SECONDS, retention, runtime, name="privacy-retention")
