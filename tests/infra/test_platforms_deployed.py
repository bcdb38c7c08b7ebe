"""terraform/ and functions/main.py against the ad-platform registry (shared/platforms): the
platforms ``ad_platforms`` accepts, the webhook functions deployed and their entry points, the
callback URLs given out, and the secrets each webhook mounts are the registry's."""

from __future__ import annotations

import importlib
import inspect
import typing
from typing import Any

import pytest
from pydantic import SecretStr

from shared.platforms.registry import webhooks
from shared.settings import Settings
from shared.web.routes import not_configured
from tests.infra.conftest import BASE
from tests.infra.deployment import deployment
from tests.infra.terraform_config import Config, load, strings_in
from tests.infra.test_deployed_settings import settings_of

main = importlib.import_module("functions.main")
HOOKS = {hook.name: hook for _, hook in webhooks()}
# Everything on: every platform listed (Meta's then needs the account its insights come from).
EVERY_PLATFORM = {
    **BASE,
    "ad_platforms": sorted(HOOKS),
    "meta_ad_account_id": "act_1234567890",
    "tiktok_advertiser_id": "7000000000000000001",
}


@pytest.fixture(scope="module")
def tf() -> Config:
    return load()


def test_ad_platforms_accepts_exactly_the_platforms_with_a_webhook(tf: Config) -> None:
    [validation] = tf.variables["ad_platforms"]["validation"]
    accepted = set(strings_in(validation["condition"]))
    assert accepted == set(HOOKS), "terraform/variables.tf ad_platforms: list the registry's"
    for name in HOOKS:
        assert name in validation["error_message"]


def test_terraform_deploys_one_webhook_function_per_platform(tf: Config) -> None:
    deployed = {name for name in tf.locals["public_functions"] if name.startswith("webhook_")}
    assert deployed == {hook.function for hook in HOOKS.values()}
    assert set(tf.outputs["webhook_urls"]["value"]) == set(HOOKS)


def test_functions_main_serves_each_webhook_on_its_route() -> None:
    entries = {name for name in vars(main) if name.startswith("webhook_")}
    assert entries == {hook.function for hook in HOOKS.values()}
    for hook in HOOKS.values():
        entry = getattr(main, hook.function)
        assert inspect.getclosurevars(entry).nonlocals["path"] == hook.path, hook.function


def test_each_webhook_mounts_exactly_its_secrets_and_can_verify(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deployed = deployment(EVERY_PLATFORM)
    for hook in HOOKS.values():
        fn = deployed.functions[hook.function]
        assert set(fn.secrets) == {Settings.env_name(f) for f in hook.secrets()}, fn.name
        settings = settings_of(fn, monkeypatch)
        for method, path in hook.route_secrets():
            assert not_configured(settings, method, path) is None, (fn.name, method, path)


def test_without_its_platform_a_webhook_mounts_nothing() -> None:
    deployed = deployment(BASE)
    for hook in HOOKS.values():
        assert deployed.functions[hook.function].secrets == (), hook.function


def test_every_secret_a_platform_names_is_a_secret_setting() -> None:
    for hook in HOOKS.values():
        for field in hook.secrets():
            assert field in Settings.model_fields, f"{hook.slug}: Settings has no {field}"
            annotation: Any = Settings.model_fields[field].annotation
            assert SecretStr in typing.get_args(annotation), f"{field} must be a SecretStr"
