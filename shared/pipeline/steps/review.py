"""tag and regenerate: what reviewers do to a posted creative.

``tag`` applies a reaction: adding one sets the creative's tag, removing it restores the tag it
replaced. Only reviewers may set Approved or Winner; anyone else is told why, privately, and
nothing changes. ``regenerate`` rewrites one creative with a thread reply's feedback, governs and
judges it again, and posts the new version in that thread.

Both change a creative others may be changing at the same moment (two reactions a second apart),
so each applies its change in its own transaction — read, change, write the audit entry and an
``ops/{task}`` marker together — rather than as the runner's whole-document write computed before.
The marker makes a redelivery skip the change and only redo the Slack edit, which is idempotent.

Both run on campaigns that are finished, and a chat problem must never fail one: a reviewer group
Slack will not list lets nobody in through it, and a message Slack refuses is logged or reported
in the creative's thread, never raised to the runner (which would mark the campaign failed).
Transient errors (rate limits, outages) still propagate, so the queue retries the task.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.chat_text import escape
from shared.errors import NotFound, PermanentError, TransientError
from shared.log import get_logger
from shared.models.audit import AuditEntry
from shared.models.creative import Creative, CreativeVersion, Scores, Tag
from shared.pipeline import store
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import brief_dict, load_brand
from shared.pipeline.steps._grounding import Grounder, dumped
from shared.pipeline.steps.govern import copy_text, rewrite_creative, verdict
from shared.pipeline.steps.judge import score_copy
from shared.pipeline.steps.publish import (
    creative_card,
    post_once,
    reaction_tags,
)
from shared.ports.chat import Chat, Posted
from shared.ports.documents import Transaction
from shared.ports.queue import Task
from shared.ports.textgen import Generation
from shared.services import Services

log = get_logger(__name__)
REVIEWER_TAGS = {Tag.APPROVED, Tag.WINNER}
MAX_FEEDBACK_CHARS = 2_000


def apply_reaction(
    current: Tag, history: list[Tag], target: Tag, added: bool
) -> tuple[Tag, list[Tag]]:
    """The tag and the stack of tags it replaced, after a reaction was added or removed (pure)."""
    if added:
        return (current, history) if target == current else (target, [*history, current])
    if target == current:
        return (history[-1], history[:-1]) if history else (Tag.DRAFT, [])
    # A reaction whose tag was since replaced went away: forget it, so undoing the later tag does
    # not bring back one nobody is reacting with any more.
    for i in range(len(history) - 1, -1, -1):
        if history[i] == target:
            return current, history[:i] + history[i + 1 :]
    return current, history


def is_reviewer(user: str, reviewers: list[str], chat: Chat | None) -> bool:
    """``user`` is listed, or is in a listed user group (S…) that Slack lists for us."""
    if user in reviewers or chat is None:
        return user in reviewers
    for group in (r for r in reviewers if r.startswith("S")):
        try:
            if user in chat.group_members(group):
                return True
        except PermanentError as e:  # missing_scope, no_such_subteam: nobody gets in through it
            log.warning("reviewer group not checked", extra={"group": group, "error": str(e)})
    return False


def _quietly(what: str, call: Callable[[], object]) -> None:
    """A chat call whose refusal is logged: the change it reports is already stored."""
    try:
        call()
    except PermanentError as e:
        log.warning(f"{what} not shown", extra={"error": str(e)})


def tag(ctx: StepContext, task: Task) -> StepResult:
    """Payload: label, user, reaction, added, channel, ts (the creative's message)."""
    p = task.payload
    target = reaction_tags(ctx.services).get(str(p["reaction"]))
    if target is None:
        return StepResult()
    chat = ctx.services.chat
    reviewers = ctx.services.settings.slack_reviewers
    if target in REVIEWER_TAGS and not is_reviewer(str(p["user"]), reviewers, chat):
        if p.get("added") and chat is not None:
            text = _not_a_reviewer(target, reviewers)
            _quietly(
                "reviewer refusal",
                lambda: chat.post_ephemeral(str(p["channel"]), str(p["user"]), text),
            )
        return StepResult()
    try:
        changed = _apply_tag(ctx.services, task, target, bool(p.get("added")))
    except NotFound as e:  # the creative went away: nothing to tag, and the campaign is fine
        log.warning("reaction on a missing creative", extra={"error": str(e)})
        return StepResult()
    if changed and chat is not None:
        label = str(p["label"])
        _quietly(
            "tag change", lambda: _refresh_message(ctx.services, chat, task.campaign_id, label)
        )
    return StepResult()


def _not_a_reviewer(target: Tag, reviewers: list[str]) -> str:
    who = ", ".join(f"<@{r}>" if not r.startswith("S") else f"<!subteam^{r}>" for r in reviewers)
    names = who or "nobody yet (ADLOOP_SLACK_REVIEWERS is empty)"
    return (
        f"Only reviewers can tag a creative {target.value}; the tag is unchanged. "
        f"Reviewers: {names}. You can use :memo: :test_tube: :pencil2: yourself."
    )


def _apply_tag(services: Services, task: Task, target: Tag, added: bool) -> bool:
    """Change the tag in one transaction; True when it changed (or a redelivery must redo the
    message edit)."""
    label, user = str(task.payload["label"]), str(task.payload["user"])
    path, op = store.creative_path(task.campaign_id, label), f"ops/{task.name}"
    now = services.clock()

    def txn(tx: Transaction) -> bool:
        if tx.get(op) is not None:
            return True
        doc = tx.get(path)
        if doc is None:
            raise NotFound(f"no creative {label} in campaign {task.campaign_id}")
        creative = Creative.model_validate(doc)
        before = creative.tag
        after, history = apply_reaction(before, creative.tag_history, target, added)
        tagged = creative.model_copy(update={"tag": after, "tag_history": history})
        tx.set(path, store.creative_doc(tagged))
        if after != before:
            entry = AuditEntry(
                campaign_id=task.campaign_id,
                label=label,
                actor=user,
                action="tag" if added else "untag",
                from_value=before.value,
                to_value=after.value,
                version=creative.iteration,
                at=now,
            )
            tx.set(f"audit/{task.name}", entry.model_dump(mode="json"))
        tx.set(op, {"at": now.isoformat(), "changed": after != before})
        return after != before

    return services.documents.transact(txn)


def _refresh_message(services: Services, chat: Chat, campaign_id: str, label: str) -> None:
    creative = store.load_creative(services.documents, campaign_id, label)
    campaign = store.load_campaign(services.documents, campaign_id)
    channel = campaign.slack_channel if campaign else None
    if creative is None or not creative.slack_ts or not channel:
        return
    legend = tuple((name, t.value) for name, t in reaction_tags(services).items())
    chat.update_creative(Posted(channel, creative.slack_ts), creative_card(creative, legend))


def regenerate(ctx: StepContext, task: Task) -> StepResult:
    """Payload: label, feedback, user, channel, thread_ts (the creative's message)."""
    p = task.payload
    label, feedback = str(p["label"]), str(p["feedback"])[:MAX_FEEDBACK_CHARS]
    chat = ctx.services.chat
    calls: list[Generation] = []
    if ctx.services.documents.get(f"ops/{task.name}") is None:
        try:
            old = store.load_creative(ctx.services.documents, task.campaign_id, label)
            if old is None:
                raise NotFound(f"no creative {label} in campaign {task.campaign_id}")
            new, calls = _rewritten(ctx, old, feedback)
        except PermanentError as e:
            # One rewrite failing is the reviewer's business, not a failed campaign: say so, stop.
            if chat is not None:
                text = f"I could not rewrite {escape(label)}: {escape(str(e))}"
                _quietly(
                    "rewrite failure",
                    lambda: chat.post_ephemeral(str(p["channel"]), str(p["user"]), text),
                )
            return StepResult()
        _commit_version(ctx.services, task, old, new)
    if chat is not None:
        try:
            _post_version(ctx.services, chat, task, label, feedback)
        except PermanentError as e:  # the version is stored; say so where it was asked for
            _report_unshown(ctx.services, chat, task, label, e)
    return StepResult(calls=calls)


def _report_unshown(
    services: Services, chat: Chat, task: Task, label: str, error: PermanentError
) -> None:
    """A note in the creative's thread: the new version exists, Slack would not show it."""
    log.warning("rewritten version not shown", extra={"label": label, "error": str(error)})
    creative = store.load_creative(services.documents, task.campaign_id, label)
    version = creative.iteration if creative else "?"
    thread = Posted(str(task.payload["channel"]), str(task.payload["thread_ts"]))
    text = (
        f"{escape(label)} v{version} is saved, but Slack would not show it "
        f"here ({escape(str(error))}). `/adloop report {escape(task.campaign_id)}` lists it."
    )
    key = f"{task.campaign_id}:regen-note:{task.key}"
    _quietly(
        "rewrite note",
        lambda: post_once(
            services,
            key,
            lambda: chat.post_note(thread, text, key=key),
            lambda oldest: chat.find_posted(
                thread.channel, key, oldest=oldest, thread_ts=thread.ts
            ),
        ),
    )


def _rewritten(ctx: StepContext, old: Creative, feedback: str) -> tuple[Creative, list[Generation]]:
    """The next version of ``old``: rewritten with ``feedback``, governed and judged again."""
    brand = load_brand(ctx)
    revised, calls = rewrite_creative(ctx, brand, old, feedback)
    traces = Grounder(brief_dict(ctx), brand).ground([copy_text(revised)], old.language.value)
    score, findings, ok = verdict(
        copy_text(revised), old.language, brand, ctx.services.settings.brand_bar, traces
    )
    judged = score_copy(
        ctx,
        headline=revised.headline,
        primary_text=revised.primary_text,
        cta=revised.cta,
        hook=revised.hook,
        language=old.language,
    )
    previous = CreativeVersion(
        iteration=old.iteration,
        headline=old.headline,
        primary_text=old.primary_text,
        cta=old.cta,
        feedback=old.notes[-1] if old.notes and old.iteration > 1 else None,
        prompt_version=old.prompt_version,
    )
    scores = Scores.model_validate(
        {**old.scores.model_dump(), **judged, "brand": round(score, 3), "findings": findings}
    )
    new = revised.model_copy(
        update={
            "iteration": old.iteration + 1,
            "notes": [*old.notes, feedback],
            "versions": [*old.versions, previous],
            "scores": scores,
            "status": "Governed" if ok else "Flagged",
            "claims": dumped(traces),
        }
    )
    return new, calls


def _commit_version(services: Services, task: Task, old: Creative, new: Creative) -> None:
    """Store the new version unless the creative changed meanwhile (then retry on the newer one)."""
    label = old.label
    path = store.creative_path(task.campaign_id, label)
    now = services.clock()

    def txn(tx: Transaction) -> None:
        if tx.get(f"ops/{task.name}") is not None:
            return
        current = tx.get(path) or {}
        if current.get("iteration") != old.iteration:
            raise TransientError(f"creative {label} changed while it was rewritten; trying again")
        # The tag and the message are whatever they are now (a reaction may have landed meanwhile).
        kept: dict[str, Any] = {
            k: current[k] for k in ("tag", "tag_history", "slack_ts") if k in current
        }
        tx.set(path, {**store.creative_doc(new), **kept})
        entry = AuditEntry(
            campaign_id=task.campaign_id,
            label=label,
            actor=str(task.payload["user"]),
            action="regenerate",
            from_value=str(old.iteration),
            to_value=str(new.iteration),
            version=new.iteration,
            at=now,
        )
        tx.set(f"audit/{task.name}", entry.model_dump(mode="json"))
        tx.set(f"ops/{task.name}", {"at": now.isoformat(), "iteration": new.iteration})

    services.documents.transact(txn)


def _post_version(services: Services, chat: Chat, task: Task, label: str, feedback: str) -> None:
    """The stored version, posted once in the thread; the top message edited to show it."""
    creative = store.load_creative(services.documents, task.campaign_id, label)
    if creative is None:
        raise NotFound(f"no creative {label} in campaign {task.campaign_id}")
    thread = Posted(str(task.payload["channel"]), str(task.payload["thread_ts"]))
    legend = tuple((name, t.value) for name, t in reaction_tags(services).items())
    key = f"{task.campaign_id}:regen:{task.key}"
    card = creative_card(creative, legend, feedback=feedback)
    post_once(
        services,
        key,
        lambda: chat.post_in_thread(thread, card, key=key),
        lambda oldest: chat.find_posted(thread.channel, key, oldest=oldest, thread_ts=thread.ts),
    )
    chat.update_creative(thread, creative_card(creative, legend))
