"""On PostGIS the case log is append-only by grants as well as by triggers: the application role
may read and append case steps, never change or delete them."""

from __future__ import annotations

import pytest
from sqlalchemy import text


@pytest.mark.postgis
@pytest.mark.parametrize("cases_store", ["postgis"], indirect=True)
def test_the_application_role_may_only_append_to_the_case_log(cases_store):
    from gis_core.security.rls import APP_ROLE, grant_app_role

    with cases_store.engine.begin() as conn:
        assert grant_app_role(conn, APP_ROLE), f"role {APP_ROLE} missing and not creatable"
        may = {
            p: conn.execute(
                text("SELECT has_table_privilege(:r, :t, :p)"),
                {"r": APP_ROLE, "t": table, "p": p},
            ).scalar()
            for table in ("case_steps",)
            for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
        }
        cases_may_update = conn.execute(
            text("SELECT has_table_privilege(:r, 'cases', 'UPDATE')"), {"r": APP_ROLE}
        ).scalar()
    assert may == {
        "SELECT": True,
        "INSERT": True,
        "UPDATE": False,
        "DELETE": False,
        "TRUNCATE": False,
    }
    assert cases_may_update  # the cases themselves change (with row versions)
