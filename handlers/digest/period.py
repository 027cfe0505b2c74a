"""Report periods: local calendar days and weeks (Europe/Oslo), rolling windows, and what a
manager types after "rapport" (uke, måned, uke 47, 1.11..30.11.2026)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    """[start, end) in aware UTC. kind: week | day (scheduled, local calendar), rolling (the
    last N days up to a moment), range (local dates chosen by hand)."""

    start: datetime
    end: datetime
    kind: str = "range"

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self, tz: ZoneInfo) -> "Period":
        """The period of the same length just before this one (in local days when both ends
        are local midnights, so that a week across a DST change stays a calendar week)."""
        start, end = self.start.astimezone(tz), self.end.astimezone(tz)
        if start.time() == time(0) and end.time() == time(0):
            days = (end.date() - start.date()).days
            first = start.date() - timedelta(days=days)
            return Period(midnight(first, tz), self.start, self.kind)
        return Period(self.start - self.length, self.start, self.kind)

    def local_dates(self, tz: ZoneInfo) -> tuple[date, date]:
        """First and last local day the period touches (end is exclusive)."""
        last = (self.end - timedelta(microseconds=1)).astimezone(tz).date()
        return self.start.astimezone(tz).date(), last


def midnight(day: date, tz: ZoneInfo) -> datetime:
    """The start of a local day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)


def week_before(moment: datetime, tz: ZoneInfo) -> Period:
    """The seven local days before the day of `moment` (a Monday run covers Monday–Sunday)."""
    today = moment.astimezone(tz).date()
    return Period(midnight(today - timedelta(days=7), tz), midnight(today, tz), "week")


def day_before(moment: datetime, tz: ZoneInfo) -> Period:
    today = moment.astimezone(tz).date()
    return Period(midnight(today - timedelta(days=1), tz), midnight(today, tz), "day")


def rolling(now: datetime, days: int) -> Period:
    return Period(now - timedelta(days=days), now, "rolling")


def between(first: date, last: date, tz: ZoneInfo, now: datetime) -> Period:
    """Local dates first..last, both whole days; never past now."""
    end = min(midnight(last + timedelta(days=1), tz), now)
    return Period(midnight(first, tz), end, "range")


def iso_week(year: int, week: int, tz: ZoneInfo, now: datetime) -> Period:
    monday = date.fromisocalendar(year, week, 1)
    start = midnight(monday, tz)
    end = min(midnight(monday + timedelta(days=7), tz), now)
    return Period(start, end, "week" if end == midnight(monday + timedelta(days=7), tz) else "range")


# ------------------------------------------------------------------ "rapport …"

WEEK_WORDS = {"uke", "veke", "uka", "veka", "week"}
MONTH_WORDS = {"måned", "månad", "mnd", "måneden", "månaden", "month"}
_DATE = r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}(?:\.\d{2,4})?)"
_RANGE = re.compile(rf"^(?:fra\s+|frå\s+)?{_DATE}\s*(?:\.\.|–|—|\s-\s|\s+til\s+)\s*{_DATE}$")
_WEEK_NO = re.compile(r"^(?:uke|veke)\s*(\d{1,2})(?:\s+(\d{4}))?$")


class PeriodError(ValueError):
    """What the manager typed is not a period we understand."""


def looks_like_period(words: str) -> bool:
    """Whether text after "rapport" is meant as a period (rather than a question about reports)."""
    words = words.strip()
    return not words or words in WEEK_WORDS | MONTH_WORDS or bool(re.match(r"^(fra |frå )?\d", words)) \
        or bool(_WEEK_NO.match(words))


def parse_request(words: str, now: datetime, tz: ZoneInfo) -> Period:
    """'' / 'uke' → the last 7 days; 'måned' → the last 30 days; 'uke 47' → ISO week 47;
    '1.11..30.11.2026' (or 2026-11-01..2026-11-30, 'fra 1.11 til 30.11') → those local days."""
    words = " ".join(words.lower().split())
    if not words or words in WEEK_WORDS:
        return rolling(now, 7)
    if words in MONTH_WORDS:
        return rolling(now, 30)
    today = now.astimezone(tz).date()
    if match := _WEEK_NO.match(words):
        week, year = int(match.group(1)), int(match.group(2) or today.isocalendar().year)
        try:
            period = iso_week(year, week, tz, now)
        except ValueError:
            raise PeriodError(words) from None
        if period.start >= now and not match.group(2):
            period = iso_week(year - 1, week, tz, now)
        if period.start >= now:
            raise PeriodError(words)
        return period
    match = _RANGE.match(words)
    if not match:
        raise PeriodError(words)
    last = parse_date(match.group(2), today.year)
    first = parse_date(match.group(1), last.year)
    if first > last and len(match.group(1).split(".")) == 2 and first.month > last.month:  # 15.12..10.1
        first = first.replace(year=first.year - 1)
    if first > last or midnight(first, tz) >= now:
        raise PeriodError(words)
    return between(first, last, tz, now)


def parse_date(text: str, default_year: int) -> date:
    try:
        if "-" in text:
            return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        parts = [int(p) for p in text.split(".")]
        year = parts[2] if len(parts) == 3 else default_year
        if year < 100:
            year += 2000
        return date(year, parts[1], parts[0])
    except ValueError:
        raise PeriodError(text) from None
