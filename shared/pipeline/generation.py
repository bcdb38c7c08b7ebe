"""Calling a model for a step: build the request from a versioned prompt, validate the answer,
and retry with corrections that say exactly what was wrong (at most twice)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from shared.creative import prompts
from shared.creative.schema import schema_of
from shared.errors import GenerationFailed
from shared.ports.textgen import Generation, GenerationRequest
from shared.services import Services

A = TypeVar("A")
MAX_CORRECTIONS = 2
Checker = Callable[[str], tuple[A | None, list[str]]]


class WithServices(Protocol):
    """What a model call needs of its caller: a step's context, or a reading done before any
    campaign exists (a product page read for a draft brief)."""

    @property
    def services(self) -> Services: ...


@dataclass
class Generated(Generic[A]):
    answer: A
    calls: list[Generation] = field(default_factory=list)
    prompt_version: str = ""
    provider: str = ""


def request(
    task: str,
    prompt_name: str,
    answer: type[BaseModel],
    *,
    values: dict[str, Any],
    context: dict[str, Any],
) -> GenerationRequest:
    prompt = prompts.load(prompt_name)
    return GenerationRequest(
        task=task,
        system=prompt.system,
        prompt=prompt.render(**values),
        schema=schema_of(answer),
        prompt_version=prompt.version,
        context=context,
    )


def generate_valid(
    ctx: WithServices,
    step: str,
    req: GenerationRequest,
    check: Checker[A],
    *,
    first: Generation | None = None,
) -> Generated[A]:
    """Call the model (or start from ``first``, an answer already made) until ``check`` passes."""
    generator = ctx.services.textgen(step)
    calls: list[Generation] = []
    problems: list[str] = []
    for attempt in range(MAX_CORRECTIONS + 1):
        if attempt == 0 and first is not None:
            gen = first
        else:
            gen = generator.generate(replace(req, corrections=problems) if problems else req)
            calls.append(gen)
        answer, problems = check(gen.text)
        if answer is not None:
            return Generated(answer, calls, req.prompt_version, gen.provider)
    raise GenerationFailed(
        f"{step}: the model's answer was still invalid after {MAX_CORRECTIONS} corrective retries",
        problems,
    )
