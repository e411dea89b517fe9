"""The crash journal: every pending (uncommitted) edit is written to the store as it is made, so
after a crash or a kill -9 the next start can list the sessions left behind and replay them.

Each entry is one applied command with its exact change, as JSON; undo removes the last entry,
a save or a discard removes them all (a save in its own transaction).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import text

__all__ = ["EditJournal", "PendingSession"]


@dataclass(frozen=True)
class PendingSession:
    """Edits left behind by a session that never saved or discarded them."""

    session_id: str
    community_id: int | None
    editor: str | None
    started_at: dt.datetime | str
    last_at: dt.datetime | str
    texts: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.texts)


class EditJournal:
    """The journal of one editing session."""

    def __init__(
        self,
        store,
        community_id: int | None,
        editor: str | None,
        session_id: str | None = None,
        seq: int = 0,
    ):
        self.store = store
        self.community_id = community_id
        self.editor = editor
        self.session_id = session_id or str(uuid.uuid4())
        self.seq = seq

    def append(self, command_json: dict) -> None:
        """Record one applied edit (committed before this returns)."""
        now = dt.datetime.now(dt.UTC)
        with self.store.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO edit_journal (session_id, seq, community_id, editor, command, "
                    "created_at) VALUES (:s, :q, :c, :e, :j, :t)"
                ),
                {
                    "s": self.session_id,
                    "q": self.seq + 1,
                    "c": self.community_id,
                    "e": self.editor,
                    "j": json.dumps(command_json, ensure_ascii=False),
                    "t": now if self.store.backend == "postgis" else now.isoformat(" "),
                },
            )
        self.seq += 1

    def pop(self) -> None:
        """Forget the last edit (it was undone)."""
        if self.seq <= 0:
            return
        with self.store.begin() as conn:
            conn.execute(
                text("DELETE FROM edit_journal WHERE session_id = :s AND seq = :q"),
                {"s": self.session_id, "q": self.seq},
            )
        self.seq -= 1

    def truncate(self, keep: int) -> None:
        """Keep only the first ``keep`` entries."""
        with self.store.begin() as conn:
            conn.execute(
                text("DELETE FROM edit_journal WHERE session_id = :s AND seq > :q"),
                {"s": self.session_id, "q": keep},
            )
        self.seq = min(self.seq, keep)

    def clear(self) -> None:
        EditJournal.discard(self.store, self.session_id)
        self.seq = 0

    # ------------------------------------------------------------------ after a restart
    @staticmethod
    def pending(store, editor: str | None = None) -> list[PendingSession]:
        """Sessions with journalled edits (of ``editor`` only, if given), oldest first."""
        sql = (
            "SELECT session_id, seq, community_id, editor, command, created_at FROM edit_journal"
            + (" WHERE editor = :e" if editor is not None else "")
            + " ORDER BY session_id, seq"
        )
        sessions: dict[str, dict] = {}
        with store.engine.connect() as conn:
            for sid, _seq, cid, who, cmd, at in conn.execute(text(sql), {"e": editor}):
                s = sessions.setdefault(
                    sid, {"community_id": cid, "editor": who, "first": at, "last": at, "texts": []}
                )
                s["last"] = at
                try:
                    s["texts"].append(json.loads(cmd).get("text", "edit"))
                except ValueError:
                    s["texts"].append("edit")
        out = [
            PendingSession(
                sid, s["community_id"], s["editor"], s["first"], s["last"], tuple(s["texts"])
            )
            for sid, s in sessions.items()
        ]
        return sorted(out, key=lambda p: str(p.started_at))

    @staticmethod
    def entries(store, session_id: str) -> list[dict]:
        """The journalled commands of a session, in order, as JSON dicts."""
        with store.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT command FROM edit_journal WHERE session_id = :s ORDER BY seq"),
                {"s": session_id},
            ).all()
        return [json.loads(r[0]) for r in rows]

    @staticmethod
    def discard(store, session_id: str) -> None:
        """Drop a session's journal."""
        with store.begin() as conn:
            conn.execute(text("DELETE FROM edit_journal WHERE session_id = :s"), {"s": session_id})
