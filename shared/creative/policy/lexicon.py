"""Lexicon-and-structure rules: concepts matched on lemmas, combined by structure.

Each language has a lexicon file (``lexicons/en.yaml``, ``lexicons/es.yaml``): ``concepts``
name word lists ("CONDITION": diabetes, depression, rent arrears...), and ``rules`` combine
them, e.g. ``YOU BE ~2 ATTRIBUTE`` ("are you still single", "you're in debt"). A concept's
phrases are lemmatised by :mod:`shared.creative.nlp` and found with spaCy's PhraseMatcher on
NORM (which :func:`nlp.doc` sets to the lemma), so "cured", "curing" and "cures" are one word.

Pattern syntax, one slot per space-separated item:

- ``NAME``: a concept (any of its phrases); a lower-case word is a concept of that one word;
  ``A|B``: either concept;
- ``~N``: up to N tokens of anything but a sentence end; ``~~N``: up to N tokens of anything
  ("Free phone today. Just cover shipping": the catch comes in the next sentence);
- ``^``: the start of a sentence (an opening "¿" or "¡" is skipped); ``$``: what follows is
  punctuation (not a hyphen), a stop word or the end ("single and 40", not "a single click");
- ``NUM``: a number ("10", "2,000", "ten"); ``CLOCK``: a countdown ("04:59");
  ``MULT_NUM``: a multiple ("50x", "x100"); ``SUPERLATIVE``: an English "-est" adjective
  ("strongest", "fastest"; not "latest", "nearest").

Concepts under ``concepts`` match on the lemma; those under ``exact`` on the lower-cased word
(Spanish person endings: "tienes" is the reader, "tiene" may not be; the lemma drops that).

A rule may say ``negate: [i, ...]``: the match is dropped when slot i's first token is denied
("no guaranteed returns", "sin receta" is the other way round: a rule for it names "sin"),
``negate_lists: true`` lets the denial reach across a list's commas ("not intended to
diagnose, treat, cure or prevent"), ``question: true``: only in a question ("Still single?"),
``unless_evidence: true``: not when the copy cites a source, ``unless_near: [NAME, N]`` (or a
list of such pairs): not when concept NAME is within N tokens of the first slot ("massage gun",
"tobacco candle"),
``only_near: [NAME, N]``: when concept NAME is not within N tokens of the match (sentences
apart or not) and the copy names a subject of its own, the match is a doubt, not a finding (a
timeline "día 1 vs día 60" is a before/after of a body beside skin, kilos or a waist, or with
no subject at all; of a guitar course or a garden it is progress).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import yaml

from shared.creative import nlp

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher

# Concepts the matcher finds by the word's shape, not a list (structure.py).
BUILTINS = frozenset({"NUM", "MULT_NUM", "CLOCK", "SUPERLATIVE"})


@dataclass(frozen=True)
class Slot:
    kind: str  # concept | gap | start | end
    names: tuple[str, ...] = ()
    size: int = 0


@dataclass(frozen=True)
class Structure:
    """One structural rule of a language's lexicon."""

    rule: str
    pattern: str
    slots: tuple[Slot, ...]
    negate: tuple[int, ...] = ()
    negate_lists: bool = False
    question: bool = False
    unless_evidence: bool = False
    # each (NAME, N): no finding with concept NAME within N tokens
    unless_near: tuple[tuple[str, int], ...] = ()
    only_near: tuple[str, int] | None = None
    # The concept slots' names: each slot needs one of them found in the text.
    needs: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Lexicon:
    language: nlp.Lang
    concepts: dict[str, tuple[str, ...]]
    structures: tuple[Structure, ...]
    # rule -> concepts whose presence without a finding of that rule is a doubt for the model
    triggers: dict[str, tuple[str, ...]]
    # rule -> concepts that frame its words as something else ("the best time to plant" is
    # advice, not a claim): where one is present the learned check does not read that rule
    quiet: dict[str, tuple[str, ...]]
    # concept -> the structures whose first concept slot may be it: the only ones to try
    by_first: dict[str, tuple[Structure, ...]]
    matcher: PhraseMatcher  # on NORM (lemmas)
    exact: PhraseMatcher  # on LOWER
    # concept -> the unless_near of the rule that is that concept alone ("NO_RX" near "OTC"):
    # where a concept is read on its own (a brief's category), the rule's exception holds too
    excuses: dict[str, tuple[tuple[str, int], ...]]


