"""Previews of adloop's Slack views for docs/slack.md: each view built by the bot's own builders
(the ``/adloop new`` form's two steps with the saved-brand picker, the brand form, the message a
product page gives), drawn as HTML (infra/block_kit_html.py) and photographed in Chromium.

    .venv/bin/python -m infra.slack_preview --out docs/images

These are pictures of adloop's view JSON, not screenshots of Slack: there is no workspace here.
``--html-only`` writes the pages and skips the browser.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot import brand_form, modal
from infra.block_kit_html import message_html, modal_html
from shared import brands
from shared.adapters.slack_draft_layout import draft_blocks
from shared.bootstrap import bootstrap
from shared.intake.draft import OFFLINE_EXTRACTOR, PageDraft, Taken
from shared.intake.page_step import draft_card
from shared.services import Services
from shared.settings import Settings

TEAM, CHANNEL, USER = "T0PREVIEW", "C0ADS", "U0MARKETER"
# The same switches the gallery test starts Debian's Chromium with (tests/gallery).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def _saved_brands(services: Services) -> brands.BrandKit:
    """Two kits in the preview workspace (so the form shows its picker); the first returned."""
    brands.edit(
        services.documents,
        brands.kit_id(TEAM, "Sunny Paws"),
        TEAM,
        {"name": "Sunny Paws", "voice": ["cheerful"]},
        by=USER,
        request_id="preview-sunny",
    )
    return brands.edit(
        services.documents,
        brands.kit_id(TEAM, "GlowDrop"),
        TEAM,
        {
            "name": "GlowDrop",
            "voice": ["warm", "honest", "playful"],
            "positioning": "Clinical-grade vitamin C that busy people actually finish.",
            "avoid": ["miracle", "flawless", "anti-aging cure"],
            "proof": ["4.8 stars from 2,300 reviews", "Dermatologist tested"],
            "colors": ["#f2a65a", "#7a3e12"],
            "landing_domain": "glowdrop.example",
        },
        by=USER,
        request_id="preview-glowdrop",
    )


def _page_draft() -> PageDraft:
    def took(value: str, source: str) -> list[Taken]:
        return [Taken(value=value, source=source)]

    return PageDraft(
        url="https://glowdrop.example/serum?ref=ads&color=gold",
        extractor=OFFLINE_EXTRACTOR,
        prompt_version="preview",
        taken={
            "product": took("GlowDrop Vitamin C Serum", "Product.name"),
            "brand_name": took("GlowDrop", "Product.brand"),
            "offer": took("20% off your first order", "og:description"),
            "proof": took("4.8 stars from 2,300 reviews", "Product.aggregateRating"),
            "pains": took("Dull skin after long days", "main text"),
        },
        images=["https://glowdrop.example/img/serum.png"],
    )


def views(services: Services) -> dict[str, str]:
    """Each preview's file stem and its HTML, built by adloop's own builders."""
    kit = _saved_brands(services)
    picker = brand_form.brand_select_block(services, TEAM)
    first = modal.new_campaign_view(CHANNEL, USER, brand_block=picker)
    pages: dict[str, Callable[[], str]] = {
        "slack-new-form-1": lambda: modal_html(first),
        "slack-new-form-2": lambda: modal_html(modal.more_view(first["private_metadata"])),
        "slack-brand-form": lambda: modal_html(brand_form.edit_view(TEAM, kit.name, kit)),
        "slack-page-draft": lambda: message_html(
            draft_blocks(draft_card("d0preview", _page_draft(), {})),
            sender="adloop",
            ephemeral=True,
        ),
    }
    return {stem: build() for stem, build in pages.items()}


def render(out: Path, *, screenshots: bool = True) -> list[Path]:
    """Write each preview's HTML (and, with ``screenshots``, its PNG) under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        services = bootstrap(Settings(home=Path(home), log_level="WARNING"))
        try:
            pages = views(services)
        finally:
            services.close()
    written = []
    for stem, html in pages.items():
        path = out / f"{stem}.html"
        path.write_text(html, encoding="utf-8")
        written.append(path)
    if screenshots:
        written = [_photograph(path) for path in written]
    return written


def _photograph(page_file: Path) -> Path:
    from playwright.sync_api import sync_playwright  # a dev dependency, only for the pictures

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    png = page_file.with_suffix(".png")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 760, "height": 900})
            page.goto(page_file.resolve().as_uri())
            page.locator(".modal, .message").first.screenshot(path=str(png))
        finally:
            browser.close()
    page_file.unlink()  # the picture is what the doc shows
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--html-only", action="store_true", help="skip the browser")
    args = parser.parse_args(argv)
    for path in render(args.out, screenshots=not args.html_only):
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
