"""Building a digest and sending a scheduled one to every manager, once per period.

Who gets it: each manager in MANAGERS by DM (unless DIGEST_DM is off) and the managers'
channel (MANAGERS_CHANNEL). Once: each (digest kind, period, recipient) is a DigestRun row whose
key is unique, inserted with ON CONFLICT DO NOTHING in the same transaction as the outbox rows.
A second instance, a restart or the catch-up run finds the row and sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.context import Context, Services, system_context
from bot.core.model import Message, Person, Place
from bot.core.tables import DigestRun, UserRecord
from handlers.sla.calendar import calendar_for

from .period import Period
from .report import Report, build_report
from .views import Look, chart_message, digest_message

log = logging.getLogger("kulturbot.digest")


def look_for(services: Services, lang: str) -> Look:
    settings = services.settings

    def article_title(article_id: str) -> str:
        article = services.knowledge.current.get(article_id)
        return article.title if article is not None else article_id

    return Look(lang, settings.tz, settings.sla_hours, settings.workspace_name_map, article_title)


async def build(
    session: AsyncSession, services: Services, period: Period, lang: str, *, workspace: str | None = None,
    now: datetime | None = None,
) -> tuple[Report, Message, Message]:
    """The numbers, the digest message and the chart message."""
    settings = services.settings
    report = await build_report(session, period, now=now or services.clock.now(), tz=settings.tz, workspace=workspace,
                                calendar=calendar_for(settings))
    look = look_for(services, lang)
    return report, digest_message(report, look), chart_message(report, look)


@dataclass(frozen=True)
class Recipient:
    key: str
    person: Person | None = None
    place: Place | None = None


async def recipients(session: AsyncSession, services: Services) -> list[Recipient]:
    settings = services.settings
    found: list[Recipient] = []
    if settings.digest_dm:
        for item in sorted(settings.manager_keys):
            platform, _, user_id = item.partition(":")
            record = (
                await session.execute(
                    select(UserRecord).where(UserRecord.platform == platform, UserRecord.user_id == user_id).limit(1)
                )
            ).scalar_one_or_none()
            if platform == "teams" and (record is None or not record.dm_ref):
                log.info("digest: a Teams manager has not talked with the bot yet; no DM possible")
                continue
            workspace = record.workspace if record else ""
            found.append(Recipient(f"dm:{platform}:{user_id}", person=Person(platform, workspace, user_id)))
    if (channel := settings.managers_place) is not None:
        platform, name = channel
        found.append(Recipient(f"channel:{platform}:{name}", place=Place(platform, "", name, "channel")))
    return found


async def claim(session: AsyncSession, key: str, period: Period, now: datetime) -> bool:
    """Record that this digest goes to this recipient; False if it already went."""
    dialect = postgresql if session.bind is not None and session.bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(DigestRun)
        .values(key=key[:255], period_start=period.start, period_end=period.end, created_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(DigestRun.key)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


def deliver(ctx: Context, recipient: Recipient, digest: Message, picture: Message) -> None:
    """The digest, then its chart, in one lane (so in that order)."""
    for message in (digest, picture):
        if recipient.person is not None:
            ctx.out.dm(recipient.person, message)
        elif recipient.place is not None:
            ctx.out.send(recipient.place, message)


async def send_scheduled(services: Services, session: AsyncSession, kind: str, period: Period) -> int:
    """Send the `kind` digest for `period` to every recipient that has not had it. Returns how many."""
    people = await recipients(session, services)
    if not people:
        log.info("digest %s: no managers configured (MANAGERS, MANAGERS_CHANNEL)", kind)
        return 0
    now = services.clock.now()
    ctx = system_context(services, session)
    first_day = period.start.astimezone(services.settings.tz).date().isoformat()
    built: tuple[Report, Message, Message] | None = None
    sent = 0
    for recipient in people:
        if not await claim(session, f"{kind}:{first_day}:{recipient.key}", period, now):
            continue
        if built is None:
            built = await build(session, services, period, ctx.lang, now=now)
        deliver(ctx, recipient, built[1], built[2])
        sent += 1
    if sent:
        log.info("digest %s for %s sent to %d recipients", kind, first_day, sent)
    return sent
