"""Text from Slack, decoded once (issue 16, item 4), and the one-line brief's parser: quotes, web
addresses, and errors that say what to change. Pure, with Hypothesis for what anyone may type.

Slack's formats, from its docs: the three entities and the ``<…>`` tokens ("Detect all sequences
matching <(.*?)>", user ``<@U024BE7LH|bob>``, channel ``<#C024BE7LR|general>``, a detected URL
``<http://www.foo.com|www.foo.com>``, ``<!foo>`` commands "output as-is, without the enclosing
brackets" when not recognised): slackhq/slack-api-docs page_formatting.md at
13edb4fdd2c4fe067e9f0961d5d5191bdb572eb7. User groups and broadcasts as python-slack-sdk writes
them (``<!subteam^S12345>``, ``<!here|here>``): slackapi/python-slack-sdk
tests/slack_sdk/models/test_objects.py at ae87985e2c3811ead978f31ea5a1e4a7ca5c3515.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.brief_text import EXAMPLE, USAGE, fields_from_text, parse_brief
from shared.chat_text import escape, from_slack

SHORT = settings(max_examples=300, deadline=None)


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("Hello &amp; &lt;world&gt;", "Hello & <world>"),  # Slack's own example
        ("AT&amp;amp;T", "AT&amp;T"),  # a typed entity stays typed: one pass, never two
        ("&lt;@U024BE7LH&gt;", "<@U024BE7LH>"),  # typed brackets are text, not a mention
        ("<https://x.example/a?b=1&amp;c=2|label>", "https://x.example/a?b=1&c=2"),
        ("see <https://x.example/p>", "see https://x.example/p"),
        ("<http://www.foo.com|www.foo.com>", "http://www.foo.com"),
        ("mail <mailto:pat@x.example|pat@x.example>", "mail pat@x.example"),
        ("hey <@U024BE7LH|bob> and <@U0REVIEWER>", "hey @bob and @U0REVIEWER"),
        ("in <#C024BE7LR|general> or <#C0ADS>", "in #general or #C0ADS"),
        ("ask <!subteam^S12345|@reviewers> or <!subteam^S9>", "ask @reviewers or @S9"),
        ("<!here> <!channel|channel> <!everyone>", "@here @channel @everyone"),
        ("<!date^1392734382^{date_short}|Feb 18, 2014>", "Feb 18, 2014"),
        ("<!foo>", "foo"),
    ],
)
def test_slack_text_is_read_as_the_person_typed_it(sent: str, typed: str) -> None:
    assert from_slack(sent) == typed


@SHORT
@given(st.text(st.one_of(st.sampled_from("&<>;|@!#^:\"“”'"), st.characters(codec="utf-8"))))
def test_whatever_was_typed_comes_back_from_slacks_escaping(typed: str) -> None:
    clean = typed.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    assert from_slack(escape(typed)) == clean


def test_a_mention_in_slack_text_comes_back_as_text_that_pings_nobody() -> None:
    back = escape(from_slack("cc <!here> <@U1|pat> <!subteam^S1|@team>"))
    assert "<" not in back and back == "cc @here @pat @team"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (  # a quoted value keeps its ; and a web address its ; & and =
            'product: GlowDrop serum; offer: "20% off; free shipping"; persona: busy moms; '
            "market: US; url: https://shop.example/p?a=1;b=2&c=3",
            {
                "product": "GlowDrop serum",
                "offer": "20% off; free shipping",
                "persona": "busy moms",
                "market": "US",
                "landing_url": "https://shop.example/p?a=1;b=2&c=3",
            },
        ),
        (  # curly quotes, as Slack's clients and phones type them; apostrophes stay text
            "product: “Glow | Go serum”; offer: ‘20% off; today’; persona: moms' night",
            {
                "product": "Glow | Go serum",
                "offer": "20% off; today",
                "persona": "moms' night",
            },
        ),
        (  # a ; straight after an address, before the next key, separates
            "url: https://shop.example/p?a=1;offer: 20% off",
            {"landing_url": "https://shop.example/p?a=1", "offer": "20% off"},
        ),
        (  # a separator at an address's end is the separator
            "landing: https://shop.example/p?a=1&b=2; 'Glow; Go'; 20% off",
            {
                "landing_url": "https://shop.example/p?a=1&b=2",
                "product": "Glow; Go",
                "offer": "20% off",
            },
        ),
        (  # list items: quoted ones keep their commas
            'proof: "4.8 stars, 2,000 reviews", dermatologist tested; pains: ‘dry, tight’, dull',
            {
                "proof": ["4.8 stars, 2,000 reviews", "dermatologist tested"],
                "pains": ["dry, tight", "dull"],
            },
        ),
        (  # quotes that do not wrap the whole value are part of it
            '"GlowDrop" serum; 20% off, "today"; moms; US',
            {
                "product": '"GlowDrop" serum',
                "offer": '20% off, "today"',
                "persona": "moms",
                "market": "US",
            },
        ),
        (  # commas split a line with no other separator and no key at its start
            "GlowDrop serum, offer: 20% off, busy moms",
            {"product": "GlowDrop serum", "offer": "20% off", "persona": "busy moms"},
        ),
    ],
)
def test_the_one_line_form_keeps_quoted_values_and_web_addresses_whole(
    line: str, expected: dict[str, object]
) -> None:
    assert fields_from_text(line) == expected


def test_a_quote_never_closed_says_what_to_change() -> None:
    brief, problems = parse_brief('product: Serum; offer: "20% off; persona: moms; market: US')
    assert brief is None
    assert problems == (
        'the quote that opens "20% off; persona: moms; marke… is never closed: '
        "close it, or leave it out"
    )
    brief, problems = parse_brief("product: “Serum; offer: x")
    assert brief is None and "never closed" in problems


def test_the_help_shows_a_quoted_value_and_a_web_address_escaped_for_slack() -> None:
    assert '"20% off; free shipping"' in EXAMPLE and "?ref=ads&color=gold" in EXAMPLE
    assert escape(EXAMPLE) in USAGE and "&color" not in USAGE  # & is Slack markup
    brief, problems = parse_brief(EXAMPLE.removeprefix("/adloop new "))
    assert problems == "" and brief is not None
    assert brief.offer == "20% off; free shipping"
    assert brief.landing_url == "https://glowdrop.example/serum?ref=ads&color=gold"
