"""Standardisation of source rows before matching: every field of a kind through its rule, the
address split into parts, cross-field checks (ID number against birth date and gender), and a
:class:`~gis_core.fusion.findings.Finding` for every rule a value fails.

    >>> std = standardise("residents", {"name": ["张 三"], "id_number": ["11010519491231002x"],
    ...                                 "phone": ["+86 13812345678"]}, source="police")
    >>> std.columns["name"], std.columns["id_key"], std.findings
    (['张三'], ['11010519491231002X'], [])
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gis_core.fusion.addresses import ADDRESS_PARTS, parse_addresses
from gis_core.fusion.findings import ERROR, WARNING, Finding
from gis_core.fusion.idcodes import (
    id_birth_date,
    id_gender,
    validate_credit_code,
    validate_id_number,
)
from gis_core.fusion.names import normalise_name, normalise_org_name
from gis_core.fusion.phones import normalise_phone

__all__ = [
    "FUSION_KINDS",
    "FIELDS",
    "KEY_FIELD",
    "Standardised",
    "standardise",
    "parse_date",
    "normalise_gender",
]

FUSION_KINDS = ("residents", "households", "enterprises", "buildings")

# The fields a source can map to, per kind (address parts are derived from ``address``).
FIELDS: dict[str, tuple[str, ...]] = {
    "residents": (
        "name",
        "id_number",
        "gender",
        "birth_date",
        "phone",
        "address",
        "household_code",
    ),
    "enterprises": (
        "name",
        "credit_code",
        "phone",
        "address",
        "legal_person",
        "industry",
        "employees",
    ),
    # A household (户): its number in the household register, the head of household (name and ID
    # number, the ID encrypted at rest like residents'), address, member count and phone.
    "households": (
        "household_code",
        "head_name",
        "head_id_number",
        "address",
        "members",
        "phone",
    ),
    "buildings": ("address", "name", "floors", "units", "use"),
}
# The identifier that links deterministically, per kind.
KEY_FIELD = {
    "residents": "id_number",
    "households": "head_id_number",
    "enterprises": "credit_code",
    "buildings": None,
}
MAX_MEMBERS = 30  # more people in one household is a typo (or a collective household)


@dataclass
class Standardised:
    """Standardised columns (lists, one value per row) and the findings of the rows."""

    kind: str
    columns: dict[str, list[Any]]
    findings: list[Finding] = field(default_factory=list)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(value: object) -> dt.date | None:
    """``1990-01-02``, ``1990/1/2``, ``1990.1.2``, ``19900102``, ``1990年1月2日`` → a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text) or pattern.match(text)
        if m:
            try:
                return dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                return None
    return None


_GENDERS = {
    "男": "男",
    "m": "男",
    "male": "男",
    "1": "男",
    "女": "女",
    "f": "女",
    "female": "女",
    "2": "女",
}


def normalise_gender(value: object) -> str | None:
    if value is None:
        return None
    return _GENDERS.get(unicodedata.normalize("NFKC", str(value)).strip().lower())


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == ""


def _code(v: object) -> str | None:
    """A register number: NFKC, no spaces, upper case (``h 000 123`` → ``H000123``)."""
    if v is None:
        return None
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(v))).upper() or None


def _int(v: object) -> int | None:
    try:
        return int(float(unicodedata.normalize("NFKC", str(v)).strip()))
    except (TypeError, ValueError):
        return None


