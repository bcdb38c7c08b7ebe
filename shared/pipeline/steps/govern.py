"""govern: brand consistency (bar 0.75), ad-policy compliance and claim grounding for every
creative. Rejected copy is regenerated once with the findings in the prompt; then the verdict
stands and is shown, and each creative keeps its claims and the source of each (``claims``).
Returns the creatives it governed: the flow judges each of them."""

from __future__ import annotations

from collections.abc import Sequence

from shared.creative import brand_score, claims, policy
from shared.creative.schema import RewriteAnswer
from shared.creative.structure import copy_problems, parse
from shared.models.brand import BrandProfile
from shared.models.creative import ClaimTrace, Creative, Finding
from shared.pipeline import policy_review, store
from shared.pipeline.generation import generate_valid, request
from shared.pipeline.policy_review import PolicyCheck
from shared.pipeline.runner import Item, StepContext, StepResult
from shared.pipeline.steps._common import brief_dict, load_brand, load_creatives
from shared.pipeline.steps._grounding import Grounder, dumped
from shared.ports.documents import Doc
from shared.ports.queue import Task
from shared.ports.textgen import Generation


def verdict(
    text: str,
    language: str,
    brand: BrandProfile,
    bar: float,
    traces: Sequence[ClaimTrace] = (),
    policy_check: PolicyCheck | None = None,
) -> tuple[float, list[Finding], bool]:
    """Brand score, findings and whether the copy passes. ``traces``: the text's claims as
    grounded against the brief (_grounding.Grounder); each unsupported one is a finding.
    ``policy_check`` (rules plus the model check) replaces the rules alone when given."""
    if policy_check is None:
        findings = policy.check(text, language, brand.avoid)
    else:
        findings = policy_check(text, language)
    findings += claims.findings(traces)
    score = brand_score.score(text, brand.for_language(language)).score
    return score, findings, score >= bar and not findings


def govern(ctx: StepContext, task: Task) -> StepResult:
    brand = load_brand(ctx)
    bar = ctx.services.settings.brand_bar
    grounder = Grounder(brief_dict(ctx), brand)
    writes: dict[str, Doc] = {}
    calls: list[Generation] = []
    check = policy_review.checker(ctx, brand.avoid, ctx.campaign.brief.category, calls)
    for creative in load_creatives(ctx):
        language = creative.language.value
        traces = grounder.ground([copy_text(creative)], language)
        score, findings, ok = verdict(copy_text(creative), language, brand, bar, traces, check)
        if not ok:
            reasons = [f"{f.rule}: '{f.span}' ({f.reason})" for f in findings]
            if score < bar:
                reasons.append(
                    f"brand consistency {score:.2f} is below {bar}; "
                    f"sound like: {', '.join(brand.voice)}"
                )
            creative, used = rewrite_creative(
                ctx,
                brand,
                creative,
                "Fix these compliance and brand problems: " + "; ".join(reasons),
                flagged=[f.span for f in findings],
            )
            calls += used
            traces = grounder.ground([copy_text(creative)], language)
            score, findings, ok = verdict(copy_text(creative), language, brand, bar, traces, check)
        scores = creative.scores.model_copy(update={"brand": round(score, 3), "findings": findings})
        status = "Governed" if ok else "Flagged"
        update = {"scores": scores, "status": status, "claims": dumped(traces)}
        writes |= store.creative_write(creative.model_copy(update=update))
    labels = sorted(doc["label"] for doc in writes.values())
    return StepResult(writes=writes, calls=calls, items=[Item(label) for label in labels])


def copy_text(creative: Creative) -> str:
    return f"{creative.headline}. {creative.primary_text} {creative.cta}"


def rewrite_creative(
    ctx: StepContext,
    brand: BrandProfile,
    creative: Creative,
    feedback: str,
    flagged: Sequence[str] = (),
) -> tuple[Creative, list[Generation]]:
    """``creative`` with its copy rewritten by the model to answer ``feedback`` (its scores and
    status are the caller's to update); and the calls made. ``flagged``: the spans the govern
    step found, for an engine that reads structure rather than the prompt (offline)."""
    public = creative.model_dump(
        mode="json",
        include={
            "label",
            "funnel_stage",
            "language",
            "headline",
            "primary_text",
            "cta",
            "hook",
            "iteration",
        },
    )
    language = creative.language.value
    req = request(
        "rewrite",
        "rewrite",
        RewriteAnswer,
        values={
            "brief_json": brief_dict(ctx),
            "brand_json": brand.model_dump(mode="json"),
            "creative_json": public,
            "feedback": feedback,
            "language": language,
            "funnel_stage": creative.funnel_stage.value,
        },
        context={
            "brief": brief_dict(ctx),
            "brand": brand.model_dump(mode="json"),
            "creative": public,
            "feedback": feedback,
            "flagged": list(flagged),
        },
    )

    def check(text: str) -> tuple[RewriteAnswer | None, list[str]]:
        answer, problems = parse(text, RewriteAnswer)
        if answer is None:
            return None, problems
        problems = copy_problems(creative.label, answer.headline, answer.primary_text, language)
        return (answer if not problems else None), problems

    out = generate_valid(ctx, "rewrite", req, check)
    revised = creative.model_copy(
        update={
            **out.answer.model_dump(),
            "prompt_version": out.prompt_version,
            "provider": out.provider,
        }
    )
    return revised, out.calls
