"""Production voices against local fakes of their wire formats, and the forced-alignment fallback.

The fakes really speak (espeak-ng) and answer in ElevenLabs' and Google's JSON; the adapters
use real httpx clients and real ffmpeg to decode what comes back.
"""

from __future__ import annotations

import json
import statistics
import unicodedata
import wave
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials

from gpu_jobs.align import align, place_words, stretches_from_log, syllables, timings_match
from gpu_jobs.bootstrap import bootstrap, build_voice
from gpu_jobs.encoder import Encoder
from gpu_jobs.render import render
from gpu_jobs.settings import RenderSettings
from gpu_jobs.voice import EspeakVoice, WordTiming
from gpu_jobs.voice_elevenlabs import ElevenLabsVoice, words_from_alignment
from gpu_jobs.voice_google import GoogleTtsVoice, build_ssml, language_code, words_from_timepoints
from shared.errors import PermanentError, TransientError, Unauthorized
from shared.models.render import parse_spec
from tests.fakes.elevenlabs_api import FakeElevenLabsAPI, Spoken, character_alignment
from tests.fakes.google_tts_api import FakeGoogleTtsAPI, Synthesized
from tests.fakes.http_server import HttpError
from tests.render.conftest import base_spec

KEY = "xi-test-key"


def _chars(
    text: str, times: list[tuple[float, float]]
) -> tuple[list[str], list[float], list[float]]:
    assert len(text) == len(times)
    return list(text), [t[0] for t in times], [t[1] for t in times]


def _even(text: str, step: float = 0.1) -> tuple[list[str], list[float], list[float]]:
    """Each character ``step`` seconds long, one after another."""
    return _chars(text, [(round(i * step, 4), round((i + 1) * step, 4)) for i in range(len(text))])


# --- ElevenLabs: character alignment -> words ---


def test_spanish_words_take_their_times_from_their_letters() -> None:
    text = "¡Hola, señor Núñez!"
    chars, starts, ends = _even(text)
    words = words_from_alignment(text, chars, starts, ends, duration_s=2.0)
    assert [w.text for w in words] == ["¡Hola,", "señor", "Núñez!"]
    # "¡" (0.0-0.1) and "," do not stretch "Hola": its letters run 0.1-0.5
    assert [(w.start_s, w.end_s) for w in words] == [(0.1, 0.5), (0.7, 1.2), (1.3, 1.8)]


def test_decomposed_accents_still_spell_the_script() -> None:
    script = "Café frío"
    sent = unicodedata.normalize("NFD", script)  # 'e' + U+0301: one more character each
    chars, starts, ends = _even(sent)
    words = words_from_alignment(script, chars, starts, ends, duration_s=2.0)
    assert [w.text for w in words] == ["Café", "frío"]  # the script's own spelling
    assert words[1].start_s == pytest.approx(0.6)


def test_an_alignment_of_other_words_is_refused() -> None:
    chars, starts, ends = _even("Hello there")
    assert words_from_alignment("Hola amigo", chars, starts, ends, 2.0) == []


# --- ElevenLabs against its fake ---


def test_elevenlabs_sends_the_documented_request_and_returns_aligned_words(tmp_path: Path) -> None:
    script = "Fresh water, all day long."
    with FakeElevenLabsAPI(api_key=KEY) as fake:
        voice = ElevenLabsVoice(KEY, base_url=fake.url, voice_id="AbCdEfGhIjKlMnOpQrSt")
        speech = voice.synthesize(script, "en-us", 204, tmp_path / "v.wav")
    sent = fake.requests[0]
    assert sent.path == "/v1/text-to-speech/AbCdEfGhIjKlMnOpQrSt/with-timestamps"
    assert sent.headers["xi-api-key"] == KEY
    assert sent.query["output_format"] == ["mp3_44100_128"]
    assert sent.json == {
        "text": script,
        "model_id": "eleven_multilingual_v2",
        "voice_settings": {"speed": 1.2},
    }
    with wave.open(str(speech.wav)) as w:  # decoded from the MP3 to the WAV the mixer reads
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        assert w.getnframes() / w.getframerate() == pytest.approx(speech.duration_s)
    alignment = fake.sent[0]["alignment"]
    expected = words_from_alignment(
        script,
        alignment["characters"],
        alignment["character_start_times_seconds"],
        alignment["character_end_times_seconds"],
        speech.duration_s,
    )
    assert [w.text for w in speech.words] == ["Fresh", "water,", "all", "day", "long."]
    assert speech.words == expected
    assert speech.duration_s == pytest.approx(speech.words[-1].end_s, abs=0.3)


