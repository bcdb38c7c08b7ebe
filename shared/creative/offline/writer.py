"""The offline writer: the A–G set, single-ad rewrites and blueprint variations, built from the
brief's words through the phrase book. Deterministic: the same inputs give the same copy."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from shared.creative import policy
from shared.creative.language import detect
from shared.creative.offline import phrases, voice
from shared.creative.offline.words import fit, head, lower_first, rng_for, upper_first
from shared.creative.structure import SET_MAPPING

HEADLINE_MAX = 30


def own(brief: dict[str, Any], language: str) -> dict[str, Any]:
    """The brief's fields in ``language``: ``localized.<language>``'s, else the brief's own where
    they are written in it (English copy takes them as given; a brief written in Spanish needs
    no ``localized.es``). An empty dict when the brief has nothing in that language."""
    local = (brief.get("localized") or {}).get(language) or {}
    if language != "es" or _written_in(_words_of(brief)) == "es":
        return {**{k: v for k, v in brief.items() if v}, **local}
    return local


def _words_of(brief: dict[str, Any]) -> str:
    fields = [brief.get("offer"), brief.get("persona"), *(brief.get("pains") or [])]
    return " ".join(str(f) for f in [*fields, *(brief.get("desires") or [])] if f)


@functools.lru_cache(maxsize=64)
def _written_in(text: str) -> str | None:
    # expected="es": lingua's quick models confirm Spanish; the full ones (a second to load)
    # are read only when they cannot
    return detect(text, expected="es")


def values_for(brief: dict[str, Any], language: str, index: int = 0) -> dict[str, Any]:
    """Template values from the brief, in ``language`` (see :func:`own`). What the brief does
    not give is said generically, never as a claim: the desire, when none is given, is to try
    the product."""
    local = own(brief, language)
    es = language == "es"

    def pick(name: str, default: str) -> str:
        found = local.get(name) or [default]
        return str(found[index % len(found)]).rstrip(".")

    pain = pick("pains", phrases.DEFAULT_ES["pain"] if es else "wasted effort")
    desire = pick("desires", f"{'probar' if es else 'try'} {brief['product']}")
    proofs = local.get("proof") or []
    proof = str(proofs[index % len(proofs)]).rstrip(".") if proofs else ""
    persona = local.get("persona") or phrases.DEFAULT_ES["persona"]
    offer = (local.get("offer") or phrases.DEFAULT_ES["offer"]).rstrip(".")
    verb = desire.split()[0].lower() in _VERBS if desire else False
    return {
        "closer": _closer(brief.get("brand_voice") or "", language),
        "get_desire": lower_first(head(desire, 4))
        if verb
        else "get " + lower_first(head(desire, 4)),
        "have_desire": lower_first(head(desire, 4))
        if verb
        else "have " + lower_first(head(desire, 4)),
        "want_desire": ("want to " if verb else "want ") + lower_first(desire)
        if not es
        else lower_first(desire),
        "product": brief["product"],
        "brand": brief.get("brand_name") or brief["product"].split()[0],
        "category": brief.get("category") or "daily",
        "pain": lower_first(pain),
        "pain_head": lower_first(head(pain, 4)),
        "desire": lower_first(desire),
        "desire_head": lower_first(head(desire, 4)),
        "persona_head": lower_first(head(persona, 3)),
        "offer": upper_first(offer),
        "offer_head": upper_first(head(offer, 4)),
        "proof": upper_first(proof),
        "proof_or_how": upper_first(proof) if proof else "Simple to use, easy to keep up",
        "proof_or_offer": upper_first(proof) if proof and index % 2 else upper_first(offer),
        "figure": _figure(brief, language, index),
        "quote": _quote(brief, language, index),
        "feminine": es and voice.feminine(brief),
    }


# A figure a line states: digits, a number word, or "a/un minute"-like timeframes. The writer
# repeats such lines as the brief words them and never writes a figure of its own.
_FIGURE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"hundred|thousand|half|twice|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|"
    r"veinte|treinta|cien|mil|medio|media)\b|"
    r"\b(?:a|an|un|una)\s+(?:minute|hour|day|week|month|year|minuto|hora|día|semana|mes|año)",
    re.IGNORECASE,
)


def figures(brief: dict[str, Any], language: str) -> list[str]:
    """The brief's lines that state a figure, in ``language``: proof, then desires, then offer."""
    local = own(brief, language)
    lines = [*(local.get("proof") or []), *(local.get("desires") or []), local.get("offer") or ""]
    return [str(line).strip().rstrip(".") for line in lines if line and _FIGURE.search(line)]


