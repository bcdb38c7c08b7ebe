"""The copy the rules cannot settle, for the model check (shared/pipeline/policy_review.py).

A doubt is a place where a rule's concept is in the text but the rules gave no finding of that
rule: a match under negation ("returns are not guaranteed"), a match an exception word waived
("massage gun"), or a rule's trigger concept with no structure recognised around it ("diabetes"
in a sentence no pattern reads), or a passage the learned check (.learned) reads as breaking a
rule no rule named. Clean copy with none of these never reaches a model.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.creative.nlp import LANGUAGES
from shared.creative.policy import learned, structure
from shared.creative.policy.patterns import REASONS
from shared.models.creative import Finding

# The rules the model is asked about: the content rules. Superlatives (a source cited or not),
# style and the avoid list are settled by the rules without doubt.
MODEL_RULES = frozenset(REASONS) - {"unsubstantiated_superlative"}


@dataclass(frozen=True)
class Doubt:
    rule: str
    span: str  # an exact substring of the text
    why: str  # negated | exception | trigger | learned


def doubts(text: str, language: str, findings: list[Finding]) -> list[Doubt]:
    """The doubts in ``text`` for rules that ``findings`` (the rules' verdict) do not already
    report, one per rule and span, in text order."""
    reported = {f.rule for f in findings}
    langs = [language] if language in LANGUAGES else list(LANGUAGES)
    found: dict[tuple[str, int, int], str] = {}
    for lang in langs:
        for hit in structure.find(text, lang, evidenced=False):
            if hit.doubt and hit.rule in MODEL_RULES and hit.rule not in reported:
                found.setdefault((hit.rule, hit.start, hit.end), hit.doubt)
        for rule, start, end in structure.triggered(text, lang):
            if rule in MODEL_RULES and rule not in reported:
                found.setdefault((rule, start, end), "trigger")
        verdict = learned.read(text, lang) if not reported & MODEL_RULES else None
        if verdict is not None and verdict.rule in MODEL_RULES:
            found.setdefault((verdict.rule, verdict.start, verdict.end), "learned")
    return [
        Doubt(rule, text[start:end], why)
        for (rule, start, end), why in sorted(found.items(), key=lambda item: item[0][1])
    ]
