"""Every step the task routes know, in flow order: each step's function, as flow.py names it."""

from __future__ import annotations

from shared.pipeline.flow import FLOW
from shared.pipeline.step import Step

STEPS: dict[str, Step] = FLOW.runs()
