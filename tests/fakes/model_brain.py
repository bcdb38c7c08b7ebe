"""A fake model that answers from the prompt, the way a real one would: it reads the tagged
data sections adloop's prompts carry (<brief>, <brand>, <angles>, <ad>, <feedback>, <angle>)
and builds its answer with the offline engine's writer. Tests wrap it to misbehave on purpose."""

from __future__ import annotations

import json
import re
from typing import Any

from shared.creative.offline import angles, brand, writer

_SECTION = re.compile(r"<(?P<tag>[a-z_]+)>\n(?P<body>.*?)\n</(?P=tag)>", re.DOTALL)
_VARIATION = re.compile(r"Design variation (\d+) of")


def sections(prompt: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for m in _SECTION.finditer(prompt):
        body = m.group("body")
        try:
            found[m.group("tag")] = json.loads(body)
        except ValueError:
            found[m.group("tag")] = body
    return found


def task_of(prompt: str) -> str:
    s = sections(prompt)
    if "copy" in s:
        return "policy"
    if "feedback" in s:
        return "rewrite"
    if "ad" in s:
        return "judge"
    if "angle" in s:
        return "blueprint"
    if "angles" in s:
        return "write"
    if "patterns" in s:
        return "angles"
    return "brand"


def answer(prompt: str) -> Any:
    s = sections(prompt)
    task = task_of(prompt)
    if task == "policy":  # the model check on copy the policy rules were unsure about
        return {"findings": []}
    if task == "brand":
        return brand.build_brand(s["brief"])
    if task == "angles":
        # The angles prompt carries no brief; rebuild the essentials from the brand.
        seg = s["brand"]["segments"][0]
        brief = {
            "persona": seg["name"],
            "offer": s["brand"]["pillars"][-1],
            "product": s["brand"]["name"],
        }
        return {"angles": angles.mine_angles(brief, s["brand"], s["patterns"] or {})}
    if task == "write":
        return writer.build_set(s["brief"], s["angles"])
    if task == "judge":
        return {"scores": panel(s["ad"])}
    if task == "rewrite":
        # A model drops what the feedback names as an unsupported claim or a policy breach.
        feedback = str(s["feedback"])
        flagged = re.findall(r"\b[a-z_]+: '([^']+)' \(", feedback)
        return writer.rewrite(s["brief"], s["ad"], feedback, flagged)
    index = int(_VARIATION.search(prompt).group(1))  # type: ignore[union-attr]
    return writer.blueprint(s["brief"], s["angle"], index)


def panel(ad: dict[str, Any]) -> list[dict[str, Any]]:
    """A reviewer panel that reads the ad: short hooks and headlines score higher."""
    hook_words = len(str(ad.get("hook") or ad["headline"]).split())
    return [
        {
            "judge": "hook",
            "score": max(40, 100 - 6 * hook_words),
            "reason": f"{hook_words}-word hook",
        },
        {
            "judge": "clarity",
            "score": 90 if len(ad["headline"]) <= 24 else 70,
            "reason": f"{len(ad['headline'])}-character headline",
        },
        {
            "judge": "conversion_intent",
            "score": 85 if ad["cta"] else 40,
            "reason": ad["cta"] or "no CTA",
        },
    ]
