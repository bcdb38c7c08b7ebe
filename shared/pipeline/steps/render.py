"""render: one task per video (V1–V5). Builds the render spec from the copy that uses the
video, starts the render job through the job-runner port and waits for it; the videos are one
group (shared/pipeline/flow.py): the last to finish sends the campaign on. A redelivered task
finds the job it started and waits for that one instead of starting another; a failed job is
started again, up to ``render_attempts``."""

from __future__ import annotations

import json
import time
from pathlib import PurePosixPath
from typing import Any

from shared import brands
from shared.errors import NotFound, PermanentError, TransientError
from shared.models.brand import BrandKit
from shared.models.creative import VideoPrompt
from shared.models.render import SCENES, DesignSpec, spec_from_prompt
from shared.pipeline import store
from shared.pipeline.inputs import is_input_blob
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps._common import load_creatives
from shared.ports.queue import Task
from shared.render_design import ROLES, facts_from_brief


def render(ctx: StepContext, task: Task) -> StepResult:
    cid, vid = task.campaign_id, task.key
    docs, blobs = ctx.services.documents, ctx.services.blobs
    video = store.load_video(docs, cid, vid)
    if video is None:
        raise PermanentError(f"no video prompt {vid} to render")
    prefix = f"campaigns/{cid}/render/{vid}"
    spec_path = f"{prefix}/spec.json"
    if not blobs.exists(spec_path):
        blobs.put(
            spec_path,
            json.dumps(build_spec(ctx, video, prefix)).encode(),
            content_type="application/json",
        )
    manifest = _run(ctx, cid, vid, spec_path, f"{prefix}/out")
    out = f"{prefix}/out"
    assets = {
        o["target"].replace(":", "x"): {
            "video": f"{out}/{o['video']}",
            "poster": f"{out}/{o['poster']}",
            "sheet": f"{out}/{o['contact_sheet']}",
        }
        for o in manifest["outputs"]
    }
    # ``encoder`` is kept beside the model's fields (what the job used: NVENC or x264).
    rendered = video.model_copy(
        update={"assets": assets, "render_status": "done", "encoder": manifest.get("encoder")}
    )
    return StepResult(writes=store.video_write(cid, rendered))


def build_spec(ctx: StepContext, video: VideoPrompt, prefix: str) -> dict[str, Any]:
    """The render spec: the copy of the first ad that uses this video, the brief's colours (else
    the brand kit's), the kit's logo and the campaign's product images (copied beside the spec,
    as the job reads only its own folder), designed from the brief's facts."""
    users = [c for c in load_creatives(ctx) if c.video_id == video.id]
    ad = next((c for c in users if not c.reused), users[0] if users else None)
    if ad is None:
        raise PermanentError(f"no ad uses video {video.id}")
    brief = ctx.campaign.brief
    products = _copy_products(ctx, prefix)
    kit = _kit(ctx)
    hook = ad.hook or ad.headline
    script = f"{hook} {ad.headline}. {ad.cta}."
    duration = round(min(15.0, max(6.0, len(script.split()) / 2.4 + 1.5)), 1)
    spec = spec_from_prompt(
        video_id=video.id,
        prompt=video.prompt,
        headline=ad.headline,
        script=script,
        cta=ad.cta,
        language=ad.language.value,
        brand_colors=list(brief.brand_colors) or (list(kit.colors) if kit else []),
        product_images=products,
        logo=_copy_logo(ctx, kit, prefix),
        targets=ctx.services.settings.render_targets,
        duration_s=duration,
    )
    # Designed scenes (gpu_jobs/layouts): hook, product and offer, each video its own layout
    # sequence (V1-V5), facts only from the brief, an end card last.
    texts = [hook, ad.headline, ad.cta]
    scenes = [
        scene.model_copy(update={"role": role, "text": text[:160]})
        for scene, role, text in zip(spec.scenes, ROLES, texts, strict=True)
    ]
    facts = facts_from_brief(brief, cta=ad.cta, language=ad.language.value)
    variant = (int(video.id[1:]) - 1) % 5
    spec = spec.model_copy(
        update={"scenes": scenes, "design": DesignSpec(variant=variant, facts=facts)}
    )
    return spec.model_dump(mode="json", exclude_none=True)


