"""Cards as Slack messages (pure): the top-level text and the Block Kit blocks of each message.

Every value a person or a model wrote (product, copy, feedback, notices, errors) is escaped by
:func:`shared.chat_text.escape` and then fitted to the limit of the field it lands in
(:mod:`shared.adapters.slack_limits`), in that order, in the top-level text as in the blocks.
"""

from __future__ import annotations

from typing import Any

from shared.adapters.slack_limits import (
    BUTTON_TEXT_MAX,
    HEADER_TEXT_MAX,
    MESSAGE_TEXT_BUDGET,
    SECTION_FIELD_TEXT_MAX,
    SECTION_TEXT_MAX,
    TEXT_OBJECT_MAX,
)
from shared.chat_text import cut, escape, fit, length
from shared.platforms.registry import PLATFORMS
from shared.ports.chat import CampaignCard, CreativeCard

# The Export buttons on a finished campaign's message, one per ad platform in the registry:
# action id = prefix + platform id; the bot (``bot/export_action.py``) turns a click into an
# ``export`` task.
EXPORT_ACTION_PREFIX = "adloop_export_"
# Room the parts of a creative's copy may take before the primary text gets the rest.
HEADLINE_MAX, CTA_MAX, STEP_ERROR_MAX, CAMPAIGN_ERROR_MAX = 500, 200, 200, 500

_STEP_ICON = {
    "done": ":white_check_mark:",
    "running": ":hourglass_flowing_sand:",
    "failed": ":x:",
    "pending": ":white_circle:",
}


def campaign_text(card: CampaignCard) -> str:
    """The campaign message's top-level text (notifications, screen readers, search)."""
    line = f"Campaign {escape(card.campaign_id)} for {escape(card.product)}: {escape(card.status)}"
    return cut(line, MESSAGE_TEXT_BUDGET)


def campaign_blocks(card: CampaignCard) -> list[dict[str, Any]]:
    lines = []
    for step in card.steps:
        count = f" {step.done}/{step.total}" if step.total else ""
        error = f" — {fit(step.error, STEP_ERROR_MAX)}" if step.error else ""
        icon = _STEP_ICON.get(step.status, ":white_circle:")
        lines.append(f"{icon} {escape(step.name)}{count}{error}")
    blocks: list[dict[str, Any]] = [
        _header(f"Campaign: {escape(card.product)}"),
        _mrkdwn(
            f"*Status:* {escape(card.status)}  ·  `{escape(card.campaign_id)}`  ·  "
            f"{card.creatives} creatives"
        ),
    ]
    if lines:
        blocks.append(_mrkdwn("\n".join(lines)))
    notes = [escape(n) for n in card.notices]
    if card.error:
        notes.append(
            f":warning: {fit(card.error, CAMPAIGN_ERROR_MAX)} — "
            f"`/adloop retry {escape(card.campaign_id)}` resumes it"
        )
    if notes:
        blocks.append(_context("\n".join(notes)))
    if card.status == "complete" and card.creatives:
        blocks += export_blocks(card.campaign_id)
    return blocks


def export_blocks(campaign_id: str) -> list[dict[str, Any]]:
    """A line saying what Export does and one button per ad platform (value: the campaign)."""
    buttons = [
        {
            "type": "button",
            "action_id": EXPORT_ACTION_PREFIX + platform.id,
            "text": {
                "type": "plain_text",
                "text": cut(f"Export for {platform.name}", BUTTON_TEXT_MAX),
            },
            "value": campaign_id,
        }
        for platform in PLATFORMS.values()
    ]
    hint = (
        "*Export* the Approved and Winner creatives as a bulk-upload file, posted in this "
        "thread (reviewers only):"
    )
    return [_mrkdwn(hint), {"type": "actions", "elements": buttons}]


def creative_text(card: CreativeCard) -> str:
    version = f" (v{card.iteration})" if card.iteration > 1 else ""
    line = f"{escape(card.label)}{version} [{escape(card.tag)}]: {escape(card.headline)}"
    return cut(line, MESSAGE_TEXT_BUDGET)


def creative_blocks(card: CreativeCard) -> list[dict[str, Any]]:
    version = f" · v{card.iteration}" if card.iteration > 1 else ""
    title = f"{card.label} · {card.funnel_stage} · {card.language.upper()}{version}"
    blocks: list[dict[str, Any]] = [_header(escape(title))]
    if card.feedback:
        lead = "_Rewritten with this feedback:_ "
        blocks.append(_mrkdwn(lead + fit(card.feedback, SECTION_TEXT_MAX - length(lead))))
    blocks.append(_mrkdwn(_copy(card)))
    blocks.append({"type": "section", "fields": [_field(n, v) for n, v in _score_fields(card)]})
    if card.video:
        blocks.append(_context(escape(card.video)))
    if card.legend:
        legend = "  ".join(f":{escape(emoji)}: {escape(tag)}" for emoji, tag in card.legend)
        blocks.append(
            _context(
                f"React to tag: {legend}  ·  Reply in the thread to get this creative rewritten."
            )
        )
    return blocks


def _copy(card: CreativeCard) -> str:
    """Headline, primary text and CTA in one section: the primary text gets what the others
    leave of the section's limit."""
    headline, cta = fit(card.headline, HEADLINE_MAX), fit(card.cta, CTA_MAX)
    frame = f"*{headline}*\n\n*CTA:* {cta}"
    return f"*{headline}*\n{fit(card.primary_text, SECTION_TEXT_MAX - length(frame))}\n*CTA:* {cta}"


def as_text(text: str, blocks: list[dict[str, Any]]) -> str:
    """A message as text alone: the top-level text, then every text in its blocks (already
    escaped), for when Slack will not take the blocks."""
    parts = [text]
    for block in blocks:
        for obj in [block.get("text"), *(block.get("fields") or []), *_texts(block)]:
            if isinstance(obj, dict) and isinstance(obj.get("text"), str):
                parts.append(obj["text"])
    return cut("\n".join(parts), MESSAGE_TEXT_BUDGET)


def _texts(block: dict[str, Any]) -> list[Any]:
    return list(block.get("elements") or []) if block.get("type") == "context" else []


def _score_fields(card: CreativeCard) -> list[tuple[str, str]]:
    fields = [("Tag", escape(card.tag))]
    if card.judge is not None:
        mark = " :white_check_mark:" if card.approved else ""
        fields.append(("Judges", f"{card.judge:.1f}/100{mark}"))
    if card.brand is not None:
        flags = f", {card.findings} policy flag(s)" if card.findings else ""
        fields.append(("Brand fit", f"{card.brand:.2f}{flags}"))
    if card.predicted_ctr is not None:
        fields.append(("Predicted CTR", f"{card.predicted_ctr:.2%}"))
    if card.predicted_roas is not None:
        spread = (
            f" ({card.roas_interval[0]:.2f}–{card.roas_interval[1]:.2f})"
            if card.roas_interval
            else ""
        )
        fields.append(("Predicted ROAS", f"{card.predicted_roas:.2f}×{spread}"))
    if card.rank is not None:
        fields.append(("Rank", f"#{card.rank}"))
    return fields[:10]


def _header(escaped: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": cut(escaped, HEADER_TEXT_MAX)}}


def _field(name: str, value: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": cut(f"*{name}*\n{value}", SECTION_FIELD_TEXT_MAX)}


def _mrkdwn(escaped: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(escaped, SECTION_TEXT_MAX)}}


def _context(escaped: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": cut(escaped, TEXT_OBJECT_MAX)}],
    }
