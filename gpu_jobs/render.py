"""One spec -> one MP4 per target aspect, a poster and a contact sheet each, and a manifest.

Order: validate everything (fails before any rendering), speak the script, prepare the stills and
composites, write the captions, then run ffmpeg once.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gpu_jobs.assets import Resolved, resolve
from gpu_jobs.audio import AudioPlan, master
from gpu_jobs.captions import Aside, CaptionLook, OnScreenText, build_ass, text_zones
from gpu_jobs.encoder import Encoder, detect_encoder
from gpu_jobs.ffmpeg import run_ffmpeg
from gpu_jobs.filtergraph import MasteredAudio, RenderPlan, TargetPlan, build_argv
from gpu_jobs.layouts import glyphs
from gpu_jobs.layouts.build import Designed, design
from gpu_jobs.layouts.draw import font_file
from gpu_jobs.prepare import load_sources, logo_height, place_logo, place_products, scene_inputs
from gpu_jobs.scenes import VideoGen
from gpu_jobs.targets import ALL_TARGETS, TARGETS, Target
from gpu_jobs.voice import Speech, Voice, WordTiming
from shared.errors import BadInput
from shared.models.render import RenderSpec

# Silence kept after the last spoken word when a video is lengthened to fit its voice-over.
SPEECH_TAIL_S = 0.4

Progress = Callable[[float], None]


def render(
    spec: RenderSpec,
    root: Path,
    out_dir: Path,
    *,
    voice: Voice,
    video_gen: VideoGen,
    all_targets: bool = False,
    encoder: Encoder | None = None,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Render ``spec`` (paths relative to ``root``) into ``out_dir``; return the manifest.

    ``voice`` and ``video_gen`` are the providers the job's settings chose
    (:mod:`gpu_jobs.bootstrap`).
    """
    resolved = resolve(spec, root)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [TARGETS[n] for n in (ALL_TARGETS if all_targets else spec.targets)]
    with tempfile.TemporaryDirectory(prefix="adloop-render-") as tmp:
        work = Path(tmp)
        speech = _speak(spec, voice, work)
        asked_s = spec.duration_s
        spec = _fit_to_speech(spec, speech)
        words = _shift(speech.words, spec.voice.start_s) if speech and spec.voice else []
        # the audio passes are ffmpeg processes: they run while Python prepares the images
        with ThreadPoolExecutor(max_workers=1) as pool:
            audio = pool.submit(master, _audio_plan(spec, resolved, speech), spec.duration_s, work)
            sources = load_sources(spec, resolved)
            planned = [
                _target_plan(
                    spec,
                    resolved,
                    sources,
                    t,
                    words,
                    work,
                    out_dir,
                    video_gen,
                )
                for t in targets
            ]
            plans = [p for p, _ in planned]
            chosen = encoder or detect_encoder()
            sound, _ = audio.result()
        plan = RenderPlan(
            spec.duration_s,
            spec.fps,
            plans,
            MasteredAudio(sound),
            chosen,
            poster_s=min(1.5, spec.duration_s / 2),
        )
        run_ffmpeg(build_argv(plan), duration_s=spec.duration_s, on_progress=on_progress)
    manifest = _manifest(spec, plans, chosen, words, out_dir)
    if spec.duration_s != asked_s:  # said, not silent: every placement was cut for asked_s
        manifest["stretched_from_s"] = asked_s
    for output, (_, designed) in zip(manifest["outputs"], planned, strict=True):
        if designed is not None:
            output["design"] = designed
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def _speak(spec: RenderSpec, voice: Voice, work: Path) -> Speech | None:
    if spec.voice is None:
        return None
    v = spec.voice
    return voice.synthesize(v.script, v.voice, v.rate_wpm, work / "voice.wav")


def _fit_to_speech(spec: RenderSpec, speech: Speech | None) -> RenderSpec:
    """``spec`` if its voice-over fits; with ``voice.fit: stretch`` a video too short for it
    lengthened to fit (up to the longest a spec may be); BadInput otherwise."""
    if speech is None or spec.voice is None:
        return spec
    v = spec.voice
    if v.start_s + speech.duration_s <= spec.duration_s + 0.05:
        return spec
    needed = v.start_s + speech.duration_s + SPEECH_TAIL_S
    if v.fit == "stretch" and needed <= spec.longest_s():
        return spec.stretched(needed)
    limit = (
        f"duration_s={spec.duration_s:g} even stretched (at most {spec.longest_s():g} s)"
        if v.fit == "stretch"
        else f"duration_s={spec.duration_s:g}"
    )
    raise BadInput(
        f"voice.script: spoken it lasts {speech.duration_s:.1f} s, which with voice.start_s "
        f"does not fit {limit}; shorten it, raise voice.rate_wpm or raise duration_s"
    )


