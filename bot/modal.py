"""The ``/adloop new`` form: the modal's blocks and its submission read back as a brief (pure)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from shared.models import Brief, FunnelFocus

CALLBACK_ID = "adloop_new"
ACTION = "value"


def _text(
    block_id: str,
    label: str,
    hint: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    max_length: int = 300,
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": hint},
        "element": {
            "type": "plain_text_input",
            "action_id": ACTION,
            "multiline": multiline,
            "max_length": max_length,
        },
    }


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def new_campaign_view(
    channel: str, user: str, *, prefill: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The modal; ``private_metadata`` remembers where the campaign is to be posted. ``prefill``
    (brief fields, e.g. what a product page gave) fills the text inputs it names."""
    funnel = [_option(f.value, f.value.capitalize()) for f in FunnelFocus]
    languages = [_option("en", "English"), _option("es", "Spanish")]
    blocks = [
        _text("product", "Product", "What you sell, e.g. GlowDrop vitamin C serum"),
        _text("offer", "Offer", "The deal, e.g. 20% off the first order"),
        _text(
            "persona",
            "Persona",
            "Who buys it, e.g. busy moms in their 30s",
            multiline=True,
            max_length=2000,
        ),
        _text("market", "Market", "Where, e.g. US or US Hispanic"),
        {
            # Where the ads link to: without it a campaign can be written but not exported.
            "type": "input",
            "block_id": "landing_url",
            "optional": True,
            "label": {"type": "plain_text", "text": "Landing page"},
            "hint": {"type": "plain_text", "text": "Where the ads link to, an https:// URL"},
            "element": {"type": "url_text_input", "action_id": ACTION},
        },
        _text("brand_name", "Brand", "The brand's name, e.g. GlowDrop", optional=True),
        {
            "type": "input",
            "block_id": "funnel_focus",
            "label": {"type": "plain_text", "text": "Funnel focus"},
            "element": {
                "type": "static_select",
                "action_id": ACTION,
                "options": funnel,
                "initial_option": funnel[-1],
            },
        },
        {
            "type": "input",
            "block_id": "languages",
            "label": {"type": "plain_text", "text": "Languages"},
            "element": {
                "type": "checkboxes",
                "action_id": ACTION,
                "options": languages,
                "initial_options": languages,
            },
        },
        {
            "type": "input",
            "block_id": "variations",
            "optional": True,
            "label": {"type": "plain_text", "text": "Extra variations (0–50)"},
            "element": {
                "type": "number_input",
                "action_id": ACTION,
                "is_decimal_allowed": False,
                "min_value": "0",
                "max_value": "50",
                "initial_value": "0",
            },
        },
        _text(
            "brand_voice",
            "Brand voice",
            "How the brand sounds, e.g. warm, honest, playful",
            optional=True,
            max_length=2000,
        ),
        _text(
            "avoid",
            "Avoid",
            "Words or claims the brand never uses, comma separated",
            multiline=True,
            optional=True,
            max_length=2000,
        ),
        _text(
            "website_text",
            "Website text",
            "Pasted from the product page",
            multiline=True,
            optional=True,
            max_length=3000,
        ),
        _text(
            "transcript",
            "Call transcript",
            "A sales or customer call",
            multiline=True,
            optional=True,
            max_length=3000,
        ),
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "New adloop campaign"},
        "submit": {"type": "plain_text", "text": "Start"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"channel": channel, "user": user}),
        "blocks": _prefilled(blocks, prefill or {}),
    }


def _prefilled(blocks: list[dict[str, Any]], prefill: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Text inputs start with ``prefill``'s value for their field (lists one per line), cut to
    the input's own max_length."""
    for block in blocks:
        element, value = block.get("element") or {}, prefill.get(str(block.get("block_id")))
        if element.get("type") not in ("plain_text_input", "url_text_input") or not value:
            continue
        text = "\n".join(map(str, value)) if isinstance(value, list) else str(value)
        element["initial_value"] = text[: int(element.get("max_length") or 3000)]
    return blocks


def fields_from_state(values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The brief's fields from ``view.state.values`` (unvalidated; empty inputs left out)."""
    data: dict[str, Any] = {}
    for block_id, actions in values.items() if isinstance(values, dict) else ():
        element = (actions.get(ACTION) if isinstance(actions, dict) else None) or {}
        if not isinstance(element, dict):
            continue  # not an input's state: nothing the form sent
        if "selected_options" in element:
            chosen = (
                element["selected_options"] if isinstance(element["selected_options"], list) else []
            )
            data[block_id] = [_value(o) for o in chosen]
        elif element.get("selected_option"):
            data[block_id] = _value(element["selected_option"])
        elif element.get("value") not in (None, ""):
            data[block_id] = element["value"]
    if isinstance(data.get("avoid"), str):
        data["avoid"] = [a.strip() for a in re.split(r"[,\n]", data["avoid"]) if a.strip()]
    return data


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Slack's ``response_action: errors``: each problem under its input (the first otherwise)."""
    blocks = {b["block_id"] for b in new_campaign_view("", "")["blocks"]}
    errors: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        block = str(loc[0]) if loc and str(loc[0]) in blocks else "product"
        field = Brief.model_fields.get(str(loc[0])) if loc else None
        hint = f" ({field.description})" if field and field.description else ""
        problem = "this is required" if err["type"] == "missing" else err["msg"]
        errors.setdefault(block, (problem + hint)[:150])
    return errors


def channel_of(private_metadata: str) -> tuple[str, str]:
    """(channel, user) remembered by :func:`new_campaign_view`."""
    try:
        meta = json.loads(private_metadata or "{}")
    except (ValueError, RecursionError):
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    return str(meta.get("channel") or ""), str(meta.get("user") or "")


def _value(option: Any) -> Any:
    """An option's value; a malformed option gives None, which the brief refuses by name."""
    return option.get("value") if isinstance(option, dict) else None
