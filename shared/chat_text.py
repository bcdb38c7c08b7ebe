"""Text to and from chat (Slack's mrkdwn): the one escaping function, cutting to a limit, and the
one decoding function for text Slack sends us.

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

import re

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


# Text from Slack (slash command text, message events) arrives in the same format: the three
# control characters as entities and Slack's own ``<…>`` tokens, which are the only raw ``<``
# and ``>`` it holds ("Detect all sequences matching <(.*?)>": the escaping and display rules
# of https://github.com/slackhq/slack-api-docs/blob/13edb4fdd2c4fe067e9f0961d5d5191bdb572eb7/page_formatting.md;
# today's page: https://docs.slack.dev/messaging/formatting-message-text). One pass over both, so
# an entity that decodes to ``<`` never starts a token and ``&amp;lt;`` stays ``&lt;``.
_FROM_SLACK = re.compile(r"<([^<>]*)>|&(amp|lt|gt);")
_ENTITY = {"amp": "&", "lt": "<", "gt": ">"}
_ENTITIES = re.compile(r"&(amp|lt|gt);")
# <!here>, <!channel>, <!everyone> (and <!group>, the old name of <!channel>)
_BROADCASTS = ("here", "channel", "everyone", "group")


def from_slack(text: str) -> str:
    """Text as the person typed it, from text Slack sent: entities decoded; links to their URL
    (``<https://x?a=1&amp;b=2|label>`` -> ``https://x?a=1&b=2``), ``<mailto:a@b|a@b>`` to the
    address; mentions (``<@U…|pat>``, ``<#C…|ads>``, ``<!subteam^S…|@team>``, ``<!here>``) to
    readable text (``@pat``, ``#ads``, ``@team``, ``@here``) that pings nobody when sent back
    (it goes through :func:`escape` like any text a person wrote)."""

    def one(m: re.Match[str]) -> str:
        if m.group(2):
            return _ENTITY[m.group(2)]
        return _token(m.group(1))

    return _FROM_SLACK.sub(one, text)


def _token(body: str) -> str:
    target, _, label = body.partition("|")
    target, label = _decoded(target), _decoded(label)
    if target.startswith("@"):  # a user: <@U024BE7LH> or <@U024BE7LH|bob>
        return "@" + (label or target[1:])
    if target.startswith("#"):  # a channel: <#C024BE7LR|general>
        return "#" + (label or target[1:])
    if target.startswith("!"):
        command, _, arg = target[1:].partition("^")
        if command == "subteam":  # a user group: <!subteam^S123|@reviewers>
            return "@" + (label.lstrip("@") or arg)
        if command in _BROADCASTS:
            return "@" + command
        # <!date^…|fallback> and commands Slack may add: "output as-is, without the brackets"
        return label or target[1:]
    if target.lower().startswith("mailto:"):
        return target[len("mailto:") :]
    return target  # a URL, as Slack detected it (it adds http:// to www.… and foo.com)


def _decoded(part: str) -> str:
    return _ENTITIES.sub(lambda m: _ENTITY[m.group(1)], part)
