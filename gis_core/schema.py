"""The Zhiwang data model: one schema for PostGIS and SpatiaLite (SQLAlchemy 2 + GeoAlchemy2).

Geometries are stored in the deployment's working CRS, chosen at ``init`` and kept in
``store_meta``. The ORM column types below therefore carry no SRID: the migrations create the
columns with the working SRID, and the store tags every geometry it writes with it.

Every row that belongs to a grid cell carries ``grid_cell_id`` (see ``CELL_SCOPED``), so access can
be scoped per cell and data can later be distributed by cell.
"""

from __future__ import annotations

import datetime as dt

from geoalchemy2 import Geometry
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "StoreMeta",
    "LayerExtent",
    "Community",
    "GridCell",
    "Street",
    "Building",
    "Resident",
    "Enterprise",
    "Facility",
    "Camera",
    "Sensor",
    "Reading",
    "Event",
    "AnalysisRun",
    "AnalysisCellResult",
    "Quarantine",
    "Alarm",
    "GridCellVersion",
    "EditJournalEntry",
    "AccessBase",
    "User",
    "UserCell",
    "AuditEntry",
    "AuditHead",
    "KINDS",
    "CELL_SCOPED",
    "GEOMETRY_TYPES",
    "FACILITY_KINDS",
    "SENSOR_KINDS",
    "BUILDING_USES",
]

FACILITY_KINDS = (
    "clinic",
    "hospital",
    "school",
    "kindergarten",
    "pharmacy",
    "elderly_care",
    "grocery",
    "police",
    "fire_station",
    "park",
)
SENSOR_KINDS = ("smoke", "bin_fill", "door", "water_level", "air_quality", "gas", "manhole")
BUILDING_USES = ("residential", "commercial", "mixed", "public", "industrial", "other")


def _geom(geometry_type: str) -> Geometry:
    # srid=-1: the working SRID is set per store by the migration, not by the model. The spatial
    # index is also the migration's job (GiST / R*Tree), so the ORM type does not declare one.
    return Geometry(geometry_type, srid=-1, spatial_index=False)


class Base(DeclarativeBase):
    pass


class StoreMeta(Base):
    """Key/value facts about the store: working SRID, community code, demo flag."""

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LayerExtent(Base):
    """Extent of each geometry table, maintained on write so opening a layer never scans it."""

    __tablename__ = "layer_extents"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    minx: Mapped[float] = mapped_column(Float)
    miny: Mapped[float] = mapped_column(Float)
    maxx: Mapped[float] = mapped_column(Float)
    maxy: Mapped[float] = mapped_column(Float)


class Community(Base):
    """A community (社区): the outer boundary that its grid cells cover exactly."""

    __tablename__ = "communities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    district: Mapped[str | None] = mapped_column(String(64))
    street_office: Mapped[str | None] = mapped_column(String(64))
    geom = mapped_column(_geom("MULTIPOLYGON"), nullable=False)


class GridCell(Base):
    """A grid cell (网格) with its grid worker; ``version`` increments on every committed edit."""

    __tablename__ = "grid_cells"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    code: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. 610402-001-03
    name: Mapped[str] = mapped_column(String(128))
    worker_name: Mapped[str | None] = mapped_column(String(64))
    worker_phone: Mapped[str | None] = mapped_column(String(32))
    supervisor: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    geom = mapped_column(_geom("POLYGON"), nullable=False)


class Street(Base):
    """A street centreline; streets bound grid cells rather than belong to one."""

    __tablename__ = "streets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    name: Mapped[str | None] = mapped_column(String(128))
    kind: Mapped[str | None] = mapped_column(String(32))  # arterial / secondary / lane
    width_m: Mapped[float | None] = mapped_column(Float)
    geom = mapped_column(_geom("LINESTRING"), nullable=False)


class Building(Base):
    """A house (实体房屋): footprint, address, floors, units, use."""

    __tablename__ = "buildings"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(128))
    address: Mapped[str | None] = mapped_column(String(256))
    floors: Mapped[int | None] = mapped_column(Integer)
    units: Mapped[int | None] = mapped_column(Integer)
    use: Mapped[str | None] = mapped_column(String(32))
    geom = mapped_column(_geom("POLYGON"), nullable=False)


