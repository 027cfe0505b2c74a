"""The digest as a neutral message (and its chart as a second one), in the reader's language."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.core.catalogue import t
from bot.core.model import Block, Message, fields, heading, image, markdown, note, plain
from handlers.timefmt import MONTHS, WEEKDAYS, duration, short_datetime

from . import chart
from .period import midnight
from .report import Report

LIST_LIMIT = 10


@dataclass(frozen=True)
class Look:
    """How to say it: language, time zone, the promise's hours, names for ids."""

    lang: str
    tz: ZoneInfo
    sla_hours: float
    workspace_names: dict[str, str]
    article_title: Callable[[str], str]

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def municipality(self, workspace: str) -> str:
        return self.workspace_names.get(workspace, workspace or "?")

    def plural(self, key: str, count: int) -> str:
        """'sak' / 'saker': the catalogue's key.one or key.other."""
        return self.t(f"{key}.one" if count == 1 else f"{key}.other")

    @property
    def hours(self) -> str:
        return f"{self.sla_hours:g}"


def percent(value: float) -> int:
    """Half up, as people round (Python's round() rounds 12.5 to 12)."""
    return math.floor(value * 100 + 0.5)


def change(look: Look, current: int, previous: int) -> str:
    """' (↑ 12 %)' against the previous period; nothing when there is nothing to compare with."""
    if previous <= 0:
        return ""
    amount = math.floor(abs(current - previous) / previous * 100 + 0.5)
    if amount == 0:
        return look.t("digest.change.same")
    return look.t("digest.change.up" if current > previous else "digest.change.down", percent=amount)


def share_text(look: Look, part: int, whole: int) -> str:
    return look.t("digest.percent", percent=percent(part / whole)) if whole else look.t("digest.share.none")


