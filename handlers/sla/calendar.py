"""The two clocks the 48-hour promise can run on.

CalendarHours counts real elapsed time: 48 hours after Friday 14:05 is Sunday 14:05 (15:05 when
summer time starts in between, because 48 real hours passed). All arithmetic is on aware UTC
datetimes, so the daylight-saving changes need no special case.

BusinessHours counts only the working day (e.g. 08:00–16:00) on working days (Monday–Friday) in
the configured time zone, skipping public holidays from the `holidays` package (for Norway:
Skjærtorsdag, Langfredag, 2. påskedag, Kristi himmelfartsdag, 2. pinsedag and the fixed ones).
Each day's window is built from local wall-clock times and converted to UTC, so a working day
is always 8 real hours, also on the days after the clocks change.

Both answer the same three questions: what time is N counted seconds after a moment (add),
before a moment (subtract), and how many counted seconds lie between two moments (between).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.config import Settings

MAX_DAYS = 3660  # a calendar with no working day in ten years is a configuration error


class SlaCalendar(Protocol):
    business: bool

    def add(self, start: datetime, seconds: float) -> datetime:
        """The moment `seconds` counted seconds after start."""
        ...

    def subtract(self, end: datetime, seconds: float) -> datetime:
        """The latest moment from which `seconds` counted seconds reach end."""
        ...

    def between(self, start: datetime, end: datetime) -> float:
        """Counted seconds from start to end (negative when end is earlier)."""
        ...


class CalendarHours:
    business = False

    def add(self, start: datetime, seconds: float) -> datetime:
        return _utc(start) + timedelta(seconds=seconds)

    def subtract(self, end: datetime, seconds: float) -> datetime:
        return _utc(end) - timedelta(seconds=seconds)

    def between(self, start: datetime, end: datetime) -> float:
        return (_utc(end) - _utc(start)).total_seconds()


class BusinessHours:
    business = True

    def __init__(self, tz: ZoneInfo, opens: time, closes: time, weekdays: frozenset[int], country: str = "") -> None:
        if not weekdays:
            raise ValueError("a business calendar needs at least one working day")
        self.tz = tz
        self.opens = opens
        self.closes = closes
        self.weekdays = weekdays
        self.holidays = _holidays(country) if country else None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and not (self.holidays is not None and day in self.holidays)

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The day's working hours, from local wall-clock times, as aware UTC datetimes (so that
        differences are real elapsed time even on the day the clocks change)."""
        return _utc(datetime.combine(day, self.opens, self.tz)), _utc(_end_of(day, self.closes, self.tz))

    def _days(self, start: date, step: int) -> Iterator[tuple[datetime, datetime]]:
        day = start
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                yield self.window(day)
            day += timedelta(days=step)
        raise ValueError("no working day found within ten years; check SLA_BUSINESS_DAYS and SLA_HOLIDAYS")

    def add(self, start: datetime, seconds: float) -> datetime:
        if seconds <= 0:
            return start
        remaining = timedelta(seconds=seconds)
        for opens, closes in self._days(start.astimezone(self.tz).date(), 1):
            begin = max(_utc(start), opens)
            if begin >= closes:
                continue
            if remaining <= closes - begin:
                return _utc(begin + remaining)
            remaining -= closes - begin
        raise AssertionError("unreachable")

    def subtract(self, end: datetime, seconds: float) -> datetime:
        if seconds <= 0:
            return end
        remaining = timedelta(seconds=seconds)
        for opens, closes in self._days(end.astimezone(self.tz).date(), -1):
            finish = min(_utc(end), closes)
            if finish <= opens:
                continue
            if remaining <= finish - opens:
                return _utc(finish - remaining)
            remaining -= finish - opens
        raise AssertionError("unreachable")

    def between(self, start: datetime, end: datetime) -> float:
        if end < start:
            return -self.between(end, start)
        start, end = _utc(start), _utc(end)
        total = 0.0
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            if self.is_working_day(day):
                opens, closes = self.window(day)
                overlap = (min(end, closes) - max(start, opens)).total_seconds()
                total += max(0.0, overlap)
            day += timedelta(days=1)
        return total


def _end_of(day: date, closes: time, tz: ZoneInfo) -> datetime:
    if closes == time(0, 0):  # "24:00": the end of the day
        return datetime.combine(day + timedelta(days=1), time(0, 0), tz)
    return datetime.combine(day, closes, tz)


def _utc(moment: datetime) -> datetime:
    """Python subtracts two datetimes of the same zone on the wall clock: work in UTC instead."""
    return moment.astimezone(timezone.utc)


@lru_cache(maxsize=8)
def _holidays(country: str):  # type: ignore[no-untyped-def]
    import holidays

    return holidays.country_holidays(country)


def calendar_for(settings: Settings) -> SlaCalendar:
    """The calendar the settings choose (cached: building the holiday table is not free)."""
    if settings.sla_calendar != "business":
        return CalendarHours()
    start, end = settings.sla_business_window
    return _business(settings.timezone, start, end, settings.sla_business_weekdays, settings.sla_holidays)


@lru_cache(maxsize=8)
def _business(zone: str, start: int, end: int, weekdays: frozenset[int], country: str) -> BusinessHours:
    return BusinessHours(ZoneInfo(zone), _time(start), _time(end), weekdays, country)


def _time(minutes: int) -> time:
    return time(0, 0) if minutes == 24 * 60 else time(minutes // 60, minutes % 60)
