"""The text-generation adapters the contract suite runs, built through their constructors.

One place to re-point when the composition root changes: each entry says how to build the adapter
against its local wire-format server and what the provider answers to a prompt that is too large.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from google.oauth2.credentials import Credentials

from shared.adapters.anthropic_claude import ClaudeGenerator
from shared.adapters.vertex_gemini import GeminiGenerator
from shared.ports.textgen import TextGenerator
from tests.fakes import FakeAnthropicAPI, FakeVertexAPI, HttpError, Reply, anthropic_api, vertex_api
from tests.fakes.http_server import RecordedRequest, ScriptedAPI

API_KEY = "sk-ant-contract-KEY-never-shown"
TOKEN = "ya29.contract-TOKEN-never-shown"


@dataclass(frozen=True)
class Remote:
    """A model provider's adapter and its fake API."""

    name: str
    fake: Callable[[list[Reply]], ScriptedAPI]
    build: Callable[..., TextGenerator]  # (fake, **options) -> adapter
    prompt_of: Callable[[RecordedRequest], str]
    # The provider's documented answer to a prompt over its size limit.
    oversize: HttpError
    secret: str

    @contextmanager
    def serving(self, script: list[Reply], **options: Any) -> Iterator[tuple[Any, Any]]:
        """(fake, adapter) with the fake answering ``script``; the adapter closed afterwards.
        Options default to no inline retries (a test that wants them asks)."""
        with self.fake(script) as fake:
            generator = self.build(fake, **{"max_retries": 0, **options})
            try:
                yield fake, generator
            finally:
                generator.close()  # type: ignore[attr-defined]


def _claude(fake: FakeAnthropicAPI, **options: Any) -> ClaudeGenerator:
    return ClaudeGenerator(api_key=API_KEY, base_url=fake.url, **options)


def _gemini(fake: FakeVertexAPI, **options: Any) -> GeminiGenerator:
    return GeminiGenerator(
        project="adloop-contract",
        api_endpoint=fake.url,
        credentials=Credentials(token=TOKEN),
        **options,
    )


REMOTES = {
    "anthropic": Remote(
        name="anthropic",
        fake=FakeAnthropicAPI,
        build=_claude,
        prompt_of=anthropic_api.prompt_of,
        # https://docs.claude.com/en/api/errors: "413 - request_too_large: Request exceeds the
        # maximum allowed number of bytes. The maximum request size is 32 MB".
        oversize=HttpError(413, "Request exceeds the maximum allowed number of bytes."),
        secret=API_KEY,
    ),
    "vertex": Remote(
        name="vertex",
        fake=FakeVertexAPI,
        build=_gemini,
        prompt_of=vertex_api.prompt_of,
        # https://docs.cloud.google.com/vertex-ai/generative-ai/docs/model-reference/api-errors:
        # 400 INVALID_ARGUMENT, example "Request exceeds the model's input token limit" (the
        # message below is the wording Gemini uses for it).
        oversize=HttpError(
            400,
            "The input token count (1048577) exceeds the maximum number of tokens allowed "
            "(1048576).",
        ),
        secret=TOKEN,
    ),
}
