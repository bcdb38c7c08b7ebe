"""The model check beside the policy rules: copy the rules cannot settle goes to the model once.

Offline (the govern step's provider is the offline engine) the rules alone decide. Otherwise the
doubts in a text (shared/creative/policy/doubts.py) are put to the model with the versioned
``policy`` prompt; its validated verdict is kept in the documents store under
``policy_reviews/{sha256(text, language, category, prompt version)}``, so a redelivered task, a
re-check after a rewrite to the same words, or another campaign with the same copy reads it
instead of asking again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shared.creative import policy, prompts
from shared.creative.policy import review
from shared.creative.policy.doubts import doubts
from shared.models.creative import Finding
from shared.pipeline.generation import WithServices, generate_valid, request
from shared.ports.textgen import Generation

STEP = "govern"  # whose provider the check uses (settings.llm_steps may set it)
COLLECTION = "policy_reviews"

PolicyCheck = Callable[[str, str], list[Finding]]


def checker(
    ctx: WithServices,
    avoid: Sequence[str],
    category: str | None,
    calls: list[Generation],
) -> PolicyCheck:
    """``check(text, language)``: the rules' findings plus the model's on their doubts (the
    model calls made are appended to ``calls``)."""

    def check(text: str, language: str) -> list[Finding]:
        found = policy.check(text, language, avoid, category=category)
        model_found, used = model_findings(ctx, text, language, category, found)
        calls.extend(used)
        return found + model_found

    return check


def model_findings(
    ctx: WithServices,
    text: str,
    language: str,
    category: str | None,
    found: list[Finding],
) -> tuple[list[Finding], list[Generation]]:
    """What the model finds in the doubts the rules left in ``text`` (none offline, when the
    rules already block the copy, or when they left no doubt), and the calls it took (none when
    the verdict was stored)."""
    if ctx.services.settings.provider_for(STEP) == "offline":
        return [], []
    if any(f.rule in policy.BLOCKING for f in found):
        return [], []  # the copy is rewritten or flagged whatever the model would add
    asked = doubts(text, language, found)
    if not asked:
        return [], []
    version = prompts.load(review.PROMPT).version
    path = f"{COLLECTION}/{review.cache_key(text, language, category, version)}"
    stored = ctx.services.documents.get(path)
    if stored is not None:
        return [Finding.model_validate(f) for f in stored["findings"]], []
    req = request(
        "policy",
        review.PROMPT,
        review.PolicyAnswer,
        values=review.values(text, language, category, asked),
        context={"text": text, "language": language, "category": category},
    )
    out = generate_valid(ctx, STEP, req, lambda raw: review.check_answer(raw, text))
    ctx.services.documents.create(
        path,
        {
            "findings": [f.model_dump(mode="json") for f in out.answer],
            "prompt_version": out.prompt_version,
            "provider": out.provider,
            "language": language,
            "category": category,
        },
    )
    return out.answer, out.calls
