"""``/adloop new`` typed with ``&``, ``<``, ``>``, straight and curly quotes and a landing URL
with a query string keeps every value intact, from the command Slack sends (through Bolt) to
the sheets exported for every platform (issue 16, item 4).

Slack's encoding of what a person types, applied here as Slack applies it: ``&`` ``<`` ``>`` as
``&amp;`` ``&lt;`` ``&gt;``, and a URL it detects wrapped as ``<https://…>`` ("User types: Hello &
<world> / Sent to server: Hello &amp; &lt;world&gt;" and "URL detection is performed by the
server": slackhq/slack-api-docs page_formatting.md at 13edb4fdd2c4fe067e9f0961d5d5191bdb572eb7).
Whether a slash command's URL arrives wrapped depends on the command's "Escape channels, users,
and links" setting (``should_escape`` in infra/slack-manifest.yaml), so both forms are sent.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from shared.chat_text import escape
from shared.loop.export import export_command
from shared.platforms.registry import PLATFORMS
from tests.bot.conftest import Bot, give_videos, wait_until

PRODUCT = "Glow & Go <Serum>"
OFFER = "20% off; free shipping & returns"
PERSONA = "moms' night out crowd"
BRAND = "Glow & Go"
URL = "https://glowdrop.example/serum?ref=ads&color=gold;size=30ml"
TYPED = (
    f'product: "{PRODUCT}"; offer: “{OFFER}”; persona: {PERSONA}; market: US; '
    f"languages: en; brand: {BRAND}; url: {URL}"
)


def as_slack_sends(typed: str, *, links: bool) -> str:
    """``typed`` as it reaches the app: entities, and (with ``links``) URLs wrapped."""
    sent = escape(typed)
    return re.sub(r"https?://\S+", lambda m: f"<{m.group(0)}>", sent) if links else sent


def _cells(path: Path) -> list[str]:
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    return [cell for row in rows for cell in row]


@pytest.mark.parametrize("links", [False, True], ids=["entities", "entities-and-links"])
def test_a_typed_brief_reaches_slack_and_the_campaign_as_typed(bot: Bot, links: bool) -> None:
    answer = bot.command("new " + as_slack_sends(TYPED, links=links)).json()
    (campaign,) = bot.services.documents.query("campaigns")
    brief = campaign.data["brief"]
    assert (brief["product"], brief["offer"], brief["persona"], brief["brand_name"]) == (
        PRODUCT,
        OFFER,
        PERSONA,
        BRAND,
    )
    assert brief["landing_url"] == URL
    # The private answer quotes the product escaped once: Slack shows it as typed.
    assert f"*{escape(PRODUCT)}*" in answer["text"] and "&amp;amp;" not in answer["text"]


def test_a_typed_brief_keeps_every_value_intact_into_every_platforms_sheet(
    bot: Bot, tmp_path: Path
) -> None:
    bot.command("new " + as_slack_sends(TYPED, links=True))
    (campaign,) = bot.services.documents.query("campaigns")
    wait_until(
        lambda: (
            (bot.services.documents.get(f"campaigns/{campaign.id}") or {}).get("status")
            == "complete"
        ),
        timeout_s=90,
        what="the campaign",
    )
    give_videos(bot, campaign.id, tmp_path)
    sheets: dict[str, list[str]] = {}
    for platform in PLATFORMS:
        files = export_command(
            bot.services, campaign.id, platform, tmp_path / platform, include_all=True
        )
        sheets[platform] = _cells(next(f for f in files if f.suffix == ".csv"))

    for platform, cells in sheets.items():
        text = "\n".join(cells)
        # Slack's encoding never reaches a sheet, nor the quotes that only delimited values.
        assert not re.search(r"&(amp|lt|gt);|“|”", text), platform
        links = [c for c in cells if c.startswith("https://glowdrop.example/")]
        assert links and all(c.startswith(URL) for c in links), platform  # query kept whole
    # The copy quotes the brief where the platform carries it: Meta's ad text, Google's assets.
    for platform in ("meta", "google"):
        text = "\n".join(sheets[platform])
        assert PRODUCT in text and OFFER in text, platform
    assert BRAND in sheets["google"]  # Business name
