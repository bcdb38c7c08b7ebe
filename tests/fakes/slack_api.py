"""A local fake of the Slack Web API that records every call and answers Slack's JSON shapes.

Point a real ``slack_sdk.WebClient`` at ``fake.api_url`` (``SLACK_API_URL``). It keeps channels'
messages (so updates, threads and history behave), takes file uploads through its own upload URL,
and can answer a method with HTTP 429 + Retry-After (``rate_limit_once``, ``rate_limits``), the
way Slack rate-limits, or with a 5xx outage page (``server_errors``).

Like Slack, it refuses a message over Block Kit's limits (``invalid_blocks``, with the
JSON-pointer of each problem) or with top-level text over 40,000 characters (``msg_too_long``):
the limits below are Slack's documented ones, written here from the docs, not from adloop's code.
It can also refuse a method once with any error code, and answer ``missing_scope`` for methods
whose scope the token lacks.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.http_server import FakeResponse, LoopbackServer, RecordedRequest

BOT_USER = "UBOTADLOOP"
BOT_ID = "BADLOOP"
# https://docs.slack.dev/reference/methods/chat.postMessage ("Truncating content": 40,000)
TEXT_MAX = 40_000
# https://docs.slack.dev/reference/block-kit/blocks: up to 50 blocks in a message
BLOCKS_MAX = 50
# https://docs.slack.dev/reference/block-kit/composition-objects/text-object: 1 to 3,000
TEXT_OBJECT_MAX = 3_000
# https://docs.slack.dev/reference/block-kit/blocks/header-block: 150;
# .../section-block: text 3,000, at most 10 fields of 2,000; .../context-block: 10 elements;
# https://docs.slack.dev/reference/block-kit/block-elements/button-element: text 75
HEADER_MAX, SECTION_MAX, FIELDS_MAX, FIELD_MAX, CONTEXT_MAX, BUTTON_MAX = (
    150,
    3_000,
    10,
    2_000,
    10,
    75,
)
# The scope each method needs (its reference page's "Scopes").
SCOPES = {
    "usergroups.users.list": "usergroups:read",
    "chat.postMessage": "chat:write",
    "files.info": "files:read",
}
TEAM = "T0ADLOOP"


@dataclass(frozen=True)
class Call:
    """One Web API call: the method and its arguments however they were sent (query, form, JSON)."""

    method: str
    args: dict[str, Any]
    limited: bool = False  # answered 429


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    files: list[str] = field(default_factory=list)
    edits: int = 0

    def wire(self, *, metadata: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": self.text,
            "blocks": self.blocks,
            "ts": self.ts,
        }
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if metadata and self.metadata:
            out["metadata"] = self.metadata
        return out


class FakeSlackAPI(LoopbackServer):
    def __init__(
        self,
        *,
        usergroups: dict[str, list[str]] | None = None,
        rate_limit_once: Iterable[str] = (),
        retry_after_s: int = 1,
        refuse_once: dict[str, str] | None = None,
        missing_scopes: Iterable[str] = (),
        rate_limits: dict[str, int] | None = None,
        server_errors: dict[str, list[int]] | None = None,
    ) -> None:
        super().__init__(self._handle)
        # method -> how many more calls to answer 429 (``rate_limit_once`` is one each)
        self._limits = {m: 1 for m in rate_limit_once} | dict(rate_limits or {})
        # method -> HTTP statuses to answer first, in order, as an outage at Slack's edge does.
        # Slack documents no body for a 5xx; the fake sends an HTML page, not the Web API's
        # JSON, so a client must not depend on reading ``error`` from it.
        self.server_errors = {m: list(v) for m, v in (server_errors or {}).items()}
        self.usergroups = dict(usergroups or {})
        self.refuse_once = dict(refuse_once or {})  # method -> the error it answers once
        self.missing_scopes = set(missing_scopes)
        self._retry_after = retry_after_s
        self._state = threading.Lock()
        self._calls: list[Call] = []
        self._messages: list[Message] = []
        self.uploads: dict[str, bytes] = {}
        # Files people uploaded through a modal's file_input: id -> (file object, bytes)
        self.user_files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self.downloads: list[RecordedRequest] = []
        self.views: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._last_ts = 0.0

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def calls(self, method: str | None = None) -> list[Call]:
        with self._state:
            return [c for c in self._calls if method is None or c.method == method]

    def messages(self, channel: str, *, thread_ts: str | None = None) -> list[Message]:
        """Top-level messages of ``channel`` (or the replies in ``thread_ts``), oldest first."""
        with self._state:
            return [m for m in self._messages if m.channel == channel and m.thread_ts == thread_ts]

    def message(self, channel: str, ts: str) -> Message:
        with self._state:
            return next(m for m in self._messages if m.channel == channel and m.ts == ts)

    def add_user_file(self, name: str, data: bytes, mimetype: str) -> dict[str, Any]:
        """A file a person uploads in a modal's ``file_input``: Slack stores it and the
        view_submission carries its file object (returned here) in ``state.values``."""
        file_id = f"F{next(self._ids):010d}"
        info = file_object(file_id, name, mimetype, len(data), self.url)
        with self._state:
            self.user_files[file_id] = (info, data)
        return info

    # --- the wire -----------------------------------------------------------------------------

    def _handle(self, request: RecordedRequest) -> FakeResponse:
        if request.path.startswith("/upload/"):
            return self._upload(request)
        if request.path.startswith("/files-pri/"):
            return self._file_download(request)
        if not request.path.startswith("/api/"):
            return FakeResponse(404, "not found")
        method = request.path.removeprefix("/api/")
        args = _args(request)
        with self._state:
            limited = self._limits.get(method, 0) > 0
            if limited:
                self._limits[method] -= 1
            self._calls.append(Call(method, args, limited))
            outage = self.server_errors.get(method)
            status = outage.pop(0) if outage else None
        if status is not None:
            page = f"<html><body><h1>{status}</h1>Slack is having trouble.</body></html>"
            return FakeResponse(status, page, {"Content-Type": "text/html"})
        if limited:
            return FakeResponse(
                429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(self._retry_after)}
            )
        if not request.headers.get("authorization", "").startswith("Bearer xoxb-"):
            return _ok(False, error="not_authed")
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return _ok(False, error="unknown_method")
        if SCOPES.get(method) in self.missing_scopes:
            return _ok(False, error="missing_scope", needed=SCOPES[method], provided="chat:write")
        with self._state:
            refused = self.refuse_once.pop(method, None)
        if refused:
            return _ok(False, error=refused)
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            problem = message_problem(args)
            if problem:
                return _ok(False, **problem)
        with self._state:
            return FakeResponse(200, handler(args))

    def _next_ts(self) -> str:
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    def _find(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self._messages if m.channel == channel and m.ts == ts), None)

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://adloop-test.slack.com/",
            "team": "adloop-test",
            "user": "adloop",
            "team_id": "T0ADLOOP",
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if not channel.startswith(("C", "G", "D")):
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("text") and not args.get("blocks"):
            return {"ok": False, "error": "no_text"}
        thread = args.get("thread_ts")
        if thread and self._find(channel, str(thread)) is None:
            return {"ok": False, "error": "thread_not_found"}
        m = Message(
            channel,
            self._next_ts(),
            str(args.get("text") or ""),
            _json(args.get("blocks")) or [],
            str(thread) if thread else None,
            _json(args.get("metadata")),
        )
        self._messages.append(m)
        return {"ok": True, "channel": channel, "ts": m.ts, "message": m.wire(metadata=True)}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        m = self._find(str(args.get("channel")), str(args.get("ts")))
        if m is None:
            return {"ok": False, "error": "message_not_found"}
        m.text = str(args.get("text") or m.text)
        m.blocks = _json(args.get("blocks")) or m.blocks
        m.edits += 1
        return {
            "ok": True,
            "channel": m.channel,
            "ts": m.ts,
            "text": m.text,
            "message": m.wire(metadata=False),
        }

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_arguments"}
        view = {
            **(_json(args.get("view")) or {}),
            "id": f"V{next(self._ids):08d}",
            "team_id": "T0ADLOOP",
            "state": {"values": {}},
            "hash": f"{time.time():.0f}.abc",
        }
        self.views.append(view)
        return {"ok": True, "view": view}

    def _reactions_get(self, args: dict[str, Any]) -> dict[str, Any]:
        m = self._find(str(args.get("channel")), str(args.get("timestamp")))
        if m is None:
            return {"ok": False, "error": "message_not_found"}
        return {
            "ok": True,
            "type": "message",
            "channel": m.channel,
            "message": m.wire(metadata=False),
        }

    def _reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    _reactions_remove = _reactions_add

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length") or "").isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = _json(args.get("files")) or []
        missing = [f["id"] for f in files if f["id"] not in self.uploads]
        if missing:
            return {"ok": False, "error": "file_not_found"}
        channel, thread = args.get("channel_id"), args.get("thread_ts")
        if channel:
            m = Message(str(channel), self._next_ts(), "", [], str(thread) if thread else None)
            m.files = [f["id"] for f in files]
            self._messages.append(m)
        return {
            "ok": True,
            "files": [
                {"id": f["id"], "title": f.get("title"), "size": len(self.uploads[f["id"]])}
                for f in files
            ],
        }

    def _files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        found = self.user_files.get(str(args.get("file")))
        if found is None:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": found[0], "comments": [], "response_metadata": {}}

    def _file_download(self, request: RecordedRequest) -> FakeResponse:
        # /files-pri/{team}-{file id}/download/{name}, as url_private_download is.
        with self._state:
            self.downloads.append(request)
        file_id = request.path.split("/")[2].partition("-")[2]
        found = self.user_files.get(file_id)
        if not request.headers.get("authorization", "").startswith("Bearer xoxb-"):
            # Slack answers a request without a token that may read the file with its sign-in
            # page, not an error status (reported in gist ErikKalkoken/f3ab28617d50...'s thread).
            page = "<html><body>Sign in to adloop-test</body></html>"
            return FakeResponse(200, page, {"Content-Type": "text/html; charset=utf-8"})
        if found is None:
            return FakeResponse(404, "not found", {"Content-Type": "text/plain"})
        info, data = found
        return FakeResponse(200, data, {"Content-Type": str(info["mimetype"])})

    def _usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = str(args.get("usergroup"))
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": self.usergroups[group]}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        oldest = float(args.get("oldest") or 0)
        meta = str(args.get("include_all_metadata")).lower() in ("1", "true")
        found = [
            m.wire(metadata=meta)
            for m in reversed(self._messages)
            if m.channel == args.get("channel") and m.thread_ts is None and float(m.ts) > oldest
        ]
        return {"ok": True, "messages": found, "has_more": False}

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        parent = self._find(str(args.get("channel")), str(args.get("ts")))
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        meta = str(args.get("include_all_metadata")).lower() in ("1", "true")
        replies = [
            m for m in self._messages if m.channel == parent.channel and m.thread_ts == parent.ts
        ]
        return {
            "ok": True,
            "messages": [m.wire(metadata=meta) for m in [parent, *replies]],
            "has_more": False,
        }

    def _upload(self, request: RecordedRequest) -> FakeResponse:
        file_id = request.path.rsplit("/", 1)[-1]
        with self._state:
            self.uploads[file_id] = request.body
        return FakeResponse(200, f"OK - {len(request.body)}")


def file_object(file_id: str, name: str, mimetype: str, size: int, base: str) -> dict[str, Any]:
    """A file object as files.info and a file_input's view_submission state carry it: the
    fields of slackapi/bolt-js src/types/view/index.ts ``UploadedFile`` (@9a45c3c9, the type of
    ``ViewStateValue.files`` for ``type: "file_input"``) with values shaped like the files.info
    answer in slackapi/python-slack-sdk docs/english/tutorial/uploading-files.md (@ae87985e);
    the URLs are on this fake's host, as Slack's are on files.slack.com."""
    now = int(time.time())
    return {
        "id": file_id,
        "created": now,
        "timestamp": now,
        "name": name,
        "title": name,
        "mimetype": mimetype,
        "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "binary",
        "pretty_type": mimetype,
        "user": "U0REVIEWER",
        "user_team": TEAM,
        "editable": False,
        "size": size,
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": False,
        "public_url_shared": False,
        "display_as_bot": False,
        "username": "",
        "url_private": f"{base}/files-pri/{TEAM}-{file_id}/{name}",
        "url_private_download": f"{base}/files-pri/{TEAM}-{file_id}/download/{name}",
        "permalink": f"https://adloop-test.slack.com/files/U0REVIEWER/{file_id}/{name}",
        "permalink_public": f"https://slack-files.com/{TEAM}-{file_id}-0a1b2c3d4e",
        "has_rich_preview": False,
        "file_access": "visible",
    }


def message_problem(args: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to a message over its limits: ``msg_too_long`` for the text, else
    ``invalid_blocks`` listing each problem as Slack does (``errors`` with JSON-pointers)."""
    if len(str(args.get("text") or "")) > TEXT_MAX:
        return {"error": "msg_too_long"}
    blocks = _json(args.get("blocks")) or []
    errors = [f"no more than {BLOCKS_MAX} items allowed [json-pointer:/blocks]"]
    errors = errors if len(blocks) > BLOCKS_MAX else []
    for i, block in enumerate(blocks):
        errors += [f"{e} [json-pointer:/blocks/{i}{p}]" for p, e in _block_problems(block)]
    if not errors:
        return None
    return {
        "error": "invalid_blocks",
        "errors": errors,
        "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
    }


