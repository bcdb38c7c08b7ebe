"""terraform/ against the settings the code reads: each deployed function and the render job get
the environment production needs and nothing the code does not read; every secret a function
mounts is one the deploy guide gives a version. Run on what terraform would deploy
(tests/infra/deployment.py) with its defaults and with every optional integration on."""

from __future__ import annotations

import importlib
import inspect
import os
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from gpu_jobs.bootstrap import build_blobs
from gpu_jobs.settings import RenderSettings
from shared.adapters.cloud_tasks import target_url
from shared.adapters.gcs import GcsBlobs
from shared.adapters.local_folder import FolderBlobs
from shared.pipeline.steps.render import job_env
from shared.settings import Settings
from tests.infra.conftest import BASE, SCENARIOS
from tests.infra.deployment import DeployedFunction, Deployment, deployment
from tests.infra.terraform_config import REPO

# Environment that belongs to the platform, not to adloop's settings, with where it is read.
PLATFORM_ENV = {
    "FUNCTION_TARGET": "functions_framework/_function_registry.py",
    "LOG_EXECUTION_ID": "functions_framework/__init__.py",
}
main = importlib.import_module("functions.main")


def settings_of(fn: DeployedFunction, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings ``fn``'s code builds from what terraform gives it (a secret reads "x")."""
    for key in list(os.environ):
        if key.startswith(("ADLOOP_", "SLACK_", "ANTHROPIC_", "META_", "TIKTOK_", "GOOGLE_")):
            monkeypatch.delenv(key)
    for name, value in {**fn.env, **dict.fromkeys(fn.secrets, "x")}.items():
        monkeypatch.setenv(name, value)
    return Settings()


def settings_env_names() -> set[str]:
    names = set()
    for field, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, str):
            names.add(alias)
        elif alias is not None:
            names |= {str(choice) for choice in getattr(alias, "choices", [])}
        else:
            names.add(f"ADLOOP_{field.upper()}")
    return names


# (a) environment ------------------------------------------------------------------------------


def test_every_entry_point_exists_in_functions_main(scenario: tuple[Any, Deployment]) -> None:
    _, deployed = scenario
    for fn in deployed.functions.values():
        assert callable(getattr(main, fn.entry_point, None)), (
            f"terraform deploys {fn.name} with entry point {fn.entry_point!r}, "
            "which functions/main.py lacks"
        )


def test_terraform_sets_only_what_the_settings_read(scenario: tuple[Any, Deployment]) -> None:
    _, deployed = scenario
    known = settings_env_names()
    for fn in deployed.functions.values():
        unknown = set(fn.env) - known - set(PLATFORM_ENV)
        assert not unknown, f"{fn.name}: terraform sets {sorted(unknown)}, which nothing reads"
        assert set(fn.secrets) <= known, f"{fn.name} mounts {fn.secrets}"


def test_the_platform_variables_are_the_platforms_own() -> None:
    framework = importlib.import_module("functions_framework")
    root = Path(inspect.getfile(framework)).parent.parent
    for name, where in PLATFORM_ENV.items():
        assert f'"{name}"' in (root / where).read_text(), f"{name} is not read in {where}"


def test_each_function_gets_the_settings_production_needs(
    scenario: tuple[dict[str, Any], Deployment], monkeypatch: pytest.MonkeyPatch
) -> None:
    values, deployed = scenario
    invoker = f"adloop-invoker@{values['project']}.iam.gserviceaccount.com"
    for fn in deployed.functions.values():
        settings = settings_of(fn, monkeypatch)
        assert settings.backend == "gcp", fn.name
        assert settings.gcp_project == values["project"], fn.name
        assert settings.gcp_region == values["region"], f"{fn.name}: queues and job are there"
        assert settings.bucket == deployed.render_job.env["ADLOOP_BUCKET"], fn.name
        assert settings.tasks_service_account == invoker, fn.name
        assert settings.render_job == deployed.render_job.name, fn.name
        assert settings.llm == values.get("llm", "vertex"), fn.name
        assert settings.slack_channel == values["slack_channel"], f"{fn.name}: digest, CLI"
        if fn.private:
            # Steps publish, report progress and post the digest with the bot's token.
            assert settings.slack_bot_token is not None, fn.name
            # Tasks for a step go to target_url(ADLOOP_TASKS_BASE_URL, step): this function.
            assert target_url(settings.tasks_base_url or "", fn.entry_point, per_function=True) == (
                fn.url
            ), fn.name
            # The steps are what call the model.
            assert settings.llm != "anthropic" or settings.anthropic_api_key is not None, fn.name


