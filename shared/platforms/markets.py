"""Countries an export targets, from the brief's free-text market ("US", "US Hispanic",
"Mexico and Colombia") as ISO 3166-1 alpha-2 codes, the form all three platforms' imports take.

pycountry holds the ISO table; the few names marketers use that ISO does not (UK, USA, LatAm
is not a country and is not guessed) are mapped here.
"""

from __future__ import annotations

import pycountry
import regex

_ALIASES = {"UK": "GB", "USA": "US", "U.S.": "US", "U.S.A.": "US", "AMERICA": "US"}
_SPLIT = regex.compile(r"\s*(?:,|;|/|\+|&|\band\b|\by\b)\s*", regex.IGNORECASE)
# Words that qualify a market without naming a place ("US Hispanic", "Spain online").
_QUALIFIERS = regex.compile(
    r"\b(?:hispanic|latino|latina|latinx|spanish[- ]speaking|english[- ]speaking|online|"
    r"market|nationwide|only|wide)\b",
    regex.IGNORECASE,
)


def country_codes(market: str) -> tuple[str, ...]:
    """The ISO alpha-2 codes ``market`` names, in order, each once; () when it names none."""
    found: dict[str, None] = {}
    for part in _SPLIT.split(market or ""):
        name = _QUALIFIERS.sub(" ", part).strip(" .-")
        if not name:
            continue
        code = _code(name)
        if code is None:
            # "US Hispanic" -> "US": the first word alone may be the country.
            code = _code(name.split()[0])
        if code is not None:
            found[code] = None
    return tuple(found)


def _code(name: str) -> str | None:
    upper = name.upper()
    if upper in _ALIASES:
        return _ALIASES[upper]
    if len(name) == 2 and not name.isupper():
        return None  # "in", "to": a word, not a code
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return None
