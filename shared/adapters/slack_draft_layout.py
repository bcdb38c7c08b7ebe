"""A draft brief read from a product page, as the ephemeral Slack message its marketer sees
(pure): what was taken and where from, who read the page, what is missing, Start and Edit.

Every value came from a web page, so every one is escaped (:func:`shared.chat_text.escape`)
and then fitted to the field it lands in.
"""

from __future__ import annotations

from typing import Any

from shared.adapters.slack_limits import (
    BUTTON_TEXT_MAX,
    MESSAGE_TEXT_BUDGET,
    SECTION_TEXT_MAX,
    TEXT_OBJECT_MAX,
)
from shared.chat_text import cut, escape, fit
from shared.ports.chat import DraftCard

# block_actions action ids of the two buttons; their value is the draft's id.
START_ACTION = "adloop_page_start"
EDIT_ACTION = "adloop_page_edit"
VALUE_MAX = 300  # a brief's short fields hold at most this much


def draft_text(card: DraftCard) -> str:
    if card.error:
        return cut(
            f"I could not read {escape(card.url)}: {escape(card.error)}", MESSAGE_TEXT_BUDGET
        )
    return cut(f"What {escape(card.url)} gives for a campaign brief", MESSAGE_TEXT_BUDGET)


def draft_blocks(card: DraftCard) -> list[dict[str, Any]]:
    if card.error:
        return [_section(f":warning: {draft_text(card)}")]
    lines = [
        f"• *{escape(name)}*: {fit(value, VALUE_MAX)}  _← {escape(source)}_"
        for name, value, source in card.taken
    ]
    if card.images:
        lines.append(f"• *product images*: {len(card.images)} found on the page")
    blocks = [
        _section(f"I read {escape(card.url)} with {escape(card.extractor)}:"),
        _section("\n".join(lines) or "The page gave nothing a brief can use."),
    ]
    if card.missing:
        missing = ", ".join(escape(m) for m in card.missing)
        blocks.append(_context(f"Not on the page: {missing}. Press Edit to add them."))
    blocks.append(
        {
            "type": "actions",
            "block_id": "adloop_page",
            "elements": [
                _button(START_ACTION, "Start", card.draft_id, style="primary"),
                _button(EDIT_ACTION, "Edit", card.draft_id),
            ],
        }
    )
    return blocks


def _button(action_id: str, text: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": cut(text, BUTTON_TEXT_MAX)},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _section(escaped: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(escaped, SECTION_TEXT_MAX)}}


def _context(escaped: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": cut(escaped, TEXT_OBJECT_MAX)}],
    }
