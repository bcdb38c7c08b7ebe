"""Documents on SQLite: one table of JSON documents keyed by (collection, id)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from shared.adapters.sqlite_db import SqliteDatabase
from shared.errors import TransientError
from shared.ports.documents import (
    Doc,
    Document,
    Where,
    check_collection,
    check_storable,
    split_path,
)

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (collection, id)
) WITHOUT ROWID;
"""

_SQL_OPS = {"==": "=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class _SqliteTransaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._wrote = False

    def get(self, path: str) -> Doc | None:
        if self._wrote:
            # Firestore refuses reads after writes in a transaction; so do we, so code that works
            # here works there.
            raise RuntimeError("transaction reads must come before its writes")
        return _get(self._conn, path)

    def set(self, path: str, data: Doc) -> None:
        self._wrote = True
        _set(self._conn, path, data)

    def delete(self, path: str) -> None:
        self._wrote = True
        _delete(self._conn, path)


class SqliteDocuments:
    """The documents port on a local SQLite file (the embedded default)."""

    def __init__(self, path: Path | str) -> None:
        self._db = SqliteDatabase(path, schema=_SCHEMA)

    def get(self, path: str) -> Doc | None:
        return _get(self._db.connect(), path)

    def set(self, path: str, data: Doc) -> None:
        _set(self._db.connect(), path, data)

    def create(self, path: str, data: Doc) -> bool:
        collection, doc_id = split_path(path)
        cursor = self._db.connect().execute(
            "INSERT INTO documents (collection, id, data) VALUES (?, ?, ?) "
            "ON CONFLICT (collection, id) DO NOTHING",
            (collection, doc_id, _dumps(path, data)),
        )
        return cursor.rowcount == 1

    def delete(self, path: str) -> None:
        _delete(self._db.connect(), path)

    def query(
        self,
        collection: str,
        where: Sequence[Where] = (),
        *,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Document]:
        collection = check_collection(collection)
        sql = ["SELECT id, data FROM documents WHERE collection = ?"]
        args: list[Any] = [collection]
        for field, op, value in where:
            expr = f"json_extract(data, '$.\"{_field(field)}\"')"
            if op == "in":
                values = list(value)
                sql.append(f"AND {expr} IN ({','.join('?' * len(values))})")
                args.extend(_sql_value(v) for v in values)
            else:
                sql.append(f"AND {expr} {_SQL_OPS[op]} ?")
                args.append(_sql_value(value))
        order = f"json_extract(data, '$.\"{_field(order_by)}\"'), id" if order_by else "id"
        sql.append(f"ORDER BY {order}")
        if limit is not None:
            sql.append("LIMIT ?")
            args.append(limit)
        rows = self._db.connect().execute(" ".join(sql), args).fetchall()
        return [Document(f"{collection}/{row[0]}", json.loads(row[1])) for row in rows]

    def transact(self, fn: Callable[[_SqliteTransaction], T]) -> T:
        conn = self._db.connect()
        try:
            # IMMEDIATE takes the write lock up front, so two transactions cannot both read the
            # old value and both write: the second waits (busy_timeout) and then reads the new.
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise TransientError(f"database busy: {e}") from e
        try:
            result = fn(_SqliteTransaction(conn))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result


def _get(conn: sqlite3.Connection, path: str) -> Doc | None:
    collection, doc_id = split_path(path)
    row = conn.execute(
        "SELECT data FROM documents WHERE collection = ? AND id = ?", (collection, doc_id)
    ).fetchone()
    return json.loads(row[0]) if row else None


def _set(conn: sqlite3.Connection, path: str, data: Doc) -> None:
    collection, doc_id = split_path(path)
    conn.execute(
        "INSERT INTO documents (collection, id, data) VALUES (?, ?, ?) "
        "ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data",
        (collection, doc_id, _dumps(path, data)),
    )


def _dumps(path: str, data: Doc) -> str:
    # allow_nan=False: NaN and Infinity are not JSON; stored, they break every query that
    # reads the document (json_extract refuses it), so they are refused before writing.
    check_storable(path, data)
    return json.dumps(data, default=str, allow_nan=False)


def _delete(conn: sqlite3.Connection, path: str) -> None:
    collection, doc_id = split_path(path)
    conn.execute("DELETE FROM documents WHERE collection = ? AND id = ?", (collection, doc_id))


def _field(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"field names are letters, digits and _: {name!r}")
    return name


def _sql_value(value: Any) -> Any:
    # json_extract returns SQLite's 1/0 for JSON booleans.
    return int(value) if isinstance(value, bool) else value
