"""The one table of who may do what, pinned cell by cell: changing it is a policy decision."""

from __future__ import annotations

import pytest

from gis_core.security.accounts import User
from gis_core.security.roles import (
    ACTION_LABELS,
    ACTIONS,
    PERMISSIONS,
    ROLE_LABELS,
    ROLES,
    PermissionDenied,
    may,
    require,
)

EXPECTED = {
    # administrator, operator, planner, grid_supervisor, grid_worker, viewer
    "view_map": "              1  1  1  1  1  1",
    "view_personal": "         1  1  1  1  1  0",
    "view_personal_unmasked": "1  1  0  1  1  0",
    "export_data": "           1  1  1  1  0  0",
    "export_personal": "       1  0  0  0  0  0",
    "import_data": "           1  0  0  1  0  0",
    "edit_features": "         1  0  0  1  0  0",
    "edit_residents": "        1  0  0  1  1  0",
    "edit_grid": "             1  0  0  1  0  0",
    "dispatch_events": "       1  1  0  1  0  0",
    "report_events": "         1  1  0  1  1  0",
    "acknowledge_alarms": "    1  1  0  1  0  0",
    "run_analysis": "          1  0  1  0  0  0",
    "manage_users": "          1  0  0  0  0  0",
    "view_audit": "            1  0  0  0  0  0",
}


def test_roles_and_actions_are_the_expected_ones():
    assert ROLES == (
        "administrator",
        "operator",
        "planner",
        "grid_supervisor",
        "grid_worker",
        "viewer",
    )
    assert set(EXPECTED) == set(ACTIONS)
    assert set(PERMISSIONS) == set(ROLES) == set(ROLE_LABELS)
    assert set(ACTION_LABELS) == set(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_role_by_action_matrix(role, action):
    allowed = EXPECTED[action].split()[ROLES.index(role)] == "1"
    assert may(role, action) is allowed
    user = User(1, f"u_{role}", role, frozenset({1}))
    if allowed:
        require(user, action)
    else:
        with pytest.raises(PermissionDenied) as err:
            require(user, action)
        message = str(err.value)
        assert f"u_{role}" in message and ACTION_LABELS[action][1] in message
        assert ROLE_LABELS[role][0] in message  # and in Chinese
        assert err.value.action == action and err.value.username == f"u_{role}"


def test_nobody_and_a_disabled_account_may_do_nothing():
    with pytest.raises(PermissionDenied, match="not logged in"):
        require(None, "view_map")
    with pytest.raises(PermissionDenied, match="disabled"):
        require(User(1, "old", "administrator", None, active=False), "view_map")
    with pytest.raises(ValueError, match="unknown action"):
        may("administrator", "launch_rockets")
