"""An ad account's media library, where a video must be before an ad can name it.

Meta's Ads Manager import names each video ad's video by ``Video ID``: the id the ad account gave
the file when it was uploaded (``POST /act_{id}/advideos``). The adapter
(``shared/adapters/meta_marketing.py``) retries throttling itself and raises the domain's errors.
"""

from __future__ import annotations

from typing import Protocol


class MetaAdVideos(Protocol):
    def upload_video(self, account_id: str, name: str, data: bytes) -> str:
        """Upload ``data`` (a video file called ``name``) to ad account ``account_id``'s media
        library; the id Meta gave it. Each call uploads: remembering ids is the caller's."""
        ...
