"""Pull the JSON value out of a language model's answer.

Models wrap JSON in code fences, put prose before and after it, or stop mid-object when they run
out of tokens. :func:`extract_json` accepts the first two and refuses the third: a truncated
object is reported, never repaired, because a "repaired" object silently drops fields.
"""

from __future__ import annotations

import json
import re
from typing import Any

# ```json ... ``` or ``` ... ``` (any info string); the closing fence may be missing when the
# answer was cut off, in which case the block runs to the end of the text.
_FENCE = re.compile(r"```[^\n`]*\n(.*?)(?:```|\Z)", re.DOTALL)
_OPENERS = "{["
# What may be left when the text stops inside a number or a literal ("tru", "1.", "-").
_CUT_TOKEN = re.compile(r"[-+.eE0-9]*|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?")

# strict=False lets literal newlines and tabs through inside strings, which models often emit.
_DECODER = json.JSONDecoder(strict=False)


class NoJson(ValueError):
    """The text holds no complete JSON object or array; the message says why."""


def extract_json(text: str) -> Any:
    """Return the first JSON object or array in ``text``.

    Fenced blocks are tried first (the first that decodes wins), then the whole text; within a
    source the earliest bracket that starts valid JSON wins, so prose such as ``{name}`` before
    the object is skipped, while a scalar list like ``[1]`` in prose would be taken. Raises
    :class:`NoJson` with a short reason: ``"no JSON object found"``,
    ``"JSON is truncated at char N"`` or ``"invalid JSON at char N: <decoder message>"``
    (N counts from the start of ``text``).
    """
    errors: list[NoJson] = []
    for offset, block in _fenced_blocks(text):
        try:
            found = _first_value(block, offset)
        except NoJson as e:
            errors.append(e)
            continue
        if found is not None:
            return found[0]
    if errors:
        raise errors[0]
    found = _first_value(text, 0)
    if found is None:
        raise NoJson("no JSON object found")
    return found[0]


def _fenced_blocks(text: str) -> list[tuple[int, str]]:
    """Each fenced block's content with its offset in ``text``."""
    return [(m.start(1), m.group(1)) for m in _FENCE.finditer(text)]


def _first_value(source: str, offset: int) -> tuple[Any] | None:
    """Decode from each ``{`` / ``[`` in turn; ``None`` when none starts a JSON value.

    A candidate that is clearly JSON (an object opening with a quoted key, or an array opening
    with a value) but fails to decode raises instead of falling through to an inner fragment.
    """
    end = len(source.rstrip())
    for start, char in enumerate(source):
        if char not in _OPENERS:
            continue
        try:
            value, _ = _DECODER.raw_decode(source, start)
        except json.JSONDecodeError as e:
            if _is_truncation(e, source[e.pos : end]):
                raise NoJson(f"JSON is truncated at char {offset + end}") from e
            if _looks_like_json(source, start):
                raise NoJson(f"invalid JSON at char {offset + e.pos}: {e.msg}") from e
            continue
        return (value,)
    return None


def _is_truncation(error: json.JSONDecodeError, rest: str) -> bool:
    """True when decoding failed only because the text ended."""
    return error.msg.startswith("Unterminated string") or _CUT_TOKEN.fullmatch(rest) is not None


def _looks_like_json(source: str, start: int) -> bool:
    """True when the bracket at ``start`` is followed by what JSON would put there."""
    rest = source[start + 1 :].lstrip()
    if not rest:
        return False
    if source[start] == "{":
        return rest[0] in '"}'
    return rest[0] in '"{[]-0123456789' or rest.startswith(("true", "false", "null"))
