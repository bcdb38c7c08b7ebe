"""Documents: state as JSON documents addressed by slash paths (Firestore's model).

A path alternates collection and id: ``campaigns/c1`` or ``campaigns/c1/creatives/A``.
"""

from __future__ import annotations

import math
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
        """Create or replace the document at ``path``. ValueError, and nothing written, when
        ``data`` holds a number a document cannot (see :func:`check_storable`)."""
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


# Firestore stores integers as 64-bit (https://firebase.google.com/docs/firestore/manage-data/data-types);
# NaN and infinities are not JSON, so SQLite's JSON functions refuse a document holding one.
INT64 = (-(2**63), 2**63 - 1)


def check_storable(path: str, data: Doc) -> None:
    """ValueError naming the field when ``data`` holds a number no adapter may store alike:
    a float that is not finite, or an integer outside 64 bits. Every adapter calls it before
    writing, so a bad value is refused the same way everywhere and nothing is written."""
    stack: list[tuple[str, Any]] = [(k, v) for k, v in data.items()]
    while stack:
        field, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{path}: {field} is {value}; documents hold finite numbers only")
        if isinstance(value, int) and not isinstance(value, bool):
            if not INT64[0] <= value <= INT64[1]:
                raise ValueError(f"{path}: {field} is an integer beyond 64 bits")
        elif isinstance(value, dict):
            stack.extend((f"{field}.{k}", v) for k, v in value.items())
        elif isinstance(value, list | tuple):
            stack.extend((f"{field}[{i}]", v) for i, v in enumerate(value))
