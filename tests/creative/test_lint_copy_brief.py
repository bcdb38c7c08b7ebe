"""``adloop lint-copy FILE --brief BRIEF``: a marketer's own copy checked against the brief's
facts, with lint-copy's exit codes (0 clean, 1 findings, 2 unreadable input or brief)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.cli import main
from tests.conftest import EXAMPLES

GLOWDROP = EXAMPLES / "glowdrop-serum.yaml"


def _copy(tmp_path: Path, *texts: tuple[str, str]) -> Path:
    path = tmp_path / "copy.jsonl"
    lines = [
        json.dumps({"id": i, "text": text, "platform": "meta", "language": language})
        for i, (language, text) in enumerate(texts, start=1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict], str]:
    code = main(["lint-copy", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_copy_that_keeps_to_the_brief_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(
        tmp_path,
        ("en", "4.8 stars from 2,300 reviews. Get 20% off your first order."),
        ("es", "4,8 estrellas en 2.300 reseñas: una piel luminosa en un minuto al día."),
    )
    code, verdicts, _ = _run(capsys, str(copy), "--brief", str(GLOWDROP))
    assert code == 0
    assert [v["ok"] for v in verdicts] == [True, True]


def test_an_invented_claim_is_a_finding_a_marketer_can_act_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(tmp_path, ("en", "Bright even skin in 7 days. Now 50% off."))
    code, [verdict], _ = _run(capsys, str(copy), "--brief", str(GLOWDROP))
    assert code == 1
    assert [(f["rule"], f["span"]) for f in verdict["findings"]] == [
        ("unsupported_claim", "in 7 days"),
        ("unsupported_claim", "50% off"),
    ]
    reason = verdict["findings"][1]["reason"]
    assert "'50% off'" in reason and "offer" in reason
    # Without --brief the same line is only policy-checked: nothing to trace it to.
    code, [plain], _ = _run(capsys, str(copy))
    assert (code, plain["ok"]) == (0, True)


@pytest.mark.parametrize(
    ("brief_text", "suffix", "said"),
    [
        (None, ".yaml", "does not exist"),
        ("product: [unclosed", ".yaml", "is not valid YAML"),
        ('{"product": "GlowDrop"}', ".json", "brief.offer: is required"),
        ("- a list", ".yaml", "must hold a mapping"),
    ],
)
def test_an_unreadable_or_invalid_brief_is_exit_2_and_nothing_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    brief_text: str | None,
    suffix: str,
    said: str,
) -> None:
    brief = tmp_path / f"brief{suffix}"
    if brief_text is not None:
        brief.write_text(brief_text, encoding="utf-8")
    copy = _copy(tmp_path, ("en", "Now 50% off."))
    code, verdicts, err = _run(capsys, str(copy), "--brief", str(brief))
    assert code == 2
    assert verdicts == []
    assert said in err


def test_a_brief_whose_images_are_missing_files_still_grounds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only the brief's words are read: its product image files need not be beside it.
    brief = tmp_path / "glowdrop.yaml"
    brief.write_text(GLOWDROP.read_text(encoding="utf-8"), encoding="utf-8")
    copy = _copy(tmp_path, ("en", "Loved by 10k customers"))
    code, [verdict], _ = _run(capsys, str(copy), "--brief", str(brief))
    assert code == 1
    assert [f["span"] for f in verdict["findings"]] == ["10k customers"]


def test_the_briefs_avoid_list_applies_paraphrases_included(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GlowDrop's avoid list is miracle, anti-aging, flawless: a marketer linting against the
    brief hears about them as written and in paraphrase, and only with the brief."""
    copy = _copy(
        tmp_path,
        ("en", "Our anti-aging serum, 20% off your first order."),
        ("en", "An age-defying glow in one minute a day."),
        ("es", "Un milagro en un frasco: 20% de descuento en tu primer pedido."),
        ("en", "We won't promise miracles: 4.8 stars from 2,300 reviews."),
    )
    code, verdicts, _ = _run(capsys, str(copy), "--brief", str(GLOWDROP))
    assert code == 1
    avoided = [[f["span"] for f in v["findings"] if f["rule"] == "brand_avoid"] for v in verdicts]
    assert avoided == [["anti-aging"], ["age-defying"], ["milagro"], []]
    code, plain, _ = _run(capsys, str(copy))
    assert [f for v in plain for f in v["findings"] if f["rule"] == "brand_avoid"] == []


def test_the_briefs_category_stands_for_a_line_that_names_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "vape.yaml"
    brief.write_text(
        "product: Cloud pods\nbrand_name: Cloud\ncategory: vape\noffer: 10% off\n"
        "persona: adults\nmarket: US\nproof: ['10% off']\n",
        encoding="utf-8",
    )
    copy = _copy(tmp_path, ("en", "Pick your flavour: mango, mint or berry. 10% off."))
    code, [verdict], _ = _run(capsys, str(copy), "--brief", str(brief))
    assert code == 1
    assert "restricted_category" in {f["rule"] for f in verdict["findings"]}
    code, [plain], _ = _run(capsys, str(copy))
    assert "restricted_category" not in {f["rule"] for f in plain["findings"]}


def test_an_empty_text_is_an_input_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(tmp_path, ("en", ""), ("en", "20% off your first order."))
    code, verdicts, _ = _run(capsys, str(copy))
    assert code == 1
    [finding] = verdicts[0]["findings"]
    assert finding["rule"] == "input" and "text" in finding["reason"]
    assert verdicts[1]["ok"] is True  # the line after it is linted as usual


@pytest.mark.parametrize("category", ["vapeo", "replica watches", "kratom", "nicotine pouches"])
def test_a_category_that_names_a_prohibited_product_among_its_words(category: str) -> None:
    from shared.creative import policy

    found = policy.check("Pick your flavour: mango, mint or berry.", "en", category=category)
    assert [f.rule for f in found] == ["restricted_category"]


@pytest.mark.parametrize(
    "category", ["adult coloring books", "home surveillance cameras", "coffee"]
)
def test_a_category_that_only_shares_a_word_with_one_is_not_prohibited(category: str) -> None:
    from shared.creative import policy

    assert policy.check("Pick your flavour: mango, mint or berry.", "en", category=category) == []
