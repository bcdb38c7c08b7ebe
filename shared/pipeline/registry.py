"""Every step the task routes know, in pipeline order."""

from __future__ import annotations

from shared.loop.steps import loop_learn, loop_meta_report
from shared.pipeline.runner import Step
from shared.pipeline.steps.angles import angles
from shared.pipeline.steps.blueprint import blueprint
from shared.pipeline.steps.export import export
from shared.pipeline.steps.feedback import regenerate as regenerate_creative
from shared.pipeline.steps.feedback import tag
from shared.pipeline.steps.finalize import finalize
from shared.pipeline.steps.govern import govern
from shared.pipeline.steps.intake import intake
from shared.pipeline.steps.judge import judge
from shared.pipeline.steps.publish import progress, publish
from shared.pipeline.steps.rank import rank
from shared.pipeline.steps.render import render
from shared.pipeline.steps.validate import validate
from shared.pipeline.steps.write import write

STEPS: dict[str, Step] = {
    "intake": intake,
    "angles": angles,
    "write": write,
    "validate": validate,
    "govern": govern,
    "judge": judge,
    "blueprint": blueprint,
    "rank": rank,
    "render": render,
    "publish": publish,
    "finalize": finalize,
    # Review in Slack: progress messages, reactions and thread replies.
    "progress": progress,
    "tag": tag,
    "regenerate": regenerate_creative,
    "export": export,
    # The feedback loop: pull a finished Meta report; learn after new performance data.
    "loop_meta_report": loop_meta_report,
    "loop_learn": loop_learn,
}
