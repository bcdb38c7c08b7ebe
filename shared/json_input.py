"""JSON from outside adloop, read strictly: webhook and task bodies, brief files, lint-copy lines.

Python's json module accepts more than JSON: the literals ``NaN``, ``Infinity`` and
``-Infinity``, a float literal too large for a float (``1e400`` becomes ``inf``), integers of any
length up to int's 4,300-digit limit (past it, a ``ValueError`` that is not a decode error), lone
surrogates in strings and keys given twice. One non-finite number stored in SQLite makes its
document invalid JSON, and every later query that reads it fails. So every boundary reads with
:func:`loads`, which refuses, naming the field:

* a number that is not finite, or whose magnitude is over 2**53 - 1: RFC 8259 section 6 calls
  that range interoperable (https://www.rfc-editor.org/rfc/rfc8259#section-6), nothing adloop
  reads from outside is larger, and every store and language holds it exactly;
* a string or key holding a lone surrogate (section 8.2): it is not text and cannot be UTF-8;
* an object naming a key twice (section 4: receivers then disagree on its value).

:func:`number` applies the same rule to a value that may be a numeric string (ad platforms send
metrics as ``"123"``), so ``"Infinity"`` is refused there too.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# RFC 8259 section 6: integers in [-(2**53)+1, 2**53-1] are exact wherever JSON is read.
MAX_MAGNITUDE = 2**53 - 1
# 2**53 - 1 has 16 digits: a longer integer literal is refused without converting it (int() is
# quadratic in the digits, and refuses past 4,300 with an error of another type).
_MAX_INT_DIGITS = len(str(MAX_MAGNITUDE))
# Only a \\uD800-\\uDFFF escape can put a surrogate in a decoded string (strict UTF-8 refuses
# encoded ones); pairs decode to one character, so only a lone one survives.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NUMBER_RULE = f"numbers must be finite and within ±{MAX_MAGNITUDE:,}"


class JsonRefused(ValueError):
    """The text is not JSON adloop accepts; the message says where and why."""


class _Refused:
    """A number the decoder met that the rule refuses, kept until its field is known."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal


def loads(data: str | bytes) -> Any:
    """The JSON value in ``data`` (bytes must be UTF-8), or :class:`JsonRefused`."""
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError as e:
            raise JsonRefused(f"not UTF-8 text (byte {e.start})") from e
    refused: list[_Refused] = []

    def keep(literal: str) -> _Refused:
        refused.append(_Refused(literal))
        return refused[-1]

    def parse_int(literal: str) -> int | _Refused:
        if len(literal.lstrip("-")) <= _MAX_INT_DIGITS:
            value = int(literal)
            if abs(value) <= MAX_MAGNITUDE:
                return value
        return keep(literal)

    def parse_float(literal: str) -> float | _Refused:
        value = float(literal)  # a literal too large for a float is inf, not an error
        return value if _finite(value) else keep(literal)

    decoder = json.JSONDecoder(
        parse_constant=keep,
        parse_int=parse_int,
        parse_float=parse_float,
        object_pairs_hook=_unique,
    )
    try:
        value = decoder.decode(data)
    except JsonRefused:
        raise
    except json.JSONDecodeError as e:
        raise JsonRefused(f"not JSON: {e.msg} at char {e.pos}") from e
    except RecursionError as e:
        raise JsonRefused("not JSON adloop reads: nested too deeply") from e
    if refused or _SURROGATE_ESCAPE.search(data) or _SURROGATE.search(data):
        _check_values(value)
    return value


def number(value: Any, field: str) -> float:
    """``value`` (a JSON number, a numeric string, or empty for 0) as a float within the rule;
    :class:`JsonRefused` naming ``field`` otherwise."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise JsonRefused(f"{field}: {_show(value)} is not a number")
    if isinstance(value, str) and len(value.strip().lstrip("+-")) > 64:
        raise JsonRefused(f"{field}: {_show(value)} is refused: {_NUMBER_RULE}")
    try:
        result = float(value)
    except (ValueError, OverflowError) as e:
        raise JsonRefused(f"{field}: {_show(value)} is not a number") from e
    if not _finite(result):
        raise JsonRefused(f"{field}: {_show(value)} is refused: {_NUMBER_RULE}")
    return result


def _finite(value: float) -> bool:
    return math.isfinite(value) and abs(value) <= MAX_MAGNITUDE


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    doc = dict(pairs)
    if len(doc) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonRefused(f"the key {_show(key)} appears twice in one object")
            seen.add(key)
    return doc


def _check_values(root: Any) -> None:
    """Raise for the first refused number or lone surrogate, naming where it is."""
    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Refused):
            raise JsonRefused(f"{_where(path)}: {_show(value.literal)} is refused: {_NUMBER_RULE}")
        if isinstance(value, str) and _SURROGATE.search(value):
            raise JsonRefused(f"{_where(path)}: holds a lone surrogate (not Unicode text)")
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if _SURROGATE.search(key):
                    raise JsonRefused(f"{_where(path)}: a key holds a lone surrogate")
                stack.append((f"{path}.{key}" if path else key, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))


def _where(path: str) -> str:
    """The field's dotted path (``rows[0].cost_micros``), cut to a length a message can carry."""
    if not path:
        return "the value"
    return path if len(path) <= 120 else f"{path[:60]}…{path[-59:]}"


def _show(value: Any, limit: int = 40) -> str:
    """A short, printable, ASCII form of a refused value for a message."""
    text = ascii(value)
    return text if len(text) <= limit else f"{text[: limit - 12]}… ({len(str(value)):,} chars)"