class Resident(Base):
    """A resident (实体人口). ``name``, ``id_number`` and ``phone`` are personal data: ID numbers
    and phones are stored AES-GCM encrypted, with an HMAC blind index of the ID number for exact
    lookup, and the store reads all three masked (gis_core.security.personal)."""

    __tablename__ = "residents"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"), index=True)
    household_code: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(Text)  # ciphertext (migration 0005_access)
    phone: Mapped[str | None] = mapped_column(Text)  # ciphertext
    gender: Mapped[str | None] = mapped_column(String(8))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    tags: Mapped[list[str] | None] = mapped_column(JSON)  # e.g. ["elderly_alone", "disabled"]
    id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)


class Enterprise(Base):
    """A legal person (实体法人): company, shop or organisation."""

    __tablename__ = "enterprises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    name: Mapped[str] = mapped_column(String(128))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    address: Mapped[str | None] = mapped_column(String(256))
    industry: Mapped[str | None] = mapped_column(String(64))
    employees: Mapped[int | None] = mapped_column(Integer)
    geom = mapped_column(_geom("POINT"), nullable=False)


class Facility(Base):
    """A public-service facility; ``capacity`` is places or daily visits, ``beds`` where it has any."""

    __tablename__ = "facilities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128))
    address: Mapped[str | None] = mapped_column(String(256))
    capacity: Mapped[float | None] = mapped_column(Float)
    beds: Mapped[int | None] = mapped_column(Integer)
    geom = mapped_column(_geom("POINT"), nullable=False)


class Camera(Base):
    """A camera: position, heading (degrees clockwise from north), field of view and range."""

    __tablename__ = "cameras"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(128))
    purpose: Mapped[str | None] = mapped_column(String(32))  # security / bin_overflow / traffic
    heading_deg: Mapped[float] = mapped_column(Float)
    fov_deg: Mapped[float] = mapped_column(Float)
    range_m: Mapped[float] = mapped_column(Float)
    stream_url: Mapped[str | None] = mapped_column(String(512))
    geom = mapped_column(_geom("POINT"), nullable=False)


class Sensor(Base):
    """An IoT sensor; ``code`` is the id it reports under (MQTT topic segment)."""

    __tablename__ = "sensors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(128))
    unit: Mapped[str | None] = mapped_column(String(16))
    period_s: Mapped[float] = mapped_column(Float, default=60.0)
    warn_threshold: Mapped[float | None] = mapped_column(Float)
    alarm_threshold: Mapped[float | None] = mapped_column(Float)
    geom = mapped_column(_geom("POINT"), nullable=False)


class Reading(Base):
    """One stored sensor reading (UTC)."""

    __tablename__ = "readings"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    sensor_id: Mapped[int] = mapped_column(ForeignKey("sensors.id"))
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"))
    ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    quality: Mapped[str | None] = mapped_column(String(16))
    battery: Mapped[float | None] = mapped_column(Float)
    # Unique: the ingest pipeline stores a QoS 1 redelivery once (migration 0002_live).
    __table_args__ = (Index("ix_readings_sensor_ts", "sensor_id", "ts", unique=True),)


class Quarantine(Base):
    """A sensor message that failed validation: raw bytes (first 64 KiB) and why."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    topic: Mapped[str | None] = mapped_column(String(512))
    sensor_code: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(32))  # a key of gis_core.payload.REASONS
    detail: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    payload_size: Mapped[int] = mapped_column(Integer)


class Alarm(Base):
    """An alarm raised by a rule (or a camera), with who acknowledged or cleared it and when."""

    __tablename__ = "alarms"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    sensor_id: Mapped[int | None] = mapped_column(ForeignKey("sensors.id"), index=True)
    camera_id: Mapped[int | None] = mapped_column(ForeignKey("cameras.id"))
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))  # info / minor / major / critical
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    value: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[str | None] = mapped_column(Text)
    cleared_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    cleared_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)


class Event(Base):
    """An event (实体事件): something reported or detected in a cell that needs handling."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    category: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32))  # resident / patrol / alarm / import
    status: Mapped[str] = mapped_column(String(32), default="reported")
    title: Mapped[str | None] = mapped_column(String(256))
    description: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    geom = mapped_column(_geom("POINT"), nullable=False)
    # Migration 0006_cases: photos, who entered it, where it came from (gis_core.cases).
    photos: Mapped[list | None] = mapped_column(JSON)  # photo paths
    reported_by: Mapped[str | None] = mapped_column(String(64))
    external_ref: Mapped[str | None] = mapped_column(String(128), index=True)  # import:…, alarm:…
    alarm_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    __table_args__ = (Index("ix_events_category_reported_at", "category", "reported_at"),)