def _figure(brief: dict[str, Any], language: str, index: int) -> str:
    found = figures(brief, language)
    return lower_first(found[index % len(found)]) if found else ""


def _quote(brief: dict[str, Any], language: str, index: int) -> str:
    found = voice.quotes(brief, language)
    return found[index % len(found)] if found else ""


# Desires that start with a verb read "who want to know…", the rest "who want bright skin".
_VERBS = {
    "try",
    "probar",
    "know",
    "feel",
    "get",
    "be",
    "have",
    "see",
    "save",
    "stop",
    "make",
    "look",
    "sleep",
    "spend",
    "keep",
    "find",
    "take",
    "enjoy",
    "finish",
    "win",
    "earn",
    "grow",
    "lose",
}
_CLOSERS = {
    "en": [
        ("direct urgent confident bold", "Start today."),
        ("playful fun energetic", "You'll love it!"),
        ("warm friendly caring", "You'll love it."),
        ("clinical expert scientific", "Check the details for yourself."),
    ],
    "es": [("direct urgent confident bold", "Empieza hoy."), ("", "Te va a encantar.")],
}


def _closer(voice: str, language: str) -> str:
    """A closing line in the brand's voice (the brand score reads voice from such markers)."""
    words = set(voice.lower().replace(",", " ").split())
    for cues, line in _CLOSERS[language]:
        if not cues or words & set(cues.split()):
            return line
    return _CLOSERS[language][-1][1]


def templates(framework: str, language: str, values: dict[str, Any]) -> list[str]:
    """``framework``'s templates that ``values`` can fill: one naming a field the brief leaves
    empty (no proof, no figure) is skipped; the framework's fallback if none is left."""
    feminine = phrases.FEMININE_HOOKS.get(language, {}).get(framework)
    source = feminine if feminine and values["feminine"] else phrases.HOOKS[language][framework]
    usable = [
        t
        for t in source
        if all(values[f] or "{" + f + "}" not in t for f in phrases.OPTIONAL_FIELDS)
    ]
    return usable or phrases.FALLBACK_HOOKS[language][framework]


def hook_for(framework: str, language: str, values: dict[str, Any], variant: int = 0) -> str:
    """A hook of eight words or fewer from ``framework``; another of its templates if too long."""
    options = templates(framework, language, values)
    options = options[variant % len(options) :] + options[: variant % len(options)]
    hooks = [_contract(upper_first(o.format(**values))) for o in options]
    return next((h for h in hooks if len(h.split()) <= 8 and _allowed(h, language)), hooks[0])


def _allowed(hook: str, language: str) -> bool:
    """Whether the ad-policy rules let ``hook`` through: a template filled with the brief's
    pain can turn into a reader-directed question about a condition ("Tired of racing
    thoughts?"), which Meta rejects as a personal attribute; such a hook is not written."""
    return not policy.check(hook, language)


