"""Export of golden records (CSV), with or without provenance, masked per the access rules: ID
numbers, phones and names masked unless the user may ``export_personal``; every export audited."""

from __future__ import annotations

import csv
import json
import os

from sqlalchemy import text

from gis_core.fusion.entities import decrypt_golden
from gis_core.fusion.survivorship import GOLDEN_FIELDS
from gis_core.masking import mask_id_number, mask_name, mask_phone

__all__ = ["export_golden"]

_MASKS = {
    "id_number": mask_id_number,
    "head_id_number": mask_id_number,
    "phone": mask_phone,
    "name": mask_name,
    "head_name": mask_name,
}


def export_golden(
    store, kind: str, path: str | os.PathLike, provenance: bool = False, mask_personal: bool = True,
    user=None,
) -> int:  # fmt: skip
    from gis_core.security.accounts import authorize
    from gis_core.security.keys import store_key
    from gis_core.security.personal import record_export

    user = user if user is not None else getattr(store, "user", None)
    if user is not None:
        authorize(store, user, "export_data")
    if not mask_personal:
        user = authorize(store, user, "export_personal")
    personal = kind in ("residents", "households")
    fields = GOLDEN_FIELDS[kind]
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, grid_cell_id, building_id, records, sources, conflicts, golden, "
                "provenance FROM fusion_entities WHERE kind = :k AND merged_into IS NULL "
                "AND records > 0 ORDER BY id"
            ),
            {"k": kind},
        ).all()
    key = store_key(store) if rows and kind != "buildings" else None
    header = [
        "entity_id",
        "grid_cell_id",
        "building_id",
        "records",
        "sources",
        "conflicts",
        *fields,
    ]
    if provenance:
        header += [f"{f}_{p}" for f in fields for p in ("sources", "date", "rule")]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            golden = json.loads(r[6]) if isinstance(r[6], str) else (r[6] or {})
            golden = decrypt_golden(key, golden) if key is not None else golden
            prov = json.loads(r[7]) if isinstance(r[7], str) else (r[7] or {})
            values = []
            for name in fields:
                v = golden.get(name)
                if personal and mask_personal and name in _MASKS:
                    v = _MASKS[name](v)
                elif kind == "enterprises" and mask_personal and name == "phone":
                    v = mask_phone(v)
                values.append(v)
            line = [r[0], r[1], r[2], r[3], r[4], r[5], *values]
            if provenance:
                for name in fields:
                    p = prov.get(name) or {}
                    line += [",".join(p.get("sources") or []), p.get("date"), p.get("rule")]
            w.writerow(line)
    record_export(
        store, f"fusion_{kind}", len(rows), str(path),
        masked=[] if not mask_personal else [n for n in fields if n in _MASKS],
        unmasked=[n for n in fields if n in _MASKS] if not mask_personal else [], user=user,
        fmt="csv",
    )  # fmt: skip
    return len(rows)
