"""The dependencies a step gets: ports, settings and a clock. Built by ``bootstrap``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from shared.errors import PermanentError
from shared.net import safe_fetch
from shared.ports.ad_reports import MetaInsights, TikTokReports
from shared.ports.ad_videos import MetaAdVideos
from shared.ports.blobs import Blobs
from shared.ports.chat import Chat
from shared.ports.documents import Documents
from shared.ports.jobs import JobRunner
from shared.ports.queue import TaskQueue
from shared.ports.textgen import TextGenerator
from shared.settings import Settings


def utcnow() -> datetime:
    return datetime.now(UTC)


META_UNSET = "META_ACCESS_TOKEN is not set; adloop cannot read Meta reports"


def no_meta_insights() -> MetaInsights:
    raise PermanentError(META_UNSET)


TIKTOK_UNSET = "TIKTOK_ACCESS_TOKEN is not set; adloop cannot read TikTok reports"


def no_tiktok_reports() -> TikTokReports:
    raise PermanentError(TIKTOK_UNSET)


META_VIDEOS_UNSET = (
    "META_ACCESS_TOKEN is not set; adloop cannot upload videos to the Meta ad account"
)


def no_meta_videos() -> MetaAdVideos:
    raise PermanentError(META_VIDEOS_UNSET)


@dataclass
class Services:
    settings: Settings
    documents: Documents
    blobs: Blobs
    queue: TaskQueue
    jobs: JobRunner
    # The text generator a step uses (the provider is configurable per step).
    textgen: Callable[[str], TextGenerator]
    # Where people review campaigns (Slack); None when no chat is configured.
    chat: Chat | None = None
    # The Marketing API's insights, built on first use; PermanentError while META_ACCESS_TOKEN
    # is not set.
    meta_insights: Callable[[], MetaInsights] = field(default=no_meta_insights)
    clock: Callable[[], datetime] = field(default=utcnow)
    # TikTok's Reporting API, built on first use; PermanentError while TIKTOK_ACCESS_TOKEN is
    # not set.
    tiktok_reports: Callable[[], TikTokReports] = field(default=no_tiktok_reports)
    # How a step fetches a URL a user gave (a product image): public addresses only. Tests swap
    # in one whose resolver and transport reach a loopback server.
    fetch: safe_fetch.Fetcher = field(default=safe_fetch.fetch)
    # Release what the adapters opened (HTTP clients), when a runtime stops.
    closers: list[Callable[[], None]] = field(default_factory=list)
    # The Meta ad account's media library (the Marketing API), built on first use;
    # PermanentError while META_ACCESS_TOKEN is not set.
    meta_videos: Callable[[], MetaAdVideos] = field(default=no_meta_videos)

    def close(self) -> None:
        for close in self.closers:
            close()
        self.closers.clear()
