"""The brand form's Logo: a ``file_input`` of one image, and the uploaded file fetched from Slack
and checked as the new campaign form's product images are (bot/product_images.py): by id through
files.info, with the bot token, from Slack's file host only; bytes, type and pixels checked by
shared/media/images.accept_image; all within the same budget inside Slack's 3-second answer, so
a file that is no usable logo is refused under its field.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from bot.product_images import FILETYPES, Wording, fetch
from shared.adapters.slack_web import SlackChat
from shared.errors import BadInput
from shared.media.images import ALLOWED, FORMATS, AcceptedImage
from shared.models.brand import BrandKit

LOGO = "logo"  # the form's block id
_TYPES = {mime for mime, _ in FORMATS.values()}


def logo_files(values: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    """The file objects the Logo file_input sent (``state.values[logo][action].files``, as
    slackapi/bolt-js src/types/view/index.ts ``ViewStateValue.files`` describes)."""
    files = ((values.get(LOGO) or {}).get(action_id) or {}).get("files")
    return [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []


LOGO_WORDING = Wording(
    1, "{n} files; a brand has one logo", "a logo is", "logo", "Save", product=False
)


def fetch_logo(chat: Any, files: list[dict[str, Any]]) -> AcceptedImage | None:
    """The uploaded logo downloaded and checked as the new campaign form's product images are
    (bot/product_images.py), less their minimum product size; None when none was uploaded;
    BadInput with the message to show under the Logo field."""
    if not files:
        return None
    if not isinstance(chat, SlackChat):
        raise BadInput("this bot cannot fetch Slack files (no Slack client)")
    return fetch(chat, files, LOGO_WORDING)[0]


def logo_input(kit: BrandKit | None, action_id: str) -> dict[str, Any]:
    now = PurePosixPath(kit.logo).name if kit and kit.logo else None
    hint = f"Now {now}; a new file replaces it" if now else f"{ALLOWED}; shown in the videos"
    return {
        "type": "input",
        "block_id": LOGO,
        "optional": True,
        "label": {"type": "plain_text", "text": "Logo"},
        "hint": {"type": "plain_text", "text": hint},
        # https://docs.slack.dev/reference/block-kit/block-elements/file-input-element
        "element": {
            "type": "file_input",
            "action_id": action_id,
            "filetypes": FILETYPES,
            "max_files": 1,
        },
    }