def standardise(
    kind: str,
    columns: Mapping[str, Sequence[Any]],
    source: str,
    rows: Sequence[int] | None = None,
    default_area: str | None = None,
    today: dt.date | None = None,
) -> Standardised:
    """Standardise the mapped columns of one source's rows.

    Output columns: the kind's fields (normalised; None where invalid or missing), the address
    parts, ``address_key`` / ``building_key``, and for the kind's identifier ``<field>_raw``
    (cleaned but unvalidated, for fuzzy comparison in memory — never stored in clear) and
    ``id_key`` (the valid identifier, the deterministic matching key) — None where invalid.
    """
    if kind not in FIELDS:
        raise ValueError(f"fusion does not know {kind!r}; kinds: {', '.join(FUSION_KINDS)}")
    n = len(next(iter(columns.values()), []))
    rows = list(rows) if rows is not None else list(range(1, n + 1))
    today = today or dt.date.today()
    findings: list[Finding] = []
    out: dict[str, list[Any]] = {}

    def col(name: str) -> list[Any]:
        values = columns.get(name)
        return [None if _blank(v) else v for v in values] if values is not None else [None] * n

    def note(i: int, name: str, issues) -> None:
        for rule, message, severity in issues:
            if rule.endswith("_missing") and name not in columns:
                continue  # a field the source does not have is not a finding per row
            findings.append(Finding(source, rows[i], name, rule, message, severity))

    if kind == "residents":
        names, ids, phones = [], [], []
        for i, v in enumerate(col("name")):
            value, issues = normalise_name(v)
            names.append(value)
            note(i, "name", issues)
        out["name"] = names
        raw = col("id_number")
        for i, v in enumerate(raw):
            value, issues = validate_id_number(v, today)
            ids.append(value)
            note(i, "id_number", issues)
        out["id_number_raw"] = [
            None if v is None else re.sub(r"\s", "", unicodedata.normalize("NFKC", str(v))).upper()
            for v in raw
        ]
        out["id_key"] = ids
        for i, v in enumerate(col("phone")):
            value, issues = normalise_phone(v, default_area)
            phones.append(value)
            note(i, "phone", issues)
        out["phone"] = phones
        births, genders = [], []
        for i, (b, g, key) in enumerate(zip(col("birth_date"), col("gender"), ids)):
            birth = parse_date(b)
            if b is not None and birth is None:
                note(i, "birth_date", [("date_format", "birth date is not a date", ERROR)])
            gender = normalise_gender(g)
            if g is not None and gender is None:
                note(i, "gender", [("gender_value", "gender is not 男/女", ERROR)])
            if key is not None:
                from_id = id_birth_date(key)
                if birth is not None and birth != from_id:
                    note(
                        i,
                        "birth_date",
                        [("birth_date_vs_id", "birth date differs from the ID number's", WARNING)],
                    )
                birth = birth or from_id
                if gender is not None and gender != id_gender(key):
                    note(
                        i,
                        "gender",
                        [("gender_vs_id", "gender differs from the ID number's", WARNING)],
                    )
                gender = gender or id_gender(key)
            births.append(birth)
            genders.append(gender)
        out["birth_date"] = births
        out["gender"] = genders
        out["household_code"] = [_code(v) for v in col("household_code")]
    elif kind == "households":
        names, ids, phones = [], [], []
        for i, v in enumerate(col("head_name")):
            value, issues = normalise_name(v)
            names.append(value)
            note(i, "head_name", issues)
        out["head_name"] = names
        raw = col("head_id_number")
        for i, v in enumerate(raw):
            value, issues = validate_id_number(v, today)
            ids.append(value)
            note(i, "head_id_number", issues)
        out["head_id_number_raw"] = [_code(v) for v in raw]
        out["id_key"] = ids
        for i, v in enumerate(col("phone")):
            value, issues = normalise_phone(v, default_area)
            phones.append(value)
            note(i, "phone", issues)
        out["phone"] = phones
        out["household_code"] = [_code(v) for v in col("household_code")]
        members = col("members")
        counts = [_int(v) for v in members]
        for i, (v, k) in enumerate(zip(members, counts)):
            if v is not None and (k is None or not 1 <= k <= MAX_MEMBERS):
                note(i, "members", [("members_value", "member count is not 1–30", ERROR)])
        out["members"] = [k if k is not None and 1 <= k <= MAX_MEMBERS else None for k in counts]
    elif kind == "enterprises":
        names, codes, phones = [], [], []
        for i, v in enumerate(col("name")):
            value, issues = normalise_org_name(v)
            names.append(value)
            note(i, "name", issues)
        out["name"] = names
        raw = col("credit_code")
        for i, v in enumerate(raw):
            value, issues = validate_credit_code(v)
            codes.append(value)
            note(i, "credit_code", issues)
        out["credit_code_raw"] = [
            None if v is None else re.sub(r"\s", "", unicodedata.normalize("NFKC", str(v))).upper()
            for v in raw
        ]
        out["id_key"] = codes
        for i, v in enumerate(col("phone")):
            value, issues = normalise_phone(v, default_area)
            phones.append(value)
            note(i, "phone", issues)
        out["phone"] = phones
        out["legal_person"] = [normalise_name(v)[0] for v in col("legal_person")]
        out["industry"] = [None if v is None else str(v).strip() for v in col("industry")]
        out["employees"] = [_int(v) for v in col("employees")]
    else:  # buildings
        out["name"] = [None if v is None else normalise_org_name(v)[0] for v in col("name")]
        for name in ("floors", "units"):
            values = col(name)
            ints = [_int(v) for v in values]
            for i, (v, k) in enumerate(zip(values, ints)):
                if v is not None and (k is None or k < 0 or k > 200):
                    note(i, name, [(f"{name}_value", f"{name} is not a plausible count", ERROR)])
            out[name] = [k if k is not None and 0 <= k <= 200 else None for k in ints]
        out["use"] = [None if v is None else str(v).strip() for v in col("use")]
        out["id_key"] = [None] * n
    parsed = parse_addresses(col("address"))
    for i, (_, issues) in enumerate(parsed):
        note(i, "address", issues)
    out["address"] = [None if a is None else (_address_text(a) or None) for a, _ in parsed]
    for part in ADDRESS_PARTS:
        out[part] = [None if a is None else getattr(a, part) for a, _ in parsed]
    out["address_key"] = [None if a is None else a.key for a, _ in parsed]
    out["building_key"] = [None if a is None else a.building_key for a, _ in parsed]
    if kind == "buildings":
        for i, (a, _) in enumerate(parsed):
            if a is not None and a.room:
                note(
                    i,
                    "address",
                    [("building_has_room", "a building's address names a room", WARNING)],
                )
    return Standardised(kind, out, findings)


def _address_text(a) -> str:
    """The parsed address written back in one canonical form (for display and survivorship)."""
    text = "".join(p or "" for p in (a.district, a.street, a.community, a.estate, a.road))
    if a.number:
        text += f"{a.number}号"
    if a.building:
        text += f"{a.building}栋"
    if a.unit:
        text += f"{a.unit}单元"
    if a.room:
        text += f"{a.room}室"
    return text + (a.rest or "")
