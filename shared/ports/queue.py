"""Task queue: at-least-once delivery of step tasks as HTTP POSTs to ``/tasks/<step>``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")

# Which queue a step's tasks go to (terraform declares the same three).
QUEUES = ("pipeline", "render", "feedback")


@dataclass(frozen=True)
class Task:
    """One unit of work. Its name derives from what it is, so a repeat is recognisable."""

    campaign_id: str
    step: str
    key: str = "-"
    payload: dict[str, Any] = field(default_factory=dict, compare=False)
    queue: str = "pipeline"
    # A retry of a step that failed for good gets a new name, so queues that keep names of
    # finished tasks (Cloud Tasks does, for about an hour) accept it.
    attempt: int = 0

    @property
    def name(self) -> str:
        raw = f"{self.campaign_id}-{self.step}-{self.key}"
        if self.attempt:
            raw += f"-r{self.attempt}"
        return _UNSAFE.sub("_", raw)[:450]

    def body(self) -> bytes:
        doc: dict[str, Any] = {"campaign_id": self.campaign_id, "step": self.step, "key": self.key}
        if self.attempt:
            doc["attempt"] = self.attempt
        if self.payload:
            doc["payload"] = self.payload
        return json.dumps(doc, sort_keys=True).encode()

    def to_doc(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "step": self.step,
            "key": self.key,
            "payload": self.payload,
            "queue": self.queue,
            "attempt": self.attempt,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Task:
        return cls(
            campaign_id=str(doc["campaign_id"]),
            step=str(doc["step"]),
            key=str(doc.get("key", "-")),
            payload=dict(doc.get("payload") or {}),
            queue=str(doc.get("queue", "pipeline")),
            attempt=int(doc.get("attempt") or 0),
        )


class TaskQueue(Protocol):
    def enqueue(self, task: Task, *, delay_s: float = 0.0) -> bool:
        """Schedule ``task``. False when the queue already holds a task of that name.

        Queues that do not dedupe names (the Cloud Tasks emulator) may return True twice; the
        step runner makes the second delivery harmless.
        """
        ...
