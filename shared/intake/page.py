"""Read a product page a marketer named: fetched through ``Services.fetch`` (safe_fetch: public
addresses only, a size and a time limit), its main text taken by trafilatura, its title and
Open Graph tags from trafilatura's metadata and the page's ``<meta property="og:…">``, and its
schema.org ``Product`` from its JSON-LD blocks (selected with lxml, the parser trafilatura is
built on; read with ``json``).

Formats: Open Graph, https://ogp.me/ (``og:title``, ``og:description``, ``og:image``);
schema.org Product as Google reads it for product snippets,
https://developers.google.com/search/docs/appearance/structured-data/product-snippet
(``name``, ``description``, ``image``, ``brand.name``, ``offers.price``/``priceCurrency`` or an
``AggregateOffer``'s ``lowPrice``, ``aggregateRating.ratingValue``/``reviewCount``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from shared.errors import BadInput
from shared.net.safe_fetch import Fetcher

# A product page with its inline scripts and styles; anything bigger is not a page to read.
MAX_PAGE_BYTES = 3_000_000
FETCH_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Product:
    """A page's schema.org Product, each value as the page wrote it (None when it has none)."""

    name: str | None = None
    description: str | None = None
    brand: str | None = None
    price: str | None = None
    currency: str | None = None
    rating: str | None = None
    review_count: str | None = None
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    url: str
    title: str | None
    main_text: str
    og: dict[str, str] = field(default_factory=dict)  # og:title, og:description, og:image…
    product: Product | None = None
    images: tuple[str, ...] = ()  # absolute https URLs: og:image first, then the Product's

    def to_doc(self) -> dict[str, Any]:
        """What a draft stores and a model is shown."""
        product = self.product
        product_doc = None if product is None else {**product.__dict__, "images": [*product.images]}
        return {
            "url": self.url,
            "title": self.title,
            "main_text": self.main_text,
            "og": dict(self.og),
            "product": product_doc,
            "images": list(self.images),
        }


def read_page(fetch: Fetcher, url: str) -> Page:
    """Fetch ``url`` and read it; BadInput when it cannot be fetched or holds no text."""
    body = fetch(url, max_bytes=MAX_PAGE_BYTES, timeout_s=FETCH_TIMEOUT_S)
    return parse_page(body, url)


def parse_page(body: bytes, url: str) -> Page:
    # Imported here: every deployable imports the flow (and so this module), only a page read
    # needs the parser; trafilatura takes about a quarter second to import.
    import lxml.html
    import trafilatura
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError) as e:
        raise BadInput(f"{url}: the page is not HTML ({e})") from e
    og = _open_graph(tree)
    product = _product(tree, url)
    meta = trafilatura.extract_metadata(tree, default_url=url)
    # include_tables: a product page's specs and prices often sit in a table.
    # decode_file reads the page's own charset (a Latin-1 or UTF-16 page is not UTF-8).
    from trafilatura.utils import decode_file

    text = trafilatura.extract(decode_file(body), url=url, include_tables=True) or ""
    title = (meta.title if meta is not None else None) or _title(tree)
    if not text and product is None and not og:
        raise BadInput(f"{url}: no text, Open Graph tags or product data could be read there")
    images = [og["og:image"]] if og.get("og:image") else []
    images += list(product.images) if product else []
    return Page(url, title, text, og, product, tuple(_https(images, url)))


def _open_graph(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iterfind(".//meta[@property]"):
        name, content = str(meta.get("property")), (meta.get("content") or "").strip()
        if name.startswith("og:") and content and name not in found:
            found[name] = content
    return found


def _title(tree: Any) -> str | None:
    node = tree.find(".//title")
    text = (node.text_content() if node is not None else "").strip()
    return text or None


def _product(tree: Any, url: str) -> Product | None:
    for node in _json_ld(tree):
        if _is_product(node):
            return _read_product(node, url)
    return None


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    """Every object in the page's JSON-LD blocks, ``@graph`` members and lists unrolled."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):  # hostile nesting is no JSON-LD to use
            continue  # a broken block is the page's problem, not a reason to fail the read
        yield from _objects(data)


# JSON-LD nests a Product a level or two deep (a list, an @graph); deeper is not read.
_MAX_NESTING = 8


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > _MAX_NESTING:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph"), depth + 1)


def _is_product(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(str(k).rsplit("/", 1)[-1] in ("Product", "ProductGroup") for k in kinds)


def _read_product(node: dict[str, Any], url: str) -> Product:
    offer = _first(node.get("offers"))
    rating = _first(node.get("aggregateRating"))
    brand = node.get("brand")
    return Product(
        name=_text(node.get("name")),
        description=_text(node.get("description")),
        brand=_text(brand.get("name") if isinstance(brand, dict) else brand),
        price=_text(offer.get("price", offer.get("lowPrice"))),
        currency=_text(offer.get("priceCurrency")),
        rating=_text(rating.get("ratingValue")),
        review_count=_text(rating.get("reviewCount", rating.get("ratingCount"))),
        images=tuple(_https(_images(node.get("image")), url)),
    )


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        return str(value).strip() or None
    return None


def _images(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    urls = [i.get("url") if isinstance(i, dict) else i for i in items]
    return [u for u in urls if isinstance(u, str)]


def _https(urls: list[str], base: str) -> Iterator[str]:
    """Absolute https URLs (what a brief's product_images accepts), each once."""
    seen: set[str] = set()
    for raw in urls:
        absolute = urljoin(base, raw.strip())
        if absolute.startswith("https://") and absolute not in seen:
            seen.add(absolute)
            yield absolute
