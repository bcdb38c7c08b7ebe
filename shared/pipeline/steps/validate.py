"""validate: check the drafted set (JSON, A–G mapping, V1–V5, languages by detector, limits,
no unsupported claim in a video prompt); on failure ask again with exactly what was wrong, at
most twice; then store the creatives, and each video prompt with its claims. The creatives'
claims are the govern step's (it rewrites one ad, not the whole set)."""

from __future__ import annotations

from shared.creative.structure import check_set
from shared.errors import PermanentError
from shared.models.brief import Language
from shared.models.creative import Creative, FunnelStage, VideoPrompt
from shared.pipeline import store
from shared.pipeline.generation import generate_valid
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import brand_stamp, brief_dict, load_brand
from shared.pipeline.steps._grounding import Grounder, dumped
from shared.pipeline.steps.write import set_request
from shared.ports.documents import Doc
from shared.ports.queue import Task
from shared.ports.textgen import Generation


def validate(ctx: StepContext, task: Task) -> StepResult:
    draft = ctx.services.documents.get(store.draft_path(task.campaign_id, "set"))
    if draft is None:
        raise PermanentError("no drafted set to validate; the write step must run first")
    first = Generation(draft["text"], draft["provider"], draft["model"], 0, 0, 0.0)
    # Video prompts are written in English for the video model, whatever the ad's language.
    grounder = Grounder(brief_dict(ctx), load_brand(ctx))
    check = grounder.checked(check_set, lambda a: [(v.prompt, "en") for v in a.video_prompts])
    out = generate_valid(ctx, "write", set_request(ctx), check, first=first)
    provider = out.calls[-1].provider if out.calls else draft["provider"]
    writes: dict[str, Doc] = {}
    for c in out.answer.creatives:
        creative = Creative(
            campaign_id=task.campaign_id,
            label=c.label,
            funnel_stage=FunnelStage(c.funnel_stage),
            language=Language(c.language),
            headline=c.headline,
            primary_text=c.primary_text,
            cta=c.cta,
            video_id=c.video_id,
            reused=c.reused,
            angle=c.angle or None,
            hook=c.hook or None,
            prompt_version=draft["prompt_version"],
            provider=provider,
            **brand_stamp(ctx),
        )
        writes |= store.creative_write(creative)
    for v in out.answer.video_prompts:
        video = VideoPrompt(id=v.id, funnel_stage=FunnelStage(v.funnel_stage), prompt=v.prompt)
        claimed = video.model_copy(update={"claims": dumped(grounder.ground([v.prompt], "en"))})
        writes |= store.video_write(task.campaign_id, claimed)
    return StepResult(
        writes=writes,
        calls=out.calls,
        campaign={"corrective_retries": len(out.calls)},
    )
