"""A campaign's product images: stored once, as blobs under the campaign, and read from there.

Files from a brief's folder arrive already read and checked (the CLI uploads them when it starts
the campaign); https URLs in the brief are fetched at intake, on the server, through
:mod:`shared.net.safe_fetch`. Either way every image passes :func:`shared.media.images.
accept_image` and lands at ``campaigns/{id}/inputs/product-N.ext``; no later step reads a path or
a URL a user gave.
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from shared.errors import BadInput, TransientError
from shared.media.images import FORMATS, MAX_IMAGE_BYTES, AcceptedImage
from shared.media.product import accept_product_image
from shared.ports.blobs import Blobs
from shared.services import Services

# One image download's time limit, redirects included.
FETCH_TIMEOUT_S = 30.0
# A storage blip while the CLI uploads must not lose the command: no queue retries it for us.
PUT_ATTEMPTS = 3


def inputs_prefix(campaign_id: str) -> str:
    return f"campaigns/{campaign_id}/inputs/"


def is_input_blob(campaign_id: str, path: str) -> bool:
    """Whether ``path`` is one of this campaign's own input blobs (nothing else is read)."""
    prefix = inputs_prefix(campaign_id)
    return path.startswith(prefix) and posixpath.normpath(path).startswith(prefix)


def store_images(
    blobs: Blobs, campaign_id: str, images: Sequence[AcceptedImage], *, first: int = 1
) -> list[str]:
    """Write checked images as the campaign's ``product-N`` blobs, N from ``first``; their paths."""
    paths = []
    for n, image in enumerate(images, first):
        path = f"{inputs_prefix(campaign_id)}product-{n}{image.info.suffix}"
        _put(blobs, path, image)
        paths.append(path)
    return paths


def _put(blobs: Blobs, path: str, image: AcceptedImage) -> None:
    for attempt in range(1, PUT_ATTEMPTS + 1):
        try:
            blobs.put(path, image.data, content_type=image.info.content_type)
            return
        except TransientError:
            if attempt == PUT_ATTEMPTS:
                raise
            time.sleep(0.2 * 2**attempt)


def fetch_images(
    services: Services, campaign_id: str, urls: Sequence[str], first: int
) -> list[str]:
    """Fetch, check and store the brief's image URLs after the ``first - 1`` uploaded ones.

    A URL already stored by an earlier delivery of intake is not fetched again. Any failure
    (a private address, a 404, too big, not an image) is BadInput naming the URL's place in the
    brief: the campaign fails with it rather than rendering without the image.
    """
    paths = []
    for i, url in enumerate(urls):
        n = first + i
        stored = _stored(services.blobs, campaign_id, n)
        if stored is None:
            field = f"brief.product_images: {_short(url)}"
            try:
                body = services.fetch(url, max_bytes=MAX_IMAGE_BYTES, timeout_s=FETCH_TIMEOUT_S)
                image = accept_product_image(body, field)
            except BadInput as e:
                raise BadInput(f"product image {n} could not be used: {e}") from e
            stored = store_images(services.blobs, campaign_id, [image], first=n)[0]
        paths.append(stored)
    return paths


def _stored(blobs: Blobs, campaign_id: str, n: int) -> str | None:
    # One exists() per format rather than a listing (a folder lists by walking every blob).
    paths = (f"{inputs_prefix(campaign_id)}product-{n}{suffix}" for _, suffix in FORMATS.values())
    return next((p for p in paths if blobs.exists(p)), None)


def _short(url: str) -> str:
    """The URL without credentials or query (which may hold tokens), for messages."""
    try:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.hostname or ''}{parts.path}"[:200]
    except ValueError:
        return repr(url[:200])
