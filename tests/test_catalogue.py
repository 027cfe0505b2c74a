"""Bokmål and nynorsk say the same things with the same placeholders."""

from __future__ import annotations

import string

from bot.core.catalogue import NB, NN, t


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(NB) == set(NN)
    mismatched = [key for key in NB if placeholders(NB[key]) != placeholders(NN[key])]
    assert mismatched == []


def test_nynorsk_is_used_when_chosen_and_bokmal_otherwise() -> None:
    assert t("nn", "smalltalk.thanks") == "Berre hyggeleg!"
    assert t("nb", "smalltalk.thanks") == "Bare hyggelig!"
    assert t("se", "smalltalk.thanks") == "Bare hyggelig!"  # unknown language: bokmål
