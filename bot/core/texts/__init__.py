"""Sections of the message catalogue, one module per area; bot.core.catalogue joins them."""
