"""Real renders checked the way a platform checks them: ffprobe, ebur128, and OCR of captions."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from gpu_jobs.encoder import Encoder
from gpu_jobs.job import run_job
from gpu_jobs.render import render
from gpu_jobs.voice import EspeakVoice
from shared.adapters.local_folder import FolderBlobs
from shared.models.render import parse_spec
from tests.fakes.runway_api import tiny_clip
from tests.render.conftest import base_spec, offline

SCRIPT = "Hello summer. Drink water daily."
X264 = Encoder("libx264")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    from tests.render.conftest import EXAMPLES

    root = tmp_path_factory.mktemp("r")
    for name in ("product.png", "scene.jpg", "logo.png"):
        (root / name).write_bytes((EXAMPLES / name).read_bytes())
    data = base_spec(voice={"script": SCRIPT, "voice": "en-us", "rate_wpm": 150})
    spec = parse_spec(json.dumps(data))
    out = root / "out"
    manifest = render(spec, root, out, **offline(), encoder=Encoder("libx264"))
    return out, manifest


def _probe(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def _loudness(path: Path) -> tuple[float, float]:
    log = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    summary = log[log.rfind("Summary:") :]
    i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return i, peak


def _moov_before_mdat(path: Path) -> bool:
    data = path.read_bytes()[:4_000_000]
    return 0 <= data.find(b"moov") < data.find(b"mdat")


def test_output_passes_platform_checks(rendered: tuple[Path, dict[str, Any]]) -> None:
    out, manifest = rendered
    video = out / manifest["outputs"][0]["video"]
    info = _probe(video)
    v = next(s for s in info["streams"] if s["codec_type"] == "video")
    a = next(s for s in info["streams"] if s["codec_type"] == "audio")
    assert (v["codec_name"], v["profile"], v["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert (v["width"], v["height"], v["r_frame_rate"]) == (1080, 1920, "30/1")
    assert abs(float(info["format"]["duration"]) - 3.0) <= 0.1
    assert abs(float(v["duration"]) - 3.0) <= 0.1
    assert (a["codec_name"], a["sample_rate"]) == ("aac", "48000")
    assert _moov_before_mdat(video)
    integrated, true_peak = _loudness(video)
    assert -15.0 <= integrated <= -13.0
    assert true_peak <= -1.0


def test_poster_contact_sheet_and_manifest(rendered: tuple[Path, dict[str, Any]]) -> None:
    out, manifest = rendered
    o = manifest["outputs"][0]
    for key in ("poster", "contact_sheet"):
        stream = _probe(out / o[key])["streams"][0]
        assert stream["codec_name"] == "png" and stream["width"] == 1080
    assert json.loads((out / "manifest.json").read_text())["video_id"] == "t1"
    assert [w["text"] for w in manifest["words"]] == SCRIPT.split()


def test_spoken_word_is_on_screen_while_spoken(
    rendered: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    out, manifest = rendered
    word = next(w for w in manifest["words"] if w["text"] == "water")
    at = (word["start_s"] + word["end_s"]) / 2
    frame = tmp_path / "frame.png"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-ss",
            f"{at:.3f}",
            "-i",
            str(out / manifest["outputs"][0]["video"]),
            "-frames:v",
            "1",
            "-vf",
            "crop=1080:420:0:860",
            str(frame),
        ],
        check=True,
    )
    # keep only caption ink (white words, the gold highlight) as black on white for tesseract
    bgr = cv2.imread(str(frame))
    ink = (bgr[:, :, 2] > 170) & (bgr[:, :, 1] > 150)
    cv2.imwrite(str(frame), np.where(ink, 0, 255).astype(np.uint8))
    text = subprocess.run(
        ["tesseract", str(frame), "-", "--psm", "6"], capture_output=True, text=True, check=True
    ).stdout
    assert "water" in text.lower()


def test_voice_word_timings_follow_the_script(tmp_path: Path) -> None:
    speech = EspeakVoice().synthesize("La canción más rápida, 2024.", "es", 170, tmp_path / "v.wav")
    assert [w.text for w in speech.words] == ["La", "canción", "más", "rápida,", "2024."]
    starts = [w.start_s for w in speech.words]
    assert starts == sorted(starts) and speech.words[-1].end_s <= speech.duration_s + 1e-3


def test_job_reads_spec_and_assets_from_blobs_and_writes_results(tmp_path: Path) -> None:
    from tests.render.conftest import EXAMPLES

    blobs = FolderBlobs(tmp_path / "bucket")
    blobs.put("campaigns/c1/V1/product.png", (EXAMPLES / "product.png").read_bytes())
    data = base_spec(
        duration_s=1,
        targets=["1:1"],
        scenes=[{"kind": "generated", "prompt": "sunrise", "motion": "zoom_out"}],
        voice=None,
        brand={"colors": ["#224466"]},
        captions={"style": "none"},
    )
    blobs.put("campaigns/c1/V1/spec.json", json.dumps(data).encode())
    manifest = run_job(blobs, "campaigns/c1/V1/spec.json", "campaigns/c1/V1/out", **offline())
    listed = blobs.list("campaigns/c1/V1/out/")
    assert "campaigns/c1/V1/out/t1-1x1.mp4" in listed
    assert "campaigns/c1/V1/out/manifest.json" in listed
    assert manifest["outputs"][0]["target"] == "1:1"


def test_job_refuses_assets_outside_the_spec_folder(tmp_path: Path) -> None:
    blobs = FolderBlobs(tmp_path / "bucket")
    blobs.put("other/secret.png", b"x")
    data = base_spec(
        product_images=["../../other/secret.png"],
        scenes=[{"kind": "generated", "prompt": "x"}],
        brand={"colors": ["#224466"]},
    )
    blobs.put("c/V1/spec.json", json.dumps(data).encode())
    with pytest.raises(Exception, match="product_images.0"):
        run_job(blobs, "c/V1/spec.json", "c/V1/out", **offline())


LONG_SCRIPT = "Receipts https colon slash slash evil dot example slash login today."


def test_a_voice_longer_than_the_video_is_refused_unless_the_spec_lets_it_stretch(
    tmp_path: Path,
) -> None:
    """The pipeline's render step only estimates how long a script takes to say; a spec that
    asks for ``fit: stretch`` gets a video long enough for its voice instead of a refusal."""
    from shared.errors import BadInput
    from tests.render.conftest import EXAMPLES

    for name in ("product.png", "scene.jpg", "logo.png"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    strict = base_spec(voice={"script": LONG_SCRIPT, "voice": "en-us"})
    with pytest.raises(BadInput, match="does not fit duration_s=3"):
        render(
            parse_spec(json.dumps(strict)),
            tmp_path,
            tmp_path / "a",
            **offline(),
            encoder=Encoder("libx264"),
        )

    stretch = base_spec(voice={"script": LONG_SCRIPT, "voice": "en-us", "fit": "stretch"})
    manifest = render(
        parse_spec(json.dumps(stretch)),
        tmp_path,
        tmp_path / "b",
        **offline(),
        encoder=Encoder("libx264"),
    )
    (video,) = (tmp_path / "b").glob("*.mp4")
    seconds = float(_probe(video)["format"]["duration"])
    spoken = max(w["end_s"] for w in manifest["words"]) if manifest.get("words") else None
    assert seconds > 4.0, "the video was lengthened past its 3 s"
    assert manifest["stretched_from_s"] == 3, "the lengthening is recorded, not silent"
    if spoken is not None:
        assert spoken <= seconds

    # Render attack L1: a voice that outlasts twice the video is refused, not stretched to fit.
    too_long = base_spec(
        voice={"script": f"{LONG_SCRIPT} {LONG_SCRIPT}", "voice": "en-us", "fit": "stretch"}
    )
    with pytest.raises(BadInput, match=r"even stretched \(at most 6 s\)"):
        render(
            parse_spec(json.dumps(too_long)),
            tmp_path,
            tmp_path / "c",
            **offline(),
            encoder=Encoder("libx264"),
        )


def test_a_real_clip_with_a_voice_and_no_music_renders(tmp_path: Path) -> None:
    """Issue 13: a plain MP4 clip still renders now that clips are probed (finding 2), and a
    voice with ``music.kind: none`` is the soundtrack on its own (finding 15)."""
    (tmp_path / "clip.mp4").write_bytes(tiny_clip(2.0))
    data = base_spec(
        duration_s=2,
        targets=["1:1"],
        scenes=[{"kind": "clip", "source": "clip.mp4"}],
        product_images=[],
        voice={"script": "Cold water.", "voice": "en-us"},
        music={"kind": "none"},
        captions={"style": "none"},
        brand={"colors": ["#224466"]},
    )
    manifest = render(
        parse_spec(json.dumps(data)), tmp_path, tmp_path / "out", **offline(), encoder=X264
    )
    video = tmp_path / "out" / manifest["outputs"][0]["video"]
    kinds = {s["codec_type"] for s in _probe(video)["streams"]}
    assert kinds == {"video", "audio"}
    integrated, _ = _loudness(video)
    assert -15.0 <= integrated <= -13.0  # the voice, mastered: not silence
