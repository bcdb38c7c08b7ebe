"""sources: a reply "sources" (or "claims", "fuentes") in a creative's thread is answered there
with each claim the creative makes, its kind, and the brief field and words that support it.
Nothing is rewritten. The claims are the ones govern stored (``claims``); a creative from before
claim grounding is grounded now, against the same brief and brand."""

from __future__ import annotations

from shared.chat_text import escape
from shared.errors import NotFound
from shared.models.creative import ClaimTrace, Creative
from shared.pipeline import store
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import brief_dict, load_brand
from shared.pipeline.steps._grounding import Grounder
from shared.pipeline.steps.govern import copy_text
from shared.pipeline.steps.publish import post_once
from shared.ports.chat import Posted
from shared.ports.queue import Task

# What a person types in a creative's thread to see its claims, not to rewrite it.
ASKS = frozenset({"sources", "claims", "fuentes"})


def asks_for_sources(text: str) -> bool:
    """A reply that is one of ASKS, in any case, with or without a trailing ? or !."""
    return text.strip().rstrip("?!. ").lower() in ASKS


def sources(ctx: StepContext, task: Task) -> StepResult:
    chat = ctx.services.chat
    if chat is None:
        return StepResult()
    p = task.payload
    label = str(p["label"])
    creative = store.load_creative(ctx.services.documents, task.campaign_id, label)
    if creative is None:
        raise NotFound(f"no creative {label} in campaign {task.campaign_id}")
    text = claims_note(creative, traces_of(ctx, creative))
    thread = Posted(str(p["channel"]), str(p["thread_ts"]))
    key = f"{task.campaign_id}:sources:{task.key}"
    post_once(
        ctx.services,
        key,
        lambda: chat.post_note(thread, text, key=key),
        lambda oldest: chat.find_posted(thread.channel, key, oldest=oldest, thread_ts=thread.ts),
    )
    return StepResult()


def traces_of(ctx: StepContext, creative: Creative) -> list[ClaimTrace]:
    stored = (creative.model_extra or {}).get("claims")
    if isinstance(stored, list):
        return [ClaimTrace.model_validate(t) for t in stored]
    grounder = Grounder(brief_dict(ctx), load_brand(ctx))
    return grounder.ground([copy_text(creative)], creative.language.value)


def claims_note(creative: Creative, traces: list[ClaimTrace]) -> str:
    """The thread reply: one line per claim, every word from the copy or the brief escaped."""
    label = escape(creative.label)
    if not traces:
        return f"*{label} v{creative.iteration}* makes no checkable claim (no figure, no promise)."
    lines = [f"*Claims in {label} v{creative.iteration} and their sources*"]
    for t in traces:
        claim = f"“{escape(t.span)}” ({escape(t.kind)})"
        if t.supported and t.source:
            said = f": “{escape(t.source_text)}”" if t.source_text else ""
            lines.append(f"• {claim} — from `{escape(t.source)}`{said}")
        else:
            lines.append(f"• {claim} — :warning: not in the brief: {escape(t.reason)}")
    return "\n".join(lines)
