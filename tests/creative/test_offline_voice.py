"""The offline engine speaks in nobody's first person but a real customer's (FTC 16 CFR Part 465:
no testimonial from someone who does not exist or did not have the experience), and its Spanish
takes the feminine only for a persona that is clearly women (issue 17, attack report area 3)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from infra.briefs import load_brief
from shared.creative.offline import angles, brand, voice, writer
from tests.conftest import EXAMPLES

NAMES = ["glowdrop-serum.yaml", "ledgerly-bookkeeping.json", "driftwell-magnesium.yaml"]
# Words only a first-person speaker uses, in either language.
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself|yo|mi|mis|conmigo|logré|probé|cambió mis)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“]([^\"”]+)[\"”]")
# Feminine agreement a Spanish reader notices: adjectives and pronouns of the copy's "you".
_FEMININE_ES = re.compile(
    r"\b(?:cansada|cansadas|harta|agotada|lista|segura|otras|todas|ellas|nosotras)\b",
    re.IGNORECASE,
)


def _brief(name: str) -> dict[str, Any]:
    return load_brief(EXAMPLES / name, variations=50).brief.model_dump(mode="json")


def _texts(brief: dict[str, Any], variations: int = 50) -> list[tuple[str, str]]:
    """(language, text) for the A–G set, the video prompts and ``variations`` blueprints."""
    mined = angles.mine_angles(brief, brand.build_brand(brief), {})
    drafted = writer.build_set(brief, mined)
    out = [
        (c["language"], f"{c['hook']} {c['headline']} {c['primary_text']}")
        for c in drafted["creatives"]
    ]
    out += [("en", v["prompt"]) for v in drafted["video_prompts"]]
    for i in range(1, variations + 1):
        bp = writer.blueprint(brief, mined[(i - 1) % len(mined)], i)
        spoken = [bp["hook"], bp["voiceover"], *(s["on_screen_text"] for s in bp["scenes"])]
        out += [(bp["language"], text) for text in spoken]
    return out


def _voice_of_customer(brief: dict[str, Any]) -> str:
    local = [str(p) for loc in (brief.get("localized") or {}).values() for p in loc["proof"]]
    lines = [brief.get("transcript") or "", *map(str, brief.get("proof") or []), *local]
    return " ".join(" ".join(lines).split()).lower()


def _unquoted_first_person(brief: dict[str, Any], text: str) -> list[str]:
    """First-person words outside a quote of the brief's own words, and quotes it never gave."""
    source = _voice_of_customer(brief)
    problems = []
    for quote in _QUOTE.findall(text):
        said = " ".join(quote.rstrip("…").split()).lower()
        if said not in source:
            problems.append(f"quote not in the brief: {quote!r}")
    problems += [
        f"first person: {m!r} in {text!r}" for m in _FIRST_PERSON.findall(_QUOTE.sub("", text))
    ]
    return problems


@pytest.mark.parametrize("name", NAMES)
def test_no_first_person_line_is_the_engines_own(name: str) -> None:
    brief = _brief(name)
    problems = [p for _, text in _texts(brief) for p in _unquoted_first_person(brief, text)]
    assert problems == []


def test_the_testimonial_quotes_the_transcript_as_written() -> None:
    brief = _brief("glowdrop-serum.yaml")
    catalog = writer.hook_catalog(brief, "en")
    testimonials = [hook for framework, hook in catalog if framework == "testimonial"]
    # Short lines whole; a long one cut at its clause, the ellipsis saying so.
    assert '"My skin looks so tired in photos, honestly."' in testimonials
    assert '"I never have time in the morning…"' in testimonials
    assert all(len(hook.split()) <= 8 for hook in testimonials)
    # The set's testimonial ad (E) opens with a customer's words, not the engine's.
    mined = angles.mine_angles(brief, brand.build_brand(brief), {})
    ad_e = next(c for c in writer.build_set(brief, mined)["creatives"] if c["label"] == "E")
    assert ad_e["hook"].startswith('"') and ad_e["primary_text"].startswith(ad_e["hook"])


def test_a_quoted_review_in_proof_is_quoted_and_seller_lines_are_not() -> None:
    brief = {
        "product": "Quietly Tea",
        "offer": "Free shipping on your first box",
        "persona": "night owls who want calmer evenings",
        "desires": ["calmer evenings"],
        "pains": ["restless evenings"],
        "proof": ['"Finally a tea I look forward to" - Dana R., verified buyer'],
        "transcript": (
            "Rep: I promise this tea changes everything for our customers.\n"
            "Caller: Does it have caffeine?\n"
            "Caller: My evenings used to run until two in the morning.\n"
            "Caller: Yes."
        ),
    }
    assert voice.quotes(brief, "en") == [
        "Finally a tea I look forward to",
        "My evenings used to run until two…",
    ]
    # The transcript is English: Spanish copy quotes none of it.
    assert voice.quotes(brief, "es") == []


