"""A draft brief from a product page: what the page gives for product, brand, offer, proof,
pains and desires, each value with the part of the page it was copied from.

The brand intelligence step's provider reads the page (``ADLOOP_LLM``, or the ``intake`` entry of
its per-step settings) through the versioned ``page`` prompt; offline that is the offline
extractor (shared/creative/offline/page.py), and the draft says so. Whatever wrote the answer,
every value must be found, word for word, in the source it names, or the answer is sent back
with the corrections: nothing on a draft is made up. What the page does not give (a persona, a
market) stays empty and the marketer is asked for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from shared.creative.offline.page import offer_span, rating_span
from shared.creative.structure import parse
from shared.errors import BadInput
from shared.intake.page import Page, read_page
from shared.models.brief import MAX_PASTED_CHARS, MAX_PRODUCT_IMAGES, Brief
from shared.models.errors import explain
from shared.pipeline.generation import generate_valid, request
from shared.services import Services

# The provider that reads the page is the brand intelligence (intake) step's.
STEP = "intake"
OFFLINE_EXTRACTOR = "the offline extractor (no model: the page's product data, then its sentences)"
TAKEN = ("product", "brand_name", "offer", "proof", "pains", "desires")
# What a brief needs that a product page never says: the marketer is always asked.
ASKED = ("persona", "market")

Value = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class Taken(BaseModel):
    """One value and the page part it was copied from (a key of :func:`spans`)."""

    model_config = ConfigDict(extra="forbid")

    value: Value
    source: str


class PageAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: Taken | None = None
    brand_name: Taken | None = None
    offer: Taken | None = None
    proof: list[Taken] = Field(default_factory=list, max_length=3)
    pains: list[Taken] = Field(default_factory=list, max_length=3)
    desires: list[Taken] = Field(default_factory=list, max_length=3)


class PageDraft(BaseModel):
    """What a page gave, kept until the marketer starts the campaign (``drafts/{id}``)."""

    url: str
    extractor: str
    prompt_version: str
    taken: dict[str, list[Taken]]  # field -> what was taken for it, in order
    images: list[str] = Field(default_factory=list)
    main_text: str = ""

    def missing(self, given: Mapping[str, Any] = {}) -> list[str]:
        """The required brief fields neither the page nor ``given`` fills."""
        required = ("product", "offer", *ASKED)
        return [f for f in required if not self.taken.get(f) and not given.get(f)]


def spans(page: Page) -> dict[str, str]:
    """Each part of the page an answer may name as a source, and its text."""
    product = page.to_doc()["product"] or {}
    parts = {
        "title": page.title,
        "og:title": page.og.get("og:title"),
        "og:description": page.og.get("og:description"),
        "og:site_name": page.og.get("og:site_name"),
        "Product.name": product.get("name"),
        "Product.description": product.get("description"),
        "Product.brand": product.get("brand"),
        "Product.offers": offer_span(product),
        "Product.aggregateRating": rating_span(product),
        "main text": page.main_text,
    }
    return {name: text for name, text in parts.items() if text}


def check_answer(text: str, page_spans: Mapping[str, str]) -> tuple[PageAnswer | None, list[str]]:
    """The answer, when every value is found in the source it names; else the corrections."""
    answer, problems = parse(text, PageAnswer)
    if answer is None:
        return None, problems
    for name in TAKEN:
        for item in _items(getattr(answer, name)):
            where = page_spans.get(item.source)
            if where is None:
                problems.append(
                    f"{name}: {item.source!r} is no source of this page; name one of "
                    f"{', '.join(page_spans)}"
                )
            elif _plain(item.value) not in _plain(where):
                problems.append(
                    f"{name}: {item.value[:80]!r} is not in {item.source}; copy it word for word "
                    "or leave it out"
                )
    return (None, problems) if problems else (answer, [])


@dataclass(frozen=True)
class _Reading:
    """A model call's caller before any campaign exists."""

    services: Services


def draft_from_page(services: Services, url: str) -> PageDraft:
    """Read ``url`` (safe_fetch) and take what it gives; BadInput when it cannot be read."""
    page = read_page(services.fetch, url)
    page_spans = spans(page)
    doc = page.to_doc()
    for_model = {**doc, "main_text": page.main_text[:MAX_PASTED_CHARS]}
    req = request(
        "page",
        "page",
        PageAnswer,
        values={"page_json": for_model, "sources": ", ".join(page_spans)},
        context={"page": doc},
    )
    out = generate_valid(_Reading(services), STEP, req, lambda text: check_answer(text, page_spans))
    model = out.calls[-1].model if out.calls else ""
    extractor = OFFLINE_EXTRACTOR if out.provider == "offline" else f"{out.provider} ({model})"
    answer = out.answer
    return PageDraft(
        url=url,
        extractor=extractor,
        prompt_version=out.prompt_version,
        taken={name: _items(getattr(answer, name)) for name in TAKEN},
        images=list(page.images[:MAX_PRODUCT_IMAGES]),
        main_text=page.main_text[:MAX_PASTED_CHARS],
    )


def brief_fields(draft: PageDraft, *, with_images: bool = True) -> dict[str, Any]:
    """The brief's fields the page fills (the first value taken for one-value fields)."""
    fields: dict[str, Any] = {"landing_url": draft.url}
    for name in TAKEN:
        values = [t.value for t in draft.taken.get(name, [])]
        if values:
            fields[name] = values if name in ("proof", "pains", "desires") else values[0]
    if draft.main_text:
        fields["website_text"] = draft.main_text
    if with_images and draft.images:
        fields["product_images"] = list(draft.images)
    return fields


def brief_from_draft(
    draft: PageDraft, given: Mapping[str, Any], *, with_images: bool = True
) -> Brief:
    """The brief: what the marketer gave, the page's values for the rest. BadInput naming each
    field still missing or wrong."""
    missing = draft.missing(given)
    if missing:
        raise BadInput(
            f"{draft.url} does not give {', '.join(missing)}; say "
            + ("them" if len(missing) > 1 else "it")
            + " yourself (a --brief file, or the form)"
        )
    data = {**brief_fields(draft, with_images=with_images), **given}
    try:
        return Brief.from_user(data)
    except ValidationError as e:
        raise BadInput("the brief from the page needs fixing:\n" + explain(e, Brief)) from e


def summary_lines(draft: PageDraft, given: Mapping[str, Any] = {}) -> list[str]:
    """What the page gave and where from, for the marketer to check (plain text)."""
    lines = [f"Read {draft.url} with {draft.extractor}:"]
    for name in TAKEN:
        for item in draft.taken.get(name, []):
            lines.append(f"• {name}: {item.value}  ← {item.source}")
        if not draft.taken.get(name):
            lines.append(f"• {name}: (not on the page)")
    lines.append(
        f"• product images: {len(draft.images)} found"
        + (f" ({', '.join(draft.images)})" if draft.images else "")
    )
    missing = draft.missing(given)
    if missing:
        lines.append(f"Missing, for you to give: {', '.join(missing)}")
    return lines


def _items(value: Taken | list[Taken] | None) -> list[Taken]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _plain(text: str) -> str:
    """Text compared the way a reader would: case and runs of whitespace ignored."""
    return " ".join(text.split()).casefold()
