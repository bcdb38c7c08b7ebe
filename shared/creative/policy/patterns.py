"""Pattern rules: a table per language of compiled regular expressions, each with the reason a
person reads. They catch fixed phrasings ("passive income", "antes y después", "#1"); the
lexicon-and-structure rules of :mod:`.structure` catch the paraphrases.

Choices worth knowing: "the best part", "your best" and "la mejor parte" are not superlative
claims; superlatives, "#1" and "clinically proven" pass when the copy carries an evidence marker
(an asterisk or dagger footnote, "according to", "study", "según", "estudio"...). "Satisfaction
guaranteed" and "envío garantizado" are service promises, not guaranteed results.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from shared.models.creative import Finding


@dataclass(frozen=True)
class Rule:
    """One policy: its finding id, the reason shown to people, and what it matches."""

    id: str
    reason: str
    patterns: tuple[regex.Pattern[str], ...]
    unless_evidence: bool = False


def _rx(*alternatives: str) -> tuple[regex.Pattern[str], ...]:
    # The ``regex`` module runs these about twice as fast as ``re`` (every line lint-copy
    # reads runs all of them), with the same matches on the corpus.
    return tuple(regex.compile(a, regex.IGNORECASE | regex.MULTILINE) for a in alternatives)


_PERSONAL = (
    "asserts or implies a personal attribute of the reader (health, weight, age, race, "
    "religion, sexual orientation or finances); Meta and Google prohibit this"
)
_HEALTH = "health claim (cure, treatment or weight-loss figure) that needs medical substantiation"
_CLINICAL = "'clinically proven' needs the study behind it; cite it or drop the claim"
_INCOME = "income or get-rich claim; platforms restrict earnings promises"
_GUARANTEE = "promises a guaranteed result; results vary and platforms reject such guarantees"
_BEFORE_AFTER = "before/after framing; Meta and TikTok prohibit before-and-after comparisons"
_SUPERLATIVE = "superlative or #1 claim without evidence; add a source (e.g. '*Nielsen 2024')"
_WEIGHT = (
    "weight-loss claim (a figure, a timeframe, loss that is fast or effortless, or body "
    "shaming); Meta, TikTok and Google restrict weight-management ads"
)
_URGENCY = (
    "misleading urgency or scarcity (a countdown, 'only N left', 'gone forever', a 'free' that "
    "is not); platforms reject deceptive pressure"
)
_RESTRICTED = "promotes a product or claim the platforms prohibit or restrict"
_SENSATIONAL = "sensational or clickbait wording; Meta and TikTok reject shocking or scary copy"

# The reason shown for each rule id the lexicon rules (structure.py) report.
REASONS = {
    "personal_attributes": _PERSONAL,
    "health_claim": "health claim (cures, prevents, never ill, permanent or overnight results, "
    "replaces medicine) that needs medical substantiation",
    "weight_loss": _WEIGHT,
    "income_claim": _INCOME,
    "before_after": _BEFORE_AFTER,
    "guaranteed_results": _GUARANTEE,
    "misleading_urgency": _URGENCY,
    "restricted_category": _RESTRICTED,
    "sensational_language": _SENSATIONAL,
    "unsubstantiated_superlative": _SUPERLATIVE,
}

_ATTR_EN = (
    r"(?:overweight|fat|obese|diabetic|depressed|bald(?:ing)?|infertile|pregnant|gay|lesbian|"
    r"bisexual|transgender|christian|muslim|jewish|hindu|catholic|atheist|broke|poor|in debt|"
    r"unemployed|old(?! enough)|elderly|over \d{2}|in your \d0s|disabled|an alcoholic|addicted)"
)
_COND_EN = (
    r"(?:diabetes|depression|anxiety|cancer|obesity|acne|eczema|psoriasis|hair loss|arthritis|"
    r"adhd|hiv|herpes|erectile dysfunction|insomnia|debts?|bad credit|a disability|an addiction|"
    r"high blood pressure|high cholesterol|belly fat|extra weight|excess weight|a weight problem)"
)
_ATTR_ES = (
    r"(?:gord[oa]|obes[oa]|diab[eé]tic[oa]|deprimid[oa]|calv[oa]|embarazada|gay|lesbiana|"
    r"bisexual|cristian[oa]|musulm[aá]n|musulmana|jud[ií][oa]|cat[oó]lic[oa]|ate[oa]|pobre|"
    r"endeudad[oa]|desemplead[oa]|viej[oa]|ancian[oa]|mayor de \d{2}|discapacitad[oa]|"
    r"alcoh[oó]lic[oa]|adict[oa])"
)
_COND_ES = (
    r"(?:sobrepeso|diabetes|depresi[oó]n|ansiedad|c[aá]ncer|obesidad|acn[eé]|eccema|psoriasis|"
    r"calvicie|ca[ií]da del cabello|artritis|tdah|vih|herpes|disfunci[oó]n er[eé]ctil|"
    r"insomnio|deudas?|mal cr[eé]dito|kilos de m[aá]s|una discapacidad|una adicci[oó]n|"
    r"hipertensi[oó]n|colesterol alto|m[aá]s de \d{2} a[nñ]os)"
)
_EVIDENCE_MARK = r"(?:\*|†|‡|[¹²³])"

# "The #1 question we get", "number one tip": a ranking of the reader's questions, not a claim.
_NOT_A_RANK = r"(?!\s+(?:question|tip|rule|mistake|reason|priority)\b)"

RULES: dict[str, tuple[Rule, ...]] = {
    "en": (
        Rule(
            "personal_attributes",
            _PERSONAL,
            _rx(
                rf"\b(?:are|r) you\s+(?:\w+\s+)?{_ATTR_EN}\b",
                rf"\byou(?:'re|’re| are)\s+(?:\w+\s+)?{_ATTR_EN}\b",
                rf"\b(?:do you|you|if you)\s+(?:have|suffer from|struggle with|live with|"
                rf"are living with|are struggling with|battle)\s+{_COND_EN}\b",
                rf"\byour\s+(?:{_COND_EN}|weight problem|religion|sexual orientation|sexuality|"
                r"race(?!\s+(?:day|number|pack|kit|bib|time|results?|entry|route|track)\b)|ethnicity)\b",
                # a gender transition, not one to retirement or to remote work
                r"\byour\s+(?:gender\s+)?transition\b(?!\s+(?:to|into|from|period|plan|year|team)\b)",
                rf"\b(?:tired|sick) of being\s+{_ATTR_EN}\b",
                r"\bat your age\b",
            ),
        ),
        Rule(
            "health_claim",
            _HEALTH,
            _rx(
                rf"\b(?:cures?|cured|heals?|treats|reverses?|eliminates|prevents)\s+(?:\w+\s+){{0,2}}?"
                rf"(?:{_COND_EN[3:-1]}|disease|illness|infections?)\b",
                r"\b(?:miracle|natural|permanent)\s+cure\b",
                r"\bcure\s+for\b",
                r"\b(?:lose|drop|shed|burn)\s+(?:up to\s+)?\d+(?:[.,]\d+)?\s*"
                r"(?:lbs?|pounds|kg|kilos?|dress sizes?|inches)\b"
                r"(?:\s+(?:in|within)\s+\d+\s+(?:days?|weeks?|months?))?",
            ),
        ),
        Rule(
            "health_claim",
            _CLINICAL,
            _rx(
                r"\b(?:clinically|scientifically|medically)\s+(?:proven|tested|shown|validated)\b",
                r"\bproven\s+in\s+(?:clinical\s+)?(?:trials|studies)\b",
            ),
            unless_evidence=True,
        ),
        Rule(
            "income_claim",
            _INCOME,
            _rx(
                r"\b(?:earn|make|making|earning)\s+(?:up to\s+|over\s+|more than\s+)?"
                r"(?:[$€£]\s?\d[\d,.]*\s*[kK]?\b|\d[\d,.]*\s*(?:dollars|euros|usd)\b)"
                r"(?:\s*(?:a|an|per|/|every)\s*(?:day|week|month|year|hour))?",
                r"\bget(?:ting)?\s+rich\b",
                r"\bpassive\s+income\b",
                r"\bfinancial\s+freedom\b",
                r"\b(?:six|seven|6|7)[- ]figures?\b",
                r"\bquit\s+your\s+(?:day\s+)?job\b",
                r"\b(?:easy|fast|quick)\s+(?:money|cash)\b",
                r"\bmake\s+money\s+(?:fast|online|from\s+home|while\s+you\s+sleep)\b",
            ),
        ),
        Rule(
            "guaranteed_results",
            _GUARANTEE,
            _rx(
                r"\b(?:results?|success|weight loss)\s+(?:are\s+|is\s+)?(?:100\s?%\s+)?"
                r"guaranteed\b",
                r"\bguarantee[sd]?\s+(?:that\s+)?"
                r"(?:you(?:'ll|’ll| will)|results?|success|weight loss)\b",
                r"\b100\s?%\s+(?:effective|success|results)\b",
                r"\bworks\s+(?:every\s+time|for\s+everyone)\b",
            ),
        ),
        Rule(
            "before_after",
            _BEFORE_AFTER,
            _rx(
                r"\bbefore\s*(?:and|&|/|-|vs\.?|versus|\+)\s*after\b"
                # "before and after school care" is opening hours, not a comparison
                r"(?!\s+(?:school|work|class|care|hours|dinner|lunch|meals|the\s+game))",
                # "Before: dull. After: glowing." (labels, across the sentence end)
                r"\bbefore\s*[:→|>]\s*[^\n]{1,80}?\bafter\s*[:→|>]",
            ),
        ),
        Rule(
            "unsubstantiated_superlative",
            _SUPERLATIVE,
            _rx(
                rf"#1\b{_NOT_A_RANK}|\bno\.\s?1\b|\bnumber\s+(?:one|1)\b{_NOT_A_RANK}",
                # "choose the best plan for you", "the best time to plant": a choice or a
                # season the reader is told about, not the advertiser's claim about itself
                r"(?<!choose )(?<!pick )(?<!find )"
                r"\b(?:the|our|america's|world's)\s+(?:very\s+)?(?:best|greatest|finest|top-rated|"
                r"most\s+(?:effective|powerful|trusted|popular|advanced))\b"
                r"(?!\s+(?:part|thing about|way to find out|of both worlds|of luck|"
                r"(?:time|moment|season|months?)\s+(?:to|for|of)))",
                r"\bworld[’']?s\s+(?:leading|best|first|largest|favou?rite|most\s+\w+)\b",
                # a place's or a field's leader: "Ontario's leading car insurer"
                r"\b[\w-]+[’']s\s+(?:leading|largest|number one|no\.\s?1|"
                r"most\s+(?:trusted|popular|loved|awarded|recommended))\b",
                # "the only sunscreen dermatologists actually use", "nobody makes a better burrito"
                r"\bthe only\s+[\w-]+(?:\s+[\w-]+)?\s+"
                r"(?:dermatologists|doctors|dentists|experts|chefs|pros)"
                r"\s+(?:actually\s+)?(?:use|trust|recommend)\b",
                r"\b(?:nobody|no one|no-one)\s+(?:makes|does|brews|bakes|serves|cooks|sells)\s+"
                r"(?:a\s+|an\s+)?(?:better|\w+er)\b",
                r"\b(?:industry|market)[- ]leading\b",
                r"\bthe\s+leading\b(?!\s+(?:cause|causes|edge|role|roles|lady|man|men)\b)",
                r"\bno other\b[^.!?\n]{0,40}\bcomes?\s+close\b",
                # "you won't find a creamier hot chocolate anywhere in Ireland"
                r"\b(?:won[’']?t|will not|can[’']?t|cannot|never)\s+find\s+(?:a|an|any)\s+"
                r"(?:\w+er|better|more\s+\w+)\b[^.!?\n]{0,50}\b(?:anywhere|elsewhere)\b",
                r"\b(?:top|highest|best)[- ]rated\b",
                r"\bbest[- ](?:selling|seller|rated|in[- ]class)\b|\bbest\s+ever\b",
                r"(?:^|(?<=[.!?] ))best\b"
                r"(?!\s+of\s+all|\s+(?:wishes|regards)\b|\s+(?:time|moment|season|months?)\s+(?:to|for))",
            ),
            unless_evidence=True,
        ),
    ),
    "es": (
        Rule(
            "personal_attributes",
            _PERSONAL,
            _rx(
                rf"¿?\b(?:eres|est[aá]s|sos|es usted|est[aá] usted)\s+(?:\w+\s+)?{_ATTR_ES}\b",
                rf"¿?\b(?:tienes|ten[eé]s|tiene usted|usted tiene|sufres(?: de)?|padeces(?: de)?|"
                rf"luchas contra|vives con)\s+{_COND_ES}",
                rf"\btus?\s+(?:{_COND_ES}|religi[oó]n|orientaci[oó]n sexual|sexualidad|"
                r"raza|etnia)\b",
                rf"\b(?:cansad[oa]|hart[oa]) de (?:ser|estar)\s+{_ATTR_ES}\b",
                r"\ba tu edad\b",
            ),
        ),
        Rule(
            "health_claim",
            _HEALTH,
            _rx(
                r"\b(?:cura|curan|curar|sana|elimina|eliminan|revierte|trata|previene)\s+"
                rf"(?:\w+\s+){{0,2}}?(?:{_COND_ES[3:-1]}|enfermedad(?:es)?|infecci[oó]n(?:es)?)",
                r"\bcura\s+(?:milagrosa|definitiva|natural)\b",
                r"\bla\s+cura\s+(?:para|de|del)\b",
                r"\b(?:pierde|pierda|perder|baja|bajar|adelgaza|adelgazar|elimina)\s+(?:hasta\s+)?"
                r"\d+(?:[.,]\d+)?\s*(?:kilos?|kg|libras|tallas?|cm)\b"
                r"(?:\s+en\s+\d+\s+(?:d[ií]as|semanas|meses))?",
            ),
        ),
        Rule(
            "health_claim",
            _CLINICAL,
            _rx(
                r"\b(?:cl[ií]nicamente|cient[ií]ficamente|m[eé]dicamente)\s+"
                r"(?:probad[oa]s?|comprobad[oa]s?|demostrad[oa]s?)\b",
            ),
            unless_evidence=True,
        ),
        Rule(
            "income_claim",
            _INCOME,
            _rx(
                r"\b(?:gana|ganar|ganes|gane|genera|generar|ingresa)\s+(?:hasta\s+|m[aá]s de\s+)?"
                r"(?:(?:US)?[$€£]\s?\d[\d.,]*|\d[\d.,]*\s*(?:€|euros|d[oó]lares|pesos|usd|mil)\b)"
                r"(?:\s+(?:al|por|cada)\s+(?:d[ií]a|mes|semana|a[nñ]o|hora))?",
                r"\b(?:hazte|hacerte|volverte|hacerse)\s+ric[oa]s?\b",
                r"\bingresos\s+pasivos\b",
                r"\blibertad\s+financiera\b",
                r"\bdinero\s+(?:f[aá]cil|r[aá]pido)\b",
                r"\bdeja\s+tu\s+trabajo\b",
                r"\b(?:seis|6)\s+cifras\b",
            ),
        ),
        Rule(
            "guaranteed_results",
            _GUARANTEE,
            _rx(
                r"\b(?:resultados|[ée]xito)\s+(?:100\s?%\s+)?garantizad[oa]s?\b",
                r"\bgarantiza(?:mos)?\s+(?:que\s+)?(?:\w+\s+){0,2}?(?:resultados|[ée]xito|pierdas|"
                r"bajes|ganes|adelgaces)\b",
                r"\b100\s?%\s+(?:efectiv[oa]|eficaz)\b",
                r"\bfunciona\s+siempre\b",
            ),
        ),
        Rule(
            "before_after",
            _BEFORE_AFTER,
            _rx(
                r"\bantes\s*(?:y|/|-|vs\.?|\+)\s*(?:el\s+)?despu[eé]s\b",
                r"\bantes\s*[:→|>]\s*[^\n]{1,80}?\bdespu[eé]s\s*[:→|>]",
            ),
        ),
        Rule(
            "unsubstantiated_superlative",
            _SUPERLATIVE,
            _rx(
                r"#1\b|\bn\.?\s?[º°o]\s?1\b"
                r"|(?<!pregunta )(?<!consejo )(?<!regla )(?<!error )\bn[uú]mero\s+(?:uno|1)\b",
                # "nadie hace arepas como nosotros", "la crema que usan todas las dermatólogas"
                r"\bnadie\s+(?:hace|prepara|cocina|vende|ofrece|sirve)\s+[^.!?\n]{1,30}"
                r"\bcomo nosotr[oa]s\b",
                r"\bque\s+(?:usan|recomiendan|prefieren)\s+(?:tod[oa]s\s+)?(?:los|las)\s+"
                r"(?:dermat[oó]log[oa]s|m[eé]dic[oa]s|dentistas|expert[oa]s)\b",
                r"(?<!elige )(?<!elegí )(?<!escoge )(?<!encuentra )(?<!encontrá )"
                r"\b(?:el|la|los|las|nuestr[oa]s?)\s+mejor(?:es)?\b"
                r"(?!\s+(?:parte|de todo|momentos|deseos|recuerdos|"
                r"(?:momento|época|temporada|mes|meses|hora)\s+(?:para|de)\b))",
                r"\b(?:el|la)\s+m[aá]s\s+(?:vendid[oa]|eficaz|efectiv[oa]|potente|recomendad[oa])\b",
                r"\bl[ií]der(?:es)?\s+(?:mundial(?:es)?|del\s+mercado|en\s+el\s+mundo)\b",
                r"\bmejor\s+del\s+mundo\b|\binigualable\b",
            ),
            unless_evidence=True,
        ),
    ),
}

# Marks that say a claim is backed: a footnote mark or a cited source.
EVIDENCE = _rx(
    _EVIDENCE_MARK,
    r"\(\s*n\s*=\s*\d+",
    r"\b(?:according to|source:|based on|study|studies|survey|trial|tested by)\b",
    # a dated ranking or sales figure: "by 2024 unit sales", "Best Seller ..., March 2025"
    r"\b(?:sales|data|ranking|rankings|awards?|report|ventas|datos|premios?)\b[^.!?]{0,45}"
    r"\b(?:19|20)\d{2}\b|\b(?:19|20)\d{2}\b[^.!?]{0,20}\b(?:sales|data|ventas|datos|report|"
    r"survey|ranking|awards?|test|informe|encuesta|premios?)\b",
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
    r"noviembre|diciembre)\s+(?:de\s+)?(?:19|20)\d{2}\b",
    r"\b(?:seg[uú]n|fuente:|basado en|encuesta|ensayo)\b",
    # a study cited, not a medical test offered ("estudios de retina", "estudios de laboratorio")
    r"\b(?:un|el|los|nuestro|este|en\s+un)\s+estudios?\b"
    r"|\bestudios?\s+(?:cl[ií]nicos?|publicad[oa]s?|independientes?|realizad[oa]s?|con\s+\d+"
    r"|de\s+(?:la\s+)?universidad|de\s+(?:19|20)\d{2})",
    # a named source with its year: "(Runner's World, 2024 awards)", "Rated #1 by Wirecutter,
    # 2024", "Elegido nº 1 por la OCU, 2024"
    r"\([^()]{0,40}\b(?:19|20)\d{2}\b[^()]{0,20}\)",
    r"\b(?:by|por)\s+(?:the\s+|la\s+|el\s+|los\s+)?[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,3}"
    r",?\s+(?:19|20)\d{2}\b",
)


def apply(rule: Rule, text: str) -> Iterator[tuple[int, Finding]]:
    for pattern in rule.patterns:
        for match in pattern.finditer(text):
            yield match.start(), Finding(rule=rule.id, span=match.group(), reason=rule.reason)
