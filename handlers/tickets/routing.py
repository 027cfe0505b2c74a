"""Which advisers' channel a ticket goes to: by the nearest article's tags, by keywords, or
the default route."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.core.config import Settings
from bot.core.model import Place

if TYPE_CHECKING:
    from knowledge.articles import Article

DEFAULT = "default"


def choose_route(settings: Settings, text: str, near: Iterable["Article"]) -> str:
    routes = settings.adviser_routes
    for article in near:
        for tag in article.tags:
            if tag.lower() in routes and tag.lower() != DEFAULT:
                return tag.lower()
        break  # only the nearest article's tags count
    lowered = text.lower()
    for route, words in settings.route_keyword_map.items():
        if route in routes and any(word in lowered for word in words):
            return route
    return DEFAULT


def adviser_place(settings: Settings, route: str, fallback_platform: str) -> Place:
    """The advisers' channel for a route; without configuration, the asker's own platform's
    'advisers' placeholder (tickets are stored and delivered once a channel is configured)."""
    routes = settings.adviser_routes
    platform, channel = routes.get(route) or routes.get(DEFAULT) or (fallback_platform, "")
    return Place(platform, "", channel, "channel", None, {"adviser_channel": True})


def is_adviser_channel(settings: Settings, platform: str, channel: str) -> bool:
    base = channel.split(";")[0]
    return any(p == platform and c.split(";")[0] == base for p, c in settings.adviser_routes.values())
