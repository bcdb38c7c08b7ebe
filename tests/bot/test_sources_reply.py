"""A reply "sources" (or "claims", "fuentes") in a creative's thread answers there with each
claim of the creative, its kind and the brief's words that support it; it rewrites nothing."""

from __future__ import annotations

from typing import Any

import pytest

from shared.chat_text import escape
from tests.bot.conftest import CHANNEL, Published, reply_in_thread, wait_until


def _reply(pub: Published, label: str, text: str, **kwargs: Any) -> str:
    return reply_in_thread(pub, label, text, ts_suffix="9", **kwargs)


def _notes(pub: Published, thread: str) -> list[Any]:
    return [
        m
        for m in pub.bot.slack.messages(CHANNEL, thread_ts=thread)
        if "and their sources" in m.text
    ]


@pytest.mark.parametrize(("label", "asked"), [("B", "Sources"), ("C", "fuentes?")])
def test_a_sources_reply_lists_each_claim_with_its_source_and_rewrites_nothing(
    published: Published, label: str, asked: str
) -> None:
    bot, cid = published.bot, published.campaign_id
    before = bot.creative(cid, label)
    assert before["claims"], "govern stored the creative's claims"

    thread = _reply(published, label, asked, event_id=f"Ev0SRC{label}")
    _reply(published, label, asked, event_id=f"Ev0SRC{label}", retry=1)

    [note] = wait_until(lambda: _notes(published, thread), what="the sources note")
    bot.idle()
    assert len(_notes(published, thread)) == 1, "a redelivered reply is answered once"
    shown = note.text
    for claim in before["claims"]:
        assert f"“{escape(claim['span'])}” ({claim['kind']})" in shown
        if claim["supported"]:
            assert f"from `{claim['source']}`: “{escape(claim['source_text'])}”" in shown
    after = bot.creative(cid, label)
    assert (after["iteration"], after["headline"]) == (before["iteration"], before["headline"])
    regenerated = bot.services.documents.query("audit", [("action", "==", "regenerate")])
    assert label not in {d.data["label"] for d in regenerated}


def test_what_a_claim_and_its_source_say_is_escaped_once(published: Published) -> None:
    """Stored copy and brief text come from people and models: Slack's control characters in
    them are shown as written, never as a channel ping or a link."""
    bot, cid = published.bot, published.campaign_id
    path = f"campaigns/{cid}/creatives/D"
    doc = bot.services.documents.get(path)
    assert doc is not None
    hostile = {
        "kind": "price",
        "span": "$5 <!channel>",
        "supported": True,
        "source": "offer",
        "source_text": "$5 & <https://evil.example|free>",
        "reason": "offer says it",
    }
    unsupported = {
        "kind": "duration",
        "span": "in 7 days",
        "supported": False,
        "source": None,
        "source_text": None,
        "reason": "no part of the brief or brand kit states 'in 7 days'",
    }
    bot.services.documents.set(path, {**doc, "claims": [hostile, unsupported]})

    thread = _reply(published, "D", "claims", event_id="Ev0SRCD")

    [note] = wait_until(lambda: _notes(published, thread), what="the sources note")
    assert (
        "“$5 &lt;!channel&gt;” (price) — from `offer`: “$5 &amp; &lt;https://evil.example|free&gt;”"
        in note.text
    )
    assert "<!channel>" not in note.text and "<https://" not in note.text
    assert "“in 7 days” (duration) — :warning: not in the brief: no part of the brief" in note.text
