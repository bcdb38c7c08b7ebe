"""espeak-ng is given only voice names it lists itself (issue 13, finding 8): a path or a long
variant crashed the render process inside the C library."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gpu_jobs.espeak_voices import NAME, KnownVoices, VoiceEntry
from gpu_jobs.voice import EspeakVoice
from infra.cli import main
from shared.errors import BadInput
from tests.render.conftest import base_spec

HOSTILE = [
    "../../etc/passwd",
    "en-us+" + "a" * 300,
    "en-us+../../../etc/passwd",
    "/etc/passwd",
    "en-us+" + "%s%n" * 20,
    "x" * 5000,
]


def _cli_files(option: str) -> set[str]:
    """The File column of ``espeak-ng --voices[=variant]`` as the command prints it (a file
    name may hold a space: ``!v/Mr serious``)."""
    out = subprocess.run(["espeak-ng", option], capture_output=True, text=True, check=True).stdout
    row = re.compile(r"^\s*\d+\s+\S+\s+\S+\s+\S+\s+(.+?)(?:\s{2,}|\s+\(|\s*$)")
    return {m.group(1) for line in out.splitlines()[1:] if (m := row.match(line))}


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="the espeak-ng command is absent")
def test_the_voices_are_the_ones_espeak_ng_lists() -> None:
    known = EspeakVoice().known_voices()
    listed = {f.rsplit("/", 1)[-1].lower() for f in _cli_files("--voices")}
    assert set(known.voices.values()) and {f.lower() for f in known.voices.values()} <= listed
    variants = {f.removeprefix("!v/") for f in _cli_files("--voices=variant")}
    assert known.variants == {v for v in variants if NAME.fullmatch(v)}
    assert "Mr serious" in variants and "f3" in known.variants  # a name with a space is left out


def test_languages_map_to_the_voice_espeak_would_choose_and_every_name_loads(
    tmp_path: Path,
) -> None:
    voice = EspeakVoice()
    known = voice.known_voices()
    assert known.check("fr-fr") == "fr" and known.check("EN-US") == "en-US"
    assert known.check("en-us+f3") == "en-US+f3" and known.check("pt-br") == "pt-BR"
    for name in ("fr-fr", "pt-br", "en-us+f3"):  # the pipeline's languages, and a variant
        speech = voice.synthesize("hello there", name, 170, tmp_path / "v.wav")
        assert speech.duration_s > 0.3 and [w.text for w in speech.words] == ["hello", "there"]


def test_check_is_decided_by_the_list_alone() -> None:
    known = KnownVoices.of(
        [VoiceEntry("English_(America)", ((2, "en-us"), (3, "en")), "gmw/en-US")],
        [VoiceEntry("female3", ((5, "variant"),), "!v/f3")],
    )
    assert known.check("en") == "en-US" and known.check("en-us+f3") == "en-US+f3"
    for bad in ("en-gb", "gmw/en-US", "en-us+F3", "en-us+", "+f3", ""):
        with pytest.raises(BadInput, match="espeak-ng --voices"):
            known.check(bad)


@pytest.mark.parametrize("voice", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_voice_is_refused_and_the_process_lives(voice: str, tmp_path: Path) -> None:
    """Run in a child: before the fix, these killed the interpreter (SIGSEGV, SIGABRT)."""
    code = (
        "import sys; from pathlib import Path; from gpu_jobs.voice import EspeakVoice\n"
        "from shared.errors import BadInput\n"
        "try:\n"
        "    EspeakVoice().synthesize('hello', sys.argv[1], 170, Path(sys.argv[2]))\n"
        "except BadInput as e:\n"
        "    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, voice, str(tmp_path / "v.wav")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.startswith("voice.voice: espeak-ng has no "), done.stdout
    assert "espeak-ng --voices" in done.stdout and len(done.stdout) < 400


@pytest.mark.parametrize(
    ("voice", "words"),
    [
        ("../../etc/passwd", "is not a voice name"),
        ("en-us+" + "a" * 300, "is not a voice name"),
        ("en-us+nosuchvariant", "espeak-ng has no variant 'en-us+nosuchvariant'"),
        ("nosuchvoice", "espeak-ng has no voice 'nosuchvoice'"),
    ],
)
def test_adloop_render_refuses_the_voice_with_how_to_list_voices(
    home: Path, assets: Path, capsys: pytest.CaptureFixture[str], voice: str, words: str
) -> None:
    spec = assets / "spec.json"
    spec.write_text(json.dumps(base_spec(voice={"script": "Hello there.", "voice": voice})))
    assert main(["render", str(spec), "--out", str(assets / "out")]) == 2
    err = capsys.readouterr().err
    assert "voice.voice" in err and words in err and "espeak-ng --voices" in err, err
    assert "Traceback" not in err
