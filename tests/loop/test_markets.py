"""The brief's market, read as the countries an export targets: never a guess."""

from __future__ import annotations

import pycountry
import pytest

from shared.errors import BadInput
from shared.loop.export import export_countries
from shared.platforms.markets import country_name, read_market


@pytest.mark.parametrize(
    ("market", "countries", "unknown"),
    [
        ("US", ("US",), ()),
        ("us", ("US",), ()),
        ("US Hispanic", ("US",), ()),
        ("Mexico and Colombia", ("MX", "CO"), ()),
        ("Mexico y España", ("MX", "ES"), ()),
        ("UK, Ireland", ("GB", "IE"), ()),
        ("US, UK & Russia", ("US", "GB", "RU"), ()),
        ("US and Turkey", ("US", "TR"), ()),
        ("South Korea, Bolivia and Côte d'Ivoire", ("KR", "BO", "CI"), ()),
        ("UAE / Vietnam", ("AE", "VN"), ()),
        ("LatAm", (), ("LatAm",)),
        ("Atlanta, Georgia", ("GE",), ("Atlanta",)),  # a city and a state, not a country list
        ("Jersey City", (), ("Jersey City",)),
        ("Netherlands Antilles", (), ("Netherlands Antilles",)),
        ("Bosnia and Herzegovina", ("BA",), ()),
        ("Trinidad and Tobago, Antigua and Barbuda", ("TT", "AG"), ()),
        ("US and Saint Vincent and the Grenadines", ("US", "VC"), ()),
        ("the Netherlands and The Gambia", ("NL", "GM"), ()),
    ],
)
def test_a_market_names_its_countries_and_what_names_none(
    market: str, countries: tuple[str, ...], unknown: tuple[str, ...]
) -> None:
    read = read_market(market)
    assert (read.countries, read.unknown) == (countries, unknown)


def test_a_market_that_is_not_a_list_of_countries_takes_the_setting_or_says_what_to_do() -> None:
    assert export_countries("Mexico and Colombia", ["US"]) == ("MX", "CO")
    assert export_countries("LatAm", ["MX", "CO"]) == ("MX", "CO")  # names none: the setting
    with pytest.raises(BadInput) as caught:
        export_countries("LatAm", [])
    assert "ADLOOP_EXPORT_COUNTRIES" in str(caught.value)
    # Names some and something else: refused, never narrowed to Mexico nor replaced by the US.
    for market in ("Atlanta, Georgia", "Mexico and Atlanta, Georgia"):
        with pytest.raises(BadInput) as caught:
            export_countries(market, ["US"])
        assert "'Atlanta', which is no country adloop knows" in str(caught.value)


def test_a_country_no_ad_can_target_is_refused_by_name() -> None:
    with pytest.raises(BadInput, match="cannot run in Cuba"):
        export_countries("US and Cuba", [])
    with pytest.raises(BadInput, match="cannot run in Russia"):
        export_countries("Russia", [])


def test_every_countrys_name_is_free_of_the_comma_that_separates_them() -> None:
    assert [country_name(c) for c in ("KR", "BO", "CI", "VN", "CD")] == [
        "South Korea",
        "Bolivia",
        "Côte d'Ivoire",
        "Vietnam",
        "DR Congo",
    ]
    assert all("," not in country_name(c.alpha_2) for c in pycountry.countries)
