"""The embedded runtime: the whole system as one local process.

One HTTP server hosts every route; the local queue's workers deliver tasks to it over
loopback, exactly as Cloud Tasks delivers to Cloud Functions; a sweeper re-sends outbox
entries left by a crash. ``adloop serve`` runs it until stopped; ``adloop campaign new`` without a
server runs it until the campaign is done.
"""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from infra.app import MAX_BODY_BYTES, create_app
from infra.http_server import HttpServer, ServeLimits
from shared.adapters.local_queue import LocalDispatcher, SqliteTaskQueue
from shared.bootstrap import bootstrap, local_task_token
from shared.log import get_logger
from shared.loop.pull import pull_configured, pull_due, pull_performance
from shared.pipeline import store
from shared.pipeline.runner import StepRunner
from shared.pipeline.store import sweep_outbox
from shared.pipeline.watchdog import find_stalled
from shared.services import Services
from shared.settings import Settings
from shared.steps import FLOW, STEPS
from shared.task_endpoint import SharedTokenAuth
from shared.web.routes import not_configured, warn_disabled_routes

log = get_logger(__name__)


class LocalRuntime:
    def __init__(
        self,
        settings: Settings,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        runner: type[StepRunner] = StepRunner,
        dispatcher: type[LocalDispatcher] = LocalDispatcher,
    ) -> None:
        self.settings = settings
        self.services: Services = bootstrap(settings)
        self.runner = runner(self.services, STEPS, FLOW)
        self._token = local_task_token(settings)
        self.app = create_app(
            self.runner, SharedTokenAuth(self._token), extra_routes=self._routes()
        )
        self._socket_mode: Any = None
        self._host, self._port = host, port
        self._server: HttpServer | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._warm = threading.Event()
        queue = self.services.queue
        assert isinstance(queue, SqliteTaskQueue), "the local runtime runs the local queue"
        self.queue = queue
        self.dispatcher = dispatcher(
            queue, lambda: self.url, token=self._token, concurrency=settings.queue_concurrency
        )

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the runtime is not started")
        return f"http://{self._host}:{self._server.port}"

    def _routes(self) -> dict[tuple[str, str], Any]:
        from shared.web.webhooks import webhook_routes

        routes: dict[tuple[str, str], Any] = dict(webhook_routes(self.services, self.settings))
        if not_configured(self.settings, "POST", "/slack/events") is None:
            from bot.http import slack_route

            routes[("POST", "/slack/events")] = slack_route(self.services, self.settings)
        return routes

    def start(self, *, announce: bool = False, pull: bool = False) -> LocalRuntime:
        """Serve; ``announce`` (``adloop serve``) also says where, and which public routes answer
        503 for want of a secret (`adloop demo` and the CLI serve only themselves); ``pull``
        (``adloop serve``) pulls performance from the configured platforms every
        ``ADLOOP_PULL_EVERY_H`` hours, as the scheduler does in production."""
        if announce:
            warn_disabled_routes(self.settings)
        limits = ServeLimits.from_settings(self.settings, MAX_BODY_BYTES)
        self._server = HttpServer(self.app, self._host, self._port, limits)
        self._spawn(self._server.serve_forever, "adloop-http")
        self.dispatcher.start()
        self._spawn(self._sweep, "adloop-sweeper")
        self._spawn(self._warm_up, "adloop-warm-up")
        if pull and pull_configured(self.settings):
            self._spawn(self._pull, "adloop-performance-pull")
        if self.settings.slack_app_token and self.settings.slack_bot_token:
            # Local development without a public URL: Slack connects out over a websocket.
            from bot.socket_mode import start_socket_mode

            self._socket_mode = start_socket_mode(self.services, self.settings)
        if announce:
            _write_server_file(self.settings.home_dir, self.url)
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._socket_mode is not None:
            self._socket_mode.close()
        self.dispatcher.stop()
        if self._server is not None:
            self._server.shutdown()
        for t in self._threads:
            t.join(timeout=5)
        self.services.close()
        _server_file(self.settings.home_dir).unlink(missing_ok=True)

    def __enter__(self) -> LocalRuntime:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Any, name: str) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    def wait_idle(self, timeout_s: float = 600.0) -> bool:
        """Until the queue holds nothing due or in flight (what a command sent is done)."""
        deadline = time.monotonic() + timeout_s
        while self.queue.pending() or self.dispatcher.busy:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def wait_warm(self, timeout_s: float = 60.0) -> bool:
        return self._warm.wait(timeout_s)

    def _warm_up(self) -> None:
        """Load what the first task would otherwise wait for: the language detector's models
        (about a second) and each configured model provider's client."""
        try:
            from shared.creative import language

            language.detect("warm up the detector")  # the full models
            language.detect("warm up the detector", expected="en")  # and the quick ones
            for step in STEPS:
                warm = getattr(self.services.textgen(step), "warm", None)
                if warm is not None:
                    warm()
        except Exception:
            log.exception("warm-up failed; the first task will load what it needs")
        finally:
            self._warm.set()

    def _pull(self) -> None:
        every = timedelta(hours=self.settings.pull_every_h)
        while not self._stop.is_set():
            try:
                if pull_due(self.services, every):
                    log.info(
                        "performance pull", extra=pull_performance(self.services, self.settings)
                    )
            except Exception:
                log.exception("performance pull failed; will try again")
            self._stop.wait(min(600.0, every.total_seconds()))

    def _sweep(self) -> None:
        while not self._stop.wait(self.settings.sweep_interval_s):
            try:
                sweep_outbox(self.services, older_than_s=self.settings.sweep_after_s)
                find_stalled(self.services, stalled_after_s=self.settings.stalled_after_s)
            except Exception:
                log.exception("outbox sweep failed; will try again")


def wait_for_campaign(
    services: Services, campaign_id: str, *, timeout_s: float = 600.0, on_progress: Any = None
) -> dict[str, Any]:
    """Poll until the campaign completes or fails; return its document."""
    deadline = time.monotonic() + timeout_s
    last = None
    while True:
        doc = services.documents.get(store.campaign_path(campaign_id)) or {}
        if on_progress and doc.get("steps") != last:
            on_progress(doc)
            last = doc.get("steps")
        if doc.get("status") in ("complete", "failed"):
            return doc
        if time.monotonic() > deadline:
            raise TimeoutError(f"campaign {campaign_id} not finished after {timeout_s:.0f} s")
        time.sleep(0.1)


def running_server(home: Path) -> str | None:
    """The URL of an ``adloop serve`` using this ADLOOP_HOME, if one answers."""
    path = _server_file(home)
    if not path.exists():
        return None
    try:
        url = str(json.loads(path.read_text())["url"])
        # Our own server on loopback: never through a proxy from the environment.
        httpx.get(f"{url}/healthz", timeout=1.0, trust_env=False).raise_for_status()
        return url
    except (OSError, ValueError, KeyError, httpx.HTTPError):
        return None


def _server_file(home: Path) -> Path:
    return home / "server.json"


def _write_server_file(home: Path, url: str) -> None:
    """Written whole or not at all: a reader (a test, or a CLI looking for the running server)
    that finds the file half-written would take the server for absent."""
    home.mkdir(parents=True, exist_ok=True)
    staged = home / f".server.json.{os.getpid()}"
    staged.write_text(json.dumps({"url": url, "pid": os.getpid()}))
    os.replace(staged, _server_file(home))
