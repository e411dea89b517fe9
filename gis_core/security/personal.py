"""Personal data at rest and on the way out: encrypted on write, masked on read, unmasked only for
users who may, and every unmasking logged.

- Write: ``Store.bulk_insert`` of residents (the demo, the importer, the desktop) passes its
  columns through :func:`protect_columns`: ID numbers and phones become AES-GCM ciphertext
  (:mod:`gis_core.security.keys`) and the ID number's HMAC blind index fills ``id_number_bidx``.
- Read: every Store read of residents (``query_*``, ``features``, ``page``) returns names, ID
  numbers and phones masked (``6104**********1234``, ``138****5678``, ``张*``) through
  :func:`mask_columns` — whatever the caller, whoever the user.
- Unmask: :func:`reveal` (identify panel's "show"), :func:`unmasked_query_all` (bulk export) and
  :func:`find_by_id_number` check the user's role, return clear values and write an audit entry
  (which residents, which fields, how many — never the values).

Example::

    session = open_session(url, "alice", password)
    reveal(session, [42])            # {42: {"name": "张三丰", "id_number": "6104…", ...}}
"""

from __future__ import annotations

import base64
import contextvars
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from gis_core.masking import PERSONAL_FIELDS
from gis_core.security import audit
from gis_core.security.keys import (
    CIPHER_PREFIX,
    KeyUnavailable,
    WrongKey,
    store_key,
)

__all__ = [
    "ENCRYPTED_FIELDS",
    "BLIND_INDEX",
    "INDEX_COLUMNS",
    "protect_columns",
    "mask_columns",
    "reveal",
    "unmasked_query_all",
    "export_frame",
    "find_by_id_number",
    "stored_id_numbers",
    "record_export",
    "encrypt_existing",
    "is_ciphertext",
]

# Fields stored encrypted, per kind; the blind index of a field; columns that are ours alone.
ENCRYPTED_FIELDS: dict[str, tuple[str, ...]] = {"residents": ("id_number", "phone")}
BLIND_INDEX: dict[tuple[str, str], str] = {("residents", "id_number"): "id_number_bidx"}
INDEX_COLUMNS = frozenset(BLIND_INDEX.values())
MAX_IDS_IN_AUDIT = 1000

_clear_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "zhiwang_clear_reads", default=False
)


