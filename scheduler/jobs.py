"""Periodic jobs: plain async functions of the runtime's services, registered in one place."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from scheduler.runner import Scheduler

log = logging.getLogger("kulturbot.jobs")


async def sweep(runtime: "Runtime") -> None:
    """Pick up events and messages left pending by a crash, a failure or another instance."""
    requeued = await runtime.worker.sweep()
    if requeued:
        log.info("sweep requeued %d pending events", requeued)
    runtime.deliverer.wake()


async def reload_knowledge(runtime: "Runtime") -> None:
    """Pick up edited article files without a restart."""
    report = runtime.services.knowledge.reload_if_changed()
    if report is not None and report.changed:
        log.info("knowledge base reloaded: %d articles, %d skipped", report.loaded, len(report.skipped))


def register(scheduler: "Scheduler", runtime: "Runtime") -> None:
    """Every periodic job of the service. Area modules add theirs through their own register()."""
    from scheduler import digest_jobs, privacy_jobs, sla_jobs

    settings = runtime.settings
    scheduler.every(settings.sweep_seconds, sweep, runtime, name="sweep")
    scheduler.every(settings.kb_reload_seconds, reload_knowledge, runtime, name="kb-reload")
    sla_jobs.register(scheduler, runtime)
    digest_jobs.register(scheduler, runtime)
    privacy_jobs.register(scheduler, runtime)