def _block_problems(block: dict[str, Any]) -> list[tuple[str, str]]:
    kind, found = block.get("type"), []
    texts: list[tuple[str, Any, int]] = []
    if kind == "header":
        texts.append(("/text", block.get("text"), HEADER_MAX))
    elif kind == "section":
        texts.append(("/text", block.get("text"), SECTION_MAX))
        fields = block.get("fields") or []
        if len(fields) > FIELDS_MAX:
            found.append(("/fields", f"no more than {FIELDS_MAX} items allowed"))
        texts += [(f"/fields/{i}", f, FIELD_MAX) for i, f in enumerate(fields)]
    elif kind == "context":
        elements = block.get("elements") or []
        if len(elements) > CONTEXT_MAX:
            found.append(("/elements", f"no more than {CONTEXT_MAX} items allowed"))
        texts += [(f"/elements/{i}", e, TEXT_OBJECT_MAX) for i, e in enumerate(elements)]
    elif kind == "actions":
        for i, e in enumerate(block.get("elements") or []):
            texts.append((f"/elements/{i}/text", e.get("text"), BUTTON_MAX))
    for where, obj, most in texts:
        if obj is None and where == "/text" and kind == "section":
            continue
        text = obj.get("text") if isinstance(obj, dict) else None
        if not isinstance(text, str) or not text:
            found.append((f"{where}/text", "must be more than 0 characters"))
        elif len(text) > min(most, TEXT_OBJECT_MAX):
            found.append(
                (f"{where}/text", f"must be less than {min(most, TEXT_OBJECT_MAX) + 1} characters")
            )
    return found


def _args(request: RecordedRequest) -> dict[str, Any]:
    args: dict[str, Any] = {k: v[-1] for k, v in request.query.items()}
    kind = request.headers.get("content-type", "")
    if "json" in kind and request.body:
        args.update(json.loads(request.body))
    elif "form-urlencoded" in kind:
        args.update({k: v[-1] for k, v in parse_qs(request.body.decode()).items()})
    return args


def _json(value: Any) -> Any:
    """Slack takes blocks, views and metadata as JSON objects or as JSON-encoded form strings."""
    return json.loads(value) if isinstance(value, str) and value else value


def _ok(ok: bool, **fields: Any) -> FakeResponse:
    return FakeResponse(200, {"ok": ok, **fields})