def test_a_spec_voice_that_is_an_elevenlabs_id_is_used(tmp_path: Path) -> None:
    with FakeElevenLabsAPI(api_key=KEY) as fake:
        ElevenLabsVoice(KEY, base_url=fake.url).synthesize(
            "Hola.", "21m00Tcm4TlvDq8ikWAM", 170, tmp_path / "v.wav"
        )
    assert fake.requests[0].path == "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/with-timestamps"


def test_raw_pcm_output_is_wrapped_as_a_wav(tmp_path: Path) -> None:
    with FakeElevenLabsAPI(api_key=KEY) as fake:
        voice = ElevenLabsVoice(KEY, base_url=fake.url, output_format="pcm_24000")
        speech = voice.synthesize("Good morning.", "en-us", 170, tmp_path / "v.wav")
    with wave.open(str(speech.wav)) as w:
        assert w.getframerate() == 24000
    assert speech.duration_s > 0.5


def test_a_429_is_retried_after_the_seconds_retry_after_asks(tmp_path: Path) -> None:
    waits: list[float] = []
    busy = HttpError(429, "too many concurrent requests", {"retry-after": "3"})
    with FakeElevenLabsAPI(busy, api_key=KEY) as fake:
        voice = ElevenLabsVoice(KEY, base_url=fake.url, sleep=waits.append)
        speech = voice.synthesize("Stay fresh.", "en-us", 170, tmp_path / "v.wav")
    assert len(fake.requests) == 2
    assert waits == [3.0]
    assert [w.text for w in speech.words] == ["Stay", "fresh."]


def test_a_server_that_keeps_failing_is_a_transient_error(tmp_path: Path) -> None:
    waits: list[float] = []
    errors = [HttpError(503, "system busy")] * 3
    with FakeElevenLabsAPI(*errors, api_key=KEY) as fake:
        voice = ElevenLabsVoice(KEY, base_url=fake.url, attempts=3, sleep=waits.append)
        with pytest.raises(TransientError, match="HTTP 503"):
            voice.synthesize("Hi.", "en-us", 170, tmp_path / "v.wav")
    assert len(fake.requests) == 3 and len(waits) == 2


def test_a_wrong_key_is_a_clear_error_naming_the_setting(tmp_path: Path) -> None:
    with FakeElevenLabsAPI(api_key=KEY) as fake:
        voice = ElevenLabsVoice("sk-wrong-secret", base_url=fake.url, sleep=lambda _: None)
        with pytest.raises(Unauthorized) as err:
            voice.synthesize("Hi.", "en-us", 170, tmp_path / "v.wav")
    assert "ELEVENLABS_API_KEY" in str(err.value)
    assert "sk-wrong-secret" not in str(err.value)
    assert len(fake.requests) == 1  # a 401 is not retried


def test_audio_without_alignment_is_force_aligned(tmp_path: Path) -> None:
    script = "Drink water daily, and stay fresh all day."
    with FakeElevenLabsAPI(Spoken(with_alignment=False), api_key=KEY) as fake:
        speech = ElevenLabsVoice(KEY, base_url=fake.url).synthesize(
            script, "en-us", 170, tmp_path / "v.wav"
        )
    assert timings_match(script, speech.words)
    # the fake spoke with espeak at the same pace: its exact starts are the reference
    _, _, reference = _espeak_reference(script, tmp_path)
    errors = [abs(a.start_s - b.start_s) for a, b in zip(speech.words, reference, strict=True)]
    assert statistics.median(errors) < 0.15


# --- Google TTS ---


def test_ssml_marks_every_word_and_escapes_markup() -> None:
    ssml = build_ssml("Tom & Jerry <3 — now")
    assert ssml == (
        '<speak><mark name="w0"/>Tom <mark name="w1"/>&amp; <mark name="w2"/>Jerry '
        '<mark name="w3"/>&lt;3 <mark name="w4"/>— <mark name="w5"/>now</speak>'
    )


def test_timepoints_become_words_ending_where_the_next_starts() -> None:
    tokens = ["¡Hola!", "—", "señor", "Núñez."]
    points = [{"markName": f"w{i}", "timeSeconds": t} for i, t in enumerate([0.1, 0.6, 0.7, 1.2])]
    words = words_from_timepoints(tokens, points, duration_s=2.0)
    assert [(w.text, w.start_s, w.end_s) for w in words] == [
        ("¡Hola!", 0.1, 0.7),  # the dash is not a word
        ("señor", 0.7, 1.2),
        ("Núñez.", 1.2, 2.0),  # the last word ends with the audio
    ]
    assert words_from_timepoints(tokens, points[:2], 2.0) == []  # marks missing: not trusted


