"""What a reader sees: every disguise undone, every character traced to where it was written."""

from __future__ import annotations

import pytest

from shared.creative.policy.disguise import DISGUISE, as_seen


@pytest.mark.parametrize(
    ("written", "seen"),
    [
        ("Саsino", "Casino"),  # Cyrillic capital es and small a
        ("Casinο", "Casino"),  # Greek small omicron
        ("ΙNGRESOS", "INGRESOS"),  # a Greek capital iota reads as a capital I, not an "l"
        ("c@sino y c4sino", "casino y casino"),
        ("gr4t1s", "gratis"),
        ("V a p e s ya", "Vapes ya"),
        ("C-A-S-I-N-O", "CASINO"),
        ("depre\u200bssed", "depressed"),
        ("ｆｒｅｅ", "free"),
        # round 7 of the outside attack: styled letters and other separators
        ("𝓿𝓪𝓹𝓮𝓼", "vapes"),  # mathematical script
        ("ⓥⓐⓟⓔⓢ", "vapes"),  # circled
        ("ᴠᴀᴘᴇꜱ", "vapes"),  # small capitals read as small letters
        ("🅦🅔🅔🅓", "WEED"),  # negative circled capitals
        ("v̲a̲p̲e̲s̲", "vapes"),  # a combining low line under each letter
        ("v·a·p·e·s", "vapes"),
        ("v_a_p_e_s", "vapes"),
        ("mar¡hu@na", "marihuana"),
    ],
)
def test_a_disguise_is_read_as_the_word_it_hides(written: str, seen: str) -> None:
    assert DISGUISE.search(written)
    assert as_seen(written)[0] == seen


@pytest.mark.parametrize(
    "plain", ["MP3 y 4K", "B2B", "H2O", "COVID19", "US$50", "4x4", "a y b", "éxito", "東京 🔥"]
)
def test_models_quantities_and_prices_are_not_disguises(plain: str) -> None:
    assert as_seen(plain)[0] == plain


def test_each_character_seen_points_at_the_character_written() -> None:
    written = "Oferta: V a p e s c@sino"
    seen, origin = as_seen(written)
    assert len(origin) == len(seen)
    start = seen.index("Vapes")
    assert written[origin[start] : origin[start + 4] + 1] == "V a p e s"
    assert written[origin[seen.index("casino")]] == "c"
