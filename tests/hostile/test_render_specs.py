"""Hostile render specs through ``shared.models.render.parse_spec`` +
``gpu_jobs.assets.resolve`` and ``adloop render``: each is refused with BadInput naming the
field (exit 2, no stack trace, no output folder) before ffmpeg runs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from gpu_jobs.assets import resolve
from gpu_jobs.job import run_job
from infra.cli import main
from shared.adapters.local_folder import FolderBlobs
from shared.errors import BadInput
from shared.models.render import parse_spec
from tests.conftest import ADLOOP
from tests.fakes.runway_api import tiny_clip
from tests.media.images import png_declaring
from tests.render.conftest import base_spec, offline


def _scene(**changes: Any) -> dict[str, Any]:
    spec = base_spec()
    spec["scenes"][0].update(changes)
    return spec


def _brand(**changes: Any) -> dict[str, Any]:
    spec = base_spec()
    spec["brand"].update(changes)
    return spec


# (id, spec as JSON data or raw bytes, text the message must contain)
CASES: list[tuple[str, Any, str]] = [
    ("not-json", b"{video_id: t1", "not valid JSON"),
    ("empty", b"", "not valid JSON"),
    ("not-utf8", b'{"video_id": "\xff"}', "not valid JSON"),
    ("utf16-garbage", b"\xff\xfe\x00", "not valid JSON"),
    ("deep", b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ("null", b"null", "(root)"),
    ("list", b"[]", "(root)"),
    ("string", b'"spec"', "(root)"),
    ("zero-duration", base_spec(duration_s=0), "duration_s"),
    ("negative-duration", base_spec(duration_s=-3), "duration_s"),
    ("huge-duration", base_spec(duration_s=86_400), "duration_s"),
    ("nan-duration", b'{"video_id": "t1", "duration_s": NaN, "scenes": []}', "duration_s"),
    ("infinite-duration", b'{"video_id": "t1", "duration_s": Infinity}', "duration_s"),
    ("text-duration", base_spec(duration_s="three"), "duration_s"),
    ("no-scenes", base_spec(scenes=[]), "scenes"),
    ("too-many-scenes", base_spec(scenes=[{"kind": "generated", "prompt": "x"}] * 21), "scenes"),
    ("scene-zero-duration", _scene(duration_s=0), "scenes.0.duration_s"),
    ("scenes-too-long", _scene(duration_s=60), "scenes add up"),
    ("unknown-kind", _scene(kind="webpage"), "scenes.0.kind"),
    ("unknown-motion", _scene(motion="spin"), "scenes.0.motion"),
    ("image-without-source", _scene(source=None), "source"),
    ("generated-without-prompt", base_spec(scenes=[{"kind": "generated"}]), "prompt"),
    ("unknown-field", base_spec(command="rm -rf /"), "command"),
    ("video-id-traversal", base_spec(video_id="../../etc"), "video_id"),
    ("video-id-slash", base_spec(video_id="a/b"), "video_id"),
    ("video-id-empty", base_spec(video_id=""), "video_id"),
    ("video-id-huge", base_spec(video_id="v" * 65), "video_id"),
    ("fps-odd", base_spec(fps=29.97), "fps"),
    ("unknown-target", base_spec(targets=["21:9"]), "targets"),
    ("no-targets", base_spec(targets=[]), "targets"),
    ("huge-script", base_spec(voice={"script": "word " * 10_000}), "voice.script"),
    ("empty-script", base_spec(voice={"script": ""}), "voice.script"),
    ("fast-voice", base_spec(voice={"script": "hi", "rate_wpm": 10_000}), "voice.rate_wpm"),
    ("voice-path", base_spec(voice={"script": "hi", "voice": "../../etc/passwd"}), "voice.voice"),
    ("voice-variant-huge", base_spec(voice={"script": "hi", "voice": "en+" + "a" * 300}), "voice"),
    (
        "overlay-huge",
        base_spec(on_screen_text=[{"text": "x" * 121, "start_s": 0, "end_s": 1}]),
        "on_screen_text",
    ),
    (
        "overlay-negative",
        base_spec(on_screen_text=[{"text": "x", "start_s": -1, "end_s": 1}]),
        "on_screen_text",
    ),
    ("music-loud", base_spec(music={"gain_db": 12}), "music.gain_db"),
    ("music-file-without-path", base_spec(music={"kind": "file"}), "music.path"),
    ("caption-font-huge", base_spec(captions={"font_size": 5000}), "captions.font_size"),
    ("colour-not-hex", _brand(colors=["red"]), "brand.colors"),
    ("colour-injection", _brand(colors=["#000000'; drop"]), "brand.colors"),
    ("no-colours", _brand(colors=[]), "brand.colors"),
    ("unknown-font", _brand(font="Comic Nonexistent Sans"), "brand.font"),
    ("font-filtergraph-injection", _brand(font="DejaVu Sans:fontfile=/etc/passwd"), "brand.font"),
    ("font-file-outside", _brand(font="../../../usr/share/fonts/x.ttf"), "brand.font"),
    ("font-file-missing", _brand(font="missing.ttf"), "brand.font"),
    ("font-not-a-font", _brand(font="scene.jpg.ttf"), "brand.font"),
    ("source-traversal", _scene(source="../../../../etc/passwd"), "scenes.0.source"),
    ("source-absolute", _scene(source="/etc/passwd"), "scenes.0.source"),
    ("source-missing", _scene(source="nope.jpg"), "scenes.0.source"),
    ("source-folder", _scene(source="."), "scenes.0.source"),
    ("logo-traversal", _brand(logo="../logo.png"), "brand.logo"),
    ("product-absolute", base_spec(product_images=["/etc/hostname"]), "product_images.0"),
    ("music-traversal", base_spec(music={"kind": "file", "path": "../../x.mp3"}), "music.path"),
    ("url-loopback", _scene(source="http://127.0.0.1:8080/scene.jpg"), "scenes.0.source"),
    ("url-metadata", _scene(source="http://169.254.169.254/latest/meta-data/"), "scenes.0.source"),
    ("url-localhost", base_spec(product_images=["https://localhost/p.png"]), "product_images.0"),
    ("url-private", base_spec(product_images=["http://10.0.0.8/p.png"]), "product_images.0"),
    ("url-ipv6-loopback", base_spec(product_images=["http://[::1]/p.png"]), "product_images.0"),
    (
        "url-mapped",
        base_spec(product_images=["http://[::ffff:127.0.0.1]/p.png"]),
        "product_images.0",
    ),
    ("url-decimal", base_spec(product_images=["http://2130706433/p.png"]), "product_images.0"),
    ("url-zero", _brand(logo="http://0.0.0.0:22/"), "brand.logo"),
    ("url-file", _scene(source="file:///etc/passwd"), "scenes.0.source"),
    ("url-gopher", _scene(source="gopher://127.0.0.1:6379/_FLUSHALL"), "scenes.0.source"),
    ("url-font", _brand(font="http://127.0.0.1/evil.ttf"), "brand.font"),
    (
        "url-music",
        base_spec(music={"kind": "file", "path": "http://192.168.0.1/a.mp3"}),
        "music.path",
    ),
    # Every list is bounded: 1,000 targets or overlays kept ffmpeg busy for minutes.
    ("targets-1000", base_spec(targets=["1:1"] * 1000), "targets"),
    (
        "overlays-1000",
        base_spec(on_screen_text=[{"text": "a", "start_s": 0, "end_s": 1}] * 1000),
        "on_screen_text",
    ),
    ("products-100", base_spec(product_images=["product.png"] * 100), "product_images"),
]


def _bytes(data: Any) -> bytes:
    return data if isinstance(data, bytes) else json.dumps(data).encode()


@pytest.mark.parametrize(("data", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_specs_are_refused_naming_the_field(assets: Path, data: Any, field: str) -> None:
    (assets / "scene.jpg.ttf").write_bytes(b"not a font")
    with pytest.raises(BadInput) as err:
        resolve(parse_spec(_bytes(data)), assets)
    assert field.lower() in str(err.value).lower(), str(err.value)[:400]


CLI = [
    "not-json",
    "deep",
    "zero-duration",
    "huge-script",
    "source-traversal",
    "url-metadata",
    "unknown-font",
    "not-utf8",
]


@pytest.mark.parametrize("name", CLI)
def test_adloop_render_exits_2_with_the_field_and_renders_nothing(
    home: Path, assets: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    _, data, field = next(c for c in CASES if c[0] == name)
    spec = assets / "spec.json"
    spec.write_bytes(_bytes(data))
    assert main(["render", str(spec), "--out", str(assets / "out")]) == 2
    err = capsys.readouterr().err
    assert field.lower() in err.lower() and "Traceback" not in err
    assert not (assets / "out").exists()


def test_adloop_render_refuses_a_folder_and_a_missing_spec(
    home: Path, assets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in (assets, assets / "missing.json"):
        assert main(["render", str(path), "--out", str(assets / "out")]) == 2
        assert "no file at" in capsys.readouterr().err


def test_the_real_render_command_refuses_a_private_url_without_a_traceback(
    home: Path, assets: Path
) -> None:
    spec = assets / "spec.json"
    spec.write_text(json.dumps(_scene(source="http://169.254.169.254/computeMetadata/v1/")))
    done = subprocess.run(
        [ADLOOP, "render", str(spec), "--out", str(assets / "out")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "scenes.0.source" in done.stderr and "169.254.169.254" in done.stderr
    assert "Traceback" not in done.stderr


# Images that are not what they claim (issue 13, finding 9): file -> (field, message words).
IMAGES = [
    ("product-bomb", "product_images", "product_images.0", "40,000,000 pixels"),
    ("scene-bomb", "scene", "scenes.0.source", "40,000,000 pixels"),
    ("logo-bomb", "logo", "brand.logo", "40,000,000 pixels"),
    ("product-text", "product_text", "product_images.0", "not a PNG, JPEG or WebP image"),
    # issue 18, finding 8: no product to show is an error saying what to upload, not a video
    ("product-empty", "product_empty", "product_images.0", "fully transparent"),
]


def _image_spec(assets: Path, where: str) -> dict[str, Any]:
    (assets / "bomb.png").write_bytes(png_declaring(50_000, 50_000))
    (assets / "notes.png").write_text("not an image at all\n")
    if where == "scene":
        return _scene(source="bomb.png")
    if where == "logo":
        return _brand(logo="bomb.png")
    if where == "product_text":
        return base_spec(product_images=["notes.png"])
    if where == "product_empty":
        Image.new("RGBA", (800, 800), (0, 0, 0, 0)).save(assets / "empty.png")
        return base_spec(product_images=["empty.png"])
    return base_spec(product_images=["bomb.png"])


@pytest.mark.parametrize(
    ("where", "field", "words"), [c[1:] for c in IMAGES], ids=[c[0] for c in IMAGES]
)
def test_adloop_render_refuses_a_bomb_or_a_non_image_by_its_header(
    home: Path, assets: Path, capsys: pytest.CaptureFixture[str], where: str, field: str, words: str
) -> None:
    spec = assets / "spec.json"
    spec.write_text(json.dumps(_image_spec(assets, where)))
    assert main(["render", str(spec), "--out", str(assets / "out")]) == 2
    err = capsys.readouterr().err
    assert field in err and words in err and "Traceback" not in err, err
    assert not (assets / "out").exists()


def test_the_render_job_refuses_a_bomb_in_its_blobs_before_opencv(tmp_path: Path) -> None:
    blobs = FolderBlobs(tmp_path / "bucket")
    blobs.put("c/V1/bomb.png", png_declaring(20_000, 20_000))
    data = base_spec(
        product_images=["bomb.png"],
        scenes=[{"kind": "generated", "prompt": "x"}],
        brand={"colors": ["#224466"]},
    )
    blobs.put("c/V1/spec.json", json.dumps(data).encode())
    with pytest.raises(BadInput, match=r"product_images\.0: bomb\.png: .*40,000,000 pixels"):
        run_job(blobs, "c/V1/spec.json", "c/V1/out", **offline())
    assert blobs.list("c/V1/out") == []


def test_the_real_render_command_refuses_a_bomb_without_a_traceback(
    home: Path, assets: Path
) -> None:
    spec = assets / "spec.json"
    spec.write_text(json.dumps(_image_spec(assets, "product")))
    done = subprocess.run(
        [ADLOOP, "render", str(spec), "--out", str(assets / "out")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr[-800:]
    assert "product_images.0: bomb.png" in done.stderr and "40,000,000 pixels" in done.stderr
    assert "Traceback" not in done.stderr and "cv2.error" not in done.stderr


# Files that name other files (issue 13, finding 2): a playlist, list or manifest given as a clip
# or as music makes ffmpeg (and OpenCV) read what it lists, from anywhere. Each is refused by what
# ffprobe says it is, whatever its name, before anything opens what it lists.
HLS = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n{target}\n#EXT-X-ENDLIST\n"
FFCONCAT = "ffconcat version 1.0\nfile {target}\n"
MPD = (
    '<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" '
    'mediaPresentationDuration="PT1S" minBufferTime="PT1S" '
    'profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"><Period><AdaptationSet '
    'mimeType="video/mp4"><Representation id="1" bandwidth="1000"><BaseURL>{target}</BaseURL>'
    "</Representation></AdaptationSet></Period></MPD>\n"
)
# (id, file name in the spec folder, its text ({target}: the file outside), what it names)
LISTS = [
    ("hls-outside-clip", "clip.m3u8", HLS, "secret.mp4"),
    ("hls-passwd", "clip.m3u8", HLS, "/etc/passwd"),
    ("hls-relative", "clip.m3u8", HLS, "../secret.mp4"),
    ("hls-named-mp4", "clip.mp4", HLS, "secret.mp4"),
    ("hls-named-m3u", "clip.m3u", HLS, "secret.mp4"),
    ("ffconcat", "clip.ffconcat", FFCONCAT, "secret.mp4"),
    ("ffconcat-named-mp4", "clip.mp4", FFCONCAT, "secret.mp4"),
    ("ffconcat-named-mkv", "clip.mkv", FFCONCAT, "/etc/passwd"),
    ("dash-named-mp4", "clip.mp4", MPD, "secret.mp4"),
    ("text-named-mp4", "clip.mp4", "just some text {target}\n", "secret.mp4"),
]


def _outside_clip(assets: Path) -> Path:
    """A real MP4 beside (not inside) the spec folder: what a playlist would smuggle in."""
    secret = assets.parent / "secret.mp4"
    secret.write_bytes(tiny_clip())
    return secret


def _list_spec(assets: Path, name: str, text: str, target: str) -> dict[str, Any]:
    secret = _outside_clip(assets)
    path = str(secret) if target == "secret.mp4" else target
    (assets / name).write_text(text.format(target=path))
    return _scene(kind="clip", source=name)


@pytest.mark.parametrize(
    ("name", "text", "target"), [c[1:] for c in LISTS], ids=[c[0] for c in LISTS]
)
def test_a_clip_that_lists_other_files_is_refused_naming_the_scene(
    assets: Path, name: str, text: str, target: str
) -> None:
    spec = parse_spec(json.dumps(_list_spec(assets, name, text, target)))
    with pytest.raises(BadInput) as err:
        resolve(spec, assets)
    message = str(err.value)
    assert message.startswith(f"scenes.0.source: {name}"), message
    assert "not a video file (MP4, MOV, Matroska or WebM)" in message, message


@pytest.mark.parametrize(
    "source", ["concat:scene.jpg|../secret.mp4", "subfile:,start,0,end,9,:../secret.mp4"]
)
def test_an_ffmpeg_protocol_as_a_clip_source_is_refused_naming_the_scene(
    assets: Path, source: str
) -> None:
    _outside_clip(assets)
    with pytest.raises(BadInput, match=r"^scenes\.0\.source: "):
        resolve(parse_spec(json.dumps(_scene(kind="clip", source=source))), assets)


def test_music_that_lists_other_files_is_refused_naming_music_path(assets: Path) -> None:
    secret = _outside_clip(assets)
    (assets / "bed.mp3").write_text(HLS.format(target=secret))
    spec = parse_spec(json.dumps(base_spec(music={"kind": "file", "path": "bed.mp3"})))
    with pytest.raises(BadInput, match=r"^music\.path: bed\.mp3 is not an audio file"):
        resolve(spec, assets)


def test_adloop_render_refuses_a_playlist_clip_and_renders_nothing(
    home: Path, assets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = assets / "spec.json"
    spec.write_text(json.dumps(_list_spec(assets, "clip.mp4", HLS, "secret.mp4")))
    assert main(["render", str(spec), "--out", str(assets / "out")]) == 2
    err = capsys.readouterr().err
    assert "scenes.0.source: clip.mp4 is not a video file" in err and "Traceback" not in err
    assert not (assets / "out").exists()
