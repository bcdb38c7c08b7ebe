"""The retry policy every outbound HTTP client shares (shared/net/retry.py): what is retried,
how long it waits, how often, and what it raises at the end. Driven through httpx's own mock
transport; time is simulated (the sleeps are recorded, not slept)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from shared.errors import BadInput, PermanentError, TransientError, Unauthorized
from shared.net.retry import call_with_retries, send_with_retries

KEY = "sk-secret-123"


def _client(answers: list[httpx.Response | Exception]) -> tuple[httpx.Client, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.Client(transport=httpx.MockTransport(handle)), seen


def _send(
    answers: list[httpx.Response | Exception], sleeps: list[float], **kwargs: object
) -> tuple[Callable[[], httpx.Response], list[httpx.Request]]:
    client, seen = _client(answers)

    def send() -> httpx.Response:
        return send_with_retries(
            lambda: client.post("https://api.example/v1/x"),
            service="Example",
            key_env="EXAMPLE_API_KEY",
            secret=KEY,
            sleep=sleeps.append,
            **kwargs,  # type: ignore[arg-type]
        )

    return send, seen


def test_a_5xx_is_retried_with_backoff_and_the_answer_returned() -> None:
    sleeps: list[float] = []
    send, seen = _send([httpx.Response(503), httpx.Response(200, json={"ok": True})], sleeps)
    assert send().json() == {"ok": True}
    assert len(seen) == 2
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 2.0  # 1 s, plus up to 1 s of jitter


def test_a_429_waits_as_long_as_retry_after_asks() -> None:
    sleeps: list[float] = []
    busy = httpx.Response(429, headers={"retry-after": "3"}, json={"detail": "busy"})
    send, seen = _send([busy, httpx.Response(200)], sleeps)
    assert send().status_code == 200
    assert sleeps == [3.0] and len(seen) == 2


def test_a_wait_longer_than_the_cap_is_left_to_the_queue() -> None:
    sleeps: list[float] = []
    send, seen = _send([httpx.Response(429, headers={"retry-after": "120"})], sleeps)
    with pytest.raises(TransientError, match="asked to wait 120 s") as err:
        send()
    assert err.value.retry_after == 120.0
    assert len(seen) == 1 and sleeps == []


def test_the_attempts_are_counted_and_the_last_failure_is_transient() -> None:
    sleeps: list[float] = []
    send, seen = _send([httpx.Response(500) for _ in range(3)], sleeps, attempts=3)
    with pytest.raises(TransientError, match="HTTP 500 .* 3 times"):
        send()
    assert len(seen) == 3 and len(sleeps) == 2


def test_connection_failures_are_retried_then_transient() -> None:
    sleeps: list[float] = []
    down = [httpx.ConnectError("refused") for _ in range(4)]
    send, seen = _send(list(down), sleeps)
    with pytest.raises(TransientError, match="could not reach Example"):
        send()
    assert len(seen) == 4


def test_a_refusal_is_not_retried_names_the_setting_and_hides_the_key() -> None:
    sleeps: list[float] = []
    denied = httpx.Response(401, json={"detail": {"message": f"bad key {KEY}"}})
    send, seen = _send([denied], sleeps)
    with pytest.raises(Unauthorized, match="check EXAMPLE_API_KEY") as err:
        send()
    assert KEY not in str(err.value) and "***" in str(err.value)
    assert len(seen) == 1 and sleeps == []
    send, _ = _send([httpx.Response(422, json={"error": {"message": "no"}})], sleeps)
    with pytest.raises(BadInput, match="HTTP 422: no"):
        send()


def test_call_with_retries_backs_off_exponentially_on_transient_errors_only() -> None:
    sleeps: list[float] = []
    outcomes: list[Exception | str] = [TransientError("a"), TransientError("b"), "done"]

    def call() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert (
        call_with_retries(call, attempts=5, first_wait_s=0.2, max_wait_s=30, sleep=sleeps.append)
        == "done"
    )
    assert sleeps == pytest.approx([0.2, 0.4])

    calls: list[int] = []

    def refused() -> str:
        calls.append(1)
        raise PermanentError("no")

    with pytest.raises(PermanentError):
        call_with_retries(refused, attempts=5, first_wait_s=0.2, max_wait_s=30, sleep=sleeps.append)
    assert len(calls) == 1

    def always() -> str:
        calls.append(1)
        raise TransientError("still busy")

    calls.clear()
    with pytest.raises(TransientError, match="still busy"):
        call_with_retries(always, attempts=3, first_wait_s=0.2, max_wait_s=0.3, sleep=sleeps.append)
    assert len(calls) == 3 and sleeps[-2:] == pytest.approx([0.2, 0.3])
