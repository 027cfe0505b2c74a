"""Ticket operations shared by the asker's and the advisers' handlers (and the SLA jobs)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.context import Context
from bot.core.model import Person, Place
from handlers.cards import text_message
from bot.core.tables import Question, Ticket, TicketEvent, UserRecord
from handlers.sla import deadline_for, first_check

from . import store
from .routing import adviser_place, choose_route
from .views import adviser_card, adviser_card_key, asker_card, asker_card_key, deadline_text, place_of

ADVISER_EVENT_KINDS = ("claimed", "answered", "assigned", "resolved")


async def display_name(ctx: Context, person: Person) -> str:
    if person.name:
        return person.name
    return await ctx.services.directory(person.platform).display_name(person) or ""


async def named(ctx: Context, person: Person) -> Person:
    """The person with a display name filled in (from the event or the platform's directory)."""
    name = await display_name(ctx, person)
    return Person(person.platform, person.workspace, person.user_id, name)


def asker_place(ctx: Context) -> Place:
    """Where answers reach the asker: where they asked; a slash command's answers go to the DM."""
    place = ctx.event.place
    if place.kind == "slash":
        person = ctx.event.person
        return Place(person.platform, person.workspace, person.user_id, "dm")
    return place


async def open_ticket(
    ctx: Context, question: Question, *, unhelpful_article: str | None = None, origin: str = "escalate",
) -> Ticket:
    """Open a ticket for a logged question, post the advisers' card and the asker's receipt."""
    existing = await store.for_question(ctx.session, question.id or 0)
    if existing is not None:
        return existing
    kb = ctx.services.knowledge.current
    near_ids = [i for i in ([unhelpful_article] if unhelpful_article else []) + list(question.suggestions) if i]
    near_articles = [a for a in (kb.get(i) for i in dict.fromkeys(near_ids)) if a]
    if not near_articles and question.text and question.outcome != "escalate":
        # (an escalated question was just asked and found nothing near enough: asking again would too)
        scored = kb.ask(question.text)
        near_articles = list(scored.suggestions) or ([scored.article] if scored.article else [])
    asker = await named(ctx, ctx.event.person)
    now = ctx.now()
    place = asker_place(ctx)
    ticket = Ticket(
        status="open", created_at=now, updated_at=now, platform=asker.platform, workspace=asker.workspace,
        asker_user_id=asker.user_id, asker_name=asker.name[:200], asker_place=place.to_json(), lang=ctx.lang,
        question_id=question.id, question_text=question.text, unhelpful_article_id=unhelpful_article,
        near_misses=[a.id for a in near_articles[:3]],
        route=choose_route(ctx.settings, question.text or "", near_articles),
        deadline_at=deadline_for(now, ctx.settings), origin=origin,
    )
    ticket.sla_check_at = first_check(ticket, ctx.settings)
    ctx.session.add(ticket)
    await ctx.session.flush()
    await store.audit(ctx, ticket, "opened", asker)
    await refresh_cards(ctx, ticket)
    if ctx.event.place.kind == "slash":
        ctx.reply(text_message(ctx, "ticket.opened_elsewhere", number=ticket.number, deadline=deadline_text(ctx, ticket)))
    return ticket


async def refresh_cards(ctx: Context, ticket: Ticket, *, asker: bool = True) -> None:
    """Bring the advisers' card (and the asker's receipt) up to date with the ticket."""
    history = await store.history(ctx.session, ticket.id or 0)
    advisers = await known_advisers(ctx)
    place = adviser_place(ctx.settings, ticket.route, ticket.platform)
    ctx.out.card(adviser_card_key(ticket), place, adviser_card(ctx, ticket, history, advisers))
    if asker and (asker_at := place_of(ticket.asker_place)) is not None:
        ctx.out.card(asker_card_key(ticket), asker_at, asker_card(ctx, ticket))


async def known_advisers(ctx: Context) -> list[tuple[str, str]]:
    """(person key, name) of advisers to assign to: the configured list and everyone who has
    worked a ticket."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    rows = await ctx.session.execute(
        select(TicketEvent.actor_key, TicketEvent.actor_name)
        .where(TicketEvent.kind.in_(ADVISER_EVENT_KINDS), TicketEvent.actor_key.is_not(None))  # type: ignore[attr-defined,union-attr]
        .distinct()
        .limit(200)
    )
    for key, name in rows:
        if person := person_from_key(key or ""):
            found[(person.platform, person.user_id)] = (key, name or person.user_id)
    for item in sorted(ctx.settings.adviser_keys):
        platform, _, user_id = item.partition(":")
        if (platform, user_id) in found:
            continue
        record = (
            await ctx.session.execute(
                select(UserRecord).where(UserRecord.platform == platform, UserRecord.user_id == user_id).limit(1)
            )
        ).scalar_one_or_none()
        workspace = record.workspace if record else ""
        found[(platform, user_id)] = (f"{platform}:{workspace}:{user_id}", (record.name if record else "") or user_id)
    return sorted(found.values(), key=lambda pair: pair[1].lower())


def person_from_key(key: str, name: str = "") -> Person | None:
    parts = key.split(":", 2)
    if len(parts) != 3 or not parts[2]:
        return None
    return Person(parts[0], parts[1], parts[2], name)
