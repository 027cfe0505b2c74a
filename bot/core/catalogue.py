"""Every user-facing string, in bokmål (nb) and nynorsk (nn). Handlers never hold literals.

The catalogue is one dictionary per language, assembled from one module per area under
bot/core/texts/ (so that areas can grow without stepping on each other). Values are
str.format templates in the neutral Markdown subset. A test checks that both languages have
the same keys and the same placeholders, and that no two areas define the same key.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

SECTIONS = ("general", "tickets", "sla", "digest", "privacy")


def _assemble(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name in SECTIONS:
        try:
            module = import_module(f"bot.core.texts.{name}")
        except ModuleNotFoundError:
            continue
        section: dict[str, str] = getattr(module, lang.upper())
        clash = merged.keys() & section.keys()
        if clash:
            raise RuntimeError(f"catalogue keys defined twice: {sorted(clash)}")
        merged.update(section)
    return merged


NB: dict[str, str] = _assemble("nb")
NN: dict[str, str] = _assemble("nn")
CATALOGUES: dict[str, dict[str, str]] = {"nb": NB, "nn": NN}


def t(lang: str, key: str, **values: Any) -> str:
    """The text for key in lang (falls back to bokmål), filled with values."""
    template = CATALOGUES.get(lang, NB).get(key) or NB[key]
    return template.format(**values) if values else template
