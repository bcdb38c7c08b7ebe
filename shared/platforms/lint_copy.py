"""``adloop lint-copy FILE.jsonl`` (or ``-`` for standard input): compliance and platform-limit
verdicts for ad copy.

Each input line is ``{"id", "text", "platform": "meta|google|tiktok", "language": "en|es"}``
and may carry ``"category"``, the brief's product category ("vape", "alcohol"): the policy check
then also applies what that category may not advertise or claim;
each output line is ``{"id", "ok", "findings": [{"rule", "span", "reason"}]}``. The text is
checked as the platform's main text field: primary text on Meta, ad text on TikTok, a
description on Google (which has no primary text). Findings are policy findings (the rules, and
where they find nothing, the learned check: shared/creative/policy/learned.py), platform-limit
errors (warnings such as Meta's 125-character truncation are left out: the ad still runs), and a
``language`` finding when the detector is sure a text of three or more words is not in the
declared language.

With a brief (``adloop lint-copy FILE --brief BRIEF``), each text's claims are also traced to it
(shared/creative/claims): a number, timeframe, price, comparison or health claim the brief does
not state is an ``unsupported_claim`` finding. The brief's sources are indexed once per language.
The brief's ``avoid`` list is applied too (``brand_avoid`` findings, paraphrases included), and
its ``category`` stands for a line that names none.

A bad line never stops the run: it yields ``ok: false`` with a finding of rule ``input`` that
says what to fix (not JSON, nested too deeply, a number that is not finite or is past 2**53 - 1,
a lone surrogate, a repeated key, not an object, a missing field, an empty text or one past
MAX_TEXT_CHARS, bytes that are not UTF-8), and the lines after it are linted as usual. A line
whose id an earlier line used gets an ``input`` finding too (its text is still linted). A bad
line's id is echoed where it can be read (its first key). Blank lines are skipped. Every
output line is valid JSON. A finding repeated word for word is given once, and a rule reports
at most MAX_FINDINGS_PER_RULE findings per line (the last says how many more).

Exit status: 0 every line clean; 1 any line has a finding, an ``input`` finding for a line that
could not be read included (its verdict says why); 2 the input itself cannot be read (no such
file, a directory, UTF-16 or UTF-32 text, NUL bytes, lines that end in CR alone, past
MAX_INPUT_BYTES): nothing is written and the reason goes to standard error.
"""

from __future__ import annotations

import functools
import gc
import json
import multiprocessing
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO, Literal, TextIO

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from shared import json_input
from shared.creative import claims, policy
from shared.creative import language as language_detector
from shared.models.creative import Finding
from shared.platforms.registry import PLATFORMS

_SPAN_CHARS = 120  # an input span is the start of the bad line, not all of it
# No platform's text field takes a hundredth of this (Google 90, TikTok 100 characters); a longer
# "ad" is refused as input, before any check reads it (spaCy refuses a text past a million).
MAX_TEXT_CHARS = 100_000
# A shouted or punctuated text of thousands of words would give a finding per word: after this
# many findings of one rule, one line says how many more there are.
MAX_FINDINGS_PER_RULE = 20
# A finding's span is cut to this many characters (the learned check's span is a sentence,
# which in an attacker's line can be the whole 100,000 characters).
MAX_SPAN_CHARS = 300
# Below this many words (a brand name, "Shop now") a detector's verdict is not worth a finding.
_MIN_WORDS_FOR_LANGUAGE = 3


