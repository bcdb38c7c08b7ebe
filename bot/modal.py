"""The ``/adloop new`` form, in two steps (pure): what the campaign is (product, offer,
persona, market, landing page, images, funnel, languages, variations), then "More about the
product" (proof, pains, desires, voice, avoid, pasted text). The second view is pushed by the
first's submission (``response_action: push``) and carries its values in ``private_metadata``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from bot import product_images
from shared.models import Brief, FunnelFocus

CALLBACK_ID = "adloop_new"
MORE_CALLBACK_ID = "adloop_new_more"
ACTION = "value"
# https://docs.slack.dev/reference/views/modal-views: "private_metadata ... Max length of 3000
# characters"; title and button texts at most 24.
METADATA_MAX = 3000
# Fields typed one per line in the form, lists in the brief.
LISTS = ("proof", "pains", "desires", "avoid")
MORE = ("proof", "pains", "desires", "brand_voice", "avoid", "website_text", "transcript")


def text_input(
    block_id: str,
    label: str,
    hint: str,
    prefill: Mapping[str, Any],
    *,
    multiline: bool = False,
    optional: bool = False,
    max_length: int = 300,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ACTION,
        "multiline": multiline,
        "max_length": max_length,
    }
    initial = _initial_text(prefill.get(block_id))
    if initial:
        element["initial_value"] = initial[:max_length]
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": hint},
        "element": element,
    }


def _initial_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value if str(v).strip())
    return "" if value is None else str(value)


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def _choices(prefill: Mapping[str, Any]) -> list[dict[str, Any]]:
    funnel = [_option(f.value, f.value.capitalize()) for f in FunnelFocus]
    focus = str(prefill.get("funnel_focus") or FunnelFocus.FULL.value)
    languages = [_option("en", "English"), _option("es", "Spanish")]
    chosen = [str(v) for v in prefill.get("languages") or ("en", "es")]
    landing: dict[str, Any] = {"type": "url_text_input", "action_id": ACTION}
    if prefill.get("landing_url"):
        landing["initial_value"] = str(prefill["landing_url"])
    return [
        {
            # Where the ads link to: without it a campaign can be written but not exported.
            "type": "input",
            "block_id": "landing_url",
            "optional": True,
            "label": {"type": "plain_text", "text": "Landing page"},
            "hint": {"type": "plain_text", "text": "Where the ads link to, an https:// URL"},
            "element": landing,
        },
        {
            "type": "input",
            "block_id": product_images.BLOCK,
            "optional": True,
            "label": {"type": "plain_text", "text": "Product images"},
            "hint": {
                "type": "plain_text",
                "text": f"PNG, JPEG or WebP, up to {product_images.MAX_FILES}: "
                "the product as it should appear in the videos",
            },
            "element": product_images.element(ACTION),
        },
        {
            "type": "input",
            "block_id": "funnel_focus",
            "label": {"type": "plain_text", "text": "Funnel focus"},
            "element": {
                "type": "static_select",
                "action_id": ACTION,
                "options": funnel,
                "initial_option": next((o for o in funnel if o["value"] == focus), funnel[-1]),
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
                "initial_options": [o for o in languages if o["value"] in chosen] or languages,
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
                "initial_value": str(prefill.get("variations") or 0),
            },
        },
    ]


def new_campaign_view(
    channel: str,
    user: str,
    *,
    brand_block: dict[str, Any] | None = None,
    prefill: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The first step. ``brand_block`` (a brand picker) goes at the top; ``prefill`` (a brief's
    fields, e.g. from a saved brand or a product page) sets every input's initial value, the
    second step's too (carried in ``private_metadata``)."""
    given = dict(prefill or {})
    blocks = [brand_block] if brand_block else []
    blocks += [
        text_input("product", "Product", "What you sell, e.g. GlowDrop vitamin C serum", given),
        text_input("offer", "Offer", "The deal, e.g. 20% off the first order", given),
        text_input(
            "persona",
            "Persona",
            "Who buys it, e.g. busy moms in their 30s",
            given,
            multiline=True,
            max_length=2000,
        ),
        text_input("market", "Market", "Where, e.g. US or US Hispanic", given),
        text_input(
            "brand_name", "Brand name", "The brand's name, e.g. GlowDrop", given, optional=True
        ),
        *_choices(given),
    ]
    more = {k: given[k] for k in MORE if given.get(k)}
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "New adloop campaign"},
        "submit": {"type": "plain_text", "text": "Next"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": fit_metadata({"channel": channel, "user": user, "prefill": more}),
        "blocks": blocks,
    }


