"""Claude behind the text-generation port, through the ``anthropic`` SDK (direct or on Vertex AI).

Structured output uses ``output_config.format`` (JSON-schema constrained decoding): current
models reject a *forced* ``tool_choice`` (Claude Sonnet 5.5 answers it with HTTP 400), so the
answer comes back as a text block holding the JSON. A ``tool_use`` block, should one appear, is
used instead; without either, the text blocks are joined and validation downstream copes.

Retries: the SDK retries connection errors, 408/409/429/5xx itself, ``max_retries`` times, waiting
as the server's ``Retry-After`` says. A wait longer than ``max_inline_wait_s`` is not slept through
inside a request handler: the call fails at once with ``TransientError(retry_after=...)`` so the
queue redelivers the task after that delay. The final error of an exhausted SDK retry budget
carries ``retry_after`` from its response too.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from shared.adapters.pricing import estimate_cost
from shared.errors import AdloopError, PermanentError, TransientError
from shared.net.retry import redact, retry_after_seconds
from shared.ports.textgen import Generation, GenerationRequest

if TYPE_CHECKING:
    import anthropic
    from google.auth.credentials import Credentials

log = logging.getLogger(__name__)

DEFAULT_MODEL = "claude-sonnet-5-5"
Effort = Literal["low", "medium", "high", "xhigh", "max"]
_RETRYABLE_STATUSES = frozenset({408, 409, 429})


def user_prompt(request: GenerationRequest) -> str:
    """The user turn: the prompt, then the corrections of a failed attempt when there are any."""
    if not request.corrections:
        return request.prompt
    problems = "\n".join(f"- {problem}" for problem in request.corrections)
    return (
        f"{request.prompt}\n\n"
        "Your previous answer was invalid. Answer again in full, as JSON matching the schema, "
        f"and fix exactly these problems:\n{problems}"
    )


class ClaudeGenerator:
    """A :class:`~shared.ports.textgen.TextGenerator` on Anthropic's Messages API.

    Direct: pass ``api_key`` (and ``base_url`` for a non-default endpoint; when None the SDK
    reads ``ANTHROPIC_BASE_URL``). On Vertex AI: pass ``vertex_project`` and ``vertex_region``;
    credentials come from ``vertex_credentials`` or Application Default Credentials. The SDK
    client is built on first use.
    """

    name = "anthropic"

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None = None,
        model: str = DEFAULT_MODEL,
        vertex_project: str | None = None,
        vertex_region: str | None = None,
        vertex_credentials: Credentials | None = None,
        timeout_s: float = 60,
        max_retries: int = 2,
        max_inline_wait_s: float = 10,
        effort: Effort | None = None,
    ) -> None:
        self.model = model
        self._api_key = api_key
        self._base_url = base_url
        self._vertex_project = vertex_project
        self._vertex_region = vertex_region
        self._vertex_credentials = vertex_credentials
        self._timeout_s = timeout_s
        self._max_retries = max_retries
        self._max_inline_wait_s = max_inline_wait_s
        self._effort = effort
        self._client: anthropic.Anthropic | anthropic.AnthropicVertex | None = None
        self._lock = threading.Lock()

    @property
    def on_vertex(self) -> bool:
        return self._vertex_project is not None

    def generate(self, request: GenerationRequest) -> Generation:
        """One Messages call; raises TransientError (retry) or PermanentError."""
        # The SDKs load lazily: importing anthropic costs a Gemini-only cold start ~1.5 s.
        import anthropic
        from google.auth import exceptions as google_auth_errors

        params = self._params(request)
        try:
            message = self._get_client().messages.create(**params)
        except AdloopError:
            raise
        except json.JSONDecodeError as e:
            # A 200 whose body is not JSON: a proxy's error page, a cut stream. Worth a retry.
            raise TransientError("Anthropic sent a reply that is not JSON; will retry") from e
        except (anthropic.AnthropicError, google_auth_errors.GoogleAuthError) as e:
            raise translate_error(
                e, model=self.model, on_vertex=self.on_vertex, secret=self._api_key
            ) from e
        return self._to_generation(message)

    def _params(self, request: GenerationRequest) -> dict[str, Any]:
        output_config: dict[str, Any] = {"format": _json_format(request.schema)}
        if self._effort:
            output_config["effort"] = self._effort
        return {
            "model": self.model,
            "max_tokens": request.max_output_tokens,
            "system": request.system,
            "messages": [{"role": "user", "content": user_prompt(request)}],
            "output_config": output_config,
        }

    def _to_generation(self, message: anthropic.types.Message) -> Generation:
        if message.stop_reason == "refusal":
            raise PermanentError(f"Claude ({message.model}) refused to answer this prompt")
        usage = message.usage
        log.debug(
            "claude %s: %d in, %d out tokens",
            message.model,
            usage.input_tokens,
            usage.output_tokens,
        )
        return Generation(
            text=answer_text(message.content),
            provider=self.name,
            model=message.model or self.model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=estimate_cost(self.model, usage.input_tokens, usage.output_tokens),
        )

    def warm(self) -> None:
        """Import the SDK and build the client now, not on the first call."""
        self._get_client()

    def close(self) -> None:
        """Close the SDK client's connections (a later call opens new ones)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def _get_client(self) -> anthropic.Anthropic | anthropic.AnthropicVertex:
        with self._lock:
            if self._client is None:
                self._client = self._build_client()
            return self._client

    def _build_client(self) -> anthropic.Anthropic | anthropic.AnthropicVertex:
        import anthropic

        common: dict[str, Any] = {
            "base_url": self._base_url,
            "timeout": self._timeout_s,
            "max_retries": self._max_retries,
            "middleware": [_DeferLongWaits(self._max_inline_wait_s)],
        }
        if self.on_vertex:
            if not (self._vertex_project and self._vertex_region):
                raise PermanentError("Claude on Vertex needs a project and a region ('global')")
            return anthropic.AnthropicVertex(
                project_id=self._vertex_project,
                region=self._vertex_region,
                credentials=self._vertex_credentials,
                **common,
            )
        if not self._api_key:
            raise PermanentError("no Anthropic API key: set ANTHROPIC_API_KEY")
        return anthropic.Anthropic(api_key=self._api_key, **common)


