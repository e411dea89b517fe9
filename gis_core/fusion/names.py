"""Names of people and organisations normalised for matching: NFKC (full-width to half-width),
no spaces inside Chinese names, one kind of middle dot (``·``) in transliterated names.

    >>> normalise_name(" 张 三 ")
    ('张三', [])
    >>> normalise_name("买买提•艾力")
    ('买买提·艾力', [])
"""

from __future__ import annotations

import re
import unicodedata

from gis_core.fusion.findings import ERROR, WARNING
from gis_core.fusion.idcodes import Issue

__all__ = ["normalise_name", "normalise_org_name", "MIDDLE_DOT"]

MIDDLE_DOT = "·"
# Dots people type between the parts of a transliterated name (维吾尔族、少数民族、外国人姓名).
_DOTS = re.compile("[\u00b7\u2022\u2027\u30fb\uff65\u2219\u22c5\u0387\u16eb\u2e31\uff0e.]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def normalise_name(value: object) -> tuple[str | None, list[Issue]]:
    """A person's name as compared. Chinese names lose all spaces; Latin names keep one space
    between words and are upper-cased."""
    if value is None or str(value).strip() == "":
        return None, [("name_missing", "name missing", WARNING)]
    text = unicodedata.normalize("NFKC", str(value))
    text = _DOTS.sub(MIDDLE_DOT, text)
    issues: list[Issue] = []
    if _CJK.search(text):
        text = re.sub(r"\s+", "", text)
        text = re.sub(r"·+", MIDDLE_DOT, text).strip(MIDDLE_DOT)
    else:
        text = re.sub(r"\s+", " ", text).strip().upper()
    if re.search(r"\d", text):
        issues.append(("name_digits", "name contains digits", ERROR))
        return None, issues
    if not _LETTERS.search(text):
        return None, [("name_format", "name has no letters", ERROR)]
    if _CJK.search(text) and len(text.replace(MIDDLE_DOT, "")) > 20:
        issues.append(("name_length", "name longer than 20 characters", WARNING))
    return text, issues


def normalise_org_name(value: object) -> tuple[str | None, list[Issue]]:
    """An organisation's name as compared: NFKC, no spaces, Chinese brackets for ASCII ones."""
    if value is None or str(value).strip() == "":
        return None, [("name_missing", "name missing", WARNING)]
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    return text, []
