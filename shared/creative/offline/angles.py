"""Angle mining, offline: the classic direct-response angles, tied to the brief's own pains and
desires, ranked by what has won before (the pattern library) and otherwise by priors."""

from __future__ import annotations

from typing import Any

from shared.creative.offline.words import short

# Prior win rates by angle, before any performance data (typical paid-social experience:
# pain- and proof-led angles outperform pure aspiration for direct response).
PRIORS = {
    "pain_first": 0.62,
    "social_proof": 0.6,
    "offer_urgency": 0.57,
    "curiosity": 0.55,
    "objection": 0.52,
    "contrarian": 0.5,
    "aspirational": 0.48,
    "us_vs_them": 0.45,
}

_TEMPLATES = {
    "pain_first": ("Pain first", "{segment} are tired of {pain}; name it before the fix."),
    "social_proof": ("Social proof", "Others like {segment} already {desire}: {proof}."),
    "curiosity": ("Curiosity", "There is a simple reason {pain} keeps happening; tease it."),
    "aspirational": ("Aspirational", "Show the life where {segment} {desire}."),
    "contrarian": ("Contrarian", "The usual advice about {pain} is wrong; say what works."),
    "offer_urgency": ("Offer and urgency", "{offer} makes trying it a small, timely decision."),
    "objection": (
        "Objection handling",
        "Answer the doubt that stops {segment}: will it work for me?",
    ),
    "us_vs_them": ("Us vs. them", "Compare {product} with what {segment} use today."),
}


def mine_angles(
    brief: dict[str, Any], brand: dict[str, Any], patterns: dict[str, float]
) -> list[dict[str, Any]]:
    segment = (
        brand["segments"][0]
        if brand.get("segments")
        else {"name": brief["persona"], "pains": [], "desires": []}
    )
    pains = segment.get("pains") or ["wasted effort"]
    desires = segment.get("desires") or ["get results"]
    proof = (brand.get("proof") or ["customers love it"])[0]
    angles = []
    for i, (angle_id, (name, insight)) in enumerate(_TEMPLATES.items()):
        values = {
            "segment": short(segment["name"], 6),
            "pain": short(pains[i % len(pains)], 6),
            "desire": short(desires[i % len(desires)], 6),
            "proof": short(proof, 10),
            "offer": short(brief["offer"], 8),
            "product": brief["product"],
        }
        learned = patterns.get(angle_id)
        score = learned if learned is not None else PRIORS[angle_id]
        angles.append(
            {
                "id": angle_id,
                "name": name,
                "insight": insight.format(**values),
                "segment": segment["name"],
                "score": round(score, 3),
                "source": "patterns" if learned is not None else "priors",
            }
        )
    return sorted(angles, key=lambda a: -a["score"])
