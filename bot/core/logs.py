"""Logging: English, one line per record, and never the text a user wrote.

Libraries that may log request bodies at debug level (bolt, slack_sdk, botbuilder, msrest)
are held at WARNING whatever LOG_LEVEL says.
"""

from __future__ import annotations

import logging

CHATTY = ("slack_bolt", "slack_sdk", "kulturbot.slack.bolt", "botbuilder", "botframework", "msrest",
          "urllib3", "aiosqlite", "asyncio", "sqlalchemy.engine", "apscheduler.executors.default")


def setup(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING if level != "DEBUG" else logging.INFO)


# Libraries that handle message payloads and may log them: aiosqlite logs every statement with
# its parameters at DEBUG, slack_sdk request and response bodies at DEBUG, bolt whole requests
# in some warnings, msrest/botbuilder activities. A filter on their loggers (which holds
# whatever level anyone sets) drops their records below WARNING and reduces the rest to
# logger, level and exception type. bolt copies the filter to every logger it derives from ours.
PAYLOAD_LOGGERS = ("aiosqlite", "asyncpg", "slack_bolt", "slack_sdk", "kulturbot.slack.bolt", "botbuilder",
                   "botframework", "msrest")


class WithoutPayload(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        record.msg = "%s%s (text withheld: this library's messages may carry what users wrote)"
        record.args = (record.name, f" {error}" if error else "")
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


class WithoutRows(logging.Filter):
    """SQLAlchemy logs result rows at DEBUG; statements (INFO) carry no values (hide_parameters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


_WITHOUT_PAYLOAD = WithoutPayload()
_WITHOUT_ROWS = WithoutRows()


def protect_payload_loggers() -> None:
    """Attach the filter to the payload libraries' loggers (idempotent; call after importing them)."""
    names = set(PAYLOAD_LOGGERS) | {
        name for name in logging.root.manager.loggerDict
        if name.startswith(PAYLOAD_LOGGERS) or ":" in name  # bolt's per-listener loggers are "module:Class"
    }
    for name in names:
        logger = logging.getLogger(name)
        if _WITHOUT_PAYLOAD not in logger.filters:
            logger.addFilter(_WITHOUT_PAYLOAD)
    for name in {"sqlalchemy.engine", "sqlalchemy.engine.Engine"} | {
        name for name in logging.root.manager.loggerDict if name.startswith("sqlalchemy.engine")
    }:
        logger = logging.getLogger(name)
        if _WITHOUT_ROWS not in logger.filters:
            logger.addFilter(_WITHOUT_ROWS)