class _Line(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    id: str | int
    # An ad with no words is no ad: every platform requires its text field.
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    platform: str
    language: Literal["en", "es"]
    category: str | None = None

    @field_validator("platform", mode="before")
    @classmethod
    def _registered(cls, value: Any) -> Any:
        # Worded as pydantic words a Literal's refusal, the registry's ids being the literals.
        if not isinstance(value, str) or value not in PLATFORMS:
            raise PydanticCustomError(
                "literal_error", "Input should be {expected}", {"expected": _choices()}
            )
        return value


class _Grounding:
    """What a brief brings to each line: its claim sources (listed once per language the lines
    are written in), its avoid list and its category."""

    def __init__(self, brief: Mapping[str, Any]) -> None:
        self._brief = brief
        self._sources: dict[str, tuple[claims.Source, ...]] = {}
        self.avoid: tuple[str, ...] = tuple(str(word) for word in brief.get("avoid") or ())
        self.category: str | None = brief.get("category") or None

    def findings(self, text: str, language: str) -> list[Finding]:
        if language not in self._sources:
            self._sources[language] = tuple(claims.sources_from(self._brief, None, language))
        return claims.findings(claims.ground(text, language, self._sources[language]))


def lint_lines(
    lines: Iterable[str], brief: Mapping[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    """One verdict per non-blank input line, in order (see the module docstring); with
    ``brief`` (a Brief's ``model_dump``), claims it does not state are findings too."""
    grounding = _Grounding(brief) if brief is not None else None
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield _lint_one(number, raw.strip(), grounding)


def _lint_one(number: int, raw: str, grounding: _Grounding | None = None) -> dict[str, Any]:
    undecoded = _NOT_UTF8.search(raw)
    if undecoded is not None:
        raw = _readable(raw)
        byte = ord(undecoded.group()) - 0xDC00
        reason = (
            f"line {number}: byte 0x{byte:02X} at character {undecoded.start() + 1} is not "
            "UTF-8; save the file as UTF-8 (Latin-1 and Windows-1252 files are not read)"
        )
        return _bad(_first_id(raw), raw, reason)
    try:
        data = json_input.loads(raw)
    except json_input.JsonRefused as e:
        return _bad(_first_id(raw), raw, f"line {number}: {e}")
    if not isinstance(data, dict):
        return _bad(None, raw, f"line {number}: expected a JSON object with {_expected()}")
    try:
        line = _Line.model_validate(data)
    except ValidationError as e:
        return _bad(_echo(data.get("id")), raw, f"line {number}: {_explain(e)}")
    found = _findings(line, grounding)
    if grounding is not None:
        found += grounding.findings(line.text, line.language)
    findings = _bounded([_as_dict(f.rule, f.span, f.reason) for f in found])
    return {"id": line.id, "ok": not findings, "findings": findings}


def _bounded(findings: list[dict[str, str]]) -> list[dict[str, str]]:
    """The findings with repeats of one (rule, span, reason) said once, and at most
    MAX_FINDINGS_PER_RULE per rule, the last of them counting the rest."""
    kept: list[dict[str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    per_rule: dict[str, int] = {}
    for f in findings:
        key = (f["rule"], f["span"], f["reason"])
        if key in seen:
            continue
        seen.add(key)
        per_rule[f["rule"]] = per_rule.get(f["rule"], 0) + 1
        if per_rule[f["rule"]] <= MAX_FINDINGS_PER_RULE:
            kept.append(f)
    for rule, count in per_rule.items():
        if count > MAX_FINDINGS_PER_RULE:
            last = max(i for i, f in enumerate(kept) if f["rule"] == rule)
            more = count - MAX_FINDINGS_PER_RULE
            kept[last] = {**kept[last], "reason": f"{kept[last]['reason']} (and {more} more)"}
    return kept


def _expected() -> str:
    return f'keys "id", "text", "platform" ({"|".join(PLATFORMS)}) and "language" (en|es)'


def _choices() -> str:
    *most, last = [repr(p) for p in PLATFORMS]
    return f"{', '.join(most)} or {last}" if most else last


def _findings(line: _Line, brief: _Grounding | None = None) -> list[Finding]:
    category = line.category or (brief.category if brief is not None else None)
    avoid = brief.avoid if brief is not None else ()
    return list(_findings_of(line.text, line.language, category, line.platform, avoid))


# A file often repeats a text (one copy for three platforms, a brief's variants re-linted):
# the verdict is a pure function of these fields, so a repeat costs a lookup.
@functools.lru_cache(maxsize=8192)
def _findings_of(
    text: str,
    language: Literal["en", "es"],
    category: str | None,
    platform_id: str,
    avoid: tuple[str, ...] = (),
) -> tuple[Finding, ...]:
    found = policy.check(text, language, avoid, category=category, learned=True)
    platform = PLATFORMS[platform_id]
    for limit in platform.check({platform.copy_field: text}):
        if limit.severity == "error":
            found.append(Finding(rule=limit.rule, span=limit.span, reason=limit.reason))
    if len(text.split()) < _MIN_WORDS_FOR_LANGUAGE:
        return tuple(found)
    key = (text, language)
    detected = _DETECTED[key] if key in _DETECTED else language_detector.detect(text, language)
    if detected is not None and detected != language:
        reason = f"declared '{language}' but the text reads as '{detected}'"
        found.append(Finding(rule="language", span=text, reason=reason))
    return tuple(found)


def _explain(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "line"
        parts.append(f"{field}: {item['msg']}")
    return "; ".join(parts) + f" (expected {_expected()})"


# main() decodes with "surrogateescape": a byte that is not UTF-8 becomes U+DC80..U+DCFF, which
# valid UTF-8 never decodes to, so finding one finds the line's first undecodable byte.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
# The id of a line refused whole (too deep, a lone surrogate, not UTF-8), when it is the first key
# as every JSONL writer puts it; anywhere else it is not guessed at.
_FIRST_ID = re.compile(
    r'\s*\{\s*"id"\s*:\s*("(?:[^"\\\x00-\x1f]|\\["\\/bfnrt])*"|-?(?:0|[1-9]\d{0,15}))\s*[,}]'
)


def _readable(raw: str) -> str:
    """``raw`` with its undecodable bytes as U+FFFD, so its span can be written as UTF-8."""
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _first_id(raw: str) -> str | int | None:
    match = _FIRST_ID.match(raw)
    return _echo(json.loads(match.group(1))) if match is not None else None


def _echo(line_id: Any) -> str | int | None:
    """The line's id as given when it is one an id can be; anything else is not echoed."""
    if isinstance(line_id, bool) or not isinstance(line_id, str | int):
        return None
    return line_id


def _bad(line_id: Any, raw: str, reason: str) -> dict[str, Any]:
    return {"id": line_id, "ok": False, "findings": [_as_dict("input", raw[:_SPAN_CHARS], reason)]}


def _as_dict(rule: str, span: str, reason: str) -> dict[str, str]:
    if len(span) > MAX_SPAN_CHARS:  # a 100,000-character line is not echoed whole
        span = span[: MAX_SPAN_CHARS - 1] + "…"
    return {"rule": rule, "span": span, "reason": reason}


# Byte-order marks of the encodings a whole file would have to be converted from (Notepad's
# "Unicode"); UTF-32 LE's starts like UTF-16 LE's.
_UTF16_OR_32 = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# As git tells a binary file: a NUL byte in its first 8,000 bytes (no text editor writes one).
_SNIFF_BYTES = 8000
# The most one run reads (a /dev/zero or a runaway pipe is refused, not read forever).
MAX_INPUT_BYTES = 64 * 2**20


def main(
    path: str,
    out: TextIO,
    stdin: BinaryIO | None = None,
    *,
    brief: Mapping[str, Any] | None = None,
) -> int:
    """Lint ``path`` (``-``: standard input, or ``stdin`` when given) and write one JSON verdict
    per line to ``out``, grounding claims in ``brief`` when given; the exit status of the
    module docstring."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            source = stdin or (sys.stdin.buffer if sys.stdin is not None else None)
            if source is None:
                raise OSError("it is closed")
            data = source.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise OSError(f"it is larger than {MAX_INPUT_BYTES // 2**20} MiB; split it")
        if data.startswith(_UTF16_OR_32):
            raise OSError("it is UTF-16 or UTF-32 text; save it as UTF-8")
        if b"\0" in data[:_SNIFF_BYTES]:
            raise OSError("it is not text (it holds NUL bytes): give a JSONL file")
        if b"\n" not in data and b"\r" in data.strip(b"\r"):
            raise OSError("its lines end in CR alone (old Mac line ends); save it with LF ends")
        data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark is not part of line 1
        # a line that is not UTF-8 is that line's input finding (see _lint_one), not the file's
        text = data.decode("utf-8", "surrogateescape")
    except OSError as e:
        print(f"lint-copy: cannot read {name}: {e}", file=sys.stderr)
        return 2
    ascii_only = not _writes_utf8(out)
    clean = True
    try:
        # split on "\n" only: str.splitlines would also split inside JSON strings at U+2028.
        lines = text.split("\n")
        numbers = (n for n, raw in enumerate(lines, start=1) if raw.strip())
        first_line: dict[tuple[type, str | int], int] = {}
        for number, verdict in zip(numbers, _lint_all(lines, brief), strict=True):
            _mark_repeat(verdict, number, first_line)
            clean = clean and verdict["ok"]
            out.write(_dump(verdict, ascii_only) + "\n")
        out.flush()
    except BrokenPipeError:
        # the reader stopped (`lint-copy FILE | head`): stop too, without a traceback, and
        # keep Python from failing again when it flushes standard output at exit
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0 if clean else 1


def _mark_repeat(
    verdict: dict[str, Any], number: int, first_line: dict[tuple[type, str | int], int]
) -> None:
    """An ``input`` finding on a line whose id an earlier line already used: the verdicts are
    matched to their ads by id, and two lines with one id cannot be told apart. The text is
    still linted (its other findings stand)."""
    line_id = verdict["id"]
    if line_id is None:
        return
    key = (type(line_id), line_id)
    if key not in first_line:
        first_line[key] = number
        return
    reason = (
        f"line {number}: id {json.dumps(line_id)} is line {first_line[key]}'s id too; give "
        "each line its own id, or the verdicts cannot be told apart"
    )
    verdict["findings"] = [_as_dict("input", str(line_id), reason), *verdict["findings"]]
    verdict["ok"] = False


# A file this long is linted by a worker per available core (forked once the rules are loaded,
# so no worker pays their start-up again); shorter ones in-process. While the rules load, one
# more process detects the language of every line (the detector's models load there, not here):
# a core that would wait for the start-up does that part of each line's work.
PARALLEL_FROM_LINES = 2_000
_CHUNK = 256
# (text, declared language) -> the detector's verdict, computed ahead for a long file.
_DETECTED: dict[tuple[str, str], str | None] = {}


def _lint_all(lines: list[str], brief: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """The verdicts of :func:`lint_lines`, in order, computed by :func:`_workers` processes."""
    workers = _workers(len(lines))
    if workers < 2:
        yield from lint_lines(lines, brief)
        return
    global _FORKED_GROUNDING
    numbered = [(number, raw.strip()) for number, raw in enumerate(lines, start=1) if raw.strip()]
    grounding = _Grounding(brief) if brief is not None else None
    context = multiprocessing.get_context("fork")
    language_detector.detect("Warm up the detector, both of its models.", "en")
    done, (receive, send) = context.Event(), context.Pipe(duplex=False)
    ahead = context.Process(target=_detect_ahead, args=(numbered, done, send))
    ahead.start()  # with the detector loaded: it and the workers share it, loaded once
    send.close()  # the child's end: were it to die, recv() ends instead of waiting
    received = False
    try:
        for language in ("en", "es"):  # warm what the workers share before they fork
            policy.check("Warm up the rules.", language, learned=True)
            if grounding is not None:
                grounding.findings("Warm up the claims: 2 days.", language)
        done.set()
        _DETECTED.update(receive.recv())
        received = True
    except EOFError:
        received = True  # it died: the workers detect every line themselves
    finally:
        if not received:
            ahead.terminate()
        ahead.join()
        receive.close()
    _FORKED_GROUNDING = grounding  # the workers inherit it with the rest of the memory
    # What the warm-up built (lemma tables, lexicons, models: most of the heap) is moved out of
    # the collector's sight: a worker's collections would otherwise walk all of it again and
    # again, and write to every page they walk, copying the parent's memory page by page.
    gc.freeze()
    try:
        with context.Pool(workers) as pool:
            yield from pool.imap(_lint_numbered, numbered, chunksize=_CHUNK)
    finally:
        gc.unfreeze()
        _FORKED_GROUNDING = None
        _DETECTED.clear()


def _detect_ahead(numbered: list[tuple[int, str]], done: Any, results: Any) -> None:
    """Detect the language of the readable lines, last first (the workers start with the
    first), until ``done`` is set; send what was detected."""
    detected: dict[tuple[str, str], str | None] = {}
    for _, raw in reversed(numbered):
        if done.is_set():
            break
        pair = _detectable(raw)
        if pair is not None and pair not in detected:
            detected[pair] = language_detector.detect(*pair)
    results.send(detected)
    results.close()


def _detectable(raw: str) -> tuple[str, str] | None:
    """(text, language) of a readable line long enough for a language verdict."""
    if _NOT_UTF8.search(raw):
        return None  # its verdict is an input finding
    try:
        line = _Line.model_validate(json_input.loads(raw))
    except (json_input.JsonRefused, ValidationError):
        return None
    if len(line.text.split()) < _MIN_WORDS_FOR_LANGUAGE:
        return None
    return line.text, line.language


_FORKED_GROUNDING: _Grounding | None = None


def _lint_numbered(item: tuple[int, str]) -> dict[str, Any]:
    return _lint_one(*item, _FORKED_GROUNDING)


def _workers(lines: int) -> int:
    if lines < PARALLEL_FROM_LINES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _writes_utf8(out: TextIO) -> bool:
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8")


# Characters str.splitlines (and other line readers) break on that JSON leaves unescaped.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _dump(verdict: dict[str, Any], ascii_only: bool) -> str:
    """One verdict as a JSON line: text as UTF-8 where the output takes it, never a bare NaN,
    \\u escapes for anything that would not encode, and for the line separators a line reader
    would split on (they can only be inside strings), so each verdict is one line, whole."""
    line = json.dumps(verdict, ensure_ascii=ascii_only, allow_nan=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(verdict, ensure_ascii=True, allow_nan=False)
    return line.translate(_LINE_BREAKS)
