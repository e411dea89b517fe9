"""Phone numbers normalised for matching: mainland mobiles as 11 digits, landlines as
``<area code>-<number>``, with country prefixes, spaces, dashes and brackets removed.

    >>> normalise_phone("+86 138-1234-5678")
    ('13812345678', [])
    >>> normalise_phone("(029) 8888 1234")
    ('029-88881234', [])
"""

from __future__ import annotations

import re
import unicodedata

from gis_core.fusion.findings import ERROR, WARNING
from gis_core.fusion.idcodes import Issue

__all__ = ["normalise_phone", "is_mobile"]

_MOBILE = re.compile(r"1[3-9]\d{9}")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)(\d{1,6})$", re.IGNORECASE)
# Two-digit area codes after the 0: Beijing 010 and the 02x cities; every other one has three.
_SHORT_AREA = re.compile(r"0(?:10|2\d)")


def is_mobile(value: str | None) -> bool:
    return value is not None and _MOBILE.fullmatch(value) is not None


def normalise_phone(
    value: object, default_area: str | None = None
) -> tuple[str | None, list[Issue]]:
    """A phone number as compared: a mobile ``13812345678``, a landline ``029-88881234``
    (``029-88881234-123`` with an extension), a service number ``400-8123456``.

    A landline without an area code gets ``default_area`` (with a warning) if given.
    Returns None and an error for anything else.
    """
    if value is None or str(value).strip() == "":
        return None, [("phone_missing", "phone missing", WARNING)]
    text = unicodedata.normalize("NFKC", str(value)).strip()
    ext = ""
    m = _EXTENSION.search(text.replace(" ", ""))
    if m:
        ext = m.group(1)
        text = text.replace(" ", "")[: m.start()]
    digits = re.sub(r"[\s\-()（）.·/]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("86"):
            return None, [("phone_foreign", "phone number outside mainland China", ERROR)]
    if not digits.isdigit():
        return None, [("phone_format", "phone number has characters other than digits", ERROR)]
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) in (13, 12, 11) and not _MOBILE.fullmatch(digits):
        digits = digits[2:]
        if len(digits) in (9, 10) and not digits.startswith("0"):
            digits = "0" + digits  # +86 29 8888 1234: the trunk 0 is dropped after +86
    if _MOBILE.fullmatch(digits):
        issues = (
            [("phone_extension", "extension on a mobile number dropped", WARNING)] if ext else []
        )
        return digits, issues
    if re.fullmatch(r"[48]00\d{7}", digits):
        return f"{digits[:3]}-{digits[3:]}", []
    issues: list[Issue] = []
    if not digits.startswith("0") and len(digits) in (7, 8):
        if default_area is None:
            return None, [("phone_no_area_code", "landline without an area code", ERROR)]
        digits = default_area + digits
        issues.append(
            ("phone_no_area_code", "landline without area code: default area code added", WARNING)
        )
    if digits.startswith("0"):
        cut = 3 if _SHORT_AREA.match(digits) else 4
        area, local = digits[:cut], digits[cut:]
        if len(local) in (7, 8) and not local.startswith(("0", "1")):
            return f"{area}-{local}" + (f"-{ext}" if ext else ""), issues
    if len(digits) == 11 and digits.startswith("1"):
        return None, [("phone_mobile_prefix", "11 digits but not a mobile number prefix", ERROR)]
    return None, [
        ("phone_format", f"not a mobile or landline number ({len(digits)} digits)", ERROR)
    ]
