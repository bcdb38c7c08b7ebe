"""lint-copy: one verdict per JSON line, never an exception, exit codes a shell can use."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from shared.creative.lint import lint_lines, main


def _line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_clean_copy_is_ok_in_both_languages() -> None:
    lines = [
        _line(id="a1", text="Glow in 7 days. Try GlowDrop today.", platform="meta", language="en"),
        _line(
            id="a2", text="Brilla en 7 días. Prueba GlowDrop hoy.", platform="tiktok", language="es"
        ),
    ]
    assert list(lint_lines(lines)) == [
        {"id": "a1", "ok": True, "findings": []},
        {"id": "a2", "ok": True, "findings": []},
    ]


def test_policy_findings_carry_rule_span_and_reason() -> None:
    text = "¿Tienes sobrepeso? Resultados garantizados!!"
    [verdict] = lint_lines([_line(id=7, text=text, platform="meta", language="es")])
    assert verdict["id"] == 7 and verdict["ok"] is False
    assert [(f["rule"], f["span"]) for f in verdict["findings"]] == [
        ("personal_attributes", "¿Tienes sobrepeso"),
        ("guaranteed_results", "Resultados garantizados"),
        ("excessive_punctuation", "!!"),
    ]
    assert all(set(f) == {"rule", "span", "reason"} for f in verdict["findings"])


def test_platform_limit_errors_but_not_warnings() -> None:
    long_text = "Glow in 7 days with GlowDrop vitamin C serum, made for busy mornings and " * 2
    [tiktok] = lint_lines([_line(id="t", text=long_text, platform="tiktok", language="en")])
    assert [f["rule"] for f in tiktok["findings"]] == ["tiktok.primary_text"]
    [meta] = lint_lines([_line(id="m", text=long_text, platform="meta", language="en")])
    assert meta["ok"] is True  # over Meta's recommended 125, under its 2,200 maximum
    [google] = lint_lines([_line(id="g", text=long_text, platform="google", language="en")])
    assert [f["rule"] for f in google["findings"]] == ["google.description"]


def test_declared_language_is_checked_by_the_detector() -> None:
    text = "Get 20% off your first order today"
    [verdict] = lint_lines([_line(id="x", text=text, platform="meta", language="es")])
    assert [(f["rule"], f["span"]) for f in verdict["findings"]] == [("language", text)]
    assert "reads as 'en'" in verdict["findings"][0]["reason"]


def test_too_short_to_judge_the_language() -> None:
    [verdict] = lint_lines([_line(id="x", text="GlowDrop", platform="meta", language="es")])
    assert verdict["ok"] is True


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("not json", "line 1: not JSON"),
        ("[1, 2]", "expected a JSON object"),
        (_line(id="a", text="x", platform="fb", language="en"), "platform"),
        (_line(id="a", text="x", platform="meta"), "language: Field required"),
        (_line(text="x", platform="meta", language="en"), "id: Field required"),
    ],
)
def test_bad_lines_yield_an_input_finding_not_an_exception(raw: str, says: str) -> None:
    [verdict] = lint_lines([raw])
    assert verdict["ok"] is False
    [finding] = verdict["findings"]
    assert finding["rule"] == "input"
    assert says in finding["reason"]
    assert finding["span"] in raw


def test_blank_lines_are_skipped_and_line_numbers_kept() -> None:
    verdicts = list(
        lint_lines(
            ["", _line(id="a", text="Shop now", platform="meta", language="en"), "  ", "{oops"]
        )
    )
    assert [v["id"] for v in verdicts] == ["a", None]
    assert verdicts[1]["findings"][0]["reason"].startswith("line 4:")


def test_main_exit_codes_and_output(tmp_path: Path) -> None:
    clean = tmp_path / "clean.jsonl"
    clean.write_text(
        _line(id="a", text="Try GlowDrop today.", platform="meta", language="en") + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(str(clean), out) == 0
    assert json.loads(out.getvalue()) == {"id": "a", "ok": True, "findings": []}

    dirty = tmp_path / "dirty.jsonl"
    dirty.write_text(
        "\n".join(
            [
                _line(id="a", text="Try GlowDrop today.", platform="meta", language="en"),
                _line(id="b", text="Gana $5000 al mes", platform="meta", language="es"),
            ]
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(str(dirty), out) == 1
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["ok"] for line in lines] == [True, False]
    assert "Gana $5000 al mes" in lines[1]  # written as UTF-8 text, not \u escapes


def test_main_unreadable_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert main(str(tmp_path / "missing.jsonl"), out) == 2
    assert out.getvalue() == ""
    assert "cannot read" in capsys.readouterr().err
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(str(binary), io.StringIO()) == 2


def test_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path: Path) -> None:
    path = tmp_path / "u2028.jsonl"
    text = "Glow in 7 days.\u2028Try GlowDrop today."
    path.write_text(_line(id="a", text=text, platform="meta", language="en"), encoding="utf-8")
    out = io.StringIO()
    assert main(str(path), out) == 0
    assert out.getvalue().count("\n") == 1
    assert json.loads(out.getvalue()) == {"id": "a", "ok": True, "findings": []}
