"""`zhiwang key status|init|export|install`: the personal-data key of a store on this computer."""

from __future__ import annotations

import argparse

from gis_core.commands.login import add_login_argument, login

DESCRIPTION = """\
ID numbers and phones are stored encrypted with a key that never goes into the database: it is
kept in the OS keyring or in a key file that only its owner can read (0600), and the store records
only its id. Every computer that shows or exports personal data unmasked needs the key:

  zhiwang key export --store URL --out zhiwang.key   (where the key is; needs an administrator)
  zhiwang key install zhiwang.key                    (on the other computer; then delete the file)

`init` creates a store's key (PostGIS: run it as the database owner) and encrypts any ID numbers
and phones still stored in clear. $ZHIWANG_KEY_FILE points at an explicit key file instead.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "key",
        help="the personal-data encryption key: status, init, export, install",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="key_action", required=True, metavar="ACTION")
    s = actions.add_parser("status", help="which key the store needs and whether it is here")
    s.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded)")
    s.set_defaults(func=_status)
    i = actions.add_parser("init", help="create the store's key; encrypt clear values")
    i.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded)")
    add_login_argument(i)
    i.set_defaults(func=_init)
    e = actions.add_parser("export", help="write the store's key to a file (mode 0600)")
    e.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded)")
    e.add_argument("--out", required=True, metavar="FILE")
    add_login_argument(e)
    e.set_defaults(func=_export)
    n = actions.add_parser("install", help="keep a key file's key on this computer")
    n.add_argument("file", metavar="FILE")
    n.set_defaults(func=_install)


def _status(args) -> int:
    from gis_core.security.keys import KeyUnavailable, WrongKey, find_key, store_key_id
    from gis_core.store import Store

    with Store.open(args.store) as store:
        key_id = store_key_id(store)
    if key_id is None:
        print("this store has no personal-data key yet (it is created with the first residents)")
        return 0
    try:
        _, where = find_key(key_id)
    except (KeyUnavailable, WrongKey) as exc:
        print(f"key {key_id}: NOT available here — {exc}")
        return 1
    print(f"key {key_id}: available ({where})")
    return 0


def _init(args) -> int:
    from gis_core.security.accounts import authorize
    from gis_core.security.keys import store_key
    from gis_core.security.personal import encrypt_existing
    from gis_core.store import Store

    with Store.open(args.store) as store:
        authorize(store, login(store, args.user), "manage_users")
        key = store_key(store, create=True)
        changed = encrypt_existing(store)
    print(f"key {key.key_id}: ready; {changed:,} resident(s) encrypted now")
    return 0


def _export(args) -> int:
    from gis_core.security import audit
    from gis_core.security.accounts import authorize
    from gis_core.security.keys import store_key, write_key_file
    from gis_core.store import Store

    with Store.open(args.store) as store:
        user = authorize(store, login(store, args.user), "manage_users")
        key = store_key(store)
        try:
            path = write_key_file(args.out, key)
        except FileExistsError:
            from gis_core.store import StoreError

            raise StoreError(f"{args.out} exists; choose a new file name") from None
        audit.record(store, "key_exported", user, object=key.key_id, detail={"file": path.name})
    print(
        f"wrote key {key.key_id} to {path} (mode 0600); move it safely and delete it after install"
    )
    return 0


def _install(args) -> int:
    from gis_core.security.keys import read_key_file, save_key

    key = read_key_file(args.file)
    where = save_key(key)
    print(f"key {key.key_id} installed in {where}")
    return 0
