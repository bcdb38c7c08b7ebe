"""Blobs: assets and files (GCS in production, a folder locally)."""

from __future__ import annotations

from typing import Protocol


class Blobs(Protocol):
    def put(
        self, path: str, data: bytes, *, content_type: str = "application/octet-stream"
    ) -> None:
        """Write ``data`` at ``path`` atomically: readers see the old bytes or the new, not half."""
        ...

    def get(self, path: str) -> bytes:
        """The bytes at ``path``; raises :class:`shared.errors.NotFound`."""
        ...

    def exists(self, path: str) -> bool: ...

    def list(self, prefix: str = "") -> list[str]:
        """Paths under ``prefix``, sorted."""
        ...

    def delete(self, path: str) -> None: ...

    def url(self, path: str, *, expires_s: int = 3600) -> str:
        """A URL a reader can fetch without credentials (signed in GCS, file:// locally)."""
        ...
