"""Runway's developer API behind the :class:`~gpu_jobs.scenes.VideoGen` port: submit, poll, fetch.

``POST {base}/v1/text_to_video`` (Veo models) or ``/v1/image_to_video`` (Gen-4 models, started
from the brand-coloured procedural backdrop as a data URI) with ``Authorization: Bearer`` and
``X-Runway-Version`` answers ``{"id"}``; ``GET /v1/tasks/{id}`` is polled with growing pauses
until ``SUCCEEDED`` (``output``: URLs) or ``FAILED`` (``failure``, ``failureCode``). The clip is
downloaded through :func:`shared.net.safe_fetch.fetch`: the output URL comes from outside, so it
gets the same address checks, byte cap and deadline as a user's URL.
"""

from __future__ import annotations

import base64
import hashlib
import math
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import httpx

from gpu_jobs.scenes import GeneratedScene, ProceduralScenes, VideoGenerationFailed
from shared.errors import PermanentError, TransientError
from shared.net.retry import Sleep, json_object, send_with_retries
from shared.net.safe_fetch import Resolver, fetch

DEFAULT_BASE_URL = "https://api.dev.runwayml.com"
API_VERSION = "2024-11-06"
DEFAULT_MODEL = "veo3.1_fast"
MAX_CLIP_BYTES = 200 * 1024 * 1024
_VEO_RATIOS = ("1280:720", "720:1280", "1080:1920", "1920:1080")
_GEN4_RATIOS = ("1280:720", "720:1280", "1104:832", "832:1104", "960:960", "1584:672")
# model -> (endpoint, ratios, durations it accepts)
MODELS: dict[str, tuple[str, tuple[str, ...], tuple[int, ...]]] = {
    "veo3.1_fast": ("text_to_video", _VEO_RATIOS, (4, 6, 8)),
    "veo3.1": ("text_to_video", _VEO_RATIOS, (4, 6, 8)),
    "veo3": ("text_to_video", _VEO_RATIOS, (8,)),
    "gen4_turbo": ("image_to_video", _GEN4_RATIOS, (5, 10)),
    "gen4.5": ("image_to_video", _GEN4_RATIOS, tuple(range(2, 11))),
}
_WAITING = ("PENDING", "THROTTLED", "RUNNING")


