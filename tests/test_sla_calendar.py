"""The SLA clock: real hours and business hours, across the daylight-saving changes and the
Norwegian public holidays. Every expected time below was worked out by hand (2026: Easter
Sunday is 5 April, Kristi himmelfartsdag 14 May, 2. pinsedag 25 May; summer time starts on
Sunday 29 March and ends on Sunday 25 October)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.config import ConfigError, load_settings
from bot.core.tables import Ticket
from handlers.sla import deadline_for
from handlers.sla.calendar import calendar_for
from handlers.sla.plan import decide, schedule

OSLO = ZoneInfo("Europe/Oslo")
UTC = timezone.utc
CALENDAR = load_settings(DATABASE_URL="sqlite:///x.db")
BUSINESS = load_settings(DATABASE_URL="sqlite:///x.db", SLA_CALENDAR="business")


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


@pytest.mark.parametrize(("created", "deadline_utc"), [
    # Friday 12:00 CET = 11:00 UTC; 48 real hours later is Sunday 11:00 UTC = 13:00 CEST
    (oslo(2026, 3, 27, 12, 0), datetime(2026, 3, 29, 11, 0, tzinfo=UTC)),
    # Friday 14:00 CEST = 12:00 UTC; Sunday 12:00 UTC = 13:00 CET
    (oslo(2026, 10, 23, 14, 0), datetime(2026, 10, 25, 12, 0, tzinfo=UTC)),
])
def test_calendar_hours_are_real_hours_across_daylight_saving(created: datetime, deadline_utc: datetime) -> None:
    assert deadline_for(created, CALENDAR) == deadline_utc


def test_calendar_hours_shown_in_oslo_move_an_hour_on_the_wall_clock() -> None:
    assert deadline_for(oslo(2026, 3, 27, 12, 0), CALENDAR).astimezone(OSLO).hour == 13
    assert deadline_for(oslo(2026, 10, 23, 14, 0), CALENDAR).astimezone(OSLO).hour == 13


@pytest.mark.parametrize(("created", "deadline"), [
    # Friday 15:59: 1 min on Friday, Mon–Fri 40 h, then 7 h 59 min on the next Monday
    (oslo(2026, 11, 27, 15, 59), oslo(2026, 12, 7, 15, 59)),
    # Outside working hours the clock starts at the next opening: six full days, Mon 30.11 – Mon 7.12
    (oslo(2026, 11, 27, 16, 30), oslo(2026, 12, 7, 16, 0)),
    (oslo(2026, 11, 28, 11, 0), oslo(2026, 12, 7, 16, 0)),
    # Easter: Wed 1 April 12:00 → 4 h; Skjærtorsdag, Langfredag, the weekend and 2. påskedag are
    # closed; Tue 7 – Mon 13 April 40 h; Tuesday 14 April 4 h
    (oslo(2026, 4, 1, 12, 0), oslo(2026, 4, 14, 12, 0)),
    # Kristi himmelfartsdag (Thursday 14 May) is closed
    (oslo(2026, 5, 12, 9, 0), oslo(2026, 5, 21, 9, 0)),
    # 2. pinsedag (Monday 25 May) is closed
    (oslo(2026, 5, 22, 10, 0), oslo(2026, 6, 2, 10, 0)),
    # 1. mai is a Friday in 2026: Thursday 30 April 8 h, then Mon 4 – Fri 8 May 40 h
    (oslo(2026, 4, 30, 8, 0), oslo(2026, 5, 8, 16, 0)),
])
def test_business_hours_skip_evenings_weekends_and_public_holidays(created: datetime, deadline: datetime) -> None:
    assert deadline_for(created, BUSINESS) == deadline


@pytest.mark.parametrize(("created", "deadline_utc"), [
    # 8 business hours from Friday 15:00 CET: 1 h on Friday, then Monday 08:00 CEST + 7 h = 15:00 CEST
    (oslo(2026, 3, 27, 15, 0), datetime(2026, 3, 30, 13, 0, tzinfo=UTC)),
    # from Friday 15:00 CEST: 1 h, then Monday 08:00 CET + 7 h = 15:00 CET = 14:00 UTC
    (oslo(2026, 10, 23, 15, 0), datetime(2026, 10, 26, 14, 0, tzinfo=UTC)),
])
def test_business_hours_across_daylight_saving(created: datetime, deadline_utc: datetime) -> None:
    settings = load_settings(DATABASE_URL="sqlite:///x.db", SLA_CALENDAR="business", SLA_HOURS=8)
    assert deadline_for(created, settings) == deadline_utc


def test_a_24_hour_working_day_counts_the_short_and_the_long_sunday() -> None:
    settings = load_settings(DATABASE_URL="sqlite:///x.db", SLA_CALENDAR="business", SLA_BUSINESS_HOURS="00:00-24:00",
                             SLA_BUSINESS_DAYS="mon-sun", SLA_HOLIDAYS="")
    calendar = calendar_for(settings)
    assert calendar.between(oslo(2026, 3, 29, 0, 0), oslo(2026, 3, 30, 0, 0)) == 23 * 3600
    assert calendar.between(oslo(2026, 10, 25, 0, 0), oslo(2026, 10, 26, 0, 0)) == 25 * 3600


def test_business_reminders_fall_in_working_hours() -> None:
    calendar = calendar_for(BUSINESS)
    deadline = oslo(2026, 12, 7, 15, 59)
    assert calendar.subtract(deadline, 2 * 3600) == oslo(2026, 12, 7, 13, 59)
    assert calendar.subtract(deadline, 8 * 3600) == oslo(2026, 12, 4, 15, 59)   # Friday
    assert calendar.subtract(deadline, 24 * 3600) == oslo(2026, 12, 2, 15, 59)  # Wednesday
    assert calendar.between(oslo(2026, 11, 27, 15, 59), deadline) == 48 * 3600
    assert calendar.between(deadline, oslo(2026, 11, 27, 15, 59)) == -48 * 3600


def ticket(created: datetime, deadline: datetime, **values: object) -> Ticket:
    return Ticket(id=1, status="open", created_at=created, updated_at=created, platform="slack", workspace="T",
                  deadline_at=deadline, **values)


def test_the_plan_and_what_a_sweep_decides() -> None:
    created = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    t = ticket(created, deadline_for(created, CALENDAR))
    assert [(n.kind, n.due_at.day, n.due_at.hour) for n in schedule(t, CALENDAR, calendar_for(CALENDAR))] == [
        ("remind:24h", 26, 12), ("remind:8h", 27, 4), ("remind:2h", 27, 10), ("breach", 27, 12)]
    calendar = calendar_for(CALENDAR)
    nothing = decide(t, datetime(2026, 11, 25, 12, 1, tzinfo=UTC), CALENDAR, calendar)
    assert (nothing.send, nothing.next_check) == (None, datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    late = decide(t, datetime(2026, 11, 27, 5, 0, tzinfo=UTC), CALENDAR, calendar)
    assert late.send.kind == "remind:8h" and [n.kind for n in late.skip] == ["remind:24h"]
    assert late.next_check == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    breach = decide(t, datetime(2026, 11, 30, tzinfo=UTC), CALENDAR, calendar)
    assert breach.send.kind == "breach" and len(breach.skip) == 3 and breach.next_check is None
    paused = ticket(created, t.deadline_at, paused_at=created)
    assert decide(paused, datetime(2026, 11, 30, tzinfo=UTC), CALENDAR, calendar).send is None


def test_reminders_before_the_ticket_existed_are_not_planned() -> None:
    settings = load_settings(DATABASE_URL="sqlite:///x.db", SLA_HOURS=8)
    created = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    t = ticket(created, deadline_for(created, settings))
    assert [n.kind for n in schedule(t, settings, calendar_for(settings))] == ["remind:2h", "breach"]


@pytest.mark.parametrize("values", [
    {"SLA_BUSINESS_HOURS": "16:00-08:00"}, {"SLA_BUSINESS_HOURS": "8-16"}, {"SLA_BUSINESS_DAYS": "fri-mon"},
    {"SLA_HOLIDAYS": "XX"}, {"SLA_REMINDERS": "24,soon"}, {"SLA_REMINDERS": "0"}, {"SLA_CALENDAR": "lunar"},
])
def test_bad_sla_settings_are_refused_at_start(values: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        load_settings(DATABASE_URL="sqlite:///x.db", **values)
