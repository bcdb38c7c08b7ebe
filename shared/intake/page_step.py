"""``read_page``: a product page read for a marketer in Slack, before any campaign exists.

``/adloop new https://…`` must be acknowledged within 3 seconds, which a page fetch and a model
call cannot promise; the bot acknowledges ("reading the page…") and queues this step. It reads
the page (:func:`shared.intake.draft.draft_from_page`), keeps the draft at ``drafts/{id}``, and
shows the marketer alone what it took, with Start and Edit (the bot handles the clicks). A page
that cannot be read is said to the marketer the same way, and the draft records why.

The ephemeral message goes out before the commit: a redelivery after a crash between the two
shows it twice (Slack keeps no ephemeral message to look up), never loses it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from shared.errors import BadInput, PermanentError
from shared.intake.draft import TAKEN, PageDraft, draft_from_page
from shared.pipeline.stages import StepSpec, step
from shared.pipeline.step import StepResult
from shared.ports.chat import DraftCard
from shared.ports.queue import Task
from shared.services import Services

READ_PAGE = "read_page"
DRAFTS = "drafts"


def draft_id(request_id: str) -> str:
    """The draft's id, derived from the Slack request, so a resent command reads once."""
    return "d" + hashlib.sha256(request_id.encode()).hexdigest()[:11]


def draft_path(draft: str) -> str:
    return f"{DRAFTS}/{draft}"


def page_task(
    draft: str,
    url: str,
    *,
    channel: str,
    user: str,
    given: dict[str, Any],
    workspace: str = "",
) -> Task:
    payload = {"url": url, "channel": channel, "user": user, "given": given}
    if workspace:
        payload["workspace"] = workspace  # the Slack team: whose brand kits the campaign uses
    return Task(draft, READ_PAGE, "-", payload, queue="feedback")


def read_page(services: Services, task: Task) -> StepResult:
    url, channel, user, given = _payload(task)
    if services.chat is None:
        raise PermanentError("Slack is not configured: nobody to show the page's brief to")
    now = services.clock().isoformat()
    base = {"url": url, "channel": channel, "user": user, "given": given, "created_at": now}
    if isinstance(task.payload.get("workspace"), str):
        base["workspace"] = task.payload["workspace"]
    try:
        draft = draft_from_page(services, url)
    except BadInput as e:
        services.chat.post_draft(channel, user, DraftCard(task.campaign_id, url, "", error=str(e)))
        return StepResult(writes={draft_path(task.campaign_id): {**base, "error": str(e)}})
    services.chat.post_draft(channel, user, draft_card(task.campaign_id, draft, given))
    doc = {**base, "draft": draft.model_dump(mode="json")}
    return StepResult(writes={draft_path(task.campaign_id): doc})


def draft_card(draft: str, page: PageDraft, given: dict[str, Any]) -> DraftCard:
    taken = tuple(
        (name, item.value, item.source) for name in TAKEN for item in page.taken.get(name, [])
    )
    return DraftCard(
        draft_id=draft,
        url=page.url,
        extractor=page.extractor,
        taken=taken,
        images=tuple(page.images),
        missing=tuple(page.missing(given)),
    )


def _payload(task: Task) -> tuple[str, str, str, dict[str, Any]]:
    p = task.payload
    url, channel, user, given = p.get("url"), p.get("channel"), p.get("user"), p.get("given")
    if not (isinstance(url, str) and isinstance(channel, str) and isinstance(user, str)):
        raise BadInput(f"{READ_PAGE}: the task needs url, channel and user")
    return url, channel, user, given if isinstance(given, dict) else {}


# Declared beside its code; shared/steps.py adds it to the deployables' flow.
PAGE_STEPS: tuple[StepSpec, ...] = (
    step(READ_PAGE, "shared.intake.page_step:read_page", queue="feedback", shown=False, draft=True),
)
