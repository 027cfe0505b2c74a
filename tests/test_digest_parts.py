"""The digest's parts on their own: periods and the report command's words, knowledge-gap
grouping, the chart, and the image block in the neutral model."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.model import Message, image, note
from handlers.digest import chart
from handlers.digest.command import is_report_request
from handlers.digest.gaps import group
from handlers.digest.period import PeriodError, Period, day_before, midnight, parse_request, week_before
from scheduler.digest_jobs import latest_run
from tests.pngcheck import read_png

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)  # Wednesday 13:00 in Oslo


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO).astimezone(timezone.utc)


def test_scheduled_periods_are_local_calendar_weeks_and_days() -> None:
    monday_8 = local(2026, 11, 30, 8, 0)
    assert week_before(monday_8, OSLO) == Period(local(2026, 11, 23), local(2026, 11, 30), "week")
    assert day_before(monday_8, OSLO) == Period(local(2026, 11, 29), local(2026, 11, 30), "day")
    # the week with the change to winter time (25 October 2026) is 169 hours long, and the
    # previous period is the calendar week before it, not 169 hours before
    autumn = week_before(local(2026, 10, 26, 8), OSLO)
    assert autumn.length == timedelta(hours=169)
    assert autumn.previous(OSLO) == Period(local(2026, 10, 12), local(2026, 10, 19), "week")


def test_what_a_manager_can_ask_for() -> None:
    assert parse_request("", NOW, OSLO) == Period(NOW - timedelta(days=7), NOW, "rolling")
    assert parse_request("uke", NOW, OSLO) == Period(NOW - timedelta(days=7), NOW, "rolling")
    assert parse_request("måned", NOW, OSLO) == Period(NOW - timedelta(days=30), NOW, "rolling")
    assert parse_request("månad", NOW, OSLO).length == timedelta(days=30)
    assert parse_request("uke 47", NOW, OSLO) == Period(local(2026, 11, 16), local(2026, 11, 23), "week")
    # the current week so far, and a week not yet begun this year means last year's
    assert parse_request("uke 48", NOW, OSLO) == Period(local(2026, 11, 23), NOW, "range")
    assert parse_request("uke 50", NOW, OSLO).start == local(2025, 12, 8)
    expected = Period(local(2026, 11, 1), local(2026, 11, 21), "range")
    for words in ("1.11.2026..20.11.2026", "2026-11-01..2026-11-20", "fra 1.11 til 20.11", "01.11.26 – 20.11.26"):
        assert parse_request(words, NOW, OSLO) == expected, words
    # an end in the future stops at now; a range across new year
    assert parse_request("20.11..30.11", NOW, OSLO).end == NOW
    assert parse_request("15.12..10.1.2026", NOW, OSLO).start == local(2025, 12, 15)
    for bad in ("30.11..1.11", "31.2.2026..1.3.2026", "1.12.2026..5.12.2026", "uke 54", "i går"):
        with pytest.raises(PeriodError):
            parse_request(bad, NOW, OSLO)


def test_only_report_words_are_commands() -> None:
    for text in ("rapport", "rapport uke", "rapport veke", "rapport måned", "rapport 1.11..30.11", "rapport uke 47",
                 "rapport fra 1.11 til 30.11"):
        assert is_report_request(text), text
    assert not is_report_request("rapport i går")  # a question about reports, not a period
    assert not is_report_request("rapporteringsfrister for gsi")
    assert not is_report_request("hvordan skriver jeg en rapport")


def test_the_weekly_and_daily_schedules() -> None:
    monday = local(2026, 11, 30, 8, 0)
    assert latest_run("mon 08:00", "mon", monday, OSLO) == datetime(2026, 11, 30, 8, 0, tzinfo=OSLO)
    assert latest_run("mon 08:00", "mon", monday - timedelta(minutes=1), OSLO) == datetime(2026, 11, 23, 8, 0, tzinfo=OSLO)
    assert latest_run("07:30", "*", local(2026, 11, 25, 7, 0), OSLO) == datetime(2026, 11, 24, 7, 30, tzinfo=OSLO)
    assert latest_run("mon-fri 07:30", "*", local(2026, 11, 29, 12, 0), OSLO) == datetime(2026, 11, 27, 7, 30, tzinfo=OSLO)


def test_similar_questions_are_counted_together() -> None:
    texts = (["Hvem har ansvar for skolekorpset?", "Hvem har ansvaret for skolekorps i kommunen?",
              "Ansvar for skolekorps"] + ["Hva koster det å leie lokaler i kulturskolen?"] * 2
             + ["Kan vi leie lokalene til kulturskolen?", "Hvordan setter jeg opp skriveren?"])
    gaps = group(texts, limit=3)
    assert [(g.label, g.count) for g in gaps] == [
        # equal sizes: the group met first in the list (the report lists the newest questions first)
        ("Ansvar for skolekorps", 3),  # all worded once: the shortest wording names the group
        ("Hva koster det å leie lokaler i kulturskolen?", 3),  # the most frequent wording names the group
        ("Hvordan setter jeg opp skriveren?", 1),
    ]
    assert group([]) == [] and group(["?", "og"]) == []


def test_the_chart_is_a_valid_png_with_bars_of_the_right_height() -> None:
    points = [chart.Point("23.11", 6, 1, 1.0), chart.Point("24.11", 5, 2, None), chart.Point("25.11", 7, 1, None),
              chart.Point("26.11", 0, 0, None)]
    png = read_png(chart.render(points))
    assert (png.width, png.height) == (chart.WIDTH, chart.HEIGHT)
    assert png.palette[chart.BLUE] == (59, 110, 165)
    plot_h = chart.HEIGHT - chart.TOP - chart.BOTTOM
    blue = png.pixels == chart.BLUE
    heights = sorted({int(col.sum()) for col in blue.T if col.any()})
    # the y axis tops at 10 (nice_ceiling(7)): bars of 6, 5 and 7 tenths of the plot
    assert heights == [round(plot_h * 0.5), round(plot_h * 0.6), round(plot_h * 0.7)]
    assert (png.pixels == chart.GREEN).any()  # the share: one point, at 100 %


def test_nice_ceilings() -> None:
    assert [chart.nice_ceiling(v) for v in (0, 1, 3, 7, 10, 11, 120, 2500)] == [2, 2, 10, 10, 10, 20, 200, 5000]


def test_an_image_round_trips_through_the_outbox_json() -> None:
    message = Message("chart", (image(b"\x89PNG fake", "Diagram"), note("legend")))
    again = Message.from_json(message.to_json())
    assert again == message
    assert again.blocks[0].kind == "image" and again.blocks[0].text == "Diagram"
    import base64

    assert base64.b64decode(again.blocks[0].data) == b"\x89PNG fake"
    assert midnight(date(2026, 11, 30), OSLO) == datetime(2026, 11, 29, 23, tzinfo=timezone.utc)


def test_the_cron_triggers() -> None:
    from types import SimpleNamespace

    from bot.core.config import Settings
    from scheduler import digest_jobs
    from scheduler.runner import Scheduler

    scheduler = Scheduler("Europe/Oslo")
    runtime = SimpleNamespace(settings=Settings(DIGEST_DAILY="mon-fri 07:30"))
    digest_jobs.register(scheduler, runtime)  # type: ignore[arg-type]
    assert sorted(scheduler.job_names()) == ["digest-catch-up", "digest-daily", "digest-weekly"]
    weekly = scheduler._scheduler.get_job("digest-weekly").trigger
    assert str(weekly) == "cron[day_of_week='mon', hour='8', minute='0']"
    assert str(weekly.timezone) == "Europe/Oslo"
    daily = scheduler._scheduler.get_job("digest-daily").trigger
    assert str(daily) == "cron[day_of_week='mon-fri', hour='7', minute='30']"
    # the next Monday 08:00 after Wednesday 25 November 2026 is 30 November, 08:00 in Oslo
    assert weekly.get_next_fire_time(None, NOW.astimezone(OSLO)) == datetime(2026, 11, 30, 8, tzinfo=OSLO)

    off = Scheduler("Europe/Oslo")
    digest_jobs.register(off, SimpleNamespace(settings=Settings(DIGEST_WEEKLY="off")))  # type: ignore[arg-type]
    assert off.job_names() == []


def test_bad_schedules_are_refused_at_start() -> None:
    from bot.core.config import ConfigError, load_settings

    for bad in ({"DIGEST_WEEKLY": "monday 8"}, {"DIGEST_DAILY": "25:00"}, {"MANAGERS_CHANNEL": "C123"}):
        with pytest.raises(ConfigError):
            load_settings(**bad)
