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
