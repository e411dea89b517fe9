"""Data fusion: a location per source record. Records imported from GeoPackage, GeoJSON,
Shapefile or CSV with coordinates keep their point (a polygon's representative point) in the
working CRS, so a record whose address matches no building can still be placed in a grid cell.

Nullable: records from CSV / Excel without coordinates have none, and the table may already
hold rows.

Revision ID: 0008_fusion_geometry
Revises: 0007_fusion
Create Date: 2026-11-26
"""

from gis_core.migrations.spatial import add_geometry_column, drop_geometry_column, working_srid

revision = "0008_fusion_geometry"
down_revision = "0007_fusion"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_geometry_column("fusion_records", "POINT", working_srid(), nullable=True)


def downgrade() -> None:
    drop_geometry_column("fusion_records")