# Layer kinds the store, importers, exporters and renderers know, by user-facing name.
KINDS: dict[str, type[Base]] = {
    "communities": Community,
    "grid_cells": GridCell,
    "streets": Street,
    "buildings": Building,
    "residents": Resident,
    "enterprises": Enterprise,
    "facilities": Facility,
    "cameras": Camera,
    "sensors": Sensor,
    "readings": Reading,
    "events": Event,
    "alarms": Alarm,
}

GEOMETRY_TYPES: dict[str, str] = {
    "communities": "MULTIPOLYGON",
    "grid_cells": "POLYGON",
    "streets": "LINESTRING",
    "buildings": "POLYGON",
    "enterprises": "POINT",
    "facilities": "POINT",
    "cameras": "POINT",
    "sensors": "POINT",
    "events": "POINT",
}

CELL_SCOPED: tuple[str, ...] = tuple(
    name for name, model in KINDS.items() if "grid_cell_id" in model.__table__.columns
)


class AnalysisRun(Base):
    """A stored analysis run: what was asked, on which inputs, when, and its headline figures."""

    __tablename__ = "analysis_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # equity / coverage_service / coverage_cameras / siting
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(256))
    parameters: Mapped[dict] = mapped_column(JSON)
    input_versions: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[dict] = mapped_column(JSON)
    __table_args__ = (Index("ix_analysis_runs_kind_created", "kind", "created_at"),)


class AnalysisCellResult(Base):
    """One metric of one grid cell in a stored run (no FK to the cell: runs outlive re-drawn cells)."""

    __tablename__ = "analysis_cell_results"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_runs.id", ondelete="CASCADE"), primary_key=True
    )
    grid_cell_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    cell_code: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[float | None] = mapped_column(Float)


class GridCellVersion(Base):
    """One version of a grid cell: outline and attributes as committed, by whom, when and why
    (migration 0004_grid_editing). No FK to the cell: a merged-away cell keeps its history."""

    __tablename__ = "grid_cell_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(128))
    worker_name: Mapped[str | None] = mapped_column(String(64))
    worker_phone: Mapped[str | None] = mapped_column(String(32))
    supervisor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # original / edit / create / delete / restore
    editor: Mapped[str | None] = mapped_column(String(64))
    edited_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(_geom("POLYGON"), nullable=False)
    __table_args__ = (Index("ix_grid_cell_versions_cell", "cell_id", "version", unique=True),)


class EditJournalEntry(Base):
    """A pending (uncommitted) grid edit, journalled as it is made so a crash loses nothing."""

    __tablename__ = "edit_journal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int | None] = mapped_column(Integer)
    editor: Mapped[str | None] = mapped_column(String(64))
    command: Mapped[str] = mapped_column(Text)  # JSON: the command and its change
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_edit_journal_session", "session_id", "seq", unique=True),)


class AccessBase(DeclarativeBase):
    """Accounts and the audit trail (migration 0005_access): kept apart from ``Base`` so that
    resetting a store's data (the demo's ``--reset``) keeps who may log in and what they did."""


