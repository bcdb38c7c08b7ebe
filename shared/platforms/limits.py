"""Text limits: how a platform's limit on a copy field is declared, counted and checked.

The limits themselves are facts about each platform and live in its module
(``shared/platforms/meta.py``, ``google.py``, ``tiktok.py``) with their sources.

Characters are user-perceived characters (Unicode extended grapheme clusters): "é" written as
``e`` + combining accent, a flag, or a family emoji each count once, as a person counts them.
Where a platform counts double width (Google, TikTok), East Asian wide and fullwidth
characters count as two.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

import regex

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class LimitFinding:
    """One field over (or under) a platform limit. ``span`` is the offending field's text."""

    rule: str
    span: str
    reason: str
    severity: Severity


@dataclass(frozen=True)
class Limit:
    """A limit on one copy field: ``error`` when the platform refuses the text, ``warning``
    when it only truncates it; ``why`` says which, in the platform's words."""

    field: str
    label: str
    maximum: int
    severity: Severity
    why: str
    minimum: int = 0


_GRAPHEME = regex.compile(r"\X")
# Regional indicators pair up into flags. The regex module finds each cluster of a run of them
# by counting the run from its start again, quadratic in its length (an outside attack's line
# of 30,000 flags took 19 s); such a run is cut into its flags here, and the marks that join
# its last flag ("🇲🇽" + a combining accent) go with it, as Unicode's rules GB9/GB9a join them,
# and so does a prepended mark before its first (GB9b).
_FLAGS = regex.compile(r"[\U0001F1E6-\U0001F1FF]{2,}")
_JOINING = regex.compile(
    r"[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}]*"
)
_PREPEND = regex.compile(r"\p{Grapheme_Cluster_Break=Prepend}+")
# The first code point that can join a cluster (the combining diacritics): text below it is
# counted by length, with no cluster search (most copy, Spanish accents included).
_FIRST_JOINING = "\u0300"


def length(text: str, *, double_width: bool = False) -> int:
    """Characters as a platform counts them (see the module docstring)."""
    if not text or max(text) < _FIRST_JOINING:
        # Below U+0300 every character is a cluster of its own and narrow: only CR LF joins.
        return len(text) - text.count("\r\n")
    found = clusters(text)
    if not double_width:
        return len(found)
    return sum(2 if unicodedata.east_asian_width(c[0]) in "WF" else 1 for c in found)


def clusters(text: str) -> list[str]:
    """The extended grapheme clusters of ``text``, in linear time."""
    found: list[str] = []
    at = 0
    for run in _FLAGS.finditer(text):
        found += _GRAPHEME.findall(text, at, run.start())
        letters = run.group()
        flags = [letters[i : i + 2] for i in range(0, len(letters), 2)]
        if found and _PREPEND.fullmatch(found[-1]):  # GB9b: a prepended mark joins what follows
            flags[0] = found.pop() + flags[0]
        found += flags
        at = _JOINING.match(text, run.end()).end()
        found[-1] += text[run.end() : at]
    found += _GRAPHEME.findall(text, at)
    return found


def check(
    fields: dict[str, str], platform: str, limits: tuple[Limit, ...], *, double_width: bool
) -> list[LimitFinding]:
    """Every one of ``limits`` that ``fields`` break on ``platform``.

    A field with no limit is not checked. For a field with an error and a warning limit, only
    the strictest broken one is reported (``limits`` lists each field's error limit first).
    """
    findings: list[LimitFinding] = []
    reported: set[str] = set()
    for limit in limits:
        text = fields.get(limit.field)
        if text is None or limit.field in reported:
            continue
        finding = _check_one(text, platform, limit, double_width)
        if finding is not None:
            findings.append(finding)
            reported.add(limit.field)
    return findings


def _check_one(text: str, platform: str, limit: Limit, double_width: bool) -> LimitFinding | None:
    count = length(text, double_width=double_width)
    rule = f"{platform}.{limit.field}"
    if count < limit.minimum:
        reason = f"{limit.label} is empty; {platform} needs at least {limit.minimum} character"
        return LimitFinding(rule, text, reason, "error")
    if count <= limit.maximum:
        return None
    kind = "max" if limit.severity == "error" else "recommended"
    reason = (
        f"{limit.label} is {count} characters, {kind} {limit.maximum} on {platform} "
        f"({limit.why}); cut {count - limit.maximum}"
    )
    return LimitFinding(rule, text, reason, limit.severity)
