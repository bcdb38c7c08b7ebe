"""JSON extraction from model answers: fences and prose tolerated, truncation refused."""

from __future__ import annotations

import pytest

from shared.creative.jsonx import NoJson, extract_json
from shared.creative.schema import SetAnswer
from shared.creative.structure import parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"headline": "Glow"}', {"headline": "Glow"}),
        ('```json\n{"headline": "Glow"}\n```', {"headline": "Glow"}),
        ('Sure! Here it is:\n```\n[{"a": 1}, {"a": 2}]\n```\nAnything else?', [{"a": 1}, {"a": 2}]),
        ('Here is the {brief} you asked for: {"ok": true} Hope it helps.', {"ok": True}),
        ('{"text": "line one\nline two"}', {"text": "line one\nline two"}),
        ('{"es": "¿Tienes piel apagada?"}', {"es": "¿Tienes piel apagada?"}),
    ],
)
def test_extracts_the_json_value(text: str, expected: object) -> None:
    assert extract_json(text) == expected


def test_fenced_block_wins_over_json_in_prose() -> None:
    text = 'Example shape: {"x": 0}\n```json\n{"x": 1}\n```'
    assert extract_json(text) == {"x": 1}


@pytest.mark.parametrize(
    "text",
    [
        '{"headline": "Glow", "primary_text": "Brighter skin in',
        '```json\n{"items": [{"x": 1}, {"x": 2',
        '{"ok": tru',
        '{"score": 9.',
        'Answer: {"a": [1, 2',
    ],
)
def test_truncated_json_is_reported_not_guessed(text: str) -> None:
    with pytest.raises(NoJson, match=r"JSON is truncated at char \d+"):
        extract_json(text)


def test_truncation_position_is_where_the_text_ends() -> None:
    text = 'Here: {"a": [1, 2'
    with pytest.raises(NoJson) as caught:
        extract_json(text)
    assert str(caught.value) == f"JSON is truncated at char {len(text)}"


def test_inner_object_of_a_truncated_array_is_not_returned() -> None:
    # The complete {"x": 1} inside must not be mistaken for the answer.
    with pytest.raises(NoJson, match="truncated"):
        extract_json('[{"x": 1}, {"x": 2')


def test_broken_json_says_where() -> None:
    with pytest.raises(NoJson, match=r"invalid JSON at char 8"):
        extract_json('{"a": 1,, "b": {"c": 2}}')


@pytest.mark.parametrize("text", ["", "I could not write that ad.", "Use {product} here"])
def test_no_json(text: str) -> None:
    with pytest.raises(NoJson, match="no JSON object found"):
        extract_json(text)


def test_a_caller_catching_value_error_gets_the_reason() -> None:
    # Callers written for json.loads catch ValueError; they must get NoJson's reason, not crash.
    try:
        extract_json('{"headline": "Glow", "primary_text": "Brighter')
    except ValueError as e:
        assert str(e) == "JSON is truncated at char 46"
    else:
        pytest.fail("truncated JSON was accepted")


def test_an_answer_without_json_becomes_a_correction_for_the_model() -> None:
    answer, problems = parse("I could not write that ad.", SetAnswer)
    assert answer is None
    assert problems == ["answer with one JSON object only (no JSON object found)"]
