"""Claim words read on lemmas (shared/creative/nlp.py): claim verbs, what they must act on, and
the result adjectives and body nouns of a plain-words result promise ("bright even skin")."""

from __future__ import annotations

import functools


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Claim verbs and result words, read on the lemma (shared/creative/nlp.py). A verb is a claim
# when its object (the next few words) names something a body or health result is about, or,
# for the verbs in STRONG, always ("cures", "heals").
STRONG: dict[str, dict[str, str]] = {
    "en": {"cure": "health", "heal": "health", "earn": "money"},
    "es": {"curar": "health", "sanar": "health"},
}
VERBS: dict[str, dict[str, str]] = {
    "en": {
        **dict.fromkeys(
            word_set(
                "treat prevent reverse repair relieve reduce clear fight eliminate erase remove "
                "fade diminish minimize minimise boost strengthen restore regenerate rejuvenate "
                "detox unclog banish stop end"
            ),
            "health",
        ),
        **dict.fromkeys(
            word_set("firm tighten lift slim tone shrink brighten whiten plump smooth even"), "body"
        ),
        **dict.fromkeys(word_set("save grow double make"), "money"),
    },
    "es": {
        **dict.fromkeys(
            word_set(
                "tratar prevenir revertir reparar aliviar reducir eliminar borrar desvanecer "
                "disminuir combatir fortalecer restaurar regenerar rejuvenecer desintoxicar "
                "desobstruir acabar"
            ),
            "health",
        ),
        **dict.fromkeys(
            word_set(
                "reafirmar tensar levantar adelgazar tonificar iluminar aclarar blanquear "
                "alisar unificar rellenar"
            ),
            "body",
        ),
        **dict.fromkeys(word_set("ahorrar ganar duplicar multiplicar"), "money"),
    },
}
# What a health, body or money verb must act on to be a claim (lemmas).
TARGETS: dict[str, frozenset[str]] = {
    "en": word_set(
        "skin wrinkle line acne pimple spot blemish pore scar redness inflammation pain stress "
        "anxiety fatigue eczema psoriasis hair fat cellulite weight belly sleep insomnia "
        "immunity immune energy metabolism digestion bloating blood sugar cholesterol pressure "
        "symptom disease illness cold flu virus infection aging ageing sign dullness complexion "
        "tone collagen elasticity breakout dark circle puffiness glow face body money income "
        "cash dollar profit return saving revenue earnings"
    ),
    "es": word_set(
        "piel arruga línea acné grano mancha poro cicatriz rojez inflamación dolor estrés "
        "ansiedad cansancio fatiga cabello caída grasa celulitis peso barriga abdomen sueño "
        "insomnio defensa inmunidad energía metabolismo digestión hinchazón azúcar colesterol "
        "presión síntoma enfermedad gripe resfriado infección envejecimiento signo opacidad "
        "cutis tono colágeno elasticidad brote ojera rostro cara cuerpo dinero ingreso "
        "ganancia ahorro rendimiento"
    ),
}
# Result promises in plain words: a result adjective beside a body noun ("bright even skin",
# "piel luminosa").
RESULT_ADJ: dict[str, frozenset[str]] = {
    "en": word_set(
        "bright brighter radiant glowing glowy even clear clearer smooth smoother firm firmer "
        "young younger youthful luminous plump flawless poreless healthy hydrated soft softer "
        "toned slim slimmer thick thicker full fuller white whiter tight tighter"
    ),
    "es": word_set(
        "luminoso radiante uniforme suave firme joven terso hidratado liso limpio "
        "blanco delgado brillante sano"
    ),
}
BODY_NOUNS: dict[str, frozenset[str]] = {
    "en": word_set("skin complexion face hair body tone teeth lip belly waist arm leg"),
    "es": word_set("piel cutis rostro cara cabello pelo cuerpo tono diente labio"),
}


@functools.cache
def triggers(language: str) -> frozenset[str]:
    """Every word (lemma or lower-cased form) that can start or make a word claim."""
    return (
        frozenset(STRONG[language])
        | set(VERBS[language])
        | RESULT_ADJ[language]
        | (BODY_NOUNS[language])
    )
