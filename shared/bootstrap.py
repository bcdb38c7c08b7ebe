"""The composition root: settings -> the adapters each port uses. Nothing else builds clients."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from shared.errors import PermanentError
from shared.ports.ad_reports import MetaInsights, TikTokReports
from shared.ports.ad_videos import MetaAdVideos
from shared.ports.chat import Chat
from shared.ports.textgen import TextGenerator
from shared.services import META_UNSET, META_VIDEOS_UNSET, TIKTOK_UNSET, Services
from shared.settings import Settings


def bootstrap(settings: Settings) -> Services:
    if settings.backend == "gcp":
        return _gcp(settings)
    return _embedded(settings)


def _embedded(settings: Settings) -> Services:
    from shared.adapters.local_folder import FolderBlobs
    from shared.adapters.local_queue import RetryPolicy, SqliteTaskQueue
    from shared.adapters.sqlite import SqliteDocuments
    from shared.adapters.subprocess_jobs import SubprocessJobRunner

    home = settings.home_dir
    closers: list[Callable[[], None]] = []
    return Services(
        settings=settings,
        documents=SqliteDocuments(home / "state.db"),
        blobs=FolderBlobs(home / "blobs"),
        queue=SqliteTaskQueue(
            home / "queue.db",
            RetryPolicy(
                min_backoff_s=settings.queue_min_backoff_s,
                max_backoff_s=settings.queue_max_backoff_s,
                max_attempts=settings.queue_max_attempts,
                lease_s=settings.queue_lease_s,
            ),
        ),
        jobs=SubprocessJobRunner(home / "jobs"),
        textgen=textgen_factory(settings, closers),
        chat=slack_chat(settings),
        meta_insights=meta_insights_factory(settings, closers),
        tiktok_reports=tiktok_reports_factory(settings, closers),
        closers=closers,
        meta_videos=meta_videos_factory(settings, closers),
    )


def _gcp(settings: Settings) -> Services:
    from shared.adapters.cloud_run_jobs import CloudRunJobRunner
    from shared.adapters.cloud_tasks import CloudTasksQueue
    from shared.adapters.firestore import FirestoreDocuments
    from shared.adapters.gcs import GcsBlobs

    closers: list[Callable[[], None]] = []
    if not settings.gcp_project or not settings.bucket or not settings.tasks_base_url:
        raise ValueError(
            "ADLOOP_BACKEND=gcp needs ADLOOP_GCP_PROJECT, ADLOOP_BUCKET and ADLOOP_TASKS_BASE_URL"
        )
    return Services(
        settings=settings,
        documents=FirestoreDocuments(project=settings.gcp_project),
        blobs=GcsBlobs(settings.bucket, project=settings.gcp_project),
        queue=CloudTasksQueue(
            project=settings.gcp_project,
            location=settings.gcp_region,
            base_url=settings.tasks_base_url,
            service_account=settings.tasks_service_account,
            per_function=True,  # terraform deploys one Cloud Function per step
            emulator_host=settings.tasks_emulator_host,
        ),
        jobs=CloudRunJobRunner(
            project=settings.gcp_project,
            region=settings.gcp_region,
            api_endpoint=settings.run_api_endpoint,
        ),
        textgen=textgen_factory(settings, closers),
        chat=slack_chat(settings),
        meta_insights=meta_insights_factory(settings, closers),
        tiktok_reports=tiktok_reports_factory(settings, closers),
        closers=closers,
        meta_videos=meta_videos_factory(settings, closers),
    )


def textgen_factory(
    settings: Settings, closers: list[Callable[[], None]] | None = None
) -> Callable[[str], TextGenerator]:
    """The generator for a step, per ``ADLOOP_LLM`` and ``ADLOOP_LLM_STEPS__<STEP>``; each
    provider's client is built once, on first use, and its ``close`` added to ``closers``."""

    @cache
    def build(provider: str) -> TextGenerator:
        generator = _build(provider)
        close = getattr(generator, "close", None)
        if close is not None and closers is not None:
            closers.append(close)
        return generator

    def _build(provider: str) -> TextGenerator:
        if provider == "anthropic":
            from shared.adapters.anthropic_claude import ClaudeGenerator

            key = settings.anthropic_api_key
            return ClaudeGenerator(
                api_key=key.get_secret_value() if key else None,
                base_url=settings.anthropic_base_url,
                model=settings.anthropic_model,
                timeout_s=settings.llm_timeout_s,
            )
        if provider == "vertex":
            from shared.adapters.vertex_gemini import GeminiGenerator

            if not settings.gcp_project:
                raise ValueError(
                    "ADLOOP_LLM=vertex needs ADLOOP_GCP_PROJECT (or GOOGLE_CLOUD_PROJECT)"
                )
            credentials = None
            if settings.vertex_api_endpoint:
                # A local endpoint (an emulator or a test server) takes a static token.
                from google.oauth2.credentials import Credentials

                credentials = Credentials(token="local")  # type: ignore[no-untyped-call]
            return GeminiGenerator(
                credentials=credentials,
                project=settings.gcp_project,
                location=settings.vertex_location,
                model=settings.gemini_model,
                api_endpoint=settings.vertex_api_endpoint,
                timeout_s=settings.llm_timeout_s,
            )
        from shared.creative.offline import OfflineGenerator

        return OfflineGenerator()

    return lambda step: build(settings.provider_for(step))


