"""How a platform counts characters: extended grapheme clusters, as a person counts them, in time
that grows with the text (an outside attack's line of 30,000 flags took 19 s)."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.platforms.limits import clusters, length

# Characters whose clusters join across a run of flags: flags, the marks that join what precedes
# (combining accent, zero-width joiner, spacing mark, skin tone, variation selector) or what
# follows (Arabic number sign), Hangul jamo, emoji, and plain letters.
PIECES = [
    *("a", "é", "\u0301", "\u200d", "\u093f", "ह", "🇲", "🇽", "🇪", "🇸", "👩", "🏽", "\ufe0f"),
    *("\u0600", "\u1100", "\u1161", "\u11a8", "字", "\r", "\n"),
]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_clusters_are_unicodes_extended_grapheme_clusters(text: str) -> None:
    assert clusters(text) == regex.findall(r"\X", text)


def test_flags_and_joined_marks_count_once() -> None:
    assert length("🇲🇽🇪🇸") == 2
    assert length("\u0600🇲🇽\u0301🇪") == 2  # the prefix and the accent join the first flag
    assert length("字字", double_width=True) == 4


def test_a_long_run_of_flags_is_counted_whole() -> None:
    assert length("🇲🇽" * 30_000 + "🇪") == 30_001