def parse(pattern: str) -> tuple[Slot, ...]:
    slots: list[Slot] = []
    for item in pattern.split():
        if item == "^":
            slots.append(Slot("start"))
        elif item == "$":
            slots.append(Slot("end"))
        elif item.startswith("~~"):
            slots.append(Slot("gap", names=("~~",), size=int(item[2:])))
        elif item.startswith("~"):
            slots.append(Slot("gap", size=int(item[1:])))
        else:
            slots.append(Slot("concept", names=tuple(item.split("|"))))
    body = [slot for slot in slots if slot.kind not in ("start", "end")]
    if (
        not body
        or body[-1].kind != "concept"
        or (body[0].kind == "gap" and slots[0].kind != "start")
    ):
        raise ValueError(f"pattern {pattern!r} must start (after ^) and end with a concept")
    return tuple(slots)


@nlp.built_once
def lexicon(language: nlp.Lang) -> Lexicon:
    """The language's concepts and rules with their PhraseMatcher, built once."""
    nlp.import_spacy()
    from spacy.matcher import PhraseMatcher

    path = files("shared.creative.policy").joinpath("lexicons", f"{language}.yaml")
    text = path.read_text("utf-8")
    # libyaml's loader where PyYAML was built with it: a tenth of the pure-Python one's time,
    # which every lint-copy run pays at start-up
    raw: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    concepts = {name: _words(words) for name, words in raw["concepts"].items()}
    exact = {name: _words(words) for name, words in raw.get("exact", {}).items()}
    structures = tuple(_structure(r) for r in raw["rules"])
    known = {*concepts, *exact, *BUILTINS}
    for structure in structures:
        for slot in structure.slots:
            for name in slot.names:
                if name.isupper() and name not in known:
                    raise ValueError(f"{language}: {structure.pattern!r}: no concept {name}")
                if not name.isupper():
                    concepts.setdefault(name, (name,))
    matcher = PhraseMatcher(nlp.tokenizer(language).vocab, attr="NORM")
    for name, words in concepts.items():
        matcher.add(name, [nlp.doc(w, language) for w in words])
    exact_matcher = PhraseMatcher(nlp.tokenizer(language).vocab, attr="LOWER")
    for name, words in exact.items():
        exact_matcher.add(name, [nlp.tokenizer(language).make_doc(w) for w in words])
    for structure in structures:
        for near in (*structure.unless_near, structure.only_near):
            if near and near[0] not in known:
                raise ValueError(f"{language}: {structure.pattern!r}: no concept {near[0]}")
    by_first: dict[str, list[Structure]] = {}
    for structure in structures:
        for name in structure.needs[0]:
            by_first.setdefault(name, []).append(structure)
    triggers = {rule: tuple(names) for rule, names in raw.get("triggers", {}).items()}
    quiet = {rule: tuple(names) for rule, names in raw.get("quiet", {}).items()}
    for key, table in (("triggers", triggers), ("quiet", quiet)):
        for rule, names in table.items():
            missing = [n for n in names if n not in known]
            if missing:
                raise ValueError(f"{language}: {key} of {rule} name no concept {missing}")
    return Lexicon(
        language,
        {**concepts, **exact},
        structures,
        triggers,
        quiet,
        {name: tuple(group) for name, group in by_first.items()},
        matcher,
        exact_matcher,
        {s.pattern: s.unless_near for s in structures if s.unless_near},
    )


def _words(value: str | list[str]) -> tuple[str, ...]:
    """A concept's phrases: a YAML list, or one comma-separated string (YAML would read a
    bare "no" or "on" in a list as a boolean)."""
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return tuple(dict.fromkeys(w.strip() for w in items if w.strip()))


def _nears(raw: Any) -> tuple[tuple[str, int], ...]:
    """``unless_near``: one [NAME, N] or a list of them."""
    if not raw:
        return ()
    pairs = [raw] if isinstance(raw[0], str) else raw
    return tuple((str(name), int(size)) for name, size in pairs)


def _structure(raw: dict[str, Any]) -> Structure:
    near = raw.get("unless_near")
    only = raw.get("only_near")
    slots = parse(raw["match"])
    return Structure(
        rule=raw["rule"],
        pattern=raw["match"],
        slots=slots,
        needs=tuple(frozenset(slot.names) for slot in slots if slot.kind == "concept"),
        negate=tuple(raw.get("negate", ())),
        negate_lists=bool(raw.get("negate_lists", False)),
        question=bool(raw.get("question", False)),
        unless_evidence=bool(raw.get("unless_evidence", False)),
        unless_near=_nears(near),
        only_near=(str(only[0]), int(only[1])) if only else None,
    )
