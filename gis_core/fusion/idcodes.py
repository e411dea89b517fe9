"""Validation of resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).

Each check returns the normalised value (or None when it cannot be used for matching) and the
rules it failed as ``(rule, message, severity)`` — messages never repeat the value.

    >>> id_check_digit("11010519491231002")
    'X'
    >>> validate_id_number("11010519491231002x")
    ('11010519491231002X', [])
    >>> credit_check_char("91350100M000100Y4")
    '3'
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from gis_core.fusion.findings import ERROR, WARNING

__all__ = [
    "Issue",
    "id_check_digit",
    "validate_id_number",
    "id_birth_date",
    "id_gender",
    "credit_check_char",
    "org_code_check_char",
    "validate_credit_code",
    "PROVINCE_CODES",
]

Issue = tuple[str, str, str]  # rule, message, severity

# GB 11643: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11, 10 written X (ISO 7064 MOD 11-2).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # indexed by sum mod 11

# GB/T 2260 province-level codes (the first two digits of a region code); 71 Taiwan, 81 Hong Kong,
# 82 Macao and 83 (residence permits of Taiwan residents) appear on ID numbers too.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)

# GB 32100: 31 characters (no I, O, Z, S, V), weights 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714 organisation code (characters 9-17 of a credit code), its own check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUE = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}}
_REGISTRAR = "123456789ANY"  # first character: registration authority (1 organs … 9 SAMR, Y other)

_ID_RE = re.compile(r"\d{17}[\dX]")
_ID15_RE = re.compile(r"\d{15}")


def _clean(value: object) -> str:
    """Full-width digits and letters to ASCII, no spaces or separators, upper case."""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s\-_.·]", "", text).upper()


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def id_birth_date(number: str) -> dt.date | None:
    """The birth date encoded in an 18-digit ID number, or None if it is not a date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_gender(number: str) -> str:
    """``男`` for an odd sequence digit (the 17th), ``女`` for an even one."""
    return "男" if int(number[16]) % 2 else "女"


@lru_cache(maxsize=1)
def _known_regions() -> frozenset[str]:
    """County-level codes known to cpca (GB/T 2260, recent); empty when cpca is not installed."""
    try:
        import cpca
    except ImportError:  # pragma: no cover - cpca is a dependency; this keeps the check optional
        return frozenset()
    return frozenset(code[:6] for code in cpca.ad_2_addr_dict)


def validate_id_number(
    value: object, today: dt.date | None = None
) -> tuple[str | None, list[Issue]]:
    """Check an ID number: length and characters, birth date, region code, check digit.

    A 15-digit number (issued before 1999) is upgraded to 18 digits with a warning. The value
    comes back normalised (ASCII, upper-case X) when it is usable as a matching key, else None —
    a number with a wrong check digit is kept aside (it is probably a typo of a real one).
    """
    if value is None or str(value).strip() == "":
        return None, [("id_missing", "ID number missing", WARNING)]
    text = _clean(value)
    issues: list[Issue] = []
    if _ID15_RE.fullmatch(text):
        first17 = text[:6] + "19" + text[6:]
        text = first17 + id_check_digit(first17)
        issues.append(("id_15_digit", "15-digit ID number upgraded to 18 digits", WARNING))
    if not _ID_RE.fullmatch(text):
        return None, [
            (
                "id_format",
                f"ID number is not 17 digits and a check character ({len(text)} characters)",
                ERROR,
            )
        ]
    ok = True
    if int(text[:2]) not in PROVINCE_CODES:
        issues.append(("id_region", f"region code starts with {text[:2]}, not a province", ERROR))
        ok = False
    elif (known := _known_regions()) and text[:6] not in known and text[2:6] != "0000":
        # Numbers keep the code of the place of first registration, which may since have been
        # abolished: doubtful, not invalid.
        issues.append(("id_region_unknown", "region code is not a current county code", WARNING))
    born = id_birth_date(text)
    today = today or dt.date.today()
    if born is None:
        issues.append(("id_birth_date", "birth date in the ID number is not a date", ERROR))
        ok = False
    elif born > today or born.year < 1890:
        issues.append(("id_birth_date", f"birth year {born.year} is not plausible", ERROR))
        ok = False
    if id_check_digit(text[:17]) != text[17]:
        issues.append(("id_check_digit", "check digit does not match (GB 11643)", ERROR))
        ok = False
    return (text if ok else None), issues


def credit_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a credit code."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character of an organisation code's first 8 characters."""
    total = sum(_ORG_VALUE[c] * w for c, w in zip(first8, _ORG_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def validate_credit_code(value: object) -> tuple[str | None, list[Issue]]:
    """Check a unified social credit code: 18 characters of the GB 32100 alphabet, registration
    authority, region code, the embedded organisation code's check (GB 11714) and the final
    check character. Returns the normalised code when usable as a key, else None."""
    if value is None or str(value).strip() == "":
        return None, [("credit_missing", "credit code missing", WARNING)]
    text = _clean(value)
    if len(text) != 18 or any(c not in _USCC_VALUE for c in text):
        return None, [
            (
                "credit_format",
                f"credit code is not 18 characters of the GB 32100 alphabet ({len(text)} characters)",
                ERROR,
            )
        ]
    issues: list[Issue] = []
    ok = True
    if text[0] not in _REGISTRAR:
        issues.append(("credit_registrar", "unknown registration authority code", ERROR))
        ok = False
    if not text[2:8].isdigit() or int(text[2:4]) not in PROVINCE_CODES and text[2:4] != "10":
        issues.append(("credit_region", "region code is not a province's", ERROR))
        ok = False
    if credit_check_char(text[:17]) != text[17]:
        issues.append(("credit_check_char", "check character does not match (GB 32100)", ERROR))
        ok = False
    org = text[8:17]
    if all(c in _ORG_VALUE for c in org[:8]) and org_code_check_char(org[:8]) != org[8]:
        # Many codes carry organisation codes issued without their check: only a warning.
        issues.append(
            ("credit_org_code", "embedded organisation code fails its GB 11714 check", WARNING)
        )
    return (text if ok else None), issues
