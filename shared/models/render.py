"""The render spec: what one video is made of (pydantic), and how to build one from ad copy.

The contract between the pipeline, which writes a spec per video, and the render job
(``gpu_jobs``), which renders it; both import it from here."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from shared.errors import BadInput
from shared.models.errors import explain

# The output aspects a spec may ask for (gpu_jobs/targets.py gives each its size and safe zone).
TargetName = Literal["9:16", "1:1", "4:5", "16:9"]
MAX_DURATION_S = 180.0
HEX_COLOR = r"^#[0-9a-fA-F]{6}$"
VOICE_NAME = re.compile(r"[A-Za-z0-9_-]{1,48}(\+[A-Za-z0-9_-]{1,48})?")
# Scenes in a spec made from ad copy (hook, benefit, offer); each may show its own product image.
SCENES = 3
# A fast reader manages about 3.5 words a second; beyond this the voice cannot fit the video.
MAX_WORDS_PER_SECOND = 4.0
# ``voice.fit: stretch`` may lengthen a video to at most this multiple of its duration_s: it is
# there for a voice that runs a little long (the pipeline only estimates how long a script takes
# to say), not to turn a 15 s ad into an 84 s one that no placement it was cut for takes.
STRETCH_MOST = 2.0
# The shortest scene a video may have (a beat is about half a second at 120 bpm).
MIN_SCENE_S = 0.5


# What a scene does in the ad; the render job's layout planner (gpu_jobs/layouts) designs it.
SceneRole = Literal["hook", "product", "benefit", "proof", "offer", "testimonial"]
SCENE_ROLES: tuple[str, ...] = ("hook", "product", "benefit", "proof", "offer", "testimonial")


class Motion(StrEnum):
    NONE = "none"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    PAN_LEFT = "pan_left"
    PAN_RIGHT = "pan_right"
    PAN_UP = "pan_up"
    PAN_DOWN = "pan_down"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def screen_text(value: object) -> object:
    """Text as it is drawn on one line of a frame: every run of whitespace (a YAML block's
    newline, a tab) one space, and control and format characters left out: a newline made the
    text shaper fail the whole render (an outside attack), and a bidi override (U+202E) would
    show other words than the copy that was reviewed. A zero-width joiner stays: emoji use it."""
    if not isinstance(value, str):
        return value
    kept = "".join(
        c
        for c in value
        if c == "\u200d" or unicodedata.category(c) not in ("Cc", "Cf") or c.isspace()
    )
    return " ".join(kept.split())


# On-screen text (see screen_text); the length limits apply to the cleaned text.
ScreenText = Annotated[str, BeforeValidator(screen_text)]


class SceneSpec(_Model):
    kind: Literal["image", "clip", "generated"] = Field(
        description="image (a still with motion), clip (a video cropped to each aspect) "
        "or generated (from prompt)"
    )
    source: str | None = Field(
        default=None, description="path of the image or clip, relative to the spec's folder"
    )
    prompt: str | None = Field(default=None, description="what a generated scene shows")
    duration_s: float | None = Field(
        default=None, gt=0, description="seconds; scenes without one share what is left"
    )
    motion: Motion = Field(default=Motion.ZOOM_IN, description="one of " + ", ".join(Motion))
    show_product: bool = True
    role: SceneRole | None = Field(
        default=None,
        description="what the scene does in the ad (" + ", ".join(SCENE_ROLES) + "); "
        "without one the layout planner reads it from the scene's position and prompt",
    )
    text: ScreenText | None = Field(
        default=None, max_length=160, description="the blueprint's on-screen text for the scene"
    )

    @model_validator(mode="after")
    def _needs_input(self) -> SceneSpec:
        if self.kind in ("image", "clip") and not self.source:
            raise ValueError(f"a {self.kind} scene needs a source path")
        if self.kind == "generated" and not self.prompt:
            raise ValueError("a generated scene needs a prompt")
        return self


class TextOverlay(_Model):
    text: ScreenText = Field(min_length=1, max_length=120)
    start_s: float = Field(ge=0)
    end_s: float = Field(gt=0)
    position: Literal["top", "center"] = "top"


class VoiceSpec(_Model):
    script: str = Field(min_length=1, description="what the voice-over says")
    voice: str = Field(
        default="en-us",
        description="a voice such as en-us, es or en-us+f3 (espeak-ng --voices lists them), "
        "or the voice provider's own voice name",
    )
    rate_wpm: int = Field(default=170, ge=80, le=320, description="words per minute")
    start_s: float = Field(default=0.3, ge=0, description="seconds of music before the voice")
    fit: Literal["strict", "stretch"] = Field(
        default="strict",
        description="when the spoken script outlasts the video: strict refuses the spec, "
        "stretch lengthens the whole timeline to fit it (to at most twice duration_s, and 180 s)",
    )

    @field_validator("voice")
    @classmethod
    def _a_name(cls, voice: str) -> str:
        # a name, never a path: each provider checks it against its own list of voices
        if not VOICE_NAME.fullmatch(voice):
            shown = voice if len(voice) <= 60 else voice[:57] + "..."
            raise ValueError(
                f"{shown!r} is not a voice name: letters, digits, - and _ (at most 48), "
                "optionally +variant, such as en-us or en-us+f3 (espeak-ng --voices lists them)"
            )
        return voice


class MusicSpec(_Model):
    kind: Literal["generated", "file", "none"] = "generated"
    path: str | None = Field(default=None, description="an audio file when kind is file")
    bpm: int = Field(default=96, ge=60, le=160)
    gain_db: float = Field(default=-8.0, le=0, description="music level before ducking")


class CaptionSpec(_Model):
    style: Literal["word_pop", "phrase", "none"] = Field(
        default="word_pop", description="word_pop (spoken word highlighted), phrase, or none"
    )
    font_size: int | None = Field(default=None, ge=12, le=200)
    uppercase: bool = False


class BrandKit(_Model):
    colors: list[str] = Field(
        default=["#1a2a6c", "#f5b700"], min_length=1, description="hex colours like #1a2a6c"
    )
    font: str = Field(
        default="DejaVu Sans", description="an installed font family or a .ttf/.otf path"
    )
    logo: str | None = Field(default=None, description="path of a logo image")

    @field_validator("colors")
    @classmethod
    def _hex(cls, colors: list[str]) -> list[str]:
        for c in colors:
            if not re.match(HEX_COLOR, c):
                raise ValueError(f"{c!r} is not a colour like #1a2a6c")
        return colors


class AdFacts(_Model):
    """Facts from the brief that designed scenes may show, in the brief's own words. A layout
    whose fact is missing is not used: nothing here is ever made up by the renderer."""

    brand: ScreenText | None = Field(default=None, max_length=60)
    cta: ScreenText | None = Field(
        default=None, max_length=40, description="the ad's call to action"
    )
    domain: ScreenText | None = Field(
        default=None, max_length=80, description="the landing page's domain, e.g. glowdrop.com"
    )
    offer: ScreenText | None = Field(
        default=None, max_length=120, description="the offer as written"
    )
    offer_figure: ScreenText | None = Field(
        default=None, max_length=24, description="the offer's discount or price, e.g. 20% OFF"
    )
    rating: float | None = Field(default=None, ge=0, le=5, description="stars, e.g. 4.8")
    reviews: ScreenText | None = Field(
        default=None, max_length=16, description="the review count as written, e.g. 2,300"
    )
    proof: ScreenText | None = Field(
        default=None, max_length=120, description="the proof line the rating or figure is from"
    )
    quote: ScreenText | None = Field(
        default=None, max_length=140, description="a customer's words from the transcript"
    )
    benefits: list[ScreenText] = Field(default=[], max_length=3, description="up to three benefits")

    @field_validator("benefits")
    @classmethod
    def _short(cls, benefits: list[str]) -> list[str]:
        for b in benefits:
            if not 1 <= len(b) <= 60:
                raise ValueError(f"{b[:70]!r}: a benefit line is 1 to 60 characters")
        return benefits


class DesignSpec(_Model):
    """Designed scenes: the layout planner picks a layout per scene from its role, and this
    variant's sequence (V1-V5 as 0-4 differ); every video then ends on an end card."""

    variant: int = Field(default=0, ge=0, le=4, description="0 to 4: V1 to V5")
    facts: AdFacts = AdFacts()
    end_card_s: float = Field(default=2.5, ge=1.5, le=6, description="seconds of end card")
    transition_s: float = Field(
        default=0.35, ge=0, le=1, description="cross-transition between scenes; 0 cuts"
    )


