"""The event catalogue: categories with their time limits and escalation ladders, departments,
the rules that turn alarms into cases, fusion distances, and the working calendar.

It ships as YAML (``resources/cases/catalogue.yaml`` and ``calendar.yaml``); a store keeps its own
copy (tables ``case_categories`` and ``departments``, ``store_meta`` keys ``cases.*``) so every
workstation on one database computes the same deadlines. :func:`load_catalogue` reads the store's
copy and falls back to the shipped files for anything the store does not hold yet. Example::

    >>> cat = Catalogue.default()
    >>> cat.category("垃圾堆放").code, cat.category("garbage").limit("in_progress")
    ('garbage', 4.0)
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select

from gis_core import schema
from gis_core.cases.calendar import (
    Clock,
    WorkingCalendar,
    clock_for,
    utc,
)
from gis_core.cases.lifecycle import STATES
from gis_core.store import StoreError

__all__ = [
    "Catalogue",
    "Category",
    "Rung",
    "Department",
    "AlarmCaseRule",
    "FusionSettings",
    "UnknownCategory",
    "DEFAULT_CATALOGUE_FILE",
    "load_catalogue",
    "save_catalogue",
    "SEVERITIES",
]

DEFAULT_CATALOGUE_FILE = (
    Path(__file__).resolve().parents[2] / "resources" / "cases" / "catalogue.yaml"
)
SEVERITIES = ("info", "minor", "major", "critical")  # gis_core.live.Severity, by name
META_CALENDAR = "cases.calendar"
META_ALARM_RULES = "cases.alarm_rules"
META_FUSION = "cases.fusion"


class UnknownCategory(StoreError):
    """A category that is not in the catalogue."""


def _names(value: Any, fallback: str) -> tuple[str, str]:
    if isinstance(value, Mapping):
        zh = str(value.get("zh") or value.get("en") or fallback)
        return zh, str(value.get("en") or zh)
    if value:
        return str(value), str(value)
    return fallback, fallback


@dataclass(frozen=True)
class Rung:
    """One rung of an escalation ladder: who takes the case there and how long they have."""

    name: str
    name_en: str
    role: str
    limit_h: float

    def to_mapping(self) -> dict[str, Any]:
        return {
            "name": {"zh": self.name, "en": self.name_en},
            "role": self.role,
            "limit_h": self.limit_h,
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Rung:
        zh, en = _names(data.get("name"), str(data.get("role", "?")))
        return cls(zh, en, str(data.get("role", "operator")), float(data.get("limit_h", 4)))


@dataclass(frozen=True)
class Category:
    """A category: names, clock (``working`` or ``natural``), hours allowed per state, ladder,
    and the department usually in charge."""

    code: str
    name: str
    name_en: str
    clock: str = "working"
    limits: Mapping[str, float] = field(default_factory=dict)
    ladder: tuple[Rung, ...] = ()
    department: str | None = None
    active: bool = True
    sort: int = 0

    def limit(self, state: str, level: int = 0) -> float | None:
        """Hours allowed in ``state`` (the ladder rung's limit for an escalated case)."""
        if state == "escalated":
            if 1 <= level <= len(self.ladder):
                return self.ladder[level - 1].limit_h
            return None
        value = self.limits.get(state)
        return None if value is None else float(value)

    @property
    def label(self) -> str:
        return f"{self.name} / {self.name_en}" if self.name != self.name_en else self.name


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    name_en: str
    contact: str | None = None
    active: bool = True


@dataclass(frozen=True)
class AlarmCaseRule:
    """An alarm whose rule name matches ``rule`` (a shell pattern) and whose severity is at
    least ``min_severity`` opens a case of ``category``."""

    rule: str
    category: str
    min_severity: str = "minor"

    def matches(self, rule: str, severity: str) -> bool:
        sev = str(severity).lower()
        if sev not in SEVERITIES:
            return False
        return fnmatch.fnmatchcase(rule, self.rule) and SEVERITIES.index(sev) >= SEVERITIES.index(
            self.min_severity
        )


@dataclass(frozen=True)
class FusionSettings:
    """Events of one category within ``distance_m`` metres and ``minutes`` of each other are
    proposed as one case."""

    distance_m: float = 50.0
    minutes: float = 120.0


@dataclass(frozen=True)
class Catalogue:
    categories: Mapping[str, Category]
    departments: Mapping[str, Department]
    alarm_rules: tuple[AlarmCaseRule, ...]
    fusion: FusionSettings
    calendar: WorkingCalendar

    # ----------------------------------------------------------------- look-ups
    def category(self, name: str) -> Category:
        """By code, Chinese or English name (case-insensitive for codes and English)."""
        key = str(name).strip()
        found = self.categories.get(key) or self.categories.get(key.lower())
        if found is None:
            low = key.lower()
            for c in self.categories.values():
                if key == c.name or low == c.name_en.lower():
                    found = c
                    break
        if found is None:
            known = ", ".join(f"{c.code} ({c.name})" for c in self.categories.values())
            raise UnknownCategory(f"unknown category {name!r}; the catalogue has: {known}")
        return found

    def find(self, name: str) -> Category | None:
        try:
            return self.category(name)
        except UnknownCategory:
            return None

    def clock(self, category: str) -> Clock:
        c = self.find(category)
        return clock_for(c.clock if c else "working", self.calendar)

    def deadline(
        self, category: str, state: str, start: dt.datetime, level: int = 0
    ) -> dt.datetime | None:
        """When a case of ``category`` entering ``state`` at ``start`` is due (None: no limit)."""
        c = self.find(category)
        hours = None if c is None else c.limit(state, level)
        if hours is None:
            return None
        return utc(self.clock(category).add_hours(start, hours))

    def ladder_top(self, category: str) -> int:
        c = self.find(category)
        return len(c.ladder) if c else 0

    def alarm_category(self, rule: str, severity: str) -> str | None:
        """The category of the case an alarm opens, or None when no rule says it opens one."""
        for r in self.alarm_rules:
            if r.matches(rule, severity):
                return r.category
        return None

    # ----------------------------------------------------------------- building
    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], calendar: WorkingCalendar | None = None
    ) -> Catalogue:
        defaults = data.get("defaults") or {}
        base_limits = {k: float(v) for k, v in (defaults.get("limits_h") or {}).items()}
        base_ladder = tuple(Rung.from_mapping(r) for r in defaults.get("ladder") or ())
        base_clock = str(defaults.get("clock", "working"))
        categories: dict[str, Category] = {}
        for i, (code, spec) in enumerate((data.get("categories") or {}).items()):
            spec = spec or {}
            zh, en = _names(spec.get("name"), code)
            limits = {
                **base_limits,
                **{k: float(v) for k, v in (spec.get("limits_h") or {}).items()},
            }
            unknown = set(limits) - set(STATES)
            if unknown:
                raise ValueError(
                    f"category {code}: unknown state(s) in limits_h: {sorted(unknown)}"
                )
            ladder = (
                tuple(Rung.from_mapping(r) for r in spec["ladder"])
                if spec.get("ladder") is not None
                else base_ladder
            )
            clock = str(spec.get("clock", base_clock))
            clock_for(clock, calendar or WorkingCalendar())  # validates the name
            categories[str(code)] = Category(
                str(code),
                zh,
                en,
                clock,
                limits,
                ladder,
                spec.get("department"),
                bool(spec.get("active", True)),
                i,
            )
        departments = {}
        for d in data.get("departments") or ():
            zh, en = _names(d.get("name"), d["code"])
            departments[str(d["code"])] = Department(
                str(d["code"]), zh, en, d.get("contact"), bool(d.get("active", True))
            )
        rules = tuple(
            AlarmCaseRule(
                str(r["rule"]), str(r["category"]), str(r.get("min_severity", "minor")).lower()
            )
            for r in data.get("alarm_rules") or ()
        )
        for r in rules:
            if r.category not in categories:
                raise ValueError(f"alarm rule {r.rule}: unknown category {r.category!r}")
            if r.min_severity not in SEVERITIES:
                raise ValueError(f"alarm rule {r.rule}: unknown severity {r.min_severity!r}")
        fusion = data.get("fusion") or {}
        return cls(
            categories,
            departments,
            rules,
            FusionSettings(
                float(fusion.get("distance_m", FusionSettings.distance_m)),
                float(fusion.get("minutes", FusionSettings.minutes)),
            ),
            calendar or WorkingCalendar.default(),
        )

    @classmethod
    def load(cls, path: str | Path, calendar: WorkingCalendar | None = None) -> Catalogue:
        import yaml

        with open(path, encoding="utf-8") as f:
            return cls.from_mapping(yaml.safe_load(f) or {}, calendar)

    @classmethod
    def default(cls) -> Catalogue:
        """The shipped catalogue and calendar."""
        if not _DEFAULT:
            _DEFAULT.append(cls.load(DEFAULT_CATALOGUE_FILE, WorkingCalendar.default()))
        return _DEFAULT[0]


