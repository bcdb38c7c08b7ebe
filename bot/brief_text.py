"""``/adloop new <one line>``: a brief from free text (pure).

Two forms, mixable: ``key: value`` pairs (``product: GlowDrop serum; offer: 20% off; ...``) and
plain values in the order product, offer, persona, market (``GlowDrop serum; 20% off; busy moms;
US``). Pairs are separated by ``;``, ``|`` or new lines; a line with none of those whose start is
no ``key:`` is split on commas instead. Lists (languages, avoid, pains, desires, proof) are comma
separated.

Two things keep a separator inside a value:
- quotes around the value (or a list item): ``offer: "20% off; free shipping"``. Straight quotes
  and the curly ones Slack's clients and phones type (“…”, ‘…’) alike. A quote only opens at the
  start of a value or item and only counts as quoting when it closes just before a separator (or
  the end): ``"GlowDrop" serum`` and ``moms' night out`` are read as written. A double quote that
  never closes is an error (the rest of the line would silently become this value otherwise).
- a web address: ``https://…`` runs to the first space (an address holds none), so its ``;``,
  ``&``, ``=`` and ``,`` stay: ``url: https://shop.example/p?a=1;b=2&c=3``. It also stops at a
  separator written straight before the next ``key:`` (``…?a=1;offer: 20% off``), and a
  separator at its very end is the separator, not part of it.
shlex (posix) was the first choice for the lexing and does not fit: it splits on every space,
treats each apostrophe as an opening quote (``mom's`` -> "No closing quotation") and knows
nothing of web addresses. Slack's own encoding (``&amp;``, ``<https://…|…>``) is undone before
this, by :func:`shared.chat_text.from_slack`.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from shared.chat_text import escape
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
    "images": "product_images",
    "image": "product_images",
    "product_images": "product_images",
}
LISTS = {"languages", "avoid", "pains", "desires", "proof", "product_images"}
SEPARATORS = ";|\n"
_KEY = re.compile(r"^\s*([A-Za-z][A-Za-z _]{0,20}?)\s*[:=]\s*(.*)$", re.S)
_KEY_AHEAD = re.compile(r"\s*([A-Za-z][A-Za-z _]{0,20}?)\s*:")
_URL = re.compile(r"https?://", re.I)
# opening quote -> the quotes that close it; Slack clients and phones type the curly ones
_DOUBLE, _SINGLE = '"“”„', "'‘"
_CLOSERS = {**dict.fromkeys(_DOUBLE, '"“”'), **dict.fromkeys(_SINGLE, "'’")}

EXAMPLE = (
    '/adloop new product: GlowDrop serum; offer: "20% off; free shipping"; persona: busy moms; '
    "market: US; url: https://glowdrop.example/serum?ref=ads&color=gold"
)
# Escaped here, once: USAGE joins replies sent as mrkdwn, where a bare & is Slack markup.
USAGE = (
    f"`{escape(EXAMPLE)}` (also: funnel, languages, variations, voice, avoid, proof, pains, "
    "desires; quote a value that holds ; or |), or `/adloop new` for a form."
)


class LineError(ValueError):
    """The line cannot be read as the marketer meant it; the message says what to change."""


class RepeatedField(LineError):
    """A field given twice: which one was meant is the marketer's to say, not ours."""


class UnclosedQuote(LineError):
    """A double quote that never closes: everything after it would become one value."""


def split_outside(text: str, separators: str) -> list[str]:
    """``text`` cut at each of ``separators`` that is outside quotes and web addresses
    (the pieces stripped, empty ones dropped)."""
    parts, start, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch in separators:
            parts.append(text[start:i])
            start = i = i + 1
        elif ch in _CLOSERS and _item_start(text, i, separators):
            i = _after_quote(text, i, separators)
        elif _URL.match(text, i) and _item_start(text, i, separators, word=True):
            i = _after_url(text, i, separators)
        else:
            i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _item_start(text: str, i: int, separators: str, *, word: bool = False) -> bool:
    """Whether ``text[i]`` starts a value or item (or, with ``word``, a word)."""
    before = text[:i].rstrip(" \t")
    if word and i > 0 and text[i - 1] in " \t":
        return True
    return not before or before[-1] in separators + ":=,"


def _after_quote(text: str, i: int, separators: str) -> int:
    """Where scanning goes on after the quote opened at ``i``: past its closing quote when it
    quotes a whole value, else just past the quote (it is part of the text)."""
    close = next((j for j in range(i + 1, len(text)) if text[j] in _CLOSERS[text[i]]), None)
    if close is None:
        if text[i] in _DOUBLE:
            shown = text[i : i + 30] + ("…" if len(text) > i + 30 else "")
            raise UnclosedQuote(
                f"the quote that opens {shown} is never closed: close it, or leave it out"
            )
        return i + 1  # an apostrophe ('90s, moms' night)
    rest = text[close + 1 :].lstrip(" \t")
    return close + 1 if not rest or rest[0] in separators + "," else i + 1


def _after_url(text: str, i: int, separators: str) -> int:
    """The end of the web address at ``i``: the first space, or a separator just before the
    next ``key:``; a separator at its very end is left to separate."""
    end = i
    while end < len(text) and not text[end].isspace():
        if text[end] in separators and _key_ahead(text, end + 1):
            break
        end += 1
    while end > i and text[end - 1] in separators + ",":
        end -= 1
    return end


def _key_ahead(text: str, i: int) -> bool:
    m = _KEY_AHEAD.match(text, i)
    return m is not None and m.group(1).strip().lower() in ALIASES


def segments(text: str) -> list[str]:
    parts = split_outside(text.strip(), SEPARATORS)
    if len(parts) == 1 and _key(parts[0]) is None:
        parts = split_outside(parts[0], ",")  # GlowDrop serum, 20% off, busy moms, US
    return parts


def _key(segment: str) -> tuple[str, str] | None:
    m = _KEY.match(segment)
    if m is None:
        return None
    field = ALIASES.get(m.group(1).strip().lower())
    return (field, m.group(2).strip()) if field else None


def unquote(value: str) -> str:
    """``value`` without the quotes around all of it (``"20% off; free"`` -> ``20% off; free``)."""
    value = value.strip()
    if len(value) >= 2 and value[0] in _CLOSERS:
        close = next((j for j in range(1, len(value)) if value[j] in _CLOSERS[value[0]]), None)
        if close == len(value) - 1:
            return value[1:-1].strip()
    return value


def fields_from_text(text: str) -> dict[str, Any]:
    """The brief's fields as written (unvalidated); a LineError says what to change."""
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
        data[field] = _list(field, value) if field in LISTS else unquote(value)
    if "funnel_focus" in data:
        data["funnel_focus"] = str(data["funnel_focus"]).lower()
    return data


def _list(field: str, value: str) -> list[str]:
    if field == "languages":  # codes: en, es / en es
        return [v.lower() for v in re.split(r"[,/\s]+", unquote(value)) if v]
    if field == "product_images":  # URLs, apart by spaces (a URL may hold a comma)
        return [u.rstrip(",") for u in unquote(value).split() if u.rstrip(",")]
    return [item for item in (unquote(v) for v in split_outside(value, ",")) if item]


def parse_brief(text: str) -> tuple[Brief | None, str]:
    """The brief, or None and every problem on its own line (missing fields included)."""
    try:
        return Brief.from_user(fields_from_text(text)), ""
    except LineError as e:
        return None, str(e)
    except ValidationError as e:
        return None, explain(e, Brief)
