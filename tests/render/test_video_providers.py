"""Production video generators against local fakes: Runway's submit/poll/download and Veo's
long-running operation on Vertex AI (the real Gen AI SDK against a fake of its REST format).

Time is simulated: the adapters take ``sleep`` and ``clock``, so polling with backoff and the
task deadline are exercised without waiting.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from google.oauth2.credentials import Credentials

from gpu_jobs.bootstrap import build_video_gen
from gpu_jobs.encoder import Encoder
from gpu_jobs.render import render
from gpu_jobs.scenes import ProceduralScenes, VideoGenerationFailed, clip_frame
from gpu_jobs.scenes_runway import RunwayVideoGen, build_request, nearest_ratio
from gpu_jobs.scenes_veo import VeoVideoGen, video_config
from gpu_jobs.settings import RenderSettings
from gpu_jobs.voice import EspeakVoice
from shared.errors import BadInput, PermanentError, TransientError, Unauthorized
from shared.models.render import parse_spec
from tests.fakes.http_server import HttpError
from tests.fakes.runway_api import CDN_HOST, FakeRunwayAPI, PublicRoute, resolver, tiny_clip
from tests.fakes.veo_api import FakeVeoAPI
from tests.render.conftest import base_spec

KEY = "key_test"
COLORS = ["#1a2a6c", "#f5b700"]


class FakeTime:
    """A clock that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def _runway(fake: FakeRunwayAPI, time: FakeTime, **kwargs: Any) -> RunwayVideoGen:
    return RunwayVideoGen(
        kwargs.pop("api_key", KEY),
        base_url=fake.url,
        download_transport=PublicRoute(fake.port),
        download_resolver=resolver,
        sleep=time.sleep,
        clock=time.clock,
        **kwargs,
    )


def _generate(gen: Any, out: Path, width: int = 720, height: int = 1280) -> Any:
    return gen.generate(
        "sunrise over a mountain lake (hook)",
        duration_s=3.4,
        width=width,
        height=height,
        brand_colors=COLORS,
        out_dir=out,
    )


# --- Runway: the request ---


def test_ratios_and_durations_are_the_nearest_the_model_accepts() -> None:
    assert build_request("veo3.1_fast", "p", 3.4, 1944, 3456) == {
        "model": "veo3.1_fast",
        "promptText": "p",
        "ratio": "1080:1920",  # portrait, and at least as wide as asked for
        "duration": 4,
        "audio": False,
    }
    assert nearest_ratio(("1280:720", "720:1280", "960:960", "832:1104"), 1080, 1350) == "832:1104"
    gen4 = build_request("gen4_turbo", "p" * 2000, 7.0, 1080, 1080)
    assert (gen4["ratio"], gen4["duration"], len(gen4["promptText"])) == ("960:960", 10, 1000)
    assert build_request("veo3", "p", 2.0, 1280, 720)["duration"] == 8


def test_an_unknown_runway_model_is_refused_up_front() -> None:
    with pytest.raises(PermanentError, match="gen9"):
        RunwayVideoGen(KEY, model="gen9")


# --- Runway against its fake ---


def test_runway_submits_polls_with_backoff_and_downloads_the_clip(tmp_path: Path) -> None:
    time = FakeTime()
    with FakeRunwayAPI(api_key=KEY, polls_before_done=3) as fake:
        scene = _generate(_runway(fake, time), tmp_path)
    submit, *polls, download = fake.requests
    assert (submit.method, submit.path) == ("POST", "/v1/text_to_video")
    assert submit.headers["authorization"] == f"Bearer {KEY}"
    assert submit.headers["x-runway-version"] == "2024-11-06"
    assert submit.json["promptText"] == "sunrise over a mountain lake (hook)"
    assert (submit.json["ratio"], submit.json["duration"]) == ("720:1280", 4)
    task_id = next(iter(fake.tasks))
    assert [p.path for p in polls] == [f"/v1/tasks/{task_id}"] * 4
    assert time.sleeps == [5.0, 7.5, 11.25]  # one pause between polls, growing
    assert download.headers["host"] == CDN_HOST  # fetched through the checked, pinned address
    assert scene.kind == "clip" and scene.path.read_bytes() == tiny_clip()
    frame, seconds = clip_frame(scene.path, "scene")
    assert frame.shape[:2] == (72, 128) and seconds == pytest.approx(1.0, abs=0.1)


def test_a_clip_is_generated_once_per_prompt_and_shape(tmp_path: Path) -> None:
    time = FakeTime()
    with FakeRunwayAPI(api_key=KEY, polls_before_done=0) as fake:
        gen = _runway(fake, time)
        first, again = _generate(gen, tmp_path), _generate(gen, tmp_path)
        wide = _generate(gen, tmp_path, 1280, 720)
    assert first.path == again.path and wide.path != first.path
    assert len(fake.tasks) == 2


