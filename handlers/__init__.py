"""Use cases: platform-neutral handlers. Nothing here imports a platform SDK."""

from __future__ import annotations

from .router import Router


def build_router() -> Router:
    from . import ask, feedback, welcome

    root = Router()
    for module in (welcome, feedback, ask):
        root.include(module.router)
    return root