def slack_chat(settings: Settings) -> Chat | None:
    """Slack with ``SLACK_BOT_TOKEN`` (on ``SLACK_API_URL`` when set), else None. One per
    runtime: its per-channel throttle spaces every post the process makes, and the bot's Bolt
    app sends through the same Web API client (``bot.app.build_app``)."""
    if settings.slack_bot_token is None:
        return None
    from shared.adapters.slack_web import SlackChat, web_client

    return SlackChat(
        web_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    )


def meta_insights_factory(
    settings: Settings, closers: list[Callable[[], None]]
) -> Callable[[], MetaInsights]:
    """The Marketing API client from ``META_ACCESS_TOKEN`` and ``ADLOOP_META_GRAPH_URL``, built
    on first use (a deployment without Meta never builds it) and closed with the runtime;
    PermanentError while the token is not set."""
    lock = threading.Lock()
    built: list[MetaInsights] = []

    def get() -> MetaInsights:
        with lock:
            if not built:
                token = settings.meta_access_token
                if token is None:
                    raise PermanentError(META_UNSET)
                from shared.adapters.meta_marketing import DEFAULT_BASE_URL, MetaInsightsClient

                client = MetaInsightsClient(
                    token.get_secret_value(), base_url=settings.meta_graph_url or DEFAULT_BASE_URL
                )
                closers.append(client.close)
                built.append(client)
            return built[0]

    return get


def meta_videos_factory(
    settings: Settings, closers: list[Callable[[], None]]
) -> Callable[[], MetaAdVideos]:
    """The Marketing API client that uploads ad videos (to graph-video.facebook.com, or
    ``ADLOOP_META_GRAPH_URL`` when set), built on first use, by an export that has videos to
    upload, and closed with the runtime; PermanentError while ``META_ACCESS_TOKEN`` is not set."""
    lock = threading.Lock()
    built: list[MetaAdVideos] = []

    def get() -> MetaAdVideos:
        with lock:
            if not built:
                token = settings.meta_access_token
                if token is None:
                    raise PermanentError(META_VIDEOS_UNSET)
                from shared.adapters.meta_marketing import (
                    DEFAULT_BASE_URL,
                    DEFAULT_VIDEO_BASE_URL,
                    MetaInsightsClient,
                )

                local = settings.meta_graph_url  # one local server stands in for both hosts
                client = MetaInsightsClient(
                    token.get_secret_value(),
                    base_url=local or DEFAULT_BASE_URL,
                    video_base_url=local or DEFAULT_VIDEO_BASE_URL,
                    timeout_s=300.0,  # a whole video file in one request
                )
                closers.append(client.close)
                built.append(client)
            return built[0]

    return get


def tiktok_reports_factory(
    settings: Settings, closers: list[Callable[[], None]]
) -> Callable[[], TikTokReports]:
    """The Reporting API client from ``TIKTOK_ACCESS_TOKEN`` and ``ADLOOP_TIKTOK_API_URL``,
    built on first use and closed with the runtime; PermanentError while the token is not set."""
    lock = threading.Lock()
    built: list[TikTokReports] = []

    def get() -> TikTokReports:
        with lock:
            if not built:
                token = settings.tiktok_access_token
                if token is None:
                    raise PermanentError(TIKTOK_UNSET)
                from shared.adapters.tiktok_business import DEFAULT_BASE_URL, TikTokReportsClient

                client = TikTokReportsClient(
                    token.get_secret_value(), base_url=settings.tiktok_api_url or DEFAULT_BASE_URL
                )
                closers.append(client.close)
                built.append(client)
            return built[0]

    return get


def local_task_token(settings: Settings) -> str:
    """The shared token local task calls carry: from settings, or made once and kept in
    ``ADLOOP_HOME/task-token`` (mode 0600). Never empty: settings read a blank
    ``ADLOOP_TASK_TOKEN`` as unset, and a blank token file is replaced with a new token."""
    if settings.task_token is not None:
        return settings.task_token.get_secret_value()
    path: Path = settings.home_dir / "task-token"
    if path.exists():
        token = path.read_text().strip()
        if token:
            return token
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    path.touch(mode=0o600)
    path.write_text(token)
    return token