class RenderSpec(_Model):
    """Everything one video needs; paths are relative to the spec's folder."""

    video_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="letters, digits, - or _")
    duration_s: float = Field(
        gt=0, le=MAX_DURATION_S, description="seconds, more than 0 and at most 180"
    )
    fps: Literal[24, 25, 30, 60] = 30
    targets: list[TargetName] = Field(
        default=["9:16"], min_length=1, max_length=4, description="any of 9:16, 1:1, 4:5, 16:9"
    )
    scenes: list[SceneSpec] = Field(min_length=1, max_length=20)
    product_images: list[str] = Field(
        default=[], max_length=10, description="paths of product images"
    )
    on_screen_text: list[TextOverlay] = Field(default=[], max_length=20)
    voice: VoiceSpec | None = None
    music: MusicSpec = MusicSpec()
    captions: CaptionSpec = CaptionSpec()
    brand: BrandKit = BrandKit()
    language: str = "en"
    design: DesignSpec | None = Field(
        default=None, description="designed scenes and an end card; none: backdrops and text"
    )

    @model_validator(mode="after")
    def _fits(self) -> RenderSpec:
        given = sum(s.duration_s or 0 for s in self.scenes)
        if given > self.duration_s + 0.05:
            raise ValueError(
                f"scenes add up to {given:g} s, more than duration_s={self.duration_s:g}"
            )
        for i, seconds in enumerate(self.scene_durations()):
            # A scene shorter than its cross-transition (and two frames) cannot be cut or
            # faded: ffmpeg fails ("Numerical result out of range") after the render started.
            need = max(MIN_SCENE_S, (self.design.transition_s if self.design else 0) + 2 / self.fps)
            if seconds < need - 1e-6:
                raise ValueError(
                    f"scenes.{i} lasts {seconds:.2f} s; every scene needs at least {need:.2f} s: "
                    "give fewer scenes or a longer duration_s"
                )
        if self.voice is not None:
            words = len(self.voice.script.split())
            longest = self.longest_s()
            most = int(longest * MAX_WORDS_PER_SECOND)
            if words > most:
                stretched = f" (stretched to {longest:g} s)" if longest > self.duration_s else ""
                raise ValueError(
                    f"voice.script has {words} words; a {self.duration_s:g} s video{stretched} "
                    f"fits at most {most}: shorten the script or raise duration_s"
                )
        return self

    def longest_s(self) -> float:
        """The longest this video may become to fit its voice-over: its duration_s, or with
        ``voice.fit: stretch`` STRETCH_MOST times that (never past MAX_DURATION_S)."""
        if self.voice is None or self.voice.fit != "stretch":
            return self.duration_s
        return min(MAX_DURATION_S, self.duration_s * STRETCH_MOST)

    def stretched(self, seconds: float) -> RenderSpec:
        """The same video lasting ``seconds``: every scene and text window scaled alike."""
        factor = seconds / self.duration_s
        return self.model_copy(
            update={
                "duration_s": round(seconds, 3),
                "scenes": [
                    s.model_copy(update={"duration_s": round(s.duration_s * factor, 3)})
                    if s.duration_s is not None
                    else s
                    for s in self.scenes
                ],
                "on_screen_text": [
                    t.model_copy(
                        update={
                            "start_s": round(t.start_s * factor, 3),
                            "end_s": round(t.end_s * factor, 3),
                        }
                    )
                    for t in self.on_screen_text
                ],
            }
        )

    def scene_durations(self) -> list[float]:
        """Each scene's seconds: given ones as they are, the rest share what is left equally."""
        given = sum(s.duration_s or 0 for s in self.scenes)
        open_count = sum(1 for s in self.scenes if s.duration_s is None)
        share = (self.duration_s - given) / open_count if open_count else 0.0
        return [s.duration_s if s.duration_s is not None else share for s in self.scenes]


