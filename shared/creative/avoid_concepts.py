"""What the avoid-list terms brands actually use look like when copy paraphrases them, in English
and Spanish: the curated table behind :mod:`shared.creative.avoid`.

Why a table and not a thesaurus package: nothing on the package index ships synonym data that
works offline. ``wn`` (the maintained WordNet library) and NLTK's ``wordnet`` download their data
at run time, and ``wordnet-lookup`` ships word lists without synonym sets; WordNet also has no
Spanish of its own and none of advertising's phrasing ("age-defying", "turn back the clock").
The entries were written from the claims the platforms and the FTC name as ones to avoid or
substantiate (Meta Advertising Standards, health and wellness
https://transparency.meta.com/policies/ad-standards/ ; Google Ads misrepresentation and
unreliable claims https://support.google.com/adspolicy/answer/6008942 ; FTC health products
compliance guidance https://www.ftc.gov/business-guidance/resources/health-products-compliance-guidance)
and from how beauty, diet and discount copy phrases them in each language.

Pattern syntax, one phrase per string:

* words are matched on their lemma or light stem, so "reverse aging" also finds "reverses
  ageing"; a hyphen is a space ("age-defying" = "age defying"), and a two-word phrase also
  matches written as one word ("antiaging");
* ``a|b|c`` is one word slot with alternatives;
* ``*`` lets up to :data:`GAP` other words stand between two slots ("erase * wrinkles" finds
  "erases fine lines and wrinkles"), never across a comma or a sentence mark;
* ``=word`` (or ``=a|b``) matches those written forms only, not every word sharing their lemma:
  "=slimming" is a diet word, "slim bottle" is not;
* a verb whose written forms change their start ("perder", "pierde") lists each such form: a
  line is only read when it holds the start of every word of four letters or more a phrase
  needs (:func:`shared.creative.avoid_patterns.worth_reading`).

A polysemous word is listed only in the frames where it makes the claim: "perfect skin" counts
as "flawless", "perfect for busy mornings" does not; "works wonders" counts as "miracle",
"I wonder" does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GAP = 3


@dataclass(frozen=True)
class Concept:
    """One avoid-list idea: any of its phrases on a brand's list brings in all the others."""

    name: str
    en: tuple[str, ...]
    es: tuple[str, ...]
    # Words that, next to a match (two words before, one after, same clause), show the other
    # sense: "cheaper shipping", "envío más barato" price the delivery, they do not call the
    # product cheap.
    unless_near: frozenset[str] = field(default_factory=frozenset)


_SKIN = "skin|complexion|finish|result|results|base|coverage"
_PIEL = "piel|cutis|tez|acabado|resultado|resultados|base|cobertura"
_PRODUCT = "cream|serum|formula|potion|pill|product|ingredient|drug|cure|fix|result|results"
_PRODUCTO = "crema|sérum|serum|fórmula|poción|pastilla|producto|ingrediente|remedio|resultado"

# Words that name a kind of place: an avoid-list word capitalised beside one of them, also
# capitalised, is part of a proper name ("Shop at our Miracle Mile store", "Calle Milagros"),
# not a claim. Folded (no accents, lower case).
PLACE_WORDS = frozenset(
    {"mile", "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane"}
    | {"square", "plaza", "mall", "center", "centre", "park", "market", "station", "bridge"}
    | {"calle", "avenida", "paseo", "plaza", "centro", "parque", "mercado", "barrio", "estacion"}
)

CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "anti-aging",
        en=(
            "anti aging",
            "anti ageing",
            "age defying",
            "defy * age|aging|ageing",
            "reverse * aging|ageing|age",
            "turn back * clock|time|years",
            "turn * clock back",
            "stop * aging|ageing",
            "=younger looking",
            "look * =younger",
            "erase|eliminate|banish * wrinkle|wrinkles",
            "wrinkle free",
            "no more wrinkles",
            "fight|fights|combat|battle|beat|slow|slows|delay|delays|halt|prevent * aging|ageing",
            "fight|fights|combat|prevent|prevents|reduce|reduces * =wrinkles|wrinkle",
            "reduce|reduces|minimise|minimize|diminish|fade|fades * signs of * age|aging|ageing",
            "youth in * bottle|jar|drop|tube",
            "bottled youth",
            "fountain of youth",
            "eternal youth",
            "=ageless",
            "age backwards",
            "=youthful skin|complexion|glow|look|looking",
        ),
        es=(
            "antiedad",
            "anti edad",
            "antienvejecimiento",
            "anti envejecimiento",
            "combate|combatir|combaten|lucha|luchar|frena|frenar|retrasa|retrasar|previene|prevenir"
            " * envejecimiento|arrugas",
            "reduce|reducir|atenúa|atenuar|borra * signos * edad|envejecimiento",
            "juventud en * frasco|botella|gota|tubo",
            "fuente de * juventud",
            "eterna juventud",
            "=rejuvenecedor|rejuvenecedora|rejuvenecedores|rejuvenece|rejuvenecer|rejuvenecen",
            "revertir|revierte|detener|detiene|frenar|frena * envejecimiento",
            "parecer|luce|lucir|aspecto * =joven|jóvenes",
            "borrar|borra|elimina|eliminar * =arrugas|arruga",
            "sin|adiós * =arrugas",
            "quitarse|quita|quitar * años",
        ),
    ),
    Concept(
        "miracle",
        en=(
            "miracle",
            "miraculous",
            "miraculously",
            f"magic|wonder {_PRODUCT}",
            "like magic",
            "be * magic",
            "pure magic",
            "work * wonders",
            "=magical =results|result",
            "small|little|tiny|true|real|pure|absolute * wonder|wonders",
            "wonder|magic in * bottle|jar|tube|drop",
            "=wondrous",
        ),
        es=(
            "milagro",
            "milagroso",
            f"{_PRODUCTO} =mágico|mágica|mágicos|mágicas|milagroso|milagrosa",
            "ser * magia",
            "pura magia",
            "arte de magia",
            "como por * magia",
            "hace|obra|hacer * maravillas",
            "pequeña|pequeño|auténtica|verdadera|pura * maravilla",
            "maravilla|magia en * frasco|botella|tubo|gota",
            "=prodigioso|prodigiosa|prodigiosos|prodigiosas",
        ),
    ),
    Concept(
        "flawless",
        en=(
            "flawless",
            "flawlessly",
            "impeccable",
            "poreless",
            "pore less",
            f"=perfect {_SKIN}",
            "skin perfection",
            "no|zero =imperfections|blemishes",
            "invisible pores",
            "blemish|flaw|imperfection free",
            "not|without * single =imperfection|blemish|flaw|spot",
            "no|zero * =imperfections|blemishes|flaws",
            "porcelain|glass =skin",
        ),
        es=(
            "impecable",
            "sin imperfecciones|defectos|poros",
            f"{_PIEL} perfecta|perfecto|perfectas|perfectos",
            "cero imperfecciones",
            "poros invisibles",
            "ni|sin * =una =sola =imperfección|mancha|marca",
            "libre de * imperfecciones",
            "adiós * =imperfecciones",
            "piel de * porcelana",
        ),
    ),
    Concept(
        "cheap",
        en=(
            "cheap",
            "bargain",
            "dirt cheap",
            "low cost",
            "cut price",
            "rock bottom",
            "budget friendly",
            f"budget {_PRODUCT}|option|brand|price|prices",
            "inexpensive",
            "=cheapo",
            "low priced",
            "cost|costs|costing|for * next to =nothing",
            "for * =peanuts|pennies",
            "for * =a =song",
        ),
        es=(
            "barato",
            "baratísimo",
            "low cost",
            "bajo coste|costo",
            "precio|precios de saldo|risa",
            "chollo",
            "ganga",
            "=baratito|baratita|baratitos|baratitas|baratillo",
            "cuesta|cuestan|cuestas|por * casi =nada",
            "precio|precios =regalado|regalados|tirado|tirados|ridículo|ridículos",
        ),
        # "than"/"que" after: a price comparison ("cheaper than your coffee habit") weighs the
        # price against something, it does not brand the product cheap; the superlative
        # ("cheapest serum in town") does.
        unless_near=frozenset(
            {"shipping", "delivery", "postage", "returns", "envío", "envíos", "entrega"}
            | {"than", "que"}
        ),
    ),
    Concept(
        "diet",
        en=(
            "diet",
            "=slimming",
            "slim down",
            "weight loss",
            "lose weight",
            "fat burning",
            "fat burner",
            "burn * fat",
            "=skinny",
        ),
        es=(
            "dieta",
            "adelgazar",
            "adelgazante",
            "perder|pierde|pierden|perdió * peso",
            "pérdida de peso",
            "quemagrasas",
            "quema|quemar * grasa|grasas",
        ),
        # A diet the product fits ("fits any diet", "compatible con cualquier dieta", "part of a
        # balanced diet") names the reader's eating, it makes no diet claim.
        unless_near=frozenset(
            {"any", "every", "fits", "fit", "suits", "suit", "balanced", "varied", "keto", "vegan"}
            | {"paleo", "cualquier", "toda", "equilibrada", "variada", "vegana", "encaja", "apto"}
            | {"apta"}
        ),
    ),
    Concept(
        "cure",
        en=(
            "cure",
            "heal",
            "remedy",
            "treat|treats|treating * acne|eczema|psoriasis|rosacea|disease|condition|infection",
            "get rid of * acne|eczema|psoriasis|rosacea",
        ),
        es=(
            "curar",
            "cura",
            "remedio",
            "tratar|trata * acné|eczema|psoriasis|rosácea|enfermedad|infección",
        ),
    ),
    Concept(
        "guarantee",
        en=(
            "guarantee",
            "guaranteed",
            "risk free",
            "sure fire",
            "100 * effective",
            "assured|promised =results|result",
            "works for everyone",
        ),
        es=(
            "garantía",
            "garantizar",
            "garantizado",
            "sin riesgo|riesgos",
            "resultados asegurados|prometidos",
            "100 * efectivo|eficaz",
            "funciona para todos",
        ),
    ),
    Concept(
        "guaranteed savings",
        en=(
            "guaranteed savings",
            "guarantee|guaranteed|guarantees * save|saving|savings",
            "save|saving|savings * =guaranteed|assured",
            "risk free * savings",
        ),
        es=(
            "ahorro garantizado",
            "garantiza|garantizado|garantizamos|garantizar * ahorro|ahorros|ahorrar|ahorras",
            "ahorro|ahorros|ahorrar|ahorras * =garantizado|garantizados|asegurado|asegurados",
        ),
    ),
    Concept(
        "insomnia",
        en=(
            "insomnia",
            "=insomniac|insomniacs",
            "sleepless",
            "restless|broken =nights|night",
            "=cannot|cant * sleep|asleep",
            "can =n =t * sleep|asleep",
            "trouble|struggle|struggling * sleeping|asleep",
            "sleep disorder|disorders|problems|issues",
            "toss|tossing and turn|turning",
            "lie|lying * awake",
        ),
        es=(
            "insomnio",
            "=insomne|insomnes",
            "noche|noches * sin dormir",
            "noche|noches en vela|blanco",
            "=desvelo|desvelos",
            "no =puedes|puedo|puede|poder|consigues * dormir|dormirte",
            "problemas|dificultad|dificultades * para|de * dormir|sueño",
            "trastorno|trastornos de|del * sueño",
            "vueltas * cama",
        ),
    ),
    Concept(
        "knock you out",
        en=(
            "knock|knocks|knocked|knocking * out",
            "out like * light",
            "=out =cold",
            "sedate|sedates|sedating|sedated",
            "sedative",
            "tranquilizer|tranquilliser|tranquilizing|tranquillising",
            "=zonked|conked",
        ),
        es=(
            "deja|dejar|dejará|dejan|dejo * =k =o",
            "deja|dejar|dejará|dejan|dejo * =ko|noqueado|noqueada|frito|frita",
            "=noquea|noquear|noqueará",
            "=sedante|sedantes|sedativo|sedativa|sedar|sedará",  # not "seda": silk
            "te =tumba|tumbará",
            "caer|caes|caerás|caigas =redondo|redonda|rendido|rendida",
            "fuera de combate",
        ),
    ),
    Concept(
        "detox",
        en=(
            "detox",
            "detoxify",
            "detoxifying",
            "cleanse|flush|eliminate|remove|purge * toxins",
        ),
        es=(
            "détox",
            "desintoxicar",
            "desintoxicante",
            "=depurativo|depurativa|depurativos|depurativas|depurar|depura",
            "eliminar|elimina|expulsa|expulsar * toxinas",
        ),
    ),
    Concept(
        "chemical-free",
        en=(
            "chemical free",
            "free of|from * chemicals",
            "no|zero * =chemicals",
            "toxin free",
            "non toxic",
        ),
        es=(
            "sin * químicos",
            "libre de * químicos|tóxicos",
            "cero químicos",
        ),
    ),
    Concept(
        "clinically proven",
        en=(
            "clinically proven|shown",
            "scientifically proven",
            "proven by science|doctors",
        ),
        es=(
            "clínicamente probado|demostrado|comprobado",
            "científicamente probado|demostrado|comprobado",
            "probado|demostrado científicamente|clínicamente",
        ),
    ),
)
