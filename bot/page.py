"""``/adloop new https://…``: a campaign brief from a product page, in three steps.

1. The command is acknowledged at once ("reading the page…") and a ``read_page`` task queued
   (shared/intake/page_step.py): a page fetch and a model call do not fit Slack's 3 seconds.
2. That step shows the marketer alone what the page gave, with Start and Edit.
3. Start begins the campaign from the stored draft (the draft's id names the campaign, so a
   second click starts nothing new); Edit opens the ``/adloop new`` form filled with it.

Fields typed after the URL (``persona: …; market: …``, the one-line form's syntax) win over the
page's.
"""

from __future__ import annotations

import re
from typing import Any

from bot import commands
from bot.brief_text import ALIASES, RepeatedField, fields_from_text
from shared.chat_text import escape, from_slack
from shared.errors import AdloopError, BadInput, NotFound
from shared.intake.draft import PageDraft, brief_fields, brief_from_draft
from shared.intake.page_step import draft_id, draft_path, page_task
from shared.services import Services

# The URL first, bare or as Slack sends a link when the command escapes links: <https://…|label>
# (https://docs.slack.dev/messaging/formatting-message-text#linking-urls).
# After decoding (links unwrapped): a URL runs to the first space, or to a field separator
# followed by a key of the one-line form (``https://shop/p;persona: …``); a separator typed
# right after it separates, as in the one-line form.
_KEYS = "|".join(re.escape(k) for k in sorted(ALIASES, key=len, reverse=True))
_LEADING_URL = re.compile(
    rf"^(https?://\S+?)(?:[;|,]\s*(?=(?:{_KEYS})\s*:)|[;|,]*(?=\s|$))\s*(.*)$",
    re.DOTALL | re.IGNORECASE,
)


def page_request(text: str) -> tuple[str, str] | None:
    """``(url, the rest)`` when the text after ``new`` starts with a URL; None otherwise."""
    match = _LEADING_URL.match(from_slack(text).strip())
    if match is None:
        return None
    return match.group(1).rstrip(";|,"), match.group(2) or ""


def queue_page(services: Services, command: dict[str, Any], url: str, rest: str) -> str:
    """Queue the page's reading; the text the command is acknowledged with."""
    if not url.startswith("https://"):
        return f"Only https:// pages can be read; {escape(url)} is not one."
    try:
        given = fields_from_text(rest) if rest.strip() else {}
    except RepeatedField as e:
        return f"That needs fixing: {escape(str(e))}"
    draft = draft_id(str(command.get("trigger_id")))
    channel, user = str(command.get("channel_id") or ""), str(command.get("user_id") or "")
    team = str(command.get("team_id") or "")
    services.queue.enqueue(
        page_task(draft, url, channel=channel, user=user, given=given, workspace=team)
    )
    return (
        f"Reading {escape(url)}… I will show you (only you) what it gives for the brief, "
        "with Start and Edit."
    )


def start(services: Services, body: dict[str, Any]) -> str:
    """The Start click: the campaign from the stored draft; the reply to show the marketer."""
    try:
        draft, given, channel = _draft_of(services, body)
        team = _team_of(services, body)
        brief = brief_from_draft(draft, given)
    except AdloopError as e:
        return f":warning: {escape(str(e))}"
    # The brand kits are the workspace's that asked (the draft's team; the click's must match).
    campaign = commands.start_from_slack(
        services, brief, request_id=_value(body), channel=channel, workspace=team
    )
    return (
        f"Started campaign `{campaign.id}` for *{escape(brief.product)}* from {escape(draft.url)}; "
        "its progress shows in this channel."
    )


def edit_prefill(services: Services, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The Edit click: (channel, the form's prefill: the page's fields, then the typed ones)."""
    draft, given, channel = _draft_of(services, body)
    return channel, {**brief_fields(draft), **given}


def clicked_by(body: dict[str, Any]) -> tuple[str, str]:
    """(user, channel) of a click, each read only as Slack sends it ("" otherwise)."""
    user = _dict(body.get("user")).get("id")
    channel = _dict(body.get("container")).get("channel_id")
    return (user if isinstance(user, str) else ""), (channel if isinstance(channel, str) else "")


def _draft_of(services: Services, body: dict[str, Any]) -> tuple[PageDraft, dict[str, Any], str]:
    doc = services.documents.get(draft_path(_value(body)))
    if doc is None or "draft" not in doc:
        raise NotFound("that page's brief is gone or was never read; run /adloop new again")
    if clicked_by(body)[0] != doc.get("user"):
        raise BadInput("only the person who asked for this page's brief can start it")
    given = doc.get("given") if isinstance(doc.get("given"), dict) else {}
    return PageDraft.model_validate(doc["draft"]), given, str(doc.get("channel") or "")


def _team_of(services: Services, body: dict[str, Any]) -> str:
    """The workspace the draft was asked in; a click from another workspace is refused."""
    doc = services.documents.get(draft_path(_value(body))) or {}
    asked = str(doc.get("workspace") or "")
    clicked = _dict(body.get("team")).get("id") or _dict(body.get("user")).get("team_id")
    if asked and clicked and clicked != asked:
        raise BadInput("this page's brief was asked for in another workspace")
    return asked


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions")
    action = _dict(actions[0] if isinstance(actions, list) and actions else None)
    return str(action.get("value") or "")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
