"""The pipeline, declared once: every step, its queue, what follows it, and whether Slack
progress shows it. The runner enqueues successors from here; the Cloud Function entry points
(functions/main.py) and the Slack progress lines are derived from it, and tests/infra/test_flow.py
checks terraform deploys a function for every step and every queue. The feedback loop's steps
(export, the performance loop) build on the pipeline and are declared beside their code, in
shared/loop/flow.py; shared/steps.py puts the two together for the deployables.

A campaign runs the ``chain`` top to bottom, one stage after the other: a step is one task; a
``group`` runs each of its steps once per item (``each``), in parallel, and the last item of the
group to finish starts the next stage. A stage with ``when`` is skipped in deployments where it
does not hold. The steps ``aside`` are started from outside the chain (Slack, webhooks, a timer).

To add a step: write its function (``fn(ctx, task) -> StepResult``) and add its line here;
terraform's ``local.task_functions`` must then name it too (the test says so).
"""

from __future__ import annotations

from shared.models.campaign import Campaign
from shared.pipeline.stages import Flow, fixed, group, per_campaign, returned, step
from shared.settings import Settings

# The five videos of the A–G set (seed 000), rendered one task each.
VIDEOS = ("V1", "V2", "V3", "V4", "V5")


def rendering(settings: Settings) -> bool:
    """ADLOOP_RENDER: videos are rendered (off where no render job is available)."""
    return settings.render


def slack_configured(settings: Settings) -> bool:
    """SLACK_BOT_TOKEN is set: the creatives are posted to the campaign's channel."""
    return settings.slack_bot_token is not None


def variations(campaign: Campaign) -> list[str]:
    """B01..Bnn, as many as the brief asks for."""
    return [f"B{i:02d}" for i in range(1, campaign.brief.variations + 1)]


FLOW = Flow(
    chain=(
        # brief -> brand profile; product images fetched and stored.
        step("intake", "shared.pipeline.steps.intake:intake"),
        step("angles", "shared.pipeline.steps.angles:angles"),
        # The A–G set and the V1–V5 video prompts, then checked (asked again when wrong).
        step("write", "shared.pipeline.steps.write:write"),
        step("validate", "shared.pipeline.steps.validate:validate"),
        # Brand and policy checks; returns the creatives it kept.
        step("govern", "shared.pipeline.steps.govern:govern"),
        # Fan-out: a judge task per creative and a blueprint task per variation, in parallel;
        # fan-in: the last of them all sends rank. (expected: the group's size for a campaign
        # document from before fan-outs were announced on it.)
        group(
            "judge",
            step(
                "judge",
                "shared.pipeline.steps.judge:judge",
                each=returned("creative govern returned (A–G)", expected=7),
            ),
            step(
                "blueprint",
                "shared.pipeline.steps.blueprint:blueprint",
                each=per_campaign("video-ad variation (B01..Bnn)", variations),
            ),
        ),
        step("rank", "shared.pipeline.steps.rank:rank"),
        # One render job per video; the last video to finish sends the campaign on.
        group(
            "render",
            step(
                "render", "shared.pipeline.steps.render:render", queue="render", each=fixed(*VIDEOS)
            ),
            when=rendering,
        ),
        # One Slack message per creative, in the campaign's channel.
        step("publish", "shared.pipeline.steps.publish:publish", when=slack_configured),
        step("finalize", "shared.pipeline.steps.finalize:finalize"),
    ),
    aside=(
        # Posts and edits the campaign message; while the campaign runs it re-queues itself with
        # a delay (publish.py enqueues that one: the outbox sends without delay).
        step("progress", "shared.pipeline.steps.publish:progress", queue="feedback", shown=False),
        # A reviewer's reaction (tag) or thread reply (regenerate) on a creative.
        step("tag", "shared.pipeline.steps.review:tag", queue="feedback", shown=False),
        step(
            "regenerate",
            "shared.pipeline.steps.review:regenerate",
            queue="feedback",
            shown=False,
        ),
        # A thread reply "sources" / "claims" / "fuentes": the creative's claims and their sources.
        step("sources", "shared.pipeline.steps.sources:sources", queue="feedback", shown=False),
    ),
)
