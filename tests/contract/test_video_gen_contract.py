"""The render job's video-generation port (``gpu_jobs.scenes.VideoGen``), run against every adapter.

What the renderer relies on: a scene file inside ``out_dir`` that it can read (a still it moves,
or a clip it crops), the same file again for the same prompt and shape without asking the
provider twice (a redelivered render task must not pay twice), and the port's errors: 429 and 5xx
retried (waiting as ``Retry-After`` asks), a generation the provider refused or failed a
PermanentError with nothing written, its internal failures transient.

Procedural scenes run locally; Runway and Veo run against their wire-format fakes (Veo through
the real google-genai SDK). Simulated time where the adapter takes ``sleep`` and ``clock``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import pytest
from google.oauth2.credentials import Credentials

from gpu_jobs.scenes import GeneratedScene, ProceduralScenes, VideoGen, clip_frame
from gpu_jobs.scenes_runway import RunwayVideoGen, VideoGenerationFailed
from gpu_jobs.scenes_veo import VeoVideoGen
from shared.errors import PermanentError, TransientError
from tests.fakes.http_server import HttpError
from tests.fakes.runway_api import FakeRunwayAPI, PublicRoute, resolver
from tests.fakes.veo_api import FakeVeoAPI

PROMPT = "sunrise over a mountain lake (hook)"
COLORS = ["#1a2a6c", "#f5b700"]
RUNWAY_KEY = "key_contract_never_shown"
VEO_TOKEN = "ya29.contract-veo-token"


@dataclass
class FakeTime:
    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@dataclass
class Rig:
    gen: VideoGen
    fake: Any  # the provider's fake, None offline
    time: FakeTime

    def submits(self) -> int:
        """Requests for a new clip (Veo polls with POSTs too: those are not submits)."""
        return sum(
            1
            for r in self.fake.requests
            if r.method == "POST" and not r.path.endswith(":fetchPredictOperation")
        )


# --- the adapters, built through their constructors (re-point here) --------------------------
# Each remote rig has a two-attempt budget: one inline retry.
# Failures are scripted the same way for both: (submit_errors, failure) where ``failure`` is
# "refused" (the provider's moderation) or "internal" (the provider's own fault).


@contextmanager
def _procedural(**_: Any) -> Iterator[Rig]:
    yield Rig(ProceduralScenes(), None, FakeTime())


@contextmanager
def _runway(
    submit_errors: list[HttpError] = (),  # type: ignore[assignment]
    failure: str | None = None,
    key: str = RUNWAY_KEY,
) -> Iterator[Rig]:
    failures = {
        "refused": ("SAFETY.INPUT.TEXT", "The prompt was flagged by content moderation."),
        "internal": ("INTERNAL.BAD_OUTPUT.CODE01", "An unexpected error occurred."),
    }
    clock = FakeTime()
    with FakeRunwayAPI(
        api_key=RUNWAY_KEY,
        polls_before_done=0,
        submit_errors=submit_errors,
        failure=failures[failure] if failure else None,
    ) as fake:
        gen = RunwayVideoGen(
            key,
            base_url=fake.url,
            attempts=2,
            download_transport=PublicRoute(fake.port),
            download_resolver=resolver,
            sleep=clock.sleep,
            clock=clock.clock,
        )
        yield Rig(gen, fake, clock)


@contextmanager
def _veo(
    submit_errors: list[HttpError] = (),  # type: ignore[assignment]
    failure: str | None = None,
    key: str = VEO_TOKEN,
) -> Iterator[Rig]:
    clock = FakeTime()
    with FakeVeoAPI(
        token=VEO_TOKEN,
        polls_before_done=0,
        submit_errors=submit_errors,
        filtered=["The prompt violates Vertex AI's usage guidelines."]
        if failure == "refused"
        else None,
        failure=(13, "Internal error.") if failure == "internal" else None,
    ) as fake:
        gen = VeoVideoGen(
            project="adloop-contract",
            api_endpoint=fake.url,
            credentials=Credentials(token=key),  # type: ignore[no-untyped-call]
            max_retries=1,
            poll_first_s=0.001,  # the first poll's pause; the contract does not time polling
            sleep=clock.sleep,
            clock=clock.clock,
        )
        yield Rig(gen, fake, clock)


ADAPTERS: dict[str, Callable[..., Any]] = {
    "procedural": _procedural,
    "runway": _runway,
    "veo": _veo,
}
SECRETS = {"runway": RUNWAY_KEY, "veo": VEO_TOKEN}
REMOTE = ("runway", "veo")


def test_every_video_generator_the_render_job_can_build_runs_this_contract() -> None:
    """A generator added to gpu_jobs/bootstrap.py's VIDEO_GENS is done when it passes this."""
    from gpu_jobs.bootstrap import VIDEO_GENS

    assert set(ADAPTERS) == set(VIDEO_GENS)
    assert set(REMOTE) == set(VIDEO_GENS) - {"procedural"}


