"""Scheduled manager digests: weekly (DIGEST_WEEKLY, default Monday 08:00) and optionally daily
(DIGEST_DAILY), as cron triggers in the configured time zone (Europe/Oslo).

The job works out the latest scheduled moment from the clock, not from the trigger, so a
catch-up run (every CATCH_UP_EVERY seconds) sends a digest missed while the service was down,
up to CATCH_UP[kind] after its time (a weekly digest is still worth reading on Wednesday, a
daily one not the next evening). What was sent is in the database (DigestRun): a restart, a
second instance or the catch-up run never sends a period twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.digest.period import Period, day_before, week_before
from handlers.digest.service import send_scheduled

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from scheduler.runner import Scheduler

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CATCH_UP = {"weekly": timedelta(days=3), "daily": timedelta(hours=12)}
CATCH_UP_EVERY = 900.0
KINDS: dict[str, tuple[str, Callable[[datetime, ZoneInfo], Period]]] = {
    "weekly": ("mon", week_before),
    "daily": ("*", day_before),
}


def parse_schedule(value: str, default_days: str) -> tuple[str, int, int]:
    """'mon 08:00' → ('mon', 8, 0); '07:30' → (default_days, 7, 30). Validated by the settings."""
    days, _, at = value.rpartition(" ")
    hour, _, minute = at.partition(":")
    return days or default_days, int(hour), int(minute)


def weekdays_of(days: str) -> set[int]:
    """APScheduler's day_of_week expression ('mon', 'mon-fri', 'mon,wed', '*') as weekday numbers."""
    if days == "*":
        return set(range(7))
    found: set[int] = set()
    for part in days.split(","):
        first, _, last = part.partition("-")
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        found.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return found


def latest_run(value: str, default_days: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The most recent scheduled moment at or before now."""
    days, hour, minute = parse_schedule(value, default_days)
    allowed = weekdays_of(days)
    today = now.astimezone(tz).date()
    for back in range(8):
        day = today - timedelta(days=back)
        moment = datetime.combine(day, time(hour, minute), tzinfo=tz)
        if day.weekday() in allowed and moment <= now:
            return moment
    return None


def schedule_of(runtime: "Runtime", kind: str) -> str:
    settings = runtime.settings
    return settings.digest_weekly if kind == "weekly" else settings.digest_daily


async def run(runtime: "Runtime", kind: str) -> int:
    """Send the `kind` digest of the latest scheduled period to whoever has not had it."""
    schedule = schedule_of(runtime, kind)
    if not schedule:
        return 0
    services = runtime.services
    tz = runtime.settings.tz
    now = services.clock.now()
    default_days, period_of = KINDS[kind]
    moment = latest_run(schedule, default_days, now, tz)
    if moment is None or now - moment > CATCH_UP[kind]:
        return 0
    async with services.db.session() as session:
        sent = await send_scheduled(services, session, kind, period_of(moment, tz))
    if sent:
        runtime.deliverer.wake()
    return sent


async def weekly(runtime: "Runtime") -> None:
    await run(runtime, "weekly")


async def daily(runtime: "Runtime") -> None:
    await run(runtime, "daily")


async def catch_up(runtime: "Runtime") -> None:
    for kind in KINDS:
        await run(runtime, kind)


def register(scheduler: "Scheduler", runtime: "Runtime") -> None:
    """Add this area's jobs to the scheduler."""
    timezone = runtime.settings.timezone
    any_on = False
    for kind, job in (("weekly", weekly), ("daily", daily)):
        schedule = schedule_of(runtime, kind)
        if not schedule:
            continue
        days, hour, minute = parse_schedule(schedule, KINDS[kind][0])
        scheduler.cron(job, runtime, name=f"digest-{kind}", day_of_week=days, hour=hour, minute=minute,
                       timezone=timezone)
        any_on = True
    if any_on:
        scheduler.every(CATCH_UP_EVERY, catch_up, runtime, name="digest-catch-up")
