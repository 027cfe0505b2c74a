"""Texts for the privacy area."""

NB: dict[str, str] = {}

NN: dict[str, str] = {}
