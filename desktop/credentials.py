"""PostGIS connection details: the password in the OS keyring (``keyring``), never in a settings file.

Where no keyring backend is available (a bare server, CI), nothing is stored and the window asks
for the password again next time.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["PgConnection", "keyring_available", "save_password", "load_password", "forget_password"]

log = logging.getLogger(__name__)

SERVICE = "zhiwang-postgis"


@dataclass(frozen=True)
class PgConnection:
    host: str
    port: int
    database: str
    user: str

    @property
    def key(self) -> str:
        """The keyring user name under which the password is kept."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None, connect_timeout: int = 5) -> str:
        auth = quote(self.user, safe="")
        if password:
            auth += ":" + quote(password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return (
            f"postgresql://{auth}@{host}:{int(self.port)}/{quote(self.database, safe='')}"
            f"?connect_timeout={int(connect_timeout)}"
        )

    def to_settings(self) -> dict:
        return {"host": self.host, "port": self.port, "database": self.database, "user": self.user}


def _backend():
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return backend


def keyring_available() -> bool:
    return _backend() is not None


def save_password(conn: PgConnection, password: str) -> bool:
    """Keep the password in the OS keyring; False where there is none (then nothing is stored)."""
    backend = _backend()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, conn.key, password)
        return True
    except Exception as exc:
        log.warning("could not save the password in the keyring: %s", exc)
        return False


def load_password(conn: PgConnection) -> str | None:
    backend = _backend()
    if backend is None:
        return None
    try:
        return backend.get_password(SERVICE, conn.key)
    except Exception as exc:
        log.warning("could not read the keyring: %s", exc)
        return None


def forget_password(conn: PgConnection) -> None:
    backend = _backend()
    if backend is None:
        return
    with contextlib.suppress(Exception):
        backend.delete_password(SERVICE, conn.key)