def test_gen4_starts_from_the_brand_coloured_backdrop(tmp_path: Path) -> None:
    with FakeRunwayAPI(api_key=KEY, polls_before_done=0) as fake:
        _generate(_runway(fake, FakeTime(), model="gen4_turbo"), tmp_path, 1080, 1080)
    submit = fake.requests[0]
    assert submit.path == "/v1/image_to_video"
    uri = submit.json["promptImage"]
    assert uri.startswith("data:image/jpeg;base64,")
    image = cv2.imdecode(np.frombuffer(base64.b64decode(uri.split(",", 1)[1]), np.uint8), 1)
    assert image.shape[:2] == (960, 960)
    backdrop = ProceduralScenes().generate(
        submit.json["promptText"], duration_s=1, width=960, height=960,
        brand_colors=COLORS, out_dir=tmp_path,
    )  # fmt: skip
    expected = cv2.imread(str(backdrop.path)).astype(np.int16)
    assert np.abs(image.astype(np.int16) - expected).mean() < 4  # the same picture, as JPEG


def test_a_failed_task_is_a_typed_error_with_runways_reason(tmp_path: Path) -> None:
    failure = ("SAFETY.INPUT.TEXT", "The prompt was flagged by content moderation.")
    with (
        FakeRunwayAPI(api_key=KEY, polls_before_done=1, failure=failure) as fake,
        pytest.raises(VideoGenerationFailed) as err,
    ):
        _generate(_runway(fake, FakeTime()), tmp_path)
    assert err.value.code == "SAFETY.INPUT.TEXT"
    assert "flagged by content moderation" in str(err.value)
    assert not any(r.path.startswith("/clips/") for r in fake.requests)  # nothing downloaded
    assert not list(tmp_path.glob("runway-*.mp4"))


def test_an_internal_failure_is_worth_retrying(tmp_path: Path) -> None:
    failure = ("INTERNAL.BAD_OUTPUT.CODE01", "An unexpected error occurred.")
    with (
        FakeRunwayAPI(api_key=KEY, polls_before_done=0, failure=failure) as fake,
        pytest.raises(TransientError, match="INTERNAL"),
    ):
        _generate(_runway(fake, FakeTime()), tmp_path)


def test_a_429_on_submit_is_retried_after_retry_after(tmp_path: Path) -> None:
    time = FakeTime()
    busy = HttpError(429, "You have exceeded the rate limit.", {"retry-after": "7"})
    with FakeRunwayAPI(api_key=KEY, polls_before_done=0, submit_errors=[busy]) as fake:
        scene = _generate(_runway(fake, time), tmp_path)
    submits = [r for r in fake.requests if r.method == "POST"]
    assert len(submits) == 2 and len(fake.tasks) == 1
    assert time.sleeps[0] == 7.0
    assert scene.path.exists()


def test_a_poll_that_hits_a_5xx_carries_on(tmp_path: Path) -> None:
    time = FakeTime()
    with FakeRunwayAPI(
        api_key=KEY, polls_before_done=1, poll_errors=[HttpError(502, "bad gateway")]
    ) as fake:
        scene = _generate(_runway(fake, time), tmp_path)
    task_id = next(iter(fake.tasks))
    polls = [r for r in fake.requests if r.path == f"/v1/tasks/{task_id}"]
    assert len(polls) == 3  # the 502, its retry (still PENDING), then SUCCEEDED
    assert 1.0 <= time.sleeps[0] <= 2.0  # the retry's backoff: 1 s plus up to 1 s of jitter
    assert time.sleeps[1:] == [5.0]  # then the ordinary pause between polls
    assert scene.path.read_bytes() == tiny_clip()


def test_a_task_slower_than_the_deadline_is_a_transient_error(tmp_path: Path) -> None:
    time = FakeTime()
    with FakeRunwayAPI(api_key=KEY, polls_before_done=1000) as fake:
        gen = _runway(fake, time, task_timeout_s=300)
        with pytest.raises(TransientError, match="still RUNNING after 300 s"):
            _generate(gen, tmp_path)
    assert sum(time.sleeps) <= 300
    assert time.sleeps[-1] == 30.0  # backoff is capped


def test_a_wrong_runway_key_names_the_setting(tmp_path: Path) -> None:
    with (
        FakeRunwayAPI(api_key=KEY) as fake,
        pytest.raises(Unauthorized, match="RUNWAY_API_KEY") as err,
    ):
        _generate(_runway(fake, FakeTime(), api_key="key_wrong"), tmp_path)
    assert "key_wrong" not in str(err.value)


def test_a_clip_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    with FakeRunwayAPI(api_key=KEY, polls_before_done=0) as fake:
        gen = _runway(fake, FakeTime(), max_clip_bytes=1000)
        with pytest.raises(BadInput, match="over the 1,000"):
            _generate(gen, tmp_path)


# --- Veo on Vertex AI, through the real SDK ---


