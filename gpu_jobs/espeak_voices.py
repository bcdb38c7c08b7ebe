"""The voices espeak-ng reports, and the only voice names the render passes to it.

espeak-ng's ``espeak_SetVoiceByName`` copies a name into fixed buffers and opens files named from
it: ``../../etc/passwd`` crashes it and ``en-us+`` with 300 characters aborts the process with a
buffer overflow. So a name reaches it only if it is on the list espeak-ng itself reports: the
voices ``espeak-ng --voices`` prints and, after ``+``, the variants ``espeak-ng --voices=variant``
prints. Both lists come from the library's ``espeak_ListVoices`` (which is what the command
prints), read once per process, so the render image needs only the library.

``espeak_VOICE`` and ``espeak_ListVoices``: speak_lib.h,
https://github.com/espeak-ng/espeak-ng/blob/master/src/include/espeak-ng/speak_lib.h
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterable
from dataclasses import dataclass

from shared.errors import BadInput

# Variants are files in espeak-ng-data/voices/!v/: identifier "!v/<file>", chosen by "+<file>".
VARIANT_PREFIX = "!v/"
HOW_TO_LIST = (
    "use a voice or language from `espeak-ng --voices` (such as en-us, es, pt-br), optionally "
    "with a variant from `espeak-ng --voices=variant` after a + (such as en-us+f3)"
)
# What a voice name may look like anywhere in a spec (espeak, Google or ElevenLabs names alike).
NAME = re.compile(r"[A-Za-z0-9_-]{1,48}")


class _Voice(ctypes.Structure):
    """``espeak_VOICE``; ``languages`` is a list of (priority byte, NUL-terminated name) pairs
    ending in a zero byte in what espeak returns, a plain string in what it is given."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


@dataclass(frozen=True)
class VoiceEntry:
    """One line of ``espeak-ng --voices``: name, (priority, language) pairs, file identifier."""

    name: str
    languages: tuple[tuple[int, str], ...]
    identifier: str

    @property
    def file(self) -> str:
        """The last part of the identifier: the name ``espeak_SetVoiceByName`` loads it by."""
        return self.identifier.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class KnownVoices:
    """The names espeak-ng answers to, each mapped to the name it is loaded by.

    ``espeak_SetVoiceByName`` finds a voice by its file or its name, not by a language
    (``fr-fr`` fails though ``--voices`` lists it), so a language maps to the file of the voice
    that speaks it with the best priority, as ``espeak-ng -v fr-fr`` chooses. Names compare
    case-insensitively, as espeak compares them; variants exactly, as they are file names.
    """

    voices: dict[str, str]
    variants: frozenset[str]

    @classmethod
    def of(cls, voices: Iterable[VoiceEntry], variants: Iterable[VoiceEntry]) -> KnownVoices:
        usable = [v for v in voices if NAME.fullmatch(v.file)]
        ranked = sorted((p, lang.lower(), v.file) for v in usable for p, lang in v.languages)
        names: dict[str, str] = {}
        for _, lang, file in reversed(ranked):  # the best priority is written last, and wins
            names[lang] = file
        for v in usable:
            names[v.name.lower()] = v.file
            names[v.file.lower()] = v.file
        kinds = {v.file for v in variants if v.identifier.startswith(VARIANT_PREFIX)}
        return cls(
            {k: f for k, f in names.items() if NAME.fullmatch(k)},
            frozenset(k for k in kinds if NAME.fullmatch(k)),
        )

    def check(self, value: str, field_name: str = "voice.voice") -> str:
        """The name to load for ``value`` (``voice`` or ``voice+variant``), else BadInput."""
        voice, plus, variant = value.partition("+")
        file = self.voices.get(voice.lower())
        if file is not None and (not plus or variant in self.variants):
            return f"{file}+{variant}" if plus else file
        shown = value if len(value) <= 60 else value[:57] + "..."
        what = "variant" if file is not None else "voice"
        raise BadInput(f"{field_name}: espeak-ng has no {what} {shown!r}; {HOW_TO_LIST}")


def list_voices(lib: ctypes.CDLL, language: str | None = None) -> list[VoiceEntry]:
    """``espeak_ListVoices``: every voice (``None``) or those for ``language`` (``"variant"``).

    ``lib`` must be initialised (``espeak_Initialize``) and used by one thread at a time.
    """
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
    lib.espeak_ListVoices.argtypes = [ctypes.POINTER(_Voice)]
    spec = None
    if language is not None:
        wanted = ctypes.create_string_buffer(language.encode())
        spec = _Voice(languages=ctypes.cast(wanted, ctypes.c_void_p))
    found = lib.espeak_ListVoices(ctypes.byref(spec) if spec is not None else None)
    entries = []
    i = 0
    while found and found[i]:
        v = found[i].contents
        entries.append(VoiceEntry(_text(v.name), _languages(v.languages), _text(v.identifier)))
        i += 1
    return entries


def _text(value: bytes | None) -> str:
    return (value or b"").decode("utf-8", "replace")


def _languages(address: int | None) -> tuple[tuple[int, str], ...]:
    found = []
    while address and (priority := ctypes.c_ubyte.from_address(address).value) != 0:
        name = ctypes.string_at(address + 1)
        found.append((priority, name.decode("utf-8", "replace")))
        address += len(name) + 2  # the priority byte, the name, its NUL
    return tuple(found)
