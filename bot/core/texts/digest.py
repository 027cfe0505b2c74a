"""Texts for the digest area."""

NB: dict[str, str] = {}

NN: dict[str, str] = {}
