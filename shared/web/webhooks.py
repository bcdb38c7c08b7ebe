"""The ad platforms' webhook routes as Flask views; mount them with
``create_app(runner, auth, extra_routes=webhook_routes(services, settings))``.

Each view only translates: check the signature (401/403, nothing stored), read the body (400
when malformed), hand the work to ``shared.loop`` and map its errors to statuses. Report rows are
ingested at once (cheap upserts, idempotent); pulling a Meta report and learning from new
figures go to the ``feedback`` queue.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request
from pydantic import SecretStr
from werkzeug.exceptions import HTTPException

from shared.errors import NotConfigured, PermanentError, TransientError
from shared.log import get_logger
from shared.loop.ingest import (
    delivery_key,
    ingest_report,
    learn_delay,
    learn_tasks,
    window_key,
)
from shared.loop.steps import poll_task, report_path
from shared.platforms import meta, tiktok
from shared.platforms.platform import Handshake, Webhook
from shared.platforms.registry import webhooks
from shared.platforms.webhook import parse_rows
from shared.services import Services
from shared.settings import Settings
from shared.web.routes import not_configured

log = get_logger(__name__)
View = Callable[[], Any]
Answer = tuple[Response, int]


def webhook_routes(
    services: Services, settings: Settings, *, clock: Callable[[], float] = time.time
) -> dict[tuple[str, str], View]:
    """``{(method, path): view}``: ``POST /webhooks/<slug>`` for every platform with a webhook
    (shared/platforms/registry.py), and ``GET`` where it checks its subscription (Meta)."""
    # Deliveries that are notices rather than report rows, by platform: what adloop does next.
    notices: dict[str, Callable[[bytes], dict[str, Any]]] = {
        "meta": lambda body: _meta_events(services, meta.parse_meta(body)),
        "tiktok": lambda body: _tiktok_event(services, body),
    }
    views: dict[tuple[str, str], View] = {}
    for platform, hook in webhooks():
        if hook.handshake is not None:
            views[("GET", hook.path)] = _handshake(hook.handshake, settings)
        if hook.rows_key is not None:
            handle = _rows(services, platform.id, hook.rows_key)
        elif platform.id in notices:
            handle = notices[platform.id]
        else:
            raise ValueError(
                f"{platform.id}'s webhook delivers notices, not report rows (no rows_key): "
                "give shared/web/webhooks.py a handler for them"
            )
        views[("POST", hook.path)] = _signed(hook, settings, clock, handle)
    return {route: _translated(route, view, settings) for route, view in views.items()}


def _handshake(handshake: Handshake, settings: Settings) -> View:
    def view() -> Answer:
        token = _secret(getattr(settings, handshake.secret))
        return Response(handshake.answer(request.args, token), mimetype="text/plain"), 200

    return view


def _signed(
    hook: Webhook,
    settings: Settings,
    clock: Callable[[], float],
    handle: Callable[[bytes], dict[str, Any]],
) -> View:
    """Check the delivery's signature (nothing is read before), then hand its body on."""

    def view() -> Answer:
        body = request.get_data()
        given = request.headers.get(hook.signature.header)
        hook.signature.check(body, given, _secret(getattr(settings, hook.secret)), clock())
        return jsonify(handle(body)), 200

    return view


def _rows(services: Services, platform: str, key: str) -> Callable[[bytes], dict[str, Any]]:
    return lambda body: _report(services, platform, body, key)


def _secret(value: SecretStr | None) -> str:
    if value is None:  # the route's guard answers 503 first; this keeps the type honest
        raise NotConfigured("the secret to verify deliveries with is not configured")
    return value.get_secret_value()


def _translated(route: tuple[str, str], view: View, settings: Settings) -> View:
    method, path = route

    def handler() -> Answer:
        reason = not_configured(settings, method, path)
        if reason:  # nothing can be verified: refuse before reading anything (nothing stored)
            return jsonify(error=f"{reason}; this webhook cannot verify deliveries"), 503
        try:
            return view()  # type: ignore[no-any-return]
        except PermanentError as e:
            return jsonify(error=str(e)), e.status
        except TransientError as e:
            log.warning("webhook will be retried", extra={"path": path, "error": str(e)})
            return jsonify(error=str(e)), 503
        except HTTPException:
            raise  # werkzeug's own answers (413 for a body over the limit) stand
        except Exception:  # a crash must not tell the caller how: log it, ask for a retry
            log.exception("webhook crashed", extra={"path": path})
            return jsonify(error="internal error; please retry"), 500

    handler.__name__ = f"webhook_{method.lower()}_{path.rsplit('/', 1)[-1].replace('-', '_')}"
    return handler


