"""Policy rules, round 5: what the sixth outside attack and this round's own probes taught, as
this test's own sentences."""

from __future__ import annotations

import pytest

from shared.creative.policy import check

VIOLATIONS = [
    # (language, rule, text)
    # a plural spelt with a "z" is a word shouted, not initials
    ("en", "excessive_caps", "MEGA DEALZ on sneakers this weekend only."),
    ("en", "excessive_caps", "BIG BOOTZ sale: every pair half off in store."),
]

CLEAN = [
    # four or five capitals that are not a word stay an acronym, beside a shouted word too
    ("es", "excessive_caps", "Factura con CFDI y paga por SPEI desde tu app."),
    ("en", "excessive_caps", "File your taxes with an ITIN, we help in Spanish."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_violation_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language, learned=True)}, text


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_stays_clean(language: str, rule: str, text: str) -> None:
    assert check(text, language, learned=True) == [], text
