"""``adloop lint-copy`` lines, whatever they hold: one verdict per non-blank line, each valid
JSON (no bare NaN, nothing that cannot be encoded), the lines after a bad one still linted, and
an exit status of 0 or 1; never an exception (issue 13, "Also": property tests for every parser
an outsider can reach)."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from shared.platforms.lint_copy import main
from tests.hostile.strategies import LEAF, NUMBER, SHORT, damaged, objects, to_text, values

COPY = st.one_of(
    st.sampled_from(
        [
            "Try GlowDrop today.",
            "Are you overweight? Lose 10 lbs GUARANTEED!!",
            "¿Tienes sobrepeso? Resultados garantizados.",
            "FREE FREE FREE FREE!!!",
        ]
    ),
    st.text(max_size=80),
)
LINE = objects(
    {
        "id": st.one_of(st.text(max_size=10), NUMBER, LEAF),
        "text": st.one_of(COPY, COPY, LEAF),
        "platform": st.one_of(st.sampled_from(["meta", "google", "tiktok"]), LEAF),
        "language": st.one_of(st.sampled_from(["en", "es"]), LEAF),
    },
    required=("id", "text", "platform", "language"),
)
ANY_KEY = st.sampled_from(["id", "text", "platform", "language", "x"])
LINES = st.lists(
    st.one_of(
        LINE.map(to_text),
        damaged(LINE.map(to_text)),
        values(ANY_KEY).map(to_text),
        st.text(max_size=60).map(lambda t: t.replace("\n", " ")),
    ),
    min_size=1,
    max_size=6,
)


def _strict(line: str) -> dict[str, object]:
    def refuse(literal: str) -> None:
        raise AssertionError(f"{literal} in the output")

    verdict = json.loads(line, parse_constant=refuse)
    assert isinstance(verdict, dict) and set(verdict) == {"id", "ok", "findings"}
    return verdict


@SHORT
@given(LINES)
def test_every_line_gets_one_verdict_in_valid_json(lines: list[str]) -> None:
    out = io.StringIO()
    data = "\n".join(lines)
    status = main("-", out, stdin=io.BytesIO(data.encode("utf-8", "surrogatepass")))
    written = out.getvalue()
    if "\0" in data or ("\n" not in data and "\r" in data.strip("\r")):
        assert status == 2 and written == ""  # not text, or old Mac line ends: said, not read
        return
    assert status != 2  # a line that is not UTF-8 (a surrogate in st.text's output) is its own
    verdicts = [_strict(line) for line in written.splitlines()]
    assert len(verdicts) == sum(1 for line in lines if line.strip())
    assert status == (0 if all(v["ok"] for v in verdicts) else 1)
    written.encode("utf-8")
    for verdict in verdicts:
        assert verdict["ok"] is (verdict["findings"] == [])
