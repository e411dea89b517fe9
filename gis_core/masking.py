"""Masking of personal data (ID numbers, phones, names) for screens and exports.

Conventions follow common practice in Chinese government systems: an ID number keeps its first 4
(region) and last 4 characters, a mobile number its first 3 and last 4 digits, a name its first
character (surname) and, for three or more characters, its last. Masks keep the value's length so
columns stay aligned. ``None`` (and NaN) stays ``None``.

    >>> mask_id_number("610402199001011234")
    '6104**********1234'
    >>> mask_phone("13812345678")
    '138****5678'
    >>> mask_name("张三"), mask_name("欧阳娜娜")
    ('张*', '欧**娜')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

__all__ = [
    "MASK_CHAR",
    "PERSONAL_FIELDS",
    "mask_id_number",
    "mask_phone",
    "mask_name",
    "mask_values",
    "is_masked",
]

MASK_CHAR = "*"


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _keep(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        # Too short to show both ends without revealing most of it: keep at most the last two.
        tail = min(2, max(0, len(text) - 2))
        head = 0
    return text[:head] + MASK_CHAR * (len(text) - head - tail) + (text[-tail:] if tail else "")


def mask_id_number(value) -> str | None:
    """``610402199001011234`` → ``6104**********1234`` (first 4 and last 4 kept)."""
    text = _text(value)
    return None if text is None else _keep(text.strip(), 4, 4)


def mask_phone(value) -> str | None:
    """``13812345678`` → ``138****5678`` (first 3 and last 4 kept)."""
    text = _text(value)
    return None if text is None else _keep(text.strip(), 3, 4)


def mask_name(value) -> str | None:
    """``张三`` → ``张*``, ``张三丰`` → ``张*丰``, ``欧阳娜娜`` → ``欧**娜``."""
    text = _text(value)
    if text is None:
        return None
    text = text.strip()
    if len(text) <= 1:
        return MASK_CHAR * len(text)
    if len(text) == 2:
        return text[0] + MASK_CHAR
    return text[0] + MASK_CHAR * (len(text) - 2) + text[-1]


# Personal columns per layer kind and how each is masked (the security work reuses this table).
PERSONAL_FIELDS: dict[str, dict[str, Callable]] = {
    "residents": {"name": mask_name, "id_number": mask_id_number, "phone": mask_phone},
}


def mask_values(mask: Callable, values: Iterable) -> np.ndarray:
    """Apply one of the mask functions to every value of a column; returns an object array."""
    values = list(values)
    out = np.empty(len(values), dtype=object)
    out[:] = [mask(v) for v in values]
    return out


def is_masked(value) -> bool:
    """True if a value looks masked (contains the mask character), e.g. it came from an export."""
    text = _text(value)
    return text is not None and MASK_CHAR in text
