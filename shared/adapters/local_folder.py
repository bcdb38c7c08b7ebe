"""Blobs in a local folder (the embedded default)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shared.errors import BadInput, NotFound


class FolderBlobs:
    """The blobs port on a folder. Writes go to a temp file then ``os.replace`` (atomic)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()

    def _path(self, path: str) -> Path:
        full = (self.root / path.lstrip("/")).resolve()
        if full != self.root and self.root not in full.parents:
            raise BadInput(f"blob path {path!r} leaves the blob folder")
        return full

    def put(
        self, path: str, data: bytes, *, content_type: str = "application/octet-stream"
    ) -> None:
        target = self._path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, path: str) -> bytes:
        try:
            return self._path(path).read_bytes()
        except (FileNotFoundError, IsADirectoryError) as e:
            raise NotFound(f"no blob at {path!r}") from e

    def exists(self, path: str) -> bool:
        return self._path(path).is_file()

    def list(self, prefix: str = "") -> list[str]:
        if not self.root.exists():
            return []
        found = (
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )
        return sorted(p for p in found if p.startswith(prefix))

    def delete(self, path: str) -> None:
        self._path(path).unlink(missing_ok=True)

    def url(self, path: str, *, expires_s: int = 3600) -> str:
        return self._path(path).as_uri()
