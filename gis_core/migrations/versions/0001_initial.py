"""Initial schema: communities, grid cells, streets, houses, people, legal persons, facilities,
cameras, sensors, readings and events, each geometry in the working SRID with a spatial index.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from gis_core.migrations.spatial import add_geometry_column, working_srid

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# SQLite only auto-increments an INTEGER PRIMARY KEY; BIGINT would leave ids NULL.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def _cell_fk() -> sa.Column:
    return sa.Column("grid_cell_id", sa.Integer, sa.ForeignKey("grid_cells.id"), index=True)


def upgrade() -> None:
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    srid = working_srid()
    op.bulk_insert(
        sa.table("store_meta", sa.column("key"), sa.column("value")),
        [{"key": "working_srid", "value": str(srid)}],
    )
    op.create_table(
        "layer_extents",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("minx", sa.Float, nullable=False),
        sa.Column("miny", sa.Float, nullable=False),
        sa.Column("maxx", sa.Float, nullable=False),
        sa.Column("maxy", sa.Float, nullable=False),
    )
    op.create_table(
        "communities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("district", sa.String(64)),
        sa.Column("street_office", sa.String(64)),
    )
    add_geometry_column("communities", "MULTIPOLYGON", srid)
    op.create_table(
        "grid_cells",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("community_id", sa.Integer, sa.ForeignKey("communities.id"), nullable=False),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("worker_name", sa.String(64)),
        sa.Column("worker_phone", sa.String(32)),
        sa.Column("supervisor", sa.String(64)),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", TS),
    )
    add_geometry_column("grid_cells", "POLYGON", srid)
    op.create_table(
        "streets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("community_id", sa.Integer, sa.ForeignKey("communities.id")),
        sa.Column("name", sa.String(128)),
        sa.Column("kind", sa.String(32)),
        sa.Column("width_m", sa.Float),
    )
    add_geometry_column("streets", "LINESTRING", srid)
    op.create_table(
        "buildings",
        sa.Column("id", BigId, primary_key=True),
        _cell_fk(),
        sa.Column("source_id", sa.String(64)),
        sa.Column("name", sa.String(128)),
        sa.Column("address", sa.String(256)),
        sa.Column("floors", sa.Integer),
        sa.Column("units", sa.Integer),
        sa.Column("use", sa.String(32)),
    )
    add_geometry_column("buildings", "POLYGON", srid)
    op.create_table(
        "residents",
        sa.Column("id", BigId, primary_key=True),
        _cell_fk(),
        sa.Column("building_id", sa.BigInteger, sa.ForeignKey("buildings.id"), index=True),
        sa.Column("household_code", sa.String(32)),
        sa.Column("name", sa.String(64)),
        sa.Column("id_number", sa.String(64)),
        sa.Column("phone", sa.String(64)),
        sa.Column("gender", sa.String(8)),
        sa.Column("birth_date", sa.Date),
        sa.Column("tags", sa.JSON),
    )
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer, primary_key=True),
        _cell_fk(),
        sa.Column("building_id", sa.BigInteger, sa.ForeignKey("buildings.id")),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("credit_code", sa.String(18)),
        sa.Column("address", sa.String(256)),
        sa.Column("industry", sa.String(64)),
        sa.Column("employees", sa.Integer),
    )
    add_geometry_column("enterprises", "POINT", srid)
    op.create_table(
        "facilities",
        sa.Column("id", sa.Integer, primary_key=True),
        _cell_fk(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("address", sa.String(256)),
        sa.Column("capacity", sa.Float),
        sa.Column("beds", sa.Integer),
    )
    add_geometry_column("facilities", "POINT", srid)
    op.create_table(
        "cameras",
        sa.Column("id", sa.Integer, primary_key=True),
        _cell_fk(),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(128)),
        sa.Column("purpose", sa.String(32)),
        sa.Column("heading_deg", sa.Float, nullable=False),
        sa.Column("fov_deg", sa.Float, nullable=False),
        sa.Column("range_m", sa.Float, nullable=False),
        sa.Column("stream_url", sa.String(512)),
    )
    add_geometry_column("cameras", "POINT", srid)
    op.create_table(
        "sensors",
        sa.Column("id", sa.Integer, primary_key=True),
        _cell_fk(),
        sa.Column("building_id", sa.BigInteger, sa.ForeignKey("buildings.id")),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128)),
        sa.Column("unit", sa.String(16)),
        sa.Column("period_s", sa.Float, nullable=False, server_default="60"),
        sa.Column("warn_threshold", sa.Float),
        sa.Column("alarm_threshold", sa.Float),
    )
    add_geometry_column("sensors", "POINT", srid)
    op.create_table(
        "readings",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("sensor_id", sa.Integer, sa.ForeignKey("sensors.id"), nullable=False),
        sa.Column("grid_cell_id", sa.Integer, sa.ForeignKey("grid_cells.id")),
        sa.Column("ts", TS, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(16)),
        sa.Column("quality", sa.String(16)),
    )
    op.create_index("ix_readings_sensor_ts", "readings", ["sensor_id", "ts"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        _cell_fk(),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False, server_default="reported"),
        sa.Column("title", sa.String(256)),
        sa.Column("description", sa.Text),
        sa.Column("reported_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    add_geometry_column("events", "POINT", srid)


def downgrade() -> None:
    raise NotImplementedError("the initial schema is not downgraded; delete the store instead")
