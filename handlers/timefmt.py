"""Dates and durations the way a Norwegian reader expects them, in the configured time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = {
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"),
}
SHORT_WEEKDAYS = {
    "nb": ("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn."),
    "nn": ("mån.", "tys.", "ons.", "tor.", "fre.", "lau.", "sun."),
}
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember")


def long_datetime(when: datetime, tz: ZoneInfo, lang: str = "nb") -> str:
    """'torsdag 27. november kl. 14:05'"""
    local = when.astimezone(tz)
    day = WEEKDAYS.get(lang, WEEKDAYS["nb"])[local.weekday()]
    return f"{day} {local.day}. {MONTHS[local.month - 1]} kl. {local:%H:%M}"


def short_datetime(when: datetime, tz: ZoneInfo, lang: str = "nb") -> str:
    """'fre. 27.11 kl. 14:05'"""
    local = when.astimezone(tz)
    day = SHORT_WEEKDAYS.get(lang, SHORT_WEEKDAYS["nb"])[local.weekday()]
    return f"{day} {local:%d.%m} kl. {local:%H:%M}"


def duration(delta: timedelta) -> str:
    """'47 t', '2 t 5 min', '45 min' (rounded down to whole minutes)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes and hours < 10:
        return f"{hours} t {minutes} min"
    if hours:
        return f"{hours} t"
    return f"{minutes} min"
