"""Product images uploaded in the ``/adloop new`` form: the ``file_input`` element, and the
files it sends downloaded from Slack, checked and kept as the campaign's input blobs.

Where the download happens: in the view submission itself, before Slack's 3-second answer, so
that a file that is not a usable image is refused under its own field (``response_action:
errors``), the way the CLI refuses one. It fits: Slack's file_input takes at most 10 MB a file,
the form takes at most :data:`MAX_FILES` (the videos show no more), the files are fetched at
once, and checking one (bytes, type, pixels, one decode) took 0.07-0.3 s here for 2-10 MB
images on this machine. Whatever is not done within :data:`BUDGET_S` is
refused as "press Next again" rather than left to miss Slack's deadline.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from typing import Any

from shared.adapters.slack_web import SlackChat
from shared.errors import AdloopError, BadInput, TransientError
from shared.media.images import ALLOWED, FORMATS, MAX_IMAGE_BYTES, AcceptedImage, accept_image
from shared.media.product import accept_product_image
from shared.models.render import SCENES

BLOCK = "product_images"
# The videos put at most SCENES product images in (shared/models/render.py).
MAX_FILES = SCENES
# https://docs.slack.dev/reference/block-kit/block-elements/file-input-element: ``filetypes``
# (extensions; "for convenience only": the content is checked here), ``max_files`` 1 to 10.
FILETYPES = ["png", "jpg", "jpeg", "webp"]
# Seconds the downloads and checks may take inside the 3 s Slack gives a view submission.
BUDGET_S = 2.0
_TYPES = {mime for mime, _ in FORMATS.values()}


@dataclass(frozen=True)
class Wording:
    """How a form's image input is named in what the marketer is told under it."""

    most: int  # files it takes
    many: str  # "{n} images; at most …": what too many files are told, with {n}
    are: str  # "product images are": before the accepted types
    noun: str  # "images": what Slack was slow to hand over
    button: str  # the button to press again
    # a product must be big enough to be a video's hero; a logo is any image (a 120x40 mark)
    product: bool = True


PRODUCT_IMAGES = Wording(
    MAX_FILES,
    "{n} images; at most " + str(MAX_FILES) + " (the videos show no more)",
    "product images are",
    "images",
    "Next",
)


def element(action_id: str) -> dict[str, Any]:
    return {
        "type": "file_input",
        "action_id": action_id,
        "filetypes": FILETYPES,
        "max_files": MAX_FILES,
    }


def files_of(values: Any, action_id: str) -> list[dict[str, Any]]:
    """The file objects a file_input sent (``state.values[block][action].files``, as
    slackapi/bolt-js src/types/view/index.ts ``ViewStateValue.files`` describes)."""
    block = values.get(BLOCK) if isinstance(values, dict) else None
    state = block.get(action_id) if isinstance(block, dict) else None
    files = state.get("files") if isinstance(state, dict) else None
    return [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []


def fetch(
    chat: SlackChat, files: list[dict[str, Any]], wording: Wording = PRODUCT_IMAGES
) -> list[AcceptedImage]:
    """Each uploaded file downloaded (by id, through files.info) and checked like an image
    beside a brief file; BadInput with the message to show under the input's field."""
    if len(files) > wording.most:
        raise BadInput(wording.many.format(n=len(files)))
    for f in files:
        _declared(f, wording)
    pool = ThreadPoolExecutor(max_workers=max(1, len(files)))
    try:
        jobs = [pool.submit(_one, chat, str(f.get("id") or ""), wording) for f in files]
        _, late = wait_for(jobs, timeout=BUDGET_S)
        if late:
            raise BadInput(
                f"Slack took too long to hand over the {wording.noun}; press {wording.button} again"
            )
        return [job.result() for job in jobs]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _declared(file: dict[str, Any], wording: Wording) -> None:
    """What Slack says of the file, checked before it is fetched (the bytes are checked after)."""
    name = str(file.get("name") or file.get("id") or "a file")[:120]
    mimetype, size = str(file.get("mimetype") or ""), file.get("size")
    if mimetype and mimetype not in _TYPES:
        raise BadInput(f"{name} is {mimetype}; {wording.are} {ALLOWED}")
    if isinstance(size, int) and size > MAX_IMAGE_BYTES:
        raise BadInput(f"{name}: {size:,} bytes is over the {MAX_IMAGE_BYTES:,}-byte limit")


def _one(chat: SlackChat, file_id: str, wording: Wording) -> AcceptedImage:
    try:
        got = chat.download_file(file_id, max_bytes=MAX_IMAGE_BYTES, timeout_s=BUDGET_S)
    except TransientError as e:
        raise BadInput(f"{e}; press {wording.button} again") from e
    except AdloopError as e:
        raise BadInput(str(e)) from e
    accept = accept_product_image if wording.product else accept_image
    return accept(got.data, got.name)
