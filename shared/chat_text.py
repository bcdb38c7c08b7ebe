"""Text adloop sends to chat (Slack's mrkdwn): the one escaping function, and cutting to a limit.

Slack reads ``&``, ``<`` and ``>`` as control characters in every message text and text object:
``<!channel>`` pings a channel, ``<https://x|click>`` is a disguised link. So anything a person or
a model wrote goes through :func:`escape` (or :func:`fit`, which escapes and then cuts) before it
joins a message; only the markup adloop writes itself (``*bold*``, ``<@U123>``) is left as it is.
Escaping rules: https://docs.slack.dev/messaging/formatting-message-text#escaping ("replace the
character with its corresponding HTML entity"; nothing else is entity-encoded).

Escaping comes before cutting, never after: 1,000 ``&`` cut to 1,000 characters and then escaped
become 5,000 characters, which Slack refuses. :func:`cut` never splits an entity (``&amp;``) or a
``<…>`` token, and counts length in UTF-16 code units, which is never less than what Slack counts.
"""

from __future__ import annotations

ELLIPSIS = "…"


def escape(text: str) -> str:
    """``text`` shown as written: Slack's control characters as entities, lone surrogates (which
    no UTF-8 or JSON decoder accepts) as U+FFFD."""
    clean = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def length(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def cut(text: str, limit: int) -> str:
    """``text`` (already escaped mrkdwn) in at most ``limit`` units, ending in … when cut.

    The cut moves back to before an entity or a ``<…>`` token it would split, so what is left
    is still valid, escaped text.
    """
    if length(text) <= limit:
        return text
    budget, used, end = limit - length(ELLIPSIS), 0, 0
    while end < len(text):  # up to the first character that does not fit
        width = 2 if ord(text[end]) > 0xFFFF else 1
        if used + width > budget:
            break
        used, end = used + width, end + 1
    head = text[:end]
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp]
    lt = head.rfind("<")
    if lt != -1 and ">" not in head[lt:]:
        head = head[:lt]
    return head + ELLIPSIS


def fit(text: str, limit: int) -> str:
    """What a person or a model wrote, escaped, then cut to ``limit``."""
    return cut(escape(text), limit)
