"""Hypothesis strategies for JSON an outsider writes: plausible shapes with hostile leaves.

Values are Python data in which :class:`Raw` marks a token written into the text as it is
(``NaN``, ``1e400``, a 5,000-digit integer, a lone-surrogate escape), so a body can be nearly
right and wrong in one place. :func:`to_text` writes such a value as JSON text, repeated keys
kept (pairs, not a dict).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

# Short runs keep the suite fast; no deadline, as the shared CI machine's timing varies.
SHORT = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Raw:
    """A token written into the JSON text as it is."""

    token: str


@dataclass(frozen=True)
class Pairs:
    """An object as (key, value) pairs, so a key may come twice."""

    items: tuple[tuple[str, Any], ...]


HOSTILE_TOKENS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "1e308",
    "9" * 4000,
    "9" * 5000,
    "-" + "1" * 30,
    "9007199254740991",
    "9007199254740992",
    "-0",
    "0.0",
    "1E+2",
    '"\\ud800"',
    '"x\\udfff"',
    '"\\ud83d\\ude00"',
    '"\\u0000"',
    "[" * 50 + "]" * 50,
]
NUMERIC_TEXT = st.sampled_from(
    ["Infinity", "-Infinity", "NaN", "nan", "inf", "1e400", "12", "12.5", "-5", " 7 ", "0x10"]
    + ["1_000", "", "9" * 5000, "1e308", "١٢"]
)
# A number as an outsider may send it: a JSON number, numeric text, or a token JSON forbids.
NUMBER: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(HOSTILE_TOKENS[:5]).map(Raw),  # the tokens JSON forbids, often
    st.sampled_from(HOSTILE_TOKENS[5:13]).map(Raw),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    NUMERIC_TEXT,
)
LEAF: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    NUMERIC_TEXT,
    st.sampled_from(HOSTILE_TOKENS).map(Raw),
)


def values(keys: st.SearchStrategy[str], leaf: st.SearchStrategy[Any] = LEAF) -> Any:
    """Nested lists and objects (keys from ``keys``, sometimes repeated) over ``leaf``."""
    return st.recursive(
        leaf,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.lists(st.tuples(keys, children), max_size=6).map(lambda kv: Pairs(tuple(kv))),
        ),
        max_leaves=25,
    )


def objects(
    fields: dict[str, st.SearchStrategy[Any]], required: tuple[str, ...] = ()
) -> st.SearchStrategy[Pairs]:
    """An object with the ``required`` fields and some of the others (each drawn from its
    strategy), in any order, now and then with a field given twice."""
    optional = sorted(set(fields) - set(required))
    some = (
        st.lists(st.sampled_from(optional), max_size=len(optional) + 1) if optional else st.just([])
    )
    return (
        st.tuples(st.permutations(list(required)), some)
        .flatmap(
            lambda names: st.tuples(
                *(fields[n].map(lambda v, n=n: (n, v)) for n in [*names[0], *names[1]])
            )
        )
        .map(lambda kv: Pairs(tuple(kv)))
    )


def to_text(value: Any) -> str:
    """``value`` as JSON text, Raw tokens and repeated keys written as they are."""
    if isinstance(value, Raw):
        return value.token
    if isinstance(value, Pairs):
        return "{" + ", ".join(f"{json.dumps(k)}: {to_text(v)}" for k, v in value.items) + "}"
    if isinstance(value, dict):
        return to_text(Pairs(tuple(value.items())))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_text(v) for v in value) + "]"
    return json.dumps(value)


def damaged(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The text as it is, cut short, or with a byte of noise in it."""
    return st.one_of(
        text,
        text.flatmap(lambda t: st.integers(0, max(len(t) - 1, 0)).map(lambda n: t[:n])),
        st.tuples(text, st.integers(0, 40), st.sampled_from(["{", "]", '"', ",", "\\", ":"])).map(
            lambda tnc: tnc[0][: tnc[1]] + tnc[2] + tnc[0][tnc[1] :]
        ),
    )
