"""Brief loading (``infra.briefs.load_brief``), whatever a YAML or JSON brief file holds: a Brief
whose text fields are text and whose every value the store can hold, or BadInput with a message
naming what to fix; never another exception, and nothing written beside the brief (issue 13,
"Also": property tests for every parser an outsider can reach)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from infra.briefs import load_brief
from shared.errors import BadInput
from shared.models import Brief
from shared.ports.documents import check_storable
from tests.hostile.strategies import LEAF, NUMBER, SHORT, damaged, objects, to_text, values

FIELDS = sorted(Brief.model_fields)
BRIEF_TEXT_FIELDS = ("product", "offer", "persona", "market", "brand_name", "category")
KEY = st.one_of(st.sampled_from([*FIELDS, "es", "en", "<<", "x"]), st.text(max_size=8))
TEXT = st.one_of(
    st.sampled_from(["GlowDrop serum", "20% off", "US", "NO", "1:30", "0777", "yes", "~", ""]),
    st.text(min_size=2, max_size=40),
)
LISTS = ("pains", "desires", "proof", "avoid", "brand_colors")


def _mostly(valid: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any]) -> Any:
    """``valid`` three times in four, so most briefs get past the first field."""
    return st.one_of(valid, valid, valid, hostile)


BRIEF = objects(
    {
        **{name: _mostly(TEXT, LEAF) for name in FIELDS},
        **{name: _mostly(st.lists(TEXT, max_size=25), LEAF) for name in LISTS},
        "funnel_focus": _mostly(st.sampled_from(["full", "mid"]), LEAF),
        "variations": _mostly(st.integers(0, 50), NUMBER),
        "languages": st.lists(st.sampled_from(["en", "es", "EN", "fr"]), max_size=4),
        "localized": objects({"es": objects({"offer": TEXT, "pains": st.lists(TEXT, max_size=3)})}),
        "notices": st.lists(TEXT, max_size=2),
        "landing_url": _mostly(st.just("https://glowdrop.example"), TEXT),
        "product_images": st.lists(st.just("https://cdn.example/a.png"), max_size=2),
        "website_text": _mostly(TEXT, st.integers(19_990, 20_010).map(lambda n: "w " * (n // 2))),
    },
    required=("product", "offer", "persona", "market"),
)
# YAML tokens PyYAML reads specially under YAML 1.1, or that YAML itself gives meaning to.
YAML_TOKENS = [
    "NO",
    "no",
    "Yes",
    "on",
    "OFF",
    "y",
    "~",
    "null",
    "1:30",
    "0777",
    "0x1F",
    "0b101",
    "1_000",
    "2026-03-01",
    "2026-03-01T10:00:00Z",
    ".inf",
    "-.Inf",
    ".NaN",
    "1e3",
    "12",
    "-0",
    "'quoted'",
    '"dq \\ud800"',
    "&a x",
    "*a",
    "*missing",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!!int 5",
    "[a, b]",
    "{a: 1}",
    "|",
    ">-",
    "- x",
    "? x",
    "<<: *a",
    "@x",
    "`x`",
    "%YAML 1.1",
    "\t",
    "#",
]
YAML_VALUE = st.one_of(st.sampled_from(YAML_TOKENS), TEXT.map(lambda t: t.replace("\n", " ")))
YAML_TEXT = st.lists(
    st.tuples(
        st.sampled_from([*FIELDS, "localized", "x"]), YAML_VALUE, st.sampled_from(["", "  "])
    ),
    max_size=12,
).map(lambda lines: "".join(f"{indent}{k}: {v}\n" for k, v, indent in lines))
FILES = st.one_of(
    st.tuples(st.just(".json"), damaged(BRIEF.map(to_text))),
    st.tuples(st.just(".json"), values(KEY).map(to_text)),
    st.tuples(st.just(".yaml"), damaged(YAML_TEXT)),
    st.tuples(st.just(".yaml"), BRIEF.map(to_text)),  # JSON is YAML too
    st.tuples(st.sampled_from([".yaml", ".json"]), st.text(max_size=200)),
)


@SHORT
@given(FILES)
def test_a_brief_file_is_a_brief_or_a_message(file: tuple[str, str]) -> None:
    suffix, text = file
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"brief{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            brief = load_brief(path).brief
        except BadInput as e:
            message = str(e)
            assert message and len(message) < 20_000
            assert str(path) in message or "brief." in message
            brief = None
        assert [p.name for p in Path(folder).iterdir()] == [path.name], "nothing written"
    if brief is not None:
        _assert_a_usable_brief(brief)


def _assert_a_usable_brief(brief: Brief) -> None:
    for name in ("product", "offer", "persona", "market"):
        assert isinstance(getattr(brief, name), str)  # text stays text
    assert all("was cut" in n for n in brief.notices)  # only adloop sets them
    doc: dict[str, Any] = brief.model_dump(mode="json")
    check_storable("campaigns/c", doc)
    json.dumps(doc, allow_nan=False).encode("utf-8")


PLAIN = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,30}[A-Za-z0-9]", fullmatch=True).filter(
    lambda t: t not in ("null", "Null", "NULL")
)
# Plain scalars YAML 1.1 reads as booleans, numbers, dates or base-60 numbers; in a brief, text.
LOOKS_TYPED = st.sampled_from(
    ["NO", "no", "Yes", "on", "OFF", "true", "1:30", "0777", "0x1F", "1_000", "2026-03-01", "12"]
    + [".inf", ".NaN", "1e3", "-0", "0o17"]
)


@SHORT
@given(st.fixed_dictionaries({k: st.one_of(LOOKS_TYPED, PLAIN) for k in BRIEF_TEXT_FIELDS}))
def test_text_written_plainly_in_yaml_reads_as_that_text(fields: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.yaml"
        path.write_text("".join(f"{k}: {v}\n" for k, v in fields.items()), encoding="utf-8")
        brief = load_brief(path).brief
    assert {k: getattr(brief, k) for k in fields} == fields
