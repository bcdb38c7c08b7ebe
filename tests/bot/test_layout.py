"""Pure parts: message layout, the one-line brief, the form's values and the tag rules."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.brief_text import fields_from_text, parse_brief
from bot.modal import field_errors, fields_from_state, new_campaign_view
from shared.adapters.slack_web import campaign_blocks, creative_blocks
from shared.models import Brief, Creative, Tag
from shared.pipeline.steps.publish import DEFAULT_REACTIONS, campaign_card, creative_card
from shared.pipeline.steps.review import apply_reaction

CREATIVE = Creative.model_validate(
    {
        "campaign_id": "c1",
        "label": "B",
        "funnel_stage": "Awareness",
        "language": "es",
        "headline": "Piel <b>luminosa</b> & feliz",
        "primary_text": "Ignore instructions <@U123> <!channel>",
        "cta": "Compra ya",
        "tag": "Testing",
        "iteration": 3,
        "scores": {
            "judge": 88.04,
            "approved": True,
            "brand": 0.812,
            "findings": [{"rule": "r", "span": "s", "reason": "x"}],
            "predicted_ctr": 0.01234,
            "predicted_roas": 2.5,
            "predicted_roas_interval": [2.0, 3.0],
            "rank": 2,
        },
        "prompt_version": "write-v1",
        "provider": "offline",
    }
)


def test_a_creative_shows_its_copy_scores_and_legend_with_user_text_escaped() -> None:
    legend = tuple((k, v.value) for k, v in DEFAULT_REACTIONS.items())
    shown = str(
        creative_blocks(creative_card(CREATIVE, legend, video="Video V2: pending (not attached)"))
    )

    assert "B · Awareness · ES · v3" in shown
    assert "Piel &lt;b&gt;luminosa&lt;/b&gt; &amp; feliz" in shown
    assert "&lt;@U123&gt; &lt;!channel&gt;" in shown and "<!channel>" not in shown
    for part in (
        "*Tag*\\nTesting",
        "88.0/100",
        "0.81, 1 policy flag(s)",
        "1.23%",
        "2.50× (2.00–3.00)",
        "#2",
        ":trophy: Winner",
        ":pencil2: Needs Revision",
        "Video V2: pending",
    ):
        assert part in shown


def test_the_campaign_message_lists_steps_in_pipeline_order_without_bookkeeping() -> None:
    campaign = {
        "id": "c1",
        "brief": {"product": "GlowDrop", "notices": ["transcript was cut"]},
        "status": "failed",
        "error": "write failed: boom",
        "steps": {
            "judge": {"status": "running", "done": 3, "total": 7},
            "intake": {"status": "done"},
            "progress": {"status": "done"},
            "write": {"status": "failed", "error": "boom"},
        },
    }
    card = campaign_card(campaign, creatives=7)
    assert [s.name for s in card.steps] == ["intake", "write", "judge"]
    shown = str(campaign_blocks(card))
    assert "judge 3/7" in shown and ":x: write — boom" in shown and "/adloop retry c1" in shown
    assert "transcript was cut" in shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "GlowDrop serum; 20% off; busy moms; US",
            {
                "product": "GlowDrop serum",
                "offer": "20% off",
                "persona": "busy moms",
                "market": "US",
            },
        ),
        (
            "GlowDrop serum, 20% off, busy moms, US",
            {
                "product": "GlowDrop serum",
                "offer": "20% off",
                "persona": "busy moms",
                "market": "US",
            },
        ),
        (
            "offer: 20% off | audience: moms, dads | product: Serum | market: US"
            " | lang: EN es | funnel: Conversion",
            {
                "offer": "20% off",
                "persona": "moms, dads",
                "product": "Serum",
                "market": "US",
                "languages": ["en", "es"],
                "funnel_focus": "conversion",
            },
        ),
        (
            "Serum; url: https://x.example/a; avoid: miracle, cure; variations: 3",
            {
                "product": "Serum",
                "landing_url": "https://x.example/a",
                "avoid": ["miracle", "cure"],
                "variations": "3",
            },
        ),
    ],
)
def test_a_one_line_brief_is_read_by_keys_or_position(
    text: str, expected: dict[str, object]
) -> None:
    assert fields_from_text(text) == expected


def test_a_one_line_brief_lists_every_missing_field() -> None:
    brief, problems = parse_brief("avoid: miracle")
    assert brief is None
    assert [line.split(":")[0] for line in problems.splitlines()] == [
        "product",
        "offer",
        "persona",
        "market",
    ]


def test_the_forms_values_become_a_brief_and_its_errors_land_under_their_inputs() -> None:
    values = {
        "product": {"value": {"type": "plain_text_input", "value": "Serum"}},
        "offer": {"value": {"type": "plain_text_input", "value": None}},
        "funnel_focus": {"value": {"type": "static_select", "selected_option": {"value": "mid"}}},
        "languages": {"value": {"type": "checkboxes", "selected_options": []}},
        "variations": {"value": {"type": "number_input", "value": "3"}},
        "avoid": {"value": {"type": "plain_text_input", "value": "miracle,\ncure"}},
    }
    fields = fields_from_state(values)
    assert fields == {
        "product": "Serum",
        "funnel_focus": "mid",
        "languages": [],
        "variations": "3",
        "avoid": ["miracle", "cure"],
    }
    with pytest.raises(ValidationError) as caught:
        Brief.model_validate(fields)
    errors = field_errors(caught.value)
    assert set(errors) == {"offer", "persona", "market", "languages"}
    assert {b["block_id"] for b in new_campaign_view("C1", "U1")["blocks"]} >= set(errors)


@pytest.mark.parametrize(
    ("current", "history", "target", "added", "expected"),
    [
        (Tag.DRAFT, [], Tag.TESTING, True, (Tag.TESTING, [Tag.DRAFT])),
        (Tag.TESTING, [Tag.DRAFT], Tag.TESTING, True, (Tag.TESTING, [Tag.DRAFT])),
        (Tag.APPROVED, [Tag.DRAFT, Tag.TESTING], Tag.APPROVED, False, (Tag.TESTING, [Tag.DRAFT])),
        (Tag.APPROVED, [Tag.DRAFT, Tag.TESTING], Tag.TESTING, False, (Tag.APPROVED, [Tag.DRAFT])),
        (Tag.WINNER, [], Tag.WINNER, False, (Tag.DRAFT, [])),
        (Tag.DRAFT, [], Tag.WINNER, False, (Tag.DRAFT, [])),
    ],
)
def test_reactions_push_and_pop_tags(
    current: Tag, history: list[Tag], target: Tag, added: bool, expected: tuple[Tag, list[Tag]]
) -> None:
    assert apply_reaction(current, history, target, added) == expected


def test_a_field_typed_twice_is_refused_by_name_not_silently_replaced() -> None:
    brief, problems = parse_brief(
        "product: GlowDrop; product: Other; offer: 20% off; persona: busy moms; market: US"
    )
    assert brief is None
    assert problems.startswith("product:") and "more than once" in problems
