"""Text generation: the model providers behind one port.

Every provider answers with raw text that should hold JSON; validation (``shared/creative``)
extracts and checks it the same way whatever wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class GenerationRequest:
    task: str  # brand | angles | write | rewrite | blueprint | judge
    system: str
    prompt: str
    schema: dict[str, Any]  # JSON schema of the answer
    prompt_version: str
    # The structured inputs the prompt was rendered from. Model providers ignore it; the offline
    # engine builds its answer from it.
    context: dict[str, Any] = field(default_factory=dict)
    # Corrections from a failed validation, for the corrective retry.
    corrections: list[str] = field(default_factory=list)
    max_output_tokens: int = 8_192


@dataclass(frozen=True)
class Generation:
    text: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cost_usd: float


class TextGenerator(Protocol):
    name: str

    def generate(self, request: GenerationRequest) -> Generation:
        """One model call. Raises TransientError (retry) or PermanentError."""
        ...
