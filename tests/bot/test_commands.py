"""`/adloop` subcommands: a one-line brief, status, report, retry, help — answered privately."""

from __future__ import annotations

from bot.brief_text import EXAMPLE
from shared.chat_text import escape
from shared.loop.ingest import ingest_rows
from shared.platforms.registry import PLATFORMS
from shared.platforms.tracking import tracking_code
from tests.bot.conftest import CHANNEL, Bot, wait_until

LINE = (
    "GlowDrop Vitamin C Serum; 20% off your first order; busy moms in their 30s; US; languages: en"
)


def _text(answer: object) -> str:
    body = answer.json()  # type: ignore[attr-defined]
    assert body["response_type"] == "ephemeral"
    return str(body["text"])


def test_help_lists_every_subcommand(bot: Bot) -> None:
    text = _text(bot.command("help"))
    for sub in ("/adloop new", "/adloop status", "/adloop report", "/adloop retry"):
        assert sub in text
    # The one-line form by example: a quoted value and a landing URL, escaped for mrkdwn.
    assert escape(EXAMPLE) in text and '"20% off; free shipping"' in text


def test_a_one_line_brief_missing_fields_lists_every_missing_field(bot: Bot) -> None:
    text = _text(bot.command("new product: GlowDrop serum"))
    for field in ("offer", "persona", "market"):
        assert f"{field}: is required" in text
    assert "product" not in text.split("```")[1]
    assert bot.services.documents.query("campaigns") == []


def test_invalid_values_say_what_to_fix(bot: Bot) -> None:
    text = _text(bot.command("new " + LINE + "; variations: 99; funnel: sideways"))
    assert "variations" in text and "less than or equal to 50" in text
    assert "funnel_focus" in text and "awareness, mid, conversion, full" in text


def test_a_one_line_brief_starts_a_campaign_that_status_report_and_retry_follow(bot: Bot) -> None:
    text = _text(bot.command("new " + LINE, trigger_id="77.88.tr"))
    (campaign,) = bot.services.documents.query("campaigns")
    assert campaign.id in text
    brief = campaign.data["brief"]
    assert (brief["product"], brief["offer"], brief["market"], brief["languages"]) == (
        "GlowDrop Vitamin C Serum",
        "20% off your first order",
        "US",
        ["en"],
    )

    wait_until(
        lambda: bot.services.documents.get(f"campaigns/{campaign.id}")["status"] == "complete",
        what="the campaign",
    )
    status = _text(bot.command("status"))
    assert campaign.id in status and "complete" in status and "judge" in status
    report = _text(bot.command(f"report {campaign.id}"))
    assert (
        "Predicted best" in report
        and "performance reporting arrives with the feedback loop" in report
    )

    # Performance arrives (a Google Ads script row naming creative A by its tracking code):
    # the report shows it.
    row = PLATFORMS["google"].report_row(
        {
            "ad_id": "g-1",
            "date": "2026-12-01",
            "ad_name": f"{tracking_code(campaign.id, 'A')} video",
            "impressions": 1000,
            "clicks": 40,
            "cost_micros": 10_000_000,
            "conversions": 3,
            "conversions_value": 59.8,
        }
    )
    assert ingest_rows(bot.services, [row], source="test").stored == 1
    report = _text(bot.command(f"report {campaign.id}"))
    assert "1,000 impressions, 40 clicks, spend 10.00" in report
    assert "revenue 59.80, ROAS 5.98×" in report and "Best so far: A" in report
    assert "has not failed" in _text(bot.command("retry"))
    bot.idle()
    assert len(bot.slack.messages(CHANNEL)) == 8  # the campaign message and A–G

    # As the runner records a step that failed for good (here the last one).
    doc = bot.services.documents.get(f"campaigns/{campaign.id}")
    failed = {
        "campaign_id": campaign.id,
        "step": "finalize",
        "key": "-",
        "payload": {},
        "queue": "pipeline",
    }
    bot.services.documents.set(
        f"campaigns/{campaign.id}",
        {
            **doc,
            "status": "failed",
            "failed_tasks": {"t": failed},
            "error": "finalize failed: boom",
        },
    )
    assert "boom" in _text(bot.command("status"))
    text = _text(bot.command(f"retry {campaign.id}"))
    assert f"Retrying campaign `{campaign.id}` from step *finalize*" in text
    wait_until(
        lambda: bot.services.documents.get(f"campaigns/{campaign.id}")["status"] == "complete",
        what="retried",
    )
    bot.idle()
    assert "complete" in bot.slack.messages(CHANNEL)[0].text


def test_unknown_campaigns_and_subcommands_are_explained(bot: Bot) -> None:
    assert "no campaign" in _text(bot.command("status c000000nope"))
    assert "no campaign was started in this channel" in _text(bot.command("report"))
    assert "I don't know `/adloop frobnicate`" in _text(bot.command("frobnicate"))


def test_another_workspace_cannot_see_or_retry_a_campaign_by_its_id(bot: Bot) -> None:
    text = _text(bot.command("new " + LINE))
    (campaign,) = bot.services.documents.query("campaigns")
    assert campaign.id in text and campaign.data["workspace"] == "T0ADLOOP"
    for sub in ("status", "report", "retry"):
        answer = _text(bot.command(f"{sub} {campaign.id}", team="T0OTHER", user="U0STRANGER"))
        assert f"no campaign '{campaign.id}'" in answer, sub
        assert "GlowDrop" not in answer
    assert campaign.id in _text(bot.command(f"status {campaign.id}"))  # its own workspace sees it
    # In a channel shared between workspaces (Slack Connect), "this channel's latest" is the
    # asking workspace's only.
    latest = _text(bot.command("status", team="T0OTHER", user="U0STRANGER"))
    assert "no campaign was started in this channel" in latest


def test_the_one_line_form_takes_product_image_urls() -> None:
    from bot.brief_text import fields_from_text

    fields = fields_from_text(
        LINE + "; images: https://cdn.example/a.png, https://cdn.example/b,c.png"
    )
    assert fields["product_images"] == ["https://cdn.example/a.png", "https://cdn.example/b,c.png"]