def _day(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def title(report: Report, look: Look) -> str:
    period = report.period
    first, last = period.local_dates(look.tz)
    whole_days = period.start == midnight(first, look.tz) and period.end == midnight(last + timedelta(days=1), look.tz)
    if period.kind != "rolling" and whole_days and first.weekday() == 0 and (last - first).days == 6:
        return look.t("digest.title.week", week=first.isocalendar().week)
    if period.kind == "day":
        weekday = WEEKDAYS.get(look.lang, WEEKDAYS["nb"])[first.weekday()]
        return look.t("digest.title.day", date=f"{weekday} {first.day}. {MONTHS[first.month - 1]}")
    if period.kind == "rolling":
        return look.t("digest.title.rolling", days=round(period.length / timedelta(days=1)))
    return look.t("digest.title.range", first=_day(first), last=_day(last))


def digest_message(report: Report, look: Look) -> Message:
    heading_text = title(report, look)
    now, before, promise = report.activity, report.before, report.promise
    first, last = report.period.local_dates(look.tz)
    prev_first, prev_last = report.previous.local_dates(look.tz)
    period_line = look.t("digest.period", first=_day(first), last=_day(last), prev_first=_day(prev_first),
                         prev_last=_day(prev_last))
    if report.workspace:
        period_line += " · " + look.t("digest.scope", name=look.municipality(report.workspace))
    blocks: list[Block] = [heading(heading_text), note(period_line)]

    blocks.append(markdown(look.t(
        "digest.questions", questions=now.questions, questions_change=change(look, now.questions, before.questions),
        answered=now.answered, answered_share=share_text(look, now.answered, now.questions),
        suggested=now.suggested, tickets=now.tickets_opened, tickets_word=look.plural("digest.tickets", now.tickets_opened),
        tickets_change=change(look, now.tickets_opened, before.tickets_opened),
    )))
    blocks.append(markdown(look.t(
        "digest.tickets", answered=now.tickets_answered,
        answered_change=change(look, now.tickets_answered, before.tickets_answered),
        resolved=now.resolved, resolved_change=change(look, now.resolved, before.resolved),
        withdrawn=now.withdrawn, withdrawn_change=change(look, now.withdrawn, before.withdrawn),
    )))
    blocks.append(markdown(_promise_line(report, look)))
    if report.breaches:
        lines = [
            look.t("digest.breach.line", number=b.number, municipality=look.municipality(b.workspace),
                   adviser=b.adviser or look.t("digest.breach.nobody"),
                   deadline=short_datetime(b.deadline_at, look.tz, look.lang))
            for b in report.breaches[:LIST_LIMIT]
        ]
        if len(report.breaches) > LIST_LIMIT:
            lines.append(look.t("digest.more", count=len(report.breaches) - LIST_LIMIT))
        blocks += [markdown(look.t("digest.breaches.heading")), plain("\n".join(lines))]
    blocks.append(markdown(look.t("digest.open", open=report.open_now, at_risk=report.at_risk, overdue=report.overdue)))

    blocks.append(markdown(_knowledge_lines(report, look)))
    if report.gaps:
        lines = [look.t("digest.gaps.item", rank=i, text=gap.label, count=gap.count)
                 for i, gap in enumerate(report.gaps, start=1)]
        blocks += [markdown(look.t("digest.gaps.heading")), plain("\n".join(lines))]
    else:
        blocks.append(markdown(look.t("digest.gaps.none")))

    if report.advisers:
        blocks.append(markdown(f"**{look.t('digest.advisers.heading')}**"))
        blocks.append(fields(*[(a.name, look.t("digest.advisers.line", handled=a.handled, open=a.open,
                                                open_word=look.plural("digest.open", a.open)))
                               for a in report.advisers[:LIST_LIMIT]]))
        if len(report.advisers) > LIST_LIMIT:
            blocks.append(note(look.t("digest.more", count=len(report.advisers) - LIST_LIMIT)))
    if len(report.municipalities) > 1:
        blocks.append(markdown(f"**{look.t('digest.municipalities.heading')}**"))
        blocks.append(fields(*[
            (look.municipality(m.workspace),
             look.t("digest.municipality.line", questions=m.questions, tickets=m.tickets, breached=m.breached,
                    tickets_word=look.plural("digest.tickets", m.tickets),
                    answered_share=share_text(look, m.answered, m.questions)))
            for m in report.municipalities[:LIST_LIMIT]
        ]))
        if len(report.municipalities) > LIST_LIMIT:
            blocks.append(note(look.t("digest.more", count=len(report.municipalities) - LIST_LIMIT)))
    if not now.questions and not now.tickets_opened and not promise.due:
        blocks.insert(2, note(look.t("digest.empty")))

    fallback = look.t("digest.fallback", title=heading_text, questions=now.questions, tickets=now.tickets_opened,
                      share=share_text(look, promise.kept, promise.due))
    return Message(text=fallback, blocks=tuple(blocks))


def _promise_line(report: Report, look: Look) -> str:
    promise, before = report.promise, report.promise_before
    if promise.due:
        points = ""
        if before.due:
            diff = percent(promise.kept / promise.due) - percent(before.kept / before.due)
            key = "digest.points.up" if diff > 0 else "digest.points.down" if diff < 0 else "digest.points.same"
            points = look.t(key, points=abs(diff))
        parts = [look.t("digest.promise.share", hours=look.hours, kept=promise.kept, due=promise.due,
                        share=share_text(look, promise.kept, promise.due), change=points)]
    else:
        parts = [look.t("digest.promise.no_due", hours=look.hours)]
    if promise.median_seconds is not None and promise.p90_seconds is not None:
        parts.append(look.t("digest.promise.median", median=duration(timedelta(seconds=promise.median_seconds))))
        parts.append(look.t("digest.promise.p90", p90=duration(timedelta(seconds=promise.p90_seconds))))
    parts.append(look.t("digest.promise.breaches", count=promise.breached))
    return " · ".join(parts)


def _knowledge_lines(report: Report, look: Look) -> str:
    lines = [f"**{look.t('digest.kb.heading')}**"]
    if report.top_articles:
        items = " · ".join(look.t("digest.kb.item", rank=i, title=look.article_title(a.article_id), count=a.used)
                           for i, a in enumerate(report.top_articles, start=1))
        lines.append(look.t("digest.kb.top", items=items))
    else:
        lines.append(look.t("digest.kb.none"))
    if report.disliked:
        items = " · ".join(look.t("digest.kb.disliked_item", title=look.article_title(a.article_id), down=a.down,
                                  rated=a.rated) for a in report.disliked)
        lines.append(look.t("digest.kb.disliked", items=items))
    return "\n".join(lines)


def chart_points(report: Report) -> list[chart.Point]:
    return [
        chart.Point(f"{b.start.day}.{b.start.month}", b.questions, b.tickets, b.kept / b.due if b.due else None)
        for b in report.buckets
    ]


def chart_message(report: Report, look: Look) -> Message:
    """The chart on its own: Slack uploads it as a file, Teams shows it in a card."""
    png = chart.render(chart_points(report))
    unit = look.t(f"digest.chart.unit.{report.bucket_unit}")
    alt = look.t("digest.chart.alt", unit=unit, hours=look.hours)
    return Message(
        text=look.t("digest.chart.fallback", title=title(report, look)),
        blocks=(image(png, alt), note(look.t("digest.chart.legend", hours=look.hours))),
    )
