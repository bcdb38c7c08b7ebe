"""One typed settings object. Read once, in a composition root; never at import time."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import pycountry
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.models.creative import Tag

Provider = Literal["offline", "vertex", "anthropic"]
# An emoji's name as reaction events carry it; a skin tone follows after "::".
# https://docs.slack.dev/reference/events/reaction_added
_REACTION_NAME = re.compile(r"[a-z0-9_+'\-]+(::skin-tone-[2-6])?")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ADLOOP_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    home: Path = Field(default=Path(".adloop"), description="local state folder")
    llm: Provider = "offline"
    llm_steps: dict[str, Provider] = Field(default_factory=dict)
    anthropic_model: str = "claude-sonnet-5-5"
    gemini_model: str = "gemini-3.8-flash"
    # One model call's time limit; a slower answer is a transient error the queue retries.
    llm_timeout_s: float = 60.0
    # Gemini 3 models are served from the global endpoint.
    vertex_location: str = "global"

    # Where state lives: "embedded" (SQLite, folder, local queue) or "gcp".
    backend: Literal["embedded", "gcp"] = "embedded"
    gcp_project: str | None = Field(
        default=None, validation_alias=AliasChoices("ADLOOP_GCP_PROJECT", "GOOGLE_CLOUD_PROJECT")
    )
    gcp_region: str = "us-central1"
    bucket: str | None = None
    tasks_base_url: str | None = Field(default=None, description="public URL of the task routes")
    tasks_service_account: str | None = Field(default=None, description="OIDC identity of tasks")
    render_job: str = "adloop-render"
    # Where the Google clients without an ecosystem emulator variable are pointed instead of
    # Google (a local cloud; FIRESTORE_EMULATOR_HOST and STORAGE_EMULATOR_HOST cover the rest).
    tasks_emulator_host: str | None = Field(default=None, description="host:port, plaintext gRPC")
    run_api_endpoint: str | None = Field(default=None, description="Cloud Run Admin API base URL")
    # Certificates that verify an OIDC token still carrying its signature (Google's by default).
    oidc_certs_url: str | None = None

    task_token: SecretStr | None = Field(default=None, description="local task shared token")
    # ``adloop serve``'s HTTP limits (docs/reliability.md, "Limits"). Request threads: one per
    # local queue delivery (a step holds its thread while it runs) plus these for everything else.
    serve_threads: int = Field(default=16, ge=1)
    # Open connections at most; past it new ones wait in the listen backlog.
    serve_connection_limit: int = Field(default=100, ge=4)
    # A connection that sends nothing for this long is closed (keep-alive or mid-request).
    serve_idle_timeout_s: int = Field(default=30, ge=1)
    # A request's headers and body must have arrived this long after its first byte.
    serve_request_timeout_s: int = Field(default=60, ge=1)
    queue_concurrency: int = 8
    # The local queue's lease: a task in flight when the process died is redelivered after it.
    queue_lease_s: float = 120.0
    queue_min_backoff_s: float = 0.2
    queue_max_backoff_s: float = 20.0
    queue_max_attempts: int = 12
    # Outbox entries older than this are re-sent by the sweeper (a crash after commit).
    sweep_after_s: float = 5.0
    sweep_interval_s: float = 2.0
    # A running campaign with no progress for this long is reported as stalled.
    stalled_after_s: float = 600.0
    # Render the V1–V5 videos (the render job) as part of every campaign.
    render: bool = True
    render_targets: list[str] = Field(default_factory=lambda: ["9:16"])
    render_attempts: int = 3
    render_wait_s: float = 540.0
    judge_threshold: float = 85.0
    # Judge name -> weight (normalised); empty means the defaults in shared/creative/judges.py.
    judge_weights: dict[str, float] = Field(default_factory=dict)
    brand_bar: float = 0.75
    log_level: str = "INFO"

    # Comma-separated Slack user ids (U…) or user-group ids (S…).
    slack_reviewers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Reaction name -> the tag it sets, replacing the default table (docs/slack.md): JSON,
    # '{"eyes": "Testing", "rocket": "Winner"}'. Empty keeps the defaults.
    slack_reactions: Annotated[dict[str, Tag], NoDecode] = Field(default_factory=dict)
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_SIGNING_SECRET"
    )
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(default=None, validation_alias="SLACK_API_URL")
    anthropic_api_key: SecretStr | None = Field(default=None, validation_alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str | None = Field(default=None, validation_alias="ANTHROPIC_BASE_URL")
    vertex_api_endpoint: str | None = None
    meta_app_secret: SecretStr | None = Field(default=None, validation_alias="META_APP_SECRET")
    meta_verify_token: SecretStr | None = Field(default=None, validation_alias="META_VERIFY_TOKEN")
    meta_access_token: SecretStr | None = Field(default=None, validation_alias="META_ACCESS_TOKEN")
    meta_graph_url: str | None = None  # the Marketing API base (a local server in tests)
    meta_ad_account_id: str | None = None  # act_…: insights pulled, export videos uploaded
    # The Facebook Page (and optional Instagram account) Meta exports' ads run as.
    meta_page_id: str | None = None
    meta_instagram_account_id: str | None = None
    # Seconds before a requested Meta report is first checked; each re-check waits twice as long.
    meta_report_poll_s: float = Field(default=30.0, ge=0, le=3600)
    # Exports create new, paused campaigns: each with this daily budget (the ad account's
    # currency), in these countries when the brief's market names none (ISO codes: "US,MX").
    # adloop serve pulls performance (Meta, TikTok) this often when they are configured.
    pull_every_h: float = Field(default=6.0, gt=0)
    export_daily_budget: float = Field(default=20.0, gt=0, le=1_000_000)
    export_countries: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Where the daily digest and campaigns started outside Slack (the CLI) are posted.
    slack_channel: str | None = None
    tiktok_client_secret: SecretStr | None = Field(
        default=None, validation_alias="TIKTOK_CLIENT_SECRET"
    )
    google_ads_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="GOOGLE_ADS_WEBHOOK_SECRET"
    )
    # TikTok's Reporting API (https://business-api.tiktok.com/open_api/v1.3/report/integrated/
    # get/): the long-term access token of the advertiser it reads, and that advertiser's id.
    tiktok_access_token: SecretStr | None = Field(
        default=None, validation_alias="TIKTOK_ACCESS_TOKEN"
    )
    tiktok_advertiser_id: str | None = None
    tiktok_api_url: str | None = None  # the Business API base (a local server in tests)
    # Days the daily pull re-reads: TikTok corrects recent days, and the upsert replaces them.
    tiktok_report_days: int = Field(default=7, ge=1, le=30)
    # What TikTok exports' ads run as and optimise for (the notes say so while unset).
    tiktok_identity_id: str | None = None
    tiktok_pixel_id: str | None = None

    @field_validator("slack_reviewers", "export_countries", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("export_countries", mode="after")
    @classmethod
    def _country_codes(cls, value: list[str]) -> list[str]:
        codes = [v.upper() for v in value]
        bad = [c for c in codes if pycountry.countries.get(alpha_2=c) is None]
        if bad:
            raise ValueError(
                f"ADLOOP_EXPORT_COUNTRIES takes ISO 3166 two-letter codes (US,MX); not {bad}"
            )
        return codes

    @field_validator("slack_reactions", mode="before")
    @classmethod
    def _json_object(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not value.strip():
            return {}
        try:
            return json.loads(value)
        except json.JSONDecodeError as e:
            raise ValueError(
                'ADLOOP_SLACK_REACTIONS is a JSON object, e.g. {"eyes": "Testing"}: ' + str(e)
            ) from e

    @field_validator("slack_reactions", mode="after")
    @classmethod
    def _reaction_names(cls, value: dict[str, Tag]) -> dict[str, Tag]:
        """Names as Slack sends them in reaction events: ``eyes``, not ``:eyes:``."""
        names: dict[str, Tag] = {}
        for name, tag in value.items():
            bare = name.strip().strip(":")
            if not _REACTION_NAME.fullmatch(bare):
                raise ValueError(
                    f"ADLOOP_SLACK_REACTIONS: {name!r} is not a Slack emoji name (lower-case "
                    "letters, digits, '_', '-', '+', \"'\", as in 'white_check_mark' or '+1')"
                )
            names[bare] = tag
        return names

    @model_validator(mode="after")
    def _blank_secrets_are_unset(self) -> Settings:
        """An empty or whitespace-only secret is no secret: ``META_APP_SECRET=`` in an env file
        must not make the empty key sign deliveries. Decided here, once, for every secret
        field (any ``SecretStr``), so each user of a secret only asks whether it is None."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) and not value.get_secret_value().strip():
                setattr(self, name, None)
        return self

    @classmethod
    def env_name(cls, field: str) -> str:
        """The environment variable that sets ``field`` (``META_APP_SECRET``, ``ADLOOP_HOME``)."""
        alias = cls.model_fields[field].validation_alias
        if isinstance(alias, str):
            return alias
        return "ADLOOP_" + field.upper()

    def unset(self, *fields: str) -> list[str]:
        """The environment names of those of ``fields`` that are not configured."""
        return [self.env_name(f) for f in fields if getattr(self, f) is None]

    def provider_for(self, step: str) -> Provider:
        return self.llm_steps.get(step, self.llm)

    @property
    def home_dir(self) -> Path:
        return self.home.expanduser().resolve()
