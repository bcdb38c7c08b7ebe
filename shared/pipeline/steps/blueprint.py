"""blueprint: one video-ad variation (hook, scenes, voice-over, CTA), validated, governed and
judged in one task; one item of the judge group, with the A–G set (shared/pipeline/flow.py).
Its hook, on-screen text, voice-over and CTA are grounded in the brief: an unsupported claim is a
correction the model gets, and a variation that keeps one is Flagged, its claims stored."""

from __future__ import annotations

from shared.creative.offline.phrases import HOOKS
from shared.creative.schema import BlueprintAnswer
from shared.creative.structure import check_blueprint
from shared.models.creative import Blueprint, Scene, Scores
from shared.pipeline import store
from shared.pipeline.generation import generate_valid, request
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import brand_stamp, brief_dict, load_brand
from shared.pipeline.steps._grounding import Grounder, dumped
from shared.pipeline.steps.govern import verdict
from shared.pipeline.steps.judge import score_copy
from shared.ports.queue import Task


def blueprint(ctx: StepContext, task: Task) -> StepResult:
    index = int(task.key.lstrip("B"))
    brief = brief_dict(ctx)
    brand = load_brand(ctx)
    angles = ctx.campaign.angles or [{"id": "pain_first", "segment": brief["persona"]}]
    angle = angles[(index - 1) % len(angles)]
    spanish = "es" in brief["languages"]
    language = "es" if spanish and index % 5 == 0 else "en"
    names = list(HOOKS[language])
    framework = names[(index - 1) % len(names)]
    req = request(
        "blueprint",
        "blueprint",
        BlueprintAnswer,
        values={
            "brief_json": brief,
            "brand_json": brand.model_dump(mode="json"),
            "angle_json": angle,
            "index": index,
            "total": ctx.campaign.brief.variations,
            "framework": framework,
            "language": language,
        },
        context={
            "brief": brief,
            "brand": brand.model_dump(mode="json"),
            "angle": angle,
            "index": index,
        },
    )
    grounder = Grounder(brief, brand)
    check = grounder.checked(
        lambda text: check_blueprint(text, language), lambda a: [(t, a.language) for t in spoken(a)]
    )
    out = generate_valid(ctx, "blueprint", req, check)
    a = out.answer
    text = " ".join([a.hook, a.voiceover, a.cta])
    traces = grounder.ground(spoken(a), a.language)
    score, findings, ok = verdict(text, a.language, brand, ctx.services.settings.brand_bar, traces)
    scores = score_copy(
        ctx, headline=a.hook, primary_text=a.voiceover, cta=a.cta, hook=a.hook, language=a.language
    )
    bp = Blueprint(
        campaign_id=task.campaign_id,
        label=task.key,
        hook=a.hook,
        hook_framework=a.hook_framework,
        angle=a.angle,
        segment=a.segment,
        language=a.language,
        scenes=[Scene(**s.model_dump()) for s in a.scenes],
        voiceover=a.voiceover,
        cta=a.cta,
        prompt_version=out.prompt_version,
        provider=out.provider,
        **brand_stamp(ctx),
        scores=Scores.model_validate({**scores, "brand": round(score, 3), "findings": findings}),
    )
    # ``status`` as a creative has it, and its ``claims`` (the Blueprint model does not declare
    # them; kept as extras).
    governed = bp.model_copy(
        update={"status": "Governed" if ok else "Flagged", "claims": dumped(traces)}
    )
    return StepResult(writes=store.blueprint_write(governed), calls=out.calls)


def spoken(answer: BlueprintAnswer) -> list[str]:
    """What a viewer reads or hears of a variation: each may carry a claim."""
    return [answer.hook, *(s.on_screen_text for s in answer.scenes), answer.voiceover, answer.cta]
