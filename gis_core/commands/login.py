"""Logging in from the command line: ``--user NAME``, the password from ``ZHIWANG_PASSWORD`` or a
prompt. Shared by the commands that act for a user (user, audit, key, export)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

__all__ = ["PASSWORD_ENV", "add_login_argument", "login", "open_store", "read_new_password"]

PASSWORD_ENV = "ZHIWANG_PASSWORD"


def add_login_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        help=f"log in as NAME (password from ${PASSWORD_ENV} or a prompt); needed on a store "
        "that has accounts",
    )


def login(store, username: str | None):
    """The logged-in account for ``--user`` (None without it). Failures raise StoreError."""
    if not username:
        return None
    from gis_core.security.accounts import authenticate

    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            from gis_core.store import StoreError

            raise StoreError(f"no password for {username}: set {PASSWORD_ENV} or run in a terminal")
        password = getpass.getpass(f"password for {username}: ")
    return authenticate(store, username, password)


def read_new_password(from_stdin: bool, username: str) -> str:
    """A new password: one line of stdin (``--password-stdin``) or typed twice at a prompt."""
    from gis_core.store import StoreError

    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise StoreError("no password on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise StoreError("give the new password with --password-stdin or run in a terminal")
    first = getpass.getpass(f"new password for {username}: ")
    if getpass.getpass("again: ") != first:
        raise StoreError("the two passwords differ")
    return first


def open_store(url, username: str | None):
    """The store for a command: without ``--user`` as it opens; with it, the user's session
    (their grid cells only, ``store.user`` set) after logging in."""
    from gis_core.store import Store

    store = Store.open(url)
    if not username:
        return store
    try:
        user = login(store, username)
        return store.as_user(user)
    finally:
        store.close()
