"""Outgoing Slack text: escaped first, then fitted to Block Kit's limits, and checked before it is
sent (issue 13, findings 7 and 14). Pure, with Hypothesis for what anyone may write."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.adapters.slack_layout import (
    as_text,
    campaign_blocks,
    campaign_text,
    creative_blocks,
    creative_text,
)
from shared.adapters.slack_limits import MESSAGE_TEXT_BUDGET, problems
from shared.chat_text import ELLIPSIS, cut, escape, fit, length
from shared.ports.chat import CampaignCard, CreativeCard, StepLine
from tests.fakes.slack_api import message_problem

ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")
SHORT = settings(max_examples=200, deadline=None)
# Anything a person, a model or a platform may put in a field, markup and astral planes included.
ANY_TEXT = st.text(
    st.one_of(st.sampled_from("&<>!|@^*_~`:\n"), st.characters(codec="utf-8")), max_size=6000
)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def test_a_thousand_ampersands_are_escaped_then_cut_to_whole_entities() -> None:
    out = fit("&" * 1000, 3000)
    assert length(out) <= 3000 and out.endswith(ELLIPSIS)
    assert out[:-1] == "&amp;" * ((3000 - 1) // 5)


def test_a_cut_never_splits_an_entity_or_a_mention() -> None:
    assert cut("ab&amp;cd", 5) == "ab…"
    assert cut("hi <@U123> there", 8) == "hi …"
    assert cut("😀😀😀", 5) == "😀😀…"  # an emoji outside the BMP counts two
    assert fit("a\udc80b", 10) == "a\ufffdb"  # a lone surrogate would not survive JSON


OVER = [
    ("header", [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]),
    ("section", [_section("s" * 3001)]),
    ("empty", [_section("")]),
    ("fields", [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}]),
    ("field", [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}]),
    ("context", [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}]),
    (
        "button",
        [
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b" * 76}}],
            }
        ],
    ),
    ("blocks", [_section("x")] * 51),
]


@pytest.mark.parametrize("blocks", [b for _, b in OVER], ids=[n for n, _ in OVER])
def test_what_slack_refuses_is_found_before_sending(blocks: list[dict[str, Any]]) -> None:
    assert problems("fine", blocks)
    assert message_problem({"text": "fine", "blocks": blocks})["error"] == "invalid_blocks"


def test_text_past_40000_is_found_and_slack_says_msg_too_long() -> None:
    assert problems("t" * 40_001, [])
    assert message_problem({"text": "t" * 40_001})["error"] == "msg_too_long"
    assert problems("t" * 40_000, [_section("s" * 3000)]) == []


def _campaign(text: str) -> CampaignCard:
    step = StepLine("render", "failed", 1, 5, text)
    return CampaignCard("c1", text, "complete", (step,), 7, text, (text, text))


def _creative(text: str, iteration: int = 2) -> CreativeCard:
    return CreativeCard(
        campaign_id="c1",
        label=text[:3] or "A",
        funnel_stage=text,
        language=text,
        headline=text,
        primary_text=text + text,
        cta=text,
        tag=text,
        iteration=iteration,
        judge=50.0,
        video=text,
        feedback=text,
        legend=((text[:20], text),),
    )


def _assert_safe(text: str, blocks: list[dict[str, Any]]) -> None:
    assert problems(text, blocks) == []
    assert message_problem({"text": text, "blocks": blocks}) is None
    assert length(text) <= MESSAGE_TEXT_BUDGET
    for s in [text, *_texts(blocks)]:
        assert "<" not in s and ">" not in s and not ENTITY.search(s), s[:200]


@SHORT
@given(ANY_TEXT)
def test_any_text_in_a_campaign_becomes_a_message_slack_takes(text: str) -> None:
    card = _campaign(text)
    _assert_safe(campaign_text(card), campaign_blocks(card))


@SHORT
@given(ANY_TEXT, st.integers(1, 10**6))
def test_any_text_in_a_creative_becomes_a_message_slack_takes(text: str, iteration: int) -> None:
    card = _creative(text, iteration)
    blocks = creative_blocks(card)
    _assert_safe(creative_text(card), blocks)
    _assert_safe(as_text(creative_text(card), blocks), [])


@SHORT
@given(ANY_TEXT, st.integers(2, 4000))
def test_fit_escapes_then_cuts_what_was_written_and_nothing_else(text: str, limit: int) -> None:
    out = fit(text, limit)
    assert length(out) <= limit and not ENTITY.search(out)
    shown = html.unescape(out.removesuffix(ELLIPSIS)) if out != escape(text) else html.unescape(out)
    clean = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    assert clean.startswith(shown)
