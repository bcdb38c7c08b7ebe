"""The render job's composition root: :class:`RenderSettings` -> the voice, the video generator
and the blobs a render uses. Nothing else in ``gpu_jobs`` builds a provider or a client.

A new provider is its adapter module, its settings in :mod:`gpu_jobs.settings`, a builder here
and one line in :data:`VOICES` or :data:`VIDEO_GENS`. Adapters are imported only when chosen, so
the offline job never loads an HTTP client or a cloud SDK.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from gpu_jobs.settings import RenderSettings
from shared.errors import PermanentError

if TYPE_CHECKING:
    from gpu_jobs.scenes import VideoGen
    from gpu_jobs.voice import Voice
    from shared.ports.blobs import Blobs

T = TypeVar("T")


@dataclass(frozen=True)
class RenderServices:
    voice: Voice
    video_gen: VideoGen
    # Where the spec and its results live; None: they are local paths (``adloop render``).
    blobs: Blobs | None


def bootstrap(settings: RenderSettings) -> RenderServices:
    """The providers and blobs ``settings`` choose; PermanentError naming the setting to fix
    when a chosen provider's settings are missing."""
    return RenderServices(
        voice=build_voice(settings),
        video_gen=build_video_gen(settings),
        blobs=build_blobs(settings),
    )


def build_voice(settings: RenderSettings) -> Voice:
    return _choose(VOICES, settings, "voice")(settings)


def build_video_gen(settings: RenderSettings) -> VideoGen:
    return _choose(VIDEO_GENS, settings, "video_gen")(settings)


def build_blobs(settings: RenderSettings) -> Blobs | None:
    """The bucket with ADLOOP_BACKEND=gcp and ADLOOP_BUCKET, else the ADLOOP_BLOBS_DIR folder."""
    if settings.backend == "gcp" and settings.bucket:
        from shared.adapters.gcs import GcsBlobs

        return GcsBlobs(settings.bucket, project=settings.gcp_project)
    if settings.blobs_dir:
        from shared.adapters.local_folder import FolderBlobs

        return FolderBlobs(settings.blobs_dir)
    return None


# --- voices ---


def _espeak(settings: RenderSettings) -> Voice:
    from gpu_jobs.voice import EspeakVoice

    return EspeakVoice()


def _elevenlabs(settings: RenderSettings) -> Voice:
    from gpu_jobs import voice_elevenlabs as eleven

    return eleven.ElevenLabsVoice(
        _secret(settings, "elevenlabs_api_key", "voice"),
        base_url=settings.elevenlabs_base_url or eleven.DEFAULT_BASE_URL,
        voice_id=settings.elevenlabs_voice_id or eleven.DEFAULT_VOICE_ID,
        model_id=settings.elevenlabs_model_id or eleven.DEFAULT_MODEL,
    )


def _google_tts(settings: RenderSettings) -> Voice:
    from gpu_jobs import voice_google as google

    return google.GoogleTtsVoice(
        project=_project(settings, "voice"),
        base_url=settings.google_tts_endpoint or google.DEFAULT_BASE_URL,
        voice_name=settings.google_tts_voice,
    )


VOICES: dict[str, Callable[[RenderSettings], Voice]] = {
    "espeak": _espeak,  # the first is the default
    "elevenlabs": _elevenlabs,
    "google": _google_tts,
}


# --- video generators ---


def _procedural(settings: RenderSettings) -> VideoGen:
    from gpu_jobs.scenes import ProceduralScenes

    return ProceduralScenes()


def _runway(settings: RenderSettings) -> VideoGen:
    from gpu_jobs import scenes_runway as runway

    return runway.RunwayVideoGen(
        _secret(settings, "runway_api_key", "video_gen"),
        base_url=settings.runway_base_url or runway.DEFAULT_BASE_URL,
        model=settings.runway_model or runway.DEFAULT_MODEL,
    )


def _veo(settings: RenderSettings) -> VideoGen:
    from gpu_jobs import scenes_veo as veo

    return veo.VeoVideoGen(
        project=_project(settings, "video_gen"),
        api_endpoint=settings.vertex_api_endpoint,
        location=settings.veo_location or veo.DEFAULT_LOCATION,
        model=settings.veo_model or veo.DEFAULT_MODEL,
    )


VIDEO_GENS: dict[str, Callable[[RenderSettings], VideoGen]] = {
    "procedural": _procedural,  # the first is the default
    "runway": _runway,
    "veo": _veo,
}


# --- helpers ---


def _choose(
    choices: dict[str, Callable[[RenderSettings], T]], settings: RenderSettings, field: str
) -> Callable[[RenderSettings], T]:
    name: str = getattr(settings, field)
    if name not in choices:
        raise PermanentError(
            f"{RenderSettings.env_name(field)}={name!r} is not one of {', '.join(choices)}"
        )
    return choices[name]


def _chosen(settings: RenderSettings, field: str) -> str:
    """``ADLOOP_VOICE=elevenlabs``: the choice a missing setting belongs to."""
    return f"{RenderSettings.env_name(field)}={getattr(settings, field)}"


def _secret(settings: RenderSettings, field: str, choice: str) -> str:
    value = getattr(settings, field)
    if value is None:
        raise PermanentError(
            f"{_chosen(settings, choice)} needs {RenderSettings.env_name(field)} to be set"
        )
    return str(value.get_secret_value()).strip()


def _project(settings: RenderSettings, choice: str) -> str:
    if not settings.gcp_project:
        raise PermanentError(
            f"{_chosen(settings, choice)} needs ADLOOP_GCP_PROJECT (the Google Cloud project)"
        )
    return settings.gcp_project