def _copy_products(ctx: StepContext, prefix: str) -> list[str]:
    """The campaign's input images (blobs only, its own), one per scene at most, beside the spec;
    their names relative to it."""
    cid = ctx.campaign.id
    names = []
    for n, blob in enumerate(ctx.campaign.product_images[:SCENES], 1):
        if not is_input_blob(cid, blob):
            raise PermanentError(f"product image {blob!r} is not one of campaign {cid}'s inputs")
        name = f"product-{n}{PurePosixPath(blob).suffix}"
        ctx.services.blobs.put(f"{prefix}/{name}", ctx.services.blobs.get(blob))
        names.append(name)
    return names


def _kit(ctx: StepContext) -> BrandKit | None:
    """The brand kit at the version the campaign used: its colours (when the brief gives none)
    and its logo go into the video."""
    campaign = ctx.campaign
    if not campaign.brand_id or campaign.brand_version is None:
        return None
    return brands.load_version(ctx.services.documents, campaign.brand_id, campaign.brand_version)


def _copy_logo(ctx: StepContext, kit: BrandKit | None, prefix: str) -> str | None:
    """The kit's logo blob beside the spec (the job reads only its own folder); its name."""
    if kit is None or not kit.logo or not kit.logo.startswith(f"brands/{kit.id}/"):
        return None
    name = f"logo{PurePosixPath(kit.logo).suffix}"
    ctx.services.blobs.put(f"{prefix}/{name}", ctx.services.blobs.get(kit.logo))
    return name


def _run(ctx: StepContext, cid: str, vid: str, spec_path: str, out_prefix: str) -> dict[str, Any]:
    docs, jobs, settings = ctx.services.documents, ctx.services.jobs, ctx.services.settings
    record_path = f"renders/{cid}:{vid}"
    record = docs.get(record_path) or {"attempts": 0, "run": None}
    manifest_path = f"{out_prefix}/manifest.json"
    deadline = time.monotonic() + settings.render_wait_s
    while True:
        state = _state(ctx, record["run"])
        # A run whose starter died may still have finished: its manifest is written last.
        if state == "succeeded" or (state == "lost" and ctx.services.blobs.exists(manifest_path)):
            manifest: dict[str, Any] = json.loads(ctx.services.blobs.get(manifest_path))
            return manifest
        if state in ("none", "failed", "lost"):
            # Only the job's own failures count against the attempts, not a lost starter.
            failures = int(record.get("failures", 0)) + (state == "failed")
            if failures >= settings.render_attempts:
                detail = _message(ctx, record["run"])
                raise PermanentError(f"render of {vid} failed {failures} times: {detail}")
            run = jobs.start(settings.render_job, args=[spec_path, out_prefix], env=job_env(ctx))
            record = {"attempts": record["attempts"] + 1, "failures": failures, "run": run.id}
            docs.set(record_path, record)  # before waiting: a redelivery waits for this run
        if time.monotonic() > deadline:
            raise TransientError(f"render of {vid} still running", retry_after=30)
        time.sleep(0.25)


def _state(ctx: StepContext, run_id: str | None) -> str:
    if not run_id:
        return "none"
    try:
        return ctx.services.jobs.status(run_id).state
    except NotFound:
        return "lost"  # started by a process that has since died; start another


def _message(ctx: StepContext, run_id: str | None) -> str:
    try:
        return ctx.services.jobs.status(run_id).message[-600:] if run_id else ""
    except NotFound:
        return "the job's process is gone"


def job_env(ctx: StepContext) -> dict[str, str]:
    """Where the job finds its blobs: the local folder, or the bucket."""
    blobs = ctx.services.blobs
    root = getattr(blobs, "root", None)
    if root is not None:
        return {"ADLOOP_BLOBS_DIR": str(root)}
    settings = ctx.services.settings
    return {
        "ADLOOP_BACKEND": "gcp",
        "ADLOOP_BUCKET": settings.bucket or "",
        "ADLOOP_GCP_PROJECT": settings.gcp_project or "",
    }
