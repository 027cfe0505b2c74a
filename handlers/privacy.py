"""A person's own data, in chat: "mine data" shows what is stored, "slett mine data" erases it
after a confirmation button. Both only in a DM (or a slash command's private answer), and
both are audited. The button's value names the person it was offered to and when; the click
is checked against who pressed it, and an old confirmation does nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.core.context import Context
from bot.core.model import Button, Message, buttons, markdown
from handlers.timefmt import short_datetime

from . import retention
from .cards import text_message
from .router import Handler, Router

router = Router()
CONFIRM_MINUTES = 15
SHOW = {"mine data", "dataene mine", "dataa mine", "mine opplysninger", "mine opplysningar",
        "hva vet du om meg", "kva veit du om meg", "hva har du lagret om meg", "kva har du lagra om meg"}
DELETE = {"slett mine data", "slett dataene mine", "slett dataa mine", "slett mine opplysninger",
          "slett mine opplysningar", "slett alt om meg", "slett meg", "glem meg"}


async def tell_masked(ctx: Context, call_next: Handler) -> None:
    """Middleware: whoever wrote a national id (asker or adviser) is told, privately and first,
    that it was removed before anything was stored or forwarded (bot.core.inbox masks it)."""
    if ctx.event.masked:
        ctx.reply(_private(ctx, text_message(ctx, "privacy.masked")))
    await call_next(ctx)


def _matches(phrases: set[str]):  # type: ignore[no-untyped-def]
    return lambda text: text.rstrip("!?. ") in phrases


def _private(ctx: Context, message: Message) -> Message:
    return replace(message, ephemeral=True)


def _in_private(ctx: Context, command: str) -> bool:
    """Only where nobody else reads along; elsewhere, say where to ask."""
    if ctx.event.place.kind in ("dm", "slash"):
        return True
    ctx.reply(_private(ctx, text_message(ctx, "privacy.only_in_dm", command=command)))
    return False


@router.on_command(_matches(SHOW))
async def show_my_data(ctx: Context) -> None:
    if not _in_private(ctx, "mine data"):
        return
    person = ctx.event.person
    questions, numbers = await retention.counts_for(ctx.session, person)
    name = person.name or await ctx.services.directory(person.platform).display_name(person) or person.user_id
    lines = [ctx.t("privacy.summary.name", name=name)]
    if questions:
        oldest = await retention.oldest_question(ctx.session, person)
        lines.append(ctx.t("privacy.summary.questions", count=questions,
                           oldest=short_datetime(oldest, ctx.settings.tz, ctx.lang) if oldest else "?"))
    else:
        lines.append(ctx.t("privacy.summary.no_questions"))
    if numbers:
        shown = ", ".join(f"#{n}" for n in numbers[-20:])
        lines.append(ctx.t("privacy.summary.tickets", count=len(numbers), numbers=shown))
    else:
        lines.append(ctx.t("privacy.summary.no_tickets"))
    heading = ctx.t("privacy.summary.heading")
    body = f"**{heading}**\n" + "\n".join(f"• {line}" for line in lines) + "\n\n" + ctx.t(
        "privacy.summary.rules", days=ctx.settings.retention_days)
    ctx.reply(_private(ctx, Message(text=heading, blocks=(markdown(body),))))
    await retention.audit(ctx.session, ctx.now(), "view", person.key, person.key,
                          {"questions": questions, "tickets": len(numbers)})


@router.on_command(_matches(DELETE))
async def ask_to_delete(ctx: Context) -> None:
    if not _in_private(ctx, "slett mine data"):
        return
    person = ctx.event.person
    questions, numbers = await retention.counts_for(ctx.session, person)
    value = f"{person.user_id}|{int(ctx.now().timestamp())}"
    text = ctx.t("privacy.confirm", questions=questions, tickets=len(numbers))
    ctx.reply(_private(ctx, Message(
        text=ctx.t("privacy.confirm_fallback"),
        blocks=(markdown(text), buttons(
            Button(ctx.t("button.privacy_delete"), "privacy_delete", value, "danger"),
            Button(ctx.t("button.privacy_cancel"), "privacy_cancel", person.user_id),
        )),
    )))


def _offered_to(ctx: Context) -> tuple[str, int | None]:
    """(user id, issued at) from the button value; never trusted beyond this check."""
    value = ctx.event.action.value if ctx.event.action else ""
    user_id, _, issued = value.partition("|")
    return user_id, int(issued) if issued.isdigit() else None


@router.on_action("privacy_delete")
async def delete_my_data(ctx: Context) -> None:
    person = ctx.event.person
    user_id, issued = _offered_to(ctx)
    if user_id != person.user_id:
        ctx.reply(_private(ctx, text_message(ctx, "error.not_yours")))
        return
    now = ctx.now()
    if issued is None or not (0 <= now.timestamp() - issued <= timedelta(minutes=CONFIRM_MINUTES).total_seconds()):
        ctx.reply(_private(ctx, text_message(ctx, "privacy.expired")))
        return
    counts = await retention.forget_person(ctx, retention.Subject.of(person), actor=person.key)
    ctx.reply(_private(ctx, text_message(ctx, "privacy.deleted", questions=counts["questions"],
                                         tickets=counts["tickets"])))


@router.on_action("privacy_cancel")
async def cancel(ctx: Context) -> None:
    ctx.reply(_private(ctx, text_message(ctx, "privacy.cancelled")))
