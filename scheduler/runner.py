"""A thin wrapper over APScheduler's AsyncIOScheduler. It never holds the truth: jobs read
and record their state in the database, so a restart or a second instance loses nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger("kulturbot.scheduler")

Job = Callable[..., Awaitable[Any]]


class Scheduler:
    def __init__(self, timezone: str = "Europe/Oslo") -> None:
        self._scheduler = AsyncIOScheduler(
            timezone=timezone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )
        self._runs: set[asyncio.Task[Any]] = set()  # job runs in progress, for drain()

    def every(self, seconds: float, job: Job, *args: Any, name: str) -> None:
        self._scheduler.add_job(self._guarded(job, name), IntervalTrigger(seconds=seconds), args=args, id=name, name=name)

    def cron(self, job: Job, *args: Any, name: str, **fields: Any) -> None:
        self._scheduler.add_job(self._guarded(job, name), CronTrigger(**fields), args=args, id=name, name=name)

    def _guarded(self, job: Job, name: str) -> Job:
        async def run(*args: Any) -> None:
            task = asyncio.current_task()
            if task is not None:
                self._runs.add(task)
            try:
                await job(*args)
            except Exception as exc:  # noqa: BLE001 - a failed run is retried by the next one
                log.error("scheduled job %s failed: %s", name, type(exc).__name__, exc_info=exc)
            finally:
                if task is not None:
                    self._runs.discard(task)

        return run

    async def drain(self, timeout: float) -> None:
        """Let the runs in progress finish (after shutdown), rather than cut them off mid-transaction."""
        if self._runs:
            await asyncio.wait(set(self._runs), timeout=timeout)

    def start(self) -> None:
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def job_names(self) -> list[str]:
        return [job.id for job in self._scheduler.get_jobs()]