def build_set(brief: dict[str, Any], angles: list[dict[str, Any]]) -> dict[str, Any]:
    creatives = []
    angle_ids = [a["id"] for a in angles] or ["pain_first"]
    for i, (label, (stage, language, video_id, reused)) in enumerate(SET_MAPPING.items()):
        values = values_for(brief, language, index=i)
        framework = phrases.SET_FRAMEWORKS[label]
        hook = hook_for(framework, language, values, variant=i)
        creatives.append(
            {
                "label": label,
                "funnel_stage": stage,
                "language": language,
                "video_id": video_id,
                "reused": reused,
                "angle": angle_ids[i % len(angle_ids)],
                "hook": hook,
                **copy_for(stage, language, values, hook, variant=i),
            }
        )
    videos = [
        {
            "id": vid,
            "funnel_stage": stage,
            "prompt": phrases.VIDEO_SHOTS[_shot_stage(stage)].format(
                **values_for(brief, "en", int(vid[1]) - 1)
            ),
        }
        for vid, stage in (
            ("V1", "Awareness"),
            ("V2", "Awareness"),
            ("V3", "Awareness"),
            ("V4", "Mid"),
            ("V5", "Conversion"),
        )
    ]
    return {"creatives": creatives, "video_prompts": videos}


def copy_for(
    stage: str, language: str, values: dict[str, Any], hook: str, variant: int = 0
) -> dict[str, str]:
    heads = phrases.HEADLINES[language][stage]
    if len(values["pain_head"].split()) < 2:
        # "Goodbye, serums" says too little: a pain needs a qualifier to stand alone.
        heads = [h for h in heads if "{pain_head}" not in h] or heads
    rotated = heads[variant % len(heads) :] + heads[: variant % len(heads)]
    headline = fit([_contract(upper_first(h.format(**values))) for h in rotated], HEADLINE_MAX)
    opener = hook if hook.endswith((".", "?", "!", '"')) else hook + "."
    body = phrases.BODIES[language][stage].format(hook=opener, **values)
    return {"headline": headline, "primary_text": _tidy(body), "cta": phrases.CTAS[language][stage]}


def rewrite(
    brief: dict[str, Any],
    creative: dict[str, Any],
    feedback: str,
    flagged: Sequence[str] = (),
) -> dict[str, Any]:
    """Apply a reviewer's feedback to one ad: the moves it asks for, and words it quotes. With
    ``flagged`` (the spans the govern step found: an unsupported claim, a policy breach) the
    feedback is the step's, not a person's: the copy is rebuilt from the brief without them."""
    language = creative["language"]
    stage = creative["funnel_stage"]
    # Each label and iteration gets its own variant, so rewrites of siblings do not converge.
    variant = ord(creative["label"][0]) + int(creative.get("iteration", 1))
    values = values_for(brief, language, index=variant)
    moves = {
        m for m, cues in phrases.FEEDBACK_MOVES.items() if any(c in feedback.lower() for c in cues)
    }
    hook = creative.get("hook") or creative["headline"]
    if flagged:
        # The findings' words ("add it to proof", "now") are no reviewer's moves, and their
        # quotes are the very spans to drop.
        moves = set()
        if any(span.lower() in hook.lower() for span in flagged):
            hook = hook_for("question", language, values, variant=variant)
    if "question" in moves:
        hook = hook_for("question", language, values, variant=variant)
    if "proof" in moves and values["proof"]:
        hook = upper_first(values["proof"]) + "."
    out = copy_for(stage, language, values, hook, variant=variant)
    quoted = [] if flagged else re.findall(r"[\"“']([^\"”']{2,40})[\"”']", feedback)
    if quoted:
        out["headline"] = fit([upper_first(quoted[0]), out["headline"]], HEADLINE_MAX)
    if "urgent" in moves:
        out["cta"] = "Compra hoy" if language == "es" else "Shop Today"
        out["primary_text"] += " Ends soon." if language == "en" else " Termina pronto."
    if "softer" in moves:
        out["cta"] = "Descubre más" if language == "es" else "Learn More"
    if "shorter" in moves:
        out["primary_text"] = _first_sentence(out["primary_text"])
    out["hook"] = hook
    return out


