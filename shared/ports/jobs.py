"""Job runner: long work outside a request (the render job)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class JobRun:
    id: str
    state: str  # running | succeeded | failed
    message: str = ""


class JobRunner(Protocol):
    def start(self, job: str, *, args: list[str], env: dict[str, str]) -> JobRun:
        """Start ``job`` with container overrides (args and env)."""
        ...

    def status(self, run_id: str) -> JobRun: ...