_DEFAULT: list[Catalogue] = []


# ------------------------------------------------------------------------------- the store's copy
_CATEGORIES = cast(Table, schema.CaseCategory.__table__)
_DEPARTMENTS = cast(Table, schema.Department.__table__)


def load_catalogue(store) -> Catalogue:
    """The store's catalogue; the shipped one for whatever the store does not hold."""
    shipped = Catalogue.default()
    with store.engine.connect() as conn:
        cat_rows = conn.execute(select(_CATEGORIES).order_by(_CATEGORIES.c.sort)).all()
        dep_rows = conn.execute(select(_DEPARTMENTS).order_by(_DEPARTMENTS.c.code)).all()
        meta = dict(
            conn.execute(
                select(schema.StoreMeta.key, schema.StoreMeta.value).where(
                    schema.StoreMeta.key.in_([META_CALENDAR, META_ALARM_RULES, META_FUSION])
                )
            ).all()
        )
    categories = (
        {
            r.code: Category(
                r.code,
                r.name,
                r.name_en or r.name,
                r.clock,
                {k: float(v) for k, v in _json(r.limits).items()},
                tuple(Rung.from_mapping(x) for x in _json(r.ladder)),
                r.department,
                bool(r.active),
                int(r.sort or 0),
            )
            for r in cat_rows
        }
        if cat_rows
        else shipped.categories
    )
    departments = (
        {
            r.code: Department(r.code, r.name, r.name_en or r.name, r.contact, bool(r.active))
            for r in dep_rows
        }
        if dep_rows
        else shipped.departments
    )
    calendar = (
        WorkingCalendar.from_mapping(json.loads(meta[META_CALENDAR]))
        if META_CALENDAR in meta
        else shipped.calendar
    )
    rules = (
        tuple(AlarmCaseRule(**r) for r in json.loads(meta[META_ALARM_RULES]))
        if META_ALARM_RULES in meta
        else shipped.alarm_rules
    )
    fusion = (
        FusionSettings(**json.loads(meta[META_FUSION])) if META_FUSION in meta else shipped.fusion
    )
    return Catalogue(categories, departments, rules, fusion, calendar)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def save_catalogue(store, catalogue: Catalogue) -> None:
    """Make ``catalogue`` the store's (one transaction). Categories no longer listed are kept,
    inactive, so old cases keep their names and limits."""
    with store.begin() as conn:
        old = {
            r.code: r
            for r in conn.execute(select(_CATEGORIES)).all()
            if r.code not in catalogue.categories
        }
        conn.execute(delete(_CATEGORIES))
        rows = [
            {
                "code": c.code,
                "name": c.name,
                "name_en": c.name_en,
                "clock": c.clock,
                "limits": dict(c.limits),
                "ladder": [r.to_mapping() for r in c.ladder],
                "department": c.department,
                "sort": i,
                "active": c.active,
            }
            for i, c in enumerate(catalogue.categories.values())
        ]
        rows += [
            {**r._asdict(), "active": False, "sort": len(rows) + i}
            for i, r in enumerate(old.values())
        ]
        if rows:
            conn.execute(insert(_CATEGORIES), rows)
        known = {r.code for r in conn.execute(select(_DEPARTMENTS.c.code)).all()}
        for d in catalogue.departments.values():
            values = {
                "name": d.name,
                "name_en": d.name_en,
                "contact": d.contact,
                "active": d.active,
            }
            if d.code in known:
                conn.execute(
                    _DEPARTMENTS.update().where(_DEPARTMENTS.c.code == d.code).values(**values)
                )
            else:
                conn.execute(insert(_DEPARTMENTS).values(code=d.code, **values))
        for code in known - set(catalogue.departments):
            conn.execute(
                _DEPARTMENTS.update().where(_DEPARTMENTS.c.code == code).values(active=False)
            )
        store.set_meta(
            META_CALENDAR, json.dumps(catalogue.calendar.to_mapping(), ensure_ascii=False), conn
        )
        store.set_meta(
            META_ALARM_RULES,
            json.dumps([r.__dict__ for r in catalogue.alarm_rules], ensure_ascii=False),
            conn,
        )
        store.set_meta(META_FUSION, json.dumps(catalogue.fusion.__dict__), conn)
