"""The Teams adapter: a CloudAdapter whose bot only stores neutral events.

Every botbuilder import stays under bot/teams/, so that moving to the Microsoft 365 Agents
SDK (same Activity protocol) touches this package only.
"""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

import jwt
from aiohttp import web
from botbuilder.core import Bot, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes

from bot.core.catalogue import t
from bot.core.config import Settings
from bot.core.worker import StoreUnavailable, Worker

from .events import to_event

log = logging.getLogger("kulturbot.teams")


def build_adapter(settings: Settings) -> CloudAdapter:
    config = SimpleNamespace(
        APP_ID=settings.teams_app_id,
        APP_PASSWORD=settings.teams_app_password,
        APP_TYPE="SingleTenant" if settings.teams_app_tenant_id else "MultiTenant",
        APP_TENANTID=settings.teams_app_tenant_id,
    )
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))

    async def on_turn_error(turn: TurnContext, error: Exception) -> None:
        log.error("teams turn failed: %s", type(error).__name__)
        raise error

    adapter.on_turn_error = on_turn_error
    _reuse_clients(adapter)
    return adapter


def _reuse_clients(adapter: CloudAdapter, keep: int = 64) -> None:
    """One connector client per (identity, service URL, audience) and one user-token client per
    identity, kept for the life of the process, instead of new ones on every turn and every send:
    building them costs ~4.6 ms and ~3.9 ms of CPU (msrest configuration, retry policies), more
    than everything else a Teams message costs us (bench/load). botbuilder never closes them, and
    their credentials refresh their own tokens, so keeping them changes nothing else."""
    auth = adapter.bot_framework_authentication
    create_factory = auth.create_connector_factory
    create_user_token_client = auth.create_user_token_client
    connectors: dict[tuple[str, str, str], Any] = {}
    user_token_clients: dict[str, Any] = {}

    def identity_key(identity: Any) -> str:
        claims = getattr(identity, "claims", None) or {}
        return json.dumps([bool(getattr(identity, "is_authenticated", False)), claims], sort_keys=True, default=str)

    class ReusingFactory:
        def __init__(self, identity: Any) -> None:
            self.key = identity_key(identity)
            self.factory = create_factory(identity)

        async def create(self, service_url: str, audience: str | None = None) -> Any:
            key = (self.key, service_url or "", audience or "")
            client = connectors.get(key)
            if client is None:
                if len(connectors) >= keep:
                    connectors.clear()
                client = connectors[key] = await self.factory.create(service_url, audience)
            return client

    async def reusing_user_token_client(identity: Any, *args: Any, **kwargs: Any) -> Any:
        key = identity_key(identity)
        client = user_token_clients.get(key)
        if client is None:
            if len(user_token_clients) >= keep:
                user_token_clients.clear()
            client = user_token_clients[key] = await create_user_token_client(identity, *args, **kwargs)
        return client

    auth.create_connector_factory = ReusingFactory  # type: ignore[method-assign]
    auth.create_user_token_client = reusing_user_token_client  # type: ignore[method-assign]


class BadActivity(Exception):
    """An activity of a shape we cannot read: retrying will not help (400)."""


class InboxBot(Bot):
    """Turns each activity into a neutral event and stores it; the worker does the rest."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker

    async def store_without_turn(self, adapter: CloudAdapter, body: dict, auth_header: str) -> bool:  # type: ignore[type-arg]
        """The ack path for activities that need no answer in the turn (all but invokes): check
        the token as CloudAdapter.process does, store the event, done. process() would also build
        a connector client and a user-token client for the turn, ~8.5 ms of CPU per activity that
        a bot which never answers in the turn throws away (bench/load). False if the store is
        away: then the full turn runs, which can say "prøv igjen om litt" in the conversation."""
        activity = Activity().deserialize(body)
        if not activity.type:
            raise web.HTTPBadRequest()
        await adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
        event = self._event(activity)
        if event is not None:
            try:
                await self.worker.submit(event)
            except StoreUnavailable:
                return False
        return True

    @staticmethod
    def _event(activity: Activity) -> Any:
        try:
            return to_event(activity)
        except Exception as exc:  # noqa: BLE001 - any field may have any type
            raise BadActivity(type(exc).__name__) from exc

    async def on_turn(self, turn: TurnContext) -> None:
        event = self._event(turn.activity)
        if event is not None:
            try:
                await self.worker.submit(event)
            except StoreUnavailable:
                if event.kind not in ("message", "action"):
                    raise  # an install or the like: 503, the channel may send it again
                await self._try_again_later(turn, event.lang)
        if turn.activity.type == ActivityTypes.invoke:
            await turn.send_activity({"type": "invokeResponse", "value": {"status": 200, "body": {}}})

    async def _try_again_later(self, turn: TurnContext, lang: str | None) -> None:
        """The database is away: say so at once (the connector needs no database). Teams is not
        known to send a message again after an error, so the person is asked to, in a moment."""
        try:
            await turn.send_activity(t(lang or self.worker.services.settings.language, "error.try_again_later"))
        except Exception as exc:  # noqa: BLE001 - not even that: the channel gets a 503
            raise StoreUnavailable(type(exc).__name__) from exc


def route(adapter: CloudAdapter, bot: InboxBot, settings: Settings) -> web.RouteDef:
    async def messages(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "expected application/json"}, status=415)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "malformed JSON"}, status=400)
        if (not isinstance(body, dict) or not isinstance(body.get("type"), str)
                or not isinstance(body.get("text", ""), (str, type(None)))):
            return web.json_response({"error": "not an activity"}, status=400)
        try:
            if body["type"] != ActivityTypes.invoke and await bot.store_without_turn(
                adapter, body, request.headers.get("Authorization", "")
            ):
                return web.Response(status=201)
            response = await adapter.process(request, bot)
        except StoreUnavailable as exc:  # ask the channel to retry
            log.error("teams activity could not be stored: %s", exc)
            return web.json_response({"error": "try again"}, status=503)
        except BadActivity as exc:
            log.warning("teams activity of an unexpected shape: %s", exc)
            return web.json_response({"error": "not an activity"}, status=400)
        except (PermissionError, jwt.PyJWTError, web.HTTPUnauthorized):
            return web.json_response({"error": "unauthorized"}, status=401)
        except web.HTTPException as exc:
            return web.json_response({"error": exc.reason}, status=exc.status)
        except Exception as exc:  # noqa: BLE001 - failed before the bot saw it
            # botbuilder raises plain Exception, IndexError or AttributeError for tokens it cannot
            # verify (wrong algorithm, unknown key id), and msrest errors for unreadable activities.
            log.warning("teams request rejected before the bot: %s", type(exc).__name__)
            if settings.teams_app_id:
                return web.json_response({"error": "unauthorized"}, status=401)
            return web.json_response({"error": "not an activity"}, status=400)
        return response or web.Response(status=201)

    return web.post("/api/messages", messages)
