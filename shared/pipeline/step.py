"""What a step is: ``fn(ctx, task) -> StepResult``.

A step reads state, does its one job and says what it wrote. It never names what comes next:
``shared/pipeline/flow.py`` does, and the runner enqueues it. When a following step runs once per
thing this step produced (a judge per creative govern kept, a learning per campaign a Meta
report had rows for), the step returns those things as ``items``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.models.campaign import Campaign
from shared.ports.documents import Doc
from shared.ports.queue import Task
from shared.ports.textgen import Generation
from shared.services import Services


@dataclass(frozen=True)
class Item:
    """One thing a following step runs once per: that task's key, the payload it needs, and the
    campaign it belongs to when that is not the step's own (the loop learns per campaign)."""

    key: str
    payload: dict[str, Any] = field(default_factory=dict)
    campaign_id: str | None = None


@dataclass
class StepResult:
    writes: dict[str, Doc] = field(default_factory=dict)
    campaign: dict[str, Any] = field(default_factory=dict)  # fields merged into the campaign
    # What the step produced that the flow fans out over (a following step's ``each=returned``).
    items: list[Item] = field(default_factory=list)
    # Model calls made, added to the campaign's usage in the commit (so a retry never counts twice).
    calls: list[Generation] = field(default_factory=list)
    # False for bookkeeping that runs on a timer (Slack progress): the campaign document is then
    # written only for ``campaign`` fields, and the run is not progress (the watchdog's clock).
    record: bool = True


@dataclass(frozen=True)
class StepContext:
    services: Services
    campaign: Campaign


Step = Callable[[StepContext, Task], StepResult]
# A step run before its campaign exists (a draft brief read from a product page): it gets the
# services and its task, writes its own documents and never the campaign's.
DraftStep = Callable[[Services, Task], StepResult]