# Report ingest is CPU work under the GIL. Two at a time keep the cores busy; more only make the
# Slack acks that share the process wait their turn (Slack allows 3 s, we aim for 250 ms).
_INGESTING = threading.BoundedSemaphore(2)


def _report(services: Services, platform: str, body: bytes, key: str) -> dict[str, Any]:
    """Ingest a signed report delivery once; queue learning for the campaigns it names."""
    with _INGESTING:
        return _ingest_once(services, platform, body, key)


def _ingest_once(services: Services, platform: str, body: bytes, key: str) -> dict[str, Any]:
    delivery = delivery_key(platform, body)
    if services.documents.get(f"deliveries/{delivery}") is not None:
        return {"delivery": delivery, "duplicate": True}
    _, raw = parse_rows(body, key=key)
    result = ingest_report(services, platform, raw, source=delivery, refuse_unreadable=True)
    # Learning waits for the end of the current window, once for all its deliveries.
    now = time.time()
    for task in learn_tasks(result, window_key(now)):
        services.queue.enqueue(task, delay_s=learn_delay(now))
    summary = {
        "stored": result.stored,
        "unchanged": result.unchanged,
        "unmatched": result.unmatched,
        "rejected": result.rejected,
    }
    services.documents.set(
        f"deliveries/{delivery}", {**summary, "at": services.clock().isoformat()}
    )
    return {"delivery": delivery, "duplicate": False, **summary}


def _tiktok_event(services: Services, body: bytes) -> dict[str, Any]:
    """Keep a signed TikTok event once and answer 200, whatever it holds: TikTok's events carry
    no report rows (those are pulled: shared/loop/tiktok_report.py), and TikTok redelivers every
    non-200 answer for 72 hours. A signed body that is not an envelope is kept too, marked
    unreadable and logged: the signature says TikTok sent it, and the same bytes again would
    read no better, so a 400 would only bring 72 hours of retries."""
    key = delivery_key("tiktok", body)
    path = f"tiktok_events/{key}"
    if services.documents.get(path) is not None:
        return {"event": key, "duplicate": True}
    event = tiktok.tiktok_event(body)
    services.documents.set(path, {**event, "at": services.clock().isoformat()})
    if not event["readable"]:
        log.warning("kept an unreadable signed TikTok delivery", extra={"event": key})
    return {"event": key, "duplicate": False, "readable": event["readable"]}


def _meta_events(services: Services, events: list[meta.MetaEvent]) -> dict[str, int]:
    """A report notice is a hint: queue the same check the daily pull queued (same task name,
    so the queue keeps one); keep the rest for the report."""
    queued = unknown = rules = 0
    for event in events:
        rid = event.report_run_id
        if event.kind == "report" and rid:
            asked = services.documents.get(report_path(rid))
            if asked is None:
                services.documents.set(
                    f"unmatched/meta-report:{rid}",
                    {
                        "platform": "meta",
                        "report_run_id": rid,
                        "account_id": event.account_id,
                        "reason": "a report adloop did not ask for",
                        "value": event.value,
                    },
                )
                unknown += 1
                continue
            services.queue.enqueue(poll_task(str(asked["campaign_id"]), rid))
            queued += 1
        else:
            digest = hashlib.sha256(json.dumps(event.value, sort_keys=True).encode()).hexdigest()[
                :24
            ]
            services.documents.set(
                f"meta_events/{event.field or 'other'}:{digest}",
                {
                    "field": event.field,
                    "account_id": event.account_id,
                    "value": event.value,
                    "kind": event.kind,
                },
            )
            rules += event.kind == "rule"
    return {"queued": queued, "unknown_reports": unknown, "rule_events": rules}
