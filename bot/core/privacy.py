"""Masks Norwegian national identity numbers (fødselsnummer, D-nummer) in free text.

An 11-digit number counts when its two mod-11 check digits are right; D-numbers add 4 to the
first digit of the day. We mask before anything is stored, logged or forwarded.
"""

from __future__ import annotations

import dataclasses
import re

from .model import Event

_CANDIDATE = re.compile(r"(?<!\d)(\d{6})[ .-]?(\d{5})(?!\d)")
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
MASK = "[fødselsnummer fjernet]"


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    rest = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    if rest == 11:
        return 0
    return None if rest == 10 else rest


def is_national_id(number: str) -> bool:
    if len(number) != 11 or not number.isdigit():
        return False
    digits = [int(c) for c in number]
    day = digits[0] * 10 + digits[1]
    month = digits[2] * 10 + digits[3]
    if day > 40:
        day -= 40  # D-nummer
    if month > 40:
        month -= 40  # H-nummer / synthetic test numbers
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    k1 = _check_digit(digits[:9], _W1)
    if k1 is None or k1 != digits[9]:
        return False
    k2 = _check_digit(digits[:10], _W2)
    return k2 is not None and k2 == digits[10]


def mask_national_ids(text: str) -> tuple[str, int]:
    """The text with every valid national id replaced, and how many were replaced."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if is_national_id(match.group(1) + match.group(2)):
            count += 1
            return MASK
        return match.group(0)

    return _CANDIDATE.sub(replace, text), count


def mask_event(event: Event) -> Event:
    """The event with national ids masked in its text and in what was typed into a form; the
    count of masked numbers is added to event.masked, so the writer can be told."""
    text, count = mask_national_ids(event.text) if isinstance(event.text, str) else (event.text, 0)
    action = event.action
    if action is not None and action.inputs:
        inputs = {}
        for name, value in action.inputs.items():
            inputs[name], n = mask_national_ids(value) if isinstance(value, str) else (value, 0)
            count += n
        if count:
            action = dataclasses.replace(action, inputs=inputs)
    if not count:
        return event
    return dataclasses.replace(event, text=text, action=action, masked=event.masked + count)
