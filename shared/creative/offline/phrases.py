"""The offline engine's phrase book: hook frameworks and copy templates, in English and Spanish.

Each template is filled from the brief; ``{pain}``, ``{desire}`` and the rest are the brief's own
words, shortened. Frameworks are the ones performance teams name: question, number, POV,
contrarian, testimonial, how-to, curiosity gap, pattern interrupt, offer-led, proof-led.
"""

from __future__ import annotations

HOOKS: dict[str, dict[str, list[str]]] = {
    "en": {
        "question": [
            "Still putting up with {pain_head}?",
            "Tired of {pain_head}?",
            "What if {desire_head} took a minute?",
        ],
        "number": [
            "{n} days to {desire_head}",
            "3 reasons {persona_head} switched",
            "One step. {n} days. See it.",
        ],
        "pov": ["POV: {pain_head}, gone", "POV: you finally {have_desire}"],
        "contrarian": ["Stop settling for {pain_head}.", "You don't need more products."],
        "testimonial": ['"I finally {have_desire}."', "I tried {product} for {n} days"],
        "how_to": ["How {persona_head} {get_desire}", "How to skip {pain_head}"],
        "curiosity": ["Nobody talks about this {category} fix", "The quiet fix for {pain_head}"],
        "pattern_interrupt": ["Wait. Look at this.", "This changed my mornings."],
        "offer": ["{offer}. Seriously.", "{offer}, starting now"],
        "proof": ["{proof}", "Why {persona_head} keep reordering"],
    },
    "es": {
        "question": ["¿Cansada de {pain_head}?", "¿Y si {desire_head} fuera fácil?"],
        "number": ["{n} días para notarlo", "3 razones para cambiarte"],
        "pov": ["POV: adiós a {pain_head}", "POV: por fin lo lograste"],
        "contrarian": ["Deja de aceptar {pain_head}.", "No necesitas más productos."],
        "testimonial": ['"Por fin lo logré."', "Probé {product} {n} días"],
        "how_to": ["Cómo lograrlo en un minuto", "Así lo logran otras"],
        "curiosity": ["El truco que nadie cuenta", "La solución tranquila que buscabas"],
        "pattern_interrupt": ["Espera. Mira esto.", "Esto cambió mis mañanas."],
        "offer": ["{offer}, desde hoy", "{offer}: empieza ahora"],
        "proof": ["{proof}", "Por qué todas repiten"],
    },
}

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
    "Mid": "Demonstrate {product} in use, step by step; on-screen text names one benefit per beat.",
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
