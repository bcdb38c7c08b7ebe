"""The Slack previews in docs/slack.md (infra/slack_preview.py): every view is built by the bot's
own builders and drawn without error, a view Slack would refuse fails the preview, and (with
Debian's Chromium) each picture is taken and small enough to commit."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest
from slack_sdk.errors import SlackObjectFormationError

from bot import modal
from infra import slack_preview
from infra.block_kit_html import UnknownBlock, message_html, modal_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PNG_MAX_BYTES = 150_000  # what the brief allows a committed picture


def test_every_view_in_the_doc_is_drawn_from_adloops_own_builders(tmp_path: Path) -> None:
    pages = {p.stem: p.read_text() for p in slack_preview.render(tmp_path, screenshots=False)}
    assert set(pages) == {
        "slack-new-form-1",
        "slack-new-form-2",
        "slack-brand-form",
        "slack-page-draft",
    }
    first = pages["slack-new-form-1"]
    # The saved-brand picker heads the form, and the file input is drawn as one.
    assert first.index('data-block="brand"') < first.index('data-block="product"')
    assert "New brand" in first.split('data-block="product"')[0]
    assert 'data-type="file_input"' in first and "PNG, JPG, JPEG, WEBP" in first
    assert ">Next<" in first
    assert "More about the product" in pages["slack-new-form-2"]
    assert ">Start<" in pages["slack-new-form-2"]
    brand = pages["slack-brand-form"]
    assert "Brand: GlowDrop" in brand and "#f2a65a #7a3e12" in brand and ">Save<" in brand
    draft = pages["slack-page-draft"]
    # The page's URL keeps its & (shown once, not as &amp;amp;), and both buttons are there.
    assert "serum?ref=ads&amp;color=gold" in draft and "&amp;amp;" not in draft
    assert ">Start<" in draft and ">Edit<" in draft and "Only visible to you" in draft


def test_a_view_slack_would_refuse_fails_the_preview() -> None:
    view = modal.new_campaign_view("C0", "U0")
    view["title"]["text"] = "A title longer than Slack's twenty-four"
    with pytest.raises(SlackObjectFormationError, match="title"):
        modal_html(view)
    view = modal.new_campaign_view("C0", "U0")
    view["blocks"][0]["element"]["type"] = "rich_text_input"
    with pytest.raises(UnknownBlock, match="rich_text_input"):
        modal_html(view)
    with pytest.raises(UnknownBlock, match="video"):
        message_html([{"type": "video"}], sender="adloop", ephemeral=False)


def test_text_a_person_wrote_is_shown_as_text_not_markup() -> None:
    html = message_html(
        [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*Hi* &lt;script&gt; &amp; <https://x.example|x>",
                },
            }
        ],
        sender="adloop",
        ephemeral=False,
    )
    assert "<b>Hi</b> &lt;script&gt; &amp; <a" in html and "<script>" not in html


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (scripts/install-system-deps.sh installs it)",
)
def test_each_preview_is_photographed_small_enough_to_commit(tmp_path: Path) -> None:
    pictures = slack_preview.render(tmp_path)
    assert [p.suffix for p in pictures] == [".png"] * 4
    for picture in pictures:
        data = picture.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        assert 500 <= width <= 700 and height >= 250, (picture.name, width, height)
        assert len(data) < PNG_MAX_BYTES, (picture.name, len(data))
    assert not list(tmp_path.glob("*.html")), "only the pictures are left"
