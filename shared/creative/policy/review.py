"""The model check's request and answer: pure (shared/pipeline/policy_review.py does the I/O).

The answer is validated before it counts: every rule id must be one the model was told about and
every span an exact substring of the ad, so a finding the model makes up is sent back as a
correction, never shown to a person.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field

from shared.creative.policy.doubts import MODEL_RULES, Doubt
from shared.creative.structure import parse
from shared.models.creative import Finding

PROMPT = "policy"
__all__ = ["MODEL_RULES", "PROMPT", "PolicyAnswer", "cache_key", "check_answer", "values"]


class ModelFinding(BaseModel):
    model_config = ConfigDict(extra="ignore")

    rule: str
    span: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class PolicyAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    findings: list[ModelFinding]


def cache_key(text: str, language: str, category: str | None, prompt_version: str) -> str:
    """The verdict's document id: the same text, language, category and prompt never ask twice."""
    raw = json.dumps([text, language, category or "", prompt_version], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def values(text: str, language: str, category: str | None, doubts: list[Doubt]) -> dict[str, str]:
    """The prompt's values."""
    return {
        "text": text,
        "language": language,
        "category": category or "not given",
        "doubts": "\n".join(f"- {d.rule}: {d.span!r} ({d.why})" for d in doubts),
    }


def check_answer(raw: str, text: str) -> tuple[list[Finding] | None, list[str]]:
    """The model's findings, or the problems to send back (unknown rule, span not in the ad)."""
    answer, problems = parse(raw, PolicyAnswer)
    if answer is None:
        return None, problems
    for f in answer.findings:
        if f.rule not in MODEL_RULES:
            problems.append(f"rule {f.rule!r} is not one of {', '.join(sorted(MODEL_RULES))}")
        if f.span not in text:
            problems.append(f"span {f.span!r} is not in the ad; copy the ad's exact words")
    if problems:
        return None, problems
    return [
        Finding(rule=f.rule, span=f.span, reason=f"model review: {f.reason}")
        for f in answer.findings
    ], []
