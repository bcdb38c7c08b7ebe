"""What a quantity in copy measures: the content words around it ("fall asleep" in "Fall asleep
in two minutes", "brighter skin" in "20% brighter skin"), so that a number the brief states
about one thing ("a two-minute bedtime routine") does not back a claim about another.

Spanish copy may lean on an English brief (and the reverse): :data:`EN_ES` maps the common claim
words between the two languages' lemmas.
"""

from __future__ import annotations

import functools
import re

from shared.creative import nlp
from shared.creative.claims import quantity as qty
from shared.creative.claims.words import word_set

# Content words each side of the quantity that say what it measures. Two: the words that bind to
# a number ("fall asleep in two minutes", "20% brighter skin") sit next to it.
WINDOW = 2
# Sentence and clause ends (a full stop or comma only before a space or the end, so "4.8" and
# "2,300" stay one number).
# A capital after a lower-case word also starts one: spoken lines run on without a full stop
# ("...every quarter First 3 months free").
_SENTENCE_END = re.compile(
    r"[.,!?;:¡¿…][\"'”’»)]*(?=\s|$)|[!?¡¿;…\n]|\s[—–-]\s|(?<=[a-záéíóúñü])\s+(?=[A-ZÁÉÍÓÚÑ])"
)
# Words that say nothing about what is measured: calls to action, fillers, time words.
_EMPTY = word_set(
    "get try see now just only today new yours ours all every each whole thing things way "
    "here start starting take takes it's that's real really even more less flat total "
    "obtén obtener prueba probar ver ahora solo sólo hoy nuevo todo toda cada cosa aquí "
    "empezar empieza real más menos total tan "
    # framing words, and a rating is rated whatever it rates
    "join read love loved enjoy offer oferta deal promo use used count counting "
    "nearly almost over about around approximately casi unos unas cerca "
    "rate rated rating average calificar calificado valorar valorado puntuar"
)
# An offer's own words: a price or discount is off, saved or free whatever it is on.
_OFFER = word_set(
    "off save saving discount free descuento ahorrar ahorra ahorro gratis gratuito dto"
)
# Common claim words, English lemma -> Spanish lemma (and read backwards for Spanish copy).
EN_ES: dict[str, tuple[str, ...]] = {
    "bright": ("luminoso", "brillante", "iluminar"),
    "brighter": ("luminoso",),
    "radiant": ("radiante",),
    "glow": ("brillo", "luminosidad", "resplandor"),
    "skin": ("piel", "cutis"),
    "face": ("rostro", "cara"),
    "even": ("uniforme",),
    "sleep": ("dormir", "sueño", "duerme"),
    "asleep": ("dormir", "dormido"),
    "bed": ("cama", "dormir"),
    "calm": ("calma", "tranquilo", "calmar"),
    "routine": ("rutina",),
    "morning": ("mañana",),
    "mind": ("mente",),
    "clear": ("despejado", "claro"),
    "review": ("reseña", "opinión", "valoración"),
    "star": ("estrella",),
    "order": ("pedido",),
    "first": ("primer", "primero"),
    "shipping": ("envío",),
    "free": ("gratis", "gratuito"),
    "month": ("mes",),
    "jar": ("frasco", "bote"),
    "serving": ("porción", "dosis"),
    "tax": ("impuesto",),
    "book": ("libro", "contabilidad", "cuenta"),
    "invoice": ("factura",),
    "pay": ("pagar", "cobrar"),
    "paid": ("pagar", "cobrar", "pagado"),
    "freelancer": ("autónomo", "freelancer", "independiente"),
    "save": ("ahorrar", "ahorra"),
    "week": ("semana",),
    "day": ("día",),
    "minute": ("minuto",),
    "vitamin": ("vitamina",),
    "acid": ("ácido",),
    "ferulic": ("ferúlico",),
    "gummy": ("gomita", "gominola"),
    "night": ("noche",),
    "bedtime": ("dormir", "cama"),
    "magnesium": ("magnesio",),
    "use": ("usar", "usado"),
    "customer": ("cliente",),
    "user": ("usuario",),
    "off": ("descuento",),
}
# English words that say the same result ("glow" in copy, "bright" in the brief).
SAME: dict[str, tuple[str, ...]] = {
    "glow": ("bright", "radiant", "luminous"),
    "glowing": ("bright", "radiant", "luminous"),
    "radiant": ("bright", "glow"),
    "asleep": ("sleep",),
    "bed": ("bedtime",),
}
ES_EN: dict[str, tuple[str, ...]] = {}
for _en, _es_words in EN_ES.items():
    for _es in _es_words:
        ES_EN[_es] = (*ES_EN.get(_es, ()), _en)


def translations(word: str, language: str) -> tuple[str, ...]:
    """The other language's lemmas for ``word`` (a lemma of ``language``), and, in English,
    the words that say the same result."""
    if language == "es":
        return ES_EN.get(word, ())
    return (*EN_ES.get(word, ()), *SAME.get(word, ()))


def words_around(
    text: str,
    start: int,
    end: int,
    language: str,
    *,
    timed: bool = True,
    offer: bool = False,
    window: int = WINDOW,
    inside: bool = True,
    side: str = "both",
) -> tuple[tuple[str, str], ...]:
    """(lemma, word as written) of the content words, up to WINDOW each side of
    ``text[start:end]`` and its own words that are not the number or its unit, within its
    sentence (its own only when ``inside``; one ``side`` only: "before", "after"). Time words
    count only when the quantity is not itself a time (``timed``): "$24 a month" is a monthly
    price; offer words ("off", "save") not for a price or discount (``offer``)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = _SENTENCE_END.search(text, end)
    right = stop.start() if stop else len(text)
    lang: nlp.Lang = "es" if language == "es" else "en"
    words = _content(text, lang, timed, offer)
    before = [w for s, e, w in words if left <= s and e <= start][-window:]
    own = [w for s, e, w in words if start <= s and e <= end] if inside else []
    after = [w for s, e, w in words if end <= s and e <= right][:window]
    if side == "before":
        after = []
    elif side == "after":
        before = []
    return tuple(dict.fromkeys((*before, *own, *after)))


@functools.lru_cache(maxsize=4096)
def _tokens(text: str, lang: nlp.Lang) -> tuple[nlp.Token, ...]:
    return tuple(nlp.tokens(text, lang))


@functools.lru_cache(maxsize=4096)
def _content(
    text: str, lang: nlp.Lang, timed: bool, offer: bool
) -> tuple[tuple[int, int, tuple[str, str]], ...]:
    """Where each content word of ``text`` is, with its lemma and the word as written."""
    out = []
    for tok in _tokens(text, lang):
        if tok.like_num or not tok.text[:1].isalpha() or tok.is_stop:
            continue
        if tok.lower in _EMPTY or tok.lemma in _EMPTY or tok.lower in qty.WORDS[lang]:
            continue
        if offer and (tok.lower in _OFFER or tok.lemma in _OFFER):
            continue
        if timed and qty.seconds(tok.lower) is not None:
            continue
        unit = qty.unit_name(tok.lower)  # "estrellas" and "stars": "star"
        if unit in _UNIT_NAMES - {"s"}:
            continue
        word = (unit if unit in qty.KNOWN_UNITS else tok.lemma, tok.text)
        out.append((tok.start, tok.end, word))
    return tuple(out)


# Units whose word says only how the number is counted, not what it measures.
_UNIT_NAMES = frozenset({"%", "$", "€", "£", "times", "s"})
