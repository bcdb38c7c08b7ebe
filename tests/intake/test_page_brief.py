"""A product page becomes a draft brief whose every field is a span of the page; a page behind a
private address is refused; offline, the reader says it is the offline extractor; a model's
answer that is not on the page is sent back."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main
from infra.page_brief import Console, brief_from_url
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.bootstrap import bootstrap
from shared.errors import BadInput
from shared.intake.draft import OFFLINE_EXTRACTOR, brief_from_draft, draft_from_page, spans
from shared.intake.page import parse_page
from shared.intake.page_step import draft_path, page_task
from shared.net.safe_fetch import fetch
from shared.pipeline.campaigns import start_campaign
from shared.pipeline.runner import StepRunner
from shared.ports.chat import DraftCard
from shared.ports.textgen import Generation, GenerationRequest
from shared.services import Services
from shared.settings import Settings
from shared.steps import FLOW, STEPS
from tests.fakes.http_server import FakeResponse
from tests.intake.site import PAGE, URL, product_site

# What the fixture page says, field by field, and the part of the page it is read from.
EXPECTED = {
    "product": [("GlowDrop Vitamin C Serum", "Product.name")],
    "brand_name": [("GlowDrop", "Product.brand")],
    "offer": [("Get 20% off your first order with free shipping on every bottle.", "main text")],
    "proof": [
        ("rated 4.8 from 1250 reviews", "Product.aggregateRating"),
        ("Over 20,000 happy customers use GlowDrop every morning.", "main text"),
    ],
    "pains": [("Tired of dull skin that makeup can't hide?", "main text")],
    "desires": [
        ("Wake up to brighter, even skin in 14 days.", "main text"),
        ("Enjoy a morning routine that takes one minute.", "main text"),
    ],
}


@pytest.fixture
def services(tmp_path: Path) -> Services:
    return bootstrap(Settings(home=tmp_path / "home", llm="offline"))


def test_a_product_page_becomes_a_draft_whose_every_field_is_a_span_of_the_page(
    services: Services,
) -> None:
    with product_site() as site:
        services.fetch = site.fetch
        draft = draft_from_page(services, URL)
        assert [r.headers["host"] for r in site.server.requests] == ["shop.glowdrop.example"]
    assert draft.extractor == OFFLINE_EXTRACTOR
    taken = {name: [(t.value, t.source) for t in items] for name, items in draft.taken.items()}
    assert taken == EXPECTED
    page = parse_page(PAGE.read_bytes(), URL)
    page_spans = spans(page)
    for items in draft.taken.values():
        for item in items:
            assert item.value in page_spans[item.source], (item.source, item.value)
    # The JSON-LD spans are the page's own values.
    assert page_spans["Product.offers"] == "29.00 USD"
    assert page.product is not None and page.product.review_count == "1250"
    # og:image first, then the Product's images made absolute; https only.
    assert draft.images == [
        "https://cdn.glowdrop.example/bottle.png",
        "https://shop.glowdrop.example/images/serum-texture.png",
    ]
    assert "Privacy policy" not in draft.main_text, "trafilatura left the footer out"
    # What a page never says is asked of the marketer, never made up.
    assert draft.missing() == ["persona", "market"]
    with pytest.raises(BadInput, match="does not give persona, market"):
        brief_from_draft(draft, {})
    brief = brief_from_draft(draft, {"persona": "busy moms in their 30s", "market": "US"})
    assert (brief.product, brief.landing_url, brief.brand_name) == (
        "GlowDrop Vitamin C Serum",
        URL,
        "GlowDrop",
    )
    assert brief.proof == [v for v, _ in EXPECTED["proof"]]
    assert brief.product_images == draft.images


@pytest.mark.parametrize(
    ("url", "names", "words"),
    [
        (
            "https://shop.glowdrop.example/serum",
            {"shop.glowdrop.example": ["10.0.0.7"]},
            "10.0.0.7",
        ),
        ("https://169.254.169.254/latest/meta-data/", {}, "link-local"),
        ("https://localhost/serum", {"localhost": ["127.0.0.1"]}, "loopback"),
        ("https://go.glowdrop.example/serum", {"go.glowdrop.example": ["192.168.1.9"]}, "private"),
        ("http://shop.glowdrop.example/serum", {}, "only https:// URLs"),
    ],
    ids=["10.x", "metadata-server", "localhost", "192.168.x", "plain-http"],
)
def test_a_page_at_a_private_address_is_refused_with_a_clear_message(
    services: Services, url: str, names: dict[str, list[str]], words: str
) -> None:
    with product_site(names) as site:
        services.fetch = site.fetch
        with pytest.raises(BadInput) as err:
            draft_from_page(services, url)
        assert site.server.requests == [], "nothing was sent"
    assert words in str(err.value)
    assert "private, loopback and link-local addresses are refused" in str(err.value) or (
        "https://" in str(err.value)
    )


def test_a_redirect_to_a_private_address_is_refused(services: Services) -> None:
    with product_site({"admin.internal.example": ["10.1.2.3"]}) as site:
        site.pages["/serum"] = FakeResponse(
            302, b"", {"Location": "https://admin.internal.example/serum"}
        )
        services.fetch = site.fetch
        with pytest.raises(BadInput, match="10.1.2.3, a private address"):
            draft_from_page(services, URL)
        assert len(site.server.requests) == 1, "the redirect's target was never asked"


def test_localhost_without_the_tests_allowance_is_refused_by_the_real_fetcher(
    services: Services,
) -> None:
    services.fetch = fetch  # the one the runtime uses: real DNS, no loopback route
    with pytest.raises(BadInput, match="loopback"):
        draft_from_page(services, "https://localhost:9/serum")


class ScriptedModel:
    """A model provider answering from a script, recording each request (the port's fake)."""

    name = "anthropic"

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self.answers = answers
        self.requests: list[GenerationRequest] = []

    def generate(self, request: GenerationRequest) -> Generation:
        self.requests.append(request)
        text = json.dumps(self.answers[len(self.requests) - 1])
        return Generation(text, "anthropic", "claude-test", 100, 50, 0.001)


def test_a_models_answer_that_is_not_on_the_page_is_sent_back_with_the_correction(
    services: Services,
) -> None:
    invented = {"product": {"value": "GlowDrop Serum Pro", "source": "Product.name"}}
    honest = {
        "product": {"value": "GlowDrop Vitamin C Serum", "source": "og:title"},
        "offer": {"value": "20% off your first order", "source": "main text"},
    }
    model = ScriptedModel([invented, honest])
    services.textgen = lambda step: model
    with product_site() as site:
        services.fetch = site.fetch
        draft = draft_from_page(services, URL)
    assert len(model.requests) == 2
    assert model.requests[0].prompt_version == "page-v1"
    assert "'GlowDrop Serum Pro' is not in Product.name" in model.requests[1].corrections[0]
    assert draft.extractor == "anthropic (claude-test)"
    assert draft.taken["offer"][0].value == "20% off your first order"
    assert draft.taken["pains"] == [], "what the model did not take stays empty"


def test_the_cli_refuses_a_private_page_and_says_why(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["campaign", "new", "--url", "https://10.0.0.7/serum", "--yes"]) == 2
    err = capsys.readouterr().err
    assert "10.0.0.7" in err and "private" in err


def test_campaign_new_url_shows_what_it_took_asks_on_a_terminal_and_fetches_the_images(
    home: Path,
) -> None:
    asked: list[str] = []
    answers = iter(["busy moms in their 30s", "US", "y", ""])

    def ask(question: str) -> str:
        asked.append(question)
        return next(answers)

    out = io.StringIO()
    with product_site() as site, LocalRuntime(Settings(home=home)) as rt:
        rt.services.fetch = site.fetch
        brief = brief_from_url(
            rt.services, URL, {"languages": ["en"]}, yes=False, console=Console(out, ask)
        )
        campaign = start_campaign(rt.services, brief)
        doc = wait_for_campaign(rt.services, campaign.id, timeout_s=120)
        stored = rt.services.blobs.list(f"campaigns/{campaign.id}/inputs/")
    shown = out.getvalue()
    assert f"Read {URL} with {OFFLINE_EXTRACTOR}:" in shown
    assert "• product: GlowDrop Vitamin C Serum  ← Product.name" in shown
    assert "• proof: rated 4.8 from 1250 reviews  ← Product.aggregateRating" in shown
    assert "Missing, for you to give: persona, market" in shown
    assert asked == [
        "persona? ",
        "market? ",
        "Use the product images found? [Y/n] ",
        "Start the campaign with this brief? [Y/n] ",
    ]
    assert doc["status"] == "complete", doc.get("error")
    assert doc["brief"]["offer"] == EXPECTED["offer"][0][0]
    assert doc["brief"]["persona"] == "busy moms in their 30s"
    # The page's images went the way of every image URL: fetched and checked at intake.
    assert sorted(stored) == [
        f"campaigns/{campaign.id}/inputs/product-1.png",
        f"campaigns/{campaign.id}/inputs/product-2.png",
    ]


def test_without_a_terminal_a_missing_field_stops_the_command_and_is_named(
    home: Path,
) -> None:
    with product_site() as site, LocalRuntime(Settings(home=home)) as rt:
        rt.services.fetch = site.fetch
        with pytest.raises(BadInput, match="does not give persona, market: put them in a --brief"):
            brief_from_url(rt.services, URL, {}, yes=True, console=Console(io.StringIO(), None))


class RecordingChat:
    """Records what would be shown in Slack (only post_draft is used here)."""

    def __init__(self) -> None:
        self.drafts: list[tuple[str, str, DraftCard]] = []

    def post_draft(self, channel: str, user: str, card: DraftCard) -> None:
        self.drafts.append((channel, user, card))


def test_read_page_runs_before_any_campaign_and_a_redelivery_does_nothing(
    services: Services,
) -> None:
    chat = RecordingChat()
    services.chat = chat  # type: ignore[assignment]  # only post_draft is reached
    runner = StepRunner(services, STEPS, FLOW)
    task = page_task("d123", URL, channel="C1", user="U1", given={"market": "US"})
    with product_site() as site:
        services.fetch = site.fetch
        first, again = runner.handle(task), runner.handle(task)
    assert (first.status, first.message) == (200, "done")
    assert (again.status, again.message) == (200, "already done")
    assert len(chat.drafts) == 1 and chat.drafts[0][2].missing == ("persona",)
    stored = services.documents.get(draft_path("d123"))
    assert stored is not None and stored["given"] == {"market": "US"}
    assert services.documents.get("campaigns/d123") is None, "no campaign is made up"


def test_hostile_json_ld_is_skipped_and_the_page_still_read() -> None:
    """A page is the internet's: JSON-LD nested past any use, or past Python's recursion
    limit, is not read, and the rest of the page still is."""
    from shared.intake.page import parse_page

    for script in (b"[" * 200_000, b"[" * 900 + b"]" * 900):
        html = (
            b'<html><head><script type="application/ld+json">' + script + b"</script>"
            b"<title>GlowDrop serum</title></head><body><p>One drop a day.</p></body></html>"
        )
        page = parse_page(html, "https://shop.example/p")
        assert page.product is None and "GlowDrop" in (page.title or "")


def test_a_page_in_its_own_charset_is_read_as_written() -> None:
    """A Spanish page served in Latin-1 reads "Crème … España", not replacement marks."""
    from shared.intake.page import parse_page

    html = (
        '<html><head><meta charset="iso-8859-1"><title>Crème sérum</title></head><body>'
        "<article><p>Crème hidratante para mamás con envío gratis a España, una fórmula suave."
        "</p><p>Otra frase larga sobre el producto y lo que hace cada día por tu piel.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    page = parse_page(html, "https://shop.example/p")
    assert "envío gratis a España" in page.main_text and "\ufffd" not in page.main_text