def _veo(fake: FakeVeoAPI, time: FakeTime) -> VeoVideoGen:
    return VeoVideoGen(
        project="adloop-test",
        api_endpoint=fake.url,
        credentials=Credentials(token="ya29.veo"),
        max_retries=0,
        sleep=time.sleep,
        clock=time.clock,
    )


def test_veo_runs_the_long_running_operation_and_writes_the_clip(tmp_path: Path) -> None:
    time = FakeTime()
    with FakeVeoAPI(polls_before_done=2) as fake:
        scene = _generate(_veo(fake, time), tmp_path)
    submit, *polls = fake.requests
    model_path = (
        "projects/adloop-test/locations/us-central1/publishers/google/models/"
        "veo-3.1-fast-generate-001"
    )
    assert submit.path.endswith(f"{model_path}:predictLongRunning")
    assert submit.json["instances"] == [{"prompt": "sunrise over a mountain lake (hook)"}]
    parameters = submit.json["parameters"]
    assert parameters["aspectRatio"] == "9:16" and parameters["durationSeconds"] == 4
    assert parameters["generateAudio"] is False and parameters["sampleCount"] == 1
    assert [p.path.endswith(f"{model_path}:fetchPredictOperation") for p in polls] == [True] * 3
    assert polls[0].json["operationName"] == f"{model_path}/operations/op-001"
    assert time.sleeps == [5.0, 7.5, 11.25]
    assert scene.kind == "clip" and scene.path.read_bytes() == tiny_clip()


def test_a_clip_veo_filtered_is_a_typed_error(tmp_path: Path) -> None:
    reasons = ["Veo could not generate videos because the input image violates policy."]
    with (
        FakeVeoAPI(polls_before_done=0, filtered=reasons) as fake,
        pytest.raises(VideoGenerationFailed, match="violates policy"),
    ):
        _generate(_veo(fake, FakeTime()), tmp_path)


def test_veo_shapes_are_16_9_or_9_16() -> None:
    assert video_config(5.0, 1920, 1080, "p")["aspect_ratio"] == "16:9"
    assert video_config(5.0, 1080, 1080, "p")["aspect_ratio"] == "9:16"
    assert video_config(5.0, 1080, 1080, "p")["duration_seconds"] == 6
    assert video_config(12.0, 1080, 1920, "p")["duration_seconds"] == 8


# --- choosing the generator ---


def test_the_video_generator_is_chosen_from_the_environment(job_env: pytest.MonkeyPatch) -> None:
    assert isinstance(build_video_gen(RenderSettings()), ProceduralScenes)
    job_env.setenv("ADLOOP_VIDEO_GEN", "runway")
    with pytest.raises(PermanentError, match="ADLOOP_VIDEO_GEN=runway needs RUNWAY_API_KEY"):
        build_video_gen(RenderSettings())
    job_env.setenv("RUNWAY_API_KEY", "k")
    job_env.setenv("ADLOOP_RUNWAY_MODEL", "gen4.5")
    runway = build_video_gen(RenderSettings())
    assert isinstance(runway, RunwayVideoGen) and runway.model == "gen4.5"
    job_env.setenv("ADLOOP_VIDEO_GEN", "veo")
    with pytest.raises(PermanentError, match="ADLOOP_VIDEO_GEN=veo needs ADLOOP_GCP_PROJECT"):
        build_video_gen(RenderSettings())
    job_env.setenv("ADLOOP_GCP_PROJECT", "p")
    job_env.setenv("ADLOOP_VEO_MODEL", "veo-3.1-generate-001")
    veo = build_video_gen(RenderSettings())
    assert isinstance(veo, VeoVideoGen) and veo.model == "veo-3.1-generate-001"
    job_env.setenv("ADLOOP_VIDEO_GEN", "sora")
    with pytest.raises(PermanentError, match="procedural, runway, veo"):
        build_video_gen(RenderSettings())


def test_a_render_uses_a_runway_clip_as_a_scene_in_every_aspect(
    assets: Path, tmp_path: Path
) -> None:
    data = base_spec(
        duration_s=2,
        targets=["9:16", "16:9"],
        scenes=[{"kind": "generated", "prompt": "sunrise over a mountain lake"}],
        product_images=[],
        voice=None,
    )
    with FakeRunwayAPI(api_key=KEY, polls_before_done=1) as fake:
        gen = _runway(fake, FakeTime())
        manifest = render(
            parse_spec(json.dumps(data)),
            assets,
            tmp_path / "out",
            voice=EspeakVoice(),  # the spec has no voice-over
            video_gen=gen,
            encoder=Encoder("libx264"),
        )
        submits = [r for r in fake.requests if r.method == "POST"]
    sizes = {(o["width"], o["height"]) for o in manifest["outputs"]}
    assert sizes == {(1080, 1920), (1920, 1080)}
    assert len(submits) == 2, "one generation per aspect shape"
    for output in manifest["outputs"]:
        frame, seconds = clip_frame(tmp_path / "out" / output["video"], "video")
        assert seconds == pytest.approx(2.0, abs=0.1)
