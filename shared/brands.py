"""Brand kits: a workspace's brands, kept between campaigns and versioned.

``brands/{workspace}:{slug}`` holds a kit's current state; every change (a person's edit, a
campaign's enrichment) raises its ``version`` and stores a copy at ``brands/{id}/versions/{n}``,
so a creative that records ``brand_version`` can always be traced to the kit it was written from.
A campaign enriches the kit it names (keeping what a person set, adding what is new, never
dropping an avoid word) once: the enrichment is marked under ``brands/{id}/enrichments/{campaign}``
in the same transaction, so a redelivered intake finds its version instead of making another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from hashlib import sha256
from typing import Any
from urllib.parse import urlsplit

from shared.media.images import AcceptedImage
from shared.models.brand import (
    MAX_AVOID,
    MAX_COLORS,
    MAX_PILLARS,
    MAX_PROOF,
    MAX_SEGMENTS,
    MAX_VOICE,
    PERSON_FIELDS,
    AudienceSegment,
    BrandKit,
    BrandProfile,
)
from shared.models.brief import Brief
from shared.ports.blobs import Blobs
from shared.ports.documents import Documents, Transaction

LOCAL = "local"  # the CLI's workspace; a Slack workspace is its team id
BRANDS = "brands"
# What a kit change never counts as a change: bookkeeping, not the brand.
_BOOKKEEPING = {"version", "updated_by", "source"}
# What a person sets: the form's fields, and the logo (a blob: stored by :func:`store_logo`).
_EDITED = (*PERSON_FIELDS, "logo")


def slug(name: str) -> str:
    """The name as an id part: letters and digits, the rest dashes. A name that keeps nothing
    (emoji) or is cut at 40 gets a short hash of itself, so two names never share a kit."""
    base = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    if base and len(base) <= 40:
        return base
    digest = hashlib.sha256(name.strip().lower().encode()).hexdigest()[:8]
    return f"{base[:31].strip('-') or 'brand'}-{digest}"


def kit_id(workspace: str, name: str) -> str:
    return f"{workspace}:{slug(name)}"


def kit_path(brand_id: str) -> str:
    return f"{BRANDS}/{brand_id}"


def version_path(brand_id: str, version: int) -> str:
    return f"{BRANDS}/{brand_id}/versions/{version:06d}"


def get_kit(docs: Documents, brand_id: str) -> BrandKit | None:
    raw = docs.get(kit_path(brand_id)) if brand_id else None
    return BrandKit.model_validate(raw) if raw and "workspace" in raw else None


def find_kit(docs: Documents, workspace: str, name: str) -> BrandKit | None:
    """The workspace's kit called ``name`` (any case and punctuation), or with that id."""
    name = name.strip()
    if not name:
        return None
    prefix = f"{workspace}:"
    if name.startswith(prefix) and slug(name[len(prefix) :]) == name[len(prefix) :]:
        return get_kit(docs, name)  # an id, as the form's picker sends it
    return get_kit(docs, kit_id(workspace, name))


def list_kits(docs: Documents, workspace: str) -> list[BrandKit]:
    found = docs.query(BRANDS, [("workspace", "==", workspace)])
    return sorted((BrandKit.model_validate(d.data) for d in found), key=lambda k: k.name.lower())


def load_version(docs: Documents, brand_id: str, version: int) -> BrandKit | None:
    raw = docs.get(version_path(brand_id, version))
    return BrandKit.model_validate(raw) if raw else None


def load_profile(docs: Documents, brand_id: str, version: int | None) -> BrandProfile | None:
    """The profile a campaign pinned (its ``brand_version``), else the brand's current one; a
    profile stored before kits existed (``brands/{campaign}-{slug}``) is read as it is."""
    if version is not None:
        kit = load_version(docs, brand_id, version)
        if kit is not None:
            return kit.profile()
    raw = docs.get(kit_path(brand_id))
    if raw is None:
        return None
    return BrandKit.model_validate(raw).profile() if "workspace" in raw else BrandProfile(**raw)


