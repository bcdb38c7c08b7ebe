"""Spec + resolved inputs -> one ffmpeg argv (pure). Every target of a video is one run.

Per target: each scene becomes exactly ``frames`` frames at the output size (stills are looped in
memory and moved with per-frame scale/crop expressions; clips are cropped, scaled and padded), the
product is overlaid, scenes are concatenated, the logo and the ASS captions are drawn, and the
result is split into the MP4, a poster frame and a contact sheet. One audio chain (voice over a
ducked, loudness-normalised music bed) feeds every target.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from gpu_jobs.audio import master_chain
from gpu_jobs.encoder import Encoder
from gpu_jobs.media_probe import (
    CLIP_FORMATS,
    OVERLAY_FORMATS,
    STILL_FORMATS,
    WAV_FORMATS,
    input_options,
    source,
)
from gpu_jobs.targets import Rect, Target
from shared.models.render import Motion

ZOOM = 1.15  # stills are prepared this much larger than the frame, the room motion moves in


@dataclass(frozen=True)
class Overlay:
    path: Path
    x: int
    y: int


Entrance = Literal["rise", "slide", "pop", "fade"]
# Seconds a layer takes to come in and to go out; eased, so most of the move is early.
ENTER_S, EXIT_S = 0.45, 0.25
# How far a layer travels as it comes in, as a share of the frame's shorter side.
TRAVEL = 0.05
# Slice threads per filter. The graph's costly filters (the motion's per-frame scale, libass)
# do not slice in ffmpeg 5.1, and the ones that do (overlay, fade) work on small layers, where
# waking a second thread costs more than it saves (8-10 % of the graph's CPU time for the 30 s
# reference ad); the cores are better left to the encoder's own threads.
FILTER_THREADS = 1
# xfade transitions, one per cut in turn (a variant starts at its own place in the list).
TRANSITIONS = ("fade", "slideleft", "smoothup", "circleopen", "wipeleft", "slideright")


@dataclass(frozen=True)
class Layer:
    """An RGBA still drawn once (text, badge, product), moved and faded by expressions while
    it is on screen: ``start_s``..``end_s`` in its scene's own clock."""

    path: Path
    x: int
    y: int
    w: int  # even, as 4:2:0 needs
    h: int
    start_s: float
    end_s: float
    enter: Entrance = "rise"
    leaves: bool = True  # fades out before end_s; the end card's layers stay to the last frame


@dataclass(frozen=True)
class SceneInput:
    kind: Literal["still", "clip"]
    path: Path  # stills: already framed at (target × ZOOM), even sizes
    duration_s: float
    motion: Motion = Motion.NONE
    crop: Rect | None = None  # clips: the source region to show
    product: Overlay | None = None
    layers: tuple[Layer, ...] = ()


@dataclass(frozen=True)
class TargetPlan:
    target: Target
    scenes: list[SceneInput]
    ass: Path | None
    video: Path
    poster: Path
    sheet: Path
    logo: Overlay | None = None
    fonts_dir: Path | None = None
    transition_s: float = 0.0  # 0: scenes are cut together (concat); else xfaded
    transition_offset: int = 0  # where in TRANSITIONS this video's cuts start
    logo_until_s: float | None = None  # the logo leaves here (the end card shows its own)


@dataclass(frozen=True)
class MasteredAudio:
    """The finished soundtrack (mixed, ducked, at -14 LUFS) the video run only encodes."""

    path: Path


@dataclass(frozen=True)
class RenderPlan:
    duration_s: float
    fps: int
    targets: list[TargetPlan]
    audio: MasteredAudio
    encoder: Encoder
    poster_s: float = 1.5


@dataclass
class _Inputs:
    args: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, path: Path, formats: tuple[str, ...], *before: str) -> int:
        """One input, readable only as a local file by one of ``formats``' demuxers."""
        self.args += [*input_options(formats), *before, "-i", source(path)]
        self.count += 1
        return self.count - 1


def escape(value: str) -> str:
    """Escape a filter option value for a filtergraph (both levels ffmpeg parses)."""
    level1 = value.replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")
    return re.sub(r"([\\'\[\],;])", r"\\\1", level1)


