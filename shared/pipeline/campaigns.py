"""Starting, showing and resuming campaigns: the service layer the CLI, the bot and the
functions call."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from typing import Any

from shared.errors import NotFound, PermanentError
from shared.log import get_logger
from shared.media.images import AcceptedImage
from shared.models.brief import Brief
from shared.models.campaign import Campaign
from shared.pipeline import store
from shared.pipeline.fanin import live_steps
from shared.pipeline.flow import FLOW
from shared.pipeline.inputs import store_images
from shared.pipeline.store import campaign_path
from shared.ports.documents import Transaction
from shared.ports.queue import Task
from shared.services import Services

log = get_logger(__name__)
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def valid_id(campaign_id: str) -> bool:
    """Ids are one path segment of letters, digits, - and _ (what new_campaign_id makes)."""
    return bool(_ID.fullmatch(campaign_id))


def new_campaign_id(request_id: str | None = None) -> str:
    """A fresh id; or, for a request that may be redelivered (a Slack retry), one derived from
    the request so that the redelivery finds the campaign it already started."""
    if request_id:
        return "c" + hashlib.sha256(request_id.encode()).hexdigest()[:11]
    return "c" + uuid.uuid4().hex[:11]


def start_campaign(
    services: Services,
    brief: Brief,
    *,
    campaign_id: str | None = None,
    images: Sequence[AcceptedImage] = (),
    **fields: Any,
) -> Campaign:
    """Store the campaign and its first task together; enqueue the task. Idempotent per id.

    ``images`` (product images read from the brief's folder, already checked) are stored as the
    campaign's input blobs first; the campaign keeps their blob paths, never a file path.
    A campaign started outside Slack (no ``slack_channel``: the CLI, the demo) is posted to
    ``ADLOOP_SLACK_CHANNEL`` when that is set, like the daily digest."""
    fields.setdefault("slack_channel", services.settings.slack_channel)
    cid = campaign_id or new_campaign_id()
    stored: list[str] = []
    if images and services.documents.get(campaign_path(cid)) is None:
        stored = store_images(services.blobs, cid, images)
    campaign = Campaign(id=cid, brief=brief, product_images=stored, **fields)
    first = [FLOW.task(cid, FLOW.first)]
    if campaign.slack_channel:
        # The campaign message follows the steps live, wherever the campaign was started.
        first.append(Task(cid, "progress", "s0.0", queue="feedback"))

    def txn(tx: Transaction) -> dict[str, Any] | None:
        existing = tx.get(campaign_path(cid))
        if existing is not None:
            return existing
        tx.set(campaign_path(cid), store.campaign_doc(campaign))
        store.to_outbox(tx, first)
        return None

    existing = services.documents.transact(txn)
    if existing is not None:
        return Campaign.model_validate(existing)
    store.send(services, first, strict=True)
    log.info("campaign started", extra={"campaign_id": cid})
    return campaign


def get_campaign(services: Services, campaign_id: str) -> Campaign:
    found = store.load_campaign(services.documents, campaign_id) if valid_id(campaign_id) else None
    if found is None:
        raise NotFound(f"no campaign {campaign_id!r}; `adloop campaign list` shows the ids")
    return found


def campaign_view(services: Services, campaign_id: str) -> dict[str, Any]:
    """The campaign as users see it: status, steps, usage and its creatives in label order."""
    campaign = get_campaign(services, campaign_id)
    docs = services.documents
    view = with_live_progress(services, campaign.model_dump(mode="json"))
    # The documents as stored: the JSON users and scripts read (fields beyond the models too).
    view["creatives"] = store.creative_docs(docs, campaign_id)
    view["blueprints"] = store.blueprint_docs(docs, campaign_id)
    view["videos"] = store.video_docs(docs, campaign_id)
    return view


def with_live_progress(services: Services, campaign: dict[str, Any]) -> dict[str, Any]:
    """The campaign document with live counts for its running fan-in steps ("judge 3/7"): the
    items are counted in their own documents, and the campaign hears of them when all are in."""
    steps = live_steps(services.documents, str(campaign["id"]), dict(campaign.get("steps") or {}))
    return {**campaign, "steps": steps}


def list_campaigns(services: Services, limit: int = 50) -> list[dict[str, Any]]:
    docs = services.documents.query(store.CAMPAIGNS, order_by="created_at")
    return [
        {
            "id": d.id,
            "status": d.data.get("status"),
            "product": d.data["brief"]["product"],
            "created_at": d.data.get("created_at"),
        }
        for d in docs[-limit:]
    ]


def retry_campaign(services: Services, campaign_id: str) -> list[Task]:
    """Resume a failed campaign: every task that failed for good is sent again, under a new
    name (queues remember the names of finished tasks)."""
    campaign = services.documents.get(campaign_path(campaign_id)) if valid_id(campaign_id) else None
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id!r}")
    failed = list((campaign.get("failed_tasks") or {}).values())
    if campaign.get("status") != "failed" or not failed:
        status = campaign.get("status")
        raise PermanentError(f"campaign {campaign_id} has not failed (status: {status})")
    tasks = []
    for doc in failed:
        old = Task.from_doc(doc)
        tasks.append(
            Task(old.campaign_id, old.step, old.key, old.payload, old.queue, old.attempt + 1)
        )

    def txn(tx: Transaction) -> None:
        camp = tx.get(campaign_path(campaign_id)) or {}
        tx.set(
            campaign_path(campaign_id),
            {**camp, "status": "running", "error": None, "failed_tasks": {}},
        )
        store.to_outbox(tx, tasks)

    services.documents.transact(txn)
    store.send(services, tasks, strict=True)
    return tasks
