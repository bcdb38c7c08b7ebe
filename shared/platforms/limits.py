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


def length(text: str, *, double_width: bool = False) -> int:
    """Characters as a platform counts them (see the module docstring)."""
    clusters: list[str] = _GRAPHEME.findall(text)
    if not double_width:
        return len(clusters)
    return sum(2 if unicodedata.east_asian_width(c[0]) in "WF" else 1 for c in clusters)


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