def test_a_brief_with_no_customer_words_gets_no_testimonial() -> None:
    brief = {
        "product": "Quietly Tea",
        "offer": "Free shipping on your first box",
        "persona": "night owls who want calmer evenings",
        "desires": ["calmer evenings"],
        "pains": ["restless evenings"],
        "proof": ["Organic chamomile and lemon balm"],
    }
    for language in ("en", "es"):
        hooks = [h for f, h in writer.hook_catalog(brief, language) if f == "testimonial"]
        assert hooks and not any(_FIRST_PERSON.search(h) or '"' in h for h in hooks), hooks


@pytest.mark.parametrize("name", NAMES)
def test_every_example_brief_still_gets_fifty_distinct_english_hooks(name: str) -> None:
    hooks = [hook.lower() for _, hook in writer.hook_catalog(_brief(name), "en")]
    assert len(hooks) == 50 and len(set(hooks)) == 50


def test_a_brief_in_spanish_alone_gets_every_variation_in_spanish() -> None:
    # The second outside attack on renders: four of five videos of a Spanish-only brief were
    # English, with lines such as "Still putting up with piel apagada?".
    brief = {**_brief("glowdrop-serum.yaml"), "languages": ["es"]}
    angle = {"id": "a", "segment": "s"}
    made = [writer.blueprint(brief, angle, i) for i in range(1, 51)]
    assert {bp["language"] for bp in made} == {"es"}
    assert len({bp["hook"] for bp in made}) == min(50, len(writer.hook_catalog(brief, "es")))
    mixed = {**brief, "languages": ["en", "es"]}
    assert [writer.blueprint(mixed, angle, i)["language"] for i in range(1, 11)] == (
        ["en"] * 4 + ["es"] + ["en"] * 4 + ["es"]
    )


def test_a_brief_written_in_spanish_is_said_in_its_own_words_and_claims_nothing_it_lacks() -> None:
    # The second outside attack: "Oferta especial para ti" stood for the brief's "envío gratis",
    # and "Resultados reales" / "Real results" for desires the brief never gave.
    brief = {
        "product": "Café Molido Altura",
        "offer": "Envío gratis en tu primer pedido",
        "persona": "personas que preparan café en casa",
        "pains": ["el café de cápsula sabe a poco"],
        "market": "MX",
        "languages": ["es"],
    }
    texts = " ".join(
        " ".join([bp["hook"], bp["voiceover"], *(s["on_screen_text"] for s in bp["scenes"])])
        for bp in (writer.blueprint(brief, {"id": "a", "segment": "s"}, i) for i in range(1, 11))
    )
    assert "Oferta especial para ti" not in texts
    assert " de el " not in texts  # "del café"
    assert "resultados reales" not in texts.lower()
    english = writer.values_for({**brief, "languages": ["en"]}, "en")
    assert "real results" not in str(english).lower()


@pytest.mark.parametrize("name", ["ledgerly-bookkeeping.json", "driftwell-magnesium.yaml"])
def test_spanish_for_a_mixed_or_unmarked_persona_names_no_gender(name: str) -> None:
    brief = _brief(name)
    spanish = [text for language, text in _texts(brief) if language == "es"]
    assert spanish
    assert [t for t in spanish if _FEMININE_ES.search(t)] == []
    catalog = [h for _, h in writer.hook_catalog(brief, "es")]
    assert any(h.startswith("¿Te cansaste de") for h in catalog), catalog


def test_spanish_for_moms_agrees_with_them() -> None:
    catalog = [h for _, h in writer.hook_catalog(_brief("glowdrop-serum.yaml"), "es")]
    assert any(h.startswith("¿Cansada de") for h in catalog), catalog


@pytest.mark.parametrize(
    ("persona", "es_persona", "expected"),
    [
        ("busy moms in their 30s", "mamás ocupadas", True),
        ("women who lift", None, True),
        ("new parents", "padres primerizos", False),
        ("moms and dads", "mamás y papás", False),
        ("freelance designers", "diseñadores independientes", False),
    ],
)
def test_feminine_only_for_a_clearly_feminine_persona(
    persona: str, es_persona: str | None, expected: bool
) -> None:
    brief: dict[str, Any] = {"persona": persona}
    if es_persona:
        brief["localized"] = {"es": {"persona": es_persona}}
    assert voice.feminine(brief) is expected
