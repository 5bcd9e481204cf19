"""The emulator's storage: SQLite in WAL mode, one transaction per request.

One table holds every stored form as its JSON (the case-document shape), with the ids that
tie a case together: `anmodning_id` (the case), `ivaerksaettelse_id` (a tilbudstilknytning's
parent), the myndighed (kommune) and the borger's CPR number. Ids come from one sequence.
A second table holds the wsa:MessageIDs of signed requests seen within their freshness window
(`SeenMessages`, the secure emulator's replay cache), so that a restart forgets none.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ._facts import REFERENCES, SLOTS

SCHEMA = """
CREATE TABLE IF NOT EXISTS skema (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form TEXT NOT NULL,
    anmodning_id INTEGER,
    ivaerksaettelse_id INTEGER,
    kommune INTEGER NOT NULL,
    cpr TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS skema_case ON skema (anmodning_id);
CREATE INDEX IF NOT EXISTS skema_borger ON skema (kommune, cpr);
-- One b-tree, no index on `until`: a request's insert is the cost that counts; pruning scans.
CREATE TABLE IF NOT EXISTS seen_message (
    message_id TEXT PRIMARY KEY,
    until REAL NOT NULL  -- seconds since the epoch: a repeat before then is a replay
) WITHOUT ROWID;
"""
PRUNE_EVERY = 1024  # forget expired message IDs once per this many new ones
_COLUMNS = "id, form, anmodning_id, ivaerksaettelse_id, data"
_INDEX = {"anmodning_id": 2, "ivaerksaettelse_id": 3}


def _form(row: tuple[Any, ...]) -> dict[str, Any]:
    """A stored row as the form's JSON, with its Id and references."""
    data: dict[str, Any] = json.loads(row[4])
    data["Id"] = row[0]
    for field, column in REFERENCES.get(row[1], ()):
        data[field] = row[_INDEX[column]]
    return data


def _content(form: str, data: dict[str, Any]) -> str:
    ids = {"Id", *(field for field, _ in REFERENCES.get(form, ()))}
    return json.dumps({k: v for k, v in data.items() if k not in ids}, ensure_ascii=False)


class Store:
    """One connection, used by one request at a time (a lock), each request one transaction."""

    def __init__(self, path: str):
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: safe against a killed process
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._remembered = 0

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def insert(
        self,
        form: str,
        data: dict[str, Any],
        *,
        kommune: int,
        cpr: str,
        anmodning_id: int | None = None,
        ivaerksaettelse_id: int | None = None,
    ) -> int:
        cursor = self._db.execute(
            "INSERT INTO skema (form, anmodning_id, ivaerksaettelse_id, kommune, cpr, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (form, anmodning_id, ivaerksaettelse_id, kommune, cpr, _content(form, data)),
        )
        new_id = cursor.lastrowid
        assert new_id is not None  # set by every INSERT
        if form == "Anmodning":  # a case is known by its anmodning's id
            self._db.execute("UPDATE skema SET anmodning_id = ? WHERE id = ?", (new_id, new_id))
        return new_id

    def update(self, form: str, form_id: int, data: dict[str, Any]) -> None:
        self._db.execute("UPDATE skema SET data = ? WHERE id = ?", (_content(form, data), form_id))
        if form == "Anmodning":  # the borger of every form of the case: a new CPR moves them all
            self._db.execute(
                "UPDATE skema SET cpr = ? WHERE anmodning_id = ?",
                (data.get("PersonIdentifikator") or "", form_id),
            )

    def delete(self, form_id: int) -> None:
        self._db.execute("DELETE FROM skema WHERE id = ?", (form_id,))

    def delete_case(self, anmodning_id: int) -> None:
        self._db.execute("DELETE FROM skema WHERE anmodning_id = ?", (anmodning_id,))

    def get(self, form_id: int, kommune: int) -> tuple[str, int, int | None, dict[str, Any]] | None:
        """(form, anmodning_id, ivaerksaettelse_id, data) of a form of this myndighed."""
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM skema WHERE id = ? AND kommune = ?", (form_id, kommune)
        ).fetchone()
        return None if row is None else (row[1], row[2], row[3], _form(row))

    def case(self, anmodning_id: int) -> dict[str, Any]:
        """The case in the case-document shape, forms carrying their ids."""
        case: dict[str, Any] = {}
        for row in self._db.execute(
            f"SELECT {_COLUMNS} FROM skema WHERE anmodning_id = ? ORDER BY id", (anmodning_id,)
        ):
            key, many = SLOTS[row[1]]
            if many:
                case.setdefault(key, []).append(_form(row))
            else:
                case[key] = _form(row)
        return case

    def case_ids(self, kommune: int, cpr: str | None = None) -> list[int]:
        if cpr is None:
            rows = self._db.execute(
                "SELECT id FROM skema WHERE form = 'Anmodning' AND kommune = ? ORDER BY id",
                (kommune,),
            )
        else:
            rows = self._db.execute(
                "SELECT id FROM skema WHERE form = 'Anmodning' AND "
                "kommune = ? AND cpr = ? ORDER BY id",
                (kommune, cpr),
            )
        return [row[0] for row in rows]

    def remember_message(self, message_id: str, until: float, now: float) -> bool:
        """Record `message_id` as seen until `until`; False if it is already recorded until
        after `now` (a replay). One statement: atomic between concurrent requests."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO seen_message (message_id, until) VALUES (?, ?) "
                "ON CONFLICT (message_id) DO UPDATE SET until = excluded.until "
                "WHERE seen_message.until <= ?",
                (message_id, until, now),
            )
            self._remembered += 1
            if self._remembered % PRUNE_EVERY == 0:
                self._db.execute("DELETE FROM seen_message WHERE until <= ?", (now,))
            return cursor.rowcount == 1

    def count_messages(self) -> int:
        """Message IDs remembered, expired ones not yet pruned included."""
        with self._lock:
            count: int = self._db.execute("SELECT count(*) FROM seen_message").fetchone()[0]
            return count

    def count(self, form: str) -> int:
        count: int = self._db.execute(
            "SELECT count(*) FROM skema WHERE form = ?", (form,)
        ).fetchone()[0]
        return count


class SeenMessages:
    """`smdb.security`'s replay cache (`add`) kept in the emulator's database."""

    def __init__(self, store: Store):
        self.store = store

    def __len__(self) -> int:
        return self.store.count_messages()

    def add(self, message_id: str, until: dt.datetime, now: dt.datetime) -> None:
        """Remember `message_id` until `until` (datetimes); Replayed if already remembered."""
        if not self.store.remember_message(message_id, until.timestamp(), now.timestamp()):
            from ..security.errors import Replayed

            raise Replayed("this wsa:MessageID was seen before")
