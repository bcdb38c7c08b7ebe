"""The filtergraph builder is pure: its argv is checked without running ffmpeg."""

from __future__ import annotations

from pathlib import Path

from gpu_jobs.encoder import Encoder, nvenc_probe_argv
from gpu_jobs.filtergraph import (
    MasteredAudio,
    Overlay,
    RenderPlan,
    SceneInput,
    TargetPlan,
    build_argv,
    escape,
    frame_counts,
    motion_filters,
)
from gpu_jobs.targets import TARGETS, Rect
from shared.models.render import Motion


def _plan(encoder: Encoder, targets: tuple[str, ...] = ("9:16",)) -> RenderPlan:
    plans = []
    for name in targets:
        t = TARGETS[name]
        scenes = [
            SceneInput(
                "still",
                Path(f"/w/s0-{t.slug}.y4m"),
                2.0,
                Motion.ZOOM_IN,
                product=Overlay(Path(f"/w/p0-{t.slug}.png"), 100, 200),
            ),
            SceneInput("clip", Path("/w/clip.mp4"), 1.0, crop=Rect(10, 0, 400, 720)),
        ]
        plans.append(
            TargetPlan(
                t,
                scenes,
                Path(f"/w/c-{t.slug}.ass"),
                Path(f"/o/{t.slug}.mp4"),
                Path(f"/o/{t.slug}-poster.png"),
                Path(f"/o/{t.slug}-sheet.png"),
                Overlay(Path("/w/logo.png"), 60, 269),
            )
        )
    return RenderPlan(3.0, 30, plans, MasteredAudio(Path("/w/master.wav")), encoder)


def _after(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv) if a == flag]


def _inputs(argv: list[str]) -> dict[str, list[str]]:
    """Each ``-i`` name with the input options given since the previous input."""
    found, since = {}, 0
    for i, a in enumerate(argv):
        if a == "-i":
            found[argv[i + 1]] = argv[since:i]
            since = i + 2
    return found


def test_every_input_is_a_local_file_read_by_the_demuxer_its_kind_allows() -> None:
    """A clip that became a playlist after it was probed still cannot read another file: each
    input admits only the file protocol and the plain demuxers for what it holds."""
    inputs = _inputs(build_argv(_plan(Encoder("libx264"))))
    assert set(inputs) == {
        "file:/w/s0-9x16.y4m",
        "file:/w/p0-9x16.png",
        "file:/w/clip.mp4",
        "file:/w/logo.png",
        "file:/w/master.wav",
    }
    formats = {name: _after(opts, "-format_whitelist") for name, opts in inputs.items()}
    assert formats == {
        "file:/w/s0-9x16.y4m": ["yuv4mpegpipe"],
        "file:/w/p0-9x16.png": ["png_pipe"],
        "file:/w/clip.mp4": ["mov,matroska"],
        "file:/w/logo.png": ["png_pipe"],
        "file:/w/master.wav": ["wav"],
    }
    assert all(_after(opts, "-protocol_whitelist") == ["file"] for opts in inputs.values())


def test_x264_high_yuv420p_aac_faststart() -> None:
    argv = build_argv(_plan(Encoder("libx264")))
    assert argv[0] == "ffmpeg" and argv.count("-filter_complex") == 1
    assert _after(argv, "-c:v") == ["libx264"] and _after(argv, "-preset") == ["veryfast"]
    assert _after(argv, "-profile:v") == ["high"] and _after(argv, "-pix_fmt") == ["yuv420p"]
    assert _after(argv, "-c:a") == ["aac"] and _after(argv, "-ar") == ["48000"]
    assert _after(argv, "-movflags") == ["+faststart"]
    assert "/o/9x16.mp4" in argv and "/o/9x16-poster.png" in argv and "/o/9x16-sheet.png" in argv


def test_filters_run_single_sliced_leaving_the_cores_to_the_encoder() -> None:
    argv = build_argv(_plan(Encoder("libx264"), ("9:16", "1:1")))
    assert _after(argv, "-filter_complex_threads") == ["1"]
    assert argv.index("-filter_complex_threads") < argv.index("-filter_complex")
    assert "threads=" not in _after(argv, "-filter_complex")[0]


def test_nvenc_argv() -> None:
    argv = build_argv(_plan(Encoder("h264_nvenc")))
    assert _after(argv, "-c:v") == ["h264_nvenc"]
    assert _after(argv, "-preset") == ["p4"] and _after(argv, "-profile:v") == ["high"]
    assert "libx264" not in argv
    assert "h264_nvenc" in nvenc_probe_argv()


def test_all_targets_share_one_run_with_split_audio() -> None:
    argv = build_argv(_plan(Encoder("libx264"), ("9:16", "1:1", "4:5", "16:9")))
    graph = _after(argv, "-filter_complex")[0]
    assert "asplit=4[a0][a1][a2][a3]" in graph
    assert _after(argv, "-map").count("[a3]") == 1
    assert graph.count("concat=n=2") == 4 and "crop=1920:1080" in graph


def test_scene_inputs_loop_stills_and_overlay_products() -> None:
    argv = build_argv(_plan(Encoder("libx264")))
    graph = _after(argv, "-filter_complex")[0]
    assert _inputs(argv)["file:/w/s0-9x16.y4m"][-4:] == ["-stream_loop", "-1", "-t", "2.200"]
    assert "trim=end_frame=60" in graph and "overlay=100:200" in graph
    assert "crop=400:720:10:0" in graph and "tpad=stop_mode=clone:stop=30" in graph
    assert "ass=filename=/w/c-9x16.ass" in graph


def test_frame_counts_add_up_to_the_video() -> None:
    counts = frame_counts([1.01, 1.01, 0.99], 30, 3.0)
    assert sum(counts) == 90 and all(c >= 29 for c in counts)


def test_motion_filters() -> None:
    zoom = motion_filters(Motion.ZOOM_IN, 1080, 1920, 300, 30)
    assert zoom.startswith("scale=") and "eval=frame" in zoom and zoom.endswith("'")
    assert "crop=1080:1920" in zoom
    assert motion_filters(Motion.NONE, 1080, 1920, 300, 30) == "crop=1080:1920"
    assert "x='" in motion_filters(Motion.PAN_RIGHT, 1080, 1920, 300, 30)


def test_escape_protects_filtergraph_syntax() -> None:
    assert escape("/a b/c:d,e'f") == r"/a b/c\\:d\,e\\\'f"
