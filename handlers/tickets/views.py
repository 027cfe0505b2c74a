"""The ticket cards: the advisers' card (updated in place) and what the asker sees."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from bot.core.model import Block, Button, Form, Message, Place, buttons, fields, heading, markdown, note, plain, select
from bot.core.tables import Ticket, TicketEvent
from handlers.sla.calendar import calendar_for
from handlers.timefmt import duration, long_datetime, short_datetime

ICONS = {"open": "🟢", "claimed": "🟡", "answered": "🔵", "resolved": "✅", "withdrawn": "⚪"}
WARNING_ICON = "🟠"
BREACHED_ICON = "🔴"
WARN_BEFORE_HOURS = 8


def adviser_card_key(ticket: Ticket) -> str:
    return f"ticket:{ticket.id}:advisers"


def asker_card_key(ticket: Ticket) -> str:
    return f"ticket:{ticket.id}:asker"


def answer_card_key(ticket: Ticket, message_id: int) -> str:
    return f"ticket:{ticket.id}:answer:{message_id}"


def asker_status(ctx: Context, ticket: Ticket) -> str:
    return ctx.t(f"status.{ticket.status}", name=ticket.assignee_name or "")


def deadline_text(ctx: Context, ticket: Ticket) -> str:
    return long_datetime(ticket.deadline_at, ctx.settings.tz, ctx.lang)


def _icon(ctx: Context, ticket: Ticket) -> str:
    if ticket.status in ("resolved", "withdrawn"):
        return ICONS[ticket.status]
    if ticket.paused_at is not None and ticket.breached_at is None:
        return ICONS[ticket.status]  # the clock stands still while the asker is asked
    if ticket.breached_at is not None or ticket.deadline_at <= ctx.now():
        return BREACHED_ICON if ticket.first_answer_at is None else ICONS[ticket.status]
    if ticket.first_answer_at is None and _counted_left(ctx, ticket) <= WARN_BEFORE_HOURS * 3600:
        return WARNING_ICON
    return ICONS[ticket.status]


def _counted_left(ctx: Context, ticket: Ticket) -> float:
    """Seconds left to the deadline as the promise counts them: real time, or working time on
    the business calendar (so that the card agrees with the reminders)."""
    return calendar_for(ctx.settings).between(ctx.now(), ticket.deadline_at)


def _history_line(ctx: Context, event: TicketEvent) -> str:
    time = short_datetime(event.at, ctx.settings.tz, ctx.lang).split(" ", 1)[1]
    return ctx.t(f"history.{event.kind}", time=time, actor=event.actor_name or "?",
                 target=event.data.get("target_name", ""), topic=event.data.get("topic", ""))


def adviser_card(ctx: Context, ticket: Ticket, history: list[TicketEvent], advisers: list[tuple[str, str]]) -> Message:
    number = ticket.number
    status = ctx.t(f"card.status.{ticket.status}", name=ticket.assignee_name or "?")
    closed = ticket.status in ("resolved", "withdrawn")
    if closed:
        title = ctx.t("card.heading_closed", icon=_icon(ctx, ticket), number=number, status=status)
    else:
        left = ticket.deadline_at - ctx.now()
        if left.total_seconds() > 0:
            key = "sla.card.left_business" if ctx.settings.sla_calendar == "business" else "card.left"
            left_text = ctx.t(key, duration=duration(timedelta(seconds=_counted_left(ctx, ticket))))
        else:
            left_text = ctx.t("card.overdue", duration=duration(-left))
        if ticket.first_answer_at is not None:
            left_text = ctx.t("card.status.answered", name=ticket.assignee_name or "?").lower()
        elif ticket.paused_at is not None:
            left_text = ctx.t("sla.card.paused_left")
        title = ctx.t("card.heading", icon=_icon(ctx, ticket), number=number, status=status,
                      deadline=short_datetime(ticket.deadline_at, ctx.settings.tz, ctx.lang), left=left_text)
    workspace = ctx.settings.workspace_name_map.get(ticket.workspace, ticket.workspace)
    asker = ", ".join(x for x in (ticket.asker_name, workspace) if x)
    blocks: list[Block] = [
        heading(title),
        plain(f"«{ticket.question_text}»") if ticket.question_text is not None else note(ctx.t("privacy.text_removed")),
        fields(
            (ctx.t("card.field.from"), asker or "?"),
            (ctx.t("card.field.created"), short_datetime(ticket.created_at, ctx.settings.tz, ctx.lang)),
            (ctx.t("card.field.deadline"), short_datetime(ticket.deadline_at, ctx.settings.tz, ctx.lang)),
            (ctx.t("card.field.assignee"), ticket.assignee_name or ctx.t("card.nobody")),
            (ctx.t("card.field.topic"), ticket.topic or "–"),
        ),
    ]
    kb = ctx.services.knowledge.current
    if ticket.unhelpful_article_id and (article := kb.get(ticket.unhelpful_article_id)):
        blocks.append(note(ctx.t("card.unhelpful", title=article.title)))
    titles = [a.title for a in (kb.get(i) for i in ticket.near_misses) if a]
    if titles:
        blocks.append(note(ctx.t("card.near", titles=" · ".join(titles[:3]))))
    if ticket.paused_at is not None and not closed:
        blocks.append(note(ctx.t("sla.card.paused", since=short_datetime(ticket.paused_at, ctx.settings.tz, ctx.lang))))
    if ticket.breached_at is not None and ticket.first_answer_at is None and not closed:
        told = bool(ctx.settings.manager_keys or ctx.settings.managers_place)
        blocks.append(note(ctx.t("sla.card.breached" if told else "sla.card.breached_quiet",
                                 deadline=short_datetime(ticket.deadline_at, ctx.settings.tz, ctx.lang))))
    if history:
        blocks.append(note(ctx.t("card.history", lines=" · ".join(_history_line(ctx, e) for e in history))))
    value = str(ticket.id)
    answer = Button(ctx.t("button.answer"), "ticket_answer", value, "primary",
                    Form(ctx.t("form.answer.title", number=number), ctx.t("form.answer.label"), ctx.t("form.send")))
    label = "form.ask_asker.label" if ctx.settings.sla_pause_on_question and ticket.first_answer_at is None \
        else "form.ask_asker.label_no_pause"
    ask = Button(ctx.t("button.ask_asker"), "ticket_ask_asker", value, "default",
                 Form(ctx.t("form.ask_asker.title"), ctx.t(label), ctx.t("form.send")))
    if ticket.status == "open":
        row = [Button(ctx.t("button.claim"), "ticket_claim", value, "primary"), answer,
               Button(ctx.t("button.resolve"), "ticket_resolve", value), ask]
    elif ticket.status == "claimed":
        row = [answer, Button(ctx.t("button.release"), "ticket_release", value), Button(ctx.t("button.resolve"), "ticket_resolve", value), ask]
    elif ticket.status == "answered":
        row = [answer, Button(ctx.t("button.resolve"), "ticket_resolve", value), ask]
    elif ticket.status == "resolved":
        row = [Button(ctx.t("button.reopen"), "ticket_reopen", value)]
    else:
        row = []
    if row:
        blocks.append(buttons(*row))
    if not closed:
        if advisers:
            blocks.append(select(ctx.t("select.assign"), "ticket_assign",
                                 [(name, f"{ticket.id}|{key}") for key, name in advisers][:100]))
        blocks.append(select(ctx.t("select.topic"), "ticket_topic",
                             [(topic, f"{ticket.id}|{topic}") for topic in ctx.settings.topics]))
    return Message(text=ctx.t("card.fallback", number=number, status=status), blocks=tuple(blocks))


def asker_card(ctx: Context, ticket: Ticket) -> Message:
    """The asker's receipt: number, deadline, status; buttons while the ticket is open."""
    number = ticket.number
    opened_key = "ticket.opened" if ticket.origin == "escalate" else "ticket.opened_on_request"
    text = ctx.t(opened_key, number=number, deadline=deadline_text(ctx, ticket))
    blocks: list[Block] = [markdown(text)]
    if ticket.status != "open":
        blocks.append(note(ctx.t("ticket.status_line", status=asker_status(ctx, ticket))))
    if ticket.status in ("open", "claimed", "answered"):
        value = str(ticket.id)
        blocks.append(buttons(
            Button(ctx.t("button.add_details"), "ticket_details", value, form=Form(
                ctx.t("form.details.title"), ctx.t("form.details.label"), ctx.t("form.send"))),
            Button(ctx.t("button.withdraw"), "ticket_withdraw", value, "danger"),
        ))
    return Message(text=ctx.t("ticket.fallback", number=number), blocks=tuple(blocks))


def answer_card(ctx: Context, ticket: Ticket, adviser_name: str, text: str) -> Message:
    value = str(ticket.id)
    return Message(
        text=ctx.t("ticket.answer_fallback", number=ticket.number),
        blocks=(
            heading(ctx.t("ticket.answer_heading", name=adviser_name, number=ticket.number)),
            plain(text),
            buttons(
                Button(ctx.t("button.thanks"), "ticket_thanks", value, "primary"),
                Button(ctx.t("button.follow_up"), "ticket_follow_up", value, form=Form(
                    ctx.t("form.follow_up.title"), ctx.t("form.follow_up.label"), ctx.t("form.send"))),
            ),
        ),
    )


def safe_name(name: str) -> str:
    """A display name is user data: no formatting, links or mentions when it sits in Markdown."""
    return "".join(ch for ch in name if ch not in "*_~`[]<>|#").strip() or "?"


def quoted(ctx: Context, key: str, name: str, text: str) -> Message:
    """A line for the ticket thread: who wrote, then their words as plain text."""
    intro = ctx.t(key, name=safe_name(name))
    return Message(text=intro, blocks=(markdown(intro), plain(text)))


def place_of(data: dict | None) -> Place | None:  # type: ignore[type-arg]
    return Place(**data) if data else None