@pytest.fixture(params=sorted(ADAPTERS))
def rig(request: pytest.FixtureRequest) -> Callable[..., Any]:
    return ADAPTERS[request.param]


@pytest.fixture(params=REMOTE)
def remote(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _generate(
    gen: VideoGen, out: Path, prompt: str = PROMPT, size: tuple[int, int] = (720, 1280)
) -> GeneratedScene:
    return gen.generate(
        prompt,
        duration_s=3.4,
        width=size[0],
        height=size[1],
        brand_colors=COLORS,
        out_dir=out,
    )


def _readable(scene: GeneratedScene) -> bool:
    if scene.kind == "clip":
        frame, seconds = clip_frame(scene.path, "scene")
        return frame.size > 0 and seconds > 0
    image = cv2.imread(str(scene.path))
    return image is not None and image.size > 0


# --- every adapter ---------------------------------------------------------------------------


def test_a_scene_is_a_readable_file_in_the_output_folder(
    rig: Callable[..., Any], tmp_path: Path
) -> None:
    with rig() as r:
        scene = _generate(r.gen, tmp_path)

    assert scene.kind in ("image", "clip")
    assert scene.path.parent == tmp_path and scene.path.exists()
    assert _readable(scene)


def test_the_same_prompt_and_shape_is_made_once(rig: Callable[..., Any], tmp_path: Path) -> None:
    with rig() as r:
        first = _generate(r.gen, tmp_path)
        asked = r.submits() if r.fake else 0
        again = _generate(r.gen, tmp_path)
        again_asked = r.submits() if r.fake else 0
        other = _generate(r.gen, tmp_path, prompt="a city street at night (hook)")

    assert again == first and again.path.read_bytes() == first.path.read_bytes()
    assert again_asked == asked, "a scene already made was asked for again"
    assert other.path != first.path


# --- providers over HTTP ---------------------------------------------------------------------


@pytest.mark.parametrize("name", REMOTE)
def test_a_429_on_submit_is_retried_after_retry_after(name: str, tmp_path: Path) -> None:
    busy = HttpError(429, "rate limited", headers={"retry-after": "3"})
    with ADAPTERS[name](submit_errors=[busy]) as r:
        started = time.monotonic()
        scene = _generate(r.gen, tmp_path)
        waited = time.monotonic() - started + sum(r.time.sleeps)

    assert r.submits() == 2
    assert waited >= 3.0
    assert scene.path.exists()


def test_server_errors_past_the_budget_are_transient(remote: str, tmp_path: Path) -> None:
    down = [HttpError(503, "backend unavailable")] * 2
    with ADAPTERS[remote](submit_errors=down) as r, pytest.raises(TransientError, match="503"):
        _generate(r.gen, tmp_path)
    assert r.submits() == 2
    assert list(tmp_path.iterdir()) == []


def test_a_429_past_the_budget_hands_its_wait_to_the_queue(remote: str, tmp_path: Path) -> None:
    busy = [HttpError(429, "quota", headers={"retry-after": "0.01"})] * 2
    with ADAPTERS[remote](submit_errors=busy) as r, pytest.raises(TransientError) as raised:
        _generate(r.gen, tmp_path)
    assert raised.value.retry_after == pytest.approx(0.01)


def test_invalid_input_the_provider_rejects_is_permanent(remote: str, tmp_path: Path) -> None:
    bad = [HttpError(400, "promptText must be at most 1000 characters")]
    with (
        ADAPTERS[remote](submit_errors=bad) as r,
        pytest.raises(PermanentError, match="HTTP 400") as raised,
    ):
        _generate(r.gen, tmp_path)
    assert not isinstance(raised.value, TransientError)
    assert r.submits() == 1


def test_a_refused_credential_is_permanent_and_not_shown(remote: str, tmp_path: Path) -> None:
    wrong = SECRETS[remote] + "-revoked"
    with ADAPTERS[remote](key=wrong) as r, pytest.raises(PermanentError) as raised:
        _generate(r.gen, tmp_path)
    assert r.submits() == 1
    assert wrong not in str(raised.value)


def test_a_generation_the_provider_refuses_is_permanent(remote: str, tmp_path: Path) -> None:
    with (
        ADAPTERS[remote](failure="refused") as r,
        pytest.raises(VideoGenerationFailed) as raised,
    ):
        _generate(r.gen, tmp_path)
    assert isinstance(raised.value, PermanentError) and raised.value.task_id
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".mp4"]


def test_a_generation_the_provider_failed_itself_is_transient(remote: str, tmp_path: Path) -> None:
    with ADAPTERS[remote](failure="internal") as r, pytest.raises(TransientError):
        _generate(r.gen, tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".mp4"]