def parse_spec(data: bytes | str) -> RenderSpec:
    """Parse spec JSON; every problem becomes one :class:`BadInput` naming its field."""
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as e:  # bad JSON, bad UTF-8, too deep
        raise BadInput(f"spec: not valid JSON ({e})") from e
    try:
        return RenderSpec.model_validate(raw)
    except ValidationError as e:
        raise BadInput(explain(e, RenderSpec)) from e


def load_spec(path: Path) -> RenderSpec:
    """Read and validate a spec file."""
    try:
        return parse_spec(path.read_bytes())
    except (FileNotFoundError, IsADirectoryError) as e:
        raise BadInput(f"spec: no file at {path}") from e


def spec_from_prompt(
    *,
    video_id: str,
    prompt: str,
    headline: str,
    script: str,
    cta: str,
    language: str,
    brand_colors: list[str],
    product_images: list[str],
    targets: list[str],
    duration_s: float,
    logo: str | None = None,
) -> RenderSpec:
    """A spec for the pipeline's ad copy: three generated scenes with motion, voice, captions;
    the product images (paths beside the spec) shown in turn, one per scene."""
    third = duration_s / 3
    motions = [Motion.ZOOM_IN, Motion.PAN_RIGHT, Motion.ZOOM_OUT]
    scenes = [
        {
            "kind": "generated",
            "prompt": f"{prompt} ({part})",
            "duration_s": round(third, 3),
            "motion": m,
        }
        for part, m in zip(("hook", "benefit", "offer"), motions, strict=True)
    ]
    scenes[-1]["duration_s"] = None  # the last takes the rounding remainder
    raw = {
        "video_id": video_id,
        "duration_s": duration_s,
        "targets": targets,
        "scenes": scenes,
        "product_images": product_images[:SCENES],
        "on_screen_text": [
            {"text": headline, "start_s": 0.0, "end_s": round(third, 3)},
            {"text": cta, "start_s": round(duration_s - third, 3), "end_s": duration_s},
        ],
        # The duration is an estimate from the words; the job knows how long they really take.
        "voice": {"script": script, "voice": _espeak_voice(language), "fit": "stretch"},
        "brand": {"colors": brand_colors or ["#1a2a6c", "#f5b700"], "logo": logo},
        "language": language,
        "music": {"bpm": 84 + int(hashlib.sha256(prompt.encode()).hexdigest(), 16) % 40},
    }
    try:
        return RenderSpec.model_validate(raw)
    except ValidationError as e:
        raise BadInput(explain(e, RenderSpec)) from e


def _espeak_voice(language: str) -> str:
    base = language.lower().split("-")[0]
    return {"en": "en-us", "es": "es", "pt": "pt-br", "fr": "fr-fr", "de": "de"}.get(base, base)
