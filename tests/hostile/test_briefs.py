"""Hostile briefs through ``infra.briefs.load_brief`` and ``adloop campaign new``: each is
refused with BadInput (exit 2, one ``adloop:`` message, no stack trace) or, when merely odd, read
as a valid Brief; a refused brief starts no campaign."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from infra.briefs import load_brief
from infra.cli import main
from shared.errors import BadInput
from shared.models import Brief
from tests.conftest import ADLOOP, EXAMPLES, REPO
from tests.hostile.brief_corpus import EITHER, REFUSE
from tests.hostile.conftest import state_counts


def _write(tmp_path: Path, name: str, suffix: str, content: bytes) -> Path:
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(content)
    return path


def _params(table: list[tuple[str, str, bytes]]) -> list[object]:
    return [
        pytest.param(
            suffix,
            content,
            id=name,
        )
        for name, suffix, content in table
    ]


@pytest.mark.parametrize(("suffix", "content"), _params(REFUSE))
def test_bad_briefs_are_refused_with_a_message(tmp_path: Path, suffix: str, content: bytes) -> None:
    path = _write(tmp_path, "brief", suffix, content)
    with pytest.raises(BadInput) as err:
        load_brief(path)
    message = str(err.value)
    assert str(path) in message or "brief." in message, message[:300]
    assert len(message) < 20_000, "the message names the problem; it does not echo the file"


@pytest.mark.parametrize(("suffix", "content"), _params(EITHER))
def test_odd_but_legal_briefs_are_read_or_refused_cleanly(
    tmp_path: Path, suffix: str, content: bytes
) -> None:
    path = _write(tmp_path, "brief", suffix, content)
    try:
        brief = load_brief(path).brief
    except BadInput as e:
        assert str(e)
    else:
        assert isinstance(brief, Brief) and len(brief.product) <= 300


def test_the_variations_flag_is_checked_like_the_file(tmp_path: Path) -> None:
    good = _write(tmp_path, "ok", ".json", REFUSE[0][2] or b"{}")
    from tests.hostile.brief_corpus import BASE

    good.write_text(__import__("json").dumps(BASE))
    for bad in (-1, 51, 10**9):
        with pytest.raises(BadInput, match="variations"):
            load_brief(good, variations=bad)


def test_a_folder_or_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        load_brief(tmp_path / "nope.yaml")


def test_a_folder_given_as_the_brief_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput):
        load_brief(tmp_path)


CLI_CASES = REFUSE


@pytest.mark.parametrize(
    ("suffix", "content"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES]
)
def test_campaign_new_refuses_bad_briefs_with_exit_2_and_starts_nothing(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, content: bytes
) -> None:
    path = _write(tmp_path, "brief", suffix, content)
    before = state_counts(home)
    assert main(["campaign", "new", "--brief", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("adloop: ") and "Traceback" not in err
    assert out == ""
    assert state_counts(home) == before


SUBPROCESS_CASES = ["json-truncated", "yaml-python-tag", "json-deep"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_the_real_cli_exits_2_without_a_traceback(home: Path, tmp_path: Path, name: str) -> None:
    _, suffix, content = next(c for c in REFUSE if c[0] == name)
    path = _write(tmp_path, name, suffix, content)
    done = subprocess.run(
        [ADLOOP, "campaign", "new", "--brief", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ},
        timeout=60,
    )
    assert done.returncode == 2, done.stderr[-500:]
    assert "Traceback" not in done.stderr and done.stderr.startswith("adloop: ")
    assert state_counts(home) == {k: 0 for k in state_counts(home)}
    assert not Path("/tmp/pwned").exists()


def test_campaign_show_refuses_a_path_like_id(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["campaign", "show", "a/b", "--json"]) == 2
    assert "no campaign" in capsys.readouterr().err


YAML_TEXT = "product: GlowDrop serum\noffer: 20% off\npersona: busy moms\nmarket: US\n"


@pytest.mark.parametrize(
    ("line", "field", "text"),
    [
        ("market: NO", "market", "NO"),  # YAML 1.1: false (Norway)
        ("market: no", "market", "no"),
        ("offer: 1:30", "offer", "1:30"),  # YAML 1.1: 5400, base 60
        ("product: 0777", "product", "0777"),  # YAML 1.1: 511, octal
        ("product: 0x1F", "product", "0x1F"),
        ("persona: yes", "persona", "yes"),
        ("market: on", "market", "on"),
        ("market: off", "market", "off"),
        ("product: true", "product", "true"),
        ("offer: 2026-03-01", "offer", "2026-03-01"),  # YAML 1.1: a date
        ("product: 1e3", "product", "1e3"),
        ("product: .inf", "product", ".inf"),
        ("product: 12", "product", "12"),
        ("brand_name: 007", "brand_name", "007"),
    ],
)
def test_yaml_scalars_written_as_text_stay_text(
    tmp_path: Path, line: str, field: str, text: str
) -> None:
    lines = [x for x in YAML_TEXT.splitlines() if not x.startswith(field + ":")]
    path = _write(tmp_path, "brief", ".yaml", "\n".join([*lines, line]).encode())
    assert getattr(load_brief(path).brief, field) == text


def test_yaml_numbers_and_nulls_the_brief_expects_still_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "brief",
        ".yaml",
        (YAML_TEXT + "variations: 12\nbrand_name:\ncategory: ~\n").encode(),
    )
    brief = load_brief(path).brief
    assert (brief.variations, brief.brand_name, brief.category) == (12, None, None)


@pytest.mark.parametrize(
    ("suffix", "content", "key"),
    [
        (".yaml", YAML_TEXT + "product: Other\n", "'product'"),
        (".yaml", YAML_TEXT + "localized:\n  es:\n    offer: a\n    offer: b\n", "'offer'"),
        (
            ".json",
            '{"product": "A1", "offer": "20%", "persona": "x1", "market": "US", "market": "MX"}',
            "'market'",
        ),
    ],
    ids=["yaml", "yaml-nested", "json"],
)
def test_a_key_given_twice_is_refused_by_name(
    tmp_path: Path, suffix: str, content: str, key: str
) -> None:
    path = _write(tmp_path, "brief", suffix, content.encode())
    with pytest.raises(BadInput, match=key):
        load_brief(path)


def test_fields_adloop_sets_are_refused_naming_them(tmp_path: Path) -> None:
    # A 10 MB "notices" entry was accepted and sent to the model.
    from tests.hostile.brief_corpus import BASE

    path = tmp_path / "brief.json"
    path.write_text(__import__("json").dumps({**BASE, "notices": ["x" * 10_000_000]}))
    with pytest.raises(BadInput) as err:
        load_brief(path)
    assert "brief.notices: is set by adloop" in str(err.value)
    assert len(str(err.value)) < 1_000


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"product": "x" * 301}, "brief.product: string should have at most 300 characters"),
        ({"persona": "x" * 2001}, "brief.persona: string should have at most 2000 characters"),
        ({"pains": ["p"] * 21}, "brief.pains: list should have at most 20 items"),
        ({"avoid": ["a"] * 51}, "brief.avoid: list should have at most 50 items"),
        ({"languages": ["en", "es", "en"]}, "brief.languages: list should have at most 2 items"),
        ({"transcript": "t" * 200_001}, "brief.transcript: 200,001 characters; at most 200,000"),
    ],
)
def test_every_limit_names_the_field_and_the_limit(
    tmp_path: Path, changes: dict[str, object], says: str
) -> None:
    from tests.hostile.brief_corpus import BASE

    path = tmp_path / "brief.json"
    path.write_text(__import__("json").dumps({**BASE, **changes}))
    with pytest.raises(BadInput, match=re.escape(says)):
        load_brief(path)


def test_pasted_text_under_the_ceiling_is_cut_with_a_notice(tmp_path: Path) -> None:
    from tests.hostile.brief_corpus import BASE

    path = tmp_path / "brief.json"
    path.write_text(__import__("json").dumps({**BASE, "website_text": "w" * 150_000}))
    brief = load_brief(path).brief
    assert len(brief.website_text or "") == 20_000
    assert brief.notices == ["website_text was cut to its first 20,000 characters"]


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.*") if p.is_file()))
def test_the_example_briefs_still_load(example: str) -> None:
    brief = load_brief(EXAMPLES / example).brief
    assert brief.product and brief.offer and brief.persona and brief.market