# --- changing a kit ---------------------------------------------------------------------------


def proposal(
    found: BrandProfile, brief: Brief, *, workspace: str, brand_id: str, campaign_id: str
) -> BrandKit:
    """What one campaign knows of its brand: the model's profile and the brief's own facts."""
    return BrandKit(
        **{**found.model_dump(), "id": brand_id},
        workspace=workspace,
        colors=list(brief.brand_colors),
        landing_domain=domain_of(brief.landing_url),
        persona=brief.persona,
        market=brief.market,
        updated_by=campaign_id,
    )


def enriched(current: BrandKit | None, new: BrandKit) -> BrandKit:
    """``current`` with what ``new`` adds (pure). A field a person set stays; lists gain new
    entries up to the brief's bounds; the avoid list only ever grows; the audience is the latest
    campaign's."""
    if current is None:
        return new.model_copy(update={"version": 1})
    mine = set(current.set_by_person)

    def keep(field: str, value: Any) -> Any:
        old = getattr(current, field)
        return old if field in mine or old else value

    merged = {
        "name": current.name,
        "positioning": keep("positioning", new.positioning),
        "voice": current.voice if "voice" in mine else union(current.voice, new.voice, MAX_VOICE),
        "pillars": union(current.pillars, new.pillars, MAX_PILLARS),
        "localized_pillars": {
            lang: union(current.localized_pillars.get(lang, []), words, MAX_PILLARS)
            for lang, words in {**current.localized_pillars, **new.localized_pillars}.items()
        },
        "segments": _segments(current.segments, new.segments),
        "avoid": union(current.avoid, new.avoid, MAX_AVOID),
        "proof": current.proof if "proof" in mine else union(current.proof, new.proof, MAX_PROOF),
        "colors": keep("colors", new.colors),
        "landing_domain": keep("landing_domain", new.landing_domain),
        "logo": current.logo or new.logo,
        "fonts": current.fonts or new.fonts,
        "persona": new.persona or current.persona,
        "market": new.market or current.market,
        "source": new.source,
        "updated_by": new.updated_by,
    }
    return current.model_copy(update=merged)


def enrich(
    docs: Documents, brand_id: str, build: Callable[[BrandKit | None], BrandKit], campaign_id: str
) -> BrandKit:
    """Apply one campaign's ``build(current)`` to the kit, once per campaign: the version it
    made (or found unchanged) is returned again to a redelivery."""
    mark = f"{kit_path(brand_id)}/enrichments/{campaign_id}"

    def txn(tx: Transaction) -> BrandKit:
        done = tx.get(mark)
        if done is not None:
            return BrandKit.model_validate(tx.get(version_path(brand_id, done["version"])))
        raw = tx.get(kit_path(brand_id))
        current = BrandKit.model_validate(raw) if raw and "workspace" in raw else None
        kit = _saved(tx, current, build(current))
        tx.set(mark, {"version": kit.version})
        return kit

    return docs.transact(txn)


def edit(
    docs: Documents,
    brand_id: str,
    workspace: str,
    changes: dict[str, Any],
    *,
    by: str,
    request_id: str,
) -> BrandKit:
    """A person's changes to the kit (created when new), marked as theirs; one version per
    ``request_id`` (a double submit of the form saves once)."""
    unknown = set(changes) - set(_EDITED)
    if unknown:
        raise ValueError(f"not a field a person edits: {sorted(unknown)}")
    mark = f"{kit_path(brand_id)}/edits/{request_id}"

    def txn(tx: Transaction) -> BrandKit:
        done = tx.get(mark)
        if done is not None:
            return BrandKit.model_validate(tx.get(version_path(brand_id, done["version"])))
        raw = tx.get(kit_path(brand_id))
        current = BrandKit.model_validate(raw) if raw and "workspace" in raw else None
        base = current or BrandKit(
            id=brand_id, workspace=workspace, name=brand_id.split(":", 1)[-1], positioning=""
        )
        # Only what the person changed is theirs: Slack sends every input, the untouched too.
        changed = {k: v for k, v in changes.items() if current is None or getattr(base, k) != v}
        person = list(dict.fromkeys([*base.set_by_person, *changed]))
        update = {**changed, "set_by_person": person, "updated_by": by}
        kit = _saved(tx, current, base.model_copy(update=update))
        tx.set(mark, {"version": kit.version})
        return kit

    return docs.transact(txn)