class User(AccessBase):
    """An account: argon2 password hash, role, cell scope (all cells or ``users_cells``), lock-out."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))  # a key of gis_core.security.roles.PERMISSIONS
    all_cells: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[float | None] = mapped_column(Float)  # Unix time
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC
    password_changed_at: Mapped[str | None] = mapped_column(String(32))


class UserCell(AccessBase):
    """A grid cell an account is scoped to. ``cell_id`` has no FK (a re-drawn cell's id may go)
    and is not called grid_cell_id: this is access metadata, not cell data under row security."""

    __tablename__ = "users_cells"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    cell_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class AuditEntry(AccessBase):
    """One audit-log entry; ``hash`` = sha256(``prev_hash`` + canonical JSON of the entry).
    Append-only (triggers; PostGIS also withholds UPDATE/DELETE from the application role)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC, microseconds
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    object: Mapped[str | None] = mapped_column(String(64))
    count: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(AccessBase):
    """The last entry's number and hash, kept by a trigger, so a truncated log is detected."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


# ------------------------------------------------------------------ events, cases and dispatch
# (migration 0006_cases; the workflow is gis_core.cases). Cases carry ``grid_cell_id`` without a
# foreign key, like analysis results: a case outlives a re-drawn cell.
class Department(Base):
    """A department a case can be dispatched to (城管, 交警, 环卫 …)."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str | None] = mapped_column(String(128))
    contact: Mapped[str | None] = mapped_column(String(128))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CaseCategory(Base):
    """A category of the event catalogue: time limit per state (hours), escalation ladder."""

    __tablename__ = "case_categories"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str | None] = mapped_column(String(128))
    clock: Mapped[str] = mapped_column(String(16), default="working")  # working / natural
    limits: Mapped[dict] = mapped_column(JSON)  # state -> hours
    ladder: Mapped[list] = mapped_column(JSON)  # [{name, name_en, role, limit_h}, …]
    department: Mapped[str | None] = mapped_column(String(64))  # suggested department code
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Case(Base):
    """A case (案件): one problem handled through the lifecycle, fed by one or more events.
    Every change is ``UPDATE … WHERE id = ? AND version = ?`` and appends one case step."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_cell_id: Mapped[int | None] = mapped_column(Integer, index=True)
    category: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str | None] = mapped_column(String(256))
    description: Mapped[str | None] = mapped_column(Text)
    x: Mapped[float] = mapped_column(Float)  # working CRS, where the first event was
    y: Mapped[float] = mapped_column(Float)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    assignee: Mapped[str | None] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(64))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    resume_state: Mapped[str | None] = mapped_column(String(16))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # 1–5, the reporter's
    feedback: Mapped[str | None] = mapped_column(Text)


class CaseEventLink(Base):
    """Which case an event belongs to: ``primary`` (opened it), ``merged`` (confirmed as the
    same problem) or ``proposed`` (fusion suggests it; an operator confirms or splits)."""

    __tablename__ = "case_events"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    link: Mapped[str] = mapped_column(String(16))
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    linked_by: Mapped[str | None] = mapped_column(String(64))


class CaseStep(Base):
    """One step of a case: append-only (triggers refuse UPDATE and DELETE on both backends).
    It carries what the performance figures need — cell, category, handler, deadline — so they
    come from this log alone."""

    __tablename__ = "case_steps"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list | None] = mapped_column(JSON)  # photo / document paths
    assignee: Mapped[str | None] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(64))
    grid_cell_id: Mapped[int | None] = mapped_column(Integer, index=True)
    category: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict | None] = mapped_column(JSON)  # event ids of merges and splits, …


__all__ += ["Department", "CaseCategory", "Case", "CaseEventLink", "CaseStep"]


# ------------------------------------------------------------------ data fusion (migration 0007)
# Sources, their standardised records, findings, entities with golden records, the review queue
# (gis_core.fusion). Cell-scoped rows carry grid_cell_id without a foreign key, like cases.
_BIGID = BigInteger().with_variant(Integer, "sqlite")


class FusionSource(Base):
    """A registered source: department, system, extraction date, field mapping, trust per field."""

    __tablename__ = "fusion_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    department: Mapped[str] = mapped_column(String(128))
    system: Mapped[str | None] = mapped_column(String(128))
    extracted_at: Mapped[dt.date | None] = mapped_column(Date)
    mapping: Mapped[dict] = mapped_column(JSON)  # source column -> our field
    trust: Mapped[dict] = mapped_column(JSON)  # field (or "*") -> 0..1
    key_field: Mapped[str | None] = mapped_column(String(64))  # the source's own row key
    default_area: Mapped[str | None] = mapped_column(String(8))  # area code for bare landlines
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)


class FusionImport(Base):
    """One import of a source's file: what it added, changed, left and removed."""

    __tablename__ = "fusion_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("fusion_sources.id"), index=True)
    file: Mapped[str | None] = mapped_column(String(256))
    extracted_at: Mapped[dt.date | None] = mapped_column(Date)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)


