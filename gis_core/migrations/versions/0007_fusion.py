"""Data fusion across departments: registered sources and their imports, standardised source
records (ID numbers and phones encrypted, the ID's blind index for linkage), data-quality
findings, entities with golden records and per-field provenance, the review queue and its
decisions, and the trained linkage model per kind.

Records, findings, entities and review items carry ``grid_cell_id`` (no foreign key: they
outlive a re-drawn cell), so on PostGIS row-level security by cell covers them
(Store.upgrade applies it after every migration).

Revision ID: 0007_fusion
Revises: 0006_cases
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_fusion"
down_revision = "0006_cases"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "fusion_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("department", sa.String(128), nullable=False),
        sa.Column("system", sa.String(128)),
        sa.Column("extracted_at", sa.Date),
        sa.Column("mapping", sa.JSON, nullable=False),
        sa.Column("trust", sa.JSON, nullable=False),
        sa.Column("key_field", sa.String(64)),
        sa.Column("default_area", sa.String(8)),
        sa.Column("registered_at", TS, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "fusion_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("fusion_sources.id"), nullable=False),
        sa.Column("file", sa.String(256)),
        sa.Column("extracted_at", sa.Date),
        sa.Column("imported_at", TS, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("removed", sa.Integer, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
    )
    op.create_index("ix_fusion_imports_source_id", "fusion_imports", ["source_id"])
    op.create_table(
        "fusion_records",
        _id(),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("fusion_sources.id"), nullable=False),
        sa.Column("source_key", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("row_no", sa.Integer),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("id_bidx", sa.String(64)),
        sa.Column("values", sa.JSON, nullable=False),
        sa.Column("extracted_at", sa.Date),
        sa.Column("imported_at", TS, nullable=False),
        sa.Column("grid_cell_id", sa.Integer),
        sa.Column("building_id", sa.Integer),
        sa.Column("entity_id", sa.Integer),
        sa.Column("match_rule", sa.String(16)),
        sa.Column("match_weight", sa.Float),
    )
    op.create_index(
        "ux_fusion_records_source_key", "fusion_records", ["source_id", "source_key"], unique=True
    )
    op.create_index("ix_fusion_records_id_bidx", "fusion_records", ["id_bidx"])
    op.create_index("ix_fusion_records_entity_id", "fusion_records", ["entity_id"])
    op.create_index("ix_fusion_records_grid_cell_id", "fusion_records", ["grid_cell_id"])
    op.create_table(
        "fusion_findings",
        _id(),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("fusion_sources.id"), nullable=False),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer, "sqlite")),
        sa.Column("row_no", sa.Integer),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("grid_cell_id", sa.Integer),
    )
    op.create_index("ix_fusion_findings_source_id", "fusion_findings", ["source_id"])
    op.create_index("ix_fusion_findings_grid_cell_id", "fusion_findings", ["grid_cell_id"])
    op.create_table(
        "fusion_entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("grid_cell_id", sa.Integer),
        sa.Column("building_id", sa.Integer),
        sa.Column("golden", sa.JSON),
        sa.Column("provenance", sa.JSON),
        sa.Column("records", sa.Integer, nullable=False, server_default="0"),
        sa.Column("sources", sa.Integer, nullable=False, server_default="0"),
        sa.Column("conflicts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("merged_into", sa.Integer),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_fusion_entities_kind", "fusion_entities", ["kind"])
    op.create_index("ix_fusion_entities_grid_cell_id", "fusion_entities", ["grid_cell_id"])
    op.create_table(
        "fusion_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("item", sa.String(8), nullable=False),  # field / match
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("candidates", sa.JSON, nullable=False),
        sa.Column("proposal", sa.Integer),  # index into candidates
        sa.Column("status", sa.String(8), nullable=False),  # open / decided / obsolete
        sa.Column("created_at", TS, nullable=False),
        sa.Column("grid_cell_id", sa.Integer),
    )
    op.create_index("ix_fusion_reviews_entity_id", "fusion_reviews", ["entity_id"])
    op.create_index("ix_fusion_reviews_status", "fusion_reviews", ["status"])
    op.create_index("ix_fusion_reviews_grid_cell_id", "fusion_reviews", ["grid_cell_id"])
    op.create_table(
        "fusion_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("review_id", sa.Integer),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(8), nullable=False),  # accept / reject / edit
        sa.Column("value", sa.JSON),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", TS, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_index(
        "ix_fusion_decisions_key", "fusion_decisions", ["entity_id", "field", "fingerprint"]
    )
    op.create_table(
        "fusion_models",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("trained_at", TS, nullable=False),
        sa.Column("pairs", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "fusion_models",
        "fusion_decisions",
        "fusion_reviews",
        "fusion_entities",
        "fusion_findings",
        "fusion_records",
        "fusion_imports",
        "fusion_sources",
    ):
        op.drop_table(table)
