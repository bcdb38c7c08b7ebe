"""Voice-over with word timings. Offline: espeak-ng, whose word events carry exact sample positions.

The production voices sit beside :class:`EspeakVoice` behind the same :class:`Voice` Protocol:
ElevenLabs "with timestamps" (``gpu_jobs.voice_elevenlabs``) and Google TTS timepoints
(``gpu_jobs.voice_google``), chosen in ``gpu_jobs.bootstrap``.
"""

from __future__ import annotations

import bisect
import ctypes
import ctypes.util
import re
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gpu_jobs.espeak_voices import KnownVoices, list_voices
from shared.errors import TransientError


@dataclass(frozen=True)
class WordTiming:
    """One spoken word as written in the script, with its start and end in seconds."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Speech:
    wav: Path
    duration_s: float
    words: list[WordTiming]


class Voice(Protocol):
    def synthesize(self, script: str, voice: str, rate_wpm: int, out: Path) -> Speech:
        """Speak ``script`` into a WAV at ``out`` and say when each word starts and ends."""
        ...


# espeak_EVENT from speak_lib.h
class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)
_EVENT_LIST_TERMINATED, _EVENT_WORD = 0, 1
_AUDIO_OUTPUT_SYNCHRONOUS, _CHARS_UTF8, _POS_CHARACTER, _PARAM_RATE = 2, 1, 1, 1


class EspeakVoice:
    """espeak-ng through its C library: synchronous synthesis, one call at a time per process."""

    _lock = threading.Lock()
    _known: KnownVoices | None = None  # what espeak-ng lists, read once per process

    def __init__(self) -> None:
        self._lib: ctypes.CDLL | None = None
        self._rate = 0

    def known_voices(self) -> KnownVoices:
        """The voice names espeak-ng reports (``espeak-ng --voices`` and ``--voices=variant``)."""
        with self._lock:
            return self._voices(self._load())

    def _voices(self, lib: ctypes.CDLL) -> KnownVoices:
        if EspeakVoice._known is None:
            EspeakVoice._known = KnownVoices.of(list_voices(lib), list_voices(lib, "variant"))
        return EspeakVoice._known

    def _load(self) -> ctypes.CDLL:
        if self._lib is None:
            name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
            try:
                lib = ctypes.CDLL(name)
            except OSError as e:
                raise TransientError(f"espeak-ng library not found ({e})") from e
            self._rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 500, None, 0)
            if self._rate <= 0:
                raise TransientError("espeak-ng failed to initialise")
            self._lib = lib
        return self._lib

    def synthesize(self, script: str, voice: str, rate_wpm: int, out: Path) -> Speech:
        with self._lock:
            lib = self._load()
            # only a name espeak-ng lists reaches it: others crash it (gpu_jobs.espeak_voices)
            name = self._voices(lib).check(voice)
            if lib.espeak_SetVoiceByName(name.encode()) != 0:
                raise TransientError(f"espeak-ng could not load its own voice {name!r}")
            lib.espeak_SetParameter(_PARAM_RATE, rate_wpm, 0)
            samples, events = self._run(lib, script)
        _write_wav(out, samples, self._rate)
        duration = len(samples) / self._rate
        return Speech(out, duration, words_from_events(script, events, self._rate, duration))

    def _run(self, lib: ctypes.CDLL, script: str) -> tuple[list[int], list[tuple[int, int, int]]]:
        samples: list[int] = []
        events: list[tuple[int, int, int]] = []  # (text_position, length, sample)

        def on_audio(
            wav: ctypes._Pointer[ctypes.c_short], n: int, ev: ctypes._Pointer[_Event]
        ) -> int:
            if wav and n > 0:
                samples.extend(wav[:n])
            i = 0
            while ev[i].type != _EVENT_LIST_TERMINATED:
                if ev[i].type == _EVENT_WORD:
                    events.append((ev[i].text_position, ev[i].length, ev[i].sample))
                i += 1
            return 0

        callback = _CALLBACK(on_audio)  # kept referenced until synthesis returns
        lib.espeak_SetSynthCallback(callback)
        text = script.encode("utf-8") + b"\0"
        err = lib.espeak_Synth(text, len(text), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
        if err != 0:
            raise TransientError(f"espeak-ng synthesis failed (error {err})")
        return samples, events


def words_from_events(
    script: str, events: list[tuple[int, int, int]], rate: int, duration_s: float
) -> list[WordTiming]:
    """Word timings from espeak's word events, one per written word of the script.

    espeak reads "2024" as several spoken words; events are grouped by the whitespace-separated
    token they fall in, so captions show what was written. ``text_position`` counts characters
    from 1. A word ends where the next begins; the last ends with the audio.
    """
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", script)]
    firsts: dict[int, float] = {}
    for pos, _length, sample in events:
        index = bisect.bisect_right([t[0] for t in tokens], pos - 1) - 1
        if index >= 0 and pos - 1 < tokens[index][1]:
            firsts.setdefault(index, sample / rate)
    spoken = [(tokens[i][2], start) for i, start in sorted(firsts.items())]
    spoken = [(t, s) for t, s in spoken if any(ch.isalnum() for ch in t)]
    words = []
    for i, (text, start) in enumerate(spoken):
        end = spoken[i + 1][1] if i + 1 < len(spoken) else duration_s
        words.append(WordTiming(text, round(start, 4), round(max(end, start + 0.05), 4)))
    return words


def _write_wav(path: Path, samples: list[int], rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((ctypes.c_short * len(samples))(*samples))
