"""The numbers of a digest, from the question log and the tickets with their audit trail.

Definitions (the README of the numbers; tests compute each one by hand):
- questions: questions logged in the period, small talk excluded. answered: the bot gave an
  article (outcome answer, or the asker picked one of the suggestions). suggested: the bot
  offered suggestions (suggest or picked). unanswered (the knowledge gaps): escalate or suggest.
- tickets opened: created in the period; answered: first adviser answer in the period;
  resolved / withdrawn: tickets with such an audit event in the period (each ticket once).
- the 48-hour promise, for the tickets whose deadline fell in the period: kept = first answer at
  or before the deadline; breached = marked breached by the SLA sweep, answered late, or still
  unanswered at the deadline. Tickets closed (withdrawn, resolved) before their deadline without
  an answer count as neither. share = kept / (kept + breached).
- time to first answer (median, 90th percentile by nearest rank): over tickets first answered
  in the period; time paused (waiting for the asker) does not count. Counted on the SLA
  calendar: working time when SLA_CALENDAR=business (the paused time is stored that way).
- open now: tickets waiting for an adviser (open or claimed) at `now`; at risk: of those, not
  yet answered and due in the next 24 hours; overdue: not yet answered and past the deadline.
- handled per adviser: tickets the adviser answered in the period; open per adviser: tickets
  assigned to them and waiting now.
Every count compares with the previous period of the same length.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, case, distinct, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.tables import Question, Ticket, TicketEvent
from handlers.sla.calendar import SlaCalendar

from . import gaps as gap_groups
from .period import Period

WAITING = ("open", "claimed")
ANSWERED = ("answer", "picked")
SUGGESTED = ("suggest", "picked")
UNANSWERED = ("escalate", "suggest")
AT_RISK = timedelta(hours=24)
DAILY_UP_TO_DAYS = 62
MAX_GAP_TEXTS = 50_000


@dataclass
class Activity:
    questions: int = 0
    answered: int = 0
    suggested: int = 0
    tickets_opened: int = 0
    tickets_answered: int = 0
    resolved: int = 0
    withdrawn: int = 0


@dataclass
class Promise:
    kept: int = 0
    breached: int = 0
    answered: int = 0
    median_seconds: float | None = None
    p90_seconds: float | None = None

    @property
    def due(self) -> int:
        return self.kept + self.breached

    @property
    def share(self) -> float | None:
        return self.kept / self.due if self.due else None


@dataclass
class Breach:
    number: int
    workspace: str
    adviser: str
    deadline_at: datetime
    first_answer_at: datetime | None


@dataclass
class ArticleUse:
    article_id: str
    used: int
    down: int
    rated: int


@dataclass
class AdviserLine:
    key: str
    name: str
    handled: int = 0
    open: int = 0


@dataclass
class MunicipalityLine:
    workspace: str
    questions: int = 0
    answered: int = 0
    tickets: int = 0
    breached: int = 0


@dataclass
class Bucket:
    start: date  # local day (or the Monday of a local week)
    questions: int = 0
    tickets: int = 0
    due: int = 0
    kept: int = 0


@dataclass
class Report:
    period: Period
    previous: Period
    now: datetime
    workspace: str | None = None
    activity: Activity = field(default_factory=Activity)
    before: Activity = field(default_factory=Activity)
    promise: Promise = field(default_factory=Promise)
    promise_before: Promise = field(default_factory=Promise)
    breaches: list[Breach] = field(default_factory=list)
    open_now: int = 0
    at_risk: int = 0
    overdue: int = 0
    top_articles: list[ArticleUse] = field(default_factory=list)
    disliked: list[ArticleUse] = field(default_factory=list)
    gaps: list[gap_groups.Gap] = field(default_factory=list)
    advisers: list[AdviserLine] = field(default_factory=list)
    municipalities: list[MunicipalityLine] = field(default_factory=list)
    buckets: list[Bucket] = field(default_factory=list)
    bucket_unit: str = "day"

    def to_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, (datetime, date)):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value

        data = plain(asdict(self))
        for name in ("promise", "promise_before"):
            promise: Promise = getattr(self, name)
            data[name].update(due=promise.due, share=promise.share)
        return data


@dataclass
class _TicketRow:
    id: int
    workspace: str
    status: str
    created_at: datetime
    deadline_at: datetime
    first_answer_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    breached_at: datetime | None
    paused_at: datetime | None
    paused_seconds: float
    assignee_key: str | None
    assignee_name: str

    @property
    def number(self) -> int:
        return 1000 + self.id

    def kept(self) -> bool:
        return self.breached_at is None and self.first_answer_at is not None and self.first_answer_at <= self.deadline_at

    def breached(self, now: datetime) -> bool:
        if self.breached_at is not None:
            return True
        if self.first_answer_at is not None:
            return self.first_answer_at > self.deadline_at
        if self.paused_at is not None:
            return False  # the clock is stopped while the ticket waits for the asker
        closed = self.closed_at or self.resolved_at
        if closed is not None and closed <= self.deadline_at:
            return False  # withdrawn or closed in time, no promise left to keep
        return self.deadline_at <= now

    def answer_seconds(self, calendar: SlaCalendar | None = None) -> float:
        """Time to the first answer, less the time paused. paused_seconds is counted on the SLA
        calendar (working seconds on the business calendar), so the elapsed time is too."""
        assert self.first_answer_at is not None
        if calendar is None or not calendar.business:
            elapsed = (self.first_answer_at - self.created_at).total_seconds()
        else:
            elapsed = calendar.between(self.created_at, self.first_answer_at)
        return max(0.0, elapsed - (self.paused_seconds or 0.0))


async def build_report(
    session: AsyncSession,
    period: Period,
    *,
    now: datetime,
    tz: ZoneInfo,
    workspace: str | None = None,
    top: int = 5,
    gap_count: int = 5,
    calendar: SlaCalendar | None = None,
) -> Report:
    """The digest's numbers. calendar: the SLA calendar (settings), for the time to first answer;
    None counts real time."""
    previous = period.previous(tz)
    report = Report(period=period, previous=previous, now=now, workspace=workspace)
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"

    await _questions(session, report, workspace, top)
    report.gaps = gap_groups.group(await _unanswered_texts(session, period, workspace), limit=gap_count)
    tickets = await _tickets(session, previous.start, period.end, workspace, dialect)
    _ticket_numbers(report, tickets, calendar)
    await _ticket_events(session, report, workspace)
    await _advisers(session, report, tickets, workspace)
    await _series(session, report, tickets, tz, dialect, workspace)
    return report


def _in(column: Any, start: datetime, end: datetime) -> Any:
    return (column >= start) & (column < end)


async def _questions(session: AsyncSession, report: Report, workspace: str | None, top: int) -> None:
    """Questions by municipality, outcome and article, this period and the one before: one scan."""
    period, previous = report.period, report.previous
    current = case((Question.asked_at >= period.start, 1), else_=0).label("current")
    query = (
        select(
            Question.workspace, Question.outcome, current, Question.article_id, func.count(),
            func.sum(case((Question.feedback == "down", 1), else_=0)), func.count(Question.feedback),
        )
        .where(_in(Question.asked_at, previous.start, period.end), Question.outcome != "smalltalk")
        .group_by(Question.workspace, Question.outcome, current, Question.article_id)
    )
    if workspace:
        query = query.where(Question.workspace == workspace)
    places: dict[str, MunicipalityLine] = {}
    uses: dict[str, ArticleUse] = {}
    for ws, outcome, is_current, article_id, count, down, rated in await session.execute(query):
        activity = report.activity if is_current else report.before
        answered = count if outcome in ANSWERED else 0
        activity.questions += count
        activity.answered += answered
        activity.suggested += count if outcome in SUGGESTED else 0
        if is_current:
            line = places.setdefault(ws, MunicipalityLine(ws))
            line.questions += count
            line.answered += answered
            if answered and article_id is not None:
                use = uses.setdefault(article_id, ArticleUse(str(article_id), 0, 0, 0))
                use.used += count
                use.down += int(down or 0)
                use.rated += int(rated or 0)
    report.municipalities = list(places.values())
    report.top_articles = sorted(uses.values(), key=lambda u: (-u.used, u.article_id))[:top]
    report.disliked = sorted((u for u in uses.values() if u.down), key=lambda u: (-u.down, -u.used, u.article_id))[:top]


async def _unanswered_texts(session: AsyncSession, period: Period, workspace: str | None) -> list[str]:
    """Newest first (so that equal groups list the more recent one first), at most MAX_GAP_TEXTS."""
    query = select(Question.id, Question.text).where(
        _in(Question.asked_at, period.start, period.end), Question.outcome.in_(UNANSWERED),  # type: ignore[attr-defined]
        Question.text.is_not(None),  # type: ignore[union-attr]
    )
    if workspace:
        query = query.where(Question.workspace == workspace)
    rows = sorted((await session.execute(query)).all(), reverse=True)  # ids grow with time; sorting here is cheap
    return [text for _, text in rows[:MAX_GAP_TEXTS] if text]


_TIMES = (3, 4, 5, 6, 7, 8, 9)  # the datetime columns of _TicketRow, by position


def _utc(value: Any) -> datetime | None:
    """A stored time: SQLite hands over its text when asked to (parsing it here is several times
    cheaper than the ORM's per-value processing), PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value is not None else None
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


async def _tickets(
    session: AsyncSession, start: datetime, end: datetime, workspace: str | None, dialect: str = "sqlite"
) -> list[_TicketRow]:
    """Tickets that matter for [start, end) or for now: created, due or answered in it, or waiting."""
    columns: list[Any] = [Ticket.id, Ticket.workspace, Ticket.status, Ticket.created_at, Ticket.deadline_at,
                          Ticket.first_answer_at, Ticket.resolved_at, Ticket.closed_at, Ticket.breached_at,
                          Ticket.paused_at, Ticket.paused_seconds, Ticket.assignee_key, Ticket.assignee_name]
    if dialect == "sqlite":
        columns = [type_coerce(c, String) if i in _TIMES else c for i, c in enumerate(columns)]
    query = select(*columns).where(
        or_(
            _in(Ticket.created_at, start, end),
            _in(Ticket.deadline_at, start, end),
            _in(Ticket.first_answer_at, start, end),
            Ticket.status.in_(WAITING),  # type: ignore[attr-defined]
        )
    )
    if workspace:
        query = query.where(Ticket.workspace == workspace)
    rows = []
    for row in await session.execute(query):
        values = list(row)
        for i in _TIMES:
            values[i] = _utc(values[i])
        rows.append(_TicketRow(*values))
    return rows


def _ticket_numbers(report: Report, tickets: list[_TicketRow], calendar: SlaCalendar | None = None) -> None:
    period, previous, now = report.period, report.previous, report.now
    places = {line.workspace: line for line in report.municipalities}
    seconds: dict[bool, list[float]] = {True: [], False: []}
    for ticket in tickets:
        for is_current, span in ((True, period), (False, previous)):
            activity = report.activity if is_current else report.before
            promise = report.promise if is_current else report.promise_before
            if span.start <= ticket.created_at < span.end:
                activity.tickets_opened += 1
                if is_current:
                    places.setdefault(ticket.workspace, MunicipalityLine(ticket.workspace)).tickets += 1
            if ticket.first_answer_at is not None and span.start <= ticket.first_answer_at < span.end:
                activity.tickets_answered += 1
                seconds[is_current].append(ticket.answer_seconds(calendar))
            if span.start <= ticket.deadline_at < span.end and ticket.deadline_at <= now:
                if ticket.kept():
                    promise.kept += 1
                elif ticket.breached(now):
                    promise.breached += 1
                    if is_current:
                        report.breaches.append(Breach(ticket.number, ticket.workspace, ticket.assignee_name,
                                                      ticket.deadline_at, ticket.first_answer_at))
                        places.setdefault(ticket.workspace, MunicipalityLine(ticket.workspace)).breached += 1
        if ticket.status in WAITING:
            report.open_now += 1
            if ticket.first_answer_at is None and ticket.paused_at is None:
                if now <= ticket.deadline_at < now + AT_RISK:
                    report.at_risk += 1
                elif ticket.deadline_at < now:
                    report.overdue += 1
    for is_current, promise in ((True, report.promise), (False, report.promise_before)):
        values = sorted(seconds[is_current])
        promise.answered = len(values)
        if values:
            promise.median_seconds = statistics.median(values)
            promise.p90_seconds = values[math.ceil(0.9 * len(values)) - 1]
    report.breaches.sort(key=lambda b: (b.deadline_at, b.number))
    report.municipalities = sorted(places.values(), key=lambda m: (-m.questions, -m.tickets, m.workspace))


async def _ticket_events(session: AsyncSession, report: Report, workspace: str | None) -> None:
    current = case((TicketEvent.at >= report.period.start, 1), else_=0).label("current")
    query = (
        select(TicketEvent.kind, current, func.count(distinct(TicketEvent.ticket_id)))
        .where(_in(TicketEvent.at, report.previous.start, report.period.end),
               TicketEvent.kind.in_(("resolved", "withdrawn")))  # type: ignore[attr-defined]
        .group_by(TicketEvent.kind, current)
    )
    if workspace:
        query = query.join(Ticket, Ticket.id == TicketEvent.ticket_id).where(Ticket.workspace == workspace)
    for kind, is_current, count in await session.execute(query):
        activity = report.activity if is_current else report.before
        setattr(activity, kind, count)


async def _advisers(session: AsyncSession, report: Report, tickets: list[_TicketRow], workspace: str | None) -> None:
    lines: dict[str, AdviserLine] = {}
    query = (
        select(TicketEvent.actor_key, func.max(TicketEvent.actor_name), func.count(distinct(TicketEvent.ticket_id)))
        .where(_in(TicketEvent.at, report.period.start, report.period.end), TicketEvent.kind == "answered",
               TicketEvent.actor_key.is_not(None))  # type: ignore[union-attr]
        .group_by(TicketEvent.actor_key)
    )
    if workspace:
        query = query.join(Ticket, Ticket.id == TicketEvent.ticket_id).where(Ticket.workspace == workspace)
    for key, name, handled in await session.execute(query):
        lines[key] = AdviserLine(key, name or key.rsplit(":", 1)[-1], handled=int(handled))
    for ticket in tickets:
        if ticket.status in WAITING and ticket.assignee_key:
            line = lines.setdefault(ticket.assignee_key, AdviserLine(ticket.assignee_key, ticket.assignee_name
                                                                     or ticket.assignee_key.rsplit(":", 1)[-1]))
            line.open += 1
    report.advisers = sorted(lines.values(), key=lambda a: (-a.handled, -a.open, a.name.lower()))


def _hour_bucket(dialect: str) -> Any:
    """The UTC hour of a question, computed by the database: 'YYYY-MM-DD HH' on SQLite (stored as
    'YYYY-MM-DD HH:MM:SS.ffffff' in UTC), a UTC timestamp without time zone on PostgreSQL."""
    if dialect == "sqlite":
        return func.substr(Question.asked_at, 1, 13)
    return func.date_trunc("hour", func.timezone("UTC", Question.asked_at))


def _hour(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc)
    return datetime(int(value[0:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]), tzinfo=timezone.utc)


async def _series(
    session: AsyncSession, report: Report, tickets: list[_TicketRow], tz: ZoneInfo, dialect: str, workspace: str | None
) -> None:
    """Per local day (or week, for long periods): questions, tickets opened, tickets due and kept."""
    period = report.period
    first, last = period.local_dates(tz)
    weekly = (last - first).days + 1 > DAILY_UP_TO_DAYS
    report.bucket_unit = "week" if weekly else "day"

    def bucket_of(day: date) -> date:
        return day - timedelta(days=day.weekday()) if weekly else day

    buckets: dict[date, Bucket] = {}
    day = first
    while day <= last:
        key = bucket_of(day)
        buckets.setdefault(key, Bucket(key))
        day += timedelta(days=1)

    hour = _hour_bucket(dialect).label("hour")
    query = (
        select(hour, func.count())
        .where(_in(Question.asked_at, period.start, period.end), Question.outcome != "smalltalk")
        .group_by(hour)
    )
    if workspace:
        query = query.where(Question.workspace == workspace)
    for hour_value, count in await session.execute(query):
        bucket = buckets.get(bucket_of(_hour(hour_value).astimezone(tz).date()))
        if bucket is not None:
            bucket.questions += count
    now = report.now
    for ticket in tickets:
        if period.start <= ticket.created_at < period.end:
            bucket = buckets.get(bucket_of(ticket.created_at.astimezone(tz).date()))
            if bucket is not None:
                bucket.tickets += 1
        if period.start <= ticket.deadline_at < period.end and ticket.deadline_at <= now:
            bucket = buckets.get(bucket_of(ticket.deadline_at.astimezone(tz).date()))
            if bucket is not None:
                if ticket.kept():
                    bucket.due += 1
                    bucket.kept += 1
                elif ticket.breached(now):
                    bucket.due += 1
    report.buckets = [buckets[key] for key in sorted(buckets)]


def workspaces_in(report: Report) -> int:
    return len({m.workspace for m in report.municipalities})

