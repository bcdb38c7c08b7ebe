"""``adloop lint-copy FILE.jsonl``: compliance and platform-limit verdicts for ad copy.

Each input line is ``{"id", "text", "platform": "meta|google|tiktok", "language": "en|es"}``;
each output line is ``{"id", "ok", "findings": [{"rule", "span", "reason"}]}``. The text is
checked as the platform's main text field: primary text on Meta, ad text on TikTok, a
description on Google (which has no primary text). Findings are policy findings, platform-limit
errors (warnings such as Meta's 125-character truncation are left out: the ad still runs), and a
``language`` finding when the detector is sure a text of three or more words is not in the
declared language.

A bad line never stops the run: it yields ``ok: false`` with a finding of rule ``input`` that
says what to fix. Blank lines are skipped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, Literal, TextIO

from pydantic import BaseModel, ConfigDict, ValidationError

from shared.creative import language as language_detector
from shared.creative import limits, policy
from shared.models.creative import Finding

_FIELD = {"meta": "primary_text", "tiktok": "primary_text", "google": "description"}
_SPAN_CHARS = 120  # an input span is the start of the bad line, not all of it
# Below this many words (a brand name, "Shop now") a detector's verdict is not worth a finding.
_MIN_WORDS_FOR_LANGUAGE = 3


class _Line(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    id: str | int
    text: str
    platform: Literal["meta", "google", "tiktok"]
    language: Literal["en", "es"]


def lint_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One verdict per non-blank input line, in order (see the module docstring)."""
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield _lint_one(number, raw.strip())


def _lint_one(number: int, raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        return _bad(None, raw, f"line {number}: not JSON ({e.msg} at char {e.pos})")
    if not isinstance(data, dict):
        return _bad(None, raw, f"line {number}: expected a JSON object with {_EXPECTED}")
    try:
        line = _Line.model_validate(data)
    except ValidationError as e:
        return _bad(data.get("id"), raw, f"line {number}: {_explain(e)}")
    findings = [_as_dict(f.rule, f.span, f.reason) for f in _findings(line)]
    return {"id": line.id, "ok": not findings, "findings": findings}


_EXPECTED = 'keys "id", "text", "platform" (meta|google|tiktok) and "language" (en|es)'


def _findings(line: _Line) -> list[Finding]:
    found = policy.check(line.text, line.language)
    for limit in limits.check({_FIELD[line.platform]: line.text}, line.platform):
        if limit.severity == "error":
            found.append(Finding(rule=limit.rule, span=limit.span, reason=limit.reason))
    if len(line.text.split()) < _MIN_WORDS_FOR_LANGUAGE:
        return found
    detected = language_detector.detect(line.text)
    if detected is not None and detected != line.language:
        reason = f"declared '{line.language}' but the text reads as '{detected}'"
        found.append(Finding(rule="language", span=line.text, reason=reason))
    return found


def _explain(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "line"
        parts.append(f"{field}: {item['msg']}")
    return "; ".join(parts) + f" (expected {_EXPECTED})"


def _bad(line_id: Any, raw: str, reason: str) -> dict[str, Any]:
    return {"id": line_id, "ok": False, "findings": [_as_dict("input", raw[:_SPAN_CHARS], reason)]}


def _as_dict(rule: str, span: str, reason: str) -> dict[str, str]:
    return {"rule": rule, "span": span, "reason": reason}


def main(path: str, out: TextIO) -> int:
    """Lint ``path`` and write one JSON verdict per line to ``out``.

    Returns 0 when every line is clean, 1 when any has a finding, 2 when the file cannot be
    read (the reason goes to stderr and nothing is written).
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f"lint-copy: cannot read {path}: {e}", file=sys.stderr)
        return 2
    clean = True
    # split on "\n" only: str.splitlines would also split inside JSON strings at U+2028.
    for verdict in lint_lines(text.split("\n")):
        clean = clean and verdict["ok"]
        out.write(json.dumps(verdict, ensure_ascii=False) + "\n")
    return 0 if clean else 1
