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
    workspace_names: str = Field("", validation_alias="WORKSPACE_NAMES")
    ticket_topics: str = Field(
        "lov og plikter,rammeplan,opptak og pris,statistikk,DKS,finansiering,inkludering,samarbeid,personvern,annet",
        validation_alias="TICKET_TOPICS",
    )
    sla_hours: float = Field(48.0, validation_alias="SLA_HOURS", gt=0)

    max_body_bytes: int = Field(1_000_000, validation_alias="MAX_BODY_BYTES", gt=0)
    max_question_chars: int = Field(4_000, validation_alias="MAX_QUESTION_CHARS", gt=0)
    worker_lease_seconds: float = Field(60.0, validation_alias="WORKER_LEASE_SECONDS", gt=0)
    sweep_seconds: float = Field(5.0, validation_alias="SWEEP_SECONDS", gt=0)

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