def test_languages_map_to_bcp47() -> None:
    assert [language_code(v) for v in ("en-us", "es", "pt-br", "de")] == [
        "en-US",
        "es-ES",
        "pt-BR",
        "de-DE",
    ]


def test_google_tts_speaks_spanish_with_marks(tmp_path: Path) -> None:
    script = "Más energía, menos azúcar. ¡Así se vive!"
    with FakeGoogleTtsAPI() as fake:
        voice = GoogleTtsVoice(
            project="adloop-test", credentials=Credentials(token=fake.token), base_url=fake.url
        )
        speech = voice.synthesize(script, "es", 150, tmp_path / "v.wav")
    sent = fake.requests[0]
    assert sent.headers["authorization"] == f"Bearer {fake.token}"
    assert sent.headers["x-goog-user-project"] == "adloop-test"
    assert sent.json["enableTimePointing"] == ["SSML_MARK"]
    assert sent.json["voice"] == {"languageCode": "es-ES"}
    assert sent.json["audioConfig"]["speakingRate"] == pytest.approx(150 / 170, abs=0.01)
    points = [p["timeSeconds"] for p in fake.sent[0]["timepoints"]]
    assert [w.text for w in speech.words] == script.split()
    assert [w.start_s for w in speech.words] == pytest.approx(points, abs=1e-4)
    assert [w.end_s for w in speech.words[:-1]] == pytest.approx(points[1:], abs=1e-4)
    assert speech.words[-1].end_s == pytest.approx(speech.duration_s, abs=1e-3)


def test_a_named_google_voice_sets_its_language(tmp_path: Path) -> None:
    with FakeGoogleTtsAPI() as fake:
        voice = GoogleTtsVoice(credentials=Credentials(token=fake.token), base_url=fake.url)
        voice.synthesize("Hello there.", "en-GB-Neural2-B", 170, tmp_path / "v.wav")
    assert fake.requests[0].json["voice"] == {"languageCode": "en-GB", "name": "en-GB-Neural2-B"}
    assert "x-goog-user-project" not in fake.requests[0].headers


def test_google_audio_without_timepoints_is_force_aligned(tmp_path: Path) -> None:
    script = "Descubre el sabor del mar, directo a tu mesa."
    with FakeGoogleTtsAPI(Synthesized(with_timepoints=False)) as fake:
        voice = GoogleTtsVoice(credentials=Credentials(token=fake.token), base_url=fake.url)
        speech = voice.synthesize(script, "es", 170, tmp_path / "v.wav")
    assert timings_match(script, speech.words)


def test_google_refusing_the_token_is_permanent(tmp_path: Path) -> None:
    with FakeGoogleTtsAPI() as fake:
        voice = GoogleTtsVoice(credentials=Credentials(token="ya29.expired"), base_url=fake.url)
        with pytest.raises(Unauthorized, match="Google Text-to-Speech"):
            voice.synthesize("Hi.", "en-us", 170, tmp_path / "v.wav")


# --- forced alignment ---


def _espeak_reference(
    script: str, tmp_path: Path, voice: str = "en-us", rate: int = 170
) -> tuple[Path, float, list[WordTiming]]:
    speech = EspeakVoice().synthesize(
        script, voice, rate, tmp_path / f"ref-{abs(hash(script))}.wav"
    )
    return speech.wav, speech.duration_s, speech.words


@pytest.mark.parametrize(
    ("voice", "rate", "script"),
    [
        (
            "en-us",
            160,
            "Meet the running shoe that feels like a cloud. Light, fast, and built to last.",
        ),
        ("es", 170, "Descubre el sabor auténtico del mar. Pescado fresco, directo a tu mesa."),
        ("en-us", 200, "Save twenty percent this weekend only. Your skin will thank you."),
    ],
)
def test_forced_alignment_lands_near_espeaks_own_word_times(
    voice: str, rate: int, script: str, tmp_path: Path
) -> None:
    wav, _, reference = _espeak_reference(script, tmp_path, voice, rate)
    aligned = align(script, wav)
    assert [w.text for w in aligned] == script.split()
    by_text = iter(aligned)  # espeak may run a short word into the next: match in order
    errors = []
    for ref in reference:
        got = next(w for w in by_text if w.text == ref.text)
        errors.append(abs(got.start_s - ref.start_s))
    assert statistics.median(errors) < 0.15
    assert max(errors) < 0.5


def test_pauses_are_read_from_silencedetect() -> None:
    log = (
        "[silencedetect @ 0x1] silence_start: 0.68\n"
        "[silencedetect @ 0x1] silence_end: 1.01 | silence_duration: 0.33\n"
        "[silencedetect @ 0x1] silence_start: 2.9\n"
    )
    spans = [(s.start_s, s.end_s) for s in stretches_from_log(log, 3.2)]
    assert spans == [(0.0, 0.68), (1.01, 2.9)]