def _shift(words: list[WordTiming], by: float) -> list[WordTiming]:
    return [WordTiming(w.text, w.start_s + by, w.end_s + by) for w in words]


def _target_plan(
    spec: RenderSpec,
    resolved: Resolved,
    sources: list[Any],
    target: Target,
    words: list[WordTiming],
    work: Path,
    out_dir: Path,
    gen: VideoGen,
) -> tuple[TargetPlan, dict[str, Any] | None]:
    durations = spec.scene_durations()
    inputs, views = scene_inputs(spec, sources, target, work, gen, durations)
    logo = place_logo(resolved.logo, target, work)
    offset = logo_height(logo) + 12 if logo else 0
    look = CaptionLook(
        spec.captions.style,
        resolved.font_family,
        "#ffffff",
        _highlight(spec.brand.colors),
        spec.captions.font_size,
        spec.captions.uppercase,
    )
    zones = text_zones(target.width, target.height, look, offset)
    overlays = [OnScreenText(o.text, o.start_s, o.end_s, o.position) for o in spec.on_screen_text]
    designed = None
    if spec.design is not None:
        # designed scenes carry their own text and product; the ASS keeps the captions only
        caption_top = zones[1].y if len(zones) > 1 else None
        font = font_file(resolved.font_family, resolved.fonts_dir)
        designed = design(
            spec,
            inputs,
            views,
            target,
            resolved.products,
            resolved.logo,
            font,
            offset,
            caption_top,
            work,
        )
        inputs, overlays = designed.scenes, []
    else:
        inputs = place_products(spec, resolved, inputs, views, target, zones, work)
    ass = work / f"captions-{target.slug}.ass"
    primary = font_file(resolved.font_family, resolved.fonts_dir)
    ass.write_text(
        build_ass(
            words,
            target.width,
            target.height,
            look,
            overlays,
            offset,
            _aside(designed),
            drawable=lambda text: glyphs.drawable(text, primary),
            font_path=primary,
        ),
        encoding="utf-8",
    )
    stem = f"{spec.video_id}-{target.slug}"
    plan = TargetPlan(
        target,
        inputs,
        ass,
        out_dir / f"{stem}.mp4",
        out_dir / f"{stem}-poster.png",
        out_dir / f"{stem}-sheet.png",
        logo,
        resolved.fonts_dir,
        transition_s=spec.design.transition_s if spec.design else 0.0,
        transition_offset=spec.design.variant if spec.design else 0,
        logo_until_s=designed.end_start_s if designed and logo else None,
    )
    return plan, designed.manifest() if designed else None


def _aside(designed: Designed | None) -> Aside | None:
    """Captions beside a tall product hero during its scene, if the design moved them."""
    if designed is None or designed.aside is None or designed.hero_window is None:
        return None
    return Aside(*designed.hero_window, designed.aside)


def _highlight(colors: list[str]) -> str:
    """The brightest brand colour, so the spoken word stands out against the white words."""

    def luma(c: str) -> float:
        r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    bright = max(colors, key=luma)
    return bright if 90 < luma(bright) < 235 else "#ffd400"


def _audio_plan(spec: RenderSpec, resolved: Resolved, speech: Speech | None) -> AudioPlan:
    return AudioPlan(
        voice=speech.wav if speech else None,
        voice_start_s=spec.voice.start_s if spec.voice else 0.0,
        music=spec.music.kind,
        music_path=resolved.music,
        bpm=spec.music.bpm,
        gain_db=spec.music.gain_db,
    )


def _manifest(
    spec: RenderSpec,
    plans: list[TargetPlan],
    encoder: Encoder,
    words: list[WordTiming],
    out_dir: Path,
) -> dict[str, Any]:
    return {
        "video_id": spec.video_id,
        "duration_s": spec.duration_s,
        "fps": spec.fps,
        "encoder": encoder.codec,
        "outputs": [
            {
                "target": p.target.name,
                "width": p.target.width,
                "height": p.target.height,
                "video": p.video.relative_to(out_dir).as_posix(),
                "poster": p.poster.relative_to(out_dir).as_posix(),
                "contact_sheet": p.sheet.relative_to(out_dir).as_posix(),
            }
            for p in plans
        ],
        "words": [asdict(w) for w in words],
    }
