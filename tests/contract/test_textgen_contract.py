"""The text-generation port's contract, run against every adapter.

What callers (``shared/creative`` validation, the pipeline's steps, the queue) rely on:

* an answer is JSON text, with the provider's name, the model, and token usage and cost;
* every failure is a TransientError (retry: 429, 5xx, timeouts, cut or garbled replies) or a
  PermanentError (do not retry: 4xx, an oversize prompt, a refusal), and a permanent one is not
  retried inline;
* a 429 retried inline waits as long as ``Retry-After`` asks; once the inline budget is spent the
  TransientError carries the wait for the queue;
* a corrective retry's corrections reach the model; keys and tokens never reach an error.

The offline engine runs the behaviour it can (it has no wire); the model providers run every test
through the real SDK against their local wire-format fakes (``textgen_adapters.py``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from shared.adapters.pricing import estimate_cost
from shared.creative.offline import OfflineGenerator
from shared.errors import BadInput, PermanentError, TransientError
from shared.ports.textgen import GenerationRequest, TextGenerator
from tests.contract.textgen_adapters import REMOTES, Remote
from tests.fakes import Answer, HttpError, Malformed, Refused, Reply, Slow, Truncated

BRIEF = {
    "product": "Ledgerly",
    "brand_name": "Ledgerly",
    "category": "bookkeeping software",
    "offer": "first 3 months free",
    "persona": "freelance designers who dread tax season",
    "pains": ["receipts lost in email threads"],
    "desires": ["books done in ten minutes a week"],
}
SCHEMA = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
ANSWER = {"name": "Ledgerly"}


def brand_request(**changes: Any) -> GenerationRequest:
    fields: dict[str, Any] = {
        "task": "brand",
        "system": "You are Ledgerly's brand strategist.",
        "prompt": "<brief>\n" + json.dumps(BRIEF) + "\n</brief>\nWrite the brand kit.",
        "schema": SCHEMA,
        "prompt_version": "brand@1",
        "context": {"brief": BRIEF},
    }
    return GenerationRequest(**{**fields, **changes})


def test_every_provider_the_settings_can_choose_runs_this_contract() -> None:
    """A provider added to shared/settings.py's Provider is done when it passes this suite."""
    from typing import get_args

    from shared.settings import Provider

    assert {"offline", *REMOTES} == set(get_args(Provider))


@pytest.fixture(params=sorted(REMOTES))
def remote(request: pytest.FixtureRequest) -> Remote:
    return REMOTES[request.param]


@pytest.fixture(params=["offline", *sorted(REMOTES)])
def any_generator(request: pytest.FixtureRequest) -> Iterator[TextGenerator]:
    """Every adapter, ready to answer ``brand_request()`` once."""
    if request.param == "offline":
        yield OfflineGenerator()
        return
    with REMOTES[request.param].serving([Answer(ANSWER)]) as (_fake, generator):
        yield generator


# --- every adapter ---------------------------------------------------------------------------


def test_an_answer_is_json_with_provider_model_and_usage(any_generator: TextGenerator) -> None:
    generation = any_generator.generate(brand_request())

    assert isinstance(json.loads(generation.text), dict)
    assert generation.provider == any_generator.name
    assert generation.model
    assert generation.input_tokens > 0 and generation.output_tokens > 0
    assert generation.cost_usd >= 0


def test_the_offline_engine_answers_the_same_request_the_same_way() -> None:
    engine = OfflineGenerator()
    first, again = engine.generate(brand_request()), engine.generate(brand_request())
    assert first == again
    assert first.cost_usd == 0.0  # no model was paid for


def test_the_offline_engine_refuses_a_task_it_cannot_do_with_a_clear_error() -> None:
    with pytest.raises(BadInput, match="no task 'poem'"):
        OfflineGenerator().generate(brand_request(task="poem"))


# --- model providers, over their wire --------------------------------------------------------


def test_usage_is_what_the_provider_reported_and_is_priced(remote: Remote) -> None:
    with remote.serving([Answer(ANSWER, input_tokens=2_000, output_tokens=1_000)]) as (_, gen):
        generation = gen.generate(brand_request())

    assert (generation.input_tokens, generation.output_tokens) == (2_000, 1_000)
    assert generation.cost_usd == pytest.approx(estimate_cost(gen.model, 2_000, 1_000))
    assert generation.cost_usd > 0, f"no list price on file for {gen.model}"