def is_ciphertext(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(CIPHER_PREFIX)


def _plain_list(values: Any) -> list:
    """A column as a list of str/None (numpy string arrays, pandas NA and NaN → None)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":
        return values.tolist()  # already text, never missing
    out = values.tolist() if hasattr(values, "tolist") else list(values)
    clean: list[str | None] = []
    for v in out:
        if (
            v is None
            or (isinstance(v, float) and v != v)
            or type(v).__name__ in ("NAType", "NaTType")
        ):
            clean.append(None)
        elif isinstance(v, bytes):
            clean.append(v.decode())
        else:
            clean.append(str(v))
    return clean


# ----------------------------------------------------------------------------- writing
def protect_columns(store, kind: str, columns: Mapping[str, Any], conn=None) -> dict[str, Any]:
    """The columns of a write with personal fields encrypted and blind indexes filled in."""
    fields = [f for f in ENCRYPTED_FIELDS.get(kind, ()) if f in columns]
    if not fields:
        return dict(columns)
    key = store_key(store, conn=conn, create=True)
    out = dict(columns)
    for name in fields:
        values = _plain_list(columns[name])
        out[name] = key.encrypt_many(values, f"{kind}.{name}")
        index = BLIND_INDEX.get((kind, name))
        if index is not None:
            out[index] = key.blind_many(values)
    return out


# ----------------------------------------------------------------------------- reading
@contextmanager
def _clear() -> Iterator[None]:
    token = _clear_reads.set(True)
    try:
        yield
    finally:
        _clear_reads.reset(token)


def mask_columns(store, kind: str, attrs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Store read hook: personal columns masked (clear only inside this module's unmasking)."""
    masks = PERSONAL_FIELDS.get(kind, {})
    wanted = [n for n in attrs if n in masks or n in INDEX_COLUMNS]
    if not wanted:
        return attrs
    clear = _clear_reads.get()
    out = dict(attrs)
    encrypted = [n for n in wanted if n in ENCRYPTED_FIELDS.get(kind, ())]
    key = None
    if encrypted and any(is_ciphertext(v) for n in encrypted for v in attrs[n]):
        try:
            key = store_key(store)
        except (KeyUnavailable, WrongKey):
            if clear:
                raise
    for name in wanted:
        if name in INDEX_COLUMNS:
            continue  # a keyed hash: nothing to mask
        values = list(attrs[name])
        if name in encrypted:
            if key is not None:
                values = key.decrypt_many(values, f"{kind}.{name}")
            else:  # no key here: the length is all that can be shown
                values = [_hidden(v) if is_ciphertext(v) else v for v in values]
        col = np.empty(len(values), dtype=object)
        col[:] = values if clear else [masks[name](v) for v in values]
        out[name] = col
    return out


def _hidden(value: str) -> str:
    size = len(base64.b64decode(value[len(CIPHER_PREFIX) :])) - 28  # nonce + tag
    return "*" * max(size, 0)


def _fields(kind: str, fields: Sequence[str] | None) -> list[str]:
    known = list(PERSONAL_FIELDS.get(kind, {}))
    if not known:
        raise ValueError(f"{kind} have no personal fields")
    chosen = list(fields) if fields else known
    bad = [f for f in chosen if f not in known]
    if bad:
        raise ValueError(f"{', '.join(bad)} are not personal fields of {kind}")
    return chosen


def reveal(
    store,
    ids: Sequence[int],
    fields: Sequence[str] | None = None,
    user=None,
    reason: str | None = None,
    kind: str = "residents",
) -> dict[int, dict[str, str | None]]:
    """Clear personal fields of some residents, for a user who may see them unmasked.

    Rows outside the session's cells are not returned. Logged as ``unmask`` with the ids and
    fields (and the reason given), whether or not any row was found.
    """
    from gis_core.security.accounts import authorize

    chosen = _fields(kind, fields)
    user = authorize(store, user, "view_personal_unmasked")
    with _clear():
        frame = store.features(kind, [int(i) for i in ids], chosen)
    out = {
        int(i): {f: frame.columns[f][k] for f in chosen} for k, i in enumerate(frame.ids.tolist())
    }
    audit.record(
        store,
        "unmask",
        user,
        object=kind,
        count=len(out),
        detail={
            "ids": sorted(out)[:MAX_IDS_IN_AUDIT],
            "fields": chosen,
            **({"reason": reason} if reason else {}),
        },
    )
    return out


def export_frame(store, kind: str, columns: Sequence[str], mask_personal: bool = True, user=None):
    """The rows an export writes: a logged-in user needs ``export_data`` (a session without a
    user may export masked data — it can read the store anyway); clear personal fields need
    ``export_personal`` (:func:`unmasked_query_all`)."""
    from gis_core.masking import PERSONAL_FIELDS as masked_kinds
    from gis_core.security.accounts import authorize

    user = user if user is not None else getattr(store, "user", None)
    if user is not None:
        authorize(store, user, "export_data")
    if mask_personal or kind not in masked_kinds:
        return store.query_all(kind, list(columns))  # personal fields come back masked
    return unmasked_query_all(store, kind, columns, user)


def unmasked_query_all(store, kind: str, columns: Sequence[str], user=None):
    """``store.query_all`` with personal fields in clear, for a bulk export by a user with
    ``export_personal``. The caller records the export (:func:`record_export`) once written."""
    from gis_core.security.accounts import authorize

    authorize(store, user, "export_personal")
    with _clear():
        return store.query_all(kind, list(columns))


def record_export(
    store,
    kind: str,
    rows: int,
    path: str,
    masked: Sequence[str] = (),
    unmasked: Sequence[str] = (),
    user=None,
    fmt: str | None = None,
) -> None:
    """Audit one export: what (kind, file, format), how many rows, which personal fields were
    written masked and which in clear (``export_personal``)."""
    from pathlib import Path

    audit.record(
        store,
        "export_personal" if unmasked else "export",
        user,
        object=kind,
        count=int(rows),
        detail={
            "file": Path(path).name,
            **({"format": fmt} if fmt else {}),
            **({"masked": list(masked)} if masked else {}),
            **({"unmasked": list(unmasked)} if unmasked else {}),
        },
    )


def find_by_id_number(store, id_number: str, user=None) -> list[int]:
    """Residents with exactly this ID number (blind index: nothing is decrypted), in the
    session's cells. Needs ``view_personal``; logged as ``lookup`` (without the number)."""
    from gis_core.security.accounts import authorize

    user = authorize(store, user, "view_personal")
    try:
        key = store_key(store)
    except KeyUnavailable:
        return []
    (digest,) = key.blind_many([id_number])
    frame = store.page("residents", [], 0, 1000, filter=[("id_number_bidx", "=", digest)])
    ids = sorted(frame.ids.tolist())
    audit.record(
        store, "lookup", user, object="residents", count=len(ids), detail={"by": "id_number"}
    )
    return ids


class _BlindSet:
    """``value in stored_id_numbers(store)`` compares blind indexes; no ID is decrypted."""

    def __init__(self, key, digests: set[str]):
        self.key, self.digests = key, digests

    def __contains__(self, value: object) -> bool:
        if value is None or self.key is None:
            return False
        return self.key.blind_many([str(value)])[0] in self.digests

    def __len__(self) -> int:
        return len(self.digests)


def stored_id_numbers(store) -> _BlindSet:
    """The ID numbers already in the store (of the session's cells), as a set to test membership
    of clear values against — for the importer's duplicate check."""
    try:
        key = store_key(store)
    except KeyUnavailable:
        return _BlindSet(None, set())
    frame = store.page(
        "residents", ["id_number_bidx"], 0, 2**62, filter=[("id_number_bidx", "not null", None)]
    )
    return _BlindSet(key, set(frame.columns["id_number_bidx"].tolist()))


def _raw_in(store, table: str, cols: str, where: str = "") -> list:
    with store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        if store.backend == "postgis":
            with raw.cursor() as cur:
                cur.execute(f"SELECT {cols} FROM {table} {where}")
                return cur.fetchall()
        return raw.execute(f"SELECT {cols} FROM {table} {where}").fetchall()


def encrypt_existing(store, batch: int = 20_000) -> int:
    """Encrypt residents' ID numbers and phones still stored in clear (rows written before
    encryption existed) and fill their blind index. Returns the rows changed. One transaction."""
    from sqlalchemy import text

    key = store_key(store, create=True)
    rows = _raw_in(
        store,
        "residents",
        "id, id_number, phone",
        f"WHERE (id_number IS NOT NULL AND id_number NOT LIKE '{CIPHER_PREFIX}%') "
        f"OR (phone IS NOT NULL AND phone NOT LIKE '{CIPHER_PREFIX}%')",
    )
    if not rows:
        return 0
    with store.begin() as conn:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            ids = [r[0] for r in chunk]
            idn = [None if r[1] is None or is_ciphertext(r[1]) else str(r[1]) for r in chunk]
            phone = [None if r[2] is None or is_ciphertext(r[2]) else str(r[2]) for r in chunk]
            enc_id = key.encrypt_many(idn, "residents.id_number")
            enc_phone = key.encrypt_many(phone, "residents.phone")
            bidx = key.blind_many(idn)
            params = [
                {
                    "id": i,
                    "n": enc_id[k] if idn[k] is not None else chunk[k][1],
                    "p": enc_phone[k] if phone[k] is not None else chunk[k][2],
                    "b": bidx[k] if idn[k] is not None else None,
                }
                for k, i in enumerate(ids)
            ]
            conn.execute(
                text(
                    "UPDATE residents SET id_number = :n, phone = :p, "
                    "id_number_bidx = COALESCE(:b, id_number_bidx) WHERE id = :id"
                ),
                params,
            )
        audit.record(store, "key_encrypt_existing", object="residents", count=len(rows), conn=conn)
    return len(rows)
