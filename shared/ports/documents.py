"""Documents: state as JSON documents addressed by slash paths (Firestore's model).

A path alternates collection and id: ``campaigns/c1`` or ``campaigns/c1/creatives/A``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

T = TypeVar("T")
Doc = dict[str, Any]
Op = Literal["==", "<", "<=", ">", ">=", "in"]
Where = tuple[str, Op, Any]


@dataclass(frozen=True)
class Document:
    path: str
    data: Doc

    @property
    def id(self) -> str:
        return self.path.rsplit("/", 1)[-1]


class Transaction(Protocol):
    """Reads first, then writes (Firestore's rule; every adapter enforces it)."""

    def get(self, path: str) -> Doc | None: ...

    def set(self, path: str, data: Doc) -> None: ...

    def delete(self, path: str) -> None: ...


class Documents(Protocol):
    def get(self, path: str) -> Doc | None:
        """The document at ``path``, or None."""
        ...

    def set(self, path: str, data: Doc) -> None:
        """Create or replace the document at ``path``."""
        ...

    def create(self, path: str, data: Doc) -> bool:
        """Store ``data`` at ``path`` unless a document is there; True when this call created
        it. Atomic without a transaction: of concurrent creates of one path exactly one wins,
        and none takes a lock that the others wait on."""
        ...

    def delete(self, path: str) -> None: ...

    def query(
        self,
        collection: str,
        where: Sequence[Where] = (),
        *,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Document]:
        """Documents directly in ``collection`` matching every condition (top-level fields)."""
        ...

    def transact(self, fn: Callable[[Transaction], T]) -> T:
        """Run ``fn`` atomically; it may be run again on contention, so it must be pure I/O."""
        ...


def split_path(path: str) -> tuple[str, str]:
    """``campaigns/c1/creatives/A`` -> (``campaigns/c1/creatives``, ``A``)."""
    parts = path.strip("/").split("/")
    if len(parts) < 2 or len(parts) % 2 or any(not p for p in parts):
        raise ValueError(f"not a document path: {path!r} (want collection/id[/collection/id…])")
    return "/".join(parts[:-1]), parts[-1]


def check_collection(collection: str) -> str:
    parts = collection.strip("/").split("/")
    if len(parts) % 2 == 0 or any(not p for p in parts):
        raise ValueError(f"not a collection path: {collection!r}")
    return "/".join(parts)
