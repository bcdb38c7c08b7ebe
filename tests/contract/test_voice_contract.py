"""The render job's voice port (``gpu_jobs.voice.Voice``), run against every adapter.

What the renderer relies on: a WAV at ``out`` whose length is ``duration_s``, and one timing per
written word of the script, in order, inside the audio (captions highlight them). Providers over
HTTP also promise the port's errors: 429 and 5xx retried, waiting as ``Retry-After`` asks (a wait
too long for the job is handed on as TransientError); refusals (bad key, a script over the
provider's size limit) permanent, not retried, and never showing the key.

espeak-ng runs locally; ElevenLabs and Google TTS run against their wire-format fakes, which
really speak (espeak-ng behind the provider's JSON).
"""

from __future__ import annotations

import re
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from google.oauth2.credentials import Credentials

from gpu_jobs.voice import EspeakVoice, Voice
from gpu_jobs.voice_elevenlabs import ElevenLabsVoice
from gpu_jobs.voice_google import GoogleTtsVoice
from shared.errors import BadInput, PermanentError, TransientError, Unauthorized
from tests.fakes.elevenlabs_api import FakeElevenLabsAPI
from tests.fakes.google_tts_api import FakeGoogleTtsAPI
from tests.fakes.http_server import FakeResponse, HttpError, ScriptedAPI

SCRIPT = "Books done in ten minutes a week, for 3 months free."
ELEVEN_KEY = "xi-contract-KEY-never-shown"
GOOGLE_TOKEN = "ya29.contract-tts-token"


class FakeTime:
    """Records the job's sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


# --- the adapters, built through their constructors (re-point here) --------------------------

Rig = tuple[Voice, ScriptedAPI | None, FakeTime]


@contextmanager
def _espeak(*_script: Any) -> Iterator[Rig]:
    yield EspeakVoice(), None, FakeTime()


@contextmanager
def _elevenlabs(*script: Any, key: str = ELEVEN_KEY) -> Iterator[Rig]:
    time = FakeTime()
    with FakeElevenLabsAPI(*script, api_key=ELEVEN_KEY) as fake:
        yield ElevenLabsVoice(key, base_url=fake.url, sleep=time.sleep), fake, time


@contextmanager
def _google(*script: Any, key: str = GOOGLE_TOKEN) -> Iterator[Rig]:
    time = FakeTime()
    with FakeGoogleTtsAPI(*script, token=GOOGLE_TOKEN) as fake:
        voice = GoogleTtsVoice(
            project="adloop-contract",
            credentials=Credentials(token=key),  # type: ignore[no-untyped-call]
            base_url=fake.url,
            sleep=time.sleep,
        )
        yield voice, fake, time


ADAPTERS: dict[str, Callable[..., Any]] = {
    "espeak": _espeak,
    "elevenlabs": _elevenlabs,
    "google": _google,
}
REMOTE = ("elevenlabs", "google")


def test_every_voice_the_render_job_can_build_runs_this_contract() -> None:
    """A voice added to gpu_jobs/bootstrap.py's VOICES is done when it passes this suite."""
    from gpu_jobs.bootstrap import VOICES

    assert set(ADAPTERS) == set(VOICES)
    assert set(REMOTE) == set(VOICES) - {"espeak"}  # every provider over HTTP gets those tests


# The secret each remote adapter sends, as the settings would give it.
SECRETS = {"elevenlabs": ELEVEN_KEY, "google": GOOGLE_TOKEN}
# A script over each provider's documented size limit (see the fakes for the source).
OVERSIZE = {"elevenlabs": "word " * 2_100, "google": "word " * 400}


@pytest.fixture(params=sorted(ADAPTERS))
def rig(request: pytest.FixtureRequest) -> Callable[..., Any]:
    return ADAPTERS[request.param]