def frame_counts(durations: list[float], fps: int, total_s: float) -> list[int]:
    """Frames per scene: rounded where each scene ends, so they add up to the whole video."""
    ends = [round(min(sum(durations[: i + 1]), total_s) * fps) for i in range(len(durations))]
    ends[-1] = round(total_s * fps)
    return [e - s for s, e in zip([0, *ends[:-1]], ends, strict=True)]


def motion_filters(motion: Motion, w: int, h: int, frames: int, fps: int) -> str:
    """Per-frame scale/crop from a still framed at ``ZOOM`` times (w, h) down to w×h.

    crop's own in_w is fixed when the graph is built, so offsets are computed from ``t`` with
    the same formula scale uses rather than from the changing input size.
    """
    dur = max(frames - 1, 1) / fps
    p = f"(1-cos(PI*min(t/{dur:.4f},1)))/2"  # eased 0 -> 1 over the scene
    pw, ph = _even(w * ZOOM), _even(h * ZOOM)
    if motion in (Motion.ZOOM_IN, Motion.ZOOM_OUT):
        s = (
            f"(1+{ZOOM - 1:.4f}*{p})"
            if motion is Motion.ZOOM_IN
            else f"({ZOOM}-{ZOOM - 1:.4f}*{p})"
        )
        # scale from the framed still (which is ZOOM× the frame) to s× the frame, crop the centre
        sw, sh = f"2*trunc({w}*{s}/2)", f"2*trunc({h}*{s}/2)"
        return (
            f"scale=w='{sw}':h='{sh}':eval=frame:flags=bilinear,"
            f"crop={w}:{h}:x='({sw}-{w})/2':y='({sh}-{h})/2'"
        )
    travel_x, travel_y = pw - w, ph - h
    xy = {
        Motion.PAN_LEFT: (f"{travel_x}*(1-{p})", f"{travel_y // 2}"),
        Motion.PAN_RIGHT: (f"{travel_x}*{p}", f"{travel_y // 2}"),
        Motion.PAN_UP: (f"{travel_x // 2}", f"{travel_y}*(1-{p})"),
        Motion.PAN_DOWN: (f"{travel_x // 2}", f"{travel_y}*{p}"),
    }.get(motion)
    if xy is None:  # Motion.NONE
        return f"crop={w}:{h}"
    return f"crop={w}:{h}:x='{xy[0]}':y='{xy[1]}'"


def _even(v: float) -> int:
    return int(round(v / 2)) * 2


def _scene_chain(scene: SceneInput, index: int, target: Target, frames: int, fps: int) -> str:
    w, h = target.width, target.height
    if scene.kind == "still":  # a one-frame y4m read again and again (-stream_loop)
        head = f"[{index}:v]trim=end_frame={frames},setpts=N/{fps}/TB,"
        return head + motion_filters(scene.motion, w, h, frames, fps) + ",setsar=1"
    c = scene.crop
    crop = f"crop={c.w}:{c.h}:{c.x}:{c.y}," if c else ""
    return (
        f"[{index}:v]{crop}scale={w}:{h}:force_original_aspect_ratio=increase,"
        f"crop={w}:{h},fps={fps},format=yuv420p,setsar=1,"
        f"tpad=stop_mode=clone:stop={frames},trim=end_frame={frames},setpts=N/{fps}/TB"
    )


def _input_args(scene: SceneInput, frames: int, fps: int) -> list[str]:
    # Inputs are read on demand, so only the scene being concatenated holds frames in memory.
    seconds = f"{frames / fps + 0.2:.3f}"
    if scene.kind == "still":
        return ["-stream_loop", "-1", "-t", seconds]
    return ["-t", seconds]


def _formats(scene: SceneInput) -> tuple[str, ...]:
    return STILL_FORMATS if scene.kind == "still" else CLIP_FORMATS