def test_the_bot_gets_what_its_app_needs(
    scenario: tuple[Any, Deployment], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, deployed = scenario
    settings = settings_of(deployed.functions["slack_events"], monkeypatch)
    assert settings.slack_signing_secret is not None and settings.slack_bot_token is not None


def test_meta_insights_are_pulled_for_the_account_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deployed = deployment(SCENARIOS["everything on"])
    for name in ("insights_pull", "loop_meta_report"):
        settings = settings_of(deployed.functions[name], monkeypatch)
        # shared/loop/steps.pull_recent_insights requests nothing without both.
        assert settings.meta_ad_account_id == "act_1234567890", name
        assert settings.meta_access_token is not None, name
    for name in ("insights_pull", "loop_tiktok_report"):
        settings = settings_of(deployed.functions[name], monkeypatch)
        # shared/loop/tiktok_report.tiktok_report_task queues nothing without both.
        assert settings.tiktok_advertiser_id == "7000000000000000001", name
        assert settings.tiktok_access_token is not None, name
    for name, secret in (
        ("webhook_meta", "meta_app_secret"),
        ("webhook_meta", "meta_verify_token"),
        ("webhook_tiktok", "tiktok_client_secret"),
        ("webhook_google_ads", "google_ads_webhook_secret"),
    ):
        settings = settings_of(deployed.functions[name], monkeypatch)
        assert getattr(settings, secret) is not None, f"{name} cannot check deliveries"


def test_without_a_platform_nothing_of_it_is_mounted_or_set() -> None:
    deployed = deployment(SCENARIOS["defaults"])
    for fn in deployed.functions.values():
        assert "ADLOOP_META_AD_ACCOUNT_ID" not in fn.env, fn.name
        assert "ADLOOP_TIKTOK_ADVERTISER_ID" not in fn.env, fn.name
        assert not {s for s in fn.secrets if s.startswith(("META_", "TIKTOK_", "GOOGLE_"))}


def test_the_render_job_gets_its_bucket(
    scenario: tuple[dict[str, Any], Deployment], monkeypatch: pytest.MonkeyPatch
) -> None:
    values, deployed = scenario
    job = deployed.render_job
    read = RenderSettings.env_names()
    assert set(job.env) <= read, f"the render job is given {set(job.env) - read}, never read"
    assert job.env["ADLOOP_BACKEND"] == "gcp"
    assert job.env["ADLOOP_GCP_PROJECT"] == values["project"]
    assert job.env["ADLOOP_BUCKET"] == deployed.functions["render"].env["ADLOOP_BUCKET"]
    blobs = build_blobs(_render_settings(job.env, monkeypatch))
    assert isinstance(blobs, GcsBlobs), "the job reads its spec from the bucket"
    assert (blobs.bucket_name, blobs.project) == (job.env["ADLOOP_BUCKET"], values["project"])


@pytest.mark.parametrize("backend", ["embedded", "gcp"])
def test_the_render_step_starts_the_job_with_what_its_settings_read(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The overrides each start carries (shared/pipeline/steps/render.job_env, through
    cloud_run_jobs or subprocess_jobs) are settings the job reads, and lead it to the blobs the
    step wrote the spec to."""
    settings = Settings(home=tmp_path, backend=backend, bucket="assets", gcp_project="p")
    step_blobs = FolderBlobs(tmp_path / "blobs") if backend == "embedded" else object()
    ctx = SimpleNamespace(services=SimpleNamespace(blobs=step_blobs, settings=settings))
    env = job_env(ctx)  # type: ignore[arg-type]
    assert set(env) <= RenderSettings.env_names(), f"{set(env) - RenderSettings.env_names()}"
    blobs = build_blobs(_render_settings(env, monkeypatch))
    if backend == "embedded":
        assert isinstance(blobs, FolderBlobs) and blobs.root == (tmp_path / "blobs").resolve()
    else:
        assert isinstance(blobs, GcsBlobs) and (blobs.bucket_name, blobs.project) == ("assets", "p")


def _render_settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> RenderSettings:
    """The render job's settings, built from ``env`` alone."""
    for name in RenderSettings.env_names():
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return RenderSettings()


# Secrets and the deploy guide ------------------------------------------------------------------


def documented_secret_versions() -> dict[str, str]:
    """Secret id -> the comment above its ``gcloud secrets versions add`` in docs/deploy.md."""
    found, note = {}, ""
    for line in (REPO / "docs" / "deploy.md").read_text().splitlines():
        if line.startswith("# "):
            note = line
        for secret in re.findall(r"gcloud secrets versions add ([a-z0-9-]+)", line):
            found[secret] = note
    return found


def test_every_mounted_secret_is_one_the_guide_gives_a_version(
    scenario: tuple[Any, Deployment],
) -> None:
    _, deployed = scenario
    documented = documented_secret_versions()
    for fn in deployed.functions.values():
        missing = set(fn.secret_ids.values()) - set(documented)
        assert not missing, f"{fn.name} mounts {sorted(missing)} at latest; docs add no version"


def test_the_defaults_mount_only_the_secrets_every_deployment_adds() -> None:
    documented = documented_secret_versions()
    mounted = {s for fn in deployment(BASE).functions.values() for s in fn.secret_ids.values()}
    assert mounted == {s for s, note in documented.items() if "every deployment" in note}