class FusionRecord(Base):
    """One source row, standardised. ``values`` keeps ID numbers and phones AES-GCM encrypted;
    ``id_bidx`` is the blind index of the valid ID number / credit code (deterministic linkage)."""

    __tablename__ = "fusion_records"
    __table_args__ = (
        Index("ux_fusion_records_source_key", "source_id", "source_key", unique=True),
    )
    id: Mapped[int] = mapped_column(_BIGID, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("fusion_sources.id"))
    source_key: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    row_no: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    id_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    values: Mapped[dict] = mapped_column(JSON)
    extracted_at: Mapped[dt.date | None] = mapped_column(Date)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    grid_cell_id: Mapped[int | None] = mapped_column(Integer, index=True)
    building_id: Mapped[int | None] = mapped_column(Integer)
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    match_rule: Mapped[str | None] = mapped_column(String(16))  # id / fs / new / review
    match_weight: Mapped[float | None] = mapped_column(Float)
    # The row's location in the working CRS, for files with geometry (migration 0008).
    geom = mapped_column(_geom("POINT"), nullable=True)


class FusionFinding(Base):
    """A failed standardisation rule on one field of one source row (no value: see findings.py)."""

    __tablename__ = "fusion_findings"
    id: Mapped[int] = mapped_column(_BIGID, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("fusion_sources.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(_BIGID)
    row_no: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    grid_cell_id: Mapped[int | None] = mapped_column(Integer, index=True)


class FusionEntity(Base):
    """One real resident, enterprise or building: the golden record and each field's provenance
    (source, date, rule). Its id is stable over re-imports; a merged entity names its survivor."""

    __tablename__ = "fusion_entities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    grid_cell_id: Mapped[int | None] = mapped_column(Integer, index=True)
    building_id: Mapped[int | None] = mapped_column(Integer)
    golden: Mapped[dict | None] = mapped_column(JSON)
    provenance: Mapped[dict | None] = mapped_column(JSON)
    records: Mapped[int] = mapped_column(Integer, default=0)
    sources: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    merged_into: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FusionReview(Base):
    """An item of the review queue: a field conflict no survivorship rule settles (candidates
    side by side, the proposal's index) — open until decided."""

    __tablename__ = "fusion_reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    item: Mapped[str] = mapped_column(String(8))
    field: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    candidates: Mapped[list] = mapped_column(JSON)
    proposal: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    grid_cell_id: Mapped[int | None] = mapped_column(Integer, index=True)


class FusionDecision(Base):
    """A reviewer's decision (accept / reject / edit), re-applied whenever the same conflict (same
    entity, field and candidates) comes back on a re-import."""

    __tablename__ = "fusion_decisions"
    __table_args__ = (Index("ix_fusion_decisions_key", "entity_id", "field", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int | None] = mapped_column(Integer)
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(8))
    value: Mapped[dict | None] = mapped_column(JSON)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)


class FusionModel(Base):
    """The trained Fellegi–Sunter parameters (m and u per comparison level) of one kind."""

    __tablename__ = "fusion_models"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    params: Mapped[dict] = mapped_column(JSON)
    trained_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    pairs: Mapped[int] = mapped_column(Integer)


__all__ += [
    "FusionSource",
    "FusionImport",
    "FusionRecord",
    "FusionFinding",
    "FusionEntity",
    "FusionReview",
    "FusionDecision",
    "FusionModel",
]
