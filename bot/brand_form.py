"""``/adloop brand``: the workspace's brand kits, listed, and edited in a modal; and what the new
campaign form needs of them (a brand picker, and the brief fields a chosen brand fills).

A kit belongs to the Slack workspace (team id) it was made in: every lookup here is by the
requesting team, and a submitted kit id of another team is refused. The form's values are
checked here (hex colours, a domain, the brief's list bounds) and answered under their fields
with ``response_action: errors``; a good submission saves one new version (shared/brands.py),
once per view however often Slack delivers it. A logo uploaded in the form (bot/brand_logo.py)
is kept as a blob under the kit (shared/brands.py store_logo); no file keeps the kit's logo.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.brand_logo import LOGO, fetch_logo, logo_files, logo_input
from bot.modal import text_input
from shared import brands
from shared.chat_text import escape, fit, from_slack
from shared.errors import BadInput, TransientError
from shared.models.brand import HEX_COLOR, MAX_AVOID, MAX_COLORS, MAX_PROOF, MAX_VOICE, BrandKit
from shared.services import Services

CALLBACK_ID = "adloop_brand"
ACTION = "value"
NEW = "new"  # the picker's "New brand" option
# https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element#static_select:
# at most 100 options; https://docs.slack.dev/reference/block-kit/composition-objects/option-object:
# text at most 75 characters, value at most 150.
OPTIONS_MAX, OPTION_TEXT_MAX, OPTION_VALUE_MAX = 100, 75, 150
# https://docs.slack.dev/reference/views/modal-views: title at most 24 characters.
TITLE_MAX = 24
# https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element:
# max_length (and so initial_value) 1 to 3,000.
INPUT_MAX = 3_000
# The brief's bounds on one entry (shared/models/brief.py ShortText) and on a colour list.
ENTRY_MAX = 300
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


# --- for the new campaign form (bot/modal.py) -------------------------------------------------


def brand_select_block(services: Services, team_id: str) -> dict[str, Any] | None:
    """An input block ``brand``: the workspace's saved brands and "New brand" (the default);
    None while the workspace has no saved brand (nothing to pick)."""
    kits = brands.list_kits(services.documents, team_id)[: OPTIONS_MAX - 1]
    if not kits:
        return None
    new = _option(NEW, "New brand")
    return {
        "type": "input",
        "block_id": "brand",
        "optional": True,
        "label": {"type": "plain_text", "text": "Saved brand"},
        "hint": {"type": "plain_text", "text": "A saved brand fills voice, avoid, proof, colours"},
        "element": {
            "type": "static_select",
            "action_id": ACTION,
            "options": [new, *(_option(k.id, k.name) for k in kits)],
            "initial_option": new,
        },
    }


def brief_defaults(kit: BrandKit) -> dict[str, Any]:
    """The brief fields a chosen brand fills (shared/brands.py): brand name, voice, avoid,
    proof, colours, landing page from its domain, and the audience it last had."""
    return brands.brief_defaults(kit)


def chosen_kit(services: Services, team_id: str, values: dict[str, Any]) -> BrandKit | None:
    """The kit picked in ``view.state.values`` (None for "New brand", none picked, or a kit of
    another workspace, which no form of this workspace offers)."""
    picked = (((values.get("brand") or {}).get(ACTION) or {}).get("selected_option")) or {}
    value = str(picked.get("value") or "") if isinstance(picked, dict) else ""
    if not value or value == NEW or not value.startswith(f"{team_id}:"):
        return None
    return brands.get_kit(services.documents, value)


def with_chosen_brand(
    services: Services, team_id: str, values: dict[str, Any], fields: dict[str, Any]
) -> tuple[dict[str, Any], str | None]:
    """The new campaign form's brief fields over the chosen brand's (``brand`` itself is no brief
    field, so it is taken out), and the kit's id to start the campaign with (None: a new brand,
    made by the campaign's intake)."""
    fields = {k: v for k, v in fields.items() if k != "brand"}
    kit = chosen_kit(services, team_id, values)
    return (brands.with_kit(fields, kit), kit.id) if kit else (fields, None)


# --- /adloop brand ----------------------------------------------------------------------------


def brands_text(services: Services, team_id: str) -> str:
    """The reply to ``/adloop brand``: the workspace's kits (mrkdwn, escaped)."""
    kits = brands.list_kits(services.documents, team_id)
    if not kits:
        return (
            "No brands yet: the first campaign of a brand saves its kit, or "
            "`/adloop brand NAME` makes one."
        )
    lines = ["*Brands* (`/adloop brand NAME` edits one):"]
    for kit in kits:
        domain = f" — {escape(kit.landing_domain)}" if kit.landing_domain else ""
        voice = escape(", ".join(kit.voice)) or "no voice yet"
        lines.append(f"• *{escape(kit.name)}* v{kit.version}{domain}: {voice}")
    return "\n".join(lines)


def edit_view(team_id: str, name: str, kit: BrandKit | None) -> dict[str, Any]:
    """The brand's edit modal, filled from ``kit`` (empty for a new brand called ``name``)."""
    brand_id = kit.id if kit else brands.kit_id(team_id, name)
    shown = kit.name if kit else name
    blocks = [
        _input("voice", "Voice", "Adjectives, comma separated", kit and ", ".join(kit.voice)),
        _input("positioning", "Positioning", "One sentence", kit and kit.positioning, True),
        _input("avoid", "Avoid", "Words or claims never used, one a line", _lines(kit, "avoid")),
        _input("proof", "Proof", "Facts you can back, one a line", _lines(kit, "proof")),
        _input("colors", "Colours", "Hex, e.g. #f2a65a #7a3e12", kit and " ".join(kit.colors)),
        _input("landing_domain", "Landing domain", "e.g. glowdrop.com", kit and kit.landing_domain),
        logo_input(kit, ACTION),
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": fit(f"Brand: {shown}", TITLE_MAX)},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"brand_id": brand_id, "name": shown[:300]}),
        "blocks": blocks,
    }