def more_view(private_metadata: str, prefill: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The second step, "More about the product"; everything in it is optional."""
    given = dict(prefill or {})
    line = "one per line"
    blocks = [
        text_input(
            "proof",
            "Proof",
            f"Facts you can back: reviews, numbers, awards; {line}",
            given,
            multiline=True,
            optional=True,
            max_length=3000,
        ),
        text_input(
            "pains",
            "Pains",
            f"What bothers the buyer today; {line}",
            given,
            multiline=True,
            optional=True,
            max_length=3000,
        ),
        text_input(
            "desires",
            "Desires",
            f"What the buyer wants instead; {line}",
            given,
            multiline=True,
            optional=True,
            max_length=3000,
        ),
        text_input(
            "brand_voice",
            "Brand voice",
            "How the brand sounds, e.g. warm, honest, playful",
            given,
            optional=True,
            max_length=2000,
        ),
        text_input(
            "avoid",
            "Avoid",
            f"Words or claims the brand never uses; {line} or commas",
            given,
            multiline=True,
            optional=True,
            max_length=2000,
        ),
        text_input(
            "website_text",
            "Website text",
            "Pasted from the product page",
            given,
            multiline=True,
            optional=True,
            max_length=3000,
        ),
        text_input(
            "transcript",
            "Call transcript",
            "A sales or customer call",
            given,
            multiline=True,
            optional=True,
            max_length=3000,
        ),
    ]
    return {
        "type": "modal",
        "callback_id": MORE_CALLBACK_ID,
        "title": {"type": "plain_text", "text": "More about the product"},
        "submit": {"type": "plain_text", "text": "Start"},
        "close": {"type": "plain_text", "text": "Back"},
        "private_metadata": private_metadata,
        "blocks": blocks,
    }


def fields_from_state(values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The brief's fields from ``view.state.values`` (unvalidated; empty inputs and the images,
    which are files, left out)."""
    data: dict[str, Any] = {}
    for block_id, actions in values.items() if isinstance(values, dict) else ():
        element = (actions.get(ACTION) if isinstance(actions, dict) else None) or {}
        if not isinstance(element, dict) or block_id == product_images.BLOCK:
            continue  # not an input's state, or the uploaded files (bot.product_images)
        if "selected_options" in element:
            chosen = (
                element["selected_options"] if isinstance(element["selected_options"], list) else []
            )
            data[block_id] = [_value(o) for o in chosen]
        elif element.get("selected_option"):
            data[block_id] = _value(element["selected_option"])
        elif element.get("value") not in (None, ""):
            data[block_id] = element["value"]
    for name in LISTS:
        if isinstance(data.get(name), str):
            # One per line (avoid also takes commas, as it always has).
            split = r"[,\n]" if name == "avoid" else r"\n"
            data[name] = [a.strip() for a in re.split(split, data[name]) if a.strip()]
    return data


def field_errors(exc: ValidationError, blocks: set[str] | None = None) -> dict[str, str]:
    """Slack's ``response_action: errors``: each problem under its input among ``blocks`` (the
    view's own; both views' by default), the first of them otherwise; the messages the CLI
    gives (Brief.from_user's)."""
    blocks = set(_ORDER) if blocks is None else blocks
    known = [b for b in _ORDER if b in blocks]
    first = known[0] if known else "product"
    errors: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        block = str(loc[0]) if loc and str(loc[0]) in blocks else first
        field = Brief.model_fields.get(str(loc[0])) if loc else None
        hint = f" ({field.description})" if field and field.description else ""
        problem = "this is required" if err["type"] == "missing" else err["msg"]
        errors.setdefault(block, (problem + hint)[:150])
    return errors


def block_ids(view: dict[str, Any]) -> set[str]:
    return {str(b.get("block_id")) for b in view.get("blocks") or [] if isinstance(b, dict)}


def fit_metadata(meta: dict[str, Any]) -> str:
    """``meta`` as JSON within Slack's 3000 characters: pasted text in ``prefill`` is cut (last
    fields first) until it fits; the caller keeps anything larger elsewhere (a draft)."""
    text = json.dumps(meta, separators=(",", ":"))
    prefill = dict(meta.get("prefill") or {})
    for name in reversed(MORE):
        if len(text) <= METADATA_MAX:
            break
        prefill.pop(name, None)
        text = json.dumps({**meta, "prefill": prefill}, separators=(",", ":"))
    return text


def read_metadata(private_metadata: str) -> dict[str, Any]:
    try:
        meta = json.loads(private_metadata or "{}")
    except (ValueError, RecursionError):
        meta = {}
    return meta if isinstance(meta, dict) else {}


def channel_of(private_metadata: str) -> tuple[str, str]:
    """(channel, user) remembered by :func:`new_campaign_view`."""
    meta = read_metadata(private_metadata)
    return str(meta.get("channel") or ""), str(meta.get("user") or "")


_ORDER = [
    "product",
    "offer",
    "persona",
    "market",
    "brand_name",
    "landing_url",
    product_images.BLOCK,
    "funnel_focus",
    "languages",
    "variations",
    *MORE,
]


def _value(option: Any) -> Any:
    """An option's value; a malformed option gives None, which the brief refuses by name."""
    return option.get("value") if isinstance(option, dict) else None
