"""The brand form's Logo: a ``file_input`` of one image, and the uploaded file fetched from Slack
and checked as the new campaign form's product images are (bot/product_images.py): by id through
files.info, with the bot token, from Slack's file host only; bytes, type and pixels checked by
shared/media/images.accept_image; all within the same budget inside Slack's 3-second answer, so
a file that is no usable logo is refused under its field.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Late
from pathlib import PurePosixPath
from typing import Any

from bot.product_images import BUDGET_S, FILETYPES
from shared.adapters.slack_web import SlackChat
from shared.errors import AdloopError, BadInput, TransientError
from shared.media.images import ALLOWED, FORMATS, MAX_IMAGE_BYTES, AcceptedImage, accept_image
from shared.models.brand import BrandKit

LOGO = "logo"  # the form's block id
_TYPES = {mime for mime, _ in FORMATS.values()}


def logo_files(values: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    """The file objects the Logo file_input sent (``state.values[logo][action].files``, as
    slackapi/bolt-js src/types/view/index.ts ``ViewStateValue.files`` describes)."""
    files = ((values.get(LOGO) or {}).get(action_id) or {}).get("files")
    return [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []


def fetch_logo(chat: Any, files: list[dict[str, Any]]) -> AcceptedImage | None:
    """The uploaded logo downloaded (by id, through files.info, with the bot token) and checked
    like a product image, within :data:`BUDGET_S`; None when none was uploaded; BadInput with the
    message to show under the Logo field."""
    if not files:
        return None
    if len(files) > 1:
        raise BadInput(f"{len(files)} files; a brand has one logo")
    name = str(files[0].get("name") or files[0].get("id") or "the file")[:120]
    mimetype, size = str(files[0].get("mimetype") or ""), files[0].get("size")
    if mimetype and mimetype not in _TYPES:  # what Slack says, checked before any download
        raise BadInput(f"{name} is {mimetype}; a logo is {ALLOWED}")
    if isinstance(size, int) and size > MAX_IMAGE_BYTES:
        raise BadInput(f"{name}: {size:,} bytes is over the {MAX_IMAGE_BYTES:,}-byte limit")
    if not isinstance(chat, SlackChat):
        raise BadInput("this bot cannot fetch Slack files (no Slack client)")
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(_download, chat, str(files[0].get("id") or "")).result(BUDGET_S)
    except Late:
        raise BadInput("Slack took too long to hand over the logo; press Save again") from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _download(chat: SlackChat, file_id: str) -> AcceptedImage:
    try:
        got = chat.download_file(file_id, max_bytes=MAX_IMAGE_BYTES, timeout_s=BUDGET_S)
    except TransientError as e:
        raise BadInput(f"{e}; press Save again") from e
    except AdloopError as e:
        raise BadInput(str(e)) from e
    return accept_image(got.data, got.name)


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
