"""Meta exports name each video ad's video by the id the ad account gave it (``Video ID``).

When the Marketing API is configured (``META_ACCESS_TOKEN`` and ``ADLOOP_META_AD_ACCOUNT_ID``)
the export uploads every video its sheet names to the ad account's media library and fills
``Video ID`` (:func:`shared.platforms.meta_import.with_video_ids`); without it the sheet keeps
``Video ID`` empty and its notes say how a person fills it.

Upload once: the id is remembered per ad account and file content, at
``meta_videos/{account}-{sha256 of the file}``, so a second export, a re-export after a
regenerated creative that kept its video, or a redelivered Export click uploads nothing again.
The id is recorded as soon as Meta gives it, before the next file is sent: a failure half-way
keeps the ids already given, and the retry uploads only the rest. The one window left is a
crash between Meta's answer and that record, which uploads that file once more (a second copy
in the library, which nothing names).

The upload runs here, in the export's I/O, rather than in the platform module: building the
sheet stays pure (``shared/platforms/meta_import.py``), and the client is a port
(``shared/ports/ad_videos.py``) the composition root builds, like the insights client.
"""

from __future__ import annotations

import hashlib

from shared.errors import PermanentError
from shared.platforms.meta_import import with_video_ids
from shared.platforms.sheets import Sheet
from shared.services import Services

COLLECTION = "meta_videos"


def with_uploaded_videos(services: Services, sheet: Sheet) -> Sheet:
    """``sheet`` with ``Video ID`` filled from the ad account, uploading what it lacks; as it is
    when the Marketing API is not configured. PermanentError names the file Meta refused."""
    settings = services.settings
    account = (settings.meta_ad_account_id or "").strip()
    if not account or settings.meta_access_token is None or not sheet.videos:
        return sheet
    account = account if account.startswith("act_") else f"act_{account}"
    ids = {
        name: _video_id(services, account, name, blob)
        for name, blob in sorted(sheet.videos.items())
    }
    return with_video_ids(sheet, ids, account)


def video_doc(account: str, data: bytes) -> str:
    """Where the id of the video ``data`` in ad account ``account`` is remembered."""
    return f"{COLLECTION}/{account}-{hashlib.sha256(data).hexdigest()}"


def _video_id(services: Services, account: str, name: str, blob: str) -> str:
    data = services.blobs.get(blob)
    path = video_doc(account, data)
    known = services.documents.get(path)
    if known and known.get("id"):
        return str(known["id"])
    try:
        video_id = services.meta_videos().upload_video(account, name, data)
    except PermanentError as e:
        raise PermanentError(
            f"Meta did not take the video {name} into ad account {account}, so nothing was "
            f"exported: {e}"
        ) from e
    services.documents.set(
        path,
        {
            "id": video_id,
            "account": account,
            "file": name,
            "bytes": len(data),
            "uploaded_at": services.clock().isoformat(),
        },
    )
    return video_id