class RunwayVideoGen:
    """Runway clips. Each (prompt, ratio, duration) is generated once per ``out_dir``."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        model: str = DEFAULT_MODEL,
        poll_first_s: float = 5.0,
        poll_max_s: float = 30.0,
        task_timeout_s: float = 900.0,
        attempts: int = 4,
        max_wait_s: float = 60.0,
        max_clip_bytes: int = MAX_CLIP_BYTES,
        download_timeout_s: float = 120.0,
        transport: httpx.BaseTransport | None = None,
        download_transport: httpx.BaseTransport | None = None,
        download_resolver: Resolver = socket.getaddrinfo,
        sleep: Sleep = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if model not in MODELS:
            raise PermanentError(f"Runway model {model!r} is not one of {', '.join(MODELS)}")
        self._key, self._base, self.model = api_key, base_url.rstrip("/"), model
        self._poll = (poll_first_s, poll_max_s, task_timeout_s)
        self._attempts, self._max_wait_s = attempts, max_wait_s
        self._download = (max_clip_bytes, download_timeout_s, download_transport, download_resolver)
        self._transport, self._sleep, self._clock = transport, sleep, clock

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
        """Generate (or reuse) a clip for ``prompt`` at the ratio nearest ``width``×``height``."""
        body = build_request(self.model, prompt, duration_s, width, height)
        key = hashlib.sha256(repr(sorted(body.items())).encode()).hexdigest()[:16]
        out = out_dir / f"runway-{key}.mp4"
        if out.exists():
            return GeneratedScene(out, "clip")
        endpoint = MODELS[self.model][0]
        if endpoint == "image_to_video":
            body["promptImage"] = _first_frame(prompt, body["ratio"], brand_colors, out_dir)
        with httpx.Client(transport=self._transport, timeout=30.0) as client:
            task_id = self._submit(client, endpoint, body)
            url = self._wait_for(client, task_id)
        max_bytes, timeout_s, transport, resolver = self._download
        clip = fetch(
            url, max_bytes=max_bytes, timeout_s=timeout_s, resolver=resolver, transport=transport
        )
        if b"ftyp" not in clip[:64]:
            raise TransientError(f"Runway task {task_id}: the output is not an MP4 file")
        out.write_bytes(clip)
        return GeneratedScene(out, "clip")

    def _call(self, client: httpx.Client, method: str, path: str, body: Any = None) -> Any:
        headers = {"authorization": f"Bearer {self._key}", "x-runway-version": API_VERSION}
        response = send_with_retries(
            lambda: client.request(method, f"{self._base}{path}", json=body, headers=headers),
            service="Runway",
            key_env="RUNWAY_API_KEY",
            secret=self._key,
            attempts=self._attempts,
            max_wait_s=self._max_wait_s,
            sleep=self._sleep,
        )
        return json_object(response, f"Runway ({path})")

    def _submit(self, client: httpx.Client, endpoint: str, body: dict[str, Any]) -> str:
        answer = self._call(client, "POST", f"/v1/{endpoint}", body)
        task_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(task_id, str) or not task_id:
            raise TransientError(f"Runway answered /v1/{endpoint} without a task id")
        return task_id

    def _wait_for(self, client: httpx.Client, task_id: str) -> str:
        """Poll the task until it ends; the first output URL, or a typed error."""
        first, most, limit = self._poll
        deadline, pause = self._clock() + limit, first
        while True:
            task = self._call(client, "GET", f"/v1/tasks/{task_id}")
            status = str(task.get("status", "")) if isinstance(task, dict) else ""
            if status == "SUCCEEDED":
                return _output_url(task, task_id)
            if status not in _WAITING:
                raise _task_error(task if isinstance(task, dict) else {}, task_id, status)
            if self._clock() + pause > deadline:
                raise TransientError(
                    f"Runway task {task_id} was still {status} after {limit:.0f} s; will retry"
                )
            self._sleep(pause)
            pause = min(most, pause * 1.5)


def build_request(
    model: str, prompt: str, duration_s: float, width: int, height: int
) -> dict[str, Any]:
    """The submit body without its image (pure): the nearest ratio, the shortest duration that
    covers the scene (the renderer trims), audio off (the ad has its own voice and music)."""
    _, ratios, durations = MODELS[model]
    body: dict[str, Any] = {
        "model": model,
        "promptText": prompt[:1000],
        "ratio": nearest_ratio(ratios, width, height),
        "duration": next((d for d in durations if d >= duration_s), durations[-1]),
    }
    if model.startswith("veo3."):
        body["audio"] = False
    else:
        body["seed"] = int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16) % 4294967295
    return body


def nearest_ratio(ratios: tuple[str, ...], width: int, height: int) -> str:
    """The ratio whose shape is nearest ``width``:``height``; among equals, the smallest that
    is at least as wide, else the widest."""
    want = math.log(width / height)

    def shape_error(r: str) -> float:
        w, h = (int(v) for v in r.split(":"))
        return round(abs(math.log(w / h) - want), 3)

    best = min(shape_error(r) for r in ratios)
    same = sorted((r for r in ratios if shape_error(r) == best), key=lambda r: int(r.split(":")[0]))
    return next((r for r in same if int(r.split(":")[0]) >= width), same[-1])


def _first_frame(prompt: str, ratio: str, colors: list[str], out_dir: Path) -> str:
    """The procedural backdrop in brand colours, as a JPEG data URI (Gen-4 needs an image)."""
    w, h = (int(v) for v in ratio.split(":"))
    scene = ProceduralScenes().generate(
        prompt, duration_s=1, width=w, height=h, brand_colors=colors, out_dir=out_dir
    )
    image = cv2.imread(str(scene.path))
    ok, jpeg = (
        (False, None)
        if image is None
        else cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    )
    if not ok or jpeg is None:
        raise PermanentError("could not encode the first frame for Runway")
    return "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode()


def _output_url(task: dict[str, Any], task_id: str) -> str:
    output = task.get("output")
    if isinstance(output, list) and output and isinstance(output[0], str):
        return output[0]
    raise TransientError(f"Runway task {task_id} succeeded without an output URL")


def _task_error(task: dict[str, Any], task_id: str, status: str) -> Exception:
    code = task.get("failureCode")
    reason = task.get("failure") or "no reason given"
    if status == "FAILED" and isinstance(code, str) and code.startswith("INTERNAL"):
        return TransientError(f"Runway task {task_id} failed inside Runway ({code}: {reason})")
    if status == "FAILED":
        return VideoGenerationFailed(
            f"Runway task {task_id} failed ({code or 'no code'}): {reason}",
            task_id=task_id,
            code=code if isinstance(code, str) else None,
        )
    return TransientError(f"Runway task {task_id} ended as {status or 'an unknown status'}")
