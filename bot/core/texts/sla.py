"""Texts for the sla area."""

NB: dict[str, str] = {}

NN: dict[str, str] = {}
