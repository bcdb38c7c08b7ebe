"""The offline engine's phrase book: hook frameworks and copy templates, in English and Spanish.

Each template is filled from the brief; ``{pain}``, ``{desire}`` and the rest are the brief's own
words, shortened. Frameworks are the ones performance teams name: question, number, POV,
contrarian, testimonial, how-to, curiosity gap, pattern interrupt, offer-led, proof-led.

No template carries a number, a timeframe or a result of its own: a figure comes only from the
brief (``{figure}``: a proof line, desire or offer that states one), because a number the brief
does not give is a claim nobody can back (issue 17; the govern step blocks it). Nor does one
speak in the first person: a testimonial is only ever ``{quote}``, a real customer's words from
the brief (voice.py).
"""

from __future__ import annotations

HOOKS: dict[str, dict[str, list[str]]] = {
    "en": {
        "question": [
            "Still putting up with {pain_head}?",
            "Tired of {pain_head}?",
            "What if {desire_head} were easy?",
            "Ready for {desire_head}?",
        ],
        "number": ["{figure}", "{brand}: {figure}", "{figure}. See how."],
        "pov": [
            "POV: you found {brand}",
            "POV: you finally {have_desire}",
            "POV: {brand} just arrived",
        ],
        "contrarian": [
            "Stop settling for {pain_head}.",
            "You don't need more products.",
            "More steps aren't the answer.",
        ],
        # Only the brief's own voice of customer, quoted (shared/creative/offline/voice.py).
        "testimonial": ['"{quote}"', '"{quote}" Sound familiar?'],
        "how_to": [
            "How {persona_head} {get_desire}",
            "How to skip {pain_head}",
            "How {brand} fits your day",
        ],
        "curiosity": [
            "Nobody talks about this {category} detail",
            "Rethinking {pain_head}",
            "A different kind of {category}",
        ],
        "pattern_interrupt": [
            "Wait. Look at this.",
            "Okay, listen up.",
            "Pause. This is for you.",
        ],
        "offer": ["{offer}. Seriously.", "{offer}, starting now", "The deal: {offer}"],
        "proof": ["{proof}", "What makes {brand} different", "See what's inside {brand}"],
    },
    "es": {
        "question": [
            "¿Te cansaste de {pain_head}?",
            "¿Otra vez {pain_head}?",
            "¿Y si {desire_head} fuera fácil?",
        ],
        "number": ["{figure}", "{brand}: {figure}", "{figure}. Mira cómo."],
        "pov": ["POV: encontraste {brand}", "POV: por fin lo lograste"],
        "contrarian": ["Deja de aceptar {pain_head}.", "No necesitas más productos."],
        "testimonial": ['"{quote}"', '"{quote}" ¿Te suena?'],
        "how_to": ["Cómo lograrlo sin complicarte", "Así funciona {brand}"],
        "curiosity": ["El truco que nadie cuenta", "La solución tranquila que buscabas"],
        "pattern_interrupt": ["Espera. Mira esto.", "Un momento. Esto te interesa."],
        "offer": ["{offer}, desde hoy", "{offer}: empieza ahora"],
        "proof": ["{proof}", "Lo que hace distinta a {brand}"],
    },
}

# Spanish hooks that agree with a persona that is clearly feminine (voice.feminine); the
# neutral ones above are for everyone else ("padres primerizos", "diseñadores").
FEMININE_HOOKS: dict[str, dict[str, list[str]]] = {
    "es": {
        "question": ["¿Cansada de {pain_head}?", "¿Y si {desire_head} fuera fácil?"],
        "how_to": ["Cómo lograrlo sin complicarte", "Así lo logran otras"],
    },
}

# A framework's hooks when the brief gives none of the fields its templates need: the number
# framework says how, without a number; the testimonial one, with no customer's words to quote,
# is no testimonial at all.
FALLBACK_HOOKS: dict[str, dict[str, list[str]]] = {
    "en": {
        "number": ["Here's how to {get_desire}", "{desire_head}, step by step"],
        "testimonial": ["A closer look at {brand}", "{brand}, explained simply"],
    },
    "es": {
        "number": ["Así se consigue {desire_head}", "{desire_head}, paso a paso"],
        "testimonial": ["Un vistazo a {brand}", "{brand}, explicado fácil"],
    },
}
# Template fields that may be empty (the brief has no proof, no figure, no customer's words): a
# template naming one is used only when the brief fills it.
OPTIONAL_FIELDS = ("proof", "figure", "quote")

# Which framework opens each ad of the set, by its job in the funnel.
SET_FRAMEWORKS = {
    "A": "question",
    "B": "pov",
    "C": "curiosity",
    "D": "how_to",
    "E": "testimonial",
    "F": "offer",
    "G": "question",
}

HEADLINES = {
    "en": {
        "Awareness": [
            "Meet {product}",
            "Meet {brand}",
            "Goodbye, {pain_head}",
            "{brand}: made for you",
        ],
        "Mid": [
            "Why {brand} works",
            "See how {brand} works",
            "Made for {persona_head}",
            "How it works",
        ],
        "Conversion": ["{offer}", "{offer_head} today", "Try {brand} today"],
    },
    "es": {
        "Full": ["Conoce {brand}", "{offer}", "Pruébalo hoy"],
    },
}

BODIES = {
    "en": {
        "Awareness": "{hook} {product} is for {persona_head} who {want_desire}. {proof_or_offer}. {closer}",
        "Mid": "{hook} {proof_or_how}. It's made for you if you {want_desire}. {closer}",
        "Conversion": "{hook} {proof_or_how}. Made for {persona_head} like you. {closer}",
    },
    "es": {
        "Full": "{hook} {product} es para ti si quieres {desire}. {offer}. {closer}",
    },
}

CTAS = {
    "en": {"Awareness": "Learn More", "Mid": "See How It Works", "Conversion": "Shop Now"},
    "es": {"Full": "Compra ahora"},
}

DEFAULT_ES = {
    "pain": "los resultados que no llegan",
    "offer": "Oferta especial para ti",
    "persona": "quienes buscan algo mejor",
}

VIDEO_SHOTS = {
    "Awareness": "Open on a close-up of {persona_head} facing {pain_head}; cut to {product} in hand; end on a calm smile.",
    "Mid": "Demonstrate {product} in use, step by step; on-screen text names a benefit in each beat.",
    "Conversion": "Hero shot of {product} on a clean background in brand colours; the offer '{offer}' appears; end card with the call to action.",
}

# Rewrite requests a reviewer typically makes, and what the offline engine does for each.
FEEDBACK_MOVES = {
    "shorter": ("shorter", "short", "concise", "trim", "más corto", "corto"),
    "urgent": ("urgent", "urgency", "now", "today", "urgente", "ya"),
    "softer": ("softer", "gentle", "less pushy", "calm", "suave"),
    "proof": ("proof", "review", "social proof", "testimonial", "prueba", "reseña"),
    "question": ("question", "ask", "pregunta"),
}
