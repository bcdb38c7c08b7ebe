"""The offline engine: a TextGenerator that needs no network and no keys.

It answers every task the pipeline asks of a model, building the answer from the request's
structured context (the brief, the brand, the angles) rather than from the prompt text. What it
writes says that it came from the offline engine (provider ``offline``).
"""

from __future__ import annotations

import json
from typing import Any

from shared.creative.offline import angles, brand, page, writer
from shared.creative.offline.words import estimate_tokens
from shared.errors import BadInput
from shared.ports.textgen import Generation, GenerationRequest

MODEL = "adloop-offline-1"


class OfflineGenerator:
    name = "offline"

    def generate(self, request: GenerationRequest) -> Generation:
        answer = self._answer(request.task, request.context)
        text = json.dumps(answer, ensure_ascii=False)
        return Generation(
            text=text,
            provider=self.name,
            model=MODEL,
            input_tokens=estimate_tokens(request.system + request.prompt),
            output_tokens=estimate_tokens(text),
            cost_usd=0.0,
        )

    def _answer(self, task: str, ctx: dict[str, Any]) -> Any:
        brief = ctx.get("brief") or {}
        if task == "brand":
            return brand.build_brand(brief)
        if task == "angles":
            return {"angles": angles.mine_angles(brief, ctx["brand"], ctx.get("patterns") or {})}
        if task == "write":
            return writer.build_set(brief, ctx.get("angles") or [])
        if task == "rewrite":
            return writer.rewrite(
                brief, ctx["creative"], ctx.get("feedback", ""), ctx.get("flagged") or ()
            )
        if task == "page":
            return page.extract(ctx["page"])
        if task == "blueprint":
            return writer.blueprint(brief, ctx["angle"], int(ctx["index"]))
        raise BadInput(f"the offline engine has no task {task!r}")
