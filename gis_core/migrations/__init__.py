"""Alembic migrations of the store schema; they run on PostGIS and SpatiaLite alike."""
