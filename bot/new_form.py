"""The ``/adloop new`` form's two submissions: the first checks the campaign's essentials and
its images and pushes "More about the product"; the second starts the campaign.

Both answer within Slack's 3 seconds: validation is local, and the images (the one network
call) are fetched under a budget (:mod:`bot.product_images`). The campaign id comes from the
form's root view id, so a double submit starts one campaign and the images checked in the
first step are stored where that campaign keeps its inputs.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from bot import brand_form, modal, product_images
from shared.adapters.slack_web import SlackChat
from shared.brands import LOCAL
from shared.errors import BadInput
from shared.media.images import accept_image
from shared.models import Brief
from shared.pipeline.campaigns import new_campaign_id, start_campaign
from shared.pipeline.inputs import is_input_blob, store_images
from shared.services import Services

# A form's first-step values too long for private_metadata wait here, keyed by its view id.
DRAFTS = "slack_drafts"
Answer = dict[str, Any]


def first_step(
    services: Services, chat: SlackChat, view: dict[str, Any], *, team: str = ""
) -> Answer:
    """The ack for the first view: field errors, or the second view pushed. A saved brand picked
    in the form (``team``'s) fills the brief fields it holds; what the form says wins."""
    values = view["state"]["values"]
    fields, brand_id = brand_form.with_chosen_brand(
        services, team, values, modal.fields_from_state(values)
    )
    try:
        Brief.from_user(fields)
    except ValidationError as e:
        return _errors(modal.field_errors(e, modal.block_ids(view)))
    try:
        images = product_images.fetch(chat, product_images.files_of(values, modal.ACTION))
    except BadInput as e:
        return _errors({product_images.BLOCK: str(e)[:150]})
    campaign_id = new_campaign_id(_root(view))
    meta = modal.read_metadata(str(view.get("private_metadata") or ""))
    carried = {
        "channel": str(meta.get("channel") or ""),
        "user": str(meta.get("user") or ""),
        "fields": fields,
        "images": store_images(services.blobs, campaign_id, images),
        "workspace": team,
        "brand_id": brand_id,
    }
    text = json.dumps(carried, separators=(",", ":"))
    if len(text) > modal.METADATA_MAX:
        services.documents.set(f"{DRAFTS}/{view['id']}", carried)
        text = json.dumps({"draft": str(view["id"])})
    prefill = meta.get("prefill") if isinstance(meta.get("prefill"), dict) else None
    return {"response_action": "push", "view": modal.more_view(text, prefill)}


def second_step(services: Services, view: dict[str, Any], *, team: str = "") -> Answer:
    """The ack for "More about the product": field errors, or the campaign started and the
    whole form closed (``clear``; a bare ack would only go back to the first view)."""
    carried = modal.read_metadata(str(view.get("private_metadata") or ""))
    draft = carried.get("draft")
    if isinstance(draft, str):
        carried = services.documents.get(f"{DRAFTS}/{draft}") or {}
    earlier = carried.get("fields") if isinstance(carried.get("fields"), dict) else {}
    fields = {**earlier, **modal.fields_from_state(view["state"]["values"])}
    try:
        brief = Brief.from_user(fields)
    except ValidationError as e:
        return _errors(modal.field_errors(e, modal.block_ids(view)))
    workspace = str(carried.get("workspace") or "")
    if team and workspace and workspace != team:
        # What the first step carried names another workspace: not this form's to start.
        return _errors({modal.MORE[0]: "this form was started in another workspace; start again"})
    campaign_id = new_campaign_id(_root(view))
    paths = [p for p in carried.get("images") or [] if is_input_blob(campaign_id, str(p))]
    images = [accept_image(services.blobs.get(p), p.rsplit("/", 1)[-1]) for p in paths]
    start_campaign(
        services,
        brief,
        campaign_id=campaign_id,
        images=images,
        slack_channel=str(carried.get("channel") or ""),
        workspace=workspace or team or LOCAL,
        brand_id=str(carried["brand_id"]) if carried.get("brand_id") else None,
    )
    if isinstance(draft, str):
        services.documents.delete(f"{DRAFTS}/{draft}")
    return {"response_action": "clear"}


def _root(view: dict[str, Any]) -> str:
    """The form's first view id: the second view names it as its root."""
    return str(view.get("root_view_id") or view["id"])


def _errors(errors: dict[str, str]) -> Answer:
    return {"response_action": "errors", "errors": errors}
