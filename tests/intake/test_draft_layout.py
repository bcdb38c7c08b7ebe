"""The draft message shows page text, which anyone can write: every value is escaped, so a page
cannot ping a channel or forge a link in the marketer's Slack."""

from __future__ import annotations

import json

from shared.adapters.slack_draft_layout import START_ACTION, draft_blocks, draft_text
from shared.ports.chat import DraftCard


def test_what_a_page_says_is_escaped_and_cut_to_a_briefs_field() -> None:
    card = DraftCard(
        draft_id="d1",
        url="https://shop.example/p?a=1&b=2",
        extractor="the offline extractor",
        taken=(
            ("offer", "<!channel> 20% off & <https://evil.example|free>" + "x" * 400, "main text"),
        ),
        missing=("persona",),
    )
    words = json.dumps(draft_blocks(card), ensure_ascii=False)
    assert "<!channel>" not in words and "&lt;!channel&gt; 20% off &amp; &lt;https" in words
    assert "x" * 301 not in words, "a value is shown at most as long as a brief keeps it"
    assert "a=1&amp;b=2" in draft_text(card)
    assert START_ACTION in words


def test_a_page_that_could_not_be_read_shows_why_and_no_buttons() -> None:
    card = DraftCard("d1", "https://10.0.0.7/", "", error="10.0.0.7 is a private address")
    blocks = draft_blocks(card)
    assert [b["type"] for b in blocks] == ["section"]
    assert "private address" in blocks[0]["text"]["text"]
