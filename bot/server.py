"""`kulturbot serve`: one aiohttp server for Slack, Teams and the health check."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from bot.runtime import Runtime

log = logging.getLogger("kulturbot.server")
RUNTIME = web.AppKey("runtime", Runtime)


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    knowledge = runtime.services.knowledge
    database = await runtime.services.db.ping()
    articles = len(knowledge.current)
    body: dict[str, Any] = {
        "database": "ok" if database else "unreachable",
        "knowledge": {
            "articles": articles, "examples": knowledge.current.examples, "skipped": len(knowledge.skipped),
        },
        "scheduler": "running" if runtime.scheduler.running else "stopped",
        "slack": "on" if runtime.slack_app is not None else "off",
        "teams": "authenticated" if runtime.settings.teams_app_id else "anonymous",
    }
    healthy = database and articles > 0 and runtime.scheduler.running
    body["status"] = "ok" if healthy else "degraded"
    return web.json_response(body, status=200 if healthy else 503)


def build_web_app(runtime: Runtime) -> web.Application:
    app = web.Application(client_max_size=runtime.settings.max_body_bytes)
    app[RUNTIME] = runtime
    routes = [web.get("/healthz", healthz)]
    if runtime.slack_app is not None:
        from bot.slack.app import route as slack_route

        routes.append(slack_route(runtime.slack_app, runtime.settings))
    if runtime.teams_adapter is not None:
        from bot.teams.app import route as teams_route

        routes.append(teams_route(runtime.teams_adapter, runtime.teams_bot, runtime.settings))
    app.add_routes(routes)

    async def background(_app: web.Application) -> AsyncIterator[None]:
        await runtime.start_background()
        yield
        await runtime.stop()

    app.cleanup_ctx.append(background)
    return app
