"""Where campaign state lives in the documents store, and the models it is read into.

The one module that knows the paths and the shapes (Firestore collections; the same in SQLite)::

    campaigns/{id}                               the campaign (``Campaign``)
    campaigns/{id}/creatives/{A..G}              the ads (``Creative``)
    campaigns/{id}/blueprints/{B01..}            the video-ad variations (``Blueprint``)
    campaigns/{id}/videos/{V1..V5}               video prompts and what rendered (``VideoPrompt``)
    campaigns/{id}/drafts/{name}                 the model's answer before it is validated
    runs/{task}                                  a task's marker: it ran (and committed) once
    counters/{id}:{group}[/items/{step}:{key}]   a fan-in group and its finished items
    outbox/{task}                                next tasks committed but not yet enqueued

Documents keep fields their model does not declare (the campaign's ``ranker``, a creative's
``performance``, a score's ``predicted_by``): the creative, video and blueprint models allow
extra fields, so a document read and saved again loses nothing. The campaign document is
written as a whole only when a campaign starts; after that steps merge fields into it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from shared.log import get_logger
from shared.models.campaign import Campaign
from shared.models.creative import Blueprint, Creative, VideoPrompt
from shared.ports.documents import Doc, Documents, Transaction
from shared.ports.queue import Task
from shared.services import Services

log = get_logger(__name__)

CAMPAIGNS = "campaigns"
OUTBOX = "outbox"


def campaign_path(campaign_id: str) -> str:
    return f"{CAMPAIGNS}/{campaign_id}"


def creatives_collection(campaign_id: str) -> str:
    return f"{campaign_path(campaign_id)}/creatives"


def creative_path(campaign_id: str, label: str) -> str:
    return f"{creatives_collection(campaign_id)}/{label}"


def blueprints_collection(campaign_id: str) -> str:
    return f"{campaign_path(campaign_id)}/blueprints"


def blueprint_path(campaign_id: str, label: str) -> str:
    return f"{blueprints_collection(campaign_id)}/{label}"


def is_blueprint_label(label: str) -> bool:
    """B01…B50 name blueprint variations; A–G name the creatives."""
    return label.startswith("B") and len(label) == 3


def ad_path(campaign_id: str, label: str) -> str:
    """A creative's or a blueprint variation's document, by its label (performance data names
    both the same way)."""
    if is_blueprint_label(label):
        return blueprint_path(campaign_id, label)
    return creative_path(campaign_id, label)


def videos_collection(campaign_id: str) -> str:
    return f"{campaign_path(campaign_id)}/videos"


def video_path(campaign_id: str, video_id: str) -> str:
    return f"{videos_collection(campaign_id)}/{video_id}"


def draft_path(campaign_id: str, name: str) -> str:
    return f"{campaign_path(campaign_id)}/drafts/{name}"


def marker_path(task: Task) -> str:
    return f"runs/{task.name}"


def counter_path(campaign_id: str, group: str) -> str:
    return f"counters/{campaign_id}:{group}"


def items_collection(campaign_id: str, group: str) -> str:
    return f"{counter_path(campaign_id, group)}/items"


def item_path(campaign_id: str, group: str, task: Task) -> str:
    return f"{items_collection(campaign_id, group)}/{task.step}:{task.key}"


def outbox_path(task: Task) -> str:
    return f"{OUTBOX}/{task.name}"


# Campaigns


def load_campaign(docs: Documents, campaign_id: str) -> Campaign | None:
    raw = docs.get(campaign_path(campaign_id))
    return None if raw is None else Campaign.model_validate(raw)


def campaign_doc(campaign: Campaign) -> Doc:
    """A new campaign's document (later writes merge fields into it, never replace it)."""
    return campaign.model_dump(mode="json")


# Creatives, blueprints and videos: documents in, models out; ``*_write`` is the model as the
# write a step returns (``StepResult.writes``: path -> document).


def load_creatives(docs: Documents, campaign_id: str) -> list[Creative]:
    return [Creative.model_validate(d.data) for d in docs.query(creatives_collection(campaign_id))]


def load_creative(docs: Documents, campaign_id: str, label: str) -> Creative | None:
    raw = docs.get(creative_path(campaign_id, label))
    return None if raw is None else Creative.model_validate(raw)


def creative_doc(creative: Creative) -> Doc:
    return creative.model_dump(mode="json")


def creative_write(creative: Creative) -> dict[str, Doc]:
    return {creative_path(creative.campaign_id, creative.label): creative_doc(creative)}


def load_blueprints(docs: Documents, campaign_id: str) -> list[Blueprint]:
    return [
        Blueprint.model_validate(d.data) for d in docs.query(blueprints_collection(campaign_id))
    ]


def blueprint_write(blueprint: Blueprint) -> dict[str, Doc]:
    path = blueprint_path(blueprint.campaign_id, blueprint.label)
    return {path: blueprint.model_dump(mode="json")}


def load_video(docs: Documents, campaign_id: str, video_id: str) -> VideoPrompt | None:
    raw = docs.get(video_path(campaign_id, video_id))
    return None if raw is None else VideoPrompt.model_validate(raw)


def video_write(campaign_id: str, video: VideoPrompt) -> dict[str, Doc]:
    return {video_path(campaign_id, video.id): video.model_dump(mode="json")}


def creative_docs(docs: Documents, campaign_id: str) -> list[Doc]:
    """The creatives as stored, for views that show documents as they are (JSON output)."""
    return [d.data for d in docs.query(creatives_collection(campaign_id))]


def blueprint_docs(docs: Documents, campaign_id: str) -> list[Doc]:
    return [d.data for d in docs.query(blueprints_collection(campaign_id))]


def video_docs(docs: Documents, campaign_id: str) -> list[Doc]:
    return [d.data for d in docs.query(videos_collection(campaign_id))]


# The outbox: next tasks are committed with the state change that makes them due, and enqueued
# only after the commit; an entry stays until its task is enqueued.


def to_outbox(tx: Transaction, tasks: Iterable[Task]) -> None:
    """Add ``tasks`` to the outbox inside the transaction ``tx`` that makes them due."""
    for task in tasks:
        tx.set(outbox_path(task), {**task.to_doc(), "created": time.time()})


def send(services: Services, tasks: Iterable[Task], *, strict: bool = False) -> None:
    """After the commit: enqueue each task and delete its outbox entry. A task that cannot be
    enqueued stays in the outbox, where :func:`sweep_outbox` finds it; with ``strict`` its error
    is raised once every task was tried (the caller tells its user), otherwise only logged (the
    step is committed, and the sweeper sends it)."""
    failed: Exception | None = None
    for task in tasks:
        try:
            services.queue.enqueue(task)
        except Exception as e:
            log.exception("enqueue failed; left in the outbox", extra={"task": task.name})
            failed = failed or e
            continue
        services.documents.delete(outbox_path(task))
    if strict and failed is not None:
        raise failed


def sweep_outbox(services: Services, *, older_than_s: float = 30.0) -> int:
    """Re-send outbox entries committed but never enqueued. Safe to run any time, any number of
    times: a task sent twice is a redelivery the runner already ignores."""
    cutoff = time.time() - older_than_s
    sent = 0
    docs = services.documents
    for doc in docs.query(OUTBOX, [("created", "<=", cutoff)], limit=500):
        services.queue.enqueue(Task.from_doc(doc.data))
        docs.delete(doc.path)
        sent += 1
    return sent
