"""``/adloop new <one line>``: a brief from free text (pure).

Two forms, mixable: ``key: value`` pairs (``product: GlowDrop serum; offer: 20% off; ...``) and
plain values in the order product, offer, persona, market (``GlowDrop serum; 20% off; busy moms;
US``). Pairs are separated by ``;``, ``|`` or new lines; a line with none of those and no keys is
split on commas instead.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from shared.models import Brief, explain

POSITIONAL = ("product", "offer", "persona", "market")
ALIASES: dict[str, str] = {
    "product": "product",
    "prod": "product",
    "offer": "offer",
    "deal": "offer",
    "promo": "offer",
    "persona": "persona",
    "audience": "persona",
    "for": "persona",
    "who": "persona",
    "market": "market",
    "region": "market",
    "geo": "market",
    "country": "market",
    "funnel": "funnel_focus",
    "funnel focus": "funnel_focus",
    "funnel_focus": "funnel_focus",
    "stage": "funnel_focus",
    "languages": "languages",
    "language": "languages",
    "lang": "languages",
    "langs": "languages",
    "variations": "variations",
    "variants": "variations",
    "voice": "brand_voice",
    "brand voice": "brand_voice",
    "brand_voice": "brand_voice",
    "tone": "brand_voice",
    "avoid": "avoid",
    "never": "avoid",
    "brand": "brand_name",
    "brand_name": "brand_name",
    "category": "category",
    "url": "landing_url",
    "landing": "landing_url",
    "landing_url": "landing_url",
    "site": "landing_url",
    "pains": "pains",
    "desires": "desires",
    "proof": "proof",
    "website": "website_text",
    "website_text": "website_text",
    "transcript": "transcript",
}
LISTS = {"languages", "avoid", "pains", "desires", "proof"}
_KEY = re.compile(r"^\s*([A-Za-z][A-Za-z _]{0,20}?)\s*[:=]\s*(.*)$", re.S)

USAGE = (
    "`/adloop new product: GlowDrop serum; offer: 20% off; persona: busy moms; market: US` "
    "(also: funnel, languages, variations, voice, avoid, url), or `/adloop new` for a form."
)


def segments(text: str) -> list[str]:
    text = text.strip()
    if re.search(r"[;|\n]", text):
        parts = re.split(r"[;|\n]", text)
    elif any(_key(p) for p in text.split(",")):
        parts = [text]  # one key: value pair whose value may hold commas
    else:
        parts = text.split(",")
    return [p.strip() for p in parts if p.strip()]


def _key(segment: str) -> tuple[str, str] | None:
    m = _KEY.match(segment)
    if m is None:
        return None
    field = ALIASES.get(m.group(1).strip().lower())
    return (field, m.group(2).strip()) if field else None


class RepeatedField(ValueError):
    """A field given twice: which one was meant is the marketer's to say, not ours."""


def fields_from_text(text: str) -> dict[str, Any]:
    """The brief's fields as written (unvalidated); RepeatedField names a field given twice."""
    data: dict[str, Any] = {}
    for segment in segments(text):
        pair = _key(segment)
        if pair is None:
            field = next((f for f in POSITIONAL if f not in data), None)
            if field is None:
                continue  # more plain values than we know what to do with
            pair = (field, segment)
        field, value = pair
        if field in data:
            raise RepeatedField(f"{field}: given more than once; say it once")
        data[field] = _list(field, value) if field in LISTS else value
    if "funnel_focus" in data:
        data["funnel_focus"] = str(data["funnel_focus"]).lower()
    return data


def _list(field: str, value: str) -> list[str]:
    splitter = r"[,/\s]+" if field == "languages" else r","
    items = [v.strip() for v in re.split(splitter, value) if v.strip()]
    return [v.lower() for v in items] if field == "languages" else items


def parse_brief(text: str) -> tuple[Brief | None, str]:
    """The brief, or None and every problem on its own line (missing fields included)."""
    try:
        return Brief.from_user(fields_from_text(text)), ""
    except RepeatedField as e:
        return None, str(e)
    except ValidationError as e:
        return None, explain(e, Brief)
