"""GeminiGenerator: the real Gen AI SDK against a local server speaking Vertex generateContent."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from google import genai
from google.oauth2.credentials import Credentials

from shared.adapters.google_genai import base_url_of
from shared.adapters.vertex_gemini import GeminiGenerator, gemini_json_schema
from shared.errors import PermanentError, TransientError
from shared.ports.textgen import GenerationRequest
from tests.fakes import (
    Answer,
    FakeResponse,
    FakeVertexAPI,
    HttpError,
    Malformed,
    Refused,
    Reply,
    Slow,
    Truncated,
)
from tests.fakes.vertex_api import generation_config_of, prompt_of, system_of

TOKEN = "ya29.TEST-ACCESS-TOKEN-do-not-leak"
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "headline": {"type": "string", "maxLength": 30},
        "angles": {"type": "array", "items": {"type": "string"}, "minItems": 3},
    },
    "required": ["headline", "angles"],
    "additionalProperties": False,
}
ANSWER = {"headline": "Sleep like you mean it", "angles": ["price", "proof", "pain"]}


def make_request(**changes: Any) -> GenerationRequest:
    fields: dict[str, Any] = {
        "task": "angles",
        "system": "You are Dreamly's strategist.",
        "prompt": "Mine three angles from the reviews.",
        "schema": SCHEMA,
        "prompt_version": "angles@2",
        "max_output_tokens": 1500,
    }
    return GenerationRequest(**{**fields, **changes})


Make = Callable[..., GeminiGenerator]


@pytest.fixture
def make_gemini() -> Iterator[Make]:
    made: list[GeminiGenerator] = []

    def make(fake: FakeVertexAPI, **options: Any) -> GeminiGenerator:
        settings = {
            "project": "adloop-test",
            "api_endpoint": fake.url,
            "credentials": Credentials(token=TOKEN),
            "max_retries": 0,
            **options,
        }
        generator = GeminiGenerator(**settings)
        made.append(generator)
        return generator

    yield make
    for generator in made:
        generator.close()


def test_request_carries_system_prompt_and_json_schema(make_gemini: Make) -> None:
    with FakeVertexAPI([Answer(ANSWER)]) as fake:
        generation = make_gemini(fake, location="global", model="gemini-3.8-flash").generate(
            make_request()
        )

    (sent,) = fake.requests
    assert sent.path.endswith(
        "/projects/adloop-test/locations/global/publishers/google/models/"
        "gemini-3.8-flash:generateContent"
    )
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert system_of(sent) == "You are Dreamly's strategist."
    assert prompt_of(sent) == "Mine three angles from the reviews."
    config = generation_config_of(sent)
    assert config["responseMimeType"] == "application/json"
    assert config["maxOutputTokens"] == 1500
    schema = config["responseJsonSchema"]
    assert "$schema" not in schema
    assert schema["required"] == ["headline", "angles"]
    assert schema["properties"]["angles"]["items"] == {"type": "string"}
    assert json.loads(generation.text) == ANSWER
    assert (generation.provider, generation.model) == ("vertex", "gemini-3.8-flash")


def test_usage_becomes_tokens_and_cost(make_gemini: Make) -> None:
    with FakeVertexAPI([Answer(ANSWER, input_tokens=2_000, output_tokens=1_000)]) as fake:
        generation = make_gemini(fake, model="gemini-3.8-flash").generate(make_request())

    assert (generation.input_tokens, generation.output_tokens) == (2_000, 1_000)
    # $0.75 / $3.75 per million tokens.
    assert generation.cost_usd == pytest.approx(0.0015 + 0.00375)


def test_thoughts_are_left_out_of_the_text_but_billed(make_gemini: Make) -> None:
    parts = [
        {"text": "Thinking about angles...", "thought": True},
        {"text": json.dumps(ANSWER)},
    ]
    reply = FakeResponse(
        200,
        {
            "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP"}],
            "usageMetadata": {
                "promptTokenCount": 100,
                "candidatesTokenCount": 50,
                "thoughtsTokenCount": 300,
                "totalTokenCount": 450,
            },
        },
    )
    with FakeVertexAPI([reply]) as fake:
        generation = make_gemini(fake).generate(make_request())

    assert json.loads(generation.text) == ANSWER
    assert generation.output_tokens == 350


def test_corrections_are_appended_to_the_prompt(make_gemini: Make) -> None:
    corrections = ["angles must hold at least 3 items", "headline is over 30 characters"]
    with FakeVertexAPI([Answer(ANSWER)]) as fake:
        make_gemini(fake).generate(make_request(corrections=corrections))

    sent = prompt_of(fake.requests[0])
    assert sent.startswith("Mine three angles from the reviews.")
    assert "previous answer was invalid" in sent
    for correction in corrections:
        assert f"- {correction}" in sent


def test_a_rate_limit_asking_a_long_wait_goes_to_the_queue_at_once(make_gemini: Make) -> None:
    """42 s is past the inline budget (8 s): no retry is spent sleeping, the queue waits."""
    script: list[Reply] = [HttpError(429, "quota exceeded", headers={"Retry-After": "42"})] * 2
    with FakeVertexAPI(script) as fake, pytest.raises(TransientError) as raised:
        make_gemini(fake, max_retries=1).generate(make_request())

    assert raised.value.retry_after == 42
    assert len(fake.requests) == 1


def test_a_rate_limit_is_retried_inline_after_the_wait_asked(make_gemini: Make) -> None:
    script: list[Reply] = [HttpError(429, "quota exceeded", headers={"Retry-After": "0.2"})] * 2
    with FakeVertexAPI(script) as fake, pytest.raises(TransientError) as raised:
        make_gemini(fake, max_retries=1).generate(make_request())

    assert raised.value.retry_after == pytest.approx(0.2)
    assert len(fake.requests) == 2


def test_retry_info_in_the_error_body_gives_retry_after(make_gemini: Make) -> None:
    body = {
        "error": {
            "code": 429,
            "message": "Resource exhausted",
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30s"}],
        }
    }
    with FakeVertexAPI([FakeResponse(429, body)]) as fake, pytest.raises(TransientError) as raised:
        make_gemini(fake).generate(make_request())

    assert raised.value.retry_after == 30


def test_a_server_error_then_success_recovers_inline(make_gemini: Make) -> None:
    with FakeVertexAPI([HttpError(503, "unavailable"), Answer(ANSWER)]) as fake:
        generation = make_gemini(fake, max_retries=1).generate(make_request())

    assert json.loads(generation.text) == ANSWER
    assert len(fake.requests) == 2


@pytest.mark.parametrize("status", [500, 503, 504])
def test_server_errors_are_transient(make_gemini: Make, status: int) -> None:
    with (
        FakeVertexAPI([HttpError(status, "backend error")]) as fake,
        pytest.raises(TransientError, match=f"HTTP {status}"),
    ):
        make_gemini(fake).generate(make_request())


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (400, "retrying will not help"),
        (401, "credentials"),
        (403, "roles/aiplatform.user"),
        (404, "check the model id 'gemini-3.8-flash'"),
    ],
)
def test_client_errors_are_permanent_and_say_what_to_fix(
    make_gemini: Make, status: int, hint: str
) -> None:
    with (
        FakeVertexAPI([HttpError(status, "nope")]) as fake,
        pytest.raises(PermanentError, match=hint) as raised,
    ):
        make_gemini(fake, model="gemini-3.8-flash", max_retries=2).generate(make_request())

    assert f"HTTP {status} (nope)" in str(raised.value)
    assert len(fake.requests) == 1  # a 4xx is not retried


def test_a_body_that_is_not_json_is_transient(make_gemini: Make) -> None:
    with FakeVertexAPI([Malformed()]) as fake, pytest.raises(TransientError, match="not JSON"):
        make_gemini(fake).generate(make_request())


def test_a_truncated_body_is_transient(make_gemini: Make) -> None:
    with (
        FakeVertexAPI([Truncated(Answer(ANSWER))]) as fake,
        pytest.raises(TransientError, match="could not reach Vertex AI"),
    ):
        make_gemini(fake).generate(make_request())


def test_a_reply_slower_than_the_timeout_is_transient(make_gemini: Make) -> None:
    with (
        FakeVertexAPI([Slow(3.0, Answer(ANSWER))]) as fake,
        pytest.raises(TransientError, match="in time"),
    ):
        make_gemini(fake, timeout_s=0.3).generate(make_request())


def test_a_blocked_prompt_is_permanent(make_gemini: Make) -> None:
    with (
        FakeVertexAPI([Refused("PROHIBITED_CONTENT")]) as fake,
        pytest.raises(PermanentError, match="blocked \\(PROHIBITED_CONTENT\\)"),
    ):
        make_gemini(fake).generate(make_request())


def test_the_access_token_never_reaches_logs_or_errors(
    make_gemini: Make, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    script: list[Reply] = [Answer(ANSWER), HttpError(401, "bad token"), HttpError(503, "busy")]
    with FakeVertexAPI(script) as fake:
        generator = make_gemini(fake)
        generator.generate(make_request())
        errors = []
        for _ in range(2):
            with pytest.raises((PermanentError, TransientError)) as raised:
                generator.generate(make_request())
            errors.append(raised.value)

    assert TOKEN not in caplog.text
    for error in errors:
        assert TOKEN not in str(error)


def test_the_client_is_built_on_first_use_not_in_the_constructor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The SDK's Client is the edge: record each one built, and let it do its work.
    built: list[dict[str, Any]] = []
    real_client = genai.Client

    def recording_client(**kwargs: Any) -> genai.Client:
        built.append(kwargs)
        return real_client(**kwargs)

    monkeypatch.setattr(genai, "Client", recording_client)
    with FakeVertexAPI([Answer(ANSWER), Answer(ANSWER)]) as fake:
        generator = GeminiGenerator(
            project="adloop-test", api_endpoint=fake.url, credentials=Credentials(token=TOKEN)
        )
        assert built == [], "the constructor built an SDK client"
        generator.generate(make_request())
        generator.generate(make_request())
        generator.close()

    assert len(built) == 1, "one client, built by the first call and reused"
    assert built[0]["project"] == "adloop-test"
    assert len(fake.requests) == 2


# --- pure helpers ----------------------------------------------------------------------------


def test_gemini_json_schema_keeps_structure_and_drops_what_gemini_rejects() -> None:
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Ad",
        "type": "object",
        "properties": {
            "headline": {"type": "string", "maxLength": 30, "description": "Short."},
            "stage": {"const": "awareness"},
            "cta": {"anyOf": [{"type": "string", "pattern": "^[A-Z]"}, {"type": "null"}]},
            "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}, "maxItems": 5},
            "meta": {"type": "object", "additionalProperties": {"type": "string", "default": ""}},
        },
        "required": ["headline"],
        "additionalProperties": False,
        "$defs": {"tag": {"type": "string", "enum": ["draft", "winner"], "examples": ["draft"]}},
    }

    out = gemini_json_schema(schema)

    assert "$schema" not in out
    assert out["title"] == "Ad"
    assert out["required"] == ["headline"]
    assert out["additionalProperties"] is False
    props = out["properties"]
    assert props["headline"] == {"type": "string", "description": "Short.\n\n{maxLength: 30}"}
    assert props["stage"] == {"enum": ["awareness"]}
    assert props["cta"]["anyOf"] == [
        {"type": "string", "description": '{pattern: "^[A-Z]"}'},
        {"type": "null"},
    ]
    assert props["tags"] == {"type": "array", "items": {"$ref": "#/$defs/tag"}, "maxItems": 5}
    assert props["meta"]["additionalProperties"] == {"type": "string"}
    assert out["$defs"] == {"tag": {"type": "string", "enum": ["draft", "winner"]}}
    assert schema["properties"]["headline"]["maxLength"] == 30  # the input is not changed


@pytest.mark.parametrize(
    ("endpoint", "base_url"),
    [
        (None, None),
        ("127.0.0.1:8085", "http://127.0.0.1:8085"),
        ("localhost:8085", "http://localhost:8085"),
        ("http://127.0.0.1:8085/", "http://127.0.0.1:8085"),
        ("us-central1-aiplatform.googleapis.com", "https://us-central1-aiplatform.googleapis.com"),
    ],
)
def test_base_url_of_api_endpoint(endpoint: str | None, base_url: str | None) -> None:
    assert base_url_of(endpoint) == base_url
