"""Who may see what: accounts, roles, per-cell scope, personal-data protection and the audit trail.

One job per module:

- :mod:`~gis_core.security.roles` — the role → permitted-actions table and ``require``;
- :mod:`~gis_core.security.accounts` — accounts, argon2 passwords, lock-out, cell scope, demo accounts;
- :mod:`~gis_core.security.scope` — a store session's grid cells (PostGIS: session settings read by
  row-level security; SpatiaLite: filters and write guards in the store layer);
- :mod:`~gis_core.security.rls` — PostGIS row-level security and the application role's grants;
- :mod:`~gis_core.security.keys` — the personal-data key (OS keyring or a 0600 key file, never the
  database);
- :mod:`~gis_core.security.personal` — encryption of ID numbers and phones on write, masking on read,
  logged unmasking, blind-index lookup;
- :mod:`~gis_core.security.audit` — the append-only, hash-chained audit log and its verification.
"""
