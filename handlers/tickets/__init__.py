"""Tickets: questions the knowledge base cannot answer go to the advisers and back."""

from handlers.router import Router

from . import adviser, asker

router = Router()
router.include(asker.router)
router.include(adviser.router)