def store_logo(blobs: Blobs, brand_id: str, image: AcceptedImage) -> str:
    """The checked ``image`` (shared/media/images.py accept_image) kept under the kit as
    ``brands/{id}/logo-{sha8}.{png|jpg|webp}``; its path, for :func:`edit` as ``logo``. Named by
    its content: an old version's logo stays where that version says, the same file is one blob,
    and the render step copies only a logo under its own kit (steps/render.py _copy_logo)."""
    digest = sha256(image.data).hexdigest()[:8]
    path = f"{kit_path(brand_id)}/logo-{digest}{image.info.suffix}"
    if not blobs.exists(path):
        blobs.put(path, image.data, content_type=image.info.content_type)
    return path


def _saved(tx: Transaction, current: BrandKit | None, kit: BrandKit) -> BrandKit:
    """Store ``kit`` as the next version, unless it changes nothing of ``current``."""
    if current is not None and _content(current) == _content(kit):
        return current
    kit = BrandKit.model_validate(
        {**kit.model_dump(), "version": (current.version + 1) if current else 1}
    )
    doc = kit.model_dump(mode="json")
    tx.set(kit_path(kit.id), doc)
    tx.set(version_path(kit.id, kit.version), doc)
    return kit


def _content(kit: BrandKit) -> dict[str, Any]:
    return kit.model_dump(mode="json", exclude=_BOOKKEEPING)


def union(first: Iterable[str], then: Iterable[str], limit: int) -> list[str]:
    """Both lists, first's order first, without repeats (any case), at most ``limit``."""
    seen: dict[str, str] = {}
    for item in [*first, *then]:
        text = item.strip()
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())[:limit]


def _segments(old: list[AudienceSegment], new: list[AudienceSegment]) -> list[AudienceSegment]:
    names = {s.name.casefold() for s in old}
    return [*old, *(s for s in new if s.name.casefold() not in names)][:MAX_SEGMENTS]


def domain_of(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.lower() if host else None


# --- a brief from a kit -----------------------------------------------------------------------


def brief_defaults(kit: BrandKit) -> dict[str, Any]:
    """The brief fields a chosen brand fills: a campaign then needs only product and offer."""
    defaults: dict[str, Any] = {
        "brand_name": kit.name,
        "brand_voice": ", ".join(kit.voice) or None,
        "avoid": list(kit.avoid),
        "proof": list(kit.proof),
        "brand_colors": list(kit.colors[:MAX_COLORS]),
        # The brand's home page: exportable ads need a landing page; a product page is better.
        "landing_url": f"https://{kit.landing_domain}/" if kit.landing_domain else None,
        "persona": kit.persona,
        "market": kit.market,
    }
    return {k: v for k, v in defaults.items() if v not in (None, [], "")}


def with_kit(data: dict[str, Any], kit: BrandKit) -> dict[str, Any]:
    """A brief's fields (as a person gave them, unvalidated) over the kit's defaults; the avoid
    and proof lists are the brief's and the kit's together."""
    out = {**brief_defaults(kit), **{k: v for k, v in data.items() if v not in (None, "", [])}}
    for field, limit in (("avoid", MAX_AVOID), ("proof", MAX_PROOF)):
        given = data.get(field)
        if isinstance(given, list) and all(isinstance(v, str) for v in given):
            out[field] = union(given, getattr(kit, field), limit)
    return out
