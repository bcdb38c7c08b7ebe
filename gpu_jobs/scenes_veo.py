"""Veo on Vertex AI behind the :class:`~gpu_jobs.scenes.VideoGen` port, through the Gen AI SDK.

``client.models.generate_videos`` posts ``{model}:predictLongRunning`` (``instances: [{prompt}]``,
``parameters: {aspectRatio, durationSeconds, sampleCount, generateAudio, ...}``) and answers a
long-running operation; ``client.operations.get`` polls it (``{model}:fetchPredictOperation``)
until ``done``. With no ``output_gcs_uri`` Vertex returns the clip inline
(``videos[].bytesBase64Encoded``), which is what this adapter asks for: no bucket to clean up.
Clips Veo's safety filters removed come back as ``raiMediaFilteredReasons``: a permanent error.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from gpu_jobs.scenes import GeneratedScene, VideoGenerationFailed
from shared.adapters import google_genai
from shared.adapters.google_genai import base_url_of
from shared.errors import TransientError
from shared.net.retry import Sleep

if TYPE_CHECKING:
    from google import genai
    from google.auth.credentials import Credentials
    from google.genai import types

T = TypeVar("T")

DEFAULT_MODEL = "veo-3.1-fast-generate-001"
DEFAULT_LOCATION = "us-central1"
DURATIONS = (4, 6, 8)  # what Veo 3.x accepts


class VeoVideoGen:
    """Veo clips on Vertex AI. Credentials: ``credentials``, else Application Default
    Credentials; ``api_endpoint`` points the SDK elsewhere (tests, a proxy)."""

    def __init__(
        self,
        *,
        project: str,
        location: str = DEFAULT_LOCATION,
        model: str = DEFAULT_MODEL,
        api_endpoint: str | None = None,
        credentials: Credentials | None = None,
        poll_first_s: float = 5.0,
        poll_max_s: float = 30.0,
        task_timeout_s: float = 900.0,
        max_retries: int = 3,
        sleep: Sleep = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model, self._project, self._location = model, project, location
        self._base_url, self._credentials = base_url_of(api_endpoint), credentials
        self._poll = (poll_first_s, poll_max_s, task_timeout_s)
        self._max_retries, self._sleep, self._clock = max_retries, sleep, clock
        self._client: genai.Client | None = None
        self._lock = threading.Lock()

    def generate(
        self,
        prompt: str,
        *,
        duration_s: float,
        width: int,
        height: int,
        brand_colors: list[str],
        out_dir: Path,
    ) -> GeneratedScene:
        """Generate (or reuse) a 16:9 or 9:16 clip for ``prompt``; the renderer crops it."""
        config = video_config(duration_s, width, height, prompt)
        key = hashlib.sha256(f"{self.model}|{prompt}|{config}".encode()).hexdigest()[:16]
        out = out_dir / f"veo-{key}.mp4"
        if out.exists():
            return GeneratedScene(out, "clip")
        operation = self._run(prompt, config)
        out.write_bytes(clip_bytes(operation))
        return GeneratedScene(out, "clip")

    def _run(self, prompt: str, config: dict[str, Any]) -> types.GenerateVideosOperation:
        from google.genai import types

        client = self._get_client()
        operation = self._call(
            lambda: client.models.generate_videos(
                model=self.model,
                source=types.GenerateVideosSource(prompt=prompt),
                config=types.GenerateVideosConfig(**config),
            )
        )
        first, most, limit = self._poll
        deadline, pause = self._clock() + limit, first
        while not operation.done:
            if self._clock() + pause > deadline:
                raise TransientError(
                    f"Veo operation {operation.name} was not done after {limit:.0f} s; will retry"
                )
            self._sleep(pause)
            pause = min(most, pause * 1.5)
            operation = self._call(functools.partial(client.operations.get, operation))
        return operation

    def _call(self, request: Callable[[], T]) -> T:
        """One SDK call, retried as long as Google asks (or backing off from 1 s to 30 s)."""
        return google_genai.call(
            request,
            model=self.model,
            retries=self._max_retries,
            first_wait_s=1.0,
            max_wait_s=30.0,
            sleep=self._sleep,
        )

    def _get_client(self) -> genai.Client:
        with self._lock:
            if self._client is None:
                from google import genai
                from google.genai import types

                retry = types.HttpRetryOptions(attempts=google_genai.NO_SDK_RETRIES)
                self._client = genai.Client(
                    vertexai=True,
                    project=self._project,
                    location=self._location,
                    credentials=self._credentials,
                    http_options=types.HttpOptions(base_url=self._base_url, retry_options=retry),
                )
            return self._client


def video_config(duration_s: float, width: int, height: int, prompt: str) -> dict[str, Any]:
    """``GenerateVideosConfig`` fields (pure): Veo makes 16:9 or 9:16 only, so portrait and
    square targets get 9:16 and the renderer crops; the shortest duration covering the scene;
    no audio (the ad has its own voice and music); a seed from the prompt for repeatability."""
    return {
        "aspect_ratio": "16:9" if width > height else "9:16",
        "duration_seconds": next((d for d in DURATIONS if d >= duration_s), DURATIONS[-1]),
        "number_of_videos": 1,
        "generate_audio": False,
        "resolution": "720p",
        "seed": int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16) % 4294967295,
    }


def clip_bytes(operation: types.GenerateVideosOperation) -> bytes:
    """The finished operation's first clip; typed errors for failures and filtered clips."""
    name = operation.name or "?"
    if operation.error:
        message = str(operation.error.get("message") or operation.error)
        code = int(operation.error.get("code") or 0)
        if code in (4, 8, 13, 14):  # DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE
            raise TransientError(f"Veo operation {name} failed ({message}); will retry")
        raise VideoGenerationFailed(
            f"Veo operation {name} failed: {message}", task_id=name, code=str(code)
        )
    response = operation.response or operation.result
    videos = (response.generated_videos or []) if response else []
    if not videos or not videos[0].video or not videos[0].video.video_bytes:
        reasons = (response.rai_media_filtered_reasons or []) if response else []
        if reasons:
            raise VideoGenerationFailed(
                f"Veo filtered the clip: {'; '.join(reasons)}", task_id=name, code="RAI_FILTERED"
            )
        uri = videos[0].video.uri if videos and videos[0].video else None
        raise TransientError(
            f"Veo operation {name} returned no inline clip" + (f" (only {uri})" if uri else "")
        )
    return videos[0].video.video_bytes
