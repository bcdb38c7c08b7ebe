"""publish and progress: the campaign in its Slack channel.

``progress`` (queued by the bot when a campaign starts) posts the campaign message and edits it as
steps finish, re-queueing itself with a delay until the campaign is over. ``publish`` (after rank)
posts one message per creative, A–G, each its own message so each has its own thread, and attaches
rendered videos in that thread.

Never twice: a post cannot join the runner's transaction, so a crash between Slack's answer and the
commit would post again on redelivery. Each post therefore goes through a ledger entry
(``slack_posts/{key}``) written *before* the call and completed with the message's ts right after
it; the message itself carries the key as Slack message metadata. A redelivery that finds a
completed entry reuses the message; one that finds an entry without a ts (the crash window) looks
the key up in the channel's history and adopts the message it finds, posting only if there is
none. The ts is recorded on the creative in its own small transaction at once, together with an
index ``slack_messages/{channel}:{ts}`` the bot uses to map reactions and replies to creatives.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from shared.errors import PermanentError, TransientError
from shared.log import get_logger
from shared.models.creative import Creative, Tag
from shared.pipeline import store
from shared.pipeline.campaigns import with_live_progress
from shared.pipeline.flow import FLOW
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import load_creatives
from shared.ports.chat import CampaignCard, Chat, CreativeCard, Posted, StepLine
from shared.ports.documents import Doc, Documents, Transaction
from shared.ports.queue import Task
from shared.services import Services

log = get_logger(__name__)
DEFAULT_REACTIONS: dict[str, Tag] = {
    "memo": Tag.DRAFT,
    "test_tube": Tag.TESTING,
    "pencil2": Tag.NEEDS_REVISION,
    "white_check_mark": Tag.APPROVED,
    "trophy": Tag.WINNER,
}
MAX_POLLS = 400
# A claimed post not recorded after this long is taken to have died before posting; well inside
# the queue's retry window (12 attempts over about two minutes).
CLAIM_STALE_S = 45.0


def reaction_tags(services: Services) -> dict[str, Tag]:
    """Reaction name -> tag; ``ADLOOP_SLACK_REACTIONS`` replaces the defaults when set."""
    return dict(services.settings.slack_reactions or DEFAULT_REACTIONS)


def ledger_path(key: str) -> str:
    return "slack_posts/" + key.replace("/", "_")


def index_path(channel: str, ts: str) -> str:
    return f"slack_messages/{channel}:{ts}"


def post_once(
    services: Services, key: str, post: Callable[[], Posted], find: Callable[[float], Posted | None]
) -> tuple[Posted, bool]:
    """Post at most once per ``key``, across redeliveries, crashes and concurrent deliveries
    (Cloud Tasks may run two copies of a task at once); True when posted now.

    The ledger entry is claimed with a create-if-absent write before posting, so of two
    deliveries racing for one message exactly one posts; the other is told to retry later."""
    docs = services.documents
    path = ledger_path(key)
    entry = docs.get(path)
    if entry and entry.get("ts"):
        return Posted(str(entry["channel"]), str(entry["ts"])), False
    claim = {"key": key, "at": time.time()}
    if entry is None:
        if not docs.create(path, claim):
            raise TransientError(f"another delivery is posting {key}", retry_after=2)
    else:
        # An earlier delivery claimed it: it may have posted before it could say so ...
        found = find(float(entry["at"]) - 60.0)
        if found is not None:
            docs.set(path, {**entry, "channel": found.channel, "ts": found.ts})
            return found, False
        # ... or still be posting, or have died before posting (then its claim goes stale).
        if time.time() - float(entry["at"]) < CLAIM_STALE_S or not _take_over(
            docs, path, entry, claim
        ):
            raise TransientError(f"another delivery is posting {key}", retry_after=5)
    posted = post()
    docs.set(path, {**claim, "channel": posted.channel, "ts": posted.ts})
    return posted, True


def _take_over(docs: Documents, path: str, seen: Doc, claim: Doc) -> bool:
    """Replace a stale claim with ours unless another delivery replaced it first."""

    def txn(tx: Transaction) -> bool:
        if tx.get(path) != seen:
            return False
        tx.set(path, claim)
        return True

    return docs.transact(txn)


def record_creative_message(
    services: Services, campaign_id: str, label: str, posted: Posted
) -> None:
    """Store the message on the creative (merging: a concurrent tag change is kept); index it."""
    path = store.creative_path(campaign_id, label)

    def txn(tx: Transaction) -> None:
        doc = tx.get(path)
        if doc is not None and doc.get("slack_ts") != posted.ts:
            tx.set(path, {**doc, "slack_ts": posted.ts})
        tx.set(
            index_path(posted.channel, posted.ts),
            {"campaign_id": campaign_id, "label": label, "kind": "creative"},
        )

    services.documents.transact(txn)


def ensure_campaign_message(
    ctx: StepContext, chat: Chat, channel: str, card: CampaignCard
) -> tuple[Posted, bool]:
    """The campaign message, posted showing ``card`` unless it exists; True when posted now."""
    if ctx.campaign.slack_ts:
        return Posted(channel, ctx.campaign.slack_ts), False
    key = f"{ctx.campaign.id}:campaign"
    return post_once(
        ctx.services,
        key,
        lambda: chat.post_campaign(channel, card, key=key),
        lambda oldest: chat.find_posted(channel, key, oldest=oldest),
    )


def progress(ctx: StepContext, task: Task) -> StepResult:
    """Post or edit the campaign message; come back later while the campaign runs."""
    channel, chat = ctx.campaign.slack_channel, ctx.services.chat
    if not channel or chat is None:
        return StepResult()
    try:
        return _progress(ctx, task, chat, channel)
    except PermanentError as e:
        # Progress is a courtesy: Slack refusing it (say, the bot is not in the channel) must not
        # fail the campaign. publish reports the same refusal as the campaign's error.
        log.warning("campaign progress not shown", extra={"error": str(e)})
        return StepResult()


def progress_path(campaign_id: str) -> str:
    """What the campaign message shows now (its own document: the poller runs every few
    seconds, and the campaign document is the pipeline's, written once per step)."""
    return f"slack_progress/{campaign_id}"


def _progress(ctx: StepContext, task: Task, chat: Chat, channel: str) -> StepResult:
    docs = ctx.services.documents
    count = len(store.creative_docs(docs, ctx.campaign.id))
    campaign = with_live_progress(ctx.services, ctx.campaign.model_dump(mode="json"))
    card = campaign_card(campaign, creatives=count)
    shown = (docs.get(progress_path(ctx.campaign.id)) or {}).get("card")
    top, fresh = ensure_campaign_message(ctx, chat, channel, card)
    changed = shown != repr(card)
    if not fresh and changed:  # edit only when something changed
        chat.update_campaign(top, card)
    series, _, n = task.key.rpartition(".")
    if ctx.campaign.status == "running" and n.isdigit() and int(n) < MAX_POLLS:
        # A delayed task, enqueued here because the runner's outbox has no delay; a repeat of this
        # task enqueues the same name, which the queue or the runner's marker makes harmless.
        later = Task(task.campaign_id, "progress", f"{series}.{int(n) + 1}", queue="feedback")
        ctx.services.queue.enqueue(later, delay_s=min(10.0, 1.0 + int(n) * 0.25))
    # Not pipeline progress: the campaign document is written only to learn the message's ts.
    return StepResult(
        writes={progress_path(ctx.campaign.id): {"card": repr(card), "ts": top.ts}}
        if changed
        else {},
        campaign={"slack_ts": top.ts} if ctx.campaign.slack_ts != top.ts else {},
        record=False,
    )


def publish(ctx: StepContext, task: Task) -> StepResult:
    """Post the campaign message (if not yet) and one message per creative."""
    channel, chat = ctx.campaign.slack_channel, ctx.services.chat
    if not channel or chat is None:
        return StepResult()
    campaign = ctx.campaign.model_dump(mode="json")
    top, _ = ensure_campaign_message(ctx, chat, channel, campaign_card(campaign, creatives=0))
    legend = tuple((name, tag.value) for name, tag in reaction_tags(ctx.services).items())
    creatives = load_creatives(ctx)
    for creative in creatives:
        post_creative(ctx, chat, channel, creative, legend)
    steps = dict(campaign.get("steps") or {})
    steps["publish"] = {**(steps.get("publish") or {}), "status": "done"}
    chat.update_campaign(top, campaign_card({**campaign, "steps": steps}, creatives=len(creatives)))
    return StepResult(campaign={"slack_ts": top.ts})


def post_creative(
    ctx: StepContext,
    chat: Chat,
    channel: str,
    creative: Creative,
    legend: tuple[tuple[str, str], ...],
) -> Posted:
    cid, label = ctx.campaign.id, creative.label
    video = _video(ctx, creative)
    card = creative_card(creative, legend, video=video[0])
    key = f"{cid}:creative:{label}"
    posted, fresh = post_once(
        ctx.services,
        key,
        lambda: chat.post_creative(channel, card, key=key),
        lambda oldest: chat.find_posted(channel, key, oldest=oldest),
    )
    if not fresh:
        chat.update_creative(posted, card)  # an earlier attempt's message shows the current state
    record_creative_message(ctx.services, cid, label, posted)
    if video[1] is not None:
        _upload_once(ctx, chat, posted, label, video[1])
    return posted


def _video(ctx: StepContext, creative: Creative) -> tuple[str | None, str | None]:
    """A line about the creative's video, and the blob to attach: the rendered video, else its
    poster frame, else nothing."""
    vid = creative.video_id
    if not vid:
        return None, None
    # The document as stored, not the model: older documents hold an asset as a bare path.
    doc = ctx.services.documents.get(store.video_path(ctx.campaign.id, vid)) or {}
    assets: dict[str, Any] = doc.get("assets") or {}
    aspect = str(doc.get("aspect") or "9:16")
    chosen = (
        assets.get(aspect.replace(":", "x"))
        or assets.get(aspect)
        or next(iter(assets.values()), None)
    )
    # An asset is {"video", "poster", "sheet"} blob paths, or (older documents) the video's path.
    files = chosen if isinstance(chosen, dict) else {"video": chosen} if chosen else {}
    blobs = ctx.services.blobs
    for kind in ("video", "poster"):
        path = files.get(kind)
        if path and blobs.exists(str(path)):
            return f"Video {vid}: rendered; the {kind} is attached in the thread", str(path)
    return f"Video {vid}: {doc.get('render_status') or 'not rendered'} (nothing attached)", None


def _upload_once(ctx: StepContext, chat: Chat, thread: Posted, label: str, blob: str) -> None:
    path = ledger_path(f"{ctx.campaign.id}:video:{label}:{blob}")
    if ctx.services.documents.get(path):
        return
    name = f"{ctx.campaign.id}-{label}-{blob.rsplit('/', 1)[-1]}"
    chat.upload_file(
        thread, filename=name, data=ctx.services.blobs.get(blob), title=f"{label} video"
    )
    ctx.services.documents.set(path, {"at": time.time(), "ts": thread.ts})


def campaign_card(campaign: dict[str, Any], *, creatives: int) -> CampaignCard:
    """The campaign message's content from the campaign document (pure)."""
    steps: dict[str, Any] = campaign.get("steps") or {}
    # The steps flow.py shows, in its order: review, loop and Slack bookkeeping run many times
    # over a campaign's life and get no line.
    names = [s for s in FLOW.shown if s in steps]
    lines = tuple(
        StepLine(
            n,
            str(steps[n].get("status", "pending")),
            int(steps[n].get("done") or 0),
            int(steps[n].get("total") or 0),
            steps[n].get("error"),
        )
        for n in names
    )
    return CampaignCard(
        campaign_id=str(campaign["id"]),
        product=str(campaign["brief"]["product"]),
        status=str(campaign.get("status", "running")),
        steps=lines,
        creatives=creatives,
        error=campaign.get("error"),
        notices=tuple(campaign["brief"].get("notices") or ()),
    )


def creative_card(
    creative: Creative,
    legend: tuple[tuple[str, str], ...] = (),
    *,
    video: str | None = None,
    feedback: str | None = None,
) -> CreativeCard:
    """A creative as a card (pure)."""
    scores = creative.scores
    return CreativeCard(
        campaign_id=creative.campaign_id,
        label=creative.label,
        funnel_stage=creative.funnel_stage.value,
        language=creative.language.value,
        headline=creative.headline,
        primary_text=creative.primary_text,
        cta=creative.cta,
        tag=creative.tag.value,
        iteration=creative.iteration,
        judge=scores.judge,
        approved=scores.approved,
        brand=scores.brand,
        findings=len(scores.findings),
        predicted_ctr=scores.predicted_ctr,
        predicted_roas=scores.predicted_roas,
        roas_interval=scores.predicted_roas_interval,
        rank=scores.rank,
        video=video,
        feedback=feedback,
        legend=legend,
    )
