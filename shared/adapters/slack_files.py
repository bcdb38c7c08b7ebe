"""Files people upload to Slack (a modal's ``file_input``), downloaded with the bot token.

A file's address comes from ``files.info`` (asked by the file's id), never from a payload, and
must be on Slack's file host before the token is sent there. Redirects are not followed: one
leads away from the checked host, or to Slack's sign-in page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from shared.errors import BadInput, TransientError

# Where Slack serves uploaded files: a file object's ``url_private`` / ``url_private_download``
# are https://files.slack.com/files-pri/... and need the bot token as ``Authorization: Bearer``
# with the files:read scope (https://docs.slack.dev/reference/objects/file-object, "url_private";
# https://docs.slack.dev/reference/methods/files.info; a files.info answer is shown in
# slackapi/python-slack-sdk docs/english/tutorial/uploading-files.md @ae87985e).
SLACK_FILES_ORIGIN = "https://files.slack.com"
SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackFile:
    """A file a person uploaded to Slack, as ``files.info`` describes it, with its bytes."""

    id: str
    name: str
    mimetype: str
    data: bytes


def files_origin(api_url: str) -> str:
    """Slack's file host for Slack's own Web API; the API's own origin for a local one
    (``SLACK_API_URL`` in tests), which serves its files itself."""
    if api_url.rstrip("/") == SLACK_API_URL.rstrip("/"):
        return SLACK_FILES_ORIGIN
    return _origin(api_url)


def download(
    file_id: str,
    info: dict[str, Any] | None,
    *,
    token: str,
    origin: str,
    max_bytes: int,
    timeout_s: float,
) -> SlackFile:
    """The bytes of ``file_id`` from the address ``info`` (its ``files.info`` file object)
    gives, which must be on ``origin``; BadInput when Slack will not hand it over or it is over
    ``max_bytes``, TransientError when Slack is unwell or unreachable."""
    if not file_id.isalnum() or not isinstance(info, dict):
        raise BadInput(f"{file_id[:40]!r} is not a file Slack knows")
    name = str(info.get("name") or file_id)[:120]
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if _origin(url) != origin:
        raise BadInput(f"{name}: Slack gave no download address on {origin}")
    return SlackFile(
        file_id, name, str(info.get("mimetype") or ""), _get(url, token, name, max_bytes, timeout_s)
    )


def _get(url: str, token: str, name: str, max_bytes: int, timeout_s: float) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with (
            httpx.Client(timeout=timeout_s, follow_redirects=False) as http,
            http.stream("GET", url, headers=headers) as answer,
        ):
            if answer.status_code == 429 or answer.status_code >= 500:
                raise TransientError(f"{name}: Slack answered HTTP {answer.status_code}")
            kind = answer.headers.get("content-type", "")
            if answer.status_code != 200 or kind.startswith("text/html"):
                # Without a token that may read it Slack answers its sign-in page, not the file.
                raise BadInput(
                    f"{name}: Slack did not hand over the file (HTTP {answer.status_code}, "
                    f"{kind or 'no type'}); the app needs the files:read scope"
                )
            chunks, size = [], 0
            for chunk in answer.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise BadInput(f"{name}: over the {max_bytes:,}-byte limit")
                chunks.append(chunk)
    except httpx.HTTPError as e:  # timeouts, refused connections, a body cut short
        raise TransientError(f"{name}: downloading it from Slack failed: {e}") from e
    return b"".join(chunks)


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""
