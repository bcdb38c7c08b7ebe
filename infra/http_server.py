"""``adloop serve``'s HTTP server: waitress, with limits a stalled or slow client cannot wear
down (docs/reliability.md, "Limits").

waitress reads every connection on one event loop and gives a request to a worker thread only
once its headers and body have all arrived, so a client that stops mid-request holds a
connection, never a thread. On top of waitress's own limits (open connections, idle time,
header and body size; https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html)
a request must arrive whole within a deadline from its first byte, so a client trickling one
byte at a time is cut off as surely as one that stops.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from shared.settings import Settings

# A request line and headers larger than this are refused with 431 (Slack's and the platforms'
# requests carry a few hundred bytes of headers).
MAX_HEADER_BYTES = 64 * 1024
# What a chunked body's framing may add to it on the wire before waitress stops reading.
CHUNK_FRAMING_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ServeLimits:
    body_bytes: int
    threads: int
    connections: int
    idle_timeout_s: int
    request_timeout_s: int
    header_bytes: int = MAX_HEADER_BYTES

    @classmethod
    def from_settings(cls, settings: Settings, body_bytes: int) -> ServeLimits:
        return cls(
            body_bytes=body_bytes,
            # Each local queue delivery holds a thread while its step runs; the rest serve
            # Slack, webhooks and /healthz however long the steps take.
            threads=settings.queue_concurrency + settings.serve_threads,
            connections=settings.serve_connection_limit,
            idle_timeout_s=settings.serve_idle_timeout_s,
            request_timeout_s=settings.serve_request_timeout_s,
        )


class HttpServer:
    """One listening socket served by waitress until :meth:`shutdown`."""

    def __init__(self, app: Any, host: str, port: int, limits: ServeLimits) -> None:
        adj = Adjustments(
            host=host,
            port=port,
            threads=limits.threads,
            connection_limit=limits.connections,
            channel_timeout=limits.idle_timeout_s,
            # How often idle and overdue connections are looked for (whole seconds in waitress).
            cleanup_interval=max(1, min(limits.idle_timeout_s, limits.request_timeout_s) // 4),
            max_request_header_size=limits.header_bytes,
            # waitress counts a chunked body on the wire, framing included: it gets room for the
            # framing, and the app refuses a body whose payload is over the limit (BodyLimit).
            max_request_body_size=limits.body_bytes + CHUNK_FRAMING_BYTES,
            asyncore_use_poll=True,  # select() cannot watch descriptors past 1024
            ident="adloop",
        )
        self._map: dict[int, Any] = {}
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(limits.threads)
        self._server = _Server(
            app, map=self._map, dispatcher=dispatcher, adj=adj, sockinfo=adj.listen[0]
        )
        self._server.request_timeout_s = limits.request_timeout_s
        self._stopping = threading.Event()
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def connections(self) -> int:
        """Client connections open now."""
        return len(self._server.active_channels)

    def serve_forever(self) -> None:
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=1.0, map=self._map, use_poll=True, count=1)
        finally:
            self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
            wasyncore.close_all(self._map)
            self._stopped.set()

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Stop accepting and close every connection; requests still running finish on their
        own (daemon threads)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._server.trigger.pull_trigger()  # wake the loop now rather than within a second
        self._stopped.wait(timeout_s)


class _TimedParser(HTTPRequestParser):  # type: ignore[misc]
    """waitress's request parser, remembering when the request's first byte arrived."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.started = time.time()


class _Channel(HTTPChannel):  # type: ignore[misc]
    parser_class = _TimedParser


class _Server(TcpWSGIServer):  # type: ignore[misc]
    channel_class = _Channel
    request_timeout_s: float = 60.0

    def maintenance(self, now: float) -> None:
        """waitress closes connections idle past ``channel_timeout``; also close those whose
        request has been arriving for longer than ``request_timeout_s`` (a trickle keeps a
        connection from ever being idle). A request already being answered is left alone."""
        super().maintenance(now)
        cutoff = now - self.request_timeout_s
        for channel in list(self.active_channels.values()):
            request = channel.request
            if request is not None and not channel.requests and request.started < cutoff:
                channel.will_close = True
