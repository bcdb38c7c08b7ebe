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
