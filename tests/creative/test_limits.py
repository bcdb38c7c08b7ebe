"""Platform text limits, counted in user-perceived characters."""

from __future__ import annotations

import pytest

from shared.platforms.registry import check, length


def test_google_headline_over_30_is_an_error_with_the_headline_as_span() -> None:
    headline = "Brighter skin in seven days, guaranteed by science"
    [finding] = check({"headline": headline}, "google")
    assert finding.rule == "google.headline"
    assert finding.severity == "error"
    assert finding.span == headline
    assert f"{len(headline)} characters" in finding.reason and "30" in finding.reason


def test_google_exactly_at_the_limits_passes() -> None:
    fields = {"headline": "h" * 30, "long_headline": "l" * 90, "description": "d" * 90}
    assert check(fields, "google") == []


def test_google_each_field_has_its_own_limit() -> None:
    fields = {"headline": "h" * 31, "long_headline": "l" * 91, "description": "d" * 91}
    rules = {f.rule for f in check(fields, "google")}
    assert rules == {"google.headline", "google.long_headline", "google.description"}


def test_google_counts_double_width_characters_twice() -> None:
    assert length("日本語のヘッドライン", "google") == 20
    [finding] = check({"headline": "日本語のヘッドラインです。とても良い"}, "google")
    assert finding.rule == "google.headline"


def test_meta_long_primary_text_is_a_warning_not_an_error() -> None:
    text = "Dull skin? " + "GlowDrop brightens with 15% vitamin C. " * 4
    [finding] = check({"primary_text": text}, "meta")
    assert finding.severity == "warning"
    assert "125" in finding.reason


def test_meta_headline_warning_at_41_and_error_beyond_255() -> None:
    [warning] = check({"headline": "x" * 41}, "meta")
    assert (warning.rule, warning.severity) == ("meta.headline", "warning")
    [error] = check({"headline": "x" * 256}, "meta")
    assert (error.rule, error.severity) == ("meta.headline", "error")


def test_meta_primary_text_over_2200_is_an_error_reported_once() -> None:
    findings = check({"primary_text": "a" * 2201}, "meta")
    assert [(f.rule, f.severity) for f in findings] == [("meta.primary_text", "error")]


def test_tiktok_ad_text_1_to_100() -> None:
    assert check({"primary_text": "a" * 100}, "tiktok") == []
    [long] = check({"primary_text": "a" * 101}, "tiktok")
    assert (long.rule, long.severity) == ("tiktok.primary_text", "error")
    [empty] = check({"primary_text": ""}, "tiktok")
    assert empty.severity == "error" and "empty" in empty.reason


def test_tiktok_warns_about_emoji() -> None:
    findings = check({"primary_text": "Glow up ✨ today"}, "tiktok")
    assert [(f.rule, f.span, f.severity) for f in findings] == [("tiktok.emoji", "✨", "warning")]


def test_combining_accents_flags_and_family_emoji_count_once() -> None:
    decomposed = "Cafe\u0301"  # "Café" with a combining accent: 5 code points, 4 characters
    assert length(decomposed) == 4
    assert length("🇪🇸") == 1
    assert length("👨‍👩‍👧") == 1
    assert length("¡Envío gratis!") == 14


def test_decomposed_accents_at_the_limit_are_not_over_it() -> None:
    headline = "Ra\u0301pido y fa\u0301cil: envi\u0301o en 24 h!"  # 30 characters, 33 code points
    assert len(headline) == 33
    assert check({"headline": headline}, "google") == []
    assert check({"headline": headline + "."}, "google") != []


def test_cta_is_not_length_checked() -> None:
    assert check({"cta": "x" * 300}, "meta") == []


def test_unknown_platform() -> None:
    with pytest.raises(ValueError, match="unknown platform"):
        check({"headline": "x"}, "myspace")
