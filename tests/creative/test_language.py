"""Language detection of ad copy by lingua, not by what the model claims."""

from __future__ import annotations

import pytest

from shared.creative.language import detect


@pytest.mark.parametrize(
    "text",
    [
        "Glow in 7 days. Try GlowDrop vitamin C serum now",
        "Your skin, brighter in 7 days",
        "Free shipping today",
        "Get 20% off your first order",
    ],
)
def test_english(text: str) -> None:
    assert detect(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Brilla en 7 días. Prueba el sérum GlowDrop",
        "Tu piel, más luminosa en 7 días",
        "Envío gratis hoy",
        "Obtén un 20% de descuento en tu primer pedido",
        "Descubre más",
    ],
)
def test_spanish(text: str) -> None:
    assert detect(text) == "es"


@pytest.mark.parametrize(
    "text",
    [
        "Sua pele mais luminosa em 7 dias",  # Portuguese must not be called Spanish
        "Experimente o sérum hoje com desconto",
        "Votre peau plus lumineuse en 7 jours",
        "La tua pelle più luminosa in 7 giorni",
        "Ihre Haut strahlt in 7 Tagen",
    ],
)
def test_other_languages_are_none(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize("text", ["", "   ", "20%", "!!!", "ok"])
def test_unsure_is_none(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # The quick detector reads these as English with a wide margin; they are Spanish.
        "mocktails sin alcohol para tu fiesta 🍹 receta de mojito virgen en 2 min",
        "curso de dropshipping paso a paso 📦 aprende a elegir proveedores y calcular márgenes",
        "La zapatilla de running más vendida en Chile (Nielsen, 2024)",
    ],
)
def test_spanish_with_english_loanwords_is_spanish_whatever_is_expected(text: str) -> None:
    assert detect(text) == "es"
    assert detect(text, expected="es") == "es"
    assert detect(text, expected="en") == "es"  # the quick detector never overrules


def test_the_quick_path_flags_exactly_what_the_full_models_flag_on_the_corpus() -> None:
    """lint-copy's language finding (a verdict that is neither unsure nor the declared
    language) is the same with and without ``expected`` for every corpus text."""
    import json
    from pathlib import Path

    rows = [
        json.loads(line)
        for path in sorted(Path("bench/compliance").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(rows) >= 400

    def flagged(verdict: str | None, declared: str) -> bool:
        return verdict is not None and verdict != declared

    differ = [
        row["id"]
        for row in rows
        if flagged(detect(row["text"]), row["language"])
        != flagged(detect(row["text"], expected=row["language"]), row["language"])
    ]
    assert differ == []
