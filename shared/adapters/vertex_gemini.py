"""Gemini on Vertex AI behind the text-generation port, through the Google Gen AI SDK.

Why not ``vertexai.generative_models``: google-cloud-aiplatform 2.7.0 still ships it, but every
``GenerativeModel`` warns that it was deprecated on 2025-06-24 for removal on 2026-06-24, Google
points to the Gen AI SDK (``google-genai``, which google-cloud-aiplatform 2.7.0 itself requires),
and ``vertexai.init`` is process-wide state. ``genai.Client(vertexai=True, ...)`` is per instance.

Structured output: ``response_mime_type="application/json"`` with ``response_json_schema``, the
answer schema reduced to the JSON Schema subset Gemini accepts (:func:`gemini_json_schema`).

Retries: the SDK retries 408/429/5xx and connection failures ``max_retries`` times with a short
exponential backoff (it does not read ``Retry-After``); the final failure becomes
``TransientError(retry_after=...)`` from the ``Retry-After`` header or the error's ``RetryInfo``
(:mod:`shared.adapters.google_genai`), so the queue waits as long as Google asked.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING, Any

from shared.adapters import google_genai
from shared.adapters.anthropic_claude import user_prompt
from shared.adapters.google_genai import base_url_of
from shared.adapters.pricing import estimate_cost
from shared.errors import PermanentError
from shared.ports.textgen import Generation, GenerationRequest

if TYPE_CHECKING:
    from google import genai
    from google.auth.credentials import Credentials
    from google.genai import types

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gemini-3.8-flash"
DEFAULT_LOCATION = "global"  # Gemini 3 models are served from the global endpoint

# JSON Schema keywords Gemini's response_json_schema understands; others are moved into the
# description (constraints the model should still follow) or dropped (annotations).
_KEPT = frozenset(
    {"$id", "$ref", "$anchor", "type", "format", "title", "description", "enum", "required"}
    | {"minItems", "maxItems", "minimum", "maximum"}
)
_SUBSCHEMA_MAPS = ("properties", "$defs")
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "prefixItems")
_DROPPED = frozenset({"$schema", "$comment", "default", "examples", "deprecated", "readOnly"})


def gemini_json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` reduced to what Gemini's ``response_json_schema`` accepts (pure).

    ``const`` becomes a one-value ``enum``; ``allOf`` and keywords Gemini ignores or rejects
    (``maxLength``, ``pattern``...) are written into ``description`` for the model to read.
    """
    out: dict[str, Any] = {}
    notes: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _KEPT:
            out[key] = value
        elif key in _SUBSCHEMA_MAPS:
            out[key] = {name: gemini_json_schema(sub) for name, sub in value.items()}
        elif key in _SUBSCHEMA_LISTS:
            out[key] = [gemini_json_schema(sub) for sub in value]
        elif key in ("items", "additionalProperties"):
            out[key] = gemini_json_schema(value) if isinstance(value, dict) else value
        elif key == "const":
            out["enum"] = [value]
        elif key not in _DROPPED:
            notes[key] = value
    if notes:
        text = ", ".join(f"{key}: {json.dumps(value)}" for key, value in notes.items())
        out["description"] = (out.get("description", "") + f"\n\n{{{text}}}").strip()
    return out


class GeminiGenerator:
    """A :class:`~shared.ports.textgen.TextGenerator` on Vertex AI's ``generateContent``.

    Credentials: ``credentials`` when given, else Application Default Credentials. The SDK
    client is built on first use. ``api_endpoint`` points it elsewhere (tests, a proxy).
    """

    name = "vertex"

    def __init__(
        self,
        *,
        project: str,
        location: str = DEFAULT_LOCATION,
        model: str = DEFAULT_MODEL,
        api_endpoint: str | None = None,
        credentials: Credentials | None = None,
        timeout_s: float = 60,
        max_retries: int = 2,
    ) -> None:
        self.model = model
        self._project = project
        self._location = location
        self._base_url = base_url_of(api_endpoint)
        self._credentials = credentials
        self._timeout_s = timeout_s
        self._max_retries = max_retries
        self._client: genai.Client | None = None
        self._lock = threading.Lock()

    def generate(self, request: GenerationRequest) -> Generation:
        """One generateContent call; raises TransientError (retry) or PermanentError."""
        from google.genai import types

        config = types.GenerateContentConfig(
            system_instruction=request.system,
            response_mime_type="application/json",
            response_json_schema=gemini_json_schema(request.schema),
            max_output_tokens=request.max_output_tokens,
        )
        client = self._get_client()
        response = google_genai.call(
            lambda: client.models.generate_content(
                model=self.model, contents=user_prompt(request), config=config
            ),
            model=self.model,
            retries=self._max_retries,
            first_wait_s=0.5,
            max_wait_s=8.0,
        )
        return self._to_generation(response)

    def _to_generation(self, response: types.GenerateContentResponse) -> Generation:
        text = answer_text(response)
        usage = response.usage_metadata
        input_tokens = (usage.prompt_token_count or 0) if usage else 0
        # Thinking tokens are billed as output.
        output_tokens = (
            (usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0) if usage else 0
        )
        log.debug("gemini %s: %d in, %d out tokens", self.model, input_tokens, output_tokens)
        return Generation(
            text=text,
            provider=self.name,
            model=response.model_version or self.model,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=estimate_cost(self.model, input_tokens, output_tokens),
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

    def _get_client(self) -> genai.Client:
        with self._lock:
            if self._client is None:
                self._client = self._build_client()
            return self._client

    def _build_client(self) -> genai.Client:
        from google import genai
        from google.genai import types

        retry = types.HttpRetryOptions(attempts=google_genai.NO_SDK_RETRIES)
        options = types.HttpOptions(
            base_url=self._base_url, timeout=int(self._timeout_s * 1000), retry_options=retry
        )
        return genai.Client(
            vertexai=True,
            project=self._project,
            location=self._location,
            credentials=self._credentials,
            http_options=options,
        )


def answer_text(response: types.GenerateContentResponse) -> str:
    """The answer's text parts joined (thoughts left out); PermanentError when there is none."""
    candidates = response.candidates or []
    if not candidates:
        feedback = response.prompt_feedback
        reason = _name(feedback.block_reason if feedback else None)
        raise PermanentError(f"Gemini returned no answer: the prompt was blocked ({reason})")
    candidate = candidates[0]
    parts = candidate.content.parts if candidate.content and candidate.content.parts else []
    text = "".join(part.text for part in parts if part.text and not part.thought)
    if not text and candidate.finish_reason not in (None, "STOP", "MAX_TOKENS"):
        reason = _name(candidate.finish_reason)
        raise PermanentError(f"Gemini returned no answer (finish reason {reason})")
    return text


def _name(value: Any) -> str:
    """An SDK enum's wire name ("SAFETY"), or "unknown"."""
    return str(getattr(value, "value", value) or "unknown")
