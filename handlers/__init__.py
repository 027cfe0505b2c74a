"""Use cases: platform-neutral handlers. Nothing here imports a platform SDK."""

from __future__ import annotations

from .router import Router


def build_router() -> Router:
    from . import ask, digest, feedback, privacy, tickets, welcome

    root = Router()
    for module in (welcome, feedback, privacy, tickets, digest, ask):
        root.include(module.router)
    return root


def middleware() -> list:  # type: ignore[type-arg]
    """Cross-cutting steps before routing, in order."""
    from .people import remember_person
    from .privacy import tell_masked
    from .ratelimit import rate_limit
    from .tickets.threads import ticket_messages

    return [rate_limit, tell_masked, remember_person, ticket_messages]
