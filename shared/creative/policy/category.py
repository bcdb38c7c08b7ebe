"""The brief's product category: what the copy cannot say, whatever its words.

A prohibited category (tobacco and vapes, weapons, recreational drugs, counterfeits, spy
cameras, payday loans, adult services) makes any copy for it a ``restricted_category`` finding:
"Cool mint and berry ice pods just dropped" is fine for coffee and barred for a vape. A
restricted category (alcohol, gambling, crypto, pharmacy) makes a finding of the claims that
category may not make, found by the lexicon's concepts: alcohol promising social or sexual
success, health, or aimed at minors (Meta Advertising Standards, alcohol:
https://transparency.meta.com/policies/ad-standards/restricted-goods-services/alcohol/ );
gambling bonuses and sure wins; token sales with a return promise; prescription drugs without a
prescription (Google Healthcare and medicines: https://support.google.com/adspolicy/answer/176031 ;
TikTok prohibited industries:
https://ads.tiktok.com/help/article/tiktok-advertising-policies-industry-entry ).
"""

from __future__ import annotations

import re

from shared.creative import nlp
from shared.creative.policy import structure
from shared.models.creative import Finding

_PROHIBITED = (
    "tobacco, cigarettes, cigars, vape, vapes, vaping, e-cigarettes, e-cigarette, nicotine, "
    "e-liquid, e-liquids, eliquid, vape juice, vapeo, kratom, steroids, anabolic steroids, "
    "esteroides, "
    "weapons, weapon, firearms, firearm, guns, ammunition, ammo, explosives, fireworks, "
    "recreational drugs, drugs, cannabis, marijuana, thc, counterfeit, replicas, replica, "
    "spy cameras, spyware, surveillance, payday loans, payday loan, adult, adult services, "
    "escort, escorts, tabaco, cigarrillos, vapeadores, vapers, cigarrillos electronicos, armas, "
    "armas de fuego, municion, drogas, replicas de marca, falsificaciones, camaras espia, "
    "prestamos rapidos, minicreditos, servicios para adultos"
)
# A restricted category and the concepts (names shared by en.yaml and es.yaml) it may not use.
_RESTRICTED: dict[str, tuple[str, ...]] = {
    "alcohol": ("SOCIAL_SUCCESS", "HEALTH_GOOD", "MINORS"),
    "gambling": ("SURE_WIN", "GAMBLE_PROMO"),
    "crypto": ("GUARANTEE", "MULTIPLY", "MONEY_DREAM", "WITHOUT_RISK", "CRYPTO_SCAM", "MULT_NUM"),
    "pharmacy": ("NO_RX",),
}
_ALIASES = {
    "alcohol": "alcohol, alcoholic beverages, spirits, beer, wine, liquor, bebidas alcoholicas, "
    "cerveza, vino, licores",
    "gambling": "gambling, online casino, casino, betting, sports betting, sportsbook, lottery, "
    "poker, casino online, apuestas, apuestas deportivas, juegos de azar, loteria",
    "crypto": "crypto, cryptocurrency, cryptocurrencies, token, tokens, nft, ico, defi, "
    "cripto, criptomonedas, criptomoneda",
    "pharmacy": "pharmacy, online pharmacy, prescription drugs, medicines, medication, "
    "farmacia, farmacia online, medicamentos",
}


def _normal(name: str) -> str:
    folded = re.sub(r"[_\-/]+", " ", name.strip().lower())
    for accented, plain in zip("áéíóúüñ", "aeiouun", strict=True):
        folded = folded.replace(accented, plain)
    return re.sub(r"\s+", " ", folded)


PROHIBITED = frozenset(_normal(n) for n in _PROHIBITED.split(","))
RESTRICTED = {
    _normal(alias): kind for kind, names in _ALIASES.items() for alias in names.split(",")
}


# Names that count only as the whole category: "adult coloring books", "home surveillance
# cameras" and "drugstore cosmetics" sell nothing the platforms bar.
_WHOLE_ONLY = frozenset({"adult", "surveillance", "drugs"})


def _prohibited(name: str) -> bool:
    """Whether the category is, or names among its words, a prohibited one ("replica watches",
    "nicotine pouches", "cbd vape juice")."""
    if name in PROHIBITED:
        return True
    words = name.split()
    return any(
        (part := " ".join(words[i:j])) in PROHIBITED and part not in _WHOLE_ONLY
        for i in range(len(words))
        for j in range(i + 1, min(len(words), i + 3) + 1)
    )


def category_findings(
    text: str, language: nlp.Lang, category: str | None
) -> list[tuple[int, Finding]]:
    """Findings the brief's ``category`` makes of ``text`` (none without a category)."""
    if not category or not text.strip():
        return []
    name = _normal(category)
    if _prohibited(name):
        span = text.strip()
        reason = (
            f"the brief's category '{category}' is a product Meta, Google and TikTok do not "
            "allow to be advertised"
        )
        return [(text.index(span), Finding(rule="restricted_category", span=span, reason=reason))]
    kind = RESTRICTED.get(name)
    if kind is None:
        return []
    reason = f"a '{category}' ad may not make this claim (restricted category: {kind})"
    return [
        (start, Finding(rule="restricted_category", span=text[start:end], reason=reason))
        for start, end in structure.concept_spans(text, language, _RESTRICTED[kind])
    ]