@pytest.fixture(params=REMOTE)
def remote(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


# --- every adapter ---------------------------------------------------------------------------


def test_speech_is_a_wav_with_one_timing_per_written_word(
    rig: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "voice.wav"
    with rig() as (voice, _fake, _time):
        speech = voice.synthesize(SCRIPT, "en-us", 170, out)

    assert speech.wav == out and out.exists()
    assert speech.duration_s == pytest.approx(_wav_seconds(out), abs=0.05)
    assert 1.0 < speech.duration_s < 10.0
    written = [w for w in SCRIPT.split() if re.search(r"\w", w)]
    assert [w.text for w in speech.words] == written
    starts = [w.start_s for w in speech.words]
    assert starts == sorted(starts)
    for word in speech.words:
        assert 0.0 <= word.start_s < word.end_s <= speech.duration_s + 0.01, word


# --- providers over HTTP ---------------------------------------------------------------------


def test_a_429_is_retried_after_retry_after(remote: str, tmp_path: Path) -> None:
    busy = HttpError(429, "too many requests", headers={"retry-after": "3"})
    with ADAPTERS[remote](busy) as (voice, fake, time):
        speech = voice.synthesize(SCRIPT, "en-us", 170, tmp_path / "v.wav")

    assert len(fake.requests) == 2
    assert time.sleeps == [3.0]
    assert speech.words


def test_a_wait_longer_than_the_job_allows_goes_to_the_queue(remote: str, tmp_path: Path) -> None:
    busy = HttpError(429, "quota", headers={"retry-after": "600"})
    with (
        ADAPTERS[remote](busy) as (voice, fake, time),
        pytest.raises(TransientError) as raised,
    ):
        voice.synthesize(SCRIPT, "en-us", 170, tmp_path / "v.wav")

    assert raised.value.retry_after == 600
    assert len(fake.requests) == 1 and time.sleeps == []


def test_server_errors_past_the_retry_budget_are_transient(remote: str, tmp_path: Path) -> None:
    failing = [HttpError(503, "backend unavailable")] * 4
    with (
        ADAPTERS[remote](*failing) as (voice, fake, time),
        pytest.raises(TransientError, match="503"),
    ):
        voice.synthesize(SCRIPT, "en-us", 170, tmp_path / "v.wav")

    assert len(fake.requests) == 4  # the adapters' default budget: four attempts
    assert len(time.sleeps) == 3
    assert not (tmp_path / "v.wav").exists()


def test_a_reply_that_is_not_json_is_transient(remote: str, tmp_path: Path) -> None:
    page = FakeResponse(200, "<html>gateway</html>", {"Content-Type": "text/html"})
    with ADAPTERS[remote](page) as (voice, _fake, _time), pytest.raises(TransientError):
        voice.synthesize(SCRIPT, "en-us", 170, tmp_path / "v.wav")


def test_a_refused_credential_is_permanent_and_not_shown(remote: str, tmp_path: Path) -> None:
    wrong = SECRETS[remote] + "-revoked"
    with (
        ADAPTERS[remote](key=wrong) as (voice, fake, _time),
        pytest.raises(Unauthorized) as raised,
    ):
        voice.synthesize(SCRIPT, "en-us", 170, tmp_path / "v.wav")

    assert len(fake.requests) == 1
    assert wrong not in str(raised.value)


def test_a_script_over_the_providers_limit_is_refused_as_bad_input(
    remote: str, tmp_path: Path
) -> None:
    with (
        ADAPTERS[remote]() as (voice, fake, _time),
        pytest.raises(BadInput, match="HTTP 400") as raised,
    ):
        voice.synthesize(OVERSIZE[remote], "en-us", 170, tmp_path / "v.wav")

    assert isinstance(raised.value, PermanentError)
    assert len(fake.requests) == 1


def test_espeak_refuses_a_voice_it_does_not_have(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no voice 'xx-nowhere'"):
        EspeakVoice().synthesize(SCRIPT, "xx-nowhere", 170, tmp_path / "v.wav")