def changes_from_state(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The kit fields a submission sets, and the errors under each field (Slack's
    ``response_action: errors``) when any value is unusable; an empty field clears it."""
    text = {b: str(((values.get(b) or {}).get(ACTION) or {}).get("value") or "") for b in values}
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for block, limit in (("voice", MAX_VOICE), ("avoid", MAX_AVOID), ("proof", MAX_PROOF)):
        if block in text:
            items = _items(text[block], commas=block != "proof")
            problem = _list_problem(items, limit)
            if problem:
                errors[block] = problem
            changes[block] = items
    if "positioning" in text:
        changes["positioning"] = text["positioning"].strip()
        if len(changes["positioning"]) > 2_000:
            errors["positioning"] = "at most 2,000 characters"
    if "colors" in text:
        colors = [c for c in re.split(r"[\s,]+", text["colors"]) if c]
        bad = [c for c in colors if not re.match(HEX_COLOR, c)]
        if bad:
            errors["colors"] = f"{bad[0][:40]!r} is not a colour like #f2a65a (six hex digits)"
        elif len(colors) > MAX_COLORS:
            errors["colors"] = f"at most {MAX_COLORS} colours"
        changes["colors"] = [c.lower() for c in colors]
    if "landing_domain" in text:
        domain, problem = _domain(text["landing_domain"])
        if problem:
            errors["landing_domain"] = problem
        changes["landing_domain"] = domain
    return changes, errors


def register(app: App, services: Services, command: Any) -> None:
    """``/adloop brand NAME`` opens the edit form; its submission saves the kit. Register before
    the general ``/adloop`` listener (Bolt runs the first listener that matches)."""

    def editing(body: dict[str, Any]) -> bool:
        head, _, rest = str(body.get("text") or "").strip().partition(" ")
        return head.lower() == "brand" and bool(rest.strip())

    @app.command(command, matchers=[editing])
    def on_brand(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        team = str(body.get("team_id") or "")
        name = from_slack(str(body["text"]).strip().partition(" ")[2].strip())[:300]
        kit = brands.find_kit(services.documents, team, name)
        try:
            client.views_open(trigger_id=body["trigger_id"], view=edit_view(team, name, kit))
        except SlackApiError as e:
            ack(
                text=f"I could not open the brand form ({escape(str(e.response.get('error')))}).",
                response_type="ephemeral",
            )
            return
        ack()

    @app.view(CALLBACK_ID)
    def on_save(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team = str((body.get("team") or {}).get("id") or view.get("team_id") or "")
        meta = _metadata(str(view.get("private_metadata") or ""))
        brand_id = str(meta.get("brand_id") or "")
        if not brand_id.startswith(f"{team}:"):
            ack(response_action="errors", errors={"voice": "this brand is not this workspace's"})
            return
        values = view["state"]["values"]
        changes, errors = changes_from_state(values)
        logo = None
        try:
            logo = fetch_logo(services.chat, logo_files(values, ACTION))
        except BadInput as e:
            errors[LOGO] = str(e)
        if errors:
            ack(response_action="errors", errors={k: v[:150] for k, v in errors.items()})
            return
        name = str(meta.get("name") or brand_id.split(":", 1)[1])
        user = str((body.get("user") or {}).get("id") or "")
        if logo is not None:
            try:
                changes["logo"] = brands.store_logo(services.blobs, brand_id, logo)
            except TransientError as e:
                ack(response_action="errors", errors={LOGO: f"{e}; press Save again"[:150]})
                return
        brands.edit(
            services.documents,
            brand_id,
            team,
            {"name": name, **changes},
            by=user,
            request_id=str(view["id"]),
        )
        ack()


# --- parts ------------------------------------------------------------------------------------


def _option(value: str, text: str) -> dict[str, Any]:
    return {
        "text": {"type": "plain_text", "text": text[:OPTION_TEXT_MAX]},
        "value": value[:OPTION_VALUE_MAX],
    }


def _input(
    block_id: str, label: str, hint: str, initial: str | None, multiline: bool = False
) -> dict[str, Any]:
    """An optional text input of the brand form, built as the new campaign form builds its."""
    return text_input(
        block_id,
        label,
        hint,
        {block_id: initial or ""},
        multiline=multiline or block_id in ("avoid", "proof"),
        optional=True,
        max_length=INPUT_MAX,
    )


def _lines(kit: BrandKit | None, field: str) -> str | None:
    return "\n".join(getattr(kit, field)) if kit else None


def _items(text: str, *, commas: bool) -> list[str]:
    parts = re.split(r"[,\n]" if commas else r"\n", text)
    return brands.union((p.strip() for p in parts), (), 10_000)


def _list_problem(items: list[str], limit: int) -> str | None:
    if len(items) > limit:
        return f"at most {limit} entries ({len(items)} given)"
    long = next((i for i in items if len(i) > ENTRY_MAX), None)
    return f"each entry at most {ENTRY_MAX} characters: {long[:40]!r}…" if long else None


def _domain(text: str) -> tuple[str | None, str | None]:
    """A bare domain from ``glowdrop.com`` or ``https://glowdrop.com/serum``."""
    text = text.strip().lower()
    if not text:
        return None, None
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    if not _HOST.match(host):
        return None, f"{text[:60]!r} is not a web domain like glowdrop.com"
    return host, None


def _metadata(raw: str) -> dict[str, Any]:
    try:
        meta = json.loads(raw or "{}")
    except (ValueError, RecursionError):
        return {}
    return meta if isinstance(meta, dict) else {}