def test_words_break_at_the_pause_after_punctuation() -> None:
    stretches = stretches_from_log("silence_start: 1.0\nsilence_end: 1.4\n", 2.4)
    words = place_words(["Hello", "summer.", "Drink", "water."], stretches)
    assert words[2].start_s == pytest.approx(1.4)  # "Drink" starts after the pause
    assert words[1].end_s <= 1.0
    assert syllables("water") > syllables("a")


# --- choosing the voice, and a whole render ---


def test_the_voice_is_chosen_from_the_environment(job_env: pytest.MonkeyPatch) -> None:
    assert isinstance(build_voice(RenderSettings()), EspeakVoice)
    job_env.setenv("ADLOOP_VOICE", "elevenlabs")
    with pytest.raises(PermanentError, match="ADLOOP_VOICE=elevenlabs needs ELEVENLABS_API_KEY"):
        build_voice(RenderSettings())
    job_env.setenv("ELEVENLABS_API_KEY", " ")  # blank is unset
    with pytest.raises(PermanentError, match="ELEVENLABS_API_KEY"):
        build_voice(RenderSettings())
    job_env.setenv("ELEVENLABS_API_KEY", "k")
    job_env.setenv("ELEVENLABS_VOICE_ID", "AbCdEfGhIjKlMnOpQrSt")
    chosen = build_voice(RenderSettings())
    assert isinstance(chosen, ElevenLabsVoice) and chosen.voice_id == "AbCdEfGhIjKlMnOpQrSt"
    job_env.setenv("ADLOOP_VOICE", "Google")
    with pytest.raises(PermanentError, match="ADLOOP_GCP_PROJECT"):
        build_voice(RenderSettings())
    job_env.setenv("GOOGLE_CLOUD_PROJECT", "p")
    assert isinstance(build_voice(RenderSettings()), GoogleTtsVoice)
    job_env.setenv("ADLOOP_VOICE", "festival")
    with pytest.raises(PermanentError, match="'festival' is not one of espeak, elevenlabs, google"):
        build_voice(RenderSettings())


def test_a_render_with_elevenlabs_times_captions_from_its_alignment(
    assets: Path, tmp_path: Path, job_env: pytest.MonkeyPatch
) -> None:
    script = "Fresh water all day."
    # An alignment unlike espeak's own pace (each word starts exactly 0.3 s after the last): a
    # renderer that ignored it, or force-aligned instead, would show other times.
    starts = {0: 0.05, 6: 0.35, 12: 0.65, 16: 0.95}
    times, t = [], 0.0
    for i in range(len(script)):
        t = starts.get(i, t)
        times.append((round(t, 4), round(t + 0.05, 4)))
        t += 0.05
    with FakeElevenLabsAPI(Spoken(alignment=_chars(script, times)), api_key=KEY) as fake:
        # chosen as the job chooses it: from its settings, through its bootstrap
        job_env.setenv("ADLOOP_VOICE", "elevenlabs")
        job_env.setenv("ELEVENLABS_API_KEY", KEY)
        job_env.setenv("ELEVENLABS_BASE_URL", fake.url)
        job = bootstrap(RenderSettings())
        data = base_spec(
            duration_s=2,
            voice={"script": script, "voice": "en-us", "start_s": 0.3},
            scenes=[{"kind": "image", "source": "scene.jpg"}],
            product_images=[],
        )
        manifest = render(
            parse_spec(json.dumps(data)),
            assets,
            tmp_path / "out",
            voice=job.voice,
            video_gen=job.video_gen,
            encoder=Encoder("libx264"),
        )
    assert len(fake.requests) == 1
    words = manifest["words"]
    assert [w["text"] for w in words] == ["Fresh", "water", "all", "day."]
    assert [w["start_s"] for w in words] == pytest.approx([0.35, 0.65, 0.95, 1.25])
    assert words[0]["end_s"] == pytest.approx(0.3 + 0.05 + 5 * 0.05)  # "Fresh": its 5 letters
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["words"] == words


def test_the_fake_alignment_spreads_characters_over_espeak_words() -> None:
    chars, starts, ends = character_alignment(
        "Hi, you.", [WordTiming("Hi,", 0.0, 0.3), WordTiming("you.", 0.4, 0.8)]
    )
    assert "".join(chars) == "Hi, you."
    assert starts[4] == pytest.approx(0.4) and ends[-1] == pytest.approx(0.8)