def blueprint(brief: dict[str, Any], angle: dict[str, Any], index: int) -> dict[str, Any]:
    """Variation ``index`` (1-based). Every fifth is Spanish when the brief asks for English and
    Spanish, every one when it asks for Spanish alone. Hooks come from one deterministic
    catalogue, so parallel tasks never pick the same hook."""
    languages = brief.get("languages") or ["en"]
    spanish = "es" in languages
    if spanish and "en" not in languages:
        language, slot = "es", index - 1
    else:
        language = "es" if spanish and index % 5 == 0 else "en"
        slot = index // 5 - 1 if language == "es" else index - (index // 5 if spanish else 0) - 1
    # A thin brief (no pains, desires or proof) has fewer distinct hooks than 50 variations:
    # they repeat then rather than invent.
    catalog = hook_catalog(brief, language)
    framework, hook = catalog[slot % len(catalog)]
    values = values_for(brief, language, index=index)
    stage = "Full" if language == "es" else "Conversion"
    rng = rng_for(brief["product"], brief["offer"], index)
    scenes = _scenes(values, hook, language, rng.choice([2.5, 3.0, 3.5]))
    voiceover = " ".join([hook, *(s["on_screen_text"] for s in scenes[1:])])
    return {
        "hook": hook,
        "hook_framework": framework,
        "angle": angle["id"],
        "segment": angle["segment"],
        "language": language,
        "scenes": scenes,
        "voiceover": _tidy(voiceover),
        "cta": phrases.CTAS[language][stage],
    }


def hook_catalog(brief: dict[str, Any], language: str, size: int = 50) -> list[tuple[str, str]]:
    """Distinct hooks for the brief, round-robin across frameworks so neighbours differ."""
    per_framework: dict[str, list[str]] = {}
    for framework in phrases.HOOKS[language]:
        found: list[str] = []
        for i in range(12):
            values = values_for(brief, language, index=i)
            for template in templates(framework, language, values):
                hook = _contract(upper_first(template.format(**values)))
                fresh = hook.lower() not in {h.lower() for h in found}
                if len(hook.split()) <= 8 and fresh and _allowed(hook, language):
                    found.append(hook)
        per_framework[framework] = found
    catalog: list[tuple[str, str]] = []
    seen: set[str] = set()
    for depth in range(max(len(v) for v in per_framework.values())):
        for framework, hooks in per_framework.items():
            if depth < len(hooks) and hooks[depth].lower() not in seen:
                seen.add(hooks[depth].lower())
                catalog.append((framework, hooks[depth]))
    return catalog[:size]


def _scenes(values: dict[str, Any], hook: str, language: str, beat: float) -> list[dict[str, Any]]:
    if language == "es":
        texts = [hook, upper_first(values["desire"]), f"{values['offer']}. {values['closer']}"]
        texts = [_contract(t) for t in texts]
        shots = ["Primer plano del problema", "El producto en uso", "Plano final con la oferta"]
    else:
        texts = [hook, upper_first(values["desire"]), f"{values['offer']}. {values['closer']}"]
        shots = [
            f"Close-up: {values['pain']}",
            f"{values['product']} in use",
            "End card with the offer",
        ]
    durations = [beat, beat * 2, beat * 1.5]
    return [
        {"duration_s": round(d, 1), "visual": v, "on_screen_text": t}
        for d, v, t in zip(durations, shots, texts, strict=True)
    ]


def _shot_stage(stage: str) -> str:
    return stage if stage in phrases.VIDEO_SHOTS else "Mid"


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return _contract(re.sub(r"\.\.+", ".", text.replace("?.", "?").replace("!.", "!")))


# Spanish contracts "de" and "a" before the article "el" (a template's "de {pain}" with a pain
# that starts "el café" reads "del café"); "de El Salvador" and "de él" stay.
_DE_A_EL = re.compile(r"\b([Dd]e|[Aa]) el\b")


def _contract(text: str) -> str:
    return _DE_A_EL.sub(
        lambda m: m.group(1)[0] + ("el" if m.group(1).lower() == "de" else "l"), text
    )
