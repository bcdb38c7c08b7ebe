"""Countries an export targets, from the brief's free-text market ("US", "US Hispanic",
"Mexico and Colombia") as ISO 3166-1 alpha-2 codes, the form the platforms' imports take.

pycountry holds the ISO table (official, common and short names); the names marketers use that
ISO does not are mapped here. A part of the market that names no country is reported, never
guessed ("Atlanta, Georgia" is not the country Georgia): the export asks what was meant.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pycountry
import regex

_ALIASES = {
    "UK": "GB",
    "U.K.": "GB",
    "GREAT BRITAIN": "GB",
    "BRITAIN": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "NORTHERN IRELAND": "GB",
    "USA": "US",
    "U.S.": "US",
    "U.S.A.": "US",
    "AMERICA": "US",
    "UNITED STATES OF AMERICA": "US",
    "ESTADOS UNIDOS": "US",
    "EEUU": "US",
    "EE.UU.": "US",
    "TURKEY": "TR",
    "RUSSIA": "RU",
    "UAE": "AE",
    "U.A.E.": "AE",
    "KOREA": "KR",
    "HOLLAND": "NL",
    "IVORY COAST": "CI",
    "BRASIL": "BR",
    "DEUTSCHLAND": "DE",
    "ESPAÑA": "ES",
    "ESPANA": "ES",
    "MÉXICO": "MX",
    "PERÚ": "PE",
    "BURMA": "MM",
    "SWAZILAND": "SZ",
    "MACAU": "MO",
    "CZECH REPUBLIC": "CZ",
    "CAPE VERDE": "CV",
    "MACEDONIA": "MK",
    "VATICAN": "VA",
    "DR CONGO": "CD",
    "DRC": "CD",
    "PALESTINE": "PS",
}
# Names for the few countries whose ISO and common names hold a comma (a list separator in
# TikTok's Location column) or read oddly.
_NAMES = {
    "BQ": "Caribbean Netherlands",
    "CD": "DR Congo",
    "FM": "Micronesia",
    "PS": "Palestine",
    "SH": "Saint Helena",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "RU": "Russia",
    "TR": "Turkey",
}
# Countries no ad can target: Google Ads cannot show ads there (OFAC sanctions,
# support.google.com/google-ads/answer/6163740: Crimea, Cuba, Iran, North Korea, Syria and the
# so-called DNR and LNR; the last three are no ISO countries); Meta and TikTok are US companies
# under the same sanctions.
SANCTIONED = {"CU": "Cuba", "IR": "Iran", "KP": "North Korea", "SY": "Syria"}
# Where the platforms serve no ads though no sanction names it: Google paused all ads in Russia
# on 2022-03-04 (its statement, reported by The Verge that day), and Meta's apps are blocked
# there; a paused campaign there would never spend.
NOT_SERVED = {"RU": "Russia"}
_SPLIT = regex.compile(r"\s*(?:,|;|/|\+|&|\band\b|\by\b|\be\b)\s*", regex.IGNORECASE)
# Words that qualify a market without naming a place ("US Hispanic", "Spain online").
_QUALIFIERS = regex.compile(
    r"\b(?:hispanics?|latinos?|latinas?|latinx|spanish[- ]speaking|english[- ]speaking|"
    r"online|market|nationwide|only|wide|audience|shoppers|customers)\b",
    regex.IGNORECASE,
)


@functools.cache
def _joined_names() -> dict[str, str]:
    """Country names that hold a word the market is split on ("Bosnia and Herzegovina",
    "Trinidad and Tobago"), upper-cased, to their codes: read whole before any split."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name and _SPLIT.search(name):
                names[str(name).upper()] = str(c.alpha_2)
    return names


def _whole_names(market: str) -> str:
    """``market`` with every country name that holds a separator replaced by its code."""
    joined = _joined_names()
    for name in sorted(joined, key=len, reverse=True):  # the longest name first
        market = regex.sub(rf"(?i)\b{regex.escape(name)}\b", joined[name], market)
    return market


@dataclass(frozen=True)
class Market:
    """What a market names: its countries (ISO codes, in order, each once) and the parts that
    name none."""

    countries: tuple[str, ...]
    unknown: tuple[str, ...]


def read_market(market: str) -> Market:
    """The countries ``market`` names, and what in it names no country."""
    found: dict[str, None] = {}
    unknown: list[str] = []
    for part in _SPLIT.split(_whole_names(market or "")):
        name = regex.sub(r"\s+", " ", _QUALIFIERS.sub(" ", part)).strip(" .-")
        name = regex.sub(r"(?i)^the\s+", "", name)  # "the Netherlands", "The Gambia"
        if not name:
            continue
        code = _code(name)
        if code is None:
            unknown.append(part.strip())
        else:
            found[code] = None
    return Market(tuple(found), tuple(unknown))


def country_codes(market: str) -> tuple[str, ...]:
    """The ISO codes ``market`` names (its unknown parts left out)."""
    return read_market(market).countries


def country_name(code: str) -> str:
    """The country's everyday English name ("South Korea", "Vietnam"), with no comma."""
    if code in _NAMES:
        return _NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def _code(name: str) -> str | None:
    upper = name.upper()
    if upper in _ALIASES:
        return _ALIASES[upper]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return None
