"""The personal-data key: 32 random bytes in the OS keyring or in a key file only its owner can read.

The key never goes into the database. The store records only the key's id (``personal_key_id`` in
``store_meta``), derived from the key, so a wrong or missing key is reported as such instead of
producing garbage. From the one secret, HKDF derives the AES-256-GCM key that encrypts ID numbers
and phones and the HMAC key of the blind index (exact lookup by ID number without decrypting).

Where a key is looked for, by the store's key id:

1. ``ZHIWANG_KEY_FILE`` — an explicit key file (a deployment's shared key);
2. the OS keyring (service ``zhiwang-personal-data``, user = key id), unless
   ``ZHIWANG_KEY_STORE=file``;
3. ``<key dir>/<key id>.key`` — ``ZHIWANG_KEY_DIR``, else ``keys/`` next to the embedded store.

A new key goes to ``ZHIWANG_KEY_FILE`` if set, else to the keyring if the OS has one, else to the key
directory (file mode 0600, folder 0700). A key file that others can read is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
import sys
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gis_core.store import StoreError

__all__ = [
    "PersonalKey",
    "KeyUnavailable",
    "WrongKey",
    "KEY_FILE_ENV",
    "KEY_DIR_ENV",
    "KEY_STORE_ENV",
    "KEYRING_SERVICE",
    "META_KEY_ID",
    "generate_key",
    "read_key_file",
    "write_key_file",
    "find_key",
    "save_key",
    "key_dir",
    "store_key",
    "store_key_id",
]

KEY_FILE_ENV = "ZHIWANG_KEY_FILE"
KEY_DIR_ENV = "ZHIWANG_KEY_DIR"
KEY_STORE_ENV = "ZHIWANG_KEY_STORE"
KEYRING_SERVICE = "zhiwang-personal-data"
META_KEY_ID = "personal_key_id"
CIPHER_PREFIX = "zw1:"
_HEADER = "# zhiwang personal-data key"


class KeyUnavailable(StoreError):
    """The store's personal data is encrypted with a key that is not on this computer."""


class WrongKey(StoreError):
    """A key was found but it is not the one the store's personal data is encrypted with."""


