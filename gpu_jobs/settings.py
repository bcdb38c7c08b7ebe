"""The render job's settings: where its spec and results live, and which voice and video
generator it uses. Read once, in ``gpu_jobs.__main__`` (or ``adloop render``); the only place
the job reads its environment.

The job is started by the render step with ``SPEC OUT`` as arguments and the blobs' location in
its environment (``ADLOOP_BLOBS_DIR``, or ``ADLOOP_BACKEND=gcp`` with ``ADLOOP_BUCKET``: see
``job_env`` in ``shared/pipeline/steps/render.py`` and ``terraform/render_job.tf``). The
providers' names are the ecosystems' own where they have one (``ELEVENLABS_API_KEY``,
``RUNWAY_API_KEY``), ``ADLOOP_*`` otherwise. Every setting is optional: the embedded default
speaks with espeak-ng and draws procedural scenes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class RenderSettings(BaseSettings):
    # An empty variable is an unset one (``ELEVENLABS_BASE_URL=`` keeps the default).
    model_config = SettingsConfigDict(
        env_prefix="ADLOOP_", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    # The spec and the output prefix, when not given as arguments.
    render_spec: str = ""
    render_out: str = ""
    # Blobs in a local folder (the embedded job runner), else the bucket when backend is gcp,
    # else plain local paths.
    blobs_dir: str | None = None
    backend: Literal["embedded", "gcp"] = "embedded"
    bucket: str | None = None
    gcp_project: str | None = Field(
        default=None, validation_alias=AliasChoices("ADLOOP_GCP_PROJECT", "GOOGLE_CLOUD_PROJECT")
    )

    # The voice-over: a name in gpu_jobs.bootstrap.VOICES.
    voice: str = "espeak"
    elevenlabs_api_key: SecretStr | None = Field(
        default=None, validation_alias="ELEVENLABS_API_KEY"
    )
    elevenlabs_base_url: str | None = Field(default=None, validation_alias="ELEVENLABS_BASE_URL")
    elevenlabs_voice_id: str | None = Field(default=None, validation_alias="ELEVENLABS_VOICE_ID")
    elevenlabs_model_id: str | None = Field(default=None, validation_alias="ELEVENLABS_MODEL_ID")
    google_tts_endpoint: str | None = None
    google_tts_voice: str | None = None

    # Generated scenes: a name in gpu_jobs.bootstrap.VIDEO_GENS.
    video_gen: str = "procedural"
    runway_api_key: SecretStr | None = Field(default=None, validation_alias="RUNWAY_API_KEY")
    runway_base_url: str | None = Field(default=None, validation_alias="RUNWAY_BASE_URL")
    runway_model: str | None = None
    vertex_api_endpoint: str | None = None
    veo_location: str | None = None
    veo_model: str | None = None

    @field_validator("voice", "video_gen", mode="before")
    @classmethod
    def _a_name(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _blank_is_unset(self) -> RenderSettings:
        """A whitespace-only value is no value: ``RUNWAY_API_KEY=" "`` is a missing key, said
        so when the provider is built, not a key Runway refuses."""
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            text = value.get_secret_value() if isinstance(value, SecretStr) else value
            if info.default is None and isinstance(text, str) and not text.strip():
                setattr(self, name, None)
        return self

    @classmethod
    def env_name(cls, field: str) -> str:
        """The environment variable that sets ``field`` (``ELEVENLABS_API_KEY``)."""
        alias = cls.model_fields[field].validation_alias
        if isinstance(alias, str):
            return alias
        if isinstance(alias, AliasChoices):
            return str(alias.choices[0])
        return "ADLOOP_" + field.upper()

    @classmethod
    def env_names(cls) -> set[str]:
        """Every environment variable the job reads."""
        names = set()
        for field, info in cls.model_fields.items():
            alias = info.validation_alias
            if isinstance(alias, AliasChoices):
                names |= {str(choice) for choice in alias.choices}
            else:
                names.add(cls.env_name(field))
        return names
