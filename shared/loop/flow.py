"""The feedback loop's steps, aside from the pipeline's chain (shared/pipeline/flow.py): what a
reviewer's Export click and the ad platforms' performance start. Declared here, beside their
code, because the loop builds on the pipeline and the pipeline never names the loop;
shared/steps.py adds them to the pipeline's flow for the deployables."""

from __future__ import annotations

from shared.loop.export_step import export
from shared.loop.steps import loop_learn, loop_meta_report
from shared.loop.tiktok_report import loop_tiktok_report
from shared.pipeline.stages import StepSpec, returned, step

LOOP_STEPS: tuple[StepSpec, ...] = (
    # A reviewer clicked Export: the platform's bulk-upload file, posted in the thread.
    step("export", export, queue="feedback", shown=False),
    # The performance loop: a requested Meta report is checked until its run is done (each
    # check queues the next itself), then read; each campaign it had rows for learns from it.
    # Webhook deliveries of report rows start loop_learn directly too.
    step("loop_meta_report", loop_meta_report, queue="feedback", shown=False, then="loop_learn"),
    # TikTok pushes no figures: the scheduler's daily pull reads its report, then each campaign
    # it had rows for learns from it.
    step(
        "loop_tiktok_report", loop_tiktok_report, queue="feedback", shown=False, then="loop_learn"
    ),
    step(
        "loop_learn",
        loop_learn,
        queue="feedback",
        shown=False,
        each=returned("campaign the report had rows for"),
    ),
)