def _derive(secret: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


@dataclass(frozen=True)
class PersonalKey:
    """One personal-data key: encrypts, decrypts and blind-indexes column values in bulk."""

    secret: bytes = field(repr=False)
    key_id: str = field(init=False)
    _aead: Any = field(init=False, repr=False, compare=False)
    _blind: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(self.secret) != 32:
            raise ValueError("a personal-data key is 32 bytes")
        object.__setattr__(self, "key_id", _derive(self.secret, b"zhiwang key id v1")[:8].hex())
        object.__setattr__(self, "_aead", AESGCM(_derive(self.secret, b"zhiwang aes-gcm v1")))
        object.__setattr__(self, "_blind", _derive(self.secret, b"zhiwang blind index v1"))

    def encrypt_many(self, values: Sequence[str | None], field_name: str) -> list[str | None]:
        """``zw1:`` + base64(nonce ‖ AES-GCM ciphertext ‖ tag) per value; ``None`` stays ``None``.

        The column name is authenticated data, so a value moved to another column fails to decrypt.
        """
        aad = field_name.encode()
        nonces = os.urandom(12 * len(values))
        encrypt, b64 = self._aead.encrypt, binascii.b2a_base64
        prefix = CIPHER_PREFIX.encode()
        out: list[str | None] = [None] * len(values)
        for i, v in enumerate(values):
            if v is not None:
                nonce = nonces[12 * i : 12 * i + 12]
                out[i] = (
                    prefix + b64(nonce + encrypt(nonce, v.encode(), aad), newline=False)
                ).decode()
        return out

    def decrypt_many(self, values: Sequence[Any], field_name: str) -> list[str | None]:
        """Clear values of :meth:`encrypt_many` output; values without the prefix are returned as
        they are (rows written before encryption; ``zhiwang key init`` encrypts them)."""
        from cryptography.exceptions import InvalidTag

        aad = field_name.encode()
        decrypt, b64 = self._aead.decrypt, base64.b64decode
        out: list[str | None] = [None] * len(values)
        for i, v in enumerate(values):
            if v is None:
                continue
            if not (isinstance(v, str) and v.startswith(CIPHER_PREFIX)):
                out[i] = str(v)
                continue
            raw = b64(v[4:])
            try:
                out[i] = decrypt(raw[:12], raw[12:], aad).decode()
            except InvalidTag:
                raise WrongKey(
                    f"a value of {field_name} does not decrypt with key {self.key_id}: "
                    "the data was altered or written with another key"
                ) from None
        return out

    def blind_many(self, values: Sequence[str | None]) -> list[str | None]:
        """HMAC-SHA256 blind index (32 hex digits) of normalised ID numbers, for exact lookup.

        RFC 2104 spelled out with the keyed inner and outer SHA-256 states computed once: the
        same digests as ``hmac.digest``, 3-4x faster over a population.
        """
        inner, outer = self._hmac_states
        out: list[str | None] = [None] * len(values)
        for i, v in enumerate(values):
            if v is not None:
                h = inner.copy()
                h.update(normalise_id(v).encode())
                o = outer.copy()
                o.update(h.digest())
                out[i] = o.hexdigest()[:32]
        return out

    @property
    def _hmac_states(self):
        states = self.__dict__.get("_states")
        if states is None:
            block = self._blind.ljust(64, b"\0")  # a 32-byte key fits SHA-256's 64-byte block
            states = (
                hashlib.sha256(bytes(b ^ 0x36 for b in block)),
                hashlib.sha256(bytes(b ^ 0x5C for b in block)),
            )
            object.__setattr__(self, "_states", states)
        return states


def normalise_id(value: str) -> str:
    """An ID number as compared: no spaces, upper-case check character."""
    return "".join(str(value).split()).upper()


def generate_key() -> PersonalKey:
    return PersonalKey(os.urandom(32))


# ----------------------------------------------------------------------------- key files
def read_key_file(path: str | os.PathLike) -> PersonalKey:
    """Read a key file, refusing one that other users could read."""
    p = Path(path).expanduser()
    try:
        st = p.stat()
    except FileNotFoundError:
        raise KeyUnavailable(f"no key file at {p}") from None
    if sys.platform != "win32" and st.st_mode & 0o077:
        raise KeyUnavailable(
            f"key file {p} can be read by other users (mode {stat.S_IMODE(st.st_mode):04o}); "
            f"it is not used: run `chmod 600 {p}` and check who copied it"
        )
    lines = [ln.strip() for ln in p.read_text(encoding="ascii").splitlines()]
    body = [ln for ln in lines if ln and not ln.startswith("#")]
    try:
        secret = base64.b64decode(body[-1], validate=True)
        return PersonalKey(secret)
    except Exception:
        raise KeyUnavailable(f"{p} is not a Zhiwang personal-data key file") from None


def write_key_file(path: str | os.PathLike, key: PersonalKey) -> Path:
    """Write ``key`` to a new file with mode 0600 (its folder 0700 if created)."""
    p = Path(path).expanduser()
    if not p.parent.exists():
        p.parent.mkdir(parents=True, mode=0o700)
    text = f"{_HEADER} {key.key_id}\n{base64.b64encode(key.secret).decode()}\n"
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
    return p


def key_dir() -> Path:
    explicit = os.environ.get(KEY_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from gis_core.store import default_store_path

    return default_store_path().parent / "keys"


# ----------------------------------------------------------------------------- keyring
def _keyring():
    if os.environ.get(KEY_STORE_ENV, "").lower() == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return backend


def find_key(key_id: str) -> tuple[PersonalKey, str]:
    """The key with ``key_id`` and where it was found; :class:`KeyUnavailable` or :class:`WrongKey`."""
    explicit = os.environ.get(KEY_FILE_ENV)
    if explicit:
        key = read_key_file(explicit)
        if key.key_id != key_id:
            raise WrongKey(
                f"{KEY_FILE_ENV}={explicit} holds key {key.key_id}, but this store's personal data "
                f"is encrypted with key {key_id}"
            )
        return key, explicit
    backend = _keyring()
    if backend is not None:
        try:
            stored = backend.get_password(KEYRING_SERVICE, key_id)
        except Exception:
            stored = None
        if stored:
            key = PersonalKey(base64.b64decode(stored))
            if key.key_id == key_id:
                return key, "the OS keyring"
    path = key_dir() / f"{key_id}.key"
    if path.exists():
        key = read_key_file(path)
        if key.key_id != key_id:
            raise WrongKey(f"{path} holds key {key.key_id}, not {key_id}")
        return key, str(path)
    raise KeyUnavailable(
        f"this store's personal data (ID numbers, phones) is encrypted with key {key_id}, which is "
        "not on this computer: install it with `zhiwang key install FILE` (export it with "
        f"`zhiwang key export` where it exists) or point {KEY_FILE_ENV} at it"
    )


def save_key(key: PersonalKey) -> str:
    """Keep ``key`` on this computer (keyring, else the key directory); returns where."""
    explicit = os.environ.get(KEY_FILE_ENV)
    if explicit:
        if not Path(explicit).expanduser().exists():
            write_key_file(explicit, key)
        elif read_key_file(explicit).key_id != key.key_id:
            raise WrongKey(f"{KEY_FILE_ENV}={explicit} already holds another key")
        return explicit
    backend = _keyring()
    if backend is not None:
        try:
            backend.set_password(KEYRING_SERVICE, key.key_id, base64.b64encode(key.secret).decode())
            return "the OS keyring"
        except Exception:
            pass  # a locked or read-only keyring: fall back to a key file
    path = key_dir() / f"{key.key_id}.key"
    if not path.exists():
        write_key_file(path, key)
    return str(path)


# ----------------------------------------------------------------------------- per store
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_missing: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()
MISSING_RETRY_S = 30.0


def store_key_id(store, conn=None) -> str | None:
    from sqlalchemy import text

    sql = text("SELECT value FROM store_meta WHERE key = :k")
    if conn is not None:
        return conn.execute(sql, {"k": META_KEY_ID}).scalar()
    return store.meta(META_KEY_ID)


def store_key(store, conn=None, create: bool = False) -> PersonalKey:
    """The store's personal-data key (cached per store); with ``create``, a store without one gets
    a new key, kept on this computer and its id recorded in ``store_meta`` (through ``conn``)."""
    with _lock:
        key = _cache.get(store)
        if key is not None:
            return key
        failed = _missing.get(store)
    if failed is not None and not create and time.monotonic() - failed[0] < MISSING_RETRY_S:
        raise failed[1]
    try:
        key_id = store_key_id(store, conn)
        if key_id is None:
            if not create:
                raise KeyUnavailable("this store holds no encrypted personal data yet")
            key = _adopt_or_generate()
            save_key(key)
            try:
                store.set_meta(META_KEY_ID, key.key_id, conn=conn)
                from gis_core.security import audit

                audit.record(store, "key_created", object=key.key_id, conn=conn)
            except Exception as exc:
                raise KeyUnavailable(
                    "this store has no personal-data key yet and this session may not record one "
                    "(on PostGIS the database owner runs `zhiwang key init --store …` first)"
                ) from exc
        else:
            key, _ = find_key(key_id)
    except (KeyUnavailable, WrongKey) as exc:
        with _lock:
            _missing[store] = (time.monotonic(), exc)
        raise
    with _lock:
        _cache[store] = key
        _missing.pop(store, None)
    return key


def _adopt_or_generate() -> PersonalKey:
    explicit = os.environ.get(KEY_FILE_ENV)
    if explicit and Path(explicit).expanduser().exists():
        return read_key_file(explicit)  # a deployment's shared key
    return generate_key()


def fingerprint(key: PersonalKey) -> str:
    """A short public fingerprint to compare keys across computers (the key id, grouped)."""
    kid = key.key_id
    return "-".join(kid[i : i + 4] for i in range(0, len(kid), 4))
