"""Every step a deployment serves: the pipeline's flow (shared/pipeline/flow.py) with the
feedback loop's steps (shared/loop/flow.py) and the product-page reader
(shared/intake/page_step.py), and each step's function. The Cloud Functions, the
local runtime and the tests that run everything take their flow from here."""

from __future__ import annotations

from shared.intake.page_step import PAGE_STEPS
from shared.loop.flow import LOOP_STEPS
from shared.pipeline.flow import FLOW as PIPELINE
from shared.pipeline.stages import Flow
from shared.pipeline.step import Step

FLOW: Flow = PIPELINE.with_aside(*LOOP_STEPS, *PAGE_STEPS)
STEPS: dict[str, Step] = FLOW.runs()
