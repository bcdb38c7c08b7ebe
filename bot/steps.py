"""The pipeline steps the Slack bot adds; ``shared/pipeline/registry.py`` lists the same."""

from __future__ import annotations

from shared.pipeline.runner import Step
from shared.pipeline.steps.feedback import regenerate, tag
from shared.pipeline.steps.publish import progress, publish

BOT_STEPS: dict[str, Step] = {
    "progress": progress,
    "publish": publish,
    "tag": tag,
    "regenerate": regenerate,
}
