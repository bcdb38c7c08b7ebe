"""Which layout each scene gets (pure): from the scene's role, the variant and the brief's facts.

A blueprint's scenes say what they do (hook, product, offer...); a variant (V1-V5) says how this
video designs those roles, so the five videos of a campaign follow different layout sequences. A
layout needs its facts (a rating, a quote, an offer): without them it gives way to another, and
nothing is made up. Every video ends on an end card.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from shared.models.render import AdFacts, SceneSpec


class Layout(StrEnum):
    HOOK = "hook_card"
    HERO = "product_hero"
    BENEFITS = "benefit_list"
    PROOF = "social_proof"
    OFFER = "offer_badge"
    TESTIMONIAL = "testimonial"
    END = "end_card"


L = Layout
# Per variant, the layouts a role's scene is split into (in turn); a role not named keeps its own.
VARIANTS: tuple[dict[str, tuple[Layout, ...]], ...] = (
    {"hook": (L.HOOK,), "product": (L.HERO, L.BENEFITS), "offer": (L.OFFER,)},
    {"hook": (L.TESTIMONIAL,), "product": (L.HERO,), "offer": (L.PROOF, L.OFFER)},
    {"hook": (L.HOOK,), "product": (L.BENEFITS, L.HERO), "offer": (L.PROOF,)},
    {"hook": (L.PROOF,), "product": (L.HERO,), "offer": (L.OFFER,)},
    {"hook": (L.HOOK, L.TESTIMONIAL), "product": (L.HERO, L.PROOF), "offer": (L.BENEFITS,)},
)
OWN = {
    "hook": L.HOOK,
    "product": L.HERO,
    "benefit": L.BENEFITS,
    "proof": L.PROOF,
    "offer": L.OFFER,
    "testimonial": L.TESTIMONIAL,
}
# What stands in for a layout whose facts the brief lacks, in order of preference.
FALLBACK: dict[Layout, tuple[Layout, ...]] = {
    L.HOOK: (L.BENEFITS, L.PROOF),
    L.TESTIMONIAL: (L.PROOF, L.HOOK, L.BENEFITS),
    L.PROOF: (L.TESTIMONIAL, L.BENEFITS, L.HOOK),
    L.BENEFITS: (L.PROOF, L.TESTIMONIAL, L.OFFER),
    L.OFFER: (L.PROOF, L.BENEFITS),
    L.HERO: (L.BENEFITS, L.HOOK),
}
# Any of these stands in for a scene whose wanted layouts would all repeat the slot before.
LAST_RESORT = (L.HOOK, L.BENEFITS, L.PROOF, L.OFFER, L.TESTIMONIAL, L.HERO)
# A layout shorter than this cannot finish its entrance and be read; its scene keeps one.
MIN_SLOT_S = 1.2
_OFFER = re.compile(r"\boffer|end card|cta|call to action|oferta|descuento", re.I)
_PRODUCT = re.compile(r"\bin use|product|producto|en uso|hero|close.?up of the", re.I)
_PROOF = re.compile(r"review|rating|stars|testimonial|rese[ñn]a", re.I)


@dataclass(frozen=True)
class Slot:
    layout: Layout
    scene: int  # the spec scene whose backdrop it is drawn over (-1: the end card's own)
    start_s: float
    duration_s: float
    text: str | None = None  # the scene's on-screen text, for the layouts that show it


def role_of(scene: SceneSpec, index: int, count: int) -> str:
    """The scene's role as given, else read from its position and what it shows."""
    if scene.role:
        return scene.role
    words = f"{scene.prompt or ''} {scene.source or ''}"
    if index == 0:
        return "hook"
    if _OFFER.search(words) or (index == count - 1 and count > 2):
        return "offer"
    if _PROOF.search(words):
        return "proof"
    return "product" if _PRODUCT.search(words) or index == 1 else "benefit"


def available(layout: Layout, facts: AdFacts, text: str | None, has_product: bool) -> bool:
    """Whether the brief (or the scene) holds what ``layout`` shows."""
    return {
        L.HOOK: bool(text),
        L.HERO: has_product,
        L.BENEFITS: len(facts.benefits) >= 2,
        L.PROOF: facts.rating is not None or bool(facts.proof and re.search(r"\d", facts.proof)),
        L.OFFER: bool(facts.offer),
        L.TESTIMONIAL: bool(facts.quote),
        L.END: True,
    }[layout]


