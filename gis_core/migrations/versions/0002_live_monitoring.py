"""Live monitoring: quarantined payloads, alarms, battery per reading, one reading per sensor and
instant (the unique index the ingest pipeline de-duplicates QoS 1 redeliveries on).

Revision ID: 0002_live
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_live"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("readings", sa.Column("battery", sa.Float))
    # A sensor reports once per instant; older rows may hold duplicates from before the rule.
    op.execute(
        "DELETE FROM readings WHERE id NOT IN (SELECT min(id) FROM readings GROUP BY sensor_id, ts)"
    )
    op.drop_index("ix_readings_sensor_ts", table_name="readings")
    op.create_index("ix_readings_sensor_ts", "readings", ["sensor_id", "ts"], unique=True)

    op.create_table(
        "quarantine",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("topic", sa.String(512)),
        sa.Column("sensor_code", sa.String(64)),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("payload_size", sa.Integer, nullable=False),
    )
    op.create_index("ix_quarantine_received_at", "quarantine", ["received_at"])

    op.create_table(
        "alarms",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("sensor_id", sa.Integer, sa.ForeignKey("sensors.id")),
        sa.Column("camera_id", sa.Integer, sa.ForeignKey("cameras.id")),
        sa.Column("grid_cell_id", sa.Integer, sa.ForeignKey("grid_cells.id"), index=True),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("raised_at", TS, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("detail", sa.Text),
        sa.Column("cleared_at", TS),
        sa.Column("cleared_by", sa.String(64)),
        sa.Column("acknowledged_at", TS),
        sa.Column("acknowledged_by", sa.String(64)),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_alarms_raised_at", "alarms", ["raised_at"])
    op.create_index("ix_alarms_sensor_id", "alarms", ["sensor_id"])


def downgrade() -> None:
    op.drop_table("alarms")
    op.drop_table("quarantine")
    op.drop_index("ix_readings_sensor_ts", table_name="readings")
    op.create_index("ix_readings_sensor_ts", "readings", ["sensor_id", "ts"])
    op.drop_column("readings", "battery")
