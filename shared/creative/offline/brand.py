"""Brief -> brand profile, offline: voice, positioning, segments, pillars, avoid list.

Language patterns are mined from pasted website text and call transcripts: the sentences in
which customers speak of themselves ("I…", "my…") are the phrases copy should echo.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from shared.creative.offline.words import short

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|my|me|yo|mi|me)\b", re.IGNORECASE)
_VOICE_WORDS = {
    "playful": "playful",
    "fun": "playful",
    "bold": "bold",
    "confident": "confident",
    "warm": "warm",
    "friendly": "warm",
    "caring": "warm",
    "expert": "expert",
    "clinical": "clinical",
    "scientific": "clinical",
    "premium": "premium",
    "luxury": "premium",
    "honest": "honest",
    "simple": "simple",
    "calm": "calm",
    "energetic": "energetic",
    "direct": "direct",
    "witty": "witty",
    "empathetic": "empathetic",
}
_DEFAULT_VOICE = ["clear", "confident", "warm"]


def build_brand(brief: dict[str, Any]) -> dict[str, Any]:
    name = brief.get("brand_name") or brief["product"].split()[0]
    pains = brief.get("pains") or [f"getting results with {brief.get('category') or 'this'}"]
    desires = brief.get("desires") or [f"{brief['product']} that works"]
    patterns = mine_patterns(
        " ".join(filter(None, [brief.get("website_text"), brief.get("transcript")]))
    )
    return {
        "id": _slug(name),
        "name": name,
        "voice": voice_of(brief.get("brand_voice") or ""),
        "positioning": (
            f"{brief['product']} for {short(brief['persona'], 8)} who want "
            f"{short(desires[0], 6)} without {short(pains[0], 6)}."
        ),
        "segments": [
            {
                "name": short(brief["persona"], 6),
                "pains": pains,
                "desires": desires,
                "language_patterns": patterns,
            }
        ],
        "pillars": pillars_of(brief, desires),
        "localized_pillars": {
            lang: pillars_of(
                {**brief, **{k: v for k, v in words.items() if v}}, words.get("desires") or desires
            )
            for lang, words in (brief.get("localized") or {}).items()
        },
        "avoid": list(brief.get("avoid") or []),
        "proof": list(brief.get("proof") or []),
        "source": "offline",
    }


def voice_of(text: str) -> list[str]:
    found = [_VOICE_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _VOICE_WORDS]
    unique = list(dict.fromkeys(found))
    return unique[:5] or list(_DEFAULT_VOICE)


def pillars_of(brief: dict[str, Any], desires: list[str]) -> list[str]:
    """What every ad should carry one or two of: the outcomes, the proof, the offer."""
    pillars = [d.rstrip(".") for d in desires[:3]]
    pillars += [p.rstrip(".") for p in (brief.get("proof") or [])[:2]]
    pillars.append(brief["offer"].rstrip("."))
    return pillars


def mine_patterns(text: str, limit: int = 6) -> list[str]:
    """Customer phrases worth echoing: first-person sentences, most specific (longest) first."""
    sentences = [s.strip(" -\"'") for s in _SENTENCE.split(text) if s.strip()]
    voiced = [s for s in sentences if _FIRST_PERSON.search(s) and 3 <= len(s.split()) <= 25]
    counts = Counter(voiced)
    ranked = sorted(counts, key=lambda s: (-counts[s], -len(set(s.lower().split())), s))
    return ranked[:limit]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "brand"