def answer_text(content: list[Any]) -> str:
    """The answer in a reply's content blocks: a tool's input as JSON, else the joined text."""
    for block in content:
        if block.type == "tool_use":
            return json.dumps(block.input)
    return "".join(block.text for block in content if block.type == "text")


def _json_format(schema: dict[str, Any]) -> dict[str, Any]:
    import anthropic

    # transform_schema closes objects (additionalProperties: false) and moves constraints the
    # decoder cannot enforce (maxLength, minimum...) into descriptions the model still reads.
    try:
        return {"type": "json_schema", "schema": anthropic.transform_schema(schema)}
    except (ValueError, TypeError) as e:
        raise PermanentError(f"the answer schema cannot be used for structured output: {e}") from e


class _DeferLongWaits:
    """SDK middleware: a retryable reply asking for a long wait ends the call at once."""

    def __init__(self, max_inline_wait_s: float) -> None:
        self._limit = max_inline_wait_s

    def __call__(self, request: Any, call_next: Any) -> Any:
        response = call_next(request)
        status = response.status_code
        if status in _RETRYABLE_STATUSES or status >= 500:
            wait = retry_after_seconds(response.headers)
            if wait is not None and wait > self._limit:
                raise TransientError(
                    f"Anthropic answered HTTP {status} and asked to wait {wait:.0f}s; "
                    "leaving the wait to the queue",
                    retry_after=wait,
                )
        return response


def translate_error(
    error: Exception, *, model: str, on_vertex: bool, secret: str | None = None
) -> AdloopError:
    """The port's error for an SDK failure, with a message that says what to do."""
    import anthropic

    if isinstance(error, anthropic.APIStatusError):
        detail = redact(error.api_message or error.message, secret)
        return _status_error(error.status_code, detail, error.response.headers, model, on_vertex)
    if isinstance(error, anthropic.APITimeoutError):
        return TransientError("Anthropic did not answer in time (timeout); will retry")
    if isinstance(error, anthropic.APIConnectionError):
        cause = redact(repr(error.__cause__), secret) if error.__cause__ else "no detail"
        return TransientError(f"could not reach Anthropic ({cause}); will retry")
    if isinstance(error, anthropic.APIResponseValidationError):
        return TransientError("Anthropic sent a reply that is not a Messages response; will retry")
    return _other_error(error, secret)


def _status_error(
    status: int, detail: str, headers: Mapping[str, str], model: str, on_vertex: bool
) -> AdloopError:
    where = "Claude on Vertex AI" if on_vertex else "Anthropic"
    if status in _RETRYABLE_STATUSES or status >= 500:
        wait = retry_after_seconds(headers)
        return TransientError(
            f"{where} answered HTTP {status} ({detail}); will retry", retry_after=wait
        )
    hints = {
        401: "check the Google credentials of this service"
        if on_vertex
        else "check ANTHROPIC_API_KEY",
        402: "check the Anthropic account's billing",
        403: "enable the model in Model Garden and grant roles/aiplatform.user"
        if on_vertex
        else "check that the key's workspace may use this model",
        404: f"check the model id {model!r}" + (" and the Vertex region" if on_vertex else ""),
        413: "the prompt is too large; shorten the brief or its inputs",
    }
    hint = hints.get(status, "the request needs fixing; retrying will not help")
    return PermanentError(f"{where} refused the request with HTTP {status} ({detail}): {hint}")


def _other_error(error: Exception, secret: str | None) -> AdloopError:
    from google.auth import exceptions as google_auth_errors

    detail = redact(str(error), secret)
    if isinstance(error, google_auth_errors.DefaultCredentialsError):
        return PermanentError(
            "no Google credentials for Claude on Vertex AI: run "
            "'gcloud auth application-default login' or set GOOGLE_APPLICATION_CREDENTIALS"
        )
    if isinstance(error, google_auth_errors.TransportError) or getattr(error, "retryable", False):
        return TransientError(f"could not refresh Google credentials ({detail}); will retry")
    return PermanentError(f"Claude call failed: {detail}")
