"""Any render spec an outsider writes is a valid spec or one BadInput naming what to fix, never
another exception (issue 13, "Also": property tests for every parser an outsider can reach).
Parsing only: nothing is rendered here."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import BadInput
from shared.models.render import RenderSpec, parse_spec
from tests.render.conftest import base_spec

SHORT = settings(max_examples=200, deadline=None)
# The spec's own keys, so generated objects reach the nested models, not only the root.
KEYS = st.sampled_from(
    ["video_id", "duration_s", "fps", "targets", "scenes", "product_images", "on_screen_text"]
    + ["voice", "music", "captions", "brand", "language", "kind", "source", "prompt", "motion"]
    + ["show_product", "text", "start_s", "end_s", "position", "script", "rate_wpm", "path"]
    + ["bpm", "gain_db", "style", "font_size", "uppercase", "colors", "font", "logo"]
)
LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.sampled_from(["9:16", "clip", "image", "generated", "en-us", "#1a2a6c", "../x", "a.m3u8"]),
)
JSON = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=8),
    max_leaves=40,
)


def _refused_clearly(data: bytes) -> None:
    try:
        spec = parse_spec(data)
    except BadInput as e:
        assert str(e).strip() and "Traceback" not in str(e)
    else:
        assert isinstance(spec, RenderSpec)


@SHORT
@given(JSON)
def test_any_json_is_a_spec_or_a_clear_error(value: Any) -> None:
    _refused_clearly(json.dumps(value).encode())


@SHORT
@given(st.dictionaries(KEYS, JSON, max_size=6))
def test_any_change_to_a_valid_spec_is_a_spec_or_names_the_field(changes: dict[str, Any]) -> None:
    _refused_clearly(json.dumps(base_spec(**changes)).encode())


@SHORT
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_are_a_spec_or_a_clear_error(data: bytes) -> None:
    _refused_clearly(data)
