"""Ad-policy compliance: what Meta, Google and TikTok reject or restrict, read as a policy.

:func:`check` applies, for the copy's language, the pattern table (:mod:`.patterns`), the
lexicon-and-structure rules (:mod:`.structure`), the style rules (:mod:`.style`) and the
brand's avoid list (shared/creative/avoid). Every finding's ``span`` is an exact substring of the
checked text.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.creative import avoid as avoid_list
from shared.creative.nlp import LANGUAGES, Lang
from shared.creative.policy import structure
from shared.creative.policy.category import category_findings
from shared.creative.policy.disguise import DISGUISE, as_seen
from shared.creative.policy.learned import read
from shared.creative.policy.patterns import EVIDENCE, REASONS, RULES, Rule, apply
from shared.creative.policy.style import caps, punctuation
from shared.models.creative import Finding

__all__ = ["BLOCKING", "RULES", "Rule", "check"]

# Findings that make copy unpublishable; the rest are style problems a reviewer may accept.
BLOCKING = frozenset(
    {
        "personal_attributes",
        "health_claim",
        "income_claim",
        "guaranteed_results",
        "before_after",
        "weight_loss",
        "misleading_urgency",
        "restricted_category",
        "sensational_language",
        "brand_avoid",
    }
)


def check(
    text: str,
    language: str,
    avoid: Sequence[str] = (),
    category: str | None = None,
    *,
    learned: bool = False,
) -> list[Finding]:
    """Policy findings for ``text`` written in ``language`` (``"en"`` or ``"es"``).

    Any other language is checked against both tables. ``avoid`` is the brand's avoid list,
    matched in its inflections and paraphrases (shared/creative/avoid). ``category`` is the
    brief's product category: a prohibited one ("vape", "firearms") makes any copy a finding, a
    restricted one ("alcohol", "online casino") the claims that category may not make. With
    ``learned``, copy the rules find nothing wrong with is also read by the learned check
    (:mod:`.learned`): lint-copy asks for it, to tell a marketer what reads like a violation;
    the pipeline does not block on it (fitted on a small corpus, it misreads copy unlike the
    corpus, such as short Spanish lines), and sends its readings to the model check instead
    (.doubts), when a provider is configured. Findings come in text order.
    """
    seen, origin = as_seen(text) if DISGUISE.search(text) else (text, [])
    if seen == text:  # nothing disguised (an emoji or a curly quote is no disguise)
        return [finding for _, finding in _found(text, language, avoid, category, learned)]
    # Read what a person sees; report the spans as the text has them, and the gimmicks of the
    # text as written ("c@sino" is a gambling word and a symbol in a word).
    found = [*caps(text), *punctuation(text)]
    for start, finding in _found(seen, language, avoid, category, learned):
        first, last = origin[start], origin[start + len(finding.span) - 1] + 1
        found.append((first, finding.model_copy(update={"span": text[first:last]})))
    return [finding for _, finding in _dedupe(found)]


def _found(
    text: str, language: str, avoid: Sequence[str], category: str | None, learned: bool
) -> list[tuple[int, Finding]]:
    languages = [language] if language in LANGUAGES else list(LANGUAGES)
    evidenced = any(pattern.search(text) for pattern in EVIDENCE)
    found: list[tuple[int, Finding]] = []
    for lang in languages:
        hits = structure.find(text, lang, evidenced)
        # A fixed phrasing the lexicon's rule saw and excused ("antes y después" of a kitchen:
        # an unless_near exception) or found denied ("no trata enfermedades") is excused for
        # the pattern too.
        excused = [(h.rule, h.start, h.end) for h in hits if h.doubt]
        for rule in RULES[lang]:
            if rule.unless_evidence and evidenced:
                continue
            found.extend(
                (start, f)
                for start, f in apply(rule, text)
                if not any(
                    r == f.rule and (s <= start < e or start <= s < start + len(f.span))
                    for r, s, e in excused
                )
            )
        found.extend(
            (
                hit.start,
                Finding(rule=hit.rule, span=text[hit.start : hit.end], reason=REASONS[hit.rule]),
            )
            for hit in hits
            if not hit.doubt
        )
        found.extend(category_findings(text, lang, category))
        if learned and not any(f.rule in CONTENT for _, f in found):
            found.extend(
                (start, f)
                for start, f in _learned(text, lang)
                if not (evidenced and f.rule == "unsubstantiated_superlative")  # a source cited
            )
    found.extend(caps(text))
    found.extend(punctuation(text))
    found.extend(
        (hit.start, Finding(rule="brand_avoid", span=hit.span, reason=avoid_list.describe(hit)))
        for hit in avoid_list.find(text, language, avoid)
    )
    return _dedupe(found)


# The rules whose findings make the learned check's reading unnecessary.
CONTENT = (BLOCKING - {"brand_avoid"}) | {"unsubstantiated_superlative"}


def _learned(text: str, language: Lang) -> list[tuple[int, Finding]]:
    verdict = read(text, language)
    if verdict is None or verdict.rule not in REASONS:
        return []
    if verdict.rule == "restricted_category" and not any(
        rule == verdict.rule for rule, _, _ in structure.triggered(text, language)
    ):
        # A restricted category is a product: copy that names none ("Envío a todo el país")
        # cannot advertise one, whatever words it shares with copy that did.
        return []
    if structure.quieted(text, language, verdict.rule):
        return []  # "el mejor momento para podar": its words are advice, not a claim
    reason = (
        f"{REASONS[verdict.rule]} (the learned check reads it so, p={verdict.violation:.2f}: "
        "no rule names the words; rewrite it, or ask a reviewer if it is fine)"
    )
    span = text[verdict.start : verdict.end]
    return [(verdict.start, Finding(rule=verdict.rule, span=span, reason=reason))]


def _dedupe(found: list[tuple[int, Finding]]) -> list[tuple[int, Finding]]:
    """One finding per rule and position: overlapping patterns of a rule report once.

    In start order a finding is covered when it starts before the furthest end a kept finding
    of its rule reached, so one pass with that end per rule does it (n log n, not n²: a long
    shouted text has a finding per word).
    """
    kept: list[tuple[int, Finding]] = []
    reach: dict[str, int] = {}
    for start, finding in sorted(found, key=lambda item: (item[0], -len(item[1].span))):
        if start < reach.get(finding.rule, -1):
            continue
        kept.append((start, finding))
        reach[finding.rule] = max(reach.get(finding.rule, -1), start + len(finding.span))
    return kept
