"""Documents on Firestore (native mode): each slash path is a document reference.

The client is built on first use (nothing at import or construction time). Under the emulator
the client library itself honours ``FIRESTORE_EMULATOR_HOST``; tests may also pass ``client=``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from google.api_core import exceptions as gexc

from shared.adapters.google_errors import CLIENT_ERRORS, translate
from shared.errors import TransientError
from shared.ports.documents import (
    Doc,
    Document,
    Where,
    check_collection,
    check_storable,
    split_path,
)

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference, Transaction

T = TypeVar("T")

# firestore.transactional retries a commit that lost to a concurrent writer this many times. The
# library default (5) is too few when a fan-in counter is hit by every item at once.
MAX_ATTEMPTS = 25
_WRITE_FIRST = "transaction reads must come before its writes"


class FirestoreTransaction:
    """The port's transaction on a Firestore transaction: reads, then buffered writes."""

    def __init__(self, docs: FirestoreDocuments, transaction: Transaction) -> None:
        self._docs = docs
        self._tx = transaction

    def get(self, path: str) -> Doc | None:
        from google.cloud.firestore_v1 import ReadAfterWriteError

        ref = self._docs.ref(path)
        try:
            snapshot = ref.get(transaction=self._tx)
        except ReadAfterWriteError as e:
            # The same error type as the SQLite adapter, so one assertion covers both.
            raise RuntimeError(_WRITE_FIRST) from e
        return snapshot.to_dict() if snapshot.exists else None

    def set(self, path: str, data: Doc) -> None:
        check_storable(path, data)
        self._tx.set(self._docs.ref(path), data)

    def delete(self, path: str) -> None:
        self._tx.delete(self._docs.ref(path))


class FirestoreDocuments:
    """The documents port on Firestore. ``client`` is for tests; production builds its own."""

    def __init__(
        self,
        *,
        project: str,
        database: str = "(default)",
        client: Client | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.project = project
        self.database = database
        self.max_attempts = max_attempts
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> Client:
        with self._lock:
            if self._client is None:
                from google.cloud import firestore

                self._client = firestore.Client(project=self.project, database=self.database)
            return self._client

    def ref(self, path: str) -> DocumentReference:
        """The document reference for a port path; ValueError when it is not one."""
        collection, doc_id = split_path(path)
        return self.client.collection(collection).document(doc_id)

    def get(self, path: str) -> Doc | None:
        ref = self.ref(path)
        try:
            snapshot = ref.get()
        except CLIENT_ERRORS as e:
            raise translate(e, f"reading {path}") from e
        return snapshot.to_dict() if snapshot.exists else None

    def set(self, path: str, data: Doc) -> None:
        # Firestore itself stores NaN and infinities; the port refuses them, as SQLite must.
        check_storable(path, data)
        ref = self.ref(path)
        try:
            ref.set(data)
        except CLIENT_ERRORS as e:
            raise translate(e, f"writing {path}") from e

    def create(self, path: str, data: Doc) -> bool:
        # A write with the precondition "does not exist": no transaction, no read lock.
        check_storable(path, data)
        ref = self.ref(path)
        try:
            ref.create(data)
        except gexc.AlreadyExists:
            return False
        except CLIENT_ERRORS as e:
            raise translate(e, f"creating {path}") from e
        return True

    def delete(self, path: str) -> None:
        ref = self.ref(path)
        try:
            ref.delete()
        except CLIENT_ERRORS as e:
            raise translate(e, f"deleting {path}") from e

    def query(
        self,
        collection: str,
        where: Sequence[Where] = (),
        *,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Document]:
        """Documents directly in ``collection``, ordered by ``order_by`` (then id) or by id.

        Differences from SQLite a caller may notice: Firestore leaves out documents that lack the
        ``order_by`` field; with a range filter, a ``limit`` and no ``order_by``, the documents
        kept are the first by that field (then sorted by id); real Firestore needs a composite
        index (terraform) for a filter combined with ordering on another field.
        """
        collection = check_collection(collection)
        query = _build_query(self.client, collection, where, order_by, limit)
        try:
            snapshots = list(query.stream())
        except CLIENT_ERRORS as e:
            raise translate(e, f"querying {collection}") from e
        docs = [Document(f"{collection}/{s.id}", s.to_dict() or {}) for s in snapshots]
        return docs if order_by else sorted(docs, key=lambda d: d.id)

    def transact(self, fn: Callable[[FirestoreTransaction], T]) -> T:
        """Run ``fn`` in a Firestore transaction, re-run (up to ``max_attempts``) on contention."""
        from google.cloud import firestore

        @firestore.transactional
        def run(transaction: Transaction) -> T:
            return fn(FirestoreTransaction(self, transaction))

        try:
            result: T = run(self.client.transaction(max_attempts=self.max_attempts))
        except ValueError as e:
            # The library's way of saying "every attempt lost to a concurrent writer".
            if isinstance(e.__cause__, gexc.Aborted):
                raise TransientError(f"transaction contention: {e}") from e
            raise
        except CLIENT_ERRORS as e:
            raise translate(e, "running a transaction") from e
        return result


def _build_query(
    client: Client,
    collection: str,
    where: Sequence[Where],
    order_by: str | None,
    limit: int | None,
) -> Any:
    from google.cloud.firestore import FieldFilter
    from google.cloud.firestore_v1.field_path import FieldPath

    query: Any = client.collection(collection)
    for field, op, value in where:
        query = query.where(filter=FieldFilter(field, op, list(value) if op == "in" else value))
    if order_by:
        # Firestore breaks ties by document id, as the SQLite adapter does.
        query = query.order_by(order_by)
    elif all(op in ("==", "in") for _, op, _ in where):
        # With a range filter the library orders by that field itself (adding an id order
        # first is refused), so that case is sorted by id after reading instead.
        query = query.order_by(FieldPath.document_id())
    if limit is not None:
        query = query.limit(limit)
    return query
