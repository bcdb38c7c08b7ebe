"""Hostile briefs through ``infra.briefs.load_brief`` and ``adloop campaign new``: each is
refused with BadInput (exit 2, one ``adloop:`` message, no stack trace) or, when merely odd, read
as a valid Brief; a refused brief starts no campaign."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from infra.briefs import load_brief
from infra.cli import main
from shared.errors import BadInput
from shared.models import Brief
from tests.conftest import ADLOOP, REPO
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
