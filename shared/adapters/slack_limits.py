"""Slack's documented limits on a message, and a check of a message against them before it is sent.

Slack answers ``invalid_blocks`` (or ``msg_too_long``) for a message over any of these, and the
message is lost; the layout (:mod:`shared.adapters.slack_layout`) fits text to them and
:func:`problems` checks the result, so a refusal is found here, with the field named, not there.
Lengths are counted with :func:`shared.chat_text.length` (UTF-16 code units).
"""

from __future__ import annotations

from typing import Any

from shared.chat_text import length

# https://docs.slack.dev/reference/block-kit/blocks ("up to 50 blocks in each message")
MESSAGE_BLOCKS_MAX = 50
# https://docs.slack.dev/reference/methods/chat.postMessage: the top-level text is truncated past
# 40,000 characters (msg_too_long for some calls); "for best results", at most 4,000.
MESSAGE_TEXT_MAX = 40_000
MESSAGE_TEXT_BUDGET = 4_000
# https://docs.slack.dev/reference/block-kit/composition-objects/text-object ("minimum length is
# 1 and maximum length is 3000 characters"); context elements are text objects too.
TEXT_OBJECT_MIN = 1
TEXT_OBJECT_MAX = 3_000
# https://docs.slack.dev/reference/block-kit/blocks/section-block: text 3,000; fields at most
# 10, each 2,000.
SECTION_TEXT_MAX = 3_000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2_000
# https://docs.slack.dev/reference/block-kit/blocks/header-block: plain_text, 150.
HEADER_TEXT_MAX = 150
# https://docs.slack.dev/reference/block-kit/blocks/context-block: at most 10 elements.
CONTEXT_ELEMENTS_MAX = 10
# https://docs.slack.dev/reference/block-kit/blocks/actions-block: at most 25 elements.
ACTIONS_ELEMENTS_MAX = 25
# https://docs.slack.dev/reference/block-kit/block-elements/button-element: text (plain_text)
# 75, value 2,000, action_id 255.
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2_000
ACTION_ID_MAX = 255
# block_id, in every block's reference page.
BLOCK_ID_MAX = 255


def problems(text: str, blocks: list[dict[str, Any]]) -> list[str]:
    """What in this message Slack would refuse, one line each (empty when it is within limits)."""
    found = []
    if length(text) > MESSAGE_TEXT_MAX:
        found.append(f"text: {length(text)} characters, more than {MESSAGE_TEXT_MAX}")
    if len(blocks) > MESSAGE_BLOCKS_MAX:
        found.append(f"blocks: {len(blocks)}, more than {MESSAGE_BLOCKS_MAX}")
    for i, block in enumerate(blocks):
        found += [f"blocks.{i}.{p}" for p in _block(block)]
    return found


def _block(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    found = _max(block.get("block_id"), BLOCK_ID_MAX, "block_id")
    if kind == "header":
        return found + _text(block.get("text"), HEADER_TEXT_MAX, "text", plain=True)
    if kind == "section":
        fields = block.get("fields") or []
        if block.get("text") is None and not fields:
            found.append("a section needs text or fields")
        if block.get("text") is not None:
            found += _text(block["text"], SECTION_TEXT_MAX, "text")
        if len(fields) > SECTION_FIELDS_MAX:
            found.append(f"fields: {len(fields)}, more than {SECTION_FIELDS_MAX}")
        for i, f in enumerate(fields):
            found += _text(f, SECTION_FIELD_TEXT_MAX, f"fields.{i}")
        return found
    if kind == "context":
        return found + _elements(block, CONTEXT_ELEMENTS_MAX, _context_element)
    if kind == "actions":
        return found + _elements(block, ACTIONS_ELEMENTS_MAX, _button)
    if kind == "divider":
        return found
    return [*found, f"type: {kind!r} is not a block adloop sends"]


def _elements(block: dict[str, Any], most: int, check: Any) -> list[str]:
    elements = block.get("elements") or []
    found = [] if elements else ["elements: none"]
    if len(elements) > most:
        found.append(f"elements: {len(elements)}, more than {most}")
    for i, e in enumerate(elements):
        found += check(e, f"elements.{i}")
    return found


def _context_element(element: dict[str, Any], where: str) -> list[str]:
    return _text(element, TEXT_OBJECT_MAX, where)


def _button(element: dict[str, Any], where: str) -> list[str]:
    if element.get("type") != "button":
        return [f"{where}.type: {element.get('type')!r} is not a button"]
    return (
        _text(element.get("text"), BUTTON_TEXT_MAX, f"{where}.text", plain=True)
        + _max(element.get("value"), BUTTON_VALUE_MAX, f"{where}.value")
        + _max(element.get("action_id"), ACTION_ID_MAX, f"{where}.action_id")
    )


def _text(obj: Any, most: int, where: str, *, plain: bool = False) -> list[str]:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return [f"{where}: not a text object"]
    allowed = ("plain_text",) if plain else ("plain_text", "mrkdwn")
    found = [] if obj.get("type") in allowed else [f"{where}.type: {obj.get('type')!r}"]
    n = length(obj["text"])
    if n < TEXT_OBJECT_MIN:
        found.append(f"{where}: empty")
    return found + _max(obj["text"], min(most, TEXT_OBJECT_MAX), where)


def _max(value: Any, most: int, where: str) -> list[str]:
    if value is None:
        return []
    n = length(str(value))
    return [f"{where}: {n} characters, more than {most}"] if n > most else []
