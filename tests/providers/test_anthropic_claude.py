"""ClaudeGenerator: the real anthropic SDK against a local server speaking the Messages API."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from google.oauth2.credentials import Credentials

from shared.adapters.anthropic_claude import ClaudeGenerator, user_prompt
from shared.adapters.pricing import canonical_model, estimate_cost, is_priced
from shared.errors import PermanentError, TransientError
from shared.net.retry import redact, retry_after_seconds
from shared.ports.textgen import GenerationRequest
from tests.fakes import (
    Answer,
    FakeAnthropicAPI,
    FakeResponse,
    HttpError,
    Malformed,
    RecordedRequest,
    Refused,
    Reply,
    Slow,
    Text,
    Truncated,
)
from tests.fakes.anthropic_api import prompt_of

API_KEY = "sk-ant-api03-TESTKEY-do-not-leak-0123456789"
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "headline": {"type": "string", "maxLength": 30},
        "body": {"type": "string"},
    },
    "required": ["headline", "body"],
}
AD = {"headline": "Sleep like you mean it", "body": "The mattress that keeps its promise."}


def make_request(**changes: Any) -> GenerationRequest:
    fields: dict[str, Any] = {
        "task": "write",
        "system": "You write direct-response ads for Dreamly.",
        "prompt": "Write ad C for the problem-aware stage.",
        "schema": SCHEMA,
        "prompt_version": "write@3",
        "max_output_tokens": 2000,
    }
    return GenerationRequest(**{**fields, **changes})


Make = Callable[..., ClaudeGenerator]


@pytest.fixture
def make_claude() -> Iterator[Make]:
    made: list[ClaudeGenerator] = []

    def make(fake: FakeAnthropicAPI, **options: Any) -> ClaudeGenerator:
        settings = {"api_key": API_KEY, "base_url": fake.url, "max_retries": 1, **options}
        generator = ClaudeGenerator(**settings)
        made.append(generator)
        return generator

    yield make
    for generator in made:
        generator.close()


def test_request_carries_system_prompt_and_schema_as_structured_output(make_claude: Make) -> None:
    with FakeAnthropicAPI([Answer(AD)]) as fake:
        generation = make_claude(fake, model="claude-sonnet-5-5").generate(make_request())

    (sent,) = fake.requests
    body = sent.json
    assert sent.path == "/v1/messages"
    assert body["model"] == "claude-sonnet-5-5"
    assert body["system"] == "You write direct-response ads for Dreamly."
    assert body["messages"] == [
        {"role": "user", "content": "Write ad C for the problem-aware stage."}
    ]
    assert body["max_tokens"] == 2000
    output_format = body["output_config"]["format"]
    assert output_format["type"] == "json_schema"
    assert set(output_format["schema"]["properties"]) == {"headline", "body"}
    assert output_format["schema"]["required"] == ["headline", "body"]
    # Forced tool use is refused by current Claude models; structured output replaces it.
    assert "tool_choice" not in body
    assert API_KEY in sent.headers.get("x-api-key", "") + sent.headers.get("authorization", "")
    assert json.loads(generation.text) == AD
    assert (generation.provider, generation.model) == ("anthropic", "claude-sonnet-5-5")


def test_usage_becomes_tokens_and_cost(make_claude: Make) -> None:
    with FakeAnthropicAPI([Answer(AD, input_tokens=1_000, output_tokens=500)]) as fake:
        generation = make_claude(fake, model="claude-sonnet-5-5").generate(make_request())

    assert (generation.input_tokens, generation.output_tokens) == (1_000, 500)
    # $2 / $10 per million tokens.
    assert generation.cost_usd == pytest.approx(0.002 + 0.005)


def test_corrections_are_appended_to_the_prompt(make_claude: Make) -> None:
    corrections = ["headline is 41 characters; the limit is 30", "body must mention the trial"]
    with FakeAnthropicAPI([Answer(AD)]) as fake:
        make_claude(fake).generate(make_request(corrections=corrections))

    sent = prompt_of(fake.requests[0])
    assert sent.startswith("Write ad C for the problem-aware stage.")
    assert "previous answer was invalid" in sent
    for correction in corrections:
        assert f"- {correction}" in sent


def test_text_blocks_are_joined_and_thinking_is_left_out(make_claude: Make) -> None:
    reply = FakeResponse(
        200,
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-5-5",
            "content": [
                {"type": "thinking", "thinking": "Let me think.", "signature": "sig"},
                {"type": "text", "text": '```json\n{"headline": "Hi",'},
                {"type": "text", "text": ' "body": "There"}\n```'},
            ],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 20},
        },
    )
    with FakeAnthropicAPI([reply]) as fake:
        generation = make_claude(fake).generate(make_request())

    assert generation.text == '```json\n{"headline": "Hi", "body": "There"}\n```'


def test_a_tool_use_answer_is_returned_as_json(make_claude: Make) -> None:
    reply = FakeResponse(
        200,
        {
            "id": "msg_2",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-4-5",
            "content": [{"type": "tool_use", "id": "toolu_1", "name": "submit", "input": AD}],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 20},
        },
    )
    with FakeAnthropicAPI([reply]) as fake:
        generation = make_claude(fake).generate(make_request())

    assert json.loads(generation.text) == AD


def test_prose_answer_is_passed_through_for_validation(make_claude: Make) -> None:
    with FakeAnthropicAPI([Text("Sure! Here is your ad: Sleep better.")]) as fake:
        generation = make_claude(fake).generate(make_request())

    assert generation.text == "Sure! Here is your ad: Sleep better."


def test_rate_limit_with_short_retry_after_is_retried_inline(make_claude: Make) -> None:
    script: list[Reply] = [HttpError(429, "slow down", headers={"retry-after": "0.05"}), Answer(AD)]
    with FakeAnthropicAPI(script) as fake:
        generation = make_claude(fake, max_retries=1).generate(make_request())

    assert json.loads(generation.text) == AD
    assert len(fake.requests) == 2


def test_rate_limit_past_the_retry_budget_is_transient_with_retry_after(make_claude: Make) -> None:
    script: list[Reply] = [HttpError(429, "slow down", headers={"retry-after": "0.05"})] * 2
    with FakeAnthropicAPI(script) as fake, pytest.raises(TransientError) as raised:
        make_claude(fake, max_retries=1).generate(make_request())

    assert raised.value.retry_after == pytest.approx(0.05)
    assert len(fake.requests) == 2


@pytest.mark.timeout(30)
def test_a_long_retry_after_is_left_to_the_queue(make_claude: Make) -> None:
    script: list[Reply] = [HttpError(429, "quota", headers={"retry-after": "120"}), Answer(AD)]
    with FakeAnthropicAPI(script) as fake, pytest.raises(TransientError) as raised:
        make_claude(fake, max_retries=2, max_inline_wait_s=10).generate(make_request())

    assert raised.value.retry_after == 120
    assert len(fake.requests) == 1  # no sleeping through two minutes inside the handler


@pytest.mark.parametrize("status", [500, 503, 529])
def test_server_errors_are_transient_after_the_retry_budget(make_claude: Make, status: int) -> None:
    with (
        FakeAnthropicAPI([HttpError(status, "overloaded")] * 2) as fake,
        pytest.raises(TransientError, match=f"HTTP {status}"),
    ):
        make_claude(fake, max_retries=1).generate(make_request())

    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (400, "retrying will not help"),
        (401, "ANTHROPIC_API_KEY"),
        (403, "workspace"),
        (404, "check the model id 'claude-sonnet-5-5'"),
    ],
)
def test_client_errors_are_permanent_and_say_what_to_fix(
    make_claude: Make, status: int, hint: str
) -> None:
    with (
        FakeAnthropicAPI([HttpError(status, "nope")]) as fake,
        pytest.raises(PermanentError, match=hint) as raised,
    ):
        make_claude(fake, max_retries=2).generate(make_request())

    assert f"HTTP {status} (nope)" in str(raised.value)
    assert len(fake.requests) == 1  # a 4xx is not retried


def test_a_body_that_is_not_json_is_transient(make_claude: Make) -> None:
    with FakeAnthropicAPI([Malformed()]) as fake, pytest.raises(TransientError, match="not JSON"):
        make_claude(fake).generate(make_request())


def test_a_truncated_body_is_retried_then_transient(make_claude: Make) -> None:
    with (
        FakeAnthropicAPI([Truncated()] * 2) as fake,
        pytest.raises(TransientError, match="could not reach Anthropic"),
    ):
        make_claude(fake, max_retries=1).generate(make_request())

    assert len(fake.requests) == 2


def test_a_reply_slower_than_the_timeout_is_transient(make_claude: Make) -> None:
    with (
        FakeAnthropicAPI([Slow(2.0, Answer(AD))]) as fake,
        pytest.raises(TransientError, match="in time"),
    ):
        make_claude(fake, timeout_s=0.2, max_retries=0).generate(make_request())


def test_a_refusal_is_permanent(make_claude: Make) -> None:
    with FakeAnthropicAPI([Refused()]) as fake, pytest.raises(PermanentError, match="refused"):
        make_claude(fake).generate(make_request())


def test_the_api_key_never_reaches_logs_or_errors(
    make_claude: Make, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    script: list[Reply] = [Answer(AD), HttpError(401, "invalid x-api-key"), HttpError(500, "boom")]
    with FakeAnthropicAPI(script) as fake:
        generator = make_claude(fake, max_retries=0)
        generator.generate(make_request())
        errors = []
        for _ in range(2):
            with pytest.raises((PermanentError, TransientError)) as raised:
                generator.generate(make_request())
            errors.append(raised.value)

    assert caplog.text  # the SDK did log at DEBUG: the check below means something
    assert API_KEY not in caplog.text
    for error in errors:
        assert API_KEY not in str(error)


def test_no_key_is_a_permanent_error_naming_the_variable() -> None:
    generator = ClaudeGenerator(api_key=None, base_url="http://127.0.0.1:9")
    with pytest.raises(PermanentError, match="ANTHROPIC_API_KEY"):
        generator.generate(make_request())


def test_base_url_can_come_from_the_environment(
    make_claude: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeAnthropicAPI([Answer(AD)]) as fake:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        generation = make_claude(fake, base_url=None).generate(make_request())

    assert json.loads(generation.text) == AD
    assert len(fake.requests) == 1


def test_claude_on_vertex_posts_raw_predict_with_a_bearer_token(make_claude: Make) -> None:
    with FakeAnthropicAPI([Answer(AD)]) as fake:
        generator = make_claude(
            fake,
            api_key=None,
            base_url=fake.vertex_url,
            model="claude-sonnet-5-5",
            vertex_project="adloop-prod",
            vertex_region="global",
            vertex_credentials=Credentials(token="ya29.vertex-token"),
        )
        generation = generator.generate(make_request())

    (sent,) = fake.requests
    assert sent.path == (
        "/v1/projects/adloop-prod/locations/global/publishers/anthropic/models/"
        "claude-sonnet-5-5:rawPredict"
    )
    assert sent.headers["authorization"] == "Bearer ya29.vertex-token"
    assert "model" not in sent.json  # on Vertex the model is in the URL
    assert "anthropic_version" in sent.json
    assert sent.json["output_config"]["format"]["type"] == "json_schema"
    assert json.loads(generation.text) == AD


def test_a_responder_answers_from_the_prompt_with_latency(make_claude: Make) -> None:
    def answer(request: RecordedRequest) -> Answer:
        return Answer({"headline": prompt_of(request)[-12:], "body": "b"})

    with FakeAnthropicAPI(responder=answer, latency_s=0.01) as fake:
        generator = make_claude(fake)
        texts = [generator.generate(make_request(prompt=f"Write ad {n:>4}")).text for n in range(3)]

    assert [json.loads(text)["headline"] for text in texts] == [
        f"Write ad {n:>4}"[-12:] for n in range(3)
    ]


# --- pure helpers shared by both adapters ----------------------------------------------------


def test_user_prompt_is_the_prompt_when_nothing_needs_correcting() -> None:
    assert user_prompt(make_request()) == "Write ad C for the problem-aware stage."


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_seconds(headers: dict[str, str], seconds: float | None) -> None:
    assert retry_after_seconds(headers) == seconds


def test_redact_masks_the_secret() -> None:
    assert redact(f"bad key {API_KEY}!", API_KEY) == "bad key ***!"
    assert redact("nothing here", None) == "nothing here"


# --- pricing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "canonical"),
    [
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        ("claude-haiku-4-5@20251001", "claude-haiku-4-5"),
        ("publishers/google/models/gemini-3.8-flash", "gemini-3.8-flash"),
        ("claude-sonnet-5-5", "claude-sonnet-5-5"),
    ],
)
def test_model_ids_are_priced_however_they_are_spelled(model: str, canonical: str) -> None:
    assert canonical_model(model) == canonical
    assert is_priced(model)


def test_estimate_cost_uses_the_per_million_prices() -> None:
    assert estimate_cost("claude-haiku-4-5", 2_000_000, 1_000_000) == pytest.approx(2.0 + 5.0)
    assert estimate_cost("gemini-3.8-flash", 1_000_000, 0) == pytest.approx(0.75)


def test_an_unknown_model_costs_zero_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert estimate_cost("llama-99-test-only", 1_000, 1_000) == 0.0
    assert "llama-99-test-only" in caplog.text