def _target_graph(plan: RenderPlan, tp: TargetPlan, ti: int, inputs: _Inputs) -> list[str]:
    fps, parts, labels = plan.fps, [], []
    counts = frame_counts([s.duration_s for s in tp.scenes], fps, plan.duration_s)
    # with transitions every scene but the last runs on under the next one's way in
    overlap = round(tp.transition_s * fps) if len(tp.scenes) > 1 else 0
    if any(own <= overlap for own in counts[1:]):
        overlap = 0  # a scene shorter than its way in is cut to, not crossed
    for si, (scene, own) in enumerate(zip(tp.scenes, counts, strict=True)):
        frames = own + (overlap if si < len(tp.scenes) - 1 else 0)
        index = inputs.add(scene.path, _formats(scene), *_input_args(scene, frames, fps))
        chain = _scene_chain(scene, index, tp.target, frames, fps)
        label = f"t{ti}s{si}"
        if scene.product:
            pi = inputs.add(scene.product.path, OVERLAY_FORMATS)
            chain += f"[{label}p];[{label}p][{pi}:v]overlay={scene.product.x}:{scene.product.y}"
            chain += ":format=yuv420:eof_action=repeat"
        for li, layer in enumerate(scene.layers):
            ll = f"{label}l{li}"
            k = inputs.add(layer.path, OVERLAY_FORMATS)
            parts.append(layer_chain(layer, k, fps, ll))
            x, y = layer_xy(layer, min(tp.target.width, tp.target.height))
            chain += f"[{ll}m];[{ll}m][{ll}]overlay=x='{x}':y='{y}':format=yuv420:eof_action=pass"
        parts.append(f"{chain}[{label}]")
        labels.append(f"[{label}]")
    if overlap:
        video = _crossed(labels, counts, overlap, tp, ti, fps, parts)
    else:
        video = f"{''.join(labels)}concat=n={len(labels)}:v=1:a=0"
    if tp.logo:
        li = inputs.add(tp.logo.path, OVERLAY_FORMATS)
        until = f":enable='lt(t,{tp.logo_until_s:.3f})'" if tp.logo_until_s is not None else ""
        video += f"[t{ti}c];[t{ti}c][{li}:v]overlay={tp.logo.x}:{tp.logo.y}:format=yuv420{until}"
    if tp.ass:
        fonts = f":fontsdir={escape(str(tp.fonts_dir))}" if tp.fonts_dir else ""
        video += f",ass=filename={escape(str(tp.ass))}{fonts}"
    total = round(plan.duration_s * fps)
    poster_n = min(round(plan.poster_s * fps), total - 1)
    step_n = max(1, math.ceil(total / 9))
    thumb_w = _even(tp.target.width / 3)
    parts.append(f"{video},format=yuv420p,split=3[v{ti}][p{ti}in][c{ti}in]")
    parts.append(f"[p{ti}in]select='eq(n,{poster_n})'[p{ti}]")
    parts.append(f"[c{ti}in]select='not(mod(n,{step_n}))',scale={thumb_w}:-2,tile=3x3[c{ti}]")
    return parts


def _crossed(
    labels: list[str],
    counts: list[int],
    overlap: int,
    tp: TargetPlan,
    ti: int,
    fps: int,
    parts: list[str],
) -> str:
    """The scenes cut together with an ``xfade`` over each boundary: scene k's ``overlap``
    frames past its own cross scene k+1's first ``overlap``. Only those frames go through
    xfade, and the scenes' bodies are concatenated around them (xfades chained over whole
    scenes doubled the graph's work for a 30 s ad). Adds the pieces' chains to ``parts``;
    returns the concat that joins them."""
    last = len(labels) - 1
    pieces: list[str] = []
    for k, (label, own) in enumerate(zip(labels, counts, strict=True)):
        cuts = [("b", overlap if k else 0, own)]  # the body: what no transition covers
        if k:
            cuts.append(("h", 0, overlap))  # the head, under the way in
        if k < last:
            cuts.append(("e", own, own + overlap))  # the end, under the way out
        copies = "".join(f"[t{ti}q{k}{name}]" for name, _, _ in cuts)
        parts.append(f"{label}split={len(cuts)}{copies}")
        for name, start, end in cuts:
            parts.append(
                f"[t{ti}q{k}{name}]trim=start_frame={start}:end_frame={end},"
                f"setpts=PTS-STARTPTS[t{ti}{name}{k}]"
            )
        if k:
            kind = TRANSITIONS[(tp.transition_offset + k - 1) % len(TRANSITIONS)]
            parts.append(
                f"[t{ti}e{k - 1}][t{ti}h{k}]xfade=transition={kind}"
                f":duration={overlap / fps:.4f}:offset=0[t{ti}x{k}]"
            )
            pieces.append(f"[t{ti}x{k}]")
        pieces.append(f"[t{ti}b{k}]")
    return f"{''.join(pieces)}concat=n={len(pieces)}:v=1:a=0"


