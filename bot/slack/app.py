"""The Slack adapter: a slack-bolt AsyncApp whose listeners only store neutral events.

process_before_response=True makes bolt run the listener before it answers Slack, so an
event is acknowledged only once it is safely in the inbox. The listener never does the slow
work; the worker does, after the ack.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.catalogue import t
from bot.core.config import Settings
from bot.core.worker import StoreUnavailable, Worker

from . import events
from .render import FORM_PREFIX, MODAL_CALLBACK, modal

log = logging.getLogger("kulturbot.slack")


def build_client(settings: Settings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """One shared HTTP session (kept-alive connections) instead of a new one per Web API call.
    slack_sdk's timeout applies only to sessions it makes itself: a shared one carries its own."""
    return AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10,
                          session=session)


def build_app(settings: Settings, worker: Worker, client: AsyncWebClient) -> AsyncApp:
    app = AsyncApp(
        signing_secret=settings.slack_signing_secret,
        client=client,
        process_before_response=True,
        logger=logging.getLogger("kulturbot.slack.bolt"),
    )

    async def submit(event: Any) -> None:
        if event is not None:
            await worker.submit(event)

    @app.event("message")
    async def on_message(body: dict[str, Any], context: Any) -> None:
        await submit(events.message_event(body, context.get("bot_user_id")))

    @app.event("app_mention")
    async def on_mention(body: dict[str, Any]) -> None:
        await submit(events.mention_event(body))

    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any]) -> None:
        await submit(events.home_opened_event(body))

    @app.command(re.compile(r"^/kulturskole"))
    async def on_command(ack: Any, body: dict[str, Any]) -> None:
        await submit(events.command_event(body))
        await ack()

    @app.action(re.compile(f"^{FORM_PREFIX}"))
    async def on_form_button(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        # A modal must open within 3 s of the click (trigger_id), so the adapter opens it here;
        # the submission comes back as a neutral action with the typed text.
        await ack()
        action = (body.get("actions") or [{}])[0]
        try:
            form = json.loads(action.get("value") or "{}")
        except ValueError:
            return
        if not isinstance(form, dict):
            return
        metadata = events.form_metadata(body, action, str(form.get("v", "")))
        await client.views_open(trigger_id=body.get("trigger_id", ""), view=modal(form, metadata))

    @app.action(re.compile(".*"))
    async def on_action(ack: Any, body: dict[str, Any]) -> None:
        for action in body.get("actions") or []:
            await submit(events.action_event(body, action))
        await ack()

    @app.view(MODAL_CALLBACK)
    async def on_form_submitted(ack: Any, body: dict[str, Any]) -> None:
        await submit(events.form_submission_event(body))
        await ack()

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        if not isinstance(error, StoreUnavailable):  # a payload of a shape nobody can read: retrying won't help
            log.warning("slack request of an unexpected shape: %s", type(error).__name__)
            return BoltResponse(status=400, body="")
        # One line per request (a database gap makes many); the traceback only at DEBUG.
        log.error("slack request failed before it was stored: %s", error,
                  exc_info=error.__cause__ if log.isEnabledFor(logging.DEBUG) else None)
        # 503 makes Slack retry an event later: it is not lost while the database is away. Slack
        # retries nothing else, so a command, a click or a form is told at once to try again.
        body = body if isinstance(body, dict) else {}
        polite = t(settings.language, "error.try_again_later")
        if body.get("command"):
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": polite})
        if body.get("type") == "view_submission":  # the modal stays open with what was typed in it
            return BoltResponse(status=200, body={"response_action": "errors", "errors": {"form": polite}})
        if body.get("type") == "block_actions":
            if isinstance(body.get("response_url"), str):
                _in_background(_tell(client, body["response_url"], polite))
            return BoltResponse(status=200, body="")
        return BoltResponse(status=503, body="")

    return app


_background: set[asyncio.Task[None]] = set()


def _in_background(work: Any) -> None:
    """Run without delaying the ack; keep a reference until it is done."""
    task = asyncio.ensure_future(work)
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _tell(client: AsyncWebClient, response_url: str, text: str) -> None:
    """A private line under the clicked message, straight to Slack (no database needed)."""
    session = client.session or aiohttp.ClientSession()
    try:
        async with session.post(response_url, json={"response_type": "ephemeral", "replace_original": False,
                                                    "text": text}, timeout=aiohttp.ClientTimeout(total=10)):
            pass
    except Exception as exc:  # noqa: BLE001 - telling is a courtesy; the click failed either way
        log.warning("could not tell the user to try again: %s", type(exc).__name__)
    finally:
        if client.session is None:
            await session.close()


def route(app: AsyncApp, settings: Settings) -> web.RouteDef:
    verifier = SignatureVerifier(settings.slack_signing_secret)

    async def slack_events(request: web.Request) -> web.Response:
        try:
            bolt_request = await to_bolt_request(request)
            well_formed = isinstance(bolt_request.body, dict)
        except (ValueError, AttributeError, KeyError, IndexError, TypeError):  # not UTF-8, not JSON, odd fields
            well_formed = False
        if not well_formed:  # 401 if unsigned, else 400; bolt never sees it
            body = (await request.read()).decode("utf-8", "replace")
            if not verifier.is_valid_request(body, dict(request.headers)):
                return web.Response(status=401, text="invalid signature")
            return web.Response(status=400, text="malformed body")
        try:
            return await to_aiohttp_response(await app.async_dispatch(bolt_request))
        except (AttributeError, KeyError, IndexError, TypeError, ValueError) as exc:  # a payload of the wrong shape
            log.warning("slack payload of an unexpected shape: %s", type(exc).__name__)
            return web.Response(status=400, text="malformed payload")

    return web.post("/slack/events", slack_events)