def test_corrections_reach_the_model(remote: Remote) -> None:
    request = brand_request(corrections=["field name: write the brand's own name"])
    with remote.serving([Answer(ANSWER)]) as (fake, gen):
        gen.generate(request)

    (sent,) = fake.requests
    assert "field name: write the brand's own name" in remote.prompt_of(sent)
    assert request.prompt in remote.prompt_of(sent)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_or_failing_provider_is_retried_inline(remote: Remote, status: int) -> None:
    script: list[Reply] = [HttpError(status, "try again"), Answer(ANSWER)]
    with remote.serving(script, max_retries=1) as (fake, gen):
        generation = gen.generate(brand_request())

    assert json.loads(generation.text) == ANSWER
    assert len(fake.requests) == 2


def test_an_inline_retry_waits_as_long_as_retry_after_asks(remote: Remote) -> None:
    busy = HttpError(429, "slow down", headers={"retry-after": "2"})
    script: list[Reply] = [busy, Answer(ANSWER)]
    with remote.serving(script, max_retries=1) as (fake, gen):
        started = time.monotonic()
        gen.generate(brand_request())
        waited = time.monotonic() - started

    assert len(fake.requests) == 2
    assert waited >= 2.0


def test_a_429_past_the_inline_budget_hands_its_wait_to_the_queue(remote: Remote) -> None:
    script: list[Reply] = [HttpError(429, "quota", headers={"retry-after": "0.05"})]
    with remote.serving(script) as (fake, gen), pytest.raises(TransientError) as raised:
        gen.generate(brand_request())

    assert raised.value.retry_after == pytest.approx(0.05)
    assert len(fake.requests) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_past_the_budget_are_transient(remote: Remote, status: int) -> None:
    with (
        remote.serving([HttpError(status, "backend down")] * 2, max_retries=1) as (fake, gen),
        pytest.raises(TransientError, match=f"HTTP {status}"),
    ):
        gen.generate(brand_request())
    assert len(fake.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_permanent_and_not_retried(remote: Remote, status: int) -> None:
    with (
        remote.serving([HttpError(status, "nope")], max_retries=2) as (fake, gen),
        pytest.raises(PermanentError, match=f"HTTP {status}") as raised,
    ):
        gen.generate(brand_request())

    assert not isinstance(raised.value, TransientError)
    assert len(fake.requests) == 1


def test_an_oversize_prompt_is_refused_permanently(remote: Remote) -> None:
    huge = brand_request(prompt="receipt " * 50_000)
    with (
        remote.serving([remote.oversize], max_retries=2) as (fake, gen),
        pytest.raises(PermanentError, match=f"HTTP {remote.oversize.status}"),
    ):
        gen.generate(huge)
    assert len(fake.requests) == 1


def test_a_refusal_is_permanent(remote: Remote) -> None:
    with (
        remote.serving([Refused("SAFETY")], max_retries=2) as (fake, gen),
        pytest.raises(PermanentError),
    ):
        gen.generate(brand_request())
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "reply",
    [Malformed(), Truncated(Answer(ANSWER)), Slow(3.0, Answer(ANSWER))],
    ids=["not-json", "truncated", "slower-than-timeout"],
)
def test_a_broken_or_late_reply_is_transient(remote: Remote, reply: Reply) -> None:
    with (
        remote.serving([reply], timeout_s=0.5) as (_fake, gen),
        pytest.raises(TransientError),
    ):
        gen.generate(brand_request())


def test_the_credential_never_reaches_an_error(remote: Remote) -> None:
    """A server or proxy that echoes the credential back must not put it in an error."""
    script: list[Reply] = [HttpError(401, f"bad credential {remote.secret}"), HttpError(503, "x")]
    errors = []
    with remote.serving(script) as (_fake, gen):
        for _ in script:
            with pytest.raises((PermanentError, TransientError)) as raised:
                gen.generate(brand_request())
            errors.append(str(raised.value))

    assert all(remote.secret not in error for error in errors), errors
