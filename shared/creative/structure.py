"""Structural validation of a model's answer, with the corrections a retry needs.

Each problem is phrased as an instruction the model can follow ("G: write it in Spanish; the
detector read English"), because the corrective retry sends these lines back verbatim.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from shared.creative import jsonx, language
from shared.creative.schema import BlueprintAnswer, CreativeDraft, SetAnswer

# Seed 000's mapping: label -> (funnel stage, language, video, reused).
SET_MAPPING: dict[str, tuple[str, str, str, bool]] = {
    "A": ("Awareness", "en", "V1", False),
    "B": ("Awareness", "en", "V2", False),
    "C": ("Awareness", "en", "V3", False),
    "D": ("Mid", "en", "V4", False),
    "E": ("Mid", "en", "V4", True),
    "F": ("Conversion", "en", "V5", False),
    "G": ("Full", "es", "V4", True),
}
VIDEO_STAGES = {
    "V1": "Awareness",
    "V2": "Awareness",
    "V3": "Awareness",
    "V4": "Mid",
    "V5": "Conversion",
}
HEADLINE_MAX = 30  # Google's responsive-search headline limit, the tightest of the platforms
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def parse(text: str, model: type[BaseModel]) -> tuple[Any, list[str]]:
    """Extract and shape-check the JSON in ``text``: (answer, problems)."""
    try:
        data = jsonx.extract_json(text)
    except jsonx.NoJson as e:
        return None, [f"answer with one JSON object only ({e})"]
    try:
        return model.model_validate(data), []
    except ValidationError as e:
        return None, [
            f"field {'.'.join(map(str, err['loc'])) or '(root)'}: {err['msg']}"
            for err in e.errors(include_url=False)
        ]


def check_set(text: str) -> tuple[SetAnswer | None, list[str]]:
    answer, problems = parse(text, SetAnswer)
    if answer is None:
        return None, problems
    problems = _mapping_problems(answer) + _video_problems(answer)
    for c in answer.creatives:
        problems += copy_problems(c.label, c.headline, c.primary_text, c.language)
    return (answer if not problems else None), problems


def check_blueprint(text: str, expected_language: str) -> tuple[BlueprintAnswer | None, list[str]]:
    answer, problems = parse(text, BlueprintAnswer)
    if answer is None:
        return None, problems
    hook_words = len(answer.hook.split())
    if hook_words > 8:
        problems.append(f"hook: {hook_words} words; keep it to 8 words or fewer")
    text_all = " ".join([answer.hook, answer.voiceover])
    problems += _language_problems("blueprint", text_all, expected_language)
    total = sum(s.duration_s for s in answer.scenes)
    if not 6 <= total <= 60:
        problems.append(f"scenes: {total:.1f} s in all; make them last 6 to 60 s")
    return (answer if not problems else None), problems


def copy_problems(label: str, headline: str, primary_text: str, lang: str) -> list[str]:
    problems = []
    if len(headline) > HEADLINE_MAX:
        problems.append(
            f"{label}: headline {headline!r} is {len(headline)} characters; "
            f"Google allows {HEADLINE_MAX}, shorten it"
        )
    problems += _language_problems(label, f"{headline}. {primary_text}", lang)
    return problems


def _mapping_problems(answer: SetAnswer) -> list[str]:
    problems = []
    by_label: dict[str, CreativeDraft] = {}
    for draft in answer.creatives:
        if draft.label in by_label:
            problems.append(f"{draft.label}: appears twice; give each label A–G exactly once")
        by_label[draft.label] = draft
    for label, (stage, lang, video, reused) in SET_MAPPING.items():
        c = by_label.get(label)
        if c is None:
            problems.append(
                f"{label}: missing; add ad {label} ({stage}, {LANGUAGE_NAMES[lang]}, {video})"
            )
            continue
        if c.funnel_stage != stage:
            problems.append(f"{label}: funnel_stage must be {stage}, not {c.funnel_stage}")
        if c.language != lang:
            problems.append(f"{label}: language must be {lang}, not {c.language}")
        if c.video_id != video:
            problems.append(f"{label}: video_id must be {video}, not {c.video_id}")
        if c.reused != reused:
            problems.append(f"{label}: reused must be {str(reused).lower()}")
    extra = sorted(set(by_label) - set(SET_MAPPING))
    if extra:
        problems.append(f"unexpected labels {', '.join(extra)}; only A–G")
    return problems


def _video_problems(answer: SetAnswer) -> list[str]:
    ids = [v.id for v in answer.video_prompts]
    problems = [f"video prompt {v}: missing; add it" for v in VIDEO_STAGES if v not in ids]
    problems += [f"video prompt {v}: appears twice" for v in set(ids) if ids.count(v) > 1]
    return problems


def _language_problems(label: str, text: str, expected: str) -> list[str]:
    detected = language.detect(text, expected=expected)
    if detected is not None and detected != expected:
        name = LANGUAGE_NAMES.get(detected, detected)
        return [
            f"{label}: write it in {LANGUAGE_NAMES[expected]}; the language detector read {name}"
        ]
    return []