def plan(
    scenes: Sequence[SceneSpec],
    durations: Sequence[float],
    facts: AdFacts,
    variant: int,
    *,
    has_product: bool,
    end_card_s: float,
) -> list[Slot]:
    """The layout slots of one video, in time order, the end card last.

    A sparse brief leaves few layouts to choose from, and the variants' tables then collapse
    into the same sequence: a variant whose sequence an earlier variant already follows takes
    the next table (or a table with its split scenes reversed) that gives a new one."""
    seen: set[tuple[str, ...]] = set()
    picked: list[Slot] = []
    for k in range(variant % len(VARIANTS) + 1):
        tables = [VARIANTS[(k + j) % len(VARIANTS)] for j in range(len(VARIANTS))]
        tables += [{role: tuple(reversed(t)) for role, t in table.items()} for table in tables]
        options = (
            _plan(scenes, durations, facts, table, has_product, end_card_s) for table in tables
        )
        first = None
        for option in options:
            first = first or option
            if sequence(option) not in seen:
                picked = option
                break
        else:
            picked = first or []
        seen.add(sequence(picked))
    return picked


def _plan(
    scenes: Sequence[SceneSpec],
    durations: Sequence[float],
    facts: AdFacts,
    table: dict[str, tuple[Layout, ...]],
    has_product: bool,
    end_card_s: float,
) -> list[Slot]:
    total = sum(durations)
    end_s = min(end_card_s, total / 3)
    slots: list[Slot] = []
    start = 0.0
    for i, (scene, dur) in enumerate(zip(scenes, durations, strict=True)):
        if i == len(scenes) - 1:
            dur = max(0.0, dur - end_s)  # the end card takes the last scene's closing seconds
        role = role_of(scene, i, len(scenes))
        wanted = table.get(role, (OWN[role],))
        before = slots[-1].layout if slots else None
        chosen = _resolve(wanted, facts, scene.text, has_product, {s.layout for s in slots}, before)
        if dur < MIN_SLOT_S * len(chosen):
            chosen = chosen[:1]
        for k, layout in enumerate(chosen):
            part = dur / len(chosen)
            if part >= 0.5:
                slots.append(Slot(layout, i, start + k * part, part, scene.text))
        start += dur
    if has_product and not any(s.layout is L.HERO for s in slots):
        slots = _with_hero(slots, scenes)
    slots.append(Slot(L.END, -1, round(total - end_s, 6), end_s))
    return slots


def sequence(slots: Sequence[Slot]) -> tuple[str, ...]:
    return tuple(s.layout.value for s in slots)


def _resolve(
    wanted: Sequence[Layout],
    facts: AdFacts,
    text: str | None,
    has_product: bool,
    used: set[Layout],
    before: Layout | None,
) -> list[Layout]:
    """Each wanted layout, or the first stand-in the facts allow; a layout the video already
    showed is taken again only when no other fits, and never straight after itself (two slots
    of one layout in a row read as one scene stuck). Where the scene's first wanted layout and
    its stand-ins would all repeat ``before``, any other layout the facts allow takes it."""
    chosen: list[Layout] = []
    for layout in wanted:
        last = chosen[-1] if chosen else before
        options = [
            o
            for o in (layout, *FALLBACK.get(layout, ()))
            if available(o, facts, text, has_product) and o not in chosen and o is not last
        ]
        if not options and not chosen:
            options = [
                o for o in LAST_RESORT if available(o, facts, text, has_product) and o is not last
            ]
        fresh = [o for o in options if o not in used]
        if fresh or options:
            chosen.append((fresh or options)[0])
    return chosen


def _with_hero(slots: list[Slot], scenes: Sequence[SceneSpec]) -> list[Slot]:
    """The product gets the hero slot of the product scene (else the second slot): a video with
    a product image always shows it large once."""
    roles = [role_of(s, i, len(scenes)) for i, s in enumerate(scenes)]
    pick = next((k for k, s in enumerate(slots) if roles[s.scene] == "product"), None)
    if pick is None:
        pick = min(1, len(slots) - 1)
    if not slots:
        return slots
    s = slots[pick]
    return [
        *slots[:pick],
        Slot(L.HERO, s.scene, s.start_s, s.duration_s, s.text),
        *slots[pick + 1 :],
    ]
