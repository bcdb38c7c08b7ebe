"""The offline engine's phrase book: hook frameworks and copy templates, in English and Spanish.

Each template is filled from the brief; ``{pain}``, ``{desire}`` and the rest are the brief's own
words, shortened. Frameworks are the ones performance teams name: question, number, POV,
contrarian, testimonial, how-to, curiosity gap, pattern interrupt, offer-led, proof-led.

No template carries a number, a timeframe or a result of its own: a figure comes only from the
brief (``{figure}``: a proof line, desire or offer that states one), because a number the brief
does not give is a claim nobody can back (issue 17; the govern step blocks it).
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
        "testimonial": [
            '"I finally {have_desire}."',
            "I tried {brand}. Here's my take.",
            '"{brand} just makes sense."',
        ],
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
            "This changed my mornings.",
            "Okay, hear me out.",
            "Pause. This is for you.",
        ],
        "offer": ["{offer}. Seriously.", "{offer}, starting now", "The deal: {offer}"],
        "proof": ["{proof}", "What makes {brand} different", "See what's inside {brand}"],
    },
    "es": {
        "question": ["¿Cansada de {pain_head}?", "¿Y si {desire_head} fuera fácil?"],
        "number": ["{figure}", "{brand}: {figure}", "{figure}. Mira cómo."],
        "pov": ["POV: encontraste {brand}", "POV: por fin lo lograste"],
        "contrarian": ["Deja de aceptar {pain_head}.", "No necesitas más productos."],
        "testimonial": ['"Por fin lo logré."', "Probé {brand}. Te cuento."],
        "how_to": ["Cómo lograrlo sin complicarte", "Así lo logran otras"],
        "curiosity": ["El truco que nadie cuenta", "La solución tranquila que buscabas"],
        "pattern_interrupt": ["Espera. Mira esto.", "Esto cambió mis mañanas."],
        "offer": ["{offer}, desde hoy", "{offer}: empieza ahora"],
        "proof": ["{proof}", "Lo que hace distinta a {brand}"],
    },
}

# A framework's hooks when the brief gives none of the figures its templates need: the number
# framework says how, without a number.
FALLBACK_HOOKS: dict[str, dict[str, list[str]]] = {
    "en": {"number": ["Here's how to {get_desire}", "{desire_head}, step by step"]},
    "es": {"number": ["Así se consigue {desire_head}", "{desire_head}, paso a paso"]},
}
# Template fields that may be empty (the brief has no proof, no figure): a template naming one is
# used only when the brief fills it.
OPTIONAL_FIELDS = ("proof", "figure")

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
    "desire": "resultados reales",
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
