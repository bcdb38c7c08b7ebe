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
    # a letter of another script, a digit or a symbol, or spaces do not hide a word
    ("es", "restricted_category", "Саsino en vivo: bono de bienvenida en tu primer depósito."),
    ("en", "restricted_category", "Οnline casino with 100 free spins on your first deposit."),
    ("en", "restricted_category", "New c4sino app: free spins on every deposit this week."),
    ("es", "restricted_category", "V a p e s desechables con envío en el día."),
    ("es", "excessive_caps", "GRΑN REBΑJA de sofás este fin de semana."),
    # a gambling operator's offer, and a bet said with a sport
    ("en", "restricted_category", "Sportsbook welcome offer: a free bet on your first deposit."),
    ("es", "restricted_category", "Apostá al clásico del domingo, ganancia segura."),
    # diminutives and slang of what may not be sold
    ("es", "restricted_category", "Cigarritos electrónicos sabor menta para salir de fiesta."),
    ("es", "restricted_category", "Relojes Rolex espejo 1:1 con caja y papeles."),
    ("en", "restricted_category", "Disposables in 15 flavours, delivered in an hour."),
    # round 7: styled letters, fakes said by euphemism, a home-made gun, odds and a bet
    ("es", "restricted_category", "𝓥𝓪𝓹𝓮𝓼 con 5000 caladas, envío el mismo día."),
    ("en", "restricted_category", "ⓒⓐⓢⓘⓝⓞ night: free spins with your first deposit."),
    ("es", "restricted_category", "Bolsos idénticos a los originales, nadie notará la diferencia."),
    ("en", "restricted_category", "Superfake sneakers with the box, ship worldwide."),
    ("es", "restricted_category", "Fabrica tu propia pistola en casa con nuestro kit."),
    ("es", "restricted_category", "Apuesta hoy con cuotas mejoradas en la app."),
    # a countdown that is the ad's own length; a before/after said "me then vs me now"
    ("en", "misleading_urgency", "This discount disappears once you close this page."),
    ("en", "before_after", "Me last summer vs me now, same jeans."),
]

CLEAN = [
    # four or five capitals that are not a word stay an acronym, beside a shouted word too
    ("es", "excessive_caps", "Factura con CFDI y paga por SPEI desde tu app."),
    ("en", "excessive_caps", "File your taxes with an ITIN, we help in Spanish."),
    ("es", "excessive_caps", "Trámites del ISSSTE y del INFONAVIT en una sola cita."),
    # a word of gambling in its everyday sense ("safe bet", "instalments", "a bin")
    ("es", "restricted_category", "Seguro de hogar: págalo en 6 cuotas sin interés."),
    ("es", "restricted_category", "Apostamos por el comercio local con un crédito seguro."),
    ("es", "restricted_category", "La apuesta segura del otoño: chaquetas de pana."),
    ("es", "restricted_category", "Bote de cocina hermético, cierre seguro, 2 litros."),
    ("en", "restricted_category", "Your safest bet this winter: boots with a guaranteed fit."),
    # a weapon's or a fake's word used for a tool, a toy or a model
    ("es", "restricted_category", "Tornillos de 9 mm para madera, bolsa de 200."),
    ("es", "restricted_category", "Pistola de burbujas para cumpleaños infantiles."),
    ("es", "restricted_category", "Cartuchos de tinta compatibles para tu impresora."),
    ("es", "restricted_category", "Réplicas a escala de dinosaurios para el aula."),
    ("en", "restricted_category", "Bubble guns for birthday parties, batteries included."),
    ("en", "restricted_category", "Disposable plates and cups for 50 guests."),
    ("en", "restricted_category", "A mirror-quality polish for stainless steel pans."),
    # "antes y después" of an event is time, not a transformation
    ("es", "before_after", "Antes y después del concierto, tapas con 2x1 en la terraza."),
    ("en", "before_after", "Warm up before and after your workout with our bands."),
    # round 7: tools, finishes and licensed copies; shop logistics; a coupon code
    ("es", "restricted_category", "Pistola de aire para inflar neumáticos, con manómetro."),
    ("es", "restricted_category", "Suelo laminado imitación madera de nogal, caja de 2 m²."),
    ("en", "restricted_category", "Shotgun mic for interviews, with a foam windscreen."),
    ("en", "restricted_category", "Official replica shirt, licensed by the league."),
    ("es", "personal_attributes", "Si no encuentras tu talla, escríbenos y te avisamos."),
    ("en", "excessive_caps", "Take 15% off with code SPRING15 at checkout."),
    ("en", "misleading_urgency", "Prices go up on May 1; orders before then keep the old rate."),
]


@pytest.mark.parametrize(("language", "rule", "text"), VIOLATIONS)
def test_a_violation_is_flagged_under_its_rule(language: str, rule: str, text: str) -> None:
    assert rule in {f.rule for f in check(text, language, learned=True)}, text


@pytest.mark.parametrize(("language", "rule", "text"), CLEAN)
def test_a_clean_look_alike_stays_clean(language: str, rule: str, text: str) -> None:
    assert check(text, language, learned=True) == [], text


def test_a_disguised_word_is_reported_as_written() -> None:
    text = "Саsino en vivo: bono de bienvenida en tu primer depósito."  # Cyrillic С and а
    [finding] = [f for f in check(text, "es") if f.rule == "restricted_category"]
    assert finding.span in text and finding.span.startswith("Саsino")