def _progress(layer: Layer, at: float, seconds: float) -> str:
    return f"clip((t-{at:.3f})/{seconds:.3f},0,1)"


def layer_chain(layer: Layer, index: int, fps: int, label: str) -> str:
    """The layer's frames, only while it is on screen: one decoded image repeated in memory
    (loop), faded in and out on its alpha, and for ``pop`` scaled up from 60 %, centred on a
    fixed canvas so the overlay never changes size."""
    frames = max(1, round((layer.end_s - layer.start_s) * fps))
    enter = min(ENTER_S, (layer.end_s - layer.start_s) / 3)
    leave = min(EXIT_S, (layer.end_s - layer.start_s) / 4)
    chain = (
        # converted to 4:2:0 once, before it is repeated: a visible layer costs a blend a frame
        f"[{index}:v]format=yuva420p,loop=loop={frames - 1}:size=1:start=0,"
        f"settb=1/{fps},setpts=N+{round(layer.start_s * fps)},"
        f"fade=t=in:st={layer.start_s:.3f}:d={enter:.3f}:alpha=1"
    )
    if layer.leaves:
        chain += f",fade=t=out:st={layer.end_s - leave:.3f}:d={leave:.3f}:alpha=1"
    if layer.enter == "pop":
        p = _progress(layer, layer.start_s, enter)
        s = f"(0.6+0.4*(1-pow(1-{p},3)))"
        chain += (
            # before the first frame t is NAN: the canvas size, so pad always has room
            # (even sizes: the layer is composited as yuva420p)
            f",scale=w='if(isnan(t),{layer.w},clip(2*trunc({layer.w}*{s}/2),2,{layer.w}))'"
            f":h='if(isnan(t),{layer.h},clip(2*trunc({layer.h}*{s}/2),2,{layer.h}))'"
            f":eval=frame:flags=bilinear,"
            f"pad=w={layer.w}:h={layer.h}:x='(ow-iw)/2':y='(oh-ih)/2':color=black@0:eval=frame"
        )
    return f"{chain}[{label}]"


def layer_xy(layer: Layer, short_side: int) -> tuple[str, str]:
    """Overlay x and y: at rest at (x, y); ``rise`` comes up from below, ``slide`` in from the
    left, both eased out (cubic), so the move settles rather than stops."""
    travel = round(TRAVEL * short_side)
    p = _progress(layer, layer.start_s, min(ENTER_S, (layer.end_s - layer.start_s) / 3))
    ease = f"pow(1-{p},3)"
    if layer.enter == "rise":
        return str(layer.x), f"{layer.y}+{travel}*{ease}"
    if layer.enter == "slide":
        return f"{layer.x}-{2 * travel}*{ease}", str(layer.y)
    return str(layer.x), str(layer.y)


def build_argv(plan: RenderPlan, *, ffmpeg: str = "ffmpeg") -> list[str]:
    """The whole render as one ffmpeg command line."""
    inputs = _Inputs()
    graph: list[str] = []
    for ti, tp in enumerate(plan.targets):
        graph += _target_graph(plan, tp, ti, inputs)
    audio = inputs.add(plan.audio.path, WAV_FORMATS)
    graph.append(master_chain(audio, plan.duration_s, len(plan.targets)))
    argv = [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-progress",
        "pipe:1",
        "-nostats",
        *inputs.args,
        "-filter_complex_threads",
        str(FILTER_THREADS),
        "-filter_complex",
        ";".join(graph),
    ]
    for ti, tp in enumerate(plan.targets):
        argv += [
            "-map",
            f"[v{ti}]",
            "-map",
            f"[a{ti}]",
            *plan.encoder.video_args(plan.fps),
            "-r",
            str(plan.fps),
            "-c:a",
            "aac",
            "-b:a",
            "160k",
            "-ar",
            "48000",
            "-t",
            f"{plan.duration_s:.3f}",
            "-movflags",
            "+faststart",
            str(tp.video),
        ]
        for kind, path in (("p", tp.poster), ("c", tp.sheet)):
            argv += ["-map", f"[{kind}{ti}]", "-frames:v", "1", "-update", "1", str(path)]
    return argv
