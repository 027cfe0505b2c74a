"""Settings, read from the environment (and an optional `.env` file).

Every setting is documented in the README's configuration table; keep the two in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_ARTICLES = PACKAGE_ROOT / "knowledge" / "articles"


class ConfigError(ValueError):
    """A setting has a value the bot cannot start with."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    database_url: str = Field("sqlite:///var/kulturbot.db", validation_alias="DATABASE_URL")

    slack_bot_token: str = Field("", validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field("", validation_alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")

    teams_app_id: str = Field("", validation_alias=AliasChoices("MicrosoftAppId", "MICROSOFT_APP_ID"))
    teams_app_password: str = Field(
        "", validation_alias=AliasChoices("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD")
    )
    teams_app_tenant_id: str = Field(
        "", validation_alias=AliasChoices("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID")
    )

    kb_path: Path = Field(BUNDLED_ARTICLES, validation_alias="KB_PATH")
    kb_answer_threshold: float | None = Field(None, validation_alias="KB_ANSWER_THRESHOLD", ge=0, le=1)
    kb_suggest_threshold: float | None = Field(None, validation_alias="KB_SUGGEST_THRESHOLD", ge=0, le=1)
    kb_reload_seconds: float = Field(10.0, validation_alias="KB_RELOAD_SECONDS", gt=0)

    language: Literal["nb", "nn"] = Field("nb", validation_alias="KULTURBOT_LANGUAGE")
    timezone: str = Field("Europe/Oslo", validation_alias="KULTURBOT_TIMEZONE")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", validation_alias="LOG_LEVEL")

    adviser_channels: str = Field("", validation_alias="ADVISER_CHANNELS")
    route_keywords: str = Field("", validation_alias="ROUTE_KEYWORDS")
    advisers: str = Field("", validation_alias="ADVISERS")
    managers: str = Field("", validation_alias="MANAGERS")
    managers_channel: str = Field("", validation_alias="MANAGERS_CHANNEL")
    digest_weekly: str = Field("mon 08:00", validation_alias="DIGEST_WEEKLY")
    digest_daily: str = Field("", validation_alias="DIGEST_DAILY")
    digest_dm: bool = Field(True, validation_alias="DIGEST_DM")
    workspace_names: str = Field("", validation_alias="WORKSPACE_NAMES")
    ticket_topics: str = Field(
        "lov og plikter,rammeplan,opptak og pris,statistikk,DKS,finansiering,inkludering,samarbeid,personvern,annet",
        validation_alias="TICKET_TOPICS",
    )
    sla_hours: float = Field(48.0, validation_alias="SLA_HOURS", gt=0)
    # The SLA clock (handlers/sla): SLA_CALENDAR "calendar" counts real hours, "business" counts
    # SLA_BUSINESS_HOURS ("08:00-16:00") on SLA_BUSINESS_DAYS ("mon-fri") in KULTURBOT_TIMEZONE, skipping
    # the public holidays of SLA_HOLIDAYS (a `holidays` country code, "" for none). SLA_REMINDERS: hours
    # before the deadline to remind ("24,8,2", in the same calendar). SLA_SWEEP_SECONDS: how often the
    # sweep looks for due reminders and breaches. SLA_PAUSE_ON_QUESTION: an adviser's question back to
    # the asker stops the clock until the asker replies. SLA_RENEWED_HOURS: after a breach, the new
    # expectation the asker is given when an adviser takes the ticket.
    sla_calendar: Literal["calendar", "business"] = Field("calendar", validation_alias="SLA_CALENDAR")
    sla_business_hours: str = Field("08:00-16:00", validation_alias="SLA_BUSINESS_HOURS")
    sla_business_days: str = Field("mon-fri", validation_alias="SLA_BUSINESS_DAYS")
    sla_holidays: str = Field("NO", validation_alias="SLA_HOLIDAYS")
    sla_reminders: str = Field("24,8,2", validation_alias="SLA_REMINDERS")
    sla_sweep_seconds: float = Field(15.0, validation_alias="SLA_SWEEP_SECONDS", gt=0)
    sla_pause_on_question: bool = Field(True, validation_alias="SLA_PAUSE_ON_QUESTION")
    sla_renewed_hours: float = Field(24.0, validation_alias="SLA_RENEWED_HOURS", gt=0)

    max_body_bytes: int = Field(1_000_000, validation_alias="MAX_BODY_BYTES", gt=0)
    max_question_chars: int = Field(4_000, validation_alias="MAX_QUESTION_CHARS", gt=0)
    worker_lease_seconds: float = Field(60.0, validation_alias="WORKER_LEASE_SECONDS", gt=0)
    sweep_seconds: float = Field(5.0, validation_alias="SWEEP_SECONDS", gt=0)

    retention_days: int = Field(365, validation_alias="RETENTION_DAYS", gt=0)
    delivery_retention_days: int = Field(7, validation_alias="DELIVERY_RETENTION_DAYS", gt=0)
    rate_limit_per_minute: int = Field(10, validation_alias="RATE_LIMIT_PER_MINUTE", ge=0)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        parts = urlsplit(value)
        scheme = parts.scheme.split("+")[0]
        if scheme == "sqlite":
            if not value.startswith("sqlite:///"):
                raise ValueError("sqlite URLs look like sqlite:///path/to/file.db")
            return value
        if scheme in {"postgres", "postgresql"}:
            if not parts.hostname and "host=" not in parts.query:
                raise ValueError("a PostgreSQL URL needs a host: postgresql://user@host/db")
            if not parts.path.strip("/"):
                raise ValueError("a PostgreSQL URL needs a database name: postgresql://user@host/db")
            return value
        raise ValueError(
            f"unsupported database URL scheme {parts.scheme!r}; use sqlite:///path or postgresql://user@host/db"
        )

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url_ends_in_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("SLACK_API_URL must be an http(s) URL ending in /api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("adviser_channels")
    @classmethod
    def _check_channels(cls, value: str) -> str:
        for name, target in _pairs(value):
            platform, _, channel = target.partition(":")
            if platform not in {"slack", "teams", "console"} or not channel:
                raise ValueError(f"route {name!r}: expected platform:channel, e.g. default=slack:C0123456")
        return value

    @field_validator("advisers", "managers")
    @classmethod
    def _check_people(cls, value: str) -> str:
        for item in _items(value):
            if item.partition(":")[0] not in {"slack", "teams", "console"} or ":" not in item:
                raise ValueError(f"{item!r}: expected platform:user_id, e.g. slack:U0123456")
        return value

    @field_validator("managers_channel")
    @classmethod
    def _check_managers_channel(cls, value: str) -> str:
        platform, _, channel = value.strip().partition(":")
        if value.strip() and (platform not in {"slack", "teams", "console"} or not channel):
            raise ValueError("expected platform:channel, e.g. slack:C0123456")
        return value.strip()

    @field_validator("sla_business_hours")
    @classmethod
    def _check_business_hours(cls, value: str) -> str:
        value = value.replace(" ", "")
        try:
            start, end = (_clock_minutes(part) for part in value.split("-"))
        except ValueError:
            raise ValueError("expected HH:MM-HH:MM, e.g. 08:00-16:00") from None
        if start >= end:
            raise ValueError("the working day must end after it starts, e.g. 08:00-16:00")
        return value

    @field_validator("sla_business_days")
    @classmethod
    def _check_business_days(cls, value: str) -> str:
        value = value.replace(" ", "").lower()
        try:
            if not _weekdays(value):
                raise ValueError
        except (ValueError, KeyError):
            raise ValueError("expected days such as mon-fri or mon,tue,wed") from None
        return value

    @field_validator("sla_holidays")
    @classmethod
    def _check_holidays(cls, value: str) -> str:
        value = value.strip().upper()
        if value:
            import holidays

            if value not in holidays.list_supported_countries():
                raise ValueError(f"unknown holiday country {value!r}; use a code such as NO, or empty for none")
        return value

    @field_validator("sla_reminders")
    @classmethod
    def _check_reminders(cls, value: str) -> str:
        try:
            hours = [float(item) for item in _items(value)]
        except ValueError:
            raise ValueError("expected hours before the deadline, e.g. 24,8,2") from None
        if any(h <= 0 for h in hours):
            raise ValueError("reminder hours must be above 0")
        return value

    @field_validator("digest_weekly", "digest_daily")
    @classmethod
    def _check_digest_schedule(cls, value: str) -> str:
        value = " ".join(value.split()).lower()
        if value in {"", "off"}:
            return ""
        days, _, at = value.rpartition(" ")
        hour, sep, minute = at.partition(":")
        if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60) or (
            days and not all(part in _DAYS for part in days.replace("-", ",").split(","))
        ):
            raise ValueError("expected [days] HH:MM, e.g. 'mon 08:00', 'mon-fri 07:30' or 'off'")
        return value

    @property
    def managers_place(self) -> tuple[str, str] | None:
        """The managers' channel (platform, channel), if one is configured."""
        platform, _, channel = self.managers_channel.partition(":")
        return (platform, channel) if channel else None

    @property
    def sla_reminder_hours(self) -> tuple[float, ...]:
        """Hours before the deadline to remind, earliest reminder (most hours) first."""
        return tuple(sorted({float(item) for item in _items(self.sla_reminders)}, reverse=True))

    @property
    def sla_business_window(self) -> tuple[int, int]:
        """The working day as (start, end) minutes after midnight."""
        start, end = self.sla_business_hours.split("-")
        return _clock_minutes(start), _clock_minutes(end)

    @property
    def sla_business_weekdays(self) -> frozenset[int]:
        """Working days, Monday = 0."""
        return _weekdays(self.sla_business_days)

    @property
    def adviser_routes(self) -> dict[str, tuple[str, str]]:
        """Route name → (platform, channel). 'default' takes what no other route claims."""
        routes = {}
        for name, target in _pairs(self.adviser_channels):
            platform, _, channel = target.partition(":")
            routes[name] = (platform, channel)
        return routes

    @property
    def route_keyword_map(self) -> dict[str, list[str]]:
        return {name: [w.strip().lower() for w in words.split("|") if w.strip()]
                for name, words in _pairs(self.route_keywords)}

    @property
    def adviser_keys(self) -> set[str]:
        return set(_items(self.advisers))

    @property
    def manager_keys(self) -> set[str]:
        return set(_items(self.managers))

    @property
    def workspace_name_map(self) -> dict[str, str]:
        return dict(_pairs(self.workspace_names))

    @property
    def topics(self) -> list[str]:
        return _items(self.ticket_topics)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and self.slack_signing_secret)


_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def _clock_minutes(text: str) -> int:
    hour, sep, minute = text.partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and int(hour) <= 24 and int(minute) < 60):
        raise ValueError(text)
    total = int(hour) * 60 + int(minute)
    if total > 24 * 60:
        raise ValueError(text)
    return total


def _weekdays(value: str) -> frozenset[int]:
    """'mon-fri' / 'mon,wed,fri' → weekday numbers (Monday = 0)."""
    order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days: set[int] = set()
    for part in _items(value.lower()):
        first, _, last = part.partition("-")
        a, b = order.index(first), order.index(last or first)
        if b < a:
            raise ValueError(part)
        days.update(range(a, b + 1))
    return frozenset(days)


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _pairs(value: str) -> list[tuple[str, str]]:
    pairs = []
    for item in _items(value):
        name, sep, rest = item.partition("=")
        if not sep or not name.strip() or not rest.strip():
            raise ValueError(f"{item!r}: expected name=value")
        pairs.append((name.strip(), rest.strip()))
    return pairs


def load_settings(**overrides: object) -> Settings:
    """Read settings; raise ConfigError with one readable line per wrong value."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = err["loc"][0] if err["loc"] else "?"
            field = Settings.model_fields.get(str(name))
            alias = field.validation_alias if field else None
            label = alias if isinstance(alias, str) else (alias.choices[0] if alias else name)
            lines.append(f"{label}: {err['msg']}")
        raise ConfigError("invalid configuration: " + "; ".join(lines)) from None
